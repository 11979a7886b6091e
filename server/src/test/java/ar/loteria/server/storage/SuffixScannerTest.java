package ar.loteria.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SuffixScannerTest {
    @TempDir
    Path dir;

    private List<String> scan(String content, String suffix, int chunk) throws Exception {
        Path file = Files.writeString(dir.resolve("f" + chunk + ".csv"), content, StandardCharsets.UTF_8);
        List<String> lines = new ArrayList<>();
        try (FileChannel in = FileChannel.open(file, StandardOpenOption.READ)) {
            SuffixScanner.scanLines(in, suffix.getBytes(StandardCharsets.US_ASCII), lines::add, chunk);
        }
        return lines;
    }

    @Test
    void findsExactlyTheLinesEndingWithTheSuffixWhateverTheChunkBoundaries() throws Exception {
        StringBuilder content = new StringBuilder();
        List<String> expected = new ArrayList<>();
        for (int i = 0; i < 500; i++) {
            int number = i % 7 == 0 ? 7574 : (i % 5 == 0 ? 17574 : i);
            String line = i % 3 + ",Nicolás " + i + ",\"Pérez, Jr\"," + (30_000_000 + i) + ",1999-03-17," + number;
            content.append(line).append('\n');
            if (number == 7574) {
                expected.add(line);
            }
        }
        for (int chunk : new int[] {1, 2, 7, 64, 1000, 1 << 20}) {
            assertEquals(expected, scan(content.toString(), ",7574\n", chunk), "chunk " + chunk);
        }
    }

    @Test
    void ignoresNumbersThatOnlyEndWithTheWinningDigitsAndAnUnterminatedLastLine() throws Exception {
        assertEquals(List.of("1,a,b,1,1999-01-01,7574"),
                scan("1,a,b,1,1999-01-01,17574\n1,a,b,1,1999-01-01,7574\n1,a,b,2,1999-01-01,7574", ",7574\n", 8));
        assertEquals(List.of(), scan("", ",7574\n", 8));
    }

    @Test
    void findsAMatchOnTheFirstLineAndOnLinesShorterThanAWord() throws Exception {
        for (int chunk : new int[] {1, 3, 8, 64}) {
            assertEquals(List.of(",7574", "1,7574", "a,b,c,d,e,7574"),
                    scan(",7574\n1,7574\n7574\n\n,757\na,b,c,d,e,7574\n", ",7574\n", chunk), "chunk " + chunk);
        }
    }

    @Test
    void agreesWithEndsWithOnRandomLinesAndChunks() throws Exception {
        java.util.Random random = new java.util.Random(7574);
        String alphabet = ",7574\n1é";
        for (int round = 0; round < 200; round++) {
            StringBuilder content = new StringBuilder();
            int length = random.nextInt(200);
            for (int i = 0; i < length; i++) {
                content.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            List<String> expected = new ArrayList<>();
            String text = content.toString();
            int start = 0;
            for (int end = text.indexOf('\n'); end >= 0; start = end + 1, end = text.indexOf('\n', start)) {
                String line = text.substring(start, end);
                if ((line + "\n").endsWith(",7574\n")) {
                    expected.add(line);
                }
            }
            int chunk = 1 + random.nextInt(40);
            assertEquals(expected, scan(text, ",7574\n", chunk), () -> "content " + text.replace("\n", "\\n") + " chunk " + chunk);
        }
    }
}
