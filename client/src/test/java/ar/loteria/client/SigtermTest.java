package ar.loteria.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.client.support.Bets;
import ar.loteria.client.support.FakeCentral;
import ar.loteria.client.support.FakeCentral.Action;
import ar.loteria.client.support.LogCapture;
import ar.loteria.common.JavaProcess;
import ar.loteria.common.LogGrammar;
import ar.loteria.common.tls.MakeKeys;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.WinnersRequest;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A real client JVM stopped with SIGTERM: it closes its socket and file, says so, and exits 0. */
@Timeout(90)
class SigtermTest {
    private static final Duration START = Duration.ofSeconds(30);
    private static final Duration EXIT = Duration.ofSeconds(15);

    @TempDir
    Path dir;

    private Map<String, String> env(String address, Path csv, String period) throws IOException {
        Path config = Files.writeString(dir.resolve("config.yaml"), "server:\n  address: \"server:12345\"\n"
                + "loop:\n  amount: 5\n  period: \"1s\"\n");
        // No start-up wait: a central that does not listen is a failed attempt at once, then the pause.
        return Map.of("CLI_CONFIG_FILE", config.toString(), "CLI_ID", "1", "CLI_SERVER_ADDRESS", address,
                "CLI_LOOP_PERIOD", period, "CLI_BATCH_MAXAMOUNT", "50", "CLI_DATA_FILE", csv.toString(),
                "CLI_STARTUP_WAIT", "0s");
    }

    /** Exit code 0, the shutdown lines after the SIGTERM line, no failure and no success line; every line in the grammar. */
    /** ClientMain as its own JVM, C1 only as client/jvm.options runs it. */
    private static JavaProcess agency(Map<String, String> env, Path dir) throws IOException {
        return JavaProcess.start("ar.loteria.client.ClientMain", env, dir, "-XX:TieredStopAtLevel=1");
    }

    /** {@code csv}: the agency's file, or null in single-bet mode (no file to close). */
    private static void assertStoppedCleanly(JavaProcess client, Path csv) throws InterruptedException {
        int code = client.waitForExit(EXIT);
        List<String> output = client.lines();
        assertEquals(0, code, () -> String.join("\n", output));
        List<String> messages = LogCapture.assertGrammar(output).stream().map(LogGrammar.Entry::message).toList();
        int signal = messages.indexOf("action: shutdown | result: in_progress | signal: SIGTERM");
        assertTrue(signal >= 0, () -> String.join("\n", output));
        List<String> closed = new java.util.ArrayList<>(List.of("action: close_resource | result: success | resource: socket"));
        if (csv != null) {
            closed.add("action: close_resource | result: success | resource: bets_file | file: " + csv);
        }
        closed.add("action: shutdown | result: success | client_id: 1");
        assertEquals(closed, messages.subList(signal + 1, messages.size()), () -> String.join("\n", output));
        assertTrue(messages.stream().noneMatch(m -> m.contains("result: fail") || m.startsWith("action: loop_finished")),
                () -> String.join("\n", output));
    }

    @Test
    void whileWaitingForTheWinners() throws Exception {
        Path csv = Bets.write(dir.resolve("agency-1.csv"), Bets.list(120, Bets::ordinary));
        FakeCentral.Script holdWinners = (connection, index, message) ->
                message instanceof WinnersRequest ? new Action.Hold() : null;
        try (FakeCentral central = FakeCentral.start(List.of("20000001"), holdWinners);
                JavaProcess client = agency(env(central.address(), csv, "1s"), dir)) {
            central.await(WinnersRequest.class::isInstance, 1, START);

            client.terminate();

            assertStoppedCleanly(client, csv);
            assertEquals(Bets.list(120, Bets::ordinary), central.stored(1));
            assertEquals(1, central.connections());
        }
    }

    @Test
    void inSingleBetModeThereIsNoFileToClose() throws Exception {
        Path absent = dir.resolve("agency-1.csv"); // not read in single-bet mode
        Map<String, String> env = new java.util.HashMap<>(env("", absent, "1s"));
        FakeCentral.Script holdWinners = (connection, index, message) ->
                message instanceof WinnersRequest ? new Action.Hold() : null;
        try (FakeCentral central = FakeCentral.start(List.of(), holdWinners)) {
            env.putAll(Map.of("CLI_SERVER_ADDRESS", central.address(), "NOMBRE", "Santiago Lionel", "APELLIDO", "Lorca",
                    "DOCUMENTO", "30904465", "NACIMIENTO", "1999-03-17", "NUMERO", "7574"));
            try (JavaProcess client = agency(env, dir)) {
                central.await(WinnersRequest.class::isInstance, 1, START);

                client.terminate();

                assertStoppedCleanly(client, null);
                assertEquals(1, central.stored(1).size());
            }
        }
    }

    @Test
    void midStream() throws Exception {
        List<Bet> bets = Bets.list(500, Bets::ordinary);
        Path csv = Bets.write(dir.resolve("agency-1.csv"), bets);
        // The second batch is never acknowledged: the client is waiting in the middle of its stream.
        FakeCentral.Script holdSecondBatch = (connection, index, message) ->
                message instanceof BetBatch batch && batch.firstBet() == 50 ? new Action.Hold() : null;
        try (FakeCentral central = FakeCentral.start(List.of(), holdSecondBatch);
                JavaProcess client = agency(env(central.address(), csv, "1s"), dir)) {
            central.await(m -> m instanceof BetBatch batch && batch.firstBet() == 50, 1, START);

            client.terminate();

            assertStoppedCleanly(client, csv);
            assertEquals(bets.subList(0, 50), central.stored(1));
            assertTrue(central.messages().stream().noneMatch(Finished.class::isInstance));
            assertEquals(1, central.connections(), "no new attempt after the stop");
        }
    }

    /** A loopback port nothing listens on (it was free a moment ago): every attempt there is refused. */
    private static int closedPort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** Before its fix the JVM's own SIGTERM handling ended such a run: exit 143, not a line. */
    @Test
    void rightAfterStartWhileItsKeysLoad() throws Exception {
        int port = closedPort();
        Path csv = Bets.write(dir.resolve("agency-1.csv"), Bets.list(3, Bets::ordinary));
        MakeKeys.make(dir.resolve("pki"), 1, List.of("server"), null);
        Map<String, String> env = new java.util.HashMap<>(env("127.0.0.1:" + port, csv, "10m"));
        env.put("CLI_TLS", "on");
        env.put("CLI_TLS_DIR", dir.resolve("pki").resolve("agency-1").toString());
        try (JavaProcess client = agency(env, dir)) {
            // The first line: the agency's keys (a tenth of a second and more, cold) are loaded after it.
            client.await(line -> line.contains("action: config | result: success"), 1, START);

            client.terminate();

            assertStoppedCleanly(client, csv);
        }
    }

    @Test
    void duringThePauseBetweenAttempts() throws Exception {
        int port = closedPort();
        Path csv = Bets.write(dir.resolve("agency-1.csv"), Bets.list(3, Bets::ordinary));
        // Ten minutes between attempts: only the signal can end the wait within the test's time.
        try (JavaProcess client = agency(env("127.0.0.1:" + port, csv, "10m"), dir)) {
            client.await(line -> line.contains("action: conectar | result: in_progress | attempt: 1 |"), 1, START);

            client.terminate();

            assertStoppedCleanly(client, csv);
        }
    }
}
