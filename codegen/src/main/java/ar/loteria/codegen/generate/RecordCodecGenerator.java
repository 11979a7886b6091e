package ar.loteria.codegen.generate;

import static ar.loteria.codegen.generate.RuntimeTypes.BYTE_BUFFER;
import static ar.loteria.codegen.generate.RuntimeTypes.MALFORMED_FIELD_EXCEPTION;
import static ar.loteria.codegen.generate.RuntimeTypes.PROTOCOL_EXCEPTION;

import ar.loteria.codegen.model.RecordDef;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import javax.lang.model.element.Modifier;

/**
 * {@code <Record>Codec}: static sizeOf / write / read of one record, used by every message (and
 * record) that has a field of that record type.
 */
final class RecordCodecGenerator {
    private final Naming naming;
    private final FieldCode fieldCode;

    RecordCodecGenerator(Naming naming) {
        this.naming = naming;
        this.fieldCode = new FieldCode(naming);
    }

    JavaFile codec(RecordDef record) {
        ClassName type = naming.type(record.name());
        int minSize = WireSizes.minSize(naming.schema(), record.fields());
        TypeSpec codec = TypeSpec.classBuilder(naming.codec(record.name()))
                .addJavadoc("Encodes and decodes {@link $T}. Static methods only.\n", type)
                .addModifiers(Modifier.PUBLIC, Modifier.FINAL)
                .addField(FieldSpec.builder(TypeName.INT, "MIN_SIZE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .addJavadoc("Bytes of the smallest encoding (every string and list empty).\n")
                        .initializer("$L", minSize)
                        .build())
                .addMethod(MethodSpec.constructorBuilder().addModifiers(Modifier.PRIVATE).build())
                .addMethod(sizeOf(record, type))
                .addMethod(write(record, type))
                .addMethod(read(type))
                .addMethod(readElement(type))
                .addMethod(readFields(record, type))
                .build();
        return naming.file(codec);
    }

    private MethodSpec sizeOf(RecordDef record, ClassName type) {
        return fieldCode.sizeMethod("sizeOf", type, "value", record.fields())
                .addJavadoc("Exact number of bytes {@link #write} writes for {@code value}.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .build();
    }

    private MethodSpec write(RecordDef record, ClassName type) {
        NameAllocator names = new NameAllocator();
        String out = names.newName("out");
        String value = names.newName("value");
        return MethodSpec.methodBuilder("write")
                .addJavadoc("Writes {@code $N} at {@code $N}'s position, which must have {@link #sizeOf} bytes left.\n",
                        value, out)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .addParameter(BYTE_BUFFER, out)
                .addParameter(type, value)
                .addCode(fieldCode.writes(record.fields(), value, out, names))
                .build();
    }

    private MethodSpec read(ClassName type) {
        return MethodSpec.methodBuilder("read")
                .addJavadoc("Reads one {@code $T}; errors name the field as {@code path.field} inside {@code message}.\n",
                        type)
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(type)
                .addParameter(BYTE_BUFFER, "in")
                .addParameter(String.class, "message")
                .addParameter(String.class, "path")
                .addException(PROTOCOL_EXCEPTION)
                .beginControlFlow("try")
                .addStatement("return readFields(in, message)")
                .nextControlFlow("catch ($T e)", MALFORMED_FIELD_EXCEPTION)
                .addStatement("throw e.within(path)")
                .endControlFlow()
                .build();
    }

    private MethodSpec readElement(ClassName type) {
        return MethodSpec.methodBuilder("read")
                .addJavadoc("Reads element {@code index} of the list field {@code listField}; errors name the field as\n"
                        + "{@code listField[index].field}, a string built only when the element is refused.\n")
                .addModifiers(Modifier.PUBLIC, Modifier.STATIC)
                .returns(type)
                .addParameter(BYTE_BUFFER, "in")
                .addParameter(String.class, "message")
                .addParameter(String.class, "listField")
                .addParameter(TypeName.INT, "index")
                .addException(PROTOCOL_EXCEPTION)
                .beginControlFlow("try")
                .addStatement("return readFields(in, message)")
                .nextControlFlow("catch ($T e)", MALFORMED_FIELD_EXCEPTION)
                .addStatement("throw e.withinElement(listField, index)")
                .endControlFlow()
                .build();
    }

    private MethodSpec readFields(RecordDef record, ClassName type) {
        NameAllocator names = new NameAllocator();
        String in = names.newName("in");
        String message = names.newName("message");
        FieldCode.Reads reads = fieldCode.reads(record.fields(), type, in, CodeBlock.of("$N", message), names);
        return MethodSpec.methodBuilder("readFields")
                .addModifiers(Modifier.PRIVATE, Modifier.STATIC)
                .returns(type)
                .addParameter(BYTE_BUFFER, in)
                .addParameter(String.class, message)
                .addException(PROTOCOL_EXCEPTION)
                .addCode(reads.statements())
                .addStatement("return $L", reads.construction())
                .build();
    }
}
