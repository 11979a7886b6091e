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
    void describesOpcodesAndFieldTypesWithRecordsExpanded() {
        assertEquals("0x01 (string)\n0x02 (int, list(string, int), (string, int))\n",
                WireFingerprint.canonicalText(IdlReader.parse("demo.idl", BASE)));
        assertEquals(16, fingerprint(BASE).length());
    }

    @Test
    void namesCommentsAndDeclarationOrderDoNotCount() {
        String renamed = """
                // another comment
                package x.y;
                protocol Other;
                message Pong = 1 { string words; }
                record Thing { string label; int amount; }
                message Purchase = 2 { int key; Thing list things; Thing first; }
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
}
