package ar.loteria.client;

import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.config.ClientConfig.CentralAddress;
import ar.loteria.client.source.BetSource;
import ar.loteria.client.transport.BadReplyException;
import ar.loteria.client.transport.CentralConnection;
import ar.loteria.client.transport.RefusedException;
import ar.loteria.client.transport.TlsException;
import ar.loteria.client.transport.UnavailableException;
import ar.loteria.common.LogLine;
import java.io.IOException;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * One agency's run: sessions ({@link AgencySession}) until one gets the winners. A session that
 * finds the central unavailable (a refused or dropped connection, a late reply, "busy") is
 * followed by another as the {@link RetryPolicy} allows, and resumes where the central's storage
 * ends: every bet is stored exactly once however often either side crashes. Any other failure
 * ends the run. A stop (SIGTERM) ends it at its next step, closing the socket under it.
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

    private final ClientConfig config;
    private final AgencySession session;
    /** Mutual TLS with the central, or null for plain TCP. */
    private final SSLContext tls;
    private volatile Socket socket;
    private volatile boolean stopping;
    /** The central the next attempt dials: the next of {@code server.address} after one that failed. */
    private int central;

    /** {@code sentBetLevel}: the level of each acknowledged bet's log line (INFO in single-bet mode). */
    public AgencyClient(ClientConfig config, BetSource.Opener bets, Level sentBetLevel) {
        this(config, bets, sentBetLevel, null);
    }

    /** {@code tls}: this agency's TLS context (its certificate, the round's CA), or null for plain TCP. */
    public AgencyClient(ClientConfig config, BetSource.Opener bets, Level sentBetLevel, SSLContext tls) {
        this.config = config;
        this.session = new AgencySession(config, bets, sentBetLevel, () -> stopping);
        this.tls = tls;
    }

    public Outcome run() throws FailedException {
        RetryPolicy retries = new RetryPolicy(config.loopAmount(), config.loopPeriod(), config.startupWait());
        boolean waitingSaid = false;
        while (true) {
            try {
                return new Outcome.Done(session(retries));
            } catch (UnavailableException e) {
                if (stopping) {
                    return new Outcome.Stopped();
                }
                CentralAddress failed = config.centrals().get(central);
                central = (central + 1) % config.centrals().size(); // a standby may serve now
                if (retries.stillStarting(e.notListening())) {
                    if (!waitingSaid) {
                        waitingSaid = true;
                        withCentral(LogLine.inProgress("conectar").with("attempt", 0), failed).with("error", e.getMessage())
                                .with("detail", "waiting for the central to start").info(log);
                    }
                    if (!pause(RetryPolicy.STARTUP_POLL)) {
                        return new Outcome.Stopped();
                    }
                    continue;
                }
                if (!retries.retryAfterFailure()) {
                    throw new FailedException("gave up after " + retries.failedAttempts() + " attempt(s) "
                            + config.loopPeriodText() + " apart to reach the central at " + config.serverAddress()
                            + ": " + e.getMessage(), e);
                }
                withCentral(LogLine.inProgress("conectar").with("attempt", retries.failedAttempts()), failed)
                        .with("error", e.getMessage()).info(log);
                if (!pause(retries.pause())) {
                    return new Outcome.Stopped();
                }
            } catch (RefusedException | BadReplyException | BetFileException | TlsException e) {
                if (stopping) {
                    return new Outcome.Stopped();
                }
                throw new FailedException(e.getMessage(), e);
            }
        }
    }

    private List<String> session(RetryPolicy retries)
            throws UnavailableException, RefusedException, BadReplyException, BetFileException, TlsException {
        Socket candidate = new Socket();
        socket = candidate;
        if (stopping) {
            closeQuietly(candidate);
        }
        CentralAddress address = config.centrals().get(central);
        try (CentralConnection connection = CentralConnection.connect(candidate, address.host(), address.port(),
                config.replyTimeout(), tls)) {
            return session.run(connection, retries);
        } catch (IOException e) {
            throw new UnavailableException(String.valueOf(e.getMessage()), e); // closing the connection
        }
    }

    /** The central an attempt failed on, when there are several to say which. */
    private LogLine withCentral(LogLine line, CentralAddress failed) {
        return config.centrals().size() > 1 ? line.with("central", failed) : line;
    }

    /** Waits; false when a stop came meanwhile. */
    private boolean pause(Duration pause) {
        try {
            Thread.sleep(pause.toMillis());
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
            closeQuietly(current);
        }
        runner.interrupt();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // closing on the way out
        }
    }
}
