package ar.loteria.codegen.parse;

import ar.loteria.codegen.IdlException;
import ar.loteria.codegen.model.Diagnostic;
import java.util.List;

/** A lexical or syntax error; its message is {@code file:line:col: ...}. */
public final class IdlParseException extends IdlException {
    public IdlParseException(Diagnostic diagnostic) {
        super(List.of(diagnostic));
    }

    public Diagnostic diagnostic() {
        return diagnostics().get(0);
    }
}
