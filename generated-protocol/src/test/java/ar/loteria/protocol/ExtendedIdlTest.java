package ar.loteria.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.MalformedFieldException;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.Protocol;
import java.io.File;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * "Changing the IDL is the only codec-side change": the generator runs on the real
 * {@code idl/loteria.idl} edited as a developer would edit it (a new field, a new record and
 * message, a new error code), the output is compiled in-process against the runtime, loaded, and
 * round-tripped through FrameCodec, with no hand-written codec code.
 */
class ExtendedIdlTest {
    private static final String PACKAGE = "ar.loteria.protocol.extended.";

    @TempDir
    static Path temp;
    private static URLClassLoader loader;
    private static FrameCodec codec;

    @BeforeAll
    static void generateCompileAndLoad() throws Exception {
        // 13 messages and 2 records, each with its codec, the enum and the registry
        loader = GeneratedCode.compile(temp, "extended.idl", extendedIdl(), 2 * 13 + 2 * 2 + 1 + 1);
        Protocol protocol = (Protocol) loader.loadClass(PACKAGE + "LoteriaProtocol").getField("INSTANCE").get(null);
        codec = new FrameCodec(protocol, 8192);
    }

    /** The real IDL with the edits a developer would make, each one checked to apply. */
    private static String extendedIdl() throws IOException {
        String idl = Files.readString(Path.of(System.getProperty("idl.dir", "../idl")).resolve("loteria.idl"));
        idl = edit(idl, "package ar.loteria.protocol;", "package ar.loteria.protocol.extended;");
        idl = edit(idl, "  Bet list bets;\n}", "  Bet list bets;\n  string list comments;  // a new field\n}");
        idl = edit(idl, "enum ErrorCode {\n", "enum ErrorCode {\n  BETS_CLOSED = 99;  // a new code\n");
        return idl + """

                record Count {
                  string label;
                  int value;
                }

                message AgencyStats = 0x0D {
                  int agency;
                  string map labels;
                  Count total;
                  Count list perDay;
                }
                """;
    }

    private static String edit(String idl, String from, String to) {
        assertTrue(idl.contains(from), "idl/loteria.idl no longer holds: " + from);
        return idl.replace(from, to);
    }

    @AfterAll
    static void close() throws IOException {
        loader.close();
    }

    /** Builds a generated record by its components, in declaration order. */
    private static Object make(String simpleName, Object... values) throws Exception {
        Class<?> type = loader.loadClass(PACKAGE + simpleName);
        Class<?>[] parameterTypes = Arrays.stream(type.getRecordComponents()).map(RecordComponent::getType)
                .toArray(Class<?>[]::new);
        Constructor<?> constructor = type.getConstructor(parameterTypes);
        return constructor.newInstance(values);
    }

    private static Message roundTrip(Message message) throws Exception {
        byte[] frame = codec.encode(message);
        Message decoded = codec.decodeFrame(ByteBuffer.wrap(frame));
        assertEquals(message, decoded);
        return decoded;
    }

    @Test
    void theExtendedMessageCarriesItsNewField() throws Exception {
        Object bet = make("Bet", "Tiago Nicolás", "Rivera", "34407255", "1993-09-16", 7574);
        Message batch = (Message) make("BetBatch", 2, 0, List.of(bet), List.of("first", "", "ñ"));
        Message decoded = roundTrip(batch);
        assertEquals(List.of("first", "", "ñ"), decoded.getClass().getMethod("comments").invoke(decoded));
        assertEquals(1, decoded.opcode());
        // agency, firstBet, count, bet (20 + 14 + 6 + 8 + 10), comments count, "first" (4+5), "" (4), "ñ" (4+2)
        assertEquals(5 + 4 + 4 + 4 + 58 + 4 + 9 + 4 + 6, codec.frameSize(batch));
    }

    @Test
    void theNewMessageRoundTrips() throws Exception {
        Message stats = (Message) make("AgencyStats", 4, Map.of("zona", "norte", "ciudad", "Córdoba"),
                make("Count", "total", 78697), List.of(make("Count", "lunes", 10), make("Count", "martes", 0)));
        Message decoded = roundTrip(stats);
        assertEquals("AgencyStats", decoded.messageName());
        assertEquals(0x0D, decoded.opcode());
        assertEquals("AgencyStats", codec.protocol().nameOf(0x0D));
        assertEquals(Map.of("zona", "norte", "ciudad", "Córdoba"), decoded.getClass().getMethod("labels").invoke(decoded));

        Message empty = (Message) make("AgencyStats", 0, Map.of(), make("Count", "", 0), List.of());
        roundTrip(empty);
        assertEquals(5 + 4 + 4 + 8 + 4, codec.frameSize(empty));
    }

    @Test
    void aStringMapKeepsItsOrderSoEqualMapsEncodeToEqualBytes() throws Exception {
        java.util.LinkedHashMap<String, String> labels = new java.util.LinkedHashMap<>();
        for (String key : List.of("zeta", "alfa", "mu", "beta", "omega", "delta")) {
            labels.put(key, key.toUpperCase());
        }
        Message stats = (Message) make("AgencyStats", 1, labels, make("Count", "t", 1), List.of());
        Object kept = stats.getClass().getMethod("labels").invoke(stats);
        assertEquals(List.copyOf(labels.keySet()), List.copyOf(((Map<?, ?>) kept).keySet()));
        // keys on the wire in the caller's order: "zeta" first, right after agency and the entry count
        byte[] frame = codec.encode(stats);
        assertEquals("zeta", new String(frame, 5 + 4 + 4 + 4, 4, java.nio.charset.StandardCharsets.UTF_8));
        Message decoded = roundTrip(stats);
        assertEquals(List.copyOf(labels.keySet()),
                List.copyOf(((Map<?, ?>) decoded.getClass().getMethod("labels").invoke(decoded)).keySet()));
        assertThrows(NullPointerException.class, () -> {
            java.util.HashMap<String, String> withNull = new java.util.HashMap<>();
            withNull.put("k", null);
            try {
                make("AgencyStats", 1, withNull, make("Count", "t", 1), List.of());
            } catch (java.lang.reflect.InvocationTargetException e) {
                throw e.getCause();
            }
        });
    }

    @Test
    void theNewCodecsAreAsStrictAsTheOldOnes() throws Exception {
        // AgencyStats: agency 1, labels: 1 entry "a" -> "b", total: label "x", value 1, perDay: 1 element whose label is invalid UTF-8
        byte[] frame = Frames.hex("0d 00000028 00000001 00000001 00000001 61 00000001 62 00000001 78 00000001"
                + " 00000001 00000001 ff 00000000");
        MalformedFieldException e = assertThrows(MalformedFieldException.class,
                () -> codec.decodeFrame(ByteBuffer.wrap(frame)));
        assertEquals("AgencyStats.perDay[0].label: invalid UTF-8 in the 1-byte string at offset 31: FF at its byte 0", e.getMessage());

        byte[] duplicateKey = Frames.hex("0d 00000026 00000001 00000002 00000001 61 00000000 00000001 61 00000000"
                + " 00000000 00000000 00000000");
        assertEquals("AgencyStats.labels: duplicate key \"a\" at offset 17",
                assertThrows(MalformedFieldException.class, () -> codec.decodeFrame(ByteBuffer.wrap(duplicateKey)))
                        .getMessage());
    }

    @Test
    void aNewErrorCodeIsOnlyAnEditOfTheIdl() throws Exception {
        Class<?> codes = loader.loadClass(PACKAGE + "ErrorCode");
        Object betsClosed = codes.getMethod("fromWire", int.class).invoke(null, 99);
        assertEquals("BETS_CLOSED", String.valueOf(betsClosed));
        Message error = (Message) make("ProtocolError", betsClosed, "bets closed at 21:00");
        roundTrip(error);

        // A build that does not know the code refuses it, naming the value.
        FrameCodec ours = new FrameCodec(LoteriaProtocol.INSTANCE, 8192);
        MalformedFieldException e = assertThrows(MalformedFieldException.class,
                () -> ours.decodeFrame(ByteBuffer.wrap(codec.encode(error))));
        assertEquals("ProtocolError.code: 99 is not a value of ErrorCode that this build knows", e.getMessage());
    }

    @Test
    void aNewFieldChangesTheFingerprint() {
        String extended = codec.protocol().fingerprint();
        assertTrue(extended.matches("[0-9a-f]{16}"), extended);
        org.junit.jupiter.api.Assertions.assertNotEquals(LoteriaProtocol.FINGERPRINT, extended);
    }

    @Test
    void theCompiledClassesComeFromTheGeneratedSources() throws Exception {
        Class<?> batch = loader.loadClass(PACKAGE + "BetBatch");
        assertTrue(batch.isRecord());
        assertEquals(List.of("agency", "firstBet", "bets", "comments"),
                Arrays.stream(batch.getRecordComponents()).map(RecordComponent::getName).toList());
        assertEquals(loader, batch.getClassLoader());
        File source = temp.resolve("src/ar/loteria/protocol/extended/AgencyStatsCodec.java").toFile();
        assertTrue(source.isFile());
        assertTrue(Files.readString(source.toPath()).startsWith(
                "// Generated by the Lotería IDL compiler from extended.idl. Do not edit."));
    }
}
