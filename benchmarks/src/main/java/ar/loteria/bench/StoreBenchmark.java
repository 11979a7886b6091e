package ar.loteria.bench;

import ar.loteria.protocol.BetBatch;
import ar.loteria.server.storage.BatchRefusedException;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.storage.CsvBatchEncoder;
import ar.loteria.server.storage.EncodedRows;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The server's storage path, per bet: {@link CsvBatchEncoder#encode} (the CSV rows of a
 * batch of 200 real bets) and {@link BetStore#append} (one positional write under the write lock,
 * no fsync: the server's default STORAGE_FSYNC=false) on a temp file. The file is truncated at
 * every iteration (BetStore.open truncates), so it stays a few hundred MB at most.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class StoreBenchmark {
    private static final BetStore.AppendGuard ALLOW = () -> { };

    private List<BetBatch> batches;
    private final CsvBatchEncoder encoder = new CsvBatchEncoder();
    private Path file;
    private BetStore store;
    private EncodedRows encoded;
    private int next;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        batches = Batches.full(64);
        file = Files.createTempFile("bench-bets-", ".csv");
        // a copy: the encoder reuses its buffer
        EncodedRows rows = new CsvBatchEncoder().encode(1, batches.get(0).bets());
        encoded = new EncodedRows(java.util.Arrays.copyOf(rows.bytes(), rows.length()), rows.length(), rows.bets());
    }

    @Setup(Level.Iteration)
    public void openStore() throws IOException {
        store = BetStore.open(file, false);
    }

    @TearDown(Level.Iteration)
    public void closeStore() throws IOException {
        store.close();
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        Files.deleteIfExists(file);
    }

    private BetBatch nextBatch() {
        BetBatch batch = batches.get(next);
        next = next + 1 == batches.size() ? 0 : next + 1;
        return batch;
    }

    /** What the server does with an accepted batch: CSV-encode it, then append it. */
    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public void encodeAndAppend() throws IOException, BatchRefusedException {
        BetBatch batch = nextBatch();
        store.append(encoder.encode(batch.agency(), batch.bets()), ALLOW);
    }

    /** The CSV encoding alone. */
    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public EncodedRows encodeOnly() {
        BetBatch batch = nextBatch();
        return encoder.encode(batch.agency(), batch.bets());
    }

    /** The append alone (the same pre-encoded 200 rows every time). */
    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public void appendOnly() throws IOException, BatchRefusedException {
        store.append(encoded, ALLOW);
    }
}
