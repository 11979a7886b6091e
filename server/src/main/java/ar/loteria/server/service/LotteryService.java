package ar.loteria.server.service;

import ar.loteria.common.BetRules;
import ar.loteria.common.LogValues;
import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Echo;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.SessionStart;
import ar.loteria.protocol.SessionStarted;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.runtime.ErrorCode;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.server.draw.AgencyBarrier;
import ar.loteria.server.draw.Draw;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.storage.BetStore.Appended;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lottery itself, independent of sockets: one request in, one reply out. A reply that
 * cannot be given yet (winners before the draw) is an incomplete future, so nobody blocks on it.
 *
 * <p>An agency's connection starts with SessionStart (the protocol fingerprint and the agency),
 * which binds the connection to that agency and tells it how many of its bets are stored and
 * whether it has finished; from there it resumes. Echo needs no session.
 */
public final class LotteryService {
    private static final Logger log = LoggerFactory.getLogger(LotteryService.class);

    private final BetStore store;
    private final int agencies;
    private final AgencyBarrier barrier;

    public LotteryService(BetStore store, int agencies) {
        this.store = store;
        this.agencies = agencies;
        this.barrier = new AgencyBarrier(agencies, () -> Draw.run(store));
        // Agencies that finished before a restart have arrived already; if all had, the draw
        // (or its recorded result) is ready before the first connection.
        for (int agency = 1; agency <= agencies; agency++) {
            if (store.hasFinished(agency)) {
                barrier.arrive();
            }
        }
    }

    public CompletableFuture<Reply> handle(Message request, Session session) {
        if (request instanceof WinnersRequest winners) {
            Reply refused = checkSession(session, winners.agency(), "consulta_ganadores");
            return refused != null ? CompletableFuture.completedFuture(refused) : winners(winners.agency(), session);
        }
        return CompletableFuture.completedFuture(handleNow(request, session));
    }

    private Reply handleNow(Message request, Session session) {
        if (request instanceof Echo echo) {
            log.info("action: receive_message | result: success | ip: {} | msg: {}", session.peer(), LogValues.clean(echo.text()));
            return Reply.ok(echo);
        }
        if (request instanceof SessionStart start) {
            return start(start, session);
        }
        if (request instanceof BetBatch batch) {
            Reply refused = checkSession(session, batch.agency(), "apuesta_recibida");
            return refused != null ? refused : storeBatch(batch, session);
        }
        if (request instanceof Finished finished) {
            Reply refused = checkSession(session, finished.agency(), "agencia_finalizada");
            return refused != null ? refused : finish(finished.agency(), session);
        }
        return fail("request", session, ErrorCode.UNEXPECTED_MESSAGE,
                "message " + request.messageName() + " is not a request the central accepts");
    }

    private Reply start(SessionStart start, Session session) {
        String fingerprint = LoteriaProtocol.INSTANCE.fingerprint();
        if (!start.fingerprint().equals(fingerprint)) {
            return fail("sesion", session, ErrorCode.PROTOCOL_MISMATCH, "protocol fingerprint mismatch: central "
                    + fingerprint + ", agency " + start.fingerprint()
                    + " (central and agency were built from different IDLs)");
        }
        if (session.started()) {
            return fail("sesion", session, ErrorCode.UNEXPECTED_MESSAGE,
                    "this connection already started the session of agency " + session.agency());
        }
        int agency = start.agency();
        if (!isKnown(agency)) {
            return fail("sesion", session, ErrorCode.UNKNOWN_AGENCY, unknownAgency(agency));
        }
        session.bind(agency);
        BetStore.Held held = store.held(agency);
        log.info("action: sesion | result: success | agency: {} | ip: {} | stored_bets: {} | finished: {}",
                agency, session.peer(), held.storedBets(), held.finished());
        return Reply.ok(new SessionStarted(agency, held.storedBets(), held.finished() ? 1 : 0,
                held.lastBet().stream().toList()));
    }

    /** A refusal when the connection has no session or belongs to another agency; null when it may go on. */
    private Reply checkSession(Session session, int agency, String action) {
        if (!session.started()) {
            return fail(action, session, ErrorCode.SESSION_NOT_STARTED,
                    "agency " + agency + " sent a request before SessionStart");
        }
        if (agency != session.agency()) {
            return fail(action, session, ErrorCode.WRONG_AGENCY, "this connection belongs to agency "
                    + session.agency() + "; it may not speak for agency " + agency);
        }
        return null;
    }

    private Reply storeBatch(BetBatch batch, Session session) {
        int agency = batch.agency();
        List<Bet> bets = batch.bets();
        if (batch.firstBet() < 0) {
            return rejectBatch(batch, session, ErrorCode.MALFORMED_FIELD, "firstBet " + batch.firstBet() + " is negative");
        }
        for (int i = 0; i < bets.size(); i++) {
            String problem = BetRules.problem(bets.get(i));
            if (problem != null) {
                return rejectBatch(batch, session, ErrorCode.INVALID_BET, "bet " + (i + 1) + " of " + bets.size()
                        + " (bet " + ((long) batch.firstBet() + i) + " of agency " + agency + "): " + problem);
            }
        }
        Appended appended;
        try {
            appended = store.append(agency, batch.firstBet(), bets);
        } catch (IOException e) {
            return rejectBatch(batch, session, ErrorCode.SERVER_UNAVAILABLE, "cannot store the batch: " + e.getMessage());
        }
        if (appended instanceof Appended.Stored stored) {
            if (log.isDebugEnabled()) {
                for (Bet bet : bets.subList(bets.size() - stored.added(), bets.size())) {
                    log.debug("action: apuesta_almacenada | result: success | dni: {} | numero: {}",
                            bet.document(), bet.number());
                }
            }
            log.info("action: apuesta_recibida | result: success | cantidad: {}", stored.added());
            return Reply.ok(new BatchAck(agency, stored.storedBets()));
        }
        if (appended instanceof Appended.AlreadyStored already) {
            log.info("action: lote_repetido | result: success | agency: {} | first_bet: {} | cantidad: {} | stored_bets: {}",
                    agency, batch.firstBet(), bets.size(), already.storedBets());
            return Reply.ok(new BatchAck(agency, already.storedBets()));
        }
        if (appended instanceof Appended.Gap gap) {
            return rejectBatch(batch, session, ErrorCode.BATCH_GAP, "the batch starts at bet " + batch.firstBet()
                    + " but agency " + agency + " has " + gap.storedBets() + " bets stored; send from bet "
                    + gap.storedBets());
        }
        // The only outcome left: Appended.AgencyFinished.
        return rejectBatch(batch, session, ErrorCode.AGENCY_ALREADY_FINISHED,
                "agency " + agency + " already sent finished; no more bets are accepted from it");
    }

    private Reply rejectBatch(BetBatch batch, Session session, ErrorCode code, String reason) {
        log.info("action: apuesta_recibida | result: fail | cantidad: {} | agency: {} | ip: {} | error: {}",
                batch.bets().size(), batch.agency(), session.peer(), LogValues.clean(reason));
        return Reply.refuse(new BatchRejected(code.wireValue(), reason));
    }

    private Reply finish(int agency, Session session) {
        boolean counted;
        try {
            counted = store.finish(agency);
        } catch (IOException e) {
            return fail("agencia_finalizada", session, ErrorCode.SERVER_UNAVAILABLE,
                    "cannot record finished: " + e.getMessage());
        }
        if (!counted) {
            return fail("agencia_finalizada", session, ErrorCode.AGENCY_ALREADY_FINISHED,
                    "agency " + agency + " already sent finished; it was counted once");
        }
        log.info("action: agencia_finalizada | result: success | agency: {} | stored_bets: {}", agency,
                store.storedBets(agency));
        barrier.arrive(); // the last agency runs the draw here
        return Reply.ok(new FinishedAck(agency));
    }

    private CompletableFuture<Reply> winners(int agency, Session session) {
        if (!store.hasFinished(agency)) {
            return CompletableFuture.completedFuture(fail("consulta_ganadores", session, ErrorCode.AGENCY_NOT_FINISHED,
                    "agency " + agency + " asked for winners before sending finished"));
        }
        if (!barrier.drawResult().isDone()) {
            log.info("action: consulta_ganadores | result: in_progress | agency: {} | detail: waiting for the draw", agency);
        }
        return barrier.drawResult().handle((result, failure) -> {
            if (failure != null) {
                return fail("consulta_ganadores", session, ErrorCode.SERVER_UNAVAILABLE,
                        "the draw failed: " + failure.getMessage());
            }
            List<String> documents = result.winnersOf(agency);
            return Reply.ok(new Winners(agency, documents), () -> log.info(
                    "action: ganadores_enviados | result: success | agency: {} | cant_ganadores: {}", agency,
                    documents.size()));
        });
    }

    private boolean isKnown(int agency) {
        return agency >= 1 && agency <= agencies;
    }

    private String unknownAgency(int agency) {
        return agencies == 0
                ? "unknown agency " + agency + " (this central expects no agencies)"
                : "unknown agency " + agency + " (agencies are 1.." + agencies + ")";
    }

    private static Reply fail(String action, Session session, ErrorCode code, String reason) {
        log.warn("action: {} | result: fail | ip: {} | error: {}", action, session.peer(), LogValues.clean(reason));
        return Reply.error(code, reason);
    }
}
