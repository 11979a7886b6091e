package ar.loteria.protocol.runtime;

/** Implemented by every generated message type. */
public interface Message {
    /** The opcode declared for this message in the IDL. */
    int opcode();

    /** The message name as declared in the IDL. */
    String messageName();
}
