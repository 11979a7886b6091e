package ar.loteria.server.support;

import ar.loteria.server.Central;
import ar.loteria.server.config.ServerConfig;
import ar.loteria.server.tls.CentralTls;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A real central on a loopback port, in this JVM, configured as ServerMain would configure it. */
public final class ServerHarness implements AutoCloseable {
    private final Central central;
    private final Path storageDir;

    private ServerHarness(Central central, Path storageDir) {
        this.central = central;
        this.storageDir = storageDir;
    }

    /** A central for {@code agencies} agencies storing in {@code storageDir}; {@code env} adds or overrides settings. */
    public static ServerHarness start(Path storageDir, int agencies, Map<String, String> env) throws Exception {
        Files.createDirectories(storageDir);
        Path ini = Files.writeString(storageDir.resolveSibling(storageDir.getFileName() + ".ini"),
                "[DEFAULT]\nSERVER_PORT = 0\nSERVER_IP = 127.0.0.1\nSERVER_LISTEN_BACKLOG = 128\nLOGGING_LEVEL = INFO\n");
        Map<String, String> settings = new HashMap<>(Map.of("BIND_ADDRESS", "127.0.0.1",
                "AGENCY_COUNT", String.valueOf(agencies), "STORAGE_DIR", storageDir.toString()));
        settings.putAll(env);
        ServerConfig config = ServerConfig.load(ini, settings);
        return new ServerHarness(Central.start(config, CentralTls.material(config).orElse(null)), storageDir);
    }

    public static ServerHarness start(Path storageDir, int agencies) throws Exception {
        return start(storageDir, agencies, Map.of());
    }

    public int port() {
        return central.port();
    }

    public Path storageDir() {
        return storageDir;
    }

    @Override
    public void close() throws Exception {
        central.stop();
    }
}
