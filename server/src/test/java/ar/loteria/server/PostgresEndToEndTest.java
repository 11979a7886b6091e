package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.server.support.Agencies;
import ar.loteria.server.support.Dataset;
import ar.loteria.server.support.LogCapture;
import ar.loteria.server.support.ServerHarness;
import ar.loteria.server.support.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The central as ServerMain starts it with STORAGE_URL set: the ledger in PostgreSQL, the real data from five real
 * agencies, and a restart after the draw that answers from the recorded result without drawing again.
 */
class PostgresEndToEndTest {
    @TempDir
    Path dir;

    @Test
    @Timeout(180)
    void realDatasetWithTheLedgerInPostgres() throws Exception {
        Dataset.extract(dir);
        String database = TestPostgres.newDatabase();
        Map<String, String> env = Map.of("STORAGE_URL", TestPostgres.url(database), "STORAGE_USER", TestPostgres.SUPERUSER);
        Path unused = dir.resolve("storage");
        try (LogCapture logs = LogCapture.begin()) {
            try (ServerHarness server = ServerHarness.start(unused, Dataset.AGENCIES, env)) {
                List<List<String>> winners = Agencies.runAll(dir, Dataset.AGENCIES, server.port(), a -> Dataset.agencyFile(dir, a));
                assertEquals(List.of(2, 3, 3, 2, 0), winners.stream().map(List::size).toList(), "winners per agency 1..5");
                Map<Integer, List<String>> expected = Dataset.expectedWinners(dir, Dataset.AGENCIES);
                for (int agency = 1; agency <= Dataset.AGENCIES; agency++) {
                    assertEquals(sorted(expected.get(agency)), sorted(winners.get(agency - 1)), "winning documents of " + agency);
                }
            }
            Map<Integer, List<List<String>>> stored = storedRows(database);
            for (int agency = 1; agency <= Dataset.AGENCIES; agency++) {
                assertEquals(Dataset.rows(Dataset.agencyFile(dir, agency)).stream().map(Arrays::asList).toList(),
                        stored.get(agency), "agency " + agency + ": its file's rows, in order, once, as written");
            }
            assertFalse(Files.exists(unused.resolve("bets.csv")), "nothing went to the storage directory");

            // A restart on the same database: the round is recovered, and an agency run again gets its winners from
            // the recorded draw; the draw is not made (nor logged) again.
            try (ServerHarness again = ServerHarness.start(unused, Dataset.AGENCIES, env)) {
                assertEquals(1, logs.matching("action: recuperar_ronda | result: success | apuestas: 78697"
                        + " | agencias_finalizadas: 5 | draw_recorded: true").size(), String.join("\n", logs.matching("recuperar_ronda")));
                assertEquals(3, Agencies.run(dir, 2, again.port(), Dataset.agencyFile(dir, 2)).size());
            }
            assertEquals(1, logs.matching("action: sorteo").size(), "one draw for the round");
            assertEquals(List.of(), logs.matching("result: fail"));
            assertTrue(logs.matching("action: listen").size() >= 2);
        }
    }

    private static Map<Integer, List<List<String>>> storedRows(String database) throws Exception {
        Map<Integer, List<List<String>>> rows = new TreeMap<>();
        try (Connection connection = TestPostgres.connect(database); Statement read = connection.createStatement();
             ResultSet row = read.executeQuery("SELECT agency, nombre, apellido, documento, nacimiento, numero FROM bet"
                     + " ORDER BY agency, position")) {
            while (row.next()) {
                rows.computeIfAbsent(row.getInt(1), a -> new ArrayList<>()).add(List.of(row.getString(2), row.getString(3),
                        row.getString(4), row.getString(5), String.valueOf(row.getInt(6))));
            }
        }
        return rows;
    }

    private static List<String> sorted(List<String> documents) {
        return documents.stream().sorted().toList();
    }
}
