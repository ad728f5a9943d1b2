/* Descriptors: the blob of doc/descriptor.md, format 2 (round trips,
 * layout classes sharing a common part, determinism, the byte-exact
 * vector, later revisions, every validity rule broken on purpose,
 * truncated and mutated input, scratch and work memory). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "desc_model.h"

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

/* ---- A blob taken apart, as doc/descriptor.md describes it --------------
 * Written from the document, not from the decoder: parsing an encoded
 * blob and writing it again must give the same bytes, and the tests below
 * change one value, width or size of it to break one rule at a time. */

enum { TB_SECTIONS = 16, TB_BYTES = 2048, TB_VALUES = 4096, TB_HEAD = 64 };

/* The offsets of doc/descriptor.md sections 3 and 4. */
enum {
	HEADER_SIZE = 28, CLASS_HEADER_SIZE = 12,
	H_FORMAT = 4, H_HEADER_SIZE = 6, H_BLOB_SIZE = 8, H_COMMON_SIZE = 12,
	H_MODULE = 16, H_MAJOR = 20, H_MINOR = 22, H_SECTION_COUNT = 24,
	K_CLASS_SIZE = 0, K_HEADER_SIZE = 4, K_SECTION_COUNT = 6, K_TARGETS = 8,
};
/* Sections, in order. */
enum { S_STRINGS, S_HASHES, S_IMPORTS, S_TYPES, S_FIELDS, S_VARIANTS, S_INTERFACES,
       S_METHODS, S_EXPORTS, N_COMMON };
enum { K_TYPES, K_FIELDS, K_VARIANTS, K_METHODS, K_EXPORTS, N_CLASS };
static const unsigned common_arity[N_COMMON] = { 0, 0, 3, 7, 3, 4, 6, 3, 4 };
static const unsigned class_arity[N_CLASS] = { 4, 3, 1, 1, 1 };

struct tb_section {
	int is_bytes;                  /* the string table, the hash pool */
	uint8_t bytes[TB_BYTES];       /* a byte section's body */
	size_t n_bytes;
	uint64_t count, arity;         /* a record section's */
	uint64_t values[TB_VALUES];    /* count × arity of them */
	size_t n_values;
	/* How to write it: */
	uint8_t width[TB_VALUES];      /* bytes of values[k]; 0: as few as it takes */
	size_t raw_index;              /* values[raw_index] written as raw[] instead */
	uint8_t raw[16];
	size_t n_raw;                  /* 0: no raw value */
	uint8_t size_width, count_width, arity_width;
	uint8_t extra[64];             /* bytes after the records */
	size_t n_extra;
	int size_delta;                /* added to the size written */
};

struct tb_part {
	uint8_t head[TB_HEAD];
	size_t head_size;
	struct tb_section sec[TB_SECTIONS];
	size_t n_sec;
};

struct tb {
	struct tb_part common, cls;
};

/* A varint of a blob the encoder wrote. */
static uint64_t
tb_read_uv(const uint8_t *p, size_t *at, size_t end)
{
	uint64_t v = 0;
	unsigned shift = 0;
	for (;;) {
		uint8_t b;
		assert_true(*at < end);
		b = p[(*at)++];
		v |= (uint64_t)(b & 0x7f) << shift;
		if (!(b & 0x80))
			return v;
		shift += 7;
		assert_true(shift < 64);
	}
}

static void
tb_parse_part(struct tb_part *part, const uint8_t *p, size_t size, size_t head_size,
	      size_t n_sec, size_t n_byte_sections)
{
	size_t at = head_size, i;
	assert_true(head_size <= TB_HEAD && n_sec <= TB_SECTIONS);
	memcpy(part->head, p, head_size);
	part->head_size = head_size;
	part->n_sec = n_sec;
	for (i = 0; i < n_sec; i++) {
		struct tb_section *s = &part->sec[i];
		size_t body_size = (size_t)tb_read_uv(p, &at, size), end = at + body_size;
		assert_true(end <= size);
		if (i < n_byte_sections) {
			s->is_bytes = 1;
			assert_true(body_size <= TB_BYTES);
			memcpy(s->bytes, p + at, body_size);
			s->n_bytes = body_size;
		} else {
			s->count = tb_read_uv(p, &at, end);
			s->arity = tb_read_uv(p, &at, end);
			while (at < end) {
				assert_true(s->n_values < TB_VALUES);
				s->values[s->n_values++] = tb_read_uv(p, &at, end);
			}
			assert_int_equal(s->n_values, s->count * s->arity);
		}
		at = end;
	}
	/* Only padding is left: zeros, fewer than 8 bytes. */
	assert_true(size - at < 8);
	for (; at < size; at++)
		assert_int_equal(p[at], 0);
}

static struct tb *
tb_parse(const uint8_t *blob, size_t size)
{
	struct tb *t = xmalloc(sizeof *t);
	size_t common = rd32(blob + H_COMMON_SIZE);
	memset(t, 0, sizeof *t);
	assert_int_equal(rd32(blob + H_BLOB_SIZE), size);
	tb_parse_part(&t->common, blob, common, rd16(blob + H_HEADER_SIZE),
		      rd16(blob + H_SECTION_COUNT), 2);
	tb_parse_part(&t->cls, blob + common, size - common, rd16(blob + common + K_HEADER_SIZE),
		      rd16(blob + common + K_SECTION_COUNT), 0);
	return t;
}

static size_t
tb_write_uv(uint8_t *out, uint64_t v, unsigned width)
{
	size_t n = 0;
	do {
		uint8_t b = v & 0x7f;
		v >>= 7;
		if (v || (width && n + 1 < width))
			b |= 0x80;
		if (out)
			out[n] = b;
		n++;
	} while (v || (width && n < width));
	return n;
}

static size_t
tb_write_body(const struct tb_section *s, uint8_t *out)
{
	size_t n = 0, k;
	if (s->is_bytes) {
		if (out)
			memcpy(out, s->bytes, s->n_bytes);
		n = s->n_bytes;
	} else {
		n += tb_write_uv(out ? out + n : NULL, s->count, s->count_width);
		n += tb_write_uv(out ? out + n : NULL, s->arity, s->arity_width);
		for (k = 0; k < s->n_values; k++) {
			if (s->n_raw && k == s->raw_index) {
				if (out)
					memcpy(out + n, s->raw, s->n_raw);
				n += s->n_raw;
			} else {
				n += tb_write_uv(out ? out + n : NULL, s->values[k], s->width[k]);
			}
		}
	}
	if (out)
		memcpy(out + n, s->extra, s->n_extra);
	return n + s->n_extra;
}

/* Writes a part at out (NULL: measures); sets the head's section count and
 * header size; the part's size fields are the caller's. */
static size_t
tb_write_part(struct tb_part *part, uint8_t *out, int is_class)
{
	size_t n = part->head_size, i;
	wr16(part->head + (is_class ? K_HEADER_SIZE : H_HEADER_SIZE), (uint32_t)part->head_size);
	wr16(part->head + (is_class ? K_SECTION_COUNT : H_SECTION_COUNT), (uint32_t)part->n_sec);
	if (out)
		memcpy(out, part->head, part->head_size);
	for (i = 0; i < part->n_sec; i++) {
		const struct tb_section *s = &part->sec[i];
		size_t body = tb_write_body(s, NULL);
		n += tb_write_uv(out ? out + n : NULL, (uint64_t)((int64_t)body + s->size_delta),
				 s->size_width);
		tb_write_body(s, out ? out + n : NULL);
		n += body;
	}
	return n;
}

/* The blob t describes, with consistent sizes and padding. */
static uint8_t *
tb_serialize(struct tb *t, size_t *size)
{
	size_t common = (tb_write_part(&t->common, NULL, 0) + 3) / 4 * 4;
	size_t cls = (tb_write_part(&t->cls, NULL, 1) + 3) / 4 * 4;
	uint8_t *out;
	if ((common + cls) % 8)
		cls += 4;
	*size = common + cls;
	out = xmalloc(*size);
	memset(out, 0, *size);
	wr32(t->common.head + H_BLOB_SIZE, (uint32_t)*size);
	wr32(t->common.head + H_COMMON_SIZE, (uint32_t)common);
	wr32(t->cls.head + K_CLASS_SIZE, (uint32_t)cls);
	tb_write_part(&t->common, out, 0);
	tb_write_part(&t->cls, out + common, 1);
	return out;
}

/* Serializes t and decodes the result. */
static enum chitin_desc_status
tb_decode(struct tb *t)
{
	size_t size;
	uint8_t *blob = tb_serialize(t, &size);
	struct decoded dec;
	enum chitin_desc_status status = decode_alloc(blob, size, &dec);
	decoded_free(&dec);
	free(blob);
	return status;
}

static struct tb *
tb_of_model(void)
{
	struct model m;
	size_t size;
	uint8_t *blob;
	struct tb *t;
	model_init(&m);
	blob = encode_alloc(&m.d, &size);
	t = tb_parse(blob, size);
	free(blob);
	return t;
}

/* Value v of record r of a section. */
static uint64_t *
tb_value(struct tb_section *s, size_t r, size_t v)
{
	assert_true(r < s->count && v < s->arity);
	return &s->values[r * s->arity + v];
}

/* ---- Encoding and decoding -------------------------------------------- */

static void
test_round_trip(void **state)
{
	struct model m;
	struct decoded dec;
	uint8_t *blob, *again;
	size_t size, size_again, common;
	(void)state;

	model_init(&m);
	blob = encode_classes_alloc(&m.d, 1, 0, &size, &common);
	assert_int_equal(size % 8, 0);
	assert_int_equal(common % 4, 0);
	assert_int_equal(rd32(blob + H_COMMON_SIZE), common);
	assert_int_equal(rd32(blob + common + K_CLASS_SIZE), size - common);
	assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
	assert_int_equal(dec.d.format, CHITIN_DESC_FORMAT);
	assert_int_equal(CHITIN_DESC_FORMAT, 2);
	assert_desc_equal(&m.d, &dec.d);

	/* Decoded strings point into the blob. */
	assert_true((const uint8_t *)dec.d.module > blob &&
		    (const uint8_t *)dec.d.module < blob + size);
	assert_true((const uint8_t *)dec.d.targets > blob &&
		    (const uint8_t *)dec.d.targets < blob + size);

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
	unsigned char scratch[64], work[256];
	size_t size, needed, common;
	(void)state;

	memset(&d, 0, sizeof d);
	d.module = "empty";
	d.targets = "";
	d.major = 3;
	d.minor = 65535;
	assert_true(chitin_desc_encode_work_size(&d, 1) <= sizeof work);
	size = chitin_desc_encode(&d, 1, 0, blob, sizeof blob, &common, work, sizeof work);
	/* Header 28, strings "\0empty\0" (1 + 7), no hashes (1), seven empty
	 * record sections (3 each), padded to 60; class header 12 and five
	 * empty sections, padded to 28. */
	assert_int_equal(common, 60);
	assert_int_equal(size, 88);
	assert_int_equal(chitin_desc_decode(blob, size, scratch, sizeof scratch, &out, &needed),
			 CHITIN_DESC_OK);
	assert_string_equal(out.module, "empty");
	assert_string_equal(out.targets, "");
	assert_int_equal(out.major, 3);
	assert_int_equal(out.minor, 65535);
	assert_int_equal(out.n_imports + out.n_types + out.n_interfaces + out.n_exports, 0);
	assert_null(out.types);
	assert_null(out.exports);
}

/* Same contents give the same bytes, wherever the strings and hashes
 * live. */
static void
test_encode_deterministic(void **state)
{
	struct model a, b;
	uint8_t *blob_a, *blob_b;
	size_t size_a, size_b, i;
	char *copies[7];
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
	b.d.module = copies[0];
	b.d.targets = copies[1];
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
	free(blob_a);
	free(blob_b);
	for (i = 0; i < 7; i++)
		free(copies[i]);
}

/* How many times needle (n bytes) occurs in hay. */
static size_t
count_bytes(const uint8_t *hay, size_t size, const void *needle, size_t n)
{
	size_t i, found = 0;
	for (i = 0; i + n <= size; i++)
		if (memcmp(hay + i, needle, n) == 0)
			found++;
	return found;
}

/* Every string and every hash is stored once, and the most referenced
 * come first, where their references are shortest. */
static void
test_encode_shares_values(void **state)
{
	struct model m;
	uint8_t *blob;
	size_t size;
	struct tb *t;
	chitin_hash128 f32 = hash_of("f32"), u32 = hash_of("u32()");
	(void)state;

	model_init(&m);
	/* The same name, symbol and hash many times over. */
	m.exports[1].symbol = "audio_create_effect";
	m.exports[0].signature_hash = m.exports[1].signature_hash;
	blob = encode_alloc(&m.d, &size);
	assert_int_equal(count_bytes(blob, size, "object", 7), 1);
	assert_int_equal(count_bytes(blob, size, "audio_create_effect", 20), 1);
	assert_int_equal(count_bytes(blob, size, f32.bytes, 16), 1);
	assert_int_equal(count_bytes(blob, size, u32.bytes, 16), 1);

	t = tb_parse(blob, size);
	/* The strings of two references (the interfaces' names, as types
	 * and as interfaces, "channels", a field and a method, "object" and
	 * "audio_create_effect") come first, in order of first reference;
	 * "audio" (one) after them. */
	assert_memory_equal(t->common.sec[S_STRINGS].bytes,
			    "\0Effect\0Node\0channels\0object\0audio_create_effect\0audio\0", 55);
	/* The hash referenced most: u32() (the effect's channels method and
	 * both exports); then those of two references: the iids (as type ids
	 * and as iids), then f32 (two fields).  Each export's signature is
	 * a reference to pool entry 0. */
	assert_memory_equal(t->common.sec[S_HASHES].bytes, u32.bytes, 16);
	assert_memory_equal(t->common.sec[S_HASHES].bytes + 16, effect_iid.bytes, 16);
	assert_memory_equal(t->common.sec[S_HASHES].bytes + 32, node_iid.bytes, 16);
	assert_memory_equal(t->common.sec[S_HASHES].bytes + 48, f32.bytes, 16);
	assert_int_equal(*tb_value(&t->cls.sec[K_EXPORTS], 0, 0), 1);
	assert_int_equal(*tb_value(&t->cls.sec[K_EXPORTS], 1, 0), 1);
	/* The zero hash is reference 0, not in the pool. */
	assert_int_equal(*tb_value(&t->cls.sec[K_TYPES], FRAME, 3), 0);
	assert_int_equal(t->common.sec[S_HASHES].n_bytes % 16, 0);
	free(t);
	free(blob);
}

/* A buffer too small is left alone; the size is still returned. */
static void
test_encode_buffer_too_small(void **state)
{
	struct model m;
	uint8_t *buf;
	size_t size, i, work_size, common = 99;
	void *work;
	(void)state;

	model_init(&m);
	work_size = chitin_desc_encode_work_size(&m.d, 1);
	work = xmalloc(work_size);
	size = chitin_desc_encode(&m.d, 1, 0, NULL, 0, &common, work, work_size);
	assert_true(common > 0 && common < size);
	buf = xmalloc(size);
	memset(buf, 0xa5, size);
	assert_int_equal(chitin_desc_encode(&m.d, 1, 0, buf, size - 1, NULL, work, work_size), size);
	for (i = 0; i < size; i++)
		assert_int_equal(buf[i], 0xa5);
	assert_int_equal(chitin_desc_encode(&m.d, 1, 0, buf, size, NULL, work, work_size), size);
	assert_memory_equal(buf, "CHTN", 4);
	free(buf);
	free(work);
}

static size_t
encode_size(const struct chitin_descriptor *classes, uint32_t n, uint32_t which)
{
	size_t work_size = chitin_desc_encode_work_size(classes, n), size, common = 77;
	void *work;
	if (work_size == 0)
		return 0;
	work = xmalloc(work_size);
	size = chitin_desc_encode(classes, n, which, NULL, 0, &common, work, work_size);
	if (size == 0)
		assert_int_equal(common, 0);
	free(work);
	return size;
}

static void
test_encode_rejects_invalid(void **state)
{
	struct model m;
	uint8_t work[64];
	(void)state;

	model_init(&m);
	assert_true(encode_size(&m.d, 1, 0) > 0);
	m.d.module = NULL;
	assert_int_equal(encode_size(&m.d, 1, 0), 0);

	model_init(&m);
	m.d.targets = NULL;
	assert_int_equal(encode_size(&m.d, 1, 0), 0);

	model_init(&m);
	m.exports[0].symbol = NULL;
	assert_int_equal(encode_size(&m.d, 1, 0), 0);

	model_init(&m);
	m.event_variants[1].name = NULL;
	assert_int_equal(encode_size(&m.d, 1, 0), 0);

	model_init(&m);
	m.interfaces[NODE].base = NULL;
	assert_int_equal(encode_size(&m.d, 1, 0), 0);

	model_init(&m);
	m.types[FRAME].fields = NULL;
	assert_int_equal(encode_size(&m.d, 1, 0), 0);

	model_init(&m);
	m.d.interfaces = NULL;
	assert_int_equal(encode_size(&m.d, 1, 0), 0);
	assert_int_equal(chitin_desc_encode_work_size(&m.d, 1), 0);

	model_init(&m);
	m.types[FRAME].kind = (enum chitin_desc_kind)7;
	assert_int_equal(encode_size(&m.d, 1, 0), 0);
	m.types[FRAME].kind = (enum chitin_desc_kind)0;
	assert_int_equal(encode_size(&m.d, 1, 0), 0);

	/* No class, a class out of range, no work memory. */
	model_init(&m);
	assert_int_equal(encode_size(&m.d, 0, 0), 0);
	assert_int_equal(encode_size(&m.d, 1, 1), 0);
	assert_int_equal(chitin_desc_encode_work_size(NULL, 1), 0);
	assert_int_equal(chitin_desc_encode(NULL, 1, 0, NULL, 0, NULL, work, sizeof work), 0);
	assert_int_equal(chitin_desc_encode(&m.d, 1, 0, NULL, 0, NULL, NULL, 1 << 20), 0);
}

/* Work memory: the size asked for is enough at any alignment, one byte
 * less is not; only work and buf are written. */
static void
test_encode_work(void **state)
{
	struct model m;
	size_t work_size, size, shift, common;
	uint8_t *work, *blob, *ref;
	(void)state;

	model_init(&m);
	ref = encode_alloc(&m.d, &size);
	work_size = chitin_desc_encode_work_size(&m.d, 1);
	/* Linear in the references: about 40 bytes each on 64-bit hosts. */
	assert_true(work_size < 64 * 200);
	assert_int_equal(chitin_desc_encode_work_size(&m.d, 3) > work_size, 1);
	work = xmalloc(work_size + 16);
	blob = xmalloc(size);
	for (shift = 0; shift < 16; shift++) {
		memset(work, 0x77, work_size + 16);
		assert_int_equal(chitin_desc_encode(&m.d, 1, 0, NULL, 0, NULL, work + shift,
						    work_size - 1),
				 0);
		assert_int_equal(chitin_desc_encode(&m.d, 1, 0, blob, size, &common, work + shift,
						    work_size),
				 size);
		assert_memory_equal(blob, ref, size);
		if (shift > 0)
			assert_int_equal(work[shift - 1], 0x77);
		assert_int_equal(work[shift + work_size], 0x77);
	}
	free(work);
	free(blob);
	free(ref);
}

/* ---- Layout classes ------------------------------------------------------ */

/* Three classes of the model: two 64-bit target sets and a 32-bit one. */
struct classes {
	struct model m[3];
	struct chitin_descriptor d[3];
};

static void
classes_init(struct classes *c)
{
	uint32_t i;
	model_init(&c->m[0]);
	c->m[0].d.targets = "x86_64-linux aarch64-linux riscv64-linux";
	model_init(&c->m[1]);
	c->m[1].d.targets = "x86_64-windows";
	c->m[1].types[LOGFN].size = 16;
	c->m[1].types[LOGFN].layout_hash = hash_of("LogFn on windows");
	model_init_32(&c->m[2], "i686-linux armv7-linux wasm32-wasi");
	for (i = 0; i < 3; i++)
		c->d[i] = c->m[i].d;
}

/* Each class's blob starts with the same common part and decodes to its
 * own descriptor; the pool holds every class's hashes. */
static void
test_encode_classes(void **state)
{
	struct classes c;
	uint8_t *blob[3];
	size_t size[3], common[3], alone;
	uint32_t i;
	chitin_hash128 win = hash_of("LogFn on windows"), i686 = hash_of("void(str)32");
	(void)state;

	classes_init(&c);
	for (i = 0; i < 3; i++) {
		struct decoded dec;
		uint8_t *again;
		size_t size_again;
		blob[i] = encode_classes_alloc(c.d, 3, i, &size[i], &common[i]);
		assert_int_equal(size[i] % 8, 0);
		assert_int_equal(common[i], common[0]);
		assert_memory_equal(blob[i], blob[0], common[0]);
		assert_int_equal(rd32(blob[i] + common[i] + K_CLASS_SIZE), size[i] - common[i]);
		assert_int_equal(decode_alloc(blob[i], size[i], &dec), CHITIN_DESC_OK);
		assert_desc_equal(&c.d[i], &dec.d);
		/* The common part has every class's hashes and target lists. */
		assert_int_equal(count_bytes(blob[i], common[i], win.bytes, 16), 1);
		assert_int_equal(count_bytes(blob[i], common[i], i686.bytes, 16), 1);
		assert_int_equal(count_bytes(blob[i], common[i], "x86_64-windows", 15), 1);
		/* Alone, a class encodes to a blob of its own, smaller. */
		again = encode_alloc(&dec.d, &size_again);
		assert_true(size_again <= size[i]);
		free(again);
		decoded_free(&dec);
	}
	/* The class parts differ. */
	assert_true(size[0] - common[0] != size[2] - common[2] ||
		    memcmp(blob[0] + common[0], blob[2] + common[2], size[0] - common[0]) != 0);
	/* A class with itself: a common part like one class's. */
	alone = encode_size(c.d, 1, 0);
	assert_true(alone > 0 && alone < size[0]);
	for (i = 0; i < 3; i++)
		free(blob[i]);
}

/* Encoding every class at once gives the common part once and each
 * class's part, exactly the bytes of the blobs encoded one by one. */
static void
test_encode_all_classes(void **state)
{
	struct classes c;
	size_t work_size, size, common = 0, part = 0, one, one_common, k;
	uint8_t *all, *work;
	(void)state;

	classes_init(&c);
	work_size = chitin_desc_encode_work_size(c.d, 3);
	work = xmalloc(work_size);
	size = chitin_desc_encode_all(c.d, 3, NULL, 0, &common, &part, work, work_size);
	assert_true(size > 0);
	assert_int_equal(size, common + 3 * part);
	all = xmalloc(size);
	/* too small a buffer: measured, not written */
	memset(all, 0xAB, size);
	assert_int_equal(chitin_desc_encode_all(c.d, 3, all, size - 1, &common, &part, work, work_size),
			 size);
	assert_int_equal(all[0], 0xAB);
	assert_int_equal(chitin_desc_encode_all(c.d, 3, all, size, &common, &part, work, work_size),
			 size);
	for (k = 0; k < 3; k++) {
		uint8_t *blob = encode_classes_alloc(c.d, 3, (uint32_t)k, &one, &one_common);
		assert_int_equal(one_common, common);
		assert_int_equal(one, common + part);
		assert_memory_equal(blob, all, common);
		assert_memory_equal(blob + common, all + common + k * part, part);
		free(blob);
	}
	/* what chitin_desc_encode refuses, this refuses too */
	assert_int_equal(chitin_desc_encode_all(c.d, 3, NULL, 0, &common, &part, work, 16), 0);
	assert_int_equal(common, 0);
	assert_int_equal(part, 0);
	assert_int_equal(chitin_desc_encode_all(c.d, 0, NULL, 0, NULL, NULL, work, work_size), 0);
	free(all);
	free(work);
}

/* The classes may not differ in anything the common part holds. */
static void
test_encode_classes_disagree(void **state)
{
	struct classes c;
	struct model *m = &c.m[1];
	int k;
	(void)state;

	for (k = 0;; k++) {
		classes_init(&c);
		switch (k) {
		case 0: m->d.module = "video"; break;
		case 1: m->d.minor = 3; break;
		case 2: m->d.major = 2; break;
		case 3: m->d.n_imports = 1; break;
		case 4: m->imports[1].minor = 1; break;
		case 5: m->imports[0].module = "dsp2"; break;
		case 6: m->d.n_types = 6; break;
		case 7: m->types[FRAME].name = "Frame2"; break;
		case 8: m->types[FRAME].kind = CHITIN_DESC_UNION; break;
		case 9: m->types[FORMAT].flags = CHITIN_DESC_SIGNED; break;
		case 10: m->types[FORMAT].since_minor = 1; break;
		case 11: m->types[FRAME].type_id.bytes[3] ^= 1; break;
		case 12: m->types[SETTINGS].n_fields = 2; break;
		case 13: m->types[EVENT].n_variants = 3; break;
		case 14: m->settings_fields[1].name = "chans"; break;
		case 15: m->settings_fields[1].flags = CHITIN_DESC_SINCE; break;
		case 16: m->settings_fields[2].since_minor = 1; break;
		case 17: m->format_values[1].value = 9; break;
		case 18: m->event_variants[2].name = "Fail"; break;
		case 19: m->event_variants[1].flags = 0; break;
		case 20: m->d.n_interfaces = 1; break;
		case 21: m->interfaces[EFFECT].iid.bytes[0] ^= 1; break;
		case 22: m->interfaces[EFFECT].base = "audio.Node"; break;
		case 23: m->interfaces[NODE].flags = 0; break;
		case 24: m->interfaces[EFFECT].n_methods = 2; break;
		case 25: m->effect_methods[0].name = "chans"; break;
		case 26: m->effect_methods[2].since_minor = 2; break;
		case 27: m->d.n_exports = 1; break;
		case 28: m->exports[0].symbol = "audio_new_effect"; break;
		case 29: m->exports[1].flags = 0; break;
		case 30: m->interfaces[EFFECT].name = "Effect2"; break;
		default: return;
		}
		c.d[1] = m->d;
		assert_int_equal(encode_size(c.d, 3, 0), 0);
		assert_int_equal(encode_size(c.d, 3, 1), 0);
		/* Each alone is fine. */
		assert_true(encode_size(&c.d[1], 1, 0) > 0);
	}
}

/* Equal contents at other addresses are the same: the classes are
 * compared by value. */
static void
test_encode_classes_by_value(void **state)
{
	struct classes c;
	char *name = xstrdup("Frame");
	size_t a, b;
	(void)state;
	classes_init(&c);
	a = encode_size(c.d, 3, 2);
	c.m[2].types[FRAME].name = name;
	c.d[2] = c.m[2].d;
	b = encode_size(c.d, 3, 2);
	assert_true(a > 0);
	assert_int_equal(a, b);
	free(name);
}

/* 100,000 types with fields, in three classes: linear time (a quadratic
 * encoder would take minutes; this takes well under a second). */
static void
test_encode_large(void **state)
{
	enum { N = 100000, CLASSES = 3 };
	struct chitin_desc_type *types = xmalloc((size_t)N * CLASSES * sizeof *types);
	struct chitin_desc_field *fields = xmalloc((size_t)N * 3 * CLASSES * sizeof *fields);
	char *names = xmalloc((size_t)N * 8);
	struct chitin_descriptor d[CLASSES];
	struct decoded dec;
	uint8_t *blob;
	size_t size, common;
	uint32_t i, c, k;
	clock_t start;
	double seconds;
	(void)state;

	for (i = 0; i < N; i++)
		snprintf(names + (size_t)i * 8, 8, "T%u", i);
	for (c = 0; c < CLASSES; c++) {
		for (i = 0; i < N; i++) {
			struct chitin_desc_type *t = &types[(size_t)c * N + i];
			struct chitin_desc_field *f = &fields[((size_t)c * N + i) * 3];
			memset(t, 0, sizeof *t);
			t->name = names + (size_t)i * 8;
			t->kind = CHITIN_DESC_STRUCT;
			chitin_type_id("big", t->name, 1, &t->type_id);
			t->layout_hash = hash_of2(c ? "layout32" : "layout", i % 2 ? "odd" : "even");
			t->size = 16 + c;
			t->align = 4;
			for (k = 0; k < 3; k++) {
				set_field(&f[k], k == 0 ? "a" : k == 1 ? "b" : "c", 4 * k, 4,
					  k == 2 && c ? "u32 on 32" : "u32");
			}
			t->fields = f;
			t->n_fields = 3;
		}
		memset(&d[c], 0, sizeof d[c]);
		d[c].module = "big";
		d[c].major = 1;
		d[c].targets = c == 0 ? "x86_64-linux" : c == 1 ? "aarch64-linux" : "i686-linux";
		d[c].types = types + (size_t)c * N;
		d[c].n_types = N;
	}
	start = clock();
	blob = encode_classes_alloc(d, CLASSES, 2, &size, &common);
	seconds = (double)(clock() - start) / CLOCKS_PER_SEC;
	printf("encoded 3 classes of %u types (%zu-byte blob, %zu common) in %.3f s\n", N, size,
	       common, seconds);
	/* A generous bound, for slow sanitizer builds. */
	assert_true(seconds < 10);
	assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
	assert_int_equal(dec.d.n_types, N);
	assert_string_equal(dec.d.types[N - 1].name, "T99999");
	assert_int_equal(dec.d.types[N - 1].size, 18);
	assert_hash_equal(&dec.d.types[12345].type_id, &types[12345].type_id);
	assert_hash_equal(&dec.d.types[77].fields[2].type_hash,
			  &fields[((size_t)2 * N + 77) * 3 + 2].type_hash);
	decoded_free(&dec);
	free(blob);
	free(types);
	free(fields);
	free(names);
}

/* Values of a signed enum are zigzag-encoded: short when small, either
 * sign, and every 64-bit value comes back. */
static void
test_encode_signed_values(void **state)
{
	static const int64_t values[] = { 0, -1, 1, -64, 63, -65, INT64_MIN, INT64_MAX };
	struct model m;
	struct decoded dec;
	struct tb *t;
	uint8_t *blob;
	size_t size, i;
	(void)state;

	model_init(&m);
	m.types[EVENT].flags = CHITIN_DESC_SIGNED;
	for (i = 0; i < 4; i++)
		m.event_variants[i].value = (uint64_t)values[i];
	m.format_values[0].value = (uint64_t)values[4];
	m.format_values[1].value = (uint64_t)-2;    /* unsigned: the full 64 bits */
	blob = encode_alloc(&m.d, &size);
	assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
	assert_desc_equal(&m.d, &dec.d);
	decoded_free(&dec);
	t = tb_parse(blob, size);
	/* Format's three values, then Event's four. */
	assert_int_equal(*tb_value(&t->common.sec[S_VARIANTS], 1, 3), UINT64_MAX - 1);
	assert_int_equal(*tb_value(&t->common.sec[S_VARIANTS], 3, 3), 0);
	assert_int_equal(*tb_value(&t->common.sec[S_VARIANTS], 4, 3), 1);
	assert_int_equal(*tb_value(&t->common.sec[S_VARIANTS], 5, 3), 2);
	assert_int_equal(*tb_value(&t->common.sec[S_VARIANTS], 6, 3), 127);
	free(t);
	free(blob);

	m.types[FORMAT].flags = CHITIN_DESC_SIGNED;
	for (i = 0; i < 3; i++)
		m.format_values[i].value = (uint64_t)values[5 + i];
	blob = encode_alloc(&m.d, &size);
	assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
	assert_desc_equal(&m.d, &dec.d);
	decoded_free(&dec);
	free(blob);
}

/* ---- The vector of doc/descriptor.md section 12.4 ----------------------- */

static const uint8_t vector_bytes[224] = {
	0x43, 0x48, 0x54, 0x4e, 0x02, 0x00, 0x1c, 0x00, 0xe0, 0x00, 0x00, 0x00, 0xb4, 0x00, 0x00, 0x00,
	0x01, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x09, 0x00, 0x00, 0x00, 0x30, 0x00, 0x64, 0x65,
	0x6d, 0x6f, 0x00, 0x78, 0x38, 0x36, 0x5f, 0x36, 0x34, 0x2d, 0x6c, 0x69, 0x6e, 0x75, 0x78, 0x00,
	0x50, 0x6f, 0x69, 0x6e, 0x74, 0x00, 0x78, 0x00, 0x79, 0x00, 0x6f, 0x72, 0x69, 0x67, 0x69, 0x6e,
	0x00, 0x64, 0x65, 0x6d, 0x6f, 0x5f, 0x6f, 0x72, 0x69, 0x67, 0x69, 0x6e, 0x00, 0x40, 0x2a, 0x7a,
	0xf6, 0x99, 0x90, 0xbd, 0x59, 0xf4, 0x67, 0x69, 0x33, 0xbd, 0xfa, 0xc4, 0xf5, 0x77, 0x46, 0xce,
	0x41, 0x72, 0x21, 0x3f, 0x5c, 0xfc, 0x81, 0x7d, 0x09, 0x24, 0xa4, 0xf4, 0x43, 0x2e, 0xd9, 0x57,
	0x44, 0x8f, 0x27, 0xf7, 0xa7, 0x05, 0x1d, 0x34, 0xf2, 0x98, 0x69, 0xf1, 0x7c, 0x84, 0x6f, 0x26,
	0x69, 0xf2, 0xef, 0x55, 0xef, 0x99, 0x9c, 0x76, 0xc1, 0x56, 0xd5, 0x1f, 0x34, 0x00, 0x02, 0x00,
	0x03, 0x09, 0x01, 0x07, 0x13, 0x00, 0x00, 0x01, 0x02, 0x02, 0x00, 0x08, 0x02, 0x03, 0x19, 0x00,
	0x00, 0x1b, 0x00, 0x00, 0x02, 0x00, 0x04, 0x02, 0x00, 0x06, 0x02, 0x00, 0x03, 0x06, 0x01, 0x04,
	0x1d, 0x00, 0x00, 0x24, 0x2c, 0x00, 0x00, 0x00, 0x0c, 0x00, 0x05, 0x00, 0x06, 0x00, 0x00, 0x00,
	0x06, 0x01, 0x04, 0x08, 0x04, 0x03, 0x00, 0x08, 0x02, 0x03, 0x00, 0x04, 0x01, 0x04, 0x04, 0x01,
	0x02, 0x00, 0x01, 0x02, 0x00, 0x01, 0x03, 0x01, 0x01, 0x04, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00,
};

struct vector {
	struct chitin_descriptor d;
	struct chitin_desc_type type;
	struct chitin_desc_field fields[2];
	struct chitin_desc_export ex;
};

static void
vector_init(struct vector *v)
{
	memset(v, 0, sizeof *v);
	v->d.module = "demo";
	v->d.major = 1;
	v->d.minor = 0;
	v->d.targets = "x86_64-linux";
	v->type.name = "Point";
	v->type.kind = CHITIN_DESC_STRUCT;
	v->type.size = 8;
	v->type.align = 4;
	chitin_type_id("demo", "Point", 1, &v->type.type_id);
	v->type.layout_hash = hash_of("layout:Point");
	set_field(&v->fields[0], "x", 0, 4, "i32");
	set_field(&v->fields[1], "y", 4, 4, "i32");
	v->type.fields = v->fields;
	v->type.n_fields = 2;
	v->ex.name = "origin";
	v->ex.symbol = "demo_origin";
	v->ex.signature_hash = hash_of("signature:origin");
	v->d.types = &v->type;
	v->d.n_types = 1;
	v->d.exports = &v->ex;
	v->d.n_exports = 1;
}

static void
test_vector_bytes(void **state)
{
	struct vector v;
	struct decoded dec;
	uint8_t *blob;
	size_t size, common;
	struct tb *t;
	(void)state;

	vector_init(&v);
	blob = encode_classes_alloc(&v.d, 1, 0, &size, &common);
	assert_int_equal(size, sizeof vector_bytes);
	assert_int_equal(common, 0xb4);
	assert_memory_equal(blob, vector_bytes, sizeof vector_bytes);
	assert_int_equal(decode_alloc(vector_bytes, sizeof vector_bytes, &dec), CHITIN_DESC_OK);
	assert_desc_equal(&v.d, &dec.d);
	decoded_free(&dec);

	/* Read as the document reads it. */
	t = tb_parse(vector_bytes, sizeof vector_bytes);
	assert_int_equal(t->common.n_sec, 9);
	assert_int_equal(t->cls.n_sec, 5);
	assert_memory_equal(t->common.sec[S_STRINGS].bytes,
			    "\0demo\0x86_64-linux\0Point\0x\0y\0origin\0demo_origin\0", 48);
	assert_int_equal(t->common.sec[S_HASHES].n_bytes, 4 * 16);
	assert_int_equal(t->common.sec[S_TYPES].count, 1);
	assert_int_equal(*tb_value(&t->common.sec[S_TYPES], 0, 0), 19);        /* "Point" */
	assert_int_equal(*tb_value(&t->common.sec[S_TYPES], 0, 4), 2);         /* type id: pool entry 1 */
	assert_int_equal(*tb_value(&t->cls.sec[K_FIELDS], 1, 0), 4);           /* y at offset 4 */
	assert_int_equal(*tb_value(&t->cls.sec[K_EXPORTS], 0, 0), 4);          /* pool entry 3 */
	free(t);
	free(blob);
}

/* Prints the vector as doc/descriptor.md shows it, when asked:
 * CHITIN_PRINT_VECTOR=1 tests/unit/test_desc_codec */
static void
test_vector_print(void **state)
{
	struct vector v;
	uint8_t *blob;
	size_t size, i;
	(void)state;

	if (!getenv("CHITIN_PRINT_VECTOR"))
		return;
	vector_init(&v);
	blob = encode_alloc(&v.d, &size);
	for (i = 0; i < size; i++)
		printf("%s%02x%s", i % 16 == 0 ? "" : " ", blob[i], i % 16 == 15 ? "\n" : "");
	free(blob);
}

/* Parsing an encoded blob by the document and writing it again gives the
 * same bytes: the framing is the document's, sections in its order with
 * its arities. */
static void
test_layout_as_documented(void **state)
{
	struct classes c;
	uint32_t i, sec;
	(void)state;

	classes_init(&c);
	for (i = 0; i < 3; i++) {
		size_t size, again_size;
		uint8_t *blob = encode_classes_alloc(c.d, 3, i, &size, NULL), *again;
		struct tb *t = tb_parse(blob, size);
		assert_int_equal(t->common.head_size, HEADER_SIZE);
		assert_int_equal(t->cls.head_size, CLASS_HEADER_SIZE);
		assert_int_equal(t->common.n_sec, N_COMMON);
		assert_int_equal(t->cls.n_sec, N_CLASS);
		for (sec = S_IMPORTS; sec < N_COMMON; sec++)
			assert_int_equal(t->common.sec[sec].arity, common_arity[sec]);
		for (sec = 0; sec < N_CLASS; sec++)
			assert_int_equal(t->cls.sec[sec].arity, class_arity[sec]);
		assert_int_equal(t->common.sec[S_TYPES].count, 7);
		assert_int_equal(t->common.sec[S_FIELDS].count, 7);
		assert_int_equal(t->common.sec[S_VARIANTS].count, 7);
		assert_int_equal(t->common.sec[S_METHODS].count, 4);
		assert_int_equal(rd16(t->common.head + H_MAJOR), 1);
		assert_int_equal(rd16(t->common.head + H_MINOR), 2);
		assert_string_equal((const char *)t->common.sec[S_STRINGS].bytes +
					    rd32(t->common.head + H_MODULE), "audio");
		assert_string_equal((const char *)t->common.sec[S_STRINGS].bytes +
					    rd32(t->cls.head + K_TARGETS), c.d[i].targets);
		again = tb_serialize(t, &again_size);
		assert_int_equal(again_size, size);
		assert_memory_equal(again, blob, size);
		free(again);
		free(t);
		free(blob);
	}
}

/* A blob that a later revision of format 2 wrote: longer headers, an
 * extra section in each part, and an extra value in every record, all
 * of them 0xEE-ish.  A reader of revision 0 sees the same descriptor. */
static void
test_decode_later_revision(void **state)
{
	struct classes c;
	struct decoded dec;
	size_t size, later_size, sec;
	uint8_t *blob, *later;
	struct tb *t;
	(void)state;

	classes_init(&c);
	blob = encode_classes_alloc(c.d, 3, 2, &size, NULL);
	t = tb_parse(blob, size);
	memset(t->common.head + HEADER_SIZE, 0xee, 8);
	t->common.head_size += 8;
	memset(t->cls.head + CLASS_HEADER_SIZE, 0xee, 4);
	t->cls.head_size += 4;
	for (sec = 0; sec < N_COMMON + N_CLASS; sec++) {
		struct tb_section *s = sec < N_COMMON ? &t->common.sec[sec] : &t->cls.sec[sec - N_COMMON];
		uint64_t r, k, n = 0, old_arity = s->arity;
		uint64_t *copy;
		if (s->is_bytes)
			continue;
		copy = xmalloc(s->n_values * sizeof *copy);
		memcpy(copy, s->values, s->n_values * sizeof *copy);
		s->arity++;
		for (r = 0; r < s->count; r++) {
			for (k = 0; k < old_arity; k++)
				s->values[n++] = copy[r * old_arity + k];
			s->values[n++] = 0xee + r * 1000;    /* a value of any size */
		}
		s->n_values = n;
		free(copy);
	}
	t->common.sec[N_COMMON].n_bytes = 5;
	memset(t->common.sec[N_COMMON].bytes, 0xee, 5);
	t->common.sec[N_COMMON].is_bytes = 1;
	t->common.n_sec++;
	t->cls.sec[N_CLASS].count = 1;
	t->cls.sec[N_CLASS].arity = 2;
	t->cls.sec[N_CLASS].values[0] = 300;
	t->cls.sec[N_CLASS].values[1] = 0;
	t->cls.sec[N_CLASS].n_values = 2;
	t->cls.n_sec++;
	later = tb_serialize(t, &later_size);
	assert_true(later_size > size);
	assert_int_equal(decode_alloc(later, later_size, &dec), CHITIN_DESC_OK);
	assert_desc_equal(&c.d[2], &dec.d);
	decoded_free(&dec);
	free(later);
	free(t);
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

/* Blobs end to end, as a section holding several modules' descriptors
 * (or one module's classes). */
static void
test_probe_walks_blobs(void **state)
{
	struct model a, b;
	struct classes c;
	uint8_t *blobs[3], *all;
	size_t sizes[3], total = 0, at = 0, n = 0, blob_size, i;
	static const char *const modules[3] = { "audio", "other", "audio" };
	(void)state;

	model_init(&a);
	model_init_1_1(&b);
	b.d.module = "other";
	classes_init(&c);
	blobs[0] = encode_alloc(&a.d, &sizes[0]);
	blobs[1] = encode_alloc(&b.d, &sizes[1]);
	blobs[2] = encode_classes_alloc(c.d, 3, 1, &sizes[2], NULL);
	for (i = 0; i < 3; i++)
		total += sizes[i];
	all = xmalloc(total);
	for (i = 0; i < 3; i++) {
		memcpy(all + at, blobs[i], sizes[i]);
		at += sizes[i];
	}
	at = 0;
	while (at < total) {
		struct decoded dec;
		assert_int_equal(chitin_desc_probe(all + at, total - at, &blob_size), CHITIN_DESC_OK);
		assert_int_equal(blob_size % 8, 0);
		assert_int_equal(decode_alloc(all + at, total - at, &dec), CHITIN_DESC_OK);
		assert_string_equal(dec.d.module, modules[n]);
		decoded_free(&dec);
		at += blob_size;
		n++;
	}
	assert_int_equal(n, 3);
	free(all);
	for (i = 0; i < 3; i++)
		free(blobs[i]);
}

/* ---- Validity rules, each broken on purpose ------------------------------ */

/* Decodes a copy of blob with one fixed-size field overwritten. */
static enum chitin_desc_status
decode_patched(const uint8_t *blob, size_t size, size_t at, unsigned width, uint32_t value)
{
	uint8_t *copy = xmalloc(size);
	struct decoded dec;
	enum chitin_desc_status status;
	memcpy(copy, blob, size);
	if (width == 1)
		copy[at] = (uint8_t)value;
	else if (width == 2)
		wr16(copy + at, value);
	else
		wr32(copy + at, value);
	status = decode_alloc(copy, size, &dec);
	decoded_free(&dec);
	free(copy);
	return status;
}

/* Rules 1 to 6 of section 7: the headers. */
static void
test_decode_header_rules(void **state)
{
	struct model m;
	uint8_t *blob;
	size_t size, common;
	(void)state;

	model_init(&m);
	blob = encode_classes_alloc(&m.d, 1, 0, &size, &common);
	assert_int_equal(decode_patched(blob, size, 8, 4, (uint32_t)size), CHITIN_DESC_OK);
	/* 1. Magic. */
	assert_int_equal(decode_patched(blob, size, 0, 1, 'c'), CHITIN_DESC_BAD_MAGIC);
	assert_int_equal(decode_patched(blob, size, 3, 1, 'M'), CHITIN_DESC_BAD_MAGIC);
	assert_int_equal(chitin_desc_probe(blob, 3, NULL), CHITIN_DESC_TRUNCATED);
	assert_int_equal(chitin_desc_probe((const uint8_t *)"CHX", 3, NULL), CHITIN_DESC_BAD_MAGIC);
	/* 2. Format: 1 (never released) and 3 are others. */
	assert_int_equal(decode_patched(blob, size, H_FORMAT, 2, 1), CHITIN_DESC_UNSUPPORTED_FORMAT);
	assert_int_equal(decode_patched(blob, size, H_FORMAT, 2, 3), CHITIN_DESC_UNSUPPORTED_FORMAT);
	assert_int_equal(chitin_desc_probe(blob, 5, NULL), CHITIN_DESC_TRUNCATED);
	/* 3. The blob fits. */
	assert_int_equal(chitin_desc_probe(blob, HEADER_SIZE - 1, NULL), CHITIN_DESC_TRUNCATED);
	assert_int_equal(decode_patched(blob, size, H_BLOB_SIZE, 4, (uint32_t)size + 8),
			 CHITIN_DESC_TRUNCATED);
	assert_int_equal(decode_patched(blob, size, H_BLOB_SIZE, 4, 0xfffffff8), CHITIN_DESC_TRUNCATED);
	/* 4. Header size, part sizes. */
	assert_int_equal(decode_patched(blob, size, H_HEADER_SIZE, 2, HEADER_SIZE - 1), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched(blob, size, H_HEADER_SIZE, 2, (uint32_t)common + 1),
			 CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched(blob, size, H_COMMON_SIZE, 4, (uint32_t)common + 2),
			 CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched(blob, size, H_COMMON_SIZE, 4, (uint32_t)size - 8),
			 CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched(blob, size, H_COMMON_SIZE, 4, (uint32_t)size + 4),
			 CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched(blob, size, H_BLOB_SIZE, 4, (uint32_t)size - 4),
			 CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched(blob, size, H_BLOB_SIZE, 4, 0), CHITIN_DESC_CORRUPT);
	/* 5. The class header. */
	assert_int_equal(decode_patched(blob, size, common + K_CLASS_SIZE, 4, (uint32_t)(size - common - 4)),
			 CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched(blob, size, common + K_HEADER_SIZE, 2, CLASS_HEADER_SIZE - 1),
			 CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched(blob, size, common + K_HEADER_SIZE, 2, (uint32_t)(size - common + 1)),
			 CHITIN_DESC_CORRUPT);
	/* 6. Section counts. */
	assert_int_equal(decode_patched(blob, size, H_SECTION_COUNT, 2, N_COMMON - 1), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched(blob, size, common + K_SECTION_COUNT, 2, N_CLASS - 1),
			 CHITIN_DESC_CORRUPT);
	/* Reserved bytes are ignored. */
	assert_int_equal(decode_patched(blob, size, 26, 2, 0xffff), CHITIN_DESC_OK);
	free(blob);
}

/* Rule 7: sections lie in their part, each a varint size and a body. */
static void
test_decode_section_rules(void **state)
{
	struct tb *t = tb_of_model();
	size_t sec, size, common;
	uint8_t *blob;
	(void)state;

	assert_int_equal(tb_decode(t), CHITIN_DESC_OK);
	for (sec = 0; sec < N_COMMON + N_CLASS; sec++) {
		struct tb_section *s = sec < N_COMMON ? &t->common.sec[sec] : &t->cls.sec[sec - N_COMMON];
		/* A size past its part's end. */
		s->size_delta = 64;
		assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
		s->size_delta = 0;
		/* A size that is not a varint of its own (overlong). */
		s->size_width = 3;
		assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
		s->size_width = 0;
	}
	assert_int_equal(tb_decode(t), CHITIN_DESC_OK);
	/* More sections than the part has room for. */
	blob = tb_serialize(t, &size);
	common = rd32(blob + H_COMMON_SIZE);
	assert_int_equal(decode_patched(blob, size, H_SECTION_COUNT, 2, 0xffff), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched(blob, size, common + K_SECTION_COUNT, 2, 0xffff),
			 CHITIN_DESC_CORRUPT);
	free(blob);
	free(t);
}

/* Rules 8 to 10: strings, the pool, the records' counts and arities. */
static void
test_decode_table_rules(void **state)
{
	struct tb *t = tb_of_model();
	struct tb_section *strings = &t->common.sec[S_STRINGS];
	struct tb_section *pool = &t->common.sec[S_HASHES];
	size_t sec, size, common;
	uint8_t *blob;
	(void)state;

	/* 8. The string table ends in a NUL; module and targets in it. */
	strings->bytes[strings->n_bytes - 1] = 'x';
	assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
	strings->bytes[strings->n_bytes - 1] = 0;
	strings->bytes[strings->n_bytes++] = 0;
	assert_int_equal(tb_decode(t), CHITIN_DESC_OK);
	strings->n_bytes = 0;
	assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
	free(t);
	t = tb_of_model();
	strings = &t->common.sec[S_STRINGS];
	blob = tb_serialize(t, &size);
	common = rd32(blob + H_COMMON_SIZE);
	assert_int_equal(decode_patched(blob, size, H_MODULE, 4, (uint32_t)strings->n_bytes - 1),
			 CHITIN_DESC_OK);
	assert_int_equal(decode_patched(blob, size, H_MODULE, 4, (uint32_t)strings->n_bytes),
			 CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched(blob, size, common + K_TARGETS, 4, (uint32_t)strings->n_bytes),
			 CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_patched(blob, size, common + K_TARGETS, 4, 0xffffffff),
			 CHITIN_DESC_CORRUPT);
	free(blob);

	/* 9. The pool is made of 16-byte values. */
	pool = &t->common.sec[S_HASHES];
	pool->bytes[pool->n_bytes++] = 0;
	assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
	pool->n_bytes += 15;
	assert_int_equal(tb_decode(t), CHITIN_DESC_OK);
	pool->n_bytes -= 16;

	/* 10. Count and arity: varints of 32 bits, the arity at least
	 * revision 0's, room for a byte per value. */
	for (sec = 0; sec < N_COMMON + N_CLASS; sec++) {
		struct tb_section *s = sec < N_COMMON ? &t->common.sec[sec] : &t->cls.sec[sec - N_COMMON];
		uint64_t count = s->count, arity = s->arity;
		if (s->is_bytes)
			continue;
		s->arity = arity - 1;
		assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
		s->arity = (uint64_t)UINT32_MAX + 1;
		assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
		s->arity = arity;
		s->count = (uint64_t)UINT32_MAX + 1;
		assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
		s->count = count + 1;     /* values for one record fewer than it says */
		assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
		s->count = count;
		s->count_width = 2;       /* overlong */
		assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
		s->count_width = 0;
		s->arity_width = 3;
		assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
		s->arity_width = 0;
		assert_int_equal(tb_decode(t), CHITIN_DESC_OK);
	}
	free(t);
}

/* Rule 11: each class section has as many records as its common one. */
static void
test_decode_class_count_rule(void **state)
{
	struct tb *t = tb_of_model();
	size_t sec;
	(void)state;

	for (sec = 0; sec < N_CLASS; sec++) {
		struct tb_section *s = &t->cls.sec[sec];
		s->count--;
		s->n_values -= s->arity;
		assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
		s->count++;
		s->n_values += s->arity;
		assert_int_equal(tb_decode(t), CHITIN_DESC_OK);
	}
	free(t);
}

/* Rule 12: every value is a well-formed varint inside its section. */
static void
test_decode_varint_rules(void **state)
{
	static const uint8_t max64[10] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x01 };
	static const uint8_t over64[10] = { 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02 };
	static const uint8_t eleven[11] = { 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x80, 0x00 };
	static const uint8_t zero2[2] = { 0x80, 0x00 };
	struct tb *t = tb_of_model();
	struct tb_section *fields = &t->cls.sec[K_FIELDS];
	struct tb_section *types = &t->common.sec[S_TYPES];
	struct decoded dec;
	size_t size;
	uint8_t *blob;
	(void)state;

	/* The largest value: a field offset of 2^64 - 1. */
	fields->raw_index = 0;
	memcpy(fields->raw, max64, sizeof max64);
	fields->n_raw = sizeof max64;
	blob = tb_serialize(t, &size);
	assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
	assert_int_equal(dec.d.types[FRAME].fields[0].offset, UINT64_MAX);
	decoded_free(&dec);
	free(blob);
	/* Past 64 bits; longer than 10 bytes; overlong. */
	memcpy(fields->raw, over64, sizeof over64);
	assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
	memcpy(fields->raw, eleven, sizeof eleven);
	fields->n_raw = sizeof eleven;
	assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
	memcpy(fields->raw, zero2, sizeof zero2);
	fields->n_raw = sizeof zero2;
	assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
	fields->n_raw = 0;
	fields->width[4] = 2;
	assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
	fields->width[4] = 0;
	assert_int_equal(tb_decode(t), CHITIN_DESC_OK);
	/* A value whose last byte is past its section's end. */
	types->raw_index = types->n_values - 1;
	types->raw[0] = 0x80;
	types->n_raw = 1;
	assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
	types->n_raw = 0;
	/* Rule 15: bytes after the records. */
	types->extra[0] = 0;
	types->n_extra = 1;
	assert_int_equal(tb_decode(t), CHITIN_DESC_CORRUPT);
	types->n_extra = 0;
	assert_int_equal(tb_decode(t), CHITIN_DESC_OK);
	free(t);
}

/* Sets value v of record r of section s to x, decodes, restores. */
static enum chitin_desc_status
decode_with(struct tb *t, struct tb_section *s, size_t r, size_t v, uint64_t x)
{
	uint64_t *p = tb_value(s, r, v), old = *p;
	enum chitin_desc_status status;
	*p = x;
	status = tb_decode(t);
	*p = old;
	return status;
}

/* Rules 13 and 14: what each value may be. */
static void
test_decode_value_rules(void **state)
{
	struct tb *t = tb_of_model();
	struct tb_section *imports = &t->common.sec[S_IMPORTS], *types = &t->common.sec[S_TYPES];
	struct tb_section *fields = &t->common.sec[S_FIELDS], *variants = &t->common.sec[S_VARIANTS];
	struct tb_section *ifaces = &t->common.sec[S_INTERFACES], *methods = &t->common.sec[S_METHODS];
	struct tb_section *exports = &t->common.sec[S_EXPORTS];
	struct tb_section *ktypes = &t->cls.sec[K_TYPES], *kfields = &t->cls.sec[K_FIELDS];
	uint64_t strings = t->common.sec[S_STRINGS].n_bytes;
	uint64_t pool = t->common.sec[S_HASHES].n_bytes / 16;
	struct tb_section *with_name[] = { types, fields, variants, ifaces, methods, exports };
	struct tb_section *with_hash[] = {
		types, ifaces, ktypes, kfields, &t->cls.sec[K_VARIANTS], &t->cls.sec[K_METHODS],
		&t->cls.sec[K_EXPORTS],
	};
	static const size_t hash_value[] = { 4, 3, 2, 2, 0, 0, 0 };
	size_t i;
	(void)state;

	/* String references: below the table's size. */
	assert_int_equal(decode_with(t, imports, 1, 0, strings - 1), CHITIN_DESC_OK);
	assert_int_equal(decode_with(t, imports, 1, 0, strings), CHITIN_DESC_CORRUPT);
	for (i = 0; i < 6; i++) {
		assert_int_equal(decode_with(t, with_name[i], 0, 0, strings - 1), CHITIN_DESC_OK);
		assert_int_equal(decode_with(t, with_name[i], 0, 0, strings), CHITIN_DESC_CORRUPT);
		assert_int_equal(decode_with(t, with_name[i], 0, 0, UINT64_MAX), CHITIN_DESC_CORRUPT);
		/* Flags: 32 bits; since_minor: 16. */
		assert_int_equal(decode_with(t, with_name[i], 0, 1, UINT32_MAX), CHITIN_DESC_OK);
		assert_int_equal(decode_with(t, with_name[i], 0, 1, (uint64_t)UINT32_MAX + 1),
				 CHITIN_DESC_CORRUPT);
		assert_int_equal(decode_with(t, with_name[i], 0, 2, UINT16_MAX), CHITIN_DESC_OK);
		assert_int_equal(decode_with(t, with_name[i], 0, 2, UINT16_MAX + 1), CHITIN_DESC_CORRUPT);
	}
	assert_int_equal(decode_with(t, ifaces, 0, 4, strings), CHITIN_DESC_CORRUPT);     /* base */
	assert_int_equal(decode_with(t, exports, 1, 3, strings), CHITIN_DESC_CORRUPT);    /* symbol */
	/* Hash references: 0 (the zero hash) to the pool's count. */
	for (i = 0; i < 7; i++) {
		assert_int_equal(decode_with(t, with_hash[i], 0, hash_value[i], 0), CHITIN_DESC_OK);
		assert_int_equal(decode_with(t, with_hash[i], 0, hash_value[i], pool), CHITIN_DESC_OK);
		assert_int_equal(decode_with(t, with_hash[i], 0, hash_value[i], pool + 1),
				 CHITIN_DESC_CORRUPT);
	}
	assert_int_equal(decode_with(t, ktypes, LOGFN, 3, pool + 1), CHITIN_DESC_CORRUPT);
	/* Import versions: 16 bits. */
	assert_int_equal(decode_with(t, imports, 0, 1, UINT16_MAX), CHITIN_DESC_OK);
	assert_int_equal(decode_with(t, imports, 0, 1, UINT16_MAX + 1), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, imports, 0, 2, UINT16_MAX + 1), CHITIN_DESC_CORRUPT);
	/* Kinds 1 to 6. */
	assert_int_equal(decode_with(t, types, 0, 3, 0), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, types, 0, 3, 7), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, types, 0, 3, 6), CHITIN_DESC_OK);
	/* Alignment: 32 bits; size and offsets: 64. */
	assert_int_equal(decode_with(t, ktypes, 0, 1, UINT32_MAX), CHITIN_DESC_OK);
	assert_int_equal(decode_with(t, ktypes, 0, 1, (uint64_t)UINT32_MAX + 1), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, ktypes, 0, 0, UINT64_MAX), CHITIN_DESC_OK);
	assert_int_equal(decode_with(t, kfields, 0, 1, UINT64_MAX), CHITIN_DESC_OK);
	/* 14. Counts: no more fields, variants or methods than are left, and
	 * all of them used. */
	assert_int_equal(decode_with(t, types, FRAME, 5, 8), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, types, FRAME, 5, 7), CHITIN_DESC_CORRUPT);  /* none left */
	assert_int_equal(decode_with(t, types, NODE_TYPE, 5, 1), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, types, FRAME, 5, 1), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, types, FRAME, 6, 1), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, types, FORMAT, 6, 8), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, types, FORMAT, 6, 2), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, types, FORMAT, 6, UINT64_MAX), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, ifaces, EFFECT, 5, 5), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, ifaces, EFFECT, 5, 2), CHITIN_DESC_CORRUPT);
	assert_int_equal(decode_with(t, ifaces, NODE, 5, 0), CHITIN_DESC_CORRUPT);
	/* Moving a field from one type to the next is valid. */
	{
		struct decoded dec;
		size_t size;
		uint8_t *blob;
		*tb_value(types, FRAME, 5) = 1;
		*tb_value(types, SETTINGS, 5) = 4;
		blob = tb_serialize(t, &size);
		assert_int_equal(decode_alloc(blob, size, &dec), CHITIN_DESC_OK);
		assert_string_equal(dec.d.types[SETTINGS].fields[0].name, "right");
		decoded_free(&dec);
		free(blob);
	}
	free(t);
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
	struct classes c;
	uint8_t *blob, *copy;
	size_t size, round, common;
	uint64_t seed = 0x9e3779b97f4a7c15ull;
	unsigned n_ok = 0, n_failed = 0;
	(void)state;

	classes_init(&c);
	blob = encode_classes_alloc(c.d, 3, 1, &size, &common);
	copy = xmalloc(size);
	for (round = 0; round < ROUNDS; round++) {
		struct decoded dec;
		unsigned k, n_changes = 1 + (unsigned)(next_random(&seed) % 4);
		memcpy(copy, blob, size);
		for (k = 0; k < n_changes; k++) {
			uint64_t r = next_random(&seed);
			size_t at = (size_t)(r % size);
			/* Favour the headers and the framing, where one byte
			 * moves everything. */
			if ((r >> 32) % 4 == 0)
				at = (size_t)((r >> 8) % 40);
			else if ((r >> 32) % 4 == 1)
				at = common + (size_t)((r >> 8) % 24) % (size - common);
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
			compare_alloc(&c.d[1], &dec.d, 0, &report);
			chitin_desc_format_report(&report, text, sizeof text);
			compare_alloc(&dec.d, &c.d[1], 3, &report);
			chitin_desc_format_report(&report, text, sizeof text);
			/* Not necessarily 0: a mutation may duplicate a name. */
			compare_alloc(&dec.d, &dec.d, 0, NULL);
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

/* Random bytes after a valid magic and format, with sizes that often
 * hold. */
static void
test_decode_random_bytes(void **state)
{
	enum { ROUNDS = 4000 };
	uint64_t seed = 12345;
	size_t round, i;
	(void)state;

	for (round = 0; round < ROUNDS; round++) {
		size_t len = (size_t)(next_random(&seed) % 600);
		uint8_t *buf = xmalloc(len);
		struct decoded dec;
		for (i = 0; i < len; i++)
			buf[i] = (uint8_t)next_random(&seed);
		if (len >= HEADER_SIZE) {
			memcpy(buf, "CHTN\2\0\34\0", 8);
			if (round % 2) {
				size_t blob = len / 8 * 8, common = (size_t)(next_random(&seed) % blob) / 4 * 4;
				wr32(buf + H_BLOB_SIZE, (uint32_t)blob);
				wr32(buf + H_COMMON_SIZE, (uint32_t)common);
				wr16(buf + H_SECTION_COUNT, N_COMMON + round % 3);
				if (common + 12 <= blob) {
					wr32(buf + common, (uint32_t)(blob - common));
					wr16(buf + common + K_HEADER_SIZE, CLASS_HEADER_SIZE);
					wr16(buf + common + K_SECTION_COUNT, N_CLASS);
				}
			}
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
	assert_true(needed < SCRATCH_BOUND(size));
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
		assert_int_equal(scratch[shift + needed], 0x77);
	}
	free(scratch);
	free(blob);
}

/* The densest blob for scratch: as many type records as fit, each of the
 * fewest bytes (doc/descriptor.md section 7).  Its need stays within the
 * bound. */
static void
test_decode_scratch_bound(void **state)
{
	enum { N = 500 };
	struct tb *t;
	struct chitin_descriptor d;
	size_t size, needed, i;
	uint8_t *blob;
	(void)state;

	memset(&d, 0, sizeof d);
	d.module = "m";
	d.targets = "";
	blob = encode_alloc(&d, &size);
	t = tb_parse(blob, size);
	free(blob);
	t->common.sec[S_TYPES].count = N;
	t->cls.sec[K_TYPES].count = N;
	for (i = 0; i < N * 7; i++)
		t->common.sec[S_TYPES].values[i] = i % 7 == 3 ? 1 : 0;
	t->common.sec[S_TYPES].n_values = N * 7;
	memset(t->cls.sec[K_TYPES].values, 0, N * 4 * sizeof(uint64_t));
	t->cls.sec[K_TYPES].n_values = N * 4;
	blob = tb_serialize(t, &size);
	assert_int_equal(chitin_desc_decode(blob, size, NULL, 0, &d, &needed),
			 CHITIN_DESC_SCRATCH_TOO_SMALL);
	assert_true(needed >= N * sizeof(struct chitin_desc_type));
	assert_true(needed < SCRATCH_BOUND(size));
	free(blob);
	free(t);
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

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_round_trip),
		cmocka_unit_test(test_round_trip_empty_module),
		cmocka_unit_test(test_encode_deterministic),
		cmocka_unit_test(test_encode_shares_values),
		cmocka_unit_test(test_encode_buffer_too_small),
		cmocka_unit_test(test_encode_rejects_invalid),
		cmocka_unit_test(test_encode_work),
		cmocka_unit_test(test_encode_classes),
		cmocka_unit_test(test_encode_all_classes),
		cmocka_unit_test(test_encode_classes_disagree),
		cmocka_unit_test(test_encode_classes_by_value),
		cmocka_unit_test(test_encode_large),
		cmocka_unit_test(test_encode_signed_values),
		cmocka_unit_test(test_vector_bytes),
		cmocka_unit_test(test_vector_print),
		cmocka_unit_test(test_layout_as_documented),
		cmocka_unit_test(test_decode_later_revision),
		cmocka_unit_test(test_decode_every_truncation),
		cmocka_unit_test(test_decode_trailing_bytes),
		cmocka_unit_test(test_probe_walks_blobs),
		cmocka_unit_test(test_decode_header_rules),
		cmocka_unit_test(test_decode_section_rules),
		cmocka_unit_test(test_decode_table_rules),
		cmocka_unit_test(test_decode_class_count_rule),
		cmocka_unit_test(test_decode_varint_rules),
		cmocka_unit_test(test_decode_value_rules),
		cmocka_unit_test(test_decode_mutations),
		cmocka_unit_test(test_decode_random_bytes),
		cmocka_unit_test(test_decode_scratch),
		cmocka_unit_test(test_decode_scratch_bound),
		cmocka_unit_test(test_status_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
