package ar.loteria.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.Bet;
import ar.loteria.server.storage.BetStore.Appended;
import ar.loteria.server.support.Concurrently;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * What every {@link BetStore} does, whatever keeps it: exactly once per agency stream, "finished" once, one draw
 * per round, and all of it found again by a new store on the same ledger (a restart). A subclass opens its kind of
 * store on one ledger of its own per test; what only one kind does (files, a shared database) is in its subclass.
 */
@Timeout(120)
public abstract class BetStoreContract {
    protected static final Bet ANA = new Bet("Ana", "Li", "00000000", "2000-01-01", 7574);
    protected static final Bet BETO = new Bet("Beto", "Paz", "0042", "1999-03-17", 1);
    protected static final Bet CIRO = new Bet("Ciro", "Díaz", "30904465", "1980-12-31", 7574);

    /** Opens (again, after the first time) this test's ledger for a round of {@code agencies} agencies. */
    protected abstract BetStore open(int agencies) throws Exception;

    @Test
    void storesEachAgencysStreamInOrderExactlyOnce() throws Exception {
        try (BetStore store = open(2)) {
            assertEquals(new Appended.Stored(2, 2), store.append(1, 0, List.of(ANA, BETO)));
            assertEquals(new Appended.AlreadyStored(2), store.append(1, 0, List.of(ANA, BETO)), "a resend");
            assertEquals(new Appended.AlreadyStored(2), store.append(1, 1, List.of(BETO)), "the tail of a resend");
            assertEquals(new Appended.Stored(1, 3), store.append(1, 1, List.of(BETO, CIRO)), "an overlap adds its new bets");
            assertEquals(new Appended.Gap(3), store.append(1, 4, List.of(ANA)));
            assertEquals(new Appended.Gap(0), store.append(2, 1, List.of(ANA)), "agencies count separately");
            assertEquals(new Appended.Stored(1, 1), store.append(2, 0, List.of(CIRO)));
            assertEquals(OptionalInt.of(1), store.finish(2), "recorded with its stored bets");
            assertEquals(OptionalInt.empty(), store.finish(2), "counted once");
            assertEquals(new Appended.AgencyFinished(1), store.append(2, 1, List.of(ANA)));
            assertEquals(new Appended.AlreadyStored(1), store.append(2, 0, List.of(CIRO)), "a resend after finished is acknowledged");
            assertEquals(3, store.storedBets(1));
            assertEquals(1, store.storedBets(2));
            assertEquals(new BetStore.Held(3, false, Optional.of(CIRO)), store.held(1), "the overlap's new bet is the last");
            assertEquals(Map.of(1, List.of("00000000", "30904465"), 2, List.of("30904465")), store.documentsOfBetsOn(7574),
                    "each bet once, in its stream's order");
            assertEquals(Map.of(1, List.of("0042")), store.documentsOfBetsOn(1));
        }
    }

    @Test
    void theDrawFindsTheBetsOnANumberWhateverTheirNames() throws Exception {
        try (BetStore store = open(2)) {
            store.append(1, 0, List.of(ANA, BETO, new Bet("Quoted, Name", "x", "77", "2000-01-01", 7574),
                    new Bet("A", "x,7574", "7574", "2000-01-01", 574)));
            store.append(2, 0, List.of(CIRO));
            assertEquals(Map.of(1, List.of("00000000", "77"), 2, List.of("30904465")), store.documentsOfBetsOn(7574));
            assertEquals(Map.of(1, List.of("0042")), store.documentsOfBetsOn(1));
            assertEquals(Map.of(), store.documentsOfBetsOn(9999));
        }
    }

    @Test
    void betsKeepTheirTextExactly() throws Exception {
        List<Bet> odd = List.of(new Bet("María, José", "O\"Neil", "0042", "2000-01-01", 5),
                new Bet("#hash", " spaced ", "00000000", "2000-02-29", 0), new Bet("Zoë 😀", "Ñandú", "3", "2000-01-01", 9999),
                new Bet("'single'", "back\\slash", "007", "1900-12-31", 7574), new Bet("\"", ",", "1", "2000-01-01", 7574),
                new Bet("tab\there", "{braces}", "2", "2000-01-01", 7574), new Bet("NULL", "a;b", "3", "2000-01-01", 7574));
        try (BetStore store = open(1)) {
            for (int i = 0; i < odd.size(); i++) {
                store.append(1, i, List.of(odd.get(i)));
                assertEquals(Optional.of(odd.get(i)), store.held(1).lastBet(), "as stored: " + odd.get(i));
            }
            assertEquals(Map.of(1, List.of("007", "1", "2", "3")), store.documentsOfBetsOn(7574));
            assertEquals(Map.of(1, List.of("00000000")), store.documentsOfBetsOn(0));
        }
        try (BetStore store = open(1)) {
            assertEquals(new BetStore.Held(odd.size(), false, Optional.of(odd.get(odd.size() - 1))), store.held(1),
                    "read back after a restart");
            assertEquals(Map.of(1, List.of("0042")), store.documentsOfBetsOn(5));
        }
    }

    @Test
    void reopeningRecoversCountsFinishedAgenciesAndTheDraw() throws Exception {
        try (BetStore store = open(2)) {
            assertEquals(new BetStore.Recovery(0, 0, false, 0, 0), store.recovery());
            assertTrue(store.recovery().empty());
            store.append(1, 0, List.of(ANA, BETO));
            store.append(2, 0, List.of(CIRO));
            store.finish(1);
        }
        try (BetStore store = open(2)) {
            assertEquals(new BetStore.Recovery(3, 1, false, 0, 0), store.recovery());
            assertEquals(2, store.storedBets(1));
            assertTrue(store.hasFinished(1));
            assertFalse(store.hasFinished(2));
            assertEquals(new Appended.Stored(1, 2), store.append(2, 1, List.of(ANA)), "agency 2 resumes at its count");
            assertEquals(new Appended.AgencyFinished(2), store.append(1, 2, List.of(CIRO)), "agency 1 finished before");
            store.finish(2);
            Map<Integer, List<String>> draw = Map.of(1, List.of("00000000"), 2, List.of("30904465", "00000000"));
            assertEquals(new BetStore.DrawRecord(draw, true), store.recordDraw(draw));
        }
        try (BetStore store = open(2)) {
            assertEquals(new BetStore.Recovery(4, 2, true, 0, 0), store.recovery());
            Map<Integer, List<String>> draw = Map.of(1, List.of("00000000"), 2, List.of("30904465", "00000000"));
            assertEquals(Optional.of(draw), store.recordedDraw(), "each agency's winners in their order");
            assertEquals(new BetStore.DrawRecord(draw, false), store.recordDraw(Map.of()), "one draw per round: the first stands");
        }
    }

    @Test
    void aDrawWithoutWinnersIsRecordedOnceToo() throws Exception {
        try (BetStore store = open(1)) {
            store.append(1, 0, List.of(BETO));
            store.finish(1);
            assertEquals(Optional.empty(), store.recordedDraw());
            assertEquals(new BetStore.DrawRecord(Map.of(), true), store.recordDraw(Map.of()));
            assertEquals(new BetStore.DrawRecord(Map.of(), false), store.recordDraw(Map.of(1, List.of("0042"))));
        }
        try (BetStore store = open(1)) {
            assertTrue(store.recovery().drawRecorded());
            assertEquals(Optional.of(Map.of()), store.recordedDraw());
        }
    }

    @Test
    void eachAgencysLastStoredBetIsKeptAndRecoveredExactlyAsStored() throws Exception {
        Bet quoted = new Bet("Ana, \"la\" Ñata", " Li", "0042", "2000-02-29", 0);
        try (BetStore store = open(3)) {
            assertEquals(new BetStore.Held(0, false, Optional.empty()), store.held(1));
            store.append(1, 0, List.of(ANA, BETO));
            store.append(2, 0, List.of(CIRO));
            store.append(1, 2, List.of(quoted));
            store.append(2, 0, List.of(CIRO)); // a resend changes nothing
            assertEquals(new BetStore.Held(3, false, Optional.of(quoted)), store.held(1));
            store.finish(2);
        }
        try (BetStore store = open(3)) {
            assertEquals(new BetStore.Held(3, false, Optional.of(quoted)), store.held(1), "read back as stored");
            assertEquals(new BetStore.Held(1, true, Optional.of(CIRO)), store.held(2));
            assertEquals(new BetStore.Held(0, false, Optional.empty()), store.held(3));
        }
    }

    /**
     * Several threads send the same batches of one agency at once, each from the start (as resends after lost
     * acknowledgements would), with batches cut differently so they overlap: every bet is stored once, in order.
     */
    @Test
    void concurrentResendsStoreEachBetOnceInOrder() throws Exception {
        List<Bet> stream = numberedBets(600);
        try (BetStore store = open(2)) {
            List<Integer> added = Concurrently.run(6, thread -> {
                int size = 7 + 13 * thread; // batches of 7, 20, 33, ...: each thread's cut overlaps the others'
                int sum = 0;
                for (int first = 0; first < stream.size(); first += size) {
                    Appended appended = store.append(1, first, stream.subList(first, Math.min(stream.size(), first + size)));
                    if (appended instanceof Appended.Stored stored) {
                        sum += stored.added();
                    } else if (appended instanceof Appended.Gap gap) {
                        throw new AssertionError("a gap at " + first + ": nothing goes past the stored end but " + gap);
                    }
                }
                return sum;
            });
            assertEquals(stream.size(), added.stream().mapToInt(Integer::intValue).sum(), "each bet added by one thread: " + added);
            assertEquals(new BetStore.Held(stream.size(), false, Optional.of(stream.get(stream.size() - 1))), store.held(1));
            assertEquals(Map.of(1, documentsOf(stream, 7574)), store.documentsOfBetsOn(7574), "in the stream's order");
        }
        try (BetStore store = open(2)) {
            assertEquals(stream.size(), store.recovery().storedBets());
        }
    }

    @Test
    void finishAndTheDrawAreRecordedOnceAmongConcurrentCalls() throws Exception {
        try (BetStore store = open(1)) {
            store.append(1, 0, List.of(ANA, BETO));
            List<OptionalInt> finished = Concurrently.run(6, thread -> store.finish(1));
            assertEquals(List.of(OptionalInt.of(2)), finished.stream().filter(OptionalInt::isPresent).toList(),
                    "one call counts it: " + finished);
            List<BetStore.DrawRecord> draws = Concurrently.run(6, thread -> store.recordDraw(Map.of(1, List.of("draw " + thread))));
            assertEquals(1, draws.stream().filter(BetStore.DrawRecord::recordedNow).count(), "one call records it");
            Map<Integer, List<String>> recorded = store.recordedDraw().orElseThrow();
            for (BetStore.DrawRecord draw : draws) {
                assertEquals(recorded, draw.winners(), "every caller is given the one that stands");
            }
        }
    }

    @Test
    void aRoundWhoseDrawIsMadeCannotTakeMoreAgencies() throws Exception {
        storeARoundOfTwoWithItsDraw();
        // A third agency would store bets after the draw and get the recorded winners, not its own.
        StorageException refused = assertThrows(StorageException.class, () -> open(3));
        assertTrue(refused.getMessage().contains("another round"), refused.getMessage());
        assertFalse(refused.getMessage().contains("\n"), "one line: " + refused.getMessage());
        try (BetStore store = open(2)) {
            assertEquals(new BetStore.Recovery(2, 2, true, 0, 0), store.recovery(), "nothing changed");
            assertEquals(Optional.of(Map.of(1, List.of("00000000"))), store.recordedDraw(), "the round itself still opens");
        }
    }

    /** Two agencies with a bet each, both finished, the draw recorded; the store closed. */
    protected void storeARoundOfTwoWithItsDraw() throws Exception {
        try (BetStore store = open(2)) {
            store.append(1, 0, List.of(ANA));
            store.append(2, 0, List.of(BETO));
            store.finish(1);
            store.finish(2);
            store.recordDraw(Map.of(1, List.of("00000000")));
        }
    }

    /** Bets 0..count-1 of a stream: every tenth on 7574, documents that keep their leading zeros. */
    protected static List<Bet> numberedBets(int count) {
        List<Bet> bets = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            bets.add(new Bet("Nombre " + i, "Apellido, " + i, String.format("%08d", i), "2000-01-01", i % 10 == 0 ? 7574 : i));
        }
        return bets;
    }

    protected static List<String> documentsOf(List<Bet> bets, int number) {
        return bets.stream().filter(bet -> bet.number() == number).map(Bet::document).toList();
    }

    /** By agency, the documents of the bets on {@code number} in each stream's order, as the draw finds them. */
    protected static Map<Integer, List<String>> winnersOf(Map<Integer, List<Bet>> streams, int number) {
        Map<Integer, List<String>> winners = new TreeMap<>();
        streams.forEach((agency, bets) -> {
            List<String> documents = documentsOf(bets, number);
            if (!documents.isEmpty()) {
                winners.put(agency, documents);
            }
        });
        return winners;
    }
}
