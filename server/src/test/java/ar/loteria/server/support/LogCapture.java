package ar.loteria.server.support;

import ar.loteria.common.LogGrammar;
import ar.loteria.common.LogSetup;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.slf4j.LoggerFactory;

/**
 * Captures the log lines of every thread of this JVM, in order, formatted with the programs' own
 * pattern, and lets a test wait for a message or check every line against the log grammar.
 */
public final class LogCapture extends AppenderBase<ILoggingEvent> implements AutoCloseable {
    private final List<String> messages = new ArrayList<>();
    private final List<String> lines = new ArrayList<>();
    private final PatternLayout layout = new PatternLayout();

    private LogCapture() {
    }

    public static LogCapture begin() {
        LogCapture capture = new LogCapture();
        LoggerContext context = (LoggerContext) LoggerFactory.getILoggerFactory();
        capture.layout.setContext(context);
        capture.layout.setPattern(LogSetup.PATTERN);
        capture.layout.start();
        capture.setContext(context);
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
        String line = layout.doLayout(event);
        synchronized (messages) {
            messages.add(event.getFormattedMessage());
            lines.add(line.endsWith("\n") ? line.substring(0, line.length() - 1) : line);
            messages.notifyAll();
        }
    }

    /** The messages (without time and level), in order. */
    public List<String> messages() {
        synchronized (messages) {
            return List.copyOf(messages);
        }
    }

    public List<String> matching(String fragment) {
        return messages().stream().filter(line -> line.contains(fragment)).toList();
    }

    /** Waits until {@code count} messages match, or fails after {@code timeout}. */
    public void await(Predicate<String> condition, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (messages) {
            while (messages.stream().filter(condition).count() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("timed out waiting for " + count + " matching log line(s); saw: "
                            + messages.subList(Math.max(0, messages.size() - 20), messages.size()));
                }
                messages.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Every captured line, parsed by the log grammar; fails on the first line it cannot read. */
    public List<LogGrammar.Entry> parsed() throws LogGrammar.LineException {
        synchronized (messages) {
            return LogGrammar.parseAll(lines);
        }
    }

    @Override
    public void close() {
        root().detachAppender(this);
        stop();
    }
}
