/* The descriptor tests' shared model and helpers: see desc_model.h. */
#include "desc_model.h"
#include "../desc_equal.h"

#include <stdlib.h>
#include <string.h>

chitin_hash128
hash_of(const char *s)
{
	chitin_hash128 h;
	chitin_hash128_of(s, strlen(s), &h);
	return h;
}

chitin_hash128
hash_of2(const char *prefix, const char *name)
{
	struct chitin_sha1_ctx ctx;
	uint8_t digest[CHITIN_SHA1_DIGEST_SIZE];
	chitin_hash128 h;
	chitin_sha1_init(&ctx);
	chitin_sha1_update(&ctx, prefix, strlen(prefix));
	chitin_sha1_update(&ctx, name, strlen(name));
	chitin_sha1_final(&ctx, digest);
	memcpy(h.bytes, digest, sizeof h.bytes);
	return h;
}

const char *
hex_of(struct hex *h, const char *hashed)
{
	chitin_hash128 v = hash_of(hashed);
	chitin_hash128_to_hex(&v, h->s);
	return h->s;
}

void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	assert_non_null(p);
	return p;
}

char *
xstrdup(const char *s)
{
	char *copy = xmalloc(strlen(s) + 1);
	strcpy(copy, s);
	return copy;
}

/* ---- The model ---------------------------------------------------------- */

const chitin_hash128 effect_iid = { { 0x6f, 0x1c, 0x2a, 0x4e, 0x9b, 0x1d, 0x4c, 0x55,
				      0x8f, 0x00, 0x5a, 0x1e, 0x0c, 0x9d, 0x7b, 0x21 } };
const chitin_hash128 node_iid = { { 0x3d, 0x2b, 0x8f, 0x0e, 0x6c, 0x1a, 0x4e, 0x5b,
				    0x9f, 0x7d, 0x2a, 0x4c, 0x6e, 0x8b, 0x0d, 0x13 } };

void
set_field(struct chitin_desc_field *f, const char *name, uint64_t offset,
	  uint64_t size, const char *type)
{
	f->name = name;
	f->offset = offset;
	f->size = size;
	f->type_hash = hash_of(type);
	f->flags = 0;
	f->since_minor = 0;
}

static void
set_variant(struct chitin_desc_variant *v, const char *name, uint64_t value,
	    const char *payload)
{
	v->name = name;
	v->value = value;
	v->flags = payload ? CHITIN_DESC_PAYLOAD : 0;
	if (payload)
		v->payload_hash = hash_of(payload);
	v->since_minor = 0;
}

static void
set_type(struct chitin_desc_type *t, const char *name, enum chitin_desc_kind kind,
	 uint64_t size, uint32_t align)
{
	t->name = name;
	t->kind = kind;
	t->size = size;
	t->align = align;
	chitin_type_id("audio", name, 1, &t->type_id);
	t->layout_hash = hash_of2("layout:", name);
}

void
relayout(struct chitin_desc_type *t)
{
	t->layout_hash = hash_of2("changed layout:", t->name);
}

static void
set_method(struct chitin_desc_method *m, const char *name, const char *signature)
{
	m->name = name;
	m->signature_hash = hash_of(signature);
}

void
model_init(struct model *m)
{
	struct chitin_desc_type *t;

	memset(m, 0, sizeof *m);
	m->d.format = CHITIN_DESC_FORMAT;
	m->d.module = "audio";
	m->d.major = 1;
	m->d.minor = 2;
	m->d.targets = "x86_64-linux";

	m->imports[0].module = "dsp";
	m->imports[0].major = 1;
	m->imports[0].minor = 3;
	m->imports[1].module = "util";
	m->imports[1].major = 2;
	m->imports[1].minor = 0;

	t = &m->types[FRAME];
	set_type(t, "Frame", CHITIN_DESC_STRUCT, 8, 4);
	set_field(&m->frame_fields[0], "left", 0, 4, "f32");
	set_field(&m->frame_fields[1], "right", 4, 4, "f32");
	t->fields = m->frame_fields;
	t->n_fields = 2;

	t = &m->types[SETTINGS];
	set_type(t, "Settings", CHITIN_DESC_STRUCT, 16, 4);
	t->flags = CHITIN_DESC_RESILIENT;
	set_field(&m->settings_fields[0], "sample_rate", 0, 4, "u32");
	set_field(&m->settings_fields[1], "channels", 4, 2, "u16");
	set_field(&m->settings_fields[2], "latency_ms", 8, 8, "option<u32>");
	m->settings_fields[2].flags = CHITIN_DESC_SINCE;
	m->settings_fields[2].since_minor = 2;
	t->fields = m->settings_fields;
	t->n_fields = 3;

	t = &m->types[FORMAT];
	set_type(t, "Format", CHITIN_DESC_ENUM, 1, 1);
	set_variant(&m->format_values[0], "S16", 1, NULL);
	set_variant(&m->format_values[1], "F32", 2, NULL);
	set_variant(&m->format_values[2], "F64", 3, NULL);
	m->format_values[2].flags = CHITIN_DESC_SINCE;
	m->format_values[2].since_minor = 2;
	t->variants = m->format_values;
	t->n_variants = 3;

	t = &m->types[EVENT];
	set_type(t, "Event", CHITIN_DESC_DATA_ENUM, 24, 8);
	set_field(&m->event_fields[0], "tag", 0, 4, "u32");
	set_field(&m->event_fields[1], "payload", 8, 16, "Event.payload");
	set_variant(&m->event_variants[0], "Started", 0, NULL);
	set_variant(&m->event_variants[1], "Samples", 1, "{slice<const f32>}");
	set_variant(&m->event_variants[2], "Failed", 2, "{i32, str}");
	set_variant(&m->event_variants[3], "Paused", 3, NULL);
	m->event_variants[3].flags = CHITIN_DESC_SINCE;
	m->event_variants[3].since_minor = 2;
	t->fields = m->event_fields;
	t->n_fields = 2;
	t->variants = m->event_variants;
	t->n_variants = 4;

	t = &m->types[LOGFN];
	set_type(t, "LogFn", CHITIN_DESC_CALLBACK, 24, 8);
	t->signature_hash = hash_of("void(str)");

	t = &m->types[EFFECT_TYPE];
	set_type(t, "Effect", CHITIN_DESC_INTERFACE, 8, 8);
	t->type_id = effect_iid;
	t = &m->types[NODE_TYPE];
	set_type(t, "Node", CHITIN_DESC_INTERFACE, 8, 8);
	t->type_id = node_iid;

	m->interfaces[EFFECT].name = "Effect";
	m->interfaces[EFFECT].iid = effect_iid;
	m->interfaces[EFFECT].base = "object";
	m->interfaces[EFFECT].flags = CHITIN_DESC_THREADSAFE;
	set_method(&m->effect_methods[0], "channels", "u32()");
	set_method(&m->effect_methods[1], "process", "result(slice<const Frame>, slice<Frame>)");
	set_method(&m->effect_methods[2], "reset", "void()");
	m->effect_methods[2].flags = CHITIN_DESC_SINCE;
	m->effect_methods[2].since_minor = 1;
	m->interfaces[EFFECT].methods = m->effect_methods;
	m->interfaces[EFFECT].n_methods = 3;

	m->interfaces[NODE].name = "Node";
	m->interfaces[NODE].iid = node_iid;
	m->interfaces[NODE].base = "object";
	m->interfaces[NODE].flags = CHITIN_DESC_BASE;
	set_method(&m->node_methods[0], "name", "string()");
	m->interfaces[NODE].methods = m->node_methods;
	m->interfaces[NODE].n_methods = 1;

	m->exports[0].name = "create_effect";
	m->exports[0].symbol = "audio_create_effect";
	m->exports[0].signature_hash = hash_of("Effect(str, LogFn)");
	m->exports[1].name = "version";
	m->exports[1].symbol = "my_plugin_version";
	m->exports[1].signature_hash = hash_of("u32()");
	m->exports[1].flags = CHITIN_DESC_SINCE;
	m->exports[1].since_minor = 2;

	m->d.imports = m->imports;
	m->d.n_imports = 2;
	m->d.types = m->types;
	m->d.n_types = 7;
	m->d.interfaces = m->interfaces;
	m->d.n_interfaces = 2;
	m->d.exports = m->exports;
	m->d.n_exports = 2;
}

void
model_init_1_1(struct model *m)
{
	model_init(m);
	m->d.minor = 1;
	m->types[SETTINGS].n_fields = 2;
	m->types[FORMAT].n_variants = 2;
	m->types[EVENT].n_variants = 3;
	m->d.n_exports = 1;
}

void
model_init_32(struct model *m, const char *targets)
{
	uint32_t i;

	model_init(m);
	m->d.targets = targets;
	for (i = 0; i < 7; i++)
		m->types[i].layout_hash = hash_of2("layout32:", m->types[i].name);
	m->types[EVENT].size = 20;
	m->types[EVENT].align = 4;
	set_field(&m->event_fields[1], "payload", 4, 16, "Event.payload32");
	m->event_variants[1].payload_hash = hash_of("{slice<const f32>}32");
	m->types[LOGFN].size = 12;
	m->types[LOGFN].align = 4;
	m->types[LOGFN].signature_hash = hash_of("void(str)32");
	m->types[EFFECT_TYPE].size = 4;
	m->types[EFFECT_TYPE].align = 4;
	m->types[NODE_TYPE].size = 4;
	m->types[NODE_TYPE].align = 4;
	m->effect_methods[1].signature_hash = hash_of("result(slice<const Frame>, slice<Frame>)32");
	m->exports[0].signature_hash = hash_of("Effect(str, LogFn)32");
}

/* ---- Deep equality --------------------------------------------------- */

void
assert_hash_equal(const chitin_hash128 *a, const chitin_hash128 *b)
{
	assert_memory_equal(a->bytes, b->bytes, sizeof a->bytes);
}

void
assert_desc_equal(const struct chitin_descriptor *a, const struct chitin_descriptor *b)
{
	char why[1024];
	if (!desc_equal(a, b, true, why, sizeof why))
		fail_msg("descriptors differ: %s", why);
}

/* ---- Encoding and decoding -------------------------------------------- */

uint8_t *
encode_classes_alloc(const struct chitin_descriptor *classes, uint32_t n, uint32_t which,
		     size_t *size, size_t *common_size)
{
	size_t work_size = chitin_desc_encode_work_size(classes, n), common = 0;
	void *work;
	uint8_t *blob;

	assert_true(work_size > 0);
	work = xmalloc(work_size);
	*size = chitin_desc_encode(classes, n, which, NULL, 0, &common, work, work_size);
	assert_true(*size > 0);
	blob = xmalloc(*size);
	assert_int_equal(chitin_desc_encode(classes, n, which, blob, *size, NULL, work, work_size),
			 *size);
	free(work);
	if (common_size)
		*common_size = common;
	return blob;
}

uint8_t *
encode_alloc(const struct chitin_descriptor *d, size_t *size)
{
	return encode_classes_alloc(d, 1, 0, size, NULL);
}

enum chitin_desc_status
decode_alloc(const uint8_t *blob, size_t size, struct decoded *out)
{
	enum chitin_desc_status status;
	size_t needed = 12345;

	out->scratch = NULL;
	status = chitin_desc_decode(blob, size, NULL, 0, &out->d, &needed);
	if (status != CHITIN_DESC_SCRATCH_TOO_SMALL) {
		assert_int_not_equal(status, CHITIN_DESC_OK);
		assert_int_equal(needed, 0);
		return status;
	}
	assert_true(needed < SCRATCH_BOUND(size));
	out->scratch = xmalloc(needed);
	status = chitin_desc_decode(blob, size, out->scratch, needed, &out->d, NULL);
	assert_int_equal(status, CHITIN_DESC_OK);
	return status;
}

void
decoded_free(struct decoded *d)
{
	free(d->scratch);
	d->scratch = NULL;
}

uint32_t
compare_alloc(const struct chitin_descriptor *host, const struct chitin_descriptor *plugin,
	      uint16_t required_minor, struct chitin_desc_report *report)
{
	static char text[2][8192];
	struct chitin_desc_report again;
	size_t size = chitin_desc_compare_work_size(host, plugin);
	uint8_t *work;
	uint32_t n;

	assert_true(size < SIZE_MAX);
	work = xmalloc(size + 3);
	n = chitin_desc_compare(host, plugin, required_minor, report, work + 3, size);
	assert_int_equal(chitin_desc_compare(host, plugin, required_minor, &again, work, size), n);
	if (report) {
		chitin_desc_format_report(report, text[0], sizeof text[0]);
		chitin_desc_format_report(&again, text[1], sizeof text[1]);
		assert_string_equal(text[0], text[1]);
	}
	free(work);
	return n;
}

/* ---- Other orders --------------------------------------------------------- */

/* xorshift64*; never 0 from a seed that is not. */
static uint64_t
next_random(uint64_t *state)
{
	*state ^= *state >> 12;
	*state ^= *state << 25;
	*state ^= *state >> 27;
	return *state * UINT64_C(0x2545F4914F6CDD1D);
}

/* Shuffles n items of size bytes (Fisher-Yates). */
static void
shuffle(void *items, size_t n, size_t size, uint64_t *state)
{
	unsigned char *base = items, tmp[256];
	size_t i;
	assert_true(size <= sizeof tmp);
	for (i = n; i > 1; i--) {
		size_t j = (size_t)(next_random(state) % i);
		memcpy(tmp, base + (i - 1) * size, size);
		memcpy(base + (i - 1) * size, base + j * size, size);
		memcpy(base + j * size, tmp, size);
	}
}

/* A copy of n items of size bytes, shuffled when shuffled. */
static void *
copy_items(const void *items, size_t n, size_t size, int shuffled, uint64_t *state)
{
	void *copy = xmalloc(n * size);
	if (n)
		memcpy(copy, items, n * size);
	if (shuffled)
		shuffle(copy, n, size, state);
	return copy;
}

void
reorder(const struct chitin_descriptor *d, uint64_t seed, struct reordered *out)
{
	struct chitin_desc_type *types;
	struct chitin_desc_field *fields;
	struct chitin_desc_variant *variants;
	uint64_t state = seed | 1;
	size_t n_fields = 0, n_variants = 0;
	uint32_t i;

	for (i = 0; i < d->n_types; i++) {
		n_fields += d->types[i].n_fields;
		n_variants += d->types[i].n_variants;
	}
	out->d = *d;
	types = copy_items(d->types, d->n_types, sizeof *types, 0, &state);
	fields = xmalloc(n_fields * sizeof *fields);
	variants = xmalloc(n_variants * sizeof *variants);
	n_fields = n_variants = 0;
	for (i = 0; i < d->n_types; i++) {
		struct chitin_desc_type *t = &types[i];
		if (t->n_fields)
			memcpy(fields + n_fields, t->fields, t->n_fields * sizeof *fields);
		if (!(t->flags & CHITIN_DESC_RESILIENT))
			shuffle(fields + n_fields, t->n_fields, sizeof *fields, &state);
		t->fields = fields + n_fields;
		n_fields += t->n_fields;
		if (t->n_variants)
			memcpy(variants + n_variants, t->variants, t->n_variants * sizeof *variants);
		shuffle(variants + n_variants, t->n_variants, sizeof *variants, &state);
		t->variants = variants + n_variants;
		n_variants += t->n_variants;
	}
	shuffle(types, d->n_types, sizeof *types, &state);
	out->d.types = types;
	out->d.imports = out->arrays[3] =
		copy_items(d->imports, d->n_imports, sizeof *d->imports, 1, &state);
	out->d.interfaces = out->arrays[4] =
		copy_items(d->interfaces, d->n_interfaces, sizeof *d->interfaces, 1, &state);
	out->arrays[0] = types;
	out->arrays[1] = fields;
	out->arrays[2] = variants;
}

void
reordered_free(struct reordered *r)
{
	size_t i;
	for (i = 0; i < sizeof r->arrays / sizeof r->arrays[0]; i++) {
		free(r->arrays[i]);
		r->arrays[i] = NULL;
	}
}
