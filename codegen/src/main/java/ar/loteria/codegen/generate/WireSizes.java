package ar.loteria.codegen.generate;

import ar.loteria.codegen.model.FieldDef;
import ar.loteria.codegen.model.RecordDef;
import ar.loteria.codegen.model.Schema;
import ar.loteria.codegen.model.TypeRef;
import java.util.List;

/**
 * Smallest encodings, as the decoders use them to bound a count by the bytes that remain. An
 * int, and the length or count prefix of a string, string list, string map or record list, are
 * 4 bytes each (the Wire constants); a record is the sum of its fields.
 */
final class WireSizes {
    static final int PREFIX_SIZE = 4;

    private WireSizes() {
    }

    static int minSize(Schema schema, List<FieldDef> fields) {
        int size = 0;
        for (FieldDef field : fields) {
            size += minSize(schema, field.type());
        }
        return size;
    }

    static int minSize(Schema schema, TypeRef type) {
        if (type.kind() == TypeRef.Kind.RECORD) {
            RecordDef record = schema.record(type.declaredName())
                    .orElseThrow(() -> new IllegalStateException("unchecked schema: no record " + type.declaredName()));
            return minSize(schema, record.fields());
        }
        return PREFIX_SIZE;
    }
}
