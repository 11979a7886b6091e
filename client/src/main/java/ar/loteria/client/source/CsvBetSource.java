package ar.loteria.client.source;

import ar.loteria.common.BetRules;
import ar.loteria.common.InvalidBetException;
import ar.loteria.common.LogLine;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetCodec;
import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import de.siegmar.fastcsv.reader.CsvRecordHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an agency file (nombre, apellido, documento, nacimiento, numero; LF or CRLF; RFC 4180
 * quoting), one record in memory at a time, with FastCSV. A row that is not a valid bet
 * ({@link BetRules}), or too large for any batch, is logged with file, line and reason, and
 * skipped. Files written by other tools are read as their authors mean them: a UTF-8 byte order
 * mark is not part of the first name, a first row that names the columns is a header, not a
 * bad bet, and lines holding only spaces are skipped like empty ones.
 *
 * <p>Quoting is read as Python's {@code csv} module reads it (the course's tools): text after a
 * closing quote joins the field ({@code "Ana" ,P} is {@code Ana }). What FastCSV cannot read on
 * from (a quote never closed, a record over {@link #MAX_RECORD_CHARS}) is one bad row reaching to
 * the end of the file: it is logged and the bets before it are sent, so that the agency still
 * finishes and the round is not held up by a file it cannot read. Every run stops at the same
 * place, so resuming skips the same bets.
 */
public final class CsvBetSource implements BetSource {
    private static final Logger log = LoggerFactory.getLogger(CsvBetSource.class);
    private static final List<String> HEADER = List.of("nombre", "apellido", "documento", "nacimiento", "numero");
    private static final int COLUMNS = HEADER.size();
    /** Where FastCSV's messages name the line of the record it could not read. */
    private static final Pattern LINE = Pattern.compile("line (\\d+)");
    /** Longest record read, in characters: bounds memory on a broken file (say, a quote never closed). */
    static final int MAX_RECORD_CHARS = 64 * 1024;

    /** A bet's bytes on the wire besides its strings' characters. */
    private static final int EMPTY_BET_BYTES = BetCodec.sizeOf(new Bet("", "", "", "", 0));

    private final Path file;
    private final int maxBetBytes;
    private final CsvReader<CsvRecord> reader;
    private final CloseableIterator<CsvRecord> records;
    private boolean firstRecordSeen;
    /** FastCSV met what it cannot read past: the file ends here for this source. */
    private boolean unreadable;

    private CsvBetSource(Path file, int maxBetBytes) throws IOException {
        this.file = file;
        this.maxBetBytes = maxBetBytes;
        this.reader = CsvReader.builder()
                .allowExtraFields(true) // a wrong column count is reported as a bad row, below
                .allowMissingFields(true)
                .skipEmptyLines(true)
                .allowUnclosedQuote(false) // else it would swallow the rest of the file into one field
                .allowExtraCharsAfterClosingQuote(true)
                .detectBomHeader(true)
                .maxBufferSize(MAX_RECORD_CHARS)
                // As many fields as a record of MAX_RECORD_CHARS can hold: a row of too many fields is
                // one bad row, not the end of what can be read (FastCSV's own limit is 16,384).
                .build(CsvRecordHandler.of(handler -> handler.maxFields(MAX_RECORD_CHARS + 1)), file);
        this.records = reader.iterator();
    }

    /** Opens {@code file} anew for every session; bets larger than {@code maxBetBytes} on the wire are bad rows. */
    public static Opener opener(Path file, int maxBetBytes) {
        return () -> new CsvBetSource(file, maxBetBytes);
    }

    @Override
    public Bet next() throws IOException {
        if (unreadable) {
            return null;
        }
        try {
            while (records.hasNext()) {
                CsvRecord record = records.next();
                if (record.getFieldCount() == 1 && record.getField(0).isBlank()) {
                    continue; // only spaces: an empty line to whoever wrote the file (also before a header)
                }
                if (!firstRecordSeen) {
                    firstRecordSeen = true;
                    if (isHeader(record)) {
                        LogLine.success("leer_apuesta").with("file", file).with("line", record.getStartingLineNumber())
                                .with("skipped", "header").debug(log);
                        continue;
                    }
                }
                try {
                    return bet(record);
                } catch (InvalidBetException e) {
                    LogLine.fail("leer_apuesta").with("file", file).with("line", record.getStartingLineNumber())
                            .with("error", e.getMessage()).warn(log);
                }
            }
            return null;
        } catch (UncheckedIOException e) {
            // The JDK's own message may not name the file (a directory gives "Is a directory").
            String message = e.getCause().getMessage();
            throw message != null && message.contains(file.toString()) ? e.getCause()
                    : new IOException(file + ": " + message, e.getCause());
        } catch (CsvParseException e) {
            unreadable = true;
            String reason = e.getCause() != null ? e.getCause().getMessage() : e.getMessage();
            Matcher line = LINE.matcher(reason);
            LogLine.fail("leer_apuesta").with("file", file).with("line", line.find() ? line.group(1) : "unknown")
                    .with("error", reason + "; the file is not read past this point").warn(log);
            return null;
        }
    }

    /** The column names, in any case and with or without the accent of número. */
    private static boolean isHeader(CsvRecord record) {
        if (record.getFieldCount() != COLUMNS) {
            return false;
        }
        for (int i = 0; i < COLUMNS; i++) {
            String name = record.getField(i).strip().toLowerCase(Locale.ROOT).replace('ú', 'u');
            if (!name.equals(HEADER.get(i))) {
                return false;
            }
        }
        return true;
    }

    private Bet bet(CsvRecord record) throws InvalidBetException {
        if (record.getFieldCount() != COLUMNS) {
            throw new InvalidBetException("expected " + COLUMNS + " columns (" + String.join(", ", HEADER) + "), found "
                    + record.getFieldCount());
        }
        for (int i = 0; i < COLUMNS; i++) {
            if (record.getField(i).indexOf('\n') >= 0) {
                // Most likely a quote not closed where it was meant to be: say which lines it took.
                long breaks = record.getFields().stream().mapToLong(field -> field.chars().filter(c -> c == '\n').count()).sum();
                throw new InvalidBetException("a quoted field runs over lines " + record.getStartingLineNumber() + " to "
                        + (record.getStartingLineNumber() + breaks) + " (is a quote not closed?)");
            }
        }
        Bet bet = BetRules.parse(record.getField(0), record.getField(1), record.getField(2), record.getField(3),
                record.getField(4));
        String tooLarge = sizeProblem(bet, maxBetBytes);
        if (tooLarge != null) {
            throw new InvalidBetException(tooLarge);
        }
        return bet;
    }

    /** Why a valid bet still cannot be sent: it would not fit a batch even alone. Null when it fits. */
    static String sizeProblem(Bet bet, int maxBetBytes) {
        // A char takes at most 3 bytes in UTF-8: when even that fits, the exact size (counted
        // again when the bet is put in a batch) is not needed. Only very long rows are counted here.
        int chars = bet.firstName().length() + bet.lastName().length() + bet.document().length()
                + bet.birthdate().length();
        if (EMPTY_BET_BYTES + 3L * chars <= maxBetBytes) {
            return null;
        }
        int size = BetCodec.sizeOf(bet);
        return size > maxBetBytes ? "the bet takes " + size + " bytes on the wire; at most " + maxBetBytes
                + " fit in a batch" : null;
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }
}
