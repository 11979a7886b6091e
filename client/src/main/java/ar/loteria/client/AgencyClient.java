package ar.loteria.client;

import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.source.BetSource;
import ar.loteria.client.transport.CentralConnection;
import ar.loteria.client.transport.RefusedException;
import ar.loteria.common.LogValues;
import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.SessionStart;
import ar.loteria.protocol.SessionStarted;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.runtime.ErrorCode;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import java.io.IOException;
import java.net.Socket;
import java.net.UnknownHostException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One agency's run. Each session: connect, SessionStart (the central answers how many of this
 * agency's bets it holds, and whether the agency has finished), skip that many bets of the
 * source, send the rest in batches (a few ahead of their acknowledgements), "finished", then the
 * winners. A refused or dropped connection, a reply that does not come within the reply
 * timeout, or a "busy" answer, is retried up to {@code loop.amount} times {@code loop.period}
 * apart, and the next session resumes where the central's storage ends: every bet is stored
 * exactly once however often either side crashes. The count of attempts starts again only when
 * a session finds the central further on than any session before (more bets stored, or
 * finished): a central that fails the same way at every session is given up on.
 */
public final class AgencyClient {
    private static final Logger log = LoggerFactory.getLogger(AgencyClient.class);

    /** How a run ended, when it did not fail. */
    public sealed interface Outcome {
        record Done(List<String> winners) implements Outcome {
        }

        /** A stop was asked for (SIGTERM). */
        record Stopped() implements Outcome {
        }
    }

    /** The run failed; the message is the one line to report. */
    public static final class FailedException extends Exception {
        FailedException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Batches sent ahead of their acknowledgements. The central handles them one at a time and
     * its acknowledgements are a few bytes each, so neither side can fill the other's socket
     * buffer and stall. A/B at 100× data: 11.8 s with 1 (each batch waits for its
     * acknowledgement), 9.9 s with 4 (docs/performance.md).
     */
    static final int BATCHES_IN_FLIGHT = 4;

    private final ClientConfig config;
    private final BetSource.Opener bets;
    private final Level sentBetLevel;
    private volatile Socket socket;
    private volatile boolean stopping;
    /** The last session found the central further on than any before: its failure starts a new count. */
    private boolean progressed;
    /** The most bets, and whether "finished", any session found stored: what progress is measured against. */
    private int mostStored = -1;
    private boolean finishedSeen;

    /** The agency's file could not be read: no other attempt would do better. */
    private static final class BetFileException extends Exception {
        BetFileException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /** {@code sentBetLevel}: the level of each acknowledged bet's log line (INFO in single-bet mode). */
    public AgencyClient(ClientConfig config, BetSource.Opener bets, Level sentBetLevel) {
        this.config = config;
        this.bets = bets;
        this.sentBetLevel = sentBetLevel;
    }

    public Outcome run() throws FailedException {
        int failedAttempts = 0;
        while (true) {
            try {
                return new Outcome.Done(session());
            } catch (IOException | ProtocolException | RefusedException | BetFileException e) {
                if (stopping) {
                    return new Outcome.Stopped();
                }
                if (!(e instanceof IOException)) {
                    throw new FailedException(e.getMessage(), e);
                }
                // A connection refused or dropped, a late reply, or a busy central: another attempt,
                // counted from the last session that found progress.
                failedAttempts = progressed ? 1 : failedAttempts + 1;
                progressed = false;
                // The JDK's message for a name that does not resolve is the bare name.
                String reason = e instanceof UnknownHostException ? "the name " + e.getMessage() + " does not resolve"
                        : e.getMessage();
                if (failedAttempts >= config.loopAmount()) {
                    throw new FailedException("gave up after " + failedAttempts + " attempt(s) " + config.loopPeriodText()
                            + " apart to reach the central at " + config.serverAddress() + ": " + reason, e);
                }
                log.info("action: conectar | result: in_progress | attempt: {} | error: {}", failedAttempts,
                        LogValues.clean(reason));
                if (!pause()) {
                    return new Outcome.Stopped();
                }
            }
        }
    }

    private List<String> session() throws IOException, ProtocolException, RefusedException, BetFileException {
        Socket candidate = new Socket();
        socket = candidate;
        if (stopping) {
            candidate.close();
        }
        try (CentralConnection central = CentralConnection.connect(candidate, config.host(), config.port(),
                config.replyTimeout())) {
            SessionStarted started = central.request(new SessionStart(LoteriaProtocol.INSTANCE.fingerprint(), config.id()),
                    SessionStarted.class);
            checkSessionStarted(started);
            boolean finished = started.finished() == 1;
            progressed = started.storedBets() > mostStored || (finished && !finishedSeen);
            mostStored = Math.max(mostStored, started.storedBets());
            finishedSeen |= finished;
            log.info("action: sesion | result: success | client_id: {} | stored_bets: {} | finished: {}", config.id(),
                    started.storedBets(), finished);
            try (BetSource source = open()) {
                skipToResumePoint(source, started.storedBets(), started.lastStoredBet(), finished);
                if (finished) {
                    checkNothingAfter(source, started.storedBets());
                } else {
                    sendBets(central, source, started.storedBets());
                    FinishedAck ack = central.request(new Finished(config.id()), FinishedAck.class);
                    checkAgency(ack, ack.agency());
                }
            }
            Winners winners = central.requestWaitingForTheDraw(new WinnersRequest(config.id()), Winners.class);
            checkAgency(winners, winners.agency());
            return winners.documents();
        }
    }

    /** A bet in a message, its names quoted so that spaces and commas in them show. */
    private static String describe(Bet bet) {
        return "(\"" + bet.firstName() + "\", \"" + bet.lastName() + "\", documento " + bet.document() + ", "
                + bet.birthdate() + ", numero " + bet.number() + ")";
    }

    /** A SessionStarted this agency can act on: its own, with a count and a flag that make sense. */
    private void checkSessionStarted(SessionStarted started) throws ProtocolException {
        checkAgency(started, started.agency());
        if (started.storedBets() < 0) {
            throw new ProtocolException(ErrorCode.MALFORMED_FIELD, started.messageName(), "storedBets",
                    "negative count " + started.storedBets());
        }
        if (started.finished() != 0 && started.finished() != 1) {
            throw new ProtocolException(ErrorCode.MALFORMED_FIELD, started.messageName(), "finished",
                    started.finished() + " is neither 0 nor 1");
        }
        if (started.lastStoredBet().size() != Math.min(started.storedBets(), 1)) {
            throw new ProtocolException(ErrorCode.MALFORMED_FIELD, started.messageName(), "lastStoredBet",
                    started.lastStoredBet().size() + " bet(s) for " + started.storedBets() + " stored (1, or 0 when none is)");
        }
    }

    /** A reply for another agency is never taken: not its counts, and never its winners. */
    private void checkAgency(Message reply, int agency) throws ProtocolException {
        if (agency != config.id()) {
            throw new ProtocolException(ErrorCode.WRONG_AGENCY, reply.messageName(), "agency",
                    "a reply for agency " + agency + " reached agency " + config.id());
        }
    }

    /**
     * How an operator ends the central's round, for the refusals that find the central holding
     * another round: the agency never reports that round's result.
     */
    static final String NEW_ROUND = "the central holds a round this agency's bets are not part of; a new round"
            + " starts with docker compose down (Compose) or an empty storage directory for the central (natively)";

    /**
     * Skips the first {@code stored} bets of the source, which the central holds already ({@code
     * lastStored} is the last of them, as the central holds it). The source's bet at that position
     * must be the same, and the source must have that many: otherwise the central's bets are not
     * this source's (another round, or a file changed since) and resuming, or taking the central's
     * winners, would be wrong.
     */
    private void skipToResumePoint(BetSource source, int stored, List<Bet> lastStored, boolean finished)
            throws BetFileException {
        Bet mine = null;
        for (int skipped = 0; skipped < stored; skipped++) {
            mine = read(source::next);
            if (mine == null) {
                throw new BetFileException("the central holds " + stored + " bets of agency " + config.id()
                        + (finished ? " and says it has finished" : "") + ", but this agency has " + skipped
                        + " valid bet(s): " + NEW_ROUND, null);
            }
        }
        if (mine != null && !mine.equals(lastStored.get(0))) {
            throw new BetFileException("bet " + stored + " of agency " + config.id() + " is " + describe(mine)
                    + " here but " + describe(lastStored.get(0)) + " in the central: its bets changed since they"
                    + " were sent (resuming would store some twice and lose others), or " + NEW_ROUND, null);
        }
    }

    /**
     * The central says this agency finished with {@code stored} bets: the source must have no more,
     * or the central's round (and its winners) is not this source's.
     */
    private void checkNothingAfter(BetSource source, int stored) throws BetFileException {
        int mine = stored;
        while (read(source::next) != null) {
            mine++;
        }
        if (mine != stored) {
            throw new BetFileException("the central holds " + stored + " bets of agency " + config.id()
                    + " and says it has finished, but this agency has " + mine + " valid bet(s): " + NEW_ROUND, null);
        }
    }

    /**
     * Sends the source's bets from position {@code stored} on (the source is there already). Up to
     * {@link #BATCHES_IN_FLIGHT} batches are sent before the oldest one's acknowledgement is read,
     * so that neither side waits for the other between batches; the central still handles them
     * one at a time, in order.
     */
    private void sendBets(CentralConnection central, BetSource source, int stored)
            throws IOException, ProtocolException, RefusedException, BetFileException {
        BatchCutter batches = new BatchCutter(source, config.batchMaxAmount());
        Deque<SentBatch> inFlight = new ArrayDeque<>();
        int position = stored;
        for (List<Bet> batch = nextBatch(batches, central, inFlight); batch != null;
                batch = nextBatch(batches, central, inFlight)) {
            if (stopping) {
                throw new java.io.InterruptedIOException("stopped");
            }
            try {
                central.send(new BetBatch(config.id(), position, batch));
            } catch (IOException e) {
                // A central that refused an earlier batch has closed the connection; its
                // answer is still there to be read and says more than this write's error.
                acknowledgeAll(central, inFlight);
                throw e;
            }
            position += batch.size();
            inFlight.add(new SentBatch(batch, position));
            if (inFlight.size() == BATCHES_IN_FLIGHT) {
                awaitAck(central, inFlight.remove());
            }
        }
        acknowledgeAll(central, inFlight);
    }

    /**
     * The next batch, or null at the end. When the file breaks, the batches in flight are
     * acknowledged before the error is thrown, so the log shows what the central holds.
     */
    private List<Bet> nextBatch(BatchCutter batches, CentralConnection central, Deque<SentBatch> inFlight)
            throws IOException, ProtocolException, RefusedException, BetFileException {
        try {
            return read(batches::next);
        } catch (BetFileException e) {
            acknowledgeAll(central, inFlight);
            throw e;
        }
    }

    private void acknowledgeAll(CentralConnection central, Deque<SentBatch> inFlight)
            throws IOException, ProtocolException, RefusedException {
        while (!inFlight.isEmpty()) {
            awaitAck(central, inFlight.remove());
        }
    }

    /** A batch sent and not yet acknowledged; {@code end}: the agency's stored count once it is. */
    private record SentBatch(List<Bet> bets, int end) {
    }

    /** Reads the acknowledgement of {@code sent}, the oldest batch in flight, and checks it. */
    private void awaitAck(CentralConnection central, SentBatch sent)
            throws IOException, ProtocolException, RefusedException {
        BatchAck ack = central.receive(BatchAck.class);
        checkAgency(ack, ack.agency());
        if (ack.storedBets() != sent.end()) {
            // Retried like a drop on purpose: the next session asks the central for its count and
            // resumes from there, which is right whatever made the two disagree.
            throw new IOException("the central holds " + ack.storedBets() + " bets of agency " + config.id()
                    + " after bet " + sent.end());
        }
        if (log.isEnabledForLevel(sentBetLevel)) {
            for (Bet bet : sent.bets()) {
                log.atLevel(sentBetLevel).log("action: apuesta_enviada | result: success | dni: {} | numero: {}",
                        bet.document(), bet.number());
            }
        }
    }

    private BetSource open() throws BetFileException {
        try {
            return bets.open();
        } catch (IOException e) {
            throw new BetFileException("cannot read the bets: " + e.getMessage(), e);
        }
    }

    /** A read of the bets: its I/O errors are the file's, not the connection's. */
    private static <T> T read(Read<T> read) throws BetFileException {
        try {
            return read.get();
        } catch (IOException e) {
            throw new BetFileException("cannot read the bets: " + e.getMessage(), e);
        }
    }

    @FunctionalInterface
    private interface Read<T> {
        T get() throws IOException;
    }

    /** Waits {@code loop.period}; false when a stop came meanwhile. */
    private boolean pause() {
        try {
            Thread.sleep(config.loopPeriod().toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return !stopping;
    }

    /** Called from the signal handler: ends the run at its next step, closing the socket under it. */
    public void stop(Thread runner) {
        stopping = true;
        Socket current = socket;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // closing on the way out
            }
        }
        runner.interrupt();
    }
}
