package ar.loteria.server.storage;

import ar.loteria.protocol.Bet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.QuoteMode;

/**
 * Turns a batch into the UTF-8 bytes of its CSV rows (agency, first name, last name, document,
 * birthdate as ISO date, number). One per connection, reused: it runs outside the storage lock
 * so that workers format in parallel and the lock covers only the write.
 *
 * <p>The rows are byte for byte what commons-csv's printer writes with {@link BetStore#FORMAT}
 * (the tests hold them against it), without calling it per field: that cost more than
 * everything else the server does per bet, and each call allocates (its delimiter as a new
 * char[]). A name that this format prints as it is (see {@link #printsUnquoted}: every name in
 * the real data) is encoded straight into the buffer; any other goes through commons-csv, which
 * quotes it. The other four fields are a non-negative int or an ISO date, text made of digits
 * and '-' that starts with a digit, which this format never quotes: they are written as ASCII
 * digits. StoreBenchmark.encodeOnly: 197 ns per row with every field printed by commons-csv,
 * ~100 now. A per-connection map of names to their formatted bytes came before this: 81-85 ns in
 * the benchmark, whose Strings keep their hash codes; but the server decodes new Strings for
 * every batch, so each lookup hashed and compared the name, and in make bench the two cost the
 * same (server CPU 4.05 s with the map, 4.00 s without, six alternating pairs). Without it there
 * is no cache to bound and no second copy of each name.
 *
 * <p>The format is this encoder's own copy: {@link CSVFormat#print(Object, Appendable, boolean)} is
 * synchronized (and CSVPrinter takes a lock per field), so a shared instance would make workers
 * contend for nothing.
 */
public final class CsvBatchEncoder {
    private final CSVFormat format = BetStore.FORMAT.builder().get();
    private final Utf8Buffer rows = new Utf8Buffer(16 * 1024);
    private final char delimiter = format.getDelimiterString().charAt(0);
    /** Whether {@link #printsUnquoted} describes {@link #format}; if not, commons-csv prints every name. */
    private final boolean plainNamesAsIs = quotesLikeDefault(format);
    /** What commons-csv ends a record with. */
    private final byte[] recordEnd;

    public CsvBatchEncoder() {
        Utf8Buffer end = new Utf8Buffer(8);
        try {
            format.println(end);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // Utf8Buffer does not throw
        }
        this.recordEnd = Arrays.copyOf(end.array(), end.length());
    }

    /** Encodes the batch; the bytes stay valid until the next call. */
    public EncodedRows encode(int agency, List<Bet> bets) {
        rows.reset();
        for (Bet bet : bets) {
            rows.appendDigits(agency);
            appendName(bet.firstName());
            appendName(bet.lastName());
            rows.append(delimiter).appendDigits(bet.document());
            rows.append(delimiter).appendIsoDate(bet.birthdate());
            rows.append(delimiter).appendDigits(bet.number());
            rows.appendBytes(recordEnd);
        }
        return new EncodedRows(rows.array(), rows.length(), bets.size());
    }

    /** The delimiter and the name as commons-csv prints them (quoted when needed). */
    private void appendName(String value) {
        if (plainNamesAsIs && printsUnquoted(value)) {
            rows.append(delimiter).append(value);
            return;
        }
        try {
            format.print(value, rows, false);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // Utf8Buffer does not throw
        }
    }

    /**
     * Whether commons-csv's minimal quoting leaves {@code value} as it is, in a field that does
     * not start a record: not empty, the first character above '#' (the comment marker), the last
     * above ' ', and no line break, quote or delimiter anywhere. Valid for a format such as
     * {@link #quotesLikeDefault} accepts.
     */
    static boolean printsUnquoted(String value) {
        int last = value.length() - 1;
        if (last < 0 || value.charAt(0) <= '#' || value.charAt(last) <= ' ') {
            return false;
        }
        for (int i = 0; i <= last; i++) {
            char c = value.charAt(i);
            if (c <= ',' && (c == ',' || c == '"' || c == '\n' || c == '\r')) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether {@code format} quotes as {@link #printsUnquoted} assumes: minimal quoting with '"',
     * ',' as the delimiter, no escape character and no trimming (CSVFormat.DEFAULT's choices).
     */
    static boolean quotesLikeDefault(CSVFormat format) {
        return (format.getQuoteMode() == null || format.getQuoteMode() == QuoteMode.MINIMAL)
                && Character.valueOf('"').equals(format.getQuoteCharacter())
                && ",".equals(format.getDelimiterString())
                && !format.isEscapeCharacterSet()
                && !format.getTrim();
    }
}
