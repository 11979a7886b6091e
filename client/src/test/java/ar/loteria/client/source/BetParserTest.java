package ar.loteria.client.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ar.loteria.protocol.Bet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class BetParserTest {

    @Test
    void parsesARealRow() throws InvalidBetException {
        Bet bet = BetParser.parse("Santiago Lionel", "Lorca", "30904465", "1999-03-17", "2201");
        assertEquals(new Bet("Santiago Lionel", "Lorca", 30904465, 19990317, 2201), bet);
    }

    @Test
    void keepsNonAsciiNames() throws InvalidBetException {
        Bet bet = BetParser.parse("Tiago Nicolás", "Muñoz", "40123456", "2001-12-31", "7574");
        assertEquals(new Bet("Tiago Nicolás", "Muñoz", 40123456, 20011231, 7574), bet);
    }

    @Test
    void acceptsTheLargestIntDocumentAndNumberZero() throws InvalidBetException {
        Bet bet = BetParser.parse("A", "B", "2147483647", "2000-02-29", "0");
        assertEquals(2147483647, bet.document());
        assertEquals(20000229, bet.birthdate());
        assertEquals(0, bet.number());
    }

    @ParameterizedTest(name = "{5}")
    @CsvSource(delimiter = ';', quoteCharacter = '\'', value = {
            "'';         Lorca;  30904465;     1999-03-17; 2201; nombre is empty",
            "'   ';      Lorca;  30904465;     1999-03-17; 2201; nombre is empty",
            "Santiago;   '';     30904465;     1999-03-17; 2201; apellido is empty",
            "Santiago;   Lorca;  12a;          1999-03-17; 2201; documento \"12a\" is not numeric",
            "Santiago;   Lorca;  '';           1999-03-17; 2201; documento \"\" is not a number of 1 to 10 digits",
            "Santiago;   Lorca;  2147483648;   1999-03-17; 2201; documento \"2147483648\" is larger than 2147483647",
            "Santiago;   Lorca;  99999999999;  1999-03-17; 2201; documento \"99999999999\" is not a number of 1 to 10 digits",
            "Santiago;   Lorca;  -5;           1999-03-17; 2201; documento \"-5\" is not numeric",
            "Santiago;   Lorca;  0;            1999-03-17; 2201; documento \"0\" is not a positive number",
            "Santiago;   Lorca;  30904465;     1999-02-30; 2201; nacimiento \"1999-02-30\" is not a real date",
            "Santiago;   Lorca;  30904465;     17/03/1999; 2201; nacimiento \"17/03/1999\" is not an ISO date YYYY-MM-DD",
            "Santiago;   Lorca;  30904465;     1999-3-17;  2201; nacimiento \"1999-3-17\" is not an ISO date YYYY-MM-DD",
            "Santiago;   Lorca;  30904465;     0000-01-01; 2201; nacimiento \"0000-01-01\" has year 0000",
            "Santiago;   Lorca;  30904465;     1999-03-17; x;    numero \"x\" is not numeric",
            "Santiago;   Lorca;  30904465;     1999-03-17; '';   numero \"\" is not a number of 1 to 10 digits",
    })
    void refusesWithAMessageNamingFieldAndValue(String nombre, String apellido, String documento, String nacimiento,
            String numero, String message) {
        assertEquals(message, refusal(nombre, apellido, documento, nacimiento, numero));
    }

    @Test
    void refusesControlCharactersInNames() {
        assertEquals("nombre contains a control character",
                refusal("Santi\nago", "Lorca", "30904465", "1999-03-17", "2201"));
    }

    // The Java compiler turns the \\u escapes into the control characters themselves.
    @ParameterizedTest(name = "{2}")
    @CsvSource(delimiter = ';', quoteCharacter = '\'', value = {
            "'Santi\u0001ago'; '  ';       apellido is empty",
            "'\t';             Lorca;      nombre is empty",
            "'Santi\u007fago'; 'Lo\u0002'; nombre contains a control character",
            "Santiago;          'Lo\u0002'; apellido contains a control character",
    })
    void reportsAnEmptyNameBeforeAControlCharacterWhicheverFieldsTheyAreIn(String nombre, String apellido,
            String message) {
        assertEquals(message, refusal(nombre, apellido, "30904465", "1999-03-17", "2201"));
    }

    /** The message BetParser refuses these fields with (it must refuse them). */
    private static String refusal(String nombre, String apellido, String documento, String nacimiento, String numero) {
        return assertThrows(InvalidBetException.class,
                () -> BetParser.parse(nombre, apellido, documento, nacimiento, numero)).getMessage();
    }
}
