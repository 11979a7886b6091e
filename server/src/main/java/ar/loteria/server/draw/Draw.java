package ar.loteria.server.draw;

import ar.loteria.common.LogValues;
import ar.loteria.server.storage.BetStore;
import java.io.IOException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The draw: a bet wins when its number is {@link #WINNING_NUMBER}. Run once per round; its
 * result is recorded before anyone is told, and a round whose result is already recorded (the
 * central restarted after its draw) is not drawn, nor logged, again.
 */
public final class Draw {
    public static final int WINNING_NUMBER = 7574;
    private static final Logger log = LoggerFactory.getLogger(Draw.class);

    private Draw() {
    }

    public static DrawResult run(BetStore store) throws IOException {
        var recorded = store.recordedDraw();
        if (recorded.isPresent()) {
            return new DrawResult(recorded.get());
        }
        try {
            DrawResult result = new DrawResult(store.documentsOfBetsOn(WINNING_NUMBER));
            store.recordDraw(result.winnersByAgency());
            log.info("action: sorteo | result: success | ganadores: {}", result.winnerCount());
            return result;
        } catch (IOException e) {
            log.error("action: sorteo | result: fail | error: {}", LogValues.clean(e.getMessage()));
            throw e;
        }
    }
}
