package ar.loteria.codegen.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code enum Name { CONSTANT = value; ... }}: named int values. A field of the enum's type is an
 * int on the wire that must be one of them.
 */
public record EnumDef(String name, List<Constant> constants, SourceLocation location) {
    /**
     * One {@code NAME = value;}. {@code value} is the declared value, or -1 when the literal does
     * not fit an int; {@code valueText} is the literal as written; {@code doc} is the comment that
     * follows it on its line (without {@code //}), or empty.
     */
    public record Constant(String name, int value, String valueText, String doc, SourceLocation location,
                           SourceLocation valueLocation) {
        public Constant {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(valueText, "valueText");
            Objects.requireNonNull(doc, "doc");
            Objects.requireNonNull(location, "location");
            Objects.requireNonNull(valueLocation, "valueLocation");
        }
    }

    public EnumDef {
        Objects.requireNonNull(name, "name");
        constants = List.copyOf(constants);
        Objects.requireNonNull(location, "location");
    }
}
