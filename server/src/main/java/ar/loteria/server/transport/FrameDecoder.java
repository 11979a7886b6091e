package ar.loteria.server.transport;

import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Turns bytes into messages with the generated codecs: a frame is refused by its header (unknown
 * opcode, negative length, over the maximum) as soon as its 5 header bytes are in, before its
 * body is buffered; a whole body is decoded strictly.
 *
 * <p>Whole-frame deadline: from a frame's first byte to its last at most {@code deadlineMillis}
 * may pass, or a {@link FrameTimeoutEvent} goes down the pipeline (the handler closes the
 * connection). An idle timer alone cannot stop a peer that trickles one byte at a time, since
 * every byte resets it. Time while this side is not reading does not count against the peer.
 */
final class FrameDecoder extends ByteToMessageDecoder {
    private static final Logger log = LoggerFactory.getLogger(FrameDecoder.class);

    /** A frame began more than the deadline ago and is still not whole. */
    static final class FrameTimeoutEvent {
        static final FrameTimeoutEvent INSTANCE = new FrameTimeoutEvent();
    }

    private final FrameCodec codec;
    private final long deadlineMillis;
    private ScheduledFuture<?> deadline;
    private boolean failed;

    FrameDecoder(FrameCodec codec, long deadlineMillis) {
        this.codec = codec;
        this.deadlineMillis = deadlineMillis;
    }

    /** The peer closed the connection: what it sent of a last frame, if anything, is said (nothing of it is used). */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (in.isReadable() && !failed) {
            log.info("action: conexion_cerrada | result: success | ip: {} | reason: truncated_frame | detail: the peer"
                    + " closed the connection {} byte(s) into a frame", Peers.address(ctx.channel()), in.readableBytes());
            in.skipBytes(in.readableBytes());
        }
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws ProtocolException {
        if (failed) {
            in.skipBytes(in.readableBytes()); // the connection is closing after an error reply
            return;
        }
        if (in.readableBytes() >= FrameCodec.HEADER_SIZE) {
            int opcode = in.getUnsignedByte(in.readerIndex());
            int bodyLength;
            try {
                bodyLength = codec.checkHeader(opcode, in.getInt(in.readerIndex() + 1));
            } catch (ProtocolException e) {
                failed = true;
                throw e;
            }
            if (in.readableBytes() >= FrameCodec.HEADER_SIZE + bodyLength) {
                try {
                    out.add(codec.decodeBody(opcode, body(in, bodyLength)));
                } catch (ProtocolException e) {
                    failed = true;
                    throw e;
                } finally {
                    in.skipBytes(FrameCodec.HEADER_SIZE + bodyLength);
                }
                cancelDeadline();
            }
        }
        if (in.isReadable() && deadline == null && deadlineMillis > 0) {
            deadline = ctx.executor().schedule(() -> expire(ctx), deadlineMillis, TimeUnit.MILLISECONDS);
        }
    }

    /**
     * The body as a heap buffer. Netty reads sockets into direct memory, from which the codecs
     * would copy every string on its own (four per bet); one copy of the whole body lets them
     * read each string straight from the array (docs/performance.md: ~10% of the central's CPU).
     */
    private static ByteBuffer body(ByteBuf in, int bodyLength) {
        int start = in.readerIndex() + FrameCodec.HEADER_SIZE;
        if (in.hasArray()) {
            return in.nioBuffer(start, bodyLength);
        }
        byte[] body = new byte[bodyLength];
        in.getBytes(start, body);
        return ByteBuffer.wrap(body);
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        if (!ctx.channel().config().isAutoRead()) {
            // Waiting for our own reply: the rest of the frame may be unread in the socket.
            deadline = ctx.executor().schedule(() -> expire(ctx), deadlineMillis, TimeUnit.MILLISECONDS);
            return;
        }
        ctx.fireUserEventTriggered(FrameTimeoutEvent.INSTANCE);
    }

    private void cancelDeadline() {
        if (deadline != null) {
            deadline.cancel(false);
            deadline = null;
        }
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelDeadline();
    }
}
