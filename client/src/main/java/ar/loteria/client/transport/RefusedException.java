package ar.loteria.client.transport;

import ar.loteria.protocol.runtime.ErrorCode;

/** The central answered with a rejection or an error instead of the expected reply. */
public final class RefusedException extends Exception {
    private final ErrorCode code;

    public RefusedException(ErrorCode code, int wireCode, String reason) {
        super((code == null ? "code " + wireCode : code.name()) + ": " + reason);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
