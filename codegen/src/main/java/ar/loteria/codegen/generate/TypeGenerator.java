package ar.loteria.codegen.generate;

import ar.loteria.codegen.model.FieldDef;
import ar.loteria.codegen.model.MessageDef;
import ar.loteria.codegen.model.RecordDef;
import com.palantir.javapoet.CodeBlock;
import com.palantir.javapoet.FieldSpec;
import com.palantir.javapoet.JavaFile;
import com.palantir.javapoet.MethodSpec;
import com.palantir.javapoet.ParameterSpec;
import com.palantir.javapoet.TypeName;
import com.palantir.javapoet.TypeSpec;
import java.util.List;
import javax.lang.model.element.Modifier;

/** The value types: one Java record per IDL record and per IDL message. */
final class TypeGenerator {
    private final Naming naming;
    private final FieldCode fieldCode;

    TypeGenerator(Naming naming) {
        this.naming = naming;
        this.fieldCode = new FieldCode(naming);
    }

    JavaFile record(RecordDef record) {
        TypeSpec type = recordBuilder(record.name(), record.fields())
                .addJavadoc("Record {@code $L} of {@code $L}, inlined wherever a field uses it.\n",
                        record.name(), naming.sourceFileName())
                .addJavadoc(layout(record.fields()))
                .build();
        return naming.file(type);
    }

    JavaFile message(MessageDef message) {
        TypeSpec type = recordBuilder(message.name(), message.fields())
                .addJavadoc("Message {@code $L} of {@code $L}, opcode $L.\n", message.name(), naming.sourceFileName(),
                        String.format("0x%02x", message.opcode()))
                .addJavadoc(layout(message.fields()))
                .addSuperinterface(RuntimeTypes.MESSAGE)
                .addField(FieldSpec.builder(TypeName.INT, "OPCODE", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$L", message.opcode())
                        .build())
                .addField(FieldSpec.builder(String.class, "NAME", Modifier.PUBLIC, Modifier.STATIC, Modifier.FINAL)
                        .initializer("$S", message.name())
                        .build())
                .addMethod(MethodSpec.methodBuilder("opcode")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(TypeName.INT)
                        .addStatement("return OPCODE")
                        .build())
                .addMethod(MethodSpec.methodBuilder("messageName")
                        .addAnnotation(Override.class)
                        .addModifiers(Modifier.PUBLIC)
                        .returns(String.class)
                        .addStatement("return NAME")
                        .build())
                .build();
        return naming.file(type);
    }

    private TypeSpec.Builder recordBuilder(String name, List<FieldDef> fields) {
        CodeBlock guard = fieldCode.guard(fields);
        MethodSpec.Builder constructor = guard.isEmpty()
                ? MethodSpec.constructorBuilder()
                : MethodSpec.compactConstructorBuilder().addCode(guard);
        constructor.addModifiers(Modifier.PUBLIC);
        for (FieldDef field : fields) {
            constructor.addParameter(ParameterSpec.builder(naming.javaType(field.type()), field.name()).build());
        }
        return TypeSpec.recordBuilder(naming.type(name))
                .addModifiers(Modifier.PUBLIC)
                .recordConstructor(constructor.build());
    }

    private static CodeBlock layout(List<FieldDef> fields) {
        if (fields.isEmpty()) {
            return CodeBlock.of("\n<p>Wire layout: no fields (an empty body).\n");
        }
        CodeBlock.Builder doc = CodeBlock.builder().add("\n<p>Wire layout, in this order:\n<ol>\n");
        for (FieldDef field : fields) {
            doc.add("  <li>{@code $L}: $L</li>\n", field.name(), field.type().idlName());
        }
        return doc.add("</ol>\n").build();
    }
}
