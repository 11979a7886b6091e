package ar.loteria.codegen.generate;

import ar.loteria.codegen.model.EnumDef;
import ar.loteria.codegen.model.MessageDef;
import ar.loteria.codegen.model.RecordDef;
import ar.loteria.codegen.model.Schema;
import com.palantir.javapoet.JavaFile;
import java.util.ArrayList;
import java.util.List;

/**
 * Schema in, Java files out: a pure function (nothing is written here; see
 * {@code ar.loteria.codegen.JavaFileWriter}). For each record, the record and its codec; for
 * each enum, the enum; for each message, the message and its codec; and the protocol registry.
 */
public final class JavaGenerator {
    private JavaGenerator() {
    }

    /** The files of a schema the checker passed ({@code SchemaChecker.checkOrThrow}). */
    public static List<JavaFile> generate(Schema schema) {
        Naming naming = new Naming(schema);
        TypeGenerator types = new TypeGenerator(naming);
        RecordCodecGenerator recordCodecs = new RecordCodecGenerator(naming);
        MessageCodecGenerator messageCodecs = new MessageCodecGenerator(naming);
        List<JavaFile> files = new ArrayList<>();
        for (RecordDef record : schema.records()) {
            files.add(types.record(record));
            files.add(recordCodecs.codec(record));
        }
        EnumGenerator enums = new EnumGenerator(naming);
        for (EnumDef enumDef : schema.enums()) {
            files.add(enums.enumType(enumDef));
        }
        for (MessageDef message : schema.messages()) {
            files.add(types.message(message));
            files.add(messageCodecs.codec(message));
        }
        files.add(new ProtocolRegistryGenerator(naming).registry());
        return List.copyOf(files);
    }

    /** The path of a generated file relative to the output root, e.g. {@code ar/loteria/protocol/Bet.java}. */
    public static String relativePath(JavaFile file) {
        String dir = file.packageName().isEmpty() ? "" : file.packageName().replace('.', '/') + "/";
        return dir + file.typeSpec().name() + ".java";
    }
}
