package ar.loteria.client.config;

import ar.loteria.common.ConfigException;
import ar.loteria.common.ConfigFiles;
import ar.loteria.common.LogSetup;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;
import org.yaml.snakeyaml.error.YAMLException;

/**
 * Client settings: {@code config.yaml} overridden key by key by {@code CLI_*} environment
 * variables. Values keep their configured text for the {@code config} log line.
 */
public record ClientConfig(
        int id,
        String serverAddress,
        List<CentralAddress> centrals,
        int loopAmount,
        String loopPeriodText,
        Duration loopPeriod,
        String logLevel,
        int batchMaxAmount,
        Path dataFile,
        Duration replyTimeout,
        Duration startupWait,
        TlsMode tls,
        Path tlsDir) {

    /** One {@code host:port} of {@code server.address}: a central, or one of a central and its standbys. */
    public record CentralAddress(String host, int port) {
        @Override
        public String toString() {
            return host + ":" + port;
        }
    }

    /** {@code CLI_TLS}: on, off, or auto (on once {@code CLI_TLS_DIR} holds keys). */
    public enum TlsMode { ON, OFF, AUTO }

    public static final int DEFAULT_BATCH_MAX_AMOUNT = 140;
    /**
     * How long the agency waits for any reply but the winners (which wait for the draw) before it
     * takes the connection as dropped: generous, since the central answers in milliseconds.
     */
    public static final String DEFAULT_REPLY_TIMEOUT = "30s";
    /**
     * How long an agency waits for a central that has not answered yet in this run (nothing listens,
     * its name does not resolve) before its attempts start counting: a central still starting.
     */
    public static final String DEFAULT_STARTUP_WAIT = "30s";

    /** YAML key -> environment variable. */
    private static final Map<String, String> KEYS = Map.of(
            "server.address", "CLI_SERVER_ADDRESS",
            "loop.amount", "CLI_LOOP_AMOUNT",
            "loop.period", "CLI_LOOP_PERIOD",
            "log.level", "CLI_LOG_LEVEL",
            "batch.maxAmount", "CLI_BATCH_MAXAMOUNT");

    /** CLI_CONFIG_FILE, else config.yaml in the working directory, else client/config.yaml. */
    public static Path defaultConfigFile(Map<String, String> env) {
        return ConfigFiles.locate(env, "CLI_CONFIG_FILE", "client", "config.yaml");
    }

    public static ClientConfig load(Path file, Map<String, String> env) throws ConfigException {
        Map<String, String> values = readYaml(file);
        // A bad value is named where it was written: by its variable when one overrides the file.
        Map<String, String> writtenAs = new HashMap<>();
        KEYS.forEach((key, variable) -> {
            String override = env.get(variable);
            writtenAs.put(key, override != null ? variable : key);
            if (override != null) {
                values.put(key, override.trim());
            }
        });

        int id = intAtLeast("CLI_ID", require(env, "CLI_ID", null), 1);
        String address = require(values, "server.address", null);
        List<CentralAddress> centrals = centrals(writtenAs.get("server.address"), address);
        int loopAmount = intAtLeast(writtenAs.get("loop.amount"), require(values, "loop.amount", null), 1);
        String periodText = require(values, "loop.period", null);
        Duration period;
        try {
            period = GoDuration.parse(periodText);
        } catch (IllegalArgumentException e) {
            throw ConfigException.invalid(writtenAs.get("loop.period"), periodText, "a Go duration such as 50ms, 5s or 1m30s");
        }
        String level = require(values, "log.level", "INFO"); // as configured, for the config line
        if (!LogSetup.isLevel(level)) {
            throw ConfigException.invalid(writtenAs.get("log.level"), values.get("log.level"), LogSetup.LEVELS_EXPECTED);
        }
        int maxAmount = intAtLeast(writtenAs.get("batch.maxAmount"),
                require(values, "batch.maxAmount", String.valueOf(DEFAULT_BATCH_MAX_AMOUNT)), 1);
        String dataFile = env.getOrDefault("CLI_DATA_FILE", Path.of(".data", "agency-" + id + ".csv").toString());
        return new ClientConfig(id, address, centrals, loopAmount, periodText, period, level,
                maxAmount, Path.of(dataFile), duration(env, "CLI_REPLY_TIMEOUT", DEFAULT_REPLY_TIMEOUT, 1),
                duration(env, "CLI_STARTUP_WAIT", DEFAULT_STARTUP_WAIT, 0), tlsMode(env),
                Path.of(env.getOrDefault("CLI_TLS_DIR", Path.of(".data", "pki", "agency-" + id).toString())));
    }

    /**
     * {@code host:port}, or several separated by commas (a central and its standbys, tried in turn);
     * {@code key} names where the address was written.
     */
    private static List<CentralAddress> centrals(String key, String address) throws ConfigException {
        List<CentralAddress> centrals = new ArrayList<>();
        for (String one : address.split(",", -1)) {
            String central = one.trim();
            int colon = central.lastIndexOf(':');
            if (colon <= 0 || colon == central.length() - 1) {
                throw ConfigException.invalid(key, address, "host:port, or several separated by commas");
            }
            int port;
            try {
                port = Integer.parseInt(central.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw ConfigException.invalid(key, address, "host:port with a numeric port");
            }
            if (port < 1 || port > 65535) {
                throw ConfigException.invalid(key, address, "a port from 1 to 65535");
            }
            centrals.add(new CentralAddress(central.substring(0, colon), port));
        }
        return List.copyOf(centrals);
    }

    private static TlsMode tlsMode(Map<String, String> env) throws ConfigException {
        String value = require(env, "CLI_TLS", "auto");
        for (TlsMode mode : TlsMode.values()) {
            if (mode.name().equalsIgnoreCase(value.trim())) {
                return mode;
            }
        }
        throw ConfigException.invalid("CLI_TLS", value, "one of on, off, auto");
    }

    /** A duration of at least {@code minMillis} from the variable {@code name}, else its default. */
    private static Duration duration(Map<String, String> env, String name, String fallback, int minMillis)
            throws ConfigException {
        String text = require(env, name, fallback);
        Duration duration = null;
        try {
            duration = GoDuration.parse(text);
        } catch (IllegalArgumentException e) {
            // reported below
        }
        if (duration == null || duration.toMillis() < minMillis) {
            throw ConfigException.invalid(name, text, "a Go duration of " + minMillis + "ms or more, such as " + fallback);
        }
        return duration;
    }

    private static Map<String, String> readYaml(Path file) throws ConfigException {
        Object root;
        try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            root = new Yaml(new SafeConstructor(new LoaderOptions())).load(reader);
        } catch (NoSuchFileException e) {
            throw new ConfigException("configuration file not found: " + file);
        } catch (IOException | YAMLException e) {
            throw new ConfigException("cannot read configuration file " + file + ": "
                    + String.valueOf(e.getMessage()).replace('\n', ' '));
        }
        Map<String, String> flat = new HashMap<>();
        if (root == null) {
            return flat;
        }
        if (!(root instanceof Map<?, ?> map)) {
            throw new ConfigException("configuration file " + file + " is not a YAML mapping");
        }
        flatten("", map, flat, file);
        for (String key : flat.keySet()) {
            if (!KEYS.containsKey(key)) {
                throw new ConfigException("unknown key in " + file + ": " + key + "=" + flat.get(key) + " (known: "
                        + String.join(", ", KEYS.keySet().stream().sorted().toList()) + ")");
            }
        }
        return flat;
    }

    private static void flatten(String prefix, Map<?, ?> map, Map<String, String> out, Path file) throws ConfigException {
        for (Map.Entry<?, ?> entry : map.entrySet()) {
            String key = prefix + entry.getKey();
            Object value = entry.getValue();
            if (value instanceof Map<?, ?> nested) {
                flatten(key + ".", nested, out, file);
            } else if (value == null) {
                throw new ConfigException("missing value in " + file + ": " + key);
            } else {
                out.put(key, String.valueOf(value).trim());
            }
        }
    }

    private static String require(Map<String, String> values, String key, String fallback) throws ConfigException {
        String value = values.get(key);
        if (value == null || value.isEmpty()) {
            if (fallback != null) {
                return fallback;
            }
            throw new ConfigException("missing configuration: " + key);
        }
        return value;
    }

    private static int intAtLeast(String key, String value, int min) throws ConfigException {
        try {
            int parsed = Integer.parseInt(value.trim());
            if (parsed >= min) {
                return parsed;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ConfigException.invalid(key, value, "an integer from " + min + " to " + Integer.MAX_VALUE);
    }
}
