package ar.loteria.client.transport;

import ar.loteria.protocol.ErrorCode;

/** The central refused a request (a BatchRejected or a ProtocolError other than "unavailable"): final. */
public final class RefusedException extends Exception {
    private final ErrorCode code;

    public RefusedException(ErrorCode code, String reason) {
        super(code + ": " + reason);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
