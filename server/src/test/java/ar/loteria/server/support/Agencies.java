package ar.loteria.server.support;

import ar.loteria.client.AgencyClient;
import ar.loteria.client.BatchCutter;
import ar.loteria.client.config.ClientConfig;
import ar.loteria.client.source.CsvBetSource;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.IntFunction;
import org.slf4j.event.Level;

/** Real agency clients run in this JVM, configured as ClientMain would configure them. */
public final class Agencies {
    private Agencies() {
    }

    public static ClientConfig config(Path dir, int agency, int port, Map<String, String> env) throws Exception {
        Path yaml = dir.resolve("agency-" + agency + ".yaml");
        if (!Files.exists(yaml)) {
            Files.writeString(yaml, "server:\n  address: \"127.0.0.1:" + port + "\"\nloop:\n  amount: 3\n"
                    + "  period: \"50ms\"\nlog:\n  level: \"INFO\"\n");
        }
        Map<String, String> all = new HashMap<>(Map.of("CLI_ID", String.valueOf(agency),
                "CLI_SERVER_ADDRESS", "127.0.0.1:" + port));
        all.putAll(env);
        return ClientConfig.load(yaml, all);
    }

    public static AgencyClient client(ClientConfig config, Path file) {
        return new AgencyClient(config, CsvBetSource.opener(file, BatchCutter.MAX_BETS_BYTES), Level.DEBUG);
    }

    /** Runs one agency to its end; its winners. */
    public static List<String> run(Path dir, int agency, int port, Path file) throws Exception {
        AgencyClient.Outcome outcome = client(config(dir, agency, port, Map.of()), file).run();
        return ((AgencyClient.Outcome.Done) outcome).winners();
    }

    /** Runs agencies 1..n concurrently; each one's winners (index 0 = agency 1). */
    public static List<List<String>> runAll(Path dir, int agencies, int port, IntFunction<Path> files) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(agencies);
        try {
            List<Future<List<String>>> runs = new ArrayList<>();
            for (int agency = 1; agency <= agencies; agency++) {
                int a = agency;
                runs.add(pool.submit(() -> run(dir, a, port, files.apply(a))));
            }
            List<List<String>> winners = new ArrayList<>();
            for (Future<List<String>> run : runs) {
                winners.add(run.get());
            }
            return winners;
        } finally {
            pool.shutdownNow();
        }
    }

    /**
     * Agencies run in this JVM in the background, as their own processes would run beside a central
     * the test kills: each on a thread of its own; what ended a run (a failure, or an end without
     * winners) reaches the test at {@link #winnerCounts}.
     */
    public static final class Background implements AutoCloseable {
        private final List<CompletableFuture<List<String>>> results = new ArrayList<>();
        private final List<Runnable> stops = new ArrayList<>();
        private final List<Thread> runners = new ArrayList<>();

        /** Starts these agencies, each with its file and the same settings. */
        public static Background start(Path dir, List<Integer> agencies, int port, Map<String, String> env,
                                       IntFunction<Path> files) throws Exception {
            Background background = new Background();
            for (int agency : agencies) {
                background.add(dir, agency, port, env, files.apply(agency));
            }
            return background;
        }

        /** Starts one more agency. */
        public void add(Path dir, int agency, int port, Map<String, String> env, Path file) throws Exception {
            AgencyClient client = client(config(dir, agency, port, env), file);
            CompletableFuture<List<String>> result = new CompletableFuture<>();
            Thread runner = new Thread(() -> {
                try {
                    AgencyClient.Outcome outcome = client.run();
                    if (outcome instanceof AgencyClient.Outcome.Done done) {
                        result.complete(done.winners());
                    } else {
                        result.completeExceptionally(new AssertionError("agency " + agency + " ended: " + outcome));
                    }
                } catch (Throwable failure) {
                    result.completeExceptionally(failure);
                }
            }, "agency-" + agency);
            runner.start();
            results.add(result);
            stops.add(() -> client.stop(runner));
            runners.add(runner);
        }

        /** Whether any agency is still running. */
        public boolean anyRunning() {
            return results.stream().anyMatch(result -> !result.isDone());
        }

        /** Waits for every agency's end; how many winners each got, in the order started. */
        public List<Integer> winnerCounts(Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            List<Integer> counts = new ArrayList<>();
            for (CompletableFuture<List<String>> result : results) {
                try {
                    counts.add(result.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS).size());
                } catch (ExecutionException e) {
                    throw new AssertionError("an agency failed: " + e.getCause(), e.getCause());
                }
            }
            return counts;
        }

        @Override
        public void close() throws InterruptedException {
            stops.forEach(Runnable::run);
            for (Thread runner : runners) {
                runner.join(Duration.ofSeconds(10).toMillis());
            }
        }
    }
}
