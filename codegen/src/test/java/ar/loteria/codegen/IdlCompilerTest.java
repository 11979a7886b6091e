package ar.loteria.codegen;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The entry point Maven runs: arguments, output files, and how failures surface. */
class IdlCompilerTest {
    @TempDir
    Path temp;

    @Test
    void malformedIdlFailsWithFileLineColumn() throws IOException {
        Path idl = Files.createDirectories(temp.resolve("idl"));
        Files.writeString(idl.resolve("bad.idl"), "package p;\nprotocol P;\nmessage M = 1 { int a }\n");
        Files.writeString(idl.resolve("worse.idl"), "package q;\nprotocol Q;\nmessage M = 0 { Nope n; }\n");
        PrintStream stderr = System.err;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        IdlException e;
        try {
            System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
            e = assertThrows(IdlException.class,
                    () -> IdlCompiler.main(new String[] {idl.toString(), temp.resolve("out").toString()}));
        } finally {
            System.setErr(stderr);
        }
        String bad = idl.resolve("bad.idl") + ":3:23: missing ';' at '}'";
        String worse1 = idl.resolve("worse.idl") + ":3:13: opcode 0 of message 'M' is out of range 1..255 (0 is reserved)";
        String worse2 = idl.resolve("worse.idl") + ":3:17: unknown type 'Nope' of field 'n' in message 'M'";
        assertEquals(String.join(System.lineSeparator(), bad, worse1, worse2), e.getMessage());
        String err = captured.toString(StandardCharsets.UTF_8);
        assertTrue(err.contains(bad) && err.contains(worse1) && err.contains(worse2), err);
        assertFalse(Files.exists(temp.resolve("out")), "nothing is written when a file fails");
    }

    @Test
    void compilesEveryIdlFileAndRemovesStaleOutput() throws IOException {
        Path idl = Files.createDirectories(temp.resolve("idl"));
        Path out = temp.resolve("out");
        Files.writeString(idl.resolve("a.idl"), "package p.a;\nprotocol A;\nmessage Ping = 1 { string text; }\n"
                + "message Gone = 2 { }\n");
        Files.writeString(idl.resolve("b.idl"), "package p.b;\nprotocol B;\nmessage Pong = 1 { }\n");
        Files.writeString(idl.resolve("notes.txt"), "not an idl file");
        IdlCompiler.main(new String[] {idl.toString(), out.toString()});
        assertEquals(List.of("p/a/AProtocol.java", "p/a/Gone.java", "p/a/GoneCodec.java", "p/a/Ping.java",
                "p/a/PingCodec.java", "p/b/BProtocol.java", "p/b/Pong.java", "p/b/PongCodec.java"), list(out));

        Path handWritten = Files.writeString(out.resolve("p/a/HandWritten.java"), "class HandWritten {}");
        Path ping = out.resolve("p/a/Ping.java");
        FileTime old = FileTime.fromMillis(0);
        Files.setLastModifiedTime(ping, old);
        Files.writeString(idl.resolve("a.idl"), "package p.a;\nprotocol A;\nmessage Ping = 1 { string text; }\n");
        IdlCompiler.main(new String[] {idl.toString(), out.toString()});
        assertEquals(List.of("p/a/AProtocol.java", "p/a/HandWritten.java", "p/a/Ping.java", "p/a/PingCodec.java",
                "p/b/BProtocol.java", "p/b/Pong.java", "p/b/PongCodec.java"), list(out));
        assertTrue(Files.exists(handWritten), "a file the compiler did not generate is never deleted");
        assertEquals(old, Files.getLastModifiedTime(ping), "an unchanged file is not rewritten");
    }

    @Test
    void twoFilesGeneratingTheSameClassAreRefused() throws IOException {
        Path idl = Files.createDirectories(temp.resolve("idl"));
        Files.writeString(idl.resolve("a.idl"), "package p;\nprotocol A;\nmessage Ping = 1 { }\n");
        Files.writeString(idl.resolve("b.idl"), "package p;\nprotocol B;\nmessage Ping = 1 { }\n");
        IdlException e = assertThrows(IdlException.class,
                () -> IdlCompiler.compile(idl, temp.resolve("out")));
        assertEquals(idl.resolve("b.idl") + ":1:9: generates p/Ping.java, which a.idl also generates"
                + System.lineSeparator()
                + idl.resolve("b.idl") + ":1:9: generates p/PingCodec.java, which a.idl also generates", e.getMessage());
    }

    @Test
    void wrongArgumentsShowTheUsage() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> IdlCompiler.main(new String[] {"only-one"}));
        assertEquals("usage: IdlCompiler <idl directory> <output directory>", e.getMessage());
        IOException missing = assertThrows(IOException.class,
                () -> IdlCompiler.main(new String[] {temp.resolve("nope").toString(), temp.toString()}));
        assertTrue(missing.getMessage().contains("does not exist"), missing.getMessage());
    }

    private static List<String> list(Path root) throws IOException {
        try (Stream<Path> paths = Files.walk(root)) {
            return paths.filter(Files::isRegularFile).map(p -> root.relativize(p).toString().replace('\\', '/'))
                    .sorted().toList();
        }
    }
}
