package ar.loteria.server.storage;

/** One row of the bets file, as read back. */
public record StoredBet(int agency, String firstName, String lastName, String document, String birthdate, int number) {
}
