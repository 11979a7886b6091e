package ar.loteria.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * How the bets file and the journal append: whole or not at all. A write that fails (a full
 * disk) is cut back to where it began, so that it may be tried again; when the cut fails too,
 * what the file holds past that point is unknown, and the caller stops writing until a restart.
 */
final class WholeWrites {
    /** A write failed and cutting it back failed too; its cause is the write's failure. */
    static final class NotUndone extends IOException {
        NotUndone(IOException write) {
            super(write.getMessage(), write);
        }

        IOException write() {
            return (IOException) getCause();
        }
    }

    private WholeWrites() {
    }

    /** Writes every byte of {@code bytes} at {@code start}; returns where they end. */
    static long append(FileChannel channel, long start, ByteBuffer bytes) throws IOException {
        long position = start;
        try {
            while (bytes.hasRemaining()) {
                position += channel.write(bytes, position);
            }
        } catch (IOException e) {
            try {
                channel.truncate(start);
            } catch (IOException cut) {
                e.addSuppressed(cut);
                throw new NotUndone(e);
            }
            throw e;
        }
        return position;
    }
}
