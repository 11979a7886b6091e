package ar.loteria.common.tls;

import ar.loteria.common.ConfigException;
import ar.loteria.common.LogLine;
import java.io.IOException;
import java.io.OutputStream;
import java.math.BigInteger;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.security.auth.x500.X500Principal;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509ExtensionUtils;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the round's keys and certificates where they are missing, in this JVM (BouncyCastle's
 * certificate builder, the JDK's own EC keys and signatures: no provider is registered), then
 * writes them as PEM:
 * <pre>
 *   DIR/ca/ca.key, ca.crt                 the CA (EC P-256, 10 years): never mounted into a container
 *   DIR/NAME/tls.key, tls.crt, ca.crt     a central NAME (server, server-standby): its certificate names
 *                                         NAME, localhost and 127.0.0.1, the addresses agencies dial
 *   DIR/agency-I/tls.key, tls.crt, ca.crt agency I (CN=agencia-I), for I in 1..N
 * </pre>
 * The CA's certificate: basic constraints CA:true (critical), key usage keyCertSign and cRLSign. A
 * party's: key usage digitalSignature, extended key usage serverAuth (a central) or clientAuth (an
 * agency), and the CA's key identifier. All are ECDSA with SHA-256, with a random positive serial
 * number and a subject key identifier. Keys are PKCS#8 PEM, as {@link TlsMaterial} reads them.
 * <p>
 * Existing material is kept (a new round needs no new keys); without a CA everything is made
 * anew. {@code java -cp server.jar ar.loteria.common.tls.MakeKeys [--owner UID:GID] DIR N [CENTRAL...]}
 * (centrals default to {@code server}); {@code --owner} gives each party's directory to the
 * containers' user (the one-shot {@code pki} service runs as root). Private keys are mode 0400
 * from the moment they are created.
 */
public final class MakeKeys {
    private static final Logger LOG = LoggerFactory.getLogger(MakeKeys.class);
    static final int CA_DAYS = 3650;
    static final int PARTY_DAYS = 825;
    static final String CA_DIR = "ca";
    static final String CA_KEY = "ca.key";
    private static final String SIGNATURE = "SHA256withECDSA";
    private static final String CURVE = "secp256r1";
    private static final SecureRandom RANDOM = new SecureRandom();

    private MakeKeys() {
    }

    public static void main(String[] args) {
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
        Path dir = Path.of(rest.get(0));
        // One line of the log contract, success or failure: in Compose the pki service's output is
        // among the lines `docker compose logs` shows the course's parsers.
        try {
            List<String> made = make(dir, Integer.parseInt(rest.get(1)), centrals, owner);
            LogLine.success("make_keys").with("dir", dir)
                    .with("made", made.isEmpty() ? "none: every key was there already" : String.join(", ", made))
                    .info(LOG);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LogLine.fail("make_keys").with("dir", dir).with("error", e).error(LOG);
            System.exit(1);
        }
    }

    /** Makes what is missing; returns the names of the parties made ({@code ca} first when it was). */
    public static List<String> make(Path dir, int agencies, List<String> centrals, String owner)
            throws IOException, GeneralSecurityException {
        Files.createDirectories(dir);
        List<String> made = new ArrayList<>();
        boolean newCa = !Files.exists(dir.resolve(CA_DIR).resolve(TlsMaterial.CA));
        if (newCa) {
            makeCa(dir, "Loteria Nacional CA", null, CA_DAYS);
            made.add(CA_DIR);
        }
        List<Party> parties = new ArrayList<>();
        centrals.forEach(central -> parties.add(new Party(central, central, List.of(central, "localhost"), true)));
        for (int agency = 1; agency <= agencies; agency++) {
            parties.add(new Party("agency-" + agency, TlsMaterial.agencyName(agency), List.of(), false));
        }
        List<Party> missing = parties.stream().filter(party -> newCa || !complete(dir.resolve(party.dir()))).toList();
        if (!missing.isEmpty()) { // with every party there, the CA's key is not read
            Issuer ca = Issuer.of(dir.resolve(CA_DIR));
            for (Party party : missing) {
                ca.issue(dir.resolve(party.dir()), party.commonName(), party.dnsNames(), party.server(), null, PARTY_DAYS);
                made.add(party.dir());
            }
        }
        if (owner != null) {
            for (String party : made) {
                if (!party.equals(CA_DIR)) {
                    chown(dir.resolve(party), owner);
                }
            }
        }
        return made;
    }

    /** One party's directory under DIR and what its certificate says. */
    private record Party(String dir, String commonName, List<String> dnsNames, boolean server) {
    }

    private static boolean complete(Path party) {
        return Files.isRegularFile(party.resolve(TlsMaterial.KEY)) && Files.isRegularFile(party.resolve(TlsMaterial.CERTIFICATE))
                && Files.isRegularFile(party.resolve(TlsMaterial.CA));
    }

    /**
     * A new CA in {@code DIR/ca} ({@code ca.key}, {@code ca.crt}), self-signed; {@code startDate} as
     * keytool's {@code -startdate} takes it ({@code -10d}, or null for now: see {@link #startOf}) so
     * that tests can make an expired one.
     */
    public static void makeCa(Path dir, String commonName, String startDate, int days)
            throws IOException, GeneralSecurityException {
        Path out = Files.createDirectories(dir.resolve(CA_DIR));
        KeyPair keys = newKeyPair();
        X500Principal name = new X500Principal("CN=" + commonName);
        JcaX509ExtensionUtils extensions = new JcaX509ExtensionUtils();
        Instant start = startOf(startDate);
        X509v3CertificateBuilder certificate = new JcaX509v3CertificateBuilder(name, serialNumber(),
                Date.from(start), Date.from(start.plus(Duration.ofDays(days))), name, keys.getPublic());
        try {
            certificate.addExtension(Extension.basicConstraints, true, new BasicConstraints(true))
                    .addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign))
                    .addExtension(Extension.subjectKeyIdentifier, false,
                            extensions.createSubjectKeyIdentifier(keys.getPublic()));
        } catch (CertIOException e) {
            throw new IOException("cannot encode the CA's extensions", e);
        }
        writeKey(out.resolve(CA_KEY), keys.getPrivate());
        writeCertificate(out.resolve(TlsMaterial.CA), sign(certificate, keys.getPrivate()));
    }

    /**
     * Issues one party's material in {@code DIR/party} ({@code tls.key}, {@code tls.crt} and a copy
     * of {@code ca.crt}), signed by the CA of {@code DIR/ca}: a server certificate naming
     * {@code dnsNames} and 127.0.0.1 when {@code server}, else a client certificate. {@code startDate}
     * as for {@link #makeCa}.
     */
    public static void issue(Path dir, String party, String commonName, List<String> dnsNames, boolean server,
                             String startDate, int days) throws IOException, GeneralSecurityException {
        Issuer.of(dir.resolve(CA_DIR)).issue(dir.resolve(party), commonName, dnsNames, server, startDate, days);
    }

    /** The CA of a {@code DIR/ca}, read once for all the parties it signs. */
    private record Issuer(Path caDir, X509Certificate certificate, PrivateKey key, AuthorityKeyIdentifier keyId) {
        static Issuer of(Path caDir) throws IOException, GeneralSecurityException {
            X509Certificate certificate;
            PrivateKey key;
            try {
                certificate = TlsMaterial.certificate(caDir.resolve(TlsMaterial.CA), "the CA");
                key = TlsMaterial.privateKey(caDir.resolve(CA_KEY), "the CA");
            } catch (ConfigException e) {
                throw new IOException(e.getMessage(), e);
            }
            return new Issuer(caDir, certificate, key, authorityKeyId(certificate));
        }

        void issue(Path out, String commonName, List<String> dnsNames, boolean server, String startDate, int days)
                throws IOException, GeneralSecurityException {
            KeyPair keys = newKeyPair();
            Instant start = startOf(startDate);
            X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(certificate, serialNumber(),
                    Date.from(start), Date.from(start.plus(Duration.ofDays(days))),
                    new X500Principal("CN=" + commonName), keys.getPublic());
            try {
                builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature))
                        .addExtension(Extension.extendedKeyUsage, false,
                                new ExtendedKeyUsage(server ? KeyPurposeId.id_kp_serverAuth : KeyPurposeId.id_kp_clientAuth))
                        .addExtension(Extension.subjectKeyIdentifier, false,
                                new JcaX509ExtensionUtils().createSubjectKeyIdentifier(keys.getPublic()))
                        .addExtension(Extension.authorityKeyIdentifier, false, keyId);
                if (!dnsNames.isEmpty()) {
                    List<GeneralName> names = new ArrayList<>();
                    dnsNames.forEach(name -> names.add(new GeneralName(GeneralName.dNSName, name)));
                    names.add(new GeneralName(GeneralName.iPAddress, "127.0.0.1"));
                    builder.addExtension(Extension.subjectAlternativeName, false,
                            new GeneralNames(names.toArray(GeneralName[]::new)));
                }
            } catch (CertIOException e) {
                throw new IOException("cannot encode the extensions of " + out, e);
            }
            byte[] signed = sign(builder, key);
            Files.createDirectories(out);
            writeKey(out.resolve(TlsMaterial.KEY), keys.getPrivate());
            writeCertificate(out.resolve(TlsMaterial.CERTIFICATE), signed);
            Files.copy(caDir.resolve(TlsMaterial.CA), out.resolve(TlsMaterial.CA),
                    StandardCopyOption.REPLACE_EXISTING);
        }

        /** The CA's own subject key identifier (what keytool made, too), else one computed from its key. */
        private static AuthorityKeyIdentifier authorityKeyId(X509Certificate ca) throws GeneralSecurityException {
            byte[] extension = ca.getExtensionValue(Extension.subjectKeyIdentifier.getId());
            if (extension != null) {
                byte[] id = SubjectKeyIdentifier.getInstance(ASN1OctetString.getInstance(extension).getOctets())
                        .getKeyIdentifier();
                return new AuthorityKeyIdentifier(id);
            }
            return new JcaX509ExtensionUtils().createAuthorityKeyIdentifier(ca.getPublicKey());
        }
    }

    private static KeyPair newKeyPair() throws GeneralSecurityException {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec(CURVE), RANDOM);
        return generator.generateKeyPair();
    }

    /** 127 random bits, never zero: positive, unique in practice, at most 16 bytes (RFC 5280 allows 20). */
    private static BigInteger serialNumber() {
        BigInteger serial;
        do {
            serial = new BigInteger(127, RANDOM);
        } while (serial.signum() == 0);
        return serial;
    }

    /** The certificate's DER, signed with the JDK's SHA256withECDSA (the default provider). */
    private static byte[] sign(X509v3CertificateBuilder builder, PrivateKey key) throws IOException, GeneralSecurityException {
        try {
            return builder.build(new JcaContentSignerBuilder(SIGNATURE).setSecureRandom(RANDOM).build(key)).getEncoded();
        } catch (OperatorCreationException e) {
            throw new GeneralSecurityException("cannot sign with " + SIGNATURE + ": " + e.getMessage(), e);
        }
    }

    private static final Pattern RELATIVE = Pattern.compile("([+-])([0-9]+)([ymdHMS])");

    /**
     * The start of a validity as keytool's {@code -startdate} takes it, in this machine's time zone:
     * null for now, offsets from now ({@code -10d}, {@code -1y+6m}: y years, m months, d days, H
     * hours, M minutes, S seconds), or {@code yyyy/MM/dd HH:mm:ss} with either part alone. Whole
     * seconds, as a certificate holds them.
     */
    static Instant startOf(String startDate) {
        ZonedDateTime now = ZonedDateTime.now(ZoneId.systemDefault()).truncatedTo(ChronoUnit.SECONDS);
        if (startDate == null) {
            return now.toInstant();
        }
        String text = startDate.trim();
        if (text.startsWith("+") || text.startsWith("-")) {
            Matcher part = RELATIVE.matcher(text);
            ZonedDateTime start = now;
            int at = 0;
            while (at < text.length() && part.find(at) && part.start() == at) {
                long amount = Long.parseLong(part.group(2)) * (part.group(1).equals("-") ? -1 : 1);
                start = switch (part.group(3)) {
                    case "y" -> start.plusYears(amount);
                    case "m" -> start.plusMonths(amount);
                    case "d" -> start.plusDays(amount);
                    case "H" -> start.plusHours(amount);
                    case "M" -> start.plusMinutes(amount);
                    default -> start.plusSeconds(amount);
                };
                at = part.end();
            }
            if (at != text.length()) {
                throw new IllegalArgumentException("not a start date: " + startDate + " (e.g. -10d, -1y+6m)");
            }
            return start.toInstant();
        }
        try {
            String[] parts = text.split("\\s+");
            LocalDate date = now.toLocalDate();
            LocalTime time = now.toLocalTime();
            if (parts.length == 2) {
                date = LocalDate.parse(parts[0], DateTimeFormatter.ofPattern("uuuu/MM/dd"));
                time = LocalTime.parse(parts[1], DateTimeFormatter.ofPattern("HH:mm:ss"));
            } else if (parts.length == 1 && parts[0].contains("/")) {
                date = LocalDate.parse(parts[0], DateTimeFormatter.ofPattern("uuuu/MM/dd"));
            } else if (parts.length == 1) {
                time = LocalTime.parse(parts[0], DateTimeFormatter.ofPattern("HH:mm:ss"));
            } else {
                throw new IllegalArgumentException("not a start date: " + startDate);
            }
            return LocalDateTime.of(date, time).atZone(ZoneId.systemDefault()).toInstant();
        } catch (DateTimeParseException e) {
            throw new IllegalArgumentException("not a start date: " + startDate + " (yyyy/MM/dd HH:mm:ss)", e);
        }
    }

    private static void writeCertificate(Path file, byte[] der) throws IOException {
        Files.writeString(file, TlsMaterial.Pem.encode(der, "CERTIFICATE"), StandardCharsets.US_ASCII);
    }

    /**
     * The private key as PKCS#8 PEM, in a file made readable by its owner only (0400) as it is
     * created, so the key is never readable by others, not even for a moment.
     */
    private static void writeKey(Path file, PrivateKey key) throws IOException {
        byte[] pem = TlsMaterial.Pem.encode(key.getEncoded(), "PRIVATE KEY").getBytes(StandardCharsets.US_ASCII);
        Files.deleteIfExists(file);
        Set<StandardOpenOption> options = Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        FileAttribute<?>[] ownerOnly;
        if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
            ownerOnly = new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("r--------"))};
        } else {
            ownerOnly = new FileAttribute<?>[0]; // not a POSIX file system: its own defaults apply
        }
        try (OutputStream out = Channels.newOutputStream(Files.newByteChannel(file, options, ownerOnly))) {
            out.write(pem);
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
}
