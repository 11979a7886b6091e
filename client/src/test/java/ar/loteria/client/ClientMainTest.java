package ar.loteria.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.client.support.Bets;
import ar.loteria.client.support.FakeCentral;
import ar.loteria.client.support.LogCapture;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.WinnersRequest;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class ClientMainTest {
    @TempDir
    Path dir;
    private LogCapture logs;
    private Path configFile;

    @BeforeEach
    void setUp() throws IOException {
        logs = LogCapture.start();
        configFile = Files.writeString(dir.resolve("config.yaml"), """
                server:
                  address: "server:12345"
                loop:
                  amount: 5
                  period: "1s"
                log:
                  level: "INFO"
                batch:
                  maxAmount: 40
                """);
    }

    @AfterEach
    void tearDown() {
        logs.close();
    }

    private Map<String, String> env(String address, String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("CLI_CONFIG_FILE", configFile.toString());
        env.put("CLI_ID", "1");
        env.put("CLI_SERVER_ADDRESS", address);
        env.put("CLI_LOOP_AMOUNT", "3");
        env.put("CLI_LOOP_PERIOD", "150ms");
        env.put("CLI_LOG_LEVEL", "INFO");
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private void assertNoFailLine() {
        List<String> fails = logs.linesContaining("result: fail");
        assertTrue(fails.isEmpty(), () -> "a healthy run prints no failure: " + fails);
    }

    @Test
    void aWholeRunLogsTheContractLinesAndExitsZero() throws Exception {
        List<Bet> bets = Bets.list(95, Bets::ordinary);
        Path csv = Bets.write(dir.resolve("agency-1.csv"), bets);
        try (FakeCentral central = FakeCentral.start(List.of("20000003", "20000017"))) {
            int code = ClientMain.run(env(central.address(), "CLI_DATA_FILE", csv.toString()));

            assertEquals(0, code, () -> "log: " + logs.lines());
            List<String> lines = logs.lines();
            assertTrue(lines.contains("action: config | result: success | client_id: 1 | server_address: "
                    + central.address() + " | loop_amount: 3 | loop_period: 150ms | log_level: INFO"), lines::toString);
            assertTrue(lines.contains("action: consulta_ganadores | result: success | cant_ganadores: 2"), lines::toString);
            assertEquals("action: loop_finished | result: success | client_id: 1", lines.get(lines.size() - 1));
            assertEquals(1, logs.linesContaining("action: loop_finished").size());
            assertNoFailLine();
            logs.assertContract();
            assertEquals(bets, central.bets());
            assertEquals(List.of(40, 40, 15), central.batches().stream().map(b -> b.bets().size()).toList());
            List<ar.loteria.protocol.runtime.Message> messages = central.messages();
            assertEquals(List.of(new Finished(1), new WinnersRequest(1)), messages.subList(3, messages.size()));
        }
    }

    @Test
    void theConfigLineIsLoggedAtInfoWithTheValuesAsConfigured() throws Exception {
        Path csv = Bets.write(dir.resolve("agency-1.csv"), List.of(Bets.ordinary(1)));
        try (FakeCentral central = FakeCentral.start(List.of())) {
            // Values from the file where no variable overrides them; the level is normalised.
            Map<String, String> env = env(central.address(), "CLI_DATA_FILE", csv.toString());
            env.remove("CLI_LOOP_PERIOD");
            env.put("CLI_LOG_LEVEL", "info");
            assertEquals(0, ClientMain.run(env));
            List<ILoggingEvent> config = logs.events().stream()
                    .filter(e -> e.getFormattedMessage().startsWith("action: config |")).toList();
            assertEquals(1, config.size());
            assertEquals(Level.INFO, config.get(0).getLevel());
            assertEquals("action: config | result: success | client_id: 1 | server_address: " + central.address()
                    + " | loop_amount: 3 | loop_period: 1s | log_level: INFO", config.get(0).getFormattedMessage());
            assertTrue(logs.lines().contains("action: consulta_ganadores | result: success | cant_ganadores: 0"));
        }
    }

    @Test
    void aBadLoopPeriodExitsOneWithOneErrorLine() {
        int code = ClientMain.run(env("127.0.0.1:1", "CLI_LOOP_PERIOD", "5x"));

        assertEquals(1, code);
        List<String> errors = logs.lines(Level.ERROR);
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains("loop.period=5x"), errors.get(0));
        assertTrue(errors.get(0).startsWith("action: config | result: fail | error: "), errors.get(0));
        assertTrue(logs.linesContaining("result: success").isEmpty(), () -> "nothing succeeded: " + logs.lines());
        logs.assertContract();
    }

    @Test
    void aConfigErrorLineKeepsTheLogContractWhateverTheValue() {
        // The operator's value is echoed in the error line: a '|' in it must not break the format.
        int code = ClientMain.run(env("127.0.0.1:1", "CLI_LOOP_PERIOD", "5s|x"));

        assertEquals(1, code);
        List<String> errors = logs.lines(Level.ERROR);
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).contains("loop.period="), errors.get(0));
        logs.assertContract();
    }

    @Test
    void aMissingConfigFileExitsOneNamingIt() {
        Path missing = dir.resolve("absent.yaml");
        int code = ClientMain.run(env("127.0.0.1:1", "CLI_CONFIG_FILE", missing.toString()));

        assertEquals(1, code);
        assertEquals(List.of("action: config | result: fail | error: configuration file not found: " + missing),
                logs.lines(Level.ERROR));
    }

    @Test
    void aMissingDataFileExitsOneNamingIt() {
        Path missing = dir.resolve("agency-9.csv");
        int code = ClientMain.run(env("127.0.0.1:1", "CLI_DATA_FILE", missing.toString()));

        assertEquals(1, code);
        List<String> errors = logs.lines(Level.ERROR);
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith("action: leer_apuestas | result: fail | file: " + missing + " | error: "),
                errors.get(0));
        logs.assertContract();
    }

    @Test
    void anUnreachableCentralExitsOneAfterTheConfiguredAttempts() throws Exception {
        int port;
        try (java.net.ServerSocket probe = new java.net.ServerSocket(0)) {
            port = probe.getLocalPort();
        }
        Path csv = Bets.write(dir.resolve("agency-1.csv"), List.of(Bets.ordinary(1)));
        int code = ClientMain.run(env("127.0.0.1:" + port, "CLI_LOOP_PERIOD", "10ms", "CLI_DATA_FILE", csv.toString()));

        assertEquals(1, code);
        List<String> errors = logs.lines(Level.ERROR);
        assertEquals(1, errors.size(), errors::toString);
        assertTrue(errors.get(0).startsWith("action: loop_finished | result: fail | client_id: 1 | error: cannot reach"
                + " the central at 127.0.0.1:" + port + " after 3 attempt(s) 10ms apart: "), errors.get(0));
        assertTrue(logs.linesContaining("action: loop_finished | result: success").isEmpty());
        logs.assertContract();
    }

    private static final String[] SINGLE_BET = {
            "NOMBRE", "Santiago Lionel", "APELLIDO", "Lorca", "DOCUMENTO", "30904465",
            "NACIMIENTO", "1999-03-17", "NUMERO", "7574"};

    @Test
    void singleBetModeSendsTheBetAndLogsItAtInfo() throws Exception {
        try (FakeCentral central = FakeCentral.start(List.of("30904465"))) {
            int code = ClientMain.run(env(central.address(), SINGLE_BET));

            assertEquals(0, code, () -> "log: " + logs.lines());
            assertEquals(List.of(new Bet("Santiago Lionel", "Lorca", 30904465, 19990317, 7574)), central.bets());
            List<ILoggingEvent> sent = logs.events().stream()
                    .filter(e -> e.getFormattedMessage().startsWith("action: apuesta_enviada")).toList();
            assertEquals(1, sent.size());
            assertEquals(Level.INFO, sent.get(0).getLevel());
            assertEquals("action: apuesta_enviada | result: success | dni: 30904465 | numero: 7574",
                    sent.get(0).getFormattedMessage());
            assertTrue(logs.lines().contains("action: consulta_ganadores | result: success | cant_ganadores: 1"));
            List<String> lines = logs.lines();
            assertEquals("action: loop_finished | result: success | client_id: 1", lines.get(lines.size() - 1));
            assertNoFailLine();
            logs.assertContract();
        }
    }

    @Test
    void singleBetModeNamesAMissingVariable() {
        Map<String, String> env = env("127.0.0.1:1", SINGLE_BET);
        env.remove("NACIMIENTO");
        int code = ClientMain.run(env);

        assertEquals(1, code);
        List<String> errors = logs.lines(Level.ERROR);
        assertEquals(1, errors.size(), errors::toString);
        assertEquals("action: leer_apuesta | result: fail | source: environment | error: single-bet mode needs NOMBRE,"
                + " APELLIDO, DOCUMENTO, NACIMIENTO, NUMERO; NACIMIENTO is not set", errors.get(0));
        logs.assertContract();
    }

    @Test
    void singleBetModeNamesAnInvalidField() {
        Map<String, String> env = env("127.0.0.1:1", SINGLE_BET);
        env.put("DOCUMENTO", "12a");
        int code = ClientMain.run(env);

        assertEquals(1, code);
        assertEquals(List.of("action: leer_apuesta | result: fail | source: environment | error: documento \"12a\""
                + " is not numeric"), logs.lines(Level.ERROR));
    }

    @Test
    @Timeout(10) // a bet that cannot be sent must end the run, never hang it
    void singleBetModeWithABetTooLargeForABatchExitsOneWithAnErrorLine() throws Exception {
        try (FakeCentral central = FakeCentral.start(List.of())) {
            Map<String, String> env = env(central.address(), SINGLE_BET);
            env.put("NOMBRE", "N".repeat(9000));
            int code = ClientMain.run(env);

            assertEquals(1, code);
            List<String> errors = logs.lines(Level.ERROR);
            assertEquals(1, errors.size(), errors::toString);
            assertTrue(errors.get(0).contains("cannot fit in a batch of 8192 bytes"), errors.get(0));
            assertEquals(List.of(), central.bets());
            logs.assertContract();
        }
    }
}
