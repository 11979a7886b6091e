package ar.loteria.server.storage.postgres;

import ar.loteria.protocol.Bet;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.storage.StorageException;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicLong;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.FlywayException;
import org.flywaydb.core.api.MigrationInfo;
import org.flywaydb.core.api.MigrationState;

/**
 * The round's ledger in PostgreSQL (STORAGE_URL): the same rules as {@link ar.loteria.server.storage.FileBetStore},
 * kept by the database's constraints (db/migration/V1__ledger.sql), so that any number of centrals may share it and
 * two writing at once (a split brain) still store each bet once and draw once:
 * <ul>
 *   <li>a bet's key is (agency, position in the agency's stream): a position is stored once;</li>
 *   <li>each agency's count is a row that an append moves on in the transaction that inserts the bets, with a
 *       compare-and-set ({@code WHERE stored_bets = seen}), so a concurrent writer's change fails it;</li>
 *   <li>"finished" is one row per agency, referencing the agency's count: the count cannot move after it;</li>
 *   <li>the draw is one row per round, its winners inserted in the same transaction.</li>
 * </ul>
 * A transaction that loses a race to another writer (unique or foreign-key violation, a count that moved) is
 * rolled back and run again, and then answers from what is stored (a resend, a gap, finished). Locking the
 * agency's row first ({@code SELECT ... FOR UPDATE}) makes writers of one agency wait for each other instead of
 * losing races; correctness does not depend on it (a test runs without it).
 *
 * <p>Every write is one transaction, acknowledged after its commit (so durable, with PostgreSQL's default
 * {@code synchronous_commit=on}). Reads that the interface declares without {@link IOException} throw
 * {@link UncheckedIOException} when the database fails them (the service answers such a request "unavailable").
 */
public final class PostgresBetStore implements BetStore {
    /** Connections at most: one per worker thread (WORKER_THREADS, 4 by default) and the draw's, with some to spare. */
    private static final int POOL_SIZE = 8;
    /** Runs of one transaction that lost races to other writers before the call gives up (each loss is progress). */
    private static final int ATTEMPTS = 8;
    /** Rows fetched per round trip while the draw streams the bets on a number back. */
    private static final int FETCH_SIZE = 1_000;
    static final String NEW_ROUND = "a new round starts in an empty database (drop and create it, or point STORAGE_URL"
            + " at another)";

    private final HikariDataSource pool;
    private final String url;
    private final int agencies;
    /** Whether a write locks its agency's row first (always, but in the tests that show the constraints alone suffice). */
    private final boolean lockAgencyRow;
    private final Recovery recovery;
    /** Transactions run again after losing a race to another writer: the row lock keeps it at 0 for one agency's writers. */
    private final AtomicLong racesLost = new AtomicLong();

    private PostgresBetStore(HikariDataSource pool, String url, int agencies, boolean lockAgencyRow) throws SQLException {
        this.pool = pool;
        this.url = url;
        this.agencies = agencies;
        this.lockAgencyRow = lockAgencyRow;
        this.recovery = readRecovery();
    }

    /**
     * How a store works, for the tests: whether it locks the agency's row (without it, only the constraints keep the
     * rules), and how long a call waits for a connection before it fails (the agency is then told to retry).
     */
    record Options(boolean lockAgencyRow, long connectionTimeoutMillis) {
        static final Options DEFAULT = new Options(true, 5_000);
    }

    /**
     * Opens the ledger of a round of {@code agencies} agencies at {@code url} ({@code jdbc:postgresql://...}),
     * making or migrating its schema (Flyway) and recording the round's agency count on first use.
     *
     * @param user     null: the driver's default (the URL's {@code user} parameter, else the system user)
     * @param password null: none (or the URL's {@code password} parameter)
     * @throws IOException      when the URL is not PostgreSQL's, or the database cannot be reached or refuses us
     * @throws StorageException when the database holds another round (another agency count), a schema newer than this
     *                          central's, or tables that are not a ledger; nothing is changed then
     */
    public static PostgresBetStore open(String url, String user, String password, int agencies)
            throws IOException, StorageException {
        return open(url, user, password, agencies, Options.DEFAULT);
    }

    static PostgresBetStore open(String url, String user, String password, int agencies, Options options)
            throws IOException, StorageException {
        String shown = JdbcUrls.redacted(url);
        if (!JdbcUrls.isPostgres(url)) {
            throw new IOException(shown + ": not a PostgreSQL JDBC URL (expected " + JdbcUrls.EXPECTED + ")");
        }
        HikariDataSource pool = connect(url, user, password, shown, options.connectionTimeoutMillis());
        try {
            migrate(pool, shown);
            claimRound(pool, agencies, shown);
            return new PostgresBetStore(pool, shown, agencies, options.lockAgencyRow());
        } catch (SQLException e) {
            pool.close();
            throw new IOException(shown + ": " + Sql.describe(e), e);
        } catch (StorageException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private static HikariDataSource connect(String url, String user, String password, String shown, long connectionTimeout)
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
    private static void migrate(HikariDataSource pool, String shown) throws StorageException {
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
    private static void claimRound(HikariDataSource pool, int agencies, String shown) throws SQLException, StorageException {
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

    private Recovery readRecovery() throws SQLException {
        try (Connection connection = pool.getConnection()) {
            try (Statement read = connection.createStatement();
                 ResultSet found = read.executeQuery("SELECT (SELECT coalesce(sum(stored_bets), 0) FROM agency),"
                         + " (SELECT count(*) FROM finished), EXISTS (SELECT 1 FROM draw)")) {
                found.next();
                return new Recovery(Math.toIntExact(found.getLong(1)), found.getInt(2), found.getBoolean(3), 0, 0);
            } finally {
                connection.rollback();
            }
        }
    }

    @Override
    public Recovery recovery() {
        return recovery;
    }

    @Override
    public Appended append(int agency, int firstBet, List<Bet> batch) throws IOException {
        return inTransaction("store the batch", connection -> append(connection, agency, firstBet, batch));
    }

    /** One run of an append's transaction; {@link Sql.LostRace} when another writer moved the agency on meanwhile. */
    private Appended append(Connection connection, int agency, int firstBet, List<Bet> batch) throws SQLException {
        AgencyRow row = agencyRow(connection, agency);
        int have = row.storedBets();
        if (firstBet > have) {
            return new Appended.Gap(have);
        }
        int skip = have - firstBet;
        if (skip >= batch.size()) {
            return new Appended.AlreadyStored(have);
        }
        if (row.finished()) {
            return new Appended.AgencyFinished(have);
        }
        List<Bet> fresh = batch.subList(skip, batch.size());
        BetInserts.insert(connection, agency, have, fresh);
        try (PreparedStatement move = connection.prepareStatement(
                "UPDATE agency SET stored_bets = ? WHERE agency = ? AND stored_bets = ?")) {
            move.setInt(1, have + fresh.size());
            move.setInt(2, agency);
            move.setInt(3, have);
            if (move.executeUpdate() != 1) {
                throw new Sql.LostRace(); // another writer moved the count since it was read: read it again
            }
        }
        return new Appended.Stored(fresh.size(), have + fresh.size());
    }

    private record AgencyRow(int storedBets, boolean finished) {
    }

    /** The agency's count and whether it finished, its row locked for this transaction (unless told not to). */
    private AgencyRow agencyRow(Connection connection, int agency) throws SQLException {
        try (PreparedStatement read = connection.prepareStatement("SELECT a.stored_bets, f.agency IS NOT NULL FROM agency a"
                + " LEFT JOIN finished f ON f.agency = a.agency WHERE a.agency = ?" + (lockAgencyRow ? " FOR UPDATE OF a" : ""))) {
            read.setInt(1, agency);
            try (ResultSet row = read.executeQuery()) {
                if (!row.next()) {
                    throw new IllegalArgumentException("agency " + agency + " is not of this round (agencies 1.." + agencies + ")");
                }
                return new AgencyRow(row.getInt(1), row.getBoolean(2));
            }
        }
    }

    @Override
    public int storedBets(int agency) {
        return held(agency).storedBets();
    }

    @Override
    public Held held(int agency) {
        return reading("read agency " + agency, connection -> {
            // One statement, so the count, "finished" and the last bet are of one moment.
            try (PreparedStatement read = connection.prepareStatement("SELECT a.stored_bets, f.agency IS NOT NULL,"
                    + " b.nombre, b.apellido, b.documento, b.nacimiento, b.numero FROM agency a"
                    + " LEFT JOIN finished f ON f.agency = a.agency"
                    + " LEFT JOIN bet b ON b.agency = a.agency AND b.position = a.stored_bets - 1 WHERE a.agency = ?")) {
                read.setInt(1, agency);
                try (ResultSet row = read.executeQuery()) {
                    if (!row.next()) {
                        throw new IllegalArgumentException("agency " + agency + " is not of this round (agencies 1.."
                                + agencies + ")");
                    }
                    Optional<Bet> last = row.getString(3) == null ? Optional.empty() : Optional.of(new Bet(
                            row.getString(3), row.getString(4), row.getString(5), row.getString(6), row.getInt(7)));
                    return new Held(row.getInt(1), row.getBoolean(2), last);
                }
            }
        });
    }

    @Override
    public boolean hasFinished(int agency) {
        return held(agency).finished();
    }

    @Override
    public boolean finish(int agency) throws IOException {
        return inTransaction("record finished", connection -> {
            agencyRow(connection, agency); // locks the row: an append of this agency waits, or has committed
            // The count is copied from the agency's row, and the row's key now references it: it cannot move on.
            try (PreparedStatement finish = connection.prepareStatement("INSERT INTO finished (agency, stored_bets)"
                    + " SELECT agency, stored_bets FROM agency WHERE agency = ? ON CONFLICT (agency) DO NOTHING")) {
                finish.setInt(1, agency);
                return finish.executeUpdate() == 1;
            }
        });
    }

    @Override
    public Map<Integer, List<String>> documentsOfBetsOn(int number) throws IOException {
        return inTransaction("read the bets on " + number, connection -> {
            Map<Integer, List<String>> found = new TreeMap<>();
            // A cursor (autocommit is off, a fetch size set): rows come FETCH_SIZE at a time, whatever the round's size.
            try (PreparedStatement read = connection.prepareStatement(
                    "SELECT agency, documento FROM bet WHERE numero = ? ORDER BY agency, position")) {
                read.setFetchSize(FETCH_SIZE);
                read.setInt(1, number);
                try (ResultSet rows = read.executeQuery()) {
                    while (rows.next()) {
                        found.computeIfAbsent(rows.getInt(1), a -> new ArrayList<>()).add(rows.getString(2));
                    }
                }
            }
            return found;
        });
    }

    @Override
    public Optional<Map<Integer, List<String>>> recordedDraw() {
        return reading("read the draw", PostgresBetStore::readDraw);
    }

    private static Optional<Map<Integer, List<String>>> readDraw(Connection connection) throws SQLException {
        try (Statement read = connection.createStatement();
             ResultSet rows = read.executeQuery("SELECT w.agency, w.documento FROM draw d"
                     + " LEFT JOIN draw_winner w ON w.draw = d.singleton ORDER BY w.ordinal")) {
            if (!rows.next()) {
                return Optional.empty();
            }
            Map<Integer, List<String>> winners = new TreeMap<>();
            do {
                if (rows.getString(2) != null) { // a draw without winners is one row of nulls
                    winners.computeIfAbsent(rows.getInt(1), a -> new ArrayList<>()).add(rows.getString(2));
                }
            } while (rows.next());
            return Optional.of(winners);
        }
    }

    @Override
    public DrawRecord recordDraw(Map<Integer, List<String>> winners) throws IOException {
        return inTransaction("record the draw", connection -> {
            int count = winners.values().stream().mapToInt(List::size).sum();
            try (PreparedStatement draw = connection.prepareStatement(
                    "INSERT INTO draw (winners) VALUES (?) ON CONFLICT (singleton) DO NOTHING")) {
                draw.setInt(1, count);
                if (draw.executeUpdate() == 0) {
                    // Recorded before (a restart, or another central, whose insert this one waited for): that one stands.
                    return new DrawRecord(readDraw(connection).orElseThrow(), false);
                }
            }
            List<Integer> agencyOf = new ArrayList<>(count);
            List<String> documents = new ArrayList<>(count);
            winners.forEach((agency, list) -> list.forEach(document -> {
                agencyOf.add(agency);
                documents.add(document);
            }));
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO draw_winner (ordinal, agency, documento)"
                    + " SELECT ordinality - 1, agency, documento FROM unnest(?::integer[], ?::text[])"
                    + " WITH ORDINALITY AS w(agency, documento, ordinality)")) {
                Array agencyArray = connection.createArrayOf("integer", agencyOf.toArray());
                Array documentArray = connection.createArrayOf("text", documents.toArray());
                insert.setArray(1, agencyArray);
                insert.setArray(2, documentArray);
                insert.executeUpdate();
            }
            return new DrawRecord(winners, true);
        });
    }

    @Override
    public void close() {
        pool.close();
    }

    /** How many transactions were run again after losing a race to another writer (see {@link #racesLost}). */
    long racesLost() {
        return racesLost.get();
    }

    @Override
    public String toString() {
        return "PostgresBetStore[" + url + "]";
    }

    /** The work of one transaction, run again from the start when it lost a race. */
    @FunctionalInterface
    private interface Work<T> {
        T run(Connection connection) throws SQLException;
    }

    /**
     * Runs {@code work} in one transaction and commits it. A transaction that lost a race to another writer
     * ({@link Sql#lostRace}) is rolled back and run again, up to {@link #ATTEMPTS} times; any other failure is an
     * {@link IOException} saying what could not be done and why.
     */
    private <T> T inTransaction(String what, Work<T> work) throws IOException {
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
    private <T> T reading(String what, Work<T> work) {
        try {
            return inTransaction(what, work);
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
}
