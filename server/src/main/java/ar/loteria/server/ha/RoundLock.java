package ar.loteria.server.ha;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * Who serves the round, among the centrals that share its ledger: the one that holds the round's
 * PostgreSQL advisory lock, on a connection of its own (not the pool's). The database releases the
 * lock when that session ends: the central died, or its connection was cut (the session then ends
 * after {@link #SESSION_TIMEOUT} without a word from it, as {@code idle_session_timeout} and the
 * keepalives below make PostgreSQL notice). The lock only decides who serves; exactly once and the
 * one draw are the ledger's constraints, so two centrals serving at once still cannot store a bet
 * twice or draw twice.
 */
public final class RoundLock implements AutoCloseable {
    /** The round's lock: one per database, "Loteria" in ASCII. */
    static final long KEY = 0x4C6F7465726961L;
    /** A central that says nothing for this long has lost the lock; it says something every {@link #HEARTBEAT}. */
    static final Duration SESSION_TIMEOUT = Duration.ofSeconds(4);
    public static final Duration HEARTBEAT = Duration.ofMillis(500);

    private final Connection connection;
    private boolean held;

    private RoundLock(Connection connection) {
        this.connection = connection;
    }

    /** A session of its own for the lock; {@code name} tells the centrals apart in pg_stat_activity. */
    public static RoundLock connect(String url, String user, String password, String name) throws SQLException {
        Properties properties = new Properties();
        if (user != null) {
            properties.setProperty("user", user);
        }
        if (password != null) {
            properties.setProperty("password", password);
        }
        properties.setProperty("ApplicationName", name);
        properties.setProperty("connectTimeout", "5");
        properties.setProperty("socketTimeout", String.valueOf(SESSION_TIMEOUT.toSeconds()));
        properties.setProperty("tcpKeepAlive", "true");
        Connection connection = DriverManager.getConnection(url, properties);
        try (Statement statement = connection.createStatement()) {
            // The database lets the lock go when this central goes quiet: a dead central's lock
            // must not outlast it (by default a vanished client's session lingers for hours).
            statement.execute("SET idle_session_timeout = '" + SESSION_TIMEOUT.toMillis() + "ms'");
            statement.execute("SET tcp_keepalives_idle = 2");
            statement.execute("SET tcp_keepalives_interval = 1");
            statement.execute("SET tcp_keepalives_count = 2");
        } catch (SQLException e) {
            connection.close();
            throw e;
        }
        return new RoundLock(connection);
    }

    /** Takes the round's lock if no other central holds it; true when this one holds it now. */
    public boolean tryAcquire() throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement("SELECT pg_try_advisory_lock(?)")) {
            statement.setLong(1, KEY);
            try (ResultSet result = statement.executeQuery()) {
                result.next();
                held = result.getBoolean(1);
                return held;
            }
        }
    }

    /**
     * The heartbeat of the central that holds the lock: false when the lock's session is gone
     * (the connection was cut, or the database ended it): the lock may be another central's now.
     */
    public boolean stillHeld() {
        try (Statement statement = connection.createStatement()) {
            statement.setQueryTimeout((int) SESSION_TIMEOUT.toSeconds());
            try (ResultSet result = statement.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory'"
                    + " AND pid = pg_backend_pid() AND granted")) {
                return result.next() && result.getLong(1) > 0;
            }
        } catch (SQLException e) {
            return false;
        }
    }

    @Override
    public void close() {
        try {
            connection.close(); // the session ends: the database releases the lock
        } catch (SQLException e) {
            // going away either way
        }
    }
}
