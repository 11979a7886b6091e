package ar.loteria.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An enum constant's comment becomes its Javadoc. javac reads a backslash-u as a unicode escape
 * even in a comment, so a comment holding a Windows path, or an escape that closes the comment,
 * made the generated file fail to compile, or compiled the rest of the comment as code.
 */
class CommentsInTheIdlTest {
    @TempDir
    Path temp;

    @Test
    void backslashesInAConstantsCommentCompileAndStayText() throws Exception {
        String idl = "package p.q;\nprotocol Demo;\n"
                + "enum Code {\n"
                + "  LOGGED = 1;  // logged to C:\\users\\lottery\\errors.log\n"
                + "  ESCAPE = 2;  // ends \\u002a/ int oops;\n"
                + "}\n"
                + "message M = 1 { Code code; }\n";
        try (URLClassLoader loader = GeneratedCode.compile(temp, "t.idl", idl, 4)) {
            Class<?> code = loader.loadClass("p.q.Code");
            assertEquals(2, code.getEnumConstants().length, "the comment's text became code");
        }
        String source = Files.readString(temp.resolve("src").resolve("p").resolve("q").resolve("Code.java"));
        assertTrue(source.contains("logged to C:&#92;users&#92;lottery&#92;errors.log"), source);
    }
}
