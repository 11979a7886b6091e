package ar.loteria.server.service;

import ar.loteria.protocol.Bet;
import java.util.List;

/** What {@link LotteryService#storeBatch} did with a batch: stored (some of) it, had it all already, or a {@link Refusal}. */
public sealed interface BatchOutcome permits BatchOutcome.Stored, BatchOutcome.AlreadyStored, Refusal {
    /** {@code added}: the bets of the batch stored now (its tail, when it overlapped what was stored); the agency now has {@code storedBets}. */
    record Stored(List<Bet> added, int storedBets) implements BatchOutcome {
    }

    /** Every bet of the batch was stored before (a resend after a lost acknowledgement): nothing written. */
    record AlreadyStored(int storedBets) implements BatchOutcome {
    }
}
