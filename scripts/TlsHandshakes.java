import ar.loteria.common.tls.TlsMaterial;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;

/**
 * The cost of a TLS handshake with the central, as an agency makes it: COUNT connections one after
 * another, each a new TCP connection and a full TLS 1.3 handshake with DIR's certificate (the
 * agency's), then closed. Prints the first (cold: neither side's TLS code compiled yet) and the
 * median and 90th percentile of the rest, in microseconds; the central's CPU per handshake is
 * measured around it (docs/performance.md). Run as a source file on the client's jar:
 * {@code java -cp client/target/client.jar scripts/TlsHandshakes.java HOST PORT DIR COUNT}.
 */
public final class TlsHandshakes {
    public static void main(String[] args) throws Exception {
        String host = args[0];
        int port = Integer.parseInt(args[1]);
        long loading = System.nanoTime();
        TlsMaterial material = TlsMaterial.load(Path.of(args[2]), "DIR");
        long loaded = System.nanoTime() - loading;
        int count = Integer.parseInt(args[3]);
        List<Long> micros = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            long start = System.nanoTime();
            try (Socket plain = new Socket()) {
                plain.connect(new InetSocketAddress(host, port));
                SSLSocket ssl = (SSLSocket) material.context().getSocketFactory().createSocket(plain, host, port, true);
                ssl.setEnabledProtocols(new String[] {TlsMaterial.PROTOCOL});
                ssl.setEnabledCipherSuites(TlsMaterial.CIPHER_SUITES);
                SSLParameters parameters = ssl.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                ssl.setSSLParameters(parameters);
                ssl.startHandshake();
                micros.add((System.nanoTime() - start) / 1_000);
                ssl.close();
            }
        }
        long first = micros.get(0);
        List<Long> rest = new ArrayList<>(micros.subList(1, micros.size()));
        Collections.sort(rest);
        System.out.printf("keys loaded and checked in %d us; handshakes: first %d us, then median %d us, p90 %d us"
                + " (%d handshakes)%n", loaded / 1_000, first, rest.get(rest.size() / 2),
                rest.get(rest.size() * 9 / 10), count);
    }
}
