package ar.loteria.bench;

import ar.loteria.client.BatchCutter;
import ar.loteria.client.source.BetSource;
import ar.loteria.client.source.CsvBetSource;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.BetCodec;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.runtime.FrameCodec;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * An agency's work per bet, with the JIT the agencies run with (C1 only, client/jvm.options):
 * reading and checking a row of the real agency-1.csv, sizing a bet, encoding a batch frame.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-XX:TieredStopAtLevel=1")
public class AgencyBenchmark {
    private static final int BATCH = 140;
    private Path file;
    private BetSource source;
    private List<Bet> bets;
    private BetBatch batch;
    private final FrameCodec codec = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 16);
    private final ByteBuffer frame = ByteBuffer.allocate(1 << 16);

    @Setup(Level.Trial)
    public void setup() throws IOException {
        file = Files.createTempFile("bench-agency-1-", ".csv");
        Files.write(file, BenchData.agencyFile(1));
        source = CsvBetSource.opener(file, BatchCutter.MAX_BETS_BYTES).open();
        bets = BenchData.bets(1).subList(0, BATCH);
        batch = new BetBatch(1, 0, bets);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        source.close();
        Files.deleteIfExists(file);
    }

    /** One row read from the file and checked (FastCSV + BetRules). */
    @Benchmark
    public Bet readRow() throws IOException {
        Bet bet = source.next();
        if (bet == null) {
            source.close();
            source = CsvBetSource.opener(file, BatchCutter.MAX_BETS_BYTES).open();
            bet = source.next();
        }
        return bet;
    }

    /** The wire size of each bet of a batch, as the batch cutter measures them. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int sizeBets() {
        int size = 0;
        for (Bet bet : bets) {
            size += BetCodec.sizeOf(bet);
        }
        return size;
    }

    /** A batch frame encoded by the generated codecs, per bet. */
    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int encodeBatch() {
        frame.clear();
        return codec.encode(batch, frame);
    }
}
