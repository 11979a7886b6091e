package ar.loteria.client;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.config.GoDuration;
import ar.loteria.client.source.CsvBetSource;
import ar.loteria.client.support.Bets;
import ar.loteria.client.support.FakeCentral;
import ar.loteria.client.support.LogCapture;
import ar.loteria.client.transport.RefusedException;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.BetCodec;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.runtime.ErrorCode;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.Message;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.UnsynchronizedAppenderBase;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

@Timeout(30)
class AgencyClientTest {
    private static final int LIMIT = 8 * 1024; // SPEC: a batch never exceeds 8 KiB on the wire
    private static final FrameCodec CODEC = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 20);
    private static final List<String> WINNERS = List.of("30904465", "21689196", "40123456");

    @TempDir
    Path dir;
    private LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
    }

    @AfterEach
    void releaseLogs() {
        logs.close();
        logs.assertContract();
    }

    static ClientConfig config(int port, int loopAmount, String period, int maxAmount, Path dataFile) {
        return new ClientConfig(1, "127.0.0.1:" + port, "127.0.0.1", port, loopAmount, period,
                GoDuration.parse(period), "INFO", maxAmount, dataFile);
    }

    private List<String> runAgainst(FakeCentral central, int maxAmount, Path csv) throws Exception {
        try (CsvBetSource source = new CsvBetSource(csv)) {
            AgencyClient client = new AgencyClient(config(central.port(), 3, "50ms", maxAmount, csv), source, false);
            List<String> winners = client.run();
            assertEquals(central.bets().size(), client.betsSent());
            assertEquals(central.batches().size(), client.batchesSent());
            return winners;
        }
    }

    /** Every batch frame within 8 KiB, its recorded length equal to its encoding, for agency 1. */
    private static void assertFramesWithinLimit(FakeCentral central) {
        List<FakeCentral.Received> received = central.received();
        for (FakeCentral.Received r : received) {
            if (r.message() instanceof BetBatch batch) {
                assertTrue(r.wireBytes() <= LIMIT, () -> "a batch frame of " + r.wireBytes() + " bytes");
                assertEquals(CODEC.frameSize(batch), r.wireBytes());
                assertEquals(1, batch.agency());
                assertFalse(batch.bets().isEmpty(), "no empty batch is sent");
            }
        }
    }

    /** The batches, then Finished, then WinnersRequest, and nothing else. */
    private static void assertEndsWithFinishedThenWinnersRequest(FakeCentral central) {
        List<Message> messages = central.messages();
        int batches = central.batches().size();
        assertEquals(batches + 2, messages.size(), () -> "messages: " + messages.stream().map(Message::messageName).toList());
        for (int i = 0; i < batches; i++) {
            assertInstanceOf(BetBatch.class, messages.get(i));
        }
        assertEquals(new Finished(1), messages.get(batches));
        assertEquals(new WinnersRequest(1), messages.get(batches + 1));
    }

    @Test
    void batchesHoldExactlyMaxAmountButTheLast() throws Exception {
        List<Bet> bets = Bets.list(1234, Bets::ordinary);
        Path csv = Bets.write(dir.resolve("agency-1.csv"), bets);
        try (FakeCentral central = FakeCentral.start(WINNERS)) {
            List<String> winners = runAgainst(central, 50, csv);

            assertEquals(WINNERS, winners);
            List<Integer> sizes = central.batches().stream().map(b -> b.bets().size()).toList();
            assertEquals(25, sizes.size(), sizes::toString);
            for (int i = 0; i < 24; i++) {
                assertEquals(50, sizes.get(i), "batch " + i);
            }
            assertEquals(34, sizes.get(24));
            assertEquals(bets, central.bets(), "every bet once, in file order");
            assertFramesWithinLimit(central);
            assertEndsWithFinishedThenWinnersRequest(central);
            assertEquals(List.of(), central.failures());
        }
    }

    @Test
    void longBetsAreCutByTheEightKibLimitAndEachBatchIsFull() throws Exception {
        // 100-character names, some with 2-byte characters: the limit counts bytes, not characters.
        List<Bet> bets = Bets.list(600, i -> new Bet(
                (i % 3 == 0 ? "ñ" : "n").repeat(60 + i % 41), "Apellido".repeat(12) + i,
                30_000_000 + i, 19_990_317, (i * 7) % 10_000));
        Path csv = Bets.write(dir.resolve("agency-1.csv"), bets);
        try (FakeCentral central = FakeCentral.start(WINNERS)) {
            assertEquals(WINNERS, runAgainst(central, 1000, csv));

            assertEquals(bets, central.bets(), "every bet exactly once, in file order");
            assertFramesWithinLimit(central);
            List<BetBatch> batches = central.batches();
            assertTrue(batches.size() > 10, () -> batches.size() + " batches");
            // Every batch but the last is cut only because the next bet would not fit.
            int next = 0;
            for (int i = 0; i < batches.size(); i++) {
                BetBatch batch = batches.get(i);
                next += batch.bets().size();
                assertTrue(batch.bets().size() < 1000);
                if (i < batches.size() - 1) {
                    int withNext = CODEC.frameSize(batch) + BetCodec.sizeOf(bets.get(next));
                    assertTrue(withNext > LIMIT, "batch " + i + " could have held the next bet: " + withNext + " bytes");
                }
            }
            assertEndsWithFinishedThenWinnersRequest(central);
        }
    }

    @Test
    void aBetFillingExactlyEightKibTravelsAloneAndALargerOneIsReportedNotSent() throws Exception {
        int overhead = CODEC.frameSize(new BetBatch(1, List.of()));
        int exactNameBytes = LIMIT - overhead - BetCodec.MIN_SIZE - 1; // last name "X" takes the other byte
        Bet small1 = Bets.ordinary(1);
        Bet exact = new Bet("a".repeat(exactNameBytes), "X", 11_111_111, 20000101, 1);
        Bet small2 = Bets.ordinary(2);
        Bet tooBig = new Bet("b".repeat(exactNameBytes + 1), "X", 22_222_222, 20000101, 2);
        Bet small3 = Bets.ordinary(3);
        Path csv = Bets.write(dir.resolve("agency-1.csv"), List.of(small1, exact, small2, tooBig, small3));
        try (FakeCentral central = FakeCentral.start(WINNERS)) {
            runAgainst(central, 100, csv);

            assertEquals(List.of(List.of(small1), List.of(exact), List.of(small2, small3)),
                    central.batches().stream().map(BetBatch::bets).toList());
            assertEquals(List.of((long) CODEC.frameSize(new BetBatch(1, List.of(small1))), (long) LIMIT,
                    (long) CODEC.frameSize(new BetBatch(1, List.of(small2, small3)))), central.batchFrameBytes());
            assertEquals(List.of("action: leer_apuesta | result: fail | file: " + csv + " | line: 4 | error: bet of "
                    + (LIMIT - overhead + 1) + " bytes cannot fit in a batch of " + LIMIT + " bytes"),
                    logs.lines(Level.WARN));
        }
    }

    @Test
    void aMalformedRowIsReportedAndNotSent() throws Exception {
        List<Bet> bets = Bets.list(120, Bets::ordinary);
        List<String> rows = new ArrayList<>(bets.stream().map(Bets::row).toList());
        rows.add(57, "Mala,Fila,30111222,1999-02-30,10"); // line 58
        rows.add(100, "Sin,Columnas"); // line 101
        Path csv = dir.resolve("agency-1.csv");
        Files.write(csv, rows);
        try (FakeCentral central = FakeCentral.start(List.of())) {
            assertEquals(List.of(), runAgainst(central, 50, csv));

            assertEquals(bets, central.bets(), "the malformed rows are not sent, the others are, in order");
            assertEquals(List.of(50, 50, 20), central.batches().stream().map(b -> b.bets().size()).toList());
            assertEquals(List.of(
                    "action: leer_apuesta | result: fail | file: " + csv + " | line: 58 | error: nacimiento"
                            + " \"1999-02-30\" is not a real date",
                    "action: leer_apuesta | result: fail | file: " + csv + " | line: 101 | error: expected 5 columns"
                            + " (nombre, apellido, documento, nacimiento, numero), found 2"),
                    logs.lines(Level.WARN));
            assertEndsWithFinishedThenWinnersRequest(central);
        }
    }

    @Test
    void anEmptyFileStillSaysFinishedAndAsksForWinners() throws Exception {
        Path csv = Files.writeString(dir.resolve("agency-1.csv"), "");
        try (FakeCentral central = FakeCentral.start(List.of("1"))) {
            assertEquals(List.of("1"), runAgainst(central, 50, csv));
            assertEquals(List.of(new Finished(1), new WinnersRequest(1)), central.messages());
        }
    }

    @Test
    void aRejectedBatchStopsTheRunWithTheCentralsReason() throws Exception {
        List<Bet> bets = Bets.list(500, Bets::ordinary);
        Path csv = Bets.write(dir.resolve("agency-1.csv"), bets);
        try (FakeCentral central = FakeCentral.start(WINNERS).rejectingBatch(2, "bets[3].document is not positive");
                CsvBetSource source = new CsvBetSource(csv)) {
            AgencyClient client = new AgencyClient(config(central.port(), 3, "50ms", 10, csv), source, false);
            RefusedException e = assertThrows(RefusedException.class, client::run);

            assertEquals("INVALID_BET: bets[3].document is not positive", e.getMessage());
            assertEquals(ErrorCode.INVALID_BET, e.code());
            assertEquals(10, client.betsSent(), "only the acknowledged batch counts");
            assertEquals(2, central.batches().size(), "nothing is sent after the rejection");
            assertEquals(List.of("action: apuesta_enviada | result: fail | cantidad: 10 | error: INVALID_BET: bets[3].document"
                    + " is not positive"), logs.lines(Level.ERROR));
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return probe.getLocalPort();
        }
    }

    @Test
    void givesUpAfterLoopAmountAttempts() throws Exception {
        int port = freePort();
        Logger clientLogger = (Logger) LoggerFactory.getLogger(AgencyClient.class);
        clientLogger.setLevel(Level.DEBUG);
        try (CsvBetSource source = new CsvBetSource(Bets.write(dir.resolve("a.csv"), List.of(Bets.ordinary(1))))) {
            AgencyClient client = new AgencyClient(config(port, 3, "50ms", 10, dir.resolve("a.csv")), source, false);
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, client::run);
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);

            assertTrue(e.getMessage().startsWith("cannot reach the central at 127.0.0.1:" + port
                    + " after 3 attempt(s) 50ms apart: "), e.getMessage());
            assertTrue(elapsedMillis >= 100, "two waits of 50ms between three attempts, took " + elapsedMillis + " ms");
            List<String> attempts = logs.linesContaining("action: connect |");
            assertEquals(3, attempts.size(), attempts::toString);
            for (int i = 0; i < 3; i++) {
                assertTrue(attempts.get(i).startsWith("action: connect | result: in_progress | attempt: " + (i + 1) + " | error: "),
                        attempts.get(i));
            }
            assertEquals(0, client.betsSent());
        } finally {
            clientLogger.setLevel(null);
        }
    }

    @Test
    void reachesACentralThatStartsListeningAfterTheFirstFailedAttempt() throws Exception {
        int port = freePort();
        CountDownLatch firstAttemptFailed = new CountDownLatch(1);
        CountDownLatch listening = new CountDownLatch(1);
        // Holds the client right after it logs its first failed attempt, until the central listens.
        UnsynchronizedAppenderBase<ILoggingEvent> gate = new UnsynchronizedAppenderBase<>() {
            @Override
            protected void append(ILoggingEvent event) {
                if (event.getFormattedMessage().startsWith("action: connect | result: in_progress | attempt: 1 |")) {
                    firstAttemptFailed.countDown();
                    try {
                        listening.await(10, TimeUnit.SECONDS);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                }
            }
        };
        gate.start();
        Logger clientLogger = (Logger) LoggerFactory.getLogger(AgencyClient.class);
        clientLogger.setLevel(Level.DEBUG);
        clientLogger.addAppender(gate);
        ExecutorService runner = Executors.newSingleThreadExecutor();
        List<Bet> bets = Bets.list(7, Bets::ordinary);
        Path csv = Bets.write(dir.resolve("a.csv"), bets);
        try (CsvBetSource source = new CsvBetSource(csv)) {
            AgencyClient client = new AgencyClient(config(port, 3, "50ms", 5, csv), source, false);
            Future<List<String>> run = runner.submit(client::run);

            assertTrue(firstAttemptFailed.await(10, TimeUnit.SECONDS), "the first attempt should fail");
            try (FakeCentral central = FakeCentral.startOn(port, WINNERS)) {
                listening.countDown();
                assertEquals(WINNERS, run.get(10, TimeUnit.SECONDS));
                assertEquals(bets, central.bets());
                assertEndsWithFinishedThenWinnersRequest(central);
            }
            List<String> attempts = logs.linesContaining("action: connect |");
            assertEquals(2, attempts.size(), attempts::toString);
            assertTrue(attempts.get(0).startsWith("action: connect | result: in_progress | attempt: 1 | error: "));
            assertEquals("action: connect | result: success | attempt: 2", attempts.get(1));
        } finally {
            listening.countDown();
            runner.shutdownNow();
            clientLogger.detachAppender(gate);
            clientLogger.setLevel(null);
        }
    }

    @Test
    void logsEachAcknowledgedBetAtDebug() throws Exception {
        Logger clientLogger = (Logger) LoggerFactory.getLogger(AgencyClient.class);
        clientLogger.setLevel(Level.DEBUG);
        try (FakeCentral central = FakeCentral.start(WINNERS)) {
            List<Bet> bets = List.of(new Bet("Santiago Lionel", "Lorca", 30904465, 19990317, 7574), Bets.ordinary(5));
            runAgainst(central, 10, Bets.write(dir.resolve("a.csv"), bets));
            List<ILoggingEvent> sent = logs.events().stream()
                    .filter(e -> e.getFormattedMessage().startsWith("action: apuesta_enviada")).toList();
            assertAll(
                    () -> assertEquals(2, sent.size()),
                    () -> assertEquals(Level.DEBUG, sent.get(0).getLevel()),
                    () -> assertEquals("action: apuesta_enviada | result: success | dni: 30904465 | numero: 7574",
                            sent.get(0).getFormattedMessage()));
        } finally {
            clientLogger.setLevel(null);
        }
    }
}
