package ar.loteria.protocol.runtime;

/**
 * Root of every error a decoder may raise. The message always names what was being decoded
 * (message and field), the offending value and, where it applies, the offset and the limit, so
 * that a log line alone tells what a peer sent. What a peer is told of it (the protocol's error
 * codes) is the IDL's business: see the central's protocol handler.
 */
public class ProtocolException extends Exception {
    /** What failed: the decoding failures of the frame layer, whatever the IDL. */
    public enum Kind {
        FRAME_TOO_LARGE,
        UNKNOWN_OPCODE,
        MALFORMED_FIELD,
        TRAILING_BYTES,
        TRUNCATED_FRAME
    }

    private final Kind kind;
    private final String messageName;
    private final String field;
    private final String detail;

    public ProtocolException(Kind kind, String messageName, String field, String detail) {
        super(describe(messageName, field, detail));
        this.kind = kind;
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

    public Kind kind() {
        return kind;
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
