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
#include <stdlib.h>
#include <string.h>

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
%token T_MODULE "'module'" T_IMPORT "'import'" T_CONST "'const'"
%token T_STRUCT "'struct'" T_UNION "'union'" T_ENUM "'enum'"
%token T_CALLBACK "'callback'" T_INTERFACE "'interface'" T_EXPORT "'export'"
%token <str> T_IDENT "identifier"
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
%type <type> type qname base
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
	: attrs T_MODULE T_IDENT ';'          { module_decl(ps, $1.first, $3, @3, @$); }
	| attrs T_IMPORT T_STRING ';'         { import_decl(ps, $1.first, $3, @3, @$); }
	| attrs decl                          { add_decl(ps, $1.first, $2, @$); }
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
	: T_CONST type T_IDENT '=' expr ';' {
		$$ = new_decl(ps, DECL_CONST, $3, @3);
		$$->u.konst.type = $2;
		$$->u.konst.value = $5;
	}
	| T_STRUCT T_IDENT field_block ';' {
		$$ = new_decl(ps, DECL_STRUCT, $2, @2);
		$$->open_brace = @3;
		$$->u.agg.fields = $3.first;
		$$->u.agg.n_fields = $3.n;
	}
	| T_UNION T_IDENT field_block ';' {
		$$ = new_decl(ps, DECL_UNION, $2, @2);
		$$->open_brace = @3;
		$$->u.agg.fields = $3.first;
		$$->u.agg.n_fields = $3.n;
	}
	| T_ENUM T_IDENT enum_repr variant_block ';' {
		$$ = new_decl(ps, DECL_ENUM, $2, @2);
		$$->open_brace = @4;
		$$->u.enm.repr = $3;
		$$->u.enm.variants = $4.first;
		$$->u.enm.n_variants = $4.n;
	}
	| T_CALLBACK type T_IDENT '(' params ')' ';' {
		$$ = new_decl(ps, DECL_CALLBACK, $3, @3);
		$$->u.sig = new_sig(ps, NULL, $2, $3, @3, $5, @$);
		$$->u.sig->doc = NULL;  /* the declaration carries it */
	}
	| T_INTERFACE T_IDENT base method_block ';' {
		$$ = new_decl(ps, DECL_INTERFACE, $2, @2);
		$$->open_brace = @4;
		$$->u.iface.base = $3;
		$$->u.iface.methods = $4.first;
		$$->u.iface.n_methods = $4.n;
	}
	| T_EXPORT type T_IDENT '(' params ')' ';' {
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
	| fields field                        { $$ = $1; APPEND($$, $2); $$.n++; }
	| fields error ';'                    { $$ = $1; yyerrok; }
	;

/* field = attrs type IDENT { "[" expr "]" } ";" ; */
field
	: attrs type T_IDENT dims ';' {
		$$ = NEW(struct ast_field);
		ps->ast->counts.fields++;
		$$->attrs = $1.first; $$->type = $2;
		$$->name = $3; $$->name_loc = @3; $$->loc = @$;
		$$->n_dims = $4.n;
		$$->dims = dims_finish(ps, &$4);
		$$->doc = parse_doc_at(ps, @$.begin);
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

/* variant = attrs IDENT [ "{" { field } "}" ] [ "=" expr ] ; */
variant
	: attrs T_IDENT {
		$$ = NEW(struct ast_variant);
		ps->ast->counts.variants++;
		$$->attrs = $1.first; $$->name = $2; $$->name_loc = @2; $$->loc = @$;
		$$->doc = parse_doc_at(ps, @$.begin);
	}
	| attrs T_IDENT '=' expr {
		$$ = NEW(struct ast_variant);
		ps->ast->counts.variants++;
		$$->attrs = $1.first; $$->name = $2; $$->name_loc = @2; $$->loc = @$;
		$$->has_value = true; $$->value = $4;
		$$->doc = parse_doc_at(ps, @$.begin);
	}
	| attrs T_IDENT field_block {
		$$ = NEW(struct ast_variant);
		ps->ast->counts.variants++;
		$$->attrs = $1.first; $$->name = $2; $$->name_loc = @2; $$->loc = @$;
		$$->has_payload = true; $$->open_brace = @3;
		$$->fields = $3.first; $$->n_fields = $3.n;
		$$->doc = parse_doc_at(ps, @$.begin);
	}
	| attrs T_IDENT field_block '=' expr {
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
	| methods method                      { $$ = $1; APPEND($$, $2); $$.n++; }
	| methods error ';'                   { $$ = $1; yyerrok; }
	;

/* method = attrs type IDENT "(" [ params ] ")" ";" ; */
method
	: attrs type T_IDENT '(' params ')' ';' {
		$$ = new_sig(ps, $1.first, $2, $3, @3, $5, @$);
	}
	;

/* params = param { "," param } ;  param = attrs type IDENT { "[" expr "]" } ; */
params
	: %empty                              { $$.first = $$.last = NULL; $$.n = 0; }
	| param_list
	;

param_list
	: param                               { $$.first = $$.last = $1; $$.n = 1; }
	| param_list ',' param                { $$ = $1; APPEND($$, $3); $$.n++; }
	;

param
	: attrs type T_IDENT dims {
		$$ = NEW(struct ast_param);
		ps->ast->counts.params++;
		$$->attrs = $1.first; $$->type = $2;
		$$->name = $3; $$->name_loc = @3; $$->loc = @$;
		$$->n_dims = $4.n;
		$$->dims = dims_finish(ps, &$4);
		$$->doc = parse_doc_at(ps, @$.begin);
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

type_args
	: type                                { $$.first = $$.last = $1; $$.n = 1; }
	| type_args ',' type                  { $$ = $1; APPEND($$, $3); $$.n++; }
	;

stars
	: %empty                              { $$ = 0; }
	| stars '*'                           { $$ = $1 + 1; }
	;

/* qname = IDENT [ "." IDENT ] ; */
qname
	: T_IDENT {
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
