package ar.loteria.codegen.model;

import java.util.Objects;

/** One error found in an IDL file, printed as {@code file:line:col: message}. */
public record Diagnostic(SourceLocation location, String message) implements Comparable<Diagnostic> {
    public Diagnostic {
        Objects.requireNonNull(location, "location");
        Objects.requireNonNull(message, "message");
    }

    @Override
    public int compareTo(Diagnostic other) {
        return location.compareTo(other.location);
    }

    @Override
    public String toString() {
        return location + ": " + message;
    }
}
