package ar.loteria.common;

import ar.loteria.protocol.Bet;
import java.time.Month;
import java.time.Year;

/**
 * The course's definition of a bet, in one place: the agency checks every row of its file with
 * it before sending, and the central checks every bet it receives with it before storing.
 *
 * <ul>
 *   <li>{@code nombre}, {@code apellido}: not blank (no-break spaces are blank too), no control
 *       characters (C0, DEL, C1) nor U+2028/U+2029 (so a stored row and a log line stay on one line
 *       for every reader, Python's {@code splitlines} included), no U+FFFD (the character a reader puts where the bytes were
 *       not UTF-8: a file saved as Latin-1, say, is refused row by row rather than stored damaged);
 *   <li>{@code documento}: one or more ASCII digits, text kept exactly as written
 *       ({@code 00000000} is valid and {@code 0042} stays {@code 0042});
 *   <li>{@code nacimiento}: ISO {@code YYYY-MM-DD}, a real date;
 *   <li>{@code numero}: 0..9999 (in a file: ASCII digits).
 * </ul>
 */
public final class BetRules {
    public static final int MAX_NUMBER = 9999;
    /** A bet batch never exceeds this many bytes on the wire, frame header included. */
    public static final int MAX_BATCH_FRAME_BYTES = 8 * 1024;

    private BetRules() {
    }

    /** A bet from the five text fields of a row of an agency file, or why it is not one. */
    public static Bet parse(String nombre, String apellido, String documento, String nacimiento, String numero)
            throws InvalidBetException {
        String problem = textProblem(nombre, apellido, documento, nacimiento);
        if (problem == null) {
            problem = numberTextProblem(numero);
        }
        if (problem != null) {
            throw new InvalidBetException(problem);
        }
        return new Bet(nombre, apellido, documento, nacimiento, digits(numero, 0, numero.length()));
    }

    /** What is wrong with a bet, naming the first bad field and its value; null when it is valid. */
    public static String problem(Bet bet) {
        String problem = textProblem(bet.firstName(), bet.lastName(), bet.document(), bet.birthdate());
        if (problem == null && (bet.number() < 0 || bet.number() > MAX_NUMBER)) {
            problem = "numero " + bet.number() + " is outside 0.." + MAX_NUMBER;
        }
        return problem;
    }

    private static String textProblem(String nombre, String apellido, String documento, String nacimiento) {
        String problem = nameProblem("nombre", nombre);
        if (problem == null) {
            problem = nameProblem("apellido", apellido);
        }
        if (problem == null) {
            problem = documentProblem(documento);
        }
        if (problem == null) {
            problem = birthdateProblem(nacimiento);
        }
        return problem;
    }

    private static String nameProblem(String field, String value) {
        boolean blank = true;
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (LogValues.breaksALine(c)) {
                return field + " contains the " + (Character.isISOControl(c) ? "control character" : "line break")
                        + " U+" + String.format("%04X", (int) c);
            }
            if (c == '\uFFFD') {
                return field + " \"" + value + "\" is not UTF-8 text (it holds U+FFFD, the replacement character)";
            }
            blank = blank && (Character.isWhitespace(c) || Character.isSpaceChar(c)); // no-break spaces too
        }
        return blank ? field + " is blank" : null;
    }

    private static String documentProblem(String value) {
        if (value.isEmpty() || !allDigits(value, 0, value.length())) {
            return "documento \"" + value + "\" is not a number (one or more ASCII digits)";
        }
        return null;
    }

    private static String birthdateProblem(String value) {
        boolean shaped = value.length() == 10 && value.charAt(4) == '-' && value.charAt(7) == '-'
                && allDigits(value, 0, 4) && allDigits(value, 5, 7) && allDigits(value, 8, 10);
        if (!shaped) {
            return "nacimiento \"" + value + "\" is not an ISO date YYYY-MM-DD";
        }
        int year = digits(value, 0, 4);
        int month = digits(value, 5, 7);
        int day = digits(value, 8, 10);
        if (month < 1 || month > 12 || day < 1 || day > Month.of(month).length(Year.isLeap(year))) {
            return "nacimiento \"" + value + "\" is not a real date";
        }
        return null;
    }

    private static String numberTextProblem(String value) {
        if (value.isEmpty() || !allDigits(value, 0, value.length())) {
            return "numero \"" + value + "\" is not a number (ASCII digits)";
        }
        // Leading zeros do not change a number (007574 is 7574, as the course's int() reads it);
        // past them, more than four digits are out of range, whatever their count.
        int first = 0;
        while (first < value.length() - 1 && value.charAt(first) == '0') {
            first++;
        }
        if (value.length() - first > 4 || digits(value, first, value.length()) > MAX_NUMBER) {
            return "numero \"" + value + "\" is outside 0.." + MAX_NUMBER;
        }
        return null;
    }

    /** The number written by the ASCII digits {@code value[from, to)}. */
    private static int digits(String value, int from, int to) {
        int number = 0;
        for (int i = from; i < to; i++) {
            number = number * 10 + value.charAt(i) - '0';
        }
        return number;
    }

    private static boolean allDigits(String value, int from, int to) {
        for (int i = from; i < to; i++) {
            char c = value.charAt(i);
            if (c < '0' || c > '9') {
                return false;
            }
        }
        return true;
    }
}
