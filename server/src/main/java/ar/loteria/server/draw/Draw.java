package ar.loteria.server.draw;

import ar.loteria.common.LogLine;
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
            BetStore.DrawRecord record = store.recordDraw(store.documentsOfBetsOn(WINNING_NUMBER));
            DrawResult result = new DrawResult(record.winners());
            if (record.recordedNow()) { // another central on the same ledger may have drawn first: one sorteo
                LogLine.success("sorteo").with("ganadores", result.winnerCount()).info(log);
            }
            return result;
        } catch (IOException e) {
            LogLine.fail("sorteo").with("error", e.getMessage()).error(log);
            throw e;
        }
    }
}
