package ar.loteria.server.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.Bet;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.storage.BetStore.Appended;
import ar.loteria.server.storage.BetStoreContract;
import ar.loteria.server.storage.StorageException;
import ar.loteria.server.support.Concurrently;
import ar.loteria.server.support.TestPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The contract of every ledger ({@link BetStoreContract}) on {@link PostgresBetStore} over a real PostgreSQL (one
 * embedded server per test JVM, a new database per test), and what only a shared database does: two centrals writing
 * at once (a split brain) store every bet once and draw once, by the database's constraints even without the row
 * lock; the round's agency count; the schema made by Flyway; one clear line for what cannot be opened.
 */
class PostgresBetStoreTest extends BetStoreContract {
    private static final PostgresBetStore.Options NO_ROW_LOCK = new PostgresBetStore.Options(false, 5_000);
    private String database;
    private String url;

    @BeforeEach
    void newDatabase() throws SQLException {
        database = TestPostgres.newDatabase();
        url = TestPostgres.url(database);
    }

    @Override
    protected BetStore open(int agencies) throws Exception {
        return PostgresBetStore.open(url, TestPostgres.SUPERUSER, null, agencies);
    }

    private PostgresBetStore open(int agencies, PostgresBetStore.Options options) throws Exception {
        return PostgresBetStore.open(url, TestPostgres.SUPERUSER, null, agencies, options);
    }

    /**
     * Two centrals on one database (a split brain: each thinks it serves), each with a thread per agency sending that
     * agency's whole stream in its own cut of batches, then "finished"; then both draw from several threads at once.
     * Every bet is stored once and in order, each agency finished once, the draw recorded once and the same for all.
     * With the row lock no transaction ever loses a race; without it some do, are run again, and the result is the same.
     */
    @ParameterizedTest(name = "row lock {0}")
    @ValueSource(booleans = {true, false})
    void twoCentralsWritingAtOnceStoreEveryBetOnceAndDrawOnce(boolean rowLock) throws Exception {
        int agencies = 3;
        Map<Integer, List<Bet>> streams = new TreeMap<>();
        for (int agency = 1; agency <= agencies; agency++) {
            streams.put(agency, numberedBets(900 + 250 * agency));
        }
        PostgresBetStore.Options options = new PostgresBetStore.Options(rowLock, 5_000);
        try (PostgresBetStore first = open(agencies, options); PostgresBetStore second = open(agencies, options)) {
            List<PostgresBetStore> centrals = List.of(first, second);
            List<OptionalInt> finished = Concurrently.run(2 * agencies, thread -> {
                PostgresBetStore central = centrals.get(thread % 2);
                int agency = 1 + thread / 2;
                List<Bet> stream = streams.get(agency);
                int batch = thread % 2 == 0 ? 40 : 57; // the centrals' batches overlap each other's
                for (int from = 0; from < stream.size(); from += batch) {
                    Appended appended = central.append(agency, from, stream.subList(from, Math.min(stream.size(), from + batch)));
                    if (!(appended instanceof Appended.Stored || appended instanceof Appended.AlreadyStored)) {
                        throw new AssertionError("agency " + agency + " at " + from + ": " + appended);
                    }
                }
                return central.finish(agency);
            });
            assertEquals(streams.values().stream().map(List::size).sorted().toList(),
                    finished.stream().filter(OptionalInt::isPresent).map(OptionalInt::getAsInt).sorted().toList(),
                    "each agency finished once, recorded with its whole stream: " + finished);

            List<BetStore.DrawRecord> draws = Concurrently.run(6, thread -> {
                PostgresBetStore central = centrals.get(thread % 2);
                return central.recordDraw(central.documentsOfBetsOn(7574));
            });
            assertEquals(1, draws.stream().filter(BetStore.DrawRecord::recordedNow).count(), "one draw recorded");
            Map<Integer, List<String>> expected = winnersOf(streams, 7574);
            for (BetStore.DrawRecord draw : draws) {
                assertEquals(expected, draw.winners());
            }
            for (PostgresBetStore central : centrals) {
                assertEquals(Optional.of(expected), central.recordedDraw());
                for (int agency = 1; agency <= agencies; agency++) {
                    List<Bet> stream = streams.get(agency);
                    assertEquals(new BetStore.Held(stream.size(), true, Optional.of(stream.get(stream.size() - 1))),
                            central.held(agency));
                }
            }
            assertEquals(streams, storedRows(), "every bet once, in order, as sent");
            if (rowLock) {
                assertEquals(0, first.racesLost() + second.racesLost(), "the row lock makes writers wait instead");
            }
        }
    }

    /**
     * Without the row lock a second insert of a position fails on the bet table's key, and the append is answered from
     * what is stored. Made to happen for sure: another writer (a plain connection, as a second central's transaction)
     * inserts bet 0 and holds it uncommitted while the store's append reads the count 0 and tries to insert bet 0 too.
     */
    @Test
    void withoutTheRowLockTheKeyRefusesAPositionStoredMeanwhile() throws Exception {
        List<Bet> stream = numberedBets(5);
        try (PostgresBetStore store = open(1, NO_ROW_LOCK); Connection other = TestPostgres.connect(database)) {
            other.setAutoCommit(false);
            insertAsAnotherCentral(other, 1, 0, stream.get(0));
            CompletableFuture<Appended> append = CompletableFuture.supplyAsync(() -> appendUnchecked(store, 1, 0, stream));
            awaitStoreBlockedOnALock(append);
            execute(other, "UPDATE agency SET stored_bets = 1 WHERE agency = 1");
            other.commit();
            assertEquals(new Appended.Stored(4, 5), append.get(30, TimeUnit.SECONDS), "bets 1..4 stored, bet 0 not again");
            assertEquals(1, store.racesLost(), "its first run lost on the key, its second answered from what is stored");
            assertEquals(Map.of(1, stream), storedRows());
        }
    }

    /**
     * Without the row lock, "finished" still pins the count: another central finishes the agency (uncommitted) while
     * the store's append has read "not finished" and inserted its bets; the append's move of the count then fails on
     * the foreign key, and run again it answers "finished". No bet is left past the finished count.
     */
    @Test
    void withoutTheRowLockFinishedStillPinsTheCount() throws Exception {
        List<Bet> stream = numberedBets(4);
        try (PostgresBetStore store = open(1, NO_ROW_LOCK); Connection other = TestPostgres.connect(database)) {
            store.append(1, 0, stream.subList(0, 2));
            other.setAutoCommit(false);
            execute(other, "INSERT INTO finished (agency, stored_bets) VALUES (1, 2)");
            CompletableFuture<Appended> append = CompletableFuture.supplyAsync(() -> appendUnchecked(store, 1, 2, stream.subList(2, 4)));
            awaitStoreBlockedOnALock(append);
            other.commit();
            assertEquals(new Appended.AgencyFinished(2), append.get(30, TimeUnit.SECONDS));
            assertEquals(1, store.racesLost());
            assertEquals(new BetStore.Held(2, true, Optional.of(stream.get(1))), store.held(1));
            assertEquals(Map.of(1, stream.subList(0, 2)), storedRows(), "the bets of the failed run were rolled back");
        }
    }

    /** The draw's key allows one row per round: a draw recorded meanwhile by another central stands. */
    @Test
    void aDrawRecordedMeanwhileByAnotherCentralStands() throws Exception {
        try (BetStore store = open(1); Connection other = TestPostgres.connect(database)) {
            other.setAutoCommit(false);
            execute(other, "INSERT INTO draw (winners) VALUES (1)");
            execute(other, "INSERT INTO draw_winner (ordinal, agency, documento) VALUES (0, 1, '0042')");
            CompletableFuture<BetStore.DrawRecord> draw = CompletableFuture.supplyAsync(() -> {
                try {
                    return store.recordDraw(Map.of(1, List.of("00000000", "77")));
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            awaitStoreBlockedOnALock(draw);
            other.commit();
            assertEquals(new BetStore.DrawRecord(Map.of(1, List.of("0042")), false), draw.get(30, TimeUnit.SECONDS));
            assertEquals(Optional.of(Map.of(1, List.of("0042"))), store.recordedDraw());
        }
    }

    @Test
    void anotherAgencyCountIsRefusedNamingWhatTheDatabaseHolds() throws Exception {
        try (BetStore store = open(3)) {
            store.append(1, 0, List.of(ANA, BETO));
            store.append(3, 0, List.of(CIRO));
            store.finish(3);
        }
        for (int other : new int[] {2, 4}) {
            StorageException refused = assertThrows(StorageException.class, () -> open(other));
            assertEquals(url + ": the database holds another round (found a round of 3 agencies, 3 bet(s), agencies [3]"
                    + " finished, no draw), but this central's round has " + other + " agencies; a new round starts in an"
                    + " empty database (drop and create it, or point STORAGE_URL at another)", refused.getMessage());
        }
        assertEquals("3 3", query("SELECT (SELECT agencies FROM round) || ' ' || (SELECT count(*) FROM agency)"),
                "nothing changed");
        try (BetStore store = open(3)) {
            assertEquals(new BetStore.Recovery(3, 1, false, 0, 0), store.recovery());
        }
    }

    @Test
    void theSchemaIsMadeByFlywayAndLeftAsItIsAtTheNextOpen() throws Exception {
        try (BetStore store = open(2)) {
            assertTrue(store.recovery().empty());
        }
        String history = "SELECT string_agg(version || ':' || success || ':' || checksum || ':' || installed_on, ',')"
                + " FROM flyway_schema_history";
        String made = query(history);
        assertTrue(made.startsWith("1:true:"), made);
        assertEquals("agency,bet,draw,draw_winner,finished,flyway_schema_history,round", query(
                "SELECT string_agg(table_name, ',' ORDER BY table_name) FROM information_schema.tables"
                        + " WHERE table_schema = 'public'"));
        assertEquals("agency_count_key,finished_pins_the_count", query("SELECT string_agg(conname, ',' ORDER BY conname)"
                + " FROM pg_constraint WHERE conname IN ('agency_count_key', 'finished_pins_the_count')"));
        assertEquals("bet_pkey:agency,position", query("SELECT c.conname || ':' || string_agg(a.attname, ',' ORDER BY k.n)"
                + " FROM pg_constraint c, unnest(c.conkey) WITH ORDINALITY k(attnum, n), pg_attribute a"
                + " WHERE c.conrelid = 'bet'::regclass AND c.contype = 'p' AND a.attrelid = c.conrelid AND a.attnum = k.attnum"
                + " GROUP BY c.conname"), "a bet's key is its place in its agency's stream");
        try (BetStore store = open(2)) {
            store.append(1, 0, List.of(ANA));
        }
        assertEquals(made, query(history), "opened again: the schema is left as it is");
    }

    @Test
    void aSchemaNewerThanThisCentralsIsRefused() throws Exception {
        open(1).close();
        execute("INSERT INTO flyway_schema_history (installed_rank, version, description, type, script, checksum,"
                + " installed_by, execution_time, success) VALUES (2, '2', 'standby', 'SQL', 'V2__standby.sql', 1,"
                + " 'postgres', 1, true)");
        StorageException refused = assertThrows(StorageException.class, () -> open(1));
        assertEquals(url + ": the database's schema is at version 2 (standby), newer than this central's version 1: run"
                + " the central that made it, or a new round starts in an empty database (drop and create it, or point"
                + " STORAGE_URL at another)", refused.getMessage());
    }

    @Test
    void aDatabaseHoldingOtherTablesIsRefused() throws Exception {
        execute("CREATE TABLE customers (id integer)");
        StorageException refused = assertThrows(StorageException.class, () -> open(1));
        assertTrue(refused.getMessage().startsWith(url + ": cannot make the ledger's schema: Found non-empty schema(s)"),
                refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), refused.getMessage());
        assertEquals("customers", query("SELECT string_agg(table_name, ',') FROM information_schema.tables"
                + " WHERE table_schema = 'public'"), "nothing made");
    }

    @Test
    void whatCannotBeOpenedIsOneLineNamingTheUrlWithoutItsPassword() throws Exception {
        IOException notPostgres = assertThrows(IOException.class,
                () -> PostgresBetStore.open("jdbc:mysql://db/loteria?password=secret", "u", "secret", 1));
        assertEquals("jdbc:mysql://db/loteria?password=***: not a PostgreSQL JDBC URL (expected"
                + " jdbc:postgresql://HOST[:PORT]/DATABASE)", notPostgres.getMessage());

        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort(); // nothing listens there once it is closed
        }
        String unreachable = "jdbc:postgresql://127.0.0.1:" + closedPort + "/loteria?user=u&password=secret";
        IOException refused = assertThrows(IOException.class, () -> PostgresBetStore.open(unreachable, null, "secret", 1));
        assertTrue(refused.getMessage().startsWith("jdbc:postgresql://127.0.0.1:" + closedPort
                + "/loteria?user=u&password=***: cannot connect: Connection to 127.0.0.1:" + closedPort + " refused"),
                refused.getMessage());
        assertTrue(refused.getMessage().contains("SQLSTATE 08001"), refused.getMessage());

        String absent = TestPostgres.url("no_such_database");
        IOException missing = assertThrows(IOException.class, () -> PostgresBetStore.open(absent, TestPostgres.SUPERUSER,
                "secret", 1));
        assertTrue(missing.getMessage().startsWith(absent + ": cannot connect: FATAL: database \"no_such_database\" does"
                + " not exist"), missing.getMessage());
        // The driver's message for a URL it cannot parse quotes the URL whole.
        String unparsable = "jdbc:postgresql://127.0.0.1:54x2/loteria?user=u&password=secret&sslpassword=secret";
        IOException malformed = assertThrows(IOException.class, () -> PostgresBetStore.open(unparsable, null, null, 1));
        assertTrue(malformed.getMessage().contains("password=***&sslpassword=***"), malformed.getMessage());
        for (IOException e : List.of(notPostgres, refused, missing, malformed)) {
            assertFalse(e.getMessage().contains("secret"), e.getMessage());
            assertFalse(e.getMessage().contains("\n"), e.getMessage());
        }
    }

    /**
     * A ledger that goes away under a running store: writes fail with an IOException saying what could not be done
     * where (the service answers "unavailable" and the agency retries), reads with an UncheckedIOException.
     */
    @Test
    void aLedgerThatGoesAwayFailsEachCallWithOneLine() throws Exception {
        try (PostgresBetStore store = open(1, new PostgresBetStore.Options(true, 250))) {
            store.append(1, 0, List.of(ANA));
            try (Connection admin = TestPostgres.connect("postgres"); Statement drop = admin.createStatement()) {
                drop.execute("DROP DATABASE " + database + " WITH (FORCE)"); // ends the store's connections too
            }
            IOException append = assertThrows(IOException.class, () -> store.append(1, 1, List.of(BETO)));
            assertTrue(append.getMessage().startsWith("cannot store the batch in the ledger at " + url + ": "),
                    append.getMessage());
            assertFalse(append.getMessage().contains("\n"), append.getMessage());
            UncheckedIOException held = assertThrows(UncheckedIOException.class, () -> store.held(1));
            assertTrue(held.getMessage().startsWith("cannot read agency 1 in the ledger at " + url + ": "), held.getMessage());
        }
    }

    @Test
    void theDrawReadsBackMoreBetsThanOneFetchHolds() throws Exception {
        List<Bet> all = new ArrayList<>();
        for (int i = 0; i < 2_500; i++) {
            all.add(new Bet("N", "A", String.format("%07d", i), "2000-01-01", 7574));
        }
        try (BetStore store = open(2)) {
            for (int from = 0; from < all.size(); from += 500) {
                store.append(2, from, all.subList(from, from + 500));
            }
            assertEquals(Map.of(2, documentsOf(all, 7574)), store.documentsOfBetsOn(7574));
        }
    }

    // ------------------------------------------------------------------------------------------------ helpers

    private static Appended appendUnchecked(BetStore store, int agency, int from, List<Bet> bets) {
        try {
            return store.append(agency, from, bets);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void insertAsAnotherCentral(Connection connection, int agency, int position, Bet bet) throws SQLException {
        try (var insert = connection.prepareStatement("INSERT INTO bet VALUES (?, ?, ?, ?, ?, ?, ?)")) {
            insert.setInt(1, agency);
            insert.setInt(2, position);
            insert.setString(3, bet.firstName());
            insert.setString(4, bet.lastName());
            insert.setString(5, bet.document());
            insert.setString(6, bet.birthdate());
            insert.setInt(7, bet.number());
            insert.executeUpdate();
        }
    }

    /**
     * Waits until one of the store's connections waits for a lock held by another transaction (the race is then
     * certain to happen), watching PostgreSQL's own view of its backends; fails if the store's call ended instead.
     */
    private void awaitStoreBlockedOnALock(CompletableFuture<?> call) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        try (Connection watcher = TestPostgres.connect(database); var waiting = watcher.prepareStatement(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = ? AND application_name LIKE 'loteria-central-%'"
                        + " AND wait_event_type = 'Lock'")) {
            waiting.setString(1, database);
            while (true) {
                assertFalse(call.isDone(), () -> "the store's call ended without waiting: " + call.join());
                try (ResultSet count = waiting.executeQuery()) {
                    count.next();
                    if (count.getInt(1) > 0) {
                        return;
                    }
                }
                assertTrue(System.nanoTime() < deadline, "the store's call never waited for the other writer");
            }
        }
    }

    /** Every stored bet, by agency, in position order (positions checked to run 0, 1, 2, ...). */
    private Map<Integer, List<Bet>> storedRows() throws SQLException {
        Map<Integer, List<Bet>> rows = new TreeMap<>();
        try (Connection connection = TestPostgres.connect(database); Statement read = connection.createStatement();
             ResultSet row = read.executeQuery("SELECT agency, position, nombre, apellido, documento, nacimiento, numero"
                     + " FROM bet ORDER BY agency, position")) {
            while (row.next()) {
                List<Bet> bets = rows.computeIfAbsent(row.getInt(1), a -> new ArrayList<>());
                assertEquals(bets.size(), row.getInt(2), "positions without gaps");
                bets.add(new Bet(row.getString(3), row.getString(4), row.getString(5), row.getString(6), row.getInt(7)));
            }
        }
        return rows;
    }

    private String query(String sql) throws SQLException {
        try (Connection connection = TestPostgres.connect(database); Statement read = connection.createStatement();
             ResultSet row = read.executeQuery(sql)) {
            row.next();
            return row.getString(1);
        }
    }

    private void execute(String sql) throws SQLException {
        try (Connection connection = TestPostgres.connect(database)) {
            execute(connection, sql);
        }
    }

    private static void execute(Connection connection, String sql) throws SQLException {
        try (Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
