package ar.loteria.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class LogGrammarTest {
    @Test
    void readsAnActionLineAndItsDetails() throws Exception {
        LogGrammar.Entry e = LogGrammar.parse(
                "2026-11-30 15:00:00 INFO     action: apuesta_enviada | result: success | dni: 00000000 | numero: 7574");
        assertEquals("apuesta_enviada", e.action());
        assertEquals("success", e.result());
        assertEquals(Map.of("dni", "00000000", "numero", "7574"), e.details());
        assertEquals("INFO", e.level());
    }

    @Test
    void readsComposeLinesWithTheirEscapes() throws Exception {
        LogGrammar.Entry e = LogGrammar.parseCompose(
                "\u001B[2Kclient1  | 2026-11-30 15:00:00 INFO     action: loop_finished | result: success | client_id: 1");
        assertEquals("client1", e.source());
        assertEquals("1", e.detail("client_id"));
    }

    @Test
    void aLineWithoutActionNeedsOnlyTheFormat() throws Exception {
        assertNull(LogGrammar.parse("2026-11-30 15:00:00 WARN     something | else").action());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "2026-11-30 15:00:00 INFO     action: close_resource | result: success | resource: bets_file | source: a.csv",
        "2026-11-30 15:00:00 INFO     action: x | result: success | action: y",
        "2026-11-30 15:00:00 INFO     action: x | result: ok",
        "2026-11-30 15:00:00 INFO     action: x | result: success | detail without colon",
        "2026-11-30 15:00:00 INFO     action: x | result: success | a: 1 | a: 2",
        "2026-11-30 15:00:00 INFO     action: x | result: success | a: 1 |",
        "2026-11-30 15:00:00 INFO     found action: x | result: success",
        "2026-11-30 15:00:00 INFO action: x | result: success",
        "15:00:00 INFO     action: x | result: success",
        "\tat ar.loteria.Foo.bar(Foo.java:1)",
    })
    void refusesWhatParsersCannotRead(String line) {
        LogGrammar.LineException e = assertThrows(LogGrammar.LineException.class, () -> LogGrammar.parse(line));
        assertTrue(e.getMessage().endsWith(line), e.getMessage());
    }
}
