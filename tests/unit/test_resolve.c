/* Resolution and checks: small IDL files compiled into the model, with
 * assertions on the model (constants, enums, layout order, borrowing,
 * interfaces, versions, exports) and on the diagnostics of the checks. */
#include <config.h>

#include "helpers.h"

#include <string.h>

/* Compiles text as main.idl, which must be valid. */
static void
expect_valid(struct compiled *c, const char *text)
{
	int status = compile_text(c, text);
	if (status != 0 || c->errors[0] != '\0')
		fail_msg("status %d, diagnostics:\n%s", status, c->errors);
}

/* Compiles text as main.idl, which must fail with message among the
 * diagnostics. */
static void
expect_error(struct compiled *c, const char *text, const char *message)
{
	int status = compile_text(c, text);
	if (status != 1)
		fail_msg("status %d, diagnostics:\n%s", status, c->errors);
	assert_true(c->comp.diag.n_errors > 0);
	assert_contains(c->errors, message);
}

static const struct m_decl *
decl(const struct compiled *c, const char *name)
{
	return &c->m->decls[find_decl(c->m, NULL, name)];
}

/* The value of a constant, as the exact integer its type gives it. */
static int64_t
const_signed(const struct compiled *c, const char *name)
{
	const struct m_decl *d = decl(c, name);
	assert_int_equal(d->kind, DECL_CONST);
	assert_true(type_is_signed(c->m->types[d->type].kind));
	return (int64_t)d->u.konst.value;
}

static uint64_t
const_unsigned(const struct compiled *c, const char *name)
{
	const struct m_decl *d = decl(c, name);
	assert_int_equal(d->kind, DECL_CONST);
	assert_false(type_is_signed(c->m->types[d->type].kind));
	return d->u.konst.value;
}

static const struct m_type *
type_of(const struct compiled *c, uint32_t t)
{
	assert_true(t < c->m->n_types);
	return &c->m->types[t];
}

/* Position of decl in the by-value order; fails when absent. */
static uint32_t
order_of(const struct compiled *c, const char *name)
{
	uint32_t di = find_decl(c->m, NULL, name), i;
	for (i = 0; i < c->m->n_by_value_order; i++)
		if (c->m->by_value_order[i] == di)
			return i;
	fail_msg("'%s' is not in the by-value order", name);
	return 0;
}

/* ---- exit status ------------------------------------------------------------ */

static const char valid_src[] =
	"/// A sample.\n"
	"[version(1.2)]\n"
	"module audio;\n"
	"const u32 CHANNELS = 8;\n"
	"struct Frame { f32 left; f32 right; };\n"
	"[resilient] struct Settings { u32 rate; [since(1.2)] option<u32> latency; };\n"
	"enum Event : u32 { Started, Samples { slice<const f32> data; }, Failed { i32 code; str why; } };\n"
	"callback void Log(str message);\n"
	"[uuid(6f1c2a4e-9b1d-4c55-8f00-5a1e0c9d7b21), threadsafe]\n"
	"interface Effect {\n"
	"    u32 channels();\n"
	"    result<void, string> process([in] slice<const Frame> input, [out] slice<Frame> output);\n"
	"    [since(1.1)] void reset();\n"
	"};\n"
	"export Effect create(str name, Log log, Settings* settings);\n";

static void
test_valid_input(void **state)
{
	struct compiled c;
	(void)state;
	assert_int_equal(compile_text(&c, valid_src), 0);
	assert_string_equal(c.errors, "");
	assert_int_equal(c.comp.diag.n_errors, 0);
	assert_int_equal(c.m->n_modules, 1);
	assert_string_equal(c.m->modules[0].name, "audio");
	assert_int_equal(c.m->modules[0].version.major, 1);
	assert_int_equal(c.m->modules[0].version.minor, 2);
	assert_string_equal(c.m->modules[0].doc, "A sample.");
	assert_true(c.m->modules[0].from_command_line);
	/* the module's declarations, in source order, plus the object root */
	assert_int_equal(c.m->modules[0].n_decls, 7);
	assert_string_equal(c.m->decls[c.m->modules[0].first_decl].item.name, "CHANNELS");
	assert_string_equal(c.m->decls[c.m->object_decl].item.name, "object");
	compiled_free(&c);
}

static void
test_error_status(void **state)
{
	struct compiled c;
	(void)state;
	assert_int_equal(compile_text(&c, "module m;\nstruct S { Nope x; };\n"), 1);
	assert_int_equal(c.comp.diag.n_errors, 1);
	compiled_free(&c);

	/* a file that cannot be read is an I/O failure, not an input error */
	{
		struct compile_options o;
		const char *files[1] = { "/nonexistent/chitin/unit.idl" };
		memset(&c, 0, sizeof c);
		memset(&o, 0, sizeof o);
		capture_open(&c.diags);
		compile_init(&c.comp, c.diags.file);
		assert_int_equal(compile_run(&c.comp, &o, files, 1), 2);
		assert_contains(capture_text(&c.diags),
				"chitin: error: cannot read '/nonexistent/chitin/unit.idl'");
	}
	compiled_free(&c);
}

/* ---- constants ------------------------------------------------------------------ */

static void
test_constant_values(void **state)
{
	struct compiled c;
	(void)state;
	expect_valid(&c, "module m;\n"
			 "const i8 MIN8 = -128;\n"
			 "const i8 MAX8 = 127;\n"
			 "const u64 MAX64 = 0xFFFF_FFFF_FFFF_FFFF;\n"
			 "const u8 ALL8 = ~0;\n"
			 "const i8 NOT0 = ~0;\n"
			 "const i64 MIN64 = -9223372036854775808;\n"
			 "const i32 QUOT = -7 / 2;\n"
			 "const i32 REM = -7 % 2;\n"
			 "const i32 SAR = -16 >> 2;\n"
			 "const u32 LATER = EARLY * 2 + 1;\n"
			 "const u32 EARLY = 1 << 4;\n"
			 "const u16 MIX = (0xFF << 8) | 0x0F ^ 0x3;\n"
			 "const u32 QUAL = m.EARLY + 1;\n"
			 "const u64 TOP = 1 << 63;\n"
			 "const i16 NEG = -(3 + 4) * +2;\n"
			 "const u8 NARROW = LATER;\n");
	assert_int_equal(const_signed(&c, "MIN8"), -128);
	assert_int_equal(c.m->types[decl(&c, "MIN8")->type].kind, TY_I8);
	assert_int_equal(const_signed(&c, "MAX8"), 127);
	assert_true(const_unsigned(&c, "MAX64") == UINT64_MAX);
	assert_int_equal(const_unsigned(&c, "ALL8"), 255);
	assert_int_equal(const_signed(&c, "NOT0"), -1);
	assert_true(const_signed(&c, "MIN64") == INT64_MIN);
	assert_int_equal(const_signed(&c, "QUOT"), -3);
	assert_int_equal(const_signed(&c, "REM"), -1);
	assert_int_equal(const_signed(&c, "SAR"), -4);
	assert_int_equal(const_unsigned(&c, "EARLY"), 16);
	assert_int_equal(const_unsigned(&c, "LATER"), 33);
	assert_int_equal(const_unsigned(&c, "MIX"), 0xFF0C);
	assert_int_equal(const_unsigned(&c, "QUAL"), 17);
	assert_true(const_unsigned(&c, "TOP") == (uint64_t)1 << 63);
	assert_int_equal(const_signed(&c, "NEG"), -14);
	assert_int_equal(const_unsigned(&c, "NARROW"), 33);
	compiled_free(&c);
}

/* Every overflow is an error, never a wraparound, each at its operator or
 * operand; one bad constant does not hide the next. */
static void
test_constant_errors(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n"
			 "const i8 C1 = 128;\n"
			 "const i8 C2 = -129;\n"
			 "const u32 C3 = 0 - 1;\n"
			 "const u32 C4 = 1 / 0;\n"
			 "const u32 C5 = 1 << 32;\n"
			 "const i32 C6 = 1 << 31;\n"
			 "const u8 C7 = 200;\n"
			 "const i8 C8 = C7;\n"
			 "const u32 C9 = -1;\n"
			 "const u8 C10 = 5 % 0;\n"
			 "const i8 C11 = -128 / -1;\n"
			 "const u64 C12 = 0xFFFF_FFFF_FFFF_FFFF + 1;\n"
			 "const u32 C13 = NOPE;\n"
			 "const f32 C14 = 1;\n",
		     "main.idl:2:15: error: 128 does not fit in i8 (-128 to 127)");
	/* the caret covers the minus sign too */
	assert_contains(c.errors, "main.idl:3:15: error: -129 does not fit in i8 (-128 to 127)\n"
				  "    3 | const i8 C2 = -129;\n"
				  "      |               ^~~~\n");
	assert_contains(c.errors, "main.idl:4:18: error: 0 - 1 overflows u32");
	assert_contains(c.errors, "main.idl:5:18: error: division by zero");
	assert_contains(c.errors, "main.idl:6:18: error: shift by 32 is out of range for u32");
	assert_contains(c.errors, "main.idl:7:18: error: 1 << 31 overflows i32");
	assert_contains(c.errors, "main.idl:9:15: error: the value of 'C7' (200) does not fit in i8");
	assert_contains(c.errors, "main.idl:10:16: error: -1 does not fit in u32");
	assert_contains(c.errors, "main.idl:11:18: error: remainder by zero");
	assert_contains(c.errors, "main.idl:12:21: error: -128 / -1 overflows i8");
	assert_contains(c.errors, "main.idl:13:39: error: 18446744073709551615 + 1 overflows u64");
	assert_contains(c.errors, "main.idl:14:17: error: unknown constant 'NOPE'");
	assert_contains(c.errors, "main.idl:15:7: error: a constant must have an integer type");
	assert_int_equal(c.comp.diag.n_errors, 13);
	compiled_free(&c);
}

static void
test_constant_cycle(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n"
			 "const u32 A = B + 1;\n"
			 "const u32 B = A;\n"
			 "const u32 S = S * 2;\n"
			 "const u32 OK = 4;\n",
		     "main.idl:2:11: error: constant 'A' depends on itself: A -> B -> A\n");
	assert_contains(c.errors, "main.idl:2:15: note: 'A' uses 'B' here\n");
	assert_contains(c.errors, "main.idl:3:15: note: 'B' uses 'A' here\n");
	assert_contains(c.errors, "main.idl:4:11: error: constant 'S' depends on itself: S -> S\n");
	/* reported once per cycle, not once per member */
	assert_int_equal(c.comp.diag.n_errors, 2);
	assert_true(decl(&c, "A")->poisoned);
	assert_true(decl(&c, "B")->poisoned);
	assert_false(decl(&c, "OK")->poisoned);
	assert_int_equal(const_unsigned(&c, "OK"), 4);
	compiled_free(&c);
}

/* A constant is not a type, and a type is not a constant. */
static void
test_constant_kind_mismatch(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n"
			 "struct S { u32 x; };\n"
			 "const u32 Y = S;\n"
			 "struct T { Y field; };\n",
		     "main.idl:3:15: error: 'S' is a struct, not a constant\n");
	assert_contains(c.errors, "main.idl:2:8: note: 'S' is declared here\n");
	assert_contains(c.errors, "main.idl:4:12: error: 'Y' is a constant, not a type\n");
	compiled_free(&c);
}

/* ---- enums ------------------------------------------------------------------------ */

static void
test_enum_values(void **state)
{
	struct compiled c;
	uint32_t e;
	(void)state;
	expect_valid(&c, "module m;\n"
			 "const u8 FIVE = 5;\n"
			 "enum E : u8 { A, B = FIVE, C, D = 1, F };\n"
			 "enum Plain { X, Y };\n"
			 "enum Wide : i64 { Low = -9223372036854775808, Next };\n");
	e = find_decl(c.m, "m", "E");
	assert_int_equal(c.m->decls[e].u.enm.repr, TY_U8);
	assert_false(c.m->decls[e].u.enm.data);
	assert_int_equal(c.m->decls[e].u.enm.n_variants, 5);
	assert_int_equal(find_variant(c.m, e, "A")->value, 0);
	assert_int_equal(find_variant(c.m, e, "B")->value, 5);
	assert_int_equal(find_variant(c.m, e, "C")->value, 6);
	assert_int_equal(find_variant(c.m, e, "D")->value, 1);
	assert_int_equal(find_variant(c.m, e, "F")->value, 2);
	assert_false(find_variant(c.m, e, "A")->has_payload);
	e = find_decl(c.m, "m", "Plain");
	assert_int_equal(c.m->decls[e].u.enm.repr, TY_U32);
	assert_int_equal(find_variant(c.m, e, "Y")->value, 1);
	e = find_decl(c.m, "m", "Wide");
	assert_true((int64_t)find_variant(c.m, e, "Low")->value == INT64_MIN);
	assert_true((int64_t)find_variant(c.m, e, "Next")->value == INT64_MIN + 1);
	compiled_free(&c);
}

/* Implicit values of a signed enum continue from a negative one with the
 * same (sign-extended) bits an explicit value gives: B = -1, C = 0. */
static void
test_signed_enum_implicit_values(void **state)
{
	struct compiled c;
	uint32_t e;
	(void)state;
	expect_valid(&c, "module m;\n"
			 "enum G : i8 { A = -2, B, C };\n"
			 "enum H : i8 { X = -1 };\n"
			 "enum W : i32 { Low = -2147483648, AfterLow };\n");
	e = find_decl(c.m, "m", "G");
	assert_int_equal((int64_t)find_variant(c.m, e, "A")->value, -2);
	assert_int_equal(find_variant(c.m, e, "C")->value, 0);
	/* the same number is stored the same way, written or implied */
	assert_int_equal(find_variant(c.m, e, "B")->value,
			 find_variant(c.m, find_decl(c.m, "m", "H"), "X")->value);
	assert_int_equal((int64_t)find_variant(c.m, e, "B")->value, -1);
	e = find_decl(c.m, "m", "W");
	assert_int_equal((int64_t)find_variant(c.m, e, "AfterLow")->value, -2147483647);
	compiled_free(&c);
}

static void
test_data_enum(void **state)
{
	struct compiled c;
	uint32_t e;
	const struct m_variant *v;
	(void)state;
	expect_valid(&c, "module m;\n"
			 "enum H { X { u32 a; u8 b; }, Y, Z { str s; } = 7, W };\n"
			 "enum Flat { P = 3, Q };\n");
	e = find_decl(c.m, "m", "H");
	assert_true(c.m->decls[e].u.enm.data);
	assert_true(c.m->decls[e].borrowed);
	v = find_variant(c.m, e, "X");
	assert_true(v->has_payload);
	assert_int_equal(v->n_fields, 2);
	assert_string_equal(c.m->fields[v->first_field].item.name, "a");
	assert_int_equal(c.m->fields[v->first_field + 1].type, TY_U8);
	assert_int_equal(v->value, 0);
	v = find_variant(c.m, e, "Y");
	assert_false(v->has_payload);
	assert_int_equal(v->n_fields, 0);
	assert_int_equal(v->value, 1);
	assert_int_equal(find_variant(c.m, e, "Z")->value, 7);
	assert_int_equal(find_variant(c.m, e, "W")->value, 8);
	e = find_decl(c.m, "m", "Flat");
	assert_false(c.m->decls[e].u.enm.data);
	assert_false(c.m->decls[e].borrowed);
	compiled_free(&c);
}

static void
test_data_enum_duplicate_tag(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\nenum E { A { u32 x; } = 1, B = 1 };\n",
		     "main.idl:2:28: error: tag 1 of 'B' is already the tag of 'A'\n");
	assert_contains(c.errors, "main.idl:2:10: note: 'A' is here\n");
	compiled_free(&c);

	/* a C-like enum may give two names one value */
	expect_valid(&c, "module m;\nenum E { A = 1, B = 1 };\n");
	compiled_free(&c);
}

/* An implicit negative tag clashes with an explicit one. */
static void
test_signed_data_enum_duplicate_tag(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\nenum E : i8 { A { u8 x; } = -2, B, C { u8 y; } = -1 };\n",
		     "tag -1 of 'C' is already the tag of 'B'");
	compiled_free(&c);
}

static void
test_enum_value_overflow(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n"
			 "enum E : u8 { A = 255, B };\n"
			 "enum F : i8 { A = 127, B };\n"
			 "enum G : u64 { A = 0xFFFF_FFFF_FFFF_FFFF, B };\n"
			 "enum H : u8 { A = 256 };\n"
			 "enum I : f32 { A };\n",
		     "main.idl:2:24: error: the value of 'B' (one more than the previous value) does not fit in u8\n");
	assert_contains(c.errors, "main.idl:3:24: error: the value of 'B' (one more than the previous value) does not fit in i8\n");
	assert_contains(c.errors, "main.idl:4:43: error: the value of 'B'");
	assert_contains(c.errors, "main.idl:5:19: error: 256 does not fit in u8");
	assert_contains(c.errors, "main.idl:6:10: error: an enum's integer type must be one of");
	compiled_free(&c);
}

/* Nothing inside: no C type would match the Rust one. */
static void
test_empty_declarations(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\nstruct S { };\nunion U { };\nenum E { };\nenum D { A { } };\n",
		     "main.idl:2:8: error: struct 'S' is empty");
	assert_contains(c.errors, "main.idl:3:7: error: union 'U' is empty");
	assert_contains(c.errors, "main.idl:4:6: error: enum 'E' has no values");
	assert_contains(c.errors, "main.idl:5:12: error: variant 'A' has an empty payload");
	assert_int_equal(c.comp.diag.n_errors, 4);
	compiled_free(&c);
}

/* ---- aggregates: order, borrowing, cycles ------------------------------------------- */

static void
test_by_value_order(void **state)
{
	struct compiled c;
	uint32_t i, n_aggregates = 0;
	(void)state;
	expect_valid(&c, "module m;\n"
			 "struct Outer { Mid m; option<Inner> oi; };\n"
			 "struct Mid { Inner i[2]; u32* p; Color c; };\n"
			 "struct Inner { u32 x; };\n"
			 "enum Color { Red };\n"
			 "interface I { };\n");
	assert_true(order_of(&c, "Inner") < order_of(&c, "Mid"));
	assert_true(order_of(&c, "Color") < order_of(&c, "Mid"));
	assert_true(order_of(&c, "Mid") < order_of(&c, "Outer"));
	/* every struct, union and enum, once; nothing else */
	for (i = 0; i < c.m->n_decls; i++) {
		enum decl_kind k = c.m->decls[i].kind;
		if (k == DECL_STRUCT || k == DECL_UNION || k == DECL_ENUM)
			n_aggregates++;
	}
	assert_int_equal(n_aggregates, 4);
	assert_int_equal(c.m->n_by_value_order, n_aggregates);
	compiled_free(&c);

	/* a pointer does not hold by value: P* breaks nothing, Q holds P */
	expect_valid(&c, "module m;\nstruct P { Q* q; };\nstruct Q { P p; };\n");
	assert_true(order_of(&c, "P") < order_of(&c, "Q"));
	compiled_free(&c);
}

/* Across modules too: the imported type comes first. */
static void
test_by_value_order_imports(void **state)
{
	static const struct test_file files[] = {
		{ "main.idl", "module main;\nimport \"lib/dep.idl\";\n"
			      "struct Holder { dep.Held h; };\n" },
		{ "lib/dep.idl", "module dep;\nstruct Held { u32 x; };\n" },
	};
	struct compiled c;
	(void)state;
	assert_int_equal(compile_files(&c, files, 2), 0);
	assert_true(order_of(&c, "Held") < order_of(&c, "Holder"));
	assert_int_equal(named_decl(c.m, find_field(c.m, find_decl(c.m, "main", "Holder"), "h")->type),
			 find_decl(c.m, "dep", "Held"));
	assert_false(c.m->modules[c.m->decls[find_decl(c.m, "dep", "Held")].module].from_command_line);
	compiled_free(&c);
}

static void
test_borrowed(void **state)
{
	struct compiled c;
	(void)state;
	expect_valid(&c, "module m;\n"
			 "struct Bor { str s; };\n"
			 "struct Holds { u32 x; Bor b; };\n"
			 "struct ViaPtr { Bor* b; };\n"
			 "struct Own { string s; vec<u8> v; };\n"
			 "union Sl { slice<const u8> s; u32 n; };\n");
	assert_true(decl(&c, "Bor")->borrowed);
	assert_true(decl(&c, "Holds")->borrowed);
	assert_false(decl(&c, "ViaPtr")->borrowed);
	assert_false(decl(&c, "Own")->borrowed);
	assert_true(decl(&c, "Sl")->borrowed);
	compiled_free(&c);

	expect_valid(&c, "module m;\n"
			 "struct Opt { option<str> o; };\n"
			 "struct Arr { Inner a[2]; };\n"
			 "struct Inner { slice<u8> s; };\n");
	assert_true(decl(&c, "Opt")->borrowed);
	assert_true(decl(&c, "Arr")->borrowed);
	assert_true(decl(&c, "Inner")->borrowed);
	compiled_free(&c);
}

static void
test_value_cycle(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n"
			 "struct A { B b; };\n"
			 "struct B { u32 z; A a; };\n",
		     "main.idl:2:8: error: struct 'A' contains itself by value (A.b -> B.a -> A)");
	assert_contains(c.errors, "main.idl:2:14: note: 'A' holds 'B' by value here\n");
	assert_contains(c.errors, "main.idl:3:21: note: 'B' holds 'A' by value here\n");
	assert_int_equal(c.comp.diag.n_errors, 1);
	assert_true(decl(&c, "A")->poisoned);
	assert_true(decl(&c, "B")->poisoned);
	compiled_free(&c);

	/* through an option, an array and a data enum's payload */
	expect_error(&c, "module m;\nstruct N { option<N> next; };\n",
		     "main.idl:2:8: error: struct 'N' contains itself by value (N.next -> N)");
	compiled_free(&c);
	expect_error(&c, "module m;\nstruct G { G cells[4]; };\n", "(G.cells -> G)");
	compiled_free(&c);
	expect_error(&c, "module m;\nenum L { Nil, Cons { u32 v; L rest; } };\n",
		     "enum 'L' contains itself by value (L.rest -> L)");
	compiled_free(&c);

	/* vec and pointers hold through the heap */
	expect_valid(&c, "module m;\nstruct T { vec<T> kids; T* parent; };\n");
	compiled_free(&c);
}

/* Multi-dimensional arrays: the first written dimension is the outermost. */
static void
test_array_types(void **state)
{
	struct compiled c;
	const struct m_type *t;
	(void)state;
	expect_valid(&c, "module m;\nconst u32 N = 3;\nstruct S { f32 grid[2][N]; u8 flat[N * 2]; };\n");
	t = type_of(&c, find_field(c.m, find_decl(c.m, "m", "S"), "grid")->type);
	assert_int_equal(t->kind, TY_ARRAY);
	assert_int_equal(t->count, 2);
	t = type_of(&c, t->elem);
	assert_int_equal(t->kind, TY_ARRAY);
	assert_int_equal(t->count, 3);
	assert_int_equal(t->elem, TY_F32);
	t = type_of(&c, find_field(c.m, find_decl(c.m, "m", "S"), "flat")->type);
	assert_int_equal(t->count, 6);
	compiled_free(&c);
}

static void
test_array_errors(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\nstruct S { u64 x[4294967296][4294967296]; };\n",
		     "main.idl:2:30: error: array 'x' has too many elements: the count overflows 64 bits");
	compiled_free(&c);
	expect_error(&c, "module m;\nstruct S { u8 x[0]; };\n",
		     "main.idl:2:17: error: array size must be greater than zero");
	compiled_free(&c);
	expect_error(&c, "module m;\nstruct S { u8 x[1 - 2]; };\n", "1 - 2 overflows u64");
	compiled_free(&c);
}

/* ---- interfaces --------------------------------------------------------------------- */

static void
test_interfaces(void **state)
{
	static const uint8_t want_uuid[16] = {
		0x6f, 0x1c, 0x2a, 0x4e, 0x9b, 0x1d, 0x4c, 0x55,
		0x8f, 0x00, 0x5a, 0x1e, 0x0c, 0x9d, 0x7b, 0x21,
	};
	struct compiled c;
	const struct m_decl *b, *d;
	const struct m_method *me;
	uint32_t base;
	(void)state;
	expect_valid(&c, "[version(1.2)] module m;\n"
			 "[uuid(6f1c2a4e-9b1d-4c55-8f00-5a1e0c9d7b21), base, threadsafe]\n"
			 "interface Base { void a(); };\n"
			 "interface Derived : Base {\n"
			 "    [since(1.1)] void b();\n"
			 "    [since(1.2)] u32 c([out] u32* x, [inout] u8* y, u16 z);\n"
			 "};\n");
	base = find_decl(c.m, "m", "Base");
	b = &c.m->decls[base];
	d = decl(&c, "Derived");
	assert_int_equal(b->u.iface.base, c.m->object_decl);
	assert_int_equal(d->u.iface.base, base);
	assert_true(b->u.iface.is_base);
	assert_true(b->u.iface.threadsafe);
	assert_false(d->u.iface.is_base);
	assert_false(d->u.iface.threadsafe);
	/* RFC 9562 order: the bytes as the text reads, no swapped fields */
	assert_true(b->u.iface.has_uuid);
	assert_memory_equal(b->u.iface.uuid, want_uuid, 16);
	assert_false(d->u.iface.has_uuid);

	assert_int_equal(d->u.iface.n_methods, 2);
	me = find_method(c.m, find_decl(c.m, "m", "Derived"), "c");
	assert_true(me->item.has_since);
	assert_int_equal(me->item.since.minor, 2);
	assert_int_equal(me->ret, TY_U32);
	assert_int_equal(me->n_params, 3);
	assert_int_equal(c.m->params[me->first_param].dir, DIR_OUT);
	assert_int_equal(c.m->params[me->first_param + 1].dir, DIR_INOUT);
	assert_int_equal(c.m->params[me->first_param + 2].dir, DIR_IN);
	assert_int_equal(c.m->params[me->first_param + 2].type, TY_U16);
	assert_int_equal(find_method(c.m, base, "a")->ret, TY_VOID);
	compiled_free(&c);
}

static void
test_uuid_errors(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n[uuid(00112233-4455-6677-8899-aabbccddeeXX)] interface B { };\n",
		     "main.idl:2:7: error: malformed uuid '00112233-4455-6677-8899-aabbccddeeXX'");
	compiled_free(&c);
	expect_error(&c, "module m;\n"
			 "[uuid(00112233-4455-6677-8899-aabbccddeeff)] interface A { };\n"
			 "[uuid(00112233-4455-6677-8899-AABBCCDDEEFF)] interface B { };\n",
		     "main.idl:3:56: error: interface 'B' has the same uuid as 'A'");
	compiled_free(&c);
}

static void
test_base_interface_with_since(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "[version(1.1)] module m;\n[base] interface B { [since(1.1)] void m(); };\n",
		     "main.idl:2:40: error: method 'm' cannot be [since]: a [base] interface never changes");
	compiled_free(&c);
}

static void
test_derive_from_non_base(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\ninterface B { void m(); };\ninterface D : B { void n(); };\n",
		     "main.idl:3:15: error: interface 'D' cannot derive from 'B', which is not [base]");
	assert_contains(c.errors, "main.idl:2:11: note: 'B' is declared here\n");
	compiled_free(&c);

	expect_error(&c, "module m;\nstruct S { u32 x; };\ninterface D : S { };\n",
		     "main.idl:3:15: error: 'S' is not an interface");
	compiled_free(&c);

	expect_error(&c, "module m;\n[base] interface A : B { };\n[base] interface B : A { };\n",
		     "main.idl:2:18: error: interface 'A' derives from itself");
	compiled_free(&c);
}

static void
test_interface_method_checks(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n"
			 "[base] interface B { void run(); };\n"
			 "interface D : B { void run(); void retain(); };\n",
		     "main.idl:3:24: error: method 'run' of 'D' has the name of a method it inherits from 'B'");
	assert_contains(c.errors, "main.idl:2:27: note: the inherited method is here\n");
	assert_contains(c.errors, "main.idl:3:36: error: 'retain' cannot name a method");
	compiled_free(&c);

	expect_error(&c, "module m;\ninterface I { void f([in, out] u32* x); void g(u32 a[3]); };\n",
		     "main.idl:2:27: error: a parameter has one direction; 'out' conflicts with 'in'");
	assert_contains(c.errors, "main.idl:2:54: error: parameter 'a' is an array");
	compiled_free(&c);

	expect_error(&c, "module m;\ninterface I { };\nstruct S { I* p; };\n",
		     "main.idl:3:12: error: interface 'I' is already a reference");
	compiled_free(&c);
}

/* ---- versions ------------------------------------------------------------------------ */

static void
test_since_stored(void **state)
{
	struct compiled c;
	const struct m_decl *d;
	(void)state;
	expect_valid(&c, "[version(1.2)] module m;\n"
			 "[since(1.1), deprecated(\"old\")] struct Late { u32 x; };\n"
			 "[deprecated] const u32 GONE = 1;\n"
			 "[resilient] struct R { u32 a; [since(1.1)] u32 b; [since(1.2)] u32 c; };\n"
			 "enum E { A { u32 x; }, [since(1.2)] B };\n");
	d = decl(&c, "Late");
	assert_true(d->item.has_since);
	assert_int_equal(d->item.since.major, 1);
	assert_int_equal(d->item.since.minor, 1);
	assert_string_equal(d->item.deprecated, "old");
	d = decl(&c, "GONE");
	assert_false(d->item.has_since);
	assert_string_equal(d->item.deprecated, "");
	assert_true(decl(&c, "R")->u.agg.resilient);
	assert_false(find_field(c.m, find_decl(c.m, "m", "R"), "a")->item.has_since);
	assert_int_equal(find_field(c.m, find_decl(c.m, "m", "R"), "b")->item.since.minor, 1);
	assert_int_equal(find_field(c.m, find_decl(c.m, "m", "R"), "c")->item.since.minor, 2);
	assert_true(find_variant(c.m, find_decl(c.m, "m", "E"), "B")->item.has_since);
	assert_null(decl(&c, "R")->item.deprecated);
	compiled_free(&c);
}

static void
test_since_errors(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "[version(1.1)] module m;\n"
			 "[since(1.2)] struct S { u32 x; };\n"
			 "[since(2.0)] struct T { u32 x; };\n",
		     "main.idl:2:8: error: since(1.2) is newer than module 'm', which is version 1.1\n");
	assert_contains(c.errors, "main.idl:3:8: error: since(2.0) is not a version of major 1");
	compiled_free(&c);

	/* without [version], a module is 1.0 */
	expect_error(&c, "module m;\n[since(1.1)] struct S { u32 x; };\n",
		     "since(1.1) is newer than module 'm', which is version 1.0");
	compiled_free(&c);

	expect_error(&c, "[version(1.2)] module m;\n"
			 "[resilient] struct R { u32 a; [since(1.2)] u32 b; [since(1.1)] u32 c; u32 d; };\n"
			 "struct P { [since(1.0)] u32 a; };\n",
		     "main.idl:2:68: error: field 'c' is [since(1.1)] but comes after one added in 1.2");
	assert_contains(c.errors, "main.idl:2:75: error: field 'd' comes after 'c'");
	assert_contains(c.errors, "main.idl:3:29: error: field 'a' cannot be [since]");
	compiled_free(&c);
}

/* ---- exports -------------------------------------------------------------------------- */

static void
test_export_symbol(void **state)
{
	struct compiled c;
	const struct m_decl *d;
	const struct m_method *me;
	(void)state;
	expect_valid(&c, "module m;\n"
			 "[symbol(\"my_fn\")] export void f(u32 a);\n"
			 "export u32 g();\n");
	d = decl(&c, "f");
	assert_int_equal(d->kind, DECL_EXPORT);
	assert_string_equal(d->u.sig.symbol, "my_fn");
	me = find_method(c.m, find_decl(c.m, "m", "f"), "f");
	assert_int_equal(me->n_params, 1);
	assert_string_equal(c.m->params[me->first_param].name, "a");
	assert_int_equal(me->ret, TY_VOID);
	d = decl(&c, "g");
	/* without [symbol], <module>_<name>, resolved once in the model */
	assert_false(d->u.sig.symbol_given);
	assert_string_equal(d->u.sig.symbol, "m_g");
	assert_int_equal(find_method(c.m, find_decl(c.m, "m", "g"), "g")->ret, TY_U32);
	compiled_free(&c);
}

static void
test_export_symbol_errors(void **state)
{
	struct compiled c;
	(void)state;
	/* the default symbol is module_name */
	expect_error(&c, "module m;\nexport void f();\n[symbol(\"m_f\")] export void g();\n",
		     "main.idl:3:29: error: export 'g' has the symbol 'm_f', like export 'f'");
	assert_contains(c.errors, "main.idl:2:13: note: 'f' is here\n");
	compiled_free(&c);

	expect_error(&c, "module m;\n[symbol(\"not valid\")] export void f();\n",
		     "main.idl:2:9: error: symbol \"not valid\" is not a C identifier");
	compiled_free(&c);
}

/* ---- names -------------------------------------------------------------------------------- */

static void
test_unknown_type(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\nstruct S { Foo x; };\n",
		     "main.idl:2:12: error: unknown type 'Foo'\n"
		     "    2 | struct S { Foo x; };\n"
		     "      |            ^~~\n");
	assert_int_equal(c.comp.diag.n_errors, 1);
	compiled_free(&c);

	expect_error(&c, "module m;\nstruct S { option<u32, u8> x; vec v; u32<u8> w; };\n",
		     "main.idl:2:12: error: 'option' takes 1 type argument, not 2");
	assert_contains(c.errors, "main.idl:2:31: error: 'vec' takes 1 type argument, not 0");
	assert_contains(c.errors, "main.idl:2:38: error: 'u32' takes no type arguments");
	compiled_free(&c);
}

/* Regression: resolve.c and check.c once used the kind TY_ERROR (24) as
 * the index of the error type, which model_init puts at TY_PRIM_COUNT
 * (17); index 24 is whatever type was made 25th.  A field whose type
 * failed to resolve got type index 24, past the end of a small type table
 * (chk_run then read m->types[24] uninitialised). */
static void
test_error_type_index(void **state)
{
	struct compiled c;
	const struct m_field *f;
	(void)state;
	expect_error(&c, "module m;\nstruct S { Foo x; };\n", "unknown type 'Foo'");
	f = find_field(c.m, find_decl(c.m, "m", "S"), "x");
	assert_true(f->type < c.m->n_types);
	assert_int_equal(c.m->types[f->type].kind, TY_ERROR);
	compiled_free(&c);
}

/* Regression, the same TY_ERROR mix-up: the sixth struct, union, enum,
 * callback or interface of a file gets type index 24 (17 primitives, the
 * error type, `object`, then five more), and the resolver took it for a
 * failed type: option<Sixth> resolved to Sixth itself and Sixth[2] to
 * Sixth, silently. */
static void
test_sixth_named_type_in_generics(void **state)
{
	struct compiled c;
	const struct m_type *t;
	uint32_t holder, sixth;
	(void)state;
	expect_valid(&c, "module m;\n"
			 "struct T1 { u32 x; };\n"
			 "struct T2 { u32 x; };\n"
			 "struct T3 { u32 x; };\n"
			 "struct T4 { u32 x; };\n"
			 "struct T5 { u32 x; };\n"
			 "struct Sixth { u32 x; };\n"
			 "struct Holder { option<T5> fifth; option<Sixth> maybe; Sixth pair[2]; };\n");
	holder = find_decl(c.m, "m", "Holder");
	sixth = find_decl(c.m, "m", "Sixth");
	t = type_of(&c, find_field(c.m, holder, "fifth")->type);
	assert_int_equal(t->kind, TY_OPTION);
	t = type_of(&c, find_field(c.m, holder, "maybe")->type);
	assert_int_equal(t->kind, TY_OPTION);
	assert_int_equal(named_decl(c.m, t->elem), sixth);
	t = type_of(&c, find_field(c.m, holder, "pair")->type);
	assert_int_equal(t->kind, TY_ARRAY);
	assert_int_equal(t->count, 2);
	compiled_free(&c);
}

/* Regression, the same mix-up: Sixth* became Sixth, so a pointer that
 * breaks a cycle was read as a value and valid input was rejected with
 * "struct 'P' contains itself by value (P.up -> Sixth.p -> P)". */
static void
test_sixth_named_type_pointer(void **state)
{
	struct compiled c;
	(void)state;
	expect_valid(&c, "module m;\n"
			 "struct T1 { u32 x; };\n"
			 "struct T2 { u32 x; };\n"
			 "struct T3 { u32 x; };\n"
			 "struct T4 { u32 x; };\n"
			 "struct P { Sixth* up; };\n"
			 "struct Sixth { P p; };\n");
	assert_int_equal(type_of(&c, find_field(c.m, find_decl(c.m, "m", "P"), "up")->type)->kind,
			 TY_POINTER);
	compiled_free(&c);
}

/* Regression, the same mix-up hid errors: check_use skipped any type
 * whose index is 24, so a resilient struct that is the sixth named type
 * was accepted by value... */
static void
test_type_24_resilient_by_value(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n"
			 "struct T1 { u32 x; };\n"
			 "struct T2 { u32 x; };\n"
			 "struct T3 { u32 x; };\n"
			 "struct T4 { u32 x; };\n"
			 "struct T5 { u32 x; };\n"
			 "[resilient] struct R { u32 a; };\n"
			 "struct H { R r; };\n",
		     "main.idl:8:12: error: resilient struct 'R' cannot be used by value");
	compiled_free(&c);
}

/* ...and a vec<str> that happens to be the 25th type made (object 18,
 * B 19, D 20, E 21, slice<const u8> 22, slice<str> 23, vec<str> 24) was
 * accepted, while the same parameter alone in a file is rejected. */
static void
test_type_24_vec_of_borrowed(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n"
			 "interface B { };\n"
			 "interface D { };\n"
			 "interface E { void f(slice<const u8> a, slice<str> b, vec<str> c); };\n",
		     "'vec<str>' owns its elements");
	compiled_free(&c);
}

static void
test_duplicates(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\nstruct S { u32 x; u8 y; f32 x; };\n",
		     "main.idl:2:29: error: struct 'S' already has a field named 'x'\n");
	assert_contains(c.errors, "main.idl:2:16: note: the previous field 'x' is here\n");
	/* the note comes right after its error */
	assert_contains(c.errors, "      |                             ^\nmain.idl:2:16: note:");
	compiled_free(&c);

	expect_error(&c, "module m;\nstruct S { u32 x; };\nenum S { A };\n",
		     "main.idl:3:6: error: 'S' is already declared in module 'm'\n");
	assert_contains(c.errors, "main.idl:2:8: note: the previous declaration of 'S' is here\n");
	compiled_free(&c);

	expect_error(&c, "module m;\nenum E { A, B, A };\n",
		     "main.idl:2:16: error: enum 'E' already has a value named 'A'");
	compiled_free(&c);

	expect_error(&c, "module m;\ninterface I { void f(u32 a, u8 a); void g(); void g(); };\n",
		     "main.idl:2:32: error: method 'f' already has a parameter named 'a'");
	assert_contains(c.errors, "main.idl:2:51: error: interface 'I' already has a method named 'g'");
	compiled_free(&c);
}

static void
test_reserved_identifiers(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n"
			 "struct S { u32 int; };\n"
			 "struct default { u32 x; };\n"
			 "interface I { void f(u32 class); void self(); };\n"
			 "struct T { u32 __x; u32 _Big; u32 ok_name; };\n"
			 "struct u32 { u8 x; };\n",
		     "main.idl:2:16: error: 'int' cannot name a field: it is a C keyword\n");
	assert_contains(c.errors, "main.idl:3:8: error: 'default' cannot name a struct: it is a C keyword");
	assert_contains(c.errors, "main.idl:4:26: error: 'class' cannot name a parameter: it is a C++ keyword");
	assert_contains(c.errors, "main.idl:4:39: error: 'self' cannot name a method");
	assert_contains(c.errors, "main.idl:5:16: error: '__x' cannot name a field");
	assert_contains(c.errors, "main.idl:5:25: error: '_Big' cannot name a field");
	assert_contains(c.errors, "main.idl:6:8: error: 'u32' is the name of a built-in type");
	assert_not_contains(c.errors, "'ok_name' cannot");
	compiled_free(&c);

	expect_error(&c, "module Foo;\n", "main.idl:1:8: error: module name 'Foo' must be");
	compiled_free(&c);
	expect_error(&c, "module int;\n", "'int' cannot name a module");
	compiled_free(&c);
	expect_error(&c, "module chitin;\n", "reserved for the runtime");
	compiled_free(&c);
}

/* ---- where types may be used --------------------------------------------------------------- */

static void
test_resilient_by_value(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n"
			 "[resilient] struct R { u32 a; };\n"
			 "struct H { R* ok; R r; option<R> o; };\n",
		     "main.idl:3:19: error: resilient struct 'R' cannot be used by value");
	assert_contains(c.errors, "main.idl:2:20: note: 'R' is declared [resilient] here\n");
	assert_contains(c.errors, "main.idl:3:24: error: resilient struct 'R'");
	assert_int_equal(c.comp.diag.n_errors, 2);
	compiled_free(&c);
}

static void
test_borrowed_results(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n"
			 "struct Bor { u32 n; str s; };\n"
			 "interface I { str name(); Bor get(); option<string> fine(); };\n"
			 "callback str Cb();\n"
			 "export slice<u8> data();\n",
		     "main.idl:3:15: error: the result cannot be 'str'");
	assert_contains(c.errors, "main.idl:3:27: error: the result cannot be 'Bor'");
	assert_contains(c.errors, "main.idl:2:25: note: 'Bor' is borrowed because field 's' is 'str'\n");
	assert_contains(c.errors, "main.idl:4:10: error: the result cannot be 'str'");
	assert_contains(c.errors, "main.idl:5:8: error: the result cannot be 'slice<u8>'");
	assert_int_equal(c.comp.diag.n_errors, 4);
	compiled_free(&c);

	/* borrowing in parameters is what they are for */
	expect_valid(&c, "module m;\nstruct Bor { str s; };\n"
			 "interface I { void put(str s, Bor b, slice<const Bor> all); };\n");
	compiled_free(&c);

	expect_error(&c, "module m;\ninterface I { void f([out] slice<const u8> a, [out] slice<str> b); };\n",
		     "main.idl:2:28: error: [out] parameter 'a' is written by the callee");
	assert_contains(c.errors, "main.idl:2:53: error: [out] parameter 'b' is filled by the callee");
	compiled_free(&c);

	expect_error(&c, "module m;\nstruct S { vec<str> v; };\n",
		     "main.idl:2:12: error: 'vec<str>' owns its elements");
	compiled_free(&c);
}

static void
test_void_placement(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\nstruct S { void v; option<void> o; };\n",
		     "main.idl:2:12: error: 'void' is only a return type, a result arm or a pointer target");
	assert_contains(c.errors, "main.idl:2:20: error: 'void' is only");
	compiled_free(&c);

	expect_error(&c, "module m;\ncallback void Cb(void x);\n", "main.idl:2:18: error: 'void' is only");
	compiled_free(&c);

	expect_valid(&c, "module m;\n"
			 "struct S { void* p; const void* q; };\n"
			 "interface I { result<void, string> f(); void g(); };\n");
	compiled_free(&c);
}

static void
test_const_placement(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\nstruct S { const u32 x; option<const u8> y; };\n",
		     "main.idl:2:12: error: 'const' applies only to slice elements and pointer targets");
	assert_contains(c.errors, "main.idl:2:32: error: 'const' applies only");
	compiled_free(&c);
}

/* ---- attributes ---------------------------------------------------------------------------- */

static void
test_attribute_checks(void **state)
{
	struct compiled c;
	(void)state;
	expect_error(&c, "module m;\n"
			 "[frobnicate] struct A { u32 x; };\n"
			 "[base] struct B { u32 x; };\n"
			 "[since] struct C { u32 x; };\n"
			 "[resilient(3)] struct D { u32 x; };\n"
			 "[since(1.0), since(1.0)] struct E { u32 x; };\n"
			 "[align(3)] struct F { u32 x; };\n",
		     "main.idl:2:2: error: unknown attribute 'frobnicate'");
	assert_contains(c.errors, "main.idl:3:2: error: attribute 'base' does not apply to a struct");
	assert_contains(c.errors, "main.idl:4:2: error: attribute 'since' needs a version");
	assert_contains(c.errors, "main.idl:5:12: error: attribute 'resilient' takes no argument");
	assert_contains(c.errors, "main.idl:6:14: error: attribute 'since' is given twice");
	assert_contains(c.errors, "main.idl:6:2: note: first given here");
	assert_contains(c.errors, "main.idl:7:8: error: align(3) is not a power of two");
	compiled_free(&c);
}

/* ---- imports ------------------------------------------------------------------------------- */

static const struct test_file two_deps[] = {
	{ "main.idl", "module main;\n"
		      "import \"a.idl\";\n"
		      "import \"b.idl\";\n"
		      "struct S { W w; a.W aw; Only o; };\n"
		      "const u32 C = K;\n" },
	{ "a.idl", "module a;\nstruct W { u32 x; };\nconst u32 K = 1;\nstruct Only { u8 z; };\n" },
	{ "b.idl", "module b;\nstruct W { u8 y; };\nconst u32 K = 2;\n" },
};

static void
test_ambiguous_import(void **state)
{
	struct compiled c;
	(void)state;
	assert_int_equal(compile_files(&c, two_deps, 3), 1);
	assert_contains(c.errors,
			"main.idl:4:12: error: 'W' is ambiguous: modules 'a' and 'b' both declare it");
	assert_contains(c.errors, "a.W or b.W");
	assert_contains(c.errors,
			"main.idl:5:15: error: 'K' is ambiguous: modules 'a' and 'b' both declare it");
	/* the qualified use and the unique bare name are fine */
	assert_int_equal(c.comp.diag.n_errors, 2);
	compiled_free(&c);
}

static void
test_qualified_imports(void **state)
{
	static const struct test_file files[] = {
		{ "main.idl", "module main;\n"
			      "import \"a.idl\";\n"
			      "import \"b.idl\";\n"
			      "struct S { a.W aw; b.W bw; Only o; };\n"
			      "const u32 C = a.K + b.K;\n"
			      "struct W { u16 mine; };\n"
			      "struct T { W own; };\n" },
		{ "a.idl", "module a;\nstruct W { u32 x; };\nconst u32 K = 1;\nstruct Only { u8 z; };\n" },
		{ "b.idl", "module b;\nstruct W { u8 y; };\nconst u32 K = 2;\n" },
	};
	struct compiled c;
	uint32_t s;
	(void)state;
	if (compile_files(&c, files, 3) != 0)
		fail_msg("diagnostics:\n%s", c.errors);
	assert_int_equal(c.m->n_modules, 3);
	s = find_decl(c.m, "main", "S");
	assert_int_equal(named_decl(c.m, find_field(c.m, s, "aw")->type), find_decl(c.m, "a", "W"));
	assert_int_equal(named_decl(c.m, find_field(c.m, s, "bw")->type), find_decl(c.m, "b", "W"));
	assert_int_equal(named_decl(c.m, find_field(c.m, s, "o")->type), find_decl(c.m, "a", "Only"));
	/* a module's own name wins over its imports' */
	assert_int_equal(named_decl(c.m, find_field(c.m, find_decl(c.m, "main", "T"), "own")->type),
			 find_decl(c.m, "main", "W"));
	assert_int_equal(c.m->decls[find_decl(c.m, "main", "C")].u.konst.value, 3);
	assert_int_equal(c.m->modules[c.m->decls[s].module].n_imports, 2);
	compiled_free(&c);
}

static void
test_import_cycle(void **state)
{
	static const struct test_file files[] = {
		{ "main.idl", "module main;\nimport \"x.idl\";\n" },
		{ "x.idl", "module x;\nimport \"main.idl\";\n" },
	};
	static const struct test_file self[] = {
		{ "main.idl", "module main;\nimport \"main.idl\";\nstruct S { u32 a; };\n" },
	};
	struct compiled c;
	(void)state;
	assert_int_equal(compile_files(&c, files, 2), 1);
	assert_contains(c.errors, "x.idl:2:8: error: import cycle: main.idl -> x.idl -> main.idl\n");
	assert_int_equal(c.comp.diag.n_errors, 1);
	compiled_free(&c);

	assert_int_equal(compile_files(&c, self, 1), 1);
	assert_contains(c.errors, "main.idl:2:8: error: import cycle: main.idl -> main.idl\n");
	compiled_free(&c);
}

static void
test_import_errors(void **state)
{
	static const struct test_file missing[] = {
		{ "main.idl", "module main;\nimport \"nope.idl\";\n" },
	};
	static const struct test_file unimported[] = {
		{ "main.idl", "module main;\nimport \"a.idl\";\nimport \"q.idl\";\n" },
		{ "a.idl", "module a;\nstruct W { u32 x; };\n" },
		{ "q.idl", "module q;\nstruct T { a.W w; z.W v; };\n" },
	};
	static const struct test_file same_module[] = {
		{ "main.idl", "module main;\nimport \"other.idl\";\n" },
		{ "other.idl", "module main;\n" },
	};
	struct compiled c;
	(void)state;
	assert_int_equal(compile_files(&c, missing, 1), 1);
	assert_contains(c.errors, "main.idl:2:8: error: cannot find 'nope.idl'");
	compiled_free(&c);

	assert_int_equal(compile_files(&c, unimported, 3), 1);
	assert_contains(c.errors, "q.idl:2:12: error: unknown module 'a'\n");
	assert_contains(c.errors, "a.idl:1:8: note: module 'a' is declared here, but 'q' does not import it\n");
	assert_contains(c.errors, "q.idl:2:19: error: unknown module 'z'\n");
	compiled_free(&c);

	assert_int_equal(compile_files(&c, same_module, 2), 1);
	assert_contains(c.errors, "error: module 'main' is declared by two files");
	assert_contains(c.errors, "note: the other declaration is here");
	compiled_free(&c);
}

/* ---- many errors --------------------------------------------------------------------------- */

static void
test_error_cap(void **state)
{
	char src[8192];
	size_t o, i;
	struct compiled c;
	(void)state;
	o = (size_t)snprintf(src, sizeof src, "module m;\nstruct S {\n");
	for (i = 0; i < 80; i++)
		o += (size_t)snprintf(src + o, sizeof src - o, "    Unknown%zu f%zu;\n", i, i);
	snprintf(src + o, sizeof src - o, "};\n");
	expect_error(&c, src, "main.idl:3:5: error: unknown type 'Unknown0'");
	assert_contains(c.errors, "unknown type 'Unknown49'");
	assert_not_contains(c.errors, "unknown type 'Unknown50'");
	assert_int_equal(count_substr(c.errors, "chitin: error: too many errors (50); stopping\n"), 1);
	assert_true(diag_stopped(&c.comp.diag));
	compiled_free(&c);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_input),
		cmocka_unit_test(test_error_status),
		cmocka_unit_test(test_constant_values),
		cmocka_unit_test(test_constant_errors),
		cmocka_unit_test(test_constant_cycle),
		cmocka_unit_test(test_constant_kind_mismatch),
		cmocka_unit_test(test_enum_values),
		cmocka_unit_test(test_signed_enum_implicit_values),
		cmocka_unit_test(test_data_enum),
		cmocka_unit_test(test_data_enum_duplicate_tag),
		cmocka_unit_test(test_signed_data_enum_duplicate_tag),
		cmocka_unit_test(test_enum_value_overflow),
		cmocka_unit_test(test_empty_declarations),
		cmocka_unit_test(test_by_value_order),
		cmocka_unit_test(test_by_value_order_imports),
		cmocka_unit_test(test_borrowed),
		cmocka_unit_test(test_value_cycle),
		cmocka_unit_test(test_array_types),
		cmocka_unit_test(test_array_errors),
		cmocka_unit_test(test_interfaces),
		cmocka_unit_test(test_uuid_errors),
		cmocka_unit_test(test_base_interface_with_since),
		cmocka_unit_test(test_derive_from_non_base),
		cmocka_unit_test(test_interface_method_checks),
		cmocka_unit_test(test_since_stored),
		cmocka_unit_test(test_since_errors),
		cmocka_unit_test(test_export_symbol),
		cmocka_unit_test(test_export_symbol_errors),
		cmocka_unit_test(test_unknown_type),
		cmocka_unit_test(test_error_type_index),
		cmocka_unit_test(test_sixth_named_type_in_generics),
		cmocka_unit_test(test_sixth_named_type_pointer),
		cmocka_unit_test(test_type_24_resilient_by_value),
		cmocka_unit_test(test_type_24_vec_of_borrowed),
		cmocka_unit_test(test_duplicates),
		cmocka_unit_test(test_reserved_identifiers),
		cmocka_unit_test(test_resilient_by_value),
		cmocka_unit_test(test_borrowed_results),
		cmocka_unit_test(test_void_placement),
		cmocka_unit_test(test_const_placement),
		cmocka_unit_test(test_attribute_checks),
		cmocka_unit_test(test_ambiguous_import),
		cmocka_unit_test(test_qualified_imports),
		cmocka_unit_test(test_import_cycle),
		cmocka_unit_test(test_import_errors),
		cmocka_unit_test(test_error_cap),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
