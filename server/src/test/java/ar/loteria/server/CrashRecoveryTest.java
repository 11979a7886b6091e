package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.common.LogGrammar;
import ar.loteria.server.support.Agencies;
import ar.loteria.server.support.Dataset;
import ar.loteria.common.JavaProcess;
import ar.loteria.server.support.LogCapture;
import ar.loteria.server.support.ScriptedAgency;
import ar.loteria.server.support.ServerHarness;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Crashes of an agency or of the central, with real processes killed by SIGKILL at seeded
 * random moments: every bet ends up stored exactly once, the draw runs once, the winners are
 * right, whatever crashed and however often.
 */
@Timeout(300)
class CrashRecoveryTest {
    private static final List<Integer> WINNERS = List.of(2, 3, 3, 2, 0);

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static int winnersOf(JavaProcess agency) throws Exception {
        for (LogGrammar.Entry line : LogGrammar.parseAll(agency.lines())) {
            if ("consulta_ganadores".equals(line.action()) && "success".equals(line.result())) {
                return Integer.parseInt(line.detail("cant_ganadores"));
            }
        }
        throw new AssertionError("no winners in:\n" + String.join("\n", agency.lines()));
    }

    private static long count(List<String> lines, String fragment) {
        return lines.stream().filter(line -> line.contains(fragment)).count();
    }

    @Test
    void anAgencyKilledAtTenRandomMomentsAndRerunStoresEachBetOnce() throws Exception {
        Dataset.extract(dir);
        Path storage = dir.resolve("storage");
        Random random = new Random(42);
        List<Integer> storedAtRestart = new ArrayList<>();
        try (JavaProcess central = Processes.central(dir, Dataset.AGENCIES, storage, Map.of())) {
            int port = Processes.awaitPort(central);
            // Only agency 1 is killed: the others run in this JVM (one JVM start less each).
            try (Agencies.Background others = Agencies.Background.start(dir, List.of(2, 3, 4, 5), port, Map.of(),
                    a -> Dataset.agencyFile(dir, a))) {
                Map<String, String> slow = Map.of("CLI_BATCH_MAXAMOUNT", "2");
                for (int kill = 1; kill <= 10; kill++) {
                    try (JavaProcess agency1 = Processes.agency(dir, 1, port, Dataset.agencyFile(dir, 1), slow)) {
                        agency1.await(line -> line.contains("action: sesion | result: success"), 1, Duration.ofSeconds(30));
                        storedAtRestart.add(storedBets(agency1.lines()));
                        Thread.sleep(random.nextInt(50, 700)); // the random moment of the crash, not a synchronisation
                    } // close(): SIGKILL
                }
                try (JavaProcess agency1 = Processes.agency(dir, 1, port, Dataset.agencyFile(dir, 1), Map.of())) {
                    assertEquals(0, agency1.waitForExit(Duration.ofSeconds(60)), String.join("\n", agency1.lines()));
                    storedAtRestart.add(storedBets(agency1.lines()));
                    assertEquals(WINNERS.get(0), winnersOf(agency1));
                }
                assertEquals(WINNERS.subList(1, Dataset.AGENCIES), others.winnerCounts(Duration.ofSeconds(60)));
            }
            assertEquals(1, count(central.lines(), "action: sorteo | result: success"));
            assertEquals(0, count(central.lines(), "result: fail"), String.join("\n", central.lines()));
            LogGrammar.parseAll(central.lines()); // every line readable by the course's parsers
        }
        System.out.println("agency 1 found these many of its bets stored at each restart: " + storedAtRestart);
        assertTrue(storedAtRestart.stream().anyMatch(n -> n > 0 && n < 26_936),
                "at least one kill landed mid-stream: " + storedAtRestart);
        LotteryEndToEndTest.assertStoredExactlyOnce(storage, Dataset.AGENCIES, a -> Dataset.agencyFile(dir, a));
    }

    private static int storedBets(List<String> lines) throws Exception {
        for (LogGrammar.Entry line : LogGrammar.parseAll(lines)) {
            if ("sesion".equals(line.action())) {
                return Integer.parseInt(line.detail("stored_bets"));
            }
        }
        throw new AssertionError("no session line");
    }

    @Test
    void theCentralKilledAtTenRandomMomentsAndRestartedCompletesTheRound() throws Exception {
        Dataset.extract(dir);
        Path storage = dir.resolve("storage");
        int port = freePort();
        Map<String, String> fixedPort = Map.of("SERVER_PORT", String.valueOf(port));
        Random random = new Random(7);
        List<String> centralLines = new ArrayList<>();
        Map<String, String> patient = Map.of("CLI_LOOP_AMOUNT", "400", "CLI_LOOP_PERIOD", "50ms", "CLI_BATCH_MAXAMOUNT", "20");
        JavaProcess central = Processes.central(dir, Dataset.AGENCIES, storage, fixedPort);
        // Only the central is killed: the agencies run in this JVM (one JVM start less each).
        Agencies.Background agencies = null;
        try {
            Processes.awaitPort(central);
            agencies = Agencies.Background.start(dir, List.of(1, 2, 3, 4, 5), port, patient,
                    a -> Dataset.agencyFile(dir, a));
            for (int kill = 1; kill <= 10; kill++) {
                Thread.sleep(random.nextInt(100, 800)); // the random moment of the crash, not a synchronisation
                central.close(); // SIGKILL
                central.waitForExit(Duration.ofSeconds(10));
                centralLines.addAll(central.lines());
                central = Processes.central(dir, Dataset.AGENCIES, storage, fixedPort);
                Processes.awaitPort(central);
            }
            assertEquals(WINNERS, agencies.winnerCounts(Duration.ofSeconds(120)));
        } finally {
            if (agencies != null) {
                agencies.close();
            }
            centralLines.addAll(central.lines());
            central.close();
        }
        assertEquals(1, count(centralLines, "action: sorteo | result: success"), "one draw across every restart");
        LogGrammar.parseAll(centralLines);
        assertEquals(10, count(centralLines, "action: config | result: success") - 1, "ten restarts");
        byte[] bets = Files.readAllBytes(storage.resolve("bets.csv"));
        assertEquals('\n', bets[bets.length - 1], "no torn last row");
        LotteryEndToEndTest.assertStoredExactlyOnce(storage, Dataset.AGENCIES, a -> Dataset.agencyFile(dir, a));
    }

    @Test
    void aCentralRestartedAfterTheDrawAnswersTheSameWinnersWithoutDrawingAgain() throws Exception {
        Dataset.extract(dir);
        Path storage = dir.resolve("storage");
        List<List<String>> first;
        try (LogCapture logs = LogCapture.begin(); ServerHarness central = ServerHarness.start(storage, Dataset.AGENCIES)) {
            first = Agencies.runAll(dir, Dataset.AGENCIES, central.port(), a -> Dataset.agencyFile(dir, a));
            assertEquals(1, logs.matching("action: sorteo").size());
        }
        assertEquals(WINNERS, first.stream().map(List::size).toList());
        try (LogCapture logs = LogCapture.begin(); ServerHarness restarted = ServerHarness.start(storage, Dataset.AGENCIES)) {
            assertEquals(List.of("action: recuperar_ronda | result: success | apuestas: 78697 | agencias_finalizadas: 5"
                    + " | draw_recorded: true"), logs.matching("action: recuperar_ronda"));
            List<List<String>> again = Agencies.runAll(dir, Dataset.AGENCIES, restarted.port(), a -> Dataset.agencyFile(dir, a));
            assertEquals(first, again, "the same winners, from the recorded result");
            assertEquals(List.of(), logs.matching("action: sorteo"), "no second draw");
            assertEquals(List.of(), logs.matching("action: apuesta_recibida"), "no bet sent again");
        }
        LotteryEndToEndTest.assertStoredExactlyOnce(storage, Dataset.AGENCIES, a -> Dataset.agencyFile(dir, a));
    }

    @Test
    void aBetsFileCutInTheMiddleOfARowIsRecovered() throws Exception {
        Dataset.extract(dir);
        Path storage = dir.resolve("storage");
        try (ServerHarness central = ServerHarness.start(storage, Dataset.AGENCIES)) {
            ScriptedAgency partial = new ScriptedAgency(2, Dataset.agencyFile(dir, 2));
            Thread sender = new Thread(() -> {
                try {
                    partial.send(central.port(), 100);
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            sender.start();
            sender.join();
        }
        Path bets = storage.resolve("bets.csv");
        long whole = Files.size(bets);
        String torn = "1,Santiago Lionel,Lorca,3090";
        Files.writeString(bets, torn, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
        try (LogCapture logs = LogCapture.begin(); ServerHarness central = ServerHarness.start(storage, Dataset.AGENCIES)) {
            assertEquals(List.of("action: recuperar_ronda | result: success | torn_bet_bytes: " + torn.length() + " | torn_journal_bytes: 0"
                    + " | detail: a row cut short by a crash was removed"), logs.matching("torn_bet_bytes"));
            assertEquals(whole, Files.size(bets), "cut back to the last whole row");
            List<List<String>> winners = Agencies.runAll(dir, Dataset.AGENCIES, central.port(), a -> Dataset.agencyFile(dir, a));
            assertEquals(WINNERS, winners.stream().map(List::size).toList());
            assertEquals(1, logs.matching("action: sorteo").size());
        }
        LotteryEndToEndTest.assertStoredExactlyOnce(storage, Dataset.AGENCIES, a -> Dataset.agencyFile(dir, a));
    }
}
