package ar.loteria.codegen.generate;

import ar.loteria.codegen.model.EnumDef;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;

/**
 * One Java enum per IDL enum: its constants with their wire values, and {@code fromWire}, which
 * the codecs use to read a field of the enum (a value this build does not know reads as null, and
 * the codec refuses it).
 */
final class EnumGenerator {
    private final Naming naming;

    EnumGenerator(Naming naming) {
        this.naming = naming;
    }

    JavaFile enumType(EnumDef enumDef) {
        ClassName type = naming.type(enumDef.name());
        TypeSpec.Builder builder = TypeSpec.enumBuilder(type)
                .addJavadoc("Enum {@code $L} of {@code $L}: an int on the wire, one of these values.\n", enumDef.name(),
                        naming.sourceFileName())
                .addModifiers(Modifier.PUBLIC);
        for (EnumDef.Constant constant : enumDef.constants()) {
            TypeSpec.Builder body = TypeSpec.anonymousClassBuilder("$L", constant.value());
            if (!constant.doc().isEmpty()) {
                // A comment may hold */, or a backslash: javac reads backslash-u as a unicode escape even in a comment.
                body.addJavadoc("$L\n", constant.doc().replace("\\", "&#92;").replace("*/", "*&#47;"));
            }
            builder.addEnumConstant(constant.name(), body.build());
        }
        return naming.file(builder
                .addField(FieldSpec.builder(TypeName.INT, "wireValue", Modifier.PRIVATE, Modifier.FINAL).build())
                .addMethod(MethodSpec.constructorBuilder()
                        .addParameter(TypeName.INT, "wireValue")
                        .addStatement("this.wireValue = wireValue")
                        .build())
                .addMethod(MethodSpec.methodBuilder("wireValue")
                        .addJavadoc("The value that stands for this constant on the wire.\n")
                        .addModifiers(Modifier.PUBLIC)
                        .returns(TypeName.INT)
                        .addStatement("return wireValue")
                        .build())
                .addMethod(fromWire(enumDef, type))
                .build());
    }

    private static MethodSpec fromWire(EnumDef enumDef, ClassName type) {
        MethodSpec.Builder method = MethodSpec.methodBuilder("fromWire")
                .addJavadoc("The constant of a wire value, or null when this build knows none of that value.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(type)
                .addParameter(TypeName.INT, "wireValue")
                .beginControlFlow("switch (wireValue)");
        for (EnumDef.Constant constant : enumDef.constants()) {
            method.addStatement("case $L: return $N", constant.value(), constant.name());
        }
        return method.addStatement("default: return null")
                .endControlFlow()
                .build();
    }
}
