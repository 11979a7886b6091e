package ar.loteria.server.service;

import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Echo;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.runtime.ErrorCode;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.server.draw.AgencyBarrier;
import ar.loteria.server.draw.Draw;
import ar.loteria.server.draw.DrawResult;
import ar.loteria.server.storage.BatchRefusedException;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.storage.EncodedRows;
import java.io.IOException;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The lottery itself, independent of sockets: one request in, one reply out. A reply that
 * cannot be given yet (winners before the draw) is an incomplete future, so the caller never
 * has to block a thread on it.
 */
public final class LotteryService {
    private static final Logger log = LoggerFactory.getLogger(LotteryService.class);

    private final BetStore store;
    private final AgencyBarrier barrier;

    public LotteryService(BetStore store, int agencies) {
        this.store = store;
        this.barrier = new AgencyBarrier(agencies, this::draw);
    }

    public AgencyBarrier barrier() {
        return barrier;
    }

    public CompletableFuture<Reply> handle(Message request, Session session) {
        Reply immediate;
        if (request instanceof BetBatch batch) {
            immediate = storeBatch(batch, session);
        } else if (request instanceof Finished finished) {
            immediate = finish(finished.agency(), session);
        } else if (request instanceof WinnersRequest winners) {
            return winners(winners.agency(), session);
        } else if (request instanceof Echo echo) {
            log.info("action: receive_message | result: success | ip: {} | msg: {}", session.peer(), LogValues.clean(echo.text()));
            immediate = Reply.ok(echo);
        } else {
            immediate = fail("request", session, ErrorCode.UNEXPECTED_MESSAGE,
                    "message " + request.messageName() + " is not a request the central accepts");
        }
        return CompletableFuture.completedFuture(immediate);
    }

    private Reply storeBatch(BetBatch batch, Session session) {
        int agency = batch.agency();
        List<Bet> bets = batch.bets();
        if (!barrier.isKnown(agency)) {
            return rejectBatch(batch, session, ErrorCode.UNKNOWN_AGENCY, unknownAgency(agency));
        }
        // The loop over the bets lives in BetValidator: a loop here would have the JIT compile this
        // whole method, with the encoder and the store inlined, a second time (on-stack replacement).
        int invalid = BetValidator.firstInvalid(bets);
        if (invalid >= 0) {
            Bet bet = bets.get(invalid);
            return rejectBatch(batch, session, ErrorCode.INVALID_BET, "bet " + (invalid + 1) + " of " + bets.size()
                    + " (document " + bet.document() + "): " + BetValidator.problem(bet));
        }
        EncodedRows rows = session.encoder().encode(agency, bets);
        try {
            store.append(rows, () -> {
                if (barrier.hasFinished(agency)) {
                    throw new BatchRefusedException(ErrorCode.AGENCY_ALREADY_FINISHED,
                            "agency " + agency + " already sent finished; no more bets are accepted from it");
                }
            });
        } catch (BatchRefusedException e) {
            return rejectBatch(batch, session, e.code(), e.getMessage());
        } catch (IOException e) {
            return rejectBatch(batch, session, ErrorCode.SERVER_UNAVAILABLE, "cannot store the batch: " + e.getMessage());
        }
        if (log.isDebugEnabled()) {
            for (Bet bet : bets) {
                log.debug("action: apuesta_almacenada | result: success | dni: {} | numero: {}", bet.document(), bet.number());
            }
        }
        log.info("action: apuesta_recibida | result: success | cantidad: {}", bets.size());
        return Reply.ok(new BatchAck(agency, bets.size()));
    }

    private Reply rejectBatch(BetBatch batch, Session session, ErrorCode code, String reason) {
        log.warn("action: apuesta_recibida | result: fail | cantidad: {} | agency: {} | ip: {} | error: {}",
                batch.bets().size(), batch.agency(), session.peer(), LogValues.clean(reason));
        return Reply.refuse(new BatchRejected(code.wireValue(), reason));
    }

    private Reply finish(int agency, Session session) {
        if (!barrier.isKnown(agency)) {
            return fail("agencia_finalizada", session, ErrorCode.UNKNOWN_AGENCY, unknownAgency(agency));
        }
        AgencyBarrier.Arrival arrival = barrier.finish(agency,
                () -> log.info("action: agencia_finalizada | result: success | agency: {}", agency));
        if (arrival == AgencyBarrier.Arrival.ALREADY_FINISHED) {
            return fail("agencia_finalizada", session, ErrorCode.AGENCY_ALREADY_FINISHED,
                    "agency " + agency + " already sent finished; it was counted once");
        }
        return Reply.ok(new FinishedAck(agency));
    }

    private CompletableFuture<Reply> winners(int agency, Session session) {
        if (!barrier.isKnown(agency)) {
            return CompletableFuture.completedFuture(
                    fail("consulta_ganadores", session, ErrorCode.UNKNOWN_AGENCY, unknownAgency(agency)));
        }
        if (!barrier.hasFinished(agency)) {
            return CompletableFuture.completedFuture(fail("consulta_ganadores", session, ErrorCode.AGENCY_NOT_FINISHED,
                    "agency " + agency + " asked for winners before sending finished"));
        }
        if (!barrier.drawDone()) {
            log.info("action: consulta_ganadores | result: in_progress | agency: {} | detail: waiting for the draw", agency);
        }
        return barrier.drawResult().handle((result, failure) -> {
            if (failure != null) {
                return fail("consulta_ganadores", session, ErrorCode.SERVER_UNAVAILABLE, "the draw failed: " + failure.getMessage());
            }
            List<String> documents = result.winnersOf(agency);
            log.info("action: ganadores_enviados | result: success | agency: {} | cant_ganadores: {}", agency, documents.size());
            return Reply.ok(new Winners(agency, documents));
        });
    }

    /** Runs in the thread of the last agency's "finished", under the store's read lock. */
    private DrawResult draw() throws IOException {
        try {
            DrawResult result = Draw.run(store);
            int winners = result.winnersByAgency().values().stream().mapToInt(List::size).sum();
            log.info("action: sorteo | result: success | apuestas: {} | ganadores: {}", result.betsScanned(), winners);
            return result;
        } catch (IOException | RuntimeException e) {
            log.error("action: sorteo | result: fail | error: {}", LogValues.clean(String.valueOf(e.getMessage())));
            throw e;
        }
    }

    private String unknownAgency(int agency) {
        return barrier.agencies() == 0
                ? "unknown agency " + agency + " (this central expects no agencies)"
                : "unknown agency " + agency + " (agencies are 1.." + barrier.agencies() + ")";
    }

    private static Reply fail(String action, Session session, ErrorCode code, String reason) {
        log.warn("action: {} | result: fail | ip: {} | error: {}", action, session.peer(), LogValues.clean(reason));
        return Reply.error(code, reason);
    }
}
