package ar.loteria.client;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ar.loteria.common.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Log lines are UTF-8 whatever the machine's locale. The images' base (like many minimal ones)
 * sets no LANG, so the JVM's default charset is ASCII there: names and file contents in log
 * lines came out as '?'.
 */
@Timeout(60)
class LogEncodingTest {
    @TempDir
    Path dir;

    @Test
    void aLogLineKeepsItsNonAsciiTextUnderAnAsciiLocale() throws Exception {
        Path config = Files.writeString(dir.resolve("config.yaml"), "server:\n  address: \"server:12345\"\n"
                + "loop:\n  amount: 1\n  period: \"1s\"\nlog:\n  level: \"MUÑOZ\"\n");
        Map<String, String> env = Map.of("CLI_CONFIG_FILE", config.toString(), "CLI_ID", "1", "LC_ALL", "C", "LANG", "C");
        try (JavaProcess client = JavaProcess.start("ar.loteria.client.ClientMain", env, dir,
                "-Dfile.encoding=ANSI_X3.4-1968")) {
            assertEquals(1, client.waitForExit(Duration.ofSeconds(30)));
            List<String> output = client.lines();
            assertEquals(1, output.size(), output::toString);
            assertEquals("action: config | result: fail | error: invalid configuration: log.level=MUÑOZ (expected one of"
                    + " DEBUG, INFO, WARN, ERROR, TRACE)", output.get(0).substring(output.get(0).indexOf("action:")));
        }
    }
}
