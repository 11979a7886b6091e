package ar.loteria.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;

import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.FrameReader;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import com.code_intelligence.jazzer.junit.FuzzTest;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.ByteBuffer;

/**
 * Any bytes at all: the decoders either return a message or throw a {@link ProtocolException};
 * nothing else (no RuntimeException, no OutOfMemoryError). A decoded message re-encodes to a frame
 * that decodes to the same message.
 *
 * <p>{@code mvn test} runs these in regression mode over the seeds in
 * {@code src/test/resources/ar/loteria/protocol/FrameFuzzTestInputs/<method>/}. To fuzz for real:
 * {@code JAZZER_FUZZ=1 mvn test -pl generated-protocol -am -Dtest=FrameFuzzTest -Dsurefire.failIfNoSpecifiedTests=false}
 * (see idl/README.md).
 */
class FrameFuzzTest {
    private static final FrameCodec CODEC = new FrameCodec(LoteriaProtocol.INSTANCE, 8192);

    @FuzzTest(maxDuration = "5m")
    void decodeFrame(byte[] data) {
        Message message;
        try {
            message = CODEC.decodeFrame(ByteBuffer.wrap(data));
        } catch (ProtocolException expected) {
            return;
        }
        assertStable(message);
    }

    @FuzzTest(maxDuration = "5m")
    void frameReader(byte[] data) throws IOException {
        FrameReader reader = new FrameReader(new ByteArrayInputStream(data), CODEC);
        try {
            for (Message message = reader.read(); message != null; message = reader.read()) {
                assertStable(message);
            }
        } catch (ProtocolException expected) {
            // refused: fine, as long as it is a protocol error
        }
    }

    private static void assertStable(Message message) {
        byte[] again = CODEC.encode(message);
        try {
            assertEquals(message, CODEC.decodeFrame(ByteBuffer.wrap(again)));
        } catch (ProtocolException e) {
            throw new AssertionError("a re-encoded " + message.messageName() + " was refused: " + e.getMessage(), e);
        }
    }
}
