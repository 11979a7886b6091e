package ar.loteria.server.storage.postgres;

import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The ledger's transactions: each call one transaction on a pooled connection, committed, and run
 * again from the start when it lost a race to another writer (another central on the same
 * database, or this one's other workers).
 */
final class Transactions implements AutoCloseable {
    /** Runs of one transaction that lost races to other writers before the call gives up (each loss is progress). */
    private static final int ATTEMPTS = 8;

    private final HikariDataSource pool;
    /** The ledger's URL, without its password, for the messages. */
    private final String url;
    /** Transactions run again after losing a race to another writer: the row lock keeps it at 0 for one agency's writers. */
    private final AtomicLong racesLost = new AtomicLong();

    Transactions(HikariDataSource pool, String url) {
        this.pool = pool;
        this.url = url;
    }

    /** A connection of the pool, for a caller that commits or rolls back itself. */
    Connection connection() throws SQLException {
        return pool.getConnection();
    }

    long racesLost() {
        return racesLost.get();
    }

    /** The work of one transaction, run again from the start when it lost a race. */
    @FunctionalInterface
    interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction and commits it. A transaction that lost a race to another writer
     * ({@link Sql#lostRace}) is rolled back and run again, up to {@link #ATTEMPTS} times; any other failure is an
     * {@link IOException} saying what could not be done and why.
     */
    <T> T run(String what, Work<T> work) throws IOException {
        SQLException last = null;
        for (int attempt = 1; attempt <= ATTEMPTS; attempt++) {
            try (Connection connection = pool.getConnection()) {
                try {
                    T result = work.run(connection);
                    connection.commit();
                    return result;
                } catch (SQLException | RuntimeException e) {
                    rollbackQuietly(connection, e);
                    throw e;
                }
            } catch (SQLException e) {
                if (!Sql.lostRace(e)) {
                    throw new IOException("cannot " + what + " in the ledger at " + url + ": " + Sql.describe(e), e);
                }
                racesLost.incrementAndGet();
                last = e;
            }
        }
        throw new IOException("cannot " + what + " in the ledger at " + url + ": other writers kept changing it ("
                + ATTEMPTS + " attempts; last: " + Sql.describe(last) + ")", last);
    }

    /** A read-only transaction for the reads the interface declares without IOException. */
    <T> T read(String what, Work<T> work) {
        try {
            return run(what, work);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
    }

    private static void rollbackQuietly(Connection connection, Exception cause) {
        try {
            connection.rollback();
        } catch (SQLException e) {
            cause.addSuppressed(e); // the connection is broken; the pool drops it
        }
    }

    @Override
    public void close() {
        pool.close();
    }
}
