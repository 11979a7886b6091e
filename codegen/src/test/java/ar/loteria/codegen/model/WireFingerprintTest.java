package ar.loteria.codegen.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import ar.loteria.codegen.parse.IdlReader;
import org.junit.jupiter.api.Test;

class WireFingerprintTest {
    private static final String BASE = """
            package a.b;
            protocol Demo;
            record Item { string name; int count; }
            message Order = 0x02 { int id; Item list items; Item main; }
            message Ping = 0x01 { string text; }
            """;

    private static String fingerprint(String idl) {
        return WireFingerprint.of(IdlReader.parse("demo.idl", idl));
    }

    @Test
    void describesOpcodesAndFieldNamesAndTypesWithRecordsExpanded() {
        assertEquals("0x01 (text string)\n0x02 (id int, items list(name string, count int), main (name string, count int))\n",
                WireFingerprint.canonicalText(IdlReader.parse("demo.idl", BASE)));
        assertEquals(16, fingerprint(BASE).length());
    }

    @Test
    void commentsDeclarationOrderAndNamesOtherThanFieldNamesDoNotCount() {
        String renamed = """
                // another comment
                package x.y;
                protocol Other;
                message Pong = 1 { string text; }
                record Thing { string name; int count; }
                message Purchase = 2 { int id; Thing list items; Thing main; }
                """;
        assertEquals(fingerprint(BASE), fingerprint(renamed));
    }

    @Test
    void anythingThatChangesTheBytesChangesIt() {
        String base = fingerprint(BASE);
        assertNotEquals(base, fingerprint(BASE.replace("message Ping = 0x01 { string text; }",
                "message Ping = 0x01 { string text; int extra; }")), "a field added");
        assertNotEquals(base, fingerprint(BASE.replace("record Item { string name; int count; }",
                "record Item { int count; string name; }")), "field order inside a record");
        assertNotEquals(base, fingerprint(BASE.replace("0x01", "0x03")), "an opcode");
        assertNotEquals(base, fingerprint(BASE.replace("string text", "string list text")), "a type");
        assertNotEquals(base, fingerprint(BASE + "message Extra = 0x09 { }\n"), "a message added");
    }

    @Test
    void anEnumCountsByItsConstantsNotByItsNameOrOrder() {
        String idl = "package a; protocol P; enum Code { OK = 0; BAD = 7; } message Error = 1 { Code code; }";
        assertEquals("0x01 (code enum(OK=0, BAD=7))\n", WireFingerprint.canonicalText(IdlReader.parse("e.idl", idl)));
        assertEquals(fingerprint(idl), fingerprint(idl.replace("Code", "Status")), "the enum renamed");
        assertEquals(fingerprint(idl), fingerprint(idl.replace("OK = 0; BAD = 7;", "BAD = 7; OK = 0;")), "reordered");
        assertNotEquals(fingerprint(idl), fingerprint(idl.replace("BAD = 7;", "BAD = 7; WORSE = 8;")), "a code added");
        assertNotEquals(fingerprint(idl), fingerprint(idl.replace("BAD = 7;", "BAD = 8;")), "a value changed");
        assertNotEquals(fingerprint(idl), fingerprint(idl.replace("OK = 0; BAD = 7;", "OK = 7; BAD = 0;")),
                "two values swapped: the same bytes, another meaning");
    }

    @Test
    void twoFieldsOfOneTypeSwappedOrAFieldRenamedChangeIt() {
        // The same bytes, read into each other's place: a central and an agency must not agree.
        String swapped = BASE.replace("record Item { string name; int count; }",
                "record Item { string label; int count; }");
        assertNotEquals(fingerprint(BASE), fingerprint(swapped), "a field renamed");
        String twoStrings = "package a; protocol P; message Bet = 1 { string firstName; string lastName; }";
        assertNotEquals(fingerprint(twoStrings), fingerprint(twoStrings.replace(
                "string firstName; string lastName;", "string lastName; string firstName;")), "same-typed fields swapped");
    }
}
