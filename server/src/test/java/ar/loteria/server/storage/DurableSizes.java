package ar.loteria.server.storage;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
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

    private final class Recording extends FileChannel {
        private final Path path;
        private final FileChannel delegate;

        Recording(Path path, FileChannel delegate) {
            this.path = path;
            this.delegate = delegate;
        }

        @Override
        public void force(boolean metaData) throws IOException {
            delegate.force(metaData);
            durable.put(path, delegate.size());
        }

        @Override
        public int read(ByteBuffer dst) throws IOException {
            return delegate.read(dst);
        }

        @Override
        public long read(ByteBuffer[] dsts, int offset, int length) throws IOException {
            return delegate.read(dsts, offset, length);
        }

        @Override
        public int write(ByteBuffer src) throws IOException {
            return delegate.write(src);
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
            return delegate.write(srcs, offset, length);
        }

        @Override
        public long position() throws IOException {
            return delegate.position();
        }

        @Override
        public FileChannel position(long newPosition) throws IOException {
            delegate.position(newPosition);
            return this;
        }

        @Override
        public long size() throws IOException {
            return delegate.size();
        }

        @Override
        public FileChannel truncate(long size) throws IOException {
            delegate.truncate(size);
            return this;
        }

        @Override
        public long transferTo(long position, long count, WritableByteChannel target) throws IOException {
            return delegate.transferTo(position, count, target);
        }

        @Override
        public long transferFrom(ReadableByteChannel src, long position, long count) throws IOException {
            return delegate.transferFrom(src, position, count);
        }

        @Override
        public int read(ByteBuffer dst, long position) throws IOException {
            return delegate.read(dst, position);
        }

        @Override
        public int write(ByteBuffer src, long position) throws IOException {
            return delegate.write(src, position);
        }

        @Override
        public MappedByteBuffer map(MapMode mode, long position, long size) throws IOException {
            return delegate.map(mode, position, size);
        }

        @Override
        public FileLock lock(long position, long size, boolean shared) throws IOException {
            return delegate.lock(position, size, shared);
        }

        @Override
        public FileLock tryLock(long position, long size, boolean shared) throws IOException {
            return delegate.tryLock(position, size, shared);
        }

        @Override
        protected void implCloseChannel() throws IOException {
            delegate.close();
        }
    }
}
