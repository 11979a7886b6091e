package ar.loteria.server.support;

import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.SessionStart;
import ar.loteria.protocol.SessionStarted;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.FrameReader;
import ar.loteria.protocol.runtime.Message;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;

/** A hand-driven peer: sends exact bytes or messages and reads replies. */
public final class RawPeer implements AutoCloseable {
    public static final FrameCodec CODEC = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 20);

    private final Socket socket;
    private final OutputStream out;
    private final InputStream in;
    private final FrameReader reader;

    public RawPeer(int port) throws IOException {
        this(new Socket("127.0.0.1", port));
    }

    /** Over a socket of the caller's (a TLS one, say), connected already. */
    public RawPeer(Socket socket) throws IOException {
        this.socket = socket;
        socket.setSoTimeout(30_000);
        out = socket.getOutputStream();
        in = socket.getInputStream();
        reader = new FrameReader(in, CODEC);
    }

    public void sendBytes(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
    }

    public void send(Message message) throws IOException {
        sendBytes(CODEC.encode(message));
    }

    /** Ends our side of the stream, as a peer that stops mid-frame would. */
    public void shutdownOutput() throws IOException {
        socket.shutdownOutput();
    }

    public Message read() throws Exception {
        return reader.read();
    }

    /** Starts the session of {@code agency} with this build's fingerprint. */
    public SessionStarted session(int agency) throws Exception {
        return request(new SessionStart(LoteriaProtocol.FINGERPRINT, agency), SessionStarted.class);
    }

    public <T extends Message> T request(Message message, Class<T> expected) throws Exception {
        send(message);
        Message reply = read();
        if (!expected.isInstance(reply)) {
            throw new AssertionError("expected " + expected.getSimpleName() + " but got " + reply);
        }
        return expected.cast(reply);
    }

    /** True when the server has closed the connection (end of stream on the next read). */
    public boolean closedByServer() throws IOException {
        return in.read() == -1;
    }

    public int available() throws IOException {
        return in.available();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
