package ar.loteria.client.source;

import ar.loteria.protocol.Bet;
import java.io.Closeable;
import java.io.IOException;

/** Where an agency's bets come from, one at a time. */
public interface BetSource extends Closeable {
    /** The next valid bet, or null when there are no more. Invalid rows are reported and skipped. */
    Bet next() throws IOException;

    /** Rows that could not be sent. */
    long rejectedRows();

    /** Human-readable origin for log lines. */
    String description();

    /**
     * Reports a valid bet that still cannot be sent (for example, one too large for any batch).
     * A source that cannot skip a bet (the single-bet mode) throws, which ends the run.
     */
    void reject(Bet bet, String reason) throws IOException;
}
