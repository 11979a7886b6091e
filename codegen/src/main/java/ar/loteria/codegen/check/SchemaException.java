package ar.loteria.codegen.check;

import ar.loteria.codegen.IdlException;
import ar.loteria.codegen.model.Diagnostic;
import java.util.List;

/** Every semantic error of a schema, reported at once. */
public final class SchemaException extends IdlException {
    public SchemaException(List<Diagnostic> diagnostics) {
        super(diagnostics);
    }
}
