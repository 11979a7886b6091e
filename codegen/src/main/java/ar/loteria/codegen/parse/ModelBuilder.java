package ar.loteria.codegen.parse;

import ar.loteria.codegen.model.FieldDef;
import ar.loteria.codegen.model.MessageDef;
import ar.loteria.codegen.model.RecordDef;
import ar.loteria.codegen.model.Schema;
import ar.loteria.codegen.model.SourceLocation;
import ar.loteria.codegen.model.TypeRef;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import org.antlr.v4.runtime.ParserRuleContext;
import org.antlr.v4.runtime.Token;

/**
 * Walks a parse tree and builds the immutable {@link Schema}. It records a source location for
 * every declaration, field, type and opcode, and judges nothing: semantic errors are the
 * checker's job, so that all of them can be reported together.
 */
final class ModelBuilder extends IdlBaseListener {
    private final String sourceName;

    private String packageName;
    private String protocolName;
    private SourceLocation schemaLocation;
    private SourceLocation protocolLocation;
    private final List<RecordDef> records = new ArrayList<>();
    private final List<MessageDef> messages = new ArrayList<>();

    private List<FieldDef> fields;
    private TypeRef type;
    private BigInteger integer;

    ModelBuilder(String sourceName) {
        this.sourceName = sourceName;
    }

    Schema schema() {
        if (packageName == null || protocolName == null) {
            throw new IllegalStateException("the parse tree was not walked");
        }
        return new Schema(sourceName, packageName, protocolName, records, messages, schemaLocation, protocolLocation);
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
