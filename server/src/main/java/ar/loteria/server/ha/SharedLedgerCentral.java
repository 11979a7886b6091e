package ar.loteria.server.ha;

import ar.loteria.common.LogLine;
import ar.loteria.common.tls.TlsMaterial;
import ar.loteria.server.Central;
import ar.loteria.server.config.ServerConfig;
import ar.loteria.server.storage.StorageException;
import ar.loteria.server.storage.postgres.JdbcUrls;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A central whose ledger is in PostgreSQL, beside any number of others on the same database: it
 * serves while it holds the round's lock ({@link RoundLock}) and stands by otherwise, not listening
 * (agencies dial the next of their addresses). When the serving central dies, the database releases
 * the lock and a standby takes it, restores the round from the ledger and serves. A central that
 * loses the lock's session (its database connection cut) stops serving at once (its store's writes
 * fail too, so nothing more is acknowledged), says so, and stands by again, after a pause that
 * leaves the round to a healthy standby first. Each change of role is
 * one line: {@code action: rol | result: success | rol: standby|activo}, or {@code result: fail |
 * rol: perdido}.
 */
public final class SharedLedgerCentral {
    private static final Logger log = LoggerFactory.getLogger(SharedLedgerCentral.class);
    /** How often a standby asks for the lock: most of a takeover's time. */
    static final Duration POLL = Duration.ofMillis(200);
    /**
     * How long a central that lost the lock waits before it asks again: ten of a standby's polls, so
     * that a healthy standby takes the round rather than the central whose database just failed it
     * (alone, that central resumes after this pause).
     */
    static final Duration STEP_BACK = POLL.multipliedBy(10);

    private final ServerConfig config;
    private final TlsMaterial tls;
    private final CompletableFuture<String> stop;
    /** The lock session's name, as the store's sessions are named: the process's. */
    private final String name = "loteria-central-" + ProcessHandle.current().pid();

    private SharedLedgerCentral(ServerConfig config, TlsMaterial tls, CompletableFuture<String> stop) {
        this.config = config;
        this.tls = tls;
        this.stop = stop;
    }

    /**
     * Runs until {@code stop} completes (SIGTERM); returns the exit code. A database that cannot be
     * reached at start is one line and exit 1, as any bad setting; later it is waited for.
     */
    public static int run(ServerConfig config, TlsMaterial tls, CompletableFuture<String> stop)
            throws InterruptedException {
        return new SharedLedgerCentral(config, tls, stop).run();
    }

    private int run() throws InterruptedException {
        RoundLock lock;
        try {
            lock = RoundLock.connect(config.storageUrl(), config.storageUser(), config.storagePassword(), name);
        } catch (SQLException e) {
            LogLine.fail("listen").with("storage", config.storageLocation()).with("error", "cannot reach the database: "
                    + JdbcUrls.redacted(e.getMessage())).error(log);
            return 1;
        }
        while (lock != null) {
            boolean acquired;
            try {
                acquired = awaitLock(lock);
            } catch (SQLException e) { // the lock's session died while standing by
                lock.close();
                lock = reconnect();
                continue;
            }
            if (!acquired) {
                lock.close();
                return 0; // stopped while standing by
            }
            Served served = serve(lock);
            lock.close();
            if (served != Served.LOST) {
                return served == Served.STOPPED ? 0 : 1;
            }
            if (stopped(STEP_BACK)) {
                return 0;
            }
            lock = reconnect();
        }
        return 0; // stopped while waiting for the database
    }

    /** How a turn as the serving central ended. */
    private enum Served { STOPPED, LOST, FAILED_TO_START }

    /** Serves while this central holds {@code lock}: until a stop, or the lock's loss (said once). */
    private Served serve(RoundLock lock) throws InterruptedException {
        LogLine.success("rol").with("rol", "activo").with("detail", "this central holds the round's lock").info(log);
        // The heartbeat runs from the moment the lock is taken: restoring a large round can take
        // longer than the session's timeout, and a silent session is one the database ends.
        LockHeartbeat heartbeat = LockHeartbeat.start(lock, stop);
        Central central;
        try {
            central = Central.start(config, tls);
        } catch (IOException | StorageException | UncheckedIOException e) {
            // UncheckedIOException: the ledger's reads at start (who finished) when the database fails them.
            LogLine.fail("listen").with("storage", config.storageLocation()).with("error",
                    JdbcUrls.redacted(e.getMessage())).error(log);
            heartbeat.stop();
            return Served.FAILED_TO_START;
        }
        boolean held = heartbeat.awaitStopOrLoss();
        if (!held) {
            LogLine.fail("rol").with("rol", "perdido").with("error", "the database connection of the round's lock"
                    + " is lost: this central stops serving (nothing more is acknowledged) and stands by").error(log);
        }
        central.stop();
        heartbeat.stop();
        return held ? Served.STOPPED : Served.LOST;
    }

    /** Waits until this central holds the lock (true) or a stop comes (false); says "standby" once. */
    private boolean awaitLock(RoundLock lock) throws InterruptedException, SQLException {
        boolean said = false;
        while (!stop.isDone()) {
            if (lock.tryAcquire()) {
                return true;
            }
            if (!said) {
                said = true;
                LogLine.success("rol").with("rol", "standby").with("detail", "another central holds the round's lock;"
                        + " this one takes over when it goes").info(log);
            }
            if (stopped(POLL)) {
                return false;
            }
        }
        return false;
    }

    /** A new session for the lock once the database answers again; null when a stop comes first. */
    private RoundLock reconnect() throws InterruptedException {
        while (!stop.isDone()) {
            try {
                return RoundLock.connect(config.storageUrl(), config.storageUser(), config.storagePassword(), name);
            } catch (SQLException e) {
                if (stopped(Duration.ofSeconds(1))) {
                    return null;
                }
            }
        }
        return null;
    }

    /** Waits up to {@code pause} for a stop; true when it came. */
    private boolean stopped(Duration pause) throws InterruptedException {
        try {
            stop.get(pause.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (TimeoutException e) {
            return false;
        } catch (ExecutionException e) {
            return true;
        }
    }
}
