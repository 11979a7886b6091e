package ar.loteria.server.transport;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

/**
 * The connection of each agency that waits for the draw: one per agency, the newest. A waiting
 * connection is exempt from the idle timeout, so without this an agency (its certificate is
 * enough) could hold every connection slot until a draw that then never comes, since it needs
 * the agencies locked out. An agency runs one session at a time; an older waiting connection is
 * one it lost (half-open) or abandoned, and the newer replaces it.
 */
final class DrawWaiters {
    private final ConcurrentMap<Integer, ProtocolHandler> waiting = new ConcurrentHashMap<>();

    /** {@code connection} waits for the draw for {@code agency}; the one that waited before it is let go. */
    void waiting(int agency, ProtocolHandler connection) {
        ProtocolHandler older = waiting.put(agency, connection);
        if (older != null && older != connection) {
            older.replacedByNewerWaiter(agency);
        }
    }

    /** {@code connection} waits no more (answered, or closed). */
    void done(int agency, ProtocolHandler connection) {
        waiting.remove(agency, connection);
    }
}
