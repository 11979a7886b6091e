package ar.loteria.server.storage;

import ar.loteria.protocol.Bet;
import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.TreeMap;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The round's storage in one directory: {@code bets.csv} (one row per bet) and
 * {@code round.csv} (the journal: who finished, the draw's result). Opening it recovers the
 * round where it was; nothing is ever truncated but a row or record a crash cut short, or the
 * rows of a write that failed (a batch is stored entirely or not at all).
 *
 * <p>Exactly once: each agency's bets form a stream numbered from 0, and a batch is stored only
 * where the agency's stored bets end. A {@link ReadWriteLock} guards the state: appends and
 * "finished" take the write lock (so no bet can slip in after its agency finished), the draw takes
 * the read lock while it streams the file back. Rows are formatted before the lock is taken, and
 * with fsync an append waits for its rows to reach the disk after releasing it: the batches
 * written meanwhile share one fsync (group commit), and each is acknowledged only once its rows
 * are on disk; what a session, a resend or a gap is told is stored is on disk before it is told.
 * After a failed fsync nothing more is stored (see {@link BetFile}).
 */
public final class FileBetStore implements BetStore {
    public static final String BETS_FILE = "bets.csv";
    public static final String JOURNAL_FILE = "round.csv";
    /** How an operator starts a new round, for the errors that find another round's files. */
    static final String NEW_ROUND = "a new round starts in an empty storage directory"
            + " (with Compose: docker compose down, then up)";

    private final BetFile bets;
    private final RoundJournal journal;
    private final ReadWriteLock lock = new ReentrantReadWriteLock();
    private final int[] stored;
    /** Each agency's last stored bet, or null: a new session shows it, so that the agency can check its file. */
    private final Bet[] last;
    private final boolean[] finished;
    private final Recovery recovery;
    private Map<Integer, List<String>> recordedDraw;

    private FileBetStore(BetFile.Opened bets, RoundJournal.Opened journal, int agencies) throws StorageException {
        this.bets = bets.file();
        this.journal = journal.journal();
        this.stored = new int[agencies + 1];
        this.last = new Bet[agencies + 1];
        this.finished = new boolean[agencies + 1];
        int total = 0;
        for (int agency = 1; agency <= agencies; agency++) {
            stored[agency] = Math.toIntExact(bets.rowsPerAgency()[agency]);
            total += stored[agency];
            String lastRow = bets.lastRowPerAgency()[agency];
            if (lastRow != null) {
                last[agency] = betOf(agency, lastRow);
            }
        }
        for (Map.Entry<Integer, Integer> done : journal.finished().entrySet()) {
            int agency = done.getKey();
            if (stored[agency] != done.getValue()) {
                throw new StorageException(JOURNAL_FILE + ": agency " + agency + " finished with " + done.getValue()
                        + " bets but " + BETS_FILE + " holds " + stored[agency]);
            }
            finished[agency] = true;
        }
        this.recordedDraw = journal.draw();
        if (recordedDraw != null && journal.finished().size() != agencies) {
            // More agencies now than when the draw was made: new ones would join a round that is over.
            throw new StorageException(JOURNAL_FILE + ": the draw was made when " + journal.finished().size()
                    + " agencies had finished, but this round has " + agencies + ": the directory holds another round"
                    + " (found " + total + " bet(s), agencies " + journal.finished().keySet() + " finished, the draw"
                    + " recorded with " + recordedDraw.values().stream().mapToInt(List::size).sum() + " winner(s)); "
                    + NEW_ROUND);
        }
        this.recovery = new Recovery(total, journal.finished().size(), recordedDraw != null, bets.tornBytes(),
                journal.tornBytes());
    }

    /**
     * Opens the storage of a round of {@code agencies} agencies in {@code directory} (created if
     * needed), recovering whatever an earlier run of the central stored there.
     *
     * @throws StorageException when the directory holds another round (another agency count) or
     *     inconsistent files; nothing is changed then
     */
    public static FileBetStore open(Path directory, int agencies, boolean fsync) throws IOException, StorageException {
        return open(directory, agencies, fsync, FileChannel::open);
    }

    static FileBetStore open(Path directory, int agencies, boolean fsync, ChannelOpener opener)
            throws IOException, StorageException {
        Files.createDirectories(directory);
        BetFile.Opened bets = BetFile.open(directory.resolve(BETS_FILE), agencies, fsync, opener);
        try {
            RoundJournal.Opened journal = RoundJournal.open(directory.resolve(JOURNAL_FILE), agencies, opener);
            try {
                FileBetStore store = new FileBetStore(bets, journal, agencies);
                if (journal.empty()) {
                    // A new round: from now on a central of another agency count refuses it, whatever it holds.
                    journal.journal().recordAgencies(agencies);
                }
                return store;
            } catch (IOException | StorageException | RuntimeException e) {
                journal.journal().close();
                throw e;
            }
        } catch (IOException | StorageException | RuntimeException e) {
            bets.file().close();
            throw e;
        }
    }

    @Override
    public Recovery recovery() {
        return recovery;
    }

    @Override
    public Appended append(int agency, int firstBet, List<Bet> batch) throws IOException {
        byte[] rows = BetRows.format(agency, batch, 0);
        Appended appended;
        long written;
        lock.writeLock().lock();
        try {
            int have = stored[agency];
            int skip = have - firstBet;
            if (firstBet > have || skip >= batch.size()) {
                // A gap or a resend tells the agency what is stored, which counts as acknowledged:
                // those rows may still be on their way to disk for an earlier batch.
                appended = firstBet > have ? new Appended.Gap(have) : new Appended.AlreadyStored(have);
                written = bets.end();
            } else if (finished[agency]) {
                return new Appended.AgencyFinished(have); // its rows were put on disk when it finished
            } else {
                written = bets.append(skip == 0 ? rows : BetRows.format(agency, batch, skip));
                stored[agency] = have + batch.size() - skip;
                last[agency] = batch.get(batch.size() - 1);
                appended = new Appended.Stored(batch.size() - skip, stored[agency]);
            }
        } finally {
            lock.writeLock().unlock();
        }
        // Outside the lock, so that the batches written meanwhile share one fsync (group commit).
        bets.awaitOnDisk(written);
        return appended;
    }

    @Override
    public int storedBets(int agency) {
        return held(agency).storedBets();
    }

    @Override
    public Held held(int agency) {
        Held held;
        long written;
        lock.readLock().lock();
        try {
            held = new Held(stored[agency], finished[agency], Optional.ofNullable(last[agency]));
            written = bets.end();
        } finally {
            lock.readLock().unlock();
        }
        // A session is told what is stored, and resumes after it: with fsync, only what is on disk
        // may be told, so a batch still waiting for its fsync is waited for here too.
        try {
            bets.awaitOnDisk(written);
        } catch (IOException e) {
            throw new UncheckedIOException(e.getMessage(), e);
        }
        return held;
    }

    @Override
    public boolean hasFinished(int agency) {
        lock.readLock().lock();
        try {
            return finished[agency];
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public OptionalInt finish(int agency) throws IOException {
        lock.writeLock().lock();
        try {
            if (finished[agency]) {
                return OptionalInt.empty();
            }
            bets.force();
            journal.recordFinished(agency, stored[agency]);
            finished[agency] = true;
            return OptionalInt.of(stored[agency]);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public Map<Integer, List<String>> documentsOfBetsOn(int number) throws IOException {
        byte[] suffix = ("," + number).getBytes(StandardCharsets.US_ASCII);
        Map<Integer, List<String>> found = new TreeMap<>();
        lock.readLock().lock();
        try {
            // The number is the last column and is never quoted, so only a row ending in ",number"
            // can have played it; just those rows are parsed.
            bets.scan((bytes, start, end, line) -> {
                if (endsWith(bytes, start, end, suffix)) {
                    CSVRecord row = parseRow(new String(bytes, start, end - start, StandardCharsets.UTF_8));
                    found.computeIfAbsent(Integer.parseInt(row.get(0)), a -> new ArrayList<>()).add(row.get(3));
                }
            });
        } finally {
            lock.readLock().unlock();
        }
        return found;
    }

    @Override
    public Optional<Map<Integer, List<String>>> recordedDraw() {
        lock.readLock().lock();
        try {
            return Optional.ofNullable(recordedDraw);
        } finally {
            lock.readLock().unlock();
        }
    }

    @Override
    public DrawRecord recordDraw(Map<Integer, List<String>> winners) throws IOException {
        lock.writeLock().lock();
        try {
            if (recordedDraw != null) {
                return new DrawRecord(recordedDraw, false);
            }
            journal.recordDraw(winners);
            recordedDraw = winners;
            return new DrawRecord(winners, true);
        } finally {
            lock.writeLock().unlock();
        }
    }

    @Override
    public void close() throws IOException {
        lock.writeLock().lock();
        try (bets; journal) {
            // both closed, the second even if the first fails
        } finally {
            lock.writeLock().unlock();
        }
    }

    /** A row's bet (its columns after the agency's); the rows were checked when stored. */
    private static Bet betOf(int agency, String line) throws StorageException {
        try {
            CSVRecord row = parseRow(line);
            return new Bet(row.get(1), row.get(2), row.get(3), row.get(4), Integer.parseInt(row.get(5)));
        } catch (RuntimeException e) {
            throw new StorageException(BETS_FILE + ": the last row of agency " + agency + " is not a bet ("
                    + e.getMessage() + "): the file was changed by hand or holds another round; " + NEW_ROUND);
        }
    }

    private static CSVRecord parseRow(String line) {
        try (CSVParser parser = CSVParser.builder().setReader(new StringReader(line)).setFormat(BetRows.FORMAT).get()) {
            return parser.getRecords().get(0);
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringReader does not fail
        }
    }

    private static boolean endsWith(byte[] bytes, int start, int end, byte[] suffix) {
        if (end - start < suffix.length) {
            return false;
        }
        for (int i = 0; i < suffix.length; i++) {
            if (bytes[end - suffix.length + i] != suffix[i]) {
                return false;
            }
        }
        return true;
    }
}
