package ar.loteria.codegen.generate;

import static ar.loteria.codegen.generate.RuntimeTypes.MESSAGE;
import static ar.loteria.codegen.generate.RuntimeTypes.MESSAGE_CODEC;
import static ar.loteria.codegen.generate.RuntimeTypes.UNKNOWN_OPCODE_EXCEPTION;

import ar.loteria.codegen.model.MessageDef;
import ar.loteria.codegen.model.WireFingerprint;
import com.palantir.javapoet.AnnotationSpec;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterizedTypeName;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import com.palantir.javapoet.TypeVariableName;
import com.palantir.javapoet.WildcardTypeName;
import javax.lang.model.element.Modifier;

/** {@code <Protocol>Protocol}: maps opcodes to codecs, for FrameCodec. */
final class ProtocolRegistryGenerator {
    private final Naming naming;

    ProtocolRegistryGenerator(Naming naming) {
        this.naming = naming;
    }

    JavaFile registry() {
        ClassName registry = naming.protocol();
        TypeSpec type = TypeSpec.classBuilder(registry)
                .addJavadoc("The messages of protocol {@code $L} ($L), by opcode.\n", naming.schema().protocolName(),
                        naming.sourceFileName())
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addSuperinterface(RuntimeTypes.PROTOCOL)
                .addField(FieldSpec.builder(registry, "INSTANCE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .initializer("new $T()", registry)
                        .build())
                .addField(FieldSpec.builder(String.class, "FINGERPRINT", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("Hash of the opcodes and field types of every message: see {@code WireFingerprint}.\n"
                                + "A compile-time constant, copied into the classes that name it: code that must see\n"
                                + "the fingerprint of the protocol classes it runs with calls {@link #fingerprint()}.\n")
                        .initializer("$S", WireFingerprint.of(naming.schema()))
                        .build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .addMethod(codec())
                .addMethod(codecOf())
                .addMethod(nameOf())
                .addMethod(fingerprint())
                .build();
        return naming.file(type);
    }

    private MethodSpec fingerprint() {
        return MethodSpec.methodBuilder("fingerprint")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addStatement("return FINGERPRINT")
                .build();
    }

    private MethodSpec codec() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("codec")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(ParameterizedTypeName.get(MESSAGE_CODEC, WildcardTypeName.subtypeOf(MESSAGE)))
                .addParameter(TypeName.INT, "opcode")
                .addException(UNKNOWN_OPCODE_EXCEPTION)
                .beginControlFlow("switch (opcode)");
        for (MessageDef message : naming.schema().messages()) {
            method.addStatement("case $T.OPCODE: return $T.INSTANCE", naming.type(message.name()),
                    naming.codec(message.name()));
        }
        return method.addStatement("default: throw new $T(opcode)", UNKNOWN_OPCODE_EXCEPTION)
                .endControlFlow()
                .build();
    }

    private MethodSpec codecOf() {
        TypeVariableName t = TypeVariableName.get("T", MESSAGE);
        MethodSpec.Builder method = MethodSpec.methodBuilder("codecOf")
                .addAnnotation(Override.class)
                .addAnnotation(AnnotationSpec.builder(SuppressWarnings.class).addMember("value", "$S", "unchecked").build())
                .addModifiers(Modifier.PUBLIC)
                .addTypeVariable(t)
                .returns(ParameterizedTypeName.get(MESSAGE_CODEC, t))
                .addParameter(t, "message")
                .addStatement("$T codec", ParameterizedTypeName.get(MESSAGE_CODEC, WildcardTypeName.subtypeOf(MESSAGE)))
                .beginControlFlow("switch (message.opcode())");
        for (MessageDef message : naming.schema().messages()) {
            method.addStatement("case $T.OPCODE: codec = $T.INSTANCE; break", naming.type(message.name()),
                    naming.codec(message.name()));
        }
        return method.addStatement("default: throw new $T($S + message.messageName())",
                        IllegalArgumentException.class, "not a message of protocol " + naming.schema().protocolName() + ": ")
                .endControlFlow()
                .addStatement("return ($T) codec", ParameterizedTypeName.get(MESSAGE_CODEC, t))
                .build();
    }

    private MethodSpec nameOf() {
        MethodSpec.Builder method = MethodSpec.methodBuilder("nameOf")
                .addAnnotation(Override.class)
                .addModifiers(Modifier.PUBLIC)
                .returns(String.class)
                .addParameter(TypeName.INT, "opcode")
                .beginControlFlow("switch (opcode)");
        for (MessageDef message : naming.schema().messages()) {
            method.addStatement("case $T.OPCODE: return $T.NAME", naming.type(message.name()), naming.type(message.name()));
        }
        return method.addStatement("default: return null")
                .endControlFlow()
                .build();
    }
}
