package ar.loteria.client.source;

import ar.loteria.common.BetRules;
import ar.loteria.common.InvalidBetException;
import ar.loteria.protocol.Bet;
import java.util.List;
import java.util.Map;

/** The single bet given by NOMBRE, APELLIDO, DOCUMENTO, NACIMIENTO and NUMERO. */
public final class SingleBetSource implements BetSource {
    public static final List<String> VARIABLES = List.of("NOMBRE", "APELLIDO", "DOCUMENTO", "NACIMIENTO", "NUMERO");

    private Bet bet;

    private SingleBetSource(Bet bet) {
        this.bet = bet;
    }

    /** True when any of the five variables is set. */
    public static boolean requested(Map<String, String> env) {
        return VARIABLES.stream().anyMatch(env::containsKey);
    }

    /** The bet of the environment, checked with the same rules as a row of a file; it must fit a batch. */
    public static Bet fromEnvironment(Map<String, String> env, int maxBetBytes) throws InvalidBetException {
        for (String variable : VARIABLES) {
            if (env.get(variable) == null) {
                throw new InvalidBetException("single-bet mode needs " + String.join(", ", VARIABLES)
                        + "; " + variable + " is not set");
            }
        }
        Bet bet = BetRules.parse(env.get("NOMBRE"), env.get("APELLIDO"), env.get("DOCUMENTO"), env.get("NACIMIENTO"),
                env.get("NUMERO"));
        String tooLarge = CsvBetSource.sizeProblem(bet, maxBetBytes);
        if (tooLarge != null) {
            throw new InvalidBetException(tooLarge);
        }
        return bet;
    }

    public static Opener opener(Bet bet) {
        return () -> new SingleBetSource(bet);
    }

    @Override
    public Bet next() {
        Bet next = bet;
        bet = null;
        return next;
    }

    @Override
    public void close() {
        bet = null;
    }
}
