package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.client.AgencyClient;
import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.source.CsvBetSource;
import ar.loteria.server.support.BigAgencyFile;
import ar.loteria.server.support.JavaProcess;
import ar.loteria.server.support.LogCapture;
import ar.loteria.server.support.ServerHarness;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
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
    private static final int BETS = 3_000_000;

    @TempDir
    Path dir;

    private static int freePort() throws Exception {
        try (ServerSocket probe = new ServerSocket(0)) {
            return probe.getLocalPort();
        }
    }

    private static void assertContainsLine(List<String> output, String fragment) {
        assertTrue(output.stream().anyMatch(line -> line.contains(fragment)),
                "no line with \"" + fragment + "\" in:\n" + String.join("\n", output));
    }

    /** The log format of the spec: %d{yyyy-MM-dd HH:mm:ss} %-8level %msg, and the contract for action lines. */
    private static void assertLogFormat(List<String> output) {
        java.util.regex.Pattern line = java.util.regex.Pattern.compile(
                "^\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2} (TRACE|DEBUG|INFO |WARN |ERROR)    (.*)$");
        for (String text : output) {
            java.util.regex.Matcher m = line.matcher(text);
            assertTrue(m.matches(), "not in the log format: " + text);
            if (m.group(2).contains("action:")) {
                assertTrue(LogCapture.CONTRACT.matcher(m.group(2)).matches(), "breaks the log contract: " + text);
            }
        }
    }

    private static void assertNoStackTrace(List<String> output) {
        for (String line : output) {
            assertFalse(line.startsWith("\tat ") || line.contains("Exception in thread"), "stack trace in output: " + line);
        }
    }

    @Test
    void serverStopsOnSigtermWithExitCodeZeroAndKeepsEveryAcknowledgedBatch() throws Exception {
        int port = freePort();
        Path ini = Files.writeString(dir.resolve("config.ini"),
                "[DEFAULT]\nSERVER_PORT = " + port + "\nSERVER_IP = 127.0.0.1\nSERVER_LISTEN_BACKLOG = 5\nLOGGING_LEVEL = INFO\n");
        Path bets = dir.resolve("bets.csv");
        Path ready = dir.resolve("server.ready");
        Path data = BigAgencyFile.write(dir.resolve("agency-1.csv"), BETS);
        Map<String, String> env = Map.of("CONFIG_FILE", ini.toString(), "STORAGE_PATH", bets.toString(),
                "AGENCY_COUNT", "1", "READY_FILE", ready.toString());
        try (JavaProcess server = JavaProcess.start("ar.loteria.server.ServerMain", env, dir, "-Xmx64m")) {
            server.await(line -> line.contains("action: listen | result: success"), 1, Duration.ofSeconds(30));
            assertTrue(Files.exists(ready), "ready file written once listening");

            ClientConfig config = new ClientConfig(1, "127.0.0.1:" + port, "127.0.0.1", port, 3, "50ms",
                    Duration.ofMillis(50), "INFO", 200, data);
            AgencyClient client;
            CompletableFuture<Throwable> outcome;
            try (CsvBetSource source = new CsvBetSource(data)) {
                client = new AgencyClient(config, source, false);
                outcome = CompletableFuture.supplyAsync(() -> {
                    try {
                        client.run();
                        return null;
                    } catch (Exception e) {
                        return e;
                    }
                });
                // Mid-stream: the server has stored some batches, the client is still sending.
                server.await(line -> line.contains("action: apuesta_recibida | result: success"), 20, Duration.ofSeconds(30));
                server.terminate();
                Throwable clientEnd = outcome.get();
                assertTrue(clientEnd != null, "the client cannot finish: the server went away mid-stream");
            }
            int exit = server.waitForExit(Duration.ofSeconds(15));
            List<String> output = server.lines();
            assertEquals(0, exit, "exit code after SIGTERM; output:\n" + String.join("\n", output));
            assertContainsLine(output, "action: shutdown | result: in_progress | signal: SIGTERM");
            assertContainsLine(output, "action: close_resource | result: success | resource: listener_socket");
            assertContainsLine(output, "action: close_resource | result: success | resource: client_sockets");
            assertContainsLine(output, "action: close_resource | result: success | resource: worker_pool");
            assertContainsLine(output, "action: close_resource | result: success | resource: bets_file");
            assertTrue(output.get(output.size() - 1).contains("action: shutdown | result: success"), output.get(output.size() - 1));
            assertFalse(output.stream().anyMatch(l -> l.contains("result: fail")), String.join("\n", output));
            assertNoStackTrace(output);
            assertLogFormat(output);
            assertFalse(Files.exists(ready), "ready file removed at shutdown");

            // Every acknowledged bet is in the file, in order, and nothing else but whole batches.
            List<String> stored = Files.readAllLines(bets, StandardCharsets.UTF_8);
            long acknowledged = client.betsSent();
            assertTrue(acknowledged > 0 && acknowledged < BETS, "stopped mid-stream: " + acknowledged);
            assertTrue(stored.size() >= acknowledged, stored.size() + " stored < " + acknowledged + " acknowledged");
            assertEquals(0, stored.size() % 200, "only whole batches are stored");
            for (int i = 0; i < stored.size(); i++) {
                assertEquals(BigAgencyFile.storedRow(1, i), stored.get(i), "row " + i);
            }
        }
    }

    @Test
    void clientStopsOnSigtermWithExitCodeZero() throws Exception {
        Path data = BigAgencyFile.write(dir.resolve("agency-1.csv"), BETS);
        Path yaml = Files.writeString(dir.resolve("config.yaml"),
                "server:\n  address: \"127.0.0.1:1\"\nloop:\n  amount: 3\n  period: \"50ms\"\nlog:\n  level: \"INFO\"\n");
        try (LogCapture logs = LogCapture.begin();
             ServerHarness server = ServerHarness.start(dir.resolve("bets.csv"), 1, 4)) {
            Map<String, String> env = Map.of("CLI_ID", "1", "CLI_CONFIG_FILE", yaml.toString(),
                    "CLI_SERVER_ADDRESS", "127.0.0.1:" + server.port(), "CLI_DATA_FILE", data.toString());
            try (JavaProcess client = JavaProcess.start("ar.loteria.client.ClientMain", env, dir, "-Xmx64m")) {
                logs.await(line -> line.startsWith("action: apuesta_recibida | result: success"), 20, Duration.ofSeconds(30));
                client.terminate();
                int exit = client.waitForExit(Duration.ofSeconds(15));
                List<String> output = client.lines();
                assertEquals(0, exit, "exit code after SIGTERM; output:\n" + String.join("\n", output));
                assertContainsLine(output, "action: shutdown | result: in_progress | signal: SIGTERM");
                assertContainsLine(output, "action: close_resource | result: success | resource: bets_file");
                assertContainsLine(output, "action: close_resource | result: success | resource: socket");
                assertTrue(output.get(output.size() - 1).contains("action: shutdown | result: success | client_id: 1"),
                        String.join("\n", output));
                assertFalse(output.stream().anyMatch(l -> l.contains("result: fail") || l.contains("loop_finished")),
                        String.join("\n", output));
                assertNoStackTrace(output);
                assertLogFormat(output);
            }
            // The server saw the client go and keeps serving.
            assertFalse(server.service().barrier().drawDone());
            assertTrue(server.store().storedBets() > 0 && server.store().storedBets() < BETS);
        }
    }
}
