package ar.loteria.client.support;

import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.slf4j.LoggerFactory;

/**
 * Captures every event that reaches the root logger, through a logback {@link ListAppender}.
 * Restores the root level on close, since ClientMain sets it from the configuration.
 */
public final class LogCapture implements AutoCloseable {
    /** The log contract of SPEC.md for every line that contains {@code action:}. */
    public static final Pattern CONTRACT =
            Pattern.compile("^action: [a-z_]+ \\| result: (success|fail|in_progress)( \\| [a-z_]+: [^|]*)*$");

    private final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    private final Level rootLevel = root.getLevel();
    private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

    private LogCapture() {
        appender.setName("test-capture");
        appender.start();
        root.addAppender(appender);
    }

    public static LogCapture start() {
        return new LogCapture();
    }

    /** Events captured so far (a copy). */
    public List<ILoggingEvent> events() {
        synchronized (appender) {
            return new ArrayList<>(appender.list);
        }
    }

    public List<String> lines() {
        return events().stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    public List<String> lines(Level level) {
        return events().stream().filter(e -> e.getLevel().equals(level)).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Lines that contain the fragment. */
    public List<String> linesContaining(String fragment) {
        return lines().stream().filter(line -> line.contains(fragment)).toList();
    }

    /** Fails naming each captured {@code action:} line that breaks the log contract. */
    public void assertContract() {
        assertContract(lines());
    }

    public static void assertContract(List<String> lines) {
        List<String> broken = lines.stream()
                .filter(line -> line.contains("action:"))
                .filter(line -> !CONTRACT.matcher(line).matches() || line.contains("action: exit "))
                .collect(Collectors.toList());
        assertTrue(broken.isEmpty(), () -> "lines breaking the log contract: " + broken);
    }

    @Override
    public void close() {
        root.detachAppender(appender);
        appender.stop();
        root.setLevel(rootLevel);
    }
}
