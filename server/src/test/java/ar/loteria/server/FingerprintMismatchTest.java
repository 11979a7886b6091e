package ar.loteria.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.codegen.IdlCompiler;
import ar.loteria.protocol.LoteriaProtocol;
import ar.loteria.server.support.Dataset;
import ar.loteria.common.JavaProcess;
import ar.loteria.server.support.LogCapture;
import ar.loteria.server.support.ServerHarness;
import ar.loteria.server.support.StoredBets;
import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agency built from an IDL with one field added (Winners gets {@code string list notes}) meets
 * the current central: both log the two fingerprints at the agency's first message, the agency
 * exits 1, and nothing is stored, instead of failing on some later frame.
 */
@Timeout(120)
class FingerprintMismatchTest {
    @TempDir
    Path dir;

    /** The real client's classes, with the codecs generated from the changed IDL in front of the current ones. */
    private String clientBuiltFromAChangedIdl() throws Exception {
        Path idl = Files.createDirectories(dir.resolve("idl"));
        String changed = Files.readString(Path.of("../idl/loteria.idl")).replace(
                "message Winners = 0x07 {\n  int agency;\n  string list documents;\n}",
                "message Winners = 0x07 {\n  int agency;\n  string list documents;\n  string list notes;\n}");
        assertTrue(changed.contains("string list notes;"), "the IDL edit applies");
        Files.writeString(idl.resolve("loteria.idl"), changed);
        Path sources = dir.resolve("generated");
        IdlCompiler.compile(idl, sources);
        Path classes = Files.createDirectories(dir.resolve("classes"));
        List<String> arguments = new ArrayList<>(List.of("-d", classes.toString(), "-cp",
                System.getProperty("java.class.path"), "--release", "17"));
        try (Stream<Path> walk = Files.walk(sources)) {
            walk.filter(p -> p.toString().endsWith(".java")).forEach(p -> arguments.add(p.toString()));
        }
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertEquals(0, javac.run(null, null, null, arguments.toArray(String[]::new)), "the changed IDL compiles");
        return classes + File.pathSeparator + System.getProperty("java.class.path");
    }

    @Test
    void anAgencyOfAnotherIdlIsRefusedAtOnceWithBothFingerprints() throws Exception {
        String classPath = clientBuiltFromAChangedIdl();
        Dataset.extract(dir);
        try (LogCapture logs = LogCapture.begin(); ServerHarness central = ServerHarness.start(dir.resolve("storage"), 5)) {
            Path yaml = Files.writeString(dir.resolve("config.yaml"),
                    "server:\n  address: \"127.0.0.1:" + central.port() + "\"\nloop:\n  amount: 3\n  period: \"50ms\"\n");
            Map<String, String> env = Map.of("CLI_ID", "1", "CLI_CONFIG_FILE", yaml.toString(),
                    "CLI_DATA_FILE", Dataset.agencyFile(dir, 1).toString());
            try (JavaProcess agency = JavaProcess.start(classPath, "ar.loteria.client.ClientMain", env, dir)) {
                assertEquals(1, agency.waitForExit(Duration.ofSeconds(30)), String.join("\n", agency.lines()));
                List<String> failures = agency.lines().stream().filter(l -> l.contains("result: fail")).toList();
                assertEquals(1, failures.size(), String.join("\n", agency.lines()));
                String agencyLine = failures.get(0);
                String central1 = logs.matching("action: sesion | result: fail").get(0);
                String mismatch = "protocol fingerprint mismatch: central " + LoteriaProtocol.FINGERPRINT + ", agency ";
                assertTrue(agencyLine.contains("action: loop_failed | result: fail | client_id: 1 | error: PROTOCOL_MISMATCH: "
                        + mismatch), agencyLine);
                assertTrue(central1.contains(mismatch), central1);
                String agencyFingerprint = central1.substring(central1.indexOf(mismatch) + mismatch.length()).substring(0, 16);
                assertTrue(agencyFingerprint.matches("[0-9a-f]{16}") && !agencyFingerprint.equals(LoteriaProtocol.FINGERPRINT),
                        agencyFingerprint);
                assertTrue(agencyLine.contains(agencyFingerprint), "the agency's line names its own fingerprint too");
            }
            assertEquals(List.of(), StoredBets.rows(central.storageDir()), "nothing stored");
        }
    }
}
