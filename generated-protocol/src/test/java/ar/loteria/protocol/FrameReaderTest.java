package ar.loteria.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.FrameReader;
import ar.loteria.protocol.runtime.Message;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The reader buffers the stream itself: frames come out whole however the bytes arrive. */
class FrameReaderTest {

    /** Hands out the bytes in chunks of random size (1 byte to 40 KiB). */
    private static final class RandomChunks extends InputStream {
        private final byte[] bytes;
        private final Random random;
        private int position;

        RandomChunks(byte[] bytes, long seed) {
            this.bytes = bytes;
            this.random = new Random(seed);
        }

        @Override
        public int read() {
            return position < bytes.length ? bytes[position++] & 0xFF : -1;
        }

        @Override
        public int read(byte[] target, int offset, int length) {
            if (position == bytes.length) {
                return -1;
            }
            int n = Math.min(Math.min(length, bytes.length - position), 1 + random.nextInt(40 * 1024));
            System.arraycopy(bytes, position, target, offset, n);
            position += n;
            return n;
        }
    }

    @Test
    void framesOfEverySizeComeOutWholeFromRandomChunks() throws Exception {
        FrameCodec codec = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 20);
        Random random = new Random(7574);
        List<Message> messages = new ArrayList<>();
        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        for (int i = 0; i < 300; i++) {
            List<String> documents = new ArrayList<>();
            int count = i % 50 == 0 ? 5_000 + random.nextInt(5_000) : random.nextInt(20); // some over 16 KiB
            for (int d = 0; d < count; d++) {
                documents.add(Integer.toString(random.nextInt(Integer.MAX_VALUE)));
            }
            Message message = i % 3 == 0 ? new Echo("ñ".repeat(random.nextInt(100))) : new Winners(i, documents);
            messages.add(message);
            stream.write(codec.encode(message));
        }
        for (long seed = 0; seed < 5; seed++) {
            FrameReader reader = new FrameReader(new RandomChunks(stream.toByteArray(), seed), codec);
            for (Message expected : messages) {
                assertEquals(expected, reader.read());
            }
            assertNull(reader.read(), "clean end after the last frame");
        }
    }
}
