package ar.loteria.server.service;

/**
 * One connection as the service sees it: the peer, and the agency it belongs to once its
 * SessionStart is accepted. A connection has one request in flight at a time, so its requests
 * never touch the session concurrently.
 */
public final class Session {
    private final String peer;
    private int agency;

    public Session(String peer) {
        this.peer = peer;
    }

    public String peer() {
        return peer;
    }

    boolean started() {
        return agency != 0;
    }

    int agency() {
        return agency;
    }

    void bind(int agency) {
        this.agency = agency;
    }
}
