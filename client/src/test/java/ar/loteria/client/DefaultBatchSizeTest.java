package ar.loteria.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.source.CsvBetSource;
import ar.loteria.client.support.FakeCentral;
import ar.loteria.protocol.BetBatch;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * SPEC: "Every batch but the last holds exactly batch.maxAmount bets whenever that fits in 8 KiB.
 * The default maxAmount is chosen so that a batch of ordinary bets fits." The real agency files
 * (.data/dataset.zip) are the ordinary bets; both the built-in default and the shipped
 * client/config.yaml must make full batches of them.
 */
@Timeout(60)
class DefaultBatchSizeTest {
    private static final Path DATASET = Path.of("..", ".data", "dataset.zip");

    @TempDir
    Path dir;

    private Path extract(int agency) throws Exception {
        assumeTrue(Files.isRegularFile(DATASET), "the real dataset is not available at " + DATASET.toAbsolutePath());
        Path csv = dir.resolve("agency-" + agency + ".csv");
        try (ZipFile zip = new ZipFile(DATASET.toFile())) {
            ZipEntry entry = zip.getEntry("agency-" + agency + ".csv");
            assumeTrue(entry != null, "no agency-" + agency + ".csv in the dataset");
            try (InputStream in = zip.getInputStream(entry)) {
                Files.copy(in, csv);
            }
        }
        return csv;
    }

    @ParameterizedTest(name = "agency {0}")
    @ValueSource(ints = {1, 2, 3, 4, 5})
    void theDefaultsMakeFullBatchesOfTheRealBets(int agency) throws Exception {
        Path csv = extract(agency);
        int shipped = ClientConfig.load(Path.of("config.yaml"), Map.of("CLI_ID", "1")).batchMaxAmount();
        for (int maxAmount : new int[] {ClientConfig.DEFAULT_BATCH_MAX_AMOUNT, shipped}) {
            try (FakeCentral central = FakeCentral.start(List.of());
                    CsvBetSource source = new CsvBetSource(csv)) {
                new AgencyClient(AgencyClientTest.config(central.port(), 1, "1s", maxAmount, csv), source, false).run();

                assertEquals(0, source.rejectedRows());
                assertTrue(central.batchFrameBytes().stream().allMatch(n -> n <= 8 * 1024));
                List<BetBatch> batches = central.batches();
                long notFull = batches.subList(0, batches.size() - 1).stream()
                        .filter(b -> b.bets().size() != maxAmount).count();
                assertEquals(0, notFull, "batches (of " + batches.size() + ") cut below batch.maxAmount=" + maxAmount
                        + " by the 8 KiB limit; largest frames: " + central.batchFrameBytes().stream()
                        .sorted(java.util.Comparator.reverseOrder()).limit(3).toList());
            }
        }
    }
}
