package ar.loteria.protocol;

import static ar.loteria.protocol.Frames.CODEC;
import static ar.loteria.protocol.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import ar.loteria.protocol.runtime.ProtocolException.Kind;
import ar.loteria.protocol.runtime.FrameReader;
import ar.loteria.protocol.runtime.FrameTooLargeException;
import ar.loteria.protocol.runtime.MalformedFieldException;
import ar.loteria.protocol.runtime.ProtocolException;
import ar.loteria.protocol.runtime.TrailingBytesException;
import ar.loteria.protocol.runtime.TruncatedFrameException;
import ar.loteria.protocol.runtime.UnknownOpcodeException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Decoding is strict: every malformed frame is refused with a ProtocolException naming what was wrong. */
class HostileInputTest {
    private static final BetBatch BATCH = new BetBatch(3, 400, List.of(
            new Bet("Tiago Nicolás", "Rivera", "34407255", "1993-09-16", 7574),
            new Bet("Ana", "Li", "00000000", "1999-03-17", 1)));

    private static ProtocolException refuse(String hexFrame) {
        return assertThrows(ProtocolException.class, () -> CODEC.decodeFrame(ByteBuffer.wrap(hex(hexFrame))));
    }

    @Test
    void everyTruncationOfAValidFrameIsRefused() throws ProtocolException {
        byte[] frame = CODEC.encode(BATCH);
        for (int length = 0; length < frame.length; length++) {
            byte[] prefix = Arrays.copyOf(frame, length);
            ProtocolException e = assertThrows(ProtocolException.class, () -> CODEC.decodeFrame(ByteBuffer.wrap(prefix)),
                    "prefix of " + length + " bytes");
            assertTrue(e instanceof TruncatedFrameException || e instanceof MalformedFieldException,
                    length + ": " + e);
            assertEquals("stream ended after " + length + " of " + (length < 5 ? 5 : frame.length) + " frame bytes",
                    e.detail());
        }
    }

    @Test
    void everyTruncationOfAValidBodyIsRefusedByTheFieldThatRunsOut() throws ProtocolException {
        byte[] frame = CODEC.encode(BATCH);
        for (int bodyLength = 0; bodyLength < frame.length - 5; bodyLength++) {
            ByteBuffer cut = ByteBuffer.allocate(5 + bodyLength);
            cut.put(frame[0]).putInt(bodyLength).put(frame, 5, bodyLength).flip();
            MalformedFieldException e = assertThrows(MalformedFieldException.class, () -> CODEC.decodeFrame(cut),
                    "body of " + bodyLength + " bytes");
            assertEquals("BetBatch", e.messageName());
            assertEquals(Kind.MALFORMED_FIELD, e.kind());
        }
    }

    @Test
    void oneTrailingByteIsRefused() throws ProtocolException {
        byte[] frame = CODEC.encode(new Echo("abc"));
        byte[] longer = Arrays.copyOf(frame, frame.length + 1);
        TrailingBytesException afterFrame = assertThrows(TrailingBytesException.class,
                () -> CODEC.decodeFrame(ByteBuffer.wrap(longer)));
        assertEquals("Echo: 1 trailing byte(s) after the message at offset 12", afterFrame.getMessage());

        // the header counts the extra byte, so the body itself is one byte too long
        TrailingBytesException inBody = assertInstanceOf(TrailingBytesException.class,
                refuse("09 00000008 00000003 616263 00"));
        assertEquals("Echo: 1 trailing byte(s) after the message at offset 7", inBody.getMessage());
        assertEquals(Kind.TRAILING_BYTES, inBody.kind());
    }

    @Test
    void negativeCountsAndLengthsAreRefused() {
        assertEquals("BetBatch.bets: negative length -1 at offset 8",
                refuse("01 0000000c 00000001 00000000 ffffffff").getMessage());
        assertEquals("Echo.text: negative length -1 at offset 0", refuse("09 00000004 ffffffff").getMessage());
        assertEquals("Winners.documents: negative length -1 at offset 4",
                refuse("07 00000008 00000001 ffffffff").getMessage());
        assertEquals("BetBatch.bets[0].lastName: negative length -2147483648 at offset 16",
                refuse("01 00000020 00000001 00000000 00000001 00000000 80000000 00000000 00000000 00000000")
                        .getMessage());
    }

    @Test
    void countsJustOverWhatRemainsAreRefused() {
        // one bet needs at least 20 bytes; 19 remain
        assertEquals("BetBatch.bets: length 1 at offset 8 needs at least 20 bytes but only 19 remain",
                refuse("01 0000001f 00000001 00000000 00000001 00000000 00000000 00000000 00000000 000000")
                        .getMessage());
        assertEquals("Echo.text: length 4 at offset 0 needs at least 4 bytes but only 3 remain",
                refuse("09 00000007 00000004 616263").getMessage());
        assertEquals("Winners.documents: length 2 at offset 4 needs at least 8 bytes but only 7 remain",
                refuse("07 0000000f 00000001 00000002 00000000 000000").getMessage());
        assertEquals("Winners.documents[1]: length 1 at offset 12 needs at least 1 bytes but only 0 remain",
                refuse("07 00000010 00000001 00000002 00000000 00000001").getMessage());
    }

    @Test
    void hugeCountsAreRefusedWithoutALargeAllocation() {
        long before = allocatedBytes();
        assertEquals("BetBatch.bets: length 2147483647 at offset 8 needs at least 42949672940 bytes but only 0 remain",
                refuse("01 0000000c 00000001 00000000 7fffffff").getMessage());
        assertEquals("Echo.text: length 2147483647 at offset 0 needs at least 2147483647 bytes but only 0 remain",
                refuse("09 00000004 7fffffff").getMessage());
        assertEquals("Winners.documents: length 2147483647 at offset 4 needs at least 8589934588 bytes but only 0 remain",
                refuse("07 00000008 00000001 7fffffff").getMessage());
        assertEquals("BetBatch.bets[0].firstName: length 2147483647 at offset 12 needs at least 2147483647 bytes but "
                        + "only 16 remain",
                refuse("01 00000020 00000001 00000000 00000001 7fffffff 00000000 00000000 00000000 00000000")
                        .getMessage());
        long allocated = allocatedBytes() - before;
        assertTrue(allocated < 16 * 1024 * 1024, "allocated " + allocated + " bytes");
    }

    private static long allocatedBytes() {
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        return threads.getThreadAllocatedBytes(Thread.currentThread().getId());
    }

    @Test
    void invalidUtf8IsRefused() {
        assertEquals("Echo.text: invalid UTF-8 in the 2-byte string at offset 0: C3 at its byte 0",
                refuse("09 00000006 00000002 c328").getMessage());
        assertEquals("Echo.text: invalid UTF-8 in the 2-byte string at offset 0: C0 at its byte 0", // overlong NUL
                refuse("09 00000006 00000002 c080").getMessage());
        assertEquals("Echo.text: invalid UTF-8 in the 3-byte string at offset 0: ED A0 80 at its byte 0", // a surrogate
                refuse("09 00000007 00000003 eda080").getMessage());
        assertEquals("BetBatch.bets[1].firstName: invalid UTF-8 in the 1-byte string at offset 36: FF at its byte 0",
                refuse("01 0000003b 00000001 00000000 00000002"
                        + " 00000001 41 00000001 42 00000001 31 00000001 32 00000003"
                        + " 00000001 ff 00000000 00000001 31 00000001 32 00000003").getMessage());
        assertEquals("Winners.documents[0]: invalid UTF-8 in the 1-byte string at offset 8: 80 at its byte 0",
                refuse("07 0000000d 00000001 00000001 00000001 80").getMessage());
    }

    @Test
    void unknownOpcodesAreRefused() {
        UnknownOpcodeException zero = assertInstanceOf(UnknownOpcodeException.class, refuse("00 00000000"));
        assertEquals("unknown opcode 0x00 (0)", zero.getMessage());
        UnknownOpcodeException ff = assertInstanceOf(UnknownOpcodeException.class, refuse("ff 00000004 00000000"));
        assertEquals("unknown opcode 0xff (255)", ff.getMessage());
        assertEquals(Kind.UNKNOWN_OPCODE, ff.kind());
        assertNull(LoteriaProtocol.INSTANCE.nameOf(0xff), "no message has the opcode used above");
    }

    @Test
    void aFrameOverTheMaximumIsRefusedByItsHeaderBeforeItsBodyIsRead() {
        InputStream hostile = new SequenceInputStream(new ByteArrayInputStream(hex("01 00001ffc")), new InputStream() {
            @Override
            public int read() {
                return fail("the reader read past the 5-byte header");
            }
        });
        FrameReader reader = new FrameReader(hostile, CODEC);
        FrameTooLargeException e = assertThrows(FrameTooLargeException.class, reader::read);
        assertEquals("BetBatch: frame of 8193 bytes exceeds the maximum of 8192 bytes", e.getMessage());
        assertEquals(Kind.FRAME_TOO_LARGE, e.kind());

        InputStream negative = new SequenceInputStream(new ByteArrayInputStream(hex("09 ffffffff")), new InputStream() {
            @Override
            public int read() {
                return fail("the reader read past the 5-byte header");
            }
        });
        assertEquals("Echo: negative body length -1 in frame header",
                assertThrows(FrameTooLargeException.class, new FrameReader(negative, CODEC)::read).getMessage());
    }

    /** Hands out one byte per read call, the worst split TCP can produce. */
    private static final class OneByteAtATime extends InputStream {
        private final InputStream in;

        OneByteAtATime(byte[] bytes) {
            this.in = new ByteArrayInputStream(bytes);
        }

        @Override
        public int read() throws IOException {
            return in.read();
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            return len == 0 ? 0 : in.read(b, off, 1);
        }
    }

    @Test
    void framesSplitIntoOneByteReadsDecode() throws Exception {
        byte[] first = CODEC.encode(BATCH);
        byte[] second = CODEC.encode(new Echo("ação"));
        byte[] third = CODEC.encode(CodecRoundTripTest.batchOfFrameSize(Frames.MAX_FRAME));
        byte[] stream = new byte[first.length + second.length + third.length];
        System.arraycopy(first, 0, stream, 0, first.length);
        System.arraycopy(second, 0, stream, first.length, second.length);
        System.arraycopy(third, 0, stream, first.length + second.length, third.length);
        FrameReader reader = new FrameReader(new OneByteAtATime(stream), CODEC);
        assertEquals(BATCH, reader.read());
        assertEquals(new Echo("ação"), reader.read());
        assertEquals(CodecRoundTripTest.batchOfFrameSize(Frames.MAX_FRAME), reader.read());
        assertNull(reader.read(), "clean end of stream between frames");
    }

    @Test
    void frameReaderReturnsNullAtCleanEofAndRefusesAFrameCutShort() throws Exception {
        assertNull(new FrameReader(new ByteArrayInputStream(new byte[0]), CODEC).read());

        TruncatedFrameException inHeader = assertThrows(TruncatedFrameException.class,
                new FrameReader(new ByteArrayInputStream(hex("09 0000")), CODEC)::read);
        assertEquals("Echo: stream ended after 3 of 5 frame bytes", inHeader.getMessage());

        byte[] frame = CODEC.encode(new Echo("abc"));
        Executable cutBody = new FrameReader(new ByteArrayInputStream(Arrays.copyOf(frame, frame.length - 1)), CODEC)::read;
        TruncatedFrameException inBody = assertThrows(TruncatedFrameException.class, cutBody);
        assertEquals("Echo: stream ended after 11 of 12 frame bytes", inBody.getMessage());
        assertEquals(Kind.TRUNCATED_FRAME, inBody.kind());
    }
}
