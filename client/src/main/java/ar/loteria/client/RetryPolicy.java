package ar.loteria.client;

import java.time.Duration;

/**
 * How often, and how far apart, an agency tries to reach the central ({@code loop.amount} times,
 * {@code loop.period} apart), Kafka-producer style: a failed attempt is retried until the attempts
 * run out, and the count starts again only after a session that found the central further on than
 * any session before (more bets stored, or finished). So a central that crashes now and then is
 * reached again and again while the round advances, and one that fails every session the same way
 * (say, a full disk) is given up on instead of retried for ever.
 *
 * <p>Before the central has answered once in this run, a connection that cannot be made (nothing
 * listens yet, the name does not resolve yet) is a central still starting: it is tried again every
 * {@link #STARTUP_POLL} for up to {@code startupWait}, and counts as no attempt. So agencies may
 * start beside the central (Compose without waiting for its health) and never fail because it was
 * still starting, whatever their {@code loop.amount} and {@code loop.period}. One per run; not
 * thread-safe.
 */
final class RetryPolicy {
    static final Duration STARTUP_POLL = Duration.ofMillis(50);

    private final int attempts;
    private final Duration pause;
    private final long startupDeadline;
    /** A session has started in this run: the central is up, every failure counts. */
    private boolean reached;
    private int failed;
    /** The last session found the central further on than any before: its failure starts a new count. */
    private boolean progressed;
    /** The most bets, and whether "finished", any session found stored: what progress is measured against. */
    private int mostStored = -1;
    private boolean finishedSeen;

    RetryPolicy(int attempts, Duration pause, Duration startupWait) {
        this.attempts = attempts;
        this.pause = pause;
        this.startupDeadline = System.nanoTime() + startupWait.toNanos();
    }

    /**
     * Whether a connection that could not be made is a central still starting, waited for without
     * counting an attempt: only before any session of this run, and within the start-up wait.
     */
    boolean stillStarting(boolean notListening) {
        return notListening && !reached && System.nanoTime() - startupDeadline < 0;
    }

    /** A session started and found the central holding {@code storedBets} of the agency's bets, finished or not. */
    void sessionStarted(int storedBets, boolean finished) {
        reached = true;
        progressed = storedBets > mostStored || (finished && !finishedSeen);
        mostStored = Math.max(mostStored, storedBets);
        finishedSeen |= finished;
    }

    /** Counts a failed attempt (from 1 again after one that found progress); true when another may follow. */
    boolean retryAfterFailure() {
        failed = progressed ? 1 : failed + 1;
        progressed = false;
        return failed < attempts;
    }

    /** The failed attempts counted so far. */
    int failedAttempts() {
        return failed;
    }

    Duration pause() {
        return pause;
    }
}
