package ar.loteria.client.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.client.support.LogCapture;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetCodec;
import ch.qos.logback.classic.Level;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CsvBetSourceTest {
    /** Room for bets in an 8 KiB BetBatch frame: 8192 less header (5), agency, firstBet and the count (4 each). */
    private static final int MAX_BET_BYTES = 8192 - 17;
    private static final Bet LORCA = new Bet("Santiago Lionel", "Lorca", "30904465", "1999-03-17", 2201);
    private static final Bet ZAMBRANO = new Bet("Agustin Emanuel", "Zambrano", "21689196", "2000-05-10", 9181);
    private static final Bet PAZ = new Bet("Tiago Nicolás", "Muñoz Paz", "40123456", "2000-02-29", 7574);
    private static final String THREE_ROWS = "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
            + "Agustin Emanuel,Zambrano,21689196,2000-05-10,9181\n"
            + "Tiago Nicolás,Muñoz Paz,40123456,2000-02-29,7574\n";

    @TempDir
    Path dir;
    private LogCapture logs;

    @BeforeEach
    void captureLogs() {
        logs = LogCapture.start();
    }

    @AfterEach
    void releaseLogs() {
        logs.assertGrammar();
        logs.close();
    }

    private Path write(String name, String content) throws IOException {
        return Files.writeString(dir.resolve(name), content, StandardCharsets.UTF_8);
    }

    private static List<Bet> readAll(Path file) throws IOException {
        try (BetSource source = CsvBetSource.opener(file, MAX_BET_BYTES).open()) {
            List<Bet> bets = new ArrayList<>();
            for (Bet bet = source.next(); bet != null; bet = source.next()) {
                bets.add(bet);
            }
            assertNull(source.next(), "the source stays exhausted");
            return bets;
        }
    }

    private String warning(Path file, int line, String error) {
        return "action: leer_apuesta | result: fail | file: " + file + " | line: " + line + " | error: " + error;
    }

    @ParameterizedTest(name = "line end {0}")
    @ValueSource(strings = {"LF", "CRLF"})
    void readsEveryRowWithEitherLineEnd(String lineEnd) throws IOException {
        Path file = write("bets.csv", lineEnd.equals("LF") ? THREE_ROWS : THREE_ROWS.replace("\n", "\r\n"));

        assertEquals(List.of(LORCA, ZAMBRANO, PAZ), readAll(file), "no carriage return left in a value");
        assertEquals(List.of(), logs.lines(Level.WARN));
    }

    @Test
    void readsALastRowWithoutALineEnd() throws IOException {
        assertEquals(List.of(LORCA, ZAMBRANO, PAZ), readAll(write("no-eol.csv", THREE_ROWS.strip())));
    }

    @Test
    void keepsTheDocumentExactlyAsWritten() throws IOException {
        Path file = write("docs.csv", "Cero,Ceros,00000000,1999-03-17,1\nLa,Respuesta,0042,1999-03-17,42\n");

        assertEquals(List.of(new Bet("Cero", "Ceros", "00000000", "1999-03-17", 1),
                new Bet("La", "Respuesta", "0042", "1999-03-17", 42)), readAll(file));
        assertEquals(List.of(), logs.lines(Level.WARN));
    }

    @Test
    void readsQuotedFields() throws IOException {
        Path file = write("quoted.csv", "\"Lionel, Santiago\",\"Lorca\",30904465,1999-03-17,2201\n"
                + "\"Tiago \"\"el\"\" Nicolás\",Muñoz Paz,\"40123456\",2000-02-29,\"7574\"\r\n");

        assertEquals(List.of(new Bet("Lionel, Santiago", "Lorca", "30904465", "1999-03-17", 2201),
                new Bet("Tiago \"el\" Nicolás", "Muñoz Paz", "40123456", "2000-02-29", 7574)), readAll(file));
    }

    @ParameterizedTest(name = "line end {0}")
    @ValueSource(strings = {"LF", "CRLF"})
    void skipsEmptyLinesAndCountsThemInLineNumbers(String lineEnd) throws IOException {
        String content = "\n"
                + "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "\n"
                + "Agustin Emanuel,Zambrano,21689196,2000-05-10,9181\n"
                + "\n"
                + "\n"
                + "Bad,Row,12a,2000-01-01,1\n"
                + "Tiago Nicolás,Muñoz Paz,40123456,2000-02-29,7574\n"
                + "\n";
        Path file = write("blanks.csv", lineEnd.equals("LF") ? content : content.replace("\n", "\r\n"));

        assertEquals(List.of(LORCA, ZAMBRANO, PAZ), readAll(file));
        assertEquals(List.of(warning(file, 7, "documento \"12a\" is not a number (one or more ASCII digits)")),
                logs.lines(Level.WARN), "an empty line is no bad row");
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = ';', quoteCharacter = '\'', value = {
            "Ana,Gómez,12a,1999-01-01,10;           documento \"12a\" is not a number (one or more ASCII digits)",
            "Ana,Gómez,-5,1999-01-01,10;            documento \"-5\" is not a number (one or more ASCII digits)",
            "Ana,Gómez,,1999-01-01,10;              documento \"\" is not a number (one or more ASCII digits)",
            "Ana,Gómez,30111222,2001-02-29,10;      nacimiento \"2001-02-29\" is not a real date",
            "Ana,Gómez,30111222,17/03/1999,10;      nacimiento \"17/03/1999\" is not an ISO date YYYY-MM-DD",
            "Ana,Gómez,30111222,1999-01-01,10000;   numero \"10000\" is outside 0..9999",
            "Ana,Gómez,30111222,1999-01-01,x;       numero \"x\" is not a number (ASCII digits)",
            ",Gómez,30111222,1999-01-01,10;         nombre is blank",
            "Ana, ,30111222,1999-01-01,10;          apellido is blank",
            "Solo,Tres,Columnas;                    expected 5 columns (nombre, apellido, documento, nacimiento, numero), found 3",
            "Ana,Gómez,30111222,1999-01-01,10,sobra; expected 5 columns (nombre, apellido, documento, nacimiento, numero), found 6",
    })
    void aBadRowIsReportedWithFileLineAndReasonAndSkipped(String row, String reason) throws IOException {
        Path file = write("bad.csv", "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n" + row
                + "\nAgustin Emanuel,Zambrano,21689196,2000-05-10,9181\n");

        assertEquals(List.of(LORCA, ZAMBRANO), readAll(file));
        assertEquals(List.of(warning(file, 2, reason)), logs.lines(Level.WARN));
    }

    @Test
    void aQuotedLineBreakIsOneRecordAndLaterLinesKeepTheirNumbers() throws IOException {
        Path file = write("multiline.csv", "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "\"Ana\nMaría\",Gómez,30111222,1999-01-01,10\n"
                + "Bad,Row,30111222,1999-01-01,x\n"
                + "Tiago Nicolás,Muñoz Paz,40123456,2000-02-29,7574\n");

        assertEquals(List.of(LORCA, PAZ), readAll(file));
        assertEquals(List.of(warning(file, 2, "a quoted field runs over lines 2 to 3 (is a quote not closed?)"),
                warning(file, 4, "numero \"x\" is not a number (ASCII digits)")), logs.lines(Level.WARN));
    }

    @ParameterizedTest(name = "{0}")
    @ValueSource(strings = {"nombre,apellido,documento,nacimiento,numero\n",
            "NOMBRE,Apellido,Documento,Nacimiento,Número\r\n",
            "\n nombre , apellido ,documento,nacimiento,numero\n"})
    void aFirstRowNamingTheColumnsIsAHeaderNotABadBet(String header) throws IOException {
        Path file = write("header.csv", header + THREE_ROWS);

        assertEquals(List.of(LORCA, ZAMBRANO, PAZ), readAll(file));
        assertEquals(List.of(), logs.lines(Level.WARN));
    }

    @Test
    void theColumnNamesAfterTheFirstRowAreABadRow() throws IOException {
        Path file = write("late-header.csv", "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "nombre,apellido,documento,nacimiento,numero\n");

        assertEquals(List.of(LORCA), readAll(file));
        assertEquals(List.of(warning(file, 2, "documento \"documento\" is not a number (one or more ASCII digits)")),
                logs.lines(Level.WARN));
    }

    @ParameterizedTest(name = "header: {0}")
    @ValueSource(booleans = {false, true})
    void aByteOrderMarkIsNotPartOfTheFirstName(boolean header) throws IOException {
        String content = "\uFEFF" + (header ? "nombre,apellido,documento,nacimiento,numero\r\n" : "")
                + THREE_ROWS.replace("\n", "\r\n");
        Path file = write("bom.csv", content);
        assertEquals((byte) 0xEF, Files.readAllBytes(file)[0], "the file starts with the UTF-8 byte order mark");

        assertEquals(List.of(LORCA, ZAMBRANO, PAZ), readAll(file));
        assertEquals(List.of(), logs.lines(Level.WARN));
    }

    @Test
    void aBetTooLargeForABatchIsABadRowAndOneThatJustFitsIsKept() throws IOException {
        // Name lengths that make the bet take exactly MAX_BET_BYTES, and one byte more.
        int fixed = BetCodec.sizeOf(new Bet("", "X", "30111222", "1999-01-01", 1));
        String fits = "ñ".repeat((MAX_BET_BYTES - fixed) / 2) + "a".repeat((MAX_BET_BYTES - fixed) % 2);
        Bet justFits = new Bet(fits, "X", "30111222", "1999-01-01", 1);
        assertEquals(MAX_BET_BYTES, BetCodec.sizeOf(justFits));
        Path file = write("large.csv", "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + fits + "a,X,30111222,1999-01-01,1\n"
                + fits + ",X,30111222,1999-01-01,1\n");

        assertEquals(List.of(LORCA, justFits), readAll(file));
        assertEquals(List.of(warning(file, 2, "the bet takes " + (MAX_BET_BYTES + 1) + " bytes on the wire; at most "
                + MAX_BET_BYTES + " fit in a batch")), logs.lines(Level.WARN));
    }

    @Test
    void aQuoteNeverClosedIsOneBadRowToTheEndOfTheFileAndTheBetsBeforeItAreRead() throws IOException {
        // FastCSV cannot read on from it; the agency must still send what it has and finish.
        Path file = write("unclosed.csv", "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "\"Ana,Gómez,30111222,1999-01-01,10\n"
                + "Tiago Nicolás,Muñoz Paz,40123456,2000-02-29,7574\n");

        assertEquals(List.of(LORCA), readAll(file));
        assertEquals(List.of(warning(file, 2, "Unclosed quoted field at end of input (record starting at line 2);"
                + " the file is not read past this point")), logs.lines(Level.WARN));
    }

    @Test
    void aRecordLongerThanTheReaderKeepsIsOneBadRowToTheEndOfTheFile() throws IOException {
        Path file = write("long.csv", "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "\"" + "x".repeat(CsvBetSource.MAX_RECORD_CHARS + 10) + "\",Gómez,30111222,1999-01-01,10\n"
                + "Tiago Nicolás,Muñoz Paz,40123456,2000-02-29,7574\n");

        assertEquals(List.of(LORCA), readAll(file));
        List<String> warnings = logs.lines(Level.WARN);
        assertEquals(1, warnings.size(), warnings::toString);
        assertTrue(warnings.get(0).startsWith("action: leer_apuesta | result: fail | file: " + file + " | line: 2 | error: "),
                warnings.get(0));
        assertTrue(warnings.get(0).contains(String.valueOf(CsvBetSource.MAX_RECORD_CHARS)), warnings.get(0));
        assertTrue(warnings.get(0).endsWith("; the file is not read past this point"), warnings.get(0));
    }

    @Test
    void aRowOfTooManyFieldsIsOneBadRowAndTheRowsAfterItAreRead() throws IOException {
        // FastCSV's own limit is 16,384 fields; past it, it reads no further, and the bets after would be lost.
        Path file = write("fields.csv", "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "x" + ",".repeat(20_000) + "\n"
                + "Agustin Emanuel,Zambrano,21689196,2000-05-10,9181\n"
                + ",".repeat(CsvBetSource.MAX_RECORD_CHARS - 1) + "\n"
                + "Tiago Nicolás,Muñoz Paz,40123456,2000-02-29,7574\n");

        assertEquals(List.of(LORCA, ZAMBRANO, new Bet("Tiago Nicolás", "Muñoz Paz", "40123456", "2000-02-29", 7574)),
                readAll(file));
        assertEquals(List.of(
                warning(file, 2, "expected 5 columns (nombre, apellido, documento, nacimiento, numero), found 20001"),
                warning(file, 4, "expected 5 columns (nombre, apellido, documento, nacimiento, numero), found "
                        + CsvBetSource.MAX_RECORD_CHARS)), logs.lines(Level.WARN));
    }

    @Test
    void aHeaderAfterLinesOfOnlySpacesIsStillTheHeader() throws IOException {
        Path file = write("spaced-header.csv", "   \n\nnombre,apellido,documento,nacimiento,numero\n"
                + "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n");

        assertEquals(List.of(LORCA), readAll(file));
        assertEquals(List.of(), logs.lines(Level.WARN));
    }

    @Test
    void textAfterAClosingQuoteJoinsTheFieldAsPythonsCsvReadsIt() throws IOException {
        // Python: list(csv.reader(['"Ana"x,P'])) == [['Anax', 'P']]; a stray space after a quote is common.
        Path file = write("after-quote.csv", "\"Santiago\" Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "\"Agustin Emanuel\" ,Zambrano,21689196,2000-05-10,9181\n");

        assertEquals(List.of(LORCA, new Bet("Agustin Emanuel ", "Zambrano", "21689196", "2000-05-10", 9181)),
                readAll(file));
        assertEquals(List.of(), logs.lines(Level.WARN));
    }

    @Test
    void aLineOfOnlySpacesIsSkippedLikeAnEmptyOne() throws IOException {
        Path file = write("spaces.csv", "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n   \n \t \n"
                + "Agustin Emanuel,Zambrano,21689196,2000-05-10,9181\n");

        assertEquals(List.of(LORCA, ZAMBRANO), readAll(file));
        assertEquals(List.of(), logs.lines(Level.WARN));
    }

    @Test
    void readingAgainGivesTheSameBetsAndReportsTheSameRows() throws IOException {
        // Resuming relies on it: a new session reopens the file and skips the bets the central holds.
        Path file = write("again.csv", "Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "Bad,Row,12a,2000-01-01,1\n"
                + "Agustin Emanuel,Zambrano,21689196,2000-05-10,9181\n"
                + "Tiago Nicolás,Muñoz Paz,40123456,2000-02-29,7574\n");
        List<Bet> first = readAll(file);
        List<Bet> second = readAll(file);

        assertEquals(List.of(LORCA, ZAMBRANO, PAZ), first);
        assertEquals(first, second);
        String bad = warning(file, 2, "documento \"12a\" is not a number (one or more ASCII digits)");
        assertEquals(List.of(bad, bad), logs.lines(Level.WARN));
    }

    @Test
    void anEmptyFileHasNoBets() throws IOException {
        assertEquals(List.of(), readAll(write("empty.csv", "")));
    }

    @Test
    void aMissingFileFailsWhenOpened() {
        Path missing = dir.resolve("absent.csv");
        BetSource.Opener opener = CsvBetSource.opener(missing, MAX_BET_BYTES);
        assertEquals(missing.toString(), assertThrows(NoSuchFileException.class, opener::open).getMessage());
    }

    @Test
    void aDirectoryInsteadOfAFileFailsNamingIt() throws IOException {
        // What Docker leaves when it bind-mounts a file that did not exist.
        Path directory = Files.createDirectory(dir.resolve("agency-6.csv"));
        IOException e = assertThrows(IOException.class, () -> readAll(directory));
        assertTrue(e.getMessage().startsWith(directory + ": "), e.getMessage());
    }

    @Test
    void rowsOfAFileThatIsNotUtf8AreBadRowsNotDamagedBets() throws IOException {
        Path file = Files.write(dir.resolve("latin1.csv"), ("Santiago Lionel,Lorca,30904465,1999-03-17,2201\n"
                + "José,Pérez,30111222,1999-01-01,10\n").getBytes(StandardCharsets.ISO_8859_1));

        assertEquals(List.of(LORCA), readAll(file));
        assertEquals(List.of(warning(file, 2, "nombre \"Jos\uFFFD\" is not UTF-8 text (it holds U+FFFD, the replacement"
                + " character)")), logs.lines(Level.WARN));
    }

    @Test
    void aFileNameWithABarIsCleanedInTheLogLine() throws IOException {
        Path file = write("a|b.csv", "Bad,Row,12a,2000-01-01,1\n");

        assertEquals(List.of(), readAll(file));
        assertEquals(List.of(warning(dir.resolve("a/b.csv"), 1,
                "documento \"12a\" is not a number (one or more ASCII digits)")), logs.lines(Level.WARN));
    }
}
