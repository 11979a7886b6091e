package ar.loteria.server.support;

import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Writes a synthetic agency file large enough that a run is still streaming when a test interrupts it. */
public final class BigAgencyFile {
    private BigAgencyFile() {
    }

    public static Path write(Path file, int bets) throws IOException {
        try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < bets; i++) {
                out.write("Nombre" + (i % 97) + ",Apellido" + (i % 89) + "," + (20_000_000 + i) + ",1990-0"
                        + (1 + i % 9) + "-1" + (i % 10) + "," + (i % 10_000) + "\n");
            }
        }
        return file;
    }

    /** The fields of row {@code i}, as {@link #write} wrote it, as stored by the server (agency first). */
    public static String storedRow(int agency, int i) {
        return agency + ",Nombre" + (i % 97) + ",Apellido" + (i % 89) + "," + (20_000_000 + i) + ",1990-0"
                + (1 + i % 9) + "-1" + (i % 10) + "," + (i % 10_000);
    }
}
