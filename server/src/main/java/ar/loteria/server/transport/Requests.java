package ar.loteria.server.transport;

import ar.loteria.common.LogLine;
import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Echo;
import ar.loteria.protocol.ErrorCode;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.SessionStart;
import ar.loteria.protocol.SessionStarted;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.server.service.BatchOutcome;
import ar.loteria.server.service.FinishOutcome;
import ar.loteria.server.service.LotteryService;
import ar.loteria.server.service.Refusal;
import ar.loteria.server.service.SessionOutcome;
import ar.loteria.server.service.WinnersOutcome;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of one connection: each message mapped to a call of the {@link LotteryService},
 * and each outcome to its reply and its log line of the contract. It keeps the connection's
 * agency (the one of its accepted {@code SessionStart}: a message for another is refused); the
 * {@link ProtocolHandler} it belongs to does the calls, the writes and the closes.
 */
final class Requests {
    private static final Logger log = LoggerFactory.getLogger(Requests.class);

    private final LotteryService service;
    private final ProtocolHandler connection;
    private final String peer;
    /** The connection's agency, once its SessionStart is accepted; 0 before. */
    private int agency;

    Requests(LotteryService service, ProtocolHandler connection, String peer) {
        this.service = service;
        this.connection = connection;
        this.peer = peer;
    }

    void handle(Message request) {
        if (request instanceof Echo echo) {
            LogLine.success("receive_message").with("ip", peer).with("msg", echo.text()).info(log);
            if (Integer.valueOf(0).equals(connection.certifiedAgency())) {
                // A plain connection where agencies speak TLS: the course's echo check, one Echo and
                // closed. Echoing within every idle timeout would let a peer without a certificate
                // keep its connection slot for ever, and many such peers lock the agencies out.
                connection.replyAndClose(echo);
            } else {
                connection.reply(echo, null);
            }
        } else if (Integer.valueOf(0).equals(connection.certifiedAgency())) {
            // TLS is required and this connection is plain: the course's echo check, and nothing more.
            connection.refuse(LogLine.fail("tls"), new Refusal(ErrorCode.AUTHENTICATION_REQUIRED, "a plain"
                    + " connection may only Echo: " + request.messageName() + " needs an agency's TLS certificate"));
        } else if (request instanceof SessionStart start) {
            startSession(start);
        } else if (request instanceof BetBatch batch) {
            storeBatch(batch);
        } else if (request instanceof Finished finished) {
            finish(finished);
        } else if (request instanceof WinnersRequest winners) {
            winners(winners);
        } else {
            // A message only the central sends: the peer speaks another protocol, or out of turn.
            connection.refuse(LogLine.fail("protocol_error"), new Refusal(ErrorCode.UNEXPECTED_MESSAGE,
                    "message " + request.messageName() + " is not a request the central accepts"));
        }
    }

    private void startSession(SessionStart start) {
        String fingerprint = LoteriaProtocol.INSTANCE.fingerprint();
        if (!start.fingerprint().equals(fingerprint)) {
            connection.refuse(LogLine.fail("sesion"), new Refusal(ErrorCode.PROTOCOL_MISMATCH, "protocol fingerprint"
                    + " mismatch: central " + fingerprint + ", agency " + start.fingerprint()
                    + " (central and agency were built from different IDLs)"));
        } else if (agency != 0) {
            connection.refuse(LogLine.fail("sesion"), new Refusal(ErrorCode.UNEXPECTED_MESSAGE,
                    "this connection already started the session of agency " + agency));
        } else if (connection.certifiedAgency() != null && connection.certifiedAgency() != start.agency()) {
            connection.refuse(LogLine.fail("sesion"), new Refusal(ErrorCode.WRONG_AGENCY, "the certificate of this"
                    + " connection is " + (connection.certifiedAgency() > 0 ? "agency " + connection.certifiedAgency()
                    + "'s" : "no agency's") + "; it may not start the session of agency " + start.agency()));
        } else {
            connection.call(() -> service.startSession(start.agency()), outcome -> {
                if (outcome instanceof SessionOutcome.Started started) {
                    agency = start.agency();
                    LogLine.success("sesion").with("agency", agency).with("ip", peer)
                            .with("stored_bets", started.storedBets()).with("finished", started.finished()).info(log);
                    connection.reply(new SessionStarted(agency, started.storedBets(), started.finished() ? 1 : 0,
                            started.lastBet().stream().toList()), null);
                } else {
                    connection.refuse(LogLine.fail("sesion"), (Refusal) outcome);
                }
            });
        }
    }

    private void storeBatch(BetBatch batch) {
        Refusal unbound = binding(batch.agency());
        if (unbound != null) {
            refuseBatch(batch, unbound, new ProtocolError(unbound.code(), unbound.reason()));
            return;
        }
        connection.call(() -> service.storeBatch(agency, batch.firstBet(), batch.bets()), outcome -> {
            if (outcome instanceof BatchOutcome.Stored stored) {
                if (log.isDebugEnabled()) {
                    for (Bet bet : stored.added()) {
                        LogLine.success("apuesta_almacenada").with("dni", bet.document()).with("numero", bet.number())
                                .debug(log);
                    }
                }
                LogLine.success("apuesta_recibida").with("cantidad", stored.added().size()).info(log);
                connection.reply(new BatchAck(agency, stored.storedBets()), null);
            } else if (outcome instanceof BatchOutcome.AlreadyStored already) {
                LogLine.success("lote_repetido").with("agency", agency).with("first_bet", batch.firstBet())
                        .with("cantidad", batch.bets().size()).with("stored_bets", already.storedBets()).info(log);
                connection.reply(new BatchAck(agency, already.storedBets()), null);
            } else {
                Refusal refusal = (Refusal) outcome;
                refuseBatch(batch, refusal, new BatchRejected(refusal.code(), refusal.reason()));
            }
        });
    }

    /** The contract's line for a batch refused, at the contract's level (INFO); then the refusal, and the close. */
    private void refuseBatch(BetBatch batch, Refusal refusal, Message reply) {
        LogLine.fail("apuesta_recibida").with("cantidad", batch.bets().size()).with("agency", batch.agency())
                .with("ip", peer).with("error", refusal.reason()).info(log);
        connection.refuseWith(reply);
    }

    private void finish(Finished finished) {
        Refusal unbound = binding(finished.agency());
        if (unbound != null) {
            connection.refuse(LogLine.fail("agencia_finalizada"), unbound);
            return;
        }
        connection.call(() -> service.finish(agency), outcome -> {
            if (outcome instanceof FinishOutcome.Finished done) {
                LogLine.success("agencia_finalizada").with("agency", agency).with("stored_bets", done.storedBets())
                        .info(log);
                connection.reply(new FinishedAck(agency), null);
            } else {
                connection.refuse(LogLine.fail("agencia_finalizada"), (Refusal) outcome);
            }
        });
    }

    private void winners(WinnersRequest request) {
        Refusal unbound = binding(request.agency());
        if (unbound != null) {
            connection.refuse(LogLine.fail("consulta_ganadores"), unbound);
            return;
        }
        connection.call(() -> service.winners(agency), answer -> {
            Consumer<WinnersOutcome> answered = outcome -> {
                if (outcome instanceof WinnersOutcome.Drawn drawn) {
                    int count = drawn.documents().size();
                    connection.reply(new Winners(agency, drawn.documents()), () -> LogLine.success("ganadores_enviados")
                            .with("agency", agency).with("cant_ganadores", count).info(log));
                } else {
                    connection.refuse(LogLine.fail("consulta_ganadores"), (Refusal) outcome);
                }
            };
            if (answer.isDone()) {
                connection.whenDone(answer, answered);
            } else {
                LogLine.inProgress("consulta_ganadores").with("agency", agency).with("detail", "waiting for the draw")
                        .info(log);
                connection.awaitDraw(agency, answer, answered);
            }
        });
    }

    /** Why the connection may not speak for {@code claimed}, or null when it may. */
    private Refusal binding(int claimed) {
        if (agency == 0) {
            return new Refusal(ErrorCode.SESSION_NOT_STARTED, "agency " + claimed + " sent a request before SessionStart");
        }
        if (claimed != agency) {
            return new Refusal(ErrorCode.WRONG_AGENCY, "this connection belongs to agency " + agency
                    + "; it may not speak for agency " + claimed);
        }
        return null;
    }
}
