package ar.loteria.client;

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
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Batches as the client cuts them, checked against the frames the generated codec writes for them. */
@Timeout(60)
class BatchCutterTest {
    private static final int LIMIT = 8 * 1024; // SPEC: a batch never exceeds 8 KiB on the wire
    private static final FrameCodec CODEC = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 20);

    /** Serves a list of bets, then fails with {@code failure} if there is one, else ends. */
    private static final class ListSource implements BetSource {
        private final Iterator<Bet> bets;
        private final IOException failure;
        int read;

        ListSource(List<Bet> bets, IOException failure) {
            this.bets = bets.iterator();
            this.failure = failure;
        }

        @Override
        public Bet next() throws IOException {
            if (bets.hasNext()) {
                read++;
                return bets.next();
            }
            if (failure != null) {
                throw failure;
            }
            return null;
        }

        @Override
        public void close() {
        }
    }

    private static List<List<Bet>> cut(List<Bet> bets, int maxAmount) throws IOException {
        BatchCutter cutter = new BatchCutter(new ListSource(bets, null), maxAmount);
        List<List<Bet>> batches = new ArrayList<>();
        for (List<Bet> batch = cutter.next(); batch != null; batch = cutter.next()) {
            batches.add(List.copyOf(batch));
        }
        return batches;
    }

    /** The frame size of each batch, encoded by the generated codec, as the client sends it (agency and position are ints). */
    private static List<Integer> frameSizes(List<List<Bet>> batches) {
        List<Integer> sizes = new ArrayList<>();
        int position = 0;
        for (List<Bet> batch : batches) {
            sizes.add(CODEC.encode(new BetBatch(Integer.MAX_VALUE, position, batch)).length);
            position += batch.size();
        }
        return sizes;
    }

    /** The batches by the documents of their bets (each test bet has its own), for readable failures. */
    private static List<List<String>> documents(List<List<Bet>> batches) {
        return batches.stream().map(batch -> batch.stream().map(Bet::document).toList()).toList();
    }

    /** A name of 0 to 13 characters (sometimes up to 900) of 1-, 2-, 3- and 4-byte UTF-8 characters. */
    private static String randomName(Random random) {
        StringBuilder name = new StringBuilder();
        int length = random.nextInt(random.nextInt(20) == 0 ? 900 : 14);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(4)) {
                case 0 -> name.append((char) ('a' + random.nextInt(26)));        // 1 byte
                case 1 -> name.append((char) (0xC0 + random.nextInt(0x40)));     // 2 bytes: accents
                case 2 -> name.append((char) (0x4E00 + random.nextInt(0x1000))); // 3 bytes
                default -> name.appendCodePoint(0x1F300 + random.nextInt(0x100)); // 4 bytes, a surrogate pair
            }
        }
        return name.toString();
    }

    @Test
    void theRoomForBetsIsTheLimitLessTheBatchFramesOwnFields() {
        assertEquals(LIMIT - FrameCodec.HEADER_SIZE - 4 - 4 - 4, BatchCutter.MAX_BETS_BYTES);
        assertEquals(LIMIT - BatchCutter.MAX_BETS_BYTES, CODEC.frameSize(new BetBatch(1, 0, List.of())));
    }

    @Test
    void everyBatchButTheLastHoldsExactlyMaxAmountBets() throws IOException {
        List<Bet> bets = Bets.list(1234, Bets::ordinary);
        List<List<Bet>> batches = cut(bets, 50);

        List<Integer> sizes = batches.stream().map(List::size).toList();
        assertEquals(25, sizes.size(), sizes::toString);
        assertTrue(sizes.subList(0, 24).stream().allMatch(size -> size == 50), sizes::toString);
        assertEquals(34, sizes.get(24));
        assertEquals(bets, batches.stream().flatMap(List::stream).toList(), "every bet once, in order");
        assertTrue(frameSizes(batches).stream().allMatch(size -> size <= LIMIT));
    }


    @Test
    void theLargestMaxAmountCutsBatchesBySizeAndAllocatesNoMoreThanABatchCanHold() throws IOException {
        // It used to size each batch's list by maxAmount: 2147483647 was an OutOfMemoryError.
        List<Bet> smallest = Bets.list(2000, i -> new Bet("a", "a", String.valueOf(i % 10), "2000-01-01", 0));
        List<List<Bet>> batches = cut(smallest, Integer.MAX_VALUE);

        assertEquals(BatchCutter.MOST_BETS, batches.get(0).size(), "the smallest bets fill a batch to MOST_BETS");
        assertEquals(smallest, batches.stream().flatMap(List::stream).toList(), "every bet once, in order");
        assertTrue(frameSizes(batches).stream().allMatch(size -> size <= LIMIT));
    }
    @Test
    void aBatchOfMultiByteBetsNeverExceedsEightKibAndIsCutOnlyWhenTheNextBetWouldNotFit() throws IOException {
        Random random = new Random(20261130);
        List<Bet> bets = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            bets.add(new Bet(randomName(random), randomName(random), String.valueOf(random.nextInt(100_000_000)),
                    "1999-03-17", random.nextInt(10_000)));
        }
        List<List<Bet>> batches = cut(bets, 1000);
        List<Integer> sizes = frameSizes(batches);

        assertEquals(bets, batches.stream().flatMap(List::stream).toList(), "every bet once, in order");
        assertTrue(batches.size() > 100, batches.size() + " batches");
        int next = 0;
        for (int i = 0; i < batches.size(); i++) {
            int size = sizes.get(i);
            assertTrue(size <= LIMIT, "batch " + i + " is " + size + " bytes");
            next += batches.get(i).size();
            if (i < batches.size() - 1) {
                int withNext = size + BetCodec.sizeOf(bets.get(next));
                assertTrue(withNext > LIMIT, "batch " + i + " (" + batches.get(i).size()
                        + " bets) could have held the next bet: " + withNext + " bytes");
            }
        }
    }

    @Test
    void aBatchIsCutEarlyWhenTheNextBetDoesNotFitAndThatBetOpensTheNextBatch() throws IOException {
        int fixed = BetCodec.sizeOf(new Bet("", "X", "11111111", "2000-01-01", 1));
        // Half the room, in 4-byte characters (two chars each), plus 1-byte padding.
        int half = BatchCutter.MAX_BETS_BYTES / 2 - fixed;
        Bet big1 = new Bet("😀".repeat(half / 4) + "a".repeat(half % 4), "X", "11111111", "2000-01-01", 1);
        Bet big2 = new Bet(big1.firstName(), "X", "22222222", "2000-01-01", 2);
        Bet big3 = new Bet(big1.firstName() + "a", "X", "33333333", "2000-01-01", 3); // the odd byte of the room
        Bet small = Bets.ordinary(4);
        assertEquals(BatchCutter.MAX_BETS_BYTES, BetCodec.sizeOf(big2) + BetCodec.sizeOf(big3));

        List<List<Bet>> batches = cut(List.of(small, big1, big2, big3, small), 10);

        // small + big1 + big2 would take the room plus the small one: big2 opens the second batch.
        assertEquals(documents(List.of(List.of(small, big1), List.of(big2, big3), List.of(small))), documents(batches));
        assertEquals(LIMIT, frameSizes(batches).get(1), "big2 and big3 fill the frame exactly");
    }

    @Test
    void aBetFillingTheWholeRoomTravelsAloneInAnEightKibFrame() throws IOException {
        int fixed = BetCodec.sizeOf(new Bet("", "X", "11111111", "2000-01-01", 1));
        Bet whole = new Bet("é".repeat((BatchCutter.MAX_BETS_BYTES - fixed) / 2) + "a".repeat((BatchCutter.MAX_BETS_BYTES
                - fixed) % 2), "X", "11111111", "2000-01-01", 1);
        Bet small1 = Bets.ordinary(1);
        Bet small2 = Bets.ordinary(2);

        List<List<Bet>> batches = cut(List.of(small1, whole, small2), 100);

        assertEquals(documents(List.of(List.of(small1), List.of(whole), List.of(small2))), documents(batches));
        assertEquals(LIMIT, frameSizes(batches).get(1));
    }

    @Test
    void aBetLargerThanTheRoomIsRefusedRatherThanSentOverTheLimit() {
        Bet tooLarge = new Bet("a".repeat(BatchCutter.MAX_BETS_BYTES), "X", "1", "2000-01-01", 1);
        BatchCutter cutter = new BatchCutter(new ListSource(List.of(tooLarge), null), 10);
        IllegalStateException e = assertThrows(IllegalStateException.class, cutter::next);
        assertEquals("a source let through a bet of " + BetCodec.sizeOf(tooLarge) + " bytes", e.getMessage());
    }

    @Test
    void aFullBatchIsReturnedWithoutReadingTheNextBet() throws IOException {
        IOException broken = new IOException("not to be read yet");
        ListSource source = new ListSource(Bets.list(10, Bets::ordinary), broken);
        BatchCutter cutter = new BatchCutter(source, 10);

        assertEquals(Bets.list(10, Bets::ordinary), cutter.next());
        assertEquals(10, source.read);
        assertSame(broken, assertThrows(IOException.class, cutter::next));
    }

    @Test
    void noBetsNoBatch() throws IOException {
        assertNull(new BatchCutter(new ListSource(List.of(), null), 10).next());
    }
}
