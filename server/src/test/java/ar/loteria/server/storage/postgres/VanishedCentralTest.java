package ar.loteria.server.storage.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.Bet;
import ar.loteria.server.storage.BetStore.Appended;
import ar.loteria.server.support.TestPostgres;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The serving central vanishes (its machine gone, its network cut: nothing more arrives, nothing
 * is closed) in the middle of an append, holding the agency's row lock. The central that takes
 * over must not wait on that lock for hours, until the database's TCP keepalive gives up on the
 * silent session: the database ends a session left idle in a transaction after
 * {@link LedgerDatabase#ORPHAN_TIMEOUT}, and the next central's append of that agency goes on.
 */
@Timeout(120)
class VanishedCentralTest {
    private static final Bet ANA = new Bet("Ana", "Li", "00000000", "2000-01-01", 7574);
    private static final Bet BETO = new Bet("Beto", "Paz", "0042", "1999-03-17", 1);

    /**
     * A TCP proxy to the database that, once the central sends its bet insert, passes nothing more
     * either way and closes nothing: the central has vanished between its row lock and its insert.
     */
    private static final class VanishingLink implements AutoCloseable {
        private final ServerSocket server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        private final List<Socket> sockets = new CopyOnWriteArrayList<>();
        private final CountDownLatch vanished = new CountDownLatch(1);
        private final CountDownLatch closed = new CountDownLatch(1);
        private final List<Throwable> failures = new CopyOnWriteArrayList<>();

        VanishingLink(int databasePort) throws IOException {
            Thread accepting = new Thread(() -> {
                try {
                    while (true) {
                        Socket central = server.accept();
                        Socket database = new Socket(InetAddress.getLoopbackAddress(), databasePort);
                        sockets.add(central);
                        sockets.add(database);
                        pump(central, database, true);
                        pump(database, central, false);
                    }
                } catch (IOException e) {
                    // the link was closed
                }
            }, "link-accept");
            accepting.setDaemon(true);
            accepting.start();
        }

        private void pump(Socket from, Socket to, boolean watchForInsert) {
            Thread pumping = new Thread(() -> {
                byte[] buffer = new byte[65536];
                try {
                    // The streams are not closed here: closing one closes its socket, which a vanished machine does not.
                    InputStream in = from.getInputStream();
                    OutputStream out = to.getOutputStream();
                    int read;
                    while ((read = in.read(buffer)) >= 0) {
                        if (watchForInsert && new String(buffer, 0, read, StandardCharsets.ISO_8859_1).contains("INSERT INTO bet ")) {
                            vanished.countDown();
                        }
                        if (vanished.getCount() == 0) {
                            closed.await(); // nothing more passes, nothing is closed, until the test closes the link
                            return;
                        }
                        out.write(buffer, 0, read);
                        out.flush();
                    }
                } catch (IOException | InterruptedException e) {
                    // closed
                } catch (RuntimeException | Error e) {
                    failures.add(e);
                }
            }, "link-pump");
            pumping.setDaemon(true);
            pumping.start();
        }

        String url(String database) {
            return "jdbc:postgresql://127.0.0.1:" + server.getLocalPort() + "/" + database;
        }

        @Override
        public void close() throws IOException {
            closed.countDown();
            server.close();
            for (Socket socket : sockets) {
                socket.close();
            }
            if (!failures.isEmpty()) {
                throw new AssertionError("the link failed", failures.get(0));
            }
        }
    }

    @Test
    void aCentralThatVanishedMidAppendDoesNotHoldTheAgencyForTheNextOne() throws Exception {
        String database = TestPostgres.newDatabase();
        try (VanishingLink link = new VanishingLink(TestPostgres.server().getPort());
             PostgresBetStore vanishing = PostgresBetStore.open(link.url(database), TestPostgres.SUPERUSER, null, 1);
             PostgresBetStore next = PostgresBetStore.open(TestPostgres.url(database), TestPostgres.SUPERUSER, null, 1)) {
            CompletableFuture<Appended> lost = CompletableFuture.supplyAsync(() -> {
                try {
                    return vanishing.append(1, 0, List.of(ANA));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertTrue(link.vanished.await(30, TimeUnit.SECONDS), "the central never sent its insert");

            // Agency 1, which got no answer, sends its batch to the central that took over.
            long start = System.nanoTime();
            CompletableFuture<Appended> resent = CompletableFuture.supplyAsync(() -> {
                try {
                    return next.append(1, 0, List.of(ANA, BETO));
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // Without the timeout it waits until the vanished session's TCP keepalive gives up (hours).
            assertEquals(new Appended.Stored(2, 2), resent.get(LedgerDatabase.ORPHAN_TIMEOUT.toSeconds() + 20, TimeUnit.SECONDS),
                    "the vanished central's transaction held agency 1");
            long waited = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue(waited >= LedgerDatabase.ORPHAN_TIMEOUT.toMillis() - 500,
                    "stored after " + waited + " ms: the vanished transaction was not holding the row, so this tests nothing");
            assertEquals(2, next.storedBets(1));
            link.close(); // the vanished central's own call ends with its connection
            assertTrue(lost.handle((appended, failure) -> failure != null).get(30, TimeUnit.SECONDS),
                    "the vanished central's append was acknowledged");
        }
    }
}
