package ar.loteria.client.source;

import ar.loteria.protocol.Bet;
import java.time.Month;
import java.time.Year;

/**
 * Turns the five text fields of a bet (nombre, apellido, documento, nacimiento, numero) into a
 * {@link Bet}, applying the same rules the central applies, so that an honest agency never sends
 * a batch the central would reject.
 *
 * <p>The numeric fields are read straight from a character range (the CSV reader's buffer), so
 * that a row costs two Strings (the names) and not five; the text of a field is only turned into
 * a String for an error message.
 */
public final class BetParser {
    private static final int MAX_DIGITS = 10;

    private BetParser() {
    }

    public static Bet parse(String nombre, String apellido, String documento, String nacimiento, String numero)
            throws InvalidBetException {
        checkNames(nameProblem(nombre.toCharArray(), 0, nombre.length()),
                nameProblem(apellido.toCharArray(), 0, apellido.length()));
        int document = document(documento.toCharArray(), 0, documento.length());
        int birthdate = birthdate(nacimiento.toCharArray(), 0, nacimiento.length());
        int number = number(numero.toCharArray(), 0, numero.length());
        return new Bet(nombre, apellido, document, birthdate, number);
    }

    static final int NAME_OK = 0;
    static final int NAME_BLANK = 1;
    static final int NAME_CONTROL = 2;

    /**
     * What is wrong with a name, in one pass over its characters: {@link #NAME_BLANK} (empty or
     * only whitespace, as {@link String#isBlank}), else {@link #NAME_CONTROL} (a control
     * character), else {@link #NAME_OK}.
     */
    static int nameProblem(char[] text, int offset, int length) {
        boolean blank = true;
        boolean control = false;
        for (int i = offset, end = offset + length; i < end; i++) {
            char c = text[i];
            if (c < 0x20 || c == 0x7F) {
                control = true;
            }
            if (blank && !Character.isWhitespace(c)) {
                blank = false;
            }
        }
        return blank ? NAME_BLANK : control ? NAME_CONTROL : NAME_OK;
    }

    /** Both names' problems, reported in this order: an empty one first, then a control character. */
    static void checkNames(int nombre, int apellido) throws InvalidBetException {
        if (nombre == NAME_BLANK) {
            throw new InvalidBetException("nombre is empty");
        }
        if (apellido == NAME_BLANK) {
            throw new InvalidBetException("apellido is empty");
        }
        if (nombre == NAME_CONTROL) {
            throw new InvalidBetException("nombre contains a control character");
        }
        if (apellido == NAME_CONTROL) {
            throw new InvalidBetException("apellido contains a control character");
        }
    }

    /** documento: 1 to 10 digits, a positive int. */
    static int document(char[] text, int offset, int length) throws InvalidBetException {
        int document = digits("documento", text, offset, length);
        if (document == 0) {
            throw new InvalidBetException("documento \"" + new String(text, offset, length) + "\" is not a positive number");
        }
        return document;
    }

    /** numero: 1 to 10 digits, an int (0 included). */
    static int number(char[] text, int offset, int length) throws InvalidBetException {
        return digits("numero", text, offset, length);
    }

    private static int digits(String field, char[] text, int offset, int length) throws InvalidBetException {
        if (length == 0 || length > MAX_DIGITS) {
            throw new InvalidBetException(field + " \"" + new String(text, offset, length)
                    + "\" is not a number of 1 to " + MAX_DIGITS + " digits");
        }
        long value = 0;
        for (int i = offset, end = offset + length; i < end; i++) {
            int digit = text[i] - '0';
            if (digit < 0 || digit > 9) {
                throw new InvalidBetException(field + " \"" + new String(text, offset, length) + "\" is not numeric");
            }
            value = value * 10 + digit;
        }
        if (value > Integer.MAX_VALUE) {
            throw new InvalidBetException(field + " \"" + new String(text, offset, length) + "\" is larger than "
                    + Integer.MAX_VALUE);
        }
        return (int) value;
    }

    /**
     * nacimiento: a strict ISO YYYY-MM-DD date of a real day (year 0001 to 9999) to yyyymmdd,
     * without the cost of a DateTimeFormatter or a LocalDate per row.
     */
    static int birthdate(char[] text, int offset, int length) throws InvalidBetException {
        boolean shape = length == 10 && text[offset + 4] == '-' && text[offset + 7] == '-';
        for (int i = 0; shape && i < 10; i++) {
            if (i != 4 && i != 7) {
                char c = text[offset + i];
                shape = c >= '0' && c <= '9';
            }
        }
        if (!shape) {
            throw new InvalidBetException("nacimiento \"" + new String(text, offset, length)
                    + "\" is not an ISO date YYYY-MM-DD");
        }
        int year = number4(text, offset);
        int month = (text[offset + 5] - '0') * 10 + (text[offset + 6] - '0');
        int day = (text[offset + 8] - '0') * 10 + (text[offset + 9] - '0');
        if (month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))) {
            throw new InvalidBetException("nacimiento \"" + new String(text, offset, length) + "\" is not a real date");
        }
        if (year == 0) {
            throw new InvalidBetException("nacimiento \"" + new String(text, offset, length) + "\" has year 0000");
        }
        return year * 10000 + month * 100 + day;
    }

    private static int number4(char[] text, int offset) {
        return (text[offset] - '0') * 1000 + (text[offset + 1] - '0') * 100 + (text[offset + 2] - '0') * 10
                + (text[offset + 3] - '0');
    }
}
