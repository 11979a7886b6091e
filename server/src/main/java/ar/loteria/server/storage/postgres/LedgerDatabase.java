package ar.loteria.server.storage.postgres;

import ar.loteria.server.storage.StorageException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * Opening a ledger's database: the connection pool, the schema (Flyway), and the round's claim (its
 * agency count), each refused with one line that names the URL (never its password).
 */
final class LedgerDatabase {
    /** Connections at most: one per worker thread (WORKER_THREADS, 4 by default) and the draw's, with some to spare. */
    private static final int POOL_SIZE = 8;
    /** A transaction left idle this long belongs to a central that is gone: the database ends its session. */
    static final Duration ORPHAN_TIMEOUT = Duration.ofSeconds(4);
    static final String NEW_ROUND = "a new round starts in an empty database (drop and create it, or point STORAGE_URL"
            + " at another)";

    private LedgerDatabase() {
    }

    static HikariDataSource connect(String url, String user, String password, String shown, long connectionTimeout)
            throws IOException {
        HikariConfig config = new HikariConfig();
        config.setJdbcUrl(url);
        config.setUsername(user);
        config.setPassword(password);
        config.setPoolName("ledger");
        config.setMaximumPoolSize(POOL_SIZE);
        config.setMinimumIdle(1);
        // Every call is one transaction that commits (or rolls back) before the connection goes back.
        config.setAutoCommit(false);
        config.setConnectionTimeout(connectionTimeout);
        // Named by the process: an operator (or a test) can tell the centrals' sessions apart.
        config.addDataSourceProperty("ApplicationName", "loteria-central-" + ProcessHandle.current().pid());
        // A central that vanishes mid-transaction (its machine gone, its network cut) would leave
        // its session idle in the transaction, holding an agency's row lock for hours, and the
        // central that takes over would wait on it at that agency's next batch. The database ends
        // such a session once it has been silent as long as the round's lock outlives a silent
        // central (4 s), and probes idle connections as the lock's session does.
        config.addDataSourceProperty("tcpKeepAlive", "true");
        config.addDataSourceProperty("options", "-c idle_in_transaction_session_timeout=" + ORPHAN_TIMEOUT.toMillis()
                + " -c tcp_keepalives_idle=2 -c tcp_keepalives_interval=1 -c tcp_keepalives_count=2");
        // One connection first, straight from the driver: it fails at once with the driver's own message, where the
        // pool, failing the same way, would add its wrapping and wait a second before it gave up.
        Properties probe = new Properties();
        if (user != null) {
            probe.setProperty("user", user);
        }
        if (password != null) {
            probe.setProperty("password", password);
        }
        try (Connection first = DriverManager.getConnection(url, probe)) {
            first.isValid(1);
        } catch (SQLException e) {
            throw new IOException(shown + ": cannot connect: " + Sql.describe(e), e);
        }
        try {
            return new HikariDataSource(config);
        } catch (RuntimeException e) {
            throw new IOException(shown + ": cannot connect: " + Sql.describe(e), e);
        }
    }

    /**
     * Makes the schema, or brings it up to this central's version. A database whose schema is newer (made by a later
     * central) is refused rather than used: this central does not know its rules. Flyway ignores such "future"
     * migrations by default; here they fail its validation, and only then is the history read to say so (reading it
     * every time would cost each start as much as the migration check itself).
     */
    static void migrate(HikariDataSource pool, String shown) throws StorageException {
        Flyway flyway = Flyway.configure().dataSource(pool).locations("classpath:db/migration")
                .ignoreMigrationPatterns(new String[0]).load(); // none: a "future" migration fails validation
        try {
            flyway.migrate();
        } catch (FlywayException e) {
            String newer = newerSchema(flyway);
            throw new StorageException(shown + (newer != null ? newer
                    : ": cannot make the ledger's schema: " + Sql.oneLine(e.getMessage())));
        }
    }

    /** What makes the schema newer than this central's, or null when it is not. */
    private static String newerSchema(Flyway flyway) {
        try {
            String latest = "none";
            for (MigrationInfo migration : flyway.info().all()) {
                if (migration.getState().isResolved() && migration.getVersion() != null) {
                    latest = migration.getVersion().getVersion();
                }
            }
            for (MigrationInfo applied : flyway.info().applied()) {
                if (applied.getState() == MigrationState.FUTURE_SUCCESS || applied.getState() == MigrationState.FUTURE_FAILED) {
                    return ": the database's schema is at version " + applied.getVersion() + " (" + applied.getDescription()
                            + "), newer than this central's version " + latest + ": run the central that made it, or "
                            + NEW_ROUND;
                }
            }
            return null;
        } catch (FlywayException e) {
            return null; // the migration's own failure says what is wrong
        }
    }

    /**
     * Records the round's agency count if the database holds no round yet, and refuses one of another count; then makes
     * each agency's count row. One transaction: two centrals starting at once claim the round once.
     */
    static void claimRound(HikariDataSource pool, int agencies, String shown) throws SQLException, StorageException {
        try (Connection connection = pool.getConnection()) {
            try {
                try (PreparedStatement claim = connection.prepareStatement(
                        "INSERT INTO round (agencies) VALUES (?) ON CONFLICT (singleton) DO NOTHING")) {
                    claim.setInt(1, agencies);
                    claim.executeUpdate();
                }
                int found;
                try (Statement read = connection.createStatement();
                     ResultSet round = read.executeQuery("SELECT agencies FROM round")) {
                    round.next();
                    found = round.getInt(1);
                }
                if (found != agencies) {
                    String held = describeRound(connection);
                    connection.rollback();
                    throw new StorageException(shown + ": the database holds another round (found a round of " + found
                            + " agencies, " + held + "), but this central's round has " + agencies + " agencies; "
                            + NEW_ROUND);
                }
                try (PreparedStatement rows = connection.prepareStatement(
                        "INSERT INTO agency (agency) SELECT generate_series(1, ?) ON CONFLICT (agency) DO NOTHING")) {
                    rows.setInt(1, agencies);
                    rows.executeUpdate();
                }
                connection.commit();
            } catch (SQLException | RuntimeException e) {
                connection.rollback();
                throw e;
            }
        }
    }

    /** What a refused round holds, for the operator: "120 bet(s), agencies [1, 2] finished, the draw recorded". */
    private static String describeRound(Connection connection) throws SQLException {
        try (Statement read = connection.createStatement();
             ResultSet found = read.executeQuery("SELECT (SELECT coalesce(sum(stored_bets), 0) FROM agency),"
                     + " (SELECT coalesce(string_agg(agency::text, ', ' ORDER BY agency), '') FROM finished),"
                     + " EXISTS (SELECT 1 FROM draw)")) {
            found.next();
            String finished = found.getString(2);
            return found.getLong(1) + " bet(s), " + (finished.isEmpty() ? "no agency finished" : "agencies [" + finished
                    + "] finished") + ", " + (found.getBoolean(3) ? "the draw recorded" : "no draw");
        }
    }
}
