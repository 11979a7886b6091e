package ar.loteria.common;

/** Missing or invalid configuration; the message is the one line shown to the operator. */
public final class ConfigException extends Exception {
    public ConfigException(String message) {
        super(message);
    }

    public static ConfigException invalid(String key, String value, String expected) {
        return new ConfigException("invalid configuration: " + key + "=" + value + " (expected " + expected + ")");
    }
}
