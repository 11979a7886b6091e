package ar.loteria.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.client.support.Bets;
import ar.loteria.client.support.FakeCentral;
import ar.loteria.client.support.LogCapture;
import ar.loteria.common.LogGrammar;
import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.ErrorCode;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
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
import sun.misc.Signal;
import sun.misc.SignalHandler;

/** The whole program in-process: exit codes and the lines it prints, each read back with the log contract's grammar. */
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
        // ClientMain.run installs SIGTERM/SIGINT handlers for its run; this JVM gets its own back.
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), SignalHandler.SIG_DFL);
        }
        List<LogGrammar.Entry> entries = logs.assertGrammar();
        logs.close();
        assertTrue(entries.stream().noneMatch(entry -> entry.details().containsKey("source")));
    }

    private Map<String, String> env(String address, String... pairs) {
        Map<String, String> env = new HashMap<>();
        env.put("CLI_CONFIG_FILE", configFile.toString());
        env.put("CLI_ID", "1");
        env.put("CLI_SERVER_ADDRESS", address);
        env.put("CLI_LOOP_AMOUNT", "3");
        env.put("CLI_LOOP_PERIOD", "150ms");
        env.put("CLI_STARTUP_WAIT", "0s"); // a central that does not listen counts at once (AgencyClientTest waits for one)
        env.put("CLI_LOG_LEVEL", "INFO");
        env.put("CLI_DATA_FILE", dir.resolve("agency-1.csv").toString());
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private void assertNoFailLine() {
        assertEquals(List.of(), logs.linesContaining("result: fail"), "a healthy run prints no failure");
    }

    private String lastLine() {
        List<String> lines = logs.lines();
        return lines.get(lines.size() - 1);
    }

    @Test
    void aWholeRunPrintsTheContractLinesAndExitsZero() throws Exception {
        List<Bet> bets = Bets.list(95, Bets::ordinary);
        Bets.write(dir.resolve("agency-1.csv"), bets);
        try (FakeCentral central = FakeCentral.start(List.of("20000003", "0042"))) {
            int code = ClientMain.run(env(central.address()));

            assertEquals(0, code, () -> "log: " + logs.lines());
            assertEquals("action: config | result: success | client_id: 1 | server_address: " + central.address()
                            + " | loop_amount: 3 | loop_period: 150ms | log_level: INFO",
                    logs.single("action: config").getFormattedMessage());
            assertEquals("action: consulta_ganadores | result: success | cant_ganadores: 2",
                    logs.single("action: consulta_ganadores").getFormattedMessage());
            assertEquals("action: loop_finished | result: success | client_id: 1", lastLine());
            assertEquals(List.of(), logs.linesContaining("action: apuesta_enviada"), "a DEBUG line at INFO level");
            assertNoFailLine();
            assertEquals(bets, central.stored(1));
            assertEquals(List.of(40, 40, 15), central.batches().stream().map(b -> b.bets().size()).toList());
        }
    }

    @Test
    void theConfigLineShowsTheValuesAsConfiguredAtInfo() throws Exception {
        Bets.write(dir.resolve("agency-1.csv"), List.of(Bets.ordinary(1)));
        try (FakeCentral central = FakeCentral.start(List.of())) {
            Map<String, String> env = env(central.address());
            env.remove("CLI_LOOP_PERIOD"); // the file's "1s"
            env.put("CLI_LOG_LEVEL", "debug");
            assertEquals(0, ClientMain.run(env));

            ILoggingEvent config = logs.single("action: config");
            assertEquals(Level.INFO, config.getLevel());
            assertEquals("action: config | result: success | client_id: 1 | server_address: " + central.address()
                    + " | loop_amount: 3 | loop_period: 1s | log_level: debug", config.getFormattedMessage());
            assertEquals("action: apuesta_enviada | result: success | dni: 20000001 | numero: 1",
                    logs.single("action: apuesta_enviada").getFormattedMessage(), "DEBUG lines at log.level DEBUG");
            assertEquals("action: consulta_ganadores | result: success | cant_ganadores: 0",
                    logs.single("action: consulta_ganadores").getFormattedMessage());
        }
    }

    @Test
    void anEmptyVariableCountsAsNotSetAsComposesInterpolationProducesIt() throws Exception {
        // docker compose gives "" for ${VAR} when the host has no VAR: the file's values apply, and
        // five empty single-bet variables do not switch to single-bet mode.
        List<Bet> bets = Bets.list(95, Bets::ordinary);
        Bets.write(dir.resolve("agency-1.csv"), bets);
        try (FakeCentral central = FakeCentral.start(List.of())) {
            Map<String, String> env = env(central.address(), "CLI_LOOP_PERIOD", "", "CLI_BATCH_MAXAMOUNT", "",
                    "NOMBRE", "", "APELLIDO", "", "DOCUMENTO", "", "NACIMIENTO", "", "NUMERO", "");
            assertEquals(0, ClientMain.run(env), () -> "log: " + logs.lines());

            assertTrue(logs.single("action: config").getFormattedMessage().contains("| loop_period: 1s |"));
            assertEquals(List.of(40, 40, 15), central.batches().stream().map(b -> b.bets().size()).toList(),
                    "the file's batch.maxAmount");
            assertEquals(bets, central.stored(1));
        }
    }

    @Test
    void aMissingCliIdExitsOneWithOneLine() {
        Map<String, String> env = env("127.0.0.1:1");
        env.remove("CLI_ID");
        assertEquals(1, ClientMain.run(env));
        assertEquals(List.of("action: config | result: fail | error: missing configuration: CLI_ID"), logs.lines());
    }

    @Test
    void aBadServerAddressExitsOneWithOneLineNamingKeyAndValue() {
        assertEquals(1, ClientMain.run(env("central:abc")));
        assertEquals(List.of("action: config | result: fail | error: invalid configuration: CLI_SERVER_ADDRESS=central:abc"
                + " (expected host:port with a numeric port)"), logs.lines());
    }

    @Test
    void aBadLoopPeriodExitsOneWithOneLineNamingKeyAndValue() {
        assertEquals(1, ClientMain.run(env("127.0.0.1:1", "CLI_LOOP_PERIOD", "5x")));
        assertEquals(List.of("action: config | result: fail | error: invalid configuration: CLI_LOOP_PERIOD=5x (expected a Go"
                + " duration such as 50ms, 5s or 1m30s)"), logs.lines());
    }

    @Test
    void aBarInAConfiguredValueIsCleanedFromTheErrorLine() {
        assertEquals(1, ClientMain.run(env("127.0.0.1:1", "CLI_LOOP_PERIOD", "5s|x")));
        assertEquals(List.of("action: config | result: fail | error: invalid configuration: CLI_LOOP_PERIOD=5s/x (expected a"
                + " Go duration such as 50ms, 5s or 1m30s)"), logs.lines());
    }

    @Test
    void aBarInTheServerAddressIsCleanedFromTheConfigLine() {
        // The data file is missing, so the run stops before any connection; the config line came first.
        Path missing = dir.resolve("absent.csv");
        assertEquals(1, ClientMain.run(env("bad|host:1", "CLI_DATA_FILE", missing.toString())));
        assertEquals("action: config | result: success | client_id: 1 | server_address: bad/host:1 | loop_amount: 3"
                + " | loop_period: 150ms | log_level: INFO", logs.lines().get(0));
    }

    @Test
    void aMissingConfigFileExitsOneNamingIt() {
        Path missing = dir.resolve("absent.yaml");
        assertEquals(1, ClientMain.run(env("127.0.0.1:1", "CLI_CONFIG_FILE", missing.toString())));
        assertEquals(List.of("action: config | result: fail | error: configuration file not found: " + missing),
                logs.lines());
    }

    @Test
    void theCentralsNameIsLookedUpAgainAtEveryAttempt() {
        // Set when the class loads; the Docker end-to-end crash round restarts the central only
        // after an agency has failed to look its name up.
        assertEquals("0", java.security.Security.getProperty("networkaddress.cache.negative.ttl"));
        assertEquals("0", java.security.Security.getProperty("networkaddress.cache.ttl"));
    }

    @Test
    void aMissingDataFileExitsOneWithOneErrorLineNamingIt() {
        Path missing = dir.resolve("agency-9.csv");
        assertEquals(1, ClientMain.run(env("127.0.0.1:1", "CLI_DATA_FILE", missing.toString())));
        assertEquals(List.of("action: leer_apuestas | result: fail | file: " + missing + " | error: the bets file does"
                + " not exist or cannot be read"), logs.lines(Level.ERROR));
        assertTrue(logs.linesContaining("action: loop_finished").isEmpty());
    }

    @Test
    void anUnreachableCentralExitsOneWithOneLineAfterTheConfiguredAttempts() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            port = probe.getLocalPort();
        }
        Bets.write(dir.resolve("agency-1.csv"), List.of(Bets.ordinary(1)));
        assertEquals(1, ClientMain.run(env("127.0.0.1:" + port, "CLI_LOOP_PERIOD", "10ms")));

        List<String> errors = logs.lines(Level.ERROR);
        assertEquals(1, errors.size(), errors::toString);
        String prefix = "action: loop_failed | result: fail | client_id: 1 | error: gave up after 3 attempt(s) 10ms"
                + " apart to reach the central at 127.0.0.1:" + port + ": ";
        assertTrue(errors.get(0).startsWith(prefix) && errors.get(0).length() > prefix.length(), errors.get(0));
        assertEquals(errors.get(0), lastLine());
        assertEquals(2, logs.linesContaining("action: conectar | result: in_progress").size());
        assertEquals(List.of(), logs.linesContaining("action: loop_finished"), "loop_finished is only a successful run's");
    }

    @Test
    void aRejectedBatchExitsOneWithTheReasonCleaned() throws Exception {
        Bets.write(dir.resolve("agency-1.csv"), Bets.list(95, Bets::ordinary));
        FakeCentral.Script reject = (connection, index, message) -> message instanceof BetBatch b && b.firstBet() == 40
                ? new FakeCentral.Action.ReplyAndClose(new BatchRejected(ErrorCode.INVALID_BET,
                "bets[2].birthdate | \"2001-02-29\"\nis not a real date")) : null;
        try (FakeCentral central = FakeCentral.start(List.of(), reject)) {
            assertEquals(1, ClientMain.run(env(central.address())));
        }
        assertEquals(List.of("action: loop_failed | result: fail | client_id: 1 | error: INVALID_BET: bets[2].birthdate"
                + " / \"2001-02-29\" is not a real date"), logs.lines(Level.ERROR));
        assertEquals(List.of(), logs.linesContaining("action: loop_finished"), "loop_finished is only a successful run's");
    }

    private static final String[] SINGLE_BET = {
            "NOMBRE", "Santiago Lionel", "APELLIDO", "Lorca", "DOCUMENTO", "00000000",
            "NACIMIENTO", "1999-03-17", "NUMERO", "7574"};

    @Test
    void singleBetModeSendsTheBetKeepingTheDocumentAsTextAndLogsItAtInfo() throws Exception {
        try (FakeCentral central = FakeCentral.start(List.of("00000000"))) {
            int code = ClientMain.run(env(central.address(), SINGLE_BET));

            assertEquals(0, code, () -> "log: " + logs.lines());
            assertEquals(List.of(new Bet("Santiago Lionel", "Lorca", "00000000", "1999-03-17", 7574)), central.stored(1));
            ILoggingEvent sent = logs.single("action: apuesta_enviada");
            assertEquals(Level.INFO, sent.getLevel());
            assertEquals("action: apuesta_enviada | result: success | dni: 00000000 | numero: 7574",
                    sent.getFormattedMessage());
            assertEquals("action: consulta_ganadores | result: success | cant_ganadores: 1",
                    logs.single("action: consulta_ganadores").getFormattedMessage());
            assertEquals("action: loop_finished | result: success | client_id: 1", lastLine());
            assertNoFailLine();
        }
    }

    @Test
    void singleBetModeNamesAMissingVariable() {
        Map<String, String> env = env("127.0.0.1:1", SINGLE_BET);
        env.remove("NACIMIENTO");
        assertEquals(1, ClientMain.run(env));
        assertEquals(List.of("action: leer_apuesta | result: fail | origin: environment | error: single-bet mode needs"
                + " NOMBRE, APELLIDO, DOCUMENTO, NACIMIENTO, NUMERO; NACIMIENTO is not set"), logs.lines(Level.ERROR));
    }

    @Test
    void singleBetModeNamesAnInvalidField() {
        Map<String, String> env = env("127.0.0.1:1", SINGLE_BET);
        env.put("DOCUMENTO", "12a");
        assertEquals(1, ClientMain.run(env));
        assertEquals(List.of("action: leer_apuesta | result: fail | origin: environment | error: documento \"12a\" is not"
                + " a number (one or more ASCII digits)"), logs.lines(Level.ERROR));
    }
}
