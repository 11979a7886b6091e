package ar.loteria.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.common.tls.MakeKeys;
import ar.loteria.common.tls.TlsMaterial;
import ar.loteria.protocol.Busy;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.protocol.runtime.FrameCodec;
import java.io.IOException;
import java.io.UncheckedIOException;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The socket options an agency's connection is made with. */
class CentralConnectionTest {
    @TempDir
    Path dir;

    /** A central that says "busy" answers before any TLS, in a plain frame: the agency says so, and tries again. */
    @Test
    void aPlainAnswerToTheTlsHandshakeIsNamedAndWorthAnotherAttempt() throws Exception {
        MakeKeys.make(dir, 1, List.of("server"), null);
        SSLContext tls = TlsMaterial.load(dir.resolve("agency-1"), "CLI_TLS_DIR").context();
        byte[] busy = new FrameCodec(LoteriaProtocol.INSTANCE, 1 << 20).encode(new Busy("the central has 1 connections open"));
        try (ServerSocket central = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<Void> answered = CompletableFuture.runAsync(() -> {
                try (Socket peer = central.accept()) {
                    peer.getOutputStream().write(busy);
                    peer.shutdownOutput();
                    peer.getInputStream().readAllBytes(); // until the agency gives up on it
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            UnavailableException e = assertThrows(UnavailableException.class, () -> CentralConnection.connect(new Socket(),
                    "127.0.0.1", central.getLocalPort(), Duration.ofSeconds(5), tls));
            assertEquals("the central answered in plain TCP, not TLS: it is busy (too many connections), or runs with"
                    + " TLS=off", e.getMessage());
            answered.get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void theConnectionHasTheReplyTimeoutAndKeepaliveProbes() throws Exception {
        try (ServerSocket central = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Socket socket = new Socket();
            try (CentralConnection ignored = CentralConnection.connect(socket, "127.0.0.1", central.getLocalPort(),
                    Duration.ofMillis(1500))) {
                assertEquals(1500, socket.getSoTimeout());
                assertTrue(socket.getKeepAlive());
                assertEquals(10, socket.getOption(ExtendedSocketOptions.TCP_KEEPIDLE));
                assertEquals(5, socket.getOption(ExtendedSocketOptions.TCP_KEEPINTERVAL));
                assertEquals(3, socket.getOption(ExtendedSocketOptions.TCP_KEEPCOUNT));
            }
        }
    }
}
