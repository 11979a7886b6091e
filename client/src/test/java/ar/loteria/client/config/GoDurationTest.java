package ar.loteria.client.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class GoDurationTest {

    @ParameterizedTest(name = "{0} = {1} ns")
    @CsvSource({
            "50ms,        50000000",
            "5s,          5000000000",
            "1m30s,       90000000000",
            "1.5s,        1500000000",
            "300us,       300000",
            "300µs,       300000",
            "1h2m3s4ms,   3723004000000",
            "0,           0",
            "10ns,        10",
            ".5m,         30000000000",
    })
    void parsesGoSyntax(String text, long nanos) {
        assertEquals(Duration.ofNanos(nanos), GoDuration.parse(text));
    }

    @ParameterizedTest(name = "\"{0}\" is refused")
    @ValueSource(strings = {"5x", "abc", "-1s", "5", "1.2.3s", "5 s", "s", "1m30", "+1s"})
    void refusesWhatGoRefusesNamingTheText(String text) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(text));
        assertTrue(e.getMessage().contains("\"" + text + "\""), () -> "message should quote the text: " + e.getMessage());
    }

    @Test
    void refusesTheEmptyText() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GoDuration.parse(""));
        assertEquals("empty duration", e.getMessage());
    }

    @Test
    void refusesADurationBeyondTheLongRange() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> GoDuration.parse("3000000h"));
        assertTrue(e.getMessage().contains("out of range") && e.getMessage().contains("3000000h"), e.getMessage());
    }
}
