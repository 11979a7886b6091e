package ar.loteria.server.storage;

/**
 * The storage directory holds something this central cannot take over (a row of an agency
 * outside 1..N, a journal line it does not know, counts that disagree). The message says which
 * file, which line and what; nothing is changed on disk.
 */
public final class StorageException extends Exception {
    public StorageException(String message) {
        super(message);
    }
}
