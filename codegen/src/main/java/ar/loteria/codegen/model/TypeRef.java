package ar.loteria.codegen.model;

import java.util.Objects;

/**
 * The type of a field as written in the IDL. {@code recordName} is set for {@link Kind#RECORD}
 * and {@link Kind#RECORD_LIST} and null otherwise; whether that record exists is decided by the
 * schema checker, not here.
 */
public record TypeRef(Kind kind, String recordName, SourceLocation location) {
    public enum Kind {
        INT("int"),
        STRING("string"),
        STRING_LIST("string list"),
        STRING_MAP("string map"),
        RECORD(null),
        RECORD_LIST(null);

        private final String idlName;

        Kind(String idlName) {
            this.idlName = idlName;
        }
    }

    public TypeRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        if ((kind == Kind.RECORD || kind == Kind.RECORD_LIST) != (recordName != null)) {
            throw new IllegalArgumentException("record name " + recordName + " does not fit kind " + kind);
        }
    }

    public static TypeRef primitive(Kind kind, SourceLocation location) {
        return new TypeRef(kind, null, location);
    }

    public static TypeRef record(String recordName, SourceLocation location) {
        return new TypeRef(Kind.RECORD, Objects.requireNonNull(recordName, "recordName"), location);
    }

    public static TypeRef recordList(String recordName, SourceLocation location) {
        return new TypeRef(Kind.RECORD_LIST, Objects.requireNonNull(recordName, "recordName"), location);
    }

    public boolean refersToRecord() {
        return recordName != null;
    }

    /** The type as spelled in the IDL, e.g. {@code string list} or {@code Bet list}. */
    public String idlName() {
        return switch (kind) {
            case RECORD -> recordName;
            case RECORD_LIST -> recordName + " list";
            default -> kind.idlName;
        };
    }
}
