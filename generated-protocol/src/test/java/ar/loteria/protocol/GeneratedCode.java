package ar.loteria.protocol;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import ar.loteria.codegen.IdlCompiler;
import java.io.ByteArrayOutputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

/** An IDL compiled as the build compiles one: generated, compiled in-process against the runtime, loaded. */
final class GeneratedCode {
    private GeneratedCode() {
    }

    /**
     * Generates the code of {@code idl} (named {@code name}) under {@code temp}, checks it is
     * {@code files} files, compiles it with every lint warning an error, and loads it.
     */
    static URLClassLoader compile(Path temp, String name, String idl, int files) throws Exception {
        Path idlDir = Files.createDirectories(temp.resolve("idl"));
        Files.writeString(idlDir.resolve(name), idl);
        Path sources = temp.resolve("src");
        IdlCompiler.compile(idlDir, sources);

        List<String> generated;
        try (Stream<Path> walk = Files.walk(sources)) {
            generated = walk.filter(p -> p.toString().endsWith(".java")).map(Path::toString).sorted().toList();
        }
        assertEquals(files, generated.size(), generated.toString());
        Path classes = Files.createDirectories(temp.resolve("classes"));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "tests need a JDK, not a JRE");
        ByteArrayOutputStream diagnostics = new ByteArrayOutputStream();
        List<String> args = new ArrayList<>(List.of("-classpath", System.getProperty("java.class.path"),
                "-d", classes.toString(), "--release", "17", "-Xlint:all", "-Werror"));
        args.addAll(generated);
        int status = javac.run(null, diagnostics, diagnostics, args.toArray(String[]::new));
        assertEquals(0, status, diagnostics.toString(StandardCharsets.UTF_8));
        return new URLClassLoader(new URL[] {classes.toUri().toURL()}, GeneratedCode.class.getClassLoader());
    }
}
