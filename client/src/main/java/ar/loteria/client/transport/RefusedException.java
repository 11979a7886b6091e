package ar.loteria.client.transport;

import ar.loteria.protocol.runtime.ErrorCode;

/** The central answered with a rejection or an error instead of the expected reply. */
public final class RefusedException extends Exception {
    private final ErrorCode code;

    public RefusedException(int wireCode, String reason) {
        super(name(wireCode) + ": " + reason);
        this.code = ErrorCode.fromWire(wireCode);
    }

    private static String name(int wireCode) {
        ErrorCode known = ErrorCode.fromWire(wireCode);
        return known == null ? "code " + wireCode : known.name();
    }

    /** The error code, or null when this build does not know the one the central sent. */
    public ErrorCode code() {
        return code;
    }
}
