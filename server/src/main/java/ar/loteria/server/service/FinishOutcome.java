package ar.loteria.server.service;

/** What {@link LotteryService#finish} did: counted the agency as finished (with its stored bets), or a {@link Refusal}. */
public sealed interface FinishOutcome permits FinishOutcome.Finished, Refusal {
    record Finished(int storedBets) implements FinishOutcome {
    }
}
