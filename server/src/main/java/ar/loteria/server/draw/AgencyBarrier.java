package ar.loteria.server.draw;

import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Phaser;

/**
 * The barrier for the N agencies: a {@link Phaser} with one party per agency. Each agency
 * arrives once, with its "finished"; the last arrival advances the phaser, and
 * {@link Phaser#onAdvance} runs the draw right there, in that agency's thread, exactly once.
 *
 * <p>Nobody ever blocks on the phaser: a winners request before the draw takes
 * {@link #drawResult()}, a future completed by the draw, so no worker thread waits for other
 * agencies and no ratio of agencies to workers can deadlock.
 */
public final class AgencyBarrier {
    private final int agencies;
    private final Phaser phaser;
    private final ConcurrentHashMap.KeySetView<Integer, Boolean> finished = ConcurrentHashMap.newKeySet();
    private final CompletableFuture<DrawResult> result = new CompletableFuture<>();

    public enum Arrival { COUNTED, ALREADY_FINISHED }

    public AgencyBarrier(int agencies, Callable<DrawResult> draw) {
        this.agencies = agencies;
        this.phaser = new Phaser(agencies) {
            @Override
            protected boolean onAdvance(int phase, int registeredParties) {
                try {
                    result.complete(draw.call());
                } catch (Exception | Error e) {
                    result.completeExceptionally(e);
                }
                return true; // one round per server run: terminate the phaser
            }
        };
    }

    public int agencies() {
        return agencies;
    }

    public boolean isKnown(int agency) {
        return agency >= 1 && agency <= agencies;
    }

    public boolean hasFinished(int agency) {
        return finished.contains(agency);
    }

    /**
     * Counts an agency's "finished", once. {@code onCounted} runs when it is counted and before
     * its arrival, so whatever it logs comes before the draw; when it is the last agency, the draw
     * runs before this returns.
     */
    public Arrival finish(int agency, Runnable onCounted) {
        if (!isKnown(agency)) {
            throw new IllegalArgumentException("unknown agency " + agency);
        }
        if (!finished.add(agency)) {
            return Arrival.ALREADY_FINISHED;
        }
        onCounted.run();
        phaser.arrive();
        return Arrival.COUNTED;
    }

    /** Completed by the draw (normally or with its failure). */
    public CompletableFuture<DrawResult> drawResult() {
        return result;
    }

    public boolean drawDone() {
        return result.isDone();
    }
}
