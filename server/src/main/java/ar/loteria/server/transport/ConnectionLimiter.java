package ar.loteria.server.transport;

import ar.loteria.common.LogLine;
import ar.loteria.protocol.Busy;
import ar.loteria.protocol.runtime.FrameCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * First in every pipeline: counts open connections, and answers a connection beyond
 * {@code maxConnections} with "busy, retry later" and closes it before anything else sees it.
 */
@ChannelHandler.Sharable
final class ConnectionLimiter extends ChannelInboundHandlerAdapter {
    private static final Logger log = LoggerFactory.getLogger(ConnectionLimiter.class);

    private final int maxConnections;
    private final AtomicInteger open = new AtomicInteger();
    private final ByteBuf busyFrame;

    ConnectionLimiter(int maxConnections, FrameCodec codec) {
        this.maxConnections = maxConnections;
        this.busyFrame = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(codec.encode(
                new Busy("the central has " + maxConnections + " connections open; try again later"))));
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) throws Exception {
        if (open.incrementAndGet() > maxConnections) {
            LogLine.fail("conexion").with("ip", Peers.address(ctx.channel()))
                    .with("error", "busy: " + (open.get() - 1) + " connections open, the limit is " + maxConnections)
                    .warn(log);
            ctx.writeAndFlush(busyFrame.duplicate()).addListener(ChannelFutureListener.CLOSE);
            return;
        }
        super.channelActive(ctx);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) throws Exception {
        open.decrementAndGet();
        super.channelInactive(ctx);
    }
}
