/* Descriptors: the blob (round trips, determinism, the byte-exact vector
 * of doc/descriptor.md, later revisions, truncated and corrupted input,
 * scratch memory) and the load-time comparison with its report. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "chitin/descriptor.h"

/* ---- Helpers ----------------------------------------------------------- */

static chitin_hash128
hash_of(const char *s)
{
	chitin_hash128 h;
	chitin_hash128_of(s, strlen(s), &h);
	return h;
}

/* The hash of prefix followed by name. */
static chitin_hash128
hash_of2(const char *prefix, const char *name)
{
	struct chitin_sha1 ctx;
	uint8_t digest[CHITIN_SHA1_DIGEST_SIZE];
	chitin_hash128 h;
	chitin_sha1_init(&ctx);
	chitin_sha1_update(&ctx, prefix, strlen(prefix));
	chitin_sha1_update(&ctx, name, strlen(name));
	chitin_sha1_final(&ctx, digest);
	memcpy(h.bytes, digest, sizeof h.bytes);
	return h;
}

/* A hash in the report's text form; valid until the next call with the
 * same buffer. */
struct hex {
	char s[CHITIN_HEX128_TEXT_SIZE];
};

static const char *
hex_of(struct hex *h, const char *hashed)
{
	chitin_hash128 v = hash_of(hashed);
	chitin_hash128_to_hex(&v, h->s);
	return h->s;
}

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	assert_non_null(p);
	return p;
}

static uint16_t
rd16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
rd32(const uint8_t *p)
{
	return (uint32_t)rd16(p) | (uint32_t)rd16(p + 2) << 16;
}

static void
wr16(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
wr32(uint8_t *p, uint32_t v)
{
	wr16(p, v & 0xffff);
	wr16(p + 2, v >> 16);
}

/* ---- A descriptor with every section ------------------------------------ */

/* Module audio 1.2 on x86_64-linux, like the sample SDK of samples/audio.
 * Hashes are SHA-1 prefixes of readable stand-ins: the comparator only
 * compares them. */
struct model {
	struct chitin_desc_import imports[2];
	struct chitin_desc_field frame_fields[2];
	struct chitin_desc_field settings_fields[3];
	struct chitin_desc_field event_fields[2];
	struct chitin_desc_variant format_values[3];
	struct chitin_desc_variant event_variants[4];
	struct chitin_desc_type types[7];
	struct chitin_desc_method effect_methods[3];
	struct chitin_desc_method node_methods[1];
	struct chitin_desc_interface interfaces[2];
	struct chitin_desc_export exports[2];
	struct chitin_descriptor d;
};

enum { FRAME, SETTINGS, FORMAT, EVENT, LOGFN, EFFECT_TYPE, NODE_TYPE };
enum { EFFECT, NODE };

static const chitin_hash128 effect_iid = { { 0x6f, 0x1c, 0x2a, 0x4e, 0x9b, 0x1d, 0x4c, 0x55,
					     0x8f, 0x00, 0x5a, 0x1e, 0x0c, 0x9d, 0x7b, 0x21 } };
static const chitin_hash128 node_iid = { { 0x3d, 0x2b, 0x8f, 0x0e, 0x6c, 0x1a, 0x4e, 0x5b,
					   0x9f, 0x7d, 0x2a, 0x4c, 0x6e, 0x8b, 0x0d, 0x13 } };

static void
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

/* Makes t's layout hash differ from the model's, as a layout change does. */
static void
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

static void
model_init(struct model *m)
{
	struct chitin_desc_type *t;

	memset(m, 0, sizeof *m);
	m->d.format = CHITIN_DESC_FORMAT;
	m->d.module = "audio";
	m->d.major = 1;
	m->d.minor = 2;
	m->d.target = "x86_64-linux";

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

/* The same module as version 1.1 declared it: without the [since(1.2)]
 * items. */
static void
model_init_1_1(struct model *m)
{
	model_init(m);
	m->d.minor = 1;
	m->types[SETTINGS].n_fields = 2;
	m->types[FORMAT].n_variants = 2;
	m->types[EVENT].n_variants = 3;
	m->d.n_exports = 1;
}

/* ---- Deep equality --------------------------------------------------- */

static void
assert_hash_equal(const chitin_hash128 *a, const chitin_hash128 *b)
{
	assert_memory_equal(a->bytes, b->bytes, sizeof a->bytes);
}

static void
assert_desc_equal(const struct chitin_descriptor *a, const struct chitin_descriptor *b)
{
	uint32_t i, k;

	assert_string_equal(a->module, b->module);
	assert_string_equal(a->target, b->target);
	assert_int_equal(a->major, b->major);
	assert_int_equal(a->minor, b->minor);

	assert_int_equal(a->n_imports, b->n_imports);
	for (i = 0; i < a->n_imports; i++) {
		assert_string_equal(a->imports[i].module, b->imports[i].module);
		assert_int_equal(a->imports[i].major, b->imports[i].major);
		assert_int_equal(a->imports[i].minor, b->imports[i].minor);
	}

	assert_int_equal(a->n_types, b->n_types);
	for (i = 0; i < a->n_types; i++) {
		const struct chitin_desc_type *ta = &a->types[i], *tb = &b->types[i];
		assert_string_equal(ta->name, tb->name);
		assert_int_equal(ta->kind, tb->kind);
		assert_int_equal(ta->flags, tb->flags);
		assert_int_equal(ta->since_minor, tb->since_minor);
		assert_hash_equal(&ta->type_id, &tb->type_id);
		assert_hash_equal(&ta->layout_hash, &tb->layout_hash);
		assert_hash_equal(&ta->signature_hash, &tb->signature_hash);
		assert_int_equal(ta->size, tb->size);
		assert_int_equal(ta->align, tb->align);
		assert_int_equal(ta->n_fields, tb->n_fields);
		for (k = 0; k < ta->n_fields; k++) {
			const struct chitin_desc_field *fa = &ta->fields[k], *fb = &tb->fields[k];
			assert_string_equal(fa->name, fb->name);
			assert_int_equal(fa->offset, fb->offset);
			assert_int_equal(fa->size, fb->size);
			assert_hash_equal(&fa->type_hash, &fb->type_hash);
			assert_int_equal(fa->flags, fb->flags);
			assert_int_equal(fa->since_minor, fb->since_minor);
		}
		assert_int_equal(ta->n_variants, tb->n_variants);
		for (k = 0; k < ta->n_variants; k++) {
			const struct chitin_desc_variant *va = &ta->variants[k], *vb = &tb->variants[k];
			assert_string_equal(va->name, vb->name);
			assert_int_equal(va->value, vb->value);
			assert_hash_equal(&va->payload_hash, &vb->payload_hash);
			assert_int_equal(va->flags, vb->flags);
			assert_int_equal(va->since_minor, vb->since_minor);
		}
	}

	assert_int_equal(a->n_interfaces, b->n_interfaces);
	for (i = 0; i < a->n_interfaces; i++) {
		const struct chitin_desc_interface *ia = &a->interfaces[i], *ib = &b->interfaces[i];
		assert_string_equal(ia->name, ib->name);
		assert_string_equal(ia->base, ib->base);
		assert_hash_equal(&ia->iid, &ib->iid);
		assert_int_equal(ia->flags, ib->flags);
		assert_int_equal(ia->since_minor, ib->since_minor);
		assert_int_equal(ia->n_methods, ib->n_methods);
		for (k = 0; k < ia->n_methods; k++) {
			const struct chitin_desc_method *ma = &ia->methods[k], *mb = &ib->methods[k];
			assert_string_equal(ma->name, mb->name);
			assert_hash_equal(&ma->signature_hash, &mb->signature_hash);
			assert_int_equal(ma->flags, mb->flags);
			assert_int_equal(ma->since_minor, mb->since_minor);
		}
	}

	assert_int_equal(a->n_exports, b->n_exports);
	for (i = 0; i < a->n_exports; i++) {
		assert_string_equal(a->exports[i].name, b->exports[i].name);
		assert_string_equal(a->exports[i].symbol, b->exports[i].symbol);
		assert_hash_equal(&a->exports[i].signature_hash, &b->exports[i].signature_hash);
		assert_int_equal(a->exports[i].flags, b->exports[i].flags);
		assert_int_equal(a->exports[i].since_minor, b->exports[i].since_minor);
	}
}

/* ---- Encoding and decoding -------------------------------------------- */

/* A blob in memory of exactly its size, so that ASan sees any read past
 * it. */
static uint8_t *
encode_alloc(const struct chitin_descriptor *d, size_t *size)
{
	uint8_t *blob;
	*size = chitin_desc_encode(d, NULL, 0);
	assert_true(*size > 0);
	blob = xmalloc(*size);
	assert_int_equal(chitin_desc_encode(d, blob, *size), *size);
	return blob;
}

/* A decoded blob with its own scratch memory. */
struct decoded {
	void *scratch;
	struct chitin_descriptor d;
};

static enum chitin_desc_status
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
	/* The bound doc/descriptor.md promises. */
	assert_true(needed < 2 * size + 64);
	out->scratch = xmalloc(needed);
	status = chitin_desc_decode(blob, size, out->scratch, needed, &out->d, NULL);
	assert_int_equal(status, CHITIN_DESC_OK);
	return status;
}

static void
decoded_free(struct decoded *d)
{
	free(d->scratch);
	d->scratch = NULL;
}

static void
test_round_trip(void **state)
{
	struct model m;
	struct decoded dec;
	uint8_t *blob, *again;
	size_t size, size_again;
	(void)state;

	model_init(&m);
	blob = encode_alloc(&m.d, &size);
	assert_int_equal(size % 8, 0);
	assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
	assert_int_equal(dec.d.format, CHITIN_DESC_FORMAT);
	assert_desc_equal(&m.d, &dec.d);

	/* Decoded strings point into the blob. */
	assert_true((const uint8_t *)dec.d.module > blob &&
		    (const uint8_t *)dec.d.module < blob + size);

	/* Encoding what was decoded gives the same bytes. */
	again = encode_alloc(&dec.d, &size_again);
	assert_int_equal(size_again, size);
	assert_memory_equal(again, blob, size);

	free(again);
	decoded_free(&dec);
	free(blob);
}

static void
test_round_trip_empty_module(void **state)
{
	struct chitin_descriptor d, out;
	uint8_t blob[256];
	unsigned char scratch[64];
	size_t size, needed;
	(void)state;

	memset(&d, 0, sizeof d);
	d.module = "empty";
	d.target = "";
	d.major = 3;
	d.minor = 65535;
	size = chitin_desc_encode(&d, blob, sizeof blob);
	assert_int_equal(size, 32 + 8 * 12 + 8);   /* "\0empty\0" padded to 8 */
	assert_int_equal(chitin_desc_decode(blob, size, scratch, sizeof scratch, &out, &needed),
			 CHITIN_DESC_OK);
	assert_string_equal(out.module, "empty");
	assert_string_equal(out.target, "");
	assert_int_equal(out.major, 3);
	assert_int_equal(out.minor, 65535);
	assert_int_equal(out.n_imports + out.n_types + out.n_interfaces + out.n_exports, 0);
	assert_null(out.types);
	assert_null(out.exports);
}

static char *
xstrdup(const char *s)
{
	char *copy = xmalloc(strlen(s) + 1);
	strcpy(copy, s);
	return copy;
}

/* Same contents give the same bytes, wherever the strings live. */
static void
test_encode_deterministic(void **state)
{
	struct model a, b;
	uint8_t *blob_a, *blob_b;
	size_t size_a, size_b, i;
	char *copies[8];
	(void)state;

	model_init(&a);
	model_init(&b);
	copies[0] = xstrdup("audio");
	copies[1] = xstrdup("x86_64-linux");
	copies[2] = xstrdup("Frame");
	copies[3] = xstrdup("left");
	copies[4] = xstrdup("right");
	copies[5] = xstrdup("object");
	copies[6] = xstrdup("object");
	copies[7] = xstrdup("u32()");
	b.d.module = copies[0];
	b.d.target = copies[1];
	b.types[FRAME].name = copies[2];
	b.frame_fields[0].name = copies[3];
	b.frame_fields[1].name = copies[4];
	b.interfaces[EFFECT].base = copies[5];
	b.interfaces[NODE].base = copies[6];

	blob_a = encode_alloc(&a.d, &size_a);
	blob_b = encode_alloc(&b.d, &size_b);
	assert_int_equal(size_a, size_b);
	assert_memory_equal(blob_a, blob_b, size_a);
	free(blob_b);
	blob_b = encode_alloc(&a.d, &size_b);
	assert_memory_equal(blob_a, blob_b, size_a);

	/* Equal strings are stored once: "object" appears once. */
	for (i = 0, size_b = 0; i + 7 <= size_a; i++)
		if (memcmp(blob_a + i, "object", 7) == 0)
			size_b++;
	assert_int_equal(size_b, 1);

	free(blob_a);
	free(blob_b);
	for (i = 0; i < 8; i++)
		free(copies[i]);
}

/* A buffer too small is left alone; the size is still returned. */
static void
test_encode_buffer_too_small(void **state)
{
	struct model m;
	uint8_t *buf;
	size_t size, i;
	(void)state;

	model_init(&m);
	size = chitin_desc_encode(&m.d, NULL, 0);
	buf = xmalloc(size);
	memset(buf, 0xa5, size);
	assert_int_equal(chitin_desc_encode(&m.d, buf, size - 1), size);
	for (i = 0; i < size; i++)
		assert_int_equal(buf[i], 0xa5);
	assert_int_equal(chitin_desc_encode(&m.d, buf, size), size);
	assert_memory_equal(buf, "CHTN", 4);
	free(buf);
}

static void
test_encode_rejects_invalid(void **state)
{
	struct model m;
	(void)state;

	model_init(&m);
	m.d.module = NULL;
	assert_int_equal(chitin_desc_encode(&m.d, NULL, 0), 0);

	model_init(&m);
	m.exports[0].symbol = NULL;
	assert_int_equal(chitin_desc_encode(&m.d, NULL, 0), 0);

	model_init(&m);
	m.types[FRAME].fields = NULL;
	assert_int_equal(chitin_desc_encode(&m.d, NULL, 0), 0);

	model_init(&m);
	m.d.interfaces = NULL;
	assert_int_equal(chitin_desc_encode(&m.d, NULL, 0), 0);

	model_init(&m);
	m.types[FRAME].kind = (enum chitin_desc_kind)7;
	assert_int_equal(chitin_desc_encode(&m.d, NULL, 0), 0);

	assert_int_equal(chitin_desc_encode(NULL, NULL, 0), 0);
}

/* The test vector of doc/descriptor.md, byte for byte. */
static const uint8_t vector_bytes[] = {
	0x43, 0x48, 0x54, 0x4e, 0x01, 0x00, 0x20, 0x00, 0x80, 0x01, 0x00, 0x00, 0x08, 0x00, 0x0c, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x06, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
	0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x08, 0x00, 0x00, 0x00, 0x80, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x58, 0x00, 0x00, 0x00, 0xd8, 0x00, 0x00, 0x00, 0x02, 0x00, 0x00, 0x00,
	0x2c, 0x00, 0x00, 0x00, 0x30, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x24, 0x00, 0x00, 0x00,
	0x30, 0x01, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x28, 0x00, 0x00, 0x00, 0x30, 0x01, 0x00, 0x00,
	0x00, 0x00, 0x00, 0x00, 0x1c, 0x00, 0x00, 0x00, 0x30, 0x01, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
	0x20, 0x00, 0x00, 0x00, 0x50, 0x01, 0x00, 0x00, 0x30, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00,
};

static void
vector_descriptor(struct chitin_descriptor *d, struct chitin_desc_type *type,
		  struct chitin_desc_field fields[2], struct chitin_desc_export *ex)
{
	memset(d, 0, sizeof *d);
	memset(type, 0, sizeof *type);
	memset(fields, 0, 2 * sizeof *fields);
	memset(ex, 0, sizeof *ex);
	d->module = "demo";
	d->major = 1;
	d->minor = 0;
	d->target = "x86_64-linux";
	type->name = "Point";
	type->kind = CHITIN_DESC_STRUCT;
	type->size = 8;
	type->align = 4;
	chitin_type_id("demo", "Point", 1, &type->type_id);
	type->layout_hash = hash_of("layout:Point");
	set_field(&fields[0], "x", 0, 4, "i32");
	set_field(&fields[1], "y", 4, 4, "i32");
	type->fields = fields;
	type->n_fields = 2;
	ex->name = "origin";
	ex->symbol = "demo_origin";
	ex->signature_hash = hash_of("signature:origin");
	d->types = type;
	d->n_types = 1;
	d->exports = ex;
	d->n_exports = 1;
}

static void
test_vector_bytes(void **state)
{
	struct chitin_descriptor d;
	struct chitin_desc_type type;
	struct chitin_desc_field fields[2];
	struct chitin_desc_export ex;
	uint8_t blob[512];
	size_t size;
	(void)state;

	vector_descriptor(&d, &type, fields, &ex);
	size = chitin_desc_encode(&d, blob, sizeof blob);
	assert_int_equal(size, 384);
	/* Header and section table as doc/descriptor.md spells them out. */
	assert_memory_equal(blob, vector_bytes, sizeof vector_bytes);
	/* The string table. */
	assert_memory_equal(blob + 0x150,
			    "\0demo\0x86_64-linux\0Point\0x\0y\0origin\0demo_origin\0", 48);
	/* The type record's counts, and the export's symbol reference. */
	assert_int_equal(rd32(blob + 0x80 + 72), 0);
	assert_int_equal(rd32(blob + 0x80 + 76), 2);
	assert_int_equal(rd32(blob + 0x130 + 12), 0x24);
}

/* Prints the vector as doc/descriptor.md shows it, when asked:
 * CHITIN_PRINT_VECTOR=1 tests/unit/test_descriptor */
static void
test_vector_print(void **state)
{
	struct chitin_descriptor d;
	struct chitin_desc_type type;
	struct chitin_desc_field fields[2];
	struct chitin_desc_export ex;
	uint8_t blob[512];
	size_t size, i;
	(void)state;

	if (!getenv("CHITIN_PRINT_VECTOR"))
		return;
	vector_descriptor(&d, &type, fields, &ex);
	size = chitin_desc_encode(&d, blob, sizeof blob);
	for (i = 0; i < size; i++)
		printf("%s%02x%s", i % 16 == 0 ? "" : " ", blob[i],
		       i % 16 == 15 ? "\n" : "");
}

/* A blob that a later revision of format 1 wrote: a longer header, a
 * ninth section, longer section entries and longer records, every added
 * byte 0xEE.  A reader of revision 0 sees the same descriptor. */
static uint8_t *
make_later_revision(const uint8_t *blob, size_t *size)
{
	enum { GROW_HEADER = 8, GROW_ENTRY = 4, GROW_RECORD = 4, EXTRA = 16, N_OLD = 8 };
	uint32_t header_size = rd16(blob + 6);
	uint32_t entry_size = rd16(blob + 14);
	uint32_t new_header = header_size + GROW_HEADER;
	uint32_t new_entry = entry_size + GROW_ENTRY;
	uint32_t at = new_header + (N_OLD + 1) * new_entry;
	uint32_t sec, i;
	size_t cap = *size * 2 + 256;
	uint8_t *out = xmalloc(cap);

	memset(out, 0xee, cap);
	memcpy(out, blob, header_size);
	wr16(out + 6, new_header);
	wr16(out + 12, N_OLD + 1);
	wr16(out + 14, new_entry);
	for (sec = 0; sec < N_OLD; sec++) {
		const uint8_t *entry = blob + header_size + sec * entry_size;
		uint8_t *new_ent = out + new_header + sec * new_entry;
		uint32_t offset = rd32(entry), count = rd32(entry + 4);
		uint32_t rec = rd16(entry + 8);
		uint32_t new_rec = sec == 7 ? rec : rec + GROW_RECORD;
		memcpy(new_ent, entry, entry_size);
		wr32(new_ent, at);
		wr16(new_ent + 8, new_rec);
		for (i = 0; i < count; i++)
			memcpy(out + at + i * new_rec, blob + offset + i * rec, rec);
		at += count * new_rec;
	}
	/* The ninth section: 16 bytes of something new. */
	wr32(out + new_header + N_OLD * new_entry, at);
	wr32(out + new_header + N_OLD * new_entry + 4, EXTRA);
	wr16(out + new_header + N_OLD * new_entry + 8, 1);
	at += EXTRA;
	wr32(out + 8, at);
	assert_true(at <= cap);
	*size = at;
	return out;
}

static void
test_decode_later_revision(void **state)
{
	struct model m;
	struct decoded dec;
	uint8_t *blob, *later;
	size_t size, later_size;
	(void)state;

	model_init(&m);
	blob = encode_alloc(&m.d, &size);
	later_size = size;
	later = make_later_revision(blob, &later_size);
	assert_true(later_size > size);
	assert_int_equal(decode_alloc(later, later_size, &dec), CHITIN_DESC_OK);
	assert_desc_equal(&m.d, &dec.d);
	decoded_free(&dec);
	free(later);
	free(blob);
}

/* Every proper prefix of a blob is truncated, read from memory of exactly
 * that size. */
static void
test_decode_every_truncation(void **state)
{
	struct model m;
	uint8_t *blob;
	size_t size, len;
	(void)state;

	model_init(&m);
	blob = encode_alloc(&m.d, &size);
	for (len = 0; len < size; len++) {
		uint8_t *prefix = xmalloc(len);
		struct chitin_descriptor out;
		unsigned char scratch[4096];
		size_t needed = 99;
		memcpy(prefix, blob, len);
		assert_int_equal(chitin_desc_decode(prefix, len, scratch, sizeof scratch,
						    &out, &needed),
				 CHITIN_DESC_TRUNCATED);
		assert_int_equal(needed, 0);
		assert_null(out.module);
		assert_int_equal(chitin_desc_probe(prefix, len, NULL), CHITIN_DESC_TRUNCATED);
		free(prefix);
	}
	free(blob);
}

/* Bytes after the blob are not its business. */
static void
test_decode_trailing_bytes(void **state)
{
	struct model m;
	struct decoded dec;
	uint8_t *blob, *longer;
	size_t size, blob_size;
	(void)state;

	model_init(&m);
	blob = encode_alloc(&m.d, &size);
	longer = xmalloc(size + 40);
	memcpy(longer, blob, size);
	memset(longer + size, 0x5a, 40);
	assert_int_equal(chitin_desc_probe(longer, size + 40, &blob_size), CHITIN_DESC_OK);
	assert_int_equal(blob_size, size);
	assert_int_equal(decode_alloc(longer, size + 40, &dec), CHITIN_DESC_OK);
	assert_desc_equal(&m.d, &dec.d);
	decoded_free(&dec);
	free(longer);
	free(blob);
}

/* Two blobs end to end, as a section holding two modules' descriptors. */
static void
test_probe_walks_blobs(void **state)
{
	struct model a, b;
	uint8_t *blob_a, *blob_b, *both;
	size_t size_a, size_b, at = 0, n = 0, blob_size;
	(void)state;

	model_init(&a);
	model_init_1_1(&b);
	b.d.module = "other";
	blob_a = encode_alloc(&a.d, &size_a);
	blob_b = encode_alloc(&b.d, &size_b);
	both = xmalloc(size_a + size_b);
	memcpy(both, blob_a, size_a);
	memcpy(both + size_a, blob_b, size_b);
	while (at < size_a + size_b) {
		struct decoded dec;
		assert_int_equal(chitin_desc_probe(both + at, size_a + size_b - at, &blob_size),
				 CHITIN_DESC_OK);
		assert_int_equal(decode_alloc(both + at, size_a + size_b - at, &dec), CHITIN_DESC_OK);
		assert_string_equal(dec.d.module, n == 0 ? "audio" : "other");
		decoded_free(&dec);
		at += blob_size;
		n++;
	}
	assert_int_equal(n, 2);
	free(both);
	free(blob_a);
	free(blob_b);
}

/* Decodes a copy of blob with one 32-bit field overwritten. */
static enum chitin_desc_status
decode_patched32(const uint8_t *blob, size_t size, size_t at, uint32_t value)
{
	uint8_t *copy = xmalloc(size);
	struct decoded dec;
	enum chitin_desc_status status;
	memcpy(copy, blob, size);
	wr32(copy + at, value);
	status = decode_alloc(copy, size, &dec);
	decoded_free(&dec);
	free(copy);
	return status;
}

static enum chitin_desc_status
decode_patched16(const uint8_t *blob, size_t size, size_t at, uint16_t value)
{
	uint8_t *copy = xmalloc(size);
	struct decoded dec;
	enum chitin_desc_status status;
	memcpy(copy, blob, size);
	wr16(copy + at, value);
	status = decode_alloc(copy, size, &dec);
	decoded_free(&dec);
	free(copy);
	return status;
}

/* Each check of the decoder, broken on purpose. */
static void
test_decode_corrupt(void **state)
{
	enum { TYPES = 32 + 1 * 12, FIELDS = 32 + 2 * 12, STRINGS = 32 + 7 * 12 };
	struct model m;
	uint8_t *blob;
	size_t size;
	uint32_t types_at, strings_at, strings_size;
	(void)state;

	model_init(&m);
	blob = encode_alloc(&m.d, &size);
	types_at = rd32(blob + TYPES);
	strings_at = rd32(blob + STRINGS);
	strings_size = rd32(blob + STRINGS + 4);

	assert_int_equal(decode_patched32(blob, size, 0, 0x4e544844), CHITIN_DESC_BAD_MAGIC);
	assert_int_equal(decode_patched16(blob, size, 4, 2), CHITIN_DESC_UNSUPPORTED_FORMAT);
	assert_int_equal(decode_patched16(blob, size, 4, 0), CHITIN_DESC_UNSUPPORTED_FORMAT);
	/* Header size, blob size, section count and entry size. */
	assert_int_equal(decode_patched16(blob, size, 6, 31), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched16(blob, size, 6, 0xffff), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, 8, 31), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, 8, (uint32_t)size + 1), CHITIN_DESC_TRUNCATED);
	assert_int_equal(decode_patched32(blob, size, 8, 0xffffffff), CHITIN_DESC_TRUNCATED);
	assert_int_equal(decode_patched16(blob, size, 12, 7), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched16(blob, size, 12, 0xffff), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched16(blob, size, 14, 11), CHITIN_DESC_CORRUPT);
	/* Module and target references. */
	assert_int_equal(decode_patched32(blob, size, 16, strings_size), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, 20, 0xffffffff), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, 16, strings_size - 1), CHITIN_DESC_OK);
	/* Sections: inside the header, past the end, too many records, a
	 * record size below format 1's, a string table of larger "records". */
	assert_int_equal(decode_patched32(blob, size, TYPES, 0), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, TYPES, 127), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, TYPES, (uint32_t)size), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, TYPES + 4, 0xffffffff), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, TYPES + 4, 1000), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched16(blob, size, TYPES + 8, 87), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched16(blob, size, TYPES + 8, 0xffff), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched16(blob, size, STRINGS + 8, 2), CHITIN_DESC_CORRUPT);
	/* Overlapping sections: types over the fields, strings over the
	 * exports. */
	assert_int_equal(decode_patched32(blob, size, TYPES, rd32(blob + FIELDS)), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, STRINGS, strings_at - 1), CHITIN_DESC_CORRUPT);

	assert_int_equal(decode_patched32(blob, size, STRINGS + 4, 0), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, STRINGS + 4, strings_size + 1), CHITIN_DESC_CORRUPT);
	/* A string table that does not end in a NUL: cut just before the
	 * last string's NUL. */
	{
		uint32_t n = strings_size;
		while (n > 1 && blob[strings_at + n - 2] == 0)
			n--;
		assert_int_equal(decode_patched32(blob, size, STRINGS + 4, n), CHITIN_DESC_OK);
		assert_int_equal(decode_patched32(blob, size, STRINGS + 4, n - 1), CHITIN_DESC_CORRUPT);
	}
	/* A type's name, kind and ranges. */
	assert_int_equal(decode_patched32(blob, size, types_at, strings_size), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched16(blob, size, types_at + 10, 0), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched16(blob, size, types_at + 10, 7), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched16(blob, size, types_at + 10, 0x0106), CHITIN_DESC_OK);
	assert_int_equal(decode_patched32(blob, size, types_at + 72, rd32(blob + FIELDS + 4)),
			 CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, types_at + 72, 0xffffffff), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, types_at + 76, 0xffffffff), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, types_at + 84, 0xfffffffe), CHITIN_DESC_CORRUPT);
	free(blob);
}

/* An empty section may be anywhere past the section table, even inside
 * another section. */
static void
test_decode_empty_section_anywhere(void **state)
{
	enum { VARIANTS = 32 + 3 * 12 };
	struct chitin_descriptor d;
	struct chitin_desc_type type;
	struct chitin_desc_field fields[2];
	struct chitin_desc_export ex;
	uint8_t blob[512];
	size_t size;
	(void)state;

	vector_descriptor(&d, &type, fields, &ex);
	size = chitin_desc_encode(&d, blob, sizeof blob);
	assert_int_equal(rd32(blob + VARIANTS + 4), 0);
	assert_int_equal(decode_patched32(blob, size, VARIANTS, 0x80), CHITIN_DESC_OK);
	assert_int_equal(decode_patched32(blob, size, VARIANTS, (uint32_t)size), CHITIN_DESC_OK);
	assert_int_equal(decode_patched32(blob, size, VARIANTS, 0x7f), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched32(blob, size, VARIANTS, (uint32_t)size + 1), CHITIN_DESC_CORRUPT);
}

/* Overlapping ranges are valid: they only share records. */
static void
test_decode_shared_ranges(void **state)
{
	struct model m;
	struct decoded dec;
	uint8_t *blob;
	size_t size;
	uint32_t types_at;
	(void)state;

	model_init(&m);
	blob = encode_alloc(&m.d, &size);
	types_at = rd32(blob + 32 + 12);
	/* Settings' fields become Frame's. */
	wr32(blob + types_at + 88 + 72, 0);
	wr32(blob + types_at + 88 + 76, 2);
	assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
	assert_ptr_equal(dec.d.types[1].fields, dec.d.types[0].fields);
	decoded_free(&dec);
	free(blob);
}

static uint64_t
next_random(uint64_t *s)
{
	/* xorshift64*: reproducible, no libc state. */
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 2685821657736338717ull;
}

/* Thousands of blobs with a few bytes changed: each decodes or fails
 * cleanly, and what decodes can be compared, reported and encoded again
 * into a blob that decodes to the same thing. */
static void
test_decode_mutations(void **state)
{
	enum { ROUNDS = 5000 };
	struct model m;
	uint8_t *blob, *copy;
	size_t size, round;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned n_ok = 0, n_failed = 0;
	(void)state;

	model_init(&m);
	blob = encode_alloc(&m.d, &size);
	copy = xmalloc(size);
	for (round = 0; round < ROUNDS; round++) {
		struct decoded dec;
		unsigned k, n_changes = 1 + (unsigned)(next_random(&seed) % 4);
		memcpy(copy, blob, size);
		for (k = 0; k < n_changes; k++) {
			uint64_t r = next_random(&seed);
			size_t at = (size_t)(r % size);
			/* Favour the header and section table, where one byte
			 * moves everything. */
			if ((r >> 32) % 3 == 0)
				at = (size_t)((r >> 8) % 128);
			switch ((r >> 40) % 4) {
			case 0:
				copy[at] = (uint8_t)(r >> 48);
				break;
			case 1:
				copy[at] ^= (uint8_t)(1u << ((r >> 48) % 8));
				break;
			case 2:
				copy[at] = 0xff;
				break;
			default:
				copy[at] = 0;
				break;
			}
		}
		if (decode_alloc(copy, size, &dec) == CHITIN_DESC_OK) {
			struct chitin_desc_report report;
			struct decoded again;
			char text[4096];
			uint8_t *blob2;
			size_t size2;
			n_ok++;
			chitin_desc_compare(&m.d, &dec.d, 0, &report);
			chitin_desc_format_report(&report, text, sizeof text);
			chitin_desc_compare(&dec.d, &m.d, 3, &report);
			chitin_desc_format_report(&report, text, sizeof text);
			/* Not necessarily 0: a mutation may duplicate a name. */
			chitin_desc_compare(&dec.d, &dec.d, 0, NULL);
			blob2 = encode_alloc(&dec.d, &size2);
			assert_int_equal(decode_alloc(blob2, size2, &again), CHITIN_DESC_OK);
			assert_desc_equal(&dec.d, &again.d);
			decoded_free(&again);
			free(blob2);
			decoded_free(&dec);
		} else {
			n_failed++;
		}
	}
	/* Both outcomes happen often, or the test tests little. */
	assert_true(n_ok > ROUNDS / 10);
	assert_true(n_failed > ROUNDS / 10);
	free(copy);
	free(blob);
}

/* Random bytes after a valid magic and format. */
static void
test_decode_random_bytes(void **state)
{
	enum { ROUNDS = 2000 };
	uint64_t seed = 12345;
	size_t round, i;
	(void)state;

	for (round = 0; round < ROUNDS; round++) {
		size_t len = (size_t)(next_random(&seed) % 600);
		uint8_t *buf = xmalloc(len);
		struct decoded dec;
		for (i = 0; i < len; i++)
			buf[i] = (uint8_t)next_random(&seed);
		if (len >= 6) {
			memcpy(buf, "CHTN\1\0", 6);
			if (len >= 12 && round % 2)
				wr32(buf + 8, (uint32_t)len);
		}
		if (decode_alloc(buf, len, &dec) == CHITIN_DESC_OK)
			decoded_free(&dec);
		free(buf);
	}
}

static void
test_decode_scratch(void **state)
{
	struct model m;
	struct chitin_descriptor out;
	uint8_t *blob;
	unsigned char *scratch;
	size_t size, needed, needed2, shift;
	(void)state;

	model_init(&m);
	blob = encode_alloc(&m.d, &size);
	assert_int_equal(chitin_desc_decode(blob, size, NULL, 0, &out, &needed),
			 CHITIN_DESC_SCRATCH_TOO_SMALL);
	assert_true(needed > 0);
	assert_null(out.module);
	scratch = xmalloc(needed + 16);

	/* One byte short fails, whatever the alignment, and writes nothing. */
	for (shift = 0; shift < 16; shift++) {
		memset(scratch, 0x77, needed + 16);
		assert_int_equal(chitin_desc_decode(blob, size, scratch + shift, needed - 1,
						    &out, &needed2),
				 CHITIN_DESC_SCRATCH_TOO_SMALL);
		assert_int_equal(needed2, needed);
		assert_int_equal(scratch[shift], 0x77);
		assert_int_equal(scratch[needed + 15], 0x77);
	}
	/* Enough succeeds at any alignment, writing only inside. */
	for (shift = 0; shift < 16; shift++) {
		memset(scratch, 0x77, needed + 16);
		assert_int_equal(chitin_desc_decode(blob, size, scratch + shift, needed,
						    &out, &needed2),
				 CHITIN_DESC_OK);
		assert_int_equal(needed2, needed);
		assert_desc_equal(&m.d, &out);
		if (shift > 0)
			assert_int_equal(scratch[shift - 1], 0x77);
		if (shift < 16)
			assert_int_equal(scratch[shift + needed], 0x77);
	}
	free(scratch);
	free(blob);
}

static void
test_status_text(void **state)
{
	(void)state;
	assert_string_equal(chitin_desc_status_text(CHITIN_DESC_OK), "ok");
	assert_string_equal(chitin_desc_status_text(CHITIN_DESC_TRUNCATED), "truncated");
	assert_string_equal(chitin_desc_status_text(CHITIN_DESC_CORRUPT), "corrupt");
	assert_string_equal(chitin_desc_status_text((enum chitin_desc_status)99),
			    "unknown status");
	assert_int_equal(chitin_desc_probe(NULL, 10, NULL), CHITIN_DESC_TRUNCATED);
	assert_int_equal(chitin_desc_probe((const uint8_t *)"CHX", 3, NULL), CHITIN_DESC_BAD_MAGIC);
	assert_int_equal(chitin_desc_probe((const uint8_t *)"\x7f" "ELF", 4, NULL),
			 CHITIN_DESC_BAD_MAGIC);
}

/* ---- Comparison -------------------------------------------------------- */

/* The report of comparing host with plugin, as text. */
static const char *
report_text(const struct model *host, const struct model *plugin, uint16_t required_minor)
{
	static char text[8192];
	struct chitin_desc_report report;
	uint32_t n = chitin_desc_compare(&host->d, &plugin->d, required_minor, &report);
	size_t len = chitin_desc_format_report(&report, text, sizeof text);
	assert_true(len < sizeof text);
	assert_int_equal(n, report.n_problems);
	assert_int_equal(report.more, 0);
	assert_int_equal(chitin_desc_compare(&host->d, &plugin->d, required_minor, NULL), n);
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
	assert_int_equal(chitin_desc_compare(&h.d, &dec.d, 2, NULL), 0);
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
	p.d.target = "aarch64-linux";
	assert_refused(&h, &p, 0,
		       "module 'audio': target is 'x86_64-linux' in the host, 'aarch64-linux' in the plugin\n");
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
	struct model h, p;
	struct chitin_desc_report report;
	char text[8192], line[256];
	uint32_t n, i;
	size_t len;
	(void)state;
	model_init(&h);
	model_init(&p);
	for (i = 0; i < 7; i++)
		p.types[i].name = i % 2 ? "Renamed1" : "Renamed0";
	p.d.n_exports = 0;
	p.interfaces[EFFECT].name = "X";
	p.interfaces[NODE].name = "Y";
	p.imports[0].major = 7;
	p.imports[1].major = 7;
	n = chitin_desc_compare(&h.d, &p.d, 0, &report);
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
	chitin_desc_compare(&h.d, &p.d, 0, &report);
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
	assert_int_equal(chitin_desc_compare(&h.d, &p.d, 0, &report), 1);
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
	assert_int_equal(chitin_desc_compare(&h.d, &p.d, 0, &report), 1);
	pr = &report.problems[0];
	assert_int_equal(pr->kind, CHITIN_DESC_P_FIELD_OFFSET);
	assert_int_equal(pr->item_kind, CHITIN_DESC_ITEM_TYPE);
	assert_string_equal(pr->item, "audio.Frame");
	assert_string_equal(pr->member, "right");
	assert_string_equal(pr->expected, "4");
	assert_string_equal(pr->found, "8");
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_empty_module),
		cmocka_unit_test(test_encode_deterministic),
		cmocka_unit_test(test_encode_buffer_too_small),
		cmocka_unit_test(test_encode_rejects_invalid),
		cmocka_unit_test(test_vector_bytes),
		cmocka_unit_test(test_vector_print),
		cmocka_unit_test(test_decode_later_revision),
		cmocka_unit_test(test_decode_every_truncation),
		cmocka_unit_test(test_decode_trailing_bytes),
		cmocka_unit_test(test_probe_walks_blobs),
		cmocka_unit_test(test_decode_corrupt),
		cmocka_unit_test(test_decode_empty_section_anywhere),
		cmocka_unit_test(test_decode_shared_ranges),
		cmocka_unit_test(test_decode_mutations),
		cmocka_unit_test(test_decode_random_bytes),
		cmocka_unit_test(test_decode_scratch),
		cmocka_unit_test(test_status_text),
		cmocka_unit_test(test_compat_identical),
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
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
