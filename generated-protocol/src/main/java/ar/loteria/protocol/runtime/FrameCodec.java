package ar.loteria.protocol.runtime;

import java.nio.BufferOverflowException;
import java.nio.ByteBuffer;

/**
 * Frame layout: {@code opcode} (1 byte, unsigned) | {@code length} (int, big-endian, bytes of
 * body) | body. A frame is refused by its header, before its body is read or allocated, when
 * the opcode is unknown or the whole frame would exceed {@link #maxFrameBytes()}.
 */
public final class FrameCodec {
    public static final int HEADER_SIZE = 5;

    private final Protocol protocol;
    private final int maxFrameBytes;

    public FrameCodec(Protocol protocol, int maxFrameBytes) {
        if (maxFrameBytes < HEADER_SIZE) {
            throw new IllegalArgumentException("maximum frame size " + maxFrameBytes + " is below the "
                    + HEADER_SIZE + "-byte header");
        }
        this.protocol = protocol;
        this.maxFrameBytes = maxFrameBytes;
    }

    public Protocol protocol() {
        return protocol;
    }

    /** Largest accepted frame, header included. */
    public int maxFrameBytes() {
        return maxFrameBytes;
    }

    /**
     * Validates a frame header. Returns the body length to read; throws for an unknown opcode,
     * a negative length, or a frame over the maximum.
     */
    public int checkHeader(int opcode, int bodyLength) throws ProtocolException {
        protocol.codec(opcode);
        String name = protocol.nameOf(opcode);
        if (bodyLength < 0) {
            throw new FrameTooLargeException(name, bodyLength);
        }
        long frameBytes = (long) HEADER_SIZE + bodyLength;
        if (frameBytes > maxFrameBytes) {
            throw new FrameTooLargeException(name, frameBytes, maxFrameBytes);
        }
        return bodyLength;
    }

    /** Decodes a body whose header already passed {@link #checkHeader}. */
    public Message decodeBody(int opcode, ByteBuffer body) throws ProtocolException {
        return protocol.codec(opcode).decodeBody(body);
    }

    /**
     * Decodes one whole frame held in {@code frame} (from its position to its limit): exactly
     * one frame, nothing missing and nothing left over.
     */
    public Message decodeFrame(ByteBuffer frame) throws ProtocolException {
        if (frame.remaining() < HEADER_SIZE) {
            throw new TruncatedFrameException(null, HEADER_SIZE, frame.remaining());
        }
        int opcode = frame.get() & 0xFF;
        int bodyLength = checkHeader(opcode, frame.getInt());
        String name = protocol.nameOf(opcode);
        if (frame.remaining() < bodyLength) {
            throw new TruncatedFrameException(name, HEADER_SIZE + bodyLength, HEADER_SIZE + frame.remaining());
        }
        if (frame.remaining() > bodyLength) {
            throw new TrailingBytesException(name, frame.remaining() - bodyLength, HEADER_SIZE + bodyLength);
        }
        ByteBuffer body = frame.slice();
        frame.position(frame.limit());
        return decodeBody(opcode, body);
    }

    public int frameSize(Message message) {
        return HEADER_SIZE + protocol.codecOf(message).bodySize(message);
    }

    /**
     * Writes the whole frame at {@code out}'s position and returns its size. The body is encoded
     * first and its length filled in after, so no string is measured before it is written (the
     * hot path of a batch: sizing it first walked every name twice). If {@code out} has fewer
     * than {@link #frameSize} bytes left it throws {@link BufferOverflowException},
     * with {@code out}'s position back where it was.
     */
    public int encode(Message message, ByteBuffer out) {
        MessageCodec<Message> codec = protocol.codecOf(message);
        int start = out.position();
        try {
            out.put((byte) codec.opcode());
            out.putInt(0); // the body length, once known
            codec.encodeBody(message, out);
        } catch (BufferOverflowException e) {
            out.position(start);
            throw e;
        }
        return fillBodyLength(out, start);
    }

    /**
     * Fills in the body length of the frame that starts at {@code frameStart} and ends at
     * {@code out}'s position (a frame written header first, with the length left open); returns
     * the frame's size.
     */
    private static int fillBodyLength(ByteBuffer out, int frameStart) {
        int bodySize = out.position() - frameStart - HEADER_SIZE;
        out.putInt(frameStart + 1, bodySize);
        return HEADER_SIZE + bodySize;
    }

    /** The whole frame as a new array, sized first (and checked against what was written). */
    public byte[] encode(Message message) {
        byte[] bytes = new byte[frameSize(message)];
        int written = encode(message, ByteBuffer.wrap(bytes));
        if (written != bytes.length) {
            throw new IllegalStateException(message.messageName() + " wrote " + written
                    + " bytes but its computed frame size is " + bytes.length);
        }
        return bytes;
    }
}
