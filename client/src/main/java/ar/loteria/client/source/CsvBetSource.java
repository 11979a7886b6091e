package ar.loteria.client.source;

import ar.loteria.protocol.Bet;
import de.siegmar.fastcsv.reader.AbstractBaseCsvCallbackHandler;
import de.siegmar.fastcsv.reader.CloseableIterator;
import de.siegmar.fastcsv.reader.CsvParseException;
import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.FieldMismatchStrategy;
import de.siegmar.fastcsv.reader.RecordType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an agency file (no header; nombre, apellido, documento, nacimiento, numero; LF or
 * CRLF; RFC 4180 quoting): one record in memory at a time. A row that does not parse is logged
 * with file, line and reason, and skipped.
 *
 * <p>Read with FastCSV through a callback handler that turns each field into what the bet needs
 * as the reader hands it over (the names as Strings, the numbers straight from the reader's
 * buffer): reading the file is most of an agency's work, and commons-csv's Reader-per-char
 * lexer plus five Strings per row cost more than everything else the client and the central
 * do per bet (see docs/performance.md).
 */
public final class CsvBetSource implements BetSource {
    private static final Logger log = LoggerFactory.getLogger(CsvBetSource.class);
    static final int COLUMNS = 5;
    /**
     * Longest record the reader buffers, in characters. An ordinary row is ~45; a batch of one bet
     * may not exceed 8 KiB anyway. Bounds memory on a broken file (an unclosed quote).
     */
    static final int MAX_RECORD_CHARS = 256 * 1024;
    /**
     * Bytes asked of the file per read: the reader's decoder asks for 8 KiB at a time, which over
     * a 124 MB agency file (N=100) is 15,000 system calls instead of 2,000.
     */
    static final int READ_BYTES = 64 * 1024;

    private final Path file;
    private final RowHandler rows;
    private final CsvReader<Bet> reader;
    private final CloseableIterator<Bet> bets;
    private long lastLine;
    private long rejected;

    public CsvBetSource(Path file) throws IOException {
        this.file = file;
        this.rows = new RowHandler();
        this.reader = CsvReader.builder()
                // the handler reports a wrong column count as a bad row
                .extraFieldStrategy(FieldMismatchStrategy.IGNORE)
                .missingFieldStrategy(FieldMismatchStrategy.IGNORE)
                .skipEmptyLines(true)
                // a quote that never closes would swallow the rest of the file into one field
                .allowUnclosedQuote(false)
                .maxBufferSize(MAX_RECORD_CHARS)
                .build(rows, new InputStreamReader(new BufferedInputStream(Files.newInputStream(file), READ_BYTES),
                        StandardCharsets.UTF_8));
        this.bets = reader.iterator();
    }

    @Override
    public Bet next() throws IOException {
        try {
            if (!bets.hasNext()) {
                return null;
            }
            Bet bet = bets.next();
            lastLine = rows.line();
            return bet;
        } catch (UncheckedIOException e) {
            throw new IOException(file + ":" + rows.line() + ": " + e.getCause().getMessage(), e.getCause());
        } catch (CsvParseException e) {
            Throwable cause = e.getCause() != null ? e.getCause() : e;
            throw new IOException(file + ":" + rows.line() + ": " + cause.getMessage(), e);
        }
    }

    private void reportRow(long line, String reason) {
        rejected++;
        log.warn("action: leer_apuesta | result: fail | file: {} | line: {} | error: {}", file, line,
                reason.replace('|', '/'));
    }

    @Override
    public void reject(Bet bet, String reason) {
        reportRow(lastLine, reason);
    }

    @Override
    public long rejectedRows() {
        return rejected;
    }

    @Override
    public String description() {
        return file.toString();
    }

    @Override
    public void close() throws IOException {
        reader.close();
    }

    /**
     * Builds a Bet from each record's fields as the reader hands them over; a record that is not
     * a valid bet is reported here and yields null, which the reader skips.
     */
    private final class RowHandler extends AbstractBaseCsvCallbackHandler<Bet> {
        private String nombre;
        private String apellido;
        private int nombreProblem;
        private int apellidoProblem;
        private int document;
        private int birthdate;
        private int number;
        /** First problem of the numeric fields, in column order; the names are checked first. */
        private InvalidBetException numericProblem;

        long line() {
            return getStartingLineNumber();
        }

        @Override
        protected void handleBegin(long startingLineNumber) {
            numericProblem = null;
        }

        @Override
        protected void handleField(int index, char[] buf, int offset, int length, boolean quoted) {
            try {
                switch (index) {
                    case 0 -> {
                        nombreProblem = BetParser.nameProblem(buf, offset, length);
                        nombre = new String(buf, offset, length);
                    }
                    case 1 -> {
                        apellidoProblem = BetParser.nameProblem(buf, offset, length);
                        apellido = new String(buf, offset, length);
                    }
                    case 2 -> document = BetParser.document(buf, offset, length);
                    case 3 -> birthdate = BetParser.birthdate(buf, offset, length);
                    case 4 -> number = BetParser.number(buf, offset, length);
                    default -> {
                        // counted by the base class; the row is reported in buildRecord
                    }
                }
            } catch (InvalidBetException e) {
                if (numericProblem == null) {
                    numericProblem = e;
                }
            }
        }

        @Override
        protected Bet buildRecord() {
            if (getRecordType() != RecordType.DATA) {
                return null; // a blank line (comments are off)
            }
            long line = getStartingLineNumber();
            if (getFieldCount() != COLUMNS) {
                reportRow(line, "expected " + COLUMNS + " columns (nombre, apellido, documento, nacimiento, numero),"
                        + " found " + getFieldCount());
                return null;
            }
            try {
                BetParser.checkNames(nombreProblem, apellidoProblem);
                if (numericProblem != null) {
                    throw numericProblem;
                }
            } catch (InvalidBetException e) {
                reportRow(line, e.getMessage());
                return null;
            }
            return new Bet(nombre, apellido, document, birthdate, number);
        }
    }
}
