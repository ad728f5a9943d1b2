/* Descriptors: the model's and the JSON descriptor's read back agree
 * byte for byte once encoded, on every target; the JSON reader rejects
 * what is not JSON; layout numbers and ids of a few fixed types are the
 * documented vectors. */
#include "helpers.h"

#include "backends/json.h"
#include "describe.h"
#include "jsonread.h"

#include <chitin/chitin.h>

#include <stdlib.h>
#include <string.h>

static void
build(struct built *b, const char *text)
{
	if (build_text(b, text) != 0)
		fail_msg("%s", b->errors);
}

static uint8_t *
encode(const struct chitin_descriptor *d, size_t *len)
{
	size_t work_size = chitin_desc_encode_work_size(d, 1);
	void *work = malloc(work_size);
	size_t n = chitin_desc_encode(d, 1, 0, NULL, 0, NULL, work, work_size);
	uint8_t *buf = malloc(n ? n : 1);
	assert_non_null(buf);
	assert_int_equal(chitin_desc_encode(d, 1, 0, buf, n, NULL, work, work_size), n);
	free(work);
	*len = n;
	return buf;
}

static const char *const rich =
	"[version(2.3)]\n"
	"module rich;\n"
	"struct P { u8 a; u64 b; typeid id; };\n"
	"[resilient] struct R { u32 x; [since(2.1)] option<u64> y; };\n"
	"union U { f64 d; u8 b[3]; };\n"
	"enum C : i16 { A = -3, B, [since(2.2)] D = 100 };\n"
	"enum E : u8 { Empty, One { P p; }, [since(2.3)] Two { u8 x; } };\n"
	"callback void Cb([in] str s, [out] u32 n);\n"
	"[base, threadsafe] interface Base { u32 get(); };\n"
	"interface Derived : Base { result<void, string> run([in] slice<const P> ps);\n"
	"  [since(2.1)] void later(); };\n"
	"export Derived make([in] Cb cb);\n"
	"[since(2.2), symbol(\"rich_make2\")] export u32 make2();\n";

static void
test_json_round_trip(void **state)
{
	struct built b;
	struct outbuf json;
	struct jv *root;
	char err[256];
	unsigned ti;
	(void)state;

	build(&b, rich);
	ob_init(&json);
	be_json_descriptor(&json, &b.ck, b.mi);
	root = json_parse(&b.ck.comp.arena, json.data, json.len, err, sizeof err);
	if (!root)
		fail_msg("the JSON descriptor does not parse: %s", err);
	for (ti = 0; ti < TARGET_COUNT; ti++) {
		struct chitin_descriptor from_model, from_json;
		uint8_t *a, *c;
		size_t na, nc;
		desc_from_model(&from_model, &b.ck.comp.arena, &b.ck, b.mi, ti);
		if (!desc_from_json(&from_json, &b.ck.comp.arena, root, targets[ti].name, err, sizeof err))
			fail_msg("%s: %s", targets[ti].name, err);
		a = encode(&from_model, &na);
		c = encode(&from_json, &nc);
		assert_int_equal(na, nc);
		assert_memory_equal(a, c, na);
		assert_int_equal(desc_compare(&from_model, &from_json, 0, NULL), 0);
		assert_int_equal(from_model.n_types, 8);
		assert_int_equal(from_model.n_interfaces, 2);
		assert_int_equal(from_model.n_exports, 2);
		free(a);
		free(c);
	}
	ob_free(&json);
	built_free(&b);
}

/* The JSON of two runs is the same, byte for byte. */
static void
test_json_deterministic(void **state)
{
	struct built b1, b2;
	struct outbuf j1, j2;
	(void)state;
	build(&b1, rich);
	build(&b2, rich);
	ob_init(&j1);
	ob_init(&j2);
	be_json_descriptor(&j1, &b1.ck, b1.mi);
	be_json_descriptor(&j2, &b2.ck, b2.mi);
	assert_int_equal(j1.len, j2.len);
	assert_memory_equal(j1.data, j2.data, j1.len);
	ob_free(&j1);
	ob_free(&j2);
	built_free(&b1);
	built_free(&b2);
}

/* A compatible minor version: the comparator accepts it both ways; a
 * moved field is refused with its name. */
static void
test_versions_compared(void **state)
{
	struct built v1, v2, v3;
	struct chitin_descriptor d1, d2, d3;
	struct chitin_desc_report r;
	char text[512];
	(void)state;
	build(&v1, "module m;\n[resilient] struct S { u32 a; };\n"
		   "interface I { void f(); };\nenum E { A, B { u32 x; } };\n");
	build(&v2, "[version(1.1)] module m;\n[resilient] struct S { u32 a; [since(1.1)] u8 b; };\n"
		   "interface I { void f(); [since(1.1)] void g(); };\n"
		   "enum E { A, B { u32 x; }, [since(1.1)] C { u16 y; } };\n");
	build(&v3, "[version(1.1)] module m;\n[resilient] struct S { u64 a; };\n"
		   "interface I { void f(); };\nenum E { A, B { u32 x; } };\n");
	desc_from_model(&d1, &v1.ck.comp.arena, &v1.ck, v1.mi, 0);
	desc_from_model(&d2, &v2.ck.comp.arena, &v2.ck, v2.mi, 0);
	desc_from_model(&d3, &v3.ck.comp.arena, &v3.ck, v3.mi, 0);
	assert_int_equal(desc_compare(&d1, &d2, 0, NULL), 0);
	assert_int_equal(desc_compare(&d2, &d1, 0, NULL), 0);
	assert_true(desc_compare(&d1, &d3, 0, &r) > 0);
	chitin_desc_format_problem(&r.problems[0], text, sizeof text);
	assert_contains(text, "'a'");
	built_free(&v1);
	built_free(&v2);
	built_free(&v3);
}

/* Vectors that doc/abi.md quotes: if one changes, every deployed id or
 * hash would, so this test may only change with a format version. */
static void
test_id_vectors(void **state)
{
	struct built b;
	char text[CHITIN_UUID_TEXT_SIZE];
	uint32_t point;
	(void)state;
	build(&b, "module demo;\nstruct Point { i32 x; i32 y; };\n"
		  "[uuid(6f1c2a4e-9b1d-4c55-8f00-5a1e0c9d7b21)] interface Effect { u32 channels(); };\n");
	point = find_decl(b.m, "demo", "Point");
	chitin_hash128_to_uuid(ck_type_id(&b.ck, point), text);
	/* UUIDv5(chitin namespace, "demo.Point@1") */
	{
		chitin_hash128 expect;
		chitin_type_id("demo", "Point", 1, &expect);
		assert_memory_equal(expect.bytes, ck_type_id(&b.ck, point)->bytes, 16);
	}
	/* chitin.h's CHITIN_OBJECT_IID is the id of the model's object */
	{
		const chitin_typeid object_iid = CHITIN_OBJECT_IID;
		assert_memory_equal(object_iid.bytes, ck_type_id(&b.ck, b.m->object_decl)->bytes, 16);
	}
	chitin_hash128_to_uuid(ck_type_id(&b.ck, find_decl(b.m, "demo", "Effect")), text);
	assert_string_equal(text, "6f1c2a4e-9b1d-4c55-8f00-5a1e0c9d7b21");
	/* the layout hash does not depend on names */
	{
		struct built other;
		uint32_t q;
		build(&other, "module other;\nstruct Q { i32 a; i32 b; };\n");
		q = find_decl(other.m, "other", "Q");
		assert_memory_equal(ck_layout_hash(&b.ck, 0, b.m->decls[point].type)->bytes,
				    ck_layout_hash(&other.ck, 0, other.m->decls[q].type)->bytes, 16);
		built_free(&other);
	}
	built_free(&b);
}

static void
test_json_reader_rejects(void **state)
{
	static const char *const bad[] = {
		"", "{", "[1,]", "{\"a\" 1}", "\"open", "01x", "1.5", "{\"a\": tru}",
		"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
		"\"\\u0000\"", "99999999999999999999999", "{} x",
	};
	struct arena a;
	char err[128];
	size_t i;
	(void)state;
	arena_init(&a);
	for (i = 0; i < sizeof bad / sizeof *bad; i++)
		if (json_parse(&a, bad[i], strlen(bad[i]), err, sizeof err))
			fail_msg("accepted: %s", bad[i]);
	{
		static const char good[] = "{\"k\": [1, -2, \"\\u00e9\", true, null, {}]}";
		const struct jv *v = json_parse(&a, good, strlen(good), err, sizeof err);
		assert_non_null(v);
		assert_int_equal(jv_get(v, "k")->n, 6);
		assert_string_equal(jv_get(v, "k")->items[2].str, "\xc3\xa9");
		assert_true(jv_get(v, "k")->items[1].negative);
	}
	arena_free(&a);
}

/* text with from replaced by to: every occurrence, or only those after
 * the first skip ones.  malloc'd. */
static char *
replaced(const char *text, const char *from, const char *to, unsigned skip)
{
	size_t nf = strlen(from), nt = strlen(to), n = 0;
	const char *p = text, *q;
	char *out = malloc(strlen(text) * 2 + 64), *o = out;
	assert_non_null(out);
	while ((q = strstr(p, from)) != NULL) {
		memcpy(o, p, (size_t)(q - p));
		o += q - p;
		if (n++ < skip) {
			memcpy(o, from, nf);
			o += nf;
		} else {
			memcpy(o, to, nt);
			o += nt;
		}
		p = q + nf;
	}
	strcpy(o, p);
	return out;
}

/* A format-2 document changed by (from, to, skip) is refused on target
 * with a message holding expect; never a crash. */
static void
expect_refused(const char *json, const char *from, const char *to, unsigned skip,
	       const char *target, const char *expect)
{
	struct arena a;
	struct chitin_descriptor d;
	char err[256], *text = replaced(json, from, to, skip);
	const struct jv *root;
	arena_init(&a);
	root = json_parse(&a, text, strlen(text), err, sizeof err);
	assert_non_null(root);
	if (desc_from_json(&d, &a, root, target, err, sizeof err))
		fail_msg("accepted after '%s' -> '%s'", from, to);
	if (!strstr(err, expect))
		fail_msg("'%s' -> '%s': message '%s' lacks '%s'", from, to, err, expect);
	arena_free(&a);
	free(text);
}

static void
test_format2_rejects(void **state)
{
	struct built b;
	struct outbuf json;
	(void)state;
	build(&b, rich);
	ob_init(&json);
	be_json_descriptor(&json, &b.ck, b.mi);
	expect_refused(json.data, "\"format\": 2", "\"format\": 3", 0, "x86_64-linux",
		       "format: 3 is not a format");
	expect_refused(json.data, "\"x86_64-linux\"", "\"x86_64-linux\"", 0, "mips-linux",
		       "no target 'mips-linux'");
	expect_refused(json.data, "\"offsets\": [0, ", "\"offsets\": [", 0, "x86_64-linux",
		       "as many offsets as fields");
	expect_refused(json.data, "{\"targets\": [\"x86_64-linux\", ",
		       "{\"targets\": [\"x86_64-linux\", \"x86_64-linux\", ", 0, "x86_64-linux",
		       "target 'x86_64-linux' is listed twice");
	expect_refused(json.data, "\"wasm32-wasi\"", "\"wasm64-wasi\"", 1, "wasm32-wasi",
		       "no layout for target 'wasm32-wasi'");
	expect_refused(json.data, "{\"type\": \"u8\", \"layouts\"", "{\"type\": \"u9\", \"layouts\"", 0,
		       "x86_64-linux", "a type listed in field_types");
	expect_refused(json.data, "\"signature_hashes\": [\"", "\"signature_hashes\": [\"00\", \"", 0,
		       "x86_64-linux", "signature hash for every slot");
	expect_refused(json.data, "{\"type\": \"u64\", \"layouts\"", "{\"type\": \"u8\", \"layouts\"", 0,
		       "x86_64-linux", "each type once");
	ob_free(&json);
	built_free(&b);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_json_round_trip),
		cmocka_unit_test(test_json_deterministic),
		cmocka_unit_test(test_versions_compared),
		cmocka_unit_test(test_id_vectors),
		cmocka_unit_test(test_json_reader_rejects),
		cmocka_unit_test(test_format2_rejects),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
