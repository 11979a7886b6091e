package ar.loteria.common;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ar.loteria.protocol.Bet;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BetRulesTest {
    @Test
    void documentsAreTextKeptAsWritten() throws InvalidBetException {
        assertEquals(new Bet("A", "B", "00000000", "2000-01-01", 0), BetRules.parse("A", "B", "00000000", "2000-01-01", "0"));
        assertEquals("0042", BetRules.parse("Ana", "Núñez", "0042", "1999-03-17", "7574").document());
        assertEquals(7574, BetRules.parse("A", "B", "1", "2000-02-29", "07574").number());
        assertEquals(7574, BetRules.parse("A", "B", "1", "2000-02-29", "000000007574").number(), "zeros of any count");
        assertEquals(0, BetRules.parse("A", "B", "1", "2000-02-29", "0000000000000").number());
    }

    @ParameterizedTest(name = "{0},{1},{2},{3},{4} -> {5}")
    @CsvSource(delimiter = ';', value = {
        "'';B;1;2000-01-01;1;nombre is blank",
        "' ';B;1;2000-01-01;1;nombre is blank",
        "A;'';1;2000-01-01;1;apellido is blank",
        "A;B;'';2000-01-01;1;documento \"\" is not a number (one or more ASCII digits)",
        "A;B;12a4;2000-01-01;1;documento \"12a4\" is not a number (one or more ASCII digits)",
        "A;B;-5;2000-01-01;1;documento \"-5\" is not a number (one or more ASCII digits)",
        "A;B;١٢;2000-01-01;1;documento \"١٢\" is not a number (one or more ASCII digits)",
        "A;B;1;2000-1-01;1;nacimiento \"2000-1-01\" is not an ISO date YYYY-MM-DD",
        "A;B;1;01/01/2000;1;nacimiento \"01/01/2000\" is not an ISO date YYYY-MM-DD",
        "A;B;1;2001-02-29;1;nacimiento \"2001-02-29\" is not a real date",
        "A;B;1;2000-13-01;1;nacimiento \"2000-13-01\" is not a real date",
        "A;B;1;2000-04-31;1;nacimiento \"2000-04-31\" is not a real date",
        "A;B;1;2000-01-01;10000;numero \"10000\" is outside 0..9999",
        "A;B;1;2000-01-01;99999999999;numero \"99999999999\" is outside 0..9999",
        "A;B;1;2000-01-01;0000010000;numero \"0000010000\" is outside 0..9999",
        "A;B;1;2000-01-01;-1;numero \"-1\" is not a number (ASCII digits)",
        "A;B;1;2000-01-01;'';numero \"\" is not a number (ASCII digits)",
        "A;B;1;2000-01-01;7a;numero \"7a\" is not a number (ASCII digits)",
        "'';B;x;bad;x;nombre is blank",
    })
    void refusesNamingTheFirstBadFieldInColumnOrder(String nombre, String apellido, String documento,
                                                    String nacimiento, String numero, String reason) {
        InvalidBetException e = assertThrows(InvalidBetException.class,
                () -> BetRules.parse(nombre, apellido, documento, nacimiento, numero));
        assertEquals(reason, e.getMessage());
    }

    @Test
    void controlCharactersAndLineSeparatorsInNamesAreRefused() {
        // Each ends a line for some reader (Python's splitlines among them): a stored row would split.
        assertEquals("apellido contains the control character U+000A", BetRules.problem(new Bet("A", "B\nC", "1", "2000-01-01", 1)));
        assertEquals("nombre contains the control character U+007F", BetRules.problem(new Bet("A\u007F", "B", "1", "2000-01-01", 1)));
        assertEquals("nombre contains the control character U+0085", BetRules.problem(new Bet("A\u0085", "B", "1", "2000-01-01", 1)));
        assertEquals("nombre contains the control character U+009B", BetRules.problem(new Bet("A\u009B", "B", "1", "2000-01-01", 1)));
        assertEquals("nombre contains the line break U+2028", BetRules.problem(new Bet("A\u2028B", "B", "1", "2000-01-01", 1)));
        assertEquals("apellido contains the line break U+2029", BetRules.problem(new Bet("A", "\u2029", "1", "2000-01-01", 1)));
        assertNull(BetRules.problem(new Bet("\u00A0Ana\u00A0", "Núñez", "1", "2000-01-01", 1)), "a no-break space beside letters is text");
    }

    @Test
    void aNameOfNoBreakSpacesIsBlank() {
        assertEquals("nombre is blank", BetRules.problem(new Bet("\u00A0\u202F \u2007", "B", "1", "2000-01-01", 1)));
    }

    @Test
    void aNameWithTheReplacementCharacterIsNotUtf8TextAndIsRefused() {
        // What a UTF-8 reader makes of "José" saved as Latin-1.
        String damaged = new String("José".getBytes(StandardCharsets.ISO_8859_1), StandardCharsets.UTF_8);
        assertEquals("nombre \"Jos\uFFFD\" is not UTF-8 text (it holds U+FFFD, the replacement character)",
                BetRules.problem(new Bet(damaged, "Pérez", "1", "2000-01-01", 1)));
        assertNull(BetRules.problem(new Bet("José Ñandú", "Pérez-Göttsche", "1", "2000-01-01", 1)));
    }

    @Test
    void theCentralAppliesTheSameRulesToDecodedBets() {
        assertNull(BetRules.problem(new Bet("A", "B", "00000000", "2000-01-01", 9999)));
        assertEquals("numero 10000 is outside 0..9999", BetRules.problem(new Bet("A", "B", "1", "2000-01-01", 10000)));
        assertEquals("numero -1 is outside 0..9999", BetRules.problem(new Bet("A", "B", "1", "2000-01-01", -1)));
        assertEquals("documento \"4 2\" is not a number (one or more ASCII digits)",
                BetRules.problem(new Bet("A", "B", "4 2", "2000-01-01", 1)));
    }
}
