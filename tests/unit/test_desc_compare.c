/* Descriptors: the load-time comparison with its report, and the
 * problem of each kind (doc/descriptor.md section 11). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "desc_model.h"

/* The kinds of problem the tests have found, in every order of the items
 * that the comparison does not depend on: test_every_kind_found checks
 * that none is left out. */
static int kinds_found[CHITIN_DESC_N_PROBLEM_KINDS];

static void
note_kinds(const struct chitin_desc_report *report)
{
	uint32_t i;
	for (i = 0; i < report->n_problems; i++)
		kinds_found[report->problems[i].kind] = 1;
}

static int
compare_lines(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The lines of a report, sorted: reports of the same problems found in
 * other orders of the plugin's items list them in other orders. */
static const char *
sorted_lines(const char *text, char *out, size_t size)
{
	char copy[8192], *lines[CHITIN_DESC_MAX_PROBLEMS + 1], *s, *nl;
	size_t n = 0, i, at = 0;

	assert_true(strlen(text) < sizeof copy);
	strcpy(copy, text);
	for (s = copy; *s; s = nl + 1) {
		nl = strchr(s, '\n');
		assert_non_null(nl);
		assert_true(n < sizeof lines / sizeof lines[0]);
		*nl = '\0';
		lines[n++] = s;
	}
	qsort(lines, n, sizeof lines[0], compare_lines);
	out[0] = '\0';
	for (i = 0; i < n; i++) {
		assert_true(at + strlen(lines[i]) + 2 <= size);
		at += (size_t)sprintf(out + at, "%s\n", lines[i]);
	}
	return out;
}

/* The report of comparing host with plugin, as text.  Compares them again
 * with the items of either or both in other orders (reorder): the
 * problems must be the same. */
static const char *
report_text(const struct model *host, const struct model *plugin, uint16_t required_minor)
{
	static char text[8192];
	char want[8192], got[8192], other[8192];
	struct chitin_desc_report report;
	struct reordered h2, p2;
	uint32_t n = compare_alloc(&host->d, &plugin->d, required_minor, &report);
	size_t len = chitin_desc_format_report(&report, text, sizeof text);
	uint64_t seed;
	int k;

	assert_true(len < sizeof text);
	assert_int_equal(n, report.n_problems);
	assert_int_equal(report.more, 0);
	assert_int_equal(compare_alloc(&host->d, &plugin->d, required_minor, NULL), n);
	sorted_lines(text, want, sizeof want);
	for (seed = 1; seed <= 3; seed++) {
		reorder(&host->d, seed, &h2);
		reorder(&plugin->d, seed * 7, &p2);
		for (k = 0; k < 3; k++) {
			struct chitin_desc_report again;
			assert_int_equal(compare_alloc(k == 1 ? &host->d : &h2.d,
						       k == 2 ? &plugin->d : &p2.d,
						       required_minor, &again), n);
			chitin_desc_format_report(&again, other, sizeof other);
			assert_string_equal(sorted_lines(other, got, sizeof got), want);
		}
		reordered_free(&h2);
		reordered_free(&p2);
	}
	note_kinds(&report);
	return text;
}

static void
assert_compatible(const struct model *host, const struct model *plugin, uint16_t required_minor)
{
	assert_string_equal(report_text(host, plugin, required_minor), "");
}

static void
assert_refused(const struct model *host, const struct model *plugin,
	       uint16_t required_minor, const char *want)
{
	assert_string_equal(report_text(host, plugin, required_minor), want);
}

static void
test_compat_identical(void **state)
{
	struct model h, p;
	struct decoded dec;
	uint8_t *blob;
	size_t size;
	(void)state;

	model_init(&h);
	model_init(&p);
	assert_compatible(&h, &p, 0);
	assert_compatible(&h, &p, 2);

	/* The host's own descriptor against the plugin's decoded blob. */
	blob = encode_alloc(&p.d, &size);
	assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
	assert_int_equal(compare_alloc(&h.d, &dec.d, 2, NULL), 0);
	decoded_free(&dec);
	free(blob);
}

/* A plugin's blob of one layout class, written with the module's other
 * classes: a host of a target in the class accepts it, a host of another
 * class refuses it on the targets, before any layout. */
static void
test_compat_layout_classes(void **state)
{
	struct model m64, m32, host;
	struct chitin_descriptor classes[2];
	struct decoded dec;
	uint8_t *blob;
	size_t size;
	(void)state;

	model_init(&m64);
	m64.d.targets = "x86_64-linux aarch64-linux";
	model_init_32(&m32, "i686-linux armv7-linux");
	classes[0] = m64.d;
	classes[1] = m32.d;
	model_init(&host);
	host.d.targets = "aarch64-linux";

	blob = encode_classes_alloc(classes, 2, 0, &size, NULL);
	assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
	assert_int_equal(compare_alloc(&host.d, &dec.d, 2, NULL), 0);
	decoded_free(&dec);
	free(blob);

	blob = encode_classes_alloc(classes, 2, 1, &size, NULL);
	assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
	m32.d = dec.d;
	assert_refused(&host, &m32, 0,
		       "module 'audio': targets are 'aarch64-linux' in the host, "
		       "'i686-linux armv7-linux' in the plugin, none in common\n");
	/* A host of a target of that class accepts it. */
	model_init_32(&host, "armv7-linux");
	assert_compatible(&host, &m32, 0);
	decoded_free(&dec);
	free(blob);
}

/* Version 1.1 and 1.2 load each other, both ways. */
static void
test_compat_minor_versions(void **state)
{
	struct model old, cur;
	(void)state;
	model_init_1_1(&old);
	model_init(&cur);
	assert_compatible(&old, &cur, 0);
	assert_compatible(&cur, &old, 0);
	assert_compatible(&cur, &old, 1);
}

static void
test_compat_since_field(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	h.types[SETTINGS].n_fields = 2;
	assert_compatible(&h, &p, 0);
	assert_compatible(&p, &h, 0);
	/* Offsets and sizes of a resilient struct may differ. */
	p.settings_fields[1].offset = 12;
	p.types[SETTINGS].size = 24;
	p.types[SETTINGS].align = 8;
	relayout(&p.types[SETTINGS]);
	assert_compatible(&h, &p, 0);
}

static void
test_compat_since_method(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	h.interfaces[EFFECT].n_methods = 2;
	assert_compatible(&h, &p, 0);
	assert_compatible(&p, &h, 0);
}

static void
test_compat_since_variant(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.types[EVENT].n_variants = 3;
	assert_compatible(&h, &p, 0);
	assert_compatible(&p, &h, 0);
}

static void
test_compat_since_export(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.d.n_exports = 1;
	assert_compatible(&h, &p, 0);
	assert_compatible(&p, &h, 0);
}

/* C-like enums are open: values may be added, [since] or not. */
static void
test_compat_new_enum_value(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	h.types[FORMAT].n_variants = 2;
	p.format_values[2].flags = 0;
	assert_compatible(&h, &p, 0);
	assert_compatible(&p, &h, 0);
}

static void
test_compat_since_items_missing(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	h.types[LOGFN].flags = CHITIN_DESC_SINCE;
	p.d.n_types = LOGFN;    /* LogFn and the interface types */
	h.interfaces[NODE].flags |= CHITIN_DESC_SINCE;
	p.d.n_interfaces = 1;
	assert_compatible(&h, &p, 0);
}

static void
test_break_field_offset(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.frame_fields[1].offset = 8;
	p.types[FRAME].size = 12;
	relayout(&p.types[FRAME]);
	assert_refused(&h, &p, 0,
		       "type 'audio.Frame': size is 8 in the host, 12 in the plugin\n"
		       "type 'audio.Frame': field 'right' is at offset 4 in the host, 8 in the plugin\n");
}

static void
test_break_size(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.types[EVENT].size = 32;
	p.types[EVENT].align = 16;
	relayout(&p.types[EVENT]);
	assert_refused(&h, &p, 0,
		       "type 'audio.Event': size is 24 in the host, 32 in the plugin\n"
		       "type 'audio.Event': alignment is 8 in the host, 16 in the plugin\n");
}

static void
test_break_field_type(void **state)
{
	struct model h, p;
	struct hex a, b;
	char want[512];
	(void)state;
	model_init(&h);
	model_init(&p);
	p.frame_fields[0].type_hash = hash_of("i32");
	relayout(&p.types[FRAME]);
	snprintf(want, sizeof want,
		 "type 'audio.Frame': field 'left' has type hash %s in the host, %s in the plugin\n",
		 hex_of(&a, "f32"), hex_of(&b, "i32"));
	assert_refused(&h, &p, 0, want);

	/* A field's size, and a field only one side has. */
	model_init(&p);
	p.event_fields[0].size = 2;
	p.event_fields[1].name = "data";
	relayout(&p.types[EVENT]);
	assert_refused(&h, &p, 0,
		       "type 'audio.Event': field 'tag' has size 4 in the host, 2 in the plugin\n"
		       "type 'audio.Event': field 'payload' is missing in the plugin, and not [since]\n"
		       "type 'audio.Event': field 'data' is missing in the host, and not [since] in the plugin\n");
}

/* Fields that changed places or names leave the layout hash alone (it
 * holds no names), but are matched by name all the same. */
static void
test_break_fields_by_name(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	/* the layout hash is the host's, as the real one would be (the
	 * model's own relayout would hash the names) */
	p.frame_fields[0].name = "right";
	p.frame_fields[1].name = "left";
	assert_refused(&h, &p, 0,
		       "type 'audio.Frame': field 'left' is at offset 0 in the host, 4 in the plugin\n"
		       "type 'audio.Frame': field 'right' is at offset 4 in the host, 0 in the plugin\n");
	model_init(&p);
	p.frame_fields[1].name = "rear";
	assert_refused(&h, &p, 0,
		       "type 'audio.Frame': field 'right' is missing in the plugin, and not [since]\n"
		       "type 'audio.Frame': field 'rear' is missing in the host, and not [since] in the plugin\n");
}

/* A layout hash that differs with nothing else to show for it. */
static void
test_break_layout_hash_only(void **state)
{
	struct model h, p;
	char want[512], a[CHITIN_HEX128_TEXT_SIZE], b[CHITIN_HEX128_TEXT_SIZE];
	(void)state;
	model_init(&h);
	model_init(&p);
	relayout(&p.types[FORMAT]);
	chitin_hash128_to_hex(&h.types[FORMAT].layout_hash, a);
	chitin_hash128_to_hex(&p.types[FORMAT].layout_hash, b);
	snprintf(want, sizeof want,
		 "type 'audio.Format': layout hash is %s in the host, %s in the plugin\n", a, b);
	assert_refused(&h, &p, 0, want);
}

static void
test_break_kind_and_flags(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.types[FRAME].kind = CHITIN_DESC_UNION;
	p.types[SETTINGS].flags = 0;
	p.types[FORMAT].flags = CHITIN_DESC_SIGNED;
	assert_refused(&h, &p, 0,
		       "type 'audio.Frame': kind is struct in the host, union in the plugin\n"
		       "type 'audio.Settings': is [resilient] in the host, not [resilient] in the plugin\n"
		       "type 'audio.Format': is unsigned in the host, signed in the plugin\n");
}

static void
test_break_type_id(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	chitin_type_id("audio", "Frame", 2, &p.types[FRAME].type_id);
	assert_refused(&h, &p, 0,
		       "type 'audio.Frame': type id is 2025bc7b-7123-5611-be3e-fb976da7736d in the host, "
		       "3d21e674-280b-52bf-addb-0fb0270efb8f in the plugin\n");
}

static void
test_break_callback_signature(void **state)
{
	struct model h, p;
	struct hex a, b;
	char want[512];
	(void)state;
	model_init(&h);
	model_init(&p);
	p.types[LOGFN].signature_hash = hash_of("void(str, u32)");
	snprintf(want, sizeof want,
		 "type 'audio.LogFn': signature hash is %s in the host, %s in the plugin\n",
		 hex_of(&a, "void(str)"), hex_of(&b, "void(str, u32)"));
	assert_refused(&h, &p, 0, want);
}

static void
test_break_resilient_fields(void **state)
{
	struct model h, p;
	struct hex a, b;
	char want[512];
	(void)state;
	model_init(&h);
	model_init(&p);
	/* Swapped: the layout record is indexed by declaration order. */
	p.settings_fields[0] = h.settings_fields[1];
	p.settings_fields[1] = h.settings_fields[0];
	assert_refused(&h, &p, 0,
		       "type 'audio.Settings': field 'sample_rate' is field 0 in the host, field 1 in the plugin\n"
		       "type 'audio.Settings': field 'channels' is field 1 in the host, field 0 in the plugin\n");

	/* Same name, another type. */
	model_init(&p);
	p.settings_fields[1].type_hash = hash_of("u32");
	snprintf(want, sizeof want,
		 "type 'audio.Settings': field 'channels' has type hash %s in the host, %s in the plugin\n",
		 hex_of(&a, "u16"), hex_of(&b, "u32"));
	assert_refused(&h, &p, 0, want);

	/* Two different [since] fields at one index. */
	model_init(&p);
	p.settings_fields[2].name = "buffer_frames";
	assert_refused(&h, &p, 0,
		       "type 'audio.Settings': field 2 is 'latency_ms' in the host, 'buffer_frames' in the plugin\n");

	/* A field that is not [since] is missing. */
	model_init(&p);
	p.settings_fields[1] = p.settings_fields[2];
	p.types[SETTINGS].n_fields = 2;
	assert_refused(&h, &p, 0,
		       "type 'audio.Settings': field 'channels' is missing in the plugin, and not [since]\n"
		       "type 'audio.Settings': field 'latency_ms' is field 2 in the host, field 1 in the plugin\n");
	assert_refused(&p, &h, 0,
		       "type 'audio.Settings': field 'latency_ms' is field 1 in the host, field 2 in the plugin\n"
		       "type 'audio.Settings': field 'channels' is missing in the host, and not [since] in the plugin\n");
}

static void
test_break_enum_value(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.format_values[1].value = 7;
	assert_refused(&h, &p, 0,
		       "type 'audio.Format': value 'F32' is 2 in the host, 7 in the plugin\n");

	/* Values of a signed enum read as signed. */
	h.types[FORMAT].flags = CHITIN_DESC_SIGNED;
	p.types[FORMAT].flags = CHITIN_DESC_SIGNED;
	p.format_values[1].value = (uint64_t)(int64_t)-1;
	h.format_values[1].value = (uint64_t)INT64_MIN;
	assert_refused(&h, &p, 0,
		       "type 'audio.Format': value 'F32' is -9223372036854775808 in the host, -1 in the plugin\n");
}

static void
test_break_variant_tag(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.event_variants[2].value = 5;
	assert_refused(&h, &p, 0,
		       "type 'audio.Event': variant 'Failed' has tag 2 in the host, 5 in the plugin\n");
}

static void
test_break_variant_payload(void **state)
{
	struct model h, p;
	struct hex a, b, c;
	char want[512];
	(void)state;
	model_init(&h);
	model_init(&p);
	p.event_variants[1].payload_hash = hash_of("{slice<const f64>}");
	p.event_variants[2].flags = 0;
	snprintf(want, sizeof want,
		 "type 'audio.Event': variant 'Samples' has payload hash %s in the host, %s in the plugin\n"
		 "type 'audio.Event': variant 'Failed' has payload hash %s in the host, none in the plugin\n",
		 hex_of(&a, "{slice<const f32>}"), hex_of(&b, "{slice<const f64>}"),
		 hex_of(&c, "{i32, str}"));
	assert_refused(&h, &p, 0, want);
}

static void
test_break_variant_missing_or_clash(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	/* Failed is not [since]: it cannot be missing. */
	p.event_variants[2] = p.event_variants[3];
	p.types[EVENT].n_variants = 3;
	assert_refused(&h, &p, 0,
		       "type 'audio.Event': variant 'Failed' is missing in the plugin, and not [since]\n");
	assert_refused(&p, &h, 0,
		       "type 'audio.Event': variant 'Failed' is missing in the host, and not [since] in the plugin\n");

	/* Two [since] variants with one tag. */
	model_init(&p);
	p.event_variants[3].name = "Stopped";
	assert_refused(&h, &p, 0,
		       "type 'audio.Event': tag 3 is variant 'Paused' in the host, 'Stopped' in the plugin\n");
}

static void
test_break_slot_signature(void **state)
{
	struct model h, p;
	struct hex a, b;
	char want[512];
	(void)state;
	model_init(&h);
	model_init(&p);
	p.effect_methods[1].signature_hash = hash_of("result(slice<const Frame>)");
	snprintf(want, sizeof want,
		 "interface 'audio.Effect': method 'process' has signature hash %s in the host, %s in the plugin\n",
		 hex_of(&a, "result(slice<const Frame>, slice<Frame>)"),
		 hex_of(&b, "result(slice<const Frame>)"));
	assert_refused(&h, &p, 0, want);
}

static void
test_break_slot_removed(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.effect_methods[1] = p.effect_methods[2];
	p.interfaces[EFFECT].n_methods = 2;
	assert_refused(&h, &p, 0,
		       "interface 'audio.Effect': slot 1 is method 'process' in the host, 'reset' in the plugin\n");
}

static void
test_break_slot_missing(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.interfaces[EFFECT].n_methods = 1;
	assert_refused(&h, &p, 0,
		       "interface 'audio.Effect': method 'process' (slot 1) is missing in the plugin, and not [since]\n");
	assert_refused(&p, &h, 0,
		       "interface 'audio.Effect': method 'process' (slot 1) is missing in the host, and not [since] in the plugin\n");

	/* An interface that is not [since] is missing. */
	model_init(&p);
	p.d.n_interfaces = 1;
	assert_refused(&h, &p, 0,
		       "interface 'audio.Node': missing in the plugin, and not [since]\n");
	assert_refused(&p, &h, 0,
		       "interface 'audio.Node': missing in the host, and not [since] in the plugin\n");
}

static void
test_break_interface_header(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.interfaces[EFFECT].iid.bytes[15] ^= 1;
	assert_refused(&h, &p, 0,
		       "interface 'audio.Effect': iid is 6f1c2a4e-9b1d-4c55-8f00-5a1e0c9d7b21 in the host, "
		       "6f1c2a4e-9b1d-4c55-8f00-5a1e0c9d7b20 in the plugin\n");

	model_init(&p);
	p.interfaces[EFFECT].base = "audio.Node";
	p.interfaces[EFFECT].flags = 0;
	p.interfaces[NODE].flags = 0;
	assert_refused(&h, &p, 0,
		       "interface 'audio.Effect': base is 'object' in the host, 'audio.Node' in the plugin\n"
		       "interface 'audio.Effect': is [threadsafe] in the host, not [threadsafe] in the plugin\n"
		       "interface 'audio.Node': is [base] in the host, not [base] in the plugin\n");
}

static void
test_break_module(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.d.module = "video";
	p.frame_fields[0].offset = 99;
	assert_refused(&h, &p, 0, "module 'audio': the plugin implements module 'video'\n");

	model_init(&p);
	p.d.major = 2;
	assert_refused(&h, &p, 0, "module 'audio': major version is 1 in the host, 2 in the plugin\n");

	model_init(&p);
	p.d.targets = "aarch64-linux";
	assert_refused(&h, &p, 0,
		       "module 'audio': targets are 'x86_64-linux' in the host, 'aarch64-linux' in the plugin, "
		       "none in common\n");
}

/* Rule 1: the target lists share a target, wherever it is in them. */
static void
test_targets_in_common(void **state)
{
	static const char *const shared[][2] = {
		{ "x86_64-linux", "x86_64-linux" },
		{ "x86_64-linux", "aarch64-linux x86_64-linux" },
		{ "x86_64-linux aarch64-linux", "aarch64-linux" },
		{ "i686-linux armv7-linux wasm32-wasi", "x86_64-linux wasm32-wasi riscv64-linux" },
		{ " x86_64-linux  ", "x86_64-linux" },
	};
	static const char *const apart[][2] = {
		{ "x86_64-linux", "aarch64-linux" },
		{ "x86_64-linux", "x86_64-linu" },
		{ "x86_64-linu", "x86_64-linux" },
		{ "x86_64", "x86_64-linux aarch64-linux" },
		{ "i686-linux armv7-linux", "x86_64-linux aarch64-linux" },
		{ "", "" },
		{ " ", "x86_64-linux" },
		{ "x86_64-linux", "" },
	};
	struct model h, p;
	char want[512];
	size_t i;
	(void)state;
	model_init(&h);
	model_init(&p);
	for (i = 0; i < sizeof shared / sizeof *shared; i++) {
		h.d.targets = shared[i][0];
		p.d.targets = shared[i][1];
		assert_compatible(&h, &p, 0);
		assert_compatible(&p, &h, 0);
	}
	for (i = 0; i < sizeof apart / sizeof *apart; i++) {
		h.d.targets = apart[i][0];
		p.d.targets = apart[i][1];
		/* Nothing else is compared. */
		p.frame_fields[0].offset = 99;
		snprintf(want, sizeof want,
			 "module 'audio': targets are '%s' in the host, '%s' in the plugin, none in common\n",
			 apart[i][0], apart[i][1]);
		assert_refused(&h, &p, 0, want);
	}
}

/* The problem holds both lists as texts, cut with "..." when long. */
static void
test_targets_problem_texts(void **state)
{
	static const char ten[] =
		"x86_64-linux aarch64-linux x86_64-windows i686-linux i686-windows "
		"armv7-linux riscv64-linux aarch64-macos x86_64-macos wasm32-wasi";
	struct model h, p;
	struct chitin_desc_report report;
	(void)state;
	model_init(&h);
	model_init(&p);
	h.d.targets = "i686-linux armv7-linux";
	p.d.targets = "x86_64-linux aarch64-linux";
	assert_int_equal(compare_alloc(&h.d, &p.d, 0, &report), 1);
	assert_int_equal(report.problems[0].kind, CHITIN_DESC_P_TARGET);
	assert_int_equal(report.problems[0].item_kind, CHITIN_DESC_ITEM_MODULE);
	assert_string_equal(report.problems[0].item, "audio");
	assert_string_equal(report.problems[0].expected, "i686-linux armv7-linux");
	assert_string_equal(report.problems[0].found, "x86_64-linux aarch64-linux");

	/* Ten targets but not the host's one. */
	h.d.targets = "sparc64-linux";
	p.d.targets = ten;
	assert_int_equal(compare_alloc(&h.d, &p.d, 0, &report), 1);
	assert_int_equal(strlen(report.problems[0].found), CHITIN_DESC_TEXT - 1);
	assert_memory_equal(report.problems[0].found, ten, CHITIN_DESC_TEXT - 4);
	assert_string_equal(report.problems[0].found + CHITIN_DESC_TEXT - 4, "...");
	/* With it, anywhere in the list. */
	h.d.targets = "wasm32-wasi";
	assert_compatible(&h, &p, 0);
	h.d.targets = "armv7-linux";
	assert_compatible(&h, &p, 0);
}

static void
test_break_minor_below_required(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init_1_1(&p);
	assert_compatible(&h, &p, 1);
	assert_refused(&h, &p, 2,
		       "module 'audio': the host requires version 1.2 or later, the plugin is 1.1\n");
}

static void
test_break_import_major(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.imports[0].minor = 0;      /* minors may differ */
	p.d.n_imports = 1;           /* so may the set */
	assert_compatible(&h, &p, 0);
	p.imports[0].major = 2;
	assert_refused(&h, &p, 0, "import 'dsp': major version is 1 in the host, 2 in the plugin\n");
}

static void
test_break_type_missing(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.types[FRAME].name = "Frame2";
	assert_refused(&h, &p, 0,
		       "type 'audio.Frame': missing in the plugin, and not [since]\n"
		       "type 'audio.Frame2': missing in the host, and not [since] in the plugin\n");
}

static void
test_break_export_signature(void **state)
{
	struct model h, p;
	struct hex a, b;
	char want[512];
	(void)state;
	model_init(&h);
	model_init(&p);
	p.exports[0].signature_hash = hash_of("Effect(str)");
	p.exports[1].symbol = "audio_version";
	snprintf(want, sizeof want,
		 "export 'audio.create_effect': signature hash is %s in the host, %s in the plugin\n"
		 "export 'audio.version': symbol is 'my_plugin_version' in the host, 'audio_version' in the plugin\n",
		 hex_of(&a, "Effect(str, LogFn)"), hex_of(&b, "Effect(str)"));
	assert_refused(&h, &p, 0, want);
}

static void
test_break_export_missing(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.d.exports = p.exports + 1;
	p.d.n_exports = 1;
	assert_refused(&h, &p, 0,
		       "export 'audio.create_effect': missing in the plugin, and not [since]\n"
		       "export 'audio.version': is entry 1 of the exports table in the host, entry 0 in the plugin\n");
	/* A plugin may export more than the host knows, [since] or not. */
	model_init(&p);
	p.exports[1].flags = 0;
	h.d.exports = h.exports;
	h.d.n_exports = 1;
	assert_compatible(&h, &p, 0);
}

static void
test_break_export_table_order(void **state)
{
	struct model h, p;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.exports[0] = h.exports[1];
	p.exports[1] = h.exports[0];
	assert_refused(&h, &p, 0,
		       "export 'audio.create_effect': is entry 0 of the exports table in the host, entry 1 in the plugin\n"
		       "export 'audio.version': is entry 1 of the exports table in the host, entry 0 in the plugin\n");

	/* Another export in the entry of a [since] one. */
	model_init(&p);
	p.exports[1].name = "latency";
	assert_refused(&h, &p, 0,
		       "export 'audio.version': entry 1 of the exports table is 'version' in the host, 'latency' in the plugin\n");
}

/* More problems than the report holds: the first ones are kept, the rest
 * counted. */
static void
test_report_overflow(void **state)
{
	static const char *const renamed[7] = {
		"Renamed0", "Renamed1", "Renamed2", "Renamed3", "Renamed4", "Renamed5", "Renamed6",
	};
	struct model h, p;
	struct chitin_desc_report report;
	char text[8192], line[256];
	uint32_t n, i;
	size_t len;
	(void)state;
	model_init(&h);
	model_init(&p);
	for (i = 0; i < 7; i++)
		p.types[i].name = renamed[i];
	p.d.n_exports = 0;
	p.interfaces[EFFECT].name = "X";
	p.interfaces[NODE].name = "Y";
	p.imports[0].major = 7;
	p.imports[1].major = 7;
	n = compare_alloc(&h.d, &p.d, 0, &report);
	/* 2 imports; 5 types (not interfaces) missing each way; 2
	 * interfaces missing each way; create_effect. */
	assert_int_equal(n, 2 + 5 + 5 + 2 + 2 + 1);
	assert_int_equal(report.n_problems, CHITIN_DESC_MAX_PROBLEMS);
	assert_int_not_equal(report.more, 0);
	len = chitin_desc_format_report(&report, text, sizeof text);
	assert_int_equal(len, strlen(text));
	assert_non_null(strstr(text, "\n(more problems not shown)\n"));
	chitin_desc_format_problem(&report.problems[0], line, sizeof line);
	assert_string_equal(line, "import 'dsp': major version is 1 in the host, 7 in the plugin");
}

/* The formatters behave like snprintf. */
static void
test_report_format_small_buffers(void **state)
{
	struct model h, p;
	struct chitin_desc_report report;
	char full[1024], small[16];
	size_t len, size;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.d.major = 2;
	compare_alloc(&h.d, &p.d, 0, &report);
	len = chitin_desc_format_report(&report, full, sizeof full);
	assert_int_equal(len, strlen(full));
	for (size = 0; size <= sizeof small; size++) {
		memset(small, 'x', sizeof small);
		assert_int_equal(chitin_desc_format_report(&report, small, size), len);
		if (size > 0) {
			assert_int_equal(strlen(small), size - 1);
			assert_memory_equal(small, full, size - 1);
		} else {
			assert_int_equal(small[0], 'x');
		}
	}
	assert_int_equal(chitin_desc_format_report(&report, NULL, 0), len);
}

/* Names too long for the report's buffers are cut with "...". */
static void
test_report_long_names(void **state)
{
	struct model h, p;
	struct chitin_desc_report report;
	char name[300], line[512];
	(void)state;
	memset(name, 'n', sizeof name - 1);
	name[sizeof name - 1] = '\0';
	model_init(&h);
	model_init(&p);
	h.types[FRAME].name = name;
	p.types[FRAME].name = name;
	h.frame_fields[1].name = name;
	p.frame_fields[1].name = name;
	p.frame_fields[1].offset = 8;
	relayout(&p.types[FRAME]);
	assert_int_equal(compare_alloc(&h.d, &p.d, 0, &report), 1);
	assert_int_equal(strlen(report.problems[0].item), CHITIN_DESC_ITEM_TEXT - 1);
	assert_string_equal(report.problems[0].item + CHITIN_DESC_ITEM_TEXT - 4, "...");
	assert_memory_equal(report.problems[0].item, "audio.nnn", 9);
	assert_int_equal(strlen(report.problems[0].member), CHITIN_DESC_TEXT - 1);
	chitin_desc_format_problem(&report.problems[0], line, sizeof line);
	assert_non_null(strstr(line, "...' is at offset 4 in the host, 8 in the plugin"));

	/* A problem built by hand without NULs is read within its buffers. */
	memset(&report.problems[0], 'z', sizeof report.problems[0]);
	report.problems[0].kind = CHITIN_DESC_P_SIZE;
	report.problems[0].item_kind = CHITIN_DESC_ITEM_TYPE;
	assert_int_equal(chitin_desc_format_problem(&report.problems[0], line, sizeof line),
			 strlen("type '': size is  in the host,  in the plugin") +
				 CHITIN_DESC_ITEM_TEXT + 2 * CHITIN_DESC_TEXT);
	report.problems[0].kind = (enum chitin_desc_problem_kind)1000;
	chitin_desc_format_problem(&report.problems[0], line, sizeof line);
	assert_non_null(strstr(line, "': unknown problem"));
}

/* The structured side of a problem, for callers that act on it. */
static void
test_report_structure(void **state)
{
	struct model h, p;
	struct chitin_desc_report report;
	const struct chitin_desc_problem *pr;
	(void)state;
	model_init(&h);
	model_init(&p);
	p.frame_fields[1].offset = 8;
	relayout(&p.types[FRAME]);
	assert_int_equal(compare_alloc(&h.d, &p.d, 0, &report), 1);
	pr = &report.problems[0];
	assert_int_equal(pr->kind, CHITIN_DESC_P_FIELD_OFFSET);
	assert_int_equal(pr->item_kind, CHITIN_DESC_ITEM_TYPE);
	assert_string_equal(pr->item, "audio.Frame");
	assert_string_equal(pr->member, "right");
	assert_string_equal(pr->expected, "4");
	assert_string_equal(pr->found, "8");
}

/* The n items of size bytes at items copied to copy, followed by another
 * copy of item k: a list that holds k's name twice. */
static void *
repeating(void *copy, const void *items, size_t n, size_t size, size_t k)
{
	memcpy(copy, items, n * size);
	memcpy((char *)copy + n * size, (const char *)items + k * size, size);
	return copy;
}

/* text with "in the host" and "in the plugin" swapped: the problems of
 * a comparison the other way round, when each list has one. */
static const char *
swapped_sides(const char *text)
{
	static char out[4096];
	static const char host[] = "in the host", plugin[] = "in the plugin";
	size_t at = 0;

	while (*text) {
		assert_true(at + sizeof plugin < sizeof out);
		if (strncmp(text, host, sizeof host - 1) == 0) {
			at += (size_t)sprintf(out + at, "%s", plugin);
			text += sizeof host - 1;
		} else if (strncmp(text, plugin, sizeof plugin - 1) == 0) {
			at += (size_t)sprintf(out + at, "%s", host);
			text += sizeof plugin - 1;
		} else {
			out[at++] = *text++;
		}
	}
	out[at] = '\0';
	return out;
}

/* No list holds a name twice: each repeat is reported once for its name
 * and side, and left out.  The repeats here are copies, so which of them
 * is the first does not matter, in any order. */
static void
test_break_duplicates(void **state)
{
	struct model h, p;
	struct chitin_desc_import imports[3];
	struct chitin_desc_type types[9];
	struct chitin_desc_interface interfaces[3];
	struct chitin_desc_export exports[3];
	struct chitin_desc_field frame_fields[3], settings_fields[4];
	struct chitin_desc_variant format_values[4], event_variants[5];
	const char *want;
	(void)state;
	model_init(&h);
	model_init(&p);
	/* A fixed struct's fields are read when its layout differs. */
	relayout(&p.types[FRAME]);
	p.types[FRAME].fields = repeating(frame_fields, p.frame_fields, 2, sizeof *frame_fields, 0);
	p.types[FRAME].n_fields = 3;
	h.types[SETTINGS].fields =
		repeating(settings_fields, h.settings_fields, 3, sizeof *settings_fields, 1);
	h.types[SETTINGS].n_fields = 4;
	p.types[FORMAT].variants =
		repeating(format_values, p.format_values, 3, sizeof *format_values, 0);
	p.types[FORMAT].n_variants = 4;
	h.types[EVENT].variants =
		repeating(event_variants, h.event_variants, 4, sizeof *event_variants, 2);
	h.types[EVENT].n_variants = 5;
	h.d.imports = repeating(imports, h.imports, 2, sizeof *imports, 0);
	h.d.n_imports = 3;
	/* Three of one name: reported once. */
	repeating(types, p.types, 7, sizeof *types, FRAME);
	types[8] = types[FRAME];
	p.d.types = types;
	p.d.n_types = 9;
	p.d.interfaces = repeating(interfaces, p.interfaces, 2, sizeof *interfaces, NODE);
	p.d.n_interfaces = 3;
	h.d.exports = repeating(exports, h.exports, 2, sizeof *exports, 0);
	h.d.n_exports = 3;
	want = "import 'dsp': appears more than once in the host\n"
	       "type 'audio.Frame': field 'left' appears more than once in the plugin\n"
	       "type 'audio.Settings': field 'channels' appears more than once in the host\n"
	       "type 'audio.Format': variant 'S16' appears more than once in the plugin\n"
	       "type 'audio.Event': variant 'Failed' appears more than once in the host\n"
	       "type 'audio.Frame': appears more than once in the plugin\n"
	       "interface 'audio.Node': appears more than once in the plugin\n"
	       "export 'audio.create_effect': appears more than once in the host\n";
	assert_refused(&h, &p, 0, want);
	assert_refused(&p, &h, 0, swapped_sides(want));
}

/* Without the work memory it needs, the comparison refuses the plugin
 * and says why; with it, at any address, it compares. */
static void
test_work_too_small(void **state)
{
	struct model h, p;
	struct chitin_desc_report report;
	size_t size;
	char want[256], line[256];
	uint8_t *work;
	(void)state;
	model_init(&h);
	model_init(&p);
	size = chitin_desc_compare_work_size(&h.d, &p.d);
	assert_true(size > 0);
	work = xmalloc(size);
	assert_int_equal(chitin_desc_compare(&h.d, &p.d, 0, &report, work, size), 0);
	assert_int_equal(chitin_desc_compare(&h.d, &p.d, 0, &report, work, size - 1), 1);
	assert_int_equal(report.n_problems, 1);
	assert_int_equal(report.problems[0].kind, CHITIN_DESC_P_WORK);
	assert_int_equal(report.problems[0].item_kind, CHITIN_DESC_ITEM_MODULE);
	chitin_desc_format_problem(&report.problems[0], line, sizeof line);
	snprintf(want, sizeof want,
		 "module 'audio': not compared: the comparison needs %zu bytes of work memory, "
		 "it was given %zu", size, size - 1);
	assert_string_equal(line, want);
	note_kinds(&report);
	assert_int_equal(chitin_desc_compare(&h.d, &p.d, 0, &report, NULL, size), 1);
	chitin_desc_format_problem(&report.problems[0], line, sizeof line);
	snprintf(want, sizeof want,
		 "module 'audio': not compared: the comparison needs %zu bytes of work memory, "
		 "it was given 0", size);
	assert_string_equal(line, want);
	assert_int_equal(chitin_desc_compare(&h.d, &p.d, 0, NULL, NULL, 0), 1);
	free(work);
}

/* Every kind of problem was found above, the items in several orders
 * (report_text). */
static void
test_every_kind_found(void **state)
{
	static const char *const names[CHITIN_DESC_N_PROBLEM_KINDS] = {
#define NAME(name, sentence) [CHITIN_DESC_P_##name] = #name,
		CHITIN_DESC_PROBLEMS(NAME)
#undef NAME
	};
	int kind;
	(void)state;
	for (kind = 0; kind < CHITIN_DESC_N_PROBLEM_KINDS; kind++)
		if (!kinds_found[kind])
			fail_msg("no test found a problem of kind %s", names[kind]);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_compat_identical),
		cmocka_unit_test(test_compat_layout_classes),
		cmocka_unit_test(test_compat_minor_versions),
		cmocka_unit_test(test_compat_since_field),
		cmocka_unit_test(test_compat_since_method),
		cmocka_unit_test(test_compat_since_variant),
		cmocka_unit_test(test_compat_since_export),
		cmocka_unit_test(test_compat_new_enum_value),
		cmocka_unit_test(test_compat_since_items_missing),
		cmocka_unit_test(test_break_field_offset),
		cmocka_unit_test(test_break_size),
		cmocka_unit_test(test_break_field_type),
		cmocka_unit_test(test_break_fields_by_name),
		cmocka_unit_test(test_break_layout_hash_only),
		cmocka_unit_test(test_break_kind_and_flags),
		cmocka_unit_test(test_break_type_id),
		cmocka_unit_test(test_break_callback_signature),
		cmocka_unit_test(test_break_resilient_fields),
		cmocka_unit_test(test_break_enum_value),
		cmocka_unit_test(test_break_variant_tag),
		cmocka_unit_test(test_break_variant_payload),
		cmocka_unit_test(test_break_variant_missing_or_clash),
		cmocka_unit_test(test_break_slot_signature),
		cmocka_unit_test(test_break_slot_removed),
		cmocka_unit_test(test_break_slot_missing),
		cmocka_unit_test(test_break_interface_header),
		cmocka_unit_test(test_break_module),
		cmocka_unit_test(test_targets_in_common),
		cmocka_unit_test(test_targets_problem_texts),
		cmocka_unit_test(test_break_minor_below_required),
		cmocka_unit_test(test_break_import_major),
		cmocka_unit_test(test_break_type_missing),
		cmocka_unit_test(test_break_export_signature),
		cmocka_unit_test(test_break_export_missing),
		cmocka_unit_test(test_break_export_table_order),
		cmocka_unit_test(test_report_overflow),
		cmocka_unit_test(test_report_format_small_buffers),
		cmocka_unit_test(test_report_long_names),
		cmocka_unit_test(test_report_structure),
		cmocka_unit_test(test_break_duplicates),
		cmocka_unit_test(test_work_too_small),
		/* Last: it reads what the others found. */
		cmocka_unit_test(test_every_kind_found),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
