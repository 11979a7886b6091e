package ar.loteria.bench;

import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.BetBatchCodec;
import ar.loteria.protocol.BetCodec;
import ar.loteria.protocol.runtime.FrameCodec;
import java.util.ArrayList;
import java.util.List;

/** Batches of real bets, cut the way the client cuts them: exactly {@link #SIZE} bets, at most 8 KiB. */
public final class Batches {
    /** The client's default batch.maxAmount (client/config.yaml, ClientConfig.DEFAULT_BATCH_MAX_AMOUNT). */
    public static final int SIZE = 200;
    public static final int MAX_FRAME_BYTES = 8 * 1024;
    public static final int AGENCY = 1;

    private Batches() {
    }

    /**
     * Up to {@code count} distinct full batches of consecutive real rows of agency 1 (windows whose
     * frame would exceed 8 KiB are skipped, so every batch has exactly {@link #SIZE} bets).
     */
    public static List<BetBatch> full(int count) {
        List<Bet> bets = BenchData.bets(AGENCY);
        int overhead = FrameCodec.HEADER_SIZE + BetBatchCodec.INSTANCE.bodySize(new BetBatch(AGENCY, List.of()));
        List<BetBatch> batches = new ArrayList<>();
        for (int start = 0; start + SIZE <= bets.size() && batches.size() < count; start += SIZE) {
            List<Bet> window = List.copyOf(bets.subList(start, start + SIZE));
            int bytes = overhead;
            for (Bet bet : window) {
                bytes += BetCodec.sizeOf(bet);
            }
            if (bytes <= MAX_FRAME_BYTES) {
                batches.add(new BetBatch(AGENCY, window));
            }
        }
        if (batches.isEmpty()) {
            throw new IllegalStateException("no window of " + SIZE + " real bets fits in 8 KiB");
        }
        return batches;
    }
}
