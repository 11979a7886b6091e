package ar.loteria.server.storage;

import static ar.loteria.server.storage.BetStoreContract.ANA;
import static ar.loteria.server.storage.BetStoreContract.BETO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.server.storage.BetStore.Appended;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files on a disk that fails under them: a write cut short by a full disk, a cut back that
 * fails too, an fsync that fails. A write that is undone may be sent again; after a failure that
 * leaves the disk's state unknown nothing more is stored or recorded, and a restart recovers the
 * round from what the disk holds. Either way the files stay readable by the next start.
 */
class FailingDiskTest {
    private static final String NO_SPACE = "No space left on device";

    @TempDir
    Path dir;

    /** Set by a test: the next write to the failing file writes half its bytes, and the one after fails. */
    private final AtomicBoolean failNextWrite = new AtomicBoolean();
    private final AtomicBoolean halfWritten = new AtomicBoolean();
    private final AtomicBoolean failTruncates = new AtomicBoolean();
    private final AtomicBoolean failFsyncs = new AtomicBoolean();
    private final AtomicInteger fsyncs = new AtomicInteger();

    /** Opens the store with {@code file} (the bets file or the journal) on the failing disk. */
    private FileBetStore open(String file, int agencies) throws Exception {
        return FileBetStore.open(dir, agencies, false, (path, options) -> {
            FileChannel channel = FileChannel.open(path, options);
            return !path.getFileName().toString().equals(file) ? channel : new ForwardingFileChannel(channel) {
                @Override
                public int write(ByteBuffer source) throws IOException {
                    return fullDisk(source, delegate::write);
                }

                @Override
                public int write(ByteBuffer source, long position) throws IOException {
                    return fullDisk(source, bytes -> delegate.write(bytes, position));
                }

                @Override
                public FileChannel truncate(long size) throws IOException {
                    if (failTruncates.get()) {
                        throw new IOException("Read-only file system");
                    }
                    return delegate.truncate(size);
                }

                @Override
                public void force(boolean metaData) throws IOException {
                    fsyncs.incrementAndGet();
                    if (failFsyncs.get()) {
                        throw new IOException("Input/output error");
                    }
                    delegate.force(metaData);
                }
            };
        });
    }

    private interface Write {
        int to(ByteBuffer source) throws IOException;
    }

    /** When armed: a short write of half the bytes, then a full disk at the next call, as the kernel reports it. */
    private int fullDisk(ByteBuffer source, Write write) throws IOException {
        if (failNextWrite.compareAndSet(true, false)) {
            int limit = source.limit();
            source.limit(source.position() + Math.max(1, source.remaining() / 2));
            int written = write.to(source);
            source.limit(limit);
            halfWritten.set(true);
            return written;
        }
        if (halfWritten.compareAndSet(true, false)) {
            throw new IOException(NO_SPACE);
        }
        return write.to(source);
    }

    @Test
    void aBatchCutShortByAFullDiskIsUndoneAndStoredWhenSentAgain() throws Exception {
        try (FileBetStore store = open(FileBetStore.BETS_FILE, 1)) {
            store.append(1, 0, List.of(ANA));
            long size = Files.size(dir.resolve(FileBetStore.BETS_FILE));
            failNextWrite.set(true);
            assertEquals(NO_SPACE, assertThrows(IOException.class, () -> store.append(1, 1, List.of(BETO))).getMessage());
            assertEquals(size, Files.size(dir.resolve(FileBetStore.BETS_FILE)), "half a row was left in the file");
            assertEquals(1, store.storedBets(1));
            assertEquals(new Appended.Stored(1, 2), store.append(1, 1, List.of(BETO)), "the agency sends it again");
        }
        try (FileBetStore store = FileBetStore.open(dir, 1, false)) {
            assertEquals(new BetStore.Recovery(2, 0, false, 0, 0), store.recovery());
        }
    }

    @Test
    void aFailedWriteThatCannotBeUndoneStopsTheStoreUntilARestart() throws Exception {
        String unknown = "a write to the bets file failed and could not be undone (" + NO_SPACE + "), so which of its"
                + " rows are on disk is unknown: nothing more is stored until the central restarts and recovers the"
                + " round from the disk";
        try (FileBetStore store = open(FileBetStore.BETS_FILE, 2)) {
            store.append(1, 0, List.of(ANA));
            failNextWrite.set(true);
            failTruncates.set(true);
            assertEquals(unknown, assertThrows(IOException.class, () -> store.append(1, 1, List.of(BETO))).getMessage());
            long size = Files.size(dir.resolve(FileBetStore.BETS_FILE));
            failTruncates.set(false);
            assertEquals(unknown, assertThrows(IOException.class, () -> store.append(2, 0, List.of(BETO))).getMessage());
            assertThrows(IOException.class, () -> store.finish(1), "a draw could read the half row");
            assertEquals(size, Files.size(dir.resolve(FileBetStore.BETS_FILE)), "written after the failure");
        }
        try (FileBetStore store = FileBetStore.open(dir, 2, false)) {
            assertTrue(store.recovery().tornBetBytes() > 0, "the half row is cut off at the restart");
            assertEquals(1, store.storedBets(1));
        }
    }

    @Test
    void aFinishedCutShortByAFullDiskIsUndoneAndRecordedWhenSentAgain() throws Exception {
        try (FileBetStore store = open(FileBetStore.JOURNAL_FILE, 1)) {
            store.append(1, 0, List.of(ANA));
            failNextWrite.set(true);
            assertEquals(NO_SPACE, assertThrows(IOException.class, () -> store.finish(1)).getMessage());
            assertEquals("agencies,1\n", Files.readString(dir.resolve(FileBetStore.JOURNAL_FILE)), "half a record was left");
            assertEquals(OptionalInt.of(1), store.finish(1), "the agency sends it again");
        }
        assertEquals("agencies,1\nfinished,1,1\n", Files.readString(dir.resolve(FileBetStore.JOURNAL_FILE)));
        try (FileBetStore store = FileBetStore.open(dir, 1, false)) {
            assertEquals(new BetStore.Recovery(1, 1, false, 0, 0), store.recovery());
        }
    }

    @Test
    void afterAFailedFsyncOfTheJournalNothingMoreIsRecordedUntilARestart() throws Exception {
        String unknown = "an fsync of the round's journal failed (Input/output error), so what it holds on disk is"
                + " unknown: nothing more is recorded until the central restarts and recovers the round from the disk";
        try (FileBetStore store = open(FileBetStore.JOURNAL_FILE, 2)) {
            store.append(1, 0, List.of(ANA));
            store.append(2, 0, List.of(BETO));
            failFsyncs.set(true);
            assertEquals(unknown, assertThrows(IOException.class, () -> store.finish(1)).getMessage());
            failFsyncs.set(false);
            assertEquals(unknown, assertThrows(IOException.class, () -> store.finish(2)).getMessage());
            assertEquals(unknown, assertThrows(IOException.class, () -> store.finish(1)).getMessage());
        }
        // The restart: the round as the journal holds it (here agency 1's record, which the kernel kept).
        try (FileBetStore store = FileBetStore.open(dir, 2, false)) {
            assertEquals(new BetStore.Recovery(2, 1, false, 0, 0), store.recovery());
            assertEquals(OptionalInt.of(1), store.finish(2));
        }
    }

    @Test
    void theJournalIsPutOnDiskWhenOpenedBeforeAnythingOfItIsTold() throws Exception {
        try (FileBetStore store = FileBetStore.open(dir, 1, false)) {
            store.append(1, 0, List.of(ANA));
            store.finish(1);
        }
        // A central killed between a record's write and its fsync leaves it only in the page cache.
        try (FileBetStore store = open(FileBetStore.JOURNAL_FILE, 1)) {
            assertEquals(1, fsyncs.get(), "the journal was not forced at open");
            assertTrue(store.hasFinished(1));
        }
    }
}
