package ar.loteria.protocol.runtime;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Reads whole frames from a stream, however the bytes are split across reads. It buffers the
 * stream itself (give it the socket's own stream, not a BufferedInputStream): each read asks for
 * as many bytes as the buffer holds, so a frame usually arrives in one call, header and body
 * together. The buffer grows only to a frame length whose header was accepted, never past the
 * maximum frame. Not thread-safe: one reader per connection.
 */
public final class FrameReader {
    private static final int INITIAL_BUFFER = 16 * 1024;

    private final InputStream in;
    private final FrameCodec codec;
    private byte[] buffer;
    /** Unread bytes are {@code buffer[start, end)}. */
    private int start;
    private int end;

    public FrameReader(InputStream in, FrameCodec codec) {
        this.in = in;
        this.codec = codec;
        this.buffer = new byte[Math.max(FrameCodec.HEADER_SIZE, Math.min(INITIAL_BUFFER, codec.maxFrameBytes()))];
    }

    /**
     * The next message, or null when the stream ended cleanly between frames.
     *
     * @throws TruncatedFrameException when the stream ends inside a frame
     * @throws ProtocolException for any frame the codec refuses
     */
    public Message read() throws IOException, ProtocolException {
        if (!fill(FrameCodec.HEADER_SIZE)) {
            if (end == start) {
                return null;
            }
            throw new TruncatedFrameException(codec.protocol().nameOf(buffer[start] & 0xFF), FrameCodec.HEADER_SIZE,
                    end - start);
        }
        int opcode = buffer[start] & 0xFF;
        int bodyLength = codec.checkHeader(opcode, ByteBuffer.wrap(buffer, start + 1, 4).getInt());
        int frameLength = FrameCodec.HEADER_SIZE + bodyLength;
        if (!fill(frameLength)) {
            throw new TruncatedFrameException(codec.protocol().nameOf(opcode), frameLength, end - start);
        }
        ByteBuffer body = ByteBuffer.wrap(buffer, start + FrameCodec.HEADER_SIZE, bodyLength).slice();
        start += frameLength;
        // Decoding copies what it keeps (strings, ints), so the buffer may be reused by the next read.
        return codec.decodeBody(opcode, body);
    }

    /**
     * Makes {@code needed} unread bytes available, reading as many as the stream offers at once;
     * false if the stream ends first. {@code needed} has passed the header check, so growing to it
     * is bounded by the maximum frame.
     */
    private boolean fill(int needed) throws IOException {
        while (end - start < needed) {
            if (end == buffer.length) {
                makeRoom(needed);
            }
            int n = in.read(buffer, end, buffer.length - end);
            if (n < 0) {
                return false;
            }
            end += n;
        }
        return true;
    }

    /**
     * Room for the next read: the bytes already decoded are dropped, and the buffer at most
     * doubles, so a frame's declared length is allocated only as its bytes arrive (a hostile
     * header alone never causes a large allocation).
     */
    private void makeRoom(int needed) {
        if (start > 0) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        if (end == buffer.length) {
            buffer = Arrays.copyOf(buffer, Math.min(needed, buffer.length * 2));
        }
    }
}
