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

    /** An ordinary bet, different for each index. */
    public static Bet ordinary(int i) {
        return new Bet("Nombre" + i, "Apellido" + i, 20_000_000 + i, 19_900_101 + (i % 28), i % 10_000);
    }

    /** The CSV row of a bet. */
    public static String row(Bet bet) {
        int d = bet.birthdate();
        return String.format("%s,%s,%d,%04d-%02d-%02d,%d", quote(bet.firstName()), quote(bet.lastName()), bet.document(),
                d / 10000, d / 100 % 100, d % 100, bet.number());
    }

    private static String quote(String value) {
        return value.contains(",") || value.contains("\"") ? "\"" + value.replace("\"", "\"\"") + "\"" : value;
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
        StringBuilder content = new StringBuilder();
        for (Bet bet : bets) {
            content.append(row(bet)).append('\n');
        }
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }
}
