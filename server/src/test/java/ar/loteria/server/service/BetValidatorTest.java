package ar.loteria.server.service;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.Bet;
import java.time.LocalDate;
import org.junit.jupiter.api.Test;

class BetValidatorTest {
    @Test
    void datesFollowTheCalendar() {
        assertTrue(BetValidator.isDate(20240229));
        assertFalse(BetValidator.isDate(20230229));
        assertTrue(BetValidator.isDate(20000229));
        assertFalse(BetValidator.isDate(19000229));
        assertFalse(BetValidator.isDate(20231131));
        assertFalse(BetValidator.isDate(20231301));
        assertFalse(BetValidator.isDate(20230100));
        assertFalse(BetValidator.isDate(101)); // year 0
        assertFalse(BetValidator.isDate(-20230101));
        assertTrue(BetValidator.isDate(99991231));
        assertFalse(BetValidator.isDate(100000101));
    }

    @Test
    void agreesWithLocalDateOverFourCenturies() {
        for (LocalDate day = LocalDate.of(1800, 1, 1); day.getYear() < 2200; day = day.plusDays(1)) {
            int packed = day.getYear() * 10000 + day.getMonthValue() * 100 + day.getDayOfMonth();
            assertTrue(BetValidator.isDate(packed), day.toString());
        }
        int valid = 0;
        for (int month = 0; month <= 13; month++) {
            for (int dayOfMonth = 0; dayOfMonth <= 32; dayOfMonth++) {
                if (BetValidator.isDate(2024_00_00 + month * 100 + dayOfMonth)) {
                    valid++;
                }
            }
        }
        assertEquals(366, valid);
    }

    @Test
    void problemsNameTheField() {
        assertNull(BetValidator.problem(new Bet("Ana", "Li", 1, 20000101, 0)));
        assertEquals("firstName is empty", BetValidator.problem(new Bet("  ", "Li", 1, 20000101, 0)));
        assertEquals("lastName contains the control character U+000A", BetValidator.problem(new Bet("Ana", "L\ni", 1, 20000101, 0)));
        assertEquals("document 0 is not a positive number", BetValidator.problem(new Bet("Ana", "Li", 0, 20000101, 0)));
        assertEquals("number -1 is negative", BetValidator.problem(new Bet("Ana", "Li", 1, 20000101, -1)));
    }
}
