package ar.loteria.server.transport;

import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.runtime.ErrorCode;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.FrameWriter;
import ar.loteria.server.service.LotteryService;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Transport: the listening socket, an acceptor thread, and a bounded {@link ThreadPoolExecutor}
 * whose workers serve connections. Service logic lives in {@link LotteryService}.
 */
public final class LotteryServer {
    private static final Logger log = LoggerFactory.getLogger(LotteryServer.class);

    /** Settings of the transport; defaults are documented in the README. */
    public record Settings(String bindAddress, int port, int backlog, int workerThreads, int maxPendingConnections,
                           int maxFrameBytes, int idleTimeoutSeconds, long shutdownGraceMillis) {
    }

    private final Settings settings;
    private final LotteryService service;
    private final FrameCodec codec;
    private final Set<Connection> connections = ConcurrentHashMap.newKeySet();
    private final ThreadPoolExecutor workers;
    private ServerSocket listener;
    private Thread acceptor;
    private volatile boolean stopping;

    public LotteryServer(Settings settings, LotteryService service) {
        this.settings = settings;
        this.service = service;
        this.codec = new FrameCodec(LoteriaProtocol.INSTANCE, settings.maxFrameBytes());
        BlockingQueue<Runnable> queue = settings.maxPendingConnections() == 0
                ? new SynchronousQueue<>() : new ArrayBlockingQueue<>(settings.maxPendingConnections());
        this.workers = new ThreadPoolExecutor(settings.workerThreads(), settings.workerThreads(), 0, TimeUnit.SECONDS,
                queue, named("worker"), new ThreadPoolExecutor.AbortPolicy());
    }

    /** Binds and starts accepting; returns the bound port (useful when configured as 0). */
    public int start() throws IOException {
        listener = new ServerSocket();
        listener.setReuseAddress(true);
        listener.bind(new InetSocketAddress(InetAddress.getByName(settings.bindAddress()), settings.port()), settings.backlog());
        acceptor = named("acceptor").newThread(this::acceptLoop);
        acceptor.start();
        return listener.getLocalPort();
    }

    public int port() {
        return listener.getLocalPort();
    }

    private void acceptLoop() {
        while (!stopping) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException e) {
                if (!stopping) {
                    log.error("action: accept | result: fail | error: {}", e.getMessage());
                }
                return;
            }
            admit(socket);
        }
    }

    private void admit(Socket socket) {
        Connection connection;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(settings.idleTimeoutSeconds() * 1000);
            connection = new Connection(socket, codec, service, workers, connections::remove);
        } catch (IOException e) {
            closeQuietly(socket);
            return;
        }
        connections.add(connection);
        log.debug("action: connection_accepted | result: success | ip: {}", connection.peer());
        if (stopping) {
            connection.close();
            return;
        }
        try {
            workers.execute(connection::serve);
        } catch (RejectedExecutionException e) {
            log.warn("action: connection_accepted | result: fail | ip: {} | error: too many pending connections ({} workers, {} queued)",
                    connection.peer(), settings.workerThreads(), settings.maxPendingConnections());
            refuse(socket, "server busy: too many pending connections, try again later");
            connection.close();
        }
    }

    private void refuse(Socket socket, String reason) {
        try {
            new FrameWriter(socket.getOutputStream(), codec)
                    .write(new ProtocolError(ErrorCode.SERVER_UNAVAILABLE.wireValue(), reason));
        } catch (IOException e) {
            // the peer is gone already
        }
    }

    /**
     * Graceful stop: no new connections; connections stop reading, so a batch being handled is
     * still stored and acknowledged; the pool drains within the grace period, then is cut.
     */
    public void shutdown() throws InterruptedException {
        stopping = true;
        closeQuietly(listener);
        log.info("action: close_resource | result: success | resource: listener_socket | port: {}", listener.getLocalPort());
        try {
            acceptor.join(1000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        for (Connection connection : connections) {
            connection.stopReading();
        }
        workers.shutdown();
        boolean drained = workers.awaitTermination(settings.shutdownGraceMillis(), TimeUnit.MILLISECONDS);
        int closed = 0;
        for (Connection connection : Set.copyOf(connections)) {
            connection.close();
            closed++;
        }
        log.info("action: close_resource | result: success | resource: client_sockets | count: {}", closed);
        if (!drained) {
            workers.shutdownNow();
            workers.awaitTermination(1, TimeUnit.SECONDS);
        }
        log.info("action: close_resource | result: success | resource: worker_pool | drained: {}", drained);
    }

    private static ThreadFactory named(String prefix) {
        AtomicInteger counter = new AtomicInteger();
        return runnable -> {
            Thread thread = new Thread(runnable, prefix + "-" + counter.incrementAndGet());
            thread.setDaemon(false);
            return thread;
        };
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            if (closeable != null) {
                closeable.close();
            }
        } catch (Exception e) {
            // closing on the way out
        }
    }
}
