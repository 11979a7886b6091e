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
    private static final int MAX_MESSAGE = 120;

    private final String sourceName;

    ThrowingErrorListener(String sourceName) {
        this.sourceName = sourceName;
    }

    @Override
    public void syntaxError(Recognizer<?, ?> recognizer, Object offendingSymbol, int line, int charPositionInLine,
                            String msg, RecognitionException e) {
        throw new IdlParseException(new Diagnostic(new SourceLocation(sourceName, line, charPositionInLine + 1),
                readable(msg)));
    }

    /**
     * ANTLR quotes the text it could not read: for a block comment never closed, that is the rest
     * of the file. One line, and not too long, names it well enough.
     */
    static String readable(String msg) {
        if (msg.startsWith("token recognition error at: '/*")) {
            return "a block comment '/*' is never closed with '*/'";
        }
        int lineEnd = msg.indexOf('\n');
        String firstLine = lineEnd < 0 ? msg : msg.substring(0, lineEnd) + " ...";
        return firstLine.length() <= MAX_MESSAGE ? firstLine : firstLine.substring(0, MAX_MESSAGE) + " ...";
    }
}
