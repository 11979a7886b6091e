package ar.loteria.client.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.client.support.LogCapture;
import ar.loteria.protocol.Bet;
import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CsvBetSourceTest {
    private static final Bet LORCA = new Bet("Santiago Lionel", "Lorca", 30904465, 19990317, 2201);
    private static final Bet ZAMBRANO = new Bet("Agustin Emanuel", "Zambrano", 21689196, 20000510, 9181);
    private static final Bet PAZ = new Bet("Tiago Nicolás", "Paz", 40123456, 20011231, 7574);

    @TempDir
    Path dir;
    private LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
    }

    @AfterEach
    void releaseLogs() {
        logs.close();
    }

    private Path write(String name, String content) throws IOException {
        Path file = dir.resolve(name);
        Files.writeString(file, content, StandardCharsets.UTF_8);
        return file;
    }

    private static List<Bet> readAll(CsvBetSource source) throws IOException {
        List<Bet> bets = new ArrayList<>();
        Bet bet;
        while ((bet = source.next()) != null) {
            bets.add(bet);
        }
        assertNull(source.next(), "the source stays exhausted");
        return bets;
    }

    private static final String THREE_ROWS_LF = "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
            + "Agustin Emanuel,Zambrano,21689196,2000-05-10,9181\n"
            + "Tiago Nicolás,Paz,40123456,2001-12-31,7574\n";

    @Test
    void readsAnLfFile() throws IOException {
        Path file = write("lf.csv", THREE_ROWS_LF);
        try (CsvBetSource source = new CsvBetSource(file)) {
            assertEquals(List.of(LORCA, ZAMBRANO, PAZ), readAll(source));
            assertEquals(0, source.rejectedRows());
            assertEquals(file.toString(), source.description());
        }
        assertTrue(logs.lines(Level.WARN).isEmpty(), () -> "no warnings expected: " + logs.lines());
    }

    @Test
    void readsACrlfFileWithoutCarriageReturnsInTheValues() throws IOException {
        Path file = write("crlf.csv", THREE_ROWS_LF.replace("\n", "\r\n"));
        try (CsvBetSource source = new CsvBetSource(file)) {
            assertEquals(List.of(LORCA, ZAMBRANO, PAZ), readAll(source));
            assertEquals(0, source.rejectedRows());
        }
    }

    @Test
    void readsALastRowWithoutATrailingNewline() throws IOException {
        Path file = write("no-eol.csv", THREE_ROWS_LF.strip());
        try (CsvBetSource source = new CsvBetSource(file)) {
            assertEquals(List.of(LORCA, ZAMBRANO, PAZ), readAll(source));
        }
    }

    @Test
    void skipsMalformedRowsAndReportsFileLineAndReason() throws IOException {
        String content = "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "Agustin Emanuel,Zambrano,21689196,2000-05-10,9181\n"
                + "Solo,Tres,Columnas\n"
                + "Ana,Gómez,30111222,1999-02-30,10\n"
                + "Tiago Nicolás,Paz,40123456,2001-12-31,7574\n";
        for (String eol : List.of("\n", "\r\n")) {
            Path file = write(eol.length() == 1 ? "bad-lf.csv" : "bad-crlf.csv", content.replace("\n", eol));
            logs.close();
            logs = LogCapture.start();
            try (CsvBetSource source = new CsvBetSource(file)) {
                assertEquals(List.of(LORCA, ZAMBRANO, PAZ), readAll(source));
                assertEquals(2, source.rejectedRows());
            }
            List<String> warnings = logs.lines(Level.WARN);
            assertEquals(List.of(
                    "action: leer_apuesta | result: fail | file: " + file + " | line: 3 | error: expected 5 columns"
                            + " (nombre, apellido, documento, nacimiento, numero), found 3",
                    "action: leer_apuesta | result: fail | file: " + file + " | line: 4 | error: nacimiento"
                            + " \"1999-02-30\" is not a real date"),
                    warnings);
            logs.assertContract();
        }
    }

    @Test
    void skipsBlankLinesAndKeepsCountingThem() throws IOException {
        String content = "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "\n"
                + "Agustin Emanuel,Zambrano,21689196,2000-05-10,9181\n"
                + "\n"
                + "\n"
                + "Bad,Row,12a,2000-01-01,1\n"
                + "Tiago Nicolás,Paz,40123456,2001-12-31,7574\n"
                + "\n";
        Path file = write("blanks.csv", content.replace("\n", "\r\n"));
        try (CsvBetSource source = new CsvBetSource(file)) {
            assertEquals(List.of(LORCA, ZAMBRANO, PAZ), readAll(source));
            assertEquals(1, source.rejectedRows(), "blank lines are not rejected rows");
        }
        assertEquals(List.of("action: leer_apuesta | result: fail | file: " + file
                        + " | line: 6 | error: documento \"12a\" is not numeric"),
                logs.lines(Level.WARN));
    }

    @Test
    void readsQuotedFieldsWithCommasAndCountsLinesAfterAMultiLineField() throws IOException {
        String content = "\"Lionel, Santiago\",\"Lorca\",30904465,1999-03-17,2201\n"
                + "\"Ana\nMaría\",Gómez,30111222,1999-01-01,10\n"
                + "Bad,Row,30111222,1999-01-01,x\n"
                + "\"Tiago \"\"el\"\" Nicolás\",Paz,40123456,2001-12-31,7574\n";
        Path file = write("quoted.csv", content);
        try (CsvBetSource source = new CsvBetSource(file)) {
            List<Bet> bets = readAll(source);
            assertEquals(List.of(new Bet("Lionel, Santiago", "Lorca", 30904465, 19990317, 2201),
                    new Bet("Tiago \"el\" Nicolás", "Paz", 40123456, 20011231, 7574)), bets);
            assertEquals(2, source.rejectedRows());
        }
        assertEquals(List.of(
                "action: leer_apuesta | result: fail | file: " + file + " | line: 2 | error: nombre contains a control character",
                "action: leer_apuesta | result: fail | file: " + file + " | line: 4 | error: numero \"x\" is not numeric"),
                logs.lines(Level.WARN));
    }

    @Test
    void reportsABetRejectedByTheSenderAtItsLine() throws IOException {
        Path file = write("reject.csv", THREE_ROWS_LF);
        try (CsvBetSource source = new CsvBetSource(file)) {
            source.next();
            Bet second = source.next();
            source.reject(second, "too big | really");
            assertEquals(1, source.rejectedRows());
        }
        assertEquals(List.of("action: leer_apuesta | result: fail | file: " + file + " | line: 2 | error: too big / really"),
                logs.lines(Level.WARN));
    }

    @Test
    void anEmptyFileHasNoBets() throws IOException {
        Path file = write("empty.csv", "");
        try (CsvBetSource source = new CsvBetSource(file)) {
            assertEquals(List.of(), readAll(source));
            assertEquals(0, source.rejectedRows());
        }
    }

    @Test
    void aQuoteThatNeverClosesStopsTheReadingWithFileLineAndReason() throws IOException {
        Path file = write("unclosed.csv", "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "\"Ana,Gómez,30111222,1999-01-01,10\n"
                + "Tiago Nicolás,Paz,40123456,2001-12-31,7574\n");
        try (CsvBetSource source = new CsvBetSource(file)) {
            assertEquals(LORCA, source.next());
            IOException e = assertThrows(IOException.class, source::next);
            assertEquals(file + ":2: Unclosed quoted field at end of input (record starting at line 2)", e.getMessage());
        }
    }

    @Test
    void aRecordLongerThanTheReaderKeepsIsRefusedWithoutReadingTheWholeFile() throws IOException {
        String longName = "x".repeat(CsvBetSource.MAX_RECORD_CHARS + 10);
        Path file = write("long.csv", "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "\"" + longName + "\",Gómez,30111222,1999-01-01,10\n");
        try (CsvBetSource source = new CsvBetSource(file)) {
            assertEquals(LORCA, source.next());
            IOException e = assertThrows(IOException.class, source::next);
            assertTrue(e.getMessage().startsWith(file + ":2: The maximum buffer size of " + CsvBetSource.MAX_RECORD_CHARS
                    + " is insufficient to read the data of a single field."), e.getMessage());
        }
    }
}
