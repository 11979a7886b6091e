package ar.loteria.server.transport;

import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.FrameReader;
import ar.loteria.protocol.runtime.FrameWriter;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import ar.loteria.protocol.runtime.TruncatedFrameException;
import ar.loteria.server.service.LogValues;
import ar.loteria.server.service.LotteryService;
import ar.loteria.server.service.Reply;
import ar.loteria.server.service.Session;
import java.io.IOException;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client connection. {@link #serve()} runs on a pool worker and reads, handles and answers
 * frames in order until the peer leaves, an error ends the connection, or a reply is not ready
 * (winners before the draw): then the connection <em>parks</em>, giving its worker back, and is
 * resumed on the pool when the reply completes.
 */
final class Connection {
    private static final Logger log = LoggerFactory.getLogger(Connection.class);

    private final Socket socket;
    private final String peer;
    private final LotteryService service;
    private final Executor workers;
    private final Consumer<Connection> onClose;
    private final FrameReader reader;
    private final FrameWriter writer;
    private final Session session;
    private volatile boolean closed;
    /** Set by the shutdown: the end of the stream is ours, not the peer's. */
    private volatile boolean stopping;

    Connection(Socket socket, FrameCodec codec, LotteryService service, Executor workers,
               Consumer<Connection> onClose)
            throws IOException {
        this.socket = socket;
        this.peer = socket.getInetAddress().getHostAddress();
        this.service = service;
        this.workers = workers;
        this.onClose = onClose;
        this.reader = new FrameReader(socket.getInputStream(), codec);
        this.writer = new FrameWriter(socket.getOutputStream(), codec);
        this.session = new Session(peer);
    }

    String peer() {
        return peer;
    }

    void serve() {
        try {
            while (!closed) {
                Message request = reader.read();
                if (request == null) {
                    log.debug("action: connection_closed | result: success | ip: {}", peer);
                    close();
                    return;
                }
                CompletableFuture<Reply> reply = service.handle(request, session);
                if (!reply.isDone()) {
                    park(reply);
                    return;
                }
                if (!send(reply.join())) {
                    return;
                }
            }
        } catch (SocketTimeoutException e) {
            log.info("action: connection_idle | result: success | ip: {} | detail: closed after the idle timeout", peer);
            close();
        } catch (ProtocolException e) {
            if (stopping && e instanceof TruncatedFrameException) {
                // The shutdown ended the stream under a frame still arriving: a normal close.
                log.info("action: connection_closed | result: success | ip: {} | detail: shutdown while a frame was arriving",
                        peer);
                close();
                return;
            }
            log.warn("action: protocol_error | result: fail | ip: {} | error: {}", peer, LogValues.clean(e.getMessage()));
            send(Reply.refuse(new ProtocolError(e.code().wireValue(), e.getMessage())));
        } catch (IOException e) {
            if (!closed) {
                log.info("action: connection_closed | result: success | ip: {} | detail: {}", peer,
                        LogValues.clean(String.valueOf(e.getMessage())));
            }
            close();
        }
    }

    private void park(CompletableFuture<Reply> reply) {
        reply.whenComplete((ready, failure) -> {
            try {
                workers.execute(() -> {
                    if (send(ready)) {
                        serve();
                    }
                });
            } catch (RejectedExecutionException e) {
                close(); // shutting down
            }
        });
    }

    /** Sends a reply; returns false when the connection is (now) closed. */
    private boolean send(Reply reply) {
        if (closed) {
            return false;
        }
        try {
            writer.write(reply.message());
        } catch (IOException e) {
            log.info("action: connection_closed | result: success | ip: {} | detail: {}", peer,
                    LogValues.clean(String.valueOf(e.getMessage())));
            close();
            return false;
        }
        if (reply.closeAfter()) {
            close();
            return false;
        }
        return true;
    }

    /** Lets in-flight work finish: a blocked read sees end of stream, a reply being written still goes out. */
    void stopReading() {
        stopping = true;
        try {
            socket.shutdownInput();
        } catch (IOException e) {
            // already closed
        }
    }

    void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            socket.close();
        } catch (IOException e) {
            // nothing left to release
        }
        onClose.accept(this);
    }
}
