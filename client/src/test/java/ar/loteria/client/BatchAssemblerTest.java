package ar.loteria.client;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.client.source.BetSource;
import ar.loteria.client.support.Bets;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.BetCodec;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.runtime.FrameCodec;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** The frames the assembler builds bet by bet are the ones the generated codec writes for the same batch. */
@Timeout(30)
class BatchAssemblerTest {
    private static final int LIMIT = BatchAssembler.MAX_BATCH_FRAME_BYTES;
    private static final FrameCodec CODEC = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 20);

    /** Serves a list of bets, or fails with {@code failure} after them; records rejections. */
    private static final class ListSource implements BetSource {
        private final Iterator<Bet> bets;
        private final IOException failure;
        final List<String> rejections = new ArrayList<>();

        ListSource(List<Bet> bets, IOException failure) {
            this.bets = bets.iterator();
            this.failure = failure;
        }

        @Override
        public Bet next() throws IOException {
            if (bets.hasNext()) {
                return bets.next();
            }
            if (failure != null) {
                throw failure;
            }
            return null;
        }

        @Override
        public long rejectedRows() {
            return rejections.size();
        }

        @Override
        public String description() {
            return "test";
        }

        @Override
        public void reject(Bet bet, String reason) {
            rejections.add(bet.document() + ": " + reason);
        }

        @Override
        public void close() {
        }
    }

    /** Every batch, its frame copied (the assembler reuses its buffer). */
    private static List<EncodedBatch> assemble(BetSource source, int agency, int maxAmount) throws IOException {
        BatchAssembler assembler = new BatchAssembler(source, agency, maxAmount);
        List<EncodedBatch> batches = new ArrayList<>();
        EncodedBatch batch;
        while ((batch = assembler.nextBatch()) != null) {
            batches.add(new EncodedBatch(Arrays.copyOf(batch.frame(), batch.length()), batch.length(), batch.bets()));
        }
        return batches;
    }

    private static void assertFramesAreTheCodecs(int agency, List<EncodedBatch> batches) {
        for (int i = 0; i < batches.size(); i++) {
            EncodedBatch batch = batches.get(i);
            byte[] expected = CODEC.encode(new BetBatch(agency, batch.bets()));
            assertArrayEquals(expected, Arrays.copyOf(batch.frame(), batch.length()), "frame of batch " + i);
            assertTrue(batch.length() <= LIMIT, "batch " + i + " is " + batch.length() + " bytes");
        }
    }

    private static String randomName(Random random) {
        StringBuilder name = new StringBuilder();
        int length = random.nextInt(random.nextInt(20) == 0 ? 900 : 14);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(10)) {
                case 0 -> name.append((char) (0xC0 + random.nextInt(0x40)));         // 2 bytes: accents
                case 1 -> name.append((char) (0x4E00 + random.nextInt(0x1000)));     // 3 bytes
                case 2 -> name.appendCodePoint(0x1F300 + random.nextInt(0x100));     // 4 bytes, a surrogate pair
                default -> name.append((char) ('a' + random.nextInt(26)));
            }
        }
        return name.toString();
    }

    @Test
    void randomBetsMakeTheGeneratedCodecsFramesEachFullUnlessTheNextBetWouldNotFit() throws Exception {
        Random random = new Random(20261123);
        List<Bet> bets = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            bets.add(new Bet(randomName(random), randomName(random), 1 + random.nextInt(99_999_999),
                    19_000_101 + random.nextInt(1_000_000), random.nextInt(10_000)));
        }
        List<EncodedBatch> batches = assemble(new ListSource(bets, null), 3, 1000);

        assertFramesAreTheCodecs(3, batches);
        assertEquals(bets, batches.stream().flatMap(b -> b.bets().stream()).toList(), "every bet once, in order");
        int next = 0;
        for (int i = 0; i < batches.size() - 1; i++) {
            next += batches.get(i).size();
            int withNext = batches.get(i).length() + BetCodec.sizeOf(bets.get(next));
            assertTrue(withNext > LIMIT, "batch " + i + " could have held the next bet: " + withNext + " bytes");
        }
        assertTrue(batches.size() > 100, batches.size() + " batches");
    }

    @Test
    void aBatchHoldsAtMostMaxAmountBets() throws Exception {
        List<Bet> bets = Bets.list(95, Bets::ordinary);
        List<EncodedBatch> batches = assemble(new ListSource(bets, null), 1, 20);

        assertEquals(List.of(20, 20, 20, 20, 15), batches.stream().map(EncodedBatch::size).toList());
        assertFramesAreTheCodecs(1, batches);
    }

    @Test
    void aBetFillingExactlyTheLimitTravelsAloneAndALargerOneIsRejectedWithoutCuttingTheBatch() throws Exception {
        int overhead = CODEC.frameSize(new BetBatch(1, List.of()));
        int exactNameBytes = LIMIT - overhead - BetCodec.MIN_SIZE - 1;
        assertEquals(0, exactNameBytes % 2, "the first name is made of 2-byte characters");
        Bet small1 = Bets.ordinary(1);
        Bet exact = new Bet("ñ".repeat(exactNameBytes / 2), "X", 11_111_111, 20000101, 1); // 2 bytes per ñ
        Bet small2 = Bets.ordinary(2);
        Bet tooBig = new Bet("b".repeat(exactNameBytes + 1), "X", 22_222_222, 20000101, 2);
        Bet small3 = Bets.ordinary(3);
        ListSource source = new ListSource(List.of(small1, exact, small2, tooBig, small3), null);

        List<EncodedBatch> batches = assemble(source, 1, 100);

        assertEquals(List.of(List.of(small1), List.of(exact), List.of(small2, small3)),
                batches.stream().map(EncodedBatch::bets).toList());
        assertEquals(LIMIT, batches.get(1).length());
        assertFramesAreTheCodecs(1, batches);
        assertEquals(List.of("22222222: bet of " + (LIMIT - overhead + 1) + " bytes cannot fit in a batch of "
                + LIMIT + " bytes"), source.rejections);
    }

    @Test
    void aReadFailureReachesTheCallerAfterTheBatchesBeforeIt() throws Exception {
        IOException broken = new IOException("agency-1.csv:42: disk on fire");
        BatchAssembler assembler = new BatchAssembler(new ListSource(Bets.list(25, Bets::ordinary), broken), 1, 10);

        assertEquals(10, assembler.nextBatch().size());
        assertEquals(10, assembler.nextBatch().size());
        // the run fails: the five bets read before the failure are not sent
        assertSame(broken, assertThrows(IOException.class, assembler::nextBatch));
    }

    @Test
    void noBetsNoBatch() throws Exception {
        assertNull(new BatchAssembler(new ListSource(List.of(), null), 1, 10).nextBatch());
    }

    @Test
    void aFullBatchIsReturnedWithoutReadingTheNextBet() throws Exception {
        IOException broken = new IOException("not to be read yet");
        BatchAssembler assembler = new BatchAssembler(new ListSource(Bets.list(10, Bets::ordinary), broken), 1, 10);

        assertEquals(Bets.list(10, Bets::ordinary), assembler.nextBatch().bets());
        assertSame(broken, assertThrows(IOException.class, assembler::nextBatch));
    }
}
