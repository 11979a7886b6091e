package ar.loteria.protocol.runtime;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** readString decodes like a strict UTF-8 decoder, whatever the bytes. */
class WireStringTest {

    private static ByteBuffer lengthPrefixed(byte[] utf8) {
        return ByteBuffer.allocate(4 + utf8.length).putInt(utf8.length).put(utf8).flip();
    }

    /** What a strict decoder says: the text, or null for invalid UTF-8. */
    private static String strict(byte[] utf8) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(utf8)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Test
    void aReplacementCharacterSentOnPurposeIsText() throws MalformedFieldException {
        byte[] utf8 = "Zoë \uFFFD".getBytes(StandardCharsets.UTF_8);
        assertEquals("Zoë \uFFFD", Wire.readString(lengthPrefixed(utf8), "Echo", "text"));
    }

    @Test
    void invalidBytesNextToAnEncodedReplacementCharacterAreStillRefused() {
        byte[] utf8 = {(byte) 0xEF, (byte) 0xBF, (byte) 0xBD, (byte) 0xC3};
        MalformedFieldException e = assertThrows(MalformedFieldException.class,
                () -> Wire.readString(lengthPrefixed(utf8), "Echo", "text"));
        assertEquals("Echo.text: invalid UTF-8 in the 4-byte string at offset 0: C3 at its byte 3", e.getMessage());
    }

    @Test
    void agreesWithAStrictDecoderOnRandomBytes() {
        Random random = new Random(7574);
        byte[][] pieces = {
                "a".getBytes(StandardCharsets.UTF_8), "ñ".getBytes(StandardCharsets.UTF_8),
                "€".getBytes(StandardCharsets.UTF_8), "😀".getBytes(StandardCharsets.UTF_8),
                "\uFFFD".getBytes(StandardCharsets.UTF_8),
                {(byte) 0x80}, {(byte) 0xC3}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, {(byte) 0xC0, (byte) 0x80},
                {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xFF}};
        for (int round = 0; round < 20_000; round++) {
            ByteBuffer bytes = ByteBuffer.allocate(64);
            int count = random.nextInt(8);
            for (int i = 0; i < count; i++) {
                bytes.put(random.nextInt(3) == 0 ? pieces[random.nextInt(pieces.length)] : pieces[random.nextInt(5)]);
            }
            byte[] utf8 = new byte[bytes.position()];
            bytes.flip().get(utf8);
            String expected = strict(utf8);
            if (expected == null) {
                assertThrows(MalformedFieldException.class, () -> Wire.readString(lengthPrefixed(utf8), "Echo", "text"));
            } else {
                try {
                    assertEquals(expected, Wire.readString(lengthPrefixed(utf8), "Echo", "text"));
                } catch (MalformedFieldException e) {
                    throw new AssertionError("valid UTF-8 refused: " + java.util.HexFormat.of().formatHex(utf8), e);
                }
            }
        }
    }
}
