package ar.loteria.server;

import ar.loteria.common.JavaProcess;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.Map;

/** The real programs as processes (this build's classes), configured as a user would configure them. */
final class Processes {
    private Processes() {
    }

    /** A central on a port of its choosing (SERVER_PORT 0, unless {@code env} says otherwise). */
    static JavaProcess central(Path dir, int agencies, Path storage, Map<String, String> env) throws Exception {
        Path ini = dir.resolve("config.ini");
        if (!Files.exists(ini)) {
            Files.writeString(ini, "[DEFAULT]\nSERVER_PORT = 0\nSERVER_IP = 127.0.0.1\nSERVER_LISTEN_BACKLOG = 128\n"
                    + "LOGGING_LEVEL = INFO\n");
        }
        Map<String, String> all = new HashMap<>(Map.of("CONFIG_FILE", ini.toString(), "BIND_ADDRESS", "127.0.0.1",
                "AGENCY_COUNT", String.valueOf(agencies), "STORAGE_DIR", storage.toString()));
        all.putAll(env);
        return JavaProcess.start("ar.loteria.server.ServerMain", all, dir, "-Xmx128m", "-Xmn16m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    }

    private static final Pattern LISTENING = Pattern.compile("action: listen \\| result: success \\| address: [^|]*:(\\d+) \\|");

    /** Waits until the central listens; the port it logged. */
    static int awaitPort(JavaProcess central) throws Exception {
        central.await(line -> LISTENING.matcher(line).find(), 1, Duration.ofSeconds(30));
        List<String> lines = central.lines();
        for (int i = lines.size() - 1; i >= 0; i--) {
            Matcher m = LISTENING.matcher(lines.get(i));
            if (m.find()) {
                return Integer.parseInt(m.group(1));
            }
        }
        throw new AssertionError("no listen line");
    }

    static JavaProcess agency(Path dir, int agency, int port, Path data, Map<String, String> env) throws Exception {
        Path yaml = dir.resolve("config.yaml");
        if (!Files.exists(yaml)) {
            Files.writeString(yaml, "server:\n  address: \"127.0.0.1:1\"\nloop:\n  amount: 3\n  period: \"50ms\"\n"
                    + "log:\n  level: \"INFO\"\n");
        }
        Map<String, String> all = new HashMap<>(Map.of("CLI_ID", String.valueOf(agency), "CLI_CONFIG_FILE", yaml.toString(),
                "CLI_SERVER_ADDRESS", "127.0.0.1:" + port, "CLI_DATA_FILE", data.toString()));
        all.putAll(env);
        return JavaProcess.start("ar.loteria.client.ClientMain", all, dir, "-Xmx64m", "-Xmn8m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");
    }
}
