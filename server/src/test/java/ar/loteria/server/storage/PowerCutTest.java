package ar.loteria.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.server.service.LotteryService;
import ar.loteria.server.support.Agencies;
import ar.loteria.server.support.Dataset;
import ar.loteria.server.support.ScriptedAgency;
import ar.loteria.server.support.ServerHarness;
import ar.loteria.server.support.StoredBets;
import ar.loteria.server.transport.LotteryServer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * With STORAGE_FSYNC=true every acknowledged bet survives a power cut of the central. The cut is
 * modelled, not made: the storage's files are copied as they were at their last fsync (what a
 * disk keeps of an append-only file), at a random moment while five agencies send; the copy is
 * recovered by a new central, which must hold every bet acknowledged before the cut, each once,
 * and the round then completes on it with the right winners.
 */
@Timeout(180)
class PowerCutTest {
    @TempDir
    Path dir;

    @Test
    void everyAcknowledgedBetSurvivesAPowerCut() throws Exception {
        Dataset.extract(dir);
        Random random = new Random(20261130);
        for (int cut = 1; cut <= 3; cut++) {
            powerCutAndRecovery(dir.resolve("cut-" + cut), random.nextInt(5_000, 70_000));
        }
    }

    private void powerCutAndRecovery(Path round, int cutAfterBets) throws Exception {
        Path before = round.resolve("before");
        DurableSizes disk = new DurableSizes();
        List<ScriptedAgency> agencies = new ArrayList<>();
        int[] acknowledged = new int[Dataset.AGENCIES + 1];
        BetStore store = FileBetStore.open(before, Dataset.AGENCIES, true, disk);
        LotteryServer server = new LotteryServer(new LotteryServer.Settings("127.0.0.1", 0, 128, 8192, 10_000, 60_000,
                100, 4, 1_000, null), new LotteryService(store, Dataset.AGENCIES));
        try {
            int port = server.start();
            List<CompletableFuture<Void>> sending = new ArrayList<>();
            for (int agency = 1; agency <= Dataset.AGENCIES; agency++) {
                ScriptedAgency scripted = new ScriptedAgency(agency, Dataset.agencyFile(dir, agency));
                agencies.add(scripted);
                sending.add(CompletableFuture.runAsync(() -> {
                    try {
                        scripted.send(port, 50);
                    } catch (Exception | AssertionError e) {
                        // cut off by the power cut
                    }
                }));
            }
            while (agencies.stream().mapToInt(ScriptedAgency::acknowledged).sum() < cutAfterBets
                    && !sending.stream().allMatch(CompletableFuture::isDone)) {
                Thread.onSpinWait();
            }
            // The cut: first what the agencies were told, then what the disk holds (it only grows).
            for (int agency = 1; agency <= Dataset.AGENCIES; agency++) {
                acknowledged[agency] = agencies.get(agency - 1).acknowledged();
            }
            disk.copyDurableState(round.resolve("after"));
        } finally {
            server.shutdown();
            store.close();
        }

        Path after = round.resolve("after");
        try (BetStore recovered = FileBetStore.open(after, Dataset.AGENCIES, true)) {
            for (int agency = 1; agency <= Dataset.AGENCIES; agency++) {
                assertTrue(recovered.storedBets(agency) >= acknowledged[agency], "agency " + agency + ": "
                        + recovered.storedBets(agency) + " bets survived, " + acknowledged[agency] + " were acknowledged");
            }
        }
        Map<Integer, List<List<String>>> survived = StoredBets.byAgency(after);
        for (int agency = 1; agency <= Dataset.AGENCIES; agency++) {
            List<List<String>> rows = survived.getOrDefault(agency, List.of());
            assertEquals(agencies.get(agency - 1).rows(rows.size()), rows, "agency " + agency + " after the cut");
        }

        try (ServerHarness central = ServerHarness.start(after, Dataset.AGENCIES, Map.of("STORAGE_FSYNC", "true"))) {
            List<List<String>> winners = Agencies.runAll(round, Dataset.AGENCIES, central.port(), a -> Dataset.agencyFile(dir, a));
            assertEquals(List.of(2, 3, 3, 2, 0), winners.stream().map(List::size).toList());
        }
        Map<Integer, List<List<String>>> complete = StoredBets.byAgency(after);
        for (int agency = 1; agency <= Dataset.AGENCIES; agency++) {
            List<List<String>> rows = complete.get(agency);
            assertEquals(Dataset.rows(Dataset.agencyFile(dir, agency)).size(), rows.size(), "agency " + agency);
            assertEquals(agencies.get(agency - 1).rows(rows.size()), rows, "agency " + agency + ", each bet once");
        }
    }
}
