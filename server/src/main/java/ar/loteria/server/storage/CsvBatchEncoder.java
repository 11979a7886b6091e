package ar.loteria.server.storage;

import ar.loteria.protocol.Bet;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.commons.csv.CSVPrinter;

/**
 * Turns a batch into the bytes of its CSV rows (agency, first name, last name, document,
 * birthdate as ISO date, number). One per connection: it reuses its buffer, and it runs outside
 * the storage lock so that workers format in parallel and the lock covers only the write.
 */
public final class CsvBatchEncoder {
    private final StringBuilder text = new StringBuilder(16 * 1024);
    private final CSVPrinter printer;

    public CsvBatchEncoder() {
        try {
            printer = new CSVPrinter(text, BetStore.FORMAT);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringBuilder does not throw
        }
    }

    public byte[] encode(int agency, List<Bet> bets) {
        text.setLength(0);
        try {
            for (Bet bet : bets) {
                printer.printRecord(agency, bet.firstName(), bet.lastName(), bet.document(),
                        isoDate(bet.birthdate()), bet.number());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return text.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** yyyymmdd (already validated) to YYYY-MM-DD. */
    static String isoDate(int yyyymmdd) {
        char[] c = new char[10];
        int y = yyyymmdd / 10000;
        int m = yyyymmdd / 100 % 100;
        int d = yyyymmdd % 100;
        c[0] = (char) ('0' + y / 1000);
        c[1] = (char) ('0' + y / 100 % 10);
        c[2] = (char) ('0' + y / 10 % 10);
        c[3] = (char) ('0' + y % 10);
        c[4] = '-';
        c[5] = (char) ('0' + m / 10);
        c[6] = (char) ('0' + m % 10);
        c[7] = '-';
        c[8] = (char) ('0' + d / 10);
        c[9] = (char) ('0' + d % 10);
        return new String(c);
    }
}
