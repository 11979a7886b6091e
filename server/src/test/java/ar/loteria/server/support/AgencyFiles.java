package ar.loteria.server.support;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Agency files written the way the course's generators write them: short names, documents
 * zero-padded to 8 digits from 00000000, a fixed birthdate, numbers counting up; every
 * {@code winnerEvery}-th row plays 7574.
 */
public final class AgencyFiles {
    private AgencyFiles() {
    }

    public static Path write(Path file, int bets, int winnerEvery) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < bets; i++) {
                out.write(row(i, winnerEvery));
                out.write('\n');
            }
        }
        return file;
    }

    /** Row {@code i} as the file holds it: nombre, apellido, documento, nacimiento, numero. */
    public static String row(int i, int winnerEvery) {
        int number = i % winnerEvery == 0 ? 7574 : i % 10_000;
        String digits = Integer.toString(i);
        // The document zero-padded to 8 digits, without String.format: files of millions of rows.
        String document = "00000000".substring(Math.min(8, digits.length())) + digits;
        return "Name" + (i % 97) + ",Surname" + (i % 89) + "," + document + ",2000-01-01," + number;
    }
}
