package ar.loteria.client.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.common.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ClientConfigTest {
    private static final String FULL_YAML = """
            server:
              address: "central:12345"
            loop:
              amount: 4
              period: "150ms"
            log:
              level: "DEBUG"
            batch:
              maxAmount: 77
            """;

    @TempDir
    Path dir;

    private Path yaml(String content) throws IOException {
        Path file = dir.resolve("config.yaml");
        Files.writeString(file, content);
        return file;
    }

    private static Map<String, String> env(String... pairs) {
        Map<String, String> env = new HashMap<>();
        for (int i = 0; i < pairs.length; i += 2) {
            env.put(pairs[i], pairs[i + 1]);
        }
        return env;
    }

    private ConfigException refused(String content, Map<String, String> env) throws IOException {
        Path file = yaml(content);
        ConfigException e = assertThrows(ConfigException.class, () -> ClientConfig.load(file, env));
        assertFalse(e.getMessage().contains("\n"), () -> "one line: " + e.getMessage());
        return e;
    }

    @Test
    void readsEveryKeyFromTheFile() throws Exception {
        ClientConfig config = ClientConfig.load(yaml(FULL_YAML), env("CLI_ID", "3"));
        assertAll(
                () -> assertEquals(3, config.id()),
                () -> assertEquals("central:12345", config.serverAddress()),
                () -> assertEquals(List.of(new ClientConfig.CentralAddress("central", 12345)), config.centrals()),
                () -> assertEquals(4, config.loopAmount()),
                () -> assertEquals("150ms", config.loopPeriodText()),
                () -> assertEquals(Duration.ofMillis(150), config.loopPeriod()),
                () -> assertEquals("DEBUG", config.logLevel()),
                () -> assertEquals(77, config.batchMaxAmount()),
                () -> assertEquals(Path.of(".data", "agency-3.csv"), config.dataFile()));
    }

    @Test
    void everyKeyIsOverriddenByItsVariable() throws Exception {
        ClientConfig config = ClientConfig.load(yaml(FULL_YAML), env(
                "CLI_ID", "2",
                "CLI_SERVER_ADDRESS", "10.0.0.7:999",
                "CLI_LOOP_AMOUNT", "9",
                "CLI_LOOP_PERIOD", "1m30s",
                "CLI_LOG_LEVEL", "warn",
                "CLI_BATCH_MAXAMOUNT", "120",
                "CLI_DATA_FILE", "/data/bets.csv"));
        assertAll(
                () -> assertEquals(2, config.id()),
                () -> assertEquals("10.0.0.7:999", config.serverAddress()),
                () -> assertEquals(List.of(new ClientConfig.CentralAddress("10.0.0.7", 999)), config.centrals()),
                () -> assertEquals(9, config.loopAmount()),
                () -> assertEquals("1m30s", config.loopPeriodText()),
                () -> assertEquals(Duration.ofSeconds(90), config.loopPeriod()),
                () -> assertEquals("warn", config.logLevel(), "as configured: the config line shows it so"),
                () -> assertEquals(120, config.batchMaxAmount()),
                () -> assertEquals(Path.of("/data/bets.csv"), config.dataFile()));
    }

    @ParameterizedTest(name = "{0} overrides only its own key")
    @CsvSource({
            "CLI_SERVER_ADDRESS,  other:1",
            "CLI_LOOP_AMOUNT,     11",
            "CLI_LOOP_PERIOD,     2s",
            "CLI_LOG_LEVEL,       ERROR",
            "CLI_BATCH_MAXAMOUNT, 5",
    })
    void eachVariableOverridesOnlyItsKey(String variable, String value) throws Exception {
        Path file = yaml(FULL_YAML);
        ClientConfig base = ClientConfig.load(file, env("CLI_ID", "1"));
        ClientConfig config = ClientConfig.load(file, env("CLI_ID", "1", variable, value));
        assertEquals(variable.equals("CLI_SERVER_ADDRESS") ? value : base.serverAddress(), config.serverAddress());
        assertEquals(variable.equals("CLI_LOOP_AMOUNT") ? Integer.parseInt(value) : base.loopAmount(), config.loopAmount());
        assertEquals(variable.equals("CLI_LOOP_PERIOD") ? value : base.loopPeriodText(), config.loopPeriodText());
        assertEquals(variable.equals("CLI_LOG_LEVEL") ? value : base.logLevel(), config.logLevel());
        assertEquals(variable.equals("CLI_BATCH_MAXAMOUNT") ? Integer.parseInt(value) : base.batchMaxAmount(),
                config.batchMaxAmount());
    }

    @Test
    void variablesAloneAreEnoughWhenTheFileIsEmpty() throws Exception {
        ClientConfig config = ClientConfig.load(yaml("# nothing here\n"), env("CLI_ID", "1",
                "CLI_SERVER_ADDRESS", "server:12345", "CLI_LOOP_AMOUNT", "3", "CLI_LOOP_PERIOD", "50ms"));
        assertEquals("INFO", config.logLevel(), "log.level defaults to INFO");
        assertEquals(ClientConfig.DEFAULT_BATCH_MAX_AMOUNT, config.batchMaxAmount());
    }

    @Test
    void theShippedConfigFileLoads() throws Exception {
        // Surefire runs in the module directory, where client/config.yaml is ./config.yaml.
        ClientConfig config = ClientConfig.load(Path.of("config.yaml"), env("CLI_ID", "1"));
        assertEquals("server:12345", config.serverAddress());
        assertEquals(5, config.loopAmount());
        assertEquals(Duration.ofSeconds(1), config.loopPeriod());
        assertEquals("INFO", config.logLevel());
        assertTrue(config.batchMaxAmount() >= 1);
    }

    @Test
    void theReplyTimeoutIsThirtySecondsUnlessSet() throws Exception {
        assertEquals(Duration.ofSeconds(30), ClientConfig.load(yaml(FULL_YAML), env("CLI_ID", "1")).replyTimeout());
        assertEquals(Duration.ofMillis(1500),
                ClientConfig.load(yaml(FULL_YAML), env("CLI_ID", "1", "CLI_REPLY_TIMEOUT", "1.5s")).replyTimeout());
    }

    @Test
    void theStartUpWaitIsThirtySecondsUnlessSetAndMayBeZero() throws Exception {
        assertEquals(Duration.ofSeconds(30), ClientConfig.load(yaml(FULL_YAML), env("CLI_ID", "1")).startupWait());
        assertEquals(Duration.ZERO,
                ClientConfig.load(yaml(FULL_YAML), env("CLI_ID", "1", "CLI_STARTUP_WAIT", "0s")).startupWait());
        assertEquals("invalid configuration: CLI_STARTUP_WAIT=later (expected a Go duration of 0ms or more, such as 30s)",
                refused(FULL_YAML, env("CLI_ID", "1", "CLI_STARTUP_WAIT", "later")).getMessage());
    }

    @ParameterizedTest(name = "CLI_REPLY_TIMEOUT={0}")
    @CsvSource({"0s", "soon", "-1s"})
    void aBadReplyTimeoutNamesKeyAndValue(String value) throws Exception {
        assertEquals("invalid configuration: CLI_REPLY_TIMEOUT=" + value
                + " (expected a Go duration of 1ms or more, such as 30s)",
                refused(FULL_YAML, env("CLI_ID", "1", "CLI_REPLY_TIMEOUT", value)).getMessage());
    }

    @Test
    void cliIdIsRequired() throws Exception {
        assertEquals("missing configuration: CLI_ID", refused(FULL_YAML, env()).getMessage());
    }

    @ParameterizedTest(name = "CLI_ID={0}")
    @CsvSource({"0", "abc", "-2"})
    void cliIdMustBeAPositiveInteger(String id) throws Exception {
        assertEquals("invalid configuration: CLI_ID=" + id + " (expected an integer from 1 to 2147483647)",
                refused(FULL_YAML, env("CLI_ID", id)).getMessage());
    }

    @Test
    void aBadPeriodNamesKeyAndValue() throws Exception {
        String message = refused(FULL_YAML, env("CLI_ID", "1", "CLI_LOOP_PERIOD", "5x")).getMessage();
        assertEquals("invalid configuration: CLI_LOOP_PERIOD=5x (expected a Go duration such as 50ms, 5s or 1m30s)", message,
                "named by the variable that holds it");
    }

    @Test
    void aBadPeriodInTheFileNamesKeyAndValue() throws Exception {
        String message = refused(FULL_YAML.replace("\"150ms\"", "\"5 seconds\""), env("CLI_ID", "1")).getMessage();
        assertTrue(message.contains("loop.period=5 seconds"), message);
    }

    @Test
    void severalCentralsAreTriedInTheOrderGiven() throws Exception {
        ClientConfig config = ClientConfig.load(yaml(FULL_YAML), env("CLI_ID", "1", "CLI_SERVER_ADDRESS",
                "server:12345, server-standby:12346"));
        assertEquals(List.of(new ClientConfig.CentralAddress("server", 12345),
                new ClientConfig.CentralAddress("server-standby", 12346)), config.centrals());
        assertEquals("server:12345, server-standby:12346", config.serverAddress(), "as configured, for the config line");
    }

    @ParameterizedTest(name = "server.address={0}")
    @CsvSource(delimiter = ';', value = {
            "central;       host:port, or several separated by commas",
            "central:;      host:port, or several separated by commas",
            ":12345;        host:port, or several separated by commas",
            "central:abc;   host:port with a numeric port",
            "central:70000; a port from 1 to 65535",
            "central:0;     a port from 1 to 65535",
            "'a:1,';        host:port, or several separated by commas",
            "'a:1,b';       host:port, or several separated by commas",
    })
    void aBadServerAddressNamesKeyAndValue(String address, String expected) throws Exception {
        assertEquals("invalid configuration: CLI_SERVER_ADDRESS=" + address + " (expected " + expected + ")",
                refused(FULL_YAML, env("CLI_ID", "1", "CLI_SERVER_ADDRESS", address)).getMessage());
    }

    @ParameterizedTest(name = "loop.amount={0}")
    @CsvSource({"0", "abc", "-1", "2.5", "2147483648"})
    void aBadLoopAmountNamesKeyAndValue(String amount) throws Exception {
        assertEquals("invalid configuration: CLI_LOOP_AMOUNT=" + amount + " (expected an integer from 1 to 2147483647)",
                refused(FULL_YAML, env("CLI_ID", "1", "CLI_LOOP_AMOUNT", amount)).getMessage());
    }

    @Test
    void aBadLoopAmountInTheFileNamesKeyAndValue() throws Exception {
        assertEquals("invalid configuration: loop.amount=0 (expected an integer from 1 to 2147483647)",
                refused(FULL_YAML.replace("amount: 4", "amount: 0"), env("CLI_ID", "1")).getMessage());
    }

    @Test
    void anUnknownLogLevelNamesKeyAndValue() throws Exception {
        String message = refused(FULL_YAML, env("CLI_ID", "1", "CLI_LOG_LEVEL", "LOUD")).getMessage();
        assertTrue(message.startsWith("invalid configuration: CLI_LOG_LEVEL=LOUD (expected one of "), message);
    }

    @Test
    void aBadMaxAmountNamesKeyAndValue() throws Exception {
        assertEquals("invalid configuration: CLI_BATCH_MAXAMOUNT=0 (expected an integer from 1 to 2147483647)",
                refused(FULL_YAML, env("CLI_ID", "1", "CLI_BATCH_MAXAMOUNT", "0")).getMessage());
        assertEquals("invalid configuration: batch.maxAmount=0 (expected an integer from 1 to 2147483647)",
                refused(FULL_YAML.replace("maxAmount: 77", "maxAmount: 0"), env("CLI_ID", "1")).getMessage(),
                "named by its key when the file holds it");
    }

    @Test
    void anUnknownKeyInTheFileIsRefused() throws Exception {
        Path file = yaml(FULL_YAML + "loop2:\n  ammount: 3\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ClientConfig.load(file, env("CLI_ID", "1")));
        assertEquals("unknown key in " + file + ": loop2.ammount=3 (known: batch.maxAmount, log.level, loop.amount,"
                + " loop.period, server.address)", e.getMessage());
    }

    @Test
    void aMissingRequiredKeyIsNamed() throws Exception {
        String message = refused(FULL_YAML.replace("  period: \"150ms\"\n", ""), env("CLI_ID", "1")).getMessage();
        assertEquals("missing configuration: loop.period", message);
    }

    @Test
    void aKeyWithoutValueIsNamed() throws Exception {
        Path file = yaml(FULL_YAML.replace("amount: 4", "amount:"));
        ConfigException e = assertThrows(ConfigException.class, () -> ClientConfig.load(file, env("CLI_ID", "1")));
        assertEquals("missing value in " + file + ": loop.amount", e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("nope.yaml");
        ConfigException e = assertThrows(ConfigException.class, () -> ClientConfig.load(missing, env("CLI_ID", "1")));
        assertEquals("configuration file not found: " + missing, e.getMessage());
    }

    @Test
    void malformedYamlIsReportedOnOneLine() throws Exception {
        String message = refused("server: [unclosed\n  address: x\n", env("CLI_ID", "1")).getMessage();
        assertTrue(message.startsWith("cannot read configuration file " + dir.resolve("config.yaml") + ": "), message);
    }

    @Test
    void aYamlThatIsNotAMappingIsRefused() throws Exception {
        Path file = yaml("- just\n- a list\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ClientConfig.load(file, env("CLI_ID", "1")));
        assertEquals("configuration file " + file + " is not a YAML mapping", e.getMessage());
    }

    @Test
    void configFileLocation() {
        assertEquals(Path.of("/etc/agency.yaml"), ClientConfig.defaultConfigFile(env("CLI_CONFIG_FILE", "/etc/agency.yaml")));
        // Surefire runs in client/, where config.yaml exists.
        assertEquals(Path.of("config.yaml"), ClientConfig.defaultConfigFile(env()));
    }
}
