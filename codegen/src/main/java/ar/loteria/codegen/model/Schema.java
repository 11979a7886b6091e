package ar.loteria.codegen.model;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One IDL file: its package, its protocol name, and its records, enums and messages in
 * declaration order. Immutable. A schema straight from the parser may still be semantically wrong; see
 * {@code ar.loteria.codegen.check.SchemaChecker}.
 */
public record Schema(String sourceName, String packageName, String protocolName,
                     List<RecordDef> records, List<EnumDef> enums, List<MessageDef> messages, SourceLocation location,
                     SourceLocation protocolLocation) {
    public Schema {
        Objects.requireNonNull(sourceName, "sourceName");
        Objects.requireNonNull(packageName, "packageName");
        Objects.requireNonNull(protocolName, "protocolName");
        records = List.copyOf(records);
        enums = List.copyOf(enums);
        messages = List.copyOf(messages);
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(protocolLocation, "protocolLocation");
    }

    public Optional<RecordDef> record(String name) {
        return records.stream().filter(r -> r.name().equals(name)).findFirst();
    }

    public Optional<EnumDef> enumDef(String name) {
        return enums.stream().filter(e -> e.name().equals(name)).findFirst();
    }

    public Optional<MessageDef> message(String name) {
        return messages.stream().filter(m -> m.name().equals(name)).findFirst();
    }
}
