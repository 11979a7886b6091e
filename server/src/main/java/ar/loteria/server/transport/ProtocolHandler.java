package ar.loteria.server.transport;

import ar.loteria.common.LogLine;
import ar.loteria.common.tls.TlsMaterial;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.ErrorCode;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import ar.loteria.server.service.LotteryService;
import ar.loteria.server.service.Refusal;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslHandshakeCompletionEvent;
import io.netty.handler.timeout.IdleStateEvent;
import java.nio.channels.ClosedChannelException;
import java.security.cert.X509Certificate;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;
import java.util.function.Supplier;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import javax.net.ssl.SSLSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The protocol on one connection, last in its pipeline. Its {@link Requests} map each message to
 * a call of the {@link LotteryService} and each outcome to a reply and a log line; this class
 * makes the calls on the worker pool (never on the event loop), writes the replies, and owns the
 * rest of what is about the connection: its peer, that a refusal closes it, its timeouts, and
 * what the peer is told of a frame the codecs refused.
 *
 * <p>One request at a time: the channel reads only when asked ({@code autoRead} off) and the
 * {@code FlowControlHandler} before this hands on one message per {@code read()}, so a fast peer
 * cannot queue unbounded work. A winners request that waits for the draw holds no thread; meanwhile
 * one read is asked for, so that a waiter that leaves is noticed at once (and stops counting
 * against the connection limit). Every field is touched only on this channel's event loop.
 */
final class ProtocolHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ProtocolHandler.class);

    private final LotteryService service;
    private final Executor workers;
    private final DrawWaiters drawWaiters;
    /** Agencies must speak TLS with their certificate: a plain connection may only Echo. */
    private final boolean tlsRequired;
    /** The agency the peer's certificate names, once its TLS handshake succeeded; 0 before (or plain). */
    private int certifiedAgency;
    private ChannelHandlerContext ctx;
    private String peer;
    private Requests requests;
    /** A request is with the service (or waits for the draw). */
    private boolean inFlight;
    /** A reply is being written: the peer must read it for the connection to go on. */
    private boolean writing;
    /** A refusal or an error reply was sent: nothing more is handled. */
    private boolean closing;
    /** A request that came while one waited for the draw: handled after it. */
    private Message held;
    /** The request in flight waits for the draw, and the connection reads meanwhile. */
    private boolean readingWhileWaiting;
    /** The answer the connection waits for (the draw's), and for which agency; null when it waits for none. */
    private CompletableFuture<?> drawAnswer;
    private int drawAgency;

    ProtocolHandler(LotteryService service, Executor workers, boolean tlsRequired, DrawWaiters drawWaiters) {
        this.service = service;
        this.workers = workers;
        this.tlsRequired = tlsRequired;
        this.drawWaiters = drawWaiters;
    }

    /**
     * Who the peer is: {@code 0} on a plain connection where TLS is required (it may only Echo),
     * the agency its certificate names (-1: none) on a TLS one, or null when TLS is off (anyone
     * may say which agency it is).
     */
    Integer certifiedAgency() {
        return tlsRequired ? certifiedAgency : null;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext context) {
        ctx = context;
        peer = Peers.address(context.channel());
        requests = new Requests(service, this, peer);
    }

    @Override
    public void channelActive(ChannelHandlerContext context) throws Exception {
        LogLine.success("conexion").with("ip", peer).debug(log);
        context.read();
        super.channelActive(context);
    }

    @Override
    public void channelRead(ChannelHandlerContext context, Object msg) {
        if (closing) {
            return;
        }
        if (inFlight) {
            held = (Message) msg; // a read is asked for during a request only while it waits for the draw
            return;
        }
        handle((Message) msg);
    }

    private void handle(Message request) {
        inFlight = true;
        requests.handle(request);
    }

    /**
     * A read that brought no whole request (part of a frame, or nothing): the one read asked for is
     * spent (FlowControlHandler counts reads, not messages), so read on while a request is awaited.
     */
    @Override
    public void channelReadComplete(ChannelHandlerContext context) {
        if (!closing && (!inFlight || readingWhileWaiting && held == null)) {
            context.read();
        }
    }

    /**
     * Makes a service call on the worker pool; its outcome is handled on this channel's event loop.
     * A failure of the call, thrown or completed exceptionally, ends in {@link #internalError}.
     */
    <T> void call(Supplier<T> call, Consumer<T> then) {
        CompletableFuture<T> outcome;
        try {
            outcome = CompletableFuture.supplyAsync(call, workers);
        } catch (RejectedExecutionException e) {
            // The pool stopped (SIGTERM): no failure, the agency tries again later, maybe elsewhere.
            LogLine.success("conexion_cerrada").with("ip", peer).with("reason", "shutting_down").info(log);
            refuseWith(new ProtocolError(ErrorCode.SERVER_UNAVAILABLE, "the central is shutting down"));
            return;
        }
        whenDone(outcome, then);
    }

    /** Handles {@code future}'s value on this channel's event loop; its failure ends in {@link #internalError}. */
    <T> void whenDone(CompletableFuture<T> future, Consumer<T> then) {
        future.whenComplete((value, failure) -> ctx.executor().execute(() -> {
            try {
                if (failure instanceof CancellationException && !ctx.channel().isActive()) {
                    return; // a wait given up when the connection closed (channelInactive)
                }
                if (failure != null) {
                    internalError(failure);
                } else {
                    then.accept(value);
                }
            } catch (RuntimeException e) {
                internalError(e);
            }
        }));
    }

    /**
     * The request waits for the draw's {@code answer} for {@code agency}, then {@code then}. Meanwhile
     * one read, so that a peer that leaves is noticed; an older connection of the agency that
     * waits is let go; and should this one close first, its wait is given up, so that the draw's
     * future, which lives until the draw, keeps nothing of the connection.
     */
    <T> void awaitDraw(int agency, CompletableFuture<T> answer, Consumer<T> then) {
        readingWhileWaiting = true;
        ctx.read(); // runs before the reply, which is queued on this event loop after it
        drawAnswer = answer;
        drawAgency = agency;
        drawWaiters.waiting(agency, this);
        whenDone(answer, value -> {
            stopWaiting();
            then.accept(value);
        });
    }

    private void stopWaiting() {
        if (drawAnswer != null) {
            drawWaiters.done(drawAgency, this);
            drawAnswer = null;
        }
    }

    /** A newer connection of the agency waits for the draw: this one is let go (called from any thread). */
    void replacedByNewerWaiter(int agency) {
        ctx.executor().execute(() -> {
            if (drawAnswer == null || !ctx.channel().isActive()) {
                return;
            }
            LogLine.success("conexion_cerrada").with("ip", peer).with("reason", "replaced")
                    .with("detail", "agency " + agency + " waits for the draw on a newer connection").info(log);
            ctx.close();
        });
    }

    /** A request failed inside the central (a bug, or the storage gave way): the peer is told so, and let go. */
    private void internalError(Throwable failure) {
        Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause() : failure;
        LogLine.fail("request").with("ip", peer).with("error", cause).error(log);
        refuseWith(new ProtocolError(ErrorCode.SERVER_UNAVAILABLE, "internal error: " + cause));
    }

    /** Logs {@code line} with the peer and the refusal's reason, sends it as a ProtocolError, and closes. */
    void refuse(LogLine line, Refusal refusal) {
        line.with("ip", peer).with("error", refusal.reason()).warn(log);
        refuseWith(new ProtocolError(refusal.code(), refusal.reason()));
    }

    /** Sends a refusal (a ProtocolError or a BatchRejected), then closes the connection; nothing more is handled. */
    void refuseWith(Message refusal) {
        replyAndClose(refusal);
    }

    /** Writes a last reply, then closes the connection; nothing more is handled (not a refusal: nothing is logged). */
    void replyAndClose(Message reply) {
        closing = true;
        held = null;
        send(reply, true, null);
    }

    /** Writes a reply and goes on to the next request once it is written, after {@code onSent} (may be null). */
    void reply(Message reply, Runnable onSent) {
        send(reply, false, onSent);
    }

    private void send(Message reply, boolean closeAfter, Runnable onSent) {
        if (!ctx.channel().isActive()) {
            return;
        }
        writing = true;
        ctx.writeAndFlush(reply).addListener((ChannelFutureListener) written -> {
            writing = false;
            if (!written.isSuccess()) {
                LogLine.success("conexion_cerrada").with("ip", peer).with("reason", "reply_not_delivered")
                        .with("detail", written.cause()).info(log);
                ctx.close();
                return;
            }
            if (onSent != null) {
                onSent.run();
            }
            inFlight = false;
            readingWhileWaiting = false;
            if (closeAfter) {
                ctx.close();
            } else if (held != null) {
                Message next = held;
                held = null;
                handle(next);
            } else {
                ctx.read();
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext context, Object event) throws Exception {
        // Idle: nothing read or written for the idle timeout. Waiting for the service (or the draw)
        // does not count; a reply the peer does not read does.
        if (event instanceof IdleStateEvent && (writing || !inFlight)) {
            LogLine.success("conexion_cerrada").with("ip", peer).with("reason", "idle_timeout").info(log);
            context.close();
        } else if (event instanceof SslHandshakeCompletionEvent handshake) {
            tlsHandshake(context, handshake);
        } else if (event instanceof FrameSplitter.FrameTimeoutEvent) {
            LogLine.fail("conexion_cerrada").with("ip", peer).with("reason", "frame_timeout")
                    .with("error", "a frame took longer than the frame timeout").warn(log);
            context.close();
        } else {
            super.userEventTriggered(context, event);
        }
    }

    /** The peer's identity is its certificate: the agency it names. A failed handshake is said once; Netty closes. */
    private void tlsHandshake(ChannelHandlerContext context, SslHandshakeCompletionEvent handshake) {
        if (!handshake.isSuccess()) {
            closing = true;
            if (handshake.cause() instanceof ClosedChannelException) {
                // Closed before the handshake ended (by the peer, or by this central stopping): no
                // peer was refused, so it is a closed connection, not a TLS failure.
                LogLine.success("conexion_cerrada").with("ip", peer).with("reason", "closed_during_tls_handshake")
                        .info(log);
                return;
            }
            LogLine.fail("tls").with("ip", peer).with("error", "handshake failed: " + handshake.cause().getMessage())
                    .warn(log);
            return;
        }
        try {
            SSLSession session = context.pipeline().get(SslHandler.class).engine().getSession();
            certifiedAgency = TlsMaterial.agencyOf((X509Certificate) session.getPeerCertificates()[0]);
            LogLine.success("tls").with("ip", peer).with("agency", certifiedAgency)
                    .with("certificate", session.getPeerPrincipal().getName()).debug(log);
        } catch (SSLPeerUnverifiedException e) {
            certifiedAgency = -1; // cannot happen with a client certificate required: no identity, then
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof SSLException) {
            // A TLS record that could not be read (the handshake's failure is said by its event).
            context.close();
            return;
        }
        if (!(cause instanceof DecoderException && cause.getCause() instanceof ProtocolException e)) {
            // The peer reset the connection, or the like: nothing to answer.
            LogLine.success("conexion_cerrada").with("ip", peer).with("reason", "peer_error")
                    .with("detail", cause.getMessage()).info(log);
            context.close();
            return;
        }
        if (closing) {
            return;
        }
        closing = true;
        held = null;
        LogLine.fail("protocol_error").with("ip", peer).with("error", e.getMessage()).warn(log);
        if (BetBatch.NAME.equals(e.messageName())) {
            // The contract's line for a rejected batch, also when the frame itself is refused.
            LogLine.fail("apuesta_recibida").with("ip", peer).with("error", e.getMessage()).info(log);
        }
        context.writeAndFlush(new ProtocolError(errorCode(e.kind()), e.getMessage()))
                .addListener(ChannelFutureListener.CLOSE);
    }

    /** What a peer is told of a frame the codecs refused: the IDL's code of the same name. */
    static ErrorCode errorCode(ProtocolException.Kind kind) {
        return switch (kind) {
            case FRAME_TOO_LARGE -> ErrorCode.FRAME_TOO_LARGE;
            case UNKNOWN_OPCODE -> ErrorCode.UNKNOWN_OPCODE;
            case MALFORMED_FIELD -> ErrorCode.MALFORMED_FIELD;
            case TRAILING_BYTES -> ErrorCode.TRAILING_BYTES;
            case TRUNCATED_FRAME -> ErrorCode.TRUNCATED_FRAME;
        };
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) throws Exception {
        CompletableFuture<?> abandoned = drawAnswer;
        stopWaiting();
        if (abandoned != null) {
            abandoned.cancel(false); // its callback, and with it this connection, leave the draw's future
        }
        LogLine.success("conexion_cerrada").with("ip", peer).debug(log);
        super.channelInactive(context);
    }
}
