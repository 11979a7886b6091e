package ar.loteria.client.support;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * {@code ar.loteria.client.ClientMain} run as a separate JVM on the test classpath (the same
 * classes as the runnable jar), its output captured line by line so a test can wait for a line,
 * and stopped with a real SIGTERM.
 */
public final class ClientProcess implements AutoCloseable {
    private final Process process;
    private final List<String> lines = new ArrayList<>();
    private final Thread pump;

    private ClientProcess(Process process) {
        this.process = process;
        this.pump = new Thread(this::pump, "client-output");
        pump.setDaemon(true);
        pump.start();
    }

    /** Starts the client with exactly these variables of the client's own (no CLI_* or bet variable is inherited). */
    public static ClientProcess start(Map<String, String> env, Path workingDir) throws IOException {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                "ar.loteria.client.ClientMain");
        ProcessBuilder builder = new ProcessBuilder(command).directory(workingDir.toFile()).redirectErrorStream(true);
        builder.environment().keySet().removeIf(name -> name.startsWith("CLI_")
                || List.of("NOMBRE", "APELLIDO", "DOCUMENTO", "NACIMIENTO", "NUMERO").contains(name));
        builder.environment().putAll(env);
        return new ClientProcess(builder.start());
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

    /** Waits until an output line matches; fails after {@code timeout} or when the process ends first. */
    public void await(Predicate<String> condition, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        synchronized (lines) {
            while (lines.stream().noneMatch(condition)) {
                long left = deadline - System.nanoTime();
                if (left <= 0 || (!process.isAlive() && !pump.isAlive())) {
                    throw new AssertionError("expected output did not appear; output so far:\n" + String.join("\n", lines));
                }
                lines.wait(Math.min(200, Math.max(1, left / 1_000_000)));
            }
        }
    }

    /** SIGTERM, through the process handle (Process.destroy would also close our end of the output pipe). */
    public void terminate() {
        process.toHandle().destroy();
    }

    public int waitForExit(Duration timeout) throws InterruptedException {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the client did not exit within " + timeout + "; output:\n" + String.join("\n", lines()));
        }
        pump.join(5_000);
        return process.exitValue();
    }

    @Override
    public void close() {
        process.destroyForcibly();
    }
}
