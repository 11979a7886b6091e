package ar.loteria.client;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.source.BetSource;
import ar.loteria.client.source.CsvBetSource;
import ar.loteria.client.support.LogCapture;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.BetCodec;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.runtime.FrameCodec;
import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * SPEC: "Every batch but the last holds exactly batch.maxAmount bets whenever that fits in 8 KiB.
 * The default maxAmount is chosen so that a batch of ordinary bets fits." The real agency files
 * ({@code .data/dataset.zip}, shipped with the repository) are the ordinary bets: every run of
 * {@value ClientConfig#DEFAULT_BATCH_MAX_AMOUNT} consecutive bets of each file must fit in an
 * 8 KiB frame, so that the client's batches of each agency are all full but the last.
 */
@Timeout(120)
class DefaultBatchSizeTest {
    private static final int LIMIT = 8 * 1024;
    private static final FrameCodec CODEC = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 20);

    @TempDir
    Path dir;

    /** The system property dataset.zip when set (as the server module sets it), else the repository's copy. */
    static Path dataset() {
        String property = System.getProperty("dataset.zip");
        // Surefire runs in the module's directory (client/), so the repository's .data is one level up.
        Path dataset = property != null && !property.isBlank() ? Path.of(property) : Path.of("..", ".data", "dataset.zip");
        assertTrue(Files.isRegularFile(dataset), "the real data set is missing: " + dataset.toAbsolutePath());
        return dataset;
    }

    static List<String> agencyFiles() throws IOException {
        try (ZipFile zip = new ZipFile(dataset().toFile())) {
            List<String> names = zip.stream().map(ZipEntry::getName).filter(n -> n.matches("agency-\\d+\\.csv")).sorted()
                    .toList();
            assertFalse(names.isEmpty(), "no agency-N.csv in " + dataset());
            return names;
        }
    }

    private Path extract(String name) throws IOException {
        Path csv = dir.resolve(name);
        try (ZipFile zip = new ZipFile(dataset().toFile()); InputStream in = zip.getInputStream(zip.getEntry(name))) {
            Files.copy(in, csv);
        }
        return csv;
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("agencyFiles")
    void everyRunOfTheDefaultAmountOfRealBetsFitsSoEveryBatchButTheLastIsFull(String name) throws IOException {
        int amount = ClientConfig.DEFAULT_BATCH_MAX_AMOUNT;
        Path csv = extract(name);
        BetSource.Opener opener = CsvBetSource.opener(csv, BatchCutter.MAX_BETS_BYTES);
        List<Integer> sizes = new ArrayList<>();
        try (LogCapture logs = LogCapture.start()) {
            try (BetSource source = opener.open()) {
                for (Bet bet = source.next(); bet != null; bet = source.next()) {
                    sizes.add(BetCodec.sizeOf(bet));
                }
            }
            assertEquals(List.of(), logs.lines(Level.WARN), "the real data has no bad row");
        }
        assertTrue(sizes.size() > amount, name + " has only " + sizes.size() + " bets");

        // Every window of `amount` consecutive bets, wherever a batch might start.
        long window = 0;
        long largest = 0;
        for (int i = 0; i < sizes.size(); i++) {
            window += sizes.get(i);
            if (i >= amount) {
                window -= sizes.get(i - amount);
            }
            if (i >= amount - 1) {
                largest = Math.max(largest, window);
            }
        }
        long largestFrame = largest + LIMIT - BatchCutter.MAX_BETS_BYTES;
        assertTrue(largestFrame <= LIMIT, name + ": " + amount + " consecutive real bets take a frame of " + largestFrame
                + " bytes");

        // And the client's own cutting, encoded by the generated codec.
        List<Integer> batchSizes = new ArrayList<>();
        int position = 0;
        try (BetSource source = opener.open()) {
            BatchCutter cutter = new BatchCutter(source, amount);
            for (List<Bet> batch = cutter.next(); batch != null; batch = cutter.next()) {
                int frame = CODEC.encode(new BetBatch(1, position, batch)).length;
                assertTrue(frame <= LIMIT, "batch at " + position + " is " + frame + " bytes");
                batchSizes.add(batch.size());
                position += batch.size();
            }
        }
        assertEquals(sizes.size(), position, "every bet in a batch");
        List<Integer> allButLast = batchSizes.subList(0, batchSizes.size() - 1);
        assertEquals(Collections.nCopies(allButLast.size(), amount), allButLast, name + ": batches cut below " + amount);
        assertEquals((sizes.size() - 1) % amount + 1, batchSizes.get(batchSizes.size() - 1));
        System.out.printf("%s: %d bets, the largest run of %d takes a %d-byte frame%n", name, sizes.size(), amount,
                largestFrame);
    }

    @Test
    void theDefaultIsWhatAConfigurationWithoutBatchMaxAmountGets() throws Exception {
        Path yaml = Files.writeString(dir.resolve("config.yaml"), "server:\n  address: \"central:1\"\n"
                + "loop:\n  amount: 1\n  period: \"1s\"\n");
        assertEquals(ClientConfig.DEFAULT_BATCH_MAX_AMOUNT, ClientConfig.load(yaml, Map.of("CLI_ID", "1")).batchMaxAmount());
    }
}
