package ar.loteria.protocol.runtime;

/** The message set of one IDL file: generated as {@code <Name>Protocol}. */
public interface Protocol {
    /** The codec of an opcode; throws for an opcode the IDL does not declare. */
    MessageCodec<? extends Message> codec(int opcode) throws UnknownOpcodeException;

    /** The codec of a message instance of this protocol. */
    <T extends Message> MessageCodec<T> codecOf(T message);

    /** The name of the message with this opcode, or null when there is none. */
    String nameOf(int opcode);

    /**
     * A hash of what decides the bytes on the wire (opcodes, field order and types), generated
     * from the IDL: two peers with the same fingerprint speak the same protocol.
     */
    String fingerprint();
}
