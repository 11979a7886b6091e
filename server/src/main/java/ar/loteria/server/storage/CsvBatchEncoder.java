package ar.loteria.server.storage;

import ar.loteria.protocol.Bet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.csv.CSVFormat;

/**
 * Turns a batch into the UTF-8 bytes of its CSV rows (agency, first name, last name, document,
 * birthdate as ISO date, number). One per connection, reused: it runs outside the storage lock
 * so that workers format in parallel and the lock covers only the write.
 *
 * <p>commons-csv formats each name (quoting it when it needs it) and the end of a record. A name's
 * formatted bytes are kept and reused the next time the same name comes (see
 * {@link #DEFAULT_CACHED_NAMES}): calling commons-csv per field cost more than everything else the
 * server does per bet, and each call allocates (its delimiter as a new char[]). The other four
 * fields are a non-negative int or an ISO date, text made of digits and '-' that starts with a
 * digit, which this format never quotes (the tests hold every such field against commons-csv's
 * own printer): they are written as ASCII digits straight into the buffer. StoreBenchmark.encodeOnly:
 * 197 ns per row with every field printed by commons-csv, 132 with only the names, 81 with the
 * names' bytes reused.
 *
 * <p>The format is this encoder's own copy: {@link CSVFormat#print(Object, Appendable, boolean)} is
 * synchronized (and CSVPrinter takes a lock per field), so a shared instance would make workers
 * contend for nothing.
 */
public final class CsvBatchEncoder {
    /**
     * Names whose formatted bytes are kept, per encoder (one per connection). Agencies send the
     * same names over and over (the real data: 1,000 first names and 123 last names for 78,697
     * bets); when the map is full it starts again, so memory stays bounded (~250 KB) whatever
     * the names.
     */
    static final int DEFAULT_CACHED_NAMES = 2048;

    private final CSVFormat format = BetStore.FORMAT.builder().get();
    private final Utf8Buffer rows = new Utf8Buffer(16 * 1024);
    private final Utf8Buffer name = new Utf8Buffer(256);
    private final char delimiter = format.getDelimiterString().charAt(0);
    private final Map<String, byte[]> formattedNames = new HashMap<>();
    private final int maxCachedNames;
    /** What commons-csv ends a record with. */
    private final byte[] recordEnd;

    public CsvBatchEncoder() {
        this(DEFAULT_CACHED_NAMES);
    }

    CsvBatchEncoder(int maxCachedNames) {
        this.maxCachedNames = maxCachedNames;
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
            rows.appendBytes(formatted(bet.firstName()));
            rows.appendBytes(formatted(bet.lastName()));
            rows.append(delimiter).appendDigits(bet.document());
            rows.append(delimiter).appendIsoDate(bet.birthdate());
            rows.append(delimiter).appendDigits(bet.number());
            rows.appendBytes(recordEnd);
        }
        return new EncodedRows(rows.array(), rows.length(), bets.size());
    }

    /** The delimiter and the name as commons-csv prints them (quoted when needed), in UTF-8. */
    private byte[] formatted(String value) {
        byte[] bytes = formattedNames.get(value);
        if (bytes == null) {
            name.reset();
            try {
                format.print(value, name, false);
            } catch (IOException e) {
                throw new UncheckedIOException(e); // Utf8Buffer does not throw
            }
            bytes = Arrays.copyOf(name.array(), name.length());
            if (formattedNames.size() == maxCachedNames) {
                formattedNames.clear();
            }
            formattedNames.put(value, bytes);
        }
        return bytes;
    }
}
