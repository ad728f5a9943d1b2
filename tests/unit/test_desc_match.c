/* Descriptors: how the comparison matches items by name, at scale, in any
 * order, renamed, with names repeated, and the work memory it needs
 * (doc/descriptor.md section 11).  No test here judges time. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desc_model.h"

/* A module of n types, a tenth of them of each of ten shapes: fixed
 * structs, a resilient struct, C-like enums, a data enum, a callback and
 * interfaces (each with an entry in interfaces[]), and n / 4 exports.  Its
 * names start with prefix. */
struct big {
	struct chitin_descriptor d;
	struct chitin_desc_type *types;
	struct chitin_desc_field *fields;
	struct chitin_desc_variant *variants;
	struct chitin_desc_interface *interfaces;
	struct chitin_desc_method methods[2];
	struct chitin_desc_export *exports;
	char *names;
};

static const char *const field_names[4] = { "a", "b", "c", "d" };
static const char *const variant_names[4] = { "None", "Some", "Many", "Last" };

/* The name "<prefix><i>" in b's pool, at slot k. */
static const char *
big_name(struct big *b, size_t k, const char *prefix, uint32_t i)
{
	char *s = b->names + k * 16;
	snprintf(s, 16, "%s%u", prefix, (unsigned)i);
	return s;
}

static void
big_init(struct big *b, uint32_t n, const char *prefix)
{
	uint32_t i, k, n_fields = 0, n_variants = 0, n_interfaces = 0;

	memset(b, 0, sizeof *b);
	b->types = xmalloc(n * sizeof *b->types);
	b->fields = xmalloc(4 * (size_t)n * sizeof *b->fields);
	b->variants = xmalloc(4 * (size_t)n * sizeof *b->variants);
	b->interfaces = xmalloc(n * sizeof *b->interfaces);
	b->exports = xmalloc((n / 4) * sizeof *b->exports);
	b->names = xmalloc(((size_t)n + n / 4) * 16);
	b->methods[0].name = "get";
	b->methods[0].signature_hash = hash_of("u32()");
	b->methods[1].name = "set";
	b->methods[1].signature_hash = hash_of("void(u32)");
	for (i = 0; i < n; i++) {
		struct chitin_desc_type *t = &b->types[i];
		unsigned shape = i % 10;
		memset(t, 0, sizeof *t);
		t->name = big_name(b, i, prefix, i);
		t->type_id = hash_of2("id:", t->name);
		t->layout_hash = hash_of2("layout:", t->name);
		t->size = 16;
		t->align = 4;
		if (shape < 4) {
			t->kind = CHITIN_DESC_STRUCT;
			if (shape == 3)
				t->flags = CHITIN_DESC_RESILIENT;
			t->fields = b->fields + n_fields;
			t->n_fields = 4;
			for (k = 0; k < 4; k++)
				set_field(&b->fields[n_fields++], field_names[k], 4 * k, 4, "u32");
		} else if (shape < 7) {
			t->kind = shape == 6 ? CHITIN_DESC_DATA_ENUM : CHITIN_DESC_ENUM;
			t->variants = b->variants + n_variants;
			t->n_variants = 4;
			for (k = 0; k < 4; k++) {
				struct chitin_desc_variant *v = &b->variants[n_variants++];
				memset(v, 0, sizeof *v);
				v->name = variant_names[k];
				v->value = k + (shape == 6 ? 0 : 1);
			}
		} else if (shape == 7) {
			t->kind = CHITIN_DESC_CALLBACK;
			t->signature_hash = hash_of2("call:", t->name);
		} else {
			struct chitin_desc_interface *in = &b->interfaces[n_interfaces++];
			t->kind = CHITIN_DESC_INTERFACE;
			memset(in, 0, sizeof *in);
			in->name = t->name;
			in->iid = t->type_id;
			in->base = "object";
			in->methods = b->methods;
			in->n_methods = 2;
		}
	}
	for (i = 0; i < n / 4; i++) {
		struct chitin_desc_export *e = &b->exports[i];
		memset(e, 0, sizeof *e);
		e->name = big_name(b, n + i, "f", i);
		e->symbol = e->name;
		e->signature_hash = hash_of2("export:", e->name);
	}
	b->d.format = CHITIN_DESC_FORMAT;
	b->d.module = "big";
	b->d.major = 1;
	b->d.targets = "x86_64-linux";
	b->d.types = b->types;
	b->d.n_types = n;
	b->d.interfaces = b->interfaces;
	b->d.n_interfaces = n_interfaces;
	b->d.exports = b->exports;
	b->d.n_exports = n / 4;
}

static void
big_free(struct big *b)
{
	free(b->types);
	free(b->fields);
	free(b->variants);
	free(b->interfaces);
	free(b->exports);
	free(b->names);
}

/* The report of host against plugin, as text; *n the problems found. */
static const char *
report_of(const struct chitin_descriptor *host, const struct chitin_descriptor *plugin,
	  uint32_t *n, char *text, size_t size)
{
	struct chitin_desc_report report;
	*n = compare_alloc(host, plugin, 0, &report);
	assert_true(chitin_desc_format_report(&report, text, size) < size);
	return text;
}

/* Shuffled, a module is compatible with itself, both ways, in memory and
 * decoded. */
static void
test_shuffled_compatible(void **state)
{
	struct big b;
	struct reordered r;
	struct decoded dec;
	uint8_t *blob;
	size_t size;
	(void)state;
	big_init(&b, 3000, "T");
	reorder(&b.d, 42, &r);
	assert_int_equal(compare_alloc(&b.d, &r.d, 0, NULL), 0);
	assert_int_equal(compare_alloc(&r.d, &b.d, 0, NULL), 0);
	blob = encode_alloc(&r.d, &size);
	assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
	assert_int_equal(compare_alloc(&b.d, &dec.d, 0, NULL), 0);
	assert_int_equal(compare_alloc(&dec.d, &b.d, 0, NULL), 0);
	decoded_free(&dec);
	free(blob);
	reordered_free(&r);
	big_free(&b);
}

/* Breaks spread over a large module are found, and reported alike, in
 * any order of the plugin's items; a host-side report is the same line
 * for line. */
static void
test_shuffled_breaks(void **state)
{
	static char want[8192], got[8192];
	struct hex x[4];
	struct big h, p;
	struct reordered r;
	uint32_t n, n2;
	uint64_t seed;
	(void)state;
	big_init(&h, 5000, "T");
	big_init(&p, 5000, "T");
	relayout(&p.types[10]);
	/* A fixed struct's field, a resilient one's, an enum's value, a data
	 * enum's tag. */
	p.fields[p.types[10].fields - p.fields + 2].offset = 99;
	p.fields[p.types[4013].fields - p.fields + 1].type_hash = hash_of("u64");
	p.variants[p.types[2104].variants - p.variants + 3].value = 7;
	p.variants[p.types[3106].variants - p.variants].value = 9;
	h.types[4507].signature_hash = hash_of("void()");
	p.types[4507].signature_hash = hash_of("void(u8)");
	p.types[1001].kind = CHITIN_DESC_UNION;
	p.interfaces[777].base = "big.T8";
	p.exports[1200].symbol = "elsewhere";
	report_of(&h.d, &p.d, &n, got, sizeof got);
	snprintf(want, sizeof want,
		 "type 'big.T10': field 'c' is at offset 8 in the host, 99 in the plugin\n"
		 "type 'big.T1001': kind is struct in the host, union in the plugin\n"
		 "type 'big.T2104': value 'Last' is 4 in the host, 7 in the plugin\n"
		 "type 'big.T3106': variant 'None' has tag 0 in the host, 9 in the plugin\n"
		 "type 'big.T4013': field 'b' has type hash %s in the host, %s in the plugin\n"
		 "type 'big.T4507': signature hash is %s in the host, %s in the plugin\n"
		 "interface 'big.T3889': base is 'object' in the host, 'big.T8' in the plugin\n"
		 "export 'big.f1200': symbol is 'f1200' in the host, 'elsewhere' in the plugin\n",
		 hex_of(&x[0], "u32"), hex_of(&x[1], "u64"), hex_of(&x[2], "void()"),
		 hex_of(&x[3], "void(u8)"));
	assert_string_equal(got, want);
	assert_int_equal(n, 8);
	for (seed = 1; seed <= 4; seed++) {
		reorder(&p.d, seed, &r);
		report_of(&h.d, &r.d, &n2, got, sizeof got);
		assert_int_equal(n2, n);
		assert_string_equal(got, want);
		reordered_free(&r);
	}
	big_free(&h);
	big_free(&p);
}

/* Every item renamed: each one missing on the other side, the first ones
 * in the host's order. */
static void
test_renamed(void **state)
{
	static const char first[] =
		"type 'big.T0': missing in the plugin, and not [since]\n"
		"type 'big.T1': missing in the plugin, and not [since]\n"
		"type 'big.T2': missing in the plugin, and not [since]\n"
		"type 'big.T3': missing in the plugin, and not [since]\n";
	static char got[8192];
	struct big h, p;
	struct chitin_desc_report report;
	uint32_t n = 20000, i, n_interface_types = n / 5;
	(void)state;
	big_init(&h, n, "T");
	big_init(&p, n, "R");
	for (i = 0; i < n / 4; i++)
		p.exports[i].name = p.types[i].name;  /* "R<i>" */
	/* Types each way, but interfaces' types; interfaces each way;
	 * exports the plugin lacks. */
	assert_int_equal(compare_alloc(&h.d, &p.d, 0, &report),
			 2 * (n - n_interface_types) + 2 * n_interface_types + n / 4);
	assert_int_equal(report.n_problems, CHITIN_DESC_MAX_PROBLEMS);
	assert_int_not_equal(report.more, 0);
	chitin_desc_format_report(&report, got, sizeof got);
	assert_true(strncmp(got, first, strlen(first)) == 0);
	big_free(&h);
	big_free(&p);
}

/* An item is matched with the first item of its name on the other side;
 * the later ones are only reported. */
static void
test_first_of_a_name(void **state)
{
	static char got[4096];
	struct model h, p;
	struct chitin_desc_type types[8];
	uint32_t n;
	(void)state;
	model_init(&h);
	model_init(&p);
	memcpy(types, p.types, sizeof p.types);
	types[7] = types[FRAME];
	types[7].kind = CHITIN_DESC_UNION;
	p.d.types = types;
	p.d.n_types = 8;
	assert_string_equal(report_of(&h.d, &p.d, &n, got, sizeof got),
			    "type 'audio.Frame': appears more than once in the plugin\n");
	types[7] = types[FRAME];
	types[FRAME].kind = CHITIN_DESC_UNION;
	assert_string_equal(report_of(&h.d, &p.d, &n, got, sizeof got),
			    "type 'audio.Frame': kind is struct in the host, union in the plugin\n"
			    "type 'audio.Frame': appears more than once in the plugin\n");
	/* The host's repeats likewise. */
	assert_string_equal(report_of(&p.d, &h.d, &n, got, sizeof got),
			    "type 'audio.Frame': kind is union in the host, struct in the plugin\n"
			    "type 'audio.Frame': appears more than once in the host\n");
}

/* A blob of many items of one name, and a struct of many fields of one
 * name, decode and compare: each name is reported once a side. */
static void
test_repeated_names_decoded(void **state)
{
	static char got[4096];
	struct big b, host;
	struct decoded dec;
	uint8_t *blob;
	size_t size;
	uint32_t i, n;
	(void)state;
	big_init(&b, 50000, "T");
	for (i = 0; i < b.d.n_types; i++)
		b.types[i].name = "X";
	for (i = 0; i < b.d.n_interfaces; i++)
		b.interfaces[i].name = "X";
	/* The first X: a resilient struct of 20000 fields named f. */
	for (i = 0; i < 20000; i++)
		b.fields[i].name = "f";
	b.types[0].flags = CHITIN_DESC_RESILIENT;
	b.types[0].n_fields = 20000;
	blob = encode_alloc(&b.d, &size);
	assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
	assert_string_equal(report_of(&dec.d, &dec.d, &n, got, sizeof got),
			    "type 'big.X': field 'f' appears more than once in the host\n"
			    "type 'big.X': field 'f' appears more than once in the plugin\n"
			    "type 'big.X': appears more than once in the host\n"
			    "type 'big.X': appears more than once in the plugin\n"
			    "interface 'big.X': appears more than once in the host\n"
			    "interface 'big.X': appears more than once in the plugin\n");
	assert_int_equal(n, 6);
	/* A host of 1000 types: each of its types and interfaces missing in
	 * the plugin, whose X is missing in the host once a list. */
	big_init(&host, 1000, "T");
	assert_int_equal(compare_alloc(&host.d, &dec.d, 0, NULL), 800 + 2 + 200 + 2);
	big_free(&host);
	decoded_free(&dec);
	free(blob);
	big_free(&b);
}

/* Long target lists are matched through a table too. */
static void
test_many_targets(void **state)
{
	struct model h, p;
	char *host_targets = xmalloc(20000 * 12), *plugin_targets = xmalloc(20000 * 12);
	size_t at_h = 0, at_p = 0;
	uint32_t i;
	(void)state;
	for (i = 0; i < 20000; i++) {
		at_h += (size_t)sprintf(host_targets + at_h, "%sh%u", i ? " " : "", (unsigned)i);
		at_p += (size_t)sprintf(plugin_targets + at_p, "%sp%u", i ? "  " : " ", (unsigned)i);
	}
	model_init(&h);
	model_init(&p);
	h.d.targets = host_targets;
	p.d.targets = plugin_targets;
	assert_int_equal(compare_alloc(&h.d, &p.d, 0, NULL), 1);
	assert_int_equal(compare_alloc(&p.d, &h.d, 0, NULL), 1);
	strcpy(plugin_targets + at_p, " h19999");
	assert_int_equal(compare_alloc(&h.d, &p.d, 0, NULL), 0);
	assert_int_equal(compare_alloc(&p.d, &h.d, 0, NULL), 0);
	free(host_targets);
	free(plugin_targets);
}

/* The items of a descriptor, those its lists, fields and variants hold. */
static uint64_t
items_of(const struct chitin_descriptor *d)
{
	uint64_t n = (uint64_t)d->n_imports + d->n_types + d->n_interfaces + d->n_exports + 1;
	uint32_t i;
	for (i = 0; i < d->n_types; i++)
		n += (uint64_t)d->types[i].n_fields + d->types[i].n_variants;
	return n;
}

/* The work memory is linear in the items, the same whatever their order,
 * and the slots of a table for n keys are at most 4n: 12 bytes a slot,
 * one table of a list and two of a type's variants at a time. */
static void
test_work_size_linear(void **state)
{
	static const uint32_t sizes[] = { 0, 1, 10, 1000, 4096, 10000 };
	struct reordered r;
	struct big h, p;
	size_t i, size;
	(void)state;
	for (i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
		big_init(&h, sizes[i], "T");
		big_init(&p, sizes[i] / 2, "R");
		size = chitin_desc_compare_work_size(&h.d, &p.d);
		assert_true(size <= 12 * 4 * 2 * (items_of(&h.d) + items_of(&p.d)) + 3);
		reorder(&p.d, 3, &r);
		assert_int_equal(chitin_desc_compare_work_size(&h.d, &r.d), size);
		assert_int_equal(chitin_desc_compare_work_size(&r.d, &h.d),
				 chitin_desc_compare_work_size(&p.d, &h.d));
		reordered_free(&r);
		big_free(&h);
		big_free(&p);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shuffled_compatible),
		cmocka_unit_test(test_shuffled_breaks),
		cmocka_unit_test(test_renamed),
		cmocka_unit_test(test_first_of_a_name),
		cmocka_unit_test(test_repeated_names_decoded),
		cmocka_unit_test(test_many_targets),
		cmocka_unit_test(test_work_size_linear),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
