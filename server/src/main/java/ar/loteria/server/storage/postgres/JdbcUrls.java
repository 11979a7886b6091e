package ar.loteria.server.storage.postgres;

import java.util.regex.Pattern;

/** STORAGE_URL as it may be shown: never its password. */
public final class JdbcUrls {
    public static final String EXPECTED = "jdbc:postgresql://HOST[:PORT]/DATABASE";
    private static final String PREFIX = "jdbc:postgresql:";
    /**
     * The driver's URL may carry the password as a parameter (?password=..., &password=..., and
     * the client key's &sslpassword=...), in the URL or in a message that quotes it: the driver's
     * own "Unable to parse URL ..." does. The value ends at the next parameter or white space.
     */
    private static final Pattern PASSWORD = Pattern.compile("(?i)([?&](?:ssl)?password=)[^&\\s]*");

    private JdbcUrls() {
    }

    public static boolean isPostgres(String url) {
        return url != null && url.regionMatches(true, 0, PREFIX, 0, PREFIX.length()) && url.length() > PREFIX.length();
    }

    /** The URL, or a message that quotes it, with the value of any password parameter replaced by {@code ***}. */
    public static String redacted(String url) {
        return url == null ? "null" : PASSWORD.matcher(url).replaceAll("$1***");
    }
}
