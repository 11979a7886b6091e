package ar.loteria.server.storage;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

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

/**
 * The contract of every ledger ({@link BetStoreContract}) on {@link FileBetStore}, and what only the files do: the
 * rows as commons-csv prints them, a row or journal record cut short by a crash, the files of another round.
 */
class FileBetStoreTest extends BetStoreContract {
    @TempDir
    Path dir;

    @Override
    protected BetStore open(int agencies) throws Exception {
        return FileBetStore.open(dir, agencies, false);
    }

    private String bets() throws Exception {
        return Files.readString(dir.resolve(FileBetStore.BETS_FILE), StandardCharsets.UTF_8);
    }

    @Test
    void eachBetIsOneRowInTheOrderStored() throws Exception {
        try (BetStore store = open(2)) {
            store.append(1, 0, List.of(ANA, BETO));
            store.append(1, 0, List.of(ANA, BETO)); // a resend: no row
            store.append(1, 1, List.of(BETO, CIRO)); // an overlap: only its new bet
            store.append(1, 4, List.of(ANA)); // a gap: no row
            store.append(2, 0, List.of(CIRO));
            store.finish(2);
            store.append(2, 1, List.of(ANA)); // after finished: no row
        }
        assertEquals("""
                1,Ana,Li,00000000,2000-01-01,7574
                1,Beto,Paz,0042,1999-03-17,1
                1,Ciro,Díaz,30904465,1980-12-31,7574
                2,Ciro,Díaz,30904465,1980-12-31,7574
                """, bets());
        assertEquals("agencies,2\nfinished,2,1\n", Files.readString(dir.resolve(FileBetStore.JOURNAL_FILE)));
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
        assertEquals("agencies,2\nfinished,1,1\n", Files.readString(dir.resolve(FileBetStore.JOURNAL_FILE)));
    }

    @Test
    void aRoundIsRefusedByACentralOfAnotherAgencyCountWhateverItHolds() throws Exception {
        try (BetStore store = open(5)) {
            store.append(1, 0, List.of(ANA));
            store.append(2, 0, List.of(BETO));
            store.finish(1);
            store.finish(2);
        }
        String before = bets() + Files.readString(dir.resolve(FileBetStore.JOURNAL_FILE));
        // Nothing else tells this round from one of two agencies: with 2, it would draw at once.
        assertEquals("round.csv: the round was started for 5 agencies, but this central's round has 2: the directory"
                + " holds another round; a new round starts in an empty storage directory (with Compose: docker compose"
                + " down, then up)", assertThrows(StorageException.class, () -> open(2)).getMessage());
        assertEquals(before, bets() + Files.readString(dir.resolve(FileBetStore.JOURNAL_FILE)), "nothing changed");
        try (BetStore store = open(5)) {
            assertEquals(new BetStore.Recovery(2, 2, false, 0, 0), store.recovery(), "the round itself still opens");
        }
        assertEquals(before, bets() + Files.readString(dir.resolve(FileBetStore.JOURNAL_FILE)), "recorded once");
    }

    @Test
    void aRoundOfNoAgenciesOpensAgain() throws Exception {
        // AGENCY_COUNT=0: a central for the echo check alone, restarted (docker compose restart).
        try (BetStore store = open(0)) {
            assertEquals(new BetStore.Recovery(0, 0, false, 0, 0), store.recovery());
        }
        try (BetStore store = open(0)) {
            assertEquals(new BetStore.Recovery(0, 0, false, 0, 0), store.recovery());
        }
        assertEquals("agencies,0\n", Files.readString(dir.resolve(FileBetStore.JOURNAL_FILE)));
    }

    @Test
    void aJournalWrittenBeforeTheAgencyCountWasRecordedIsStillRead() throws Exception {
        try (BetStore store = open(2)) {
            store.append(1, 0, List.of(ANA));
        }
        Files.writeString(dir.resolve(FileBetStore.JOURNAL_FILE), "finished,1,1\n");
        try (BetStore store = open(2)) {
            assertEquals(new BetStore.Recovery(1, 1, false, 0, 0), store.recovery());
        }
        assertEquals("finished,1,1\n", Files.readString(dir.resolve(FileBetStore.JOURNAL_FILE)), "the count comes first or not at all");
    }

    @Test
    void aRoundWhoseDrawIsMadeIsRefusedWithMoreAgenciesNamingWhatItHolds() throws Exception {
        storeARoundOfTwoWithItsDraw();
        // A journal from before the agency count was recorded: the draw still tells the round apart.
        Path journalFile = dir.resolve(FileBetStore.JOURNAL_FILE);
        Files.writeString(journalFile, Files.readString(journalFile).replace("agencies,2\n", ""));
        String journal = Files.readString(journalFile);
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
