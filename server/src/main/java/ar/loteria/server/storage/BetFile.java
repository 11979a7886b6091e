package ar.loteria.server.storage;

import java.io.Closeable;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The bets file: one CSV row per bet (agency, nombre, apellido, documento, nacimiento, numero),
 * appended batch by batch. A row never spans lines (names hold no line breaks, see BetRules),
 * so every '\n' ends a row, and bytes after the last '\n' are a row a crash cut short.
 * <p>
 * {@link FileBetStore} serialises appends and scans. Putting rows on disk is a group commit and
 * safe from any thread: an appender waits, outside the store's lock, until its rows are on disk;
 * one fsync serves every row written before it started, so the batches that wait while one fsync
 * runs share the next.
 */
final class BetFile implements Closeable {
    private final FileChannel channel;
    private final boolean fsync;
    /** Where the next batch goes: the end of the last whole row. Read by the fsync outside the store's lock. */
    private volatile long end;
    private final ReentrantLock syncLock = new ReentrantLock();
    private final Condition synced = syncLock.newCondition();
    /** How far the file is known to be on disk (guarded by syncLock; it only grows). */
    private long durable;
    /** Whether an fsync is running (guarded by syncLock). */
    private boolean syncing;
    /**
     * Set when an fsync fails, or a failed write cannot be cut back, after which nothing more is
     * stored: which rows are on disk is then unknown (Linux may drop the unwritten pages and report
     * the error once), so only a restart, which recovers the round from what the disk holds, can go on.
     */
    private volatile Failure stateUnknown;

    /** What failed ("an fsync of the bets file"), and how. */
    private record Failure(String what, IOException cause) {
    }

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
            RowCount count = new RowCount(agencies);
            long end = LineScanner.scan(channel, count);
            count.refuseAnotherRound(path);
            long torn = channel.size() - end;
            if (torn > 0) {
                channel.truncate(end);
                channel.force(true);
            }
            return new Opened(new BetFile(channel, fsync, end), count.rows, count.lastRows(), torn);
        } catch (IOException | StorageException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    /** The scan of the file at opening: each agency's rows and last row, and any row outside 1..agencies. */
    private static final class RowCount implements LineScanner.LineConsumer {
        private final int agencies;
        private final long[] rows;
        /** Each agency's last row so far, copied into a buffer of its own (no allocation per row). */
        private final byte[][] lastRow;
        private final int[] lastLength;
        /** The first row outside 1..agencies: its line and agency (0 when there is none). */
        private long badLine;
        private int badAgency;
        /** What the whole file holds, for the refusal of another round's file: rows, highest agency. */
        private long allRows;
        private int highestAgency;

        RowCount(int agencies) {
            this.agencies = agencies;
            this.rows = new long[agencies + 1];
            this.lastRow = new byte[agencies + 1][];
            this.lastLength = new int[agencies + 1];
        }

        @Override
        public void line(byte[] bytes, int start, int stop, long line) {
            int agency = leadingNumber(bytes, start, stop);
            allRows++;
            highestAgency = Math.max(highestAgency, agency);
            if (agency < 1 || agency > agencies) {
                if (badLine == 0) {
                    badLine = line;
                    badAgency = agency;
                }
                return;
            }
            rows[agency]++;
            if (lastRow[agency] == null || lastRow[agency].length < stop - start) {
                lastRow[agency] = new byte[Math.max(256, stop - start)];
            }
            System.arraycopy(bytes, start, lastRow[agency], 0, stop - start);
            lastLength[agency] = stop - start;
        }

        /** A row outside 1..agencies: the file is not a bets file, or another round's. */
        void refuseAnotherRound(Path path) throws StorageException {
            if (badLine != 0 && badAgency < 1) {
                throw new StorageException(path + " line " + badLine + ": not a bet row (it does not start with an"
                        + " agency number)");
            }
            if (badLine != 0) {
                throw new StorageException(path + " line " + badLine + ": a bet of agency " + badAgency + ", but this"
                        + " round has agencies 1.." + agencies + ": the directory holds another round (found " + allRows
                        + " bet(s), of agencies up to " + highestAgency + "); " + FileBetStore.NEW_ROUND);
            }
        }

        String[] lastRows() {
            String[] text = new String[agencies + 1];
            for (int agency = 1; agency <= agencies; agency++) {
                if (lastRow[agency] != null) {
                    text[agency] = new String(lastRow[agency], 0, lastLength[agency], StandardCharsets.UTF_8);
                }
            }
            return text;
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
     * Appends whole rows and returns the file's end after them, once they are written (not yet on
     * disk: {@link #awaitOnDisk}). If the write fails, the file is cut back to where it was: the
     * rows are stored entirely or not at all. If the cut fails too, nothing more is stored until a restart.
     */
    long append(byte[] rows) throws IOException {
        refuseWhenStateUnknown();
        long position;
        try {
            position = WholeWrites.append(channel, end, ByteBuffer.wrap(rows));
        } catch (WholeWrites.NotUndone e) {
            // Rows past the end would be read by the draw and counted by the recovery.
            stateUnknown = new Failure("a write to the bets file failed and could not be undone", e.write());
            refuseWhenStateUnknown();
            throw e;
        }
        end = position;
        return position;
    }

    /** The end of the last whole row. */
    long end() {
        return end;
    }

    /** With fsync, returns once the file is on disk up to {@code position}; without, at once. */
    void awaitOnDisk(long position) throws IOException {
        if (fsync) {
            syncTo(position);
        }
    }

    /** Puts every written row on disk, with or without fsync per batch. */
    void force() throws IOException {
        syncTo(end);
    }

    /**
     * Group commit: returns once the file is on disk up to {@code position}. The first caller to
     * find no fsync running runs one, for everything written so far; the others wait for it and,
     * if their rows came after it started, run the next one.
     */
    private void syncTo(long position) throws IOException {
        syncLock.lock();
        try {
            while (durable < position) {
                refuseWhenStateUnknown();
                if (syncing) {
                    synced.awaitUninterruptibly();
                    continue;
                }
                syncing = true;
                long target = end;
                IOException failure = null;
                syncLock.unlock();
                try {
                    channel.force(false);
                } catch (IOException e) {
                    failure = e;
                } finally {
                    syncLock.lock();
                    syncing = false;
                    if (failure != null) {
                        stateUnknown = new Failure("an fsync of the bets file failed", failure);
                    }
                    synced.signalAll();
                }
                refuseWhenStateUnknown();
                durable = Math.max(durable, target);
            }
        } finally {
            syncLock.unlock();
        }
    }

    private void refuseWhenStateUnknown() throws IOException {
        Failure failure = stateUnknown;
        if (failure != null) {
            throw new IOException(failure.what() + " (" + failure.cause().getMessage() + "), so which of its rows are on"
                    + " disk is unknown: nothing more is stored until the central restarts and recovers the round from"
                    + " the disk", failure.cause());
        }
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
