package ar.loteria.common;

/** A bet that breaks {@link BetRules}; the message names the field and its value. */
public final class InvalidBetException extends Exception {
    public InvalidBetException(String message) {
        super(message);
    }
}
