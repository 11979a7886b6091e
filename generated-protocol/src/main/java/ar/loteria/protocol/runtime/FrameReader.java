package ar.loteria.protocol.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;

/**
 * Reads whole frames from a stream, however the bytes are split across reads. The body buffer
 * is reused and grows only to a length whose header was accepted, never past the maximum frame.
 * Not thread-safe: one reader per connection.
 */
public final class FrameReader {
    private static final int INITIAL_BUFFER = 8192;

    private final InputStream in;
    private final FrameCodec codec;
    private final byte[] header = new byte[FrameCodec.HEADER_SIZE];
    private byte[] body;

    public FrameReader(InputStream in, FrameCodec codec) {
        this.in = in;
        this.codec = codec;
        this.body = new byte[Math.min(INITIAL_BUFFER, codec.maxFrameBytes())];
    }

    /**
     * The next message, or null when the stream ended cleanly between frames.
     *
     * @throws TruncatedFrameException when the stream ends inside a frame
     * @throws ProtocolException for any frame the codec refuses
     */
    public Message read() throws IOException, ProtocolException {
        int got = readUpTo(header, FrameCodec.HEADER_SIZE);
        if (got == 0) {
            return null;
        }
        int opcode = header[0] & 0xFF;
        if (got < FrameCodec.HEADER_SIZE) {
            throw new TruncatedFrameException(codec.protocol().nameOf(opcode), FrameCodec.HEADER_SIZE, got);
        }
        int bodyLength = codec.checkHeader(opcode, ByteBuffer.wrap(header, 1, 4).getInt());
        if (body.length < bodyLength) {
            body = new byte[Math.max(bodyLength, Math.min(body.length * 2, codec.maxFrameBytes()))];
        }
        int bodyGot = readUpTo(body, bodyLength);
        if (bodyGot < bodyLength) {
            throw new TruncatedFrameException(codec.protocol().nameOf(opcode),
                    FrameCodec.HEADER_SIZE + bodyLength, FrameCodec.HEADER_SIZE + bodyGot);
        }
        return codec.decodeBody(opcode, ByteBuffer.wrap(body, 0, bodyLength).slice());
    }

    private int readUpTo(byte[] target, int length) throws IOException {
        int total = 0;
        while (total < length) {
            int n = in.read(target, total, length - total);
            if (n < 0) {
                break;
            }
            total += n;
        }
        return total;
    }
}
