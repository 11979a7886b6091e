package ar.loteria.client;

import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.source.BetSource;
import ar.loteria.client.transport.CentralConnection;
import ar.loteria.client.transport.RefusedException;
import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.runtime.ProtocolException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One agency's run: connect (retrying per loop.amount / loop.period), stream the bets in
 * batches, each acknowledged before the next is sent, then "finished", then the winners.
 */
public final class AgencyClient {
    private static final Logger log = LoggerFactory.getLogger(AgencyClient.class);

    /** A batch never exceeds this many bytes on the wire, header included. */
    public static final int MAX_BATCH_FRAME_BYTES = BatchAssembler.MAX_BATCH_FRAME_BYTES;

    /** Thrown when a stop was requested (SIGTERM): not a failure. */
    public static final class StoppedException extends Exception {
        StoppedException() {
            super("stopped");
        }
    }

    private final ClientConfig config;
    private final BetSource source;
    private final boolean logEachBetAtInfo;
    private volatile Socket socket;
    private volatile boolean stopping;
    private long betsSent;
    private long batchesSent;

    public AgencyClient(ClientConfig config, BetSource source, boolean logEachBetAtInfo) {
        this.config = config;
        this.source = source;
        this.logEachBetAtInfo = logEachBetAtInfo;
    }

    /** Runs the whole exchange; returns the winners' documents. */
    public List<String> run() throws IOException, ProtocolException, RefusedException, InterruptedException, StoppedException {
        try (CentralConnection central = connect()) {
            sendBets(central);
            central.request(new Finished(config.id()), FinishedAck.class);
            Winners winners = central.request(new WinnersRequest(config.id()), Winners.class);
            return winners.documents();
        } catch (IOException e) {
            if (stopping) {
                throw new StoppedException();
            }
            throw e;
        }
    }

    private CentralConnection connect() throws IOException, InterruptedException, StoppedException {
        IOException last = null;
        for (int attempt = 1; attempt <= config.loopAmount(); attempt++) {
            Socket candidate = new Socket();
            socket = candidate;
            if (stopping) {
                candidate.close();
                throw new StoppedException();
            }
            try {
                candidate.connect(new InetSocketAddress(config.host(), config.port()));
                log.debug("action: connect | result: success | attempt: {}", attempt);
                return CentralConnection.over(candidate);
            } catch (IOException e) {
                candidate.close();
                if (stopping) {
                    throw new StoppedException();
                }
                last = e;
                log.debug("action: connect | result: in_progress | attempt: {} | error: {}", attempt, e.getMessage());
                if (attempt < config.loopAmount()) {
                    try {
                        Thread.sleep(config.loopPeriod().toMillis());
                    } catch (InterruptedException interrupted) {
                        if (stopping) {
                            throw new StoppedException();
                        }
                        throw interrupted;
                    }
                }
            }
        }
        throw new IOException("cannot reach the central at " + config.serverAddress() + " after "
                + config.loopAmount() + " attempt(s) " + config.loopPeriodText() + " apart: " + last.getMessage(), last);
    }

    private void sendBets(CentralConnection central)
            throws IOException, ProtocolException, RefusedException, StoppedException {
        BatchAssembler batches = new BatchAssembler(source, config.id(), config.batchMaxAmount());
        EncodedBatch batch;
        while ((batch = batches.nextBatch()) != null) {
            sendBatch(central, batch);
        }
    }

    private void sendBatch(CentralConnection central, EncodedBatch batch)
            throws IOException, ProtocolException, RefusedException, StoppedException {
        if (stopping) {
            throw new StoppedException();
        }
        BatchAck ack;
        try {
            ack = central.request(batch.frame(), batch.length(), BatchAck.class);
        } catch (RefusedException e) {
            log.error("action: apuesta_enviada | result: fail | cantidad: {} | error: {}", batch.size(),
                    e.getMessage().replace('|', '/'));
            throw e;
        }
        if (ack.count() != batch.size()) {
            throw new IOException("the central acknowledged " + ack.count() + " bets of a batch of " + batch.size());
        }
        batchesSent++;
        betsSent += batch.size();
        if (logEachBetAtInfo) {
            for (Bet sent : batch.bets()) {
                log.info("action: apuesta_enviada | result: success | dni: {} | numero: {}", sent.document(), sent.number());
            }
        } else if (log.isDebugEnabled()) {
            for (Bet sent : batch.bets()) {
                log.debug("action: apuesta_enviada | result: success | dni: {} | numero: {}", sent.document(), sent.number());
            }
        }
    }

    public long betsSent() {
        return betsSent;
    }

    public long batchesSent() {
        return batchesSent;
    }

    /** Called from the signal handler: unblocks whatever the run is waiting on. */
    public void stop() {
        stopping = true;
        Socket current = socket;
        if (current != null) {
            try {
                current.close();
            } catch (IOException e) {
                // closing on the way out
            }
        }
    }

    public boolean stopping() {
        return stopping;
    }
}
