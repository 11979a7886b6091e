package ar.loteria.server.service;

import ar.loteria.server.storage.CsvBatchEncoder;

/** Per-connection state the service needs: who the peer is, and a reusable batch encoder. */
public final class Session {
    private final String peer;
    private final CsvBatchEncoder encoder = new CsvBatchEncoder();

    public Session(String peer) {
        this.peer = peer;
    }

    public String peer() {
        return peer;
    }

    CsvBatchEncoder encoder() {
        return encoder;
    }
}
