package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Echo;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.runtime.ErrorCode;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.server.storage.StoredBet;
import ar.loteria.server.support.LogCapture;
import ar.loteria.server.support.RawPeer;
import ar.loteria.server.support.ServerHarness;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Hostile and mistaken peers over real sockets: each is refused, nothing bad is stored, others go on. */
@Timeout(60)
class BadInputTest {
    private static final Bet GOOD = new Bet("Tiago Nicolás", "Rivera", 34407251, 20010829, 1033);
    private static final Bet OTHER = new Bet("Ciro", "Hernández", 37187440, 19910810, 7574);

    @TempDir
    Path dir;
    private LogCapture logs;
    private ServerHarness server;

    @BeforeEach
    void start() throws Exception {
        logs = LogCapture.begin();
        server = ServerHarness.start(dir.resolve("bets.csv"), 2, 4);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        logs.close();
    }

    private List<StoredBet> stored() throws Exception {
        List<StoredBet> bets = new ArrayList<>();
        server.store().forEach(bets::add);
        return bets;
    }

    /** The server still serves a well-behaved peer, end to end. */
    private void assertStillServing() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            Echo echo = new Echo("¿sigue ahí?");
            assertEquals(echo, peer.request(echo, Echo.class));
        }
    }

    private static byte[] header(int opcode, int length) {
        return ByteBuffer.allocate(5).put((byte) opcode).putInt(length).array();
    }

    @Test
    void truncatedFrameThenCloseStoresNothing() throws Exception {
        byte[] frame = RawPeer.CODEC.encode(new BetBatch(1, List.of(GOOD, OTHER)));
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.sendBytes(java.util.Arrays.copyOf(frame, frame.length - 3));
            peer.shutdownOutput();
            ProtocolError error = assertInstanceOf(ProtocolError.class, peer.read());
            assertEquals(ErrorCode.TRUNCATED_FRAME.wireValue(), error.code());
            assertTrue(error.reason().contains("BetBatch: stream ended after " + (frame.length - 3) + " of " + frame.length),
                    error.reason());
            assertTrue(peer.closedByServer());
        }
        assertEquals(List.of(), stored());
        assertStillServing();
    }

    @Test
    void hugeDeclaredLengthIsRefusedByTheHeader() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.sendBytes(header(0x01, Integer.MAX_VALUE));
            ProtocolError error = assertInstanceOf(ProtocolError.class, peer.read());
            assertEquals(ErrorCode.FRAME_TOO_LARGE.wireValue(), error.code());
            assertEquals("BetBatch: frame of 2147483652 bytes exceeds the maximum of 8192 bytes", error.reason());
            assertTrue(peer.closedByServer());
        }
        assertTrue(logs.matching("action: protocol_error | result: fail").size() >= 1);
        assertStillServing();
    }

    @Test
    void garbageBytesAreRefused() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.sendBytes("GET / HTTP/1.1\r\n\r\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII));
            ProtocolError error = assertInstanceOf(ProtocolError.class, peer.read());
            assertEquals(ErrorCode.UNKNOWN_OPCODE.wireValue(), error.code());
            assertEquals("unknown opcode 0x47 (71)", error.reason());
            assertTrue(peer.closedByServer());
        }
        assertEquals(List.of(), stored());
        assertStillServing();
    }

    @Test
    void batchWithOneInvalidBirthdateIsRejectedWhole() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            assertEquals(new BatchAck(1, 1), peer.request(new BetBatch(1, List.of(GOOD)), BatchAck.class));
        }
        Bet badDate = new Bet("Axel Gabriel", "Mejía", 25307403, 19941340, 6750);
        try (RawPeer peer = new RawPeer(server.port())) {
            BatchRejected rejected = peer.request(new BetBatch(1, List.of(OTHER, badDate, GOOD)), BatchRejected.class);
            assertEquals(ErrorCode.INVALID_BET.wireValue(), rejected.code());
            assertEquals("bet 2 of 3 (document 25307403): birthdate 19941340 is not a valid date (yyyymmdd of an ISO YYYY-MM-DD)",
                    rejected.reason());
            assertTrue(peer.closedByServer());
        }
        List<StoredBet> bets = stored();
        assertEquals(1, bets.size(), "only the earlier, valid batch is stored");
        assertEquals(new StoredBet(1, "Tiago Nicolás", "Rivera", "34407251", "2001-08-29", 1033), bets.get(0));
        List<String> failures = logs.matching("action: apuesta_recibida | result: fail");
        assertEquals(1, failures.size());
        assertTrue(failures.get(0).startsWith("action: apuesta_recibida | result: fail | cantidad: 3 | agency: 1"), failures.get(0));
        assertEquals(List.of(), logs.contractViolations());
        assertStillServing();
    }

    @Test
    void emptyNamesAndNegativeNumbersAreRejected() throws Exception {
        for (Bet bad : List.of(new Bet(" ", "Rivera", 1, 20010829, 1), new Bet("Ana", "Li\nne", 1, 20010829, 1),
                new Bet("Ana", "Rivera", -4, 20010829, 1), new Bet("Ana", "Rivera", 4, 20010829, -1))) {
            try (RawPeer peer = new RawPeer(server.port())) {
                BatchRejected rejected = peer.request(new BetBatch(2, List.of(GOOD, bad)), BatchRejected.class);
                assertEquals(ErrorCode.INVALID_BET.wireValue(), rejected.code(), rejected.reason());
                assertTrue(rejected.reason().startsWith("bet 2 of 2"), rejected.reason());
            }
        }
        assertEquals(List.of(), stored());
    }

    @Test
    void unknownAgencyIsRefused() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            BatchRejected rejected = peer.request(new BetBatch(3, List.of(GOOD)), BatchRejected.class);
            assertEquals(ErrorCode.UNKNOWN_AGENCY.wireValue(), rejected.code());
            assertEquals("unknown agency 3 (agencies are 1..2)", rejected.reason());
        }
        try (RawPeer peer = new RawPeer(server.port())) {
            ProtocolError error = peer.request(new Finished(0), ProtocolError.class);
            assertEquals(ErrorCode.UNKNOWN_AGENCY.wireValue(), error.code());
            assertEquals("unknown agency 0 (agencies are 1..2)", error.reason());
        }
        assertEquals(List.of(), stored());
        assertStillServing();
    }

    @Test
    void duplicateFinishedIsCountedOnce() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            assertEquals(new FinishedAck(1), peer.request(new Finished(1), FinishedAck.class));
        }
        try (RawPeer peer = new RawPeer(server.port())) {
            ProtocolError error = peer.request(new Finished(1), ProtocolError.class);
            assertEquals(ErrorCode.AGENCY_ALREADY_FINISHED.wireValue(), error.code());
            assertEquals("agency 1 already sent finished; it was counted once", error.reason());
            assertTrue(peer.closedByServer());
        }
        assertFalse(server.service().barrier().drawDone(), "a duplicate must not stand in for agency 2");
        try (RawPeer peer = new RawPeer(server.port())) {
            BatchRejected late = peer.request(new BetBatch(1, List.of(GOOD)), BatchRejected.class);
            assertEquals(ErrorCode.AGENCY_ALREADY_FINISHED.wireValue(), late.code());
        }
        try (RawPeer peer = new RawPeer(server.port())) {
            assertEquals(new FinishedAck(2), peer.request(new Finished(2), FinishedAck.class));
        }
        assertTrue(server.service().barrier().drawDone());
        assertEquals(1, logs.matching("action: sorteo").size());
        assertEquals(List.of(), stored());
    }

    @Test
    void winnersBeforeOwnFinishedIsAnError() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            ProtocolError error = peer.request(new WinnersRequest(1), ProtocolError.class);
            assertEquals(ErrorCode.AGENCY_NOT_FINISHED.wireValue(), error.code());
            assertEquals("agency 1 asked for winners before sending finished", error.reason());
            assertTrue(peer.closedByServer());
        }
        assertStillServing();
    }

    @Test
    void winnersRequestBeforeTheDrawWaitsForIt() throws Exception {
        try (RawPeer agency1 = new RawPeer(server.port()); RawPeer agency2 = new RawPeer(server.port())) {
            assertEquals(new BatchAck(1, 1), agency1.request(new BetBatch(1, List.of(OTHER)), BatchAck.class));
            assertEquals(new FinishedAck(1), agency1.request(new Finished(1), FinishedAck.class));
            agency1.send(new WinnersRequest(1));
            logs.await(line -> line.startsWith("action: consulta_ganadores | result: in_progress | agency: 1"), 1,
                    Duration.ofSeconds(20));
            assertFalse(server.service().barrier().drawDone());
            assertEquals(0, agency1.available(), "no answer before the draw");

            assertEquals(new BatchAck(2, 1), agency2.request(new BetBatch(2, List.of(GOOD)), BatchAck.class));
            assertEquals(new FinishedAck(2), agency2.request(new Finished(2), FinishedAck.class));
            Message reply = agency1.read();
            assertEquals(new Winners(1, List.of("37187440")), reply);
            assertEquals(new Winners(2, List.of()), agency2.request(new WinnersRequest(2), Winners.class));
        }
        List<String> lines = logs.lines();
        int draw = lines.indexOf(logs.matching("action: sorteo").get(0));
        int sent = lines.indexOf(logs.matching("action: ganadores_enviados | result: success | agency: 1").get(0));
        assertTrue(draw < sent);
        assertEquals(List.of(), logs.matching("result: fail"));
    }
}
