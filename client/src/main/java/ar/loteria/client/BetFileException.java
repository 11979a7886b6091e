package ar.loteria.client;

/**
 * The agency's bets cannot be sent: its file cannot be read, or it does not hold the bets the
 * central holds of this agency (another round, or a file changed since). Final: another attempt
 * would read the same file.
 */
final class BetFileException extends Exception {
    BetFileException(String message, Throwable cause) {
        super(message, cause);
    }
}
