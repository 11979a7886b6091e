package ar.loteria.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;

class LogLineTest {
    @Test
    void aLineIsTheActionTheResultAndTheDetailsInOrder() throws Exception {
        LogLine line = LogLine.success("apuesta_recibida").with("cantidad", 140).with("agency", 3);
        assertEquals("action: apuesta_recibida | result: success | cantidad: 140 | agency: 3", line.toString());
        assertEquals("action: sorteo | result: fail", LogLine.fail("sorteo").toString());
        assertEquals("action: shutdown | result: in_progress | signal: SIGTERM",
                LogLine.inProgress("shutdown").with("signal", "SIGTERM").toString());
        LogGrammar.parse("2026-01-01 00:00:00 INFO     " + line);
    }

    @Test
    void everyValueIsCleanedSoNoValueCanBreakTheGrammar() throws Exception {
        LogLine line = LogLine.fail("leer_apuesta").with("file", "a|b.csv").with("error", "line\nbreak\u2028")
                .with("nombre", " ").with("none", null);
        assertEquals("action: leer_apuesta | result: fail | file: a/b.csv | error: line break  | nombre: \"\" | none: null",
                line.toString());
        LogGrammar.Entry entry = LogGrammar.parse("2026-01-01 00:00:00 WARN     " + line);
        assertEquals("a/b.csv", entry.detail("file"));
    }

    @Test
    void namesAndKeysOutsideTheGrammarAreProgrammingErrors() {
        assertEquals("detail key 'source' is reserved by the log contract",
                assertThrows(IllegalArgumentException.class, () -> LogLine.success("x").with("source", 1)).getMessage());
        assertEquals("detail key 'Cant' is not a lower-case word ([a-z0-9_]+)",
                assertThrows(IllegalArgumentException.class, () -> LogLine.success("x").with("Cant", 1)).getMessage());
        assertEquals("action 'a b' is not a lower-case word ([a-z0-9_]+)",
                assertThrows(IllegalArgumentException.class, () -> LogLine.success("a b")).getMessage());
    }
}
