package ar.loteria.server.storage.postgres;

import ar.loteria.protocol.Bet;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.storage.StorageException;
import com.zaxxer.hikari.HikariDataSource;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.Array;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.flywaydb.core.Flyway;

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
    /** Rows fetched per round trip while the draw streams the bets on a number back. */
    private static final int FETCH_SIZE = 1_000;

    private final Transactions transactions;
    private final String url;
    private final int agencies;
    /** Whether a write locks its agency's row first (always, but in the tests that show the constraints alone suffice). */
    private final boolean lockAgencyRow;
    private final Recovery recovery;

    private PostgresBetStore(HikariDataSource pool, String url, int agencies, boolean lockAgencyRow) throws SQLException {
        this.transactions = new Transactions(pool, url);
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
        HikariDataSource pool = LedgerDatabase.connect(url, user, password, shown, options.connectionTimeoutMillis());
        try {
            LedgerDatabase.migrate(pool, shown);
            LedgerDatabase.claimRound(pool, agencies, shown);
            return new PostgresBetStore(pool, shown, agencies, options.lockAgencyRow());
        } catch (SQLException e) {
            pool.close();
            throw new IOException(shown + ": " + Sql.describe(e), e);
        } catch (StorageException | RuntimeException e) {
            pool.close();
            throw e;
        }
    }

    private Recovery readRecovery() throws SQLException {
        try (Connection connection = transactions.connection()) {
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
        return transactions.run("store the batch", connection -> append(connection, agency, firstBet, batch));
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
        return transactions.read("read agency " + agency, connection -> {
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
    public OptionalInt finish(int agency) throws IOException {
        return transactions.run("record finished", connection -> {
            agencyRow(connection, agency); // locks the row: an append of this agency waits, or has committed
            // The count is copied from the agency's row, and the row's key now references it: it cannot move on.
            try (PreparedStatement finish = connection.prepareStatement("INSERT INTO finished (agency, stored_bets)"
                    + " SELECT agency, stored_bets FROM agency WHERE agency = ? ON CONFLICT (agency) DO NOTHING"
                    + " RETURNING stored_bets")) {
                finish.setInt(1, agency);
                try (ResultSet inserted = finish.executeQuery()) {
                    return inserted.next() ? OptionalInt.of(inserted.getInt(1)) : OptionalInt.empty();
                }
            }
        });
    }

    @Override
    public Map<Integer, List<String>> documentsOfBetsOn(int number) throws IOException {
        return transactions.run("read the bets on " + number, connection -> {
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
        return transactions.read("read the draw", PostgresBetStore::readDraw);
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
        return transactions.run("record the draw", connection -> {
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
        transactions.close();
    }

    /** How many transactions were run again after losing a race to another writer. */
    long racesLost() {
        return transactions.racesLost();
    }

    @Override
    public String toString() {
        return "PostgresBetStore[" + url + "]";
    }
}
