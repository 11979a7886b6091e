package ar.loteria.protocol.runtime;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Writes whole frames, each with a single {@code write} call, through a reused buffer that grows
 * when a frame does not fit.
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
        int size;
        while (true) {
            try {
                size = codec.encode(message, ByteBuffer.wrap(buffer));
                break;
            } catch (BufferOverflowException e) {
                // Rare (a batch fits the first buffer): grow to the exact size and encode again.
                buffer = new byte[Math.max(codec.frameSize(message), buffer.length * 2)];
            }
        }
        out.write(buffer, 0, size);
        out.flush();
        return size;
    }
}
