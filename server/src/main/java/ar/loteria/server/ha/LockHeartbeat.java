package ar.loteria.server.ha;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The serving central's word to the database, every {@link RoundLock#HEARTBEAT}, on a thread of its
 * own: whatever the central is doing (restoring the round, a long pause), its lock's session never
 * goes quiet long enough for the database to end it. The first heartbeat that finds the session
 * gone completes {@link #lost}.
 */
final class LockHeartbeat {
    private final RoundLock lock;
    private final CompletableFuture<String> stop;
    private final CompletableFuture<Void> lost = new CompletableFuture<>();
    private final CompletableFuture<Void> done = new CompletableFuture<>();
    private final Thread thread;

    private LockHeartbeat(RoundLock lock, CompletableFuture<String> stop) {
        this.lock = lock;
        this.stop = stop;
        this.thread = new Thread(this::beat, "round-lock-heartbeat");
        this.thread.setDaemon(true);
    }

    static LockHeartbeat start(RoundLock lock, CompletableFuture<String> stop) {
        LockHeartbeat heartbeat = new LockHeartbeat(lock, stop);
        heartbeat.thread.start();
        return heartbeat;
    }

    private void beat() {
        while (!done.isDone() && !stop.isDone()) {
            try {
                done.get(RoundLock.HEARTBEAT.toMillis(), TimeUnit.MILLISECONDS);
                return;
            } catch (TimeoutException e) {
                if (!lock.stillHeld()) {
                    lost.complete(null);
                    return;
                }
            } catch (InterruptedException | ExecutionException e) {
                return;
            }
        }
    }

    /** Blocks until a stop (true: the lock is still held) or the lock's loss (false). */
    boolean awaitStopOrLoss() throws InterruptedException {
        try {
            CompletableFuture.anyOf(stop, lost).get();
        } catch (ExecutionException e) {
            // a stop that completed exceptionally is still a stop
        }
        return !lost.isDone();
    }

    /** Ends the heartbeat; the lock's connection is the caller's again once this returns. */
    void stop() throws InterruptedException {
        done.complete(null);
        thread.join();
    }
}
