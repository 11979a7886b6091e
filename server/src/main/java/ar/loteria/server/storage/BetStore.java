package ar.loteria.server.storage;

import java.io.BufferedReader;
import java.io.Closeable;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Consumer;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The bets file: one CSV row per bet, appended batch by batch. A {@link ReadWriteLock} guards
 * it: appends take the write lock (one batch at a time, so batches never interleave), the draw
 * takes the read lock while it streams the file back.
 *
 * <p>Each batch is written with one positional write of all its rows, then the file is
 * "flushed" (the bytes are in the operating system; with fsync enabled, on the disk). If the
 * write fails the file is truncated back to the previous batch's end, so a batch is stored
 * entirely or not at all. A new store starts a new round: an existing file is truncated.
 */
public final class BetStore implements Closeable {
    static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    /** Checked under the write lock, so that nothing can change what it checks until the write ends. */
    @FunctionalInterface
    public interface AppendGuard {
        void check() throws BatchRefusedException;
    }

    private final Path path;
    private final boolean fsync;
    private final FileChannel channel;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private long committedBytes;
    private long storedBets;

    private BetStore(Path path, boolean fsync, FileChannel channel) {
        this.path = path;
        this.fsync = fsync;
        this.channel = channel;
    }

    public static BetStore open(Path path, boolean fsync) throws IOException {
        Path parent = path.toAbsolutePath().getParent();
        if (parent != null) {
            Files.createDirectories(parent);
        }
        FileChannel channel = FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING);
        return new BetStore(path, fsync, channel);
    }

    public Path path() {
        return path;
    }

    /**
     * Appends one encoded batch, if {@code guard} allows it. Returns only once the rows are
     * written and flushed.
     */
    public void append(EncodedRows rows, AppendGuard guard) throws IOException, BatchRefusedException {
        lock.writeLock().lock();
        try {
            guard.check();
            ByteBuffer buffer = ByteBuffer.wrap(rows.bytes(), 0, rows.length());
            long position = committedBytes;
            try {
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                if (fsync) {
                    channel.force(false);
                }
            } catch (IOException e) {
                channel.truncate(committedBytes);
                throw e;
            }
            committedBytes = position;
            storedBets += rows.bets();
        } finally {
            lock.writeLock().unlock();
        }
    }

    public long storedBets() {
        lock.readLock().lock();
        try {
            return storedBets;
        } finally {
            lock.readLock().unlock();
        }
    }

    /** Streams every stored bet, in file order. Memory does not grow with the file. */
    public void forEach(Consumer<StoredBet> consumer) throws IOException {
        lock.readLock().lock();
        try (BufferedReader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get()) {
            for (CSVRecord record : parser) {
                consumer.accept(toBet(record));
            }
        } finally {
            lock.readLock().unlock();
        }
    }

    /**
     * Streams the stored bets that played {@code number}, reading the file in fixed-size chunks.
     * Rows never span lines (names with line breaks are refused before storage) and the number
     * is the last, never quoted, column, so a bet played {@code number} exactly when its line ends
     * with ",number\n". The scan looks for those bytes ({@link SuffixScanner}) without decoding
     * the other lines; only matching lines are parsed, with commons-csv.
     */
    public void forEachWithNumber(int number, Consumer<StoredBet> consumer) throws IOException {
        lock.readLock().lock();
        try (FileChannel in = FileChannel.open(path, StandardOpenOption.READ)) {
            SuffixScanner.scanLines(in, ("," + number + "\n").getBytes(StandardCharsets.US_ASCII), line -> {
                try (CSVParser parser = CSVParser.builder().setReader(new StringReader(line)).setFormat(FORMAT).get()) {
                    for (CSVRecord record : parser) {
                        consumer.accept(toBet(record));
                    }
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
        } catch (java.io.UncheckedIOException e) {
            throw e.getCause();
        } finally {
            lock.readLock().unlock();
        }
    }

    private static StoredBet toBet(CSVRecord record) {
        return new StoredBet(Integer.parseInt(record.get(0)), record.get(1), record.get(2), record.get(3),
                record.get(4), Integer.parseInt(record.get(5)));
    }

    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try {
            channel.close();
        } finally {
            lock.writeLock().unlock();
        }
    }
}
