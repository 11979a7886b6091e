package ar.loteria.codegen.check;

import ar.loteria.codegen.model.Diagnostic;
import ar.loteria.codegen.model.EnumDef;
import ar.loteria.codegen.model.FieldDef;
import ar.loteria.codegen.model.MessageDef;
import ar.loteria.codegen.model.RecordDef;
import ar.loteria.codegen.model.Schema;
import ar.loteria.codegen.model.SourceLocation;
import ar.loteria.codegen.model.TypeRef;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.lang.model.SourceVersion;

/**
 * Semantic checks of a parsed schema. Every error is collected (none stops the others) and they
 * are reported together, sorted by source location.
 */
public final class SchemaChecker {
    public static final int MIN_OPCODE = 1;
    public static final int MAX_OPCODE = 255;
    /** A generated record's constructor takes one parameter per field: the JVM allows 254 besides {@code this}. */
    public static final int MAX_FIELDS = 254;

    /** Simple names the generated code imports; a declared type of that name would shadow them. */
    private static final Set<String> RESERVED_TYPE_NAMES = Set.of(
            "Message", "MessageCodec", "Protocol", "Wire", "ProtocolException", "MalformedFieldException",
            "UnknownOpcodeException", "List", "Map", "Objects", "ByteBuffer");

    /**
     * The generated classes' static fields: a type of the same name would be read as the field
     * where both are in scope ({@code INSTANCE.OPCODE}, {@code MIN_SIZE::fromWire}), and not compile.
     */
    private static final Set<String> GENERATED_STATIC_FIELDS = Set.of("INSTANCE", "FINGERPRINT", "MIN_SIZE", "OPCODE", "NAME");

    /** Field names that would clash with members every generated record or message has. */
    private static final Set<String> RESERVED_FIELD_NAMES = Set.of(
            "hashCode", "toString", "equals", "getClass", "notify", "notifyAll", "wait", "clone", "finalize");
    private static final Set<String> RESERVED_MESSAGE_FIELD_NAMES = Set.of("opcode", "messageName", "OPCODE", "NAME");

    private final Schema schema;
    private final List<Diagnostic> diagnostics = new ArrayList<>();

    private SchemaChecker(Schema schema) {
        this.schema = schema;
    }

    /** All semantic errors of {@code schema}, in source order; empty when it is valid. */
    public static List<Diagnostic> check(Schema schema) {
        SchemaChecker checker = new SchemaChecker(schema);
        checker.run();
        return checker.diagnostics.stream().sorted().toList();
    }

    /** Returns {@code schema} when it is valid; throws every error at once otherwise. */
    public static Schema checkOrThrow(Schema schema) {
        List<Diagnostic> errors = check(schema);
        if (!errors.isEmpty()) {
            throw new SchemaException(errors);
        }
        return schema;
    }

    private void run() {
        checkPackage();
        checkTypeNames();
        for (RecordDef record : schema.records()) {
            if (record.fields().isEmpty()) {
                error(record.location(), "record '" + record.name() + "' declares no fields");
            }
            checkFieldCount(record.location(), "record", record.name(), record.fields());
            checkFields("record", record.name(), record.fields(), Set.of());
        }
        for (MessageDef message : schema.messages()) {
            checkFieldCount(message.location(), "message", message.name(), message.fields());
            checkFields("message", message.name(), message.fields(), RESERVED_MESSAGE_FIELD_NAMES);
        }
        schema.enums().forEach(this::checkEnum);
        checkOpcodes();
        checkRecordCycles();
    }

    private void checkPackage() {
        for (String segment : schema.packageName().split("\\.")) {
            if (SourceVersion.isKeyword(segment)) {
                error(schema.location(), "package '" + schema.packageName() + "' uses the Java keyword '"
                        + segment + "'");
            }
        }
    }

    private record Claim(String owner, String kind, SourceLocation location) {
    }

    /**
     * Record, enum and message names, and the class names generated from them (codecs and the
     * protocol registry), must all be distinct and usable as Java class names. An enum has no codec
     * class: its fields read and write its int values in place.
     */
    private void checkTypeNames() {
        Map<String, Claim> declared = new HashMap<>();
        Map<String, Claim> generated = new HashMap<>();
        String protocolClass = schema.protocolName() + "Protocol";
        generated.put(protocolClass, new Claim(schema.protocolName(), "protocol", schema.protocolLocation()));
        checkJavaName(schema.protocolLocation(), "protocol", schema.protocolName());

        record Decl(String kind, String name, SourceLocation location) {
        }
        List<Decl> decls = new ArrayList<>();
        schema.records().forEach(r -> decls.add(new Decl("record", r.name(), r.location())));
        schema.enums().forEach(e -> decls.add(new Decl("enum", e.name(), e.location())));
        schema.messages().forEach(m -> decls.add(new Decl("message", m.name(), m.location())));
        decls.sort(Comparator.comparing(Decl::location));

        for (Decl decl : decls) {
            checkJavaName(decl.location(), decl.kind(), decl.name());
            Claim first = declared.get(decl.name());
            if (first != null) {
                if (first.kind().equals(decl.kind())) {
                    error(decl.location(), "duplicate " + decl.kind() + " name '" + decl.name()
                            + "' (first declared at " + first.location() + ")");
                } else {
                    error(decl.location(), decl.kind() + " '" + decl.name() + "' has the same name as "
                            + first.kind() + " '" + first.owner() + "' (" + first.location() + ")");
                }
                continue;
            }
            Claim clash = generated.get(decl.name());
            if (clash != null) {
                error(decl.location(), decl.kind() + " '" + decl.name() + "' has the name of the class generated for "
                        + clash.kind() + " '" + clash.owner() + "' (" + clash.location() + ")");
            }
            Claim claim = new Claim(decl.name(), decl.kind(), decl.location());
            declared.put(decl.name(), claim);
            if (decl.kind().equals("enum")) {
                continue;
            }
            String codec = decl.name() + "Codec";
            Claim codecClash = declared.containsKey(codec) ? declared.get(codec) : generated.get(codec);
            if (codecClash != null) {
                error(decl.location(), "the class " + codec + " generated for " + decl.kind() + " '" + decl.name()
                        + "' clashes with " + codecClash.kind() + " '" + codecClash.owner() + "' ("
                        + codecClash.location() + ")");
            }
            generated.put(codec, claim);
        }
    }

    private void checkJavaName(SourceLocation location, String kind, String name) {
        if (!Character.isUpperCase(name.charAt(0))) {
            error(location, kind + " name '" + name + "' must start with an upper-case letter");
        } else if (RESERVED_TYPE_NAMES.contains(name)) {
            error(location, kind + " name '" + name + "' is reserved: the generated code uses a type of that name");
        } else if (GENERATED_STATIC_FIELDS.contains(name)) {
            error(location, kind + " name '" + name + "' is reserved: the generated classes have a static field of that"
                    + " name, which would hide the type");
        } else if (isPublicJavaLangType(name)) {
            error(location, kind + " name '" + name + "' is reserved: a class of that name in the generated package"
                    + " would hide java.lang." + name);
        }
    }

    /** Only public ones: others cannot be named from another package, so nothing is hidden. */
    private static boolean isPublicJavaLangType(String name) {
        try {
            Class<?> type = Class.forName("java.lang." + name, false, SchemaChecker.class.getClassLoader());
            return Modifier.isPublic(type.getModifiers());
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    private void checkFieldCount(SourceLocation location, String kind, String name, List<FieldDef> fields) {
        if (fields.size() > MAX_FIELDS) {
            error(location, kind + " '" + name + "' has " + fields.size() + " fields; at most " + MAX_FIELDS
                    + " fit the constructor of a Java class");
        }
    }

    private void checkFields(String kind, String owner, List<FieldDef> fields, Set<String> reserved) {
        Map<String, FieldDef> seen = new HashMap<>();
        for (FieldDef field : fields) {
            FieldDef first = seen.putIfAbsent(field.name(), field);
            if (first != null) {
                error(field.location(), "duplicate field '" + field.name() + "' in " + kind + " '" + owner
                        + "' (first declared at " + first.location() + ")");
            }
            if (!Character.isLowerCase(field.name().charAt(0))) {
                error(field.location(), "field name '" + field.name() + "' in " + kind + " '" + owner
                        + "' must start with a lower-case letter");
            } else if (SourceVersion.isKeyword(field.name())) {
                error(field.location(), "field name '" + field.name() + "' in " + kind + " '" + owner
                        + "' is a Java keyword");
            } else if (RESERVED_FIELD_NAMES.contains(field.name()) || reserved.contains(field.name())) {
                error(field.location(), "field name '" + field.name() + "' in " + kind + " '" + owner
                        + "' is reserved: it would clash with a generated member");
            }
            checkFieldType(kind, owner, field);
        }
    }

    /** A field typed by a declared name needs a record of that name (an enum's fields are resolved by the parser). */
    private void checkFieldType(String kind, String owner, FieldDef field) {
        TypeRef type = field.type();
        if (type.kind() != TypeRef.Kind.RECORD && type.kind() != TypeRef.Kind.RECORD_LIST
                || schema.record(type.declaredName()).isPresent()) {
            return;
        }
        String where = " of field '" + field.name() + "' in " + kind + " '" + owner + "'";
        if (schema.enumDef(type.declaredName()).isPresent()) {
            error(type.location(), "a list of enum '" + type.declaredName() + "'" + where
                    + " is not supported (an enum field holds one value)");
            return;
        }
        String hint = schema.message(type.declaredName()).isPresent()
                ? " ('" + type.declaredName() + "' is a message, not a record)" : "";
        error(type.location(), "unknown type '" + type.declaredName() + "'" + where + hint);
    }

    /**
     * An enum has constants, each named like a Java constant (upper-case first letter, no keyword),
     * with a value from 0 to 2^31-1; names and values are unique within the enum.
     */
    private void checkEnum(EnumDef enumDef) {
        if (enumDef.constants().isEmpty()) {
            error(enumDef.location(), "enum '" + enumDef.name() + "' declares no constants");
        }
        Map<String, EnumDef.Constant> names = new HashMap<>();
        Map<Integer, EnumDef.Constant> values = new HashMap<>();
        for (EnumDef.Constant constant : enumDef.constants()) {
            String what = "constant '" + constant.name() + "' of enum '" + enumDef.name() + "'";
            EnumDef.Constant sameName = names.putIfAbsent(constant.name(), constant);
            if (sameName != null) {
                error(constant.location(), "duplicate " + what + " (first declared at " + sameName.location() + ")");
            }
            if (!Character.isUpperCase(constant.name().charAt(0))) {
                error(constant.location(), what + " must start with an upper-case letter");
            } else if (SourceVersion.isKeyword(constant.name())) {
                error(constant.location(), what + " is a Java keyword");
            }
            if (constant.value() < 0) {
                error(constant.valueLocation(), "value " + constant.valueText() + " of " + what
                        + " is out of range 0.." + Integer.MAX_VALUE);
                continue;
            }
            EnumDef.Constant sameValue = values.putIfAbsent(constant.value(), constant);
            if (sameValue != null) {
                error(constant.valueLocation(), "duplicate value " + constant.valueText() + " in enum '" + enumDef.name()
                        + "': constants '" + constant.name() + "' and '" + sameValue.name() + "' (" + sameValue.location()
                        + ")");
            }
        }
    }

    private void checkOpcodes() {
        Map<Integer, MessageDef> byOpcode = new HashMap<>();
        for (MessageDef message : schema.messages()) {
            int opcode = message.opcode();
            if (opcode < MIN_OPCODE || opcode > MAX_OPCODE) {
                error(message.opcodeLocation(), "opcode " + message.opcodeText() + " of message '" + message.name()
                        + "' is out of range " + MIN_OPCODE + ".." + MAX_OPCODE + " (0 is reserved)");
                continue;
            }
            MessageDef first = byOpcode.putIfAbsent(opcode, message);
            if (first != null) {
                error(message.opcodeLocation(), String.format("duplicate opcode 0x%02x: message '%s' and message '%s' (%s)",
                        opcode, message.name(), first.name(), first.location()));
            }
        }
    }

    /** A record may not contain itself, directly or through other records, alone or in a list. */
    private void checkRecordCycles() {
        Map<String, RecordDef> records = new LinkedHashMap<>();
        for (RecordDef record : schema.records()) {
            records.putIfAbsent(record.name(), record);
        }
        Map<String, Integer> state = new HashMap<>(); // absent: unvisited, 1: on the path, 2: done
        for (RecordDef record : records.values()) {
            visit(record, records, state, new ArrayList<>());
        }
    }

    private void visit(RecordDef record, Map<String, RecordDef> records, Map<String, Integer> state,
                       List<String> path) {
        if (state.containsKey(record.name())) {
            return;
        }
        state.put(record.name(), 1);
        path.add(record.name());
        for (FieldDef field : record.fields()) {
            if (!field.type().refersToDeclared()) {
                continue;
            }
            RecordDef target = records.get(field.type().declaredName());
            if (target == null) {
                continue; // unknown type: reported by checkFields
            }
            Integer targetState = state.get(target.name());
            if (targetState == null) {
                visit(target, records, state, path);
            } else if (targetState == 1) {
                List<String> cycle = new ArrayList<>(path.subList(path.indexOf(target.name()), path.size()));
                cycle.add(target.name());
                RecordDef start = records.get(cycle.get(0));
                error(start.location(), "record '" + start.name() + "' contains itself: " + String.join(" -> ", cycle)
                        + " (through field '" + field.name() + "' of record '" + record.name() + "' at "
                        + field.location() + ")");
            }
        }
        path.remove(path.size() - 1);
        state.put(record.name(), 2);
    }

    private void error(SourceLocation location, String message) {
        diagnostics.add(new Diagnostic(location, message));
    }
}
