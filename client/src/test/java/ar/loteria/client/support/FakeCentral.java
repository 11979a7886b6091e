package ar.loteria.client.support;

import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.FrameReader;
import ar.loteria.protocol.runtime.FrameWriter;
import ar.loteria.protocol.runtime.Message;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * A central for tests: accepts connections one after another, records every frame it reads
 * (with its raw length on the wire) and answers BetBatch with BatchAck(agency, size), Finished
 * with FinishedAck and WinnersRequest with Winners(agency, the configured documents).
 */
public final class FakeCentral implements AutoCloseable {
    /** A frame as received: the decoded message and how many bytes it took on the wire. */
    public record Received(Message message, long wireBytes) {
    }

    private final ServerSocket server;
    private final List<String> winners;
    private final List<Received> received = Collections.synchronizedList(new ArrayList<>());
    private final List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
    private final Thread acceptor;
    private volatile int rejectBatch = -1;
    private volatile String rejectReason;

    private FakeCentral(ServerSocket server, List<String> winners) {
        this.server = server;
        this.winners = List.copyOf(winners);
        this.acceptor = new Thread(this::acceptLoop, "fake-central");
        this.acceptor.setDaemon(true);
        this.acceptor.start();
    }

    /** Listens on an ephemeral port of 127.0.0.1. */
    public static FakeCentral start(List<String> winners) throws IOException {
        return new FakeCentral(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), winners);
    }

    /** Listens on the given port of 127.0.0.1 (for tests that pick the port before the server exists). */
    public static FakeCentral startOn(int port, List<String> winners) throws IOException {
        ServerSocket socket = new ServerSocket();
        socket.setReuseAddress(true);
        socket.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 50);
        return new FakeCentral(socket, winners);
    }

    /** Answers the n-th BetBatch (1-based) with BatchRejected(INVALID_BET, reason) and closes the connection. */
    public FakeCentral rejectingBatch(int n, String reason) {
        this.rejectReason = reason;
        this.rejectBatch = n;
        return this;
    }

    public int port() {
        return server.getLocalPort();
    }

    public String address() {
        return "127.0.0.1:" + port();
    }

    private void acceptLoop() {
        while (!server.isClosed()) {
            try (Socket socket = server.accept()) {
                serve(socket);
            } catch (IOException e) {
                if (!server.isClosed()) {
                    failures.add(e);
                }
            } catch (Throwable e) {
                failures.add(e);
            }
        }
    }

    private void serve(Socket socket) throws Exception {
        CountingInputStream in = new CountingInputStream(socket.getInputStream());
        FrameCodec codec = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 20);
        FrameReader reader = new FrameReader(in, codec);
        FrameWriter writer = new FrameWriter(socket.getOutputStream(), codec);
        while (true) {
            long before = in.count;
            Message message = reader.read();
            if (message == null) {
                return;
            }
            received.add(new Received(message, in.count - before));
            if (message instanceof BetBatch batch) {
                if (batches().size() == rejectBatch) {
                    writer.write(new BatchRejected(ar.loteria.protocol.runtime.ErrorCode.INVALID_BET.wireValue(), rejectReason));
                    return;
                }
                writer.write(new BatchAck(batch.agency(), batch.bets().size()));
            } else if (message instanceof Finished finished) {
                writer.write(new FinishedAck(finished.agency()));
            } else if (message instanceof WinnersRequest request) {
                writer.write(new Winners(request.agency(), winners));
            } else {
                throw new IllegalStateException("unexpected message " + message.messageName());
            }
        }
    }

    /** Every frame received so far, in order. */
    public List<Received> received() {
        synchronized (received) {
            return new ArrayList<>(received);
        }
    }

    public List<Message> messages() {
        return received().stream().map(Received::message).toList();
    }

    public List<BetBatch> batches() {
        return messages().stream().filter(BetBatch.class::isInstance).map(BetBatch.class::cast).toList();
    }

    /** Raw frame lengths of the BetBatch frames, in order. */
    public List<Long> batchFrameBytes() {
        return received().stream().filter(r -> r.message() instanceof BetBatch).map(Received::wireBytes).toList();
    }

    public List<Bet> bets() {
        return batches().stream().flatMap(b -> b.bets().stream()).toList();
    }

    /** Failures of the server thread (an unexpected frame, a decoding error...). */
    public List<Throwable> failures() {
        synchronized (failures) {
            return new ArrayList<>(failures);
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        acceptor.join(5_000);
    }

    /** Counts the bytes handed to the FrameReader, which reads exactly a header then a body. */
    private static final class CountingInputStream extends FilterInputStream {
        volatile long count;

        CountingInputStream(InputStream in) {
            super(in);
        }

        @Override
        public int read() throws IOException {
            int b = super.read();
            if (b >= 0) {
                count++;
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = super.read(buffer, offset, length);
            if (n > 0) {
                count += n;
            }
            return n;
        }
    }
}
