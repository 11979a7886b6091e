package ar.loteria.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.runtime.FrameCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Bytes on the wire for the real bets of {@code .data/dataset.zip} (CSV without header:
 * nombre,apellido,documento,nacimiento,numero): text fields as strings, the number as an int.
 * Prints the figures quoted in idl/README.md.
 */
class WireSizeTest {
    private static final Path DATASET = Path.of("../.data/dataset.zip");
    /** A BetBatch frame: header 5 + agency 4 + firstBet 4 + bet count 4. */
    private static final int BATCH_OVERHEAD = FrameCodec.HEADER_SIZE + 4 + 4 + 4;

    static Bet parse(String line) {
        String[] columns = line.split(",", -1);
        assertEquals(5, columns.length, line);
        return new Bet(columns[0], columns[1], columns[2], columns[3], Integer.parseInt(columns[4]));
    }

    @Test
    void bytesPerBetOfTheRealData() throws IOException {
        Assumptions.assumeTrue(Files.isRegularFile(DATASET), DATASET.toAbsolutePath() + " is not there");
        long bets = 0;
        long bytes = 0;
        int largest = 0;
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(DATASET))) {
            for (ZipEntry entry = zip.getNextEntry(); entry != null; entry = zip.getNextEntry()) {
                if (!entry.getName().endsWith(".csv")) {
                    continue;
                }
                BufferedReader reader = new BufferedReader(new InputStreamReader(zip, StandardCharsets.UTF_8));
                for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                    if (line.isEmpty()) {
                        continue;
                    }
                    int size = BetCodec.sizeOf(parse(line));
                    bytes += size;
                    largest = Math.max(largest, size);
                    bets++;
                }
            }
        }
        assertEquals(78_697, bets);
        double average = (double) bytes / bets;

        Bet ordinary = parse("Santiago Lionel,Lorca,30904465,1999-03-17,2201");
        int ordinarySize = BetCodec.sizeOf(ordinary);
        assertEquals(4 + 15 + 4 + 5 + 4 + 8 + 4 + 10 + 4, ordinarySize);
        int perFrameAverage = (int) ((8192 - BATCH_OVERHEAD) / average);
        int perFrameWorst = (8192 - BATCH_OVERHEAD) / largest;

        System.out.printf("wire size: ordinary bet (Santiago Lionel Lorca) = %d bytes; %d such bets fit in 8 KiB%n",
                ordinarySize, (8192 - BATCH_OVERHEAD) / ordinarySize);
        System.out.printf("wire size: %d bets, %d bytes, average %.2f bytes/bet, largest %d bytes; "
                        + "%d average bets or %d largest bets fit in an 8 KiB frame (%d bytes of batch overhead)%n",
                bets, bytes, average, largest, perFrameAverage, perFrameWorst, BATCH_OVERHEAD);
        assertTrue(average <= 60, "average " + average + " bytes per bet");
        assertTrue(perFrameWorst >= 100, "a batch of 100 of the largest bets must fit in 8 KiB; fits " + perFrameWorst);
    }
}
