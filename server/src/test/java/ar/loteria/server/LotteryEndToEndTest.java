package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.common.LogGrammar;
import ar.loteria.server.support.Agencies;
import ar.loteria.server.support.Dataset;
import ar.loteria.server.support.LogCapture;
import ar.loteria.server.support.ServerHarness;
import ar.loteria.server.support.StoredBets;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** The whole system in one JVM over loopback: real agency clients, a real central, real data. */
class LotteryEndToEndTest {
    @TempDir
    Path dir;

    /** Each agency's stored rows are its file's rows, in order, exactly once. */
    static void assertStoredExactlyOnce(Path storage, int agencies, java.util.function.IntFunction<Path> files)
            throws Exception {
        Map<Integer, List<List<String>>> stored = StoredBets.byAgency(storage);
        for (int agency = 1; agency <= agencies; agency++) {
            List<List<String>> expected = Dataset.rows(files.apply(agency)).stream().map(Arrays::asList).toList();
            assertEquals(expected, stored.getOrDefault(agency, List.of()), "bets of agency " + agency);
        }
        assertEquals(agencies, stored.size(), "agencies in the bets file");
    }

    @Test
    @Timeout(120)
    void realDatasetFromFiveConcurrentAgencies() throws Exception {
        Dataset.extract(dir);
        Path storage = dir.resolve("storage");
        try (LogCapture logs = LogCapture.begin(); ServerHarness server = ServerHarness.start(storage, Dataset.AGENCIES)) {
            List<List<String>> winners = Agencies.runAll(dir, Dataset.AGENCIES, server.port(), a -> Dataset.agencyFile(dir, a));

            assertEquals(List.of(2, 3, 3, 2, 0), winners.stream().map(List::size).toList(), "winners per agency 1..5");
            Map<Integer, List<String>> expected = Dataset.expectedWinners(dir, Dataset.AGENCIES);
            for (int agency = 1; agency <= Dataset.AGENCIES; agency++) {
                assertEquals(sorted(expected.get(agency)), sorted(winners.get(agency - 1)), "winning documents of " + agency);
            }
            assertStoredExactlyOnce(storage, Dataset.AGENCIES, a -> Dataset.agencyFile(dir, a));

            List<LogGrammar.Entry> lines = logs.parsed(); // every line readable by the course's parsers
            int draw = -1;
            int lastStored = -1;
            int firstSent = Integer.MAX_VALUE;
            long received = 0;
            for (int i = 0; i < lines.size(); i++) {
                LogGrammar.Entry line = lines.get(i);
                if ("sorteo".equals(line.action())) {
                    assertEquals(-1, draw, "the draw is logged once");
                    draw = i;
                }
                if ("apuesta_recibida".equals(line.action())) {
                    lastStored = i;
                    received += Long.parseLong(line.detail("cantidad"));
                }
                if ("ganadores_enviados".equals(line.action())) {
                    firstSent = Math.min(firstSent, i);
                }
                assertTrue(!"fail".equals(line.result()), "a healthy run logs no failure: " + line.message());
            }
            assertEquals(Dataset.TOTAL_BETS, received, "the cantidad of apuesta_recibida adds up");
            assertTrue(lastStored >= 0 && lastStored < draw && draw < firstSent,
                    "stored batches, then the draw, then winners: " + lastStored + " " + draw + " " + firstSent);
            assertEquals(Dataset.AGENCIES, lines.stream().filter(l -> "ganadores_enviados".equals(l.action())).count());
        }
    }

    @Test
    @Timeout(120)
    void twentyAgenciesOnTwoWorkerThreadsComplete() throws Exception {
        int agencies = 20;
        Dataset.extract(dir);
        // The real bets dealt round-robin into 20 agency files, CRLF line ends.
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
        Path storage = dir.resolve("storage");
        try (LogCapture logs = LogCapture.begin();
             ServerHarness server = ServerHarness.start(storage, agencies, Map.of("WORKER_THREADS", "2"))) {
            List<List<String>> winners = Agencies.runAll(dir, agencies, server.port(), a -> dir.resolve("split-" + a + ".csv"));
            for (int agency = 1; agency <= agencies; agency++) {
                List<String> expected = new ArrayList<>();
                for (String[] row : Dataset.rows(dir.resolve("split-" + agency + ".csv"))) {
                    if (row[4].equals("7574")) {
                        expected.add(row[2]);
                    }
                }
                assertEquals(sorted(expected), sorted(winners.get(agency - 1)), "agency " + agency);
            }
            assertEquals(10, winners.stream().mapToInt(List::size).sum(), "all ten winners of the data set");
            assertStoredExactlyOnce(storage, agencies, a -> dir.resolve("split-" + a + ".csv"));
            assertEquals(1, logs.matching("action: sorteo").size());
            assertEquals(List.of(), logs.matching("result: fail"));
        }
    }

    private static List<String> sorted(List<String> values) {
        List<String> copy = new ArrayList<>(values);
        Collections.sort(copy);
        return copy;
    }
}
