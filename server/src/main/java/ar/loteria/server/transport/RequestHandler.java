package ar.loteria.server.transport;

import ar.loteria.common.LogValues;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.runtime.ErrorCode;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import ar.loteria.server.service.LotteryService;
import ar.loteria.server.service.Reply;
import ar.loteria.server.service.Session;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.timeout.IdleStateEvent;
import java.util.ArrayDeque;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Last in every pipeline: hands each request to the service on the worker pool and writes its
 * reply. One request per connection is in flight at a time: reading stops until it is answered,
 * so a fast peer cannot queue unbounded work (frames already read wait here, in order). A reply
 * that waits for the draw holds no thread: the write happens when the draw's future completes.
 * Meanwhile reading resumes until a frame comes, so that a peer that leaves is noticed at once
 * and its connection closed and no longer counted against the connection limit (otherwise
 * crashed agencies could fill the limit and keep the last agency from finishing the round).
 * Every field is touched only on this channel's event loop.
 */
final class RequestHandler extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(RequestHandler.class);

    private final LotteryService service;
    private final Executor workers;
    private final Queue<Message> pending = new ArrayDeque<>();
    private Session session;
    /** A request is with the service (or waits for the draw): reading stops until it is answered. */
    private boolean inFlight;
    /** A reply is being written: the peer must read it for the connection to go on. */
    private boolean writing;
    /** An error reply or a refusal was sent: nothing more is read or handled. */
    private boolean closing;

    RequestHandler(LotteryService service, Executor workers) {
        this.service = service;
        this.workers = workers;
    }

    @Override
    public void handlerAdded(ChannelHandlerContext ctx) {
        session = new Session(Peers.address(ctx.channel()));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        log.debug("action: conexion | result: success | ip: {}", session.peer());
        super.channelActive(ctx);
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        pending.add((Message) msg);
        if (!inFlight) {
            dispatchNext(ctx);
        } else {
            ctx.channel().config().setAutoRead(false); // it was reading while a reply waits for the draw
        }
    }

    private void dispatchNext(ChannelHandlerContext ctx) {
        Message request = pending.poll();
        if (request == null || closing) {
            ctx.channel().config().setAutoRead(!closing); // every frame read is answered: read again
            return;
        }
        inFlight = true;
        ctx.channel().config().setAutoRead(false);
        try {
            workers.execute(() -> {
                CompletableFuture<Reply> answer = service.handle(request, session);
                if (!answer.isDone()) {
                    // Runs on the event loop before the reply's send, which is queued after it.
                    ctx.executor().execute(() -> ctx.channel().config().setAutoRead(!closing && pending.isEmpty()));
                }
                answer.whenComplete((reply, failure) ->
                        ctx.executor().execute(() -> send(ctx, reply != null ? reply : unexpected(failure))));
            });
        } catch (RejectedExecutionException e) {
            send(ctx, Reply.error(ErrorCode.SERVER_UNAVAILABLE, "the central is shutting down"));
        }
    }

    private Reply unexpected(Throwable failure) {
        log.error("action: request | result: fail | ip: {} | error: {}", session.peer(), LogValues.clean(failure));
        return Reply.error(ErrorCode.SERVER_UNAVAILABLE, "internal error: " + failure);
    }

    private void send(ChannelHandlerContext ctx, Reply reply) {
        if (!ctx.channel().isActive()) {
            return;
        }
        writing = true;
        ctx.writeAndFlush(reply.message()).addListener((ChannelFutureListener) written -> {
            writing = false;
            if (!written.isSuccess()) {
                log.info("action: conexion_cerrada | result: success | ip: {} | reason: reply_not_delivered | detail: {}",
                        session.peer(), LogValues.clean(written.cause()));
                ctx.close();
                return;
            }
            reply.onSent().run();
            inFlight = false;
            if (reply.closeAfter()) {
                closing = true;
                ctx.close();
            } else {
                dispatchNext(ctx);
            }
        });
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) throws Exception {
        // Idle: nothing read or written for the idle timeout. Waiting for the service (or the draw)
        // does not count; a reply the peer does not read does.
        boolean waitingForThePeer = writing || (!inFlight && pending.isEmpty());
        if (event instanceof IdleStateEvent && waitingForThePeer) {
            log.info("action: conexion_cerrada | result: success | ip: {} | reason: idle_timeout", session.peer());
            ctx.close();
        } else if (event instanceof FrameDecoder.FrameTimeoutEvent) {
            log.warn("action: conexion_cerrada | result: fail | ip: {} | reason: frame_timeout"
                    + " | error: a frame took longer than the frame timeout", session.peer());
            ctx.close();
        } else {
            super.userEventTriggered(ctx, event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        if (cause instanceof DecoderException && cause.getCause() instanceof ProtocolException e) {
            log.warn("action: protocol_error | result: fail | ip: {} | error: {}", session.peer(),
                    LogValues.clean(e.getMessage()));
            if (BetBatch.class.getSimpleName().equals(e.messageName())) {
                // The contract's line for a rejected batch, also when the frame itself is refused.
                log.info("action: apuesta_recibida | result: fail | ip: {} | error: {}", session.peer(),
                        LogValues.clean(e.getMessage()));
            }
            closing = true;
            pending.clear();
            ctx.writeAndFlush(new ProtocolError(e.code().wireValue(), e.getMessage()))
                    .addListener(ChannelFutureListener.CLOSE);
            return;
        }
        // The peer reset the connection, or the like: nothing to answer.
        log.info("action: conexion_cerrada | result: success | ip: {} | reason: peer_error | detail: {}", session.peer(),
                LogValues.clean(cause.getMessage()));
        ctx.close();
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        log.debug("action: conexion_cerrada | result: success | ip: {}", session.peer());
        super.channelInactive(ctx);
    }
}
