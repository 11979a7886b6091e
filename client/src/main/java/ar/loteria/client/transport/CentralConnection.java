package ar.loteria.client.transport;

import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.Busy;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.runtime.ErrorCode;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.FrameReader;
import ar.loteria.protocol.runtime.FrameWriter;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import ar.loteria.protocol.runtime.TruncatedFrameException;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;

/** The agency's connection to the central: requests go out in order, and their replies come back in the same order. */
public final class CentralConnection implements Closeable {
    /** Replies (a winners list) may be larger than a batch; still bounded. */
    static final int MAX_REPLY_FRAME_BYTES = 16 * 1024 * 1024;
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;

    private final Socket socket;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final int replyTimeoutMillis;

    private CentralConnection(Socket socket, int replyTimeoutMillis) throws IOException {
        this.socket = socket;
        this.replyTimeoutMillis = replyTimeoutMillis;
        FrameCodec codec = new FrameCodec(LoteriaProtocol.INSTANCE, MAX_REPLY_FRAME_BYTES);
        this.reader = new FrameReader(socket.getInputStream(), codec);
        this.writer = new FrameWriter(socket.getOutputStream(), codec);
    }

    /**
     * Connects {@code socket} (made by the caller, so that a stop can close it while it connects).
     * A reply that does not come within {@code replyTimeout} is a dropped connection (a
     * {@link SocketTimeoutException}), except the winners, which wait for the draw.
     */
    public static CentralConnection connect(Socket socket, String host, int port, Duration replyTimeout)
            throws IOException {
        try {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            keepAlive(socket);
            int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, replyTimeout.toMillis());
            socket.setSoTimeout(timeoutMillis);
            return new CentralConnection(socket, timeoutMillis);
        } catch (IOException e) {
            socket.close();
            throw e;
        }
    }

    /**
     * TCP keepalive probes after 10 s of silence, 5 s apart, 3 unanswered end the connection: an
     * agency waiting for the draw (no reply timeout) notices a central whose host vanished without
     * closing the connection, in about 25 s instead of the kernel's default of over two hours.
     */
    private static void keepAlive(Socket socket) throws IOException {
        socket.setKeepAlive(true);
        if (socket.supportedOptions().contains(ExtendedSocketOptions.TCP_KEEPIDLE)) {
            socket.setOption(ExtendedSocketOptions.TCP_KEEPIDLE, 10);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPINTERVAL, 5);
            socket.setOption(ExtendedSocketOptions.TCP_KEEPCOUNT, 3);
        }
    }

    /** Sends a request and returns its reply (see {@link #receive}). */
    public <T extends Message> T request(Message request, Class<T> expected)
            throws IOException, ProtocolException, RefusedException {
        send(request);
        return receive(expected);
    }

    /**
     * Sends a request whose reply may take as long as the draw does (the other agencies may still
     * be sending), and waits for it without the reply timeout.
     */
    public <T extends Message> T requestWaitingForTheDraw(Message request, Class<T> expected)
            throws IOException, ProtocolException, RefusedException {
        socket.setSoTimeout(0);
        return request(request, expected);
    }

    /** Sends a request without waiting for its reply. */
    public void send(Message request) throws IOException {
        writer.write(request);
    }

    /**
     * Waits for the reply to the oldest request not answered yet, which must be of type {@code expected}.
     *
     * @throws BusyException when the central is busy or shutting down (worth another attempt)
     * @throws RefusedException when the central refused the request
     * @throws EOFException when the central closed the connection first, or in the middle of its reply
     */
    public <T extends Message> T receive(Class<T> expected) throws IOException, ProtocolException, RefusedException {
        Message reply;
        try {
            reply = reader.read();
        } catch (SocketTimeoutException e) {
            throw new SocketTimeoutException("the central sent no " + expected.getSimpleName() + " within "
                    + replyTimeoutMillis + " ms");
        } catch (TruncatedFrameException e) {
            // The stream ended inside the reply: the connection dropped (say, the central crashed
            // while writing), worth another attempt like a drop between frames.
            EOFException dropped = new EOFException("the central closed the connection in the middle of "
                    + expected.getSimpleName() + ": " + e.getMessage());
            dropped.initCause(e);
            throw dropped;
        }
        if (reply == null) {
            throw new EOFException("the central closed the connection while " + expected.getSimpleName() + " was awaited");
        }
        if (expected.isInstance(reply)) {
            return expected.cast(reply);
        }
        if (reply instanceof Busy busy) {
            throw new BusyException(busy.reason());
        }
        if (reply instanceof ProtocolError error) {
            refuse(error.code(), error.reason());
        }
        if (reply instanceof BatchRejected rejected) {
            refuse(rejected.code(), rejected.reason());
        }
        throw new ProtocolException(ErrorCode.UNEXPECTED_MESSAGE, reply.messageName(), null,
                "the central answered this instead of " + expected.getSimpleName());
    }

    /**
     * Throws for an error or a rejection: "unavailable" (shutting down, or it could not store now, say a full
     * disk) is worth another attempt like "busy"; any other code is final.
     */
    private static void refuse(int code, String reason) throws BusyException, RefusedException {
        if (code == ErrorCode.SERVER_UNAVAILABLE.wireValue()) {
            throw new BusyException(reason);
        }
        throw new RefusedException(code, reason);
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
