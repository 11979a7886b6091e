package ar.loteria.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * Finds the lines of a file that end with a given byte suffix of at most 8 bytes (the suffix
 * ends with the '\n'). Memory is one fixed chunk, whatever the size of the file.
 *
 * <p>The draw runs while every agency waits for it, on a file of 0.4 GB at N=100, so the scan
 * is word-at-a-time: it looks for the line breaks eight bytes at a time (the SWAR "has zero
 * byte" test on the word XOR '\n' in every byte) and compares the bytes before each line break
 * with the suffix in one masked 64-bit comparison. Chunks are read into a direct buffer, so
 * the file's bytes are copied once, by the kernel. Nothing but a matching line is decoded.
 */
final class SuffixScanner {
    static final int CHUNK = 1 << 20;
    private static final long LOW_7_BITS = 0x7F7F7F7F7F7F7F7FL;
    private static final long NEWLINES = 0x0A0A0A0A0A0A0A0AL;

    private SuffixScanner() {
    }

    /** Calls {@code onLine} with each matching line (UTF-8 decoded, without its line break). */
    static void scanLines(FileChannel in, byte[] suffix, Consumer<String> onLine) throws IOException {
        scanLines(in, suffix, onLine, CHUNK);
    }

    /** As above, with a given initial chunk size (tests use tiny ones to cross every boundary). */
    static void scanLines(FileChannel in, byte[] suffix, Consumer<String> onLine, int chunkSize) throws IOException {
        Matcher matcher = new Matcher(suffix, onLine);
        ByteBuffer chunk = ByteBuffer.allocateDirect(chunkSize).order(ByteOrder.LITTLE_ENDIAN);
        while (true) {
            if (!chunk.hasRemaining()) {
                // one line longer than a chunk: grow (only for such a line; rows are short)
                ByteBuffer larger = ByteBuffer.allocateDirect(chunk.capacity() * 2).order(ByteOrder.LITTLE_ENDIAN);
                chunk.flip();
                larger.put(chunk);
                chunk = larger;
            }
            if (in.read(chunk) < 0) {
                break;
            }
            int filled = chunk.position();
            int complete = lastNewline(chunk, filled) + 1; // bytes holding whole lines
            if (complete == 0) {
                continue;
            }
            matcher.search(chunk, complete);
            chunk.limit(filled).position(complete);
            chunk.compact();
        }
        // A last line without '\n' cannot end with the suffix, which includes one.
    }

    private static int lastNewline(ByteBuffer data, int end) {
        for (int i = end - 1; i >= 0; i--) {
            if (data.get(i) == '\n') {
                return i;
            }
        }
        return -1;
    }

    /** The suffix as the last bytes of a little-endian word, and what to do with a match. */
    private static final class Matcher {
        private final byte[] suffix;
        private final long bits;
        private final long mask;
        private final Consumer<String> onLine;

        Matcher(byte[] suffix, Consumer<String> onLine) {
            if (suffix.length == 0 || suffix.length > Long.BYTES || suffix[suffix.length - 1] != '\n') {
                throw new IllegalArgumentException("the suffix must be 1 to 8 bytes ending with a line break");
            }
            this.suffix = suffix.clone();
            this.onLine = onLine;
            long bits = 0;
            for (byte b : suffix) {
                bits = bits >>> 8 | (long) (b & 0xFF) << 56;
            }
            this.bits = bits;
            this.mask = -1L << (8 * (Long.BYTES - suffix.length));
        }

        /** Every line of {@code data[0, length)}; {@code length} is just past a line break. */
        void search(ByteBuffer data, int length) {
            int i = 0;
            for (; i + Long.BYTES <= length; i += Long.BYTES) {
                long word = data.getLong(i) ^ NEWLINES;
                // 0x80 in each byte of the word that was '\n', 0 elsewhere (exact, no borrow).
                long breaks = ~((word & LOW_7_BITS) + LOW_7_BITS | word | LOW_7_BITS);
                while (breaks != 0) {
                    lineEnd(data, i + (Long.numberOfTrailingZeros(breaks) >>> 3));
                    breaks &= breaks - 1;
                }
            }
            for (; i < length; i++) {
                if (data.get(i) == '\n') {
                    lineEnd(data, i);
                }
            }
        }

        private void lineEnd(ByteBuffer data, int newline) {
            int first = newline + 1 - suffix.length; // where the suffix would start
            if (first < 0) {
                return;
            }
            boolean matches;
            if (newline >= Long.BYTES - 1) {
                matches = (data.getLong(newline - (Long.BYTES - 1)) & mask) == bits;
            } else {
                matches = true;
                for (int k = 0; matches && k < suffix.length; k++) {
                    matches = data.get(first + k) == suffix[k];
                }
            }
            if (matches) {
                int start = lastNewline(data, first) + 1;
                byte[] line = new byte[newline - start];
                data.get(start, line);
                onLine.accept(new String(line, StandardCharsets.UTF_8));
            }
        }
    }
}
