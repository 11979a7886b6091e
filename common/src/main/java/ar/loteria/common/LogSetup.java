package ar.loteria.common;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Set;
import org.slf4j.LoggerFactory;

/**
 * Logging of both programs, found by logback through ServiceLoader: the log contract's format
 * on stdout. Code rather than a logback.xml, because parsing XML is a noticeable part of a
 * short-lived agency's start-up.
 */
public final class LogSetup extends ContextAwareBase implements Configurator {
    public static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss} %-8level %msg%n";
    /** The levels a configuration may name, in any case; what a refusal says is expected. */
    private static final Set<String> LEVELS = Set.of("TRACE", "DEBUG", "INFO", "WARN", "ERROR");
    public static final String LEVELS_EXPECTED = "one of DEBUG, INFO, WARN, ERROR, TRACE";

    @Override
    public ExecutionStatus configure(LoggerContext context) {
        PatternLayoutEncoder encoder = new PatternLayoutEncoder();
        encoder.setContext(context);
        encoder.setPattern(PATTERN);
        // Not the JVM's default charset: under a locale without UTF-8 (no LANG, as in minimal
        // images) that is ASCII, and every name in a log line would lose its accents to '?'.
        encoder.setCharset(StandardCharsets.UTF_8);
        encoder.start();
        ConsoleAppender<ILoggingEvent> console = new ConsoleAppender<>();
        console.setContext(context);
        console.setName("STDOUT");
        console.setEncoder(encoder);
        console.start();
        Logger root = context.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(console);
        // Netty's own DEBUG lines (its settings at start-up) are not the operator's business.
        context.getLogger("io.netty").setLevel(Level.INFO);
        // The ledger's pool and schema tool say at INFO what the central's own lines already say
        // (storage opened, closed) in a format of their own; their warnings and errors still show.
        context.getLogger("com.zaxxer.hikari").setLevel(Level.WARN);
        context.getLogger("org.flywaydb").setLevel(Level.WARN);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Whether a configuration may name {@code level} (see {@link #LEVELS_EXPECTED}). */
    public static boolean isLevel(String level) {
        return LEVELS.contains(level.toUpperCase(Locale.ROOT));
    }

    /** Sets the level of every logger: TRACE, DEBUG, INFO, WARN or ERROR, in any case. */
    public static void setLevel(String level) {
        ((Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME)).setLevel(Level.toLevel(level));
    }
}
