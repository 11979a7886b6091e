package ar.loteria.client.source;

import ar.loteria.protocol.Bet;
import java.time.DateTimeException;
import java.time.LocalDate;

/**
 * Turns the five text fields of a bet (nombre, apellido, documento, nacimiento, numero) into a
 * {@link Bet}, applying the same rules the central applies, so that an honest agency never sends
 * a batch the central would reject.
 */
public final class BetParser {
    private BetParser() {
    }

    public static Bet parse(String nombre, String apellido, String documento, String nacimiento, String numero)
            throws InvalidBetException {
        if (nombre.isBlank()) {
            throw new InvalidBetException("nombre is empty");
        }
        if (apellido.isBlank()) {
            throw new InvalidBetException("apellido is empty");
        }
        checkNoControl("nombre", nombre);
        checkNoControl("apellido", apellido);
        int document = digits("documento", documento);
        if (document == 0) {
            throw new InvalidBetException("documento \"" + documento + "\" is not a positive number");
        }
        int birthdate = isoDate(nacimiento);
        int number = digits("numero", numero);
        return new Bet(nombre, apellido, document, birthdate, number);
    }

    private static void checkNoControl(String field, String value) throws InvalidBetException {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                throw new InvalidBetException(field + " contains a control character");
            }
        }
    }

    private static int digits(String field, String text) throws InvalidBetException {
        if (text.isEmpty() || text.length() > 10) {
            throw new InvalidBetException(field + " \"" + text + "\" is not a number of 1 to 10 digits");
        }
        long value = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < '0' || c > '9') {
                throw new InvalidBetException(field + " \"" + text + "\" is not numeric");
            }
            value = value * 10 + (c - '0');
        }
        if (value > Integer.MAX_VALUE) {
            throw new InvalidBetException(field + " \"" + text + "\" is larger than " + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    /** Strict ISO YYYY-MM-DD to yyyymmdd, without the cost of a DateTimeFormatter per row. */
    static int isoDate(String text) throws InvalidBetException {
        boolean shape = text.length() == 10 && text.charAt(4) == '-' && text.charAt(7) == '-';
        for (int i = 0; shape && i < 10; i++) {
            if (i != 4 && i != 7) {
                char c = text.charAt(i);
                shape = c >= '0' && c <= '9';
            }
        }
        if (!shape) {
            throw new InvalidBetException("nacimiento \"" + text + "\" is not an ISO date YYYY-MM-DD");
        }
        int year = Integer.parseInt(text, 0, 4, 10);
        int month = Integer.parseInt(text, 5, 7, 10);
        int day = Integer.parseInt(text, 8, 10, 10);
        try {
            LocalDate.of(year, month, day);
        } catch (DateTimeException e) {
            throw new InvalidBetException("nacimiento \"" + text + "\" is not a real date");
        }
        if (year == 0) {
            throw new InvalidBetException("nacimiento \"" + text + "\" has year 0000");
        }
        return year * 10000 + month * 100 + day;
    }
}
