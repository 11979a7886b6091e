package ar.loteria.client.transport;

/**
 * A reply this agency cannot act on: a frame the codecs refuse, a message that is not the answer
 * to the request, or one whose values make no sense (another agency's, a negative count). Final:
 * the central speaks another protocol, or is broken, and another attempt would meet the same.
 */
public final class BadReplyException extends Exception {
    /** {@code Message.field: detail}, as the codecs name a bad field. */
    public BadReplyException(String messageName, String field, String detail) {
        super(messageName + "." + field + ": " + detail);
    }

    public BadReplyException(String message, Throwable cause) {
        super(message, cause);
    }
}
