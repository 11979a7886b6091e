package ar.loteria.codegen.parse;

import ar.loteria.codegen.model.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.antlr.v4.runtime.CharStreams;
import org.antlr.v4.runtime.CommonTokenStream;
import org.antlr.v4.runtime.tree.ParseTreeWalker;

/** Parses IDL text into a {@link Schema}. Syntax only: run the checker on the result. */
public final class IdlReader {
    private IdlReader() {
    }

    /** Parses a file; diagnostics name it as given. */
    public static Schema read(Path file) throws IOException {
        return parse(file.toString(), Files.readString(file, StandardCharsets.UTF_8));
    }

    /**
     * Parses {@code text}, naming it {@code sourceName} in diagnostics and source locations.
     *
     * @throws IdlParseException at the first lexical or syntax error
     */
    public static Schema parse(String sourceName, String text) {
        ThrowingErrorListener errors = new ThrowingErrorListener(sourceName);
        IdlLexer lexer = new IdlLexer(CharStreams.fromString(text, sourceName));
        lexer.removeErrorListeners();
        lexer.addErrorListener(errors);
        IdlParser parser = new IdlParser(new CommonTokenStream(lexer));
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        IdlParser.IdlFileContext tree = parser.idlFile();
        ModelBuilder builder = new ModelBuilder(sourceName);
        ParseTreeWalker.DEFAULT.walk(builder, tree);
        return builder.schema();
    }
}
