package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Echo;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.SessionStart;
import ar.loteria.protocol.SessionStarted;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.ErrorCode;
import ar.loteria.server.support.LogCapture;
import ar.loteria.server.support.RawPeer;
import ar.loteria.server.support.ServerHarness;
import ar.loteria.server.support.StoredBets;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Hostile and mistaken peers over real sockets: each gets a clear refusal and is disconnected,
 * nothing of theirs is stored, and the central goes on serving everyone else.
 */
@Timeout(60)
class BadInputTest {
    private static final Bet GOOD = new Bet("Tiago Nicolás", "Rivera", "34407251", "2001-08-29", 1033);
    private static final Bet WINNER = new Bet("Ciro", "Hernández", "00000000", "1991-08-10", 7574);

    @TempDir
    Path dir;
    private LogCapture logs;
    private ServerHarness server;

    @BeforeEach
    void start() throws Exception {
        logs = LogCapture.begin();
        server = ServerHarness.start(dir.resolve("storage"), 2);
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        logs.close();
    }

    private List<List<String>> stored() throws Exception {
        return StoredBets.rows(server.storageDir());
    }

    /** The central still serves a well-behaved peer. */
    private void assertStillServing() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            Echo echo = new Echo("¿sigue ahí?");
            assertEquals(echo, peer.request(echo, Echo.class));
        }
    }

    private static byte[] header(int opcode, int length) {
        return ByteBuffer.allocate(5).put((byte) opcode).putInt(length).array();
    }

    private static ProtocolError refusedAndClosed(RawPeer peer, ErrorCode code, String reason) throws Exception {
        ProtocolError error = assertInstanceOf(ProtocolError.class, peer.read());
        assertEquals(code, error.code(), error.reason());
        assertEquals(reason, error.reason());
        assertTrue(peer.closedByServer());
        return error;
    }

    @Test
    void aFrameTooLargeIsRefusedByItsHeader() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.sendBytes(header(0x01, Integer.MAX_VALUE));
            refusedAndClosed(peer, ErrorCode.FRAME_TOO_LARGE, "BetBatch: frame of 2147483652 bytes exceeds the maximum of 8192 bytes");
        }
        assertEquals(1, logs.matching("action: protocol_error | result: fail").size());
        assertEquals(List.of("action: apuesta_recibida | result: fail | ip: 127.0.0.1 | error: BetBatch: frame of 2147483652"
                + " bytes exceeds the maximum of 8192 bytes"), logs.matching("action: apuesta_recibida | result: fail"),
                "a batch refused by its frame is a rejected batch too");
        assertStillServing();
    }

    @Test
    void garbageIsRefusedAsAnUnknownOpcode() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.sendBytes("GET / HTTP/1.1\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            refusedAndClosed(peer, ErrorCode.UNKNOWN_OPCODE, "unknown opcode 0x47 (71)");
        }
        assertStillServing();
    }

    @Test
    void aBatchWithOneInvalidFieldIsRejectedWhole() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.session(1);
            assertEquals(new BatchAck(1, 1), peer.request(new BetBatch(1, 0, List.of(GOOD)), BatchAck.class));
        }
        for (Bet bad : List.of(new Bet("Axel", "Mejía", "25307403", "1994-13-40", 6750),
                new Bet("Axel", "Mejía", "2530x403", "1994-12-01", 6750),
                new Bet("Axel", "Mejía", "25307403", "1994-12-01", 10000),
                new Bet(" ", "Mejía", "25307403", "1994-12-01", 1))) {
            try (RawPeer peer = new RawPeer(server.port())) {
                peer.session(1);
                BatchRejected rejected = peer.request(new BetBatch(1, 1, List.of(WINNER, bad, GOOD)), BatchRejected.class);
                assertEquals(ErrorCode.INVALID_BET, rejected.code());
                assertTrue(rejected.reason().startsWith("bet 2 of 3 (bet 2 of agency 1): "), rejected.reason());
                assertTrue(peer.closedByServer());
            }
        }
        assertEquals(List.of(List.of("1", "Tiago Nicolás", "Rivera", "34407251", "2001-08-29", "1033")), stored(),
                "only the valid batch is stored");
        assertEquals(List.of("action: apuesta_recibida | result: fail | cantidad: 3 | agency: 1 | ip: 127.0.0.1 | error: "
                        + "bet 2 of 3 (bet 2 of agency 1): nacimiento \"1994-13-40\" is not a real date"),
                logs.matching("action: apuesta_recibida | result: fail").subList(0, 1));
        assertStillServing();
    }

    @Test
    void documentsAreKeptAsWritten() throws Exception {
        Bet zeros = new Bet("A", "B", "00000000", "2000-01-01", 0);
        Bet padded = new Bet("Name", "Surname", "0042", "2000-01-01", 7574);
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.session(2);
            assertEquals(new BatchAck(2, 2), peer.request(new BetBatch(2, 0, List.of(zeros, padded)), BatchAck.class));
        }
        assertEquals(List.of(List.of("2", "A", "B", "00000000", "2000-01-01", "0"),
                List.of("2", "Name", "Surname", "0042", "2000-01-01", "7574")), stored());
    }

    @Test
    void aConnectionBelongsToTheAgencyOfItsSession() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.session(1);
            peer.send(new BetBatch(2, 0, List.of(GOOD)));
            refusedAndClosed(peer, ErrorCode.WRONG_AGENCY, "this connection belongs to agency 1; it may not speak for agency 2");
        }
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.session(1);
            peer.send(new Finished(2));
            refusedAndClosed(peer, ErrorCode.WRONG_AGENCY, "this connection belongs to agency 1; it may not speak for agency 2");
        }
        assertEquals(List.of(), stored());
        try (RawPeer peer = new RawPeer(server.port())) {
            assertEquals(new SessionStarted(2, 0, 0, List.of()), peer.session(2), "agency 2 did not finish");
        }
    }

    @Test
    void agencyMessagesNeedASessionFirst() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(new BetBatch(1, 0, List.of(GOOD)));
            refusedAndClosed(peer, ErrorCode.SESSION_NOT_STARTED, "agency 1 sent a request before SessionStart");
        }
        assertEquals(List.of(), stored());
    }

    @Test
    void anotherProtocolFingerprintIsRefusedAtOnce() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(new SessionStart("0123456789abcdef", 1));
            ProtocolError error = assertInstanceOf(ProtocolError.class, peer.read());
            assertEquals(ErrorCode.PROTOCOL_MISMATCH, error.code());
            assertEquals("protocol fingerprint mismatch: central " + ar.loteria.protocol.LoteriaProtocol.FINGERPRINT
                    + ", agency 0123456789abcdef (central and agency were built from different IDLs)", error.reason());
            assertTrue(peer.closedByServer());
        }
    }

    @Test
    void unknownAgencyIsRefused() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.send(new SessionStart(ar.loteria.protocol.LoteriaProtocol.FINGERPRINT, 3));
            refusedAndClosed(peer, ErrorCode.UNKNOWN_AGENCY, "unknown agency 3 (agencies are 1..2)");
        }
        assertStillServing();
    }

    @Test
    void batchesAreStoredExactlyOnceInStreamOrder() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.session(1);
            assertEquals(new BatchAck(1, 1), peer.request(new BetBatch(1, 0, List.of(GOOD)), BatchAck.class));
            // A resend of a stored batch (its ack was lost) is acknowledged again and not stored twice.
            assertEquals(new BatchAck(1, 1), peer.request(new BetBatch(1, 0, List.of(GOOD)), BatchAck.class));
            // A batch overlapping what is stored adds only its new bets.
            assertEquals(new BatchAck(1, 2), peer.request(new BetBatch(1, 0, List.of(GOOD, WINNER)), BatchAck.class));
            // A gap is refused.
            BatchRejected gap = peer.request(new BetBatch(1, 5, List.of(GOOD)), BatchRejected.class);
            assertEquals(ErrorCode.BATCH_GAP, gap.code());
            assertEquals("the batch starts at bet 5 but agency 1 has 2 bets stored; send from bet 2", gap.reason());
        }
        assertEquals(2, stored().size());
        assertEquals(1, logs.matching("action: lote_repetido | result: success | agency: 1 | first_bet: 0").size());
        assertEquals(List.of("action: apuesta_recibida | result: success | cantidad: 1",
                "action: apuesta_recibida | result: success | cantidad: 1"), logs.matching("action: apuesta_recibida | result: success"));
        try (RawPeer peer = new RawPeer(server.port())) {
            assertEquals(new SessionStarted(1, 2, 0, List.of(WINNER)), peer.session(1),
                    "a new session learns what is stored, and its last bet");
        }
    }

    @Test
    void framesWrittenAheadOfTheirRepliesAreAnsweredInOrder() throws Exception {
        // The agency sends a few batches before reading their acknowledgements; here the session
        // start, four batches and "finished" arrive in one write.
        Bet[] bets = new Bet[12];
        for (int i = 0; i < bets.length; i++) {
            bets[i] = new Bet("Nombre " + i, "Apellido", String.valueOf(30000000 + i), "1990-01-01", i);
        }
        ByteArrayOutputStream ahead = new ByteArrayOutputStream();
        ahead.writeBytes(RawPeer.CODEC.encode(new SessionStart(LoteriaProtocol.INSTANCE.fingerprint(), 1)));
        for (int first = 0; first < 12; first += 3) {
            ahead.writeBytes(RawPeer.CODEC.encode(new BetBatch(1, first, List.of(bets).subList(first, first + 3))));
        }
        ahead.writeBytes(RawPeer.CODEC.encode(new Finished(1)));
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.sendBytes(ahead.toByteArray());
            assertEquals(new SessionStarted(1, 0, 0, List.of()), peer.read());
            for (int stored = 3; stored <= 12; stored += 3) {
                assertEquals(new BatchAck(1, stored), peer.read());
            }
            assertEquals(new FinishedAck(1), peer.read());
        }
        List<List<String>> rows = stored();
        assertEquals(12, rows.size());
        for (int i = 0; i < 12; i++) {
            assertEquals(bets[i].document(), rows.get(i).get(3), "row " + i);
        }
    }

    @Test
    void aSecondFinishedIsCountedOnceAndNoBetFollowsIt() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.session(1);
            assertEquals(new FinishedAck(1), peer.request(new Finished(1), FinishedAck.class));
            peer.send(new Finished(1));
            refusedAndClosed(peer, ErrorCode.AGENCY_ALREADY_FINISHED, "agency 1 already sent finished; it was counted once");
        }
        try (RawPeer peer = new RawPeer(server.port())) {
            assertEquals(new SessionStarted(1, 0, 1, List.of()), peer.session(1));
            BatchRejected late = peer.request(new BetBatch(1, 0, List.of(GOOD)), BatchRejected.class);
            assertEquals(ErrorCode.AGENCY_ALREADY_FINISHED, late.code());
        }
        assertEquals(0, logs.matching("action: sorteo").size(), "a duplicate does not stand in for agency 2");
        assertEquals(List.of(), stored());
    }

    @Test
    void winnersBeforeOwnFinishedIsAnError() throws Exception {
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.session(1);
            peer.send(new WinnersRequest(1));
            refusedAndClosed(peer, ErrorCode.AGENCY_NOT_FINISHED, "agency 1 asked for winners before sending finished");
        }
        assertStillServing();
    }

    @Test
    void aWinnersRequestBeforeTheDrawIsAnsweredWhenTheDrawIsDone() throws Exception {
        try (RawPeer agency1 = new RawPeer(server.port()); RawPeer agency2 = new RawPeer(server.port())) {
            agency1.session(1);
            assertEquals(new BatchAck(1, 1), agency1.request(new BetBatch(1, 0, List.of(WINNER)), BatchAck.class));
            assertEquals(new FinishedAck(1), agency1.request(new Finished(1), FinishedAck.class));
            agency1.send(new WinnersRequest(1));
            logs.await(line -> line.startsWith("action: consulta_ganadores | result: in_progress | agency: 1"), 1,
                    Duration.ofSeconds(20));
            assertEquals(0, agency1.available(), "no answer before the draw");

            agency2.session(2);
            assertEquals(new BatchAck(2, 1), agency2.request(new BetBatch(2, 0, List.of(GOOD)), BatchAck.class));
            assertEquals(new FinishedAck(2), agency2.request(new Finished(2), FinishedAck.class));
            assertEquals(new Winners(1, List.of("00000000")), agency1.read());
            assertEquals(new Winners(2, List.of()), agency2.request(new WinnersRequest(2), Winners.class));
        }
        logs.await(line -> line.startsWith("action: ganadores_enviados"), 2, Duration.ofSeconds(10));
        List<String> lines = logs.messages();
        int draw = lines.indexOf(logs.matching("action: sorteo").get(0));
        int sent = lines.indexOf(logs.matching("action: ganadores_enviados | result: success | agency: 1").get(0));
        assertTrue(draw < sent, "the draw is logged before any winners are sent");
        assertEquals(List.of(), logs.matching("result: fail"));
        logs.parsed();
    }

    @Test
    void aPeerThatDoesNotReadItsRepliesIsClosedAtTheIdleTimeout() throws Exception {
        try (ServerHarness strict = ServerHarness.start(dir.resolve("strict"), 2, java.util.Map.of("IDLE_TIMEOUT_MS", "500"));
             java.net.Socket socket = new java.net.Socket()) {
            socket.setReceiveBufferSize(4096);
            socket.connect(new java.net.InetSocketAddress("127.0.0.1", strict.port()));
            byte[] echo = RawPeer.CODEC.encode(new Echo("x".repeat(8000)));
            java.util.concurrent.CompletableFuture<Void> flooding = java.util.concurrent.CompletableFuture.runAsync(() -> {
                try {
                    while (true) { // until the central's replies, unread, fill every buffer and it closes
                        socket.getOutputStream().write(echo);
                    }
                } catch (java.io.IOException e) {
                    // closed by the central
                }
            });
            logs.await(line -> line.contains("reason: idle_timeout"), 1, Duration.ofSeconds(30));
            socket.close();
            flooding.join();
        }
        assertStillServing();
    }

    @Test
    void aBatchWhoseBodyDoesNotDecodeIsARejectedBatch() throws Exception {
        byte[] frame = RawPeer.CODEC.encode(new BetBatch(1, 0, List.of(GOOD)));
        ByteBuffer.wrap(frame).putInt(5 + 4 + 4 + 4, 1_000_000); // the first name's length: past the end
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.session(1);
            peer.sendBytes(frame);
            ProtocolError error = assertInstanceOf(ProtocolError.class, peer.read());
            assertEquals(ErrorCode.MALFORMED_FIELD, error.code(), error.reason());
            assertTrue(peer.closedByServer());
        }
        List<String> rejected = logs.matching("action: apuesta_recibida | result: fail");
        assertEquals(1, rejected.size(), rejected::toString);
        assertTrue(rejected.get(0).startsWith("action: apuesta_recibida | result: fail | ip: 127.0.0.1 | error: BetBatch"),
                rejected.get(0));
        assertEquals(List.of(), stored());
    }

    @Test
    void aFrameCutShortByThePeerStoresNothing() throws Exception {
        byte[] frame = RawPeer.CODEC.encode(new BetBatch(1, 0, List.of(GOOD, WINNER)));
        try (RawPeer peer = new RawPeer(server.port())) {
            peer.session(1);
            peer.sendBytes(Arrays.copyOf(frame, frame.length - 3));
            peer.shutdownOutput();
            assertTrue(peer.closedByServer());
        }
        logs.await(line -> line.contains("reason: truncated_frame"), 1, Duration.ofSeconds(10));
        assertEquals(List.of("action: conexion_cerrada | result: success | ip: 127.0.0.1 | reason: truncated_frame"
                + " | detail: the peer closed the connection " + (frame.length - 3) + " byte(s) into a frame"),
                logs.matching("reason: truncated_frame"));
        assertEquals(List.of(), stored());
        assertStillServing();
    }
}
