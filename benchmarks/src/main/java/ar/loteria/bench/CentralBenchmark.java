package ar.loteria.bench;

import ar.loteria.common.BetRules;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import ar.loteria.server.storage.BetRows;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * The central's work per bet of a batch of real bets: decoding the frame, checking the bets,
 * formatting their rows, with the JIT the central runs with (C1 only, server/jvm.options).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(value = 1, jvmArgsAppend = "-XX:TieredStopAtLevel=1")
public class CentralBenchmark {
    private static final int BATCH = 140;
    private final FrameCodec codec = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 16);
    private List<Bet> bets;
    private byte[] frame;

    @Setup
    public void setup() {
        bets = BenchData.bets(1).subList(0, BATCH);
        frame = codec.encode(new BetBatch(1, 0, bets));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public Message decode() throws ProtocolException {
        return codec.decodeFrame(ByteBuffer.wrap(frame));
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int validate() {
        int valid = 0;
        for (Bet bet : bets) {
            if (BetRules.problem(bet) == null) {
                valid++;
            }
        }
        return valid;
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public byte[] formatRows() throws IOException {
        return BetRows.format(1, bets, 0);
    }
}
