package ar.loteria.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.Bet;
import ar.loteria.protocol.ErrorCode;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.storage.FileBetStore;
import ar.loteria.server.support.ForwardingBetStore;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The service alone: typed calls and their outcomes, on a real store, with no connection, frame or log line. */
class LotteryServiceTest {
    private static final Bet ANA = new Bet("Ana", "Li", "00000000", "2000-01-01", 7574);
    private static final Bet BETO = new Bet("Beto", "Paz", "0042", "1999-12-31", 1);
    private static final Bet CIRO = new Bet("Ciro", "Sosa", "30904465", "1988-02-29", 7574);

    @TempDir
    Path dir;
    private FileBetStore store;
    private LotteryService service;

    @BeforeEach
    void open() throws Exception {
        store = FileBetStore.open(dir, 2, false);
        service = new LotteryService(store, 2);
    }

    @AfterEach
    void close() throws Exception {
        store.close();
    }

    @Test
    void aSessionShowsWhatTheCentralHoldsOfTheAgency() {
        assertEquals(new SessionOutcome.Started(0, false, Optional.empty()), service.startSession(1));
        service.storeBatch(1, 0, List.of(ANA, BETO));
        service.finish(1);
        assertEquals(new SessionOutcome.Started(2, true, Optional.of(BETO)), service.startSession(1));
    }

    @Test
    void everyCallRefusesAnAgencyOutsideOneToN() {
        Refusal unknown = new Refusal(ErrorCode.UNKNOWN_AGENCY, "unknown agency 3 (agencies are 1..2)");
        assertEquals(unknown, service.startSession(3));
        assertEquals(unknown, service.storeBatch(3, 0, List.of(ANA)));
        assertEquals(unknown, service.finish(3));
        assertEquals(unknown, service.winners(3).join());
        assertEquals(new Refusal(ErrorCode.UNKNOWN_AGENCY, "unknown agency 0 (agencies are 1..2)"), service.startSession(0));
    }

    @Test
    void aBatchIsStoredExactlyOnceWhereTheAgencysBetsEnd() {
        assertEquals(new BatchOutcome.Stored(List.of(ANA, BETO), 2), service.storeBatch(1, 0, List.of(ANA, BETO)));
        assertEquals(new BatchOutcome.AlreadyStored(2), service.storeBatch(1, 0, List.of(ANA, BETO)), "a resend");
        assertEquals(new BatchOutcome.Stored(List.of(CIRO), 3), service.storeBatch(1, 1, List.of(BETO, CIRO)),
                "an overlap: only its new bet");
        assertEquals(new Refusal(ErrorCode.BATCH_GAP, "the batch starts at bet 5 but agency 1 has 3 bets stored; send"
                + " from bet 3"), service.storeBatch(1, 5, List.of(ANA)));
        assertEquals(3, store.storedBets(1));
    }

    @Test
    void aBadBetOrAStreamPositionBelowZeroRefusesTheWholeBatch() {
        Bet bad = new Bet("Ana", "Li", "12a", "2000-01-01", 1);
        assertEquals(new Refusal(ErrorCode.INVALID_BET, "bet 2 of 2 (bet 1 of agency 2): documento \"12a\" is not a"
                + " number (one or more ASCII digits)"), service.storeBatch(2, 0, List.of(ANA, bad)));
        assertEquals(new Refusal(ErrorCode.MALFORMED_FIELD, "firstBet -1 is negative"), service.storeBatch(2, -1, List.of(ANA)));
        assertEquals(0, store.storedBets(2), "nothing of either stored");
    }

    @Test
    void anAgencyFinishesOnceAndStoresNothingAfter() {
        service.storeBatch(1, 0, List.of(ANA));
        assertEquals(new FinishOutcome.Finished(1), service.finish(1));
        assertEquals(new Refusal(ErrorCode.AGENCY_ALREADY_FINISHED, "agency 1 already sent finished; it was counted once"),
                service.finish(1));
        assertEquals(new Refusal(ErrorCode.AGENCY_ALREADY_FINISHED, "agency 1 already sent finished; no more bets are"
                + " accepted from it"), service.storeBatch(1, 1, List.of(BETO)));
        assertEquals(new BatchOutcome.AlreadyStored(1), service.storeBatch(1, 0, List.of(ANA)), "a resend is still acknowledged");
    }

    @Test
    void winnersWaitForTheDrawAndEachAgencyGetsOnlyItsOwn() {
        assertEquals(new Refusal(ErrorCode.AGENCY_NOT_FINISHED, "agency 1 asked for winners before sending finished"),
                service.winners(1).join());
        service.storeBatch(1, 0, List.of(ANA, BETO));
        service.finish(1);
        CompletableFuture<WinnersOutcome> first = service.winners(1);
        assertFalse(first.isDone(), "agency 2 has not finished: no draw yet");

        service.storeBatch(2, 0, List.of(CIRO));
        service.finish(2); // the last agency: the draw runs here
        assertTrue(first.isDone());
        assertEquals(new WinnersOutcome.Drawn(List.of("00000000")), first.join());
        assertEquals(new WinnersOutcome.Drawn(List.of("30904465")), service.winners(2).join());
    }

    @Test
    void aDrawThatFailedIsRunAgainByTheNextWinnersRequest() {
        AtomicInteger failures = new AtomicInteger(2);
        // The storage cannot be read twice (a connection cut, a disk error), then can again.
        BetStore flaky = new ForwardingBetStore(store) {
            @Override
            public Map<Integer, List<String>> documentsOfBetsOn(int number) throws IOException {
                if (failures.getAndDecrement() > 0) {
                    throw new IOException("connection reset");
                }
                return super.documentsOfBetsOn(number);
            }
        };
        LotteryService service = new LotteryService(flaky, 2);
        service.storeBatch(1, 0, List.of(ANA));
        service.finish(1);
        service.storeBatch(2, 0, List.of(CIRO));
        service.finish(2); // the draw runs here, and fails
        assertEquals(new Refusal(ErrorCode.SERVER_UNAVAILABLE, "the draw failed (connection reset); it is run again at"
                + " the next request"), service.winners(1).join(), "the first request's draw failed too");
        assertEquals(new WinnersOutcome.Drawn(List.of("30904465")), service.winners(2).join(), "run again, and made");
        assertEquals(new WinnersOutcome.Drawn(List.of("00000000")), service.winners(1).join());
        assertEquals(Optional.of(Map.of(1, List.of("00000000"), 2, List.of("30904465"))), store.recordedDraw());
    }

    @Test
    void aRestartedServiceAnswersFromTheRecordedDraw() throws Exception {
        service.finish(1);
        service.storeBatch(2, 0, List.of(CIRO));
        service.finish(2);
        store.close();
        store = FileBetStore.open(dir, 2, false);
        LotteryService restarted = new LotteryService(store, 2);
        assertEquals(new WinnersOutcome.Drawn(List.of()), restarted.winners(1).join());
        assertEquals(new WinnersOutcome.Drawn(List.of("30904465")), restarted.winners(2).join());
    }
}
