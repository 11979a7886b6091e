package ar.loteria.client.source;

import ar.loteria.protocol.Bet;
import java.io.IOException;
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

    public static SingleBetSource fromEnvironment(Map<String, String> env) throws InvalidBetException {
        for (String variable : VARIABLES) {
            if (env.get(variable) == null) {
                throw new InvalidBetException("single-bet mode needs " + String.join(", ", VARIABLES)
                        + "; " + variable + " is not set");
            }
        }
        return new SingleBetSource(BetParser.parse(env.get("NOMBRE"), env.get("APELLIDO"), env.get("DOCUMENTO"),
                env.get("NACIMIENTO"), env.get("NUMERO")));
    }

    @Override
    public Bet next() {
        Bet next = bet;
        bet = null;
        return next;
    }

    @Override
    public long rejectedRows() {
        return 0;
    }

    @Override
    public String description() {
        return "environment";
    }

    @Override
    public void reject(Bet rejected, String reason) throws IOException {
        throw new IOException(reason);
    }

    @Override
    public void close() {
        bet = null;
    }
}
