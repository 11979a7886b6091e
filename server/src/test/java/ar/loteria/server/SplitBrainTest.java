package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.ErrorCode;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.server.config.ServerConfig;
import ar.loteria.server.support.Concurrently;
import ar.loteria.server.support.LogCapture;
import ar.loteria.server.support.RawPeer;
import ar.loteria.server.support.TestPostgres;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.ConcurrentHashMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A split brain: two centrals serving the same PostgreSQL ledger at once (the round's lock, which
 * only decides who serves, left out: each {@link Central} is started directly), and every agency
 * sending each of its batches to both at the same moment, then "finished" and the winners request
 * to both. The ledger's constraints still store every bet once, count each agency finished once
 * and make one draw, announced once; both centrals answer the same winners.
 */
@Timeout(120)
class SplitBrainTest {
    private static final int AGENCIES = 3;
    private static final int BATCHES = 12;
    private static final int BATCH = 10;

    @TempDir
    Path dir;

    private Central central(String database) throws Exception {
        Path ini = Files.writeString(dir.resolve("config.ini"), "[DEFAULT]\nSERVER_PORT = 0\nSERVER_IP = x\n"
                + "SERVER_LISTEN_BACKLOG = 128\nLOGGING_LEVEL = INFO\n");
        return Central.start(ServerConfig.load(ini, Map.of("BIND_ADDRESS", "127.0.0.1", "AGENCY_COUNT",
                String.valueOf(AGENCIES), "STORAGE_URL", TestPostgres.url(database), "STORAGE_USER", TestPostgres.SUPERUSER,
                "TLS", "off")));
    }

    private static Bet bet(int agency, int position) {
        return new Bet("Nombre " + position, "Apellido", String.format("%08d", agency * 1000 + position), "2000-01-01",
                position % 5 == 0 ? 7574 : position);
    }

    @Test
    void twoCentralsServingAtOnceStoreEveryBetOnceAndDrawOnce() throws Exception {
        String database = TestPostgres.newDatabase();
        Central a = central(database);
        Central b = central(database);
        Map<Integer, List<Message>> answers = new ConcurrentHashMap<>();
        try (LogCapture logs = LogCapture.begin()) {
            List<Callable<Void>> agencies = new ArrayList<>();
            for (int agency = 1; agency <= AGENCIES; agency++) {
                int id = agency;
                agencies.add(() -> {
                    answers.put(id, runTwice(id, a.port(), b.port()));
                    return null;
                });
            }
            Concurrently.run(agencies);
            logs.await(line -> line.contains("action: ganadores_enviados"), 2 * AGENCIES, java.time.Duration.ofSeconds(10));
            assertEquals(1, logs.matching("action: sorteo | result: success").size(), "one draw, announced once");
            assertEquals(AGENCIES, logs.matching("action: agencia_finalizada | result: success").size());
        } finally {
            a.stop();
            b.stop();
        }
        for (int agency = 1; agency <= AGENCIES; agency++) {
            List<Message> got = answers.get(agency);
            long acks = got.stream().filter(FinishedAck.class::isInstance).count();
            long refusals = got.stream().filter(m -> m instanceof ProtocolError e
                    && e.code() == ErrorCode.AGENCY_ALREADY_FINISHED).count();
            assertEquals(List.of(1L, 1L), List.of(acks, refusals), "finished counted once: " + got);
            List<String> expected = new ArrayList<>();
            for (int position = 0; position < BATCHES * BATCH; position += 5) {
                expected.add(bet(agency, position).document());
            }
            List<Message> winners = got.stream().filter(Winners.class::isInstance).toList();
            assertEquals(List.of(new Winners(agency, expected), new Winners(agency, expected)), winners,
                    "both centrals answer the one draw");
        }
        try (Connection connection = TestPostgres.connect(database); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT count(*), count(DISTINCT (agency, position)) FROM bet")) {
            rows.next();
            assertEquals(List.of((long) AGENCIES * BATCHES * BATCH, (long) AGENCIES * BATCHES * BATCH),
                    List.of(rows.getLong(1), rows.getLong(2)));
        }
    }

    /**
     * One agency on both centrals: each batch to both at once (one stores it, the other finds it
     * stored: both acknowledge the same count), then "finished" to both, then the winners from both.
     * Returns the answers to "finished" and to the winners requests.
     */
    private static List<Message> runTwice(int agency, int portA, int portB) throws Exception {
        List<Message> answers = new ArrayList<>();
        try (RawPeer a = new RawPeer(portA); RawPeer b = new RawPeer(portB)) {
            a.session(agency);
            b.session(agency);
            for (int first = 0; first < BATCHES * BATCH; first += BATCH) {
                List<Bet> bets = new ArrayList<>();
                for (int position = first; position < first + BATCH; position++) {
                    bets.add(bet(agency, position));
                }
                BetBatch batch = new BetBatch(agency, first, bets);
                int end = first + BATCH;
                List<BatchAck> acks = Concurrently.run(List.<Callable<BatchAck>>of(() -> a.request(batch, BatchAck.class),
                        () -> b.request(batch, BatchAck.class)));
                assertEquals(List.of(new BatchAck(agency, end), new BatchAck(agency, end)), acks);
            }
            answers.addAll(Concurrently.run(List.<Callable<Message>>of(
                    () -> { a.send(new Finished(agency)); return a.read(); },
                    () -> { b.send(new Finished(agency)); return b.read(); })));
            assertTrue(answers.stream().anyMatch(FinishedAck.class::isInstance), answers.toString());
        }
        // The refused side was closed: a new session on each for the winners.
        try (RawPeer a = new RawPeer(portA); RawPeer b = new RawPeer(portB)) {
            a.session(agency);
            b.session(agency);
            answers.addAll(Concurrently.run(List.<Callable<Message>>of(
                    () -> a.request(new WinnersRequest(agency), Winners.class),
                    () -> b.request(new WinnersRequest(agency), Winners.class))));
        }
        return answers;
    }
}
