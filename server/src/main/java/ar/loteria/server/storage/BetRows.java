package ar.loteria.server.storage;

import ar.loteria.protocol.Bet;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVFormat;

/**
 * The rows of the bets file: agency, nombre, apellido, documento, nacimiento, numero, exactly as
 * commons-csv prints them with {@link #FORMAT} (FileBetStoreTest holds them to CSVPrinter's output).
 */
public final class BetRows {
    /** RFC 4180 with '\n' line ends: quotes only what needs them. */
    public static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();

    private BetRows() {
    }

    /**
     * The rows of {@code batch} from bet {@code from} on. documento, nacimiento and numero are
     * digits and dashes (BetRules), which this format never quotes; a name goes through
     * commons-csv only when it needs quotes: printing every field through it is a large share of the
     * central's work per bet (the A/B: docs/performance.md).
     */
    public static byte[] format(int agency, List<Bet> batch, int from) throws IOException {
        StringBuilder text = new StringBuilder(64 * (batch.size() - from));
        for (Bet bet : batch.subList(from, batch.size())) {
            text.append(agency);
            appendName(text, bet.firstName());
            appendName(text, bet.lastName());
            text.append(',').append(bet.document()).append(',').append(bet.birthdate()).append(',').append(bet.number())
                    .append('\n');
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    private static void appendName(StringBuilder text, String name) throws IOException {
        if (printsUnquoted(name)) {
            text.append(',').append(name);
        } else {
            FORMAT.print(name, text, false); // the delimiter, then the name quoted
        }
    }

    /**
     * Whether commons-csv's minimal quoting leaves {@code name} as it is, in a field that does not
     * start a record: not empty, first character above '#', last above ' ', and no quote, comma or
     * line break.
     */
    static boolean printsUnquoted(String name) {
        int last = name.length() - 1;
        if (last < 0 || name.charAt(0) <= '#' || name.charAt(last) <= ' ') {
            return false;
        }
        for (int i = 0; i <= last; i++) {
            char c = name.charAt(i);
            if (c == ',' || c == '"' || c == '\n' || c == '\r') {
                return false;
            }
        }
        return true;
    }
}
