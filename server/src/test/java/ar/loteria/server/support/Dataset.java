package ar.loteria.server.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/** The real agency data (.data/dataset.zip), extracted for a test, and what it should produce. */
public final class Dataset {
    public static final int AGENCIES = 5;
    public static final int TOTAL_BETS = 78_697;

    private Dataset() {
    }

    public static Path zip() {
        return Path.of(System.getProperty("dataset.zip", "../.data/dataset.zip"));
    }

    /** Extracts agency-1.csv .. agency-5.csv into {@code dir}. */
    public static void extract(Path dir) throws IOException {
        try (InputStream raw = Files.newInputStream(zip()); ZipInputStream zip = new ZipInputStream(raw)) {
            ZipEntry entry;
            while ((entry = zip.getNextEntry()) != null) {
                if (!entry.isDirectory() && entry.getName().endsWith(".csv")) {
                    Files.copy(zip, dir.resolve(Path.of(entry.getName()).getFileName().toString()));
                }
            }
        }
    }

    public static Path agencyFile(Path dir, int agency) {
        return dir.resolve("agency-" + agency + ".csv");
    }

    /** Rows of an agency file as field arrays (the files have no header and no quoting). */
    public static List<String[]> rows(Path file) throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isEmpty()) {
                    rows.add(line.split(",", -1));
                }
            }
        }
        return rows;
    }

    /** Documents of the bets that play 7574, per agency, straight from the files. */
    public static Map<Integer, List<String>> expectedWinners(Path dir, int agencies) throws IOException {
        Map<Integer, List<String>> winners = new HashMap<>();
        for (int agency = 1; agency <= agencies; agency++) {
            List<String> documents = new ArrayList<>();
            for (String[] row : rows(agencyFile(dir, agency))) {
                if (Integer.parseInt(row[4]) == 7574) {
                    documents.add(row[2]);
                }
            }
            winners.put(agency, documents);
        }
        return winners;
    }
}
