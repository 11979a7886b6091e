package ar.loteria.server.service;

import ar.loteria.protocol.ErrorCode;

/**
 * The lottery said no: a code of the protocol's {@code ErrorCode} and the reason, for the agency
 * and the log. Any call can end in one; the protocol handler sends it and closes the connection.
 */
public record Refusal(ErrorCode code, String reason)
        implements SessionOutcome, BatchOutcome, FinishOutcome, WinnersOutcome {
}
