package ar.loteria.protocol.runtime;

/**
 * Error codes carried by {@code ProtocolError} and {@code BatchRejected}. 1..9 are framing and
 * decoding errors raised by the codecs; 10 and up are raised by the lottery service. The numbers
 * travel on the wire: never renumber, only add.
 */
public enum ErrorCode {
    FRAME_TOO_LARGE(1),
    UNKNOWN_OPCODE(2),
    MALFORMED_FIELD(3),
    TRAILING_BYTES(4),
    TRUNCATED_FRAME(5),
    INVALID_BET(10),
    UNKNOWN_AGENCY(11),
    AGENCY_ALREADY_FINISHED(12),
    AGENCY_NOT_FINISHED(13),
    UNEXPECTED_MESSAGE(14),
    SERVER_UNAVAILABLE(15),
    PROTOCOL_MISMATCH(16),
    BATCH_GAP(17),
    WRONG_AGENCY(18),
    SESSION_NOT_STARTED(19);

    private final int wireValue;

    ErrorCode(int wireValue) {
        this.wireValue = wireValue;
    }

    public int wireValue() {
        return wireValue;
    }

    /** The code for a wire value, or null when the peer sent one this build does not know. */
    public static ErrorCode fromWire(int value) {
        for (ErrorCode code : values()) {
            if (code.wireValue == value) {
                return code;
            }
        }
        return null;
    }
}
