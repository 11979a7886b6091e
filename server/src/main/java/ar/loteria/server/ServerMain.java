package ar.loteria.server;

import ar.loteria.server.config.ConfigException;
import ar.loteria.server.config.ServerConfig;
import ar.loteria.server.service.LogValues;
import ar.loteria.server.service.LotteryService;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.transport.LotteryServer;
import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import sun.misc.Signal;

/** Entry point of the central server. Runs until SIGTERM or SIGINT, then stops gracefully with exit code 0. */
public final class ServerMain {
    private static final Logger log = LoggerFactory.getLogger(ServerMain.class);

    private ServerMain() {
    }

    public static void main(String[] args) {
        System.exit(run(System.getenv()));
    }

    static int run(Map<String, String> env) {
        ServerConfig config;
        try {
            config = ServerConfig.load(ServerConfig.defaultConfigFile(env), env);
        } catch (ConfigException e) {
            log.error("action: config | result: fail | error: {}", LogValues.clean(e.getMessage()));
            return 1;
        }
        setLevel(config.loggingLevel());
        log.info("action: config | result: success | port: {} | listen_backlog: {} | logging_level: {}",
                config.port(), config.listenBacklog(), config.loggingLevel());

        // The JVM's own SIGTERM handling exits with 143; handling the signal ourselves lets the
        // main thread close everything in order and exit with 0.
        CountDownLatch stop = new CountDownLatch(1);
        AtomicReference<String> signal = new AtomicReference<>();
        for (String name : new String[] {"TERM", "INT"}) {
            Signal.handle(new Signal(name), s -> {
                signal.compareAndSet(null, "SIG" + s.getName());
                stop.countDown();
            });
        }

        if (config.readyFile() != null) {
            try {
                Files.deleteIfExists(config.readyFile()); // stale, from an earlier run
            } catch (IOException e) {
                log.warn("action: ready_file | result: fail | path: {} | error: {}", config.readyFile(), e.getMessage());
            }
        }
        BetStore store;
        try {
            store = BetStore.open(config.storagePath(), config.storageFsync());
        } catch (IOException e) {
            log.error("action: open_storage | result: fail | path: {} | error: {}", config.storagePath(), e.getMessage());
            return 1;
        }
        LotteryService service = new LotteryService(store, config.agencyCount());
        LotteryServer server = new LotteryServer(new LotteryServer.Settings(config.bindAddress(), config.port(),
                config.listenBacklog(), config.workerThreads(), config.maxPendingConnections(), config.maxFrameBytes(),
                config.idleTimeoutSeconds(), config.shutdownGraceMillis()), service);
        try {
            server.start();
        } catch (IOException e) {
            log.error("action: listen | result: fail | address: {}:{} | error: {}", config.bindAddress(), config.port(), e.getMessage());
            closeStore(store);
            return 1;
        }
        markReady(config);
        log.info("action: listen | result: success | address: {}:{} | agencies: {} | workers: {} | storage: {}",
                config.bindAddress(), server.port(), config.agencyCount(), config.workerThreads(), config.storagePath());

        try {
            stop.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        log.info("action: shutdown | result: in_progress | signal: {}", signal.get());
        try {
            server.shutdown();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        closeStore(store);
        if (config.readyFile() != null) {
            try {
                Files.deleteIfExists(config.readyFile());
            } catch (IOException e) {
                // the container is going away
            }
        }
        log.info("action: shutdown | result: success");
        return 0;
    }

    private static void markReady(ServerConfig config) {
        if (config.readyFile() == null) {
            return;
        }
        try {
            Files.writeString(config.readyFile(), "ready\n");
        } catch (IOException e) {
            log.warn("action: ready_file | result: fail | path: {} | error: {}", config.readyFile(), e.getMessage());
        }
    }

    private static void closeStore(BetStore store) {
        try {
            store.close();
            log.info("action: close_resource | result: success | resource: bets_file | path: {}", store.path());
        } catch (IOException e) {
            log.error("action: close_resource | result: fail | resource: bets_file | error: {}", e.getMessage());
        }
    }

    static void setLevel(String level) {
        ((ch.qos.logback.classic.Logger) LoggerFactory.getLogger(Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(level));
    }
}
