package ar.loteria.client.transport;

/**
 * The central could not be reached, dropped the connection, did not answer in time, or answered
 * "busy" or "unavailable": worth another attempt, whose session resumes where the central's
 * storage ends. The message says which, for the retry line.
 */
public final class UnavailableException extends Exception {
    private final boolean notListening;

    public UnavailableException(String message, Throwable cause) {
        this(message, cause, false);
    }

    /** {@code notListening}: no connection could be made (refused, or the name does not resolve). */
    UnavailableException(String message, Throwable cause, boolean notListening) {
        super(message, cause);
        this.notListening = notListening;
    }

    /** No connection could be made: nothing listens there (yet), or the name does not resolve (yet). */
    public boolean notListening() {
        return notListening;
    }
}
