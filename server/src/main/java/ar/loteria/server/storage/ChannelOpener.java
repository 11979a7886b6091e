package ar.loteria.server.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How the storage opens its files: {@link FileChannel#open} in the central. A test opens them
 * through channels that record what each fsync made durable, to model a power cut.
 */
@FunctionalInterface
interface ChannelOpener {
    FileChannel open(Path path, OpenOption... options) throws IOException;
}
