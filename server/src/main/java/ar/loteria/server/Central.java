package ar.loteria.server;

import ar.loteria.common.LogLine;
import ar.loteria.common.tls.TlsMaterial;
import ar.loteria.server.config.ServerConfig;
import ar.loteria.server.service.LotteryService;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.storage.BetStores;
import ar.loteria.server.tls.CentralTls;
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
        return start(config, null);
    }

    /** The same, speaking mutual TLS with {@code tls} (null: plain TCP, as with TLS=off). */
    public static Central start(ServerConfig config, TlsMaterial tls)
            throws IOException, StorageException, InterruptedException {
        deleteReadyFile(config.readyFile()); // a stale one from an earlier run
        BetStore store = BetStores.open(config);
        logRecovery(store);
        try {
            LotteryService service = new LotteryService(store, config.agencyCount());
            LotteryServer.Settings settings = new LotteryServer.Settings(config.bindAddress(), config.port(),
                    config.listenBacklog(), config.maxFrameBytes(), config.frameTimeoutMillis(),
                    config.idleTimeoutMillis(), config.maxConnections(), config.workerThreads(),
                    config.shutdownGraceMillis(), tls == null ? null : CentralTls.serverContext(tls));
            LotteryServer server = new LotteryServer(settings, service);
            int port = server.start();
            writeReadyFile(config.readyFile(), port);
            LogLine.success("listen").with("address", config.bindAddress() + ":" + port)
                    .with("agencies", config.agencyCount()).with("workers", config.workerThreads())
                    .with("backlog", LotteryServer.effectiveBacklog(settings)).with("storage", config.storageLocation()).info(log);
            return new Central(store, server, port, config);
        } catch (IOException | RuntimeException | InterruptedException e) {
            store.close();
            throw e;
        }
    }

    private static void logRecovery(BetStore store) {
        BetStore.Recovery found = store.recovery();
        if (found.tornBetBytes() > 0 || found.tornJournalBytes() > 0) {
            LogLine.success("recuperar_ronda").with("torn_bet_bytes", found.tornBetBytes())
                    .with("torn_journal_bytes", found.tornJournalBytes())
                    .with("detail", "a row cut short by a crash was removed").warn(log);
        }
        if (!found.empty()) {
            LogLine.success("recuperar_ronda").with("apuestas", found.storedBets())
                    .with("agencias_finalizadas", found.finishedAgencies()).with("draw_recorded", found.drawRecorded())
                    .info(log);
        }
    }

    /** The compose healthcheck's signal that the central accepts connections; it holds the port. */
    private static void writeReadyFile(Path readyFile, int port) {
        if (readyFile != null) {
            try {
                Files.writeString(readyFile, port + "\n");
            } catch (IOException e) {
                readyFileFailed(readyFile, e);
            }
        }
    }

    private static void readyFileFailed(Path readyFile, IOException e) {
        LogLine.fail("ready_file").with("path", readyFile).with("error", e.getMessage()).warn(log);
    }

    private static void deleteReadyFile(Path readyFile) {
        if (readyFile != null) {
            try {
                Files.deleteIfExists(readyFile);
            } catch (IOException e) {
                readyFileFailed(readyFile, e);
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
                LogLine.success("close_resource").with("resource", "storage").with("path", config.storageLocation()).info(log);
            } catch (IOException e) {
                LogLine.fail("close_resource").with("resource", "storage").with("error", e.getMessage()).error(log);
            }
        }
    }
}
