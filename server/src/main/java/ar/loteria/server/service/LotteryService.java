package ar.loteria.server.service;

import ar.loteria.common.BetRules;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.ErrorCode;
import ar.loteria.server.draw.AgencyBarrier;
import ar.loteria.server.draw.Draw;
import ar.loteria.server.draw.DrawResult;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.storage.BetStore.Appended;
import java.io.IOException;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CompletableFuture;

/**
 * The lottery itself: typed calls that return what happened, as a sealed outcome or a
 * {@link Refusal}. It knows nothing of messages, connections, peers or log lines (the transport's
 * protocol handler maps messages to these calls and outcomes to messages, and logs them). Calls
 * may block on storage, so they are made off the event loops; a call that cannot be answered yet
 * (winners before the draw) returns an incomplete future, so nobody blocks on it.
 *
 * <p>Agencies are numbered 1..N. Every call refuses an agency outside them.
 */
public final class LotteryService {
    private final BetStore store;
    private final int agencies;
    private final AgencyBarrier barrier;
    /** The agencies that have arrived at the barrier: each once, whoever recorded its "finished". */
    private final boolean[] arrived;

    public LotteryService(BetStore store, int agencies) {
        this.store = store;
        this.agencies = agencies;
        this.barrier = new AgencyBarrier(agencies, () -> Draw.run(store));
        this.arrived = new boolean[agencies + 1];
        // Agencies that finished before a restart have arrived already; if all had, the draw
        // (or its recorded result) is ready before the first connection.
        arriveFinished();
    }

    /**
     * Every agency the ledger says has finished arrives at the barrier, once: those this central
     * counted, and those another central on the same ledger did (a standby that took over, or two
     * serving at once), so the last arrival here runs the draw whichever central recorded it.
     */
    private synchronized void arriveFinished() {
        for (int agency = 1; agency <= agencies; agency++) {
            if (!arrived[agency] && store.hasFinished(agency)) {
                arrived[agency] = true;
                barrier.arrive();
            }
        }
    }

    /** What the central holds of the agency: it resumes from there. */
    public SessionOutcome startSession(int agency) {
        Refusal unknown = unknown(agency);
        if (unknown != null) {
            return unknown;
        }
        BetStore.Held held = store.held(agency);
        return new SessionOutcome.Started(held.storedBets(), held.finished(), held.lastBet());
    }

    /**
     * Stores the bets of a batch whose first bet is number {@code firstBet} of the agency's stream,
     * exactly once: where the agency's stored bets end (a resend is acknowledged again, a gap is
     * refused). Every bet is checked first; one bad bet refuses the whole batch, nothing stored.
     */
    public BatchOutcome storeBatch(int agency, int firstBet, List<Bet> bets) {
        Refusal refused = unknown(agency);
        if (refused == null) {
            refused = badBatch(agency, firstBet, bets);
        }
        if (refused != null) {
            return refused;
        }
        Appended appended;
        try {
            appended = store.append(agency, firstBet, bets);
        } catch (IOException e) {
            return new Refusal(ErrorCode.SERVER_UNAVAILABLE, "cannot store the batch: " + e.getMessage());
        }
        if (appended instanceof Appended.Stored stored) {
            return new BatchOutcome.Stored(bets.subList(bets.size() - stored.added(), bets.size()), stored.storedBets());
        }
        if (appended instanceof Appended.AlreadyStored already) {
            return new BatchOutcome.AlreadyStored(already.storedBets());
        }
        if (appended instanceof Appended.Gap gap) {
            return new Refusal(ErrorCode.BATCH_GAP, "the batch starts at bet " + firstBet + " but agency " + agency
                    + " has " + gap.storedBets() + " bets stored; send from bet " + gap.storedBets());
        }
        // The only outcome left: Appended.AgencyFinished.
        return new Refusal(ErrorCode.AGENCY_ALREADY_FINISHED,
                "agency " + agency + " already sent finished; no more bets are accepted from it");
    }

    private static Refusal badBatch(int agency, int firstBet, List<Bet> bets) {
        if (firstBet < 0) {
            return new Refusal(ErrorCode.MALFORMED_FIELD, "firstBet " + firstBet + " is negative");
        }
        for (int i = 0; i < bets.size(); i++) {
            String problem = BetRules.problem(bets.get(i));
            if (problem != null) {
                return new Refusal(ErrorCode.INVALID_BET, "bet " + (i + 1) + " of " + bets.size() + " (bet "
                        + ((long) firstBet + i) + " of agency " + agency + "): " + problem);
            }
        }
        return null;
    }

    /** Counts the agency as finished, once; the last agency to finish runs the draw before this returns. */
    public FinishOutcome finish(int agency) {
        Refusal unknown = unknown(agency);
        if (unknown != null) {
            return unknown;
        }
        OptionalInt storedBets;
        try {
            storedBets = store.finish(agency);
        } catch (IOException e) {
            return new Refusal(ErrorCode.SERVER_UNAVAILABLE, "cannot record finished: " + e.getMessage());
        }
        if (storedBets.isEmpty()) {
            return new Refusal(ErrorCode.AGENCY_ALREADY_FINISHED,
                    "agency " + agency + " already sent finished; it was counted once");
        }
        // The count comes from the record itself: read again, it would wait for other agencies'
        // fsyncs and fail with them, after "finished" was recorded.
        arriveFinished(); // the last agency runs the draw here
        return new FinishOutcome.Finished(storedBets.getAsInt());
    }

    /** The agency's winners, completed when the draw is made (at once when it was). Only for an agency that finished. */
    public CompletableFuture<WinnersOutcome> winners(int agency) {
        Refusal refused = unknown(agency);
        if (refused == null && !store.hasFinished(agency)) {
            refused = new Refusal(ErrorCode.AGENCY_NOT_FINISHED,
                    "agency " + agency + " asked for winners before sending finished");
        }
        if (refused != null) {
            return CompletableFuture.completedFuture(refused);
        }
        CompletableFuture<DrawResult> drawn = barrier.drawResult(); // runs a failed draw again
        if (!drawn.isDone()) {
            arriveFinished(); // others may have finished through another central
            drawn = barrier.drawResult();
        }
        return drawn.handle((result, failure) -> failure != null
                ? new Refusal(ErrorCode.SERVER_UNAVAILABLE, "the draw failed (" + failure.getMessage()
                        + "); it is run again at the next request")
                : new WinnersOutcome.Drawn(result.winnersOf(agency)));
    }

    private Refusal unknown(int agency) {
        if (agency >= 1 && agency <= agencies) {
            return null;
        }
        return new Refusal(ErrorCode.UNKNOWN_AGENCY, agencies == 0
                ? "unknown agency " + agency + " (this central expects no agencies)"
                : "unknown agency " + agency + " (agencies are 1.." + agencies + ")");
    }
}
