package ar.loteria.codegen.generate;

import com.palantir.javapoet.ClassName;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** Types the generated code refers to: the hand-written runtime of module generated-protocol, and the JDK. */
final class RuntimeTypes {
    static final String RUNTIME_PACKAGE = "ar.loteria.protocol.runtime";

    static final ClassName WIRE = ClassName.get(RUNTIME_PACKAGE, "Wire");
    static final ClassName MESSAGE = ClassName.get(RUNTIME_PACKAGE, "Message");
    static final ClassName MESSAGE_CODEC = ClassName.get(RUNTIME_PACKAGE, "MessageCodec");
    static final ClassName PROTOCOL = ClassName.get(RUNTIME_PACKAGE, "Protocol");
    static final ClassName PROTOCOL_EXCEPTION = ClassName.get(RUNTIME_PACKAGE, "ProtocolException");
    static final ClassName MALFORMED_FIELD_EXCEPTION = ClassName.get(RUNTIME_PACKAGE, "MalformedFieldException");
    static final ClassName UNKNOWN_OPCODE_EXCEPTION = ClassName.get(RUNTIME_PACKAGE, "UnknownOpcodeException");

    static final ClassName BYTE_BUFFER = ClassName.get(ByteBuffer.class);
    static final ClassName LIST = ClassName.get(List.class);
    static final ClassName MAP = ClassName.get(Map.class);
    static final ClassName OBJECTS = ClassName.get(Objects.class);

    private RuntimeTypes() {
    }
}
