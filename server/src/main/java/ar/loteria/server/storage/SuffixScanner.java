package ar.loteria.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Finds the lines of a file that end with a given byte suffix (the suffix includes the '\n'),
 * with a Boyer-Moore-Horspool search: most bytes are skipped, none is decoded. Memory is one
 * fixed chunk, whatever the size of the file.
 */
final class SuffixScanner {
    static final int CHUNK = 1 << 20;

    private SuffixScanner() {
    }

    /** Calls {@code onLine} with each matching line (UTF-8 decoded, without its line break). */
    static void scanLines(FileChannel in, byte[] suffix, Consumer<String> onLine) throws IOException {
        scanLines(in, suffix, onLine, CHUNK);
    }

    /** As above, with a given initial chunk size (tests use tiny ones to cross every boundary). */
    static void scanLines(FileChannel in, byte[] suffix, Consumer<String> onLine, int chunkSize) throws IOException {
        int[] skip = new int[256];
        java.util.Arrays.fill(skip, suffix.length);
        for (int i = 0; i < suffix.length - 1; i++) {
            skip[suffix[i] & 0xFF] = suffix.length - 1 - i;
        }
        byte[] chunk = new byte[chunkSize];
        int filled = 0;
        while (true) {
            if (filled == chunk.length) {
                // one line longer than a chunk: grow (only for such a line; rows are short)
                chunk = java.util.Arrays.copyOf(chunk, chunk.length * 2);
            }
            int read = in.read(ByteBuffer.wrap(chunk, filled, chunk.length - filled));
            if (read < 0) {
                break;
            }
            filled += read;
            int lastNewline = lastIndexOf(chunk, (byte) '\n', filled);
            if (lastNewline < 0) {
                continue;
            }
            int complete = lastNewline + 1; // bytes holding whole lines
            search(chunk, complete, suffix, skip, onLine);
            System.arraycopy(chunk, complete, chunk, 0, filled - complete);
            filled -= complete;
        }
        // A last line without '\n' cannot end with the suffix, which includes one.
    }

    private static void search(byte[] data, int length, byte[] suffix, int[] skip, Consumer<String> onLine) {
        int last = suffix.length - 1;
        int position = 0;
        while (position + last < length) {
            int i = last;
            while (i >= 0 && data[position + i] == suffix[i]) {
                i--;
            }
            if (i < 0) {
                int end = position + last; // the '\n'
                int start = lastIndexOf(data, (byte) '\n', position) + 1;
                onLine.accept(new String(data, start, end - start, StandardCharsets.UTF_8));
                position += suffix.length;
            } else {
                position += skip[data[position + last] & 0xFF];
            }
        }
    }

    /** Index of the last {@code value} before {@code end}, or -1. */
    private static int lastIndexOf(byte[] data, byte value, int end) {
        for (int i = end - 1; i >= 0; i--) {
            if (data[i] == value) {
                return i;
            }
        }
        return -1;
    }
}
