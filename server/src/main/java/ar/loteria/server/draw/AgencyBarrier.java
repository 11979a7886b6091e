package ar.loteria.server.draw;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Phaser;
import java.util.concurrent.atomic.AtomicReference;

/**
 * The barrier for the N agencies: a {@link Phaser} with one party per agency. Each agency
 * arrives once, when its "finished" is recorded (or recovered after a restart); the last arrival
 * advances the phaser, and {@link Phaser#onAdvance} runs the draw right there.
 *
 * <p>Nobody ever waits on the phaser: a winners request before the draw takes
 * {@link #drawResult()}, a future the draw completes, so no thread is held by an agency waiting
 * for the others, whatever the number of agencies and threads. A draw that failed (the storage
 * could not be read or written: a full disk, a database connection cut) is run again by the next
 * request for its result; the draw itself answers from the recorded result once there is one, so
 * running it again never draws twice.
 */
public final class AgencyBarrier {
    private final Phaser phaser;
    private final Callable<DrawResult> draw;
    private final AtomicReference<CompletableFuture<DrawResult>> result = new AtomicReference<>(new CompletableFuture<>());

    public AgencyBarrier(int agencies, Callable<DrawResult> draw) {
        this.draw = draw;
        this.phaser = new Phaser(agencies) {
            @Override
            protected boolean onAdvance(int phase, int registeredParties) {
                runInto(result.get());
                return true; // one round per storage: the phaser is done
            }
        };
    }

    private void runInto(CompletableFuture<DrawResult> into) {
        try {
            into.complete(draw.call());
        } catch (Exception | Error e) {
            into.completeExceptionally(e);
        }
    }

    /** One agency has finished; the last one runs the draw before this returns. Call once per agency. */
    public void arrive() {
        phaser.arrive();
    }

    /**
     * Completed by the draw, with its result or its failure. After a failure, the first caller runs
     * the draw again (on its own thread, before this returns) and the callers meanwhile get its future.
     */
    public CompletableFuture<DrawResult> drawResult() {
        CompletableFuture<DrawResult> current = result.get();
        if (current.isCompletedExceptionally() && phaser.isTerminated()) {
            CompletableFuture<DrawResult> again = new CompletableFuture<>();
            if (result.compareAndSet(current, again)) {
                runInto(again);
            }
            return result.get();
        }
        return current;
    }
}
