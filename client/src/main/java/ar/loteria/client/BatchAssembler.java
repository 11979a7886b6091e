package ar.loteria.client;

import ar.loteria.client.source.BetSource;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.BetBatchCodec;
import ar.loteria.protocol.BetCodec;
import ar.loteria.protocol.runtime.FrameCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads bets and cuts them into batches on its own thread, a few batches ahead of the sender,
 * so that parsing the file overlaps the wait for each acknowledgement. A batch holds at most
 * {@code maxAmount} bets and its frame never exceeds {@link #MAX_BATCH_FRAME_BYTES}; every batch
 * but the last is full whenever the next bet fits. Memory: at most {@link #AHEAD} + 1 batches.
 */
public final class BatchAssembler implements Runnable {
    /** A batch never exceeds this many bytes on the wire, header included. */
    public static final int MAX_BATCH_FRAME_BYTES = 8 * 1024;
    static final int AHEAD = 4;

    private static final List<Bet> END = List.of();

    private final BetSource source;
    private final int maxAmount;
    private final int overhead;
    private final BlockingQueue<List<Bet>> ready = new ArrayBlockingQueue<>(AHEAD);
    private volatile IOException failure;

    public BatchAssembler(BetSource source, int agency, int maxAmount) {
        this.source = source;
        this.maxAmount = maxAmount;
        this.overhead = FrameCodec.HEADER_SIZE + BetBatchCodec.INSTANCE.bodySize(new BetBatch(agency, List.of()));
    }

    @Override
    public void run() {
        try {
            List<Bet> batch = new ArrayList<>(maxAmount);
            int bytes = overhead;
            Bet bet;
            while ((bet = source.next()) != null) {
                int size = BetCodec.sizeOf(bet);
                if (overhead + size > MAX_BATCH_FRAME_BYTES) {
                    source.reject(bet, "bet of " + size + " bytes cannot fit in a batch of " + MAX_BATCH_FRAME_BYTES + " bytes");
                    continue;
                }
                if (batch.size() == maxAmount || bytes + size > MAX_BATCH_FRAME_BYTES) {
                    ready.put(batch);
                    batch = new ArrayList<>(maxAmount);
                    bytes = overhead;
                }
                batch.add(bet);
                bytes += size;
            }
            if (!batch.isEmpty()) {
                ready.put(batch);
            }
        } catch (IOException e) {
            failure = e;
        } catch (RuntimeException e) {
            // Never leave the sender waiting for a batch that will not come.
            failure = new IOException(e.getMessage(), e);
        } catch (InterruptedException e) {
            return; // the sender stopped
        }
        try {
            ready.put(END);
        } catch (InterruptedException e) {
            // the sender stopped
        }
    }

    /** The next batch, or null after the last one. */
    public List<Bet> next() throws IOException, InterruptedException {
        List<Bet> batch = ready.take();
        if (batch == END) {
            if (failure != null) {
                throw failure;
            }
            return null;
        }
        return batch;
    }
}
