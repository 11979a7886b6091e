package ar.loteria.client;

import ar.loteria.client.source.BetSource;
import ar.loteria.common.BetRules;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.BetCodec;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.runtime.FrameCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Cuts a source's bets into batches: at most {@code maxAmount} bets, and never more than
 * {@link BetRules#MAX_BATCH_FRAME_BYTES} on the wire. Every batch but the last is full unless
 * the next bet would not fit. Memory: one batch.
 */
public final class BatchCutter {
    /** Room for bets in a batch frame: the limit less the header and the other fields. */
    public static final int MAX_BETS_BYTES = BetRules.MAX_BATCH_FRAME_BYTES
            - new FrameCodec(LoteriaProtocol.INSTANCE, BetRules.MAX_BATCH_FRAME_BYTES).frameSize(new BetBatch(0, 0, List.of()));
    /** No batch holds more bets than this, whatever {@code maxAmount} says: that many of the smallest valid bet fill it. */
    static final int MOST_BETS = MAX_BETS_BYTES / BetCodec.sizeOf(new Bet("a", "a", "0", "2000-01-01", 0));

    private final BetSource source;
    private final int maxAmount;
    /** A bet that did not fit the last batch: the first of the next one. */
    private Bet pending;

    BatchCutter(BetSource source, int maxAmount) {
        this.source = source;
        this.maxAmount = maxAmount;
    }

    /** The next batch, or null when no bet is left. */
    List<Bet> next() throws IOException {
        List<Bet> batch = new ArrayList<>(Math.min(maxAmount, MOST_BETS));
        int bytes = 0;
        while (batch.size() < maxAmount) {
            Bet bet = pending != null ? pending : source.next();
            pending = null;
            if (bet == null) {
                break;
            }
            int size = BetCodec.sizeOf(bet);
            if (size > MAX_BETS_BYTES) {
                throw new IllegalStateException("a source let through a bet of " + size + " bytes"); // sources refuse them
            }
            if (bytes + size > MAX_BETS_BYTES) {
                pending = bet;
                break;
            }
            batch.add(bet);
            bytes += size;
        }
        return batch.isEmpty() ? null : batch;
    }
}
