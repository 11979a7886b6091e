package ar.loteria.common;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads log lines the way the course's tools do, and says why a line cannot be read: the one
 * grammar of the log contract, used by the tests and, through {@link #main}, by the Docker checks
 * (scripts/e2e-docker.sh runs it in the client image on {@code docker compose logs}). A line is
 * {@code yyyy-MM-dd HH:mm:ss LEVEL(padded to 8) message}; a message with {@code action:} is
 * exactly {@code action: NAME | result: success|fail|in_progress} then {@code | key: value}
 * details, no other {@code |}, and no detail named {@code source}, {@code action} or
 * {@code result}. Compose's {@code name  | } prefix and terminal escapes are taken off first.
 */
public final class LogGrammar {
    private static final Pattern ESCAPES = Pattern.compile("\u001B\\[[0-9;?]*[A-Za-z]");
    private static final Pattern LINE = Pattern.compile(
            "(\\d{4}-\\d{2}-\\d{2} \\d{2}:\\d{2}:\\d{2}) (TRACE|DEBUG|INFO|WARN|ERROR) +(.*)");
    private static final Pattern ACTION_HEAD = Pattern.compile("action: ([a-z0-9_]+) \\| result: (success|fail|in_progress)");
    private static final Pattern DETAIL = Pattern.compile(" \\| ([a-z0-9_]+): ([^|]*?)(?= \\| |$)");
    private static final Set<String> RESERVED_KEYS = Set.of("source", "action", "result");

    /** One parsed line; {@code action} is null for a line without {@code action:}. */
    public record Entry(String source, String level, String action, String result, Map<String, String> details,
                        String message) {
        public String detail(String key) {
            return details.get(key);
        }
    }

    /** A line that the grammar does not allow; the message says what is wrong. */
    public static final class LineException extends Exception {
        LineException(String line, String problem) {
            super(problem + ": " + line);
        }
    }

    private LogGrammar() {
    }

    /**
     * {@code java -cp client.jar ar.loteria.common.LogGrammar [--compose] < LINES}: prints each line
     * of standard input that breaks the grammar, with why, then a count; exit code 1 when any does.
     * {@code --compose}: the lines are {@code docker compose logs} lines. Blank lines are skipped.
     */
    public static void main(String[] args) throws IOException {
        boolean compose = args.length == 1 && args[0].equals("--compose");
        if (args.length > 1 || (args.length == 1 && !compose)) {
            System.err.println("usage: LogGrammar [--compose] < lines");
            System.exit(2);
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        int lines = 0;
        int bad = 0;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null; line = in.readLine()) {
            if (line.isBlank()) {
                continue;
            }
            lines++;
            try {
                if (compose) {
                    parseCompose(line);
                } else {
                    parse(line);
                }
            } catch (LineException e) {
                bad++;
                out.println(e.getMessage());
            }
        }
        out.println(bad + " of " + lines + " lines break the log grammar");
        System.exit(bad == 0 ? 0 : 1);
    }

    /** Parses a program's own line (no Compose prefix). */
    public static Entry parse(String line) throws LineException {
        return parse(null, line);
    }

    /** Parses a line of {@code docker compose logs}: {@code source | program line}, escapes taken off. */
    public static Entry parseCompose(String composeLine) throws LineException {
        String clean = ESCAPES.matcher(composeLine).replaceAll("");
        int bar = clean.indexOf('|');
        if (bar < 0) {
            throw new LineException(composeLine, "no '|' after the Compose service name");
        }
        String rest = clean.substring(bar + 1);
        return parse(clean.substring(0, bar).trim(), rest.startsWith(" ") ? rest.substring(1) : rest);
    }

    private static Entry parse(String source, String line) throws LineException {
        Matcher m = LINE.matcher(line);
        if (!m.matches()) {
            throw new LineException(line, "not 'yyyy-MM-dd HH:mm:ss LEVEL message'");
        }
        String level = m.group(2);
        String message = m.group(3);
        if (!line.startsWith(m.group(1) + " " + String.format("%-8s ", level))) {
            throw new LineException(line, "level not padded to 8 characters");
        }
        if (!line.contains("action:")) {
            return new Entry(source, level, null, null, Map.of(), message);
        }
        Matcher head = ACTION_HEAD.matcher(message);
        if (!head.lookingAt()) {
            throw new LineException(line, "message with 'action:' does not start 'action: NAME | result: success|fail|in_progress'");
        }
        Map<String, String> details = new LinkedHashMap<>();
        Matcher detail = DETAIL.matcher(message);
        int at = head.end();
        while (at < message.length()) {
            if (!detail.find(at) || detail.start() != at) {
                throw new LineException(line, "text at column " + at + " of the message is not ' | key: value'");
            }
            String key = detail.group(1);
            if (RESERVED_KEYS.contains(key)) {
                throw new LineException(line, "detail key '" + key + "' is reserved");
            }
            if (details.put(key, detail.group(2)) != null) {
                throw new LineException(line, "detail key '" + key + "' appears twice");
            }
            at = detail.end();
        }
        return new Entry(source, level, head.group(1), head.group(2), details, message);
    }

    /** Every line, parsed; throws on the first one the grammar does not allow (blank lines are skipped). */
    public static List<Entry> parseAll(List<String> lines) throws LineException {
        List<Entry> entries = new ArrayList<>();
        for (String line : lines) {
            if (!line.isBlank()) {
                entries.add(parse(line));
            }
        }
        return entries;
    }
}
