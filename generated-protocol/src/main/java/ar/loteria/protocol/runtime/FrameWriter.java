package ar.loteria.protocol.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * Writes whole frames, each with a single {@code write} call, through a reused buffer.
 * Not thread-safe: one writer per connection.
 */
public final class FrameWriter {
    private final OutputStream out;
    private final FrameCodec codec;
    private byte[] buffer = new byte[8192];

    public FrameWriter(OutputStream out, FrameCodec codec) {
        this.out = out;
        this.codec = codec;
    }

    /** Writes and flushes one frame; returns its size in bytes. */
    public int write(Message message) throws IOException {
        int size = codec.frameSize(message);
        if (buffer.length < size) {
            buffer = new byte[Math.max(size, buffer.length * 2)];
        }
        codec.encode(message, ByteBuffer.wrap(buffer, 0, size));
        out.write(buffer, 0, size);
        out.flush();
        return size;
    }
}
