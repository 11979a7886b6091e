package ar.loteria.protocol.runtime;

/** A frame carried an opcode that no message of the protocol declares. */
public final class UnknownOpcodeException extends ProtocolException {
    private final int opcode;

    public UnknownOpcodeException(int opcode) {
        super(ErrorCode.UNKNOWN_OPCODE, null, null, String.format("unknown opcode 0x%02x (%d)", opcode, opcode));
        this.opcode = opcode;
    }

    public int opcode() {
        return opcode;
    }
}
