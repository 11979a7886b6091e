package ar.loteria.server.service;

import ar.loteria.protocol.Bet;
import java.time.Month;
import java.time.Year;
import java.util.List;

/**
 * The rules a bet must meet to be stored. Numbers travel as ints, so "numeric" means
 * non-negative here; the birthdate travels packed as yyyymmdd and must be a real ISO date.
 * Names must be non-blank and free of control characters (which also keeps every stored row
 * on one line of the bets file).
 */
final class BetValidator {
    private BetValidator() {
    }

    /** Index of the first bet that may not be stored, or -1 when all may. */
    static int firstInvalid(List<Bet> bets) {
        for (int i = 0; i < bets.size(); i++) {
            if (problem(bets.get(i)) != null) {
                return i;
            }
        }
        return -1;
    }

    /** What is wrong with the bet, or null when it may be stored. */
    static String problem(Bet bet) {
        String name = nameProblem("firstName", bet.firstName());
        if (name != null) {
            return name;
        }
        name = nameProblem("lastName", bet.lastName());
        if (name != null) {
            return name;
        }
        if (bet.document() <= 0) {
            return "document " + bet.document() + " is not a positive number";
        }
        if (bet.number() < 0) {
            return "number " + bet.number() + " is negative";
        }
        if (!isDate(bet.birthdate())) {
            return "birthdate " + bet.birthdate() + " is not a valid date (yyyymmdd of an ISO YYYY-MM-DD)";
        }
        return null;
    }

    private static String nameProblem(String field, String value) {
        if (value.isBlank()) {
            return field + " is empty";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return field + " contains the control character U+" + String.format("%04X", (int) c);
            }
        }
        return null;
    }

    static boolean isDate(int yyyymmdd) {
        int year = yyyymmdd / 10000;
        if (yyyymmdd < 0 || year < 1 || year > 9999) {
            return false;
        }
        int month = yyyymmdd / 100 % 100;
        int day = yyyymmdd % 100;
        // Month.length is what LocalDate.of checks, without building a date per bet.
        if (month < 1 || month > 12 || day < 1) {
            return false;
        }
        return day <= Month.of(month).length(Year.isLeap(year));
    }
}
