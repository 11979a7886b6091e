package ar.loteria.server.service;

import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.runtime.ErrorCode;
import ar.loteria.protocol.runtime.Message;

/**
 * What to send back, whether the connection ends after it (every refusal ends it), and what to
 * do once it is written (a log line that must not come before the reply reached the socket).
 */
public record Reply(Message message, boolean closeAfter, Runnable onSent) {
    private static final Runnable NOTHING = () -> { };

    public static Reply ok(Message message) {
        return new Reply(message, false, NOTHING);
    }

    public static Reply ok(Message message, Runnable onSent) {
        return new Reply(message, false, onSent);
    }

    public static Reply refuse(Message message) {
        return new Reply(message, true, NOTHING);
    }

    public static Reply error(ErrorCode code, String reason) {
        return refuse(new ProtocolError(code.wireValue(), reason));
    }
}
