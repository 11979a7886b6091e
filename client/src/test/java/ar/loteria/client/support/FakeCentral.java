package ar.loteria.client.support;

import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.BatchRejected;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.SessionStart;
import ar.loteria.protocol.SessionStarted;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.ErrorCode;
import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.Message;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Predicate;

/**
 * A central for tests on a loopback port. It serves connections one after another, reads each
 * frame whole (header, then exactly the declared body, decoded strictly), records it with its
 * size on the wire and the number of its connection, and by default answers like the real
 * central: SessionStart (with {@link LoteriaProtocol#FINGERPRINT}) gets SessionStarted with the
 * agency's stored count and "finished"; a BetBatch is stored only where the agency's stored bets
 * end (a batch stored already is acknowledged again and counted as a resend; a gap is refused
 * and recorded as a failure); Finished and WinnersRequest as the protocol says. A {@link Script}
 * replaces the answer to chosen messages: busy, errors, dropped connections, lost
 * acknowledgements, replies withheld, raw bytes.
 */
public final class FakeCentral implements AutoCloseable {
    private static final FrameCodec CODEC = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 20);

    /** A frame as received: its connection (1-based), the decoded message and its bytes on the wire. */
    public record Received(int connection, Message message, long wireBytes) {
    }

    /** What to do with a request instead of its default answer. */
    public sealed interface Action {
        /** Answer with this message, then close the connection. */
        record ReplyAndClose(Message message) implements Action {
        }

        /** Close the connection without answering; nothing of the request takes effect. */
        record Drop() implements Action {
        }

        /** Do what the default answer does (store the batch...), then close instead of answering: a lost reply. */
        record ApplyThenDrop() implements Action {
        }

        /** Never answer; keep reading until the peer closes. */
        record Hold() implements Action {
        }

        /** Write these bytes, then close. */
        record RawAndClose(byte[] bytes) implements Action {
        }
    }

    /** Chooses an action for a request, or null for the default answer. */
    @FunctionalInterface
    public interface Script {
        /** {@code connection}: 1-based number of the connection; {@code index}: 0-based position of the message on it. */
        Action on(int connection, int index, Message message);
    }

    private final ServerSocket server;
    private final List<String> winners;
    private final Script script;
    private final Thread acceptor;
    private final List<Received> received = new ArrayList<>();
    private final List<String> failures = new ArrayList<>();
    private final Map<Integer, List<Bet>> stored = new HashMap<>();
    private final Set<Integer> finished = new HashSet<>();
    private int resentBets;
    private int connections;
    private volatile Socket current;

    private FakeCentral(ServerSocket server, List<String> winners, Script script) {
        this.server = server;
        this.winners = List.copyOf(winners);
        this.script = script;
        this.acceptor = new Thread(this::acceptLoop, "fake-central");
        this.acceptor.setDaemon(true);
    }

    /** Listens on an ephemeral port of the loopback address and answers every request by default. */
    public static FakeCentral start(List<String> winners) throws IOException {
        return start(winners, (connection, index, message) -> null);
    }

    /** The same on a given loopback port (an agency already trying it). */
    public static FakeCentral startOn(int port, List<String> winners) throws IOException {
        FakeCentral central = new FakeCentral(new ServerSocket(port, 50, InetAddress.getLoopbackAddress()), winners,
                (connection, index, message) -> null);
        central.acceptor.start();
        return central;
    }

    public static FakeCentral start(List<String> winners, Script script) throws IOException {
        FakeCentral central = new FakeCentral(new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), winners, script);
        central.acceptor.start();
        return central;
    }

    /** Makes the central hold these bets of {@code agency} already (call before the client connects). */
    public synchronized FakeCentral holding(int agency, List<Bet> bets) {
        stored.computeIfAbsent(agency, a -> new ArrayList<>()).addAll(bets);
        return this;
    }

    /** Makes {@code agency} count as finished already (call before the client connects). */
    public synchronized FakeCentral finished(int agency) {
        finished.add(agency);
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
            int connection;
            try {
                Socket socket = server.accept();
                current = socket;
                synchronized (this) {
                    connection = ++connections;
                }
                try (socket) {
                    serve(socket, connection);
                }
            } catch (IOException e) {
                if (!server.isClosed()) {
                    fail("I/O: " + e);
                }
            } catch (Exception e) {
                fail(e.toString());
            }
        }
    }

    private void serve(Socket socket, int connection) throws Exception {
        DataInputStream in = new DataInputStream(socket.getInputStream());
        OutputStream out = socket.getOutputStream();
        Integer sessionAgency = null;
        boolean holding = false;
        for (int index = 0; ; index++) {
            byte[] frame = readFrame(in);
            if (frame == null) {
                return;
            }
            Message message = CODEC.decodeFrame(ByteBuffer.wrap(frame));
            synchronized (this) {
                received.add(new Received(connection, message, frame.length));
                notifyAll();
            }
            if (holding) {
                continue;
            }
            Action action = script.on(connection, index, message);
            if (action instanceof Action.Hold) {
                holding = true;
                continue;
            }
            if (action instanceof Action.Drop) {
                return;
            }
            if (action instanceof Action.ReplyAndClose reply) {
                out.write(CODEC.encode(reply.message()));
                out.flush();
                return;
            }
            if (action instanceof Action.RawAndClose raw) {
                out.write(raw.bytes());
                out.flush();
                return;
            }
            if (message instanceof SessionStart start) {
                if (sessionAgency != null) {
                    fail("a second SessionStart on connection " + connection);
                }
                sessionAgency = start.agency();
            } else if (sessionAgency == null) {
                fail(message.messageName() + " before SessionStart on connection " + connection);
            }
            Message answer = answer(message, sessionAgency);
            if (action instanceof Action.ApplyThenDrop) {
                return;
            }
            out.write(CODEC.encode(answer));
            out.flush();
            if (answer instanceof ProtocolError || answer instanceof BatchRejected) {
                return;
            }
        }
    }

    /** One whole frame, or null when the peer closed between frames. */
    private static byte[] readFrame(DataInputStream in) throws IOException {
        int opcode = in.read();
        if (opcode < 0) {
            return null;
        }
        int length;
        try {
            length = in.readInt();
        } catch (EOFException e) {
            throw new EOFException("the stream ended inside a frame header");
        }
        if (length < 0 || length > CODEC.maxFrameBytes()) {
            throw new IOException("frame body length " + length);
        }
        byte[] frame = new byte[FrameCodec.HEADER_SIZE + length];
        frame[0] = (byte) opcode;
        ByteBuffer.wrap(frame).putInt(1, length);
        in.readFully(frame, FrameCodec.HEADER_SIZE, length);
        return frame;
    }

    /** The real central's answer, applied to this fake's storage. */
    private synchronized Message answer(Message message, Integer sessionAgency) {
        if (message instanceof SessionStart start) {
            if (!start.fingerprint().equals(LoteriaProtocol.FINGERPRINT)) {
                fail("fingerprint " + start.fingerprint());
                return new ProtocolError(ErrorCode.PROTOCOL_MISMATCH, "fingerprint " + start.fingerprint());
            }
            List<Bet> held = storedOf(start.agency());
            return new SessionStarted(start.agency(), held.size(), finished.contains(start.agency()) ? 1 : 0,
                    held.isEmpty() ? List.of() : List.of(held.get(held.size() - 1)));
        }
        if (message instanceof BetBatch batch) {
            checkAgency(batch.agency(), sessionAgency);
            List<Bet> bets = storedOf(batch.agency());
            if (batch.firstBet() == bets.size()) {
                bets.addAll(batch.bets());
            } else if (batch.firstBet() + batch.bets().size() <= bets.size()) {
                resentBets += batch.bets().size();
            } else {
                fail("gap: batch at " + batch.firstBet() + " but " + bets.size() + " stored");
                return new BatchRejected(ErrorCode.BATCH_GAP, "batch at " + batch.firstBet() + " but "
                        + bets.size() + " stored");
            }
            return new BatchAck(batch.agency(), bets.size());
        }
        if (message instanceof Finished f) {
            checkAgency(f.agency(), sessionAgency);
            finished.add(f.agency());
            return new FinishedAck(f.agency());
        }
        if (message instanceof WinnersRequest request) {
            checkAgency(request.agency(), sessionAgency);
            if (!finished.contains(request.agency())) {
                fail("winners asked before Finished");
                return new ProtocolError(ErrorCode.AGENCY_NOT_FINISHED, "agency has not finished");
            }
            return new Winners(request.agency(), winners);
        }
        fail("unexpected message " + message.messageName());
        return new ProtocolError(ErrorCode.UNEXPECTED_MESSAGE, message.messageName());
    }

    private void checkAgency(int agency, Integer sessionAgency) {
        if (sessionAgency == null || agency != sessionAgency) {
            fail("a message for agency " + agency + " on a session of agency " + sessionAgency);
        }
    }

    private List<Bet> storedOf(int agency) {
        return stored.computeIfAbsent(agency, a -> new ArrayList<>());
    }

    private synchronized void fail(String failure) {
        failures.add(failure);
    }

    /** Every frame received so far, in order. */
    public synchronized List<Received> received() {
        return new ArrayList<>(received);
    }

    public List<Message> messages() {
        return received().stream().map(Received::message).toList();
    }

    /** The messages of one connection (1-based), in order. */
    public List<Message> messagesOn(int connection) {
        return received().stream().filter(r -> r.connection() == connection).map(Received::message).toList();
    }

    public List<BetBatch> batches() {
        return messages().stream().filter(BetBatch.class::isInstance).map(BetBatch.class::cast).toList();
    }

    /** Wire sizes of the BetBatch frames, in order. */
    public List<Long> batchFrameBytes() {
        return received().stream().filter(r -> r.message() instanceof BetBatch).map(Received::wireBytes).toList();
    }

    /** Every bet received in a BetBatch, in order, resends included. */
    public List<Bet> betsReceived() {
        return batches().stream().flatMap(b -> b.bets().stream()).toList();
    }

    /** The bets this central holds for {@code agency}, in order. */
    public synchronized List<Bet> stored(int agency) {
        return List.copyOf(storedOf(agency));
    }

    public synchronized boolean isFinished(int agency) {
        return finished.contains(agency);
    }

    /** Bets received again in a batch stored already (a resend after a lost acknowledgement). */
    public synchronized int resentBets() {
        return resentBets;
    }

    public synchronized int connections() {
        return connections;
    }

    /** What went against the protocol (a gap, a message before SessionStart, a bad frame...). */
    public synchronized List<String> failures() {
        return new ArrayList<>(failures);
    }

    /** Waits until {@code count} received messages match; fails after {@code timeout}. */
    public synchronized void await(Predicate<Message> condition, int count, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (received.stream().map(Received::message).filter(condition).count() < count) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new AssertionError("the central did not receive the expected messages within " + timeout
                        + "; received: " + received.stream().map(r -> r.message().messageName()).toList());
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        Socket socket = current;
        if (socket != null) {
            socket.close();
        }
        acceptor.join(5_000);
    }
}
