package ar.loteria.codegen.model;

import java.util.List;
import java.util.Objects;

/** {@code record Name { fields }}: a group of fields inlined wherever it is used. */
public record RecordDef(String name, List<FieldDef> fields, SourceLocation location) {
    public RecordDef {
        Objects.requireNonNull(name, "name");
        fields = List.copyOf(fields);
        Objects.requireNonNull(location, "location");
    }
}
