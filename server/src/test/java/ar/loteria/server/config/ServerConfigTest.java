package ar.loteria.server.config;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.common.ConfigException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ServerConfigTest {
    private static final String INI = """
            ; central server
            [DEFAULT]
            SERVER_PORT = 12345
            SERVER_IP = server
            # backlog of the listening socket
            SERVER_LISTEN_BACKLOG = 5
            LOGGING_LEVEL = INFO
            """;

    @TempDir
    Path dir;

    private Path ini(String content) throws IOException {
        Path file = dir.resolve("config.ini");
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

    private String refused(String content, Map<String, String> env) throws IOException {
        Path file = ini(content);
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(file, env));
        assertFalse(e.getMessage().contains("\n"), () -> "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void readsTheFourKeysOfTheFileAndTheDefaultsOfTheRest() throws Exception {
        ServerConfig config = ServerConfig.load(ini(INI), env());
        assertAll(
                () -> assertEquals(12345, config.port()),
                () -> assertEquals(5, config.listenBacklog()),
                () -> assertEquals("INFO", config.loggingLevel()),
                () -> assertEquals("0.0.0.0", config.bindAddress()),
                () -> assertEquals(5, config.agencyCount()),
                () -> assertEquals(4, config.workerThreads()),
                () -> assertEquals(1000, config.maxConnections()),
                () -> assertEquals(Path.of("storage"), config.storageDir()),
                () -> assertFalse(config.storageFsync()),
                () -> assertEquals(8192, config.maxFrameBytes()),
                () -> assertEquals(10_000, config.frameTimeoutMillis()),
                () -> assertEquals(60_000, config.idleTimeoutMillis()),
                () -> assertEquals(1500, config.shutdownGraceMillis()),
                () -> assertNull(config.readyFile()));
    }

    @Test
    void theShippedConfigFileLoads() throws Exception {
        // Surefire runs in the module directory, where server/config.ini is ./config.ini.
        ServerConfig config = ServerConfig.load(Path.of("config.ini"), env());
        assertEquals(12345, config.port());
        assertEquals(5, config.listenBacklog());
        assertEquals("INFO", config.loggingLevel());
    }

    @Test
    void everyFileKeyIsOverriddenByTheVariableOfTheSameName() throws Exception {
        ServerConfig config = ServerConfig.load(ini(INI), env(
                "SERVER_PORT", "4000", "SERVER_IP", "10.0.0.1", "SERVER_LISTEN_BACKLOG", "64", "LOGGING_LEVEL", "debug"));
        assertAll(
                () -> assertEquals(4000, config.port()),
                () -> assertEquals(64, config.listenBacklog()),
                () -> assertEquals("debug", config.loggingLevel(), "as configured: the config line shows it so"));
    }

    @ParameterizedTest(name = "{0} overrides only its own key")
    @CsvSource({"SERVER_PORT, 4000", "SERVER_LISTEN_BACKLOG, 64", "LOGGING_LEVEL, WARN"})
    void eachVariableOverridesOnlyItsKey(String key, String value) throws Exception {
        ServerConfig config = ServerConfig.load(ini(INI), env(key, value));
        assertEquals(key.equals("SERVER_PORT") ? 4000 : 12345, config.port());
        assertEquals(key.equals("SERVER_LISTEN_BACKLOG") ? 64 : 5, config.listenBacklog());
        assertEquals(key.equals("LOGGING_LEVEL") ? "WARN" : "INFO", config.loggingLevel());
    }

    @Test
    void environmentOnlySettingsAreRead() throws Exception {
        ServerConfig config = ServerConfig.load(ini(INI), env(
                "BIND_ADDRESS", "127.0.0.1", "AGENCY_COUNT", "3", "WORKER_THREADS", "2", "MAX_CONNECTIONS", "50",
                "STORAGE_DIR", "/data/round", "STORAGE_FSYNC", "TRUE", "MAX_FRAME_BYTES", "65536",
                "FRAME_TIMEOUT_MS", "250", "IDLE_TIMEOUT_MS", "0", "SHUTDOWN_GRACE_MS", "500", "READY_FILE", "/tmp/ready"));
        assertAll(
                () -> assertEquals("127.0.0.1", config.bindAddress()),
                () -> assertEquals(3, config.agencyCount()),
                () -> assertEquals(2, config.workerThreads()),
                () -> assertEquals(50, config.maxConnections()),
                () -> assertEquals(Path.of("/data/round"), config.storageDir()),
                () -> assertTrue(config.storageFsync()),
                () -> assertEquals(65536, config.maxFrameBytes()),
                () -> assertEquals(250, config.frameTimeoutMillis()),
                () -> assertEquals(0, config.idleTimeoutMillis()),
                () -> assertEquals(500, config.shutdownGraceMillis()),
                () -> assertEquals(Path.of("/tmp/ready"), config.readyFile()));
    }

    @Test
    void theLedgerIsInTheStorageDirectoryUnlessStorageUrlIsSet() throws Exception {
        ServerConfig files = ServerConfig.load(ini(INI), env("STORAGE_URL", " ", "PGUSER", "pg", "PGPASSWORD", "pw"));
        assertNull(files.storageUrl(), "blank counts as not set (as Compose's ${VAR} gives it)");
        assertEquals("storage", files.storageLocation());

        ServerConfig postgres = ServerConfig.load(ini(INI), env("STORAGE_URL", "jdbc:postgresql://db:5432/loteria",
                "STORAGE_USER", "central", "STORAGE_PASSWORD", "s3cret", "PGUSER", "pg", "PGPASSWORD", "pw"));
        assertEquals("jdbc:postgresql://db:5432/loteria", postgres.storageUrl());
        assertEquals("central", postgres.storageUser());
        assertEquals("s3cret", postgres.storagePassword());
        assertEquals("jdbc:postgresql://db:5432/loteria", postgres.storageLocation());
        assertFalse(postgres.toString().contains("s3cret"), postgres.toString());
        assertTrue(postgres.toString().contains("storagePassword=***"), postgres.toString());
    }

    @Test
    void postgresqlsOwnVariablesAreTheFallbackForUserAndPassword() throws Exception {
        ServerConfig config = ServerConfig.load(ini(INI), env("STORAGE_URL", "jdbc:postgresql://db/loteria",
                "STORAGE_USER", "", "PGUSER", "pg", "PGPASSWORD", "pw"));
        assertEquals("pg", config.storageUser());
        assertEquals("pw", config.storagePassword());
        ServerConfig none = ServerConfig.load(ini(INI), env("STORAGE_URL", "jdbc:postgresql://db/loteria"));
        assertNull(none.storageUser(), "the driver's default");
        assertNull(none.storagePassword());
    }

    @Test
    void aStorageUrlThatIsNotPostgresIsRefusedWithoutItsPassword() throws Exception {
        assertEquals("invalid configuration: STORAGE_URL=jdbc:mysql://db/loteria?user=u&password=*** (expected a"
                + " PostgreSQL JDBC URL: jdbc:postgresql://HOST[:PORT]/DATABASE)",
                refused(INI, env("STORAGE_URL", "jdbc:mysql://db/loteria?user=u&password=hunter2")));
        assertEquals("invalid configuration: STORAGE_URL=postgres://db/loteria (expected a PostgreSQL JDBC URL:"
                + " jdbc:postgresql://HOST[:PORT]/DATABASE)", refused(INI, env("STORAGE_URL", "postgres://db/loteria")));
        ServerConfig shown = ServerConfig.load(ini(INI), env("STORAGE_URL", "jdbc:postgresql://db/l?password=hunter2"));
        assertEquals("jdbc:postgresql://db/l?password=***", shown.storageLocation());
        assertFalse(shown.toString().contains("hunter2"), shown.toString());
    }

    @Test
    void agencyCountZeroIsAllowed() throws Exception {
        assertEquals(0, ServerConfig.load(ini(INI), env("AGENCY_COUNT", "0")).agencyCount());
    }

    @Test
    void valuesAreTrimmed() throws Exception {
        assertEquals(4000, ServerConfig.load(ini(INI), env("SERVER_PORT", " 4000 ")).port());
    }

    @ParameterizedTest(name = "{0}={1}")
    @CsvSource(delimiter = ';', value = {
            "SERVER_PORT;           abc;   an integer from 0 to 65535",
            "SERVER_PORT;           70000; an integer from 0 to 65535",
            "SERVER_PORT;           -1;    an integer from 0 to 65535",
            "SERVER_LISTEN_BACKLOG; 0;     an integer from 1 to 65535",
            "SERVER_LISTEN_BACKLOG; many;  an integer from 1 to 65535",
            "LOGGING_LEVEL;         LOUD;  one of DEBUG, INFO, WARN, ERROR, TRACE",
            "AGENCY_COUNT;          -1;    an integer from 0 to 100000",
            "AGENCY_COUNT;          five;  an integer from 0 to 100000",
            "WORKER_THREADS;        0;     an integer from 1 to 1000",
            "MAX_CONNECTIONS;       0;     an integer from 1 to 1000000",
            "STORAGE_FSYNC;         yes;   true or false",
            "MAX_FRAME_BYTES;       10;    an integer from 64 to 67108864",
            "IDLE_TIMEOUT_MS;       1.5;   an integer from 0 to 86400000",
            "FRAME_TIMEOUT_MS;      -1;    an integer from 0 to 86400000",
            "SHUTDOWN_GRACE_MS;     -1;    an integer from 0 to 600000",
            "SERVER_IP;             bad host!; a host name or an IP address",
            "SERVER_IP;             -server;   a host name or an IP address",
            "SERVER_IP;             1::2::3;   a host name or an IP address",
    })
    void aBadValueIsNamedWithItsKey(String key, String value, String expected) throws Exception {
        assertEquals("invalid configuration: " + key + "=" + value + " (expected " + expected + ")",
                refused(INI, env(key, value)));
    }

    @Test
    void aBadValueInTheFileIsNamedWithItsKey() throws Exception {
        String message = refused(INI.replace("SERVER_PORT = 12345", "SERVER_PORT = abc"), env());
        assertTrue(message.contains("SERVER_PORT=abc"), message);
        message = refused(INI.replace("LOGGING_LEVEL = INFO", "LOGGING_LEVEL = LOUD"), env());
        assertTrue(message.contains("LOGGING_LEVEL=LOUD"), message);
    }

    @Test
    void serverIpIsNotTheCentralsSettingSoItMayBeMissingOrBlank() throws Exception {
        // It is where the agencies and the echo validator reach the central; the central listens on BIND_ADDRESS.
        ServerConfig config = ServerConfig.load(ini(INI.replace("SERVER_IP = server\n", "")), env());
        assertEquals(12345, config.port());
        ServerConfig.load(ini(INI), env("SERVER_IP", " "));
        for (String where : List.of("server", "tp0_server_1", "127.0.0.1", "localhost", "central-1.example.org", "::1", "[::1]", "fe80::1")) {
            ServerConfig.load(ini(INI), env("SERVER_IP", where)); // checked by its form, never looked up
        }
    }

    @Test
    void aMissingKeyIsNamed() throws Exception {
        assertEquals("missing configuration: SERVER_LISTEN_BACKLOG (set it in config.ini or the environment)",
                refused(INI.replace("SERVER_LISTEN_BACKLOG = 5\n", ""), env()));
    }

    @Test
    void aKeyMissingFromTheFileMayComeFromTheEnvironment() throws Exception {
        ServerConfig config = ServerConfig.load(ini(INI.replace("SERVER_LISTEN_BACKLOG = 5\n", "")),
                env("SERVER_LISTEN_BACKLOG", "9"));
        assertEquals(9, config.listenBacklog());
    }

    @Test
    void anUnknownKeyInTheFileIsRefused() throws Exception {
        Path file = ini(INI + "AGENCY_COUNT = 5\n");
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(file, env()));
        assertEquals("unknown key in " + file + ": AGENCY_COUNT=5 (the file holds only LOGGING_LEVEL, SERVER_IP,"
                + " SERVER_LISTEN_BACKLOG, SERVER_PORT)", e.getMessage());
    }

    @Test
    void aKeyInAnotherSectionIsRefused() throws Exception {
        // SPEC: "The file may hold only the four keys above."
        String message = refused(INI + "[EXTRA]\nAGENCY_COUNT = 9\n", env());
        assertTrue(message.contains("AGENCY_COUNT"), message);
    }

    @Test
    void aKeyOutsideAnySectionIsRefused() throws Exception {
        String message = refused("WORKER_THREADS = 2\n" + INI, env());
        assertTrue(message.contains("WORKER_THREADS"), message);
    }

    @Test
    void aFileWithoutTheDefaultSectionIsRefused() throws Exception {
        Path file = ini(INI.replace("[DEFAULT]", "[server]"));
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(file, env()));
        assertEquals("configuration file " + file + " has no [DEFAULT] section", e.getMessage());
    }

    @Test
    void keysWithoutAnySectionAreRefused() throws Exception {
        Path file = ini(INI.replace("[DEFAULT]\n", ""));
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(file, env()));
        assertEquals("configuration file " + file + " has no [DEFAULT] section", e.getMessage());
    }

    @Test
    void aMissingFileIsNamed() {
        Path missing = dir.resolve("absent.ini");
        ConfigException e = assertThrows(ConfigException.class, () -> ServerConfig.load(missing, env()));
        assertEquals("configuration file not found: " + missing, e.getMessage());
    }

    @Test
    void configFileLocation() {
        assertEquals(Path.of("/etc/central.ini"), ServerConfig.defaultConfigFile(env("CONFIG_FILE", "/etc/central.ini")));
        // Surefire runs in server/, where config.ini exists.
        assertEquals(Path.of("config.ini"), ServerConfig.defaultConfigFile(env()));
    }
}
