package ar.loteria.codegen;

import ar.loteria.codegen.check.SchemaChecker;
import ar.loteria.codegen.generate.JavaGenerator;
import ar.loteria.codegen.model.Diagnostic;
import ar.loteria.codegen.model.Schema;
import ar.loteria.codegen.parse.IdlReader;
import com.palantir.javapoet.JavaFile;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Entry point: {@code IdlCompiler <idl directory> <output directory>} compiles every
 * {@code *.idl} of the directory into Java sources under the output directory.
 *
 * <p>It runs inside Maven's JVM (exec-maven-plugin, goal {@code java}), so it never calls
 * {@code System.exit}: it returns on success and throws on failure, with every
 * {@code file:line:col: message} in the exception's message (and on stderr), which fails the build.
 */
public final class IdlCompiler {
    private IdlCompiler() {
    }

    public static void main(String[] args) throws IOException {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: IdlCompiler <idl directory> <output directory>");
        }
        try {
            compile(Path.of(args[0]), Path.of(args[1]));
        } catch (IdlException e) {
            System.err.println("IDL compilation failed:");
            e.diagnostics().forEach(System.err::println);
            throw e;
        }
    }

    /**
     * Compiles every {@code *.idl} file of {@code idlDir} (sorted by name) and writes the result
     * under {@code outputDir}. Nothing is written unless every file compiles.
     *
     * @throws IdlException with the diagnostics of every file (the first syntax error of each
     *     file that does not parse, and every semantic error of those that do)
     */
    public static List<Path> compile(Path idlDir, Path outputDir) throws IOException {
        List<Path> sources = idlFiles(idlDir);
        List<Diagnostic> diagnostics = new ArrayList<>();
        List<JavaFile> files = new ArrayList<>();
        Map<String, String> origin = new HashMap<>();
        for (Path source : sources) {
            Schema schema;
            try {
                schema = IdlReader.read(source);
            } catch (IdlException e) {
                diagnostics.addAll(e.diagnostics());
                continue;
            }
            List<Diagnostic> errors = SchemaChecker.check(schema);
            if (!errors.isEmpty()) {
                diagnostics.addAll(errors);
                continue;
            }
            for (JavaFile file : JavaGenerator.generate(schema)) {
                String path = JavaGenerator.relativePath(file);
                String previous = origin.putIfAbsent(path, source.getFileName().toString());
                if (previous != null) {
                    diagnostics.add(new Diagnostic(schema.location(), "generates " + path
                            + ", which " + previous + " also generates"));
                }
                files.add(file);
            }
        }
        if (!diagnostics.isEmpty()) {
            throw new IdlException(diagnostics);
        }
        return JavaFileWriter.write(outputDir, files);
    }

    private static List<Path> idlFiles(Path idlDir) throws IOException {
        if (!Files.isDirectory(idlDir)) {
            throw new IOException("IDL directory " + idlDir.toAbsolutePath().normalize() + " does not exist");
        }
        try (Stream<Path> list = Files.list(idlDir)) {
            List<Path> sources = list.filter(p -> p.getFileName().toString().endsWith(".idl") && Files.isRegularFile(p))
                    .map(Path::normalize)
                    .sorted()
                    .toList();
            if (sources.isEmpty()) {
                throw new IOException("no *.idl file in " + idlDir.toAbsolutePath().normalize());
            }
            return sources;
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }
}
