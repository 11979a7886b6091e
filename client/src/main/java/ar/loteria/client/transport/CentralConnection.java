package ar.loteria.client.transport;

import ar.loteria.common.tls.TlsMaterial;
import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.Busy;
import ar.loteria.protocol.ErrorCode;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.FrameReader;
import ar.loteria.protocol.runtime.FrameWriter;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import ar.loteria.protocol.runtime.TruncatedFrameException;
import java.io.Closeable;
import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.security.cert.CertPathValidatorException;
import java.security.cert.CertificateException;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import jdk.net.ExtendedSocketOptions;

/**
 * The agency's connection to the central, the mirror of the central's protocol handler: requests
 * go out in order, their replies come back in the same order, and {@link #receive} is the one
 * place where a reply becomes an outcome: the expected message, or one of three failures.
 * <ul>
 *   <li>{@link UnavailableException}: the central cannot be reached, dropped the connection, did not
 *       answer within the reply timeout, or answered "busy" or "unavailable" (worth another attempt);
 *   <li>{@link RefusedException}: it refused the request (final);
 *   <li>{@link BadReplyException}: it answered something this agency cannot act on (final).
 * </ul>
 */
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
     * A reply that does not come within {@code replyTimeout} is a dropped connection, except the
     * winners, which wait for the draw.
     */
    public static CentralConnection connect(Socket socket, String host, int port, Duration replyTimeout)
            throws UnavailableException {
        try {
            return connect(socket, host, port, replyTimeout, null);
        } catch (TlsException e) {
            throw new IllegalStateException("no TLS, no TLS failure", e);
        }
    }

    /**
     * The same over mutual TLS when {@code tls} is not null: TLS 1.3, this agency's certificate
     * presented, the central's checked against the round's CA and the name dialed ({@code host}).
     *
     * @throws TlsException when the handshake fails for a reason another attempt would meet again
     */
    /** The JDK's message when what came back is not a TLS record. */
    private static final String PLAIN_REPLY = "Unsupported or unrecognized SSL message";

    public static CentralConnection connect(Socket socket, String host, int port, Duration replyTimeout, SSLContext tls)
            throws UnavailableException, TlsException {
        try {
            socket.connect(new InetSocketAddress(host, port), CONNECT_TIMEOUT_MILLIS);
            socket.setTcpNoDelay(true);
            keepAlive(socket);
            int timeoutMillis = (int) Math.min(Integer.MAX_VALUE, replyTimeout.toMillis());
            socket.setSoTimeout(timeoutMillis);
            return new CentralConnection(tls == null ? socket : handshake(socket, host, port, tls), timeoutMillis);
        } catch (SSLException e) {
            closeQuietly(socket);
            if (refusedByTls(e)) {
                throw new TlsException("TLS with the central at " + host + ":" + port + " failed: " + e.getMessage(), e);
            }
            if (String.valueOf(e.getMessage()).contains(PLAIN_REPLY)) {
                // A frame where a TLS record was due: the central said "busy" before any TLS, or speaks none.
                throw new UnavailableException("the central answered in plain TCP, not TLS: it is busy (too many"
                        + " connections), or runs with TLS=off", e);
            }
            throw new UnavailableException("TLS with the central was cut: " + e.getMessage(), e);
        } catch (IOException e) {
            closeQuietly(socket);
            // The JDK's message for a name that does not resolve is the bare name.
            throw new UnavailableException(e instanceof UnknownHostException
                    ? "the host name " + e.getMessage() + " does not resolve" : String.valueOf(e.getMessage()), e,
                    e instanceof ConnectException || e instanceof UnknownHostException);
        }
    }

    private static SSLSocket handshake(Socket socket, String host, int port, SSLContext tls) throws IOException {
        SSLSocket ssl = (SSLSocket) tls.getSocketFactory().createSocket(socket, host, port, true);
        ssl.setEnabledProtocols(new String[] {TlsMaterial.PROTOCOL});
        ssl.setEnabledCipherSuites(TlsMaterial.CIPHER_SUITES);
        SSLParameters parameters = ssl.getSSLParameters();
        parameters.setEndpointIdentificationAlgorithm("HTTPS"); // the central's certificate must name the host dialed
        ssl.setSSLParameters(parameters);
        ssl.startHandshake();
        return ssl;
    }

    /**
     * A TLS failure another attempt would meet again: a certificate refused, by either side (an
     * alert, or a certificate that does not check out here), rather than a connection cut.
     */
    static boolean refusedByTls(SSLException e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof CertificateException || cause instanceof CertPathValidatorException
                    || String.valueOf(cause.getMessage()).contains("alert")) {
                return true;
            }
        }
        return false;
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
            throws UnavailableException, RefusedException, BadReplyException {
        send(request);
        return receive(expected);
    }

    /**
     * Sends a request whose reply may take as long as the draw does (the other agencies may still
     * be sending), and waits for it without the reply timeout.
     */
    public <T extends Message> T requestWaitingForTheDraw(Message request, Class<T> expected)
            throws UnavailableException, RefusedException, BadReplyException {
        try {
            socket.setSoTimeout(0);
        } catch (IOException e) {
            throw new UnavailableException(String.valueOf(e.getMessage()), e);
        }
        return request(request, expected);
    }

    /** Sends a request without waiting for its reply. */
    public void send(Message request) throws UnavailableException {
        try {
            writer.write(request);
        } catch (IOException e) {
            throw new UnavailableException(String.valueOf(e.getMessage()), e);
        }
    }

    /** Waits for the reply to the oldest request not answered yet, which must be of type {@code expected}. */
    public <T extends Message> T receive(Class<T> expected)
            throws UnavailableException, RefusedException, BadReplyException {
        Message reply = read(expected.getSimpleName());
        if (expected.isInstance(reply)) {
            return expected.cast(reply);
        }
        if (reply instanceof Busy busy) {
            throw new UnavailableException("the central is busy: " + busy.reason(), null);
        }
        if (reply instanceof ProtocolError error) {
            throw refusal(error.code(), error.reason());
        }
        if (reply instanceof BatchRejected rejected) {
            throw refusal(rejected.code(), rejected.reason());
        }
        throw new BadReplyException(reply.messageName() + ": the central answered this instead of "
                + expected.getSimpleName(), null);
    }

    /** "Unavailable" (shutting down, or it could not store now, say a full disk) is worth another attempt, like "busy". */
    private static RefusedException refusal(ErrorCode code, String reason) throws UnavailableException {
        if (code == ErrorCode.SERVER_UNAVAILABLE) {
            throw new UnavailableException("the central is busy: " + reason, null);
        }
        return new RefusedException(code, reason);
    }

    private Message read(String awaited) throws UnavailableException, BadReplyException, RefusedException {
        Message reply;
        try {
            reply = reader.read();
        } catch (SocketTimeoutException e) {
            throw new UnavailableException("the central sent no " + awaited + " within " + replyTimeoutMillis + " ms", e);
        } catch (TruncatedFrameException e) {
            // The stream ended inside the reply: the connection dropped (say, the central crashed
            // while writing), worth another attempt like a drop between frames.
            throw new UnavailableException("the central closed the connection in the middle of " + awaited + ": "
                    + e.getMessage(), e);
        } catch (ProtocolException e) {
            throw new BadReplyException(e.getMessage(), e);
        } catch (SSLException e) {
            if (refusedByTls(e)) {
                // TLS 1.3: the central's refusal of this agency's certificate comes after the handshake.
                throw new RefusedException(ErrorCode.AUTHENTICATION_REQUIRED, "the central refused this agency's TLS"
                        + " certificate: " + e.getMessage());
            }
            throw new UnavailableException(String.valueOf(e.getMessage()), e);
        } catch (IOException e) {
            throw new UnavailableException(String.valueOf(e.getMessage()), e);
        }
        if (reply == null) {
            throw new UnavailableException("the central closed the connection while " + awaited + " was awaited", null);
        }
        return reply;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // the connection failed already; that failure is the one reported
        }
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
