package ar.loteria.codegen.model;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.List;

/**
 * The protocol's fingerprint: a hash of what decides the bytes on the wire and what they mean.
 * Two builds whose IDLs agree on every message's opcode and on the order, names and types of its
 * fields (records expanded where they are used, enums as their name=value pairs) have the same
 * fingerprint; comments and names of packages, protocols, messages, records and enums do not count. Field names do: two fields of one type
 * swapped (first and last name, say) give the same bytes, read into each other's place.
 */
public final class WireFingerprint {
    /** Hex digits kept of the SHA-256: 64 bits, plenty to tell two IDLs apart in a log line. */
    private static final int HEX_DIGITS = 16;

    private WireFingerprint() {
    }

    /** The fingerprint of a checked schema (every record it refers to exists, none contains itself). */
    public static String of(Schema schema) {
        return hex(canonicalText(schema));
    }

    /**
     * One line per message, by opcode: {@code 0x01 (id int, items list(name string, count int))}. What the
     * hash is taken of; public so that a test can show what changes it.
     */
    public static String canonicalText(Schema schema) {
        StringBuilder text = new StringBuilder();
        List<MessageDef> byOpcode = schema.messages().stream()
                .sorted(Comparator.comparingInt(MessageDef::opcode))
                .toList();
        for (MessageDef message : byOpcode) {
            text.append(String.format("0x%02x ", message.opcode()));
            appendFields(schema, message.fields(), text);
            text.append('\n');
        }
        return text.toString();
    }

    private static void appendFields(Schema schema, List<FieldDef> fields, StringBuilder text) {
        text.append('(');
        for (int i = 0; i < fields.size(); i++) {
            if (i > 0) {
                text.append(", ");
            }
            text.append(fields.get(i).name()).append(' ');
            appendType(schema, fields.get(i).type(), text);
        }
        text.append(')');
    }

    private static void appendType(Schema schema, TypeRef type, StringBuilder text) {
        switch (type.kind()) {
            case RECORD -> appendFields(schema, record(schema, type).fields(), text);
            case RECORD_LIST -> {
                text.append("list");
                appendFields(schema, record(schema, type).fields(), text);
            }
            case ENUM -> appendConstants(schema, type, text);
            default -> text.append(type.idlName());
        }
    }

    /** {@code enum(A=1, B=2)}, by value: what each value on the wire means. */
    private static void appendConstants(Schema schema, TypeRef type, StringBuilder text) {
        EnumDef enumDef = schema.enumDef(type.declaredName())
                .orElseThrow(() -> new IllegalArgumentException("unknown enum " + type.declaredName()));
        text.append("enum(");
        List<EnumDef.Constant> byValue = enumDef.constants().stream()
                .sorted(Comparator.comparingInt(EnumDef.Constant::value)).toList();
        for (int i = 0; i < byValue.size(); i++) {
            text.append(i > 0 ? ", " : "").append(byValue.get(i).name()).append('=').append(byValue.get(i).value());
        }
        text.append(')');
    }

    private static RecordDef record(Schema schema, TypeRef type) {
        return schema.record(type.declaredName())
                .orElseThrow(() -> new IllegalArgumentException("unknown record " + type.declaredName()));
    }

    private static String hex(String canonical) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(canonical.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HEX_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }
}
