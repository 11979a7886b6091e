// Grammar of the Lotería IDL. No embedded actions: the parse tree is turned into an immutable
// model by ar.loteria.codegen.parse.ModelBuilder (a listener), and every alternative is
// labelled so that the builder sees one callback per construct.
grammar Idl;

idlFile
    : packageDecl protocolDecl declaration* EOF
    ;

packageDecl
    : PACKAGE qualifiedName SEMI
    ;

// The IDL's keywords are ordinary words in a package name (ar.loteria.protocol).
qualifiedName
    : packageSegment (DOT packageSegment)*
    ;

packageSegment
    : (IDENTIFIER | PACKAGE | PROTOCOL | RECORD | MESSAGE | ENUM | INT | STRING | LIST | MAP)
    ;

protocolDecl
    : PROTOCOL name=IDENTIFIER SEMI
    ;

declaration
    : RECORD name=IDENTIFIER LBRACE field* RBRACE                            # recordDecl
    | MESSAGE name=IDENTIFIER ASSIGN opcode=integer LBRACE field* RBRACE     # messageDecl
    | ENUM name=IDENTIFIER LBRACE enumConstant* RBRACE                       # enumDecl
    ;

// NAME = value; a comment after it on the same line documents it (see LINE_COMMENT).
enumConstant
    : name=IDENTIFIER ASSIGN value=integer SEMI
    ;

integer
    : DECIMAL    # decimalInteger
    | HEX        # hexInteger
    ;

field
    : type name=IDENTIFIER SEMI
    ;

type
    : INT                     # intType
    | STRING LIST             # stringListType
    | STRING MAP              # stringMapType
    | STRING                  # stringType
    | record=IDENTIFIER LIST  # recordListType
    | record=IDENTIFIER       # recordType       // or an enum: the model builder tells which
    ;

PACKAGE  : 'package';
PROTOCOL : 'protocol';
RECORD   : 'record';
MESSAGE  : 'message';
ENUM     : 'enum';
INT      : 'int';
STRING   : 'string';
LIST     : 'list';
MAP      : 'map';

LBRACE : '{';
RBRACE : '}';
SEMI   : ';';
DOT    : '.';
ASSIGN : '=';

HEX        : '0' [xX] [0-9a-fA-F]+;
DECIMAL    : [0-9]+;
IDENTIFIER : [a-zA-Z_] [a-zA-Z0-9_]*;

// Comments are kept aside (not parsed): an enum constant's line comment becomes its Javadoc.
LINE_COMMENT  : '//' ~[\r\n]* -> channel(HIDDEN);
BLOCK_COMMENT : '/*' .*? '*/' -> skip;
WS            : [ \t\r\n\f]+ -> skip;
