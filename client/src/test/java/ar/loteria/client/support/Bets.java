package ar.loteria.client.support;

import ar.loteria.protocol.Bet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.IntFunction;

/** Builds agency CSV files for tests, together with the bets they must produce. */
public final class Bets {
    private Bets() {
    }

    /** An ordinary valid bet, different for each index. */
    public static Bet ordinary(int i) {
        return new Bet("Nombre" + i, "Apellido" + i, String.valueOf(20_000_000 + i),
                String.format("19%02d-%02d-%02d", 50 + i % 50, 1 + i % 12, 1 + i % 28), i % 10_000);
    }

    /** The CSV row of a bet (names quoted when they need it). */
    public static String row(Bet bet) {
        return String.join(",", quote(bet.firstName()), quote(bet.lastName()), bet.document(), bet.birthdate(),
                String.valueOf(bet.number()));
    }

    private static String quote(String value) {
        return value.contains(",") || value.contains("\"") || value.contains("\n") || value.contains("\r")
                ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
    }

    public static List<Bet> list(int count, IntFunction<Bet> maker) {
        List<Bet> bets = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            bets.add(maker.apply(i));
        }
        return bets;
    }

    /** Writes the bets, one row each, with LF line ends. */
    public static Path write(Path file, List<Bet> bets) throws IOException {
        return writeRows(file, bets.stream().map(Bets::row).toList());
    }

    /** Writes the rows as they are, each followed by LF. */
    public static Path writeRows(Path file, List<String> rows) throws IOException {
        StringBuilder content = new StringBuilder();
        for (String row : rows) {
            content.append(row).append('\n');
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
