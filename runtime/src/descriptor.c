/* The binary descriptor of doc/descriptor.md: the encoder, and a decoder
 * that checks every offset, count and string of a blob before it builds
 * the in-memory form in the caller's memory. */
#include "chitin/descriptor.h"

#include <string.h>

/* ---- Format 1 ----------------------------------------------------------
 * The numbers below are those of doc/descriptor.md; the two must change
 * together.  All integers are little-endian. */

enum {
	HEADER_SIZE = 32,        /* format 1, revision 0 */
	SECTION_ENTRY_SIZE = 12,
	N_SECTIONS = 8,
	BLOB_ALIGN = 8,          /* blob sizes are multiples of this */
};

/* The header. */
enum {
	H_MAGIC = 0,             /* "CHTN" */
	H_FORMAT = 4,            /* u16 */
	H_HEADER_SIZE = 6,       /* u16: where the section table starts */
	H_BLOB_SIZE = 8,         /* u32 */
	H_N_SECTIONS = 12,       /* u16 */
	H_SECTION_ENTRY_SIZE = 14, /* u16 */
	H_MODULE = 16,           /* u32 string */
	H_TARGET = 20,           /* u32 string */
	H_MAJOR = 24,            /* u16 */
	H_MINOR = 26,            /* u16 */
	/* 28: u32 reserved */
};

/* A section table entry. */
enum {
	S_OFFSET = 0,            /* u32 */
	S_COUNT = 4,             /* u32: records, or bytes of the string table */
	S_RECORD_SIZE = 8,       /* u16 */
	/* 10: u16 reserved */
};

enum section {
	SEC_IMPORTS,
	SEC_TYPES,
	SEC_FIELDS,
	SEC_VARIANTS,
	SEC_INTERFACES,
	SEC_METHODS,
	SEC_EXPORTS,
	SEC_STRINGS,
};

/* Record sizes of format 1: the least a reader accepts. */
static const uint16_t min_record_size[N_SECTIONS] = {
	[SEC_IMPORTS] = 8,
	[SEC_TYPES] = 88,
	[SEC_FIELDS] = 44,
	[SEC_VARIANTS] = 36,
	[SEC_INTERFACES] = 40,
	[SEC_METHODS] = 28,
	[SEC_EXPORTS] = 32,
	[SEC_STRINGS] = 1,
};

/* Every record but an import starts with name, flags and since_minor. */
enum {
	R_NAME = 0,              /* u32 string */
	R_FLAGS = 4,             /* u32 */
	R_SINCE = 8,             /* u16, then u16 reserved */
};

enum {
	IMPORT_MODULE = 0,       /* u32 string */
	IMPORT_MAJOR = 4,        /* u16 */
	IMPORT_MINOR = 6,        /* u16 */
};

enum {
	TYPE_KIND = 10,          /* u8, then u8 reserved */
	TYPE_ALIGN = 12,         /* u32 */
	TYPE_SIZE = 16,          /* u64 */
	TYPE_ID = 24,            /* 16 bytes */
	TYPE_LAYOUT_HASH = 40,   /* 16 bytes */
	TYPE_SIGNATURE_HASH = 56, /* 16 bytes */
	TYPE_FIRST_FIELD = 72,   /* u32 */
	TYPE_N_FIELDS = 76,      /* u32 */
	TYPE_FIRST_VARIANT = 80, /* u32 */
	TYPE_N_VARIANTS = 84,    /* u32 */
};

enum {
	FIELD_OFFSET = 12,       /* u64 */
	FIELD_SIZE = 20,         /* u64 */
	FIELD_TYPE_HASH = 28,    /* 16 bytes */
};

enum {
	VARIANT_VALUE = 12,      /* u64 */
	VARIANT_PAYLOAD_HASH = 20, /* 16 bytes */
};

enum {
	INTERFACE_BASE = 12,     /* u32 string */
	INTERFACE_IID = 16,      /* 16 bytes */
	INTERFACE_FIRST_METHOD = 32, /* u32 */
	INTERFACE_N_METHODS = 36, /* u32 */
};

enum {
	METHOD_SIGNATURE_HASH = 12, /* 16 bytes */
};

enum {
	EXPORT_SYMBOL = 12,      /* u32 string */
	EXPORT_SIGNATURE_HASH = 16, /* 16 bytes */
};

static const uint8_t magic[4] = { 'C', 'H', 'T', 'N' };

static void
put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)v;
	p[1] = (uint8_t)(v >> 8);
}

static void
put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)v);
	put16(p + 2, (uint16_t)(v >> 16));
}

static void
put64(uint8_t *p, uint64_t v)
{
	put32(p, (uint32_t)v);
	put32(p + 4, (uint32_t)(v >> 32));
}

static uint16_t
get16(const uint8_t *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t
get32(const uint8_t *p)
{
	return (uint32_t)get16(p) | (uint32_t)get16(p + 2) << 16;
}

static uint64_t
get64(const uint8_t *p)
{
	return (uint64_t)get32(p) | (uint64_t)get32(p + 4) << 32;
}

/* ---- Encoding ---------------------------------------------------------- */

/* Equal strings share one copy in the string table, as far as a fixed
 * table of slots can remember them; the choice depends only on the
 * strings, so the output stays deterministic. */
enum { STRING_SLOTS = 256 };  /* a power of two */

struct string_slot {
	const char *text;        /* NULL: free */
	uint32_t len;
	uint32_t offset;
};

struct encoder {
	uint8_t *buf;            /* NULL while measuring */
	uint32_t section_offset[N_SECTIONS];
	uint32_t section_count[N_SECTIONS];
	uint64_t strings_size;   /* bytes of the string table so far */
	uint32_t blob_size;      /* known when writing */
	int failed;
	uint32_t n_slots_used;
	struct string_slot slots[STRING_SLOTS];
};

/* FNV-1a: spreads names over the slots; any hash would do. */
static uint32_t
string_hash(const char *s, size_t len)
{
	uint32_t h = 2166136261u;
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= (uint8_t)s[i];
		h *= 16777619u;
	}
	return h;
}

/* Returns the string table offset of s, adding s if it is new. */
static uint32_t
encode_string(struct encoder *e, const char *s)
{
	size_t len, at;
	uint32_t offset;

	if (!s) {
		e->failed = 1;
		return 0;
	}
	len = strlen(s);
	if (len == 0)
		return 0;        /* the table starts with an empty string */
	if (len >= UINT32_MAX) {
		e->failed = 1;
		return 0;
	}
	/* At most 3/4 of the slots are used, so probing ends. */
	for (at = string_hash(s, len) & (STRING_SLOTS - 1);;
	     at = (at + 1) & (STRING_SLOTS - 1)) {
		const struct string_slot *slot = &e->slots[at];
		if (!slot->text)
			break;
		if (slot->len == len && memcmp(slot->text, s, len) == 0)
			return slot->offset;
	}
	if (e->strings_size + len + 1 > UINT32_MAX) {
		e->failed = 1;
		return 0;
	}
	offset = (uint32_t)e->strings_size;
	if (e->buf)
		memcpy(e->buf + e->section_offset[SEC_STRINGS] + offset, s, len + 1);
	e->strings_size += len + 1;
	if (e->n_slots_used < STRING_SLOTS / 4 * 3) {
		e->slots[at].text = s;
		e->slots[at].len = (uint32_t)len;
		e->slots[at].offset = offset;
		e->n_slots_used++;
	}
	return offset;
}

/* Copies the record that rec holds to record index of section sec. */
static void
put_record(struct encoder *e, enum section sec, uint32_t index,
	   const uint8_t *rec)
{
	if (e->buf)
		memcpy(e->buf + e->section_offset[sec] +
			       (size_t)index * min_record_size[sec],
		       rec, min_record_size[sec]);
}

static void
put_item_prefix(struct encoder *e, uint8_t *rec, const char *name,
		uint32_t flags, uint16_t since_minor)
{
	put32(rec + R_NAME, encode_string(e, name));
	put32(rec + R_FLAGS, flags);
	put16(rec + R_SINCE, since_minor);
}

/* Lays out the sections of d, checking its counts and arrays; the string
 * table comes last, its size known only after the strings are placed.
 * Returns 0 if d cannot be encoded. */
static int
plan_sections(struct encoder *e, const struct chitin_descriptor *d)
{
	uint64_t n_fields = 0, n_variants = 0, n_methods = 0, at;
	uint32_t i;
	int sec;

	if ((d->n_imports && !d->imports) || (d->n_types && !d->types) ||
	    (d->n_interfaces && !d->interfaces) || (d->n_exports && !d->exports))
		return 0;
	for (i = 0; i < d->n_types; i++) {
		const struct chitin_desc_type *t = &d->types[i];
		if (t->kind < CHITIN_DESC_STRUCT || t->kind > CHITIN_DESC_INTERFACE)
			return 0;
		if ((t->n_fields && !t->fields) || (t->n_variants && !t->variants))
			return 0;
		n_fields += t->n_fields;
		n_variants += t->n_variants;
	}
	for (i = 0; i < d->n_interfaces; i++) {
		const struct chitin_desc_interface *in = &d->interfaces[i];
		if (in->n_methods && !in->methods)
			return 0;
		n_methods += in->n_methods;
	}
	if (n_fields > UINT32_MAX || n_variants > UINT32_MAX || n_methods > UINT32_MAX)
		return 0;

	e->section_count[SEC_IMPORTS] = d->n_imports;
	e->section_count[SEC_TYPES] = d->n_types;
	e->section_count[SEC_FIELDS] = (uint32_t)n_fields;
	e->section_count[SEC_VARIANTS] = (uint32_t)n_variants;
	e->section_count[SEC_INTERFACES] = d->n_interfaces;
	e->section_count[SEC_METHODS] = (uint32_t)n_methods;
	e->section_count[SEC_EXPORTS] = d->n_exports;

	at = HEADER_SIZE + N_SECTIONS * SECTION_ENTRY_SIZE;
	for (sec = SEC_IMPORTS; sec <= SEC_STRINGS; sec++) {
		if (at > UINT32_MAX)
			return 0;
		e->section_offset[sec] = (uint32_t)at;
		if (sec != SEC_STRINGS)
			at += (uint64_t)e->section_count[sec] * min_record_size[sec];
	}
	return 1;
}

/* Writes (or, while measuring, only walks) everything but the header's
 * size fields; the string table grows as the records name strings. */
static void
encode_body(struct encoder *e, const struct chitin_descriptor *d)
{
	uint8_t rec[88];
	uint32_t i, k, field = 0, variant = 0, method = 0;
	int sec;

	memset(e->slots, 0, sizeof e->slots);
	e->n_slots_used = 0;
	e->strings_size = 1;

	memset(rec, 0, HEADER_SIZE);
	memcpy(rec + H_MAGIC, magic, sizeof magic);
	put16(rec + H_FORMAT, CHITIN_DESC_FORMAT);
	put16(rec + H_HEADER_SIZE, HEADER_SIZE);
	put32(rec + H_BLOB_SIZE, e->blob_size);
	put16(rec + H_N_SECTIONS, N_SECTIONS);
	put16(rec + H_SECTION_ENTRY_SIZE, SECTION_ENTRY_SIZE);
	put32(rec + H_MODULE, encode_string(e, d->module));
	put32(rec + H_TARGET, encode_string(e, d->target));
	put16(rec + H_MAJOR, d->major);
	put16(rec + H_MINOR, d->minor);
	if (e->buf)
		memcpy(e->buf, rec, HEADER_SIZE);

	for (i = 0; i < d->n_imports; i++) {
		const struct chitin_desc_import *im = &d->imports[i];
		memset(rec, 0, sizeof rec);
		put32(rec + IMPORT_MODULE, encode_string(e, im->module));
		put16(rec + IMPORT_MAJOR, im->major);
		put16(rec + IMPORT_MINOR, im->minor);
		put_record(e, SEC_IMPORTS, i, rec);
	}

	for (i = 0; i < d->n_types; i++) {
		const struct chitin_desc_type *t = &d->types[i];
		memset(rec, 0, sizeof rec);
		put_item_prefix(e, rec, t->name, t->flags, t->since_minor);
		rec[TYPE_KIND] = (uint8_t)t->kind;
		put32(rec + TYPE_ALIGN, t->align);
		put64(rec + TYPE_SIZE, t->size);
		memcpy(rec + TYPE_ID, t->type_id.bytes, 16);
		memcpy(rec + TYPE_LAYOUT_HASH, t->layout_hash.bytes, 16);
		memcpy(rec + TYPE_SIGNATURE_HASH, t->signature_hash.bytes, 16);
		put32(rec + TYPE_FIRST_FIELD, field);
		put32(rec + TYPE_N_FIELDS, t->n_fields);
		put32(rec + TYPE_FIRST_VARIANT, variant);
		put32(rec + TYPE_N_VARIANTS, t->n_variants);
		put_record(e, SEC_TYPES, i, rec);
		field += t->n_fields;
		variant += t->n_variants;
	}

	/* Fields and variants, type by type, after the type names: the
	 * string table then reads in the order of the records. */
	field = 0;
	variant = 0;
	for (i = 0; i < d->n_types; i++) {
		const struct chitin_desc_type *t = &d->types[i];
		for (k = 0; k < t->n_fields; k++) {
			const struct chitin_desc_field *f = &t->fields[k];
			memset(rec, 0, sizeof rec);
			put_item_prefix(e, rec, f->name, f->flags, f->since_minor);
			put64(rec + FIELD_OFFSET, f->offset);
			put64(rec + FIELD_SIZE, f->size);
			memcpy(rec + FIELD_TYPE_HASH, f->type_hash.bytes, 16);
			put_record(e, SEC_FIELDS, field++, rec);
		}
	}
	for (i = 0; i < d->n_types; i++) {
		const struct chitin_desc_type *t = &d->types[i];
		for (k = 0; k < t->n_variants; k++) {
			const struct chitin_desc_variant *v = &t->variants[k];
			memset(rec, 0, sizeof rec);
			put_item_prefix(e, rec, v->name, v->flags, v->since_minor);
			put64(rec + VARIANT_VALUE, v->value);
			memcpy(rec + VARIANT_PAYLOAD_HASH, v->payload_hash.bytes, 16);
			put_record(e, SEC_VARIANTS, variant++, rec);
		}
	}

	for (i = 0; i < d->n_interfaces; i++) {
		const struct chitin_desc_interface *in = &d->interfaces[i];
		memset(rec, 0, sizeof rec);
		put_item_prefix(e, rec, in->name, in->flags, in->since_minor);
		put32(rec + INTERFACE_BASE, encode_string(e, in->base));
		memcpy(rec + INTERFACE_IID, in->iid.bytes, 16);
		put32(rec + INTERFACE_FIRST_METHOD, method);
		put32(rec + INTERFACE_N_METHODS, in->n_methods);
		put_record(e, SEC_INTERFACES, i, rec);
		method += in->n_methods;
	}
	method = 0;
	for (i = 0; i < d->n_interfaces; i++) {
		const struct chitin_desc_interface *in = &d->interfaces[i];
		for (k = 0; k < in->n_methods; k++) {
			const struct chitin_desc_method *m = &in->methods[k];
			memset(rec, 0, sizeof rec);
			put_item_prefix(e, rec, m->name, m->flags, m->since_minor);
			memcpy(rec + METHOD_SIGNATURE_HASH, m->signature_hash.bytes, 16);
			put_record(e, SEC_METHODS, method++, rec);
		}
	}

	for (i = 0; i < d->n_exports; i++) {
		const struct chitin_desc_export *x = &d->exports[i];
		memset(rec, 0, sizeof rec);
		put_item_prefix(e, rec, x->name, x->flags, x->since_minor);
		put32(rec + EXPORT_SYMBOL, encode_string(e, x->symbol));
		memcpy(rec + EXPORT_SIGNATURE_HASH, x->signature_hash.bytes, 16);
		put_record(e, SEC_EXPORTS, i, rec);
	}

	/* The section table, now that the string table's size is known. */
	if (e->buf) {
		for (sec = SEC_IMPORTS; sec <= SEC_STRINGS; sec++) {
			uint8_t *entry = e->buf + HEADER_SIZE + sec * SECTION_ENTRY_SIZE;
			uint32_t count = sec == SEC_STRINGS
					 ? e->blob_size - e->section_offset[sec]
					 : e->section_count[sec];
			put32(entry + S_OFFSET, e->section_offset[sec]);
			put32(entry + S_COUNT, count);
			put16(entry + S_RECORD_SIZE, min_record_size[sec]);
		}
	}
}

size_t
chitin_desc_encode(const struct chitin_descriptor *d, uint8_t *buf, size_t cap)
{
	struct encoder e;
	uint64_t size;

	memset(&e, 0, sizeof e);
	if (!d || !plan_sections(&e, d))
		return 0;
	encode_body(&e, d);
	if (e.failed)
		return 0;
	/* The string table takes the padding: NUL bytes up to BLOB_ALIGN. */
	size = e.section_offset[SEC_STRINGS] + e.strings_size;
	size = (size + BLOB_ALIGN - 1) / BLOB_ALIGN * BLOB_ALIGN;
	if (size > UINT32_MAX || size > SIZE_MAX)
		return 0;
	if (buf && cap >= size) {
		memset(buf, 0, (size_t)size);
		e.buf = buf;
		e.blob_size = (uint32_t)size;
		encode_body(&e, d);
	}
	return (size_t)size;
}

/* ---- Decoding ---------------------------------------------------------- */

struct section_view {
	uint32_t offset;
	uint32_t count;
	uint32_t record_size;
};

/* A blob whose header and section table have been checked: every section
 * lies inside blob[0, size), and the string table ends in a NUL. */
struct blob_view {
	const uint8_t *blob;
	uint32_t size;
	struct section_view sec[N_SECTIONS];
};

const char *
chitin_desc_status_text(enum chitin_desc_status status)
{
	switch (status) {
	case CHITIN_DESC_OK:
		return "ok";
	case CHITIN_DESC_TRUNCATED:
		return "truncated";
	case CHITIN_DESC_BAD_MAGIC:
		return "not a chitin descriptor";
	case CHITIN_DESC_UNSUPPORTED_FORMAT:
		return "unsupported descriptor format";
	case CHITIN_DESC_CORRUPT:
		return "corrupt";
	case CHITIN_DESC_SCRATCH_TOO_SMALL:
		return "scratch memory too small";
	}
	return "unknown status";
}

enum chitin_desc_status
chitin_desc_probe(const uint8_t *blob, size_t len, size_t *blob_size)
{
	size_t n = len < sizeof magic ? len : sizeof magic;
	uint32_t size;

	if (blob_size)
		*blob_size = 0;
	if (!blob)
		len = n = 0;
	if (n > 0 && memcmp(blob, magic, n) != 0)
		return CHITIN_DESC_BAD_MAGIC;
	if (len < H_FORMAT + 2)
		return CHITIN_DESC_TRUNCATED;
	if (get16(blob + H_FORMAT) != CHITIN_DESC_FORMAT)
		return CHITIN_DESC_UNSUPPORTED_FORMAT;
	if (len < HEADER_SIZE)
		return CHITIN_DESC_TRUNCATED;
	size = get32(blob + H_BLOB_SIZE);
	if (size > len)
		return CHITIN_DESC_TRUNCATED;
	if (get16(blob + H_HEADER_SIZE) < HEADER_SIZE || size < HEADER_SIZE)
		return CHITIN_DESC_CORRUPT;
	if (blob_size)
		*blob_size = size;
	return CHITIN_DESC_OK;
}

/* Checks the header and the section table; what they promise about the
 * records is checked by decode_records. */
static enum chitin_desc_status
read_view(const uint8_t *blob, size_t len, struct blob_view *v)
{
	enum chitin_desc_status status;
	size_t size;
	uint64_t table_end;
	uint32_t header_size, n_sections, entry_size;
	const struct section_view *strings;
	int sec, other;

	status = chitin_desc_probe(blob, len, &size);
	if (status != CHITIN_DESC_OK)
		return status;
	v->blob = blob;
	v->size = (uint32_t)size;

	header_size = get16(blob + H_HEADER_SIZE);
	n_sections = get16(blob + H_N_SECTIONS);
	entry_size = get16(blob + H_SECTION_ENTRY_SIZE);
	if (n_sections < N_SECTIONS || entry_size < SECTION_ENTRY_SIZE)
		return CHITIN_DESC_CORRUPT;
	table_end = (uint64_t)header_size + (uint64_t)n_sections * entry_size;
	if (table_end > v->size)
		return CHITIN_DESC_CORRUPT;

	/* Sections past the first N_SECTIONS belong to later revisions. */
	for (sec = 0; sec < N_SECTIONS; sec++) {
		const uint8_t *entry = blob + header_size + (size_t)sec * entry_size;
		struct section_view *s = &v->sec[sec];
		s->offset = get32(entry + S_OFFSET);
		s->count = get32(entry + S_COUNT);
		s->record_size = get16(entry + S_RECORD_SIZE);
		if (s->record_size < min_record_size[sec])
			return CHITIN_DESC_CORRUPT;
		if (sec == SEC_STRINGS && s->record_size != 1)
			return CHITIN_DESC_CORRUPT;
		if (s->offset < table_end ||
		    s->offset + (uint64_t)s->count * s->record_size > v->size)
			return CHITIN_DESC_CORRUPT;
	}

	/* Sections do not overlap, so the records of all sections together
	 * fit in the blob, and so does the scratch memory they need (within
	 * a factor of two). */
	for (sec = 0; sec < N_SECTIONS; sec++) {
		for (other = sec + 1; other < N_SECTIONS; other++) {
			const struct section_view *a = &v->sec[sec], *b = &v->sec[other];
			uint64_t a_end = a->offset + (uint64_t)a->count * a->record_size;
			uint64_t b_end = b->offset + (uint64_t)b->count * b->record_size;
			if (a->count && b->count && a->offset < b_end && b->offset < a_end)
				return CHITIN_DESC_CORRUPT;
		}
	}

	/* A table that ends in a NUL terminates every string that starts
	 * inside it, so a string reference needs one comparison. */
	strings = &v->sec[SEC_STRINGS];
	if (strings->count == 0 || blob[strings->offset + strings->count - 1] != 0)
		return CHITIN_DESC_CORRUPT;
	if (get32(blob + H_MODULE) >= strings->count ||
	    get32(blob + H_TARGET) >= strings->count)
		return CHITIN_DESC_CORRUPT;
	return CHITIN_DESC_OK;
}

static const uint8_t *
record_at(const struct blob_view *v, enum section sec, uint32_t index)
{
	const struct section_view *s = &v->sec[sec];
	return v->blob + s->offset + (size_t)index * s->record_size;
}

/* Reads the string reference at p into *out; 0 if it is out of range. */
static int
read_string(const struct blob_view *v, const uint8_t *p, const char **out)
{
	uint32_t ref = get32(p);
	if (ref >= v->sec[SEC_STRINGS].count)
		return 0;
	*out = (const char *)(v->blob + v->sec[SEC_STRINGS].offset + ref);
	return 1;
}

/* Whether [first, first + n) lies inside a section of count records. */
static int
range_ok(uint32_t first, uint32_t n, uint32_t count)
{
	return n <= count && first <= count - n;
}

static void
read_hash(const uint8_t *p, chitin_hash128 *out)
{
	memcpy(out->bytes, p, sizeof out->bytes);
}

/* The arrays of a decoded descriptor, all NULL while only checking. */
struct decoded_arrays {
	struct chitin_desc_import *imports;
	struct chitin_desc_type *types;
	struct chitin_desc_field *fields;
	struct chitin_desc_variant *variants;
	struct chitin_desc_interface *interfaces;
	struct chitin_desc_method *methods;
	struct chitin_desc_export *exports;
};

/* Checks every record and, when a holds arrays, fills them.  Checking
 * and filling are one walk so that they cannot disagree. */
static enum chitin_desc_status
decode_records(const struct blob_view *v, const struct decoded_arrays *a)
{
	uint32_t i;
	const char *name, *other;

	for (i = 0; i < v->sec[SEC_IMPORTS].count; i++) {
		const uint8_t *r = record_at(v, SEC_IMPORTS, i);
		if (!read_string(v, r + IMPORT_MODULE, &name))
			return CHITIN_DESC_CORRUPT;
		if (a->imports) {
			struct chitin_desc_import *im = &a->imports[i];
			im->module = name;
			im->major = get16(r + IMPORT_MAJOR);
			im->minor = get16(r + IMPORT_MINOR);
		}
	}

	for (i = 0; i < v->sec[SEC_TYPES].count; i++) {
		const uint8_t *r = record_at(v, SEC_TYPES, i);
		uint32_t first_field = get32(r + TYPE_FIRST_FIELD);
		uint32_t n_fields = get32(r + TYPE_N_FIELDS);
		uint32_t first_variant = get32(r + TYPE_FIRST_VARIANT);
		uint32_t n_variants = get32(r + TYPE_N_VARIANTS);
		uint8_t kind = r[TYPE_KIND];
		if (!read_string(v, r + R_NAME, &name) ||
		    kind < CHITIN_DESC_STRUCT || kind > CHITIN_DESC_INTERFACE ||
		    !range_ok(first_field, n_fields, v->sec[SEC_FIELDS].count) ||
		    !range_ok(first_variant, n_variants, v->sec[SEC_VARIANTS].count))
			return CHITIN_DESC_CORRUPT;
		if (a->types) {
			struct chitin_desc_type *t = &a->types[i];
			t->name = name;
			t->kind = (enum chitin_desc_kind)kind;
			t->flags = get32(r + R_FLAGS);
			t->since_minor = get16(r + R_SINCE);
			read_hash(r + TYPE_ID, &t->type_id);
			read_hash(r + TYPE_LAYOUT_HASH, &t->layout_hash);
			read_hash(r + TYPE_SIGNATURE_HASH, &t->signature_hash);
			t->size = get64(r + TYPE_SIZE);
			t->align = get32(r + TYPE_ALIGN);
			t->fields = n_fields ? a->fields + first_field : NULL;
			t->n_fields = n_fields;
			t->variants = n_variants ? a->variants + first_variant : NULL;
			t->n_variants = n_variants;
		}
	}

	for (i = 0; i < v->sec[SEC_FIELDS].count; i++) {
		const uint8_t *r = record_at(v, SEC_FIELDS, i);
		if (!read_string(v, r + R_NAME, &name))
			return CHITIN_DESC_CORRUPT;
		if (a->fields) {
			struct chitin_desc_field *f = &a->fields[i];
			f->name = name;
			f->offset = get64(r + FIELD_OFFSET);
			f->size = get64(r + FIELD_SIZE);
			read_hash(r + FIELD_TYPE_HASH, &f->type_hash);
			f->flags = get32(r + R_FLAGS);
			f->since_minor = get16(r + R_SINCE);
		}
	}

	for (i = 0; i < v->sec[SEC_VARIANTS].count; i++) {
		const uint8_t *r = record_at(v, SEC_VARIANTS, i);
		if (!read_string(v, r + R_NAME, &name))
			return CHITIN_DESC_CORRUPT;
		if (a->variants) {
			struct chitin_desc_variant *var = &a->variants[i];
			var->name = name;
			var->value = get64(r + VARIANT_VALUE);
			read_hash(r + VARIANT_PAYLOAD_HASH, &var->payload_hash);
			var->flags = get32(r + R_FLAGS);
			var->since_minor = get16(r + R_SINCE);
		}
	}

	for (i = 0; i < v->sec[SEC_INTERFACES].count; i++) {
		const uint8_t *r = record_at(v, SEC_INTERFACES, i);
		uint32_t first = get32(r + INTERFACE_FIRST_METHOD);
		uint32_t n = get32(r + INTERFACE_N_METHODS);
		if (!read_string(v, r + R_NAME, &name) ||
		    !read_string(v, r + INTERFACE_BASE, &other) ||
		    !range_ok(first, n, v->sec[SEC_METHODS].count))
			return CHITIN_DESC_CORRUPT;
		if (a->interfaces) {
			struct chitin_desc_interface *in = &a->interfaces[i];
			in->name = name;
			read_hash(r + INTERFACE_IID, &in->iid);
			in->base = other;
			in->flags = get32(r + R_FLAGS);
			in->since_minor = get16(r + R_SINCE);
			in->methods = n ? a->methods + first : NULL;
			in->n_methods = n;
		}
	}

	for (i = 0; i < v->sec[SEC_METHODS].count; i++) {
		const uint8_t *r = record_at(v, SEC_METHODS, i);
		if (!read_string(v, r + R_NAME, &name))
			return CHITIN_DESC_CORRUPT;
		if (a->methods) {
			struct chitin_desc_method *m = &a->methods[i];
			m->name = name;
			read_hash(r + METHOD_SIGNATURE_HASH, &m->signature_hash);
			m->flags = get32(r + R_FLAGS);
			m->since_minor = get16(r + R_SINCE);
		}
	}

	for (i = 0; i < v->sec[SEC_EXPORTS].count; i++) {
		const uint8_t *r = record_at(v, SEC_EXPORTS, i);
		if (!read_string(v, r + R_NAME, &name) ||
		    !read_string(v, r + EXPORT_SYMBOL, &other))
			return CHITIN_DESC_CORRUPT;
		if (a->exports) {
			struct chitin_desc_export *x = &a->exports[i];
			x->name = name;
			x->symbol = other;
			read_hash(r + EXPORT_SIGNATURE_HASH, &x->signature_hash);
			x->flags = get32(r + R_FLAGS);
			x->since_minor = get16(r + R_SINCE);
		}
	}
	return CHITIN_DESC_OK;
}

/* Every array in scratch starts at a multiple of the strictest alignment
 * among them. */
union any_record {
	struct chitin_desc_import import;
	struct chitin_desc_type type;
	struct chitin_desc_field field;
	struct chitin_desc_variant variant;
	struct chitin_desc_interface interface;
	struct chitin_desc_method method;
	struct chitin_desc_export export_;
};
#define SCRATCH_ALIGN _Alignof(union any_record)

static uint64_t
array_bytes(uint32_t count, size_t elem_size)
{
	uint64_t n = (uint64_t)count * elem_size;
	return (n + SCRATCH_ALIGN - 1) / SCRATCH_ALIGN * SCRATCH_ALIGN;
}

/* Hands out the next array of count elements from scratch. */
static void *
take_array(unsigned char **next, uint32_t count, size_t elem_size)
{
	void *p = count ? *next : NULL;
	*next += array_bytes(count, elem_size);
	return p;
}

enum chitin_desc_status
chitin_desc_decode(const uint8_t *blob, size_t len, void *scratch,
		   size_t scratch_size, struct chitin_descriptor *out,
		   size_t *scratch_needed)
{
	struct blob_view v;
	struct decoded_arrays a;
	enum chitin_desc_status status;
	uint64_t needed;
	unsigned char *next;

	memset(out, 0, sizeof *out);
	if (scratch_needed)
		*scratch_needed = 0;
	memset(&v, 0, sizeof v);
	status = read_view(blob, len, &v);
	if (status != CHITIN_DESC_OK)
		return status;
	memset(&a, 0, sizeof a);
	status = decode_records(&v, &a);
	if (status != CHITIN_DESC_OK)
		return status;

	/* Counts are bounded by the blob's size, so these sums cannot
	 * overflow 64 bits; they may exceed a 32-bit size_t. */
	needed = SCRATCH_ALIGN - 1 +
		 array_bytes(v.sec[SEC_IMPORTS].count, sizeof *a.imports) +
		 array_bytes(v.sec[SEC_TYPES].count, sizeof *a.types) +
		 array_bytes(v.sec[SEC_FIELDS].count, sizeof *a.fields) +
		 array_bytes(v.sec[SEC_VARIANTS].count, sizeof *a.variants) +
		 array_bytes(v.sec[SEC_INTERFACES].count, sizeof *a.interfaces) +
		 array_bytes(v.sec[SEC_METHODS].count, sizeof *a.methods) +
		 array_bytes(v.sec[SEC_EXPORTS].count, sizeof *a.exports);
	if (scratch_needed)
		*scratch_needed = needed > SIZE_MAX ? SIZE_MAX : (size_t)needed;
	if (!scratch || needed > scratch_size)
		return CHITIN_DESC_SCRATCH_TOO_SMALL;

	next = (unsigned char *)scratch;
	next += (SCRATCH_ALIGN - (uintptr_t)next % SCRATCH_ALIGN) % SCRATCH_ALIGN;
	a.imports = take_array(&next, v.sec[SEC_IMPORTS].count, sizeof *a.imports);
	a.types = take_array(&next, v.sec[SEC_TYPES].count, sizeof *a.types);
	a.fields = take_array(&next, v.sec[SEC_FIELDS].count, sizeof *a.fields);
	a.variants = take_array(&next, v.sec[SEC_VARIANTS].count, sizeof *a.variants);
	a.interfaces = take_array(&next, v.sec[SEC_INTERFACES].count, sizeof *a.interfaces);
	a.methods = take_array(&next, v.sec[SEC_METHODS].count, sizeof *a.methods);
	a.exports = take_array(&next, v.sec[SEC_EXPORTS].count, sizeof *a.exports);
	/* Only the arrays' own bytes are written: padding stays untouched. */
	status = decode_records(&v, &a);
	if (status != CHITIN_DESC_OK)
		return status;

	out->format = get16(blob + H_FORMAT);
	out->module = (const char *)(blob + v.sec[SEC_STRINGS].offset + get32(blob + H_MODULE));
	out->target = (const char *)(blob + v.sec[SEC_STRINGS].offset + get32(blob + H_TARGET));
	out->major = get16(blob + H_MAJOR);
	out->minor = get16(blob + H_MINOR);
	out->imports = a.imports;
	out->n_imports = v.sec[SEC_IMPORTS].count;
	out->types = a.types;
	out->n_types = v.sec[SEC_TYPES].count;
	out->interfaces = a.interfaces;
	out->n_interfaces = v.sec[SEC_INTERFACES].count;
	out->exports = a.exports;
	out->n_exports = v.sec[SEC_EXPORTS].count;
	return CHITIN_DESC_OK;
}
