/* The parser: tokens to the syntax tree of one file (doc/idl.md; the EBNF
 * of each rule is there and repeated above the rule here). */
%code top {
#include <config.h>
}

%code requires {
#include "parse.h"

struct field_list { struct ast_field *first, *last; uint32_t n; };
struct variant_list { struct ast_variant *first, *last; uint32_t n; };
struct method_list { struct ast_method *first, *last; uint32_t n; };
struct param_list { struct ast_param *first, *last; uint32_t n; };
struct type_list { struct ast_type *first, *last; uint32_t n; };
struct attr_list { struct ast_attr *first, *last; };
struct dim_list { struct ast_expr *items; uint32_t n, cap; };
}

%code {
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "spelling.h"

int yylex(YYSTYPE *lval, YYLTYPE *lloc, void *scanner);
#define SCANNER (ps->scanner)

#define YYLLOC_DEFAULT(cur, rhs, n)                                    \
	do {                                                           \
		if (n) {                                               \
			int first_ = 1;                                \
			/* an empty leading part (no attributes) */    \
			while (first_ < (n) &&                         \
			       YYRHSLOC(rhs, first_).begin ==          \
			       YYRHSLOC(rhs, first_).end)              \
				first_++;                              \
			(cur).file = YYRHSLOC(rhs, first_).file;       \
			(cur).begin = YYRHSLOC(rhs, first_).begin;     \
			(cur).end = YYRHSLOC(rhs, n).end;              \
		} else {                                               \
			(cur).file = YYRHSLOC(rhs, 0).file;            \
			(cur).begin = (cur).end = YYRHSLOC(rhs, 0).end; \
		}                                                      \
	} while (0)

#define NEW(T) ((T *)arena_alloc(ps->arena, sizeof(T)))
#define APPEND(list, item)                                       \
	do {                                                     \
		if ((list).last)                                 \
			(list).last->next = (item);              \
		else                                             \
			(list).first = (item);                   \
		(list).last = (item);                            \
	} while (0)

static void yyerror(YYLTYPE *loc, struct parse_state *ps, const char *msg);
static struct ast_expr expr_op(struct parse_state *ps, struct ast_expr first,
			       enum expr_op_kind kind, struct loc at,
			       struct loc whole);
static struct ast_expr expr_leaf(struct parse_state *ps, struct expr_op op);
static struct ast_decl *new_decl(struct parse_state *ps, enum decl_kind kind,
				 const char *name, struct loc name_loc);
static void add_decl(struct parse_state *ps, struct ast_attr *attrs,
		     struct ast_decl *d, struct loc at);
static struct ast_expr *dims_finish(struct parse_state *ps, struct dim_list *l);
static void module_decl(struct parse_state *ps, struct ast_attr *attrs,
			const char *name, struct loc name_loc, struct loc at);
static void import_decl(struct parse_state *ps, struct ast_attr *attrs,
			const char *path, struct loc path_loc, struct loc at);
static struct ast_method *new_sig(struct parse_state *ps, struct ast_attr *attrs,
				  struct ast_type *ret, const char *name,
				  struct loc name_loc, struct param_list params,
				  struct loc at);
static struct ast_param *new_param(struct parse_state *ps, struct attr_list attrs,
				   struct ast_type *type, const char *name,
				   struct loc name_loc, struct dim_list *dims,
				   struct loc at);
static void habit_error(struct parse_state *ps, struct loc at, const char *fmt, ...)
	DIAG_PRINTF(3, 4);
static struct param_list named_params(struct parse_state *ps, const char *fn,
				      struct param_list params);
static void function_pointer(struct parse_state *ps, const char *what,
			     struct ast_type *ret, const char *name,
			     struct param_list params, struct loc at);
static void tagged_type(struct parse_state *ps, const char *tag, struct loc at,
			const char *name);
static void keyword_name(struct parse_state *ps, const char *word, struct loc at);
static void typedef_alias(struct parse_state *ps, struct loc at,
			  struct ast_type *type, const char *name);
static void typedef_tagged(struct parse_state *ps, struct loc at,
			   const char *tag, const char *name);
}

%define api.pure full
%define api.location.type {struct loc}
%define parse.error custom
%locations
%parse-param {struct parse_state *ps}
%lex-param {void *SCANNER}
%define parse.lac full
%expect 0
%initial-action {
	@$.file = ps->file;
	@$.begin = @$.end = 0;
}

%union {
	const char *str;
	struct { uint64_t value; bool overflow; } num;
	struct { uint32_t major, minor; } ver;
	struct ast_attr *attr;
	struct attr_list attrs;
	struct ast_type *type;
	struct type_list types;
	struct ast_expr expr;
	struct dim_list dims;
	struct ast_field *field;
	struct field_list fields;
	struct ast_variant *variant;
	struct variant_list variants;
	struct ast_method *method;
	struct method_list methods;
	struct ast_param *param;
	struct param_list params;
	struct ast_decl *decl;
	uint32_t count;
}

%token YYEOF 0 "end of file"
/* The keywords carry their text: as a member's name (doc/idl.md 2.6), the
 * checker takes them or refuses them as it does every name. */
%token <str> T_MODULE "'module'" T_IMPORT "'import'" T_CONST "'const'"
%token <str> T_STRUCT "'struct'" T_UNION "'union'" T_ENUM "'enum'"
%token <str> T_CALLBACK "'callback'" T_INTERFACE "'interface'" T_EXPORT "'export'"
%token <str> T_IDENT "identifier"
/* C's spellings, read only to say what chitin writes instead (doc/idl.md
 * 10): `typedef`, and a C type of several words (`unsigned int`), which
 * the scanner gives as one token holding the words. */
%token <str> T_TYPEDEF "'typedef'"
%token <str> T_CTYPE "C type"
%token <num> T_INT "integer"
%token <ver> T_VERSION "version number"
%token <str> T_STRING "string"
%token <str> T_UUID "uuid"
%token T_SHL "'<<'"

%left '|'
%left '^'
%left '&'
%left T_SHL '>'
%left '+' '-'
%left '*' '/' '%'
%precedence UNARY

%type <attr> attr
%type <attrs> attrs attr_list attr_groups
%type <type> type member_type qname base
%type <types> type_args
%type <count> stars
%type <expr> expr
%type <dims> dims
%type <field> field
%type <fields> fields field_block
%type <variant> variant
%type <variants> variants variant_list variant_block
%type <method> method
%type <methods> methods method_block
%type <param> param
%type <params> params param_list
%type <decl> decl
%type <type> enum_repr
%type <str> name decl_name keyword
%type <str> agg_tag c_tag

/* The array sizes of a field are gathered on the heap until the field is
 * made: a field that error recovery discards frees them here. */
%destructor { free($$.items); } <dims>

%%

/* file = { item } ; */
file
	: %empty
	| file item
	;

/* item = attrs ( module | import | decl ) ;
 * module = "module" IDENT ";" ;   import = "import" STRING ";" ; */
item
	: attrs T_MODULE decl_name ';'        { module_decl(ps, $1.first, $3, @3, @$); }
	| attrs T_IMPORT T_STRING ';'         { import_decl(ps, $1.first, $3, @3, @$); }
	| attrs decl                          { add_decl(ps, $1.first, $2, @$); }
	/* C habits, each refused with chitin's spelling (doc/idl.md 10) */
	| attrs typedef ';'
	| attrs T_CONST type decl_name '=' T_STRING ';' {
		habit_error(ps, @6, "a constant is an integer (i8 to u64); chitin has no string constants (a method or an export can return a 'string')");
	}
	/* Resynchronise at the end of a declaration.  No yyerrok: the
	 * next tokens are often the rest of the broken declaration, and
	 * bison's three-token quiet period keeps them from cascading. */
	| error ';'
	| error '}' ';'

	;

/* attrs = { "[" attr { "," attr } "]" } ; */
attrs
	: %empty                              { $$.first = $$.last = NULL; }
	| attr_groups
	;

attr_groups
	: '[' attr_list ']'                   { $$ = $2; }
	| attr_groups '[' attr_list ']'       {
		$$ = $1;
		if ($3.first) {
			$$.last->next = $3.first;
			$$.last = $3.last;
		}
	}
	;

attr_list
	: attr                                { $$.first = $$.last = $1; }
	| attr_list ',' attr                  { $$ = $1; APPEND($$, $3); }
	;

/* attr = IDENT [ "(" ( INT | VERSION | STRING | UUID | IDENT ) ")" ] ; */
attr
	: T_IDENT {
		$$ = NEW(struct ast_attr);
		$$->name = $1; $$->name_loc = @1; $$->loc = @$;
		$$->arg_kind = ARG_NONE;
	}
	| T_IDENT '(' T_INT ')' {
		$$ = NEW(struct ast_attr);
		$$->name = $1; $$->name_loc = @1; $$->loc = @$;
		$$->arg_kind = ARG_INT; $$->arg_loc = @3;
		$$->int_value = $3.value; $$->int_overflow = $3.overflow;
	}
	| T_IDENT '(' T_VERSION ')' {
		$$ = NEW(struct ast_attr);
		$$->name = $1; $$->name_loc = @1; $$->loc = @$;
		$$->arg_kind = ARG_VERSION; $$->arg_loc = @3;
		$$->major = $3.major; $$->minor = $3.minor;
	}
	| T_IDENT '(' T_STRING ')' {
		$$ = NEW(struct ast_attr);
		$$->name = $1; $$->name_loc = @1; $$->loc = @$;
		$$->arg_kind = ARG_STRING; $$->arg_loc = @3; $$->text = $3;
	}
	| T_IDENT '(' T_UUID ')' {
		$$ = NEW(struct ast_attr);
		$$->name = $1; $$->name_loc = @1; $$->loc = @$;
		$$->arg_kind = ARG_UUID; $$->arg_loc = @3; $$->text = $3;
	}
	| T_IDENT '(' T_IDENT ')' {
		$$ = NEW(struct ast_attr);
		$$->name = $1; $$->name_loc = @1; $$->loc = @$;
		$$->arg_kind = ARG_IDENT; $$->arg_loc = @3; $$->text = $3;
	}
	;

/* decl = "const" type IDENT "=" expr ";"
 *      | ( "struct" | "union" ) IDENT "{" { field } "}" ";"
 *      | "enum" IDENT [ ":" type ] "{" [ variant { "," variant } [ "," ] ] "}" ";"
 *      | "callback" type IDENT "(" [ params ] ")" ";"
 *      | "interface" IDENT [ ":" qname ] "{" { method } "}" ";"
 *      | "export" type IDENT "(" [ params ] ")" ";" ; */
decl
	: T_CONST type decl_name '=' expr ';' {
		$$ = new_decl(ps, DECL_CONST, $3, @3);
		$$->u.konst.type = $2;
		$$->u.konst.value = $5;
	}
	| T_STRUCT decl_name field_block ';' {
		$$ = new_decl(ps, DECL_STRUCT, $2, @2);
		$$->open_brace = @3;
		$$->u.agg.fields = $3.first;
		$$->u.agg.n_fields = $3.n;
	}
	| T_UNION decl_name field_block ';' {
		$$ = new_decl(ps, DECL_UNION, $2, @2);
		$$->open_brace = @3;
		$$->u.agg.fields = $3.first;
		$$->u.agg.n_fields = $3.n;
	}
	| T_ENUM decl_name enum_repr variant_block ';' {
		$$ = new_decl(ps, DECL_ENUM, $2, @2);
		$$->open_brace = @4;
		$$->u.enm.repr = $3;
		$$->u.enm.variants = $4.first;
		$$->u.enm.n_variants = $4.n;
	}
	| T_CALLBACK member_type decl_name '(' params ')' ';' {
		$$ = new_decl(ps, DECL_CALLBACK, $3, @3);
		$$->u.sig = new_sig(ps, NULL, $2, $3, @3, $5, @$);
		$$->u.sig->doc = NULL;  /* the declaration carries it */
	}
	| T_INTERFACE decl_name base method_block ';' {
		$$ = new_decl(ps, DECL_INTERFACE, $2, @2);
		$$->open_brace = @4;
		$$->u.iface.base = $3;
		$$->u.iface.methods = $4.first;
		$$->u.iface.n_methods = $4.n;
	}
	| T_EXPORT member_type decl_name '(' params ')' ';' {
		$$ = new_decl(ps, DECL_EXPORT, $3, @3);
		$$->u.sig = new_sig(ps, NULL, $2, $3, @3, $5, @$);
		$$->u.sig->doc = NULL;  /* the declaration carries it */
	}
	;

enum_repr
	: %empty                              { $$ = NULL; }
	| ':' type                            { $$ = $2; }
	;

base
	: %empty                              { $$ = NULL; }
	| ':' type                            { $$ = $2; }
	;

/* C's typedef forms, to say what chitin writes instead:
 * typedef = "typedef" ( type name
 *                     | type "(" "*" name ")" "(" [ params ] ")"
 *                     | ( "struct" | "union" ) [ name ] "{" { field } "}" name
 *                     | "enum" [ name ] "{" variants "}" name
 *                     | ( "struct" | "union" | "enum" ) name name ) ; */
typedef
	: T_TYPEDEF type name                 { typedef_alias(ps, @1, $2, $3); }
	| T_TYPEDEF type '(' '*' name ')' '(' params ')' {
		function_pointer(ps, "typedef", $2, $5, $8, @1);
	}
	| T_TYPEDEF agg_tag name field_block name { typedef_tagged(ps, @1, $2, $5); }
	| T_TYPEDEF agg_tag field_block name  { typedef_tagged(ps, @1, $2, $4); }
	| T_TYPEDEF agg_tag name name         { typedef_tagged(ps, @1, $2, $4); }
	| T_TYPEDEF T_ENUM name variant_block name { typedef_tagged(ps, @1, "enum", $5); }
	| T_TYPEDEF T_ENUM variant_block name { typedef_tagged(ps, @1, "enum", $4); }
	| T_TYPEDEF T_ENUM name name          { typedef_tagged(ps, @1, "enum", $4); }
	;

agg_tag
	: T_STRUCT                            { $$ = "struct"; }
	| T_UNION                             { $$ = "union"; }
	;

/* name = IDENT | "module" | "import" | "callback" | "const" | "struct"
 *      | "union" | "enum" | "interface" | "export" ;
 * The name of a field, a parameter, a method or a variant: chitin's
 * keywords are contextual there (doc/idl.md 2.6).  The checker takes
 * those that C, C++ and Rust all allow (module, import, callback) and
 * refuses the others as it refuses any reserved word, saying why (9.1);
 * so too `typedef`, the C keyword. */
name
	: T_IDENT
	| keyword
	| T_TYPEDEF
	;

/* decl_name = IDENT ;
 * The name of a module or a declaration.  A keyword is read there only
 * to say that it can name a member alone (doc/idl.md 2.6); it stands for
 * the name, so that reading goes on. */
decl_name
	: T_IDENT
	| keyword                             { keyword_name(ps, $1, @1); }
	;

keyword
	: T_MODULE
	| T_IMPORT
	| T_CALLBACK
	| T_CONST
	| T_STRUCT
	| T_UNION
	| T_ENUM
	| T_INTERFACE
	| T_EXPORT
	;

/* A block that recovers from an error by skipping to its closing brace. */
field_block
	: '{' fields '}'                      { $$ = $2; }
	| '{' fields error '}'                { $$ = $2; yyerrok; }
	;

variant_block
	: '{' variants '}'                    { $$ = $2; }
	| '{' variant_list error '}'          { $$ = $2; yyerrok; }
	| '{' error '}'                       { $$.first = $$.last = NULL; $$.n = 0; yyerrok; }
	;

method_block
	: '{' methods '}'                     { $$ = $2; }
	| '{' methods error '}'               { $$ = $2; yyerrok; }
	;

fields
	: %empty                              { $$.first = $$.last = NULL; $$.n = 0; }
	| fields field                        { $$ = $1; if ($2) { APPEND($$, $2); $$.n++; } }
	| fields error ';'                    { $$ = $1; yyerrok; }
	;

/* field = attrs type name { "[" expr "]" } ";" ;
 * C's `type (*name)(params);` is read to say that it is a callback. */
field
	: attrs member_type name dims ';' {
		$$ = NEW(struct ast_field);
		ps->ast->counts.fields++;
		$$->attrs = $1.first; $$->type = $2;
		$$->name = $3; $$->name_loc = @3; $$->loc = @$;
		$$->n_dims = $4.n;
		$$->dims = dims_finish(ps, &$4);
		$$->doc = parse_doc_at(ps, @$.begin);
	}
	| attrs member_type '(' '*' name ')' '(' params ')' ';' {
		struct loc at = { @3.file, @3.begin, @6.end };
		function_pointer(ps, "field", $2, $5, $8, at);
		$$ = NULL;
	}
	;

dims
	: %empty                              { $$.items = NULL; $$.n = $$.cap = 0; }
	| dims '[' expr ']'                   { $$ = $1; VEC_PUSH($$.items, $$.n, $$.cap) = $3; }
	;

variants
	: %empty                              { $$.first = $$.last = NULL; $$.n = 0; }
	| variant_list
	| variant_list ','
	;

variant_list
	: variant                             { $$.first = $$.last = $1; $$.n = 1; }
	| variant_list ',' variant            { $$ = $1; APPEND($$, $3); $$.n++; }
	;

/* variant = attrs name [ "{" { field } "}" ] [ "=" expr ] ; */
variant
	: attrs name {
		$$ = NEW(struct ast_variant);
		ps->ast->counts.variants++;
		$$->attrs = $1.first; $$->name = $2; $$->name_loc = @2; $$->loc = @$;
		$$->doc = parse_doc_at(ps, @$.begin);
	}
	| attrs name '=' expr {
		$$ = NEW(struct ast_variant);
		ps->ast->counts.variants++;
		$$->attrs = $1.first; $$->name = $2; $$->name_loc = @2; $$->loc = @$;
		$$->has_value = true; $$->value = $4;
		$$->doc = parse_doc_at(ps, @$.begin);
	}
	| attrs name field_block {
		$$ = NEW(struct ast_variant);
		ps->ast->counts.variants++;
		$$->attrs = $1.first; $$->name = $2; $$->name_loc = @2; $$->loc = @$;
		$$->has_payload = true; $$->open_brace = @3;
		$$->fields = $3.first; $$->n_fields = $3.n;
		$$->doc = parse_doc_at(ps, @$.begin);
	}
	| attrs name field_block '=' expr {
		$$ = NEW(struct ast_variant);
		ps->ast->counts.variants++;
		$$->attrs = $1.first; $$->name = $2; $$->name_loc = @2; $$->loc = @$;
		$$->has_payload = true; $$->open_brace = @3;
		$$->fields = $3.first; $$->n_fields = $3.n;
		$$->has_value = true; $$->value = $5;
		$$->doc = parse_doc_at(ps, @$.begin);
	}
	;

methods
	: %empty                              { $$.first = $$.last = NULL; $$.n = 0; }
	| methods method                      { $$ = $1; if ($2) { APPEND($$, $2); $$.n++; } }
	| methods error ';'                   { $$ = $1; yyerrok; }
	;

/* method = attrs type name "(" [ params ] ")" ";" ;
 * C's `type (*name)(params);` is read to say how a method is written. */
method
	: attrs member_type name '(' params ')' ';' {
		$$ = new_sig(ps, $1.first, $2, $3, @3, $5, @$);
	}
	| attrs member_type '(' '*' name ')' '(' params ')' ';' {
		struct loc at = { @3.file, @3.begin, @6.end };
		function_pointer(ps, "method", $2, $5, $8, at);
		$$ = NULL;
	}
	;

/* params = param { "," param } ;  param = attrs type name { "[" expr "]" } ;
 * A parameter without a name is read too, for C's `f(void)` and
 * prototypes (new_sig refuses it), and so is a function pointer. */
params
	: %empty                              { $$.first = $$.last = NULL; $$.n = 0; }
	| param_list
	;

param_list
	: param                               { $$.first = $$.last = $1; $$.n = 1; }
	| param_list ',' param                { $$ = $1; APPEND($$, $3); $$.n++; }
	;

param
	: attrs member_type name dims         { $$ = new_param(ps, $1, $2, $3, @3, &$4, @$); }
	| attrs member_type                   { $$ = new_param(ps, $1, $2, NULL, @2, NULL, @$); }
	| attrs member_type '(' '*' name ')' '(' params ')' {
		struct loc at = { @3.file, @3.begin, @6.end };
		function_pointer(ps, "parameter", $2, $5, $8, at);
		$$ = new_param(ps, $1, $2, $5, @5, NULL, @$);
	}
	;

/* type = [ "const" ] qname [ "<" type { "," type } ">" ] { "*" } ; */
type
	: qname stars {
		$$ = $1; $$->n_pointers = $2; $$->loc = @$;
	}
	| qname '<' type_args '>' stars {
		$$ = $1; $$->args = $3.first; $$->n_args = $3.n;
		$$->n_pointers = $5; $$->loc = @$;
	}
	| T_CONST qname stars {
		$$ = $2; $$->n_pointers = $3; $$->loc = @$;
		$$->is_const = true; $$->const_loc = @1;
	}
	| T_CONST qname '<' type_args '>' stars {
		$$ = $2; $$->args = $4.first; $$->n_args = $4.n;
		$$->n_pointers = $6; $$->loc = @$;
		$$->is_const = true; $$->const_loc = @1;
	}
	;

/* The type of a field, a parameter or a result.  C's `struct A` (and
 * `union A`, `enum A`) is read there to say that chitin names a type
 * alone (doc/idl.md 10); it stands for `A`, so that reading goes on. */
member_type
	: type
	| c_tag T_IDENT stars {
		struct loc at = { @1.file, @1.begin, @2.end };
		tagged_type(ps, $1, at, $2);
		$$ = NEW(struct ast_type);
		$$->name = $2; $$->name_loc = @2;
		$$->n_pointers = $3; $$->loc = @$;
	}
	| T_CONST c_tag T_IDENT stars {
		struct loc at = { @2.file, @2.begin, @3.end };
		tagged_type(ps, $2, at, $3);
		$$ = NEW(struct ast_type);
		$$->name = $3; $$->name_loc = @3;
		$$->n_pointers = $4; $$->loc = @$;
		$$->is_const = true; $$->const_loc = @1;
	}
	;

c_tag
	: T_STRUCT                            { $$ = "struct"; }
	| T_UNION                             { $$ = "union"; }
	| T_ENUM                              { $$ = "enum"; }
	;

type_args
	: type                                { $$.first = $$.last = $1; $$.n = 1; }
	| type_args ',' type                  { $$ = $1; APPEND($$, $3); $$.n++; }
	;

stars
	: %empty                              { $$ = 0; }
	| stars '*'                           { $$ = $1 + 1; }
	;

/* qname = IDENT [ "." IDENT ] ;  (and a C type of several words, which
 * the checker refuses with chitin's spelling) */
qname
	: T_IDENT {
		$$ = NEW(struct ast_type);
		$$->name = $1; $$->name_loc = @1; $$->loc = @1;
	}
	| T_CTYPE {
		$$ = NEW(struct ast_type);
		$$->name = $1; $$->name_loc = @1; $$->loc = @1;
	}
	| T_IDENT '.' T_IDENT {
		$$ = NEW(struct ast_type);
		$$->qualifier = $1; $$->name = $3; $$->name_loc = @$; $$->loc = @$;
	}
	;

/* expr = INT | qname | "(" expr ")" | unary expr | expr binop expr ;
 * binding from loosest: | ^ & (<< >>) (+ -) (* / %) unary */
expr
	: T_INT {
		struct expr_op op = { .kind = OP_INT, .loc = @1, .value = $1.value };
		$$ = expr_leaf(ps, op);
	}
	| T_IDENT {
		struct expr_op op = { .kind = OP_NAME, .loc = @1, .name = $1 };
		$$ = expr_leaf(ps, op);
	}
	| T_IDENT '.' T_IDENT {
		struct expr_op op = { .kind = OP_NAME, .loc = @$, .qualifier = $1, .name = $3 };
		$$ = expr_leaf(ps, op);
	}
	| '(' expr ')'                        { $$ = $2; $$.loc = @$; }
	| '-' expr %prec UNARY                { $$ = expr_op(ps, $2, OP_NEG, @1, @$); }
	| '+' expr %prec UNARY                { $$ = expr_op(ps, $2, OP_PLUS, @1, @$); }
	| '~' expr %prec UNARY                { $$ = expr_op(ps, $2, OP_NOT, @1, @$); }
	| expr '+' expr                       { $$ = expr_op(ps, $1, OP_ADD, @2, @$); }
	| expr '-' expr                       { $$ = expr_op(ps, $1, OP_SUB, @2, @$); }
	| expr '*' expr                       { $$ = expr_op(ps, $1, OP_MUL, @2, @$); }
	| expr '/' expr                       { $$ = expr_op(ps, $1, OP_DIV, @2, @$); }
	| expr '%' expr                       { $$ = expr_op(ps, $1, OP_MOD, @2, @$); }
	| expr T_SHL expr                     { $$ = expr_op(ps, $1, OP_SHL, @2, @$); }
	| expr '>' '>' expr %prec T_SHL {
		struct loc op = { @2.file, @2.begin, @3.end };
		if (@3.begin != @2.end)
			diag_error(ps->diag, op, "expected '>>' (no space inside the operator)");
		$$ = expr_op(ps, $1, OP_SHR, op, @$);
	}
	| expr '&' expr                       { $$ = expr_op(ps, $1, OP_AND, @2, @$); }
	| expr '|' expr                       { $$ = expr_op(ps, $1, OP_OR, @2, @$); }
	| expr '^' expr                       { $$ = expr_op(ps, $1, OP_XOR, @2, @$); }
	;

%%

const char *const expr_op_names[] = {
#define X(k, s) s,
	EXPR_OPS(X)
#undef X
};

static struct ast_expr
expr_leaf(struct parse_state *ps, struct expr_op op)
{
	struct ast_file *f = ps->ast;
	struct ast_expr e;
	e.first = f->n_ops;
	e.count = 1;
	e.loc = op.loc;
	VEC_PUSH(f->ops, f->n_ops, ps->cap_ops) = op;
	return e;
}

/* Appends an operator after its operands, which are already in place. */
static struct ast_expr
expr_op(struct parse_state *ps, struct ast_expr first, enum expr_op_kind kind,
	struct loc at, struct loc whole)
{
	struct ast_file *f = ps->ast;
	struct expr_op op;
	struct ast_expr e;
	memset(&op, 0, sizeof op);
	op.kind = kind;
	op.loc = at;
	VEC_PUSH(f->ops, f->n_ops, ps->cap_ops) = op;
	e.first = first.first;
	e.count = f->n_ops - first.first;
	e.loc = whole;
	return e;
}

static struct ast_expr *
dims_finish(struct parse_state *ps, struct dim_list *l)
{
	struct ast_expr *out = NULL;
	if (l->n) {
		out = arena_alloc(ps->arena, l->n * sizeof *out);
		memcpy(out, l->items, l->n * sizeof *out);
	}
	free(l->items);
	l->items = NULL;
	return out;
}

static struct ast_decl *
new_decl(struct parse_state *ps, enum decl_kind kind, const char *name,
	 struct loc name_loc)
{
	struct ast_decl *d = NEW(struct ast_decl);
	d->kind = kind;
	d->name = name;
	d->name_loc = name_loc;
	return d;
}

static struct ast_method *
new_sig(struct parse_state *ps, struct ast_attr *attrs, struct ast_type *ret,
	const char *name, struct loc name_loc, struct param_list params,
	struct loc at)
{
	struct ast_method *m = NEW(struct ast_method);
	params = named_params(ps, name, params);
	ps->ast->counts.methods++;
	m->attrs = attrs;
	m->ret = ret;
	m->name = name;
	m->name_loc = name_loc;
	m->loc = at;
	m->params = params.first;
	m->n_params = params.n;
	m->doc = parse_doc_at(ps, at.begin);
	return m;
}

static struct ast_param *
new_param(struct parse_state *ps, struct attr_list attrs, struct ast_type *type,
	  const char *name, struct loc name_loc, struct dim_list *dims, struct loc at)
{
	struct ast_param *p = NEW(struct ast_param);
	ps->ast->counts.params++;
	p->attrs = attrs.first;
	p->type = type;
	p->name = name;
	p->name_loc = name_loc;
	p->loc = at;
	if (dims) {
		p->n_dims = dims->n;
		p->dims = dims_finish(ps, dims);
	}
	p->doc = parse_doc_at(ps, at.begin);
	return p;
}

/* ---- C habits (doc/idl.md 10) ------------------------------------------------ */

/* An error about C written where chitin has its own spelling.  It counts
 * as a syntax error: the file is not checked further, and is not also
 * told that it lacks a module declaration. */
static void
habit_error(struct parse_state *ps, struct loc at, const char *fmt, ...)
{
	va_list ap;
	ps->syntax_errors++;
	va_start(ap, fmt);
	diag_vreport(ps->diag, DIAG_ERROR, at, fmt, ap);
	va_end(ap);
}

/* The source text of at, quoted for a message (shortened if long). */
static const char *
source_text(struct parse_state *ps, struct loc at, char *buf, size_t size)
{
	return diag_quote(buf, size, ps->diag->files[ps->file]->text + at.begin, at.end - at.begin);
}

/* Whether t is `void` alone, as in C's `f(void)`. */
static bool
is_bare_void(const struct ast_type *t)
{
	return !t->qualifier && !t->n_args && !t->n_pointers && !t->is_const &&
	       strcmp(t->name, "void") == 0;
}

/* Refuses C's `f(void)` and parameters without a name, and drops them,
 * so that every parameter of the tree has a name. */
static struct param_list
named_params(struct parse_state *ps, const char *fn, struct param_list params)
{
	struct param_list kept = { NULL, NULL, 0 };
	struct ast_param *p, *next;
	uint32_t i = 0;
	char type[64];
	if (params.n == 1 && !params.first->name && is_bare_void(params.first->type)) {
		habit_error(ps, params.first->type->loc,
			    "'%s(void)' is C; chitin writes a function without parameters '%s()'", fn, fn);
		return kept;
	}
	for (p = params.first; p; p = next) {
		next = p->next;
		p->next = NULL;
		i++;
		if (!p->name) {
			habit_error(ps, p->type->loc,
				    "parameter %u of '%s' has no name; chitin writes a parameter as its type and its name ('%s NAME')",
				    i, fn, source_text(ps, p->type->loc, type, sizeof type));
			continue;
		}
		APPEND(kept, p);
		kept.n++;
	}
	return kept;
}

/* The name a callback type for a function pointer `name` could take:
 * on_event gives OnEvent. */
static void
callback_type_name(char *buf, size_t size, const char *name)
{
	const char *c;
	size_t o = 0;
	bool up = true;
	for (c = name; *c && o + 3 < size; c++) {
		if (*c == '_') {
			up = true;
			continue;
		}
		buf[o++] = up && *c >= 'a' && *c <= 'z' ? (char)(*c - 'a' + 'A') : *c;
		up = false;
	}
	buf[o] = '\0';
	/* a field already named OnEvent, or one of underscores alone */
	if (o < 2 || strcmp(buf, name) == 0)
		snprintf(buf + o, size - o, "Fn");
}

/* Appends to the size-byte buffer buf, which holds *len bytes; false once
 * it is full. */
static bool DIAG_PRINTF(4, 5)
text_append(char *buf, size_t size, size_t *len, const char *fmt, ...)
{
	va_list ap;
	int n;
	va_start(ap, fmt);
	n = vsnprintf(buf + *len, size - *len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= size - *len)
		return false;
	*len += (size_t)n;
	return true;
}

/* Writes into buf chitin's spelling of the C type t of a function
 * pointer's parameter or result: C's words and names become chitin's
 * types (doc/idl.md 10), a pointer to char is text (`str` borrowed as a
 * parameter, `string` owned as a result, 7.3), and `const` stays only on
 * a pointer target (6.3).  Returns false when chitin has no one type for
 * it (`long`), or it does not fit. */
static bool
chitin_type_text(struct parse_state *ps, const struct ast_type *t, bool result,
		 char *buf, size_t size)
{
	const char *base = t->name, *exact;
	char why[160];
	uint32_t stars = t->n_pointers, i;
	size_t len = 0;
	if (t->n_args) {
		/* type arguments are chitin's own: C has none */
		source_text(ps, t->loc, buf, size);
		return strlen(buf) == t->loc.end - t->loc.begin;
	}
	if (t->qualifier) {
		/* a type of an imported module, as written */
	} else if (strcmp(base, "char") == 0 && stars) {
		base = result ? "string" : "str";
		stars--;
	} else if (spell_c_words(base, &exact, why, sizeof why) ||
		   spell_type_name(base, &exact)) {
		if (!exact)
			return false;
		base = exact;
	}
	if (!text_append(buf, size, &len, "%s%s%s%s", t->is_const && stars ? "const " : "",
			 t->qualifier ? t->qualifier : "", t->qualifier ? "." : "", base))
		return false;
	for (i = 0; i < stars; i++)
		if (!text_append(buf, size, &len, "*"))
			return false;
	return true;
}

/* Whether p is the context a C callback is handed (`void *ctx`,
 * `void *user_data`), which a chitin callback carries itself (5.6). */
static bool
is_context_param(const struct ast_param *p)
{
	static const char *const names[] = {
		"ctx", "context", "user", "userdata", "user_data", "udata",
		"user_ctx", "cookie", "opaque", "closure",
	};
	const struct ast_type *t = p->type;
	size_t i;
	if (!p->name || t->qualifier || t->n_args || t->n_pointers != 1 ||
	    strcmp(t->name, "void") != 0)
		return false;
	for (i = 0; i < sizeof names / sizeof *names; i++)
		if (strcmp(p->name, names[i]) == 0)
			return true;
	return false;
}

/* C's `ret (*name)(params)`, written as a field, a parameter, a method
 * or a typedef: says how chitin writes it, in chitin's types, so that
 * what it suggests is accepted as it stands.  at is the `(` or
 * `typedef`.  The parameters are `...` when one has no name or a type
 * chitin has no one spelling for. */
static void
function_pointer(struct parse_state *ps, const char *what, struct ast_type *ret,
		 const char *name, struct param_list params, struct loc at)
{
	char type[64], args[256], one[96], cb[64];
	const struct ast_param *p, *context = NULL;
	bool callback = strcmp(what, "method") != 0, ok = true;
	size_t len = 0;
	if (!chitin_type_text(ps, ret, true, type, sizeof type))
		source_text(ps, ret->loc, type, sizeof type);
	args[0] = '\0';
	if (!(params.n == 1 && !params.first->name && is_bare_void(params.first->type))) {
		for (p = params.first; p && ok; p = p->next) {
			if (callback && !context && is_context_param(p)) {
				context = p;
				continue;
			}
			ok = p->name && chitin_type_text(ps, p->type, false, one, sizeof one) &&
			     text_append(args, sizeof args, &len, "%s%s %s", len ? ", " : "", one,
					 /* the lowered call names these itself (5.9) */
					 strcmp(p->name, "ctx") == 0 && callback ? "context" :
					 strcmp(p->name, "ret") == 0 ? "result" : p->name);
		}
		if (!ok)
			snprintf(args, sizeof args, "...");
	}
	if (!callback) {
		habit_error(ps, at,
			    "'%s' is written as a C function pointer; a method is written as a prototype: '%s %s(%s);'",
			    name, type, name, args);
	} else if (strcmp(what, "typedef") == 0) {
		habit_error(ps, at,
			    "chitin has no typedef, and a function type is a callback: write 'callback %s %s(%s);'",
			    type, name, args);
	} else {
		callback_type_name(cb, sizeof cb, name);
		habit_error(ps, at,
			    "'%s' is a C function pointer; chitin passes a function as a callback: declare 'callback %s %s(%s);' and write the %s as '%s %s%s'",
			    name, type, cb, args, what, cb, name, strcmp(what, "field") == 0 ? ";" : "");
	}
	if (context)
		diag_note(ps->diag, context->loc,
			  "a callback carries its own context, which its function receives first as 'void *ctx' (doc/idl.md 5.6): '%s' is left out",
			  context->name);
}

/* A keyword as the name of a module or a declaration (doc/idl.md 2.6):
 * module, import and callback may name a member; the other keywords
 * name nothing in the generated code (9.1). */
static void
keyword_name(struct parse_state *ps, const char *word, struct loc at)
{
	const char *why = strcmp(word, "export") == 0 ? "a C++ keyword" :
			  strcmp(word, "interface") == 0 ? "a macro of <windows.h>" : "a C keyword";
	if (strcmp(word, "module") == 0 || strcmp(word, "import") == 0 ||
	    strcmp(word, "callback") == 0)
		habit_error(ps, at,
			    "'%s' is a keyword of chitin; it can name only a member (a field, a parameter, a method, an enum value or a variant; doc/idl.md 2.6)",
			    word);
	else
		habit_error(ps, at, "'%s' is a keyword of chitin, and %s: it names nothing (doc/idl.md 2.6)",
			    word, why);
}

/* C's `struct NAME` (or union, enum) where a type is named. */
static void
tagged_type(struct parse_state *ps, const char *tag, struct loc at, const char *name)
{
	habit_error(ps, at, "'%s %s' is C; chitin names %s %s by its name alone: write '%s'",
		    tag, name, strcmp(tag, "enum") == 0 ? "an" : "a", tag, name);
}

static void
typedef_alias(struct parse_state *ps, struct loc at, struct ast_type *type, const char *name)
{
	char text[64];
	source_text(ps, type->loc, text, sizeof text);
	habit_error(ps, at,
		    "chitin has no typedef: a type has one name; write '%s' itself where '%s' would go, or declare 'struct %s { %s value; };' for a type of its own",
		    text, name, name, text);
}

static void
typedef_tagged(struct parse_state *ps, struct loc at, const char *tag, const char *name)
{
	habit_error(ps, at, "chitin has no typedef: the declaration of %s %s names its type; write '%s %s { ... };'",
		    strcmp(tag, "enum") == 0 ? "an" : "a", tag, tag, name);
}

static void
add_decl(struct parse_state *ps, struct ast_attr *attrs, struct ast_decl *d,
	 struct loc at)
{
	struct ast_file *f = ps->ast;
	d->attrs = attrs;
	d->loc = at;
	d->doc = parse_doc_at(ps, at.begin);
	if (!f->has_module && !f->decls) {
		if (!ps->syntax_errors)
			diag_error(ps->diag, at,
				   "expected the module declaration ('module NAME;') before the first declaration");
		f->has_module = true;  /* say it once */
	}
	d->next = NULL;
	if (f->decls) {
		struct ast_decl *tail = ps->last_decl;
		tail->next = d;
	} else {
		f->decls = d;
	}
	ps->last_decl = d;
	f->n_decls++;
}

static void
module_decl(struct parse_state *ps, struct ast_attr *attrs, const char *name,
	    struct loc name_loc, struct loc at)
{
	struct ast_file *f = ps->ast;
	if (f->module) {
		diag_error(ps->diag, at, "a file declares one module; '%s' was declared already",
			   f->module);
		diag_note(ps->diag, f->module_loc, "the module declaration is here");
		return;
	}
	if (f->decls || f->imports) {
		diag_error(ps->diag, at,
			   "the module declaration must come first in the file");
	}
	f->has_module = true;
	f->module = name;
	f->module_loc = at;
	f->module_name_loc = name_loc;
	f->module_attrs = attrs;
	f->doc = parse_doc_at(ps, at.begin);
}

static void
import_decl(struct parse_state *ps, struct ast_attr *attrs, const char *path,
	    struct loc path_loc, struct loc at)
{
	struct ast_file *f = ps->ast;
	struct ast_import *im = NEW(struct ast_import);
	if (attrs)
		diag_error(ps->diag, attrs->loc, "an import takes no attributes");
	if (!f->has_module && !f->decls) {
		if (!ps->syntax_errors)
			diag_error(ps->diag, at,
				   "expected the module declaration ('module NAME;') before the first import");
		f->has_module = true;
	}
	im->path = path;
	im->loc = at;
	im->path_loc = path_loc;
	if (ps->last_import)
		ps->last_import->next = im;
	else
		f->imports = im;
	ps->last_import = im;
}

static void
yyerror(YYLTYPE *loc, struct parse_state *ps, const char *msg)
{
	/* Only bison's own failures arrive here ("memory exhausted"). */
	if (strstr(msg, "exhausted"))
		diag_error(ps->diag, *loc, "the file is nested or chained too deeply to parse");
	else
		diag_error(ps->diag, *loc, "%s", msg);
	ps->fatal = true;
}

/* A token's name as messages print it: "identifier", "';'", "'struct'". */
static const char *
symbol_text(yysymbol_kind_t sym, char *buf, size_t size)
{
	const char *name = yysymbol_name(sym);
	size_t n = strlen(name);
	if (n >= 2 && name[0] == '"' && name[n - 1] == '"') {
		snprintf(buf, size, "%.*s", (int)(n - 2), name + 1);
		return buf;
	}
	return name;
}

static const char *
closer_for(char ch)
{
	switch (ch) {
	case '(': return "')'";
	case '[': return "']'";
	case '{': return "'}'";
	default: return "'>'";
	}
}

/* Takes out of a list of expected tokens those that would only mislead:
 * what the grammar reads only to refuse it with a hint (doc/idl.md 10),
 * a C type of several words, `typedef`, where a type may come, C's
 * `struct`, `union` and `enum` before its name and, where a name may
 * come, the '(' of a C function pointer; and, where a name may come, the
 * keywords that may be names (2.6) or that are read as a declaration's
 * name only to refuse them, which "identifier" stands for.  A name may
 * come where both an identifier and `typedef` or `module` may; a type,
 * where a C type may.  Returns how many are left. */
static int
drop_habits(yysymbol_kind_t *expected, int n)
{
	bool ident = false, name_here = false, type_here = false;
	int i, kept = 0;
	for (i = 0; i < n; i++) {
		ident |= expected[i] == YYSYMBOL_T_IDENT;
		name_here |= expected[i] == YYSYMBOL_T_TYPEDEF || expected[i] == YYSYMBOL_T_MODULE;
		type_here |= expected[i] == YYSYMBOL_T_CTYPE;
	}
	name_here &= ident;
	for (i = 0; i < n; i++) {
		yysymbol_kind_t k = expected[i];
		bool keyword = k == YYSYMBOL_T_MODULE || k == YYSYMBOL_T_IMPORT ||
			       k == YYSYMBOL_T_CONST || k == YYSYMBOL_T_STRUCT ||
			       k == YYSYMBOL_T_UNION || k == YYSYMBOL_T_ENUM ||
			       k == YYSYMBOL_T_CALLBACK || k == YYSYMBOL_T_INTERFACE ||
			       k == YYSYMBOL_T_EXPORT;
		bool tag = k == YYSYMBOL_T_STRUCT || k == YYSYMBOL_T_UNION || k == YYSYMBOL_T_ENUM;
		if (k == YYSYMBOL_T_CTYPE || k == YYSYMBOL_T_TYPEDEF || (type_here && tag) ||
		    (name_here && (keyword || strcmp(yysymbol_name(k), "'('") == 0)))
			continue;
		expected[kept++] = k;
	}
	return kept;
}

static int
yyreport_syntax_error(const yypcontext_t *ctx, struct parse_state *ps)
{
	enum { MAX_LISTED = 5 };
	yysymbol_kind_t expected[YYNTOKENS];
	yysymbol_kind_t found = yypcontext_token(ctx);
	const struct loc *at = yypcontext_location(ctx);
	const char *text = ps->diag->files[ps->file]->text;
	char what[96], list[256], buf[64];
	struct loc after;
	int n, i;
	size_t o = 0;
	bool closer_expected = false;
	const struct open_bracket *open = ps->depth ? &ps->brackets[ps->depth - 1] : NULL;

	/* The scanner is one token ahead: an opener that is the lookahead
	 * itself is not what the parser is inside. */
	if (open && open->loc.begin == at->begin)
		open = ps->depth > 1 ? &ps->brackets[ps->depth - 2] : NULL;

	if (ps->fatal)
		return 0;
	ps->syntax_errors++;
	if (found == YYSYMBOL_YYEOF) {
		snprintf(what, sizeof what, "at end of file");
	} else {
		snprintf(what, sizeof what, "before '%s'",
			 diag_quote(buf, sizeof buf, text + at->begin, at->end - at->begin));
	}
	/* Something missing at the end of a line, or of the file, is shown
	 * right after the token it should follow, as a C compiler does. */
	{
		const struct loc *prev = found == YYSYMBOL_YYEOF ? &ps->tok_last : &ps->tok_prev;
		bool have_prev = ps->n_tokens >= (found == YYSYMBOL_YYEOF ? 1u : 2u);
		uint32_t prev_line, line, col;
		if (have_prev) {
			diag_line_col(ps->diag, ps->file, prev->end, &prev_line, &col);
			diag_line_col(ps->diag, ps->file, at->begin, &line, &col);
		}
		if (have_prev && (found == YYSYMBOL_YYEOF || line > prev_line)) {
			after.file = ps->file;
			after.begin = after.end = prev->end;
			at = &after;
			if (found != YYSYMBOL_YYEOF)
				snprintf(what, sizeof what, "after '%s'",
					 diag_quote(buf, sizeof buf, text + prev->begin,
						    prev->end - prev->begin));
		}
	}
	n = yypcontext_expected_tokens(ctx, expected, YYNTOKENS);
	n = drop_habits(expected, n);
	if (n > MAX_LISTED) {
		/* Too many to list (after an expression, any operator fits):
		 * name the one that ends what is open, if it is among them. */
		const char *want = open ? closer_for(open->ch) : "';'";
		int k, keep = -1;
		for (k = 0; k < n && keep < 0; k++) {
			char name[64];
			if (strcmp(symbol_text(expected[k], name, sizeof name), want) == 0)
				keep = k;
		}
		for (k = 0; k < n && keep < 0 && open; k++) {
			char name[64];
			if (strcmp(symbol_text(expected[k], name, sizeof name), "';'") == 0)
				keep = k;
		}
		if (keep >= 0) {
			expected[0] = expected[keep];
			n = 1;
		}
	}
	list[0] = '\0';
	for (i = 0; i < n && i <= MAX_LISTED; i++) {
		char name[64];
		const char *s = symbol_text(expected[i], name, sizeof name);
		if (open && strcmp(s, closer_for(open->ch)) == 0)
			closer_expected = true;
		o += (size_t)snprintf(list + o, sizeof list - o, "%s%s",
				      i == 0 ? "" : i == n - 1 ? " or " : ", ", s);
		if (o >= sizeof list)
			break;
	}
	if (n > 0 && n <= MAX_LISTED)
		diag_error(ps->diag, *at, "expected %s %s", list, what);
	else if (found == YYSYMBOL_YYEOF)
		diag_error(ps->diag, *at, "unexpected end of file");
	else
		diag_error(ps->diag, *yypcontext_location(ctx), "unexpected '%s'",
			   diag_quote(buf, sizeof buf, text + yypcontext_location(ctx)->begin,
				      yypcontext_location(ctx)->end - yypcontext_location(ctx)->begin));
	if (open && (closer_expected || found == YYSYMBOL_YYEOF))
		diag_note(ps->diag, open->loc, "to match this '%c'", open->ch);
	return 0;
}
