package ar.loteria.protocol;

import static ar.loteria.protocol.Frames.CODEC;
import static ar.loteria.protocol.Frames.MAX_FRAME;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ar.loteria.protocol.runtime.FrameTooLargeException;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

class CodecRoundTripTest {
    static Stream<Message> messages() {
        return Stream.of(
                new BetBatch(1, 0, List.of(new Bet("Santiago Lionel", "Lorca", "30904465", "1999-03-17", 2201))),
                new BetBatch(2, 200, List.of(new Bet("Tiago Nicolás", "Rivera", "34407255", "1993-09-16", 7574),
                        new Bet("", "", "", "", 0),
                        new Bet("Zoë 😀", "Ñandú", "00000000", "not checked here", -1))),
                new BetBatch(0, Integer.MAX_VALUE, List.of()),
                new BatchAck(3, 200),
                new BatchRejected(ErrorCode.INVALID_BET, "birthdate 1999-02-30 is not a date"),
                new BatchRejected(ErrorCode.BATCH_GAP, ""),
                new Finished(4),
                new FinishedAck(4),
                new WinnersRequest(5),
                new Winners(5, List.of("30904465", "34407255")),
                new Winners(5, List.of()),
                new Winners(5, List.of("")),
                new ProtocolError(ErrorCode.MALFORMED_FIELD, "BetBatch.bets[3].firstName: invalid UTF-8"),
                new Echo("hola"),
                new Echo(""),
                new Echo("ação ✓"),
                new SessionStart(LoteriaProtocol.FINGERPRINT, 3),
                new SessionStarted(3, 0, 0, List.of()),
                new SessionStarted(3, 26936, 1, List.of(new Bet("Ñandú", "Pérez", "0042", "2000-02-29", 7574))),
                new Busy("too many connections (500); try again later"));
    }

    @ParameterizedTest
    @MethodSource("messages")
    void everyMessageSurvivesARoundTrip(Message message) throws ProtocolException {
        byte[] frame = CODEC.encode(message);
        assertEquals(CODEC.frameSize(message), frame.length);
        assertEquals(message.opcode(), frame[0] & 0xFF);
        assertEquals(frame.length - 5, ByteBuffer.wrap(frame, 1, 4).getInt());
        Message decoded = CODEC.decodeFrame(ByteBuffer.wrap(frame));
        assertEquals(message, decoded);
        assertEquals(message.getClass(), decoded.getClass());
        assertEquals(message.messageName(), LoteriaProtocol.INSTANCE.nameOf(message.opcode()));
    }

    @Test
    void aBetBatchExactlyAtTheMaximumFrameSizeIsAccepted() throws ProtocolException {
        BetBatch full = batchOfFrameSize(MAX_FRAME);
        byte[] frame = CODEC.encode(full);
        assertEquals(MAX_FRAME, frame.length);
        assertEquals(full, CODEC.decodeFrame(ByteBuffer.wrap(frame)));

        byte[] tooBig = CODEC.encode(batchOfFrameSize(MAX_FRAME + 1));
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class,
                () -> CODEC.decodeFrame(ByteBuffer.wrap(tooBig)));
        assertEquals("BetBatch: frame of 8193 bytes exceeds the maximum of 8192 bytes", e.getMessage());
    }

    /** A batch of ordinary bets whose last bet's name is padded so that the frame has exactly {@code size} bytes. */
    static BetBatch batchOfFrameSize(int size) {
        List<Bet> bets = new ArrayList<>();
        for (int i = 0; i < 120; i++) {
            bets.add(new Bet("Tiago Nicolás", "Rivera", String.valueOf(34407255 + i), "1993-09-16", i));
        }
        int missing = size - CODEC.frameSize(new BetBatch(1, 0, bets)) - BetCodec.MIN_SIZE;
        char[] pad = new char[missing];
        Arrays.fill(pad, 'x');
        bets.add(new Bet("", new String(pad), "", "", 7574));
        BetBatch batch = new BetBatch(1, 0, bets);
        assertEquals(size, CODEC.frameSize(batch));
        return batch;
    }

    @Test
    void listsAreImmutableAndNullsRefused() {
        List<Bet> bets = new ArrayList<>(List.of(new Bet("a", "b", "1", "2000-01-01", 3)));
        BetBatch batch = new BetBatch(1, 0, bets);
        bets.clear();
        assertEquals(1, batch.bets().size());
        assertThrows(UnsupportedOperationException.class, () -> batch.bets().clear());
        NullPointerException e = assertThrows(NullPointerException.class, () -> new Bet(null, "b", "1", "2000-01-01", 3));
        assertEquals("firstName", e.getMessage());
        assertEquals("bets", assertThrows(NullPointerException.class, () -> new BetBatch(1, 0, null)).getMessage());
        assertEquals("text", assertThrows(NullPointerException.class, () -> new Echo(null)).getMessage());
    }

    @Test
    void messagesKnowTheirOpcodeAndName() {
        assertEquals(1, BetBatch.OPCODE);
        assertEquals("BetBatch", new BetBatch(1, 0, List.of()).messageName());
        assertEquals(9, new Echo("x").opcode());
        assertEquals(BetBatchCodec.INSTANCE, LoteriaProtocol.INSTANCE.codecOf(new BetBatch(1, 0, List.of())));
        assertEquals(20, BetCodec.MIN_SIZE);
    }
}
