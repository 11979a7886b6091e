package ar.loteria.protocol;

import static ar.loteria.protocol.Frames.CODEC;
import static ar.loteria.protocol.Frames.hex;
import static org.junit.jupiter.api.Assertions.assertEquals;

import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import java.nio.ByteBuffer;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The exact bytes of one frame of each message, computed by hand from the IDL: opcode (1 byte) |
 * body length (int) | body, big-endian; a string is its UTF-8 byte length then the bytes.
 */
class FixedVectorsTest {
    private static void assertFrame(String expectedHex, Message message) throws ProtocolException {
        byte[] expected = hex(expectedHex);
        assertEquals(hex(expected), hex(CODEC.encode(message)), message.toString());
        assertEquals(message, CODEC.decodeFrame(ByteBuffer.wrap(expected)));
    }

    @Test
    void betBatch() throws ProtocolException {
        // body 55 = agency 4 + firstBet 4 + count 4 + "Ana" (4+3) + "Li" (4+2) + "30123456" (4+8)
        //   + "1999-03-17" (4+10) + number 4
        assertFrame("01 00000037 00000007 00000000 00000001 00000003 416e61 00000002 4c69"
                        + " 00000008 3330313233343536 0000000a 313939392d30332d3137 00001d96",
                new BetBatch(7, 0, List.of(new Bet("Ana", "Li", "30123456", "1999-03-17", 7574))));
        assertFrame("01 0000000c 00000007 00006938 00000000", new BetBatch(7, 26936, List.of()));
    }

    @Test
    void betBatchWithNonAsciiName() throws ProtocolException {
        // "Nicolás": 'á' is c3 a1 in UTF-8, so 8 bytes for 7 chars; body 12 + 12 + 4 + 5 + 14 + 4 = 51
        assertFrame("01 00000033 00000001 00000005 00000001 00000008 4e69636f6cc3a173 00000000 00000001 30"
                        + " 0000000a 323030302d30312d3031 00000003",
                new BetBatch(1, 5, List.of(new Bet("Nicolás", "", "0", "2000-01-01", 3))));
    }

    @Test
    void batchAck() throws ProtocolException {
        assertFrame("02 00000008 00000001 00000002", new BatchAck(1, 2));
    }

    @Test
    void batchRejected() throws ProtocolException {
        assertFrame("03 0000000b 0000000a 00000003 626164", new BatchRejected(ErrorCode.INVALID_BET, "bad"));
    }

    @Test
    void finished() throws ProtocolException {
        assertFrame("04 00000004 00000003", new Finished(3));
    }

    @Test
    void finishedAck() throws ProtocolException {
        assertFrame("05 00000004 00000003", new FinishedAck(3));
    }

    @Test
    void winnersRequest() throws ProtocolException {
        assertFrame("06 00000004 ffffffff", new WinnersRequest(-1));
    }

    @Test
    void winners() throws ProtocolException {
        // body 19 = agency 4 + count 4 + "12" (4+2) + "3" (4+1)
        assertFrame("07 00000013 00000005 00000002 00000002 3132 00000001 33", new Winners(5, List.of("12", "3")));
        assertFrame("07 00000008 00000005 00000000", new Winners(5, List.of()));
    }

    @Test
    void protocolError() throws ProtocolException {
        assertFrame("08 0000000a 00000002 00000002 c3a9", new ProtocolError(ErrorCode.UNKNOWN_OPCODE, "é"));
    }

    @Test
    void echo() throws ProtocolException {
        assertFrame("09 00000007 00000003 616263", new Echo("abc"));
        assertFrame("09 00000004 00000000", new Echo(""));
        // U+1F600 is 4 bytes in UTF-8 (a surrogate pair in Java)
        assertFrame("09 00000008 00000004 f09f9880", new Echo("😀"));
    }

    @Test
    void sessionStart() throws ProtocolException {
        assertFrame("0a 0000000b 00000003 616263 00000002", new SessionStart("abc", 2));
    }

    @Test
    void sessionStarted() throws ProtocolException {
        assertFrame("0b 00000010 00000002 00000000 00000000 00000000", new SessionStarted(2, 0, 0, List.of()));
        assertFrame("0b 00000034 00000002 0000012c 00000001 00000001"
                        + " 00000003 416e61 00000002 4c69 00000001 37 0000000a 323030302d30312d3031 00000009",
                new SessionStarted(2, 300, 1, List.of(new Bet("Ana", "Li", "7", "2000-01-01", 9))));
    }

    @Test
    void busy() throws ProtocolException {
        assertFrame("0c 00000009 00000005 6c61746572", new Busy("later"));
    }

    @Test
    void aLoneSurrogateIsEncodedAsQuestionMarkAndSizedAsOneByte() throws ProtocolException {
        Echo lone = new Echo("a\uD800");
        byte[] frame = CODEC.encode(lone);
        assertEquals("09000000060000000261" + "3f", hex(frame));
        assertEquals(new Echo("a?"), CODEC.decodeFrame(ByteBuffer.wrap(frame)));
    }
}
