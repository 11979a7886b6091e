package ar.loteria.server.service;

import java.util.List;

/** The answer of {@link LotteryService#winners}, once the draw is made: the agency's winners, or a {@link Refusal}. */
public sealed interface WinnersOutcome permits WinnersOutcome.Drawn, Refusal {
    /** The documents of the agency's winning bets. */
    record Drawn(List<String> documents) implements WinnersOutcome {
    }
}
