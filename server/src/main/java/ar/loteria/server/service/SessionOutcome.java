package ar.loteria.server.service;

import ar.loteria.protocol.Bet;
import java.util.Optional;

/** What {@link LotteryService#startSession} found: what the central holds of the agency, or a {@link Refusal}. */
public sealed interface SessionOutcome permits SessionOutcome.Started, Refusal {
    /** The agency's stored bets, whether it has finished, and the last of its stored bets (none when it holds none). */
    record Started(int storedBets, boolean finished, Optional<Bet> lastBet) implements SessionOutcome {
    }
}
