package ar.loteria.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.Bet;
import ar.loteria.server.storage.BetStore.Appended;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.commons.csv.CSVPrinter;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BetStoreTest {
    private static final Bet ANA = new Bet("Ana", "Li", "00000000", "2000-01-01", 7574);
    private static final Bet BETO = new Bet("Beto", "Paz", "0042", "1999-03-17", 1);
    private static final Bet CIRO = new Bet("Ciro", "Díaz", "30904465", "1980-12-31", 7574);

    @TempDir
    Path dir;

    private BetStore open(int agencies) throws Exception {
        return FileBetStore.open(dir, agencies, false);
    }

    private String bets() throws Exception {
        return Files.readString(dir.resolve(FileBetStore.BETS_FILE), StandardCharsets.UTF_8);
    }

    @Test
    void storesEachAgencysStreamInOrderExactlyOnce() throws Exception {
        try (BetStore store = open(2)) {
            assertEquals(new Appended.Stored(2, 2), store.append(1, 0, List.of(ANA, BETO)));
            assertEquals(new Appended.AlreadyStored(2), store.append(1, 0, List.of(ANA, BETO)), "a resend");
            assertEquals(new Appended.AlreadyStored(2), store.append(1, 1, List.of(BETO)), "the tail of a resend");
            assertEquals(new Appended.Stored(1, 3), store.append(1, 1, List.of(BETO, CIRO)), "an overlap adds its new bets");
            assertEquals(new Appended.Gap(3), store.append(1, 4, List.of(ANA)));
            assertEquals(new Appended.Gap(0), store.append(2, 1, List.of(ANA)), "agencies count separately");
            assertEquals(new Appended.Stored(1, 1), store.append(2, 0, List.of(CIRO)));
            assertTrue(store.finish(2));
            assertFalse(store.finish(2), "counted once");
            assertEquals(new Appended.AgencyFinished(1), store.append(2, 1, List.of(ANA)));
            assertEquals(new Appended.AlreadyStored(1), store.append(2, 0, List.of(CIRO)), "a resend after finished is acknowledged");
            assertEquals(3, store.storedBets(1));
            assertEquals(1, store.storedBets(2));
        }
        assertEquals("""
                1,Ana,Li,00000000,2000-01-01,7574
                1,Beto,Paz,0042,1999-03-17,1
                1,Ciro,Díaz,30904465,1980-12-31,7574
                2,Ciro,Díaz,30904465,1980-12-31,7574
                """, bets());
    }

    @Test
    void rowsAreWhatCommonsCsvPrints() throws Exception {
        List<Bet> odd = List.of(new Bet("María, José", "O\"Neil", "1", "2000-01-01", 5),
                new Bet("#hash", " spaced ", "2", "2000-01-01", 6), new Bet("Zoë 😀", "Ñandú", "3", "2000-01-01", 7));
        try (BetStore store = open(1)) {
            store.append(1, 0, odd);
        }
        StringWriter expected = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(expected, BetRows.FORMAT)) {
            for (Bet bet : odd) {
                printer.printRecord(1, bet.firstName(), bet.lastName(), bet.document(), bet.birthdate(), bet.number());
            }
        }
        assertEquals(expected.toString(), bets());
    }

    @Test
    void randomNamesAreWrittenAsCsvPrinterWritesThem() throws Exception {
        // Names made of the characters that decide commons-csv's quoting, and a few others.
        char[] alphabet = {'a', 'Z', 'ñ', ' ', '!', '"', '#', '$', ',', ';', '\'', '\t', '\r', '\n', '\uD83D', '\uDE00', 'x'};
        java.util.Random random = new java.util.Random(11);
        List<Bet> bets = new java.util.ArrayList<>();
        for (int i = 0; i < 20_000; i++) {
            bets.add(new Bet(randomName(random, alphabet), randomName(random, alphabet), "7", "2000-01-01", i % 10_000));
        }
        StringWriter expected = new StringWriter();
        try (CSVPrinter printer = new CSVPrinter(expected, BetRows.FORMAT)) {
            for (Bet bet : bets) {
                printer.printRecord(4, bet.firstName(), bet.lastName(), bet.document(), bet.birthdate(), bet.number());
            }
        }
        // compared as the bytes that reach the file (a lone surrogate is written as '?' by both)
        byte[] printed = expected.toString().getBytes(StandardCharsets.UTF_8);
        assertEquals(new String(printed, StandardCharsets.UTF_8),
                new String(BetRows.format(4, bets, 0), StandardCharsets.UTF_8));
    }

    private static String randomName(java.util.Random random, char[] alphabet) {
        char[] name = new char[random.nextInt(0, 6)];
        for (int i = 0; i < name.length; i++) {
            name[i] = alphabet[random.nextInt(alphabet.length)];
        }
        return new String(name);
    }

    @Test
    void theDrawFindsTheBetsOnANumberWhateverTheirNames() throws Exception {
        try (BetStore store = open(2)) {
            store.append(1, 0, List.of(ANA, BETO, new Bet("Quoted, Name", "x", "77", "2000-01-01", 7574),
                    new Bet("A", "x,7574", "7574", "2000-01-01", 574)));
            store.append(2, 0, List.of(CIRO));
            assertEquals(Map.of(1, List.of("00000000", "77"), 2, List.of("30904465")), store.documentsOfBetsOn(7574));
            assertEquals(Map.of(1, List.of("0042")), store.documentsOfBetsOn(1));
        }
    }

    @Test
    void reopeningRecoversCountsFinishedAgenciesAndTheDraw() throws Exception {
        try (BetStore store = open(2)) {
            store.append(1, 0, List.of(ANA, BETO));
            store.append(2, 0, List.of(CIRO));
            store.finish(1);
        }
        try (BetStore store = open(2)) {
            assertEquals(new BetStore.Recovery(3, 1, false, 0, 0), store.recovery());
            assertEquals(2, store.storedBets(1));
            assertTrue(store.hasFinished(1));
            assertFalse(store.hasFinished(2));
            assertEquals(new Appended.Stored(1, 2), store.append(2, 1, List.of(ANA)), "agency 2 resumes at its count");
            store.finish(2);
            Map<Integer, List<String>> draw = Map.of(1, List.of("00000000"), 2, List.of("30904465"));
            assertEquals(new BetStore.DrawRecord(draw, true), store.recordDraw(draw));
        }
        try (BetStore store = open(2)) {
            assertEquals(new BetStore.Recovery(4, 2, true, 0, 0), store.recovery());
            Map<Integer, List<String>> draw = Map.of(1, List.of("00000000"), 2, List.of("30904465"));
            assertEquals(Optional.of(draw), store.recordedDraw());
            assertEquals(new BetStore.DrawRecord(draw, false), store.recordDraw(Map.of()), "one draw per round: the first stands");
        }
    }

    @Test
    void eachAgencysLastStoredBetIsKeptAndRecoveredExactlyAsStored() throws Exception {
        Bet quoted = new Bet("Ana, \"la\" Ñata", " Li", "0042", "2000-02-29", 0);
        try (BetStore store = open(3)) {
            assertEquals(new BetStore.Held(0, false, Optional.empty()), store.held(1));
            store.append(1, 0, List.of(ANA, BETO));
            store.append(2, 0, List.of(CIRO));
            store.append(1, 2, List.of(quoted));
            store.append(2, 0, List.of(CIRO)); // a resend changes nothing
            assertEquals(new BetStore.Held(3, false, Optional.of(quoted)), store.held(1));
            store.finish(2);
        }
        try (BetStore store = open(3)) {
            assertEquals(new BetStore.Held(3, false, Optional.of(quoted)), store.held(1), "read back from its CSV row");
            assertEquals(new BetStore.Held(1, true, Optional.of(CIRO)), store.held(2));
            assertEquals(new BetStore.Held(0, false, Optional.empty()), store.held(3));
        }
    }

    @Test
    void aRowCutShortByACrashIsRemovedAndTheNextBatchFollowsTheLastWholeRow() throws Exception {
        try (BetStore store = open(1)) {
            store.append(1, 0, List.of(ANA));
        }
        Files.writeString(dir.resolve(FileBetStore.BETS_FILE), "1,Beto,Pa", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        try (BetStore store = open(1)) {
            assertEquals(new BetStore.Recovery(1, 0, false, 9, 0), store.recovery());
            assertEquals(new Appended.Stored(1, 2), store.append(1, 1, List.of(BETO)));
        }
        assertEquals("1,Ana,Li,00000000,2000-01-01,7574\n1,Beto,Paz,0042,1999-03-17,1\n", bets());
    }

    @Test
    void aJournalRecordCutShortIsRemoved() throws Exception {
        try (BetStore store = open(2)) {
            store.append(1, 0, List.of(ANA));
            store.finish(1);
        }
        Files.writeString(dir.resolve(FileBetStore.JOURNAL_FILE), "draw,1,1,000", StandardCharsets.UTF_8,
                java.nio.file.StandardOpenOption.APPEND);
        try (BetStore store = open(2)) {
            assertEquals(new BetStore.Recovery(1, 1, false, 0, 12), store.recovery());
            assertEquals(Optional.empty(), store.recordedDraw());
        }
        assertEquals("finished,1,1\n", Files.readString(dir.resolve(FileBetStore.JOURNAL_FILE)));
    }

    @Test
    void aRoundWhoseDrawIsMadeCannotTakeMoreAgencies() throws Exception {
        try (BetStore store = open(2)) {
            store.append(1, 0, List.of(ANA));
            store.append(2, 0, List.of(BETO));
            store.finish(1);
            store.finish(2);
            store.recordDraw(Map.of(1, List.of("00000000")));
        }
        String journal = Files.readString(dir.resolve(FileBetStore.JOURNAL_FILE));
        // A third agency would store bets after the draw and get the recorded winners, not its own.
        assertEquals("round.csv: the draw was made when 2 agencies had finished, but this round has 3: the directory holds"
                + " another round (found 2 bet(s), agencies [1, 2] finished, the draw recorded with 1 winner(s)); a new round"
                + " starts in an empty storage directory (with Compose: docker compose down, then up)",
                assertThrows(StorageException.class, () -> open(3)).getMessage());
        assertEquals(journal, Files.readString(dir.resolve(FileBetStore.JOURNAL_FILE)), "nothing changed");
        try (BetStore store = open(2)) {
            assertEquals(Optional.of(Map.of(1, List.of("00000000"))), store.recordedDraw(), "the round itself still opens");
        }
    }

    @Test
    void filesOfAnotherRoundAreRefusedAndLeftAsTheyAre() throws Exception {
        try (BetStore store = open(3)) {
            store.append(3, 0, List.of(ANA));
            store.finish(3);
        }
        String before = bets();
        StorageException fewerAgencies = assertThrows(StorageException.class, () -> open(2));
        assertEquals(dir.resolve(FileBetStore.BETS_FILE) + " line 1: a bet of agency 3, but this round has agencies 1..2: the"
                + " directory holds another round (found 1 bet(s), of agencies up to 3); a new round starts in an empty"
                + " storage directory (with Compose: docker compose down, then up)", fewerAgencies.getMessage());
        assertEquals(before, bets());

        Files.writeString(dir.resolve(FileBetStore.JOURNAL_FILE), "finished,3,5\n");
        assertEquals("round.csv: agency 3 finished with 5 bets but bets.csv holds 1",
                assertThrows(StorageException.class, () -> open(3)).getMessage());
        Files.writeString(dir.resolve(FileBetStore.BETS_FILE), "Ana,Li,00000000,2000-01-01,7574\n");
        assertEquals(dir.resolve(FileBetStore.BETS_FILE) + " line 1: not a bet row (it does not start with an agency number)",
                assertThrows(StorageException.class, () -> open(3)).getMessage());
        Files.writeString(dir.resolve(FileBetStore.BETS_FILE), before);
        Files.writeString(dir.resolve(FileBetStore.JOURNAL_FILE), "started,3\n");
        assertEquals(dir.resolve(FileBetStore.JOURNAL_FILE) + " line 1: not a journal record: started,3",
                assertThrows(StorageException.class, () -> open(3)).getMessage());
    }
}
