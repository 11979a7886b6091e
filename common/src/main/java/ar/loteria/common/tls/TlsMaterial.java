package ar.loteria.common.tls;

import ar.loteria.common.ConfigException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.net.Socket;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateExpiredException;
import java.security.cert.CertificateFactory;
import java.security.cert.CertificateNotYetValidException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Date;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedKeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import javax.security.auth.x500.X500Principal;

/**
 * One party's TLS material, from a directory that holds only its own (each container mounts only
 * its own, read-only): {@code tls.key} (its private key, PKCS#8 PEM), {@code tls.crt} (its
 * certificate, signed by the round's CA) and {@code ca.crt} (the CA, the only one it trusts). Loaded
 * and checked at start, so a missing or unreadable file, a key that is not the certificate's, a
 * certificate of another CA, expired or not yet valid, is one clear line and exit 1, not a failed
 * handshake later. Made by {@link MakeKeys}.
 */
public final class TlsMaterial {
    public static final String KEY = "tls.key";
    public static final String CERTIFICATE = "tls.crt";
    public static final String CA = "ca.crt";
    /** The only protocol version either side speaks. */
    public static final String PROTOCOL = "TLSv1.3";
    /**
     * TLS 1.3's suites, ChaCha20-Poly1305 first: the programs run the C1 compiler only, which has
     * no intrinsics for AES-GCM (its GHASH in plain Java nearly doubled a round's CPU), while
     * ChaCha20-Poly1305 in plain Java costs little (docs/performance.md). Both sides list it first.
     */
    public static final String[] CIPHER_SUITES = {"TLS_CHACHA20_POLY1305_SHA256", "TLS_AES_128_GCM_SHA256",
        "TLS_AES_256_GCM_SHA384"};
    /** An agency's certificate names it {@code CN=agencia-N}. */
    private static final Pattern AGENCY = Pattern.compile("agencia-([1-9][0-9]{0,8})");

    private final X509Certificate certificate;
    private final SSLContext context;

    private TlsMaterial(X509Certificate certificate, SSLContext context) {
        this.certificate = certificate;
        this.context = context;
    }

    /**
     * Loads and checks the material of {@code dir}; {@code setting} names, in errors, where the
     * directory was configured (e.g. {@code TLS_DIR=/app/tls}).
     */
    public static TlsMaterial load(Path dir, String setting) throws ConfigException {
        X509Certificate ca = certificate(dir.resolve(CA), setting);
        X509Certificate own = certificate(dir.resolve(CERTIFICATE), setting);
        PrivateKey key = privateKey(dir.resolve(KEY), setting);
        Path ownFile = dir.resolve(CERTIFICATE);
        try {
            own.checkValidity();
            ca.checkValidity();
        } catch (CertificateExpiredException | CertificateNotYetValidException e) {
            throw new ConfigException("TLS: " + ownFile + " (" + own.getSubjectX500Principal().getName() + ") or its CA "
                    + dir.resolve(CA) + " is not valid now (valid " + own.getNotBefore().toInstant() + " to "
                    + own.getNotAfter().toInstant() + "; now " + new Date().toInstant() + "); make new keys (" + setting
                    + ")");
        }
        try {
            own.verify(ca.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new ConfigException("TLS: " + ownFile + " is not signed by the CA of " + dir.resolve(CA) + " ("
                    + own.getIssuerX500Principal().getName() + " signed it, the CA is "
                    + ca.getSubjectX500Principal().getName() + "); make new keys (" + setting + ")");
        }
        if (!belongTogether(key, own)) {
            throw new ConfigException("TLS: " + dir.resolve(KEY) + " is not the key of " + ownFile + " (" + setting + ")");
        }
        return new TlsMaterial(own, context(ca, own, key));
    }

    /** Whether {@code dir} holds TLS material at all: TLS on "once keys exist". */
    public static boolean present(Path dir) {
        return Files.exists(dir.resolve(KEY)) || Files.exists(dir.resolve(CERTIFICATE)) || Files.exists(dir.resolve(CA));
    }

    /** A TLS 1.3 context that presents this party's certificate and trusts only the round's CA. */
    public SSLContext context() {
        return context;
    }

    public X509Certificate certificate() {
        return certificate;
    }

    /** The agency a certificate names ({@code CN=agencia-N}), or -1 when it names none. */
    public static int agencyOf(X509Certificate certificate) {
        String cn = commonName(certificate.getSubjectX500Principal());
        Matcher m = AGENCY.matcher(cn == null ? "" : cn);
        return m.matches() ? Integer.parseInt(m.group(1)) : -1;
    }

    /** The CN an agency's certificate carries. */
    public static String agencyName(int agency) {
        return "agencia-" + agency;
    }

    private static String commonName(X500Principal principal) {
        for (String part : principal.getName(X500Principal.RFC2253).split(",")) {
            if (part.startsWith("CN=")) {
                return part.substring(3);
            }
        }
        return null;
    }

    private static SSLContext context(X509Certificate ca, X509Certificate own, PrivateKey key) throws ConfigException {
        try {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            trusted.setCertificateEntry("ca", ca);
            TrustManagerFactory trustManagers = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            trustManagers.init(trusted);
            SSLContext context = SSLContext.getInstance(PROTOCOL);
            context.init(new KeyManager[] {new OwnKey(key, new X509Certificate[] {own, ca})},
                    trustManagers.getTrustManagers(), null);
            return context;
        } catch (GeneralSecurityException | IOException e) {
            throw new ConfigException("TLS: cannot set up TLS 1.3 with these keys: " + e);
        }
    }

    static X509Certificate certificate(Path file, String setting) throws ConfigException {
        try (InputStream in = Files.newInputStream(file)) {
            return (X509Certificate) CertificateFactory.getInstance("X.509").generateCertificate(in);
        } catch (NoSuchFileException e) {
            throw new ConfigException("TLS: " + file + " does not exist (" + setting + "; make the keys: see README)");
        } catch (IOException e) {
            throw new ConfigException("TLS: cannot read " + file + ": " + e.getMessage() + " (" + setting + ")");
        } catch (CertificateException | ClassCastException e) {
            throw new ConfigException("TLS: " + file + " is not a PEM X.509 certificate (" + setting + ")");
        }
    }

    /**
     * A key this user may not read. The usual cause: the keys that Compose's {@code pki} service
     * made in .data/pki belong to the containers' user, and a native run as another user finds them.
     */
    static ConfigException notReadable(Path file, String setting) {
        return new ConfigException("TLS: " + file + " is not readable by this user (the keys Compose's pki service"
                + " makes belong to the containers' user, 10001); natively, make keys of your own in another directory"
                + " (common/bin/make-keys .data/pki-native, then TLS_DIR=.data/pki-native/server and"
                + " CLI_TLS_DIR=.data/pki-native/agency-N), or TLS=off and CLI_TLS=off on a closed test network ("
                + setting + ")");
    }

    static PrivateKey privateKey(Path file, String setting) throws ConfigException {
        String pem;
        try {
            pem = Files.readString(file, StandardCharsets.US_ASCII);
        } catch (NoSuchFileException e) {
            throw new ConfigException("TLS: " + file + " does not exist (" + setting + "; make the keys: see README)");
        } catch (AccessDeniedException e) {
            throw notReadable(file, setting);
        } catch (IOException e) {
            throw new ConfigException("TLS: cannot read " + file + ": " + e.getMessage() + " (" + setting + ")");
        }
        byte[] der;
        try {
            der = Pem.decode(pem, "PRIVATE KEY");
        } catch (IllegalArgumentException e) {
            throw new ConfigException("TLS: " + file + " is not a PKCS#8 PEM private key: " + e.getMessage()
                    + " (" + setting + ")");
        }
        for (String algorithm : new String[] {"EC", "RSA"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // the next algorithm
            }
        }
        throw new ConfigException("TLS: " + file + " is neither an EC nor an RSA private key (" + setting + ")");
    }

    /** A signature made with the key verifies with the certificate's public key. */
    private static boolean belongTogether(PrivateKey key, X509Certificate certificate) {
        try {
            String algorithm = key.getAlgorithm().equals("EC") ? "SHA256withECDSA" : "SHA256withRSA";
            byte[] probe = "loteria".getBytes(StandardCharsets.US_ASCII);
            Signature sign = Signature.getInstance(algorithm);
            sign.initSign(key);
            sign.update(probe);
            byte[] signature = sign.sign();
            Signature verify = Signature.getInstance(algorithm);
            verify.initVerify(certificate.getPublicKey());
            verify.update(probe);
            return verify.verify(signature);
        } catch (GeneralSecurityException e) {
            return false;
        }
    }

    /**
     * This party's one key and chain, handed to TLS as they are. (A KeyManagerFactory wants them in
     * a PKCS#12 key store, which encrypts the key with 10,000 rounds of PBE: a tenth of a second of
     * every start, for a key that never leaves memory.)
     */
    private static final class OwnKey extends X509ExtendedKeyManager {
        private static final String ALIAS = "own";
        private final PrivateKey key;
        private final X509Certificate[] chain;

        OwnKey(PrivateKey key, X509Certificate[] chain) {
            this.key = key;
            this.chain = chain;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[] {ALIAS};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return ALIAS;
        }

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            return ALIAS;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return chain.clone();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return key;
        }
    }

    /** PEM text: base64 between {@code -----BEGIN TYPE-----} and {@code -----END TYPE-----}. */
    static final class Pem {
        private Pem() {
        }

        static byte[] decode(String text, String type) {
            String begin = "-----BEGIN " + type + "-----";
            String end = "-----END " + type + "-----";
            int from = text.indexOf(begin);
            int to = text.indexOf(end);
            if (from < 0 || to < from) {
                throw new IllegalArgumentException("no " + begin + " ... " + end + " block");
            }
            return Base64.getMimeDecoder().decode(text.substring(from + begin.length(), to));
        }

        static String encode(byte[] der, String type) {
            return "-----BEGIN " + type + "-----\n"
                    + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
                    + "\n-----END " + type + "-----\n";
        }
    }
}
