package ar.loteria.codegen.parse;

import ar.loteria.codegen.model.Diagnostic;
import ar.loteria.codegen.model.Schema;
import ar.loteria.codegen.model.SourceLocation;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
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

    /**
     * Parses a file; diagnostics name it as given. It must be UTF-8 (a byte order mark is allowed).
     *
     * @throws IdlParseException also where the file is not UTF-8, naming line and column
     */
    public static Schema read(Path file) throws IOException {
        return parse(file.toString(), utf8(file.toString(), Files.readAllBytes(file)));
    }

    private static String utf8(String sourceName, byte[] bytes) {
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer text = CharBuffer.allocate(bytes.length);
        CoderResult result = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(in, text, true);
        if (result.isError()) {
            // The JDK says only "Input length = 1": say where, and which byte.
            String before = text.flip().toString();
            int line = 1 + (int) before.chars().filter(c -> c == '\n').count();
            int column = before.length() - before.lastIndexOf('\n');
            throw new IdlParseException(new Diagnostic(new SourceLocation(sourceName, line, column),
                    String.format("the file is not UTF-8 text: byte 0x%02X cannot start or continue a character here",
                            bytes[in.position()] & 0xFF)));
        }
        String decoded = text.flip().toString();
        return decoded.startsWith("\uFEFF") ? decoded.substring(1) : decoded; // a byte order mark is not IDL
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
        CommonTokenStream tokens = new CommonTokenStream(lexer);
        IdlParser parser = new IdlParser(tokens);
        parser.removeErrorListeners();
        parser.addErrorListener(errors);
        IdlParser.IdlFileContext tree = parser.idlFile();
        ModelBuilder builder = new ModelBuilder(sourceName, tokens);
        ParseTreeWalker.DEFAULT.walk(builder, tree);
        return builder.schema();
    }
}
