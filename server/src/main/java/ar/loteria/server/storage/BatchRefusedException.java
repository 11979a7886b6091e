package ar.loteria.server.storage;

import ar.loteria.protocol.runtime.ErrorCode;

/** A batch refused by an {@link BetStore.AppendGuard}: nothing of it was written. */
public final class BatchRefusedException extends Exception {
    private final ErrorCode code;

    public BatchRefusedException(ErrorCode code, String reason) {
        super(reason);
        this.code = code;
    }

    public ErrorCode code() {
        return code;
    }
}
