package ar.loteria.server.storage;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.Bet;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.QuoteMode;
import org.junit.jupiter.api.Test;

class CsvBatchEncoderTest {
    private static byte[] bytes(EncodedRows rows) {
        return Arrays.copyOf(rows.bytes(), rows.length());
    }

    /** What commons-csv's own printer writes for the same rows. */
    private static String reference(int agency, List<Bet> bets) throws Exception {
        StringWriter out = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(out, BetStore.FORMAT)) {
            for (Bet bet : bets) {
                int date = bet.birthdate();
                printer.printRecord(agency, bet.firstName(), bet.lastName(), bet.document(),
                        LocalDate.of(date / 10000, date / 100 % 100, date % 100), bet.number());
            }
        }
        return out.toString();
    }

    @Test
    void rowsAreWhatCommonsCsvPrintsInUtf8IncludingQuoting() throws Exception {
        List<Bet> bets = List.of(
                new Bet("Santiago Lionel", "Lorca", 30904465, 19990317, 2201),
                new Bet("Tiago Nicolás", "Hernández", 34407251, 20010829, 7574),
                new Bet("Ana, María", "O\"Neil", 1, 20000101, 0),
                new Bet(" Leading", "trailing ", 2, 18991231, 9999),
                new Bet("Zoë 😀", "Ωmega", 3, 20240229, 42));
        CsvBatchEncoder encoder = new CsvBatchEncoder();
        assertEquals(reference(3, bets), new String(bytes(encoder.encode(3, bets)), StandardCharsets.UTF_8));
        assertArrayEquals(reference(3, bets).getBytes(StandardCharsets.UTF_8), bytes(encoder.encode(3, bets)));
        assertEquals(5, encoder.encode(3, bets).bets());
        // the buffer is reused: a shorter batch after a longer one holds only its own rows
        assertEquals(reference(1, bets.subList(0, 1)), new String(bytes(encoder.encode(1, bets.subList(0, 1))), StandardCharsets.UTF_8));
    }

    @Test
    void numbersAndDatesWrittenDirectlyAreWhatCommonsCsvPrintsForAnyValue() throws Exception {
        Random random = new Random(7574);
        String[] names = {"Santiago Lionel", "Ana, María", "O\"Neil", " Leading", "trailing ", "#hash", "Zoë 😀", "a"};
        int[] edges = {0, 1, 9, 10, 99, 100, 999_999_999, 1_000_000_000, Integer.MAX_VALUE};
        List<Bet> bets = new ArrayList<>();
        for (int i = 0; i < 5000; i++) {
            int document = i < edges.length ? edges[i] : random.nextInt(Integer.MAX_VALUE) >>> random.nextInt(31);
            int number = i < edges.length ? edges[edges.length - 1 - i] : random.nextInt(Integer.MAX_VALUE) >>> random.nextInt(31);
            LocalDate date = LocalDate.ofEpochDay(random.nextInt((int) LocalDate.of(9999, 12, 31).toEpochDay()
                    - (int) LocalDate.of(1, 1, 1).toEpochDay() + 1) + LocalDate.of(1, 1, 1).toEpochDay());
            int packed = date.getYear() * 10000 + date.getMonthValue() * 100 + date.getDayOfMonth();
            bets.add(new Bet(names[random.nextInt(names.length)], names[random.nextInt(names.length)], document,
                    packed, number));
        }
        CsvBatchEncoder encoder = new CsvBatchEncoder();
        for (int agency : edges) {
            assertEquals(reference(agency, bets), new String(bytes(encoder.encode(agency, bets)), StandardCharsets.UTF_8),
                    "agency " + agency);
        }
    }

    @Test
    void utf8BufferEncodesLikeStringGetBytesForAnyText() {
        Random random = new Random(7574);
        Utf8Buffer buffer = new Utf8Buffer(4);
        for (int round = 0; round < 2000; round++) {
            StringBuilder text = new StringBuilder();
            int length = random.nextInt(40);
            for (int i = 0; i < length; i++) {
                switch (random.nextInt(6)) {
                    case 0 -> text.append((char) random.nextInt(0x80));
                    case 1 -> text.append((char) (0x80 + random.nextInt(0x780)));
                    case 2 -> text.append((char) (0x800 + random.nextInt(0xD000)));
                    case 3 -> text.appendCodePoint(0x10000 + random.nextInt(0xFFFFF));
                    case 4 -> text.append((char) (0xD800 + random.nextInt(0x800))); // lone surrogate
                    default -> text.append('a');
                }
            }
            String s = text.toString();
            buffer.reset();
            // in pieces, as CSVFormat appends: ranges and single chars
            int cut = s.isEmpty() ? 0 : random.nextInt(s.length() + 1);
            if (random.nextBoolean()) {
                buffer.append(s); // whole String
                assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(buffer.array(), buffer.length()));
                buffer.reset();
            }
            buffer.append(s, 0, cut);
            for (int i = cut; i < s.length(); i++) {
                buffer.append(s.charAt(i));
            }
            assertArrayEquals(s.getBytes(StandardCharsets.UTF_8), Arrays.copyOf(buffer.array(), buffer.length()),
                    "text " + s.codePoints().mapToObj(Integer::toHexString).toList());
        }
    }

    /** Names from characters that matter to quoting, anywhere in the name; every kind of length. */
    @Test
    void anyNameIsWhatCommonsCsvPrints() throws Exception {
        Random random = new Random(20261123);
        char[] tricky = {',', '"', '\n', '\r', '#', '!', ' ', '\t', '\0', '$', '\\', '\'', ';', 'é', 'a', 'Z', '0'};
        List<Bet> bets = new ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            bets.add(new Bet(trickyName(random, tricky), trickyName(random, tricky), i, 19990317, i % 10_000));
        }
        CsvBatchEncoder encoder = new CsvBatchEncoder();
        for (int from = 0; from < bets.size(); from += 200) {
            List<Bet> batch = bets.subList(from, from + 200);
            assertArrayEquals(reference(5, batch).getBytes(StandardCharsets.UTF_8), bytes(encoder.encode(5, batch)),
                    "batch at " + from);
        }
    }

    private static String trickyName(Random random, char[] tricky) {
        StringBuilder name = new StringBuilder();
        int length = random.nextInt(5);
        for (int i = 0; i < length; i++) {
            switch (random.nextInt(8)) {
                case 0 -> name.appendCodePoint(0x1F600 + random.nextInt(0x40));
                case 1 -> name.append((char) (0xD800 + random.nextInt(0x800))); // a lone surrogate
                default -> name.append(tricky[random.nextInt(tricky.length)]);
            }
        }
        return name.toString();
    }

    @Test
    void theStoresFormatIsOneWhoseUnquotedNamesAreWrittenDirectly() {
        assertTrue(CsvBatchEncoder.quotesLikeDefault(BetStore.FORMAT));
        assertFalse(CsvBatchEncoder.quotesLikeDefault(BetStore.FORMAT.builder().setQuoteMode(QuoteMode.ALL).get()));
        assertFalse(CsvBatchEncoder.quotesLikeDefault(BetStore.FORMAT.builder().setEscape('\\').get()));
        assertFalse(CsvBatchEncoder.quotesLikeDefault(BetStore.FORMAT.builder().setDelimiter(';').get()));
        assertFalse(CsvBatchEncoder.quotesLikeDefault(BetStore.FORMAT.builder().setTrim(true).get()));
        assertTrue(CsvBatchEncoder.printsUnquoted("Nicolás Pérez"));
        for (String quoted : List.of("", "#Ana", "!Ana", " Ana", "Ana ", "A,na", "A\"na", "A\nna", "Ana\r", ",")) {
            assertFalse(CsvBatchEncoder.printsUnquoted(quoted), quoted);
        }
    }
}
