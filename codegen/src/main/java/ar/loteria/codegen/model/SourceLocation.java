package ar.loteria.codegen.model;

import java.util.Comparator;
import java.util.Objects;

/** A place in an IDL file. Lines and columns start at 1, as in compiler messages. */
public record SourceLocation(String file, int line, int column) implements Comparable<SourceLocation> {
    private static final Comparator<SourceLocation> ORDER = Comparator.comparing(SourceLocation::file)
            .thenComparingInt(SourceLocation::line)
            .thenComparingInt(SourceLocation::column);

    public SourceLocation {
        Objects.requireNonNull(file, "file");
    }

    @Override
    public int compareTo(SourceLocation other) {
        return ORDER.compare(this, other);
    }

    /** {@code file:line:col}, the prefix of every diagnostic. */
    @Override
    public String toString() {
        return file + ":" + line + ":" + column;
    }
}
