package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.common.LogGrammar;
import ar.loteria.server.support.AgencyFiles;
import ar.loteria.common.JavaProcess;
import ar.loteria.server.support.LogCapture;
import ar.loteria.server.support.ScriptedAgency;
import ar.loteria.server.support.ServerHarness;
import ar.loteria.server.support.StoredBets;
import ar.loteria.server.support.TestPki;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** SIGTERM on the real programs, run as processes: exit code 0, everything closed, nothing acknowledged lost. */
@Timeout(120)
class GracefulShutdownTest {
    private static final int BETS = 2_000_000;

    @TempDir
    Path dir;

    static void assertContainsLine(List<String> output, String fragment) {
        assertTrue(output.stream().anyMatch(line -> line.contains(fragment)),
                "no line with \"" + fragment + "\" in:\n" + String.join("\n", output));
    }

    /** Every line is in the log format and readable by the course's parsers; none is a failure. */
    /** Sends SIGTERM and returns the program's output, once it has said so and exited 0. */
    private static List<String> stoppedBySigterm(JavaProcess program) throws Exception {
        program.terminate();
        int exit = program.waitForExit(Duration.ofSeconds(15));
        List<String> output = program.lines();
        assertEquals(0, exit, "exit code after SIGTERM; output:\n" + String.join("\n", output));
        assertContainsLine(output, "action: shutdown | result: in_progress | signal: SIGTERM");
        return output;
    }

    static void assertCleanLog(List<String> output) throws LogGrammar.LineException {
        for (LogGrammar.Entry line : LogGrammar.parseAll(output)) {
            assertFalse("fail".equals(line.result()), "failure logged: " + line.message());
        }
    }

    @Test
    void theCentralStopsOnSigtermWithExitCodeZeroAndKeepsEveryAcknowledgedBet() throws Exception {
        Path data = AgencyFiles.write(dir.resolve("agency-1.csv"), 300_000, 1000);
        ScriptedAgency agency = new ScriptedAgency(1, data);
        Path storage = dir.resolve("storage");
        Path ready = dir.resolve("server.ready");
        try (JavaProcess central = Processes.central(dir, 1, storage, Map.of("READY_FILE", ready.toString()))) {
            int port = Processes.awaitPort(central);
            assertTrue(Files.exists(ready), "the ready file is written once the central listens");
            CompletableFuture<Void> sending = CompletableFuture.runAsync(() -> {
                try {
                    agency.send(port, 10);
                } catch (Exception | AssertionError e) {
                    // the central went away mid-stream (or refused, as it shut down): expected
                }
            });
            central.await(line -> line.contains("action: apuesta_recibida | result: success"), 200, Duration.ofSeconds(30));
            long start = System.nanoTime();
            List<String> output = stoppedBySigterm(central);
            long millis = (System.nanoTime() - start) / 1_000_000;
            sending.join();
            assertTrue(millis < 5_000, "stopped in " + millis + " ms");
            for (String resource : List.of("listener_socket", "worker_pool", "client_sockets", "event_loops", "storage")) {
                assertContainsLine(output, "action: close_resource | result: success | resource: " + resource);
            }
            assertTrue(output.get(output.size() - 1).contains("action: shutdown | result: success"), output.get(output.size() - 1));
            assertCleanLog(output);
            assertFalse(Files.exists(ready), "ready file removed at shutdown");

            int acknowledged = agency.acknowledged();
            assertTrue(acknowledged > 0 && acknowledged < 300_000, "stopped mid-stream: " + acknowledged);
            List<List<String>> stored = StoredBets.byAgency(storage).get(1);
            assertTrue(stored.size() >= acknowledged, stored.size() + " stored < " + acknowledged + " acknowledged");
            assertEquals(agency.rows(stored.size()), stored, "the stored bets are the file's first ones, each once");
        }
    }

    /** Before its fix the JVM's own SIGTERM handling ended the central while its keys loaded: exit 143, not a line. */
    @Test
    void theCentralStopsOnSigtermFromItsFirstLineOn() throws Exception {
        Path storage = dir.resolve("storage");
        try (JavaProcess central = Processes.central(dir, 1, storage, Map.of("TLS", "on",
                "TLS_DIR", TestPki.get().central().toString()))) {
            // The first line: the central's keys (a tenth of a second and more, cold) are loaded after it.
            central.await(line -> line.contains("action: config | result: success"), 1, Duration.ofSeconds(30));
            List<String> output = stoppedBySigterm(central);
            assertTrue(output.get(output.size() - 1).contains("action: shutdown | result: success"), String.join("\n", output));
            assertCleanLog(output);
        }
    }

    @Test
    void anAgencyStopsOnSigtermWithExitCodeZero() throws Exception {
        Path data = AgencyFiles.write(dir.resolve("agency-1.csv"), BETS, 1000);
        try (LogCapture logs = LogCapture.begin(); ServerHarness server = ServerHarness.start(dir.resolve("storage"), 1)) {
            try (JavaProcess client = Processes.agency(dir, 1, server.port(), data, Map.of())) {
                logs.await(line -> line.startsWith("action: apuesta_recibida | result: success"), 20, Duration.ofSeconds(30));
                List<String> output = stoppedBySigterm(client);
                assertContainsLine(output, "action: close_resource | result: success | resource: bets_file");
                assertContainsLine(output, "action: close_resource | result: success | resource: socket");
                assertTrue(output.get(output.size() - 1).contains("action: shutdown | result: success | client_id: 1"),
                        String.join("\n", output));
                assertFalse(output.stream().anyMatch(l -> l.contains("loop_finished")), String.join("\n", output));
                assertCleanLog(output);
            }
            int stored = StoredBets.rows(server.storageDir()).size();
            assertTrue(stored > 0 && stored < BETS, "stopped mid-stream: " + stored);
        }
    }
}
