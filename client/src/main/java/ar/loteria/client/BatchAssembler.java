package ar.loteria.client;

import ar.loteria.client.source.BetSource;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.BetCodec;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.Wire;
import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * Reads bets and encodes them into {@code BetBatch} frames on its own thread, a few batches ahead
 * of the sender, so that parsing the file overlaps the wait for each acknowledgement. A batch
 * holds at most {@code maxAmount} bets and its frame never exceeds {@link #MAX_BATCH_FRAME_BYTES};
 * every batch but the last is full whenever the next bet fits. Memory: at most {@link #AHEAD} + 1
 * batches.
 *
 * <p>Each bet is encoded once, by the generated {@link BetCodec}, straight into the frame: the
 * frame's end is what cuts a batch. Sizing every bet first and encoding the batch later walked
 * each name twice more, a tenth of an agency's CPU (docs/performance.md).
 */
public final class BatchAssembler implements Runnable {
    /** A batch never exceeds this many bytes on the wire, header included. */
    public static final int MAX_BATCH_FRAME_BYTES = 8 * 1024;
    static final int AHEAD = 4;

    private static final EncodedBatch END = new EncodedBatch(new byte[0], 0, List.of());

    private final BetSource source;
    private final int maxAmount;
    /** Frame header and every field before the bets, as the generated codec writes them. */
    private final byte[] head;
    /** Where the bets' count sits in the frame: the last int of {@link #head}. */
    private final int countAt;
    private final BlockingQueue<EncodedBatch> ready = new ArrayBlockingQueue<>(AHEAD);
    private volatile IOException failure;

    public BatchAssembler(BetSource source, int agency, int maxAmount) {
        this.source = source;
        this.maxAmount = maxAmount;
        this.head = codec().encode(new BetBatch(agency, List.of()));
        this.countAt = head.length - Wire.INT_SIZE;
        checkLayout(agency);
    }

    private static FrameCodec codec() {
        return new FrameCodec(LoteriaProtocol.INSTANCE, MAX_BATCH_FRAME_BYTES);
    }

    /**
     * The frames are assembled on two facts of the IDL: the bets are BetBatch's last field, and a
     * list is written as its count (an int) followed by its elements. Checked against the
     * generated codec once, so that an IDL change fails loudly here instead of on the wire.
     */
    private void checkLayout(int agency) {
        List<Bet> sample = List.of(new Bet("Ana", "Núñez", 30_904_465, 19_990_317, 7574),
                new Bet("\uD83C\uDFB2", "", 1, 20_000_101, 0));
        ByteBuffer frame = startFrame();
        for (Bet bet : sample) {
            BetCodec.write(frame, bet);
        }
        EncodedBatch assembled = finish(frame, sample);
        byte[] expected = codec().encode(new BetBatch(agency, sample));
        if (!Arrays.equals(expected, 0, expected.length, assembled.frame(), 0, assembled.length())) {
            throw new IllegalStateException("BetBatch's wire layout is not [header][fields][count][bets]: "
                    + "the batch assembler must follow the IDL");
        }
    }

    @Override
    public void run() {
        try {
            ByteBuffer frame = startFrame();
            List<Bet> bets = new ArrayList<>(maxAmount);
            Bet bet;
            while ((bet = source.next()) != null) {
                if (bets.size() == maxAmount) {
                    ready.put(finish(frame, bets));
                    frame = startFrame();
                    bets = new ArrayList<>(maxAmount);
                }
                if (!append(frame, bet)) {
                    int size = BetCodec.sizeOf(bet);
                    if (head.length + size > MAX_BATCH_FRAME_BYTES) {
                        // Not even alone: reported, and the batch under way goes on filling.
                        source.reject(bet, "bet of " + size + " bytes cannot fit in a batch of "
                                + MAX_BATCH_FRAME_BYTES + " bytes");
                        continue;
                    }
                    ready.put(finish(frame, bets));
                    frame = startFrame();
                    bets = new ArrayList<>(maxAmount);
                    if (!append(frame, bet)) {
                        throw new IllegalStateException("a bet of " + size + " bytes did not fit an empty batch");
                    }
                }
                bets.add(bet);
            }
            if (!bets.isEmpty()) {
                ready.put(finish(frame, bets));
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

    /** A new frame buffer holding {@link #head}; its limit is the largest frame allowed. */
    private ByteBuffer startFrame() {
        ByteBuffer frame = ByteBuffer.wrap(new byte[MAX_BATCH_FRAME_BYTES]);
        frame.put(head);
        return frame;
    }

    /** Encodes {@code bet} at the end of {@code frame}; false, with the frame unchanged, when it does not fit. */
    private static boolean append(ByteBuffer frame, Bet bet) {
        int start = frame.position();
        try {
            BetCodec.write(frame, bet);
            return true;
        } catch (BufferOverflowException full) {
            // Once per batch: cheaper than measuring every bet before writing it.
            frame.position(start);
            return false;
        }
    }

    private EncodedBatch finish(ByteBuffer frame, List<Bet> bets) {
        frame.putInt(countAt, bets.size());
        FrameCodec.fillBodyLength(frame, 0);
        return new EncodedBatch(frame.array(), frame.position(), bets);
    }

    /** The next batch, or null after the last one. */
    public EncodedBatch next() throws IOException, InterruptedException {
        EncodedBatch batch = ready.take();
        if (batch == END) {
            if (failure != null) {
                throw failure;
            }
            return null;
        }
        return batch;
    }
}
