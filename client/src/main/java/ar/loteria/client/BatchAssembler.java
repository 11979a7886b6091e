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

/**
 * Reads bets and encodes them into {@code BetBatch} frames, one batch per call. A batch holds at
 * most {@code maxAmount} bets and its frame never exceeds {@link #MAX_BATCH_FRAME_BYTES}; every
 * batch but the last is full whenever the next bet fits. Memory: one batch.
 *
 * <p>Each bet is encoded once, by the generated {@link BetCodec}, straight into the frame: the
 * frame's end is what cuts a batch. Sizing every bet first and encoding the batch later walked
 * each name twice more, a tenth of an agency's CPU. The sender calls it between two batches, on
 * its own thread: a reader thread working ahead cost more in hand-overs and context switches
 * than it saved, since the central and the other agencies keep the CPUs busy meanwhile
 * (docs/performance.md).
 */
public final class BatchAssembler {
    /** A batch never exceeds this many bytes on the wire, header included. */
    public static final int MAX_BATCH_FRAME_BYTES = 8 * 1024;
    private static final FrameCodec CODEC = new FrameCodec(LoteriaProtocol.INSTANCE, MAX_BATCH_FRAME_BYTES);

    private final BetSource source;
    private final int maxAmount;
    /** Frame header and every field before the bets, as the generated codec writes them. */
    private final byte[] head;
    /** Where the bets' count sits in the frame: the last int of {@link #head}. */
    private final int countAt;
    /** The frame under construction, reused from batch to batch. */
    private final ByteBuffer frame = ByteBuffer.wrap(new byte[MAX_BATCH_FRAME_BYTES]);
    /** A bet read that did not fit the last batch: the first of the next one. */
    private Bet pending;

    public BatchAssembler(BetSource source, int agency, int maxAmount) {
        this.source = source;
        this.maxAmount = maxAmount;
        this.head = CODEC.encode(new BetBatch(agency, List.of()));
        this.countAt = head.length - Wire.INT_SIZE;
        checkLayout(agency);
    }

    /**
     * The frames are assembled on two facts of the IDL: the bets are BetBatch's last field, and a
     * list is written as its count (an int) followed by its elements. Checked against the
     * generated codec once, so that an IDL change fails loudly here instead of on the wire.
     */
    private void checkLayout(int agency) {
        List<Bet> sample = List.of(new Bet("Ana", "Núñez", 30_904_465, 19_990_317, 7574),
                new Bet("\uD83C\uDFB2", "", 1, 20_000_101, 0));
        startFrame();
        for (Bet bet : sample) {
            BetCodec.write(frame, bet);
        }
        EncodedBatch assembled = finish(sample);
        byte[] expected = CODEC.encode(new BetBatch(agency, sample));
        if (!Arrays.equals(expected, 0, expected.length, assembled.frame(), 0, assembled.length())) {
            throw new IllegalStateException("BetBatch's wire layout is not [header][fields][count][bets]: "
                    + "the batch assembler must follow the IDL");
        }
    }

    /**
     * Reads bets until the next batch is complete: {@code maxAmount} bets, or the next bet does
     * not fit, or the source is exhausted. Null when no bet is left. A valid bet too large for
     * any batch is reported to the source and skipped. The frame is valid until the next call.
     */
    public EncodedBatch nextBatch() throws IOException {
        startFrame();
        List<Bet> bets = new ArrayList<>(maxAmount);
        while (bets.size() < maxAmount) {
            Bet bet = pending != null ? pending : source.next();
            pending = null;
            if (bet == null) {
                break;
            }
            if (!append(bet)) {
                int size = BetCodec.sizeOf(bet);
                if (head.length + size > MAX_BATCH_FRAME_BYTES) {
                    // Not even alone: reported, and this batch goes on filling.
                    source.reject(bet, "bet of " + size + " bytes cannot fit in a batch of "
                            + MAX_BATCH_FRAME_BYTES + " bytes");
                    continue;
                }
                pending = bet; // the first of the next batch
                break;
            }
            bets.add(bet);
        }
        return bets.isEmpty() ? null : finish(bets);
    }

    /** Empties the frame down to {@link #head}; its limit is the largest frame allowed. */
    private void startFrame() {
        frame.clear();
        frame.put(head);
    }

    /** Encodes {@code bet} at the end of {@code frame}; false, with the frame unchanged, when it does not fit. */
    private boolean append(Bet bet) {
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

    private EncodedBatch finish(List<Bet> bets) {
        frame.putInt(countAt, bets.size());
        FrameCodec.fillBodyLength(frame, 0);
        return new EncodedBatch(frame.array(), frame.position(), bets);
    }
}
