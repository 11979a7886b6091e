package ar.loteria.server.service;

/** Values from the wire go into log lines whose format other tools parse: keep them one line, no '|'. */
public final class LogValues {
    private LogValues() {
    }

    public static String clean(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            out.append(c == '|' ? '/' : Character.isISOControl(c) ? ' ' : c);
        }
        return out.toString();
    }
}
