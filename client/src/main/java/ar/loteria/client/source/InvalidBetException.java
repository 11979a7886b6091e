package ar.loteria.client.source;

/** A bet that cannot be sent; the message says which field and why. */
public final class InvalidBetException extends Exception {
    public InvalidBetException(String message) {
        super(message);
    }
}
