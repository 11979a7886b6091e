package ar.loteria.server.storage;

/** The first {@code length} bytes of {@code bytes} hold {@code bets} CSV rows. */
public record EncodedRows(byte[] bytes, int length, int bets) {
}
