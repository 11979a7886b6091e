package ar.loteria.client.transport;

/**
 * The central could not be reached, dropped the connection, did not answer in time, or answered
 * "busy" or "unavailable": worth another attempt, whose session resumes where the central's
 * storage ends. The message says which, for the retry line.
 */
public final class UnavailableException extends Exception {
    public UnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
