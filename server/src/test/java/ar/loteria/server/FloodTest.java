package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.Echo;
import ar.loteria.server.support.Agencies;
import ar.loteria.server.support.Dataset;
import ar.loteria.common.JavaProcess;
import ar.loteria.server.support.RawPeer;
import ar.loteria.server.support.ScriptedAgency;
import ar.loteria.server.support.StoredBets;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers that misbehave cannot stall the round: 500 connections that say nothing and 20 that
 * trickle one byte a second hold no thread, are cut at the idle timeout and at the whole-frame
 * deadline, and five real agencies finish meanwhile: every agency has its winners before the central
 * cuts the first idle peer, so the round waited for none of them. (An order of events, not a time:
 * how long the round took is printed, for the record; speed is measured by make bench.)
 * The central runs as a process with the course's listen backlog of 5.
 */
@Timeout(300)
class FloodTest {
    private static final int IDLE = 500;
    private static final int TRICKLING = 20;
    private static final long IDLE_TIMEOUT_MS = 3_000;
    private static final long FRAME_TIMEOUT_MS = 2_000;
    private static final Map<String, String> SETTINGS = Map.of("IDLE_TIMEOUT_MS", String.valueOf(IDLE_TIMEOUT_MS),
            "FRAME_TIMEOUT_MS", String.valueOf(FRAME_TIMEOUT_MS), "SERVER_LISTEN_BACKLOG", "5");

    @TempDir
    Path dir;
    private final List<Socket> flood = new ArrayList<>();
    private final List<Thread> threads = new ArrayList<>();

    @AfterEach
    void closeFlood() throws Exception {
        for (Socket socket : flood) {
            socket.close();
        }
        for (Thread thread : threads) {
            thread.join(10_000);
        }
    }

    /** A whole round of the five real agencies against a new central and the flood; the seconds it took. */
    private double floodedRound(String name, List<Long> trickleCuts) throws Exception {
        Path storage = dir.resolve(name);
        try (JavaProcess central = Processes.central(dir, Dataset.AGENCIES, storage, SETTINGS)) {
            int port = Processes.awaitPort(central);
            startFlood(port, trickleCuts);
            long start = System.nanoTime();
            List<List<String>> winners = Agencies.runAll(dir, Dataset.AGENCIES, port, a -> Dataset.agencyFile(dir, a));
            double seconds = (System.nanoTime() - start) / 1e9;
            assertEquals(List.of(2, 3, 3, 2, 0), winners.stream().map(List::size).toList(), name);
            central.await(line -> line.contains("reason: idle_timeout"), IDLE, Duration.ofSeconds(30));
            central.await(line -> line.contains("reason: frame_timeout"), TRICKLING, Duration.ofSeconds(30));
            assertEquals(IDLE, central.lines().stream().filter(l -> l.contains("reason: idle_timeout")).count());
            assertEquals(TRICKLING, central.lines().stream().filter(l -> l.contains("reason: frame_timeout")).count());
            List<String> lines = central.lines();
            int lastWinners = lastIndexOf(lines, "action: ganadores_enviados | result: success");
            int firstIdleCut = firstIndexOf(lines, "reason: idle_timeout");
            assertTrue(lastWinners >= 0 && lastWinners < firstIdleCut, "the round waited for the idle peers: the"
                    + " last winners at line " + lastWinners + ", the first idle peer cut at line " + firstIdleCut);
            LotteryEndToEndTest.assertStoredExactlyOnce(storage, Dataset.AGENCIES, a -> Dataset.agencyFile(dir, a));
            ar.loteria.common.LogGrammar.parseAll(central.lines()); // the refusals are readable lines too
            return seconds;
        }
    }

    /** Opens the idle connections and starts the trickling ones; each trickler records how long it lasted. */
    private void startFlood(int port, List<Long> trickleCuts) throws IOException {
        for (int i = 0; i < IDLE; i++) {
            flood.add(new Socket("127.0.0.1", port));
        }
        byte[] frame = RawPeer.CODEC.encode(new Echo("one byte a second, for as long as they let me"));
        for (int i = 0; i < TRICKLING; i++) {
            Socket socket = new Socket("127.0.0.1", port);
            flood.add(socket);
            Thread trickler = new Thread(() -> trickle(socket, frame, trickleCuts), "trickler-" + i);
            threads.add(trickler);
            trickler.start();
        }
    }

    private static void trickle(Socket socket, byte[] frame, List<Long> cuts) {
        long first = System.nanoTime();
        try {
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            // One whole Echo first, answered: the central has accepted this connection and reads it.
            // Timed from the connect instead, a busy machine's late accept (500 connections arrive at
            // once) was counted as if the central had let the frame trickle on: a cut after 3,037 ms.
            out.write(frame);
            out.flush();
            if (in.readNBytes(frame.length).length < frame.length) {
                throw new IOException("the central closed the connection before echoing");
            }
            socket.setSoTimeout(1_000);
            first = System.nanoTime();
            for (byte b : frame) {
                out.write(b);
                out.flush();
                try {
                    if (in.read() < 0) {
                        break; // closed by the central
                    }
                } catch (java.net.SocketTimeoutException e) {
                    // a second without news: the next byte
                }
            }
        } catch (IOException e) {
            // reset by the central
        }
        cuts.add((System.nanoTime() - first) / 1_000_000);
    }

    private static int firstIndexOf(List<String> lines, String text) {
        for (int i = 0; i < lines.size(); i++) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    private static int lastIndexOf(List<String> lines, String text) {
        for (int i = lines.size() - 1; i >= 0; i--) {
            if (lines.get(i).contains(text)) {
                return i;
            }
        }
        return -1;
    }

    @Test
    void idleAndTricklingPeersDoNotStallTheRound() throws Exception {
        Dataset.extract(dir);
        List<Long> trickleCuts = new java.util.Vector<>();
        double flooded = floodedRound("flooded", trickleCuts);
        for (Thread thread : threads) {
            thread.join(30_000);
        }
        System.out.printf("five agencies: %.2f s next to %d idle and %d trickling connections; tricklers cut after"
                + " %s ms%n", flooded, IDLE, TRICKLING, trickleCuts);
        assertEquals(TRICKLING, trickleCuts.size());
        for (long cut : trickleCuts) {
            assertTrue(cut >= FRAME_TIMEOUT_MS - 100 && cut < IDLE_TIMEOUT_MS, "a trickler cut after " + cut + " ms");
        }
    }

    @Test
    void sigtermDuringTheFloodExitsCleanlyAndKeepsEveryAcknowledgedBet() throws Exception {
        Dataset.extract(dir);
        Path storage = dir.resolve("storage");
        List<ScriptedAgency> agencies = new ArrayList<>();
        List<CompletableFuture<Void>> sending = new ArrayList<>();
        try (JavaProcess central = Processes.central(dir, Dataset.AGENCIES, storage, SETTINGS)) {
            int port = Processes.awaitPort(central);
            startFlood(port, new java.util.Vector<>());
            for (int agency = 1; agency <= Dataset.AGENCIES; agency++) {
                ScriptedAgency scripted = new ScriptedAgency(agency, Dataset.agencyFile(dir, agency));
                agencies.add(scripted);
                sending.add(CompletableFuture.runAsync(() -> {
                    try {
                        scripted.send(port, 10);
                    } catch (Exception | AssertionError e) {
                        // stopped by the SIGTERM
                    }
                }));
            }
            central.await(line -> line.contains("action: apuesta_recibida | result: success"), 300, Duration.ofSeconds(30));
            long start = System.nanoTime();
            central.terminate();
            int exit = central.waitForExit(Duration.ofSeconds(10));
            long millis = (System.nanoTime() - start) / 1_000_000;
            assertEquals(0, exit, String.join("\n", central.lines()));
            assertTrue(millis < 2_000, "exited " + millis + " ms after SIGTERM");
            GracefulShutdownTest.assertContainsLine(central.lines(), "action: shutdown | result: success");
        }
        CompletableFuture.allOf(sending.toArray(CompletableFuture[]::new)).join();
        Map<Integer, List<List<String>>> stored = StoredBets.byAgency(storage);
        for (int agency = 1; agency <= Dataset.AGENCIES; agency++) {
            ScriptedAgency scripted = agencies.get(agency - 1);
            List<List<String>> rows = stored.getOrDefault(agency, List.of());
            assertTrue(rows.size() >= scripted.acknowledged(), "agency " + agency + ": " + rows.size() + " stored, "
                    + scripted.acknowledged() + " acknowledged");
            assertEquals(scripted.rows(rows.size()), rows, "agency " + agency);
        }
    }
}
