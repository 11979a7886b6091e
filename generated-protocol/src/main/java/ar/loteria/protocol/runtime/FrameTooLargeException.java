package ar.loteria.protocol.runtime;

/** A frame header declared a body larger than the configured maximum (or a negative one). */
public final class FrameTooLargeException extends ProtocolException {
    public FrameTooLargeException(String messageName, long declaredFrameBytes, int maxFrameBytes) {
        super(Kind.FRAME_TOO_LARGE, messageName, null,
                "frame of " + declaredFrameBytes + " bytes exceeds the maximum of " + maxFrameBytes + " bytes");
    }

    public FrameTooLargeException(String messageName, int declaredBodyLength) {
        super(Kind.FRAME_TOO_LARGE, messageName, null,
                "negative body length " + declaredBodyLength + " in frame header");
    }
}
