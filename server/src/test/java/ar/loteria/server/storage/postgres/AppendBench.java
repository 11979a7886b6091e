package ar.loteria.server.storage.postgres;

import ar.loteria.protocol.Bet;
import ar.loteria.server.support.Dataset;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.File;
import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.apache.commons.csv.CSVFormat;
import org.postgresql.PGConnection;

/**
 * What one batch costs at the JDBC level (docs/performance.md, "The ledger in PostgreSQL"): not a test, a main run
 * by hand. It starts an embedded PostgreSQL (fsync on, synchronous_commit as given), and times batches of 140 real
 * bets (the agencies' default batch) stored in the ways the driver offers, each batch one transaction as the ledger
 * makes it, then {@link PostgresBetStore#append} itself (lock, insert, move the count, commit):
 * <pre>
 *   java -cp server/target/classes:server/target/test-classes:$(test classpath) \
 *       ar.loteria.server.storage.postgres.AppendBench [synchronous_commit: on|off] [batches] [rounds]
 * </pre>
 */
public final class AppendBench {
    private static final int BATCH = 140;

    private AppendBench() {
    }

    public static void main(String[] args) throws Exception {
        String synchronousCommit = args.length > 0 ? args[0] : "on";
        int batches = args.length > 1 ? Integer.parseInt(args[1]) : 2_000;
        Path data = Files.createTempDirectory("bench-data");
        Dataset.extract(data);
        List<Bet> bets = new ArrayList<>();
        for (String[] row : Dataset.rows(Dataset.agencyFile(data, 1))) {
            bets.add(new Bet(row[0], row[1], row[2], row[3], Integer.parseInt(row[4])));
        }
        File log = Files.createTempFile("bench-postgres", ".log").toFile();
        try (EmbeddedPostgres server = EmbeddedPostgres.builder().setServerConfig("fsync", "on")
                .setServerConfig("synchronous_commit", synchronousCommit).setServerConfig("full_page_writes", "on")
                .setOutputRedirector(ProcessBuilder.Redirect.appendTo(log))
                .setErrorRedirector(ProcessBuilder.Redirect.appendTo(log)).start()) {
            System.out.printf("PostgreSQL on port %d, fsync on, synchronous_commit %s; %d batches of %d bets each way%n",
                    server.getPort(), synchronousCommit, batches, BATCH);
            int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 2;
            for (int round = 1; round <= rounds; round++) { // the first round warms the JIT up
                System.out.println("round " + round);
                for (Way way : Way.values()) {
                    String database = "bench_" + way.name().toLowerCase() + "_" + round;
                    try (Connection admin = server.getPostgresDatabase().getConnection(); Statement create = admin.createStatement()) {
                        create.execute("CREATE DATABASE " + database);
                    }
                    String url = "jdbc:postgresql://localhost:" + server.getPort() + "/" + database;
                    PostgresBetStore.open(url, "postgres", null, 1).close(); // the schema
                    long nanos;
                    if (way == Way.STORE_APPEND) {
                        try (PostgresBetStore store = PostgresBetStore.open(url, "postgres", null, 1)) {
                            long start = System.nanoTime();
                            for (int b = 0; b < batches; b++) {
                                store.append(1, b * BATCH, batch(bets, b));
                            }
                            nanos = System.nanoTime() - start;
                        }
                    } else {
                        Properties properties = new Properties();
                        properties.setProperty("user", "postgres");
                        properties.setProperty("reWriteBatchedInserts", String.valueOf(way == Way.JDBC_BATCH_REWRITTEN));
                        try (Connection connection = DriverManager.getConnection(url, properties)) {
                            connection.setAutoCommit(false);
                            long start = System.nanoTime();
                            for (int b = 0; b < batches; b++) {
                                way.insert(connection, b * BATCH, batch(bets, b));
                                connection.commit();
                            }
                            nanos = System.nanoTime() - start;
                        }
                    }
                    System.out.printf("  %-22s %7.0f µs per batch  %6.2f µs per bet  %,9.0f bets/s%n", way,
                            nanos / 1e3 / batches, nanos / 1e3 / batches / BATCH, batches * (double) BATCH / (nanos / 1e9));
                }
            }
            phases(server, bets, batches);
        }
    }

    /**
     * Where the time of one append goes: the ledger's statements run by hand on one connection, each phase timed
     * (the lock, the insert, the move of the count, the commit).
     */
    private static void phases(EmbeddedPostgres server, List<Bet> bets, int batches) throws Exception {
        try (Connection admin = server.getPostgresDatabase().getConnection(); Statement create = admin.createStatement()) {
            create.execute("CREATE DATABASE bench_phases");
        }
        String url = "jdbc:postgresql://localhost:" + server.getPort() + "/bench_phases";
        PostgresBetStore.open(url, "postgres", null, 1).close();
        long[] phase = new long[4];
        try (Connection connection = DriverManager.getConnection(url, "postgres", null)) {
            connection.setAutoCommit(false);
            for (int b = 0; b < batches; b++) {
                long t0 = System.nanoTime();
                try (PreparedStatement lock = connection.prepareStatement("SELECT a.stored_bets, f.agency IS NOT NULL"
                        + " FROM agency a LEFT JOIN finished f ON f.agency = a.agency WHERE a.agency = ? FOR UPDATE OF a")) {
                    lock.setInt(1, 1);
                    lock.executeQuery().close();
                }
                long t1 = System.nanoTime();
                BetInserts.insert(connection, 1, b * BATCH, batch(bets, b));
                long t2 = System.nanoTime();
                try (PreparedStatement move = connection.prepareStatement(
                        "UPDATE agency SET stored_bets = ? WHERE agency = ? AND stored_bets = ?")) {
                    move.setInt(1, (b + 1) * BATCH);
                    move.setInt(2, 1);
                    move.setInt(3, b * BATCH);
                    move.executeUpdate();
                }
                long t3 = System.nanoTime();
                connection.commit();
                long t4 = System.nanoTime();
                if (b >= batches / 2) { // the second half, warm
                    phase[0] += t1 - t0;
                    phase[1] += t2 - t1;
                    phase[2] += t3 - t2;
                    phase[3] += t4 - t3;
                }
            }
        }
        int counted = batches - batches / 2;
        System.out.printf("phases of an append (µs per batch): lock %.0f, insert %.0f, move the count %.0f, commit %.0f%n",
                phase[0] / 1e3 / counted, phase[1] / 1e3 / counted, phase[2] / 1e3 / counted, phase[3] / 1e3 / counted);
    }

    private static List<Bet> batch(List<Bet> bets, int index) {
        int from = (index * BATCH) % (bets.size() - BATCH);
        return bets.subList(from, from + BATCH);
    }

    private enum Way {
        /** One INSERT ... VALUES per bet, sent as a JDBC batch (one round trip, one statement per row). */
        JDBC_BATCH,
        /** The same with reWriteBatchedInserts=true: the driver folds the rows into multi-row INSERTs. */
        JDBC_BATCH_REWRITTEN,
        /** One INSERT ... SELECT FROM unnest(five arrays): what BetInserts does. */
        UNNEST_ARRAYS,
        /** COPY ... FROM STDIN (CSV) through the driver's CopyManager. */
        COPY,
        /** The ledger's own append: lock the agency's row, insert (unnest), move the count, commit. */
        STORE_APPEND;

        void insert(Connection connection, int from, List<Bet> bets) throws Exception {
            switch (this) {
                case JDBC_BATCH, JDBC_BATCH_REWRITTEN -> {
                    try (PreparedStatement insert = connection.prepareStatement(
                            "INSERT INTO bet (agency, position, nombre, apellido, documento, nacimiento, numero)"
                                    + " VALUES (?, ?, ?, ?, ?, ?, ?)")) {
                        for (int i = 0; i < bets.size(); i++) {
                            Bet bet = bets.get(i);
                            insert.setInt(1, 1);
                            insert.setInt(2, from + i);
                            insert.setString(3, bet.firstName());
                            insert.setString(4, bet.lastName());
                            insert.setString(5, bet.document());
                            insert.setString(6, bet.birthdate());
                            insert.setInt(7, bet.number());
                            insert.addBatch();
                        }
                        insert.executeBatch();
                    }
                }
                case UNNEST_ARRAYS -> BetInserts.insert(connection, 1, from, bets);
                case COPY -> {
                    StringBuilder csv = new StringBuilder();
                    for (int i = 0; i < bets.size(); i++) {
                        Bet bet = bets.get(i);
                        CSVFormat.DEFAULT.printRecord(csv, 1, from + i, bet.firstName(), bet.lastName(), bet.document(),
                                bet.birthdate(), bet.number());
                    }
                    connection.unwrap(PGConnection.class).getCopyAPI().copyIn("COPY bet (agency, position, nombre,"
                            + " apellido, documento, nacimiento, numero) FROM STDIN (FORMAT csv)", new StringReader(csv.toString()));
                }
                default -> throw new SQLException("not a raw way: " + this);
            }
        }
    }
}
