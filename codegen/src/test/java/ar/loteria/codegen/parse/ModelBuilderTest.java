package ar.loteria.codegen.parse;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import ar.loteria.codegen.model.EnumDef;
import ar.loteria.codegen.model.FieldDef;
import ar.loteria.codegen.model.MessageDef;
import ar.loteria.codegen.model.RecordDef;
import ar.loteria.codegen.model.Schema;
import ar.loteria.codegen.model.SourceLocation;
import ar.loteria.codegen.model.TypeRef;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModelBuilderTest {
    private static final String IDL = String.join("\n",
            "// a comment",
            "package a.protocol.c;",
            "protocol Demo;",
            "/* block",
            "   comment */",
            "record Item {",
            "  string name;",
            "  int   count;",
            "}",
            "message Order = 0x1F {",
            "  Item list items;",
            "  Item main;",
            "  string list tags;",
            "  string map attributes;",
            "}",
            "message Ping = 42 { }",
            "");

    @Test
    void buildsTheModelInDeclarationOrder() {
        Schema schema = IdlReader.parse("demo.idl", IDL);
        assertEquals("demo.idl", schema.sourceName());
        assertEquals("a.protocol.c", schema.packageName());
        assertEquals("Demo", schema.protocolName());
        assertEquals(List.of("Item"), schema.records().stream().map(RecordDef::name).toList());
        assertEquals(List.of("Order", "Ping"), schema.messages().stream().map(MessageDef::name).toList());

        MessageDef order = schema.messages().get(0);
        assertEquals(0x1F, order.opcode());
        assertEquals("0x1F", order.opcodeText());
        assertEquals(List.of("items", "main", "tags", "attributes"), order.fields().stream().map(FieldDef::name).toList());
        assertEquals(List.of(TypeRef.Kind.RECORD_LIST, TypeRef.Kind.RECORD, TypeRef.Kind.STRING_LIST,
                TypeRef.Kind.STRING_MAP), order.fields().stream().map(f -> f.type().kind()).toList());
        assertEquals("Item list", order.fields().get(0).type().idlName());
        assertEquals("Item", order.fields().get(1).type().declaredName());
        assertEquals(42, schema.messages().get(1).opcode());
        assertEquals(List.of(), schema.messages().get(1).fields());
    }

    @Test
    void recordsSourceLocations() {
        Schema schema = IdlReader.parse("demo.idl", IDL);
        assertEquals(new SourceLocation("demo.idl", 2, 9), schema.location());
        RecordDef item = schema.records().get(0);
        assertEquals(new SourceLocation("demo.idl", 6, 8), item.location());
        assertEquals(new SourceLocation("demo.idl", 7, 10), item.fields().get(0).location());
        assertEquals(new SourceLocation("demo.idl", 7, 3), item.fields().get(0).type().location());
        assertEquals(new SourceLocation("demo.idl", 8, 9), item.fields().get(1).location());
        MessageDef order = schema.messages().get(0);
        assertEquals(new SourceLocation("demo.idl", 10, 9), order.location());
        assertEquals(new SourceLocation("demo.idl", 10, 17), order.opcodeLocation());
        assertEquals(new SourceLocation("demo.idl", 11, 13), order.fields().get(0).location());
        assertEquals("demo.idl:14:14", order.fields().get(3).location().toString());
    }

    @Test
    void theModelIsImmutable() {
        Schema schema = IdlReader.parse("demo.idl", IDL);
        assertThrows(UnsupportedOperationException.class, () -> schema.messages().clear());
        assertThrows(UnsupportedOperationException.class, () -> schema.records().get(0).fields().clear());
        assertThrows(UnsupportedOperationException.class, () -> schema.messages().get(0).fields().clear());
    }

    @Test
    void anOpcodeTooLargeForAnIntIsKeptAsText() {
        Schema schema = IdlReader.parse("big.idl", "package p; protocol P; message M = 99999999999 { int a; }");
        assertEquals(-1, schema.messages().get(0).opcode());
        assertEquals("99999999999", schema.messages().get(0).opcodeText());
    }

    @Test
    void anEnumKeepsItsValuesAndTheCommentsBesideThem() {
        Schema schema = IdlReader.parse("e.idl", String.join("\n",
                "package p;",
                "protocol P;",
                "enum Code {",
                "  OK = 0;        // all went well",
                "  // a comment on a line of its own documents nothing",
                "  BAD = 0x10;",
                "}",
                "message M = 1 { Code code; Code list codes; }",
                ""));
        EnumDef code = schema.enumDef("Code").orElseThrow();
        assertEquals(List.of(
                new EnumDef.Constant("OK", 0, "0", "all went well", new SourceLocation("e.idl", 4, 3),
                        new SourceLocation("e.idl", 4, 8)),
                new EnumDef.Constant("BAD", 16, "0x10", "", new SourceLocation("e.idl", 6, 3),
                        new SourceLocation("e.idl", 6, 9))), code.constants());
        assertEquals(new SourceLocation("e.idl", 3, 6), code.location());
        List<FieldDef> fields = schema.message("M").orElseThrow().fields();
        assertEquals(TypeRef.enumType("Code", new SourceLocation("e.idl", 8, 17)), fields.get(0).type(),
                "a field named by an enum is of the enum");
        assertEquals(TypeRef.recordList("Code", new SourceLocation("e.idl", 8, 28)), fields.get(1).type(),
                "a list stays a list: the checker refuses it");
    }

    @Test
    void readsTheRealIdl() throws IOException {
        Path idl = Path.of(System.getProperty("idl.dir", "../idl")).resolve("loteria.idl");
        Schema schema = IdlReader.read(idl);
        assertEquals("ar.loteria.protocol", schema.packageName());
        assertEquals("Loteria", schema.protocolName());
        assertEquals(1, schema.message("BetBatch").orElseThrow().opcode());
        assertEquals(9, schema.message("Echo").orElseThrow().opcode());
        assertEquals(5, schema.record("Bet").orElseThrow().fields().size());
    }

    @Test
    void aFileThatIsNotUtf8IsRefusedNamingLineColumnAndByte(@TempDir Path dir) throws IOException {
        Path idl = dir.resolve("latin1.idl");
        Files.write(idl, "package p;\n// autor: Nu\u00f1ez\nprotocol P;\n".getBytes(StandardCharsets.ISO_8859_1));

        IdlParseException e = assertThrows(IdlParseException.class, () -> IdlReader.read(idl));
        assertEquals(idl + ":2:13: the file is not UTF-8 text: byte 0xF1 cannot start or continue a character here",
                e.diagnostic().toString());
    }

    @Test
    void aByteOrderMarkIsNotPartOfTheIdl(@TempDir Path dir) throws IOException {
        Path idl = dir.resolve("bom.idl");
        Files.writeString(idl, "\uFEFFpackage p; protocol P; message M = 1 { int a; }", StandardCharsets.UTF_8);

        assertEquals("p", IdlReader.read(idl).packageName());
    }
}
