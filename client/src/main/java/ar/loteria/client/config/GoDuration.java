package ar.loteria.client.config;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Durations in Go's syntax ({@code time.ParseDuration}): a sequence of decimal numbers, each
 * with an optional fraction and a unit: ns, us (or µs), ms, s, m, h. For example {@code 50ms},
 * {@code 1.5s}, {@code 1m30s}. "0" alone is zero. No library for this syntax exists on the JVM.
 */
public final class GoDuration {
    private static final Pattern WHOLE = Pattern.compile("([0-9]+(?:\\.[0-9]*)?|\\.[0-9]+)(ns|us|µs|μs|ms|s|m|h)");

    private GoDuration() {
    }

    /** Parses a non-negative duration; throws IllegalArgumentException naming the problem. */
    public static Duration parse(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        if (text.isEmpty()) {
            throw new IllegalArgumentException("empty duration");
        }
        Matcher matcher = WHOLE.matcher(text);
        BigDecimal nanos = BigDecimal.ZERO;
        int position = 0;
        while (position < text.length()) {
            if (!matcher.find(position) || matcher.start() != position) {
                throw new IllegalArgumentException("not a Go duration: \"" + text + "\"");
            }
            nanos = nanos.add(new BigDecimal(matcher.group(1)).multiply(BigDecimal.valueOf(unitNanos(matcher.group(2)))));
            position = matcher.end();
        }
        if (nanos.compareTo(BigDecimal.valueOf(Long.MAX_VALUE)) > 0) {
            throw new IllegalArgumentException("duration out of range: \"" + text + "\"");
        }
        return Duration.ofNanos(nanos.longValue());
    }

    private static long unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1L;
            case "us", "µs", "μs" -> 1_000L;
            case "ms" -> 1_000_000L;
            case "s" -> 1_000_000_000L;
            case "m" -> 60_000_000_000L;
            case "h" -> 3_600_000_000_000L;
            default -> throw new IllegalStateException(unit);
        };
    }
}
