/* The binary descriptor of doc/descriptor.md, format 2: the encoder, which
 * writes a common part shared by every layout class of a module and the
 * class part of one class, and a decoder that checks every size, varint,
 * count and reference of a blob before it builds the in-memory form in the
 * caller's memory. */
/* part of libchitin: its functions are the library's exports */
#define CHITIN_BUILDING_RUNTIME 1
#include "chitin/descriptor.h"

#include <string.h>

/* ---- Format 2 ----------------------------------------------------------
 * The numbers below are those of doc/descriptor.md; the two must change
 * together.  Fixed-size integers are little-endian; record values are
 * unsigned LEB128 varints. */

enum {
	HEADER_SIZE = 28,        /* format 2, revision 0 */
	CLASS_HEADER_SIZE = 12,
	PART_ALIGN = 4,          /* both parts' sizes are multiples of this */
	BLOB_ALIGN = 8,          /* blob sizes are multiples of this */
	HASH_SIZE = 16,
	MAX_VARINT = 10,         /* bytes of the longest varint (64 bits) */
	MAX_ARITY = 7,           /* the most values a record of revision 0 has */
};

/* The header, at the start of the common part. */
enum {
	H_MAGIC = 0,             /* "CHTN" */
	H_FORMAT = 4,            /* u16 */
	H_HEADER_SIZE = 6,       /* u16: where the first section starts */
	H_BLOB_SIZE = 8,         /* u32 */
	H_COMMON_SIZE = 12,      /* u32: where the class part starts */
	H_MODULE = 16,           /* u32 string */
	H_MAJOR = 20,            /* u16 */
	H_MINOR = 22,            /* u16 */
	H_SECTION_COUNT = 24,    /* u16: sections of the common part */
	/* 26: u16 reserved */
};

/* The class header, at the start of the class part. */
enum {
	K_CLASS_SIZE = 0,        /* u32 */
	K_HEADER_SIZE = 4,       /* u16: where the class's first section starts */
	K_SECTION_COUNT = 6,     /* u16 */
	K_TARGETS = 8,           /* u32 string */
};

/* Sections of the common part, in their order. */
enum common_section {
	CS_STRINGS,              /* bytes */
	CS_HASHES,               /* 16-byte values */
	CS_IMPORTS,
	CS_TYPES,
	CS_FIELDS,
	CS_VARIANTS,
	CS_INTERFACES,
	CS_METHODS,
	CS_EXPORTS,
	N_COMMON,
};

/* Sections of the class part, in their order. */
enum class_section {
	KS_TYPES,
	KS_FIELDS,
	KS_VARIANTS,
	KS_METHODS,
	KS_EXPORTS,
	N_CLASS,
};

/* Values per record in revision 0: the least a reader accepts.  0 marks
 * the two sections that are not made of records. */
static const uint8_t common_arity[N_COMMON] = {
	[CS_IMPORTS] = 3,
	[CS_TYPES] = 7,
	[CS_FIELDS] = 3,
	[CS_VARIANTS] = 4,
	[CS_INTERFACES] = 6,
	[CS_METHODS] = 3,
	[CS_EXPORTS] = 4,
};

static const uint8_t class_arity[N_CLASS] = {
	[KS_TYPES] = 4,
	[KS_FIELDS] = 3,
	[KS_VARIANTS] = 1,
	[KS_METHODS] = 1,
	[KS_EXPORTS] = 1,
};

/* The common section whose records a class section completes. */
static const uint8_t class_of_common[N_CLASS] = {
	[KS_TYPES] = CS_TYPES,
	[KS_FIELDS] = CS_FIELDS,
	[KS_VARIANTS] = CS_VARIANTS,
	[KS_METHODS] = CS_METHODS,
	[KS_EXPORTS] = CS_EXPORTS,
};

/* Every item record starts with name, flags and since_minor. */
enum { V_NAME, V_FLAGS, V_SINCE };

enum { IMPORT_MODULE, IMPORT_MAJOR, IMPORT_MINOR };
enum { TYPE_KIND = 3, TYPE_ID, TYPE_N_FIELDS, TYPE_N_VARIANTS };
enum { VARIANT_VALUE = 3 };
enum { INTERFACE_IID = 3, INTERFACE_BASE, INTERFACE_N_METHODS };
enum { EXPORT_SYMBOL = 3 };
/* Class records. */
enum { KTYPE_SIZE, KTYPE_ALIGN, KTYPE_LAYOUT_HASH, KTYPE_SIGNATURE_HASH };
enum { KFIELD_OFFSET, KFIELD_SIZE, KFIELD_TYPE_HASH };
enum { KSIG = 0 };       /* variants (payload), methods, exports */

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

/* Values of a SIGNED type's variants are zigzag-encoded, so that small
 * negative values stay short: 0, -1, 1, -2 ... become 0, 1, 2, 3 ... */
static uint64_t
zigzag(uint64_t v)
{
	return v << 1 ^ (v >> 63 ? UINT64_MAX : 0);
}

static uint64_t
unzigzag(uint64_t z)
{
	return z >> 1 ^ (z & 1 ? UINT64_MAX : 0);
}

static int
is_zero_hash(const chitin_hash128 *h)
{
	size_t i;
	for (i = 0; i < sizeof h->bytes; i++)
		if (h->bytes[i])
			return 0;
	return 1;
}

/* ---- Encoding: checking the classes ------------------------------------ */

/* The largest number of references the tables take: keeps their slot
 * counts (powers of two, at least twice as many), reference counts and
 * every count of the blob within 32 bits. */
#define MAX_REFS (UINT32_C(1) << 29)

/* What the encoder's tables are sized by: the string and hash references
 * of n_classes classes shaped like d. */
struct ref_counts {
	uint64_t fields, variants, methods;
	uint64_t strings;        /* string references */
	uint64_t hashes;         /* hash references */
};

/* Walks d's arrays for their counts; 0 if an array is NULL with a nonzero
 * count, or the counts are beyond MAX_REFS. */
static int
count_refs(const struct chitin_descriptor *d, uint32_t n_classes,
	   struct ref_counts *c)
{
	uint32_t i;

	memset(c, 0, sizeof *c);
	if ((d->n_imports && !d->imports) || (d->n_types && !d->types) ||
	    (d->n_interfaces && !d->interfaces) || (d->n_exports && !d->exports))
		return 0;
	for (i = 0; i < d->n_types; i++) {
		c->fields += d->types[i].n_fields;
		c->variants += d->types[i].n_variants;
	}
	for (i = 0; i < d->n_interfaces; i++)
		c->methods += d->interfaces[i].n_methods;
	/* Beyond what the tables take (and far from overflowing 64 bits). */
	if (n_classes > MAX_REFS || d->n_types > MAX_REFS || d->n_interfaces > MAX_REFS ||
	    d->n_exports > MAX_REFS || d->n_imports > MAX_REFS || c->fields > MAX_REFS ||
	    c->variants > MAX_REFS || c->methods > MAX_REFS)
		return 0;
	c->strings = 1 + (uint64_t)n_classes + d->n_imports + d->n_types + c->fields +
		     c->variants + 2 * (uint64_t)d->n_interfaces + c->methods +
		     2 * (uint64_t)d->n_exports;
	c->hashes = (uint64_t)d->n_types + d->n_interfaces +
		    (uint64_t)n_classes * (2 * (uint64_t)d->n_types + c->fields +
					   c->variants + c->methods + d->n_exports);
	return 1;
}

/* Whether d can be encoded on its own: no NULL string, no NULL array with
 * a nonzero count, every kind in range. */
static int
class_valid(const struct chitin_descriptor *d)
{
	uint32_t i, k;

	if (!d->module || !d->targets)
		return 0;
	if ((d->n_imports && !d->imports) || (d->n_types && !d->types) ||
	    (d->n_interfaces && !d->interfaces) || (d->n_exports && !d->exports))
		return 0;
	for (i = 0; i < d->n_imports; i++)
		if (!d->imports[i].module)
			return 0;
	for (i = 0; i < d->n_types; i++) {
		const struct chitin_desc_type *t = &d->types[i];
		if (!t->name || t->kind < CHITIN_DESC_STRUCT || t->kind > CHITIN_DESC_INTERFACE)
			return 0;
		if ((t->n_fields && !t->fields) || (t->n_variants && !t->variants))
			return 0;
		for (k = 0; k < t->n_fields; k++)
			if (!t->fields[k].name)
				return 0;
		for (k = 0; k < t->n_variants; k++)
			if (!t->variants[k].name)
				return 0;
	}
	for (i = 0; i < d->n_interfaces; i++) {
		const struct chitin_desc_interface *in = &d->interfaces[i];
		if (!in->name || !in->base || (in->n_methods && !in->methods))
			return 0;
		for (k = 0; k < in->n_methods; k++)
			if (!in->methods[k].name)
				return 0;
	}
	for (i = 0; i < d->n_exports; i++)
		if (!d->exports[i].name || !d->exports[i].symbol)
			return 0;
	return 1;
}

static int
same_string(const char *a, const char *b)
{
	return a == b || strcmp(a, b) == 0;
}

static int
same_hash(const chitin_hash128 *a, const chitin_hash128 *b)
{
	return memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

static int
same_item(const char *a_name, uint32_t a_flags, uint16_t a_since,
	  const char *b_name, uint32_t b_flags, uint16_t b_since)
{
	return a_flags == b_flags && a_since == b_since && same_string(a_name, b_name);
}

/* Whether items *p and *q have the same name, flags and since_minor. */
#define SAME_ITEM(p, q) \
	same_item((p)->name, (p)->flags, (p)->since_minor, (q)->name, (q)->flags, (q)->since_minor)

/* Whether a and b (both valid) agree in every target-independent value:
 * everything the common part holds. */
static int
same_common(const struct chitin_descriptor *a, const struct chitin_descriptor *b)
{
	uint32_t i, k;

	if (a->major != b->major || a->minor != b->minor || !same_string(a->module, b->module) ||
	    a->n_imports != b->n_imports || a->n_types != b->n_types ||
	    a->n_interfaces != b->n_interfaces || a->n_exports != b->n_exports)
		return 0;
	for (i = 0; i < a->n_imports; i++)
		if (a->imports[i].major != b->imports[i].major ||
		    a->imports[i].minor != b->imports[i].minor ||
		    !same_string(a->imports[i].module, b->imports[i].module))
			return 0;
	for (i = 0; i < a->n_types; i++) {
		const struct chitin_desc_type *s = &a->types[i], *t = &b->types[i];
		if (!SAME_ITEM(s, t) ||
		    s->kind != t->kind || !same_hash(&s->type_id, &t->type_id) ||
		    s->n_fields != t->n_fields || s->n_variants != t->n_variants)
			return 0;
		for (k = 0; k < s->n_fields; k++) {
			const struct chitin_desc_field *f = &s->fields[k], *g = &t->fields[k];
			if (!SAME_ITEM(f, g))
				return 0;
		}
		for (k = 0; k < s->n_variants; k++) {
			const struct chitin_desc_variant *v = &s->variants[k], *w = &t->variants[k];
			if (!SAME_ITEM(v, w) ||
			    v->value != w->value)
				return 0;
		}
	}
	for (i = 0; i < a->n_interfaces; i++) {
		const struct chitin_desc_interface *s = &a->interfaces[i], *t = &b->interfaces[i];
		if (!SAME_ITEM(s, t) ||
		    !same_hash(&s->iid, &t->iid) || !same_string(s->base, t->base) ||
		    s->n_methods != t->n_methods)
			return 0;
		for (k = 0; k < s->n_methods; k++) {
			const struct chitin_desc_method *m = &s->methods[k], *n = &t->methods[k];
			if (!SAME_ITEM(m, n))
				return 0;
		}
	}
	for (i = 0; i < a->n_exports; i++) {
		const struct chitin_desc_export *x = &a->exports[i], *y = &b->exports[i];
		if (!SAME_ITEM(x, y) ||
		    !same_string(x->symbol, y->symbol))
			return 0;
	}
	return 1;
}

/* ---- Encoding: the string table and the hash pool ----------------------
 * Both are built in the caller's work memory: an array of distinct values
 * in order of first reference, an open-addressing table of indices into
 * it, and an order by number of references (most referenced first, so
 * that they get the shortest varints), ties in order of first reference.
 * Everything depends on the values only, never on addresses. */

struct str_entry {
	const char *s;
	uint32_t len;
	uint32_t key;            /* references while counting; then the offset */
};

struct hash_entry {
	const uint8_t *bytes;
	uint32_t key;            /* references while counting; then 1 + index */
};

/* A slot of the hash table: a mix of the hash beside the entry, so that a
 * probe reads the entry's bytes only when the mixes agree. */
struct hash_slot {
	uint32_t mix;
	uint32_t entry;          /* 1 + index in hashes; 0: empty */
};

struct encoder {
	const struct chitin_descriptor *classes;
	uint32_t n_classes;
	struct str_entry *strs;
	uint32_t n_strs;
	uint32_t *str_slots;     /* the table in use, within str_region */
	uint32_t str_mask;
	uint32_t *str_region;
	uint32_t *str_order;
	struct hash_entry *hashes;
	uint32_t n_hashes;
	struct hash_slot *hash_slots;
	uint32_t hash_mask;
	struct hash_slot *hash_region;
	uint32_t *hash_order;
	uint32_t *sort_tmp;
	uint64_t strings_size;   /* bytes of the string table */
	int failed;
	/* Body sizes of the sections, from the measuring pass. */
	uint64_t common_body[N_COMMON];
	uint64_t class_body[N_CLASS];
};

/* The slots a table starts with, at most. */
enum { FIRST_SLOTS = 512 };

/* Everything in work is aligned for the strictest of these. */
union work_align {
	struct str_entry s;
	struct hash_entry h;
	struct hash_slot hs;
	uint32_t u;
};
#define WORK_ALIGN _Alignof(union work_align)

static uint64_t
round_up(uint64_t n, uint64_t to)
{
	return (n + to - 1) / to * to;
}

static uint32_t
slots_for(uint64_t refs)
{
	uint32_t n = 2;
	while (n < 2 * refs)
		n *= 2;
	return n;
}

/* The layout of work for these counts; returns its size, or 0 if too
 * large. */
static uint64_t
work_layout(const struct ref_counts *c, uint64_t offsets[6])
{
	uint64_t at = 0, most;
	if (c->strings > MAX_REFS || c->hashes > MAX_REFS)
		return 0;
	most = c->strings > c->hashes ? c->strings : c->hashes;
	offsets[0] = at;          /* strs */
	at = round_up(at + c->strings * sizeof(struct str_entry), WORK_ALIGN);
	offsets[1] = at;          /* hashes */
	at = round_up(at + c->hashes * sizeof(struct hash_entry), WORK_ALIGN);
	/* The tables start small and double as distinct values arrive (most
	 * references repeat a value): a table of n slots lives at slot n of
	 * its region, so the next one never overlaps it, and the largest
	 * needed is slots_for(references). */
	offsets[2] = at;          /* str_region */
	at += 2 * (uint64_t)slots_for(c->strings) * sizeof(uint32_t);
	offsets[3] = at;          /* hash_region */
	at += 2 * (uint64_t)slots_for(c->hashes) * sizeof(struct hash_slot);
	offsets[4] = at;          /* str_order, then hash_order */
	at += (c->strings + c->hashes) * sizeof(uint32_t);
	offsets[5] = at;          /* sort_tmp */
	at += most * sizeof(uint32_t);
	return at + WORK_ALIGN - 1;
}

size_t
chitin_desc_encode_work_size(const struct chitin_descriptor *classes,
			     uint32_t n_classes)
{
	struct ref_counts c;
	uint64_t offsets[6], size;

	if (!classes || n_classes == 0 || !count_refs(&classes[0], n_classes, &c))
		return 0;
	size = work_layout(&c, offsets);
	return size > SIZE_MAX ? 0 : (size_t)size;
}

/* FNV-1a: spreads values over the slots; any hash would do. */
static uint32_t
fnv(const void *p, size_t len)
{
	const uint8_t *b = p;
	uint32_t h = 2166136261u;
	size_t i;
	for (i = 0; i < len; i++) {
		h ^= b[i];
		h *= 16777619u;
	}
	return h;
}

/* The entry of s (len bytes), or NULL and *slot where it would go. */
static struct str_entry *
find_str(const struct encoder *e, const char *s, size_t len, uint32_t *slot)
{
	uint32_t at;
	for (at = fnv(s, len) & e->str_mask;; at = (at + 1) & e->str_mask) {
		uint32_t k = e->str_slots[at];
		struct str_entry *ent;
		if (!k) {
			*slot = at;
			return NULL;
		}
		ent = &e->strs[k - 1];
		if (ent->len == len && memcmp(ent->s, s, len) == 0)
			return ent;
	}
}

/* Moves the string table to one twice its size, when it is half full. */
static void
grow_strings(struct encoder *e)
{
	uint32_t n = 2 * (e->str_mask + 1), i;
	e->str_mask = n - 1;
	e->str_slots = e->str_region + n;
	memset(e->str_slots, 0, (size_t)n * sizeof *e->str_slots);
	for (i = 0; i < e->n_strs; i++) {
		uint32_t at = fnv(e->strs[i].s, e->strs[i].len) & e->str_mask;
		while (e->str_slots[at])
			at = (at + 1) & e->str_mask;
		e->str_slots[at] = i + 1;
	}
}

static void
count_string(struct encoder *e, const char *s)
{
	size_t len = strlen(s);
	struct str_entry *ent;
	uint32_t slot;
	if (len == 0)
		return;           /* the table starts with an empty string */
	if (len >= UINT32_MAX) {
		e->failed = 1;
		return;
	}
	ent = find_str(e, s, len, &slot);
	if (ent) {
		ent->key++;
		return;
	}
	if (2 * (e->n_strs + 1) > e->str_mask + 1) {
		grow_strings(e);
		find_str(e, s, len, &slot);
	}
	ent = &e->strs[e->n_strs++];
	ent->s = s;
	ent->len = (uint32_t)len;
	ent->key = 1;
	e->str_slots[slot] = e->n_strs;
}

/* The string table offset of s, once offsets are assigned. */
static uint64_t
string_ref(const struct encoder *e, const char *s)
{
	size_t len = strlen(s);
	uint32_t slot;
	const struct str_entry *ent;
	if (len == 0)
		return 0;
	ent = find_str(e, s, len, &slot);
	return ent ? ent->key : 0;
}

/* A mix of all of h's bytes, as two 64-bit words (uuids may differ only
 * in their last bytes).  It only places entries in the table, so the
 * host's byte order does not change the blob. */
static uint64_t
mix_hash(const uint8_t *h)
{
	uint64_t a, b, mix;
	memcpy(&a, h, 8);
	memcpy(&b, h + 8, 8);
	/* the shifts right carry high bytes (where a uuid's last ones land)
	 * down into the bits the table uses */
	mix = a ^ (b ^ (b >> 32)) * 0xC2B2AE3D27D4EB4Fu;
	mix ^= mix >> 32;
	mix *= 0x9E3779B97F4A7C15u;
	return mix ^ (mix >> 29);
}

static int
same_hash_bytes(const uint8_t *x, const uint8_t *y)
{
	uint64_t a, b, c, d;
	memcpy(&a, x, 8);
	memcpy(&b, x + 8, 8);
	memcpy(&c, y, 8);
	memcpy(&d, y + 8, 8);
	return a == c && b == d;
}

/* The entry of h, or NULL with *slot where it would go and *mix its mix. */
static struct hash_entry *
find_hash(const struct encoder *e, const uint8_t *h, uint32_t *slot, uint32_t *mix)
{
	uint64_t m = mix_hash(h);
	uint32_t at, tag = (uint32_t)m;
	for (at = (uint32_t)(m >> 32) & e->hash_mask;; at = (at + 1) & e->hash_mask) {
		const struct hash_slot *sl = &e->hash_slots[at];
		struct hash_entry *ent;
		if (!sl->entry) {
			*slot = at;
			*mix = tag;
			return NULL;
		}
		if (sl->mix != tag)
			continue;
		ent = &e->hashes[sl->entry - 1];
		if (same_hash_bytes(ent->bytes, h))
			return ent;
	}
}

/* Moves the hash table to one twice its size, when it is half full. */
static void
grow_hashes(struct encoder *e)
{
	uint32_t n = 2 * (e->hash_mask + 1), i;
	e->hash_mask = n - 1;
	e->hash_slots = e->hash_region + n;
	memset(e->hash_slots, 0, (size_t)n * sizeof *e->hash_slots);
	for (i = 0; i < e->n_hashes; i++) {
		uint64_t m = mix_hash(e->hashes[i].bytes);
		uint32_t at = (uint32_t)(m >> 32) & e->hash_mask;
		while (e->hash_slots[at].entry)
			at = (at + 1) & e->hash_mask;
		e->hash_slots[at].mix = (uint32_t)m;
		e->hash_slots[at].entry = i + 1;
	}
}

static void
count_hash(struct encoder *e, const chitin_hash128 *h)
{
	struct hash_entry *ent;
	uint32_t slot, mix;
	if (is_zero_hash(h))
		return;           /* reference 0 */
	ent = find_hash(e, h->bytes, &slot, &mix);
	if (ent) {
		ent->key++;
		return;
	}
	if (2 * (e->n_hashes + 1) > e->hash_mask + 1) {
		grow_hashes(e);
		find_hash(e, h->bytes, &slot, &mix);
	}
	ent = &e->hashes[e->n_hashes++];
	ent->bytes = h->bytes;
	ent->key = 1;
	e->hash_slots[slot].mix = mix;
	e->hash_slots[slot].entry = e->n_hashes;
}

/* A hash reference: 0 for the zero hash, else 1 + its index in the pool. */
static uint64_t
hash_ref(const struct encoder *e, const chitin_hash128 *h)
{
	uint32_t slot, mix;
	const struct hash_entry *ent;
	if (is_zero_hash(h))
		return 0;
	ent = find_hash(e, h->bytes, &slot, &mix);
	return ent ? ent->key : 0;
}

/* Sets order[0, n) to the indices of n entries (stride bytes apart, each
 * with a uint32_t key at key_offset) by descending key, ties by index:
 * a stable radix sort, linear in n. */
static void
order_by_key(const void *entries, size_t stride, size_t key_offset, uint32_t n,
	     uint32_t *order, uint32_t *tmp)
{
	uint32_t *from = order, *to = tmp, *swap;
	uint32_t i, shift;

	for (i = 0; i < n; i++)
		order[i] = i;
	for (shift = 0; shift < 32; shift += 8) {
		uint32_t count[256], b, sum = 0;
		memset(count, 0, sizeof count);
		for (i = 0; i < n; i++) {
			uint32_t key;
			memcpy(&key, (const char *)entries + (size_t)from[i] * stride + key_offset,
			       sizeof key);
			count[(~key >> shift) & 0xff]++;
		}
		for (b = 0; b < 256; b++) {
			uint32_t c = count[b];
			if (c == n)
				break;    /* one bucket: this pass keeps the order */
			count[b] = sum;
			sum += c;
		}
		if (b < 256)
			continue;
		for (i = 0; i < n; i++) {
			uint32_t key;
			memcpy(&key, (const char *)entries + (size_t)from[i] * stride + key_offset,
			       sizeof key);
			to[count[(~key >> shift) & 0xff]++] = from[i];
		}
		swap = from;
		from = to;
		to = swap;
	}
	if (from != order)
		memcpy(order, from, (size_t)n * sizeof *order);
}

/* Counts every string and hash reference in the order doc/descriptor.md
 * section 9 gives, then assigns offsets and pool indices. */
static void
build_tables(struct encoder *e)
{
	const struct chitin_descriptor *d = &e->classes[0];
	uint32_t c, i, k;
	uint64_t at;

	count_string(e, d->module);
	for (c = 0; c < e->n_classes; c++)
		count_string(e, e->classes[c].targets);
	for (i = 0; i < d->n_imports; i++)
		count_string(e, d->imports[i].module);
	for (i = 0; i < d->n_types; i++)
		count_string(e, d->types[i].name);
	for (i = 0; i < d->n_types; i++)
		for (k = 0; k < d->types[i].n_fields; k++)
			count_string(e, d->types[i].fields[k].name);
	for (i = 0; i < d->n_types; i++)
		for (k = 0; k < d->types[i].n_variants; k++)
			count_string(e, d->types[i].variants[k].name);
	for (i = 0; i < d->n_interfaces; i++) {
		count_string(e, d->interfaces[i].name);
		count_string(e, d->interfaces[i].base);
	}
	for (i = 0; i < d->n_interfaces; i++)
		for (k = 0; k < d->interfaces[i].n_methods; k++)
			count_string(e, d->interfaces[i].methods[k].name);
	for (i = 0; i < d->n_exports; i++) {
		count_string(e, d->exports[i].name);
		count_string(e, d->exports[i].symbol);
	}

	for (i = 0; i < d->n_types; i++)
		count_hash(e, &d->types[i].type_id);
	for (i = 0; i < d->n_interfaces; i++)
		count_hash(e, &d->interfaces[i].iid);
	for (c = 0; c < e->n_classes; c++) {
		const struct chitin_descriptor *x = &e->classes[c];
		for (i = 0; i < x->n_types; i++) {
			count_hash(e, &x->types[i].layout_hash);
			count_hash(e, &x->types[i].signature_hash);
		}
		for (i = 0; i < x->n_types; i++)
			for (k = 0; k < x->types[i].n_fields; k++)
				count_hash(e, &x->types[i].fields[k].type_hash);
		for (i = 0; i < x->n_types; i++)
			for (k = 0; k < x->types[i].n_variants; k++)
				count_hash(e, &x->types[i].variants[k].payload_hash);
		for (i = 0; i < x->n_interfaces; i++)
			for (k = 0; k < x->interfaces[i].n_methods; k++)
				count_hash(e, &x->interfaces[i].methods[k].signature_hash);
		for (i = 0; i < x->n_exports; i++)
			count_hash(e, &x->exports[i].signature_hash);
	}

	order_by_key(e->strs, sizeof *e->strs, offsetof(struct str_entry, key), e->n_strs,
		     e->str_order, e->sort_tmp);
	at = 1;
	for (i = 0; i < e->n_strs; i++) {
		struct str_entry *ent = &e->strs[e->str_order[i]];
		if (at + ent->len + 1 > UINT32_MAX) {
			e->failed = 1;
			return;
		}
		ent->key = (uint32_t)at;
		at += ent->len + 1;
	}
	e->strings_size = at;

	order_by_key(e->hashes, sizeof *e->hashes, offsetof(struct hash_entry, key),
		     e->n_hashes, e->hash_order, e->sort_tmp);
	for (i = 0; i < e->n_hashes; i++)
		e->hashes[e->hash_order[i]].key = i + 1;
}

/* ---- Encoding: writing ------------------------------------------------- */

/* Where bytes go: p NULL only counts them. */
struct sink {
	uint8_t *p;
	uint64_t n;
};

static void
put_byte(struct sink *s, uint8_t b)
{
	if (s->p)
		s->p[s->n] = b;
	s->n++;
}

static void
put_bytes(struct sink *s, const void *b, size_t n)
{
	if (s->p)
		memcpy(s->p + s->n, b, n);
	s->n += n;
}

static void
put_uv(struct sink *s, uint64_t v)
{
	do {
		uint8_t b = v & 0x7f;
		v >>= 7;
		put_byte(s, v ? (uint8_t)(b | 0x80) : b);
	} while (v);
}

static void
put_item(struct sink *s, const struct encoder *e, const char *name, uint32_t flags,
	 uint16_t since_minor)
{
	put_uv(s, string_ref(e, name));
	put_uv(s, flags);
	put_uv(s, since_minor);
}

/* A record section's count and arity. */
static void
put_records(struct sink *s, uint64_t count, unsigned arity)
{
	put_uv(s, count);
	put_uv(s, arity);
}

static void
common_body(const struct encoder *e, enum common_section sec, struct sink *s)
{
	const struct chitin_descriptor *d = &e->classes[0];
	uint32_t i, k, n;

	switch (sec) {
	case CS_STRINGS:
		put_byte(s, 0);
		for (i = 0; i < e->n_strs; i++) {
			const struct str_entry *ent = &e->strs[e->str_order[i]];
			put_bytes(s, ent->s, ent->len);
			put_byte(s, 0);
		}
		break;
	case CS_HASHES:
		for (i = 0; i < e->n_hashes; i++)
			put_bytes(s, e->hashes[e->hash_order[i]].bytes, HASH_SIZE);
		break;
	case CS_IMPORTS:
		put_records(s, d->n_imports, common_arity[sec]);
		for (i = 0; i < d->n_imports; i++) {
			put_uv(s, string_ref(e, d->imports[i].module));
			put_uv(s, d->imports[i].major);
			put_uv(s, d->imports[i].minor);
		}
		break;
	case CS_TYPES:
		put_records(s, d->n_types, common_arity[sec]);
		for (i = 0; i < d->n_types; i++) {
			const struct chitin_desc_type *t = &d->types[i];
			put_item(s, e, t->name, t->flags, t->since_minor);
			put_uv(s, (uint64_t)t->kind);
			put_uv(s, hash_ref(e, &t->type_id));
			put_uv(s, t->n_fields);
			put_uv(s, t->n_variants);
		}
		break;
	case CS_FIELDS:
		for (i = 0, n = 0; i < d->n_types; i++)
			n += d->types[i].n_fields;
		put_records(s, n, common_arity[sec]);
		for (i = 0; i < d->n_types; i++)
			for (k = 0; k < d->types[i].n_fields; k++) {
				const struct chitin_desc_field *f = &d->types[i].fields[k];
				put_item(s, e, f->name, f->flags, f->since_minor);
			}
		break;
	case CS_VARIANTS:
		for (i = 0, n = 0; i < d->n_types; i++)
			n += d->types[i].n_variants;
		put_records(s, n, common_arity[sec]);
		for (i = 0; i < d->n_types; i++) {
			const struct chitin_desc_type *t = &d->types[i];
			for (k = 0; k < t->n_variants; k++) {
				const struct chitin_desc_variant *v = &t->variants[k];
				put_item(s, e, v->name, v->flags, v->since_minor);
				put_uv(s, t->flags & CHITIN_DESC_SIGNED ? zigzag(v->value)
								      : v->value);
			}
		}
		break;
	case CS_INTERFACES:
		put_records(s, d->n_interfaces, common_arity[sec]);
		for (i = 0; i < d->n_interfaces; i++) {
			const struct chitin_desc_interface *in = &d->interfaces[i];
			put_item(s, e, in->name, in->flags, in->since_minor);
			put_uv(s, hash_ref(e, &in->iid));
			put_uv(s, string_ref(e, in->base));
			put_uv(s, in->n_methods);
		}
		break;
	case CS_METHODS:
		for (i = 0, n = 0; i < d->n_interfaces; i++)
			n += d->interfaces[i].n_methods;
		put_records(s, n, common_arity[sec]);
		for (i = 0; i < d->n_interfaces; i++)
			for (k = 0; k < d->interfaces[i].n_methods; k++) {
				const struct chitin_desc_method *m = &d->interfaces[i].methods[k];
				put_item(s, e, m->name, m->flags, m->since_minor);
			}
		break;
	case CS_EXPORTS:
		put_records(s, d->n_exports, common_arity[sec]);
		for (i = 0; i < d->n_exports; i++) {
			const struct chitin_desc_export *x = &d->exports[i];
			put_item(s, e, x->name, x->flags, x->since_minor);
			put_uv(s, string_ref(e, x->symbol));
		}
		break;
	case N_COMMON:
		break;
	}
}

static void
class_body(const struct encoder *e, const struct chitin_descriptor *d,
	   enum class_section sec, struct sink *s)
{
	uint32_t i, k, n;

	switch (sec) {
	case KS_TYPES:
		put_records(s, d->n_types, class_arity[sec]);
		for (i = 0; i < d->n_types; i++) {
			const struct chitin_desc_type *t = &d->types[i];
			put_uv(s, t->size);
			put_uv(s, t->align);
			put_uv(s, hash_ref(e, &t->layout_hash));
			put_uv(s, hash_ref(e, &t->signature_hash));
		}
		break;
	case KS_FIELDS:
		for (i = 0, n = 0; i < d->n_types; i++)
			n += d->types[i].n_fields;
		put_records(s, n, class_arity[sec]);
		for (i = 0; i < d->n_types; i++)
			for (k = 0; k < d->types[i].n_fields; k++) {
				const struct chitin_desc_field *f = &d->types[i].fields[k];
				put_uv(s, f->offset);
				put_uv(s, f->size);
				put_uv(s, hash_ref(e, &f->type_hash));
			}
		break;
	case KS_VARIANTS:
		for (i = 0, n = 0; i < d->n_types; i++)
			n += d->types[i].n_variants;
		put_records(s, n, class_arity[sec]);
		for (i = 0; i < d->n_types; i++)
			for (k = 0; k < d->types[i].n_variants; k++)
				put_uv(s, hash_ref(e, &d->types[i].variants[k].payload_hash));
		break;
	case KS_METHODS:
		for (i = 0, n = 0; i < d->n_interfaces; i++)
			n += d->interfaces[i].n_methods;
		put_records(s, n, class_arity[sec]);
		for (i = 0; i < d->n_interfaces; i++)
			for (k = 0; k < d->interfaces[i].n_methods; k++)
				put_uv(s, hash_ref(e, &d->interfaces[i].methods[k].signature_hash));
		break;
	case KS_EXPORTS:
		put_records(s, d->n_exports, class_arity[sec]);
		for (i = 0; i < d->n_exports; i++)
			put_uv(s, hash_ref(e, &d->exports[i].signature_hash));
		break;
	case N_CLASS:
		break;
	}
}

/* The bytes of a part's padding: zeros up to size. */
static void
put_padding(struct sink *s, uint64_t size)
{
	while (s->n < size)
		put_byte(s, 0);
}

/* Measures every section body of the common part and of class which. */
static void
measure_common(struct encoder *e)
{
	int sec;
	for (sec = 0; sec < N_COMMON; sec++) {
		struct sink m = { NULL, 0 };
		common_body(e, (enum common_section)sec, &m);
		e->common_body[sec] = m.n;
	}
}

static void
measure_class(struct encoder *e, uint32_t which)
{
	int sec;
	for (sec = 0; sec < N_CLASS; sec++) {
		struct sink m = { NULL, 0 };
		class_body(e, &e->classes[which], (enum class_section)sec, &m);
		e->class_body[sec] = m.n;
	}
}

static uint64_t
uv_size(uint64_t v)
{
	uint64_t n = 1;
	while (v >>= 7)
		n++;
	return n;
}

/* Writes the common part to buf: common_size bytes, for blobs of
 * blob_size bytes; the section sizes are those measure_common found. */
static void
write_common(const struct encoder *e, uint8_t *buf, uint64_t common_size, uint64_t blob_size)
{
	const struct chitin_descriptor *d = &e->classes[0];
	struct sink s = { buf, 0 };
	uint8_t head[HEADER_SIZE];
	int sec;

	memset(head, 0, sizeof head);
	memcpy(head + H_MAGIC, magic, sizeof magic);
	put16(head + H_FORMAT, CHITIN_DESC_FORMAT);
	put16(head + H_HEADER_SIZE, HEADER_SIZE);
	put32(head + H_BLOB_SIZE, (uint32_t)blob_size);
	put32(head + H_COMMON_SIZE, (uint32_t)common_size);
	put32(head + H_MODULE, (uint32_t)string_ref(e, d->module));
	put16(head + H_MAJOR, d->major);
	put16(head + H_MINOR, d->minor);
	put16(head + H_SECTION_COUNT, N_COMMON);
	put_bytes(&s, head, sizeof head);
	for (sec = 0; sec < N_COMMON; sec++) {
		struct sink body;
		put_uv(&s, e->common_body[sec]);
		body.p = s.p + s.n;
		body.n = 0;
		common_body(e, (enum common_section)sec, &body);
		s.n += body.n;
	}
	put_padding(&s, common_size);
}

/* Writes the part of class which to buf: part_size bytes; the section
 * sizes are those measure_class(which) found. */
static void
write_class(const struct encoder *e, uint32_t which, uint8_t *buf, uint64_t part_size)
{
	const struct chitin_descriptor *k = &e->classes[which];
	struct sink s = { buf, 0 };
	uint8_t head[CLASS_HEADER_SIZE];
	int sec;

	memset(head, 0, sizeof head);
	put32(head + K_CLASS_SIZE, (uint32_t)part_size);
	put16(head + K_HEADER_SIZE, CLASS_HEADER_SIZE);
	put16(head + K_SECTION_COUNT, N_CLASS);
	put32(head + K_TARGETS, (uint32_t)string_ref(e, k->targets));
	put_bytes(&s, head, CLASS_HEADER_SIZE);
	for (sec = 0; sec < N_CLASS; sec++) {
		struct sink body;
		put_uv(&s, e->class_body[sec]);
		body.p = s.p + s.n;
		body.n = 0;
		class_body(e, k, (enum class_section)sec, &body);
		s.n += body.n;
	}
	put_padding(&s, part_size);
}

/* Checks the classes, builds the tables in work and measures the parts:
 * the common part's size and the size every class part is padded to.
 * Returns 0 if the classes cannot be encoded. */
static int
prepare(struct encoder *e, const struct chitin_descriptor *classes, uint32_t n_classes,
	void *work, size_t work_size, uint64_t *common_size, uint64_t *part_size)
{
	struct ref_counts c;
	uint64_t offsets[6], need, common, class_size;
	unsigned char *w;
	uint32_t i;
	int sec;

	if (!classes || n_classes == 0 || !work)
		return 0;
	for (i = 0; i < n_classes; i++)
		if (!class_valid(&classes[i]) || (i > 0 && !same_common(&classes[0], &classes[i])))
			return 0;
	if (!count_refs(&classes[0], n_classes, &c))
		return 0;
	need = work_layout(&c, offsets);
	if (need == 0 || need > work_size)
		return 0;

	memset(e, 0, sizeof *e);
	e->classes = classes;
	e->n_classes = n_classes;
	w = (unsigned char *)work;
	w += (WORK_ALIGN - (uintptr_t)w % WORK_ALIGN) % WORK_ALIGN;
	e->strs = (struct str_entry *)(void *)(w + offsets[0]);
	e->hashes = (struct hash_entry *)(void *)(w + offsets[1]);
	e->str_region = (uint32_t *)(void *)(w + offsets[2]);
	e->str_mask = slots_for(c.strings < FIRST_SLOTS ? c.strings : FIRST_SLOTS) - 1;
	e->str_slots = e->str_region + e->str_mask + 1;
	e->hash_region = (struct hash_slot *)(void *)(w + offsets[3]);
	e->hash_mask = slots_for(c.hashes < FIRST_SLOTS ? c.hashes : FIRST_SLOTS) - 1;
	e->hash_slots = e->hash_region + e->hash_mask + 1;
	e->str_order = (uint32_t *)(void *)(w + offsets[4]);
	e->hash_order = e->str_order + c.strings;
	e->sort_tmp = (uint32_t *)(void *)(w + offsets[5]);
	memset(e->str_slots, 0, (size_t)(e->str_mask + 1) * sizeof *e->str_slots);
	memset(e->hash_slots, 0, (size_t)(e->hash_mask + 1) * sizeof *e->hash_slots);

	build_tables(e);
	if (e->failed)
		return 0;
	/* The header holds blob_size, and it is in the common part, so every
	 * class part is padded to the longest one's size: the common part is
	 * then the same bytes for every class (section 9.1). */
	measure_common(e);
	class_size = 0;
	for (i = 0; i < n_classes; i++) {
		uint64_t one = CLASS_HEADER_SIZE;
		measure_class(e, i);
		for (sec = 0; sec < N_CLASS; sec++)
			one += uv_size(e->class_body[sec]) + e->class_body[sec];
		if (one > class_size)
			class_size = one;
	}
	common = HEADER_SIZE;
	for (sec = 0; sec < N_COMMON; sec++)
		common += uv_size(e->common_body[sec]) + e->common_body[sec];
	common = round_up(common, PART_ALIGN);
	class_size = round_up(class_size, PART_ALIGN);
	if ((common + class_size) % BLOB_ALIGN)
		class_size += PART_ALIGN;
	if (common + class_size > UINT32_MAX || common + class_size > SIZE_MAX)
		return 0;
	*common_size = common;
	*part_size = class_size;
	return 1;
}

size_t
chitin_desc_encode(const struct chitin_descriptor *classes, uint32_t n_classes,
		   uint32_t which, uint8_t *buf, size_t cap, size_t *common_size,
		   void *work, size_t work_size)
{
	struct encoder e;
	uint64_t common, part;

	if (common_size)
		*common_size = 0;
	if (which >= n_classes || !prepare(&e, classes, n_classes, work, work_size, &common, &part))
		return 0;
	if (buf && cap >= common + part) {
		write_common(&e, buf, common, common + part);
		measure_class(&e, which);
		write_class(&e, which, buf + common, part);
	}
	if (common_size)
		*common_size = (size_t)common;
	return (size_t)(common + part);
}

size_t
chitin_desc_encode_all(const struct chitin_descriptor *classes, uint32_t n_classes,
		       uint8_t *buf, size_t cap, size_t *common_size, size_t *part_size,
		       void *work, size_t work_size)
{
	struct encoder e;
	uint64_t common, part, total;
	uint32_t k;

	if (common_size)
		*common_size = 0;
	if (part_size)
		*part_size = 0;
	if (!prepare(&e, classes, n_classes, work, work_size, &common, &part))
		return 0;
	total = common + (uint64_t)n_classes * part;
	if (total > SIZE_MAX)
		return 0;
	if (buf && cap >= total) {
		write_common(&e, buf, common, common + part);
		for (k = 0; k < n_classes; k++) {
			measure_class(&e, k);
			write_class(&e, k, buf + common + (size_t)k * part, part);
		}
	}
	if (common_size)
		*common_size = (size_t)common;
	if (part_size)
		*part_size = (size_t)part;
	return (size_t)total;
}

/* ---- Decoding ---------------------------------------------------------- */

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
	uint32_t size, header_size, common_size;

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
	header_size = get16(blob + H_HEADER_SIZE);
	common_size = get32(blob + H_COMMON_SIZE);
	if (header_size < HEADER_SIZE || common_size < header_size ||
	    common_size % PART_ALIGN || size % BLOB_ALIGN ||
	    common_size > size || size - common_size < CLASS_HEADER_SIZE)
		return CHITIN_DESC_CORRUPT;
	if (blob_size)
		*blob_size = size;
	return CHITIN_DESC_OK;
}

/* Reading varints within [p, end). */
struct cursor {
	const uint8_t *p, *end;
};

/* Reads one varint: at most 10 bytes, no bits past 64, not overlong (a
 * last byte of 0 after the first).  0 if it is not such a varint ending
 * before c->end. */
static int
read_uv(struct cursor *c, uint64_t *out)
{
	uint64_t v = 0;
	unsigned i;

	for (i = 0; i < MAX_VARINT; i++) {
		uint8_t b;
		if (c->p == c->end)
			return 0;
		b = *c->p++;
		if (i == MAX_VARINT - 1 && b > 1)
			return 0;
		v |= (uint64_t)(b & 0x7f) << (7 * i);
		if (!(b & 0x80)) {
			if (b == 0 && i > 0)
				return 0;
			*out = v;
			return 1;
		}
	}
	return 0;
}

/* A section: its body, and for a record section the count and arity
 * that start it and where its records start. */
struct section_view {
	const uint8_t *body, *end;
	const uint8_t *records;
	uint32_t count, arity;
};

/* A blob whose headers and section framing have been checked. */
struct blob_view {
	const uint8_t *blob;
	const char *strings;
	uint32_t strings_size;
	const uint8_t *pool;
	uint32_t pool_count;
	struct section_view common[N_COMMON];
	struct section_view cls[N_CLASS];
	const uint8_t *class_part;
};

/* Reads the framing of a part's n sections from [p, end): each a varint
 * size and that many bytes.  The first n_known are kept in out. */
static int
read_sections(const uint8_t *p, const uint8_t *end, uint32_t n, uint32_t n_known,
	      struct section_view *out)
{
	uint32_t i;
	for (i = 0; i < n; i++) {
		struct cursor c = { p, end };
		uint64_t size;
		if (!read_uv(&c, &size) || size > (uint64_t)(end - c.p))
			return 0;
		if (i < n_known) {
			out[i].body = c.p;
			out[i].end = c.p + size;
		}
		p = c.p + size;
	}
	return 1;
}

/* A record section's count and arity: both 32-bit, the arity at least
 * min_arity, and room for count × arity values of a byte each. */
static int
read_record_head(struct section_view *s, unsigned min_arity)
{
	struct cursor c = { s->body, s->end };
	uint64_t count, arity;
	if (!read_uv(&c, &count) || !read_uv(&c, &arity) || count > UINT32_MAX ||
	    arity > UINT32_MAX || arity < min_arity ||
	    count * arity > (uint64_t)(s->end - c.p))
		return 0;
	s->count = (uint32_t)count;
	s->arity = (uint32_t)arity;
	s->records = c.p;
	return 1;
}

/* Checks the header, the class header and every section's framing; what
 * the records hold is checked by walk_records. */
static enum chitin_desc_status
read_view(const uint8_t *blob, size_t len, struct blob_view *v)
{
	enum chitin_desc_status status;
	size_t size;
	uint32_t header_size, common_size, class_size, class_header;
	uint32_t module, targets;
	const struct section_view *s;
	int sec;

	status = chitin_desc_probe(blob, len, &size);
	if (status != CHITIN_DESC_OK)
		return status;
	v->blob = blob;
	header_size = get16(blob + H_HEADER_SIZE);
	common_size = get32(blob + H_COMMON_SIZE);
	v->class_part = blob + common_size;
	class_size = get32(v->class_part + K_CLASS_SIZE);
	class_header = get16(v->class_part + K_HEADER_SIZE);
	if (class_size != size - common_size || class_header < CLASS_HEADER_SIZE ||
	    class_header > class_size)
		return CHITIN_DESC_CORRUPT;
	if (get16(blob + H_SECTION_COUNT) < N_COMMON ||
	    get16(v->class_part + K_SECTION_COUNT) < N_CLASS)
		return CHITIN_DESC_CORRUPT;
	if (!read_sections(blob + header_size, blob + common_size,
			   get16(blob + H_SECTION_COUNT), N_COMMON, v->common) ||
	    !read_sections(v->class_part + class_header, v->class_part + class_size,
			   get16(v->class_part + K_SECTION_COUNT), N_CLASS, v->cls))
		return CHITIN_DESC_CORRUPT;

	/* A table that ends in a NUL terminates every string that starts
	 * inside it, so a string reference needs one comparison. */
	s = &v->common[CS_STRINGS];
	if (s->end == s->body || s->end[-1] != 0)
		return CHITIN_DESC_CORRUPT;
	v->strings = (const char *)s->body;
	v->strings_size = (uint32_t)(s->end - s->body);
	module = get32(blob + H_MODULE);
	targets = get32(v->class_part + K_TARGETS);
	if (module >= v->strings_size || targets >= v->strings_size)
		return CHITIN_DESC_CORRUPT;
	s = &v->common[CS_HASHES];
	if ((s->end - s->body) % HASH_SIZE)
		return CHITIN_DESC_CORRUPT;
	v->pool = s->body;
	v->pool_count = (uint32_t)((s->end - s->body) / HASH_SIZE);

	for (sec = CS_IMPORTS; sec < N_COMMON; sec++)
		if (!read_record_head(&v->common[sec], common_arity[sec]))
			return CHITIN_DESC_CORRUPT;
	for (sec = 0; sec < N_CLASS; sec++)
		if (!read_record_head(&v->cls[sec], class_arity[sec]) ||
		    v->cls[sec].count != v->common[class_of_common[sec]].count)
			return CHITIN_DESC_CORRUPT;
	return CHITIN_DESC_OK;
}

/* The next record of a section: its first `known` values into vals, the
 * rest (values of later revisions) read and skipped. */
static int
read_record(const struct section_view *s, struct cursor *c, unsigned known,
	    uint64_t *vals)
{
	uint32_t i;
	for (i = 0; i < s->arity; i++) {
		uint64_t x;
		if (!read_uv(c, &x))
			return 0;
		if (i < known)
			vals[i] = x;
	}
	return 1;
}

struct walk {
	const struct blob_view *v;
	struct cursor common[N_COMMON];
	struct cursor cls[N_CLASS];
};

static int
next_common(struct walk *w, enum common_section sec, uint64_t *vals)
{
	return read_record(&w->v->common[sec], &w->common[sec], common_arity[sec], vals);
}

static int
next_class(struct walk *w, enum class_section sec, uint64_t *vals)
{
	return read_record(&w->v->cls[sec], &w->cls[sec], class_arity[sec], vals);
}

static int
get_string(const struct blob_view *v, uint64_t ref, const char **out)
{
	if (ref >= v->strings_size)
		return 0;
	*out = v->strings + ref;
	return 1;
}

/* A hash reference: 0 the zero hash, else 1 + an index into the pool. */
static int
get_hash(const struct blob_view *v, uint64_t ref, chitin_hash128 *out)
{
	if (ref > v->pool_count)
		return 0;
	if (ref == 0)
		memset(out->bytes, 0, sizeof out->bytes);
	else
		memcpy(out->bytes, v->pool + (ref - 1) * HASH_SIZE, sizeof out->bytes);
	return 1;
}

/* An item's name, flags and since_minor. */
static int
get_item(const struct blob_view *v, const uint64_t *vals, const char **name,
	 uint32_t *flags, uint16_t *since_minor)
{
	if (!get_string(v, vals[V_NAME], name) || vals[V_FLAGS] > UINT32_MAX ||
	    vals[V_SINCE] > UINT16_MAX)
		return 0;
	*flags = (uint32_t)vals[V_FLAGS];
	*since_minor = (uint16_t)vals[V_SINCE];
	return 1;
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

/* Records are decoded into these, then copied where a holds arrays. */
union decoded_item {
	struct chitin_desc_import import;
	struct chitin_desc_type type;
	struct chitin_desc_field field;
	struct chitin_desc_variant variant;
	struct chitin_desc_interface interface;
	struct chitin_desc_method method;
	struct chitin_desc_export export_;
};

static int
walk_types(struct walk *w, const struct decoded_arrays *a)
{
	const struct blob_view *v = w->v;
	uint32_t n_fields = v->common[CS_FIELDS].count;
	uint32_t n_variants = v->common[CS_VARIANTS].count;
	uint32_t i, k, field = 0, variant = 0;
	uint64_t c[MAX_ARITY] = { 0 }, x[MAX_ARITY] = { 0 };

	for (i = 0; i < v->common[CS_TYPES].count; i++) {
		struct chitin_desc_type t;
		memset(&t, 0, sizeof t);
		if (!next_common(w, CS_TYPES, c) || !next_class(w, KS_TYPES, x) ||
		    !get_item(v, c, &t.name, &t.flags, &t.since_minor) ||
		    c[TYPE_KIND] < CHITIN_DESC_STRUCT || c[TYPE_KIND] > CHITIN_DESC_INTERFACE ||
		    !get_hash(v, c[TYPE_ID], &t.type_id) ||
		    c[TYPE_N_FIELDS] > n_fields - field ||
		    c[TYPE_N_VARIANTS] > n_variants - variant ||
		    x[KTYPE_ALIGN] > UINT32_MAX ||
		    !get_hash(v, x[KTYPE_LAYOUT_HASH], &t.layout_hash) ||
		    !get_hash(v, x[KTYPE_SIGNATURE_HASH], &t.signature_hash))
			return 0;
		t.kind = (enum chitin_desc_kind)c[TYPE_KIND];
		t.size = x[KTYPE_SIZE];
		t.align = (uint32_t)x[KTYPE_ALIGN];
		t.n_fields = (uint32_t)c[TYPE_N_FIELDS];
		t.n_variants = (uint32_t)c[TYPE_N_VARIANTS];
		t.fields = t.n_fields && a->fields ? a->fields + field : NULL;
		t.variants = t.n_variants && a->variants ? a->variants + variant : NULL;

		for (k = 0; k < t.n_fields; k++, field++) {
			struct chitin_desc_field f;
			memset(&f, 0, sizeof f);
			if (!next_common(w, CS_FIELDS, c) || !next_class(w, KS_FIELDS, x) ||
			    !get_item(v, c, &f.name, &f.flags, &f.since_minor) ||
			    !get_hash(v, x[KFIELD_TYPE_HASH], &f.type_hash))
				return 0;
			f.offset = x[KFIELD_OFFSET];
			f.size = x[KFIELD_SIZE];
			if (a->fields)
				a->fields[field] = f;
		}
		for (k = 0; k < t.n_variants; k++, variant++) {
			struct chitin_desc_variant var;
			memset(&var, 0, sizeof var);
			if (!next_common(w, CS_VARIANTS, c) || !next_class(w, KS_VARIANTS, x) ||
			    !get_item(v, c, &var.name, &var.flags, &var.since_minor) ||
			    !get_hash(v, x[KSIG], &var.payload_hash))
				return 0;
			var.value = t.flags & CHITIN_DESC_SIGNED ? unzigzag(c[VARIANT_VALUE])
								 : c[VARIANT_VALUE];
			if (a->variants)
				a->variants[variant] = var;
		}
		if (a->types)
			a->types[i] = t;
	}
	/* The types' counts use every field and variant. */
	return field == n_fields && variant == n_variants;
}

static int
walk_interfaces(struct walk *w, const struct decoded_arrays *a)
{
	const struct blob_view *v = w->v;
	uint32_t n_methods = v->common[CS_METHODS].count;
	uint32_t i, k, method = 0;
	uint64_t c[MAX_ARITY] = { 0 }, x[MAX_ARITY] = { 0 };

	for (i = 0; i < v->common[CS_INTERFACES].count; i++) {
		struct chitin_desc_interface in;
		memset(&in, 0, sizeof in);
		if (!next_common(w, CS_INTERFACES, c) ||
		    !get_item(v, c, &in.name, &in.flags, &in.since_minor) ||
		    !get_hash(v, c[INTERFACE_IID], &in.iid) ||
		    !get_string(v, c[INTERFACE_BASE], &in.base) ||
		    c[INTERFACE_N_METHODS] > n_methods - method)
			return 0;
		in.n_methods = (uint32_t)c[INTERFACE_N_METHODS];
		in.methods = in.n_methods && a->methods ? a->methods + method : NULL;
		for (k = 0; k < in.n_methods; k++, method++) {
			struct chitin_desc_method m;
			memset(&m, 0, sizeof m);
			if (!next_common(w, CS_METHODS, c) || !next_class(w, KS_METHODS, x) ||
			    !get_item(v, c, &m.name, &m.flags, &m.since_minor) ||
			    !get_hash(v, x[KSIG], &m.signature_hash))
				return 0;
			if (a->methods)
				a->methods[method] = m;
		}
		if (a->interfaces)
			a->interfaces[i] = in;
	}
	return method == n_methods;
}

/* Checks every record and, when a holds arrays, fills them.  Checking
 * and filling are one walk so that they cannot disagree. */
static enum chitin_desc_status
walk_records(const struct blob_view *v, const struct decoded_arrays *a)
{
	struct walk w;
	uint64_t c[MAX_ARITY] = { 0 }, x[MAX_ARITY] = { 0 };
	uint32_t i;
	int sec;

	w.v = v;
	for (sec = 0; sec < N_COMMON; sec++) {
		w.common[sec].p = v->common[sec].records;
		w.common[sec].end = v->common[sec].end;
	}
	for (sec = 0; sec < N_CLASS; sec++) {
		w.cls[sec].p = v->cls[sec].records;
		w.cls[sec].end = v->cls[sec].end;
	}

	for (i = 0; i < v->common[CS_IMPORTS].count; i++) {
		struct chitin_desc_import im;
		memset(&im, 0, sizeof im);
		if (!next_common(&w, CS_IMPORTS, c) ||
		    !get_string(v, c[IMPORT_MODULE], &im.module) ||
		    c[IMPORT_MAJOR] > UINT16_MAX || c[IMPORT_MINOR] > UINT16_MAX)
			return CHITIN_DESC_CORRUPT;
		im.major = (uint16_t)c[IMPORT_MAJOR];
		im.minor = (uint16_t)c[IMPORT_MINOR];
		if (a->imports)
			a->imports[i] = im;
	}
	if (!walk_types(&w, a) || !walk_interfaces(&w, a))
		return CHITIN_DESC_CORRUPT;
	for (i = 0; i < v->common[CS_EXPORTS].count; i++) {
		struct chitin_desc_export ex;
		memset(&ex, 0, sizeof ex);
		if (!next_common(&w, CS_EXPORTS, c) || !next_class(&w, KS_EXPORTS, x) ||
		    !get_item(v, c, &ex.name, &ex.flags, &ex.since_minor) ||
		    !get_string(v, c[EXPORT_SYMBOL], &ex.symbol) ||
		    !get_hash(v, x[KSIG], &ex.signature_hash))
			return CHITIN_DESC_CORRUPT;
		if (a->exports)
			a->exports[i] = ex;
	}

	/* The records fill their sections exactly. */
	for (sec = CS_IMPORTS; sec < N_COMMON; sec++)
		if (w.common[sec].p != w.common[sec].end)
			return CHITIN_DESC_CORRUPT;
	for (sec = 0; sec < N_CLASS; sec++)
		if (w.cls[sec].p != w.cls[sec].end)
			return CHITIN_DESC_CORRUPT;
	return CHITIN_DESC_OK;
}

/* Every array in scratch starts at a multiple of the strictest alignment
 * among them. */
#define SCRATCH_ALIGN _Alignof(union decoded_item)

/* The bound of doc/descriptor.md section 7: each decoded item takes at
 * most 11 bytes of scratch per byte of its records at their shortest (a
 * byte per value of revision 0, common and class part), and the arrays'
 * alignment less than 64 bytes in all. */
#define SCRATCH_PER_BYTE 11
_Static_assert(sizeof(struct chitin_desc_import) <= SCRATCH_PER_BYTE * 3, "scratch bound");
_Static_assert(sizeof(struct chitin_desc_type) <= SCRATCH_PER_BYTE * (7 + 4), "scratch bound");
_Static_assert(sizeof(struct chitin_desc_field) <= SCRATCH_PER_BYTE * (3 + 3), "scratch bound");
_Static_assert(sizeof(struct chitin_desc_variant) <= SCRATCH_PER_BYTE * (4 + 1), "scratch bound");
_Static_assert(sizeof(struct chitin_desc_interface) <= SCRATCH_PER_BYTE * 6, "scratch bound");
_Static_assert(sizeof(struct chitin_desc_method) <= SCRATCH_PER_BYTE * (3 + 1), "scratch bound");
_Static_assert(sizeof(struct chitin_desc_export) <= SCRATCH_PER_BYTE * (4 + 1), "scratch bound");
_Static_assert(8 * SCRATCH_ALIGN <= 64, "scratch bound");

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
	status = walk_records(&v, &a);
	if (status != CHITIN_DESC_OK)
		return status;

	/* Counts are bounded by the blob's size (a value takes a byte at
	 * least), so these sums cannot overflow 64 bits; they may exceed a
	 * 32-bit size_t. */
	needed = SCRATCH_ALIGN - 1 +
		 array_bytes(v.common[CS_IMPORTS].count, sizeof *a.imports) +
		 array_bytes(v.common[CS_TYPES].count, sizeof *a.types) +
		 array_bytes(v.common[CS_FIELDS].count, sizeof *a.fields) +
		 array_bytes(v.common[CS_VARIANTS].count, sizeof *a.variants) +
		 array_bytes(v.common[CS_INTERFACES].count, sizeof *a.interfaces) +
		 array_bytes(v.common[CS_METHODS].count, sizeof *a.methods) +
		 array_bytes(v.common[CS_EXPORTS].count, sizeof *a.exports);
	if (scratch_needed)
		*scratch_needed = needed > SIZE_MAX ? SIZE_MAX : (size_t)needed;
	if (!scratch || needed > scratch_size)
		return CHITIN_DESC_SCRATCH_TOO_SMALL;

	next = (unsigned char *)scratch;
	next += (SCRATCH_ALIGN - (uintptr_t)next % SCRATCH_ALIGN) % SCRATCH_ALIGN;
	a.imports = take_array(&next, v.common[CS_IMPORTS].count, sizeof *a.imports);
	a.types = take_array(&next, v.common[CS_TYPES].count, sizeof *a.types);
	a.fields = take_array(&next, v.common[CS_FIELDS].count, sizeof *a.fields);
	a.variants = take_array(&next, v.common[CS_VARIANTS].count, sizeof *a.variants);
	a.interfaces = take_array(&next, v.common[CS_INTERFACES].count, sizeof *a.interfaces);
	a.methods = take_array(&next, v.common[CS_METHODS].count, sizeof *a.methods);
	a.exports = take_array(&next, v.common[CS_EXPORTS].count, sizeof *a.exports);
	/* Only the arrays' own bytes are written: padding stays untouched. */
	status = walk_records(&v, &a);
	if (status != CHITIN_DESC_OK)
		return status;

	out->format = get16(blob + H_FORMAT);
	out->module = v.strings + get32(blob + H_MODULE);
	out->targets = v.strings + get32(v.class_part + K_TARGETS);
	out->major = get16(blob + H_MAJOR);
	out->minor = get16(blob + H_MINOR);
	out->imports = a.imports;
	out->n_imports = v.common[CS_IMPORTS].count;
	out->types = a.types;
	out->n_types = v.common[CS_TYPES].count;
	out->interfaces = a.interfaces;
	out->n_interfaces = v.common[CS_INTERFACES].count;
	out->exports = a.exports;
	out->n_exports = v.common[CS_EXPORTS].count;
	return CHITIN_DESC_OK;
}
