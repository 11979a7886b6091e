package ar.loteria.codegen.generate;

import static ar.loteria.codegen.generate.RuntimeTypes.LIST;
import static ar.loteria.codegen.generate.RuntimeTypes.OBJECTS;
import static ar.loteria.codegen.generate.RuntimeTypes.WIRE;

import ar.loteria.codegen.model.FieldDef;
import ar.loteria.codegen.model.TypeRef;
import com.palantir.javapoet.ArrayTypeName;
import com.palantir.javapoet.ClassName;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.NameAllocator;
import com.palantir.javapoet.TypeName;
import java.util.ArrayList;
import java.util.List;

/**
 * The statements that size, write, read and guard one field, shared by record codecs and message
 * codecs. Each IDL type maps to one {@code Wire} method triple, or to the record's own codec.
 */
final class FieldCode {
    private final Naming naming;

    FieldCode(Naming naming) {
        this.naming = naming;
    }

    /** Compact-constructor statements: reference fields are non-null, lists and maps immutable. */
    CodeBlock guard(List<FieldDef> fields) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (FieldDef field : fields) {
            switch (field.type().kind()) {
                case INT -> {
                }
                case STRING, RECORD, ENUM -> code.addStatement("$T.requireNonNull($N, $S)", OBJECTS, field.name(),
                        field.name());
                case STRING_LIST, RECORD_LIST -> code.addStatement("$N = $T.copyOf($T.requireNonNull($N, $S))",
                        field.name(), LIST, OBJECTS, field.name(), field.name());
                // insertion order, so that equal maps encode to equal bytes (Map.copyOf would not)
                case STRING_MAP -> code.addStatement("$N = $T.immutableMap($T.requireNonNull($N, $S))",
                        field.name(), RuntimeTypes.WIRE, OBJECTS, field.name(), field.name());
            }
        }
        return code.build();
    }

    /**
     * A method {@code int name(TYPE param)} that returns the encoded size of {@code fields} of its
     * parameter; the caller adds modifiers, annotations and documentation.
     */
    MethodSpec.Builder sizeMethod(String name, ClassName type, String param, List<FieldDef> fields) {
        NameAllocator names = new NameAllocator();
        String value = names.newName(param);
        String size = names.newName("size");
        return MethodSpec.methodBuilder(name)
                .returns(TypeName.INT)
                .addParameter(type, value)
                .addStatement("int $N = 0", size)
                .addCode(addSizes(fields, value, size, names))
                .addStatement("return $N", size);
    }

    CodeBlock addSizes(List<FieldDef> fields, String value, String size, NameAllocator names) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (FieldDef field : fields) {
            TypeRef type = field.type();
            switch (type.kind()) {
                case INT, ENUM -> code.addStatement("$N += $T.INT_SIZE", size, WIRE);
                case STRING -> code.addStatement("$N += $T.sizeOfString($N.$N())", size, WIRE, value, field.name());
                case STRING_LIST -> code.addStatement("$N += $T.sizeOfStringList($N.$N())", size, WIRE, value, field.name());
                case STRING_MAP -> code.addStatement("$N += $T.sizeOfStringMap($N.$N())", size, WIRE, value, field.name());
                case RECORD -> code.addStatement("$N += $T.sizeOf($N.$N())", size, naming.codec(type.declaredName()),
                        value, field.name());
                case RECORD_LIST -> {
                    String element = names.newName("element");
                    code.addStatement("$N += $T.INT_SIZE", size, WIRE)
                            .beginControlFlow("for ($T $N : $N.$N())", naming.type(type.declaredName()), element, value,
                                    field.name())
                            .addStatement("$N += $T.sizeOf($N)", size, naming.codec(type.declaredName()), element)
                            .endControlFlow();
                }
            }
        }
        return code.build();
    }

    /** Writes each field of {@code value} to {@code out}, in declaration order. */
    CodeBlock writes(List<FieldDef> fields, String value, String out, NameAllocator names) {
        CodeBlock.Builder code = CodeBlock.builder();
        for (FieldDef field : fields) {
            TypeRef type = field.type();
            switch (type.kind()) {
                case INT -> code.addStatement("$T.writeInt($N, $N.$N())", WIRE, out, value, field.name());
                case ENUM -> code.addStatement("$T.writeInt($N, $N.$N().wireValue())", WIRE, out, value, field.name());
                case STRING -> code.addStatement("$T.writeString($N, $N.$N())", WIRE, out, value, field.name());
                case STRING_LIST -> code.addStatement("$T.writeStringList($N, $N.$N())", WIRE, out, value, field.name());
                case STRING_MAP -> code.addStatement("$T.writeStringMap($N, $N.$N())", WIRE, out, value, field.name());
                case RECORD -> code.addStatement("$T.write($N, $N.$N())", naming.codec(type.declaredName()), out, value,
                        field.name());
                case RECORD_LIST -> {
                    String element = names.newName("element");
                    code.addStatement("$T.writeInt($N, $N.$N().size())", WIRE, out, value, field.name())
                            .beginControlFlow("for ($T $N : $N.$N())", naming.type(type.declaredName()), element, value,
                                    field.name())
                            .addStatement("$T.write($N, $N)", naming.codec(type.declaredName()), out, element)
                            .endControlFlow();
                }
            }
        }
        return code.build();
    }

    /** Statements that read the fields and the expression that builds {@code type} from them. */
    record Reads(CodeBlock statements, CodeBlock construction) {
    }

    /**
     * Reads each field from {@code in} into a local. Errors name {@code messageName} (an
     * expression) and the field; a record list's elements as {@code field[i]}, built only when
     * an element fails.
     */
    Reads reads(List<FieldDef> fields, ClassName type, String in, CodeBlock messageName, NameAllocator names) {
        CodeBlock.Builder code = CodeBlock.builder();
        List<CodeBlock> arguments = new ArrayList<>();
        for (FieldDef field : fields) {
            TypeRef fieldType = field.type();
            String local = names.newName(field.name());
            TypeName javaType = naming.javaType(fieldType);
            switch (fieldType.kind()) {
                case INT -> code.addStatement("$T $N = $T.readInt($N, $L, $S)", javaType, local, WIRE, in, messageName,
                        field.name());
                case STRING -> code.addStatement("$T $N = $T.readString($N, $L, $S)", javaType, local, WIRE, in,
                        messageName, field.name());
                case STRING_LIST -> code.addStatement("$T $N = $T.readStringList($N, $L, $S)", javaType, local, WIRE, in,
                        messageName, field.name());
                case STRING_MAP -> code.addStatement("$T $N = $T.readStringMap($N, $L, $S)", javaType, local, WIRE, in,
                        messageName, field.name());
                case RECORD -> code.addStatement("$T $N = $T.read($N, $L, $S)", javaType, local,
                        naming.codec(fieldType.declaredName()), in, messageName, field.name());
                case ENUM -> code.addStatement("$T $N = $T.readEnum($N, $L, $S, $T::fromWire, $S)", javaType, local, WIRE,
                        in, messageName, field.name(), javaType, fieldType.declaredName());
                case RECORD_LIST -> {
                    ClassName element = naming.type(fieldType.declaredName());
                    ClassName codec = naming.codec(fieldType.declaredName());
                    String count = names.newName(field.name() + "Count");
                    String index = names.newName("i");
                    code.addStatement("int $N = $T.readCount($N, $L, $S, $T.MIN_SIZE)", count, WIRE, in, messageName,
                                    field.name(), codec)
                            .addStatement("$T $N = new $T[$N]", ArrayTypeName.of(element), local, element, count)
                            .beginControlFlow("for (int $N = 0; $N < $N; $N++)", index, index, count, index)
                            .addStatement("$N[$N] = $T.read($N, $L, $S, $N)", local, index, codec, in, messageName,
                                    field.name(), index)
                            .endControlFlow();
                }
            }
            arguments.add(fieldType.kind() == TypeRef.Kind.RECORD_LIST
                    ? CodeBlock.of("$T.of($N)", LIST, local)
                    : CodeBlock.of("$N", local));
        }
        CodeBlock construction = CodeBlock.of("new $T($L)", type, CodeBlock.join(arguments, ", "));
        return new Reads(code.build(), construction);
    }
}
