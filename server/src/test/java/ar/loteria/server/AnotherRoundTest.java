package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.common.JavaProcess;
import ar.loteria.common.LogGrammar;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A central that holds another round than the agencies' files (the storage of an earlier round,
 * agencies given new files): real processes. No agency ever reports that round's winners: each
 * exits 1 with one line naming what the central holds and what its file has, and sends nothing,
 * so the central's storage is left as it was.
 */
@Timeout(120)
class AnotherRoundTest {
    private static final String NEW_ROUND = "the central holds a round this agency's bets are not part of; a new"
            + " round starts with docker compose down (Compose) or an empty storage directory for the central"
            + " (natively)";

    @TempDir
    Path dir;

    /** The agency file's row of bet {@code i}, and the central's bets.csv row of it for {@code agency}. */
    private static String row(int i) {
        return "A,B," + String.format("%08d", i) + ",2000-01-01," + i;
    }

    private static String stored(int agency, int i) {
        return agency + "," + row(i);
    }

    private static List<String> rows(int from, int to) {
        List<String> rows = new ArrayList<>();
        for (int i = from; i < to; i++) {
            rows.add(row(i));
        }
        return rows;
    }

    @Test
    void agenciesWhoseFilesAreNotTheCentralsRoundExitOneAndSendNothing() throws Exception {
        // The central's round: agency 1 finished with bets 0..3; agency 2 finished with 0..3;
        // agency 3 finished with 0..3; agency 4 holds 0..3, not finished; agency 5 holds 0..3, not finished.
        Path storage = Files.createDirectories(dir.resolve("storage"));
        StringBuilder bets = new StringBuilder();
        for (int agency = 1; agency <= 5; agency++) {
            for (int i = 0; i < 4; i++) {
                bets.append(stored(agency, i)).append('\n');
            }
        }
        Files.writeString(storage.resolve("bets.csv"), bets);
        Files.writeString(storage.resolve("round.csv"), "finished,1,4\nfinished,2,4\nfinished,3,4\n");
        String before = Files.readString(storage.resolve("bets.csv")) + Files.readString(storage.resolve("round.csv"));

        Map<Integer, List<String>> files = Map.of(
                1, rows(0, 1),                                      // finished, more stored than the file has
                2, rows(0, 6),                                      // finished, the file has more
                3, List.of(row(0), row(1), row(2), row(9), row(4)),  // finished, another last bet
                4, rows(0, 2),                                      // not finished, more stored than the file has
                5, List.of(row(0), row(1), row(2), row(7), row(8))); // not finished, another last bet
        Map<Integer, String> expected = Map.of(
                1, "the central holds 4 bets of agency 1 and says it has finished, but this agency has 1 valid bet(s): "
                        + NEW_ROUND,
                2, "the central holds 4 bets of agency 2 and says it has finished, but this agency has 6 valid bet(s): "
                        + NEW_ROUND,
                3, "bet 4 of agency 3 is (\"A\", \"B\", documento 00000009, 2000-01-01, numero 9) here but (\"A\", \"B\","
                        + " documento 00000003, 2000-01-01, numero 3) in the central: its bets changed since they were"
                        + " sent (resuming would store some twice and lose others), or " + NEW_ROUND,
                4, "the central holds 4 bets of agency 4, but this agency has 2 valid bet(s): " + NEW_ROUND,
                5, "bet 4 of agency 5 is (\"A\", \"B\", documento 00000007, 2000-01-01, numero 7) here but (\"A\", \"B\","
                        + " documento 00000003, 2000-01-01, numero 3) in the central: its bets changed since they were"
                        + " sent (resuming would store some twice and lose others), or " + NEW_ROUND);

        try (JavaProcess central = Processes.central(dir, 5, storage, Map.of())) {
            int port = Processes.awaitPort(central);
            List<JavaProcess> agencies = new ArrayList<>();
            try {
                for (int agency = 1; agency <= 5; agency++) {
                    Path file = Files.write(dir.resolve("agency-" + agency + ".csv"), files.get(agency));
                    agencies.add(Processes.agency(dir, agency, port, file, Map.of()));
                }
                for (int agency = 1; agency <= 5; agency++) {
                    JavaProcess process = agencies.get(agency - 1);
                    assertEquals(1, process.waitForExit(Duration.ofSeconds(60)), String.join("\n", process.lines()));
                    List<LogGrammar.Entry> fails = LogGrammar.parseAll(process.lines()).stream()
                            .filter(entry -> "fail".equals(entry.result())).toList();
                    assertEquals(1, fails.size(), String.join("\n", process.lines()));
                    assertEquals("loop_failed", fails.get(0).action());
                    assertEquals(expected.get(agency), fails.get(0).detail("error"));
                    assertTrue(LogGrammar.parseAll(process.lines()).stream()
                            .noneMatch(entry -> "consulta_ganadores".equals(entry.action())), "no winners reported");
                }
            } finally {
                agencies.forEach(JavaProcess::close);
            }
            List<LogGrammar.Entry> central5 = LogGrammar.parseAll(central.lines());
            assertEquals(5, central5.stream().filter(entry -> "sesion".equals(entry.action())).count());
            assertTrue(central5.stream().noneMatch(entry -> List.of("apuesta_recibida", "agencia_finalizada",
                    "consulta_ganadores", "ganadores_enviados", "sorteo").contains(entry.action())),
                    "the agencies sent nothing after their sessions:\n" + String.join("\n", central.lines()));
        }
        assertEquals(before, Files.readString(storage.resolve("bets.csv")) + Files.readString(storage.resolve("round.csv")),
                "nothing stored");
    }
}
