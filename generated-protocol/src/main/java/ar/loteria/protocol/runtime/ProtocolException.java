package ar.loteria.protocol.runtime;

/**
 * Root of every error a decoder may raise. The message always names what was being decoded
 * (message and field), the offending value and, where it applies, the offset and the limit, so
 * that a log line alone tells what a peer sent.
 */
public class ProtocolException extends Exception {
    private final ErrorCode code;
    private final String messageName;
    private final String field;
    private final String detail;

    public ProtocolException(ErrorCode code, String messageName, String field, String detail) {
        super(describe(messageName, field, detail));
        this.code = code;
        this.messageName = messageName;
        this.field = field;
        this.detail = detail;
    }

    private static String describe(String messageName, String field, String detail) {
        if (messageName == null) {
            return detail;
        }
        return field == null ? messageName + ": " + detail : messageName + "." + field + ": " + detail;
    }

    public ErrorCode code() {
        return code;
    }

    /** Name of the message being decoded, or null when the frame header itself was bad. */
    public String messageName() {
        return messageName;
    }

    /** Field path inside the message (for example {@code bets[3].firstName}), or null. */
    public String field() {
        return field;
    }

    /** What was wrong, without the message and field prefix of {@link #getMessage()}. */
    public String detail() {
        return detail;
    }
}
