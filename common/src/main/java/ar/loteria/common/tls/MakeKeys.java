package ar.loteria.common.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

/**
 * Makes the round's keys and certificates where they are missing, with the JDK's own
 * {@code keytool} (so a machine with only Docker makes them in the server image, and a JRE is
 * enough natively), then writes them as PEM:
 * <pre>
 *   DIR/ca/ca.key, ca.crt                 the CA (EC P-256, 10 years): never mounted into a container
 *   DIR/NAME/tls.key, tls.crt, ca.crt     a central NAME (server, server-standby): its certificate names
 *                                         NAME, localhost and 127.0.0.1, the addresses agencies dial
 *   DIR/agency-I/tls.key, tls.crt, ca.crt agency I (CN=agencia-I), for I in 1..N
 * </pre>
 * Existing material is kept (a new round needs no new keys); without a CA everything is made
 * anew. {@code java -cp server.jar ar.loteria.common.tls.MakeKeys [--owner UID:GID] DIR N [CENTRAL...]}
 * (centrals default to {@code server}); {@code --owner} gives each party's directory to the
 * containers' user (the one-shot {@code pki} service runs as root). Private keys are mode 0400.
 */
public final class MakeKeys {
    static final int CA_DAYS = 3650;
    static final int PARTY_DAYS = 825;

    private final Path dir;
    private final Path work;
    private final char[] password;

    private MakeKeys(Path dir, Path work) {
        this.dir = dir;
        this.work = work;
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        this.password = HexFormat.of().formatHex(random).toCharArray(); // for the scratch keystores only
    }

    public static void main(String[] args) throws Exception {
        List<String> rest = new ArrayList<>(List.of(args));
        String owner = null;
        if (!rest.isEmpty() && rest.get(0).equals("--owner")) {
            rest.remove(0);
            owner = rest.isEmpty() ? null : rest.remove(0);
        }
        if (rest.size() < 2 || !rest.get(1).matches("[0-9]{1,5}")) {
            System.err.println("usage: MakeKeys [--owner UID:GID] DIR AGENCIES [CENTRAL_NAME...]");
            System.exit(2);
        }
        List<String> centrals = rest.size() > 2 ? rest.subList(2, rest.size()) : List.of("server");
        List<String> made = make(Path.of(rest.get(0)), Integer.parseInt(rest.get(1)), centrals, owner);
        System.out.println(made.isEmpty() ? "make-keys: every key was there already"
                : "make-keys: made " + String.join(", ", made) + " in " + rest.get(0));
    }

    /** Makes what is missing; returns the names of the parties made. */
    public static List<String> make(Path dir, int agencies, List<String> centrals, String owner)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory(dir, ".make-keys-");
        try {
            MakeKeys keys = new MakeKeys(dir, work);
            List<String> made = new ArrayList<>();
            boolean newCa = !Files.exists(dir.resolve("ca").resolve(TlsMaterial.CA));
            if (newCa) {
                keys.makeCa("Loteria Nacional CA", null, CA_DAYS);
                made.add("ca");
            }
            keys.caKeystore(dir.resolve("ca")); // made once, before the parties are issued side by side
            List<Callable<String>> parties = new ArrayList<>();
            for (String central : centrals) {
                if (newCa || !complete(dir.resolve(central))) {
                    parties.add(() -> {
                        keys.issue(central, central, List.of(central, "localhost"), true, null, PARTY_DAYS);
                        return central;
                    });
                }
            }
            for (int agency = 1; agency <= agencies; agency++) {
                String name = "agency-" + agency;
                String commonName = TlsMaterial.agencyName(agency);
                if (newCa || !complete(dir.resolve(name))) {
                    parties.add(() -> {
                        keys.issue(name, commonName, List.of(), false, null, PARTY_DAYS);
                        return name;
                    });
                }
            }
            made.addAll(inParallel(parties));
            if (owner != null) {
                for (String party : made) {
                    if (!party.equals("ca")) {
                        chown(dir.resolve(party), owner);
                    }
                }
            }
            return made;
        } finally {
            delete(work);
        }
    }

    /** Each party is a few keytool runs (a JVM each): as many at once as there are CPUs. */
    private static List<String> inParallel(List<Callable<String>> parties) throws IOException, GeneralSecurityException {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Runtime.getRuntime().availableProcessors()));
        try {
            List<String> made = new ArrayList<>();
            for (Future<String> party : pool.invokeAll(parties)) {
                made.add(party.get());
            }
            return made;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            if (e.getCause() instanceof GeneralSecurityException security) {
                throw security;
            }
            throw new IllegalStateException(e.getCause());
        } finally {
            pool.shutdownNow();
        }
    }

    private static boolean complete(Path party) {
        return Files.isRegularFile(party.resolve(TlsMaterial.KEY)) && Files.isRegularFile(party.resolve(TlsMaterial.CERTIFICATE))
                && Files.isRegularFile(party.resolve(TlsMaterial.CA));
    }

    /**
     * A new CA in {@code DIR/ca}; {@code startDate} as keytool takes it ({@code -10d}, or null for
     * now) so that tests can make an expired one.
     */
    public static void makeCa(Path dir, String commonName, String startDate, int days)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        Path work = Files.createTempDirectory(dir, ".make-keys-");
        try {
            new MakeKeys(dir, work).makeCa(commonName, startDate, days);
        } finally {
            delete(work);
        }
    }

    /** Issues one party's material in {@code DIR/party}, signed by the CA of {@code DIR/ca}. */
    public static void issue(Path dir, String party, String commonName, List<String> dnsNames, boolean server,
                             String startDate, int days) throws IOException, GeneralSecurityException {
        Path work = Files.createTempDirectory(dir, ".make-keys-");
        try {
            new MakeKeys(dir, work).issue(party, commonName, dnsNames, server, startDate, days);
        } finally {
            delete(work);
        }
    }

    private void makeCa(String commonName, String startDate, int days) throws IOException, GeneralSecurityException {
        Path store = work.resolve("ca.p12");
        List<String> args = new ArrayList<>(List.of("-genkeypair", "-alias", "ca", "-keyalg", "EC", "-groupname",
                "secp256r1", "-sigalg", "SHA256withECDSA", "-dname", "CN=" + commonName, "-ext", "bc:c",
                "-ext", "KU=keyCertSign,cRLSign", "-validity", String.valueOf(days)));
        addStartDate(args, startDate);
        keytool(store, args);
        Path ca = Files.createDirectories(dir.resolve("ca"));
        writeKey(ca.resolve("ca.key"), store, "ca");
        Files.writeString(ca.resolve(TlsMaterial.CA), TlsMaterial.Pem.encode(certificate(store, "ca").getEncoded(),
                "CERTIFICATE"), StandardCharsets.US_ASCII);
    }

    private void issue(String party, String commonName, List<String> dnsNames, boolean server, String startDate,
                       int days) throws IOException, GeneralSecurityException {
        Path caDir = dir.resolve("ca");
        Path caStore = caKeystore(caDir);
        Path store = work.resolve(party + ".p12");
        keytool(store, List.of("-genkeypair", "-alias", "party", "-keyalg", "EC", "-groupname", "secp256r1",
                "-sigalg", "SHA256withECDSA", "-dname", "CN=" + commonName, "-validity", String.valueOf(days)));
        Path request = work.resolve(party + ".csr");
        keytool(store, List.of("-certreq", "-alias", "party", "-file", request.toString()));
        Path signed = work.resolve(party + ".crt");
        List<String> args = new ArrayList<>(List.of("-gencert", "-alias", "ca", "-infile", request.toString(),
                "-outfile", signed.toString(), "-rfc", "-sigalg", "SHA256withECDSA", "-validity", String.valueOf(days),
                "-ext", "KU=digitalSignature", "-ext", "EKU=" + (server ? "serverAuth" : "clientAuth")));
        if (!dnsNames.isEmpty()) {
            List<String> san = new ArrayList<>();
            dnsNames.forEach(name -> san.add("dns:" + name));
            san.add("ip:127.0.0.1");
            args.addAll(List.of("-ext", "SAN=" + String.join(",", san)));
        }
        addStartDate(args, startDate);
        keytool(caStore, args);
        Path out = Files.createDirectories(dir.resolve(party));
        writeKey(out.resolve(TlsMaterial.KEY), store, "party");
        Files.copy(signed, out.resolve(TlsMaterial.CERTIFICATE), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        Files.copy(caDir.resolve(TlsMaterial.CA), out.resolve(TlsMaterial.CA), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** The CA's PEM key and certificate in a scratch keystore, for keytool -gencert. */
    private synchronized Path caKeystore(Path caDir) throws IOException, GeneralSecurityException {
        Path store = work.resolve("ca-signing.p12");
        if (!Files.exists(store)) {
            X509Certificate ca;
            PrivateKey key;
            try {
                ca = TlsMaterial.certificate(caDir.resolve(TlsMaterial.CA), "the CA");
                key = TlsMaterial.privateKey(caDir.resolve("ca.key"), "the CA");
            } catch (ar.loteria.common.ConfigException e) {
                throw new IOException(e.getMessage(), e);
            }
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(null, null);
            keys.setKeyEntry("ca", key, password, new X509Certificate[] {ca});
            try (OutputStream outStream = Files.newOutputStream(store)) {
                keys.store(outStream, password);
            }
        }
        return store;
    }

    private static void addStartDate(List<String> args, String startDate) {
        if (startDate != null) {
            args.addAll(List.of("-startdate", startDate));
        }
    }

    private void keytool(Path store, List<String> args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        // A short run: the C1 compiler and the serial collector start it a third faster.
        command.addAll(List.of("-J-XX:TieredStopAtLevel=1", "-J-XX:+UseSerialGC"));
        command.addAll(args);
        command.addAll(List.of("-keystore", store.toString(), "-storetype", "PKCS12", "-storepass",
                new String(password), "-keypass", new String(password), "-noprompt"));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output;
        try (InputStream in = process.getInputStream()) {
            output = new String(in.readAllBytes(), StandardCharsets.UTF_8).trim();
        }
        try {
            if (process.waitFor() != 0) {
                throw new IOException("keytool " + args.get(0) + " failed: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while keytool ran", e);
        }
    }

    private X509Certificate certificate(Path store, String alias) throws IOException, GeneralSecurityException {
        return (X509Certificate) load(store).getCertificate(alias);
    }

    private KeyStore load(Path store) throws IOException, GeneralSecurityException {
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, password);
        }
        return keys;
    }

    /** The private key of {@code alias} as PKCS#8 PEM, readable by its owner only. */
    private void writeKey(Path file, Path store, String alias) throws IOException, GeneralSecurityException {
        PrivateKey key = (PrivateKey) load(store).getKey(alias, password);
        Files.deleteIfExists(file);
        Files.writeString(file, TlsMaterial.Pem.encode(key.getEncoded(), "PRIVATE KEY"), StandardCharsets.US_ASCII);
        try {
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("r--------"));
        } catch (UnsupportedOperationException e) {
            // not a POSIX file system: its own defaults apply
        }
    }

    private static void chown(Path party, String owner) throws IOException {
        String[] ids = owner.split(":");
        int uid = Integer.parseInt(ids[0]);
        int gid = Integer.parseInt(ids.length > 1 ? ids[1] : ids[0]);
        try (Stream<Path> files = Files.walk(party)) {
            for (Path file : files.toList()) {
                Files.setAttribute(file, "unix:uid", uid);
                Files.setAttribute(file, "unix:gid", gid);
            }
        }
    }

    private static void delete(Path tree) throws IOException {
        try (Stream<Path> files = Files.walk(tree)) {
            for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(file);
            }
        }
    }
}
