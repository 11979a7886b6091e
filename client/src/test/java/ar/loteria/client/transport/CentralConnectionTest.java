package ar.loteria.client.transport;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import jdk.net.ExtendedSocketOptions;
import org.junit.jupiter.api.Test;

/** The socket options an agency's connection is made with. */
class CentralConnectionTest {
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
