/* The host of tests/run-kinds.sh: built against module ku 1.1 (with
 * KU_1_1 defined) or 1.0, loads the plugin named on the command line
 * through ku_load and calls every method and export with values it checks
 * field by field.  The second argument is the plugin's minor version:
 * what a 1.0 plugin lacks is expected UNAVAILABLE or absent, and what a
 * 1.1 plugin sends that a 1.0 host does not know is expected to stay
 * unknown.  Prints one "ok" or "FAIL" line per check; exits 1 when a
 * check failed, 3 when the load was refused. */
#define KU_STATIC 1
#include "own.h"

#include <chitin/runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef KU_1_1
#define HOST_1_1 true
#else
#define HOST_1_1 false
#endif

static int failures;
static bool plugin_1_1;        /* the plugin was built against 1.1 */
static ku_Store *store;        /* the plugin's object, as its Store part */

static void
expect(bool ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

/* ok when field is NULL; otherwise a failure that names the field. */
static void
expect_fields(const char *field, const char *what)
{
	if (field)
		printf("FAIL %s: field %s differs\n", what, field);
	else
		printf("ok %s\n", what);
	failures += field != NULL;
}

static bool
string_is(const chitin_string *s, const char *text)
{
	return own_text_is(s->ptr, s->len, text);
}

/* ---- what each side made and released ------------------------------------ */

static ku_Counts host_mark, plugin_mark;

static ku_Counts
plugin_counts(void)
{
	ku_Counts c;
	memset(&c, 0xff, sizeof c);
	if (ku_Store_counts(store, &c) != CHITIN_OK)
		expect(false, "counts()");
	return c;
}

static void
mark(void)
{
	host_mark = own_counts();
	plugin_mark = plugin_counts();
}

/* Since mark(): `host` values the host made and `plugin` values the
 * plugin made were released, each by its maker's function, and nothing
 * else was, nor released wrongly; every value made since is released
 * too. */
static void
expect_released(const char *what, uint32_t host, uint32_t plugin)
{
	ku_Counts h = own_counts(), p = plugin_counts();
	char line[160];
	snprintf(line, sizeof line, "%s: %u host and %u plugin values released once, by their maker",
		 what, (unsigned)host, (unsigned)plugin);
	expect(h.released - host_mark.released == host && p.released - plugin_mark.released == plugin &&
		       h.made - h.released == host_mark.made - host_mark.released &&
		       p.made - p.released == plugin_mark.made - plugin_mark.released &&
		       h.bad == host_mark.bad && p.bad == plugin_mark.bad,
	       line);
	if (h.bad != host_mark.bad || p.bad != plugin_mark.bad)
		printf("  host made %u released %u bad %u; plugin made %u released %u bad %u\n",
		       (unsigned)h.made, (unsigned)h.released, (unsigned)h.bad, (unsigned)p.made,
		       (unsigned)p.released, (unsigned)p.bad);
}

/* ---- the host's own object: a Named ---------------------------------------- */

struct host_named {
	ku_Named named;
	chitin_refcount rc;
};

static const chitin_query_entry host_parts[] = {
	{ ku_Named_IID, offsetof(struct host_named, named) },
};

static chitin_object *CHITIN_CALL
host_query(chitin_object *self, const chitin_typeid *iid)
{
	return chitin_query_table(self, iid, host_parts, 1);
}

static void CHITIN_CALL
host_retain(chitin_object *self)
{
	chitin_refcount_retain(&((struct host_named *)(void *)self)->rc);
}

static void CHITIN_CALL
host_release(chitin_object *self)
{
	if (chitin_refcount_release(&((struct host_named *)(void *)self)->rc)) {
		free(self);
		own_object_gone();
	}
}

static chitin_status CHITIN_CALL
host_name(ku_Named *self, chitin_string *ret)
{
	(void)self;
	own_string("host", ret);
	return CHITIN_OK;
}

static const ku_Named_vtbl host_named_vtbl = {
	CHITIN_VTABLE_HEADER(ku_Named, host_query, host_retain, host_release),
	host_name,
};

static struct host_named *
host_named_new(void)
{
	struct host_named *h = (struct host_named *)malloc(sizeof *h);
	if (!h)
		abort();
	h->named.vtbl = &host_named_vtbl;
	chitin_refcount_init(&h->rc, 1);
	own_object_made();
	return h;
}

/* ---- the host's visitors ----------------------------------------------------- */

struct host_visitor {
	int calls;
	int releases;
};

/* index * 10 + the text's length */
static chitin_status CHITIN_CALL
host_visit(void *ctx, uint32_t index, chitin_str text, int64_t *ret)
{
	((struct host_visitor *)ctx)->calls++;
	*ret = (int64_t)index * 10 + (int64_t)text.len;
	return CHITIN_OK;
}

static void CHITIN_CALL
host_visitor_release(void *ctx)
{
	((struct host_visitor *)ctx)->releases++;
}

static ku_Visit
visitor_of(struct host_visitor *v, bool owned)
{
	ku_Visit visit;
	visit.call = host_visit;
	visit.ctx = v;
	visit.release = owned ? host_visitor_release : NULL;
	return visit;
}

/* ---- values ------------------------------------------------------------------ */

/* The scalars the host sends, and each field as plugin.c's twice changes
 * it (wrapping in its width).  Every byte of each is different from the
 * others, so that a field read with its bytes moved or from the wrong
 * offset cannot pass; usize and isize are their 64-bit values cut to the
 * target's width, which keeps that. */
static const ku_Scalars sample = {
	.flag = false, .s8 = -0x3c, .s16 = -0x1234, .s32 = -0x12345678, .s64 = -INT64_C(0x123456789abcdef0),
	.b8 = 0xa7, .b16 = 0xc1d2, .b32 = UINT32_C(0xe1f20314), .b64 = UINT64_C(0x0123456789abcdef),
	.r32 = -3.1415f, .r64 = -1234.5678, .size = (size_t)UINT64_C(0x0f1e2d3c4b5a6978),
	.diff = -(ptrdiff_t)(size_t)UINT64_C(0x0f1e2d3c4b5a6978),
	.id = { { 0x00, 0x11, 0x22, 0x33, 0x44, 0x55, 0x66, 0x77, 0x88, 0x99, 0xaa, 0xbb, 0xcc, 0xdd, 0xee, 0xff } },
};
static const ku_Scalars sample_twice = {
	.flag = true, .s8 = -0x78, .s16 = -0x2468, .s32 = -0x2468acf0, .s64 = -INT64_C(0x2468acf13579bde0),
	.b8 = 0x4e, .b16 = 0x83a4, .b32 = UINT32_C(0xc3e40628), .b64 = UINT64_C(0x02468acf13579bde),
	.r32 = -6.283f, .r64 = -2469.1356, .size = (size_t)UINT64_C(0x1e3c5a7896b4d2f0),
	.diff = -(ptrdiff_t)(size_t)UINT64_C(0x1e3c5a7896b4d2f0),
	.id = { { 0xff, 0xee, 0xdd, 0xcc, 0xbb, 0xaa, 0x99, 0x88, 0x77, 0x66, 0x55, 0x44, 0x33, 0x22, 0x11, 0x00 } },
};

#define DIFF(field)                    \
	if (a->field != b->field)      \
		return #field

/* The first field in which a and b differ, or NULL. */
static const char *
scalars_diff(const ku_Scalars *a, const ku_Scalars *b)
{
	DIFF(flag);
	DIFF(s8);
	DIFF(s16);
	DIFF(s32);
	DIFF(s64);
	DIFF(b8);
	DIFF(b16);
	DIFF(b32);
	DIFF(b64);
	DIFF(r32);
	DIFF(r64);
	DIFF(size);
	DIFF(diff);
	if (memcmp(a->id.bytes, b->id.bytes, sizeof a->id.bytes) != 0)
		return "id";
	return NULL;
}

static ku_Outer
sample_outer(void)
{
	static const float grid[2][KU_COLUMNS] = { { 1.26f, 2.51f, 3.76f }, { -4.49f, 5.51f, 6.76f } };
	ku_Outer o;
	unsigned i;
	memset(&o, 0, sizeof o);
	o.inner.a = 0x1b2c;
	for (i = 0; i < 4; i++)
		o.inner.bytes[i] = (uint8_t)(i + 1);
	o.pair[0].a = -0x2d3e;
	o.pair[1].a = 0x3e4f;
	for (i = 0; i < 4; i++)
		o.pair[0].bytes[i] = o.pair[1].bytes[i] = (uint8_t)(0xf0 + i);
	memcpy(o.grid, grid, sizeof grid);
	o.color = ku_Color_Blue;
	o.number.whole = 0x1a2b3c4d;
	o.scalars = sample;
	return o;
}

static ku_Outer
transformed_outer(void)
{
	static const float grid[2][KU_COLUMNS] = { { -1.26f, -2.51f, -3.76f }, { 4.49f, -5.51f, -6.76f } };
	ku_Outer o = sample_outer();
	unsigned i;
	o.inner.a = 0x1b2d;
	for (i = 0; i < 4; i++)
		o.inner.bytes[i] = (uint8_t)(i + 2);
	o.pair[0].a = -0x5a7c;
	o.pair[1].a = 0x7c9e;
	memcpy(o.grid, grid, sizeof grid);
	o.color = ku_Color_Red;
	o.number.whole = ~0x1a2b3c4d;
	o.scalars = sample_twice;
	return o;
}

static const char *
outer_diff(const ku_Outer *a, const ku_Outer *b)
{
	unsigned i, j;
	DIFF(inner.a);
	for (i = 0; i < 4; i++) {
		DIFF(inner.bytes[i]);
		DIFF(pair[0].bytes[i]);
		DIFF(pair[1].bytes[i]);
	}
	DIFF(pair[0].a);
	DIFF(pair[1].a);
	for (i = 0; i < 2; i++)
		for (j = 0; j < KU_COLUMNS; j++)
			DIFF(grid[i][j]);
	DIFF(color);
	DIFF(number.whole);
	return scalars_diff(&a->scalars, &b->scalars) ? "scalars" : NULL;
}

#undef DIFF

/* ---- the checks, one group of methods each --------------------------------- */

static chitin_object *
identity_of(chitin_object *obj)
{
	static const chitin_typeid object_iid = CHITIN_OBJECT_IID;
	return obj->vtbl->query(obj, &object_iid);
}

/* Several interfaces on one object: every part answers every interface
 * and the same identity; the upcast is the same part. */
static void
check_parts(ku_Shaper *shaper, struct host_named *host)
{
	static const chitin_typeid unknown = { { 0x42, 0x42 } };
	chitin_object *id = identity_of(ku_Store_as_object(store));
	chitin_object *id_shaper = identity_of(ku_Shaper_as_object(shaper));
	chitin_object *id_named = identity_of((chitin_object *)(void *)ku_Shaper_as_Named(shaper));
	chitin_object *from_method = NULL;
	ku_Named *named = ku_Named_query(ku_Store_as_object(store));
	ku_Store *store_again = ku_Store_query(ku_Shaper_as_object(shaper));
	ku_Named *given = NULL, *not_given = NULL;
	chitin_string name;
	bool same = false;

	expect(id && id == id_shaper && id == id_named, "query(object) is the same from every part");
	expect(id == ku_Shaper_as_object(shaper), "the identity is the first row's part, Shaper");
	expect((void *)shaper != (void *)store, "Shaper and Store are different parts");
	expect((void *)ku_Shaper_as_Named(shaper) == (void *)shaper, "Shaper_as_Named is the Shaper part");
	expect((void *)named == (void *)shaper, "query(Named) from Store gives the Shaper part");
	expect(store_again == store, "query(Store) from Shaper gives the Store part");
	expect(ku_Store_as_object(store)->vtbl->query(ku_Store_as_object(store), &unknown) == NULL,
	       "query of an interface the object lacks is NULL");
	expect(ku_Store_identity(store, &from_method) == CHITIN_OK && from_method == id,
	       "identity() answers query(object), owned");
	expect(ku_Store_same(store, ku_Store_as_object(store), ku_Shaper_as_object(shaper), &same) ==
			       CHITIN_OK &&
		       same,
	       "same(Store part, Shaper part)");
	expect(ku_Store_same(store, ku_Store_as_object(store), ku_Named_as_object(&host->named), &same) ==
			       CHITIN_OK &&
		       !same,
	       "same(the plugin's object, the host's) is false");
	expect(ku_Store_named(store, true, &given) == CHITIN_OK && (void *)given == (void *)shaper,
	       "named(true): option<Named> some, the Shaper part");
	expect(ku_Store_named(store, false, &not_given) == CHITIN_OK && not_given == NULL,
	       "named(false): option<Named> none is NULL");

	expect(ku_Named_name(ku_Shaper_as_Named(shaper), &name) == CHITIN_OK && string_is(&name, "thing one"),
	       "Named.name through Shaper_as_Named");
	chitin_string_release(&name);
	expect(ku_Shaper_name(shaper, &name) == CHITIN_OK && string_is(&name, "thing one"),
	       "Shaper.name, the inherited slot");
	chitin_string_release(&name);
	expect(given && ku_Named_name(given, &name) == CHITIN_OK && string_is(&name, "thing one"),
	       "Named.name through the reference named() gave");
	chitin_string_release(&name);

	if (given)
		ku_Named_release(given);
	if (from_method)
		chitin_release(from_method);
	if (store_again)
		ku_Store_release(store_again);
	if (named)
		ku_Named_release(named);
	chitin_release(id_named);
	chitin_release(id_shaper);
	chitin_release(id);
}

static void
check_scalars(void)
{
	ku_Scalars out, want = own_extremes();
	memset(&out, 0, sizeof out);
	expect(ku_Store_echo(store, sample, &out) == CHITIN_OK, "echo");
	expect_fields(scalars_diff(&out, &sample), "echo: every scalar by value and back as the result");
	memset(&out, 0, sizeof out);
	expect(ku_Store_fill(store, &out) == CHITIN_OK, "fill");
	expect_fields(scalars_diff(&out, &want), "fill: [out] Scalars, the extremes of every scalar");
	out = sample;
	expect(ku_Store_twice(store, &out) == CHITIN_OK, "twice");
	expect_fields(scalars_diff(&out, &sample_twice), "twice: [inout] Scalars, each field changed");
}

static void
check_plain(ku_Shaper *shaper)
{
	ku_Outer in = sample_outer(), out, want = transformed_outer();
	ku_Color color = 0;
	ku_Number number, flipped;
	memset(&out, 0, sizeof out);
	expect(ku_Shaper_transform(shaper, in, &out) == CHITIN_OK, "transform");
	expect_fields(outer_diff(&out, &want), "transform: nested structs, arrays, enum, union, scalars");
	expect(ku_Store_next_color(store, ku_Color_Red, &color) == CHITIN_OK && color == ku_Color_Green,
	       "next_color(Red) is Green");
	expect(ku_Store_next_color(store, ku_Color_Blue, &color) == CHITIN_OK && color == ku_Color_Red,
	       "next_color(Blue) is Red");
	expect(ku_Store_next_color(store, (ku_Color)200, &color) == CHITIN_OK && color == 200,
	       "next_color(200): an unnamed value passes unchanged");
	number.whole = 0x01020304;
	flipped.whole = 0;
	expect(ku_Store_flip(store, number, &flipped) == CHITIN_OK && flipped.whole == 0x04030201,
	       "flip: a union by value, its bytes reversed");
}

/* Whether the host's version of Shape has a variant of this tag. */
static bool
known_shape(uint32_t tag)
{
	switch (tag) {
	case ku_Shape_Empty:
	case ku_Shape_Circle:
	case ku_Shape_Label:
#ifdef KU_1_1
	case ku_Shape_Tagged:
#endif
		return true;
	default:
		return false;
	}
}

static void
check_shapes(ku_Shaper *shaper)
{
	static const int32_t points[] = { -2, 7 };
	ku_Shape s;
	uint32_t got = 0;
	chitin_status st;
	const chitin_vec_i32 *p = &s.payload.Label.points;

	expect(ku_Shaper_make_shape(shaper, ku_Shape_Empty, &s) == CHITIN_OK && s.tag == ku_Shape_Empty,
	       "make_shape: the unit variant");
	expect(ku_Shaper_make_shape(shaper, ku_Shape_Circle, &s) == CHITIN_OK && s.tag == ku_Shape_Circle &&
		       s.payload.Circle.radius == 2.5,
	       "make_shape: Circle { radius }");
	mark();
	expect(ku_Shaper_make_shape(shaper, ku_Shape_Label, &s) == CHITIN_OK && s.tag == ku_Shape_Label &&
		       string_is(&s.payload.Label.text, "label") && p->len == 3 && p->ptr[0] == 3 &&
		       p->ptr[1] == 1 && p->ptr[2] == 4,
	       "make_shape: Label { string, vec<i32> }, owned");
	own_release_shape(&s);
	expect_released("the Label make_shape gave", 0, 2);

	/* tag 8: Tagged, added in 1.1 */
	memset(&s, 0, sizeof s);
	st = ku_Shaper_make_shape(shaper, 8, &s);
	if (!plugin_1_1) {
		expect(st == CHITIN_INVALID_ARG, "make_shape(8): a 1.0 plugin has no such variant");
	} else {
#ifdef KU_1_1
		expect(st == CHITIN_OK && s.tag == ku_Shape_Tagged && known_shape(s.tag) &&
			       s.payload.Tagged.code == UINT64_C(0x1122334455667788) &&
			       s.payload.Tagged.extra == 99,
		       "make_shape: Tagged { code, extra }, the [since(1.1)] variant");
#else
		expect(st == CHITIN_OK && s.tag == 8 && !known_shape(s.tag),
		       "make_shape: the 1.1 plugin's Tagged arrives as the raw tag 8, unknown to a 1.0 host");
		own_release_shape(&s); /* leaves the unknown payload alone */
		expect(s.tag == 8, "an unknown shape is left as it is by the release of owned shapes");
#endif
	}

	memset(&s, 0, sizeof s);
	s.tag = ku_Shape_Empty;
	expect(ku_Shaper_take_shape(shaper, s, &got) == CHITIN_OK && got == 100, "take_shape: Empty");
	s.tag = ku_Shape_Circle;
	s.payload.Circle.radius = 0.75;
	expect(ku_Shaper_take_shape(shaper, s, &got) == CHITIN_OK && got == 200, "take_shape: Circle");
	mark();
	s.tag = ku_Shape_Label;
	own_string("host label", &s.payload.Label.text);
	own_vec_i32(points, 2, &s.payload.Label.points);
	expect(ku_Shaper_take_shape(shaper, s, &got) == CHITIN_OK && got == 700,
	       "take_shape: a Label the host made, consumed");
	expect_released("take_shape", 2, 0);
#ifdef KU_1_1
	memset(&s, 0, sizeof s);
	s.tag = ku_Shape_Tagged;
	s.payload.Tagged.code = 5;
	s.payload.Tagged.extra = 6;
	expect(ku_Shaper_take_shape(shaper, s, &got) == CHITIN_OK && got == (plugin_1_1 ? 800u : 1008u),
	       plugin_1_1 ? "take_shape: Tagged"
			  : "take_shape: Tagged arrives in a 1.0 plugin as the unknown tag 8");
#endif

	memset(&s, 0, sizeof s);
	s.tag = ku_Shape_Circle;
	s.payload.Circle.radius = 1.5;
	expect(ku_Shaper_reshape(shaper, &s) == CHITIN_OK && s.tag == ku_Shape_Circle &&
		       s.payload.Circle.radius == 3.0,
	       "reshape: [inout] Circle changed in place");
	mark();
	s.tag = ku_Shape_Label;
	own_string("host label", &s.payload.Label.text);
	own_vec_i32(points, 2, &s.payload.Label.points);
	expect(ku_Shaper_reshape(shaper, &s) == CHITIN_OK && s.tag == ku_Shape_Label &&
		       string_is(&s.payload.Label.text, "reshaped") && p->len == 1 && p->ptr[0] == 9,
	       "reshape: [inout] Label replaced by the plugin's");
	own_release_shape(&s);
	expect_released("reshape: the host's Label it replaced, the plugin's that replaced it", 2, 2);
}

static void
check_results(void)
{
	chitin_result_u32_string r;
	chitin_result_void_u32 v;
	chitin_option_u64 o;
	expect(ku_Store_check(store, 5, &r) == CHITIN_OK && r.tag == CHITIN_RESULT_OK && r.u.ok == 10,
	       "check(5): result<u32, string> ok");
	mark();
	expect(ku_Store_check(store, -3, &r) == CHITIN_OK && r.tag == CHITIN_RESULT_ERR &&
		       string_is(&r.u.err, "negative: -3"),
	       "check(-3): result<u32, string> err, an owned string");
	if (r.tag == CHITIN_RESULT_ERR)
		chitin_string_release(&r.u.err);
	expect_released("check's err", 0, 1);
	expect(ku_Store_validate(store, 4, &v) == CHITIN_OK && v.tag == CHITIN_RESULT_OK,
	       "validate(4): result<void, u32> ok");
	expect(ku_Store_validate(store, 3, &v) == CHITIN_OK && v.tag == CHITIN_RESULT_ERR && v.u.err == 103,
	       "validate(3): result<void, u32> err");
	expect(ku_Store_find(store, 3, &o) == CHITIN_OK && o.tag == CHITIN_OPTION_SOME &&
		       o.value == UINT64_C(3000000000000),
	       "find(3): option<u64> some");
	expect(ku_Store_find(store, 20, &o) == CHITIN_OK && o.tag == CHITIN_OPTION_NONE,
	       "find(20): option<u64> none");
}

static bool
words_are(const chitin_vec_string *w, const char *const *texts, size_t n)
{
	size_t i;
	if (w->len != n)
		return false;
	for (i = 0; i < n; i++)
		if (!string_is(&w->ptr[i], texts[i]))
			return false;
	return true;
}

/* The first field of what make_record(seed) gave that is not what
 * plugin.c makes, or NULL: an odd seed gives a note and an err. */
static const char *
record_diff(const ku_Record *r, uint32_t seed)
{
	static const char *const greek[] = { "alpha", "beta", "gamma" };
	bool odd = seed % 2;
	char name[32];
	snprintf(name, sizeof name, "record %u", (unsigned)seed);
	if (!string_is(&r->name, name))
		return "name";
	if (r->values.len != 3 || r->values.ptr[0] != seed || r->values.ptr[2] != seed + 2)
		return "values";
	if (r->count.tag != CHITIN_OPTION_SOME || r->count.value != seed)
		return "count";
	if (odd ? r->note.tag != CHITIN_OPTION_SOME || !string_is(&r->note.value, "odd")
		: r->note.tag != CHITIN_OPTION_NONE)
		return "note";
	if (r->tri != seed % 3)
		return "tri";
	if (odd ? r->outcome.tag != CHITIN_RESULT_ERR || !string_is(&r->outcome.u.err, "bad seed")
		: r->outcome.tag != CHITIN_RESULT_OK || r->outcome.u.ok != -(int32_t)seed)
		return "outcome";
	if (!words_are(&r->words, greek, 3))
		return "words";
	return NULL;
}

/* The record the host sends take_record: every option some and the
 * result err when odd, every option none and the result ok otherwise. */
static void
host_record(bool odd, ku_Record *r)
{
	static const char *const word[] = { "word" };
	static const uint16_t values[] = { 10, 65535 };
	memset(r, 0, sizeof *r);
	own_string(odd ? "host odd" : "host even", &r->name);
	own_vec_u16(values, 2, &r->values);
	r->count.tag = odd ? CHITIN_OPTION_SOME : CHITIN_OPTION_NONE;
	r->count.value = odd ? 3 : 0;
	r->note.tag = odd ? CHITIN_OPTION_SOME : CHITIN_OPTION_NONE;
	if (odd)
		own_string("a note", &r->note.value);
	r->tri = odd ? CHITIN_OPTION_BOOL_TRUE : CHITIN_OPTION_BOOL_NONE;
	r->outcome.tag = odd ? CHITIN_RESULT_ERR : CHITIN_RESULT_OK;
	if (odd)
		own_string("oops", &r->outcome.u.err);
	else
		r->outcome.u.ok = 42;
	own_words(word, 1, &r->words);
}

static void
check_records(void)
{
	ku_Record r;
	uint32_t got = 0;

	mark();
	memset(&r, 0, sizeof r);
	expect(ku_Store_make_record(store, 3, &r) == CHITIN_OK, "make_record(3)");
	expect_fields(record_diff(&r, 3),
		      "make_record(3): owned strings, vecs, options some, result err, option<bool> false");
	own_release_record(&r);
	expect_released("make_record(3)", 0, 8);
	mark();
	memset(&r, 0, sizeof r);
	expect(ku_Store_make_record(store, 4, &r) == CHITIN_OK, "make_record(4)");
	expect_fields(record_diff(&r, 4), "make_record(4): option<string> none, result ok, option<bool> true");
	own_release_record(&r);
	expect_released("make_record(4)", 0, 6);

	mark();
	host_record(true, &r);
	expect(ku_Store_take_record(store, r, &got) == CHITIN_OK && got == 0x7f,
	       "take_record: a Record with every option some and result err, consumed");
	expect_released("take_record (some, err)", 6, 0);
	mark();
	host_record(false, &r);
	expect(ku_Store_take_record(store, r, &got) == CHITIN_OK && got == 0x7f,
	       "take_record: a Record with every option none and result ok, consumed");
	expect_released("take_record (none, ok)", 4, 0);
}

static void
check_text_and_buffers(void)
{
	static const char *const words[] = { "one", "two", "three" };
	static const int32_t numbers[] = { 1, -2, 30, 400 };
	static const uint32_t elems[] = { 1, 2, 3, 4 };
	chitin_slice_const_i32 in = { numbers, 4 }, empty = { NULL, 0 };
	uint32_t dest[6] = { 7, 7, 7, 7, 7, 0xdeadbeef };
	chitin_slice_u32 out = { dest, 5 };
	chitin_string s;
	chitin_vec_string w;
	chitin_vec_u32 v;
	int64_t total = 0;
	uint64_t sum = 0;
	size_t n = 0;

	mark();
	expect(ku_Store_concat(store, chitin_str_from_cstr("con"), chitin_str_from_cstr("cat"), &s) ==
			       CHITIN_OK &&
		       string_is(&s, "concat"),
	       "concat: two str in, a string out");
	chitin_string_release(&s);
	expect_released("concat", 0, 1);

	mark();
	own_string("abc", &s);
	expect(ku_Store_append(store, &s, chitin_str_from_cstr("def")) == CHITIN_OK && string_is(&s, "abcdef"),
	       "append: an [inout] string replaced");
	chitin_string_release(&s);
	expect_released("append: the host's string it replaced, the plugin's that replaced it", 1, 1);

	mark();
	expect(ku_Store_split(store, chitin_str_from_cstr("  one two  three "), &w) == CHITIN_OK &&
		       words_are(&w, words, 3),
	       "split: a vec<string> out");
	chitin_vec_string_release(&w);
	expect_released("split: the vec and each string", 0, 4);

	expect(ku_Store_sum(store, in, &total) == CHITIN_OK && total == 429, "sum: slice<const i32>");
	expect(ku_Store_sum(store, empty, &total) == CHITIN_OK && total == 0, "sum: an empty slice, ptr NULL");
	expect(ku_Store_squares(store, out, &n) == CHITIN_OK && n == 5 && dest[0] == 0 && dest[1] == 1 &&
		       dest[2] == 4 && dest[3] == 9 && dest[4] == 16 && dest[5] == 0xdeadbeef,
	       "squares: an [out] slice<u32> filled, nothing past its length");

	mark();
	expect(ku_Store_range(store, 5, &v) == CHITIN_OK && v.len == 5 && v.cap >= 5 && v.ptr[0] == 0 &&
		       v.ptr[4] == 4,
	       "range(5): a vec<u32> out");
	chitin_vec_u32_release(&v);
	expect(ku_Store_range(store, 0, &v) == CHITIN_OK && v.len == 0, "range(0): an empty vec<u32>");
	chitin_vec_u32_release(&v);
	expect_released("range", 0, 2);
	mark();
	own_vec_u32(elems, 4, &v);
	expect(ku_Store_take_vec(store, v, &sum) == CHITIN_OK && sum == 10, "take_vec: a vec<u32> consumed");
	expect_released("take_vec", 1, 0);
}

static void
check_callbacks(ku_Visit *kept_till_end)
{
	static struct host_visitor borrowed, maybe, kept, till_end;
	ku_Visit none, made;
	int64_t got = 0;
	uint32_t n = 0;

	expect(ku_Store_visit(store, visitor_of(&borrowed, false), 3, &got) == CHITIN_OK && got == 42 &&
		       borrowed.calls == 3,
	       "visit: a borrowed callback (release NULL) called 3 times");
	memset(&none, 0, sizeof none);
	expect(ku_Store_visit_maybe(store, none, &n) == CHITIN_OK && n == 0, "visit_maybe: option<Visit> none");
	expect(ku_Store_visit_maybe(store, visitor_of(&maybe, true), &n) == CHITIN_OK && n == 35 &&
		       maybe.calls == 1,
	       "visit_maybe: option<Visit> some, owned, called");
	expect(maybe.releases == 1, "visit_maybe: the owned callback released exactly once");

	expect(ku_Store_keep(store, visitor_of(&kept, true)) == CHITIN_OK && kept.releases == 0,
	       "keep: an owned callback kept, not released");
	expect(ku_Store_call_kept(store, 2, &got) == CHITIN_OK && got == 24 &&
		       ku_Store_call_kept(store, 5, &got) == CHITIN_OK && got == 54 && kept.calls == 2,
	       "call_kept: the kept callback called later");
	expect(ku_Store_drop_kept(store) == CHITIN_OK && kept.releases == 1, "drop_kept: released once");
	expect(ku_Store_call_kept(store, 1, &got) == CHITIN_FAILED && ku_Store_drop_kept(store) == CHITIN_OK &&
		       kept.releases == 1 && kept.calls == 2,
	       "after drop_kept: neither called nor released again");
	*kept_till_end = visitor_of(&till_end, true);
	expect(ku_Store_keep(store, *kept_till_end) == CHITIN_OK, "keep: a callback the object releases");

	mark();
	memset(&made, 0, sizeof made);
	expect(ku_Store_visitor(store, 100, &made) == CHITIN_OK && made.call && made.release,
	       "visitor: an owned callback out");
	expect(made.call && made.call(made.ctx, 2, chitin_str_from_cstr("ab"), &got) == CHITIN_OK && got == 104 &&
		       made.call(made.ctx, 0, chitin_str_from(NULL, 0), &got) == CHITIN_OK && got == 100,
	       "visitor: the plugin's callback called by the host");
	if (made.release)
		made.release(made.ctx);
	expect_released("visitor: the plugin's callback", 0, 1);
}

static void
check_interfaces(struct host_named *host)
{
	chitin_string s;
	mark();
	expect(ku_Store_greet(store, &host->named, &s) == CHITIN_OK && string_is(&s, "hello host"),
	       "greet: the plugin calls the host's Named");
	expect(chitin_refcount_get(&host->rc) == 1, "greet: the [in] reference stays borrowed");
	chitin_string_release(&s);
	expect_released("greet: the host's name, released by the plugin, and the greeting", 1, 1);
}

/* A resilient struct both ways: the host's value read and written by the
 * plugin, the plugin's read by the host, across versions. */
static void
check_config(void)
{
	bool both = HOST_1_1 && plugin_1_1;
	void *storage = chitin_resilient_alloc(ku_Config_layout());
	ku_Config *c = storage ? ku_Config_init(storage) : NULL, *theirs = NULL;
	ku_ConfigView view;
	uint32_t set = 0;

	if (!c) {
		expect(false, "a Config of the host's");
		return;
	}
	*ku_Config_rate(c) = 48000;
	*ku_Config_channels(c) = 8;
#ifdef KU_1_1
	*ku_Config_latency(c) = 500;
#endif
	memset(&view, 0, sizeof view);
	expect(ku_Store_read_config(store, c, &view) == CHITIN_OK && view.rate == 48000 && view.channels == 8,
	       "read_config: the plugin reads the host's Config");
	if (both)
		expect(view.latency.tag == CHITIN_OPTION_SOME && view.latency.value == 500,
		       "read_config: latency present");
	else
		expect(view.latency.tag == CHITIN_OPTION_NONE,
		       HOST_1_1 ? "read_config: a 1.0 plugin does not know latency"
			       : "read_config: latency reads absent from a 1.0 host's Config");

	expect(ku_Store_write_config(store, c, &set) == CHITIN_OK && set == (both ? 7u : 3u) &&
		       *ku_Config_rate_const(c) == 96000 && *ku_Config_channels_const(c) == 6,
	       both ? "write_config: every field set" : "write_config: the fields both versions have set");
#ifdef KU_1_1
	expect(*ku_Config_latency_const(c) == (plugin_1_1 ? 1234u : 500u),
	       plugin_1_1 ? "write_config: latency set" : "write_config: a 1.0 plugin leaves latency");
#endif
	chitin_free(storage);

	expect(ku_Store_config(store, &theirs) == CHITIN_OK && theirs &&
		       ku_Config_record(theirs) != ku_Config_layout() &&
		       ku_Config_record(theirs)->field_count == (plugin_1_1 ? 3u : 2u),
	       "config: the plugin's value has the plugin's own record");
	if (!theirs)
		return;
	expect(*ku_Config_rate_const(theirs) == 44100 && *ku_Config_channels_const(theirs) == 2,
	       plugin_1_1 && !HOST_1_1 ? "config: a 1.0 host reads a 1.1 plugin's Config"
				       : "config: the host reads the plugin's Config");
#ifdef KU_1_1
	if (plugin_1_1)
		expect(ku_Config_latency_const(theirs) && *ku_Config_latency_const(theirs) == 77,
		       "config: latency present");
	else
		expect(ku_Config_latency_const(theirs) == NULL && ku_Config_latency(theirs) == NULL,
		       "config: latency reads absent from a 1.0 plugin's Config");
#endif
}

/* ---- helpers of slots an implementation lacks ------------------------------- */

static chitin_object *CHITIN_CALL
hollow_query(chitin_object *self, const chitin_typeid *iid)
{
	(void)self;
	(void)iid;
	return NULL;
}

static void CHITIN_CALL
hollow_count(chitin_object *self)
{
	(void)self;
}

/* A Store vtable that ends after its header, and a Shaper vtable of full
 * size whose slots are all null. */
static const ku_Store_vtbl short_store_vtbl = {
	.header = { (uint32_t)sizeof(chitin_vtable_header), 0, ku_Store_IID, hollow_query, hollow_count,
		    hollow_count },
};
static const ku_Shaper_vtbl null_shaper_vtbl = {
	.header = CHITIN_VTABLE_HEADER(ku_Shaper, hollow_query, hollow_count, hollow_count),
};

/* A helper that finds its slot missing calls nothing, returns
 * UNAVAILABLE and releases the owned [in] arguments (doc/abi.md 4, rule
 * 3), once: a vtable too short, a null slot, an inherited one, a null
 * export. */
static void
check_unavailable(void)
{
	static const int32_t points[] = { 1 };
	static const uint32_t elems[] = { 1, 2 };
	static struct host_visitor kept, maybe, borrowed;
	ku_Store hollow_store = { &short_store_vtbl };
	ku_Shaper hollow_shaper = { &null_shaper_vtbl };
	ku_exports no_exports;
	ku_Record r;
	ku_Shape shape;
	chitin_vec_u32 v;
	chitin_string s;
	uint32_t got = 0;
	int64_t total = 0;

	mark();
	host_record(true, &r);
	expect(ku_Store_take_record(&hollow_store, r, &got) == CHITIN_UNAVAILABLE,
	       "a slot past the vtable's size: take_record is UNAVAILABLE");
	expect_released("take_record UNAVAILABLE: the helper releases the Record", 6, 0);
	mark();
	own_vec_u32(elems, 2, &v);
	expect(ku_Store_take_vec(&hollow_store, v, NULL) == CHITIN_UNAVAILABLE, "take_vec is UNAVAILABLE");
	expect_released("take_vec UNAVAILABLE: the helper releases the vec", 1, 0);
	expect(ku_Store_keep(&hollow_store, visitor_of(&kept, true)) == CHITIN_UNAVAILABLE && kept.releases == 1 &&
		       kept.calls == 0,
	       "keep UNAVAILABLE: the helper releases the owned callback once");
	expect(ku_Store_visit_maybe(&hollow_store, visitor_of(&maybe, true), &got) == CHITIN_UNAVAILABLE &&
		       maybe.releases == 1,
	       "visit_maybe UNAVAILABLE: the helper releases option<Visit> some once");
	expect(ku_Store_visit(&hollow_store, visitor_of(&borrowed, false), 1, &total) == CHITIN_UNAVAILABLE &&
		       borrowed.calls == 0,
	       "visit UNAVAILABLE: a borrowed callback is not released");

	mark();
	memset(&shape, 0, sizeof shape);
	shape.tag = ku_Shape_Label;
	own_string("host label", &shape.payload.Label.text);
	own_vec_i32(points, 1, &shape.payload.Label.points);
	expect(ku_Shaper_take_shape(&hollow_shaper, shape, &got) == CHITIN_UNAVAILABLE,
	       "a null slot: take_shape is UNAVAILABLE");
	expect_released("take_shape UNAVAILABLE: the helper releases the Label's payload", 2, 0);
	expect(ku_Shaper_name(&hollow_shaper, &s) == CHITIN_UNAVAILABLE, "a null inherited slot: name is UNAVAILABLE");
	expect(ku_Named_name(ku_Shaper_as_Named(&hollow_shaper), &s) == CHITIN_UNAVAILABLE,
	       "the same slot through Named: UNAVAILABLE");

	memset(&no_exports, 0, sizeof no_exports);
	no_exports.size = (uint32_t)sizeof no_exports;
	expect(ku_exports_open(&no_exports, chitin_str_from_cstr("x"), NULL) == CHITIN_UNAVAILABLE,
	       "a null export is UNAVAILABLE");
#ifdef KU_1_1
	mark();
	own_vec_u32(elems, 2, &v);
	expect(ku_exports_answer(&no_exports, 1, v, &got) == CHITIN_UNAVAILABLE, "a null [since] export too");
	expect_released("answer UNAVAILABLE: the helper releases the vec", 1, 0);
#endif
	no_exports.size = 8;
	expect(ku_exports_counts(&no_exports, NULL) == CHITIN_UNAVAILABLE, "an export past the table's size");
}

/* A method that fails as a panic does: PANIC, and the object goes on
 * answering (doc/abi.md 3.4). */
static void
check_panic(void)
{
	uint32_t n = 0;
	ku_Scalars out;
	expect(ku_Store_fail(store, 0, &n) == CHITIN_OK && n == 7, "fail(0) answers");
	expect(ku_Store_fail(store, 1, &n) == CHITIN_PANIC, "fail(1): a panic is PANIC, caught in the plugin");
	expect(ku_Store_fail(store, 2, &n) == CHITIN_FAILED, "fail(2) is FAILED");
	expect(ku_Store_echo(store, sample, &out) == CHITIN_OK && !scalars_diff(&out, &sample),
	       "after the panic, the object answers again");
}

/* The [since(1.1)] method and export, each with an owned argument that
 * the callee or, when it is UNAVAILABLE, the helper releases; the
 * tables' sizes of the other version. */
static void
check_since(const ku_exports *ex)
{
	/* one slot and one export more or fewer than the host's */
	long skew = (long)plugin_1_1 - (long)HOST_1_1, p = (long)sizeof(void *);
#ifdef KU_1_1
	static const uint32_t more[] = { 100, 1 };
	chitin_string note;
	chitin_vec_u32 v;
	uint32_t n = 0;
	chitin_status st;

	mark();
	own_string("note", &note);
	st = ku_Store_minor(store, note, &n);
	if (plugin_1_1)
		expect(st == CHITIN_OK && n == 1, "minor(), the [since(1.1)] method");
	else
		expect(st == CHITIN_UNAVAILABLE, "minor() of a 1.0 plugin is UNAVAILABLE");
	expect_released(plugin_1_1 ? "minor(): its string" : "minor(): its string, by the helper", 1, 0);
	mark();
	own_vec_u32(more, 2, &v);
	st = ku_exports_answer(ex, 41, v, &n);
	if (plugin_1_1)
		expect(st == CHITIN_OK && n == 142, "answer, the [since(1.1)] export");
	else
		expect(st == CHITIN_UNAVAILABLE, "answer of a 1.0 plugin is UNAVAILABLE");
	expect_released(plugin_1_1 ? "answer: its vec" : "answer: its vec, by the helper", 1, 0);
#endif
	expect((long)ex->size == (long)sizeof(ku_exports) + skew * p,
	       "the exports table has the size of the plugin's version");
	expect((long)store->vtbl->header.size == (long)sizeof(ku_Store_vtbl) + skew * p,
	       "the Store vtable has the size of the plugin's version");
}

int
main(int argc, char **argv)
{
	const ku_exports *ex;
	chitin_load_error *err;
	ku_Shaper *shaper;
	struct host_named *host;
	ku_Visit kept_till_end;
	ku_Counts h, p;

	if (argc != 3) {
		fprintf(stderr, "usage: host PLUGIN PLUGIN_MINOR\n");
		return 2;
	}
	/* every line out before a crash, should one come */
	setvbuf(stdout, NULL, _IOLBF, 0);
	plugin_1_1 = atoi(argv[2]) >= 1;
	if (ku_load(argv[1], 0, &ex, NULL, &err) != CHITIN_OK) {
		char report[4096];
		chitin_load_error_format(err, report, sizeof report);
		fputs(report, stdout);
		chitin_load_error_free(err);
		return 3;
	}
	expect(ku_exports_open(ex, chitin_str_from_cstr("one"), &store) == CHITIN_OK && store, "open");
	if (!store)
		return 1;
	shaper = ku_Shaper_query(ku_Store_as_object(store));
	expect(shaper != NULL, "query(Shaper) from Store");
	if (!shaper)
		return 1;
	host = host_named_new();

	check_parts(shaper, host);
	check_scalars();
	check_plain(shaper);
	check_shapes(shaper);
	check_results();
	check_records();
	check_text_and_buffers();
	check_callbacks(&kept_till_end);
	check_interfaces(host);
	check_config();
	check_panic();
	check_since(ex);
	check_unavailable();

	ku_Named_release(&host->named);
	ku_Shaper_release(shaper);
	ku_Store_release(store);
	store = NULL;

	expect(((struct host_visitor *)kept_till_end.ctx)->releases == 1,
	       "the callback the object kept is released once, when it goes");
	h = own_counts();
	memset(&p, 0xff, sizeof p);
	expect(ku_exports_counts(ex, &p) == CHITIN_OK, "counts, the export");
	printf("host: made %u, released %u, bad %u; plugin: made %u, released %u, bad %u\n", (unsigned)h.made,
	       (unsigned)h.released, (unsigned)h.bad, (unsigned)p.made, (unsigned)p.released, (unsigned)p.bad);
	expect(h.made > 0 && h.made == h.released && h.bad == 0,
	       "every value the host made was released once, by the host's function");
	expect(p.made > 0 && p.made == p.released && p.bad == 0,
	       "every value the plugin made was released once, by the plugin's function");
	expect(h.alive == 0 && p.alive == 0, "no object of either side is left");
	return failures ? 1 : 0;
}
