package ar.loteria.common;

/**
 * Values from files, the wire or exceptions go into log lines that other tools parse by their
 * {@code |} separators: each value is made one line without a {@code |}.
 */
public final class LogValues {
    private LogValues() {
    }

    /**
     * The value on one line without {@code |}; an empty or blank one is written {@code ""}, so a
     * line never ends in {@code "key: "}, which a parser that trims lines would see as no value.
     */
    public static String clean(Object value) {
        String text = String.valueOf(value);
        StringBuilder out = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            out.append(c == '|' ? '/' : breaksALine(c) ? ' ' : c);
        }
        String cleaned = out.toString();
        return cleaned.isBlank() ? "\"\"" : cleaned;
    }

    /**
     * Control characters, and the Unicode line and paragraph separators some readers split lines
     * at. BetRules refuses them in names, so that a stored row stays on one line too.
     */
    static boolean breaksALine(char c) {
        return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
    }
}
