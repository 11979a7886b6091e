package ar.loteria.common;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** Where a program finds its configuration file. */
public final class ConfigFiles {
    private ConfigFiles() {
    }

    /**
     * The file the environment variable {@code variable} names; else {@code name} in the working
     * directory (the images); else {@code module/name} (a run from the repository root).
     */
    public static Path locate(Map<String, String> env, String variable, String module, String name) {
        String explicit = env.get(variable);
        if (explicit != null && !explicit.isBlank()) {
            return Path.of(explicit);
        }
        Path local = Path.of(name);
        return Files.exists(local) ? local : Path.of(module, name);
    }
}
