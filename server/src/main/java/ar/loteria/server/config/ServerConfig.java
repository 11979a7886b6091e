package ar.loteria.server.config;

import ar.loteria.common.BetRules;
import ar.loteria.common.ConfigException;
import ar.loteria.common.ConfigFiles;
import ar.loteria.common.LogSetup;
import ar.loteria.server.storage.postgres.JdbcUrls;
import java.io.IOException;
import java.io.Reader;
import java.lang.reflect.RecordComponent;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.commons.configuration2.INIConfiguration;
import org.apache.commons.configuration2.SubnodeConfiguration;
import org.apache.commons.configuration2.ex.ConfigurationException;

/**
 * Server settings: the four keys of {@code config.ini} (section {@code [DEFAULT]}), each
 * overridable by an environment variable of the same name, plus settings that exist only as
 * environment variables, each with a documented default (docs/settings.md, "The central").
 * {@code storageUrl} (STORAGE_URL) is null unless the ledger is in PostgreSQL; then
 * {@code storageUser} and {@code storagePassword} are STORAGE_USER and STORAGE_PASSWORD, else
 * PostgreSQL's own PGUSER and PGPASSWORD, else null (the driver's defaults).
 */
public record ServerConfig(
        int port,
        int listenBacklog,
        String loggingLevel,
        String bindAddress,
        int agencyCount,
        int workerThreads,
        int maxConnections,
        Path storageDir,
        boolean storageFsync,
        int maxFrameBytes,
        int frameTimeoutMillis,
        int idleTimeoutMillis,
        int shutdownGraceMillis,
        Path readyFile,
        TlsMode tls,
        Path tlsDir,
        String storageUrl,
        String storageUser,
        String storagePassword) {

    /** {@code TLS}: on, off, or auto (on once {@code TLS_DIR} holds keys). */
    public enum TlsMode { ON, OFF, AUTO }

    public static final Set<String> FILE_KEYS = Set.of("SERVER_PORT", "SERVER_IP", "SERVER_LISTEN_BACKLOG", "LOGGING_LEVEL");

    /** CONFIG_FILE, else config.ini in the working directory, else server/config.ini. */
    public static Path defaultConfigFile(Map<String, String> env) {
        return ConfigFiles.locate(env, "CONFIG_FILE", "server", "config.ini");
    }

    public static ServerConfig load(Path file, Map<String, String> env) throws ConfigException {
        Map<String, String> fileValues = readIni(file);
        Settings s = new Settings(fileValues, env);
        // SERVER_IP is where the agencies and the echo validator reach the central, not where it
        // listens (BIND_ADDRESS), so it may be missing or blank; when set it is checked by its form
        // only (it need resolve only where they run: "server" inside Compose's network).
        s.host("SERVER_IP");
        return new ServerConfig(
                s.intIn("SERVER_PORT", null, 0, 65535),
                s.intIn("SERVER_LISTEN_BACKLOG", null, 1, 65535),
                s.level("LOGGING_LEVEL", null),
                s.nonBlank("BIND_ADDRESS", "0.0.0.0"),
                s.intIn("AGENCY_COUNT", "5", 0, 100_000),
                s.intIn("WORKER_THREADS", "4", 1, 1_000),
                s.intIn("MAX_CONNECTIONS", "1000", 1, 1_000_000),
                Path.of(s.nonBlank("STORAGE_DIR", "storage")),
                s.bool("STORAGE_FSYNC", "false"),
                s.intIn("MAX_FRAME_BYTES", String.valueOf(BetRules.MAX_BATCH_FRAME_BYTES), 64, 64 * 1024 * 1024),
                s.intIn("FRAME_TIMEOUT_MS", "10000", 0, 86_400_000),
                s.intIn("IDLE_TIMEOUT_MS", "60000", 0, 86_400_000),
                s.intIn("SHUTDOWN_GRACE_MS", "1500", 0, 600_000),
                s.optionalPath("READY_FILE"),
                s.oneOf("TLS", "auto", TlsMode.class),
                Path.of(s.nonBlank("TLS_DIR", Path.of(".data", "pki", "server").toString())),
                s.postgresUrl("STORAGE_URL"),
                s.optional("STORAGE_USER", "PGUSER"),
                s.optional("STORAGE_PASSWORD", "PGPASSWORD"));
    }

    /** Where the round is kept, as it may be shown: the PostgreSQL URL (without a password), else the directory. */
    public String storageLocation() {
        return storageUrl != null ? JdbcUrls.redacted(storageUrl) : storageDir.toString();
    }

    /** Every setting but the password, which is never shown. */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder("ServerConfig[");
        for (RecordComponent component : ServerConfig.class.getRecordComponents()) {
            Object value;
            try {
                value = component.getAccessor().invoke(this);
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
            if (component.getName().equals("storagePassword") && value != null) {
                value = "***";
            } else if (component.getName().equals("storageUrl") && value != null) {
                value = JdbcUrls.redacted((String) value);
            }
            text.append(text.length() > "ServerConfig[".length() ? ", " : "").append(component.getName()).append('=').append(value);
        }
        return text.append(']').toString();
    }

    private static Map<String, String> readIni(Path file) throws ConfigException {
        INIConfiguration ini = new INIConfiguration();
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            ini.read(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file not found: " + file);
        } catch (IOException | ConfigurationException e) {
            throw new ConfigException("cannot read configuration file " + file + ": " + e.getMessage());
        }
        if (!ini.getSections().contains("DEFAULT")) {
            throw new ConfigException("configuration file " + file + " has no [DEFAULT] section");
        }
        for (String name : ini.getSections()) {
            // The section named null holds keys written before any section header.
            if (!"DEFAULT".equals(name)) {
                SubnodeConfiguration other = ini.getSection(name);
                var keys = other.getKeys();
                if (keys.hasNext()) {
                    String key = keys.next();
                    throw new ConfigException("unknown key in " + file + ": " + key + "=" + other.getString(key)
                            + (name == null ? " (outside any section)" : " (in section [" + name + "])")
                            + "; the file holds only [DEFAULT] with " + String.join(", ", FILE_KEYS.stream().sorted().toList()));
                }
            }
        }
        SubnodeConfiguration section = ini.getSection("DEFAULT");
        java.util.HashMap<String, String> values = new java.util.HashMap<>();
        for (var it = section.getKeys(); it.hasNext(); ) {
            String key = it.next();
            if (!FILE_KEYS.contains(key)) {
                throw new ConfigException("unknown key in " + file + ": " + key + "=" + section.getString(key) + " (the file holds only "
                        + String.join(", ", FILE_KEYS.stream().sorted().toList()) + ")");
            }
            values.put(key, section.getString(key));
        }
        return values;
    }

    /**
     * Host names as RFC 1123 has them, IPv4 addresses among them (labels of 1 to 63 letters, digits
     * and inner hyphens), with underscores too: Docker resolves container names such as tp0_server_1.
     */
    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)\\w([\\w-]{0,61}\\w)?(\\.\\w([\\w-]{0,61}\\w)?)*\\.?");
    /** What may be an IPv6 literal (hexadecimal groups and colons, an IPv4 tail, brackets); the JDK parses it. */
    private static final Pattern IPV6 = Pattern.compile("\\[?[0-9A-Fa-f:]*:[0-9A-Fa-f:.]*]?");

    /** Looks a key up in the environment first, then the file, then its default. */
    private record Settings(Map<String, String> file, Map<String, String> env) {
        String raw(String key, String fallback) throws ConfigException {
            String value = env.get(key);
            if (value == null) {
                value = file.get(key);
            }
            if (value == null) {
                value = fallback;
            }
            if (value == null) {
                throw new ConfigException("missing configuration: " + key + " (set it in config.ini or the environment)");
            }
            return value.trim();
        }

        String nonBlank(String key, String fallback) throws ConfigException {
            String value = raw(key, fallback);
            if (value.isEmpty()) {
                throw ConfigException.invalid(key, value, "a non-empty value");
            }
            return value;
        }

        int intIn(String key, String fallback, int min, int max) throws ConfigException {
            String value = raw(key, fallback);
            try {
                int parsed = Integer.parseInt(value);
                if (parsed >= min && parsed <= max) {
                    return parsed;
                }
            } catch (NumberFormatException e) {
                // reported below
            }
            throw ConfigException.invalid(key, value, "an integer from " + min + " to " + max);
        }

        /** Unless unset or blank: a host name (letters, digits and hyphens in dot-separated labels) or an IP address. */
        String host(String key) throws ConfigException {
            String value = raw(key, "");
            if (!value.isEmpty() && !HOST_NAME.matcher(value).matches() && !isIpv6Literal(value)) {
                throw ConfigException.invalid(key, value, "a host name or an IP address");
            }
            return value;
        }

        private static boolean isIpv6Literal(String value) {
            if (!IPV6.matcher(value).matches()) {
                return false;
            }
            try {
                InetAddress.getByName(value); // only hexadecimal digits, colons, dots and brackets: parsed, never looked up
                return true;
            } catch (UnknownHostException e) {
                return false;
            }
        }

        boolean bool(String key, String fallback) throws ConfigException {
            String value = raw(key, fallback);
            if (value.equalsIgnoreCase("true") || value.equalsIgnoreCase("false")) {
                return Boolean.parseBoolean(value);
            }
            throw ConfigException.invalid(key, value, "true or false");
        }

        String level(String key, String fallback) throws ConfigException {
            String value = raw(key, fallback);
            if (!LogSetup.isLevel(value)) {
                throw ConfigException.invalid(key, value, LogSetup.LEVELS_EXPECTED);
            }
            return value; // as configured, for the config line; LogSetup takes any case
        }

        <E extends Enum<E>> E oneOf(String key, String fallback, Class<E> type) throws ConfigException {
            String value = raw(key, fallback);
            for (E constant : type.getEnumConstants()) {
                if (constant.name().equalsIgnoreCase(value)) {
                    return constant;
                }
            }
            throw ConfigException.invalid(key, value, "one of " + String.join(", ",
                    java.util.Arrays.stream(type.getEnumConstants()).map(c -> c.name().toLowerCase(java.util.Locale.ROOT))
                            .toList()));
        }

        /** The first of {@code keys} set to something not blank, trimmed; null when none is. */
        String optional(String... keys) {
            for (String key : keys) {
                String value = env.get(key);
                if (value != null && !value.isBlank()) {
                    return value.trim();
                }
            }
            return null;
        }

        /** A PostgreSQL JDBC URL, or null when not set; shown without its password when refused. */
        String postgresUrl(String key) throws ConfigException {
            String value = optional(key);
            if (value != null && !JdbcUrls.isPostgres(value)) {
                throw ConfigException.invalid(key, JdbcUrls.redacted(value), "a PostgreSQL JDBC URL: " + JdbcUrls.EXPECTED);
            }
            return value;
        }

        Path optionalPath(String key) {
            String value = env.get(key);
            return value == null || value.isBlank() ? null : Path.of(value.trim());
        }
    }
}
