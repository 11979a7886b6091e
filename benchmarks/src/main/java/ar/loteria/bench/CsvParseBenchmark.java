package ar.loteria.bench;

import ar.loteria.client.source.BetParser;
import ar.loteria.client.source.CsvBetSource;
import ar.loteria.client.source.InvalidBetException;
import ar.loteria.protocol.Bet;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The client's reading side, per bet: {@link CsvBetSource#next()} over a temp copy of the real
 * agency-1.csv (CRLF, no header; FastCSV + BetParser, as the client runs it), and
 * {@link BetParser#parse} alone over pre-split fields (validation and conversion only).
 * One benchmark operation = one bet; the source is reopened at the end of the file (once every
 * ~25,000 bets, so the reopen is amortised to nothing).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
public class CsvParseBenchmark {
    private Path file;
    private CsvBetSource source;
    private List<String[]> rows;
    private int next;

    @Setup(Level.Trial)
    public void setup() throws IOException {
        file = Files.createTempFile("bench-agency-1-", ".csv");
        Files.write(file, BenchData.agencyFile(1));
        source = new CsvBetSource(file);
        rows = BenchData.rows(1);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        source.close();
        Files.deleteIfExists(file);
    }

    /** Read one row from the file and turn it into a Bet (FastCSV + BetParser). */
    @Benchmark
    public Bet csvBetSourceNext() throws IOException {
        Bet bet = source.next();
        if (bet == null) {
            source.close();
            source = new CsvBetSource(file);
            bet = source.next();
        }
        return bet;
    }

    /** Validate and convert the five fields of one row (no CSV reading). */
    @Benchmark
    public Bet betParserParse() throws InvalidBetException {
        String[] f = rows.get(next);
        next = next + 1 == rows.size() ? 0 : next + 1;
        return BetParser.parse(f[0], f[1], f[2], f[3], f[4]);
    }
}
