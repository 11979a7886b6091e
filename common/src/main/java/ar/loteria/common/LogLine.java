package ar.loteria.common;

import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.event.Level;

/**
 * One line of the log contract, built so that no call site can break its grammar:
 * {@code action: NAME | result: success|fail|in_progress} then {@code | key: value} details, in
 * the order given. Names and keys are checked (lower-case words, no reserved key); every value is
 * cleaned ({@link LogValues#clean}: one line, no {@code |}, never empty). Other tools parse these
 * lines; {@link LogGrammar} is how the tests and the Docker checks read them back.
 *
 * <pre>
 *   LogLine.success("apuesta_recibida").with("cantidad", 140).info(log);
 * </pre>
 */
public final class LogLine {
    private static final Pattern WORD = Pattern.compile("[a-z0-9_]+");

    private final StringBuilder text = new StringBuilder(96);

    private LogLine(String action, String result) {
        text.append("action: ").append(word(action, "action")).append(" | result: ").append(result);
    }

    public static LogLine success(String action) {
        return new LogLine(action, "success");
    }

    public static LogLine fail(String action) {
        return new LogLine(action, "fail");
    }

    public static LogLine inProgress(String action) {
        return new LogLine(action, "in_progress");
    }

    /** Adds {@code | key: value}; the value is cleaned. */
    public LogLine with(String key, Object value) {
        if (key.equals("source") || key.equals("action") || key.equals("result")) {
            throw new IllegalArgumentException("detail key '" + key + "' is reserved by the log contract");
        }
        text.append(" | ").append(word(key, "detail key")).append(": ").append(LogValues.clean(value));
        return this;
    }

    private static String word(String name, String what) {
        if (!WORD.matcher(name).matches()) {
            throw new IllegalArgumentException(what + " '" + name + "' is not a lower-case word ([a-z0-9_]+)");
        }
        return name;
    }

    public void info(Logger log) {
        log.info(text.toString());
    }

    public void warn(Logger log) {
        log.warn(text.toString());
    }

    public void error(Logger log) {
        log.error(text.toString());
    }

    public void debug(Logger log) {
        log.debug(text.toString());
    }

    public void at(Level level, Logger log) {
        log.atLevel(level).log(text.toString());
    }

    @Override
    public String toString() {
        return text.toString();
    }
}
