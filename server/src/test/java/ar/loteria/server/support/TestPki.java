package ar.loteria.server.support;

import ar.loteria.common.tls.MakeKeys;
import ar.loteria.common.tls.TlsMaterial;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import javax.net.ssl.KeyManager;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/**
 * Keys for the TLS tests, made once per test JVM with the product's own {@link MakeKeys} (a quarter
 * of a second, most of it loading classes): the round's CA with the central and agencies 1..3, an expired certificate of
 * agency 1, and agency 1's certificate from another CA. Deleted when the JVM exits.
 */
public final class TestPki {
    private static TestPki instance;

    private final Path round;
    private final Path foreign;

    private TestPki(Path round, Path foreign) {
        this.round = round;
        this.foreign = foreign;
    }

    public static synchronized TestPki get() {
        if (instance == null) {
            try {
                Path root = Files.createTempDirectory("loteria-test-pki-");
                Runtime.getRuntime().addShutdownHook(new Thread(() -> delete(root)));
                Path round = root.resolve("round");
                MakeKeys.make(round, 3, List.of("server"), null);
                MakeKeys.issue(round, "expired-agency-1", TlsMaterial.agencyName(1), List.of(), false, "-10d", 1);
                Path foreign = root.resolve("foreign");
                MakeKeys.makeCa(foreign, "Another CA", null, 3650);
                MakeKeys.issue(foreign, "agency-1", TlsMaterial.agencyName(1), List.of(), false, null, 30);
                instance = new TestPki(round, foreign);
            } catch (IOException | java.security.GeneralSecurityException e) {
                throw new IllegalStateException("cannot make the test keys", e);
            }
        }
        return instance;
    }

    /** The central's directory (tls.key, tls.crt, ca.crt), as TLS_DIR takes it. */
    public Path central() {
        return round.resolve("server");
    }

    /** Agency {@code n}'s directory (1..3), as CLI_TLS_DIR takes it. */
    public Path agency(int n) {
        return round.resolve("agency-" + n);
    }

    /** Agency 1's, expired ten days ago, signed by the round's CA. */
    public Path expiredAgency1() {
        return round.resolve("expired-agency-1");
    }

    /** Agency 1's, signed by another CA (its ca.crt is that CA). */
    public Path foreignAgency1() {
        return foreign.resolve("agency-1");
    }

    /**
     * A TLS 1.3 client context of a party directory as a peer would build it, checking nothing (an
     * expired or foreign certificate too): {@code withKey} false presents no certificate at all.
     */
    public static SSLContext clientContext(Path dir, boolean withKey) {
        try {
            CertificateFactory x509 = CertificateFactory.getInstance("X.509");
            X509Certificate ca;
            try (InputStream in = Files.newInputStream(dir.resolve(TlsMaterial.CA))) {
                ca = (X509Certificate) x509.generateCertificate(in);
            }
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", ca);
            TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trust.init(trusted);
            KeyManager[] keyManagers = null;
            if (withKey) {
                X509Certificate own;
                try (InputStream in = Files.newInputStream(dir.resolve(TlsMaterial.CERTIFICATE))) {
                    own = (X509Certificate) x509.generateCertificate(in);
                }
                String pem = Files.readString(dir.resolve(TlsMaterial.KEY));
                byte[] der = Base64.getMimeDecoder().decode(pem.replaceAll("-----[A-Z ]+-----", ""));
                PrivateKey key = KeyFactory.getInstance("EC").generatePrivate(new PKCS8EncodedKeySpec(der));
                KeyStore keys = KeyStore.getInstance("PKCS12");
                keys.load(null, null);
                keys.setKeyEntry("own", key, new char[0], new X509Certificate[] {own});
                KeyManagerFactory factory = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
                factory.init(keys, new char[0]);
                keyManagers = factory.getKeyManagers();
            }
            SSLContext context = SSLContext.getInstance(TlsMaterial.PROTOCOL);
            context.init(keyManagers, trust.getTrustManagers(), null);
            return context;
        } catch (IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void delete(Path tree) {
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
