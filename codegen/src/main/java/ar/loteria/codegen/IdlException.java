package ar.loteria.codegen;

import ar.loteria.codegen.model.Diagnostic;
import java.util.List;
import java.util.stream.Collectors;

/**
 * An IDL file could not be compiled. The message is every diagnostic, one
 * {@code file:line:col: message} per line, in source order.
 */
public class IdlException extends RuntimeException {
    private final List<Diagnostic> diagnostics;

    public IdlException(List<Diagnostic> diagnostics) {
        super(render(diagnostics));
        this.diagnostics = List.copyOf(diagnostics);
    }

    private static String render(List<Diagnostic> diagnostics) {
        if (diagnostics.isEmpty()) {
            throw new IllegalArgumentException("an IdlException needs at least one diagnostic");
        }
        return diagnostics.stream().map(Diagnostic::toString).collect(Collectors.joining(System.lineSeparator()));
    }

    public List<Diagnostic> diagnostics() {
        return diagnostics;
    }
}
