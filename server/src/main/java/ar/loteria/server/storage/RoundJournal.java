package ar.loteria.server.storage;

import java.io.Closeable;
import java.io.IOException;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;

/**
 * The round's journal beside the bets file: what is not a bet but must survive a crash. One
 * CSV record per event, each written whole and put on disk before it counts:
 * <pre>
 * agencies,N                            the round's agency count, the first record of a new round
 * finished,AGENCY,STORED_BETS           the agency sent "finished" holding that many bets
 * draw,WINNERS,AGENCY,DOCUMENT,...      the draw's result: WINNERS (agency, document) pairs
 * </pre>
 * A record a crash cut short has no line end yet; it is cut off when the journal is opened. A
 * journal written before the agency count was recorded starts without it, and is still read.
 * Not thread-safe: {@link FileBetStore} serialises access.
 */
final class RoundJournal implements Closeable {
    private static final CSVFormat FORMAT = CSVFormat.DEFAULT.builder().setRecordSeparator('\n').get();
    private static final String AGENCIES = "agencies";
    private static final String FINISHED = "finished";
    private static final String DRAW = "draw";

    private final FileChannel channel;
    /** Where the next record goes: the end of the last whole one. */
    private long end;
    /** Set when a record's write could not be undone or its fsync failed: what the disk holds is then unknown. */
    private IOException failure;

    private RoundJournal(FileChannel channel, long end) {
        this.channel = channel;
        this.end = end;
    }

    /**
     * What the journal held: finished agencies with their stored bets, and the draw's winners (or
     * null); {@code empty} when it held no record at all (a new round, whose agency count is not yet recorded).
     */
    record Opened(RoundJournal journal, Map<Integer, Integer> finished, Map<Integer, List<String>> draw,
                  long tornBytes, boolean empty) {
    }

    static Opened open(Path path, int agencies, ChannelOpener opener) throws IOException, StorageException {
        FileChannel channel = opener.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
        try {
            byte[] bytes = Files.readAllBytes(path);
            int end = bytes.length;
            while (end > 0 && bytes[end - 1] != '\n') {
                end--;
            }
            long torn = bytes.length - end;
            if (torn > 0) {
                channel.truncate(end);
            }
            // What a killed central wrote may still be only in the page cache: on disk before any of
            // it is told to an agency (a "finished" at a session start, the draw's winners).
            channel.force(true);
            String text = new String(bytes, 0, end, StandardCharsets.UTF_8);
            Map<Integer, Integer> finished = new TreeMap<>();
            Map<Integer, List<String>> draw = null;
            try (CSVParser parser = CSVParser.builder().setReader(new StringReader(text))
                    .setFormat(FORMAT).get()) {
                for (CSVRecord record : parser) {
                    if (draw != null) {
                        throw bad(path, record, "nothing may follow the draw");
                    }
                    if (record.get(0).equals(AGENCIES) && record.size() == 2 && record.getRecordNumber() == 1) {
                        int count = number(path, record, 1, 0, Integer.MAX_VALUE); // 0: a central for the echo check alone
                        if (count != agencies) {
                            throw new StorageException(path.getFileName() + ": the round was started for " + count
                                    + " agencies, but this central's round has " + agencies + ": the directory holds"
                                    + " another round; " + FileBetStore.NEW_ROUND);
                        }
                    } else if (record.get(0).equals(FINISHED) && record.size() == 3) {
                        int agency = number(path, record, 1, 1, agencies);
                        finished.put(agency, number(path, record, 2, 0, Integer.MAX_VALUE));
                    } else if (record.get(0).equals(DRAW) && record.size() >= 2) {
                        draw = winners(path, record, agencies);
                    } else {
                        throw bad(path, record, "not a journal record");
                    }
                }
            }
            return new Opened(new RoundJournal(channel, end), finished, draw, torn, text.isEmpty());
        } catch (IOException | StorageException | RuntimeException e) {
            channel.close();
            throw e;
        }
    }

    private static Map<Integer, List<String>> winners(Path path, CSVRecord record, int agencies) throws StorageException {
        int count = number(path, record, 1, 0, Integer.MAX_VALUE);
        if (record.size() != 2 + 2 * count) {
            throw bad(path, record, "the draw announces " + count + " winners but holds " + (record.size() - 2) + " fields");
        }
        Map<Integer, List<String>> winners = new TreeMap<>();
        for (int i = 2; i < record.size(); i += 2) {
            winners.computeIfAbsent(number(path, record, i, 1, agencies), a -> new ArrayList<>()).add(record.get(i + 1));
        }
        return winners;
    }

    private static int number(Path path, CSVRecord record, int field, int min, int max) throws StorageException {
        try {
            int value = Integer.parseInt(record.get(field));
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(path, record, "field " + (field + 1) + " is not a number from " + min + " to " + max);
    }

    private static StorageException bad(Path path, CSVRecord record, String problem) {
        return new StorageException(path + " line " + record.getParser().getCurrentLineNumber() + ": " + problem
                + ": " + String.join(",", record.toList()));
    }

    /** The round's agency count, recorded first in a new round's journal: a central of another count refuses it. */
    void recordAgencies(int agencies) throws IOException {
        append(List.of(AGENCIES, agencies));
    }

    void recordFinished(int agency, int storedBets) throws IOException {
        append(List.of(FINISHED, agency, storedBets));
    }

    void recordDraw(Map<Integer, List<String>> winners) throws IOException {
        List<Object> record = new ArrayList<>();
        record.add(DRAW);
        record.add(0);
        winners.forEach((agency, documents) -> documents.forEach(document -> {
            record.add(agency);
            record.add(document);
        }));
        record.set(1, (record.size() - 2) / 2);
        append(record);
    }

    /**
     * One record in one write, then on disk: a crash leaves it whole or without its line end. A
     * write that fails is cut back, so the record may be tried again; when that cut or the fsync
     * fails, nothing more is recorded until a restart reads the journal from the disk.
     */
    private void append(List<?> values) throws IOException {
        if (failure != null) {
            throw new IOException(failure.getMessage(), failure.getCause());
        }
        StringBuilder line = new StringBuilder();
        FORMAT.printRecord(line, values.toArray());
        try {
            end = WholeWrites.append(channel, end, ByteBuffer.wrap(line.toString().getBytes(StandardCharsets.UTF_8)));
        } catch (WholeWrites.NotUndone e) {
            throw fail("a write", e.write());
        }
        try {
            channel.force(false);
        } catch (IOException e) {
            throw fail("an fsync", e);
        }
    }

    private IOException fail(String what, IOException cause) {
        failure = new IOException(what + " of the round's journal failed (" + cause.getMessage() + "), so what it"
                + " holds on disk is unknown: nothing more is recorded until the central restarts and recovers the"
                + " round from the disk", cause);
        return failure;
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
