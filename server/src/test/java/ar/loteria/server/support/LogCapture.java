package ar.loteria.server.support;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import org.slf4j.LoggerFactory;

/** Captures formatted log messages of every thread, in order, and lets a test wait for one. */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    /** The log contract of SPEC.md for lines that contain "action:". */
    public static final Pattern CONTRACT = Pattern.compile(
            "^action: [a-z_]+ \\| result: (success|fail|in_progress)( \\| [a-z_]+: [^|]*)*$");

    private final List<String> lines = new ArrayList<>();

    private LogCapture() {
    }

    public static LogCapture begin() {
        LogCapture capture = new LogCapture();
        capture.setContext((ch.qos.logback.classic.LoggerContext) LoggerFactory.getILoggerFactory());
        capture.setName("capture");
        capture.start();
        root().addAppender(capture);
        return capture;
    }

    private static Logger root() {
        return (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    }

    @Override
    protected void append(ILoggingEvent event) {
        synchronized (lines) {
            lines.add(event.getFormattedMessage());
            lines.notifyAll();
        }
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    public List<String> matching(String fragment) {
        return lines().stream().filter(line -> line.contains(fragment)).toList();
    }

    /** Waits until {@code count} lines match, or fails after {@code timeout}. */
    public void await(Predicate<String> condition, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.stream().filter(condition).count() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + count + " matching log line(s); saw: "
                            + lines.subList(Math.max(0, lines.size() - 20), lines.size()));
                }
                lines.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Lines containing "action:" that break the log contract. */
    public List<String> contractViolations() {
        return lines().stream().filter(line -> line.contains("action:") && !CONTRACT.matcher(line).matches()).toList();
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }
}
