package ar.loteria.server.storage;

import ar.loteria.server.config.ServerConfig;
import ar.loteria.server.storage.postgres.PostgresBetStore;
import java.io.IOException;

/** The ledger the configuration asks for: PostgreSQL when STORAGE_URL is set, else the files of STORAGE_DIR. */
public final class BetStores {
    private BetStores() {
    }

    /**
     * Opens the round's ledger, recovering what an earlier run stored there.
     *
     * @throws IOException      when it cannot be opened (a directory that cannot be written, a database that cannot be
     *                          reached); the message is one line naming where
     * @throws StorageException when it holds another round or something this central cannot take over
     */
    public static BetStore open(ServerConfig config) throws IOException, StorageException {
        if (config.storageUrl() != null) {
            return PostgresBetStore.open(config.storageUrl(), config.storageUser(), config.storagePassword(),
                    config.agencyCount());
        }
        return FileBetStore.open(config.storageDir(), config.agencyCount(), config.storageFsync());
    }
}
