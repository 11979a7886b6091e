package ar.loteria.client.source;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.common.InvalidBetException;
import ar.loteria.protocol.Bet;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SingleBetSourceTest {
    private static final int MAX_BET_BYTES = 8192 - 17;

    private static Map<String, String> env() {
        Map<String, String> env = new HashMap<>(Map.of("NOMBRE", "Santiago Lionel", "APELLIDO", "Lorca",
                "DOCUMENTO", "00000000", "NACIMIENTO", "1999-03-17", "NUMERO", "7574"));
        env.put("CLI_ID", "1");
        return env;
    }

    @Test
    void anyOfTheFiveVariablesAsksForSingleBetMode() {
        assertFalse(SingleBetSource.requested(Map.of("CLI_ID", "1")));
        for (String variable : SingleBetSource.VARIABLES) {
            assertTrue(SingleBetSource.requested(Map.of(variable, "")), variable);
        }
    }

    @Test
    void theBetOfTheEnvironmentKeepsTheDocumentAsWrittenAndIsServedOnceEachOpening() throws Exception {
        Bet bet = SingleBetSource.fromEnvironment(env(), MAX_BET_BYTES);
        assertEquals(new Bet("Santiago Lionel", "Lorca", "00000000", "1999-03-17", 7574), bet);

        BetSource.Opener opener = SingleBetSource.opener(bet);
        for (int session = 0; session < 2; session++) {
            try (BetSource source = opener.open()) {
                assertEquals(bet, source.next());
                assertNull(source.next());
            }
        }
    }

    @Test
    void aMissingVariableIsNamed() {
        Map<String, String> env = env();
        env.remove("NACIMIENTO");
        assertEquals("single-bet mode needs NOMBRE, APELLIDO, DOCUMENTO, NACIMIENTO, NUMERO; NACIMIENTO is not set",
                assertThrows(InvalidBetException.class, () -> SingleBetSource.fromEnvironment(env, MAX_BET_BYTES))
                        .getMessage());
    }

    @Test
    void anInvalidFieldIsRefusedByTheRulesOfAFileRow() {
        Map<String, String> env = env();
        env.put("NUMERO", "10000");
        assertEquals("numero \"10000\" is outside 0..9999",
                assertThrows(InvalidBetException.class, () -> SingleBetSource.fromEnvironment(env, MAX_BET_BYTES))
                        .getMessage());
    }

    @Test
    void aBetTooLargeForABatchIsRefused() {
        Map<String, String> env = env();
        env.put("NOMBRE", "N".repeat(9000));
        String message = assertThrows(InvalidBetException.class,
                () -> SingleBetSource.fromEnvironment(env, MAX_BET_BYTES)).getMessage();
        assertEquals("the bet takes 9043 bytes on the wire; at most 8175 fit in a batch", message);
    }
}
