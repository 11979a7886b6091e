package ar.loteria.server.draw;

import ar.loteria.server.storage.BetStore;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** The draw: a bet wins when its number is {@link #WINNING_NUMBER}. */
public final class Draw {
    public static final int WINNING_NUMBER = 7574;

    private Draw() {
    }

    /** Streams the store back (memory holds only the winners) and groups winners by agency. */
    public static DrawResult run(BetStore store) throws IOException {
        Map<Integer, List<String>> winners = new HashMap<>();
        store.forEachWithNumber(WINNING_NUMBER, bet ->
                winners.computeIfAbsent(bet.agency(), agency -> new ArrayList<>()).add(bet.document()));
        return new DrawResult(winners, store.storedBets());
    }
}
