package ar.loteria.codegen.model;

import java.util.List;
import java.util.Objects;

/**
 * {@code message Name = OPCODE { fields }}. {@code opcode} is the declared value, or -1 when the
 * literal does not even fit an int; {@code opcodeText} is the literal as written, for messages.
 */
public record MessageDef(String name, int opcode, String opcodeText, List<FieldDef> fields,
                         SourceLocation location, SourceLocation opcodeLocation) {
    public MessageDef {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(opcodeText, "opcodeText");
        fields = List.copyOf(fields);
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(opcodeLocation, "opcodeLocation");
    }
}
