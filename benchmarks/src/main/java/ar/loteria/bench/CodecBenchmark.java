package ar.loteria.bench;

import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Encode and decode of a whole BetBatch frame of 200 real bets (the client's default batch, just
 * under 8 KiB), with the generated codecs through {@link FrameCodec}, as the client's FrameWriter
 * and the server's FrameReader use them. Scores are per bet (@OperationsPerInvocation).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CodecBenchmark {
    private final FrameCodec codec = new FrameCodec(LoteriaProtocol.INSTANCE, Batches.MAX_FRAME_BYTES);
    private List<BetBatch> batches;
    private byte[][] frames;
    private final ByteBuffer out = ByteBuffer.allocate(Batches.MAX_FRAME_BYTES);
    private int next;

    @Setup
    public void setup() {
        batches = Batches.full(64);
        frames = new byte[batches.size()][];
        for (int i = 0; i < frames.length; i++) {
            frames[i] = codec.encode(batches.get(i));
        }
    }

    private int nextIndex() {
        int i = next;
        next = i + 1 == frames.length ? 0 : i + 1;
        return i;
    }

    /** Size computation + header + body into a reused buffer (what FrameWriter.write does before the socket write). */
    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public int encodeBatch() {
        BetBatch batch = batches.get(nextIndex());
        out.clear();
        codec.encode(batch, out);
        return out.position();
    }

    /** What the client's batch cutting adds per bet: the exact encoded size of each bet. */
    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public int sizeBatch() {
        int size = 0;
        for (ar.loteria.protocol.Bet bet : batches.get(nextIndex()).bets()) {
            size += ar.loteria.protocol.BetCodec.sizeOf(bet);
        }
        return size;
    }

    /** Strict decode of a whole frame (header checks, every length checked, strings decoded). */
    @Benchmark
    @OperationsPerInvocation(Batches.SIZE)
    public Message decodeBatch() throws ProtocolException {
        return codec.decodeFrame(ByteBuffer.wrap(frames[nextIndex()]));
    }
}
