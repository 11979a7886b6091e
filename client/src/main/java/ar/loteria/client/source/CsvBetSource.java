package ar.loteria.client.source;

import ar.loteria.protocol.Bet;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Streams an agency file (no header; nombre, apellido, documento, nacimiento, numero; LF or
 * CRLF): one record in memory at a time. A row that does not parse is logged with file, line
 * and reason, and skipped.
 */
public final class CsvBetSource implements BetSource {
    private static final Logger log = LoggerFactory.getLogger(CsvBetSource.class);
    static final int COLUMNS = 5;
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setIgnoreEmptyLines(false).get();

    private final Path file;
    private final CSVParser parser;
    private final Iterator<CSVRecord> records;
    private long previousRecordEndLine;
    private long lastLine;
    private long rejected;

    public CsvBetSource(Path file) throws IOException {
        this.file = file;
        BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        this.parser = CSVParser.builder().setReader(reader).setFormat(FORMAT).get();
        this.records = parser.iterator();
    }

    @Override
    public Bet next() throws IOException {
        while (true) {
            CSVRecord record;
            try {
                if (!records.hasNext()) {
                    return null;
                }
                // hasNext() has read the whole record: the parser now stands at its last line.
                long endLine = parser.getCurrentLineNumber();
                record = records.next();
                lastLine = previousRecordEndLine + 1;
                previousRecordEndLine = endLine;
            } catch (UncheckedIOException e) {
                throw new IOException(file + ":" + (previousRecordEndLine + 1) + ": " + e.getCause().getMessage(), e);
            }
            if (record.size() == 1 && record.get(0).isEmpty()) {
                continue; // a blank line
            }
            if (record.size() != COLUMNS) {
                reportRow("expected " + COLUMNS + " columns (nombre, apellido, documento, nacimiento, numero), found "
                        + record.size());
                continue;
            }
            try {
                return BetParser.parse(record.get(0), record.get(1), record.get(2), record.get(3), record.get(4));
            } catch (InvalidBetException e) {
                reportRow(e.getMessage());
            }
        }
    }

    private void reportRow(String reason) {
        rejected++;
        log.warn("action: leer_apuesta | result: fail | file: {} | line: {} | error: {}", file, lastLine,
                reason.replace('|', '/'));
    }

    @Override
    public void reject(Bet bet, String reason) {
        reportRow(reason);
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
        parser.close();
    }
}
