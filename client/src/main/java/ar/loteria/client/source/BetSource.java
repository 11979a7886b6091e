package ar.loteria.client.source;

import ar.loteria.protocol.Bet;
import java.io.Closeable;
import java.io.IOException;

/**
 * Where an agency's bets come from, one valid bet at a time, always in the same order: a run
 * that resumes after a crash skips the bets the central already holds by counting them again.
 */
public interface BetSource extends Closeable {
    /** The next valid bet, or null when there are no more. Invalid rows are reported and skipped. */
    Bet next() throws IOException;

    /** Opens a source at its first bet; called again for every session, which then skips what is stored. */
    @FunctionalInterface
    interface Opener {
        BetSource open() throws IOException;
    }
}
