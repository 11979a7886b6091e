package ar.loteria.common;

import java.util.List;
import java.util.function.Consumer;
import sun.misc.Signal;

/**
 * SIGTERM and SIGINT, handled by the program itself: the JVM's own handling exits with code 143,
 * and both programs must close their resources in order and exit with 0.
 */
public final class StopSignals {
    private StopSignals() {
    }

    /** Calls {@code onStop} with the signal's name ({@code SIGTERM}, {@code SIGINT}) when either arrives. */
    public static void onStop(Consumer<String> onStop) {
        for (String name : List.of("TERM", "INT")) {
            Signal.handle(new Signal(name), signal -> onStop.accept("SIG" + signal.getName()));
        }
    }
}
