package ar.loteria.protocol.runtime;

import java.nio.ByteBuffer;

/**
 * Codec of one message body (the bytes after the 5-byte frame header). Generated, one per
 * message; {@link FrameCodec} adds the header.
 */
public interface MessageCodec<T extends Message> {
    int opcode();

    /** Exact number of body bytes {@link #encodeBody} writes for {@code message}. */
    int bodySize(T message);

    /** Writes the body at {@code out}'s position; {@code out} must have {@link #bodySize} bytes left. */
    void encodeBody(T message, ByteBuffer out);

    /**
     * Decodes a whole body: {@code body} holds exactly the bytes the frame declared. Never reads
     * past its limit, and refuses any byte left over after the last field.
     */
    T decodeBody(ByteBuffer body) throws ProtocolException;
}
