package ar.loteria.codegen.model;

import java.util.Objects;

/** {@code TYPE name;} inside a record or a message. The location is that of the name. */
public record FieldDef(String name, TypeRef type, SourceLocation location) {
    public FieldDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(type, "type");
        Objects.requireNonNull(location, "location");
    }
}
