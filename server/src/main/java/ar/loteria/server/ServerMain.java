package ar.loteria.server;

import ar.loteria.common.ConfigException;
import ar.loteria.common.LogSetup;
import ar.loteria.common.LogValues;
import ar.loteria.common.StopSignals;
import ar.loteria.server.config.ServerConfig;
import ar.loteria.server.storage.StorageException;
import java.io.IOException;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Entry point of the central. Runs until SIGTERM or SIGINT, then stops gracefully with exit code 0. */
public final class ServerMain {
    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

    private ServerMain() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.exit(run(System.getenv()));
    }

    static int run(Map<String, String> env) throws InterruptedException {
        ServerConfig config;
        try {
            config = ServerConfig.load(ServerConfig.defaultConfigFile(env), env);
        } catch (ConfigException e) {
            log.error("action: config | result: fail | error: {}", LogValues.clean(e.getMessage()));
            return 1;
        }
        LogSetup.setLevel(config.loggingLevel());
        log.info("action: config | result: success | port: {} | listen_backlog: {} | logging_level: {}",
                config.port(), config.listenBacklog(), config.loggingLevel());

        CompletableFuture<String> stop = new CompletableFuture<>();
        StopSignals.onStop(stop::complete);
        Central central;
        try {
            central = Central.start(config);
        } catch (IOException | StorageException e) {
            log.error("action: listen | result: fail | storage: {} | error: {}", config.storageDir(), LogValues.clean(e.getMessage()));
            return 1;
        }
        log.info("action: shutdown | result: in_progress | signal: {}", stop.join());
        central.stop();
        log.info("action: shutdown | result: success");
        return 0;
    }
}
