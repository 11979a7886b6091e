package ar.loteria.common;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class LogValuesTest {
    @Test
    void aValueBecomesOneLineWithoutBars() {
        assertEquals("a/b c d e f g h", LogValues.clean("a|b\nc\rd\te\u0085f\u2028g\u2029h"));
    }

    @Test
    void otherTextIsKeptAsItIs() {
        assertEquals("José Ñandú 00000000 ¿sigue ahí? \uFFFD", LogValues.clean("José Ñandú 00000000 ¿sigue ahí? \uFFFD"));
        assertEquals("null", LogValues.clean(null));
    }

    @Test
    void anEmptyOrBlankValueIsWrittenAsTwoQuotes() {
        assertEquals("\"\"", LogValues.clean(""));
        assertEquals("\"\"", LogValues.clean(" \n\u0001"));
        assertEquals(" a ", LogValues.clean(" a "));
    }
}
