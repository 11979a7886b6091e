package ar.loteria.server.service;

import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.runtime.ErrorCode;
import ar.loteria.protocol.runtime.Message;

/** What to send back, and whether the connection ends after it (every refusal ends it). */
public record Reply(Message message, boolean closeAfter) {
    public static Reply ok(Message message) {
        return new Reply(message, false);
    }

    public static Reply refuse(Message message) {
        return new Reply(message, true);
    }

    public static Reply error(ErrorCode code, String reason) {
        return refuse(new ProtocolError(code.wireValue(), reason));
    }
}
