package ar.loteria.codegen.parse;

import ar.loteria.codegen.model.Diagnostic;
import ar.loteria.codegen.model.SourceLocation;
import org.antlr.v4.runtime.BaseErrorListener;
import org.antlr.v4.runtime.RecognitionException;
import org.antlr.v4.runtime.Recognizer;

/**
 * Replaces ANTLR's console listener: the first lexical or syntax error stops the parse with an
 * {@link IdlParseException} instead of a line on stderr and a best-effort tree.
 */
final class ThrowingErrorListener extends BaseErrorListener {
    private final String sourceName;

    ThrowingErrorListener(String sourceName) {
        this.sourceName = sourceName;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                            String msg, RecognitionException e) {
        throw new IdlParseException(new Diagnostic(new SourceLocation(sourceName, line, charPositionInLine + 1), msg));
    }
}
