package ar.loteria.server.transport;

import ar.loteria.common.LogLine;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.ProtocolException;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOutboundHandler;
import io.netty.channel.ChannelPromise;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.codec.LengthFieldBasedFrameDecoder;
import java.net.SocketAddress;
import java.nio.ByteOrder;
import java.util.List;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Netty's {@link LengthFieldBasedFrameDecoder} on the protocol's frame ({@code opcode} | {@code
 * length} | body): each whole frame goes on, header included. Its header is checked by the
 * generated codecs as soon as its 5 bytes are in (unknown opcode, negative length, over the
 * maximum), before the body is buffered.
 *
 * <p>Whole-frame deadline, which Netty's handlers lack (an idle or read timeout is reset by every
 * byte of a trickling peer): from a frame's first byte to its last at most {@code deadlineMillis},
 * counted only while this side reads (it watches the {@code read()} requests going out, which is
 * why it is also an outbound handler); then a {@link FrameTimeoutEvent} goes down the pipeline.
 */
final class FrameSplitter extends LengthFieldBasedFrameDecoder implements ChannelOutboundHandler {
    private static final Logger log = LoggerFactory.getLogger(FrameSplitter.class);

    /** A frame began more than the deadline ago, while this side was reading, and is still not whole. */
    static final class FrameTimeoutEvent {
        static final FrameTimeoutEvent INSTANCE = new FrameTimeoutEvent();
    }

    private final FrameCodec codec;
    private final long deadlineMillis;
    private ScheduledFuture<?> deadline;
    /** A read was asked for and its bytes have not all been handed on yet: waiting for the peer. */
    private boolean reading;
    /** A header was refused: what else comes is dropped (the connection is closing after the error reply). */
    private boolean failed;

    FrameSplitter(FrameCodec codec, long deadlineMillis) {
        super(codec.maxFrameBytes(), 1, 4, 0, 0, true);
        this.codec = codec;
        this.deadlineMillis = deadlineMillis;
    }

    /** The length field, once the 5 header bytes are in: the codecs check the whole header here. */
    @Override
    protected long getUnadjustedFrameLength(ByteBuf buf, int offset, int length, ByteOrder order) {
        try {
            return codec.checkHeader(buf.getUnsignedByte(offset - 1), buf.getInt(offset));
        } catch (ProtocolException e) {
            failed = true;
            throw new DecoderException(e);
        }
    }

    @Override
    protected Object decode(ChannelHandlerContext ctx, ByteBuf in) throws Exception {
        if (failed) {
            in.skipBytes(in.readableBytes());
            return null;
        }
        Object frame = super.decode(ctx, in);
        if (frame != null) {
            cancelDeadline();
        } else if (in.isReadable() && deadline == null && deadlineMillis > 0) {
            deadline = ctx.executor().schedule(() -> expire(ctx), deadlineMillis, TimeUnit.MILLISECONDS);
        }
        return frame;
    }

    /** The peer closed the connection: what it sent of a last frame, if anything, is said (nothing of it is used). */
    @Override
    protected void decodeLast(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) throws Exception {
        super.decodeLast(ctx, in, out);
        if (in.isReadable() && !failed) {
            LogLine.success("conexion_cerrada").with("ip", Peers.address(ctx.channel())).with("reason", "truncated_frame")
                    .with("detail", "the peer closed the connection " + in.readableBytes() + " byte(s) into a frame")
                    .info(log);
            in.skipBytes(in.readableBytes());
        }
    }

    private void expire(ChannelHandlerContext ctx) {
        deadline = null;
        if (!reading) {
            // Busy with our own reply: the rest of the frame may be unread in the socket.
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
    public void channelReadComplete(ChannelHandlerContext ctx) throws Exception {
        reading = false;
        super.channelReadComplete(ctx);
    }

    @Override
    protected void handlerRemoved0(ChannelHandlerContext ctx) {
        cancelDeadline();
    }

    @Override
    public void read(ChannelHandlerContext ctx) {
        reading = true;
        ctx.read();
    }

    // The other outbound operations pass through.

    @Override
    public void bind(ChannelHandlerContext ctx, SocketAddress localAddress, ChannelPromise promise) {
        ctx.bind(localAddress, promise);
    }

    @Override
    public void connect(ChannelHandlerContext ctx, SocketAddress remote, SocketAddress local, ChannelPromise promise) {
        ctx.connect(remote, local, promise);
    }

    @Override
    public void disconnect(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.disconnect(promise);
    }

    @Override
    public void close(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.close(promise);
    }

    @Override
    public void deregister(ChannelHandlerContext ctx, ChannelPromise promise) {
        ctx.deregister(promise);
    }

    @Override
    public void write(ChannelHandlerContext ctx, Object msg, ChannelPromise promise) {
        ctx.write(msg, promise);
    }

    @Override
    public void flush(ChannelHandlerContext ctx) {
        ctx.flush();
    }
}
