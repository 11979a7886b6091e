package ar.loteria.protocol;

import static ar.loteria.protocol.Frames.CODEC;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.FrameWriter;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Frames are encoded body first and their length filled in after: the same bytes as sizing first. */
class FrameWriterTest {

    private static Winners winnersOfBytes(int atLeast) {
        List<String> documents = new ArrayList<>();
        int size = 0;
        for (int i = 0; size < atLeast; i++) {
            String document = Integer.toString(30_000_000 + i);
            documents.add(document);
            size += 4 + document.length();
        }
        return new Winners(1, documents);
    }

    @Test
    void writesTheSameBytesAsTheSizedEncodingOneFramePerMessage() throws IOException, ProtocolException {
        List<Message> messages = new ArrayList<>();
        CodecRoundTripTest.messages().forEach(messages::add);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out, CODEC);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        for (Message message : messages) {
            byte[] frame = CODEC.encode(message);
            assertEquals(frame.length, writer.write(message), message.messageName());
            expected.write(frame);
        }
        assertArrayEquals(expected.toByteArray(), out.toByteArray());
        ByteBuffer written = ByteBuffer.wrap(out.toByteArray());
        for (Message message : messages) {
            int length = 5 + written.getInt(written.position() + 1);
            ByteBuffer frame = written.slice(written.position(), length);
            assertEquals(message, CODEC.decodeFrame(frame));
            written.position(written.position() + length);
        }
    }

    @Test
    void growsItsBufferForAFrameLargerThanEightKibAndKeepsGoing() throws IOException, ProtocolException {
        Winners large = winnersOfBytes(100_000);
        Echo small = new Echo("después");
        // Writing does not enforce a maximum; a reader of replies allows more than a batch's 8 KiB.
        FrameCodec replies = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 20);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        FrameWriter writer = new FrameWriter(out, replies);
        int size = writer.write(large);
        assertEquals(CODEC.frameSize(large), size);
        assertEquals(CODEC.frameSize(small), writer.write(small));
        byte[] bytes = out.toByteArray();
        assertEquals(size + CODEC.frameSize(small), bytes.length);
        assertEquals(large, replies.decodeFrame(ByteBuffer.wrap(bytes, 0, size)));
        assertEquals(small, replies.decodeFrame(ByteBuffer.wrap(bytes, size, bytes.length - size)));
    }

    @Test
    void aFrameThatDoesNotFitLeavesTheBufferWhereItWas() {
        Winners winners = winnersOfBytes(200);
        int frameSize = CODEC.frameSize(winners);
        for (int room = 0; room < frameSize; room++) {
            ByteBuffer out = ByteBuffer.allocate(3 + room);
            out.position(3);
            assertThrows(BufferOverflowException.class, () -> CODEC.encode(winners, out), "room " + room);
            assertEquals(3, out.position(), "room " + room);
        }
        ByteBuffer exact = ByteBuffer.allocate(3 + frameSize);
        exact.position(3);
        assertEquals(frameSize, CODEC.encode(winners, exact));
        assertEquals(3 + frameSize, exact.position());
    }
}
