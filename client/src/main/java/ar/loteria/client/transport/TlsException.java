package ar.loteria.client.transport;

/**
 * TLS with the central failed for a reason another attempt would meet again: the central's
 * certificate is not of the round's CA or not of the name dialed, or the central refused this
 * agency's certificate. Final.
 */
public final class TlsException extends Exception {
    public TlsException(String message, Throwable cause) {
        super(message, cause);
    }
}
