package ar.loteria.protocol;

import ar.loteria.protocol.runtime.FrameCodec;
import java.util.HexFormat;

/** Test helpers: hex frames and the codec every test uses. */
final class Frames {
    static final int MAX_FRAME = 8192;
    static final FrameCodec CODEC = new FrameCodec(LoteriaProtocol.INSTANCE, MAX_FRAME);

    private Frames() {
    }

    /** Bytes of a hex string; spaces are ignored ({@code "09 00000007 00000003 616263"}). */
    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex.replace(" ", ""));
    }

    static String hex(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }
}
