package ar.loteria.client.support;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import ar.loteria.common.LogGrammar;
import ar.loteria.common.LogSetup;
import ch.qos.logback.classic.Level;
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
 * Captures every event that reaches the root logger. Restores the root level on close, since
 * ClientMain sets it from the configuration. {@link #assertGrammar()} formats each event with the
 * programs' own pattern ({@link LogSetup#PATTERN}) and reads it back with the log contract's
 * grammar ({@link LogGrammar}), the way the course's tools read the real output.
 */
public final class LogCapture implements AutoCloseable {
    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level rootLevel = root.getLevel();
    private final List<ILoggingEvent> events = new ArrayList<>();
    private final AppenderBase<ILoggingEvent> appender = new AppenderBase<>() {
        @Override
        protected void append(ILoggingEvent event) {
            event.prepareForDeferredProcessing();
            synchronized (events) {
                events.add(event);
                events.notifyAll();
            }
        }
    };

    private LogCapture() {
        appender.setName("test-capture");
        appender.setContext(root.getLoggerContext());
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Events captured so far (a copy). */
    public List<ILoggingEvent> events() {
        synchronized (events) {
            return new ArrayList<>(events);
        }
    }

    /** The messages captured so far, in order. */
    public List<String> lines() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    public List<String> lines(Level level) {
        return events().stream().filter(e -> e.getLevel().equals(level)).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Messages that contain the fragment. */
    public List<String> linesContaining(String fragment) {
        return lines().stream().filter(line -> line.contains(fragment)).toList();
    }

    /** The one event whose message starts with {@code prefix}; fails if there are none or several. */
    public ILoggingEvent single(String prefix) {
        List<ILoggingEvent> found = events().stream().filter(e -> e.getFormattedMessage().startsWith(prefix)).toList();
        assertEquals(1, found.size(), () -> "lines starting '" + prefix + "': " + found + "; all: " + lines());
        return found.get(0);
    }

    /** Waits until a captured message matches; fails after {@code timeout}. */
    public String await(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (events) {
            while (true) {
                for (ILoggingEvent event : events) {
                    if (condition.test(event.getFormattedMessage())) {
                        return event.getFormattedMessage();
                    }
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    fail("no such log line within " + timeout + "; lines: " + lines());
                }
                events.wait(Math.max(1, left / 1_000_000));
            }
        }
    }

    /** Every captured event as the programs print it: {@link LogSetup#PATTERN}, one string per output line. */
    public List<String> printed() {
        PatternLayout layout = new PatternLayout();
        layout.setContext((LoggerContext) LoggerFactory.getILoggerFactory());
        layout.setPattern(LogSetup.PATTERN);
        layout.start();
        List<String> printed = new ArrayList<>();
        for (ILoggingEvent event : events()) {
            printed.addAll(layout.doLayout(event).lines().toList());
        }
        return printed;
    }

    /**
     * Fails naming the first printed line the log contract's grammar refuses (an {@code action:}
     * line that is not {@code action: NAME | result: R} then {@code | key: value}s, a reserved
     * detail key such as {@code source}, a stray line break...) or an action named {@code exit}.
     * Returns the parsed lines.
     */
    public List<LogGrammar.Entry> assertGrammar() {
        return assertGrammar(printed());
    }

    public static List<LogGrammar.Entry> assertGrammar(List<String> printedLines) {
        List<LogGrammar.Entry> entries;
        try {
            entries = LogGrammar.parseAll(printedLines);
        } catch (LogGrammar.LineException e) {
            throw new AssertionError("a line breaks the log contract: " + e.getMessage(), e);
        }
        for (LogGrammar.Entry entry : entries) {
            if ("exit".equals(entry.action())) {
                fail("an action named exit: " + entry.message());
            }
        }
        return entries;
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        root.setLevel(rootLevel);
    }
}
