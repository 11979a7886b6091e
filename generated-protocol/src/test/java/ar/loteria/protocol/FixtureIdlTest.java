package ar.loteria.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ar.loteria.protocol.runtime.FrameCodec;
import ar.loteria.protocol.runtime.MalformedFieldException;
import ar.loteria.protocol.runtime.Message;
import ar.loteria.protocol.runtime.Protocol;
import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.RecordComponent;
import java.net.URLClassLoader;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The code of the golden files' fixture (codegen/src/test/resources/fixture/fixture.idl, every type
 * form of the IDL) compiles without a warning and round-trips: what the golden files show works.
 */
class FixtureIdlTest {
    private static final String PACKAGE = "ar.loteria.fixture.";

    @TempDir
    static Path temp;
    private static URLClassLoader loader;
    private static FrameCodec codec;

    @BeforeAll
    static void generateCompileAndLoad() throws Exception {
        String idl = Files.readString(Path.of("../codegen/src/test/resources/fixture/fixture.idl"));
        // 2 messages and 2 records, each with its codec, 1 enum, the registry
        loader = GeneratedCode.compile(temp, "fixture.idl", idl, 2 * 2 + 2 * 2 + 1 + 1);
        Protocol protocol = (Protocol) loader.loadClass(PACKAGE + "FixtureProtocol").getField("INSTANCE").get(null);
        codec = new FrameCodec(protocol, 1 << 16);
    }

    @AfterAll
    static void close() throws IOException {
        loader.close();
    }

    private static Object make(String simpleName, Object... values) throws Exception {
        Class<?> type = loader.loadClass(PACKAGE + simpleName);
        Constructor<?> constructor = type.getConstructor(Arrays.stream(type.getRecordComponents())
                .map(RecordComponent::getType).toArray(Class<?>[]::new));
        return constructor.newInstance(values);
    }

    private static Object color(int wireValue) throws Exception {
        return loader.loadClass(PACKAGE + "Color").getMethod("fromWire", int.class).invoke(null, wireValue);
    }

    @Test
    void everyTypeFormRoundTrips() throws Exception {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("z", "last first");
        labels.put("a", "ñ");
        Object shape = make("Shape", "triángulo", color(10), make("Point", 1, -2),
                List.of(make("Point", 0, 0), make("Point", 3, 4)), List.of("a", ""), labels);
        Object empty = make("Shape", "", color(1), make("Point", 0, 0), List.of(), List.of(), Map.of());
        Message draw = (Message) make("Draw", 7, "título", List.of("n1"), Map.of("k", "v"), shape,
                List.of(shape, empty), color(2));
        for (Message message : List.of(draw, (Message) make("Clear"))) {
            byte[] frame = codec.encode(message);
            assertEquals(frame.length, codec.frameSize(message));
            assertEquals(message, codec.decodeFrame(ByteBuffer.wrap(frame)));
        }
        assertEquals(5, codec.encode((Message) make("Clear")).length, "an empty message is its header");
    }

    @Test
    void anEnumValueTheBuildDoesNotKnowIsRefusedNamingTheFieldAndTheValue() throws Exception {
        Object shape = make("Shape", "", color(1), make("Point", 0, 0), List.of(), List.of(), Map.of());
        byte[] frame = codec.encode((Message) make("Draw", 1, "", List.of(), Map.of(), shape, List.of(shape), color(2)));
        ByteBuffer.wrap(frame).putInt(frame.length - 4, 3); // background: 3 is no Color
        assertEquals("Draw.background: 3 is not a value of Color that this build knows",
                assertThrows(MalformedFieldException.class, () -> codec.decodeFrame(ByteBuffer.wrap(frame))).getMessage());
        // the first shape's color: after id (4), title (4), notes (4), attributes (4) and the shape's name (4)
        ByteBuffer.wrap(frame).putInt(frame.length - 4, 2).putInt(5 + 20, -1);
        assertEquals("Draw.shape.color: -1 is not a value of Color that this build knows",
                assertThrows(MalformedFieldException.class, () -> codec.decodeFrame(ByteBuffer.wrap(frame))).getMessage());
    }
}
