package ar.loteria.common.tls;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import ar.loteria.common.ConfigException;
import ar.loteria.common.JavaProcess;
import ar.loteria.common.LogGrammar;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.cert.CertificateExpiredException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.bouncycastle.asn1.ASN1OctetString;
import org.bouncycastle.asn1.x509.AuthorityKeyIdentifier;
import org.bouncycastle.asn1.x509.SubjectKeyIdentifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What MakeKeys writes is what TlsMaterial and TLS want: the CA signs every party; a central's
 * certificate is a server certificate naming it, localhost and 127.0.0.1; an agency's is a client
 * certificate naming agencia-N; keys are PKCS#8 PEM, mode 0400; a second run keeps what exists;
 * a start in the past makes an expired certificate.
 */
class MakeKeysTest {
    private static final String SERVER_AUTH = "1.3.6.1.5.5.7.3.1";
    private static final String CLIENT_AUTH = "1.3.6.1.5.5.7.3.2";
    private static final int DNS = 2;
    private static final int IP = 7;

    @TempDir
    Path dir;

    @Test
    void theCaIsACaThatSignsEveryParty() throws Exception {
        assertEquals(List.of("ca", "server", "server-standby", "agency-1", "agency-2"),
                MakeKeys.make(dir, 2, List.of("server", "server-standby"), null));
        X509Certificate ca = TlsMaterial.certificate(dir.resolve("ca/ca.crt"), "test");
        assertEquals(ca.getSubjectX500Principal(), ca.getIssuerX500Principal());
        ca.verify(ca.getPublicKey());
        assertTrue(ca.getBasicConstraints() >= 0, "CA:true");
        assertTrue(ca.getCriticalExtensionOIDs().contains("2.5.29.19"), "basic constraints critical");
        boolean[] usage = ca.getKeyUsage();
        assertTrue(usage[5] && usage[6], "keyCertSign and cRLSign");
        assertFalse(usage[0], "a CA that does not sign TLS handshakes");
        assertValidFor(ca, MakeKeys.CA_DAYS);
        byte[] caSki = keyIdentifier(ca);

        Set<Object> serials = new HashSet<>();
        serials.add(ca.getSerialNumber());
        for (String party : List.of("server", "server-standby", "agency-1", "agency-2")) {
            Path partyDir = dir.resolve(party);
            X509Certificate own = TlsMaterial.certificate(partyDir.resolve(TlsMaterial.CERTIFICATE), party);
            own.verify(ca.getPublicKey());
            assertEquals(ca.getSubjectX500Principal(), own.getIssuerX500Principal(), party);
            assertArrayEquals(Files.readAllBytes(dir.resolve("ca/ca.crt")), Files.readAllBytes(partyDir.resolve(TlsMaterial.CA)),
                    party + "'s ca.crt is the CA's");
            assertEquals(-1, own.getBasicConstraints(), party + " is no CA");
            assertTrue(own.getKeyUsage()[0], party + ": digitalSignature");
            assertFalse(own.getKeyUsage()[5], party + ": no keyCertSign");
            assertEquals("SHA256withECDSA", own.getSigAlgName());
            assertEquals(256, ((ECPublicKey) own.getPublicKey()).getParams().getCurve().getField().getFieldSize());
            assertTrue(own.getSerialNumber().signum() > 0, party + ": a positive serial number");
            assertTrue(serials.add(own.getSerialNumber()), party + ": a serial number of its own");
            AuthorityKeyIdentifier aki = AuthorityKeyIdentifier.getInstance(
                    ASN1OctetString.getInstance(own.getExtensionValue("2.5.29.35")).getOctets());
            assertArrayEquals(caSki, aki.getKeyIdentifier(), party + ": the CA's key identifier");
            assertNotEquals(null, own.getExtensionValue("2.5.29.14"), party + ": a subject key identifier");
            assertValidFor(own, MakeKeys.PARTY_DAYS);
            assertTrue(Files.readString(partyDir.resolve(TlsMaterial.KEY)).startsWith("-----BEGIN PRIVATE KEY-----\n"));
            assertEquals(own, TlsMaterial.load(partyDir, party).certificate(), party + ": loads and checks");
        }
    }

    @Test
    void aCentralsCertificateIsAServerCertificateForItsNamesAndAnAgencysAClientCertificate() throws Exception {
        MakeKeys.make(dir, 3, List.of("server", "server-standby"), null);
        X509Certificate standby = TlsMaterial.load(dir.resolve("server-standby"), "test").certificate();
        assertEquals("CN=server-standby", standby.getSubjectX500Principal().getName());
        assertEquals(List.of(List.of(DNS, "server-standby"), List.of(DNS, "localhost"), List.of(IP, "127.0.0.1")),
                new ArrayList<>(standby.getSubjectAlternativeNames()));
        assertEquals(List.of(SERVER_AUTH), standby.getExtendedKeyUsage());
        assertEquals(-1, TlsMaterial.agencyOf(standby));

        X509Certificate agency = TlsMaterial.load(dir.resolve("agency-3"), "test").certificate();
        assertEquals("CN=agencia-3", agency.getSubjectX500Principal().getName());
        assertEquals(3, TlsMaterial.agencyOf(agency));
        assertEquals(List.of(CLIENT_AUTH), agency.getExtendedKeyUsage());
        assertNull(agency.getSubjectAlternativeNames(), "an agency is not a server: no names");
    }

    @Test
    void privateKeysAreReadableByTheirOwnerOnly() throws Exception {
        MakeKeys.make(dir, 2, List.of("server"), null);
        assumeTrue(dir.getFileSystem().supportedFileAttributeViews().contains("posix"));
        for (Path key : List.of(dir.resolve("ca/ca.key"), dir.resolve("server/tls.key"), dir.resolve("agency-1/tls.key"),
                dir.resolve("agency-2/tls.key"))) {
            assertEquals(Set.of(PosixFilePermission.OWNER_READ), Files.getPosixFilePermissions(key), key.toString());
        }
    }

    @Test
    void aKeyThisUserMayNotReadIsRefusedWithTheWayOut() throws Exception {
        String expected = "TLS: " + dir.resolve("server/tls.key") + " is not readable by this user (the keys Compose's"
                + " pki service makes belong to the containers' user, 10001); natively, make keys of your own in another"
                + " directory (common/bin/make-keys .data/pki-native, then TLS_DIR=.data/pki-native/server and"
                + " CLI_TLS_DIR=.data/pki-native/agency-N), or TLS=off and CLI_TLS=off on a closed test network"
                + " (TLS_DIR=" + dir.resolve("server") + ")";
        assertEquals(expected, TlsMaterial.notReadable(dir.resolve("server/tls.key"), "TLS_DIR=" + dir.resolve("server"))
                .getMessage());
        // The read itself, where the permissions bind (root reads any file).
        assumeTrue(!"root".equals(System.getProperty("user.name")), "root reads any file");
        MakeKeys.make(dir, 1, List.of("server"), null);
        Files.setPosixFilePermissions(dir.resolve("server/tls.key"), Set.of());
        assertEquals(expected, assertThrows(ConfigException.class,
                () -> TlsMaterial.load(dir.resolve("server"), "TLS_DIR=" + dir.resolve("server"))).getMessage());
    }

    @Test
    void aSecondRunKeepsWhatExistsAndMakesOnlyWhatIsMissing() throws Exception {
        MakeKeys.make(dir, 2, List.of("server"), null);
        Map<String, byte[]> before = files();
        assertEquals(List.of(), MakeKeys.make(dir, 2, List.of("server"), null));
        assertSameFiles(before, files(), Set.of());

        Files.delete(dir.resolve("agency-2/tls.crt"));
        assertEquals(List.of("agency-2", "agency-3"), MakeKeys.make(dir, 3, List.of("server"), null));
        Map<String, byte[]> after = files();
        assertSameFiles(before, after, Set.of("agency-2/"));
        assertFalse(java.util.Arrays.equals(before.get("agency-2/tls.key"), after.get("agency-2/tls.key")),
                "agency 2 has a new key");
        assertTrue(after.containsKey("agency-3/tls.key"));
        for (String party : List.of("agency-2", "agency-3")) {
            TlsMaterial.load(dir.resolve(party), party).certificate()
                    .verify(TlsMaterial.certificate(dir.resolve("ca/ca.crt"), "test").getPublicKey());
        }
    }

    @Test
    void withoutTheCaEverythingIsMadeAnew() throws Exception {
        MakeKeys.make(dir, 1, List.of("server"), null);
        byte[] agencyKey = Files.readAllBytes(dir.resolve("agency-1/tls.key"));
        Files.delete(dir.resolve("ca/ca.crt"));
        assertEquals(List.of("ca", "server", "agency-1"), MakeKeys.make(dir, 1, List.of("server"), null));
        assertFalse(java.util.Arrays.equals(agencyKey, Files.readAllBytes(dir.resolve("agency-1/tls.key"))));
        TlsMaterial.load(dir.resolve("agency-1"), "test");
    }

    @Test
    void aCertificateStartedTenDaysAgoForOneDayIsExpired() throws Exception {
        MakeKeys.make(dir, 1, List.of("server"), null);
        MakeKeys.issue(dir, "expired-agency-1", TlsMaterial.agencyName(1), List.of(), false, "-10d", 1);
        X509Certificate expired = TlsMaterial.certificate(dir.resolve("expired-agency-1/tls.crt"), "test");
        assertThrows(CertificateExpiredException.class, expired::checkValidity);
        Instant tenDaysAgo = Instant.now().minus(Duration.ofDays(10));
        assertTrue(Duration.between(tenDaysAgo, expired.getNotBefore().toInstant()).abs().toHours() <= 2,
                "starts ten days ago (give or take a change of daylight saving time): " + expired.getNotBefore());
        assertEquals(Duration.ofDays(1), Duration.between(expired.getNotBefore().toInstant(), expired.getNotAfter().toInstant()));
        expired.verify(TlsMaterial.certificate(dir.resolve("ca/ca.crt"), "test").getPublicKey());
        ConfigException refused = assertThrows(ConfigException.class,
                () -> TlsMaterial.load(dir.resolve("expired-agency-1"), "test"));
        assertTrue(refused.getMessage().contains("is not valid now"), refused.getMessage());
    }

    @Test
    void aPartyOfAnotherCaIsRefused() throws Exception {
        MakeKeys.make(dir, 1, List.of("server"), null);
        Path other = dir.resolve("other");
        MakeKeys.makeCa(other, "Another CA", null, 30);
        MakeKeys.issue(other, "agency-1", TlsMaterial.agencyName(1), List.of(), false, null, 30);
        TlsMaterial.load(other.resolve("agency-1"), "test");
        Files.copy(dir.resolve("ca/ca.crt"), other.resolve("agency-1/ca.crt"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        ConfigException refused = assertThrows(ConfigException.class, () -> TlsMaterial.load(other.resolve("agency-1"), "test"));
        assertTrue(refused.getMessage().contains("is not signed by the CA"), refused.getMessage());
    }

    @Test
    void theOwnerIsGivenEachPartysDirectoryButNotTheCa() throws Exception {
        assumeTrue("root".equals(System.getProperty("user.name")), "chown needs root");
        MakeKeys.make(dir, 1, List.of("server"), "10001:10002");
        for (Path file : List.of(dir.resolve("server"), dir.resolve("server/tls.key"), dir.resolve("agency-1/ca.crt"))) {
            assertEquals(10001, Files.getAttribute(file, "unix:uid"), file.toString());
            assertEquals(10002, Files.getAttribute(file, "unix:gid"), file.toString());
        }
        assertEquals(0, Files.getAttribute(dir.resolve("ca/ca.key"), "unix:uid"));
    }

    @Test
    void startDatesAreTakenAsKeytoolTakesThem() {
        ZoneId zone = ZoneId.systemDefault();
        Instant now = Instant.now();
        assertTrue(Duration.between(now, MakeKeys.startOf(null)).abs().toSeconds() <= 2);
        Instant back = now.atZone(zone).minusYears(1).plusMonths(6).minusHours(2).toInstant();
        assertTrue(Duration.between(back, MakeKeys.startOf("-1y+6m-2H")).abs().toSeconds() <= 2);
        assertEquals(java.time.LocalDateTime.of(2020, 3, 4, 5, 6, 7).atZone(zone).toInstant(),
                MakeKeys.startOf("2020/03/04 05:06:07"));
        assertEquals(java.time.LocalDate.of(2020, 3, 4), MakeKeys.startOf("2020/03/04").atZone(zone).toLocalDate());
        for (String wrong : List.of("-10", "10d", "-10x", "-10d+", "-10d 1", "2020-03-04", "yesterday")) {
            assertThrows(IllegalArgumentException.class, () -> MakeKeys.startOf(wrong), wrong);
        }
    }

    private static byte[] keyIdentifier(X509Certificate certificate) {
        return SubjectKeyIdentifier.getInstance(
                ASN1OctetString.getInstance(certificate.getExtensionValue("2.5.29.14")).getOctets()).getKeyIdentifier();
    }

    private static void assertValidFor(X509Certificate certificate, int days) throws Exception {
        certificate.checkValidity();
        assertEquals(Duration.ofDays(days), Duration.between(certificate.getNotBefore().toInstant(),
                certificate.getNotAfter().toInstant()));
        assertTrue(Duration.between(certificate.getNotBefore().toInstant(), Instant.now()).abs().toMinutes() < 5,
                "starts now: " + certificate.getNotBefore());
    }

    /** Every file under dir by its relative path, with its bytes. */
    private Map<String, byte[]> files() throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> all = Files.walk(dir)) {
            for (Path file : all.filter(Files::isRegularFile).toList()) {
                files.put(dir.relativize(file).toString(), Files.readAllBytes(file));
            }
        }
        return files;
    }

    private static void assertSameFiles(Map<String, byte[]> before, Map<String, byte[]> after, Set<String> remade) {
        for (Map.Entry<String, byte[]> file : before.entrySet()) {
            if (remade.stream().noneMatch(file.getKey()::startsWith)) {
                assertArrayEquals(file.getValue(), after.get(file.getKey()), file.getKey() + " kept as it was");
            }
        }
    }

    /**
     * In Compose the pki service's output is among `docker compose logs`: one line of the log
     * contract whatever happens, never free text or a stack trace.
     */
    @Test
    void itsMainSaysWhatItMadeInOneLogLine(@TempDir Path dir) throws Exception {
        Path pki = dir.resolve("pki");
        LogGrammar.Entry made = runMain(0, pki.toString(), "1");
        assertEquals("make_keys", made.action());
        assertEquals("success", made.result());
        assertEquals("ca, server, agency-1", made.detail("made"));
        assertEquals("none: every key was there already", runMain(0, pki.toString(), "1").detail("made"));

        Path file = Files.writeString(dir.resolve("a-file"), "not a directory");
        LogGrammar.Entry failed = runMain(1, file.toString(), "1");
        assertEquals("fail", failed.result());
        assertTrue(failed.detail("error").contains(file.toString()), failed.detail("error"));
    }

    /** MakeKeys.main in a JVM of its own; its one line of output, parsed; its exit status checked. */
    private static LogGrammar.Entry runMain(int status, String... args) throws Exception {
        try (JavaProcess process = JavaProcess.start(MakeKeys.class.getName(), List.of(args), Map.of(), Path.of("."),
                "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")) {
            assertEquals(status, process.waitForExit(Duration.ofSeconds(60)), String.join("\n", process.lines()));
            assertEquals(1, process.lines().size(), String.join("\n", process.lines()));
            return LogGrammar.parse(process.lines().get(0));
        }
    }
}
