package ar.loteria.codegen.parse;

import ar.loteria.codegen.model.EnumDef;
import ar.loteria.codegen.model.FieldDef;
import ar.loteria.codegen.model.MessageDef;
import ar.loteria.codegen.model.RecordDef;
import ar.loteria.codegen.model.Schema;
import ar.loteria.codegen.model.SourceLocation;
import ar.loteria.codegen.model.TypeRef;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.antlr.v4.runtime.BufferedTokenStream;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Walks a parse tree and builds the immutable {@link Schema}. It records a source location for
 * every declaration, field, type and opcode, and judges nothing: semantic errors are the
 * checker's job, so that all of them can be reported together. It resolves one thing the grammar
 * cannot: a field typed by a declared name is of an enum when an enum has that name.
 */
final class ModelBuilder extends IdlBaseListener {
    private final String sourceName;
    private final BufferedTokenStream tokens;

    private String packageName;
    private String protocolName;
    private SourceLocation schemaLocation;
    private SourceLocation protocolLocation;
    private final List<RecordDef> records = new ArrayList<>();
    private final List<MessageDef> messages = new ArrayList<>();
    private final List<EnumDef> enums = new ArrayList<>();
    private List<EnumDef.Constant> constants;

    private List<FieldDef> fields;
    private TypeRef type;
    private BigInteger integer;

    /** {@code tokens}: the stream the tree was parsed from, for the comments beside enum constants. */
    ModelBuilder(String sourceName, BufferedTokenStream tokens) {
        this.sourceName = sourceName;
        this.tokens = tokens;
    }

    Schema schema() {
        if (packageName == null || protocolName == null) {
            throw new IllegalStateException("the parse tree was not walked");
        }
        Set<String> enumNames = enums.stream().map(EnumDef::name).collect(Collectors.toSet());
        List<RecordDef> resolvedRecords = records.stream()
                .map(r -> new RecordDef(r.name(), resolve(r.fields(), enumNames), r.location())).toList();
        List<MessageDef> resolvedMessages = messages.stream()
                .map(m -> new MessageDef(m.name(), m.opcode(), m.opcodeText(), resolve(m.fields(), enumNames),
                        m.location(), m.opcodeLocation())).toList();
        return new Schema(sourceName, packageName, protocolName, resolvedRecords, enums, resolvedMessages,
                schemaLocation, protocolLocation);
    }

    /** Fields typed by the name of an enum are of that enum (a list of one stays a record list: the checker says so). */
    private static List<FieldDef> resolve(List<FieldDef> fields, Set<String> enumNames) {
        return fields.stream().map(field -> field.type().kind() == TypeRef.Kind.RECORD
                        && enumNames.contains(field.type().declaredName())
                ? new FieldDef(field.name(), TypeRef.enumType(field.type().declaredName(), field.type().location()),
                        field.location())
                : field).toList();
    }

    @Override
    public void exitPackageDecl(IdlParser.PackageDeclContext ctx) {
        packageName = ctx.qualifiedName().getText();
        schemaLocation = at(ctx.qualifiedName());
    }

    @Override
    public void exitProtocolDecl(IdlParser.ProtocolDeclContext ctx) {
        protocolName = ctx.name.getText();
        protocolLocation = at(ctx.name);
    }

    @Override
    public void enterRecordDecl(IdlParser.RecordDeclContext ctx) {
        fields = new ArrayList<>();
    }

    @Override
    public void exitRecordDecl(IdlParser.RecordDeclContext ctx) {
        records.add(new RecordDef(ctx.name.getText(), fields, at(ctx.name)));
        fields = null;
    }

    @Override
    public void enterMessageDecl(IdlParser.MessageDeclContext ctx) {
        fields = new ArrayList<>();
    }

    @Override
    public void exitMessageDecl(IdlParser.MessageDeclContext ctx) {
        int opcode = integer.bitLength() < Integer.SIZE ? integer.intValue() : -1;
        messages.add(new MessageDef(ctx.name.getText(), opcode, ctx.opcode.getText(), fields,
                at(ctx.name), at(ctx.opcode)));
        fields = null;
        integer = null;
    }

    @Override
    public void enterEnumDecl(IdlParser.EnumDeclContext ctx) {
        constants = new ArrayList<>();
    }

    @Override
    public void exitEnumDecl(IdlParser.EnumDeclContext ctx) {
        enums.add(new EnumDef(ctx.name.getText(), constants, at(ctx.name)));
        constants = null;
    }

    @Override
    public void exitEnumConstant(IdlParser.EnumConstantContext ctx) {
        int value = integer.bitLength() < Integer.SIZE ? integer.intValue() : -1;
        constants.add(new EnumDef.Constant(ctx.name.getText(), value, ctx.value.getText(), lineComment(ctx.getStop()),
                at(ctx.name), at(ctx.value)));
        integer = null;
    }

    /** The text of a {@code //} comment after {@code token} on its line, trimmed; empty when there is none. */
    private String lineComment(Token token) {
        List<Token> hidden = tokens.getHiddenTokensToRight(token.getTokenIndex());
        if (hidden != null) {
            for (Token comment : hidden) {
                if (comment.getType() == IdlLexer.LINE_COMMENT && comment.getLine() == token.getLine()) {
                    return comment.getText().substring(2).trim();
                }
            }
        }
        return "";
    }

    @Override
    public void exitDecimalInteger(IdlParser.DecimalIntegerContext ctx) {
        integer = new BigInteger(ctx.DECIMAL().getText());
    }

    @Override
    public void exitHexInteger(IdlParser.HexIntegerContext ctx) {
        integer = new BigInteger(ctx.HEX().getText().substring(2), 16);
    }

    @Override
    public void exitField(IdlParser.FieldContext ctx) {
        fields.add(new FieldDef(ctx.name.getText(), type, at(ctx.name)));
        type = null;
    }

    @Override
    public void exitIntType(IdlParser.IntTypeContext ctx) {
        type = TypeRef.primitive(TypeRef.Kind.INT, at(ctx));
    }

    @Override
    public void exitStringType(IdlParser.StringTypeContext ctx) {
        type = TypeRef.primitive(TypeRef.Kind.STRING, at(ctx));
    }

    @Override
    public void exitStringListType(IdlParser.StringListTypeContext ctx) {
        type = TypeRef.primitive(TypeRef.Kind.STRING_LIST, at(ctx));
    }

    @Override
    public void exitStringMapType(IdlParser.StringMapTypeContext ctx) {
        type = TypeRef.primitive(TypeRef.Kind.STRING_MAP, at(ctx));
    }

    @Override
    public void exitRecordType(IdlParser.RecordTypeContext ctx) {
        type = TypeRef.record(ctx.record.getText(), at(ctx));
    }

    @Override
    public void exitRecordListType(IdlParser.RecordListTypeContext ctx) {
        type = TypeRef.recordList(ctx.record.getText(), at(ctx));
    }

    private SourceLocation at(ParserRuleContext ctx) {
        return at(ctx.getStart());
    }

    private SourceLocation at(Token token) {
        return new SourceLocation(sourceName, token.getLine(), token.getCharPositionInLine() + 1);
    }
}
