package ar.loteria.protocol.runtime;

/**
 * A field could not be decoded: a negative length or count, a length or count larger than the
 * bytes that remain, too few bytes for a fixed-size value, or invalid UTF-8.
 */
public final class MalformedFieldException extends ProtocolException {
    public MalformedFieldException(String messageName, String field, String detail) {
        super(Kind.MALFORMED_FIELD, messageName, field, detail);
    }

    /**
     * The same error, with its field placed inside {@code path}: field {@code firstName} within
     * {@code bets[3]} becomes {@code bets[3].firstName}. Decoders of nested records call this only
     * when a field was refused, so that no path string is built for fields that decode.
     */
    public MalformedFieldException within(String path) {
        String inner = field();
        return new MalformedFieldException(messageName(), inner == null ? path : path + "." + inner, detail());
    }

    /** {@link #within} element {@code index} of the list field {@code listField}. */
    public MalformedFieldException withinElement(String listField, int index) {
        return within(listField + "[" + index + "]");
    }
}
