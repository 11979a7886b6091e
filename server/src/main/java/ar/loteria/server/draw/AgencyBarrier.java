package ar.loteria.server.draw;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Phaser;

/**
 * The barrier for the N agencies: a {@link Phaser} with one party per agency. Each agency
 * arrives once, when its "finished" is recorded (or recovered after a restart); the last arrival
 * advances the phaser, and {@link Phaser#onAdvance} runs the draw right there, exactly once.
 *
 * <p>Nobody ever waits on the phaser: a winners request before the draw takes
 * {@link #drawResult()}, a future the draw completes, so no thread is held by an agency waiting
 * for the others, whatever the number of agencies and threads.
 */
public final class AgencyBarrier {
    private final Phaser phaser;
    private final CompletableFuture<DrawResult> result = new CompletableFuture<>();

    public AgencyBarrier(int agencies, Callable<DrawResult> draw) {
        this.phaser = new Phaser(agencies) {
            @Override
            protected boolean onAdvance(int phase, int registeredParties) {
                try {
                    result.complete(draw.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
                return true; // one round per storage directory: the phaser is done
            }
        };
    }

    /** One agency has finished; the last one runs the draw before this returns. Call once per agency. */
    public void arrive() {
        phaser.arrive();
    }

    /** Completed by the draw, with its result or its failure. */
    public CompletableFuture<DrawResult> drawResult() {
        return result;
    }
}
