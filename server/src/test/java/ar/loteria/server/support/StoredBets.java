package ar.loteria.server.support;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/** What a storage directory holds, read with commons-csv as any tool would read it. */
public final class StoredBets {
    private StoredBets() {
    }

    /** Every row of bets.csv: agency, nombre, apellido, documento, nacimiento, numero. */
    public static List<List<String>> rows(Path storageDir) throws IOException {
        List<List<String>> rows = new ArrayList<>();
        try (Reader reader = Files.newBufferedReader(storageDir.resolve("bets.csv"), StandardCharsets.UTF_8);
             CSVParser parser = CSVParser.builder().setReader(reader).setFormat(CSVFormat.DEFAULT).get()) {
            for (CSVRecord record : parser) {
                rows.add(record.toList());
            }
        }
        return rows;
    }

    /** The rows of each agency, in file order, without the agency column: what the agency's file holds, exactly once. */
    public static Map<Integer, List<List<String>>> byAgency(Path storageDir) throws IOException {
        Map<Integer, List<List<String>>> byAgency = new TreeMap<>();
        for (List<String> row : rows(storageDir)) {
            byAgency.computeIfAbsent(Integer.parseInt(row.get(0)), a -> new ArrayList<>()).add(row.subList(1, row.size()));
        }
        return byAgency;
    }
}
