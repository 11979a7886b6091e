package ar.loteria.server.transport;

import ar.loteria.common.LogLine;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.server.service.LotteryService;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.group.ChannelGroup;
import io.netty.channel.group.DefaultChannelGroup;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.flow.FlowControlHandler;
import io.netty.handler.ssl.OptionalSslHandler;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.timeout.IdleStateHandler;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.GlobalEventExecutor;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transport: Netty event loops do the socket I/O and the framing; a bounded
 * {@link ThreadPoolExecutor} runs the service (validation and storage), so disk I/O never
 * blocks an event loop. The pipeline of a connection (reading only when asked, autoRead off):
 * <pre>
 *   ConnectionLimiter -> [OptionalSslHandler, which becomes an SslHandler or goes] -> IdleStateHandler
 *     -> FrameSplitter -> MessageDecoder -> FrameEncoder -> FlowControlHandler -> ProtocolHandler
 * </pre>
 * No connection holds a thread while it is idle, slow, or waiting for the draw.
 */
public final class LotteryServer {
    private static final Logger log = LoggerFactory.getLogger(LotteryServer.class);

    /** Transport settings; their defaults are documented with the server's settings. */
    /** {@code tls}: mutual TLS for agencies (plain connections may only Echo), or null for plain TCP. */
    public record Settings(String bindAddress, int port, int backlog, int maxFrameBytes, long frameTimeoutMillis,
                           long idleTimeoutMillis, int maxConnections, int workerThreads, long shutdownGraceMillis,
                           SslContext tls) {
    }

    private final Settings settings;
    private final LotteryService service;
    private final EventLoopGroup acceptor = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("acceptor"),
            NioIoHandler.newFactory());
    private final EventLoopGroup io = new MultiThreadIoEventLoopGroup(0, new DefaultThreadFactory("io"),
            NioIoHandler.newFactory());
    private final ThreadPoolExecutor workers;
    private final ChannelGroup connections = new DefaultChannelGroup(GlobalEventExecutor.INSTANCE);
    private Channel listener;

    public LotteryServer(Settings settings, LotteryService service) {
        this.settings = settings;
        this.service = service;
        // One request per connection is in flight, so the queue never needs more room than the connections.
        this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 0, TimeUnit.SECONDS,
                new ArrayBlockingQueue<>(settings.maxConnections()), new DefaultThreadFactory("worker"));
    }

    /**
     * Binds and starts accepting; returns the bound port (the configured one, or the one chosen for 0).
     * When it cannot bind, every thread it started is stopped (they would keep the JVM alive) and
     * the reason is an IOException naming the address.
     */
    public int start() throws IOException, InterruptedException {
        try {
            return bind();
        } catch (Exception e) { // Netty rethrows the bind's checked exceptions undeclared
            workers.shutdownNow();
            io.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            acceptor.shutdownGracefully(0, 0, TimeUnit.MILLISECONDS);
            if (e instanceof InterruptedException interrupted) {
                throw interrupted;
            }
            String reason = e instanceof UnresolvedAddressException ? "the address does not resolve" : e.getMessage();
            throw new IOException("cannot listen on " + settings.bindAddress() + ":" + settings.port() + ": " + reason, e);
        }
    }

    private int bind() throws InterruptedException {
        FrameCodec codec = new FrameCodec(LoteriaProtocol.INSTANCE, settings.maxFrameBytes());
        ConnectionLimiter limiter = new ConnectionLimiter(settings.maxConnections(), codec);
        MessageDecoder decoder = new MessageDecoder(codec);
        FrameEncoder encoder = new FrameEncoder(codec);
        DrawWaiters drawWaiters = new DrawWaiters();
        listener = new ServerBootstrap()
                .group(acceptor, io)
                .channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, effectiveBacklog(settings))
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.AUTO_READ, false)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        connections.add(channel);
                        channel.pipeline().addLast(limiter);
                        if (settings.tls() != null) {
                            // TLS or not, told by the first bytes: the course's echo check stays plain.
                            channel.pipeline().addLast(new OptionalSslHandler(settings.tls()));
                            undecidedDeadline(channel);
                        }
                        if (settings.idleTimeoutMillis() > 0) {
                            channel.pipeline().addLast(new IdleStateHandler(0, 0, settings.idleTimeoutMillis(),
                                    TimeUnit.MILLISECONDS));
                        }
                        channel.pipeline().addLast(new FrameSplitter(codec, settings.frameTimeoutMillis()), decoder,
                                encoder, new FlowControlHandler(), new ProtocolHandler(service, workers, settings.tls() != null,
                                        drawWaiters));
                    }
                })
                .bind(new InetSocketAddress(settings.bindAddress(), settings.port()))
                .sync()
                .channel();
        return ((InetSocketAddress) listener.localAddress()).getPort();
    }

    /**
     * Until its first 5 bytes tell TLS from a plain frame, a connection's bytes are held by the
     * detector, where no frame deadline sees them: one that has not told by the frame timeout (it
     * said nothing, or fewer than 5 bytes) is closed, rather than holding a connection slot until
     * the idle timeout (or, with none, for ever). The detector leaves the pipeline once it knows.
     */
    private void undecidedDeadline(SocketChannel channel) {
        if (settings.frameTimeoutMillis() <= 0) {
            return;
        }
        channel.eventLoop().schedule(() -> {
            if (channel.isActive() && channel.pipeline().get(OptionalSslHandler.class) != null) {
                LogLine.fail("conexion_cerrada").with("ip", Peers.address(channel)).with("reason", "frame_timeout")
                        .with("error", "neither TLS nor a frame within the frame timeout (fewer than 5 bytes)").warn(log);
                channel.close();
            }
        }, settings.frameTimeoutMillis(), TimeUnit.MILLISECONDS);
    }

    /**
     * The listen backlog asked of the kernel: the configured one, but never below the connection
     * limit. A connection that finds the kernel's queue full is not refused: its SYN is dropped
     * and retried a second later, so a burst of connections would stall a second each. The
     * central's own admission limit, with its "busy" answer, is maxConnections.
     */
    public static int effectiveBacklog(Settings settings) {
        return Math.max(settings.backlog(), settings.maxConnections());
    }

    /**
     * Graceful stop: no new connections; open ones stop reading, so a request being handled is
     * still answered; the pool drains within the grace period, then is cut; every connection is
     * closed; the event loops end. Each resource closed is logged.
     */
    public void shutdown() throws InterruptedException {
        listener.close().sync();
        LogLine.success("close_resource").with("resource", "listener_socket")
                .with("port", ((InetSocketAddress) listener.localAddress()).getPort()).info(log);
        workers.shutdown();
        boolean drained = workers.awaitTermination(settings.shutdownGraceMillis(), TimeUnit.MILLISECONDS);
        if (!drained) {
            workers.shutdownNow();
            workers.awaitTermination(settings.shutdownGraceMillis(), TimeUnit.MILLISECONDS);
        }
        LogLine.success("close_resource").with("resource", "worker_pool").with("drained", drained).info(log);
        int open = connections.size();
        connections.close().await(settings.shutdownGraceMillis());
        LogLine.success("close_resource").with("resource", "client_sockets").with("count", open).info(log);
        io.shutdownGracefully(0, settings.shutdownGraceMillis(), TimeUnit.MILLISECONDS);
        acceptor.shutdownGracefully(0, settings.shutdownGraceMillis(), TimeUnit.MILLISECONDS);
        io.terminationFuture().await(settings.shutdownGraceMillis());
        acceptor.terminationFuture().await(settings.shutdownGraceMillis());
        LogLine.success("close_resource").with("resource", "event_loops").info(log);
    }
}
