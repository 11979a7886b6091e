package ar.loteria.client.transport;

import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.runtime.ErrorCode;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.FrameReader;
import ar.loteria.protocol.runtime.FrameWriter;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.Socket;

/** The agency's connection to the central: request, then wait for the matching reply. */
public final class CentralConnection implements Closeable {
    /** Replies (a winners list) may be larger than the 8 KiB of a batch; still bounded. */
    public static final int MAX_REPLY_FRAME_BYTES = 16 * 1024 * 1024;

    private final Socket socket;
    private final FrameReader reader;
    private final FrameWriter writer;

    private CentralConnection(Socket socket) throws IOException {
        this.socket = socket;
        FrameCodec codec = new FrameCodec(LoteriaProtocol.INSTANCE, MAX_REPLY_FRAME_BYTES);
        this.reader = new FrameReader(socket.getInputStream(), codec);
        this.writer = new FrameWriter(socket.getOutputStream(), codec);
    }

    /** Opens a connection with the given socket (already connected). */
    public static CentralConnection over(Socket socket) throws IOException {
        socket.setTcpNoDelay(true);
        return new CentralConnection(socket);
    }

    /** Sends a request and returns its reply, which must be of type {@code expected}. */
    public <T extends Message> T request(Message request, Class<T> expected)
            throws IOException, ProtocolException, RefusedException {
        writer.write(request);
        return reply(expected);
    }

    /**
     * Sends {@code frame[0, length)}, a whole request frame already encoded (a batch, see
     * BatchAssembler), and returns its reply, which must be of type {@code expected}.
     */
    public <T extends Message> T request(byte[] frame, int length, Class<T> expected)
            throws IOException, ProtocolException, RefusedException {
        writer.writeFrame(frame, length);
        return reply(expected);
    }

    private <T extends Message> T reply(Class<T> expected) throws IOException, ProtocolException, RefusedException {
        Message reply = reader.read();
        if (reply == null) {
            throw new EOFException("the central closed the connection while waiting for " + expected.getSimpleName());
        }
        if (expected.isInstance(reply)) {
            return expected.cast(reply);
        }
        if (reply instanceof BatchRejected rejected) {
            throw new RefusedException(ErrorCode.fromWire(rejected.code()), rejected.code(), rejected.reason());
        }
        if (reply instanceof ProtocolError error) {
            throw new RefusedException(ErrorCode.fromWire(error.code()), error.code(), error.reason());
        }
        throw new IOException("expected " + expected.getSimpleName() + " from the central but got " + reply.messageName());
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
