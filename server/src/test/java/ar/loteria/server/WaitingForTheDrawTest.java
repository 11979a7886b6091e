package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Busy;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.SessionStart;
import ar.loteria.protocol.SessionStarted;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.server.support.LogCapture;
import ar.loteria.server.support.RawPeer;
import ar.loteria.server.support.ServerHarness;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A winners request before the draw costs no thread: 200 agencies wait on a pool of 2 workers and
 * every one of them gets its winners when the last agency finishes, and each reply is logged as
 * sent once it is written.
 */
@Timeout(120)
class WaitingForTheDrawTest {
    private static final int WAITING = 200;

    @TempDir
    Path dir;

    private static Bet bet(int agency) {
        return new Bet("Name", "Surname", String.format("%08d", agency), "2000-01-01", agency % 10 == 0 ? 7574 : agency);
    }

    @Test
    void twoHundredAgenciesWaitingOnTwoWorkersAllGetTheirWinners() throws Exception {
        try (LogCapture logs = LogCapture.begin();
             ServerHarness server = ServerHarness.start(dir.resolve("storage"), WAITING, Map.of("WORKER_THREADS", "2"))) {
            List<RawPeer> peers = new ArrayList<>();
            try {
                for (int agency = 1; agency <= WAITING; agency++) {
                    RawPeer peer = new RawPeer(server.port());
                    peers.add(peer);
                    peer.session(agency);
                    assertEquals(new BatchAck(agency, 1), peer.request(new BetBatch(agency, 0, List.of(bet(agency))), BatchAck.class));
                    assertEquals(new FinishedAck(agency), peer.request(new Finished(agency), FinishedAck.class));
                    peer.send(new WinnersRequest(agency)); // waits: the draw needs every agency
                }
                for (int agency = 1; agency <= WAITING; agency++) {
                    Winners winners = assertInstanceOf(Winners.class, peers.get(agency - 1).read());
                    assertEquals(agency % 10 == 0 ? List.of(String.format("%08d", agency)) : List.of(), winners.documents(),
                            "agency " + agency);
                }
            } finally {
                for (RawPeer peer : peers) {
                    peer.close();
                }
            }
            logs.await(line -> line.startsWith("action: ganadores_enviados"), WAITING, Duration.ofSeconds(10));
            assertEquals(WAITING - 1, logs.matching("action: consulta_ganadores | result: in_progress").size(),
                    "every request but the last one's waited for the draw");
            assertEquals(WAITING, logs.matching("action: ganadores_enviados").size(), "one line per reply written");
            assertEquals(1, logs.matching("action: sorteo").size());
            assertEquals(List.of(), logs.matching("result: fail"));
        }
    }

    /**
     * Agencies that leave while they wait for the draw give their connections back: with a limit
     * of 3 connections, 3 waiters that closed must not keep the last agency out (the round would
     * never end).
     */
    @Test
    void waitersThatLeaveFreeTheirConnectionsForTheLastAgency() throws Exception {
        try (LogCapture logs = LogCapture.begin();
             ServerHarness server = ServerHarness.start(dir.resolve("storage"), 2, Map.of("MAX_CONNECTIONS", "3"))) {
            try (RawPeer first = new RawPeer(server.port())) {
                first.session(1);
                assertEquals(new FinishedAck(1), first.request(new Finished(1), FinishedAck.class));
            }
            for (int i = 0; i < 3; i++) {
                try (RawPeer waiter = new RawPeer(server.port())) {
                    waiter.session(1);
                    waiter.send(new WinnersRequest(1));
                    logs.await(line -> line.startsWith("action: consulta_ganadores | result: in_progress"), i + 1,
                            Duration.ofSeconds(10));
                }
            }
            // The central notices each close asynchronously: a "busy" answer means one is not seen yet.
            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            Message answer;
            RawPeer last;
            do {
                last = new RawPeer(server.port());
                last.send(new SessionStart(LoteriaProtocol.FINGERPRINT, 2));
                answer = last.read();
                if (answer instanceof Busy) {
                    last.close();
                }
            } while (answer instanceof Busy && System.nanoTime() < deadline);
            try (RawPeer agency2 = last) {
                assertInstanceOf(SessionStarted.class, answer, "the last agency was let in");
                assertEquals(new FinishedAck(2), agency2.request(new Finished(2), FinishedAck.class));
                assertEquals(new Winners(2, List.of()), agency2.request(new WinnersRequest(2), Winners.class));
            }
            // Logged once the reply is written, which may be just after the peer read it.
            logs.await(line -> line.startsWith("action: ganadores_enviados"), 1, Duration.ofSeconds(10));
            assertEquals(1, logs.matching("action: sorteo").size());
            assertEquals(1, logs.matching("action: ganadores_enviados").size(), "only the agency still there got winners");
        }
    }
}
