package ar.loteria.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.config.GoDuration;
import ar.loteria.client.source.CsvBetSource;
import ar.loteria.client.source.SingleBetSource;
import ar.loteria.client.support.Bets;
import ar.loteria.client.support.FakeCentral;
import ar.loteria.client.support.FakeCentral.Action;
import ar.loteria.client.support.LogCapture;
import ar.loteria.client.transport.RefusedException;
import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Busy;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.SessionStart;
import ar.loteria.protocol.SessionStarted;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.ErrorCode;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.FrameReader;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.UnknownOpcodeException;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** One agency's run against a fake central on a loopback port: what goes on the wire, resumes, retries, failures. */
@Timeout(30)
class AgencyClientTest {
    private static final int LIMIT = 8 * 1024;
    private static final FrameCodec CODEC = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 20);
    private static final List<String> WINNERS = List.of("30904465", "00000000", "0042");
    private static final Logger CLIENT_LOGGER = (Logger) LoggerFactory.getLogger("ar.loteria.client");

    @TempDir
    Path dir;
    private LogCapture logs;
    private final ExecutorService runner = Executors.newSingleThreadExecutor();

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
        CLIENT_LOGGER.setLevel(Level.DEBUG); // apuesta_enviada is a DEBUG line in file mode
    }

    @AfterEach
    void releaseLogs() {
        runner.shutdownNow();
        CLIENT_LOGGER.setLevel(null);
        logs.assertGrammar();
        logs.close();
    }

    static ClientConfig config(int port, int loopAmount, String period, int maxAmount, Path dataFile) {
        return config(port, loopAmount, period, maxAmount, dataFile, Duration.ofSeconds(10));
    }

    static ClientConfig config(int port, int loopAmount, String period, int maxAmount, Path dataFile,
                               Duration replyTimeout) {
        return config(port, loopAmount, period, maxAmount, dataFile, replyTimeout, Duration.ZERO);
    }

    private static Path dir(Path dataFile) {
        return dataFile.toAbsolutePath().getParent();
    }

    /** {@code startupWait}: ZERO (no waiting for a central still starting) unless a test is about it. */
    static ClientConfig config(int port, int loopAmount, String period, int maxAmount, Path dataFile,
                               Duration replyTimeout, Duration startupWait) {
        return new ClientConfig(1, "127.0.0.1:" + port, List.of(new ClientConfig.CentralAddress("127.0.0.1", port)),
                loopAmount, period, GoDuration.parse(period),
                "DEBUG", maxAmount, dataFile, replyTimeout, startupWait, ClientConfig.TlsMode.OFF, dir(dataFile));
    }

    private static AgencyClient client(int port, int loopAmount, String period, int maxAmount, Path csv) {
        return client(config(port, loopAmount, period, maxAmount, csv));
    }

    private static AgencyClient client(ClientConfig config) {
        return new AgencyClient(config, CsvBetSource.opener(config.dataFile(), BatchCutter.MAX_BETS_BYTES),
                org.slf4j.event.Level.DEBUG);
    }

    private static AgencyClient client(FakeCentral central, int loopAmount, int maxAmount, Path csv) {
        return client(central.port(), loopAmount, "20ms", maxAmount, csv);
    }

    private static List<String> winners(AgencyClient.Outcome outcome) {
        return assertInstanceOf(AgencyClient.Outcome.Done.class, outcome).winners();
    }

    private Path file(List<Bet> bets) throws IOException {
        return Bets.write(dir.resolve("agency-1.csv"), bets);
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    /** The retry lines (action conectar), in order. */
    private List<String> retryLines() {
        return logs.linesContaining("action: conectar |");
    }

    private void assertNoFailLine() {
        List<String> fails = logs.linesContaining("result: fail");
        assertEquals(List.of(), fails, "a healthy run prints no failure");
    }

    /** Every bet stored once, in order, none received twice; the fake saw nothing against the protocol. */
    private static void assertStoredExactlyOnce(FakeCentral central, List<Bet> bets) {
        assertEquals(List.of(), central.failures());
        assertEquals(bets, central.stored(1));
        assertEquals(0, central.resentBets(), "no batch that was stored came again");
    }

    private static FakeCentral.Script onBatchAt(int connection, int firstBet, Action action) {
        return (c, index, message) -> c == connection && message instanceof BetBatch batch && batch.firstBet() == firstBet
                ? action : null;
    }

    @Test
    void aWholeRunOnTheWire() throws Exception {
        List<Bet> bets = new ArrayList<>(Bets.list(95, Bets::ordinary));
        bets.set(7, new Bet("Cero", "Ceros", "00000000", "2000-02-29", 7574));
        Path csv = file(bets);
        try (FakeCentral central = FakeCentral.start(WINNERS)) {
            List<String> winners = winners(client(central, 3, 40, csv).run());

            assertEquals(WINNERS, winners, "documents exactly as the central sent them");
            assertEquals(List.of(new SessionStart(LoteriaProtocol.FINGERPRINT, 1),
                    new BetBatch(1, 0, bets.subList(0, 40)),
                    new BetBatch(1, 40, bets.subList(40, 80)),
                    new BetBatch(1, 80, bets.subList(80, 95)),
                    new Finished(1),
                    new WinnersRequest(1)), central.messagesOn(1));
            assertEquals(1, central.connections());
            assertStoredExactlyOnce(central, bets);
            List<BetBatch> batches = central.batches();
            for (int i = 0; i < batches.size(); i++) {
                assertEquals(CODEC.frameSize(batches.get(i)), central.batchFrameBytes().get(i));
                assertTrue(central.batchFrameBytes().get(i) <= LIMIT);
            }
        }
        assertEquals("action: sesion | result: success | client_id: 1 | stored_bets: 0 | finished: false",
                logs.single("action: sesion").getFormattedMessage());
        List<ILoggingEvent> sent = logs.events().stream()
                .filter(e -> e.getFormattedMessage().startsWith("action: apuesta_enviada")).toList();
        assertEquals(95, sent.size());
        assertTrue(sent.stream().allMatch(e -> e.getLevel() == Level.DEBUG));
        assertEquals("action: apuesta_enviada | result: success | dni: 00000000 | numero: 7574",
                sent.get(7).getFormattedMessage());
        assertNoFailLine();
    }

    @Test
    void batchesGoOutAheadOfTheirAcknowledgements() throws Exception {
        List<Bet> bets = Bets.list(100, Bets::ordinary);
        Path csv = file(bets);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<AgencyClient.Outcome> run = runner.submit(() -> client(server.getLocalPort(), 1, "20ms", 10, csv).run());
            try (Socket socket = server.accept()) {
                socket.setSoTimeout(10_000); // a client that waited for each acknowledgement fails here, not hangs
                FrameReader in = new FrameReader(socket.getInputStream(), CODEC);
                OutputStream out = socket.getOutputStream();
                assertInstanceOf(SessionStart.class, in.read());
                out.write(CODEC.encode(new SessionStarted(1, 0, 0, List.of())));
                List<Integer> ahead = new ArrayList<>();
                for (int i = 0; i < AgencySession.BATCHES_IN_FLIGHT; i++) {
                    ahead.add(assertInstanceOf(BetBatch.class, in.read()).firstBet());
                }
                assertEquals(List.of(0, 10, 20, 30), ahead, "sent before any acknowledgement");
                // From here on, one acknowledgement lets one more batch out, to the end.
                List<Bet> received = new ArrayList<>();
                for (int firstBet = 0; firstBet < 100; firstBet += 10) {
                    out.write(CODEC.encode(new BatchAck(1, firstBet + 10)));
                    if (firstBet + 40 < 100) {
                        assertEquals(firstBet + 40, assertInstanceOf(BetBatch.class, in.read()).firstBet());
                    }
                }
                assertInstanceOf(Finished.class, in.read());
                out.write(CODEC.encode(new FinishedAck(1)));
                assertInstanceOf(WinnersRequest.class, in.read());
                out.write(CODEC.encode(new Winners(1, WINNERS)));
            }
            assertEquals(WINNERS, winners(run.get(10, TimeUnit.SECONDS)));
        }
        assertEquals(100, logs.linesContaining("action: apuesta_enviada").size());
        assertNoFailLine();
    }

    @Test
    void aRefusalWhileBatchesAreInFlightIsFatalWithTheCentralsReason() throws Exception {
        // The central refuses the first batch and closes with the batches after it unread. The
        // client meets either its next write failing or the refusal itself; either way the
        // refusal is what it reports, and it does not try again.
        Path csv = file(Bets.list(2000, Bets::ordinary));
        String reason = "bets[0].birthdate \"2001-02-30\" is not a date";
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Future<AgencyClient.Outcome> run = runner.submit(() -> client(server.getLocalPort(), 5, "20ms", 140, csv).run());
            try (Socket socket = server.accept()) {
                FrameReader in = new FrameReader(socket.getInputStream(), CODEC);
                assertInstanceOf(SessionStart.class, in.read());
                socket.getOutputStream().write(CODEC.encode(new SessionStarted(1, 0, 0, List.of())));
                assertEquals(0, assertInstanceOf(BetBatch.class, in.read()).firstBet());
                socket.getOutputStream().write(CODEC.encode(new BatchRejected(ErrorCode.INVALID_BET, reason)));
            }
            ExecutionException e = assertThrows(ExecutionException.class, () -> run.get(10, TimeUnit.SECONDS));
            AgencyClient.FailedException failed = assertInstanceOf(AgencyClient.FailedException.class, e.getCause());
            assertEquals("INVALID_BET: " + reason, failed.getMessage());
        }
        assertEquals(List.of(), logs.linesContaining("action: apuesta_enviada"));
    }

    @Test
    void anEmptyFileStillSaysFinishedAndAsksForTheWinners() throws Exception {
        Path csv = Files.writeString(dir.resolve("agency-1.csv"), "");
        try (FakeCentral central = FakeCentral.start(List.of("1"))) {
            assertEquals(List.of("1"), winners(client(central, 1, 40, csv).run()));
            assertEquals(List.of(new SessionStart(LoteriaProtocol.FINGERPRINT, 1), new Finished(1), new WinnersRequest(1)),
                    central.messages());
        }
    }

    @Test
    void resumesAfterTheValidBetsTheCentralHolds() throws Exception {
        List<Bet> bets = Bets.list(30, Bets::ordinary);
        List<String> rows = new ArrayList<>(bets.stream().map(Bets::row).toList());
        rows.add(2, "Mala,Fila,12a,1999-01-01,1");        // line 3: before the resume point, skipped, not counted
        rows.add(8, "Otra,Mala,30111222,2001-02-29,1");   // line 9
        Path csv = Bets.writeRows(dir.resolve("agency-1.csv"), rows);
        try (FakeCentral central = FakeCentral.start(WINNERS).holding(1, bets.subList(0, 12))) {
            assertEquals(WINNERS, winners(client(central, 1, 10, csv).run()));

            List<BetBatch> batches = central.batches();
            assertEquals(12, batches.get(0).firstBet());
            assertEquals(bets.get(12), batches.get(0).bets().get(0), "the 13th valid bet of the file comes first");
            assertEquals(List.of(12, 22), batches.stream().map(BetBatch::firstBet).toList());
            assertEquals(bets.subList(12, 30), central.betsReceived(), "nothing the central holds is sent");
            assertStoredExactlyOnce(central, bets);
        }
        assertEquals("action: sesion | result: success | client_id: 1 | stored_bets: 12 | finished: false",
                logs.single("action: sesion").getFormattedMessage());
        assertEquals(18, logs.linesContaining("action: apuesta_enviada").size(), "only the bets sent in this run");
        assertEquals(List.of(
                "action: leer_apuesta | result: fail | file: " + csv + " | line: 3 | error: documento \"12a\" is not a"
                        + " number (one or more ASCII digits)",
                "action: leer_apuesta | result: fail | file: " + csv + " | line: 9 | error: nacimiento \"2001-02-29\" is"
                        + " not a real date"), logs.lines(Level.WARN));
    }

    @Test
    void anAgencyThatHasFinishedChecksItsFileThenGoesStraightToTheWinners() throws Exception {
        List<Bet> bets = Bets.list(5, Bets::ordinary);
        Path csv = file(bets);
        try (FakeCentral central = FakeCentral.start(WINNERS).holding(1, bets).finished(1)) {
            assertEquals(WINNERS, winners(client(central, 1, 10, csv).run()));

            assertEquals(List.of(new SessionStart(LoteriaProtocol.FINGERPRINT, 1), new WinnersRequest(1)), central.messages());
            assertEquals(List.of(), central.failures());
        }
        assertEquals("action: sesion | result: success | client_id: 1 | stored_bets: 5 | finished: true",
                logs.single("action: sesion").getFormattedMessage());
        assertNoFailLine();
    }

    /**
     * A central that holds another round for this agency (the storage of an earlier round, the
     * agency given a new file): the agency never takes that round's winners, finished or not.
     */
    @Test
    void aFinishedRoundOfMoreBetsThanTheFileHasIsAnotherRoundAndNeverAnswered() throws Exception {
        Path csv = file(Bets.list(64, Bets::ordinary));
        try (FakeCentral central = FakeCentral.start(WINNERS).holding(1, Bets.list(100, Bets::ordinary)).finished(1)) {
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                    () -> client(central, 5, 10, csv).run());

            assertEquals("the central holds 100 bets of agency 1 and says it has finished, but this agency has 64 valid"
                    + " bet(s): " + AgencySession.NEW_ROUND, e.getMessage());
            assertEquals(List.of(new SessionStart(LoteriaProtocol.FINGERPRINT, 1)), central.messages(), "nothing sent");
            assertEquals(1, central.connections(), "not retried");
        }
    }

    @Test
    void aFinishedRoundOfFewerBetsThanTheFileHasIsAnotherRoundAndNeverAnswered() throws Exception {
        // The course's generated files: a 64-bet round, then a 99-bet one whose first 64 rows are the same.
        List<Bet> bets = Bets.list(99, Bets::ordinary);
        Path csv = file(bets);
        try (FakeCentral central = FakeCentral.start(WINNERS).holding(1, bets.subList(0, 64)).finished(1)) {
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                    () -> client(central, 5, 10, csv).run());

            assertEquals("the central holds 64 bets of agency 1 and says it has finished, but this agency has 99 valid"
                    + " bet(s): " + AgencySession.NEW_ROUND, e.getMessage());
            assertEquals(List.of(new SessionStart(LoteriaProtocol.FINGERPRINT, 1)), central.messages(), "nothing sent");
        }
    }

    @Test
    void aFinishedRoundWhoseLastBetIsNotTheFilesIsAnotherRoundAndNeverAnswered() throws Exception {
        List<Bet> mine = Bets.list(5, Bets::ordinary);
        List<Bet> theirs = new ArrayList<>(mine);
        theirs.set(4, Bets.ordinary(999));
        Path csv = file(mine);
        try (FakeCentral central = FakeCentral.start(WINNERS).holding(1, theirs).finished(1)) {
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                    () -> client(central, 5, 10, csv).run());

            assertTrue(e.getMessage().startsWith("bet 5 of agency 1 is (\"Nombre4\", "), e.getMessage());
            assertTrue(e.getMessage().endsWith(" in the central: its bets changed since they were sent (resuming would"
                    + " store some twice and lose others), or " + AgencySession.NEW_ROUND), e.getMessage());
            assertEquals(List.of(new SessionStart(LoteriaProtocol.FINGERPRINT, 1)), central.messages(), "nothing sent");
        }
    }

    @Test
    void aSingleBetOfAnotherRoundIsNeverAnswered() throws Exception {
        Bet mine = Bets.ordinary(1);
        try (FakeCentral central = FakeCentral.start(WINNERS).holding(1, List.of(Bets.ordinary(2))).finished(1)) {
            AgencyClient client = new AgencyClient(config(central.port(), 5, "20ms", 10, dir.resolve("unused.csv")),
                    SingleBetSource.opener(mine), org.slf4j.event.Level.INFO);
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class, client::run);

            assertTrue(e.getMessage().endsWith(AgencySession.NEW_ROUND), e.getMessage());
            assertEquals(List.of(new SessionStart(LoteriaProtocol.FINGERPRINT, 1)), central.messages(), "nothing sent");
        }
        try (FakeCentral central = FakeCentral.start(WINNERS).holding(1, List.of(Bets.ordinary(2), mine))) {
            AgencyClient client = new AgencyClient(config(central.port(), 5, "20ms", 10, dir.resolve("unused.csv")),
                    SingleBetSource.opener(mine), org.slf4j.event.Level.INFO);
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class, client::run);

            assertEquals("the central holds 2 bets of agency 1, but this agency has 1 valid bet(s): "
                    + AgencySession.NEW_ROUND, e.getMessage());
        }
    }

    @Test
    void aLostAcknowledgementMeansANewSessionThatResumesFromTheCentralsCount() throws Exception {
        List<Bet> bets = Bets.list(100, Bets::ordinary);
        Path csv = file(bets);
        // The batch at 30 is stored, then the connection drops before its acknowledgement.
        try (FakeCentral central = FakeCentral.start(WINNERS, onBatchAt(1, 30, new Action.ApplyThenDrop()))) {
            assertEquals(WINNERS, winners(client(central, 2, 10, csv).run()));

            assertEquals(2, central.connections());
            List<Message> second = central.messagesOn(2);
            assertEquals(new SessionStart(LoteriaProtocol.FINGERPRINT, 1), second.get(0));
            assertEquals(new BetBatch(1, 40, bets.subList(40, 50)), second.get(1));
            assertEquals(bets, central.betsReceived(), "no bet sent twice");
            assertStoredExactlyOnce(central, bets);
        }
        assertEquals(List.of("action: conectar | result: in_progress | attempt: 1 | error: the central closed the"
                + " connection while BatchAck was awaited"), retryLines());
        assertEquals(List.of("stored_bets: 0", "stored_bets: 40"), logs.linesContaining("action: sesion").stream()
                .map(line -> line.replaceAll(".*\\| (stored_bets: \\d+) \\|.*", "$1")).toList());
        assertNoFailLine();
    }

    @Test
    void aBatchDroppedBeforeItWasStoredIsSentAgainAndStoredOnce() throws Exception {
        List<Bet> bets = Bets.list(100, Bets::ordinary);
        Path csv = file(bets);
        try (FakeCentral central = FakeCentral.start(WINNERS, onBatchAt(1, 30, new Action.Drop()))) {
            assertEquals(WINNERS, winners(client(central, 2, 10, csv).run()));

            assertEquals(new BetBatch(1, 30, bets.subList(30, 40)), central.messagesOn(2).get(1));
            assertStoredExactlyOnce(central, bets);
            assertEquals(List.of(0, 10, 20, 30, 30, 40, 50, 60, 70, 80, 90),
                    central.batches().stream().map(BetBatch::firstBet).toList());
        }
    }

    @Test
    void aReplyCutShortIsADroppedConnectionAndRetried() throws Exception {
        List<Bet> bets = Bets.list(25, Bets::ordinary);
        Path csv = file(bets);
        byte[] halfAck = Arrays.copyOf(CODEC.encode(new BatchAck(1, 10)), 7);
        try (FakeCentral central = FakeCentral.start(WINNERS, onBatchAt(1, 0, new Action.RawAndClose(halfAck)))) {
            assertEquals(WINNERS, winners(client(central, 2, 10, csv).run()));

            assertEquals(2, central.connections());
            assertStoredExactlyOnce(central, bets);
        }
        assertEquals(List.of("action: conectar | result: in_progress | attempt: 1 | error: the central closed the"
                + " connection in the middle of BatchAck: BatchAck: stream ended after 7 of 13 frame bytes"), retryLines());
    }

    @Test
    void aBusyCentralIsTriedAgainWithinLoopAmount() throws Exception {
        List<Bet> bets = Bets.list(15, Bets::ordinary);
        Path csv = file(bets);
        FakeCentral.Script busyFirst = (connection, index, message) ->
                connection == 1 ? new Action.ReplyAndClose(new Busy("too many connections")) : null;
        try (FakeCentral central = FakeCentral.start(WINNERS, busyFirst)) {
            assertEquals(WINNERS, winners(client(central, 2, 10, csv).run()));

            assertEquals(2, central.connections());
            assertEquals(List.of(new SessionStart(LoteriaProtocol.FINGERPRINT, 1)), central.messagesOn(1));
            assertStoredExactlyOnce(central, bets);
        }
        assertEquals(List.of("action: conectar | result: in_progress | attempt: 1 | error: the central is busy: too many"
                + " connections"), retryLines());
        assertNoFailLine();
    }

    @Test
    void aCentralShuttingDownIsTriedAgainLikeABusyOne() throws Exception {
        List<Bet> bets = Bets.list(15, Bets::ordinary);
        Path csv = file(bets);
        FakeCentral.Script unavailable = (connection, index, message) -> connection == 1 ? new Action.ReplyAndClose(
                new ProtocolError(ErrorCode.SERVER_UNAVAILABLE, "the central is shutting down")) : null;
        try (FakeCentral central = FakeCentral.start(WINNERS, unavailable)) {
            assertEquals(WINNERS, winners(client(central, 2, 10, csv).run()));
            assertStoredExactlyOnce(central, bets);
        }
        assertEquals(List.of("action: conectar | result: in_progress | attempt: 1 | error: the central is busy: the"
                + " central is shutting down"), retryLines());
    }

    @Test
    void attemptsAreCountedAgainFromOneAfterASessionThatFoundProgress() throws Exception {
        // busy, a session that drops, busy, success: four connections with loop.amount 3, because
        // the first session (progress: nothing was known before) starts the count again.
        List<Bet> bets = Bets.list(30, Bets::ordinary);
        Path csv = file(bets);
        FakeCentral.Script script = (connection, index, message) -> switch (connection) {
            case 1, 3 -> new Action.ReplyAndClose(new Busy("too many connections"));
            case 2 -> message instanceof BetBatch b && b.firstBet() == 10 ? new Action.Drop() : null;
            default -> null;
        };
        try (FakeCentral central = FakeCentral.start(WINNERS, script)) {
            assertEquals(WINNERS, winners(client(central, 3, 10, csv).run()));

            assertEquals(4, central.connections());
            assertStoredExactlyOnce(central, bets);
        }
        assertEquals(List.of("attempt: 1", "attempt: 1", "attempt: 2"), retryLines().stream()
                .map(line -> line.replaceAll(".*\\| (attempt: \\d+) \\|.*", "$1")).toList());
    }

    @Test
    void aRefusedConnectionIsTriedExactlyLoopAmountTimesThenGivenUp() throws Exception {
        int port = freePort(); // nothing listens there
        Path csv = file(Bets.list(3, Bets::ordinary));
        long start = System.nanoTime();
        AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                () -> client(port, 3, "20ms", 10, csv).run());
        long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

        String prefix = "gave up after 3 attempt(s) 20ms apart to reach the central at 127.0.0.1:" + port + ": ";
        assertTrue(e.getMessage().startsWith(prefix) && e.getMessage().length() > prefix.length(), e.getMessage());
        assertInstanceOf(java.net.ConnectException.class, e.getCause().getCause());
        List<String> retries = retryLines();
        assertEquals(2, retries.size(), retries::toString);
        for (int i = 0; i < 2; i++) {
            assertTrue(retries.get(i).startsWith("action: conectar | result: in_progress | attempt: " + (i + 1) + " | error: "),
                    retries.get(i));
        }
        assertTrue(elapsedMillis >= 40, "two pauses of 20ms between three attempts, took " + elapsedMillis + " ms");
    }

    @Test
    void aCentralStillStartingIsWaitedForWithoutCountingAttempts() throws Exception {
        int port = freePort(); // nothing listens there yet
        List<Bet> bets = Bets.list(3, Bets::ordinary);
        Path csv = file(bets);
        AtomicReference<Thread> thread = new AtomicReference<>();
        // 2 attempts 20ms apart would be spent in 20ms: the start-up wait outlasts them.
        Future<AgencyClient.Outcome> run = start(client(config(port, 2, "20ms", 10, csv, Duration.ofSeconds(10),
                Duration.ofSeconds(20))), thread);
        logs.await(line -> line.contains("detail: waiting for the central to start"), Duration.ofSeconds(10));
        try (FakeCentral central = FakeCentral.startOn(port, WINNERS)) {
            assertEquals(WINNERS, winners(run.get(20, TimeUnit.SECONDS)));
            assertEquals(bets, central.stored(1));
        }
        List<String> waits = retryLines();
        assertEquals(1, waits.size(), "said once, counted never: " + waits);
        assertTrue(waits.get(0).startsWith("action: conectar | result: in_progress | attempt: 0 | error: "), waits.get(0));
        assertTrue(waits.get(0).endsWith(" | detail: waiting for the central to start"), waits.get(0));
        assertNoFailLine();
    }

    @Test
    void aCentralThatIsGoneIsLeftForTheNextOfTheAddresses() throws Exception {
        int gone = freePort(); // a central that died: nothing listens there
        List<Bet> bets = Bets.list(30, Bets::ordinary);
        Path csv = file(bets);
        try (FakeCentral standby = FakeCentral.start(WINNERS).holding(1, bets.subList(0, 10))) {
            ClientConfig one = config(gone, 2, "20ms", 10, csv);
            ClientConfig both = new ClientConfig(1, "127.0.0.1:" + gone + ",127.0.0.1:" + standby.port(),
                    List.of(new ClientConfig.CentralAddress("127.0.0.1", gone),
                            new ClientConfig.CentralAddress("127.0.0.1", standby.port())),
                    one.loopAmount(), one.loopPeriodText(), one.loopPeriod(), one.logLevel(), one.batchMaxAmount(),
                    one.dataFile(), one.replyTimeout(), Duration.ZERO, ClientConfig.TlsMode.OFF, dir);
            assertEquals(WINNERS, winners(client(both).run()));
            assertEquals(bets, standby.stored(1), "resumed on the standby where the ledger ends");
        }
        assertEquals(1, retryLines().size());
        assertTrue(retryLines().get(0).startsWith("action: conectar | result: in_progress | attempt: 1 | central: 127.0.0.1:"
                + gone + " | error: "), retryLines().get(0));
    }

    @Test
    void theStartUpWaitEndsAndThenTheAttemptsCount() throws Exception {
        int port = freePort(); // nothing ever listens there
        Path csv = file(Bets.list(3, Bets::ordinary));
        AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class, () -> client(config(port, 2,
                "20ms", 10, csv, Duration.ofSeconds(10), Duration.ofMillis(200))).run());

        assertTrue(e.getMessage().startsWith("gave up after 2 attempt(s) 20ms apart"), e.getMessage());
        assertEquals(2, retryLines().size(), "the wait's line, then attempt 1: " + retryLines());
        assertTrue(retryLines().get(1).startsWith("action: conectar | result: in_progress | attempt: 1 |"));
    }

    @Test
    void aConnectionDroppedEveryTimeIsTriedExactlyLoopAmountTimes() throws Exception {
        Path csv = file(Bets.list(3, Bets::ordinary));
        try (FakeCentral central = FakeCentral.start(WINNERS, (connection, index, message) -> new Action.Drop())) {
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                    () -> client(central, 4, 10, csv).run());

            assertEquals("gave up after 4 attempt(s) 20ms apart to reach the central at " + central.address()
                    + ": the central closed the connection while SessionStarted was awaited", e.getMessage());
            assertEquals(4, central.connections());
        }
    }

    @Test
    void aRejectedBatchIsFatalWithTheCentralsReason() throws Exception {
        Path csv = file(Bets.list(50, Bets::ordinary));
        String reason = "bets[3].document \"12a\" is not a number";
        Action reject = new Action.ReplyAndClose(new BatchRejected(ErrorCode.INVALID_BET, reason));
        try (FakeCentral central = FakeCentral.start(WINNERS, onBatchAt(1, 10, reject))) {
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                    () -> client(central, 5, 10, csv).run());

            assertEquals("INVALID_BET: " + reason, e.getMessage());
            assertEquals(ErrorCode.INVALID_BET, assertInstanceOf(RefusedException.class, e.getCause()).code());
            assertEquals(1, central.connections(), "no other attempt");
            assertEquals(List.of(0, 10), central.batches().stream().map(BetBatch::firstBet).toList());
            assertTrue(central.messages().stream().noneMatch(Finished.class::isInstance));
        }
        assertEquals(10, logs.linesContaining("action: apuesta_enviada").size(), "only the acknowledged batch");
    }

    @Test
    void aProtocolMismatchIsFatalAndNamesTheReason() throws Exception {
        Path csv = file(Bets.list(5, Bets::ordinary));
        String reason = "the central speaks protocol 0123456789abcdef, the agency " + LoteriaProtocol.FINGERPRINT;
        FakeCentral.Script mismatch = (connection, index, message) -> new Action.ReplyAndClose(
                new ProtocolError(ErrorCode.PROTOCOL_MISMATCH, reason));
        try (FakeCentral central = FakeCentral.start(WINNERS, mismatch)) {
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                    () -> client(central, 5, 10, csv).run());

            assertEquals("PROTOCOL_MISMATCH: " + reason, e.getMessage());
            assertEquals(1, central.connections());
        }
        assertEquals(List.of(), retryLines());
    }

    @Test
    void anErrorCodeThisBuildDoesNotKnowIsFatalAndNamesTheNumber() throws Exception {
        Path csv = file(Bets.list(5, Bets::ordinary));
        // A ProtocolError (0x08) with code 999, which this build's ErrorCode does not have.
        byte[] reason = "a newer central's error".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        java.nio.ByteBuffer frame = java.nio.ByteBuffer.allocate(5 + 8 + reason.length);
        frame.put((byte) 0x08).putInt(8 + reason.length).putInt(999).putInt(reason.length).put(reason);
        FakeCentral.Script unknown = (connection, index, message) -> new Action.RawAndClose(frame.array());
        try (FakeCentral central = FakeCentral.start(WINNERS, unknown)) {
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                    () -> client(central, 5, 10, csv).run());

            assertEquals("ProtocolError.code: 999 is not a value of ErrorCode that this build knows", e.getMessage());
            assertEquals(1, central.connections());
        }
    }

    @Test
    void aBadFrameIsFatal() throws Exception {
        Path csv = file(Bets.list(5, Bets::ordinary));
        FakeCentral.Script garbage = (connection, index, message) -> new Action.RawAndClose(new byte[] {0x7F, 0, 0, 0, 0});
        try (FakeCentral central = FakeCentral.start(WINNERS, garbage)) {
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                    () -> client(central, 5, 10, csv).run());

            assertEquals("unknown opcode 0x7f (127)", e.getMessage());
            assertInstanceOf(UnknownOpcodeException.class, e.getCause().getCause());
            assertEquals(1, central.connections());
        }
    }

    @Test
    void aFileThatBreaksMidwaySendsEveryBetBeforeTheBreakAndFinishes() throws Exception {
        // It used to be fatal on every run, after dropping the batch being filled: the round never drew.
        List<Bet> bets = Bets.list(25, Bets::ordinary);
        List<String> rows = new ArrayList<>(bets.stream().map(Bets::row).toList());
        rows.add("\"Ana,Gómez,30111222,1999-01-01,10"); // a quote never closed: the rest cannot be read
        rows.add(Bets.row(Bets.ordinary(99)));
        Path csv = Bets.writeRows(dir.resolve("agency-1.csv"), rows);
        try (FakeCentral central = FakeCentral.start(WINNERS)) {
            AgencyClient.Outcome outcome = client(central, 5, 10, csv).run();

            assertInstanceOf(AgencyClient.Outcome.Done.class, outcome);
            assertEquals(bets, central.stored(1), "every bet before the break, once");
        }
        assertEquals(List.of("action: leer_apuesta | result: fail | file: " + csv + " | line: 26 | error: Unclosed quoted"
                + " field at end of input (record starting at line 26); the file is not read past this point"),
                logs.linesContaining("action: leer_apuesta"));
    }

    @Test
    void aFileThatChangedBeforeTheResumePointIsFatalInsteadOfStoringBetsTwice() throws Exception {
        // The central holds bets 0..29 of the file as it was; a row was then inserted at the top
        // (a bad row fixed, say): skipping 30 rows would resend the old bet 29 and lose none of
        // the count, but store one bet twice.
        List<Bet> sent = Bets.list(30, Bets::ordinary);
        List<Bet> edited = new ArrayList<>(Bets.list(50, Bets::ordinary));
        edited.add(0, Bets.ordinary(999));
        Path csv = file(edited);
        try (FakeCentral central = FakeCentral.start(WINNERS).holding(1, sent)) {
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                    () -> client(central, 5, 10, csv).run());

            assertEquals("bet 30 of agency 1 is (\"Nombre28\", \"Apellido28\", documento 20000028, 1978-05-01, numero 28)"
                    + " here but (\"Nombre29\", \"Apellido29\", documento 20000029, 1979-06-02, numero 29) in the central:"
                    + " its bets changed since they were sent (resuming would store some twice and lose others), or "
                    + AgencySession.NEW_ROUND, e.getMessage());
            assertEquals(List.of(), central.batches(), "nothing sent");
            assertEquals(1, central.connections(), "not retried: another attempt reads the same file");
        }
    }

    @Test
    void theSameFileResumesPastTheCentralsLastBet() throws Exception {
        List<Bet> bets = Bets.list(50, Bets::ordinary);
        Path csv = file(bets);
        try (FakeCentral central = FakeCentral.start(WINNERS).holding(1, bets.subList(0, 30))) {
            assertEquals(WINNERS, winners(client(central, 5, 10, csv).run()));
            assertEquals(bets, central.stored(1));
        }
    }

    @Test
    void aCentralHoldingMoreBetsThanTheFileHasIsFatal() throws Exception {
        Path csv = file(Bets.list(30, Bets::ordinary));
        try (FakeCentral central = FakeCentral.start(WINNERS).holding(1, Bets.list(50, Bets::ordinary))) {
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                    () -> client(central, 5, 10, csv).run());

            assertEquals("the central holds 50 bets of agency 1, but this agency has 30 valid bet(s): "
                    + AgencySession.NEW_ROUND, e.getMessage());
            assertEquals(List.of(), central.batches());
        }
    }

    /** Runs the client on the executor; returns its future, the running thread in {@code thread}. */
    private Future<AgencyClient.Outcome> start(AgencyClient client, AtomicReference<Thread> thread) {
        CompletableFuture<Thread> started = new CompletableFuture<>();
        Future<AgencyClient.Outcome> run = runner.submit(() -> {
            started.complete(Thread.currentThread());
            return client.run();
        });
        thread.set(started.join());
        return run;
    }

    @Test
    void aStopWhileWaitingForTheWinnersEndsTheRunAsStopped() throws Exception {
        Path csv = file(Bets.list(15, Bets::ordinary));
        FakeCentral.Script holdWinners = (connection, index, message) ->
                message instanceof WinnersRequest ? new Action.Hold() : null;
        try (FakeCentral central = FakeCentral.start(WINNERS, holdWinners)) {
            AgencyClient client = client(central, 5, 10, csv);
            AtomicReference<Thread> thread = new AtomicReference<>();
            Future<AgencyClient.Outcome> run = start(client, thread);
            central.await(WinnersRequest.class::isInstance, 1, Duration.ofSeconds(10));

            client.stop(thread.get());

            assertInstanceOf(AgencyClient.Outcome.Stopped.class, run.get(10, TimeUnit.SECONDS));
            assertEquals(1, central.connections(), "no new attempt after a stop");
        }
        assertNoFailLine();
    }

    @Test
    void aStopDuringThePauseBetweenAttemptsEndsTheRunAtOnce() throws Exception {
        int port = freePort();
        Path csv = file(Bets.list(3, Bets::ordinary));
        AgencyClient client = client(port, 5, "10m", 10, csv);
        AtomicReference<Thread> thread = new AtomicReference<>();
        Future<AgencyClient.Outcome> run = start(client, thread);
        logs.await(line -> line.startsWith("action: conectar | result: in_progress | attempt: 1 |"), Duration.ofSeconds(10));

        client.stop(thread.get());

        // The pause is ten minutes: only the stop can end it within the test's time.
        assertInstanceOf(AgencyClient.Outcome.Stopped.class, run.get(10, TimeUnit.SECONDS));
        assertEquals(1, retryLines().size());
    }

    @Test
    void sessionsThatFailTheSameWayEveryTimeAreGivenUpAfterLoopAmount() throws Exception {
        // Each session starts (the central holds nothing more than before), then its first batch
        // cannot be stored (a full disk, say): no progress, so the attempts add up.
        Path csv = file(Bets.list(30, Bets::ordinary));
        Action unavailable = new Action.ReplyAndClose(new BatchRejected(ErrorCode.SERVER_UNAVAILABLE,
                "cannot store the batch: No space left on device"));
        try (FakeCentral central = FakeCentral.start(WINNERS,
                (connection, index, message) -> message instanceof BetBatch ? unavailable : null)) {
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                    () -> client(central, 3, 10, csv).run());

            assertEquals("gave up after 3 attempt(s) 20ms apart to reach the central at " + central.address()
                    + ": the central is busy: cannot store the batch: No space left on device", e.getMessage());
            assertEquals(3, central.connections());
        }
        assertEquals(List.of("attempt: 1", "attempt: 2"), retryLines().stream()
                .map(line -> line.replaceAll(".*\\| (attempt: \\d+) \\|.*", "$1")).toList());
    }

    @Test
    void anAcknowledgementThatNeverComesIsADroppedConnectionAndRetried() throws Exception {
        List<Bet> bets = Bets.list(30, Bets::ordinary);
        Path csv = file(bets);
        try (FakeCentral central = FakeCentral.start(WINNERS, onBatchAt(1, 10, new Action.Hold()))) {
            AgencyClient client = client(config(central.port(), 2, "20ms", 10, csv, Duration.ofMillis(300)));
            assertEquals(WINNERS, winners(client.run()));

            assertEquals(2, central.connections());
            assertStoredExactlyOnce(central, bets);
        }
        assertEquals(List.of("action: conectar | result: in_progress | attempt: 1 | error: the central sent no BatchAck"
                + " within 300 ms"), retryLines());
    }

    @Test
    void theWinnersWaitForTheDrawBeyondTheReplyTimeout() throws Exception {
        Path csv = file(Bets.list(5, Bets::ordinary));
        try (FakeCentral central = FakeCentral.start(WINNERS, (connection, index, message) ->
                message instanceof WinnersRequest ? new Action.Hold() : null)) {
            AgencyClient client = client(config(central.port(), 1, "20ms", 10, csv, Duration.ofMillis(100)));
            AtomicReference<Thread> thread = new AtomicReference<>();
            Future<AgencyClient.Outcome> run = start(client, thread);
            central.await(WinnersRequest.class::isInstance, 1, Duration.ofSeconds(10));

            // Three reply timeouts later the agency still waits on the same connection.
            assertThrows(java.util.concurrent.TimeoutException.class, () -> run.get(300, TimeUnit.MILLISECONDS));
            assertEquals(1, central.connections());
            client.stop(thread.get());
            assertInstanceOf(AgencyClient.Outcome.Stopped.class, run.get(10, TimeUnit.SECONDS));
        }
        assertNoFailLine();
    }

    @Test
    void aReplyForAnotherAgencyIsFatal() throws Exception {
        Path csv = file(Bets.list(5, Bets::ordinary));
        try (FakeCentral central = FakeCentral.start(WINNERS, (connection, index, message) ->
                message instanceof WinnersRequest ? new Action.ReplyAndClose(new Winners(2, List.of("123"))) : null)) {
            AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                    () -> client(central, 3, 10, csv).run());

            assertEquals("Winners.agency: a reply for agency 2 reached agency 1", e.getMessage());
            assertEquals(1, central.connections(), "no other attempt");
        }
    }

    @Test
    void aSessionStartedThatMakesNoSenseIsFatal() throws Exception {
        Path csv = file(Bets.list(5, Bets::ordinary));
        Map<SessionStarted, String> bad = Map.of(
                new SessionStarted(1, 0, 2, List.of()), "SessionStarted.finished: 2 is neither 0 nor 1",
                new SessionStarted(1, -5, 0, List.of()), "SessionStarted.storedBets: negative count -5",
                new SessionStarted(1, 2, 0, List.of()), "SessionStarted.lastStoredBet: 0 bet(s) for 2 stored (1, or 0 when none is)",
                new SessionStarted(1, 0, 0, List.of(Bets.ordinary(1))),
                "SessionStarted.lastStoredBet: 1 bet(s) for 0 stored (1, or 0 when none is)");
        for (Map.Entry<SessionStarted, String> answer : bad.entrySet()) {
            try (FakeCentral central = FakeCentral.start(WINNERS, (connection, index, message) ->
                    message instanceof SessionStart ? new Action.ReplyAndClose(answer.getKey()) : null)) {
                AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class,
                        () -> client(central, 3, 10, csv).run());

                assertEquals(answer.getValue(), e.getMessage());
                assertEquals(List.of(), central.batches(), "nothing sent on a count that makes no sense");
            }
        }
    }

    @Test
    void aNameThatDoesNotResolveIsSaidSo() throws Exception {
        Path csv = file(Bets.list(1, Bets::ordinary));
        ClientConfig config = new ClientConfig(1, "nohost.invalid:12345",
                List.of(new ClientConfig.CentralAddress("nohost.invalid", 12345)), 2, "20ms",
                Duration.ofMillis(20), "DEBUG", 10, csv, Duration.ofSeconds(10), Duration.ZERO, ClientConfig.TlsMode.OFF,
                csv.getParent());
        AgencyClient.FailedException e = assertThrows(AgencyClient.FailedException.class, () -> client(config).run());

        assertEquals("gave up after 2 attempt(s) 20ms apart to reach the central at nohost.invalid:12345: the host name"
                + " nohost.invalid does not resolve", e.getMessage());
        assertEquals(List.of("action: conectar | result: in_progress | attempt: 1 | error: the host name nohost.invalid"
                + " does not resolve"), retryLines());
    }
}
