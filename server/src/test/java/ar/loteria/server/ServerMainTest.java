package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.server.support.LogCapture;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import sun.misc.Signal;
import sun.misc.SignalHandler;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What main does with bad configuration: exit code 1 and one line naming key and value. */
class ServerMainTest {
    @TempDir
    Path dir;

    @AfterEach
    void restoreSignals() {
        // ServerMain.run takes SIGTERM/SIGINT from its start; this JVM gets its own back.
        for (String signal : List.of("TERM", "INT")) {
            Signal.handle(new Signal(signal), SignalHandler.SIG_DFL);
        }
    }

    private Path ini(String port) throws Exception {
        return Files.writeString(dir.resolve("config.ini"),
                "[DEFAULT]\nSERVER_PORT = " + port + "\nSERVER_IP = 127.0.0.1\nSERVER_LISTEN_BACKLOG = 5\nLOGGING_LEVEL = INFO\n");
    }

    private static List<String> errors(LogCapture logs) {
        return logs.matching("result: fail");
    }

    @Test
    void badPortInTheFileExitsOneWithOneLine() throws Exception {
        try (LogCapture logs = LogCapture.begin()) {
            assertEquals(1, ServerMain.run(Map.of("CONFIG_FILE", ini("abc").toString())));
            assertEquals(List.of("action: config | result: fail | error: invalid configuration: SERVER_PORT=abc "
                    + "(expected an integer from 0 to 65535)"), errors(logs));
            logs.parsed();
        }
    }

    @Test
    void badValueFromTheEnvironmentOverridesAGoodFile() throws Exception {
        try (LogCapture logs = LogCapture.begin()) {
            assertEquals(1, ServerMain.run(Map.of("CONFIG_FILE", ini("12345").toString(), "SERVER_LISTEN_BACKLOG", "many")));
            assertEquals(List.of("action: config | result: fail | error: invalid configuration: SERVER_LISTEN_BACKLOG=many "
                    + "(expected an integer from 1 to 65535)"), errors(logs));
        }
    }

    @Test
    void aStorageDirectoryOfAnotherRoundIsRefusedWithOneLine() throws Exception {
        Path storage = Files.createDirectories(dir.resolve("storage"));
        Files.writeString(storage.resolve("bets.csv"), "7,Ana,Li,1,2000-01-01,1\n");
        try (LogCapture logs = LogCapture.begin()) {
            assertEquals(1, ServerMain.run(Map.of("CONFIG_FILE", ini("0").toString(), "STORAGE_DIR", storage.toString())));
            assertEquals(List.of("action: listen | result: fail | storage: " + storage + " | error: " + storage.resolve("bets.csv")
                    + " line 1: a bet of agency 7, but this round has agencies 1..5: the directory holds another round"
                    + " (found 1 bet(s), of agencies up to 7); a new round starts in an empty storage directory (with"
                    + " Compose: docker compose down, then up)"), errors(logs));
        }
        assertEquals("7,Ana,Li,1,2000-01-01,1\n", Files.readString(storage.resolve("bets.csv")), "nothing changed");
    }

    @Test
    void aLedgerUrlTheDriverCannotParseIsRefusedWithoutItsPassword() throws Exception {
        String url = "jdbc:postgresql://127.0.0.1:54x2/loteria?user=u&password=secret";
        try (LogCapture logs = LogCapture.begin()) {
            assertEquals(1, ServerMain.run(Map.of("CONFIG_FILE", ini("0").toString(), "STORAGE_URL", url)));
            List<String> errors = errors(logs);
            assertEquals(1, errors.size(), errors.toString());
            assertTrue(errors.get(0).startsWith("action: listen | result: fail | storage: jdbc:postgresql://127.0.0.1:54x2"
                    + "/loteria?user=u&password=*** | error: cannot reach the database: "), errors.get(0));
            assertFalse(errors.get(0).contains("secret"), "the driver quotes the URL it cannot parse: " + errors.get(0));
        }
    }

    @Test
    void badEnvironmentOnlySettingAndMissingFile() throws Exception {
        try (LogCapture logs = LogCapture.begin()) {
            assertEquals(1, ServerMain.run(Map.of("CONFIG_FILE", ini("12345").toString(), "AGENCY_COUNT", "-1")));
            assertEquals(1, ServerMain.run(Map.of("CONFIG_FILE", dir.resolve("absent.ini").toString())));
            assertEquals(List.of(
                    "action: config | result: fail | error: invalid configuration: AGENCY_COUNT=-1 (expected an integer from 0 to 100000)",
                    "action: config | result: fail | error: configuration file not found: " + dir.resolve("absent.ini")),
                    errors(logs));
        }
    }

    @Test
    void anAddressThatDoesNotResolveExitsOneWithOneLineAndNoThreadLeft() throws Exception {
        Path storage = dir.resolve("storage");
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        try (LogCapture logs = LogCapture.begin()) {
            assertEquals(1, ServerMain.run(Map.of("CONFIG_FILE", ini("0").toString(), "STORAGE_DIR", storage.toString(),
                    "BIND_ADDRESS", "nohost.invalid")));
            assertEquals(List.of("action: listen | result: fail | storage: " + storage
                    + " | error: cannot listen on nohost.invalid:0: the address does not resolve"), errors(logs));
        }
        // The event loops it started would keep the JVM alive after main returned.
        for (Thread thread : Thread.getAllStackTraces().keySet()) {
            if (!before.contains(thread) && !thread.isDaemon()) {
                thread.join(5_000);
                assertFalse(thread.isAlive(), thread.getName() + " still runs");
            }
        }
    }
}
