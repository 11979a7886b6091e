package ar.loteria.server;

import ar.loteria.common.LogValues;
import ar.loteria.server.config.ServerConfig;
import ar.loteria.server.service.LotteryService;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.storage.StorageException;
import ar.loteria.server.transport.LotteryServer;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The central: its storage, the lottery service on it, and the transport in front, started and stopped in order. */
public final class Central {
    private static final Logger log = LoggerFactory.getLogger(Central.class);

    private final BetStore store;
    private final LotteryServer server;
    private final int port;
    private final ServerConfig config;

    private Central(BetStore store, LotteryServer server, int port, ServerConfig config) {
        this.store = store;
        this.server = server;
        this.port = port;
        this.config = config;
    }

    /**
     * Recovers the round from the storage directory, then listens; once it does, writes the port to
     * the ready file (if configured) and logs {@code listen}.
     */
    public static Central start(ServerConfig config) throws IOException, StorageException, InterruptedException {
        deleteReadyFile(config.readyFile()); // a stale one from an earlier run
        BetStore store = BetStore.open(config.storageDir(), config.agencyCount(), config.storageFsync());
        logRecovery(store);
        try {
            LotteryService service = new LotteryService(store, config.agencyCount());
            LotteryServer.Settings settings = new LotteryServer.Settings(config.bindAddress(), config.port(),
                    config.listenBacklog(), config.maxFrameBytes(), config.frameTimeoutMillis(),
                    config.idleTimeoutMillis(), config.maxConnections(), config.workerThreads(),
                    config.shutdownGraceMillis());
            LotteryServer server = new LotteryServer(settings, service);
            int port = server.start();
            writeReadyFile(config.readyFile(), port);
            log.info("action: listen | result: success | address: {}:{} | agencies: {} | workers: {} | backlog: {}"
                            + " | storage: {}", config.bindAddress(), port, config.agencyCount(), config.workerThreads(),
                    LotteryServer.effectiveBacklog(settings), config.storageDir());
            return new Central(store, server, port, config);
        } catch (IOException | RuntimeException | InterruptedException e) {
            store.close();
            throw e;
        }
    }

    private static void logRecovery(BetStore store) {
        BetStore.Recovery found = store.recovery();
        if (found.tornBetBytes() > 0 || found.tornJournalBytes() > 0) {
            log.warn("action: recuperar_ronda | result: success | torn_bet_bytes: {} | torn_journal_bytes: {}"
                    + " | detail: a row cut short by a crash was removed", found.tornBetBytes(), found.tornJournalBytes());
        }
        if (!found.empty()) {
            log.info("action: recuperar_ronda | result: success | apuestas: {} | agencias_finalizadas: {} | draw_recorded: {}",
                    found.storedBets(), found.finishedAgencies(), found.drawRecorded());
        }
    }

    /** The compose healthcheck's signal that the central accepts connections; it holds the port. */
    private static void writeReadyFile(Path readyFile, int port) {
        if (readyFile != null) {
            try {
                Files.writeString(readyFile, port + "\n");
            } catch (IOException e) {
                log.warn("action: ready_file | result: fail | path: {} | error: {}", readyFile, LogValues.clean(e.getMessage()));
            }
        }
    }

    private static void deleteReadyFile(Path readyFile) {
        if (readyFile != null) {
            try {
                Files.deleteIfExists(readyFile);
            } catch (IOException e) {
                log.warn("action: ready_file | result: fail | path: {} | error: {}", readyFile, LogValues.clean(e.getMessage()));
            }
        }
    }

    public int port() {
        return port;
    }

    /** Stops the transport gracefully, then closes the storage; each resource closed is logged. */
    public void stop() throws InterruptedException {
        try {
            server.shutdown();
            deleteReadyFile(config.readyFile());
        } finally {
            try {
                store.close();
                log.info("action: close_resource | result: success | resource: storage | path: {}", config.storageDir());
            } catch (IOException e) {
                log.error("action: close_resource | result: fail | resource: storage | error: {}", LogValues.clean(e.getMessage()));
            }
        }
    }
}
