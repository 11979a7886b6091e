package ar.loteria.bench;

import ar.loteria.common.BetRules;
import ar.loteria.common.InvalidBetException;
import ar.loteria.protocol.Bet;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The real agency rows, read from {@code .data/dataset.zip} (system property {@code bench.dataset}
 * overrides the path; the default is looked up from the working directory upwards).
 */
public final class BenchData {
    private BenchData() {
    }

    public static Path datasetZip() {
        String explicit = System.getProperty("bench.dataset");
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(".data").resolve("dataset.zip");
            if (Files.isRegularFile(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("cannot find .data/dataset.zip from " + Path.of("").toAbsolutePath()
                + "; run from the repository root or pass -Dbench.dataset=PATH");
    }

    /** The raw bytes of one agency file inside the zip (no header, CRLF, as shipped). */
    public static byte[] agencyFile(int agency) {
        String name = "agency-" + agency + ".csv";
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(datasetZip()))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                if (entry.getName().equals(name) || entry.getName().endsWith("/" + name)) {
                    return readAll(zip);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        throw new IllegalStateException(name + " not found in " + datasetZip());
    }

    /** The five text fields of every row of one agency file. The data has no quotes. */
    public static List<String[]> rows(int agency) {
        String text = new String(agencyFile(agency), StandardCharsets.UTF_8);
        List<String[]> rows = new ArrayList<>();
        for (String line : text.split("\r?\n")) {
            if (!line.isEmpty()) {
                String[] fields = line.split(",", -1);
                if (fields.length != 5) {
                    throw new IllegalStateException("unexpected row: " + line);
                }
                rows.add(fields);
            }
        }
        return rows;
    }

    /** Every row of one agency file as a {@link Bet}, checked by {@link BetRules}. */
    public static List<Bet> bets(int agency) {
        List<Bet> bets = new ArrayList<>();
        for (String[] f : rows(agency)) {
            try {
                bets.add(BetRules.parse(f[0], f[1], f[2], f[3], f[4]));
            } catch (InvalidBetException e) {
                throw new IllegalStateException("real row does not parse: " + String.join(",", f), e);
            }
        }
        return bets;
    }

    private static byte[] readAll(InputStream in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream(2 << 20);
        in.transferTo(out);
        return out.toByteArray();
    }
}
