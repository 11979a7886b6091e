package ar.loteria.client;

import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.source.BetSource;
import ar.loteria.client.transport.BadReplyException;
import ar.loteria.client.transport.CentralConnection;
import ar.loteria.client.transport.RefusedException;
import ar.loteria.client.transport.UnavailableException;
import ar.loteria.common.LogLine;
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
import ar.loteria.protocol.runtime.Message;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One session of an agency on one connection: SessionStart (the central answers how many of this
 * agency's bets it holds, the last of them, and whether the agency has finished), the resume
 * check, the rest of the bets in batches (a few ahead of their acknowledgements), "finished", then
 * the winners. Any failure ends the session; {@link AgencyClient} decides whether another follows.
 */
final class AgencySession {
    private static final Logger log = LoggerFactory.getLogger(AgencySession.class);

    /**
     * How an operator ends the central's round, for the refusals that find the central holding
     * another round: the agency never reports that round's result.
     */
    static final String NEW_ROUND = "the central holds a round this agency's bets are not part of; a new round"
            + " starts with docker compose down (Compose) or an empty storage directory for the central (natively)";

    /**
     * Batches sent ahead of their acknowledgements. The central handles them one at a time and its
     * acknowledgements are a few bytes each, so neither side can fill the other's socket buffer and
     * stall (the A/B: docs/performance.md).
     */
    static final int BATCHES_IN_FLIGHT = 4;

    private final ClientConfig config;
    private final BetSource.Opener bets;
    private final Level sentBetLevel;
    private final BooleanSupplier stopping;

    AgencySession(ClientConfig config, BetSource.Opener bets, Level sentBetLevel, BooleanSupplier stopping) {
        this.config = config;
        this.bets = bets;
        this.sentBetLevel = sentBetLevel;
        this.stopping = stopping;
    }

    /** Runs the session to the winners; {@code retries} learns what the central held at its start. */
    List<String> run(CentralConnection central, RetryPolicy retries)
            throws UnavailableException, RefusedException, BadReplyException, BetFileException {
        SessionStarted started = central.request(new SessionStart(LoteriaProtocol.INSTANCE.fingerprint(), config.id()),
                SessionStarted.class);
        checkSessionStarted(started);
        boolean finished = started.finished() == 1;
        retries.sessionStarted(started.storedBets(), finished);
        LogLine.success("sesion").with("client_id", config.id()).with("stored_bets", started.storedBets())
                .with("finished", finished).info(log);
        try (BetSource source = open()) {
            skipToResumePoint(source, started.storedBets(), started.lastStoredBet(), finished);
            if (finished) {
                checkNothingAfter(source, started.storedBets());
            } else {
                sendBets(central, source, started.storedBets());
                FinishedAck ack = central.request(new Finished(config.id()), FinishedAck.class);
                checkAgency(ack, ack.agency());
            }
        } catch (IOException e) {
            throw new BetFileException("cannot close the bets: " + e.getMessage(), e);
        }
        Winners winners = central.requestWaitingForTheDraw(new WinnersRequest(config.id()), Winners.class);
        checkAgency(winners, winners.agency());
        return winners.documents();
    }

    /** A SessionStarted this agency can act on: its own, with a count and a flag that make sense. */
    private void checkSessionStarted(SessionStarted started) throws BadReplyException {
        checkAgency(started, started.agency());
        if (started.storedBets() < 0) {
            throw new BadReplyException(started.messageName(), "storedBets", "negative count " + started.storedBets());
        }
        if (started.finished() != 0 && started.finished() != 1) {
            throw new BadReplyException(started.messageName(), "finished", started.finished() + " is neither 0 nor 1");
        }
        if (started.lastStoredBet().size() != Math.min(started.storedBets(), 1)) {
            throw new BadReplyException(started.messageName(), "lastStoredBet", started.lastStoredBet().size()
                    + " bet(s) for " + started.storedBets() + " stored (1, or 0 when none is)");
        }
    }

    /** A reply for another agency is never taken: not its counts, and never its winners. */
    private void checkAgency(Message reply, int agency) throws BadReplyException {
        if (agency != config.id()) {
            throw new BadReplyException(reply.messageName(), "agency",
                    "a reply for agency " + agency + " reached agency " + config.id());
        }
    }

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

    /** A bet in a message, its names quoted so that spaces and commas in them show. */
    private static String describe(Bet bet) {
        return "(\"" + bet.firstName() + "\", \"" + bet.lastName() + "\", documento " + bet.document() + ", "
                + bet.birthdate() + ", numero " + bet.number() + ")";
    }

    /**
     * Sends the source's bets from position {@code stored} on (the source is there already). Up to
     * {@link #BATCHES_IN_FLIGHT} batches are sent before the oldest one's acknowledgement is read,
     * so that neither side waits for the other between batches; the central still handles them
     * one at a time, in order.
     */
    private void sendBets(CentralConnection central, BetSource source, int stored)
            throws UnavailableException, RefusedException, BadReplyException, BetFileException {
        BatchCutter batches = new BatchCutter(source, config.batchMaxAmount());
        Deque<SentBatch> inFlight = new ArrayDeque<>();
        int position = stored;
        for (List<Bet> batch = nextBatch(batches, central, inFlight); batch != null;
                batch = nextBatch(batches, central, inFlight)) {
            if (stopping.getAsBoolean()) {
                throw new UnavailableException("stopped", null);
            }
            try {
                central.send(new BetBatch(config.id(), position, batch));
            } catch (UnavailableException e) {
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
            throws UnavailableException, RefusedException, BadReplyException, BetFileException {
        try {
            return read(batches::next);
        } catch (BetFileException e) {
            acknowledgeAll(central, inFlight);
            throw e;
        }
    }

    private void acknowledgeAll(CentralConnection central, Deque<SentBatch> inFlight)
            throws UnavailableException, RefusedException, BadReplyException {
        while (!inFlight.isEmpty()) {
            awaitAck(central, inFlight.remove());
        }
    }

    /** A batch sent and not yet acknowledged; {@code end}: the agency's stored count once it is. */
    private record SentBatch(List<Bet> bets, int end) {
    }

    /** Reads the acknowledgement of {@code sent}, the oldest batch in flight, and checks it. */
    private void awaitAck(CentralConnection central, SentBatch sent)
            throws UnavailableException, RefusedException, BadReplyException {
        BatchAck ack = central.receive(BatchAck.class);
        checkAgency(ack, ack.agency());
        if (ack.storedBets() != sent.end()) {
            // Another attempt on purpose: its session asks the central for its count and resumes
            // from there, which is right whatever made the two disagree.
            throw new UnavailableException("the central holds " + ack.storedBets() + " bets of agency " + config.id()
                    + " after bet " + sent.end(), null);
        }
        if (log.isEnabledForLevel(sentBetLevel)) {
            for (Bet bet : sent.bets()) {
                LogLine.success("apuesta_enviada").with("dni", bet.document()).with("numero", bet.number())
                        .at(sentBetLevel, log);
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
}
