package ar.loteria.server.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The model of a power cut for append-only files: what survives is each file as it was at its
 * last fsync (or when it was opened, already on disk). A {@link ChannelOpener} whose channels
 * record the file's size at every {@code force}.
 */
final class DurableSizes implements ChannelOpener {
    private final Map<Path, Long> durable = new ConcurrentHashMap<>();

    @Override
    public FileChannel open(Path path, OpenOption... options) throws IOException {
        FileChannel channel = FileChannel.open(path, options);
        durable.put(path, channel.size());
        return new Recording(path, channel);
    }

    /** Copies every file, cut to its durable size, into {@code target}: the disk after a power cut now. */
    void copyDurableState(Path target) throws IOException {
        Files.createDirectories(target);
        for (Map.Entry<Path, Long> file : Map.copyOf(durable).entrySet()) {
            byte[] bytes = Files.readAllBytes(file.getKey());
            Files.write(target.resolve(file.getKey().getFileName()),
                    java.util.Arrays.copyOf(bytes, Math.toIntExact(Math.min(bytes.length, file.getValue()))));
        }
    }

    private final class Recording extends ForwardingFileChannel {
        private final Path path;

        Recording(Path path, FileChannel delegate) {
            super(delegate);
            this.path = path;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            // Only what was written when the fsync began is sure to be on disk when it returns:
            // rows written meanwhile (by other threads) may or may not be.
            long size = delegate.size();
            delegate.force(metaData);
            durable.merge(path, size, Math::max);
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            // What is cut off is not on disk any more, whatever is written in its place later.
            delegate.truncate(size);
            durable.merge(path, size, Math::min);
            return this;
        }
    }
}
