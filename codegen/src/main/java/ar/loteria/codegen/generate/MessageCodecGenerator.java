package ar.loteria.codegen.generate;

import static ar.loteria.codegen.generate.RuntimeTypes.BYTE_BUFFER;
import static ar.loteria.codegen.generate.RuntimeTypes.MESSAGE_CODEC;
import static ar.loteria.codegen.generate.RuntimeTypes.PROTOCOL_EXCEPTION;
import static ar.loteria.codegen.generate.RuntimeTypes.WIRE;

import ar.loteria.codegen.model.MessageDef;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;

/** {@code <Message>Codec}: the {@code MessageCodec} singleton of one message (the body; FrameCodec adds the header). */
final class MessageCodecGenerator {
    private final Naming naming;
    private final FieldCode fieldCode;

    MessageCodecGenerator(Naming naming) {
        this.naming = naming;
        this.fieldCode = new FieldCode(naming);
    }

    JavaFile codec(MessageDef message) {
        ClassName type = naming.type(message.name());
        ClassName codecType = naming.codec(message.name());
        TypeSpec codec = TypeSpec.classBuilder(codecType)
                .addJavadoc("Body codec of {@link $T} (opcode $L).\n", type, String.format("0x%02x", message.opcode()))
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(ParameterizedTypeName.get(MESSAGE_CODEC, type))
                .addField(FieldSpec.builder(codecType, "INSTANCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .initializer("new $T()", codecType)
                        .build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .addMethod(MethodSpec.methodBuilder("opcode")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(TypeName.INT)
                        .addStatement("return $T.OPCODE", type)
                        .build())
                .addMethod(bodySize(message, type))
                .addMethod(encodeBody(message, type))
                .addMethod(decodeBody(message, type))
                .build();
        return naming.file(codec);
    }

    private MethodSpec bodySize(MessageDef message, ClassName type) {
        return fieldCode.sizeMethod("bodySize", type, "message", message.fields())
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .build();
    }

    private MethodSpec encodeBody(MessageDef message, ClassName type) {
        NameAllocator names = new NameAllocator();
        String value = names.newName("message");
        String out = names.newName("out");
        return MethodSpec.methodBuilder("encodeBody")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .addParameter(type, value)
                .addParameter(BYTE_BUFFER, out)
                .addCode(fieldCode.writes(message.fields(), value, out, names))
                .build();
    }

    private MethodSpec decodeBody(MessageDef message, ClassName type) {
        NameAllocator names = new NameAllocator();
        String in = names.newName("in");
        CodeBlock messageName = CodeBlock.of("$T.NAME", type);
        FieldCode.Reads reads = fieldCode.reads(message.fields(), type, in, messageName, names);
        return MethodSpec.methodBuilder("decodeBody")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(type)
                .addParameter(BYTE_BUFFER, in)
                .addException(PROTOCOL_EXCEPTION)
                .addCode(reads.statements())
                .addStatement("$T.expectEnd($N, $L)", WIRE, in, messageName)
                .addStatement("return $L", reads.construction())
                .build();
    }
}
