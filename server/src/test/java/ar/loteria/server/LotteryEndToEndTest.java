package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.client.AgencyClient;
import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.source.CsvBetSource;
import ar.loteria.server.storage.StoredBet;
import ar.loteria.server.support.Dataset;
import ar.loteria.server.support.LogCapture;
import ar.loteria.server.support.ServerHarness;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole system in one JVM over loopback: real clients, real server, real data. */
class LotteryEndToEndTest {
    @TempDir
    Path dir;

    static ClientConfig clientConfig(int agency, int port, Path data) {
        return new ClientConfig(agency, "127.0.0.1:" + port, "127.0.0.1", port, 3, "50ms", Duration.ofMillis(50),
                "INFO", ClientConfig.DEFAULT_BATCH_MAX_AMOUNT, data);
    }

    /** Runs one client per agency concurrently; returns each agency's winners (index 0 = agency 1). */
    static List<List<String>> runAgencies(int agencies, int port, java.util.function.IntFunction<Path> files)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(agencies);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int agency = 1; agency <= agencies; agency++) {
                ClientConfig config = clientConfig(agency, port, files.apply(agency));
                runs.add(pool.submit(() -> {
                    try (CsvBetSource source = new CsvBetSource(config.dataFile())) {
                        return new AgencyClient(config, source, false).run();
                    }
                }));
            }
            List<List<String>> winners = new ArrayList<>();
            for (Future<List<String>> run : runs) {
                winners.add(run.get());
            }
            return winners;
        } finally {
            pool.shutdownNow();
        }
    }

    /** One comparable line per bet: agency and the five fields as the agency file has them. */
    private static List<String> storedLines(ServerHarness server) throws Exception {
        List<String> lines = new ArrayList<>();
        server.store().forEach((StoredBet bet) -> lines.add(bet.agency() + "," + bet.firstName() + "," + bet.lastName()
                + "," + bet.document() + "," + bet.birthdate() + "," + bet.number()));
        return lines;
    }

    private static List<String> sourceLines(int agency, Path file) throws Exception {
        List<String> lines = new ArrayList<>();
        for (String[] row : Dataset.rows(file)) {
            lines.add(agency + "," + String.join(",", row));
        }
        return lines;
    }

    private static void assertSortedEqual(List<String> expected, List<String> actual) {
        List<String> e = new ArrayList<>(expected);
        List<String> a = new ArrayList<>(actual);
        Collections.sort(e);
        Collections.sort(a);
        assertEquals(e.size(), a.size(), "number of stored bets");
        assertEquals(e, a, "stored bets differ from the agency files");
    }

    @Test
    @Timeout(120)
    void realDatasetFromFiveConcurrentAgencies() throws Exception {
        Dataset.extract(dir);
        try (LogCapture logs = LogCapture.begin();
             ServerHarness server = ServerHarness.start(dir.resolve("bets.csv"), Dataset.AGENCIES, 8)) {
            List<List<String>> winners = runAgencies(Dataset.AGENCIES, server.port(), a -> Dataset.agencyFile(dir, a));

            assertEquals(List.of(2, 3, 3, 2, 0), winners.stream().map(List::size).toList(), "winners per agency 1..5");
            Map<Integer, List<String>> expected = Dataset.expectedWinners(dir, Dataset.AGENCIES);
            for (int agency = 1; agency <= Dataset.AGENCIES; agency++) {
                assertEquals(sortedCopy(expected.get(agency)), sortedCopy(winners.get(agency - 1)),
                        "winning documents of agency " + agency);
            }

            List<String> expectedBets = new ArrayList<>();
            for (int agency = 1; agency <= Dataset.AGENCIES; agency++) {
                expectedBets.addAll(sourceLines(agency, Dataset.agencyFile(dir, agency)));
            }
            assertEquals(Dataset.TOTAL_BETS, expectedBets.size());
            assertSortedEqual(expectedBets, storedLines(server));
            assertEquals(Dataset.TOTAL_BETS, server.store().storedBets());

            List<String> lines = logs.lines();
            List<String> draws = logs.matching("action: sorteo");
            assertEquals(1, draws.size(), "the draw runs exactly once: " + draws);
            int drawIndex = lines.indexOf(draws.get(0));
            int lastStored = -1;
            int firstWinnersSent = Integer.MAX_VALUE;
            for (int i = 0; i < lines.size(); i++) {
                if (lines.get(i).startsWith("action: apuesta_recibida")) {
                    lastStored = i;
                }
                if (lines.get(i).startsWith("action: ganadores_enviados")) {
                    firstWinnersSent = Math.min(firstWinnersSent, i);
                }
            }
            assertTrue(lastStored >= 0 && lastStored < drawIndex, "the draw is logged after the last stored batch");
            assertTrue(drawIndex < firstWinnersSent, "no winners are sent before the draw");
            List<String> finishes = logs.matching("action: agencia_finalizada | result: success");
            assertEquals(Dataset.AGENCIES, finishes.size());
            for (String finish : finishes) {
                assertTrue(lines.indexOf(finish) < drawIndex, "every agency is logged as finished before the draw: " + finish);
            }
            assertEquals(List.of(), logs.matching("result: fail"), "a healthy run logs no failure");
            assertEquals(List.of(), logs.contractViolations(), "log contract");
        }
    }

    @Test
    @Timeout(120)
    void twentyAgenciesOnTwoWorkerThreadsComplete() throws Exception {
        int agencies = 20;
        Dataset.extract(dir);
        // Deal the real bets round-robin into 20 agency files.
        List<BufferedWriter> writers = new ArrayList<>();
        for (int agency = 1; agency <= agencies; agency++) {
            writers.add(Files.newBufferedWriter(dir.resolve("split-" + agency + ".csv"), StandardCharsets.UTF_8));
        }
        int next = 0;
        for (int source = 1; source <= Dataset.AGENCIES; source++) {
            for (String[] row : Dataset.rows(Dataset.agencyFile(dir, source))) {
                BufferedWriter writer = writers.get(next++ % agencies);
                writer.write(String.join(",", row));
                writer.write("\r\n");
            }
        }
        for (BufferedWriter writer : writers) {
            writer.close();
        }
        try (LogCapture logs = LogCapture.begin();
             ServerHarness server = ServerHarness.start(dir.resolve("bets.csv"), agencies, 2)) {
            List<List<String>> winners = runAgencies(agencies, server.port(), a -> dir.resolve("split-" + a + ".csv"));

            Map<Integer, List<String>> expected = new java.util.HashMap<>();
            for (int agency = 1; agency <= agencies; agency++) {
                expected.put(agency, new ArrayList<>());
                for (String[] row : Dataset.rows(dir.resolve("split-" + agency + ".csv"))) {
                    if (row[4].equals("7574")) {
                        expected.get(agency).add(row[2]);
                    }
                }
                assertEquals(sortedCopy(expected.get(agency)), sortedCopy(winners.get(agency - 1)), "agency " + agency);
            }
            assertEquals(10, winners.stream().mapToInt(List::size).sum(), "all ten winners of the data set");
            assertEquals(Dataset.TOTAL_BETS, server.store().storedBets());
            assertEquals(1, logs.matching("action: sorteo").size());
            assertEquals(List.of(), logs.matching("result: fail"));
        }
    }

    private static List<String> sortedCopy(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }
}
