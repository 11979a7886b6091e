package ar.loteria.protocol.runtime;

/** A frame carried an opcode that no message of the protocol declares. */
public final class UnknownOpcodeException extends ProtocolException {
    public UnknownOpcodeException(int opcode) {
        super(Kind.UNKNOWN_OPCODE, null, null, String.format("unknown opcode 0x%02x (%d)", opcode, opcode));
    }
}
