package ar.loteria.server.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The bets file: one CSV row per bet (agency, nombre, apellido, documento, nacimiento, numero),
 * appended batch by batch. A row never spans lines (names hold no line breaks, see BetRules),
 * so every '\n' ends a row, and bytes after the last '\n' are a row a crash cut short.
 * Not thread-safe: {@link FileBetStore} serialises access.
 */
final class BetFile implements Closeable {
    private final FileChannel channel;
    private final boolean fsync;
    /** Where the next batch goes: the end of the last whole row. */
    private long end;

    private BetFile(FileChannel channel, boolean fsync, long end) {
        this.channel = channel;
        this.fsync = fsync;
        this.end = end;
    }

    /**
     * What opening found: the rows each agency has, the text of each agency's last row (null when
     * it has none), and the bytes of a torn last row that were cut off.
     */
    record Opened(BetFile file, long[] rowsPerAgency, String[] lastRowPerAgency, long tornBytes) {
    }

    /**
     * Opens (or creates) the file and counts each agency's rows. A torn last row is cut off. A
     * row of an agency outside 1..{@code agencies} is refused: that file is another round's.
     */
    static Opened open(Path path, int agencies, boolean fsync, ChannelOpener opener)
            throws IOException, StorageException {
        FileChannel channel = opener.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        try {
            long[] rows = new long[agencies + 1];
            // Each agency's last row so far, copied into a buffer of its own (no allocation per row).
            byte[][] lastRow = new byte[agencies + 1][];
            int[] lastLength = new int[agencies + 1];
            // The first row outside 1..agencies (its line and agency), and what the whole file holds
            // (rows, highest agency): the refusal of another round's file says what it found.
            long[] bad = {0, 0};
            long[] found = {0, 0};
            long end = LineScanner.scan(channel, (bytes, start, stop, line) -> {
                int agency = leadingNumber(bytes, start, stop);
                found[0]++;
                found[1] = Math.max(found[1], agency);
                if (agency < 1 || agency > agencies) {
                    if (bad[0] == 0) {
                        bad[0] = line;
                        bad[1] = agency;
                    }
                    return;
                }
                rows[agency]++;
                if (lastRow[agency] == null || lastRow[agency].length < stop - start) {
                    lastRow[agency] = new byte[Math.max(256, stop - start)];
                }
                System.arraycopy(bytes, start, lastRow[agency], 0, stop - start);
                lastLength[agency] = stop - start;
            });
            if (bad[0] != 0 && bad[1] < 1) {
                throw new StorageException(path + " line " + bad[0] + ": not a bet row (it does not start with an"
                        + " agency number)");
            }
            if (bad[0] != 0) {
                throw new StorageException(path + " line " + bad[0] + ": a bet of agency " + bad[1] + ", but this round"
                        + " has agencies 1.." + agencies + ": the directory holds another round (found " + found[0]
                        + " bet(s), of agencies up to " + found[1] + "); " + FileBetStore.NEW_ROUND);
            }
            long torn = channel.size() - end;
            if (torn > 0) {
                channel.truncate(end);
                channel.force(true);
            }
            String[] lastRowText = new String[agencies + 1];
            for (int agency = 1; agency <= agencies; agency++) {
                if (lastRow[agency] != null) {
                    lastRowText[agency] = new String(lastRow[agency], 0, lastLength[agency], StandardCharsets.UTF_8);
                }
            }
            return new Opened(new BetFile(channel, fsync, end), rows, lastRowText, torn);
        } catch (IOException | StorageException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The agency column: the digits before the first comma, or -1. */
    static int leadingNumber(byte[] bytes, int start, int stop) {
        int value = 0;
        int i = start;
        for (; i < stop && bytes[i] != ','; i++) {
            if (bytes[i] < '0' || bytes[i] > '9' || i - start >= 9) { // more than 9 digits could overflow an int
                return -1;
            }
            value = value * 10 + (bytes[i] - '0');
        }
        return i == start || i == stop ? -1 : value;
    }

    /**
     * Appends whole rows and returns once they are written (and on disk, with fsync). If the
     * write fails, the file is cut back to where it was: the rows are stored entirely or not at all.
     */
    void append(byte[] rows) throws IOException {
        ByteBuffer buffer = ByteBuffer.wrap(rows);
        long position = end;
        try {
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
            if (fsync) {
                channel.force(false);
            }
        } catch (IOException e) {
            channel.truncate(end);
            throw e;
        }
        end = position;
    }

    /** Puts every written row on disk. */
    void force() throws IOException {
        channel.force(false);
    }

    /** Hands every row to {@code consumer}, front to back. */
    void scan(LineScanner.LineConsumer consumer) throws IOException {
        LineScanner.scan(channel, consumer);
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
