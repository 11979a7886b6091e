package ar.loteria.client.transport;

import java.io.IOException;

/**
 * The central answered "busy, retry later" (too many connections) or "unavailable" (shutting
 * down): like a refused connection, worth another attempt.
 */
public final class BusyException extends IOException {
    public BusyException(String reason) {
        super("the central is busy: " + reason);
    }
}
