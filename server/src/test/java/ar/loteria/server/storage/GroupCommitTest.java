package ar.loteria.server.storage;

import static ar.loteria.server.storage.BetStoreContract.ANA;
import static ar.loteria.server.storage.BetStoreContract.BETO;
import static ar.loteria.server.storage.BetStoreContract.CIRO;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.Bet;
import ar.loteria.server.service.FinishOutcome;
import ar.loteria.server.service.LotteryService;
import ar.loteria.server.storage.BetStore.Appended;
import ar.loteria.server.support.ForwardingBetStore;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With STORAGE_FSYNC=true the bets file reaches the disk by group commit: the batches written while
 * an fsync runs share the next one; an append (a resend too) returns only after an fsync that began
 * once its rows were written, and what is stored is told (to a new session, to a gap) only once it
 * is on disk; after a failed fsync nothing more is stored. The bets file's channel holds the first
 * fsync until the test lets it go, so every interleaving below is forced, not hoped for.
 */
@Timeout(60)
class GroupCommitTest {
    private static final String FAILED_FSYNC = "an fsync of the bets file failed (Input/output error), so which of its"
            + " rows are on disk is unknown: nothing more is stored until the central restarts and recovers the round from the disk";

    @TempDir
    Path dir;

    private final ExecutorService appenders = Executors.newCachedThreadPool();
    private final CountDownLatch firstFsyncStarted = new CountDownLatch(1);
    private final CountDownLatch releaseFirstFsync = new CountDownLatch(1);
    /** Counted down by each write to the bets file once the first fsync has started. */
    private final CountDownLatch writesDuringFirstFsync = new CountDownLatch(2);
    /** The bets file's size when each fsync began, and what happened in which order. */
    private final List<Long> sizeAtEachFsync = Collections.synchronizedList(new ArrayList<>());
    private final List<String> events = Collections.synchronizedList(new ArrayList<>());

    @AfterEach
    void stopAppenders() {
        releaseFirstFsync.countDown();
        appenders.shutdownNow();
    }

    /** Opens the bets file through a channel that records each fsync and holds the first one (then fails each, if given). */
    private FileBetStore open(int agencies, IOException failEachFsyncWith) throws Exception {
        return FileBetStore.open(dir, agencies, true, (path, options) -> {
            FileChannel channel = FileChannel.open(path, options);
            if (!path.getFileName().toString().equals(FileBetStore.BETS_FILE)) {
                return channel;
            }
            return new ForwardingFileChannel(channel) {
                @Override
                public int write(ByteBuffer source, long position) throws IOException {
                    int written = delegate.write(source, position);
                    if (firstFsyncStarted.getCount() == 0) {
                        writesDuringFirstFsync.countDown();
                    }
                    return written;
                }

                @Override
                public void force(boolean metaData) throws IOException {
                    sizeAtEachFsync.add(delegate.size());
                    if (firstFsyncStarted.getCount() == 1) {
                        firstFsyncStarted.countDown();
                        awaitOrFail(releaseFirstFsync, "the test to release the first fsync");
                    }
                    if (failEachFsyncWith != null) {
                        throw failEachFsyncWith;
                    }
                    delegate.force(metaData);
                    events.add("fsync returned");
                }
            };
        });
    }

    private Future<Appended> append(BetStore store, int agency, int firstBet, Bet bet) {
        return appenders.submit(() -> {
            Appended appended = store.append(agency, firstBet, List.of(bet));
            events.add("agency " + agency + " acknowledged");
            return appended;
        });
    }

    @Test
    void batchesWrittenWhileAnFsyncRunsShareTheNextOne() throws Exception {
        try (FileBetStore store = open(3, null)) {
            Future<Appended> first = append(store, 1, 0, ANA);
            awaitOrFail(firstFsyncStarted, "the first batch's fsync");
            long afterFirst = Files.size(dir.resolve(FileBetStore.BETS_FILE));

            Future<Appended> second = append(store, 2, 0, BETO);
            Future<Appended> third = append(store, 3, 0, CIRO);
            // Written while the first fsync runs: the store's lock is not held during an fsync.
            awaitOrFail(writesDuringFirstFsync, "the two other batches to be written during the first fsync");
            assertFalse(first.isDone(), "the first batch was acknowledged before its fsync returned");
            assertFalse(second.isDone() || third.isDone(), "a batch was acknowledged before any fsync covered it");

            releaseFirstFsync.countDown();
            assertInstanceOf(Appended.Stored.class, first.get());
            assertInstanceOf(Appended.Stored.class, second.get());
            assertInstanceOf(Appended.Stored.class, third.get());
            long all = Files.size(dir.resolve(FileBetStore.BETS_FILE));
            assertEquals(List.of(afterFirst, all), sizeAtEachFsync, "one fsync for the first batch, one for the other two");
            assertEquals("fsync returned", events.get(0), "acknowledged before the first fsync returned: " + events);
            int secondFsync = events.lastIndexOf("fsync returned");
            assertTrue(events.indexOf("agency 2 acknowledged") > secondFsync
                    && events.indexOf("agency 3 acknowledged") > secondFsync,
                    "the batches written during the first fsync were acknowledged before the second returned: " + events);
        }
    }

    @Test
    void aResendIsAcknowledgedOnlyOnceTheFirstSendingIsOnDisk() throws Exception {
        try (FileBetStore store = open(1, null)) {
            Future<Appended> first = append(store, 1, 0, ANA);
            awaitOrFail(firstFsyncStarted, "the first sending's fsync");
            // The agency lost its connection and sends the batch again while the first fsync runs.
            Thread resend = waitingThread(() -> {
                assertInstanceOf(Appended.AlreadyStored.class, store.append(1, 0, List.of(ANA)));
                events.add("resend acknowledged");
            });

            releaseFirstFsync.countDown();
            resend.join();
            first.get();
            assertEquals(List.of("fsync returned", "resend acknowledged"),
                    events.stream().filter(e -> !e.startsWith("agency")).toList());
        }
    }

    @Test
    void aSessionOrAGapIsToldWhatIsStoredOnlyOnceItIsOnDisk() throws Exception {
        try (FileBetStore store = open(1, null)) {
            Future<Appended> first = append(store, 1, 0, ANA);
            awaitOrFail(firstFsyncStarted, "the first batch's fsync");
            // While it runs, the agency reconnects (a session start shows what is stored, and it
            // resumes after that), and a batch from further on is refused as a gap (same).
            Thread session = waitingThread(() -> events.add("session told " + store.held(1).storedBets()));
            Thread gap = waitingThread(() -> events.add("gap told " + ((Appended.Gap) store.append(1, 5, List.of(BETO))).storedBets()));

            releaseFirstFsync.countDown();
            session.join();
            gap.join();
            first.get();
            assertEquals("fsync returned", events.get(0), "told before the fsync returned: " + events);
            assertTrue(events.containsAll(List.of("session told 1", "gap told 1")), events.toString());
        }
    }

    /** Starts {@code action} on a thread of its own and returns once that thread waits (for the held fsync). */
    private Thread waitingThread(ThrowingAction action) {
        Thread thread = new Thread(() -> {
            try {
                action.run();
            } catch (Exception | AssertionError e) {
                events.add("failed: " + e);
            }
        });
        thread.start();
        while (thread.getState() != Thread.State.WAITING && thread.getState() != Thread.State.TERMINATED) {
            Thread.onSpinWait();
        }
        assertEquals(Thread.State.WAITING, thread.getState(), "did not wait for the fsync: " + events);
        return thread;
    }

    private interface ThrowingAction {
        void run() throws Exception;
    }

    @Test
    void afterAFailedFsyncNothingMoreIsStoredAndARestartRecoversWhatTheFileHolds() throws Exception {
        Path bets = dir.resolve(FileBetStore.BETS_FILE);
        releaseFirstFsync.countDown();
        try (FileBetStore store = open(2, new IOException("Input/output error"))) {
            IOException failed = assertThrows(IOException.class, () -> store.append(1, 0, List.of(ANA)));
            assertEquals(FAILED_FSYNC, failed.getMessage());
            long size = Files.size(bets);

            IOException refused = assertThrows(IOException.class, () -> store.append(2, 0, List.of(BETO)));
            assertEquals(FAILED_FSYNC, refused.getMessage());
            assertEquals(size, Files.size(bets), "a batch was written after the failed fsync");
            assertEquals(FAILED_FSYNC, assertThrows(IOException.class, () -> store.append(1, 0, List.of(ANA))).getMessage(),
                    "a resend was acknowledged on a file of unknown state");
            assertEquals(FAILED_FSYNC, assertThrows(IOException.class, () -> store.append(1, 5, List.of(BETO))).getMessage(),
                    "a gap was told a count on a file of unknown state");
            assertEquals(FAILED_FSYNC, assertThrows(UncheckedIOException.class, () -> store.held(1)).getMessage(),
                    "a session was told a count on a file of unknown state");
            assertThrows(IOException.class, () -> store.finish(1), "an agency finished on a file of unknown state");
            assertEquals(size, Files.size(bets), "something was written after the failed fsync");
            assertEquals(1, sizeAtEachFsync.size(), "the failed fsync was tried again");
        }
        // The restart: the round as the file holds it (here the first batch, which the kernel kept).
        try (FileBetStore store = FileBetStore.open(dir, 2, true)) {
            assertEquals(1, store.storedBets(1));
            assertEquals(0, store.storedBets(2));
            assertInstanceOf(Appended.Stored.class, store.append(2, 0, List.of(BETO)));
        }
    }

    @Test
    void whoWaitsForAnFsyncThatFailsIsRefusedTooNotToldACount() throws Exception {
        try (FileBetStore store = open(1, new IOException("Input/output error"))) {
            Future<Appended> first = append(store, 1, 0, ANA);
            awaitOrFail(firstFsyncStarted, "the first batch's fsync");
            Thread session = waitingThread(() -> events.add("session told " + store.held(1).storedBets()));
            Thread resend = waitingThread(() -> events.add("resend " + store.append(1, 0, List.of(ANA))));

            releaseFirstFsync.countDown();
            session.join();
            resend.join();
            ExecutionException failed = assertThrows(ExecutionException.class, first::get);
            assertEquals(FAILED_FSYNC, failed.getCause().getMessage());
            assertEquals(List.of("failed: java.io.IOException: " + FAILED_FSYNC, "failed: java.io.UncheckedIOException: " + FAILED_FSYNC),
                    events.stream().sorted().toList(), "a waiter was answered as if the fsync had succeeded");
        }
    }

    @Test
    void aRecordedFinishedIsAnsweredWithItsCountThoughAnotherAgencysFsyncFailsRightAfter() throws Exception {
        AtomicBoolean failFsyncs = new AtomicBoolean();
        try (FileBetStore files = FileBetStore.open(dir, 2, true, (path, options) -> {
            FileChannel channel = FileChannel.open(path, options);
            return !path.getFileName().toString().equals(FileBetStore.BETS_FILE) ? channel : new ForwardingFileChannel(channel) {
                @Override
                public void force(boolean metaData) throws IOException {
                    if (failFsyncs.get()) {
                        throw new IOException("Input/output error");
                    }
                    delegate.force(metaData);
                }
            };
        })) {
            files.append(1, 0, List.of(ANA, CIRO));
            // Once agency 1's "finished" is recorded, agency 2's batch is written and its fsync fails,
            // before the service has answered agency 1.
            BetStore store = new ForwardingBetStore(files) {
                @Override
                public OptionalInt finish(int agency) throws IOException {
                    OptionalInt recorded = super.finish(agency);
                    failFsyncs.set(true);
                    assertThrows(IOException.class, () -> files.append(2, 0, List.of(BETO)));
                    return recorded;
                }
            };
            assertEquals(new FinishOutcome.Finished(2), new LotteryService(store, 2).finish(1));
            assertTrue(files.hasFinished(1));
        }
    }

    private static void awaitOrFail(CountDownLatch latch, String what) throws IOException {
        try {
            if (!latch.await(30, TimeUnit.SECONDS)) {
                throw new AssertionError("timed out waiting for " + what);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted waiting for " + what, e);
        }
    }
}
