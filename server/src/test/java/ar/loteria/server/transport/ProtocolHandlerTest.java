package ar.loteria.server.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.BatchAck;
import ar.loteria.protocol.Bet;
import ar.loteria.protocol.BetBatch;
import ar.loteria.protocol.Echo;
import ar.loteria.protocol.ErrorCode;
import ar.loteria.protocol.Finished;
import ar.loteria.protocol.FinishedAck;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.ProtocolError;
import ar.loteria.protocol.SessionStart;
import ar.loteria.protocol.SessionStarted;
import ar.loteria.protocol.Winners;
import ar.loteria.protocol.WinnersRequest;
import ar.loteria.protocol.runtime.MalformedFieldException;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.ProtocolException;
import ar.loteria.server.service.LotteryService;
import ar.loteria.server.storage.BetStore;
import ar.loteria.server.storage.FileBetStore;
import ar.loteria.server.support.ForwardingBetStore;
import ar.loteria.server.support.LogCapture;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import io.netty.handler.flow.FlowControlHandler;
import java.lang.ref.WeakReference;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The protocol handler on an {@link EmbeddedChannel}, messages in and out (no sockets, no frames),
 * the service on a real store and the "worker pool" run in place: what each request is answered
 * and logged, what closes a connection, and what happens when the service itself fails.
 */
class ProtocolHandlerTest {
    private static final String FINGERPRINT = LoteriaProtocol.INSTANCE.fingerprint();
    private static final Bet ANA = new Bet("Ana", "Li", "00000000", "2000-01-01", 7574);

    @TempDir
    Path dir;
    private FileBetStore store;
    private LogCapture logs;

    @BeforeEach
    void open() throws Exception {
        store = FileBetStore.open(dir, 2, false);
        logs = LogCapture.begin();
    }

    @AfterEach
    void close() throws Exception {
        logs.close();
        store.close();
    }

    /** As the central's pipeline has them after the decoders, reading only when asked. */
    private static EmbeddedChannel channel(LotteryService service) {
        return channel(service, new DrawWaiters());
    }

    /** A connection of a central whose connections share {@code waiters}. */
    private static EmbeddedChannel channel(LotteryService service, DrawWaiters waiters) {
        EmbeddedChannel channel = new EmbeddedChannel(false, false, new FlowControlHandler(),
                new ProtocolHandler(service, Runnable::run, false, waiters));
        channel.config().setAutoRead(false);
        try {
            channel.register();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        return channel;
    }

    /** Hands the request in, runs what it queued on the event loop, and returns every reply written. */
    private static List<Message> exchange(EmbeddedChannel channel, Message request) {
        channel.writeInbound(request);
        channel.runPendingTasks();
        List<Message> replies = new ArrayList<>();
        for (Object reply = channel.readOutbound(); reply != null; reply = channel.readOutbound()) {
            replies.add((Message) reply);
        }
        return replies;
    }

    @Test
    void eachRequestIsAnsweredInTurnAndLogged() {
        EmbeddedChannel channel = channel(new LotteryService(store, 2));
        assertEquals(List.of(new Echo("hola")), exchange(channel, new Echo("hola")));
        assertEquals(List.of(new SessionStarted(1, 0, 0, List.of())), exchange(channel, new SessionStart(FINGERPRINT, 1)));
        assertEquals(List.of(new BatchAck(1, 1)), exchange(channel, new BetBatch(1, 0, List.of(ANA))));
        assertEquals(List.of(new BatchAck(1, 1)), exchange(channel, new BetBatch(1, 0, List.of(ANA))));
        assertEquals(List.of(new FinishedAck(1)), exchange(channel, new Finished(1)));
        assertTrue(channel.isActive());
        assertEquals(List.of(
                "action: receive_message | result: success | ip: embedded | msg: hola",
                "action: sesion | result: success | agency: 1 | ip: embedded | stored_bets: 0 | finished: false",
                "action: apuesta_recibida | result: success | cantidad: 1",
                "action: lote_repetido | result: success | agency: 1 | first_bet: 0 | cantidad: 1 | stored_bets: 1",
                "action: agencia_finalizada | result: success | agency: 1 | stored_bets: 1"), logs.messages());
    }

    @Test
    void aWinnersRequestWaitsForTheDrawAndAnotherRequestMeanwhileWaitsForIt() {
        LotteryService service = new LotteryService(store, 2);
        EmbeddedChannel channel = channel(service);
        exchange(channel, new SessionStart(FINGERPRINT, 1));
        exchange(channel, new BetBatch(1, 0, List.of(ANA)));
        exchange(channel, new Finished(1));
        assertEquals(List.of(), exchange(channel, new WinnersRequest(1)), "no draw yet: no answer, no thread held");
        assertEquals(List.of(), exchange(channel, new Echo("still there?")), "held until the winners are answered");

        service.finish(2); // the other agency: the draw runs
        channel.runPendingTasks();
        assertEquals(new Winners(1, List.of("00000000")), channel.readOutbound());
        assertEquals(new Echo("still there?"), channel.readOutbound());
        assertTrue(logs.messages().containsAll(List.of(
                "action: consulta_ganadores | result: in_progress | agency: 1 | detail: waiting for the draw",
                "action: ganadores_enviados | result: success | agency: 1 | cant_ganadores: 1")));
    }

    /** Waiting connections do not time out: an agency with many of them would hold every slot until a draw that needs the others. */
    @Test
    void aNewerConnectionOfTheAgencyWaitingForTheDrawLetsTheOlderGo() {
        LotteryService service = new LotteryService(store, 2);
        DrawWaiters waiters = new DrawWaiters();
        EmbeddedChannel older = channel(service, waiters);
        exchange(older, new SessionStart(FINGERPRINT, 1));
        exchange(older, new Finished(1));
        assertEquals(List.of(), exchange(older, new WinnersRequest(1)));
        EmbeddedChannel newer = channel(service, waiters);
        exchange(newer, new SessionStart(FINGERPRINT, 1));
        assertEquals(List.of(), exchange(newer, new WinnersRequest(1)));
        older.runPendingTasks();
        assertFalse(older.isActive(), "two connections of agency 1 wait for the draw");
        assertTrue(newer.isActive());
        assertTrue(logs.messages().contains("action: conexion_cerrada | result: success | ip: embedded | reason: replaced"
                + " | detail: agency 1 waits for the draw on a newer connection"), logs.messages().toString());

        service.finish(2);
        newer.runPendingTasks();
        older.runPendingTasks();
        assertEquals(new Winners(1, List.of()), newer.readOutbound());
        assertNull(older.readOutbound());
        assertFalse(logs.messages().stream().anyMatch(line -> line.contains("result: fail")), logs.messages().toString());
    }

    /** The draw's future lives until the draw: a connection that waited on it and left must not live as long. */
    @Test
    void aConnectionThatLeavesWhileWaitingForTheDrawIsNotKeptByIt() throws Exception {
        LotteryService service = new LotteryService(store, 2);
        service.finish(1);
        List<WeakReference<ProtocolHandler>> left = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            left.add(waitThenLeave(service));
        }
        for (int attempt = 0; attempt < 50 && left.stream().anyMatch(handler -> handler.get() != null); attempt++) {
            System.gc();
            Thread.onSpinWait();
        }
        assertTrue(left.stream().allMatch(handler -> handler.get() == null), "a closed waiting connection is still"
                + " reachable (from the draw's future)");
        EmbeddedChannel last = channel(service);
        exchange(last, new SessionStart(FINGERPRINT, 1));
        exchange(last, new WinnersRequest(1));
        service.finish(2);
        last.runPendingTasks();
        assertEquals(new Winners(1, List.of()), last.readOutbound(), "the draw still answers who waits");
        assertFalse(logs.messages().stream().anyMatch(line -> line.contains("action: request")), logs.messages().toString());
    }

    private WeakReference<ProtocolHandler> waitThenLeave(LotteryService service) {
        EmbeddedChannel channel = channel(service);
        exchange(channel, new SessionStart(FINGERPRINT, 1));
        assertEquals(List.of(), exchange(channel, new WinnersRequest(1)));
        WeakReference<ProtocolHandler> handler = new WeakReference<>(channel.pipeline().get(ProtocolHandler.class));
        channel.close();
        channel.runPendingTasks();
        return handler;
    }

    @Test
    void aRequestForAnotherAgencyIsRefusedAndTheConnectionClosed() {
        EmbeddedChannel channel = channel(new LotteryService(store, 2));
        exchange(channel, new SessionStart(FINGERPRINT, 1));
        assertEquals(List.of(new ProtocolError(ErrorCode.WRONG_AGENCY, "this connection belongs to agency 1; it may not"
                + " speak for agency 2")), exchange(channel, new Finished(2)));
        assertFalse(channel.isActive());
        assertFalse(store.hasFinished(2));
        assertEquals("action: agencia_finalizada | result: fail | ip: embedded | error: this connection belongs to"
                + " agency 1; it may not speak for agency 2", logs.messages().get(1));
    }

    /** Issue 19: such a message was answered right but logged as an internal error of the central. */
    @Test
    void aMessageOnlyTheCentralSendsIsTheProtocolErrorItIs() {
        EmbeddedChannel channel = channel(new LotteryService(store, 2));
        assertEquals(List.of(new ProtocolError(ErrorCode.UNEXPECTED_MESSAGE, "message BatchAck is not a request the"
                + " central accepts")), exchange(channel, new BatchAck(1, 0)));
        assertFalse(channel.isActive());
        assertEquals(List.of("action: protocol_error | result: fail | ip: embedded | error: message BatchAck is not a"
                + " request the central accepts"), logs.messages());
    }

    /** Issue 19: a call that threw left its connection "in flight" for ever (no reply, never read again, never idle). */
    @Test
    void aServiceCallThatThrowsIsAnsweredUnavailableLoggedOnceAndTheConnectionClosed() {
        BetStore broken = new FailingStore(store);
        EmbeddedChannel channel = channel(new LotteryService(broken, 2));
        assertEquals(List.of(new ProtocolError(ErrorCode.SERVER_UNAVAILABLE, "internal error: java.lang.IllegalStateException:"
                + " the disk is on fire")), exchange(channel, new SessionStart(FINGERPRINT, 1)));
        assertFalse(channel.isActive());
        assertEquals(List.of("action: request | result: fail | ip: embedded | error: java.lang.IllegalStateException:"
                + " the disk is on fire"), logs.messages());
    }

    @Test
    void aFrameTheCodecsRefuseIsAnsweredWithTheIdlsCodeOfTheSameName() {
        EmbeddedChannel channel = channel(new LotteryService(store, 2));
        channel.pipeline().fireExceptionCaught(new DecoderException(new MalformedFieldException("BetBatch", "bets",
                "negative count -1")));
        channel.runPendingTasks();
        assertEquals(new ProtocolError(ErrorCode.MALFORMED_FIELD, "BetBatch.bets: negative count -1"), channel.readOutbound());
        assertNull(channel.readOutbound());
        assertFalse(channel.isActive());
        assertEquals(List.of("action: protocol_error | result: fail | ip: embedded | error: BetBatch.bets: negative count -1",
                "action: apuesta_recibida | result: fail | ip: embedded | error: BetBatch.bets: negative count -1"),
                logs.messages());
        for (ProtocolException.Kind kind : ProtocolException.Kind.values()) {
            assertEquals(kind.name(), ProtocolHandler.errorCode(kind).name());
        }
    }

    /** A store whose session lookup throws, as a bug or a broken disk would, beside a real one. */
    private static final class FailingStore extends ForwardingBetStore {
        FailingStore(BetStore real) {
            super(real);
        }

        @Override
        public Held held(int agency) {
            throw new IllegalStateException("the disk is on fire");
        }
    }
}
