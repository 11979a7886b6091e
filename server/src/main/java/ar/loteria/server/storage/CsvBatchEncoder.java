package ar.loteria.server.storage;

import ar.loteria.protocol.Bet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.commons.csv.CSVFormat;

/**
 * Turns a batch into the UTF-8 bytes of its CSV rows (agency, first name, last name, document,
 * birthdate as ISO date, number). One per connection, reused: it runs outside the storage lock
 * so that workers format in parallel and the lock covers only the write.
 *
 * <p>commons-csv formats the two names (quoting them when they need it) and ends each record.
 * The other four fields are a non-negative int or an ISO date, text made of digits and '-' that
 * starts with a digit, which this format never quotes (the tests hold every such field against
 * commons-csv's own printer): they are written as ASCII digits straight into the buffer, without
 * a String per field or a pass of the quoting rules. Calling commons-csv for six fields cost more
 * than everything else the server does per bet (197 ns per row in StoreBenchmark.encodeOnly with
 * every field printed by it, 132 ns with only the names).
 *
 * <p>It calls {@link CSVFormat#print(Object, Appendable, boolean)} on a format of its own: the
 * method is synchronized (and CSVPrinter takes a lock per field), so a shared instance would make
 * workers contend for nothing.
 */
public final class CsvBatchEncoder {
    private final CSVFormat format = BetStore.FORMAT.builder().get();
    private final Utf8Buffer rows = new Utf8Buffer(16 * 1024);
    private final char delimiter = format.getDelimiterString().charAt(0);

    /** Encodes the batch; the bytes stay valid until the next call. */
    public EncodedRows encode(int agency, List<Bet> bets) {
        rows.reset();
        try {
            for (Bet bet : bets) {
                rows.appendDigits(agency);
                format.print(bet.firstName(), rows, false);
                format.print(bet.lastName(), rows, false);
                rows.append(delimiter).appendDigits(bet.document());
                rows.append(delimiter).appendIsoDate(bet.birthdate());
                rows.append(delimiter).appendDigits(bet.number());
                format.println(rows);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // Utf8Buffer does not throw
        }
        return new EncodedRows(rows.array(), rows.length(), bets.size());
    }
}
