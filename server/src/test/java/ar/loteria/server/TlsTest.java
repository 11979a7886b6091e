package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.client.AgencyClient;
import ar.loteria.client.BatchCutter;
import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.source.CsvBetSource;
import ar.loteria.common.ConfigException;
import ar.loteria.common.tls.TlsMaterial;
import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Busy;
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
import ar.loteria.server.support.Agencies;
import ar.loteria.server.support.LogCapture;
import ar.loteria.server.support.RawPeer;
import ar.loteria.server.support.ServerHarness;
import ar.loteria.server.support.StoredBets;
import ar.loteria.server.support.TestPki;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.event.Level;

/**
 * Only agencies get in (real sockets, keys made by the product's MakeKeys): an agency with its own
 * certificate completes a round; a peer with no certificate, one of another CA, an expired one, and
 * agency 3's certificate claiming agency 2 are refused, with nothing stored and no agency counted
 * as finished; a plain connection may Echo and nothing else.
 */
@Timeout(120)
class TlsTest {
    private static final Bet ANA = new Bet("Ana", "Li", "00007574", "2000-01-01", 7574);
    private static final String FINGERPRINT = LoteriaProtocol.INSTANCE.fingerprint();

    @TempDir
    Path dir;

    private ServerHarness central(int agencies) throws Exception {
        return ServerHarness.start(dir.resolve("storage"), agencies, Map.of("TLS", "on",
                "TLS_DIR", TestPki.get().central().toString()));
    }

    private static RawPeer tlsPeer(int port, SSLContext context) throws IOException {
        SSLSocket socket = (SSLSocket) context.getSocketFactory().createSocket("localhost", port);
        socket.setEnabledProtocols(new String[] {TlsMaterial.PROTOCOL});
        return new RawPeer(socket);
    }

    @Test
    void anAgencyWithItsOwnCertificateCompletesARound() throws Exception {
        Path file = Files.writeString(dir.resolve("agency-1.csv"), "Ana,Li,00007574,2000-01-01,7574\nBeto,Paz,0042,1999-12-31,1\n");
        try (ServerHarness central = central(1)) {
            ClientConfig config = Agencies.config(dir, 1, central.port(), Map.of("CLI_TLS", "on",
                    "CLI_TLS_DIR", TestPki.get().agency(1).toString(), "CLI_SERVER_ADDRESS", "localhost:" + central.port()));
            AgencyClient agency = new AgencyClient(config, CsvBetSource.opener(file, BatchCutter.MAX_BETS_BYTES),
                    Level.DEBUG, TlsMaterial.load(config.tlsDir(), "test").context());
            assertEquals(List.of("00007574"), ((AgencyClient.Outcome.Done) agency.run()).winners());
            assertEquals(2, StoredBets.rows(central.storageDir()).size());
        }
    }

    @Test
    void peersWithoutTheAgencysCertificateGetNothingButAFailedHandshake() throws Exception {
        TestPki pki = TestPki.get();
        Map<String, SSLContext> outsiders = Map.of(
                "no certificate", TestPki.clientContext(pki.agency(1), false),
                "another CA's", TestPki.clientContext(pki.foreignAgency1(), true),
                "an expired one", TestPki.clientContext(pki.expiredAgency1(), true));
        try (ServerHarness central = central(2); LogCapture logs = LogCapture.begin()) {
            for (Map.Entry<String, SSLContext> outsider : outsiders.entrySet()) {
                // TLS 1.3: the client may finish its side before the central's refusal arrives.
                assertThrows(IOException.class, () -> {
                    try (RawPeer peer = tlsPeer(central.port(), outsider.getValue())) {
                        peer.send(new SessionStart(FINGERPRINT, 1));
                        peer.send(new Finished(1));
                        Message reply = peer.read();
                        throw new IOException("no reply expected, got " + reply);
                    }
                }, outsider.getKey());
            }
            logs.await(line -> line.startsWith("action: tls | result: fail"), outsiders.size(), Duration.ofSeconds(10));
            assertEquals(List.of(), logs.matching("action: sesion"), "no session started");
            assertEquals(0, StoredBets.rows(central.storageDir()).size());
        }
        assertFalse(Files.readString(dir.resolve("storage").resolve("round.csv")).contains("finished"), "nobody finished");
    }

    @Test
    void tlsOlderThan13IsRefusedEvenWithAnAgencysCertificate() throws Exception {
        try (ServerHarness central = central(1)) {
            SSLSocket socket = (SSLSocket) TestPki.clientContext(TestPki.get().agency(1), true).getSocketFactory()
                    .createSocket("localhost", central.port());
            try (socket) {
                socket.setEnabledProtocols(new String[] {"TLSv1.2"});
                assertThrows(SSLHandshakeException.class, socket::startHandshake);
            }
        }
    }

    @Test
    void agencyThreesCertificateCannotSpeakForAgencyTwo() throws Exception {
        try (ServerHarness central = central(3)) {
            try (RawPeer peer = tlsPeer(central.port(), TestPki.clientContext(TestPki.get().agency(3), true))) {
                ProtocolError refused = peer.request(new SessionStart(FINGERPRINT, 2), ProtocolError.class);
                assertEquals(ErrorCode.WRONG_AGENCY, refused.code());
                assertEquals("the certificate of this connection is agency 3's; it may not start the session of agency 2",
                        refused.reason());
                assertTrue(peer.closedByServer());
            }
            try (RawPeer peer = tlsPeer(central.port(), TestPki.clientContext(TestPki.get().agency(3), true))) {
                assertEquals(new SessionStarted(3, 0, 0, List.of()), peer.session(3), "its own session, yes");
                ProtocolError refused = peer.request(new WinnersRequest(2), ProtocolError.class);
                assertEquals(ErrorCode.WRONG_AGENCY, refused.code(), "never another agency's winners");
            }
            assertEquals(0, StoredBets.rows(central.storageDir()).size());
        }
    }

    /** Every message of the protocol in plain TCP, one connection each: only Echo is answered. */
    @Test
    void aPlainConnectionMayEchoAndNothingElse() throws Exception {
        List<Message> every = List.of(new BetBatch(1, 0, List.of(ANA)), new BatchAck(1, 1),
                new BatchRejected(ErrorCode.INVALID_BET, "x"), new Finished(1), new FinishedAck(1), new WinnersRequest(1),
                new Winners(1, List.of()), new ProtocolError(ErrorCode.BATCH_GAP, "x"), new SessionStart(FINGERPRINT, 1),
                new SessionStarted(1, 0, 0, List.of()), new Busy("x"));
        long messages = IntStream.rangeClosed(0, 255).filter(opcode -> LoteriaProtocol.INSTANCE.nameOf(opcode) != null)
                .count();
        assertEquals(messages - 1, every.size(), "every message but Echo");
        try (ServerHarness central = central(1)) {
            for (Message message : every) {
                try (RawPeer peer = new RawPeer(central.port())) {
                    ProtocolError refused = peer.request(message, ProtocolError.class);
                    assertEquals(ErrorCode.AUTHENTICATION_REQUIRED, refused.code(), message.messageName());
                    assertTrue(peer.closedByServer(), message.messageName());
                }
            }
            try (RawPeer peer = new RawPeer(central.port())) {
                assertEquals(new Echo("hola"), peer.request(new Echo("hola"), Echo.class));
                // One Echo, then closed: echoing on would keep a slot for ever without a certificate.
                assertTrue(peer.closedByServer(), "a plain connection lives for one Echo");
            }
            assertEquals(0, StoredBets.rows(central.storageDir()).size());
        }
    }

    /** Its first bytes are held by the TLS detector, out of the frame deadline's sight: without this, only the idle timeout cut it. */
    @Test
    void aConnectionThatDoesNotTellTlsFromPlainWithinTheFrameTimeoutIsClosed() throws Exception {
        try (ServerHarness central = ServerHarness.start(dir.resolve("storage"), 1, Map.of("TLS", "on",
                "TLS_DIR", TestPki.get().central().toString(), "FRAME_TIMEOUT_MS", "300", "IDLE_TIMEOUT_MS", "0"));
             LogCapture logs = LogCapture.begin();
             RawPeer silent = new RawPeer(central.port());
             RawPeer fewBytes = new RawPeer(central.port())) {
            fewBytes.sendBytes(new byte[] {1, 0, 0});
            // No idle timeout at all: only the new deadline can close them.
            assertTrue(silent.closedByServer(), "a silent connection");
            assertTrue(fewBytes.closedByServer(), "three bytes, neither TLS nor a frame");
            logs.await(line -> line.contains("reason: frame_timeout"), 2, java.time.Duration.ofSeconds(10));
            try (RawPeer peer = new RawPeer(central.port())) {
                assertEquals(new Echo("hola"), peer.request(new Echo("hola"), Echo.class), "a peer that speaks is served");
            }
        }
    }

    @Test
    void keysThatCannotServeStopAProgramWithOneLine() throws Exception {
        TestPki pki = TestPki.get();
        Path mixed = Files.createDirectories(dir.resolve("mixed"));
        Files.copy(pki.agency(1).resolve(TlsMaterial.CA), mixed.resolve(TlsMaterial.CA));
        Files.copy(pki.foreignAgency1().resolve(TlsMaterial.CERTIFICATE), mixed.resolve(TlsMaterial.CERTIFICATE));
        Files.copy(pki.foreignAgency1().resolve(TlsMaterial.KEY), mixed.resolve(TlsMaterial.KEY),
                StandardCopyOption.COPY_ATTRIBUTES);
        assertTrue(message(mixed).contains("tls.crt is not signed by the CA of"), message(mixed));
        assertTrue(message(pki.expiredAgency1()).contains("is not valid now"), message(pki.expiredAgency1()));
        Path missing = Files.createDirectories(dir.resolve("missing"));
        Files.copy(pki.agency(1).resolve(TlsMaterial.CA), missing.resolve(TlsMaterial.CA));
        assertEquals("TLS: " + missing.resolve(TlsMaterial.CERTIFICATE) + " does not exist (dir; make the keys: see README)",
                message(missing));
    }

    @Test
    void programsGivenKeysThatCannotServeExitOneWithOneLine() throws Exception {
        Path ini = Files.writeString(dir.resolve("config.ini"), "[DEFAULT]\nSERVER_PORT = 0\nSERVER_IP = x\n"
                + "SERVER_LISTEN_BACKLOG = 5\nLOGGING_LEVEL = INFO\n");
        Path nowhere = dir.resolve("no-keys");
        try (LogCapture logs = LogCapture.begin()) {
            assertEquals(1, ServerMain.run(Map.of("CONFIG_FILE", ini.toString(), "TLS", "on", "TLS_DIR", nowhere.toString(),
                    "STORAGE_DIR", dir.resolve("storage").toString())));
            assertEquals(List.of("action: tls | result: fail | error: TLS: " + nowhere.resolve(TlsMaterial.CA)
                    + " does not exist (TLS_DIR=" + nowhere + "; make the keys: see README)"), logs.matching("result: fail"));
        }
        Path data = Files.writeString(dir.resolve("agency-1.csv"), "Ana,Li,1,2000-01-01,1\n");
        try (var agency = Processes.agency(dir, 1, 1, data, Map.of("CLI_TLS", "on",
                "CLI_TLS_DIR", TestPki.get().expiredAgency1().toString()))) {
            assertEquals(1, agency.waitForExit(Duration.ofSeconds(30)));
            List<String> fails = agency.lines().stream().filter(line -> line.contains("result: fail")).toList();
            assertEquals(1, fails.size(), String.join("\n", agency.lines()));
            assertTrue(fails.get(0).contains("action: tls | result: fail | client_id: 1 | error: TLS: ")
                    && fails.get(0).contains("is not valid now"), fails.get(0));
        }
    }

    private static String message(Path tlsDir) {
        return assertThrows(ConfigException.class, () -> TlsMaterial.load(tlsDir, "dir")).getMessage();
    }
}
