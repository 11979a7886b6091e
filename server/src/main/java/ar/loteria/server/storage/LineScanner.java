package ar.loteria.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Arrays;

/**
 * Reads a file of '\n'-terminated lines front to back, in chunks, handing each complete line
 * to a consumer as bytes (the '\n' left out). Memory holds one chunk, whatever the file's size.
 */
final class LineScanner {
    private static final int CHUNK = 64 * 1024;

    /** Gets each line as {@code bytes[start, end)}, numbered from 1; valid only during the call. */
    @FunctionalInterface
    interface LineConsumer {
        void line(byte[] bytes, int start, int end, long number) throws IOException;
    }

    private LineScanner() {
    }

    /**
     * Hands every complete line of {@code file} to {@code consumer} and returns the offset just
     * past the last '\n': whatever follows it is a line that was never finished.
     */
    static long scan(FileChannel file, LineConsumer consumer) throws IOException {
        byte[] buffer = new byte[CHUNK];
        long bufferStart = 0; // file offset of buffer[0]
        int filled = 0;
        long lineNumber = 0;
        while (true) {
            if (filled == buffer.length) {
                buffer = Arrays.copyOf(buffer, buffer.length * 2); // a line longer than a chunk
            }
            int read = file.read(ByteBuffer.wrap(buffer, filled, buffer.length - filled), bufferStart + filled);
            if (read < 0) {
                return bufferStart;
            }
            int lineStart = 0;
            for (int i = filled; i < filled + read; i++) {
                if (buffer[i] == '\n') {
                    consumer.line(buffer, lineStart, i, ++lineNumber);
                    lineStart = i + 1;
                }
            }
            filled += read;
            System.arraycopy(buffer, lineStart, buffer, 0, filled - lineStart);
            bufferStart += lineStart;
            filled -= lineStart;
        }
    }
}
