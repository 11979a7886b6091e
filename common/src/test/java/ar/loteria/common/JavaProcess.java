package ar.loteria.common;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A main class of this build run as a separate JVM (same classes as the runnable jar), with its
 * output captured line by line so a test can wait for a line.
 */
public final class JavaProcess implements AutoCloseable {
    /** Variables the programs read besides the CLI_* ones (see docs/settings.md). */
    private static final Set<String> PROGRAM_VARIABLES = Set.of("NOMBRE", "APELLIDO", "DOCUMENTO", "NACIMIENTO",
            "NUMERO", "SERVER_PORT", "SERVER_IP", "SERVER_LISTEN_BACKLOG", "LOGGING_LEVEL", "AGENCY_COUNT",
            "STORAGE_DIR", "STORAGE_FSYNC", "WORKER_THREADS", "MAX_CONNECTIONS", "MAX_FRAME_BYTES",
            "FRAME_TIMEOUT_MS", "IDLE_TIMEOUT_MS", "SHUTDOWN_GRACE_MS", "BIND_ADDRESS", "READY_FILE", "CONFIG_FILE",
            "TLS", "TLS_DIR", "STORAGE_URL", "STORAGE_USER", "STORAGE_PASSWORD", "PGUSER", "PGPASSWORD");
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread pump;

    private JavaProcess(Process process) {
        this.process = process;
        this.pump = new Thread(this::pump, "output-pump");
        pump.setDaemon(true);
        pump.start();
    }

    public static JavaProcess start(String mainClass, Map<String, String> env, Path workingDir, String... jvmArgs)
            throws IOException {
        return start(System.getProperty("java.class.path"), mainClass, env, workingDir, jvmArgs);
    }

    /** The same, with its own class path. */
    public static JavaProcess start(String classPath, String mainClass, Map<String, String> env, Path workingDir,
                                    String... jvmArgs) throws IOException {
        return start(classPath, mainClass, List.of(), env, workingDir, jvmArgs);
    }

    /** The same on this JVM's class path, with arguments for the program's {@code main}. */
    public static JavaProcess start(String mainClass, List<String> mainArgs, Map<String, String> env, Path workingDir,
                                    String... jvmArgs) throws IOException {
        return start(System.getProperty("java.class.path"), mainClass, mainArgs, env, workingDir, jvmArgs);
    }

    private static JavaProcess start(String classPath, String mainClass, List<String> mainArgs, Map<String, String> env,
                                     Path workingDir, String... jvmArgs) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmArgs));
        command.add("-cp");
        command.add(classPath);
        command.add(mainClass);
        command.addAll(mainArgs);
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        // Only the variables given reach the programs' settings: none of the test machine's own.
        builder.environment().keySet().removeIf(name -> name.startsWith("CLI_") || PROGRAM_VARIABLES.contains(name));
        builder.environment().putAll(env);
        return new JavaProcess(builder.start());
    }

    private void pump() {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                synchronized (lines) {
                    lines.add(line);
                    lines.notifyAll();
                }
            }
        } catch (IOException e) {
            // the process is gone
        }
    }

    public List<String> lines() {
        synchronized (lines) {
            return List.copyOf(lines);
        }
    }

    /** Waits until {@code count} output lines match, failing after {@code timeout} or if the process dies first. */
    public void await(Predicate<String> condition, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.stream().filter(condition).count() < count) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !pump.isAlive())) {
                    throw new AssertionError("expected output did not appear; output so far:\n" + String.join("\n", lines));
                }
                lines.wait(Math.min(200, Math.max(1, left / 1_000_000)));
            }
        }
    }

    /**
     * Sends SIGTERM. Through the process handle, not {@link Process#destroy()}, which would also
     * close our end of the output pipe and lose the shutdown lines.
     */
    public void terminate() {
        process.toHandle().destroy();
    }

    public int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("process did not exit within " + timeout + "; output:\n" + String.join("\n", lines()));
        }
        pump.join(5000);
        return process.exitValue();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    public long pid() {
        return process.pid();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
