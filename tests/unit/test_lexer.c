/* Scanner and parser: every construct of the grammar, doc comments,
 * literals, lexical errors, the nesting limit and syntax error wording,
 * seen through ast_parse and ast_dump. */
#include <config.h>

#include "helpers.h"
#include "parse.h"

#include <stdlib.h>
#include <string.h>

/* Parses text, expecting no diagnostics. */
static void
parse_ok(struct parsed *p, const char *text)
{
	parse_text(p, text);
	if (p->n_errors != 0)
		fail_msg("unexpected diagnostics:\n%s", p->errors);
}

/* Parses text, expecting at least one error containing message. */
static void
parse_error(struct parsed *p, const char *text, const char *message)
{
	parse_text(p, text);
	assert_true(p->n_errors > 0);
	assert_contains(p->errors, message);
}

static const struct ast_decl *
decl_named(const struct ast_file *f, const char *name)
{
	const struct ast_decl *d;
	for (d = f->decls; d; d = d->next)
		if (strcmp(d->name, name) == 0)
			return d;
	fail_msg("no declaration '%s'", name);
	return NULL;
}

/* The value of the single-literal constant NAME. */
static uint64_t
literal_of(const struct parsed *p, const char *name)
{
	const struct ast_decl *d = decl_named(p->ast, name);
	assert_int_equal(d->kind, DECL_CONST);
	assert_int_equal(d->u.konst.value.count, 1);
	assert_int_equal(p->ast->ops[d->u.konst.value.first].kind, OP_INT);
	return p->ast->ops[d->u.konst.value.first].value;
}

/* ---- the whole grammar -------------------------------------------------- */

static const char grammar_src[] =
	"/// The module.\n"
	"[version(1.2)]\n"
	"module demo;\n"
	"\n"
	"import \"other.idl\";\n"
	"import \"dir/more.idl\";\n"
	"\n"
	"/// Doubled.\n"
	"const u32 A = 1 + 2 * 3;\n"
	"const i64 B = -(A << 2) >> 1 | 0x10 & ~0b11 ^ 7 % 4 / 2 - +1;\n"
	"const u8 C = dep.LIMIT;\n"
	"\n"
	"/** A point. */\n"
	"struct Point {\n"
	"    /// Across.\n"
	"    i32 x;\n"
	"    [since(1.1), deprecated(\"use z\")] i32 y;\n"
	"    f32 grid[4][A + 1];\n"
	"    option<option<u32>> maybe;\n"
	"    vec<option<vec<u8>>> nested;\n"
	"    result<dep.Thing, string> outcome;\n"
	"    const u8* bytes;\n"
	"    void** handles;\n"
	"    const Point* next;\n"
	"    slice<const u16> view;\n"
	"};\n"
	"\n"
	"union Bits { u32 word; f32 real; };\n"
	"\n"
	"enum Color : u8 { Red, Green = 5, Blue, };\n"
	"\n"
	"/// Events.\n"
	"enum Event {\n"
	"    /// Nothing.\n"
	"    Idle,\n"
	"    Data { slice<const u8> bytes; u32 flags; } = 4,\n"
	"    Error { i32 code; },\n"
	"};\n"
	"\n"
	"/// Logs.\n"
	"callback void Log(str message, u32 level);\n"
	"\n"
	"[uuid(6f1c2a4e-9b1d-4c55-8f00-5a1e0c9d7b21), threadsafe]\n"
	"interface Reader : dep.Source {\n"
	"    /// Reads.\n"
	"    u32 read([out] slice<u8> buffer, /// Where to start.\n"
	"             [in] u64 offset);\n"
	"    [since(1.2)] void close();\n"
	"};\n"
	"\n"
	"[symbol(\"demo_open\")]\n"
	"export Reader open(str path);\n";

static const char grammar_dump[] =
	"doc \"The module.\"\n"
	"module demo [version(1.2)]\n"
	"import \"other.idl\"\n"
	"import \"dir/more.idl\"\n"
	"doc \"Doubled.\"\n"
	"constant A: u32 = {1 2 3 * +}\n"
	"constant B: i64 = {A 2 << -u 1 >> 16 3 ~ & 7 4 % 2 / 1 +u - ^ |}\n"
	"constant C: u8 = {dep.LIMIT}\n"
	"doc \"A point.\"\n"
	"struct Point\n"
	"  doc \"Across.\"\n"
	"  field x: i32\n"
	"  field y: i32 [since(1.1), deprecated(\"use z\")]\n"
	"  field grid: f32[{4}][{A 1 +}]\n"
	"  field maybe: option<option<u32>>\n"
	"  field nested: vec<option<vec<u8>>>\n"
	"  field outcome: result<dep.Thing, string>\n"
	"  field bytes: const u8*\n"
	"  field handles: void**\n"
	"  field next: const Point*\n"
	"  field view: slice<const u16>\n"
	"union Bits\n"
	"  field word: u32\n"
	"  field real: f32\n"
	"enum Color: u8\n"
	"  variant Red\n"
	"  variant Green = {5}\n"
	"  variant Blue\n"
	"doc \"Events.\"\n"
	"enum Event\n"
	"  doc \"Nothing.\"\n"
	"  variant Idle\n"
	"  variant Data = {4}\n"
	"    field bytes: slice<const u8>\n"
	"    field flags: u32\n"
	"  variant Error\n"
	"    field code: i32\n"
	"doc \"Logs.\"\n"
	"callback Log\n"
	"  signature Log(str message, u32 level) -> void\n"
	"interface Reader [uuid(uuid 6f1c2a4e-9b1d-4c55-8f00-5a1e0c9d7b21), threadsafe] : dep.Source\n"
	"  doc \"Reads.\"\n"
	"  method read(slice<u8> buffer [out], u64 offset [in]) -> u32\n"
	"  method close() -> void [since(1.2)]\n"
	"export open [symbol(\"demo_open\")]\n"
	"  signature open(str path) -> Reader\n";

static void
test_whole_grammar(void **state)
{
	struct parsed p;
	(void)state;
	parse_ok(&p, grammar_src);
	assert_string_equal(p.dump, grammar_dump);
	assert_int_equal(p.ast->n_decls, 10);
	parsed_free(&p);
}

/* The tree beyond what the dump shows: kinds, counts, flags. */
static void
test_grammar_tree(void **state)
{
	struct parsed p;
	const struct ast_decl *d;
	const struct ast_field *fl;
	const struct ast_variant *v;
	const struct ast_method *me;
	const struct ast_type *t;
	(void)state;
	parse_ok(&p, grammar_src);

	d = decl_named(p.ast, "Point");
	assert_int_equal(d->kind, DECL_STRUCT);
	assert_int_equal(d->u.agg.n_fields, 10);
	for (fl = d->u.agg.fields; strcmp(fl->name, "grid") != 0; fl = fl->next)
		;
	assert_int_equal(fl->n_dims, 2);
	for (; strcmp(fl->name, "maybe") != 0; fl = fl->next)
		;
	t = fl->type;
	assert_string_equal(t->name, "option");
	assert_int_equal(t->n_args, 1);
	assert_string_equal(t->args->name, "option");
	assert_int_equal(t->args->n_args, 1);
	assert_string_equal(t->args->args->name, "u32");
	assert_int_equal(t->args->args->n_args, 0);
	for (; strcmp(fl->name, "bytes") != 0; fl = fl->next)
		;
	assert_true(fl->type->is_const);
	assert_int_equal(fl->type->n_pointers, 1);
	fl = fl->next;
	assert_false(fl->type->is_const);
	assert_int_equal(fl->type->n_pointers, 2);
	for (; strcmp(fl->name, "view") != 0; fl = fl->next)
		;
	assert_false(fl->type->is_const);
	assert_true(fl->type->args->is_const);
	assert_int_equal(fl->type->args->n_pointers, 0);

	d = decl_named(p.ast, "Event");
	assert_int_equal(d->u.enm.n_variants, 3);
	assert_null(d->u.enm.repr);
	v = d->u.enm.variants;
	assert_false(v->has_payload);
	assert_false(v->has_value);
	v = v->next;
	assert_true(v->has_payload);
	assert_true(v->has_value);
	assert_int_equal(v->n_fields, 2);
	assert_string_equal(decl_named(p.ast, "Color")->u.enm.repr->name, "u8");

	d = decl_named(p.ast, "Reader");
	assert_int_equal(d->kind, DECL_INTERFACE);
	assert_string_equal(d->u.iface.base->qualifier, "dep");
	assert_string_equal(d->u.iface.base->name, "Source");
	assert_int_equal(d->u.iface.n_methods, 2);
	me = d->u.iface.methods;
	assert_int_equal(me->n_params, 2);
	assert_string_equal(me->params->attrs->name, "out");
	assert_int_equal(d->attrs->arg_kind, ARG_UUID);
	assert_string_equal(d->attrs->text, "6f1c2a4e-9b1d-4c55-8f00-5a1e0c9d7b21");

	d = decl_named(p.ast, "open");
	assert_int_equal(d->kind, DECL_EXPORT);
	assert_int_equal(d->attrs->arg_kind, ARG_STRING);
	assert_string_equal(d->attrs->text, "demo_open");
	parsed_free(&p);
}

/* Locations are byte offsets of the whole construct and of its name. */
static void
test_locations(void **state)
{
	static const char src[] = "module m;\nstruct S { option<option<u32>> deep; };\n";
	struct parsed p;
	const struct ast_decl *d;
	const struct ast_field *fl;
	const char *type_text = strstr(src, "option<option");
	const char *name_text = strstr(src, "deep");
	(void)state;
	parse_ok(&p, src);
	d = p.ast->decls;
	assert_int_equal(d->name_loc.begin, (uint32_t)(strchr(src, 'S') - src));
	assert_int_equal(d->name_loc.end, d->name_loc.begin + 1);
	assert_int_equal(d->loc.begin, (uint32_t)(strstr(src, "struct") - src));
	assert_int_equal(d->loc.end, (uint32_t)(strstr(src, "};") - src) + 2);
	fl = d->u.agg.fields;
	assert_int_equal(fl->type->loc.begin, (uint32_t)(type_text - src));
	assert_int_equal(fl->type->loc.end, (uint32_t)(type_text - src) + strlen("option<option<u32>>"));
	assert_int_equal(fl->name_loc.begin, (uint32_t)(name_text - src));
	assert_int_equal(fl->name_loc.end, (uint32_t)(name_text - src) + 4);
	assert_int_equal(p.ast->module_name_loc.begin, 7);
	assert_int_equal(p.ast->module_name_loc.end, 8);
	parsed_free(&p);
}

/* ---- expressions ------------------------------------------------------------ */

/* Each expression and its postfix form. */
static void
test_expression_precedence(void **state)
{
	static const char *const cases[][2] = {
		{ "1 + 2 * 3", "{1 2 3 * +}" },
		{ "(1 + 2) * 3", "{1 2 + 3 *}" },
		{ "1 - 2 - 3", "{1 2 - 3 -}" },
		{ "8 / 4 / 2", "{8 4 / 2 /}" },
		{ "1 << 2 + 3", "{1 2 3 + <<}" },
		{ "1 | 2 ^ 3 & 4", "{1 2 3 4 & ^ |}" },
		{ "1 & 2 | 3", "{1 2 & 3 |}" },
		{ "16 >> 2 >> 1", "{16 2 >> 1 >>}" },
		{ "1 << 4 >> 2", "{1 4 << 2 >>}" },
		{ "-1 * 2", "{1 -u 2 *}" },
		{ "- -1", "{1 -u -u}" },
		{ "~X + 1", "{X ~ 1 +}" },
		{ "+dep.N % 3", "{dep.N +u 3 %}" },
		{ "((((7))))", "{7}" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		char src[128], want[128];
		struct parsed p;
		snprintf(src, sizeof src, "module m;\nconst u32 A = %s;\n", cases[i][0]);
		snprintf(want, sizeof want, "constant A: u32 = %s\n", cases[i][1]);
		parse_ok(&p, src);
		assert_contains(p.dump, want);
		parsed_free(&p);
	}
}

/* `>>` is one shift in an expression and two closers in a type. */
static void
test_shift_and_generics(void **state)
{
	struct parsed p;
	(void)state;
	parse_ok(&p, "module m;\n"
		     "const u32 A = 256 >> 4;\n"
		     "struct S { option<option<u32>> a; vec<option<option<u8>>> b;"
		     " result<option<u8>, vec<vec<u8>>> c; };\n");
	assert_contains(p.dump, "constant A: u32 = {256 4 >>}\n");
	assert_contains(p.dump, "field a: option<option<u32>>\n");
	assert_contains(p.dump, "field b: vec<option<option<u8>>>\n");
	assert_contains(p.dump, "field c: result<option<u8>, vec<vec<u8>>>\n");
	parsed_free(&p);

	/* a shift must be written without a space */
	parse_error(&p, "module m;\nconst u32 A = 256 > > 4;\n", "expected '>>'");
	assert_contains(p.errors, "t.idl:2:19: error:");
	parsed_free(&p);

	/* a '>' alone is no operator */
	parse_text(&p, "module m;\nconst u32 A = 2 > 1;\n");
	assert_true(p.n_errors > 0);
	parsed_free(&p);
}

/* ---- doc comments ------------------------------------------------------------- */

static void
test_doc_comments(void **state)
{
	struct parsed p;
	const struct ast_decl *d;
	const struct ast_variant *v;
	const struct ast_method *me;
	const struct ast_param *pa;
	(void)state;
	parse_ok(&p,
		 "/// Module,\n"
		 "///   indented.\n"
		 "module m;\n"
		 "/**\n"
		 " * Block,\n"
		 " * two lines.\n"
		 " */\n"
		 "struct S {\n"
		 "    /// A field.\n"
		 "    u32 a;\n"
		 "    u32 b;\n"
		 "    /** After attributes. */\n"
		 "    [since(1.0)] u32 c;\n"
		 "};\n"
		 "enum E {\n"
		 "    /// First.\n"
		 "    A,\n"
		 "    /// Second.\n"
		 "    B { u32 x; },\n"
		 "};\n"
		 "interface I {\n"
		 "    /// Does it.\n"
		 "    void run(/// The count.\n"
		 "             u32 n, u8 flags,\n"
		 "             /// Last.\n"
		 "             [out] u32* result);\n"
		 "};\n"
		 "/// Callback doc.\n"
		 "callback void Cb(/** Block on a param. */ u32 x);\n");

	assert_string_equal(p.ast->doc, "Module,\n  indented.");
	d = decl_named(p.ast, "S");
	assert_string_equal(d->doc, "Block,\ntwo lines.");
	assert_string_equal(d->u.agg.fields->doc, "A field.");
	assert_null(d->u.agg.fields->next->doc);
	assert_string_equal(d->u.agg.fields->next->next->doc, "After attributes.");

	d = decl_named(p.ast, "E");
	assert_null(d->doc);
	v = d->u.enm.variants;
	assert_string_equal(v->doc, "First.");
	assert_string_equal(v->next->doc, "Second.");
	assert_null(v->next->fields->doc);

	d = decl_named(p.ast, "I");
	me = d->u.iface.methods;
	assert_string_equal(me->doc, "Does it.");
	pa = me->params;
	assert_string_equal(pa->doc, "The count.");
	assert_null(pa->next->doc);
	assert_string_equal(pa->next->next->doc, "Last.");

	d = decl_named(p.ast, "Cb");
	assert_string_equal(d->doc, "Callback doc.");
	assert_string_equal(d->u.sig->params->doc, "Block on a param.");
	parsed_free(&p);
}

/* Four slashes, plain comments and the empty block are not doc comments. */
static void
test_plain_comments(void **state)
{
	struct parsed p;
	(void)state;
	parse_ok(&p,
		 "module m; // trailing\n"
		 "//// four slashes\n"
		 "struct A { u32 x; };\n"
		 "/**/\n"
		 "struct B { u32 x; };\n"
		 "/* plain\n   block */\n"
		 "struct C { u32 x; };\n"
		 "// plain\n"
		 "struct D { u32 x; };\n");
	assert_null(decl_named(p.ast, "A")->doc);
	assert_null(decl_named(p.ast, "B")->doc);
	assert_null(decl_named(p.ast, "C")->doc);
	assert_null(decl_named(p.ast, "D")->doc);
	assert_not_contains(p.dump, "doc ");
	parsed_free(&p);
}

/* ---- literals ------------------------------------------------------------------- */

static void
test_integer_literals(void **state)
{
	struct parsed p;
	(void)state;
	parse_ok(&p, "module m;\n"
		     "const u64 A = 0;\n"
		     "const u64 B = 0xFF_ff;\n"
		     "const u64 C = 0b1010_1010;\n"
		     "const u64 D = 1_000_000;\n"
		     "const u64 E = 18446744073709551615;\n"
		     "const u64 F = 0XFFFFFFFFFFFFFFFF;\n"
		     "const u64 G = 0B1;\n"
		     "const u64 H = 1__0;\n");
	assert_int_equal(literal_of(&p, "A"), 0);
	assert_int_equal(literal_of(&p, "B"), 0xFFFF);
	assert_int_equal(literal_of(&p, "C"), 0xAA);
	assert_int_equal(literal_of(&p, "D"), 1000000);
	assert_true(literal_of(&p, "E") == UINT64_MAX);
	assert_true(literal_of(&p, "F") == UINT64_MAX);
	assert_int_equal(literal_of(&p, "G"), 1);
	assert_int_equal(literal_of(&p, "H"), 10);
	parsed_free(&p);
}

static void
test_integer_literal_errors(void **state)
{
	static const char *const cases[][2] = {
		{ "18446744073709551616", "integer literal '18446744073709551616' is too large" },
		{ "0x1_0000_0000_0000_0000", "is too large" },
		{ "0123", "integer literal '0123' has a leading zero" },
		{ "00", "leading zero" },
		{ "0x", "invalid integer literal '0x'" },
		{ "0x_1", "invalid integer literal '0x_1'" },
		{ "1_000_", "invalid integer literal '1_000_'" },
		{ "0b102", "invalid integer literal '0b102'" },
		{ "12abc", "invalid integer literal '12abc'" },
		{ "0xFG", "invalid integer literal '0xFG'" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		char src[128], where[64];
		struct parsed p;
		snprintf(src, sizeof src, "module m;\nconst u64 A = %s;\n", cases[i][0]);
		parse_error(&p, src, cases[i][1]);
		/* one error, at the literal, and the file goes on parsing */
		assert_int_equal(p.n_errors, 1);
		snprintf(where, sizeof where, "t.idl:2:15: error: ");
		assert_contains(p.errors, where);
		assert_non_null(p.ast->decls);
		parsed_free(&p);
	}
}

static void
test_strings(void **state)
{
	struct parsed p;
	(void)state;
	parse_ok(&p, "module m;\n"
		     "[deprecated(\"tab\\there \\\\ quote\\\" nl\\n.\")] struct S { u32 x; };\n"
		     "import \"with space.idl\";\n");
	assert_string_equal(p.ast->decls->attrs->text, "tab\there \\ quote\" nl\n.");
	assert_string_equal(p.ast->imports->path, "with space.idl");
	parsed_free(&p);

	/* an unknown escape is reported at the backslash, two columns wide */
	parse_error(&p, "module m;\nimport \"a\\qb\";\n",
		    "t.idl:2:10: error: unknown escape sequence '\\q'");
	assert_contains(p.errors, "\n      |          ^~\n");
	parsed_free(&p);
}

static void
test_unterminated(void **state)
{
	struct parsed p;
	(void)state;
	parse_error(&p, "module m;\nimport \"abc;\nstruct S { u32 x; };\n",
		    "t.idl:2:8: error: unterminated string");
	parsed_free(&p);

	parse_error(&p, "module m;\nstruct S { u32 x; };\n  /* no end\nstruct T { u32 y; };\n",
		    "t.idl:3:3: error: unterminated comment");
	/* what came before the comment still parsed */
	assert_non_null(decl_named(p.ast, "S"));
	assert_int_equal(p.n_errors, 1);
	parsed_free(&p);

	parse_error(&p, "module m;\n/** doc without end\nstruct T { u32 y; };\n",
		    "t.idl:2:1: error: unterminated comment");
	assert_int_equal(p.n_errors, 1);
	parsed_free(&p);
}

/* The uuid argument is scanned as one token, bare or quoted, while `uuid`
 * stays an ordinary name elsewhere. */
static void
test_uuid_attribute(void **state)
{
	struct parsed p;
	const struct ast_decl *d;
	(void)state;
	parse_ok(&p, "module m;\n"
		     "[uuid(00112233-4455-6677-8899-aabbccddeeff)] interface A { u32 uuid(u32 x); };\n"
		     "[uuid(\"00112233-4455-6677-8899-AABBCCDDEEFF\")] interface B { };\n"
		     "[ uuid ( 1e2f3a4b-0000-4000-8000-000000000000 ) ] interface C { };\n"
		     "struct S { u32 uuid; };\n");
	d = decl_named(p.ast, "A");
	assert_int_equal(d->attrs->arg_kind, ARG_UUID);
	assert_string_equal(d->attrs->text, "00112233-4455-6677-8899-aabbccddeeff");
	assert_string_equal(d->u.iface.methods->name, "uuid");
	d = decl_named(p.ast, "B");
	assert_string_equal(d->attrs->text, "00112233-4455-6677-8899-AABBCCDDEEFF");
	d = decl_named(p.ast, "C");
	assert_string_equal(d->attrs->text, "1e2f3a4b-0000-4000-8000-000000000000");
	assert_string_equal(decl_named(p.ast, "S")->u.agg.fields->name, "uuid");
	parsed_free(&p);
}

static void
test_versions(void **state)
{
	struct parsed p;
	(void)state;
	parse_ok(&p, "[version(1.10)] module m;\n[since(0.0)] struct S { u32 x; };\n");
	assert_int_equal(p.ast->module_attrs->arg_kind, ARG_VERSION);
	assert_int_equal(p.ast->module_attrs->major, 1);
	assert_int_equal(p.ast->module_attrs->minor, 10);
	parsed_free(&p);

	parse_error(&p, "[version(01.0)] module m;\n", "invalid version '01.0'");
	parsed_free(&p);
	parse_error(&p, "[version(1.01)] module m;\n", "invalid version '1.01'");
	parsed_free(&p);
	parse_error(&p, "[version(65536.0)] module m;\n", "invalid version '65536.0'");
	parsed_free(&p);
}

static void
test_unexpected_characters(void **state)
{
	struct parsed p;
	(void)state;
	parse_error(&p, "module m;\nstruct S { u32 x; }; @\n",
		    "t.idl:2:22: error: unexpected character '@'");
	parsed_free(&p);

	/* a multibyte character is one character, quoted whole */
	parse_error(&p, "module m;\nstruct S { u32 \xc3\xa9; };\n", "t.idl:2:16: error: ");
	assert_contains(p.errors, "'\xc3\xa9'");
	assert_contains(p.errors, "\n      |                ^\n");
	parsed_free(&p);

	/* a control byte is quoted in a printable form */
	parse_error(&p, "module m;\n\x01\n", "unexpected character '\\x01'");
	parsed_free(&p);
}

/* ---- nesting -------------------------------------------------------------------- */

/* "module m;\nconst u32 A = " + n '(' + "1" + n ')' + ";\n" */
static char *
nested_parens(unsigned n)
{
	size_t len = 32 + 2 * (size_t)n;
	char *s = malloc(len), *o;
	unsigned i;
	assert_non_null(s);
	o = s + sprintf(s, "module m;\nconst u32 A = ");
	for (i = 0; i < n; i++)
		*o++ = '(';
	*o++ = '1';
	for (i = 0; i < n; i++)
		*o++ = ')';
	strcpy(o, ";\n");
	return s;
}

static void
test_nesting_limit(void **state)
{
	struct parsed p;
	char *src;
	(void)state;

	src = nested_parens(300);
	parse_error(&p, src, "nesting is too deep");
	/* fatal: one error, not one per extra level or a cascade after it */
	assert_int_equal(p.n_errors, 1);
	free(src);
	parsed_free(&p);

	/* the limit itself is allowed */
	src = nested_parens(PARSE_MAX_NESTING);
	parse_ok(&p, src);
	assert_contains(p.dump, "constant A: u32 = {1}\n");
	free(src);
	parsed_free(&p);

	src = nested_parens(PARSE_MAX_NESTING + 1);
	parse_error(&p, src, "nesting is too deep");
	free(src);
	parsed_free(&p);
}

/* Every kind of bracket counts toward the limit, generic '<' too. */
static void
test_nesting_generics(void **state)
{
	struct parsed p;
	size_t n = 300, i;
	char *src = malloc(64 + 8 * n), *o;
	(void)state;
	assert_non_null(src);
	o = src + sprintf(src, "module m;\nstruct S { ");
	for (i = 0; i < n; i++)
		o += sprintf(o, "option<");
	o += sprintf(o, "u8");
	for (i = 0; i < n; i++)
		*o++ = '>';
	strcpy(o, " x; };\n");
	parse_error(&p, src, "nesting is too deep");
	assert_int_equal(p.n_errors, 1);
	free(src);
	parsed_free(&p);
}

/* ---- syntax errors ---------------------------------------------------------------- */

/* Words bison uses internally that must never reach a user. */
static void
assert_plain_words(const char *errors)
{
	static const char *const internal[] = {
		"T_", "$end", "YYEOF", "YYerror", "YYUNDEF", "syntax error", "$undefined",
		"error,",
	};
	size_t i;
	for (i = 0; i < sizeof internal / sizeof *internal; i++)
		assert_not_contains(errors, internal[i]);
}

static void
test_syntax_error_missing_semicolon(void **state)
{
	struct parsed p;
	(void)state;
	parse_error(&p, "module m\nstruct S { u32 x; };\n", "error: expected ';'");
	assert_plain_words(p.errors);
	parsed_free(&p);

	parse_error(&p, "module m;\nstruct S { u32 x };\n",
		    "t.idl:2:18: error: expected ';' or '[' before '}'");
	assert_plain_words(p.errors);
	parsed_free(&p);

	parse_error(&p, "module m;\nstruct S { u32 x; }\nstruct T { u32 y; };\n",
		    "error: expected ';'");
	assert_plain_words(p.errors);
	parsed_free(&p);

	parse_error(&p, "module m;\nimport \"a.idl\"\nstruct T { u32 y; };\n",
		    "error: expected ';'");
	assert_plain_words(p.errors);
	parsed_free(&p);
}

/* Regression: after a constant expression the parser can expect ';' (or
 * ')') or any binary operator, more than the five tokens an error lists,
 * and a missing ';' was reported as "unexpected 'const'", a missing ')' as
 * "unexpected ';'", without saying what is missing. */
static void
test_missing_semicolon_after_expression(void **state)
{
	struct parsed p;
	(void)state;
	parse_error(&p, "module m;\nconst u32 A = 1\nconst u32 B = 2;\n", "error: ");
	assert_plain_words(p.errors);
	assert_contains(p.errors, "expected ';'");
	parsed_free(&p);

	parse_error(&p, "module m;\nconst u32 A = (1 + 2;\n", "error: ");
	assert_contains(p.errors, "expected ')'");
	assert_contains(p.errors, "t.idl:2:15: note: to match this '('");
	parsed_free(&p);
}

static void
test_syntax_error_wording(void **state)
{
	static const char *const cases[][2] = {
		{ "module m;\nconst u32 = 5;\n", "t.idl:2:11: error: expected identifier" },
		{ "module m;\nstruct { u32 x; };\n", "expected identifier before '{'" },
		{ "module m;\ninterface I { void f(u32 a, ); };\n", "before ')'" },
		{ "module m;\nstruct S { u32 x;", "'}'" },
		{ "module m;\nconst u32 A = ;\n", "t.idl:2:15: error: unexpected ';'" },
		{ "module m;\nenum E { A B };\n", "before 'B'" },
		{ "module m;\nimport foo;\n", "expected string before 'foo'" },
		{ "module m;\nstruct S { u32 x; };\n}\n", "'}'" },
		{ "module m;\n[since(1.0 struct S { u32 x; };\n", "expected ')' before 'struct'" },
		{ "module", "identifier" },
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		struct parsed p;
		parse_error(&p, cases[i][0], cases[i][1]);
		assert_plain_words(p.errors);
		parsed_free(&p);
	}
}

/* An unclosed bracket gets a note pointing at its opener. */
static void
test_unclosed_bracket_note(void **state)
{
	struct parsed p;
	(void)state;
	parse_error(&p, "module m;\nstruct S {\n    u32 x;\n", "'}'");
	assert_contains(p.errors, "t.idl:2:10: note: to match this '{'\n");
	assert_plain_words(p.errors);
	parsed_free(&p);
}

static void
test_module_declaration(void **state)
{
	struct parsed p;
	(void)state;
	parse_error(&p, "struct S { u32 x; };\n",
		    "expected the module declaration ('module NAME;') before the first declaration");
	parsed_free(&p);

	parse_error(&p, "// empty\n", "expected the module declaration");
	parsed_free(&p);

	/* a module line broken by a syntax error is still a module line */
	parse_error(&p, "module m\nstruct S { u32 x; };\n", "expected ';'");
	assert_not_contains(p.errors, "expected the module declaration");
	parsed_free(&p);

	parse_error(&p, "module a;\nmodule b;\n", "a file declares one module; 'a' was declared already");
	assert_contains(p.errors, "t.idl:1:1: note: the module declaration is here");
	parsed_free(&p);

	parse_error(&p, "[since(1.0)] import \"x.idl\";\nmodule m;\n", "an import takes no attributes");
	parsed_free(&p);
}

/* Errors in separate declarations are each reported once, and the
 * declarations between them still parse. */
static void
test_recovery_reports_each_error(void **state)
{
	struct parsed p;
	(void)state;
	parse_text(&p, "module m;\n"
		       "struct A { u32 ; };\n"
		       "struct B { u32 y; };\n"
		       "enum C { = };\n"
		       "struct D { u32 z; };\n");
	assert_int_equal(p.n_errors, 2);
	assert_contains(p.errors, "t.idl:2:16:");
	assert_contains(p.errors, "t.idl:4:10:");
	assert_non_null(decl_named(p.ast, "B"));
	assert_non_null(decl_named(p.ast, "D"));
	parsed_free(&p);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whole_grammar),
		cmocka_unit_test(test_grammar_tree),
		cmocka_unit_test(test_locations),
		cmocka_unit_test(test_expression_precedence),
		cmocka_unit_test(test_shift_and_generics),
		cmocka_unit_test(test_doc_comments),
		cmocka_unit_test(test_plain_comments),
		cmocka_unit_test(test_integer_literals),
		cmocka_unit_test(test_integer_literal_errors),
		cmocka_unit_test(test_strings),
		cmocka_unit_test(test_unterminated),
		cmocka_unit_test(test_uuid_attribute),
		cmocka_unit_test(test_versions),
		cmocka_unit_test(test_unexpected_characters),
		cmocka_unit_test(test_nesting_limit),
		cmocka_unit_test(test_nesting_generics),
		cmocka_unit_test(test_syntax_error_missing_semicolon),
		cmocka_unit_test(test_missing_semicolon_after_expression),
		cmocka_unit_test(test_syntax_error_wording),
		cmocka_unit_test(test_unclosed_bracket_note),
		cmocka_unit_test(test_module_declaration),
		cmocka_unit_test(test_recovery_reports_each_error),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
