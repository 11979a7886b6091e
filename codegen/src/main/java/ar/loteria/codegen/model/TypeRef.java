package ar.loteria.codegen.model;

import java.util.Objects;

/**
 * The type of a field as written in the IDL. {@code declaredName} is set for {@link Kind#RECORD},
 * {@link Kind#RECORD_LIST} and {@link Kind#ENUM} and null otherwise; whether that record or enum
 * exists is decided by the schema checker, not here.
 */
public record TypeRef(Kind kind, String declaredName, SourceLocation location) {
    public enum Kind {
        INT("int"),
        STRING("string"),
        STRING_LIST("string list"),
        STRING_MAP("string map"),
        RECORD(null),
        RECORD_LIST(null),
        ENUM(null);

        private final String idlName;

        Kind(String idlName) {
            this.idlName = idlName;
        }
    }

    public TypeRef {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(location, "location");
        if ((kind == Kind.RECORD || kind == Kind.RECORD_LIST || kind == Kind.ENUM) != (declaredName != null)) {
            throw new IllegalArgumentException("declared name " + declaredName + " does not fit kind " + kind);
        }
    }

    public static TypeRef primitive(Kind kind, SourceLocation location) {
        return new TypeRef(kind, null, location);
    }

    public static TypeRef record(String declaredName, SourceLocation location) {
        return new TypeRef(Kind.RECORD, Objects.requireNonNull(declaredName, "declaredName"), location);
    }

    public static TypeRef recordList(String declaredName, SourceLocation location) {
        return new TypeRef(Kind.RECORD_LIST, Objects.requireNonNull(declaredName, "declaredName"), location);
    }

    /** A field of enum {@code enumName}: an int on the wire, one of the enum's values. */
    public static TypeRef enumType(String enumName, SourceLocation location) {
        return new TypeRef(Kind.ENUM, Objects.requireNonNull(enumName, "enumName"), location);
    }

    public boolean refersToDeclared() {
        return declaredName != null;
    }

    /** The type as spelled in the IDL, e.g. {@code string list} or {@code Bet list}. */
    public String idlName() {
        return switch (kind) {
            case RECORD, ENUM -> declaredName;
            case RECORD_LIST -> declaredName + " list";
            default -> kind.idlName;
        };
    }
}
