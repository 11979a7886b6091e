package ar.loteria.server.support;

import ar.loteria.server.service.LotteryService;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.transport.LotteryServer;
import java.io.IOException;
import java.nio.file.Path;

/** A real server on a loopback port, in this JVM. */
public final class ServerHarness implements AutoCloseable {
    private final BetStore store;
    private final LotteryService service;
    private final LotteryServer server;
    private final int port;

    private ServerHarness(BetStore store, LotteryService service, LotteryServer server, int port) {
        this.store = store;
        this.service = service;
        this.server = server;
        this.port = port;
    }

    public static ServerHarness start(Path betsFile, int agencies, int workers) throws IOException {
        BetStore store = BetStore.open(betsFile, false);
        LotteryService service = new LotteryService(store, agencies);
        LotteryServer server = new LotteryServer(new LotteryServer.Settings("127.0.0.1", 0, 50, workers, 128, 8192,
                60, 2000), service);
        int port = server.start();
        return new ServerHarness(store, service, server, port);
    }

    public int port() {
        return port;
    }

    public BetStore store() {
        return store;
    }

    public LotteryService service() {
        return service;
    }

    @Override
    public void close() throws Exception {
        server.shutdown();
        store.close();
    }
}
