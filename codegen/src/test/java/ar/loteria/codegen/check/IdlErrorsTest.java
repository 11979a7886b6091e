package ar.loteria.codegen.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ar.loteria.codegen.IdlException;
import ar.loteria.codegen.generate.JavaGenerator;
import ar.loteria.codegen.model.Diagnostic;
import ar.loteria.codegen.model.SourceLocation;
import ar.loteria.codegen.parse.IdlParseException;
import ar.loteria.codegen.parse.IdlReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/** Every error is reported as {@code file:line:col: message}; semantic errors all at once. */
class IdlErrorsTest {
    private static final String HEADER = "package p;\nprotocol P;\n";

    private static List<String> errors(String body) {
        SchemaException e = assertThrows(SchemaException.class,
                () -> SchemaChecker.checkOrThrow(IdlReader.parse("t.idl", HEADER + body)));
        return e.diagnostics().stream().map(Diagnostic::toString).toList();
    }

    @Test
    void syntaxErrorNamesFileLineAndColumn() {
        IdlParseException e = assertThrows(IdlParseException.class,
                () -> IdlReader.parse("t.idl", HEADER + "message M = 1 {\n  int a\n}\n"));
        assertEquals("t.idl:5:1: missing ';' at '}'", e.getMessage());
        assertEquals(new SourceLocation("t.idl", 5, 1), e.diagnostic().location());
    }

    @Test
    void aBlockCommentNeverClosedIsNamedInOneShortLine() {
        IdlParseException e = assertThrows(IdlParseException.class,
                () -> IdlReader.parse("t.idl", HEADER + "/* a comment\nmessage M = 1 {\n  int a;\n}\n"));
        assertEquals("t.idl:3:1: a block comment '/*' is never closed with '*/'", e.getMessage());
    }

    @Test
    void missingOpcodeIsASyntaxError() {
        IdlParseException e = assertThrows(IdlParseException.class,
                () -> IdlReader.parse("t.idl", HEADER + "message M {\n}\n"));
        assertEquals("t.idl:3:11: mismatched input '{' expecting '='", e.getMessage());
    }

    @Test
    void lexicalErrorNamesFileLineAndColumn() {
        IdlParseException e = assertThrows(IdlParseException.class,
                () -> IdlReader.parse("t.idl", HEADER + "message M = 1 { int @a; }\n"));
        assertEquals("t.idl:3:21: token recognition error at: '@'", e.getMessage());
    }

    @Test
    void negativeOpcodeIsASyntaxError() {
        IdlParseException e = assertThrows(IdlParseException.class,
                () -> IdlReader.parse("t.idl", HEADER + "message M = -1 { }\n"));
        assertTrue(e.getMessage().startsWith("t.idl:3:13: "), e.getMessage());
    }

    @Test
    void duplicateOpcodeNamesBothMessages() {
        assertEquals(List.of("t.idl:4:13: duplicate opcode 0x01: message 'B' and message 'A' (t.idl:3:9)"),
                errors("message A = 1 { int x; }\nmessage B = 0x01 { int y; }\n"));
    }

    @Test
    void unknownType() {
        assertEquals(List.of("t.idl:3:17: unknown type 'Bett' of field 'bets' in message 'A'"),
                errors("message A = 1 { Bett list bets; }\n"));
    }

    @Test
    void aMessageIsNotARecordType() {
        assertEquals(List.of("t.idl:4:17: unknown type 'A' of field 'a' in message 'B' ('A' is a message, not a record)"),
                errors("message A = 1 { int x; }\nmessage B = 2 { A a; }\n"));
    }

    @Test
    void duplicateField() {
        assertEquals(List.of("t.idl:5:7: duplicate field 'x' in record 'R' (first declared at t.idl:4:7)"),
                errors("record R {\n  int x;\n  int x;\n}\n"));
    }

    @Test
    void opcodeOutOfRange() {
        assertEquals(List.of(
                        "t.idl:3:13: opcode 0 of message 'A' is out of range 1..255 (0 is reserved)",
                        "t.idl:4:13: opcode 0x100 of message 'B' is out of range 1..255 (0 is reserved)",
                        "t.idl:5:13: opcode 99999999999 of message 'C' is out of range 1..255 (0 is reserved)"),
                errors("message A = 0 { }\nmessage B = 0x100 { }\nmessage C = 99999999999 { }\n"));
    }

    @Test
    void duplicateNames() {
        assertEquals(List.of(
                        "t.idl:4:8: duplicate record name 'R' (first declared at t.idl:3:8)",
                        "t.idl:6:9: duplicate message name 'M' (first declared at t.idl:5:9)",
                        "t.idl:7:9: message 'R' has the same name as record 'R' (t.idl:3:8)"),
                errors("record R { int a; }\nrecord R { int b; }\nmessage M = 1 { }\nmessage M = 2 { }\n"
                        + "message R = 3 { }\n"));
    }

    @Test
    void recordThatContainsItself() {
        assertEquals(List.of(
                        "t.idl:3:8: record 'A' contains itself: A -> B -> A (through field 'a' of record 'B' at t.idl:4:14)",
                        "t.idl:5:8: record 'C' contains itself: C -> C (through field 'children' of record 'C' at t.idl:5:19)"),
                errors("record A { B b; }\nrecord B { A a; }\nrecord C { C list children; }\n"));
    }

    @Test
    void namesThatWouldBreakTheGeneratedJava() {
        assertEquals(List.of(
                        "t.idl:4:9: message 'BetCodec' has the name of the class generated for record 'Bet' (t.idl:3:8)",
                        "t.idl:4:28: field name 'class' in message 'BetCodec' is a Java keyword",
                        "t.idl:4:39: field name 'opcode' in message 'BetCodec' is reserved: it would clash with a generated member",
                        "t.idl:5:8: record name 'String' is reserved: a class of that name in the generated package would hide java.lang.String",
                        "t.idl:6:8: record name 'lower' must start with an upper-case letter",
                        "t.idl:7:8: record 'Empty' declares no fields"),
                errors("record Bet { int a; }\nmessage BetCodec = 1 { int class; int opcode; }\n"
                        + "record String { int a; }\nrecord lower { int a; }\nrecord Empty { }\n"));
    }

    @Test
    void theNamesOfTheGeneratedStaticFieldsAreNotTypeNames() {
        // INSTANCE.OPCODE, MIN_SIZE::fromWire: javac reads the field, and the generated code does not compile.
        String reason = " is reserved: the generated classes have a static field of that name, which would hide the type";
        assertEquals(List.of(
                        "t.idl:3:9: message name 'INSTANCE'" + reason,
                        "t.idl:4:6: enum name 'MIN_SIZE'" + reason,
                        "t.idl:5:8: record name 'FINGERPRINT'" + reason),
                errors("message INSTANCE = 1 { int x; }\nenum MIN_SIZE { A = 1; }\nrecord FINGERPRINT { MIN_SIZE m; }\n"));
    }

    @Test
    void theProtocolNameIsReportedWhereItIsWritten() {
        SchemaException e = assertThrows(SchemaException.class,
                () -> SchemaChecker.checkOrThrow(IdlReader.parse("t.idl", "package p; protocol t;\n")));
        assertEquals(List.of("t.idl:1:21: protocol name 't' must start with an upper-case letter"),
                e.diagnostics().stream().map(Diagnostic::toString).toList());
    }

    @Test
    void javaLangTypesThatCannotBeNamedFromAnotherPackageAreNotReserved() {
        // java.lang.CharacterData is package-private: a generated class of that name hides nothing.
        assertEquals(List.of(), SchemaChecker.check(IdlReader.parse("t.idl", HEADER + "record CharacterData { int a; }\n")));
    }

    @Test
    void moreFieldsThanAJavaConstructorTakesAreReportedAtTheMessage() {
        String fields = IntStream.rangeClosed(1, 255).mapToObj(i -> "int f" + i + ";")
                .collect(Collectors.joining(" "));
        assertEquals(List.of("t.idl:3:9: message 'Wide' has 255 fields; at most 254 fit the constructor of a Java class"),
                errors("message Wide = 1 { " + fields + " }\n"));
        assertEquals(List.of(), SchemaChecker.check(IdlReader.parse("t.idl", HEADER
                + "message Wide = 1 { " + fields.substring(0, fields.lastIndexOf(" int")) + " }\n")), "254 fields");
    }

    @Test
    void aCodecNameTakenBeforeItsRecordIsReported() {
        assertEquals(List.of("t.idl:4:8: the class BetCodec generated for record 'Bet' clashes with message 'BetCodec' (t.idl:3:9)"),
                errors("message BetCodec = 1 { }\nrecord Bet { int a; }\n"));
    }

    @Test
    void severalErrorsAreReportedTogetherInSourceOrder() {
        SchemaException e = assertThrows(SchemaException.class, () -> SchemaChecker.checkOrThrow(IdlReader.parse("t.idl",
                HEADER
                        + "message A = 1 { Nope n; int a; int a; }\n"
                        + "message B = 1 { }\n"
                        + "message C = 300 { }\n")));
        String expected = String.join(System.lineSeparator(),
                "t.idl:3:17: unknown type 'Nope' of field 'n' in message 'A'",
                "t.idl:3:36: duplicate field 'a' in message 'A' (first declared at t.idl:3:29)",
                "t.idl:4:13: duplicate opcode 0x01: message 'B' and message 'A' (t.idl:3:9)",
                "t.idl:5:13: opcode 300 of message 'C' is out of range 1..255 (0 is reserved)");
        assertEquals(expected, e.getMessage());
        assertEquals(4, e.diagnostics().size());
    }

    @Test
    void everyEnumErrorIsReportedWhereItIsWritten() {
        assertEquals(List.of(
                        "t.idl:3:6: enum 'Empty' declares no constants",
                        "t.idl:4:20: constant 'lower' of enum 'Code' must start with an upper-case letter",
                        "t.idl:4:31: duplicate constant 'A' of enum 'Code' (first declared at t.idl:4:13)",
                        "t.idl:4:42: duplicate value 1 in enum 'Code': constants 'B' and 'A' (t.idl:4:13)",
                        "t.idl:4:49: value 4294967296 of constant 'C' of enum 'Code' is out of range 0..2147483647",
                        "t.idl:5:8: record 'Code' has the same name as enum 'Code' (t.idl:4:6)",
                        "t.idl:6:17: a list of enum 'Empty' of field 'codes' in message 'M' is not supported (an enum"
                                + " field holds one value)"),
                errors("enum Empty { }\nenum Code { A = 1; lower = 2; A = 3; B = 1; C = 4294967296; }\n"
                        + "record Code { int a; }\nmessage M = 1 { Empty list codes; }\n"));
    }

    @Test
    void aFieldOfAnEnumIsValid() {
        assertEquals(List.of(), SchemaChecker.check(IdlReader.parse("t.idl", HEADER
                + "enum Code { OK = 0; BAD = 7; }\nrecord R { Code code; }\nmessage M = 1 { Code code; R r; }\n")));
    }

    @Test
    void theRealIdlIsValid() throws Exception {
        Path idl = Path.of("..", "idl", "loteria.idl");
        assertEquals(List.of(), SchemaChecker.check(IdlReader.parse(idl.toString(), Files.readString(idl))));
    }
}
