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
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
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
}
