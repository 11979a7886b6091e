package ar.loteria.protocol.runtime;

/** The stream ended in the middle of a frame (header or body). */
public final class TruncatedFrameException extends ProtocolException {
    public TruncatedFrameException(String messageName, int expected, int received) {
        super(Kind.TRUNCATED_FRAME, messageName, null,
                "stream ended after " + received + " of " + expected + " frame bytes");
    }
}
