package ar.loteria.bench;

import ar.loteria.client.BatchAssembler;
import ar.loteria.client.EncodedBatch;

import ar.loteria.client.source.CsvBetSource;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.runtime.FrameCodec;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

/**
 * Bytes an agency client puts on the wire for its file, counted by running the client's own
 * reading and batching code (CsvBetSource and BatchAssembler, which encodes the BetBatch frames
 * the client sends) and the generated codec for Finished and WinnersRequest. TCP/IP headers are not counted.
 *
 * <p>Usage: {@code java -cp benchmarks.jar ar.loteria.bench.WireBytes [-m MAX_AMOUNT] ID=FILE...}
 * Prints one line per agency and a total line:
 * {@code total bets=B batches=K bytes=Y bytes_per_bet=Z}.
 */
public final class WireBytes {
    private WireBytes() {
    }

    record Count(int agency, long bets, long batches, long bytes, long rejected) {
    }

    public static void main(String[] args) throws Exception {
        int maxAmount = Integer.parseInt(System.getenv().getOrDefault("CLI_BATCH_MAXAMOUNT", "200"));
        List<String> specs = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("-m")) {
                maxAmount = Integer.parseInt(args[++i]);
            } else {
                specs.add(args[i]);
            }
        }
        if (specs.isEmpty()) {
            System.err.println("usage: WireBytes [-m MAX_AMOUNT] AGENCY_ID=FILE...");
            System.exit(2);
        }
        int amount = maxAmount;
        ExecutorService pool = Executors.newFixedThreadPool(Math.min(specs.size(), Runtime.getRuntime().availableProcessors()));
        List<Future<Count>> results = new ArrayList<>();
        for (String spec : specs) {
            int eq = spec.indexOf('=');
            int agency = Integer.parseInt(spec.substring(0, eq));
            Path file = Path.of(spec.substring(eq + 1));
            results.add(pool.submit(() -> count(agency, file, amount)));
        }
        long bets = 0;
        long batches = 0;
        long bytes = 0;
        long rejected = 0;
        try {
            for (Future<Count> f : results) {
                Count c = f.get();
                System.out.printf("agency=%d bets=%d batches=%d bytes=%d rejected_rows=%d%n", c.agency(), c.bets(),
                        c.batches(), c.bytes(), c.rejected());
                bets += c.bets();
                batches += c.batches();
                bytes += c.bytes();
                rejected += c.rejected();
            }
        } catch (ExecutionException e) {
            // The pool's threads would keep the JVM alive: say what failed and exit.
            System.err.println("WireBytes: " + e.getCause());
            e.getCause().printStackTrace();
            System.exit(1);
        } finally {
            pool.shutdownNow();
        }
        System.out.printf(java.util.Locale.ROOT, "total bets=%d batches=%d bytes=%d bytes_per_bet=%.2f rejected_rows=%d%n",
                bets, batches, bytes, bets == 0 ? 0.0 : (double) bytes / bets, rejected);
    }

    static Count count(int agency, Path file, int maxAmount) throws Exception {
        FrameCodec codec = new FrameCodec(LoteriaProtocol.INSTANCE, 16 * 1024 * 1024);
        try (CsvBetSource source = new CsvBetSource(file)) {
            BatchAssembler assembler = new BatchAssembler(source, agency, maxAmount);
            long bets = 0;
            long batches = 0;
            long bytes = 0;
            EncodedBatch batch;
            while ((batch = assembler.nextBatch()) != null) {
                bytes += batch.length();
                bets += batch.size();
                batches++;
            }
            bytes += codec.encode(new Finished(agency)).length;
            bytes += codec.encode(new WinnersRequest(agency)).length;
            return new Count(agency, bets, batches, bytes, source.rejectedRows());
        }
    }
}
