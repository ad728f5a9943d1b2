/* The load-time check: whether a plugin built against one descriptor may
 * be loaded by a host built against another, with a structured report of
 * every incompatibility and its expected/found text. */
/* part of libchitin: its functions are the library's exports */
#define CHITIN_BUILDING_RUNTIME 1
#include "chitin/descriptor.h"

#include <string.h>

/* ---- Text into fixed buffers, without stdio ---------------------------- */

/* A text being written into buf: len counts every byte asked for, even
 * those that did not fit, as snprintf does; buf always holds a NUL. */
struct text {
	char *buf;
	size_t size;
	size_t len;
};

static void
text_init(struct text *t, char *buf, size_t size)
{
	t->buf = buf;
	t->size = size;
	t->len = 0;
	if (size > 0)
		buf[0] = '\0';
}

static void
text_char(struct text *t, char c)
{
	if (t->size > 0 && t->len < t->size - 1) {
		t->buf[t->len] = c;
		t->buf[t->len + 1] = '\0';
	}
	t->len++;
}

/* At most max bytes of s, stopping at a NUL: problems built by a caller
 * may hold unterminated buffers. */
static void
text_strn(struct text *t, const char *s, size_t max)
{
	size_t i;
	for (i = 0; i < max && s[i]; i++)
		text_char(t, s[i]);
}

static void
text_str(struct text *t, const char *s)
{
	text_strn(t, s, SIZE_MAX);
}

static void
text_u64(struct text *t, uint64_t v)
{
	char digits[20];
	size_t n = 0;
	do {
		digits[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v > 0);
	while (n > 0)
		text_char(t, digits[--n]);
}

/* v as the two's complement bits of a signed integer. */
static void
text_i64(struct text *t, uint64_t v)
{
	if (v >> 63) {
		text_char(t, '-');
		v = ~v + 1;
	}
	text_u64(t, v);
}

/* Marks a text cut short by its fixed buffer with a trailing "...". */
static void
text_mark_cut(struct text *t)
{
	if (t->len >= t->size && t->size >= 4)
		memcpy(t->buf + t->size - 4, "...", 4);
}

/* Short values for the expected and found texts of a problem. */
struct value_text {
	char s[CHITIN_DESC_TEXT];
};

static const char *
u64_text(struct value_text *v, uint64_t n)
{
	struct text t;
	text_init(&t, v->s, sizeof v->s);
	text_u64(&t, n);
	return v->s;
}

/* A value or tag of an enum, signed if its type is. */
static const char *
enum_value_text(struct value_text *v, uint64_t n, uint32_t type_flags)
{
	struct text t;
	text_init(&t, v->s, sizeof v->s);
	if (type_flags & CHITIN_DESC_SIGNED)
		text_i64(&t, n);
	else
		text_u64(&t, n);
	return v->s;
}

static const char *
version_text(struct value_text *v, uint16_t major, uint16_t minor)
{
	struct text t;
	text_init(&t, v->s, sizeof v->s);
	text_u64(&t, major);
	text_char(&t, '.');
	text_u64(&t, minor);
	return v->s;
}

static const char *
hash_text(struct value_text *v, const chitin_hash128 *h)
{
	chitin_hash128_to_hex(h, v->s);
	return v->s;
}

static const char *
uuid_text(struct value_text *v, const chitin_hash128 *h)
{
	chitin_hash128_to_uuid(h, v->s);
	return v->s;
}

/* ---- Tables of names --------------------------------------------------- */

/* Items are matched by name (doc/descriptor.md section 11) through a hash
 * table of the names of both sides' lists, where each distinct name has
 * one slot holding the first item of that name on each side.  Filling it
 * with the plugin's items, then reading it with the host's, then with the
 * plugin's again takes time linear in the lengths of the lists whatever
 * their orders, and finds the items that repeat a name of their own side.
 * The tables are in the caller's work memory: those of the descriptors'
 * lists (the host's targets, imports, types, interfaces, exports), one
 * after the other, at its start; those of one type's fields or variants
 * after the largest of them. */

enum side { PLUGIN, HOST };

enum key_kind {
	KEY_NAME,  /* a const char * member of each item: the string */
	KEY_VALUE, /* a uint64_t member of each item: its bytes */
	KEY_WORD,  /* a word of a target list, up to a space or the NUL: the
		    * list is the array (stride 1) and an item is an offset */
};

/* Where one side's keys are: item id's at base + id * stride + offset. */
struct key_list {
	enum key_kind kind;
	const char *base;
	size_t stride, offset;
};

#define NAMES(array, type, member)                                               \
	((struct key_list){ KEY_NAME, (const char *)(array), sizeof(type),      \
			    offsetof(type, member) })

/* A key being looked up: its bytes, and their number once hashed. */
struct key {
	const char *bytes;
	size_t len;
};

/* A distinct key, or an empty slot when first[] is all zeros. */
struct slot {
	/* High bits of the key's hash, to skip most other keys without
	 * reading them, but for the two lowest: REPORTED_PLUGIN and
	 * REPORTED_HOST. */
	uint32_t check;
	uint32_t first[2];  /* by side: 1 + the first item with the key, or 0 */
};

enum { REPORTED_PLUGIN = 1, REPORTED_HOST = 2, CHECK_FLAGS = 3 };

struct table {
	struct slot *slots;        /* a power of two of them; NULL for none */
	size_t mask;               /* their number, minus 1 */
	struct key_list keys[2];   /* by side */
	uint64_t seed;
	/* The plugin's names no host item has had so far, and its items that
	 * repeat a name: when both are 0 after the host's items, the plugin's
	 * need not be read again. */
	uint32_t plugin_only, plugin_repeats;
};

/* The slots of a table of n keys: a power of two, at least 2n, so that it
 * is never more than half full and probes stay short; none for no keys. */
static uint64_t
slots_for(uint64_t n)
{
	uint64_t slots = 2;
	if (n == 0)
		return 0;
	while (slots < 2 * n)
		slots *= 2;
	return slots;
}

/* The first byte of the key of item id. */
static const char *
key_of(const struct key_list *keys, uint32_t id)
{
	const char *at = keys->base + (size_t)id * keys->stride + keys->offset;
	const char *name;

	if (keys->kind != KEY_NAME)
		return at;
	memcpy(&name, at, sizeof name);
	return name;
}

/* The hash of the key whose first byte is k->bytes, and its length in
 * k->len: up to the NUL (a name), up to a space or the NUL (a word), or 8
 * bytes (a value).  FNV-1a from a seeded start, then mixed so that the
 * low bits, which choose the slot, depend on every byte.  The seed is the
 * work memory's address: names chosen to collide in one run need not in
 * another.  Whatever the hash, a table finds the same items: only its
 * speed depends on it. */
static uint64_t
key_hash(uint64_t seed, enum key_kind kind, struct key *k)
{
	uint64_t h = UINT64_C(0xcbf29ce484222325) ^ seed;
	const char *b = k->bytes;
	size_t i;

	for (i = 0; kind == KEY_VALUE ? i < sizeof(uint64_t)
				      : b[i] && !(kind == KEY_WORD && b[i] == ' ');
	     i++) {
		h ^= (uint8_t)b[i];
		h *= UINT64_C(0x100000001b3);
	}
	k->len = i;
	h ^= h >> 33;
	h *= UINT64_C(0xff51afd7ed558ccd);
	h ^= h >> 33;
	return h;
}

/* Whether item id's key is k.  A name or word is read no further than its
 * end: it differs from k at its NUL or space if it is shorter. */
static int
key_equal(const struct key_list *keys, uint32_t id, struct key k)
{
	const char *other = key_of(keys, id);
	size_t i;

	if (keys->kind == KEY_VALUE)
		return memcmp(other, k.bytes, k.len) == 0;
	for (i = 0; i < k.len; i++)
		if (other[i] != k.bytes[i])
			return 0;
	return other[i] == '\0' || (keys->kind == KEY_WORD && other[i] == ' ');
}

static int
slot_empty(const struct slot *s)
{
	return !s->first[PLUGIN] && !s->first[HOST];
}

/* The slot of key k, whose hash is h, or the empty slot where it would
 * go; t is at most half full, so an empty slot ends the probe. */
static struct slot *
probe(const struct table *t, struct key k, uint64_t h)
{
	uint32_t check = (uint32_t)(h >> 32) & ~(uint32_t)CHECK_FLAGS;
	size_t at;

	for (at = (size_t)h & t->mask;; at = (at + 1) & t->mask) {
		struct slot *s = &t->slots[at];
		enum side side;
		if (slot_empty(s))
			return s;
		if ((s->check & ~(uint32_t)CHECK_FLAGS) != check)
			continue;
		side = s->first[PLUGIN] ? PLUGIN : HOST;
		if (key_equal(&t->keys[side], s->first[side] - 1, k))
			return s;
	}
}

/* The slot of side's item id, which becomes the first of its key on its
 * side unless an earlier item is. */
static struct slot *
table_add(struct table *t, enum side side, uint32_t id)
{
	struct key k;
	uint64_t h;
	struct slot *s;

	k.bytes = key_of(&t->keys[side], id);
	h = key_hash(t->seed, t->keys[side].kind, &k);
	s = probe(t, k, h);
	if (slot_empty(s))
		s->check = (uint32_t)(h >> 32) & ~(uint32_t)CHECK_FLAGS;
	if (!s->first[side])
		s->first[side] = id + 1;
	return s;
}

/* The slot of the key whose first byte is at bytes, of the table's kind,
 * or NULL if no item has it. */
static const struct slot *
table_find(const struct table *t, const char *bytes)
{
	const struct slot *s;
	struct key k;
	uint64_t h;

	if (!t->slots)
		return NULL;
	k.bytes = bytes;
	h = key_hash(t->seed, t->keys[HOST].kind, &k);
	s = probe(t, k, h);
	return slot_empty(s) ? NULL : s;
}

/* How an item stands in its table.  Read a host's item once the table
 * holds every plugin item, a plugin's once it holds every host item too. */
enum match {
	MATCHED,        /* the first of its name on its side; the other side's
			 * first of the name is *other */
	MISSING,        /* the first of its name on its side; none on the other */
	REPEATED,       /* an earlier item of its side has its name, and this
			 * is the first such repeat of the name: reported */
	REPEATED_AGAIN, /* a later repeat of a name already REPEATED: skipped */
};

static enum match
match(struct table *t, enum side side, uint32_t id, uint32_t *other)
{
	struct slot *s = table_add(t, side, id);
	uint32_t reported = side == PLUGIN ? REPORTED_PLUGIN : REPORTED_HOST;
	enum side other_side = side == PLUGIN ? HOST : PLUGIN;

	if (s->first[side] != id + 1) {
		if (s->check & reported)
			return REPEATED_AGAIN;
		s->check |= reported;
		return REPEATED;
	}
	if (!s->first[other_side])
		return MISSING;
	if (side == HOST)
		t->plugin_only--;
	*other = s->first[other_side] - 1;
	return MATCHED;
}

/* Whether, after the host's items, some item of the plugin is missing in
 * the host or repeats a name: otherwise every one of them is MATCHED. */
static int
plugin_left(const struct table *t)
{
	return t->plugin_only || t->plugin_repeats;
}

/* The length of the word of a target list at s. */
static size_t
word_len(const char *s)
{
	size_t n = 0;
	while (s[n] && s[n] != ' ')
		n++;
	return n;
}

static uint32_t
count_words(const char *list)
{
	uint32_t n = 0;
	size_t len;
	for (; *list; list += len ? len : 1) {
		len = word_len(list);
		n += len != 0;
	}
	return n;
}

static uint32_t
most_u32(uint32_t a, uint32_t b)
{
	return a > b ? a : b;
}

static uint64_t
most_u64(uint64_t a, uint64_t b)
{
	return a > b ? a : b;
}

/* The layout of the work memory for host and plugin, in slots: the lists'
 * tables from slot 0, the members' from *member_tables, *total in all.
 * Returns 0 if the host's target list is too long for 32-bit offsets. */
static int
plan_work(const struct chitin_descriptor *host,
	  const struct chitin_descriptor *plugin, uint64_t *member_tables,
	  uint64_t *total)
{
	const struct chitin_descriptor *sides[2];
	uint32_t fields[2] = { 0, 0 }, variants[2] = { 0, 0 }, i;
	uint64_t lists, members;
	int side;

	if (strlen(host->targets) >= UINT32_MAX)
		return 0;
	lists = slots_for(count_words(host->targets));
	lists = most_u64(lists, slots_for((uint64_t)host->n_imports + plugin->n_imports));
	lists = most_u64(lists, slots_for((uint64_t)host->n_types + plugin->n_types));
	lists = most_u64(lists, slots_for((uint64_t)host->n_interfaces + plugin->n_interfaces));
	lists = most_u64(lists, slots_for((uint64_t)host->n_exports + plugin->n_exports));
	/* A pair of types has at most the most fields of each side's types;
	 * a data enum's variants need a table of the plugin's tags too. */
	sides[PLUGIN] = plugin;
	sides[HOST] = host;
	for (side = 0; side < 2; side++) {
		for (i = 0; i < sides[side]->n_types; i++) {
			fields[side] = most_u32(fields[side], sides[side]->types[i].n_fields);
			variants[side] = most_u32(variants[side], sides[side]->types[i].n_variants);
		}
	}
	members = slots_for((uint64_t)fields[PLUGIN] + fields[HOST]);
	members = most_u64(members, slots_for((uint64_t)variants[PLUGIN] + variants[HOST]) +
					    slots_for(variants[PLUGIN]));
	*member_tables = lists;
	*total = lists + members;
	return 1;
}

/* The bytes of work memory for total slots at any alignment, or SIZE_MAX. */
static size_t
work_bytes(uint64_t total)
{
	uint64_t bytes = total * sizeof(struct slot) + (_Alignof(struct slot) - 1);
	if (total == 0)
		return 0;
	return bytes > SIZE_MAX ? SIZE_MAX : (size_t)bytes;
}

size_t
chitin_desc_compare_work_size(const struct chitin_descriptor *host,
			      const struct chitin_descriptor *plugin)
{
	uint64_t member_tables, total;

	if (!plan_work(host, plugin, &member_tables, &total))
		return SIZE_MAX;
	return work_bytes(total);
}

/* ---- Recording problems ------------------------------------------------ */

struct compare {
	const struct chitin_descriptor *host, *plugin;
	struct chitin_desc_report *report;   /* or NULL */
	uint32_t n_found;
	struct slot *work;                   /* the tables' slots */
	size_t member_tables;                /* where those of a type's members start */
	uint64_t seed;                       /* of every table's hash */
};

/* Starts the table of a plugin's list of n_plugin items and a host's of
 * n_host at slot `at` of the work memory, holding the plugin's items. */
static void
table_start(struct compare *c, struct table *t, size_t at,
	    struct key_list plugin_keys, uint32_t n_plugin,
	    struct key_list host_keys, uint32_t n_host)
{
	size_t n = (size_t)slots_for((uint64_t)n_plugin + n_host);
	uint32_t j;

	t->slots = n ? c->work + at : NULL;
	t->mask = n - 1;
	t->keys[PLUGIN] = plugin_keys;
	t->keys[HOST] = host_keys;
	t->seed = c->seed;
	t->plugin_only = t->plugin_repeats = 0;
	if (n)
		memset(t->slots, 0, n * sizeof *t->slots);
	for (j = 0; j < n_plugin; j++) {
		if (table_add(t, PLUGIN, j)->first[PLUGIN] == j + 1)
			t->plugin_only++;
		else
			t->plugin_repeats++;
	}
}

static void
copy_text(char *dst, size_t size, const char *src)
{
	struct text t;
	text_init(&t, dst, size);
	if (src)
		text_str(&t, src);
	text_mark_cut(&t);
}

/* Records a problem about an item of the host's module (item_kind TYPE,
 * INTERFACE or EXPORT: the name is qualified with the module unless it
 * already is) or about the module or an import (the name as it is). */
static void
add_problem(struct compare *c, enum chitin_desc_problem_kind kind,
	    enum chitin_desc_item_kind item_kind, const char *item,
	    const char *member, const char *expected, const char *found)
{
	struct chitin_desc_problem *p;
	struct text t;

	if (c->n_found < UINT32_MAX)
		c->n_found++;
	if (!c->report)
		return;
	if (c->report->n_problems >= CHITIN_DESC_MAX_PROBLEMS) {
		c->report->more = 1;
		return;
	}
	p = &c->report->problems[c->report->n_problems++];
	p->kind = kind;
	p->item_kind = item_kind;
	text_init(&t, p->item, sizeof p->item);
	if (item_kind != CHITIN_DESC_ITEM_MODULE &&
	    item_kind != CHITIN_DESC_ITEM_IMPORT && !strchr(item, '.')) {
		text_str(&t, c->host->module);
		text_char(&t, '.');
	}
	text_str(&t, item);
	text_mark_cut(&t);
	copy_text(p->member, sizeof p->member, member);
	copy_text(p->expected, sizeof p->expected, expected);
	copy_text(p->found, sizeof p->found, found);
}

/* Whether an item is to be skipped as a repeat of an earlier item's name
 * on its side; the first repeat of a name is reported as kind (the
 * host's or the plugin's problem, by the item's side). */
static int
skip_repeat(struct compare *c, enum match m, enum chitin_desc_problem_kind kind,
	    enum chitin_desc_item_kind item_kind, const char *item, const char *member)
{
	if (m == REPEATED)
		add_problem(c, kind, item_kind, item, member, NULL, NULL);
	return m == REPEATED || m == REPEATED_AGAIN;
}

static int
hash_equal(const chitin_hash128 *a, const chitin_hash128 *b)
{
	return memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

static int
is_since(uint32_t flags)
{
	return (flags & CHITIN_DESC_SINCE) != 0;
}

/* ---- Types ------------------------------------------------------------- */

static const char *
kind_text(enum chitin_desc_kind kind)
{
	switch (kind) {
	case CHITIN_DESC_STRUCT:
		return "struct";
	case CHITIN_DESC_UNION:
		return "union";
	case CHITIN_DESC_ENUM:
		return "enum";
	case CHITIN_DESC_DATA_ENUM:
		return "data enum";
	case CHITIN_DESC_CALLBACK:
		return "callback";
	case CHITIN_DESC_INTERFACE:
		return "interface";
	}
	return "unknown kind";
}

/* Reports an attribute that one side has and the other lacks. */
static int
compare_flag(struct compare *c, enum chitin_desc_item_kind item_kind,
	     const char *item, uint32_t host_flags, uint32_t plugin_flags,
	     uint32_t flag, const char *set, const char *unset)
{
	if ((host_flags ^ plugin_flags) & flag) {
		add_problem(c, CHITIN_DESC_P_FLAG, item_kind, item, NULL,
			    host_flags & flag ? set : unset,
			    plugin_flags & flag ? set : unset);
		return 1;
	}
	return 0;
}

/* Starts at slot `at` the table of a pair of lists, h->list and p->list,
 * count items long, of items of type keyed by their member. */
#define PAIR_TABLE(c, t, at, h, p, list, type, member, count)                     \
	table_start((c), (t), (at), NAMES((p)->list, type, member), (p)->count,   \
		    NAMES((h)->list, type, member), (h)->count)

/* A fixed struct, a union or a data enum whose layout hash differs: the
 * fields, matched by name, say where. */
static void
compare_fixed_fields(struct compare *c, const struct chitin_desc_type *h,
		     const struct chitin_desc_type *p)
{
	struct value_text e, f;
	struct table t;
	enum match m;
	uint32_t i, j = 0;

	PAIR_TABLE(c, &t, c->member_tables, h, p, fields, struct chitin_desc_field, name,
		   n_fields);
	for (i = 0; i < h->n_fields; i++) {
		const struct chitin_desc_field *hf = &h->fields[i];
		const struct chitin_desc_field *pf;
		m = match(&t, HOST, i, &j);
		if (skip_repeat(c, m, CHITIN_DESC_P_FIELD_DUPLICATE_IN_HOST,
				CHITIN_DESC_ITEM_TYPE, h->name, hf->name))
			continue;
		if (m == MISSING) {
			add_problem(c, CHITIN_DESC_P_FIELD_MISSING_IN_PLUGIN,
				    CHITIN_DESC_ITEM_TYPE, h->name, hf->name, NULL, NULL);
			continue;
		}
		pf = &p->fields[j];
		if (hf->offset != pf->offset)
			add_problem(c, CHITIN_DESC_P_FIELD_OFFSET, CHITIN_DESC_ITEM_TYPE,
				    h->name, hf->name, u64_text(&e, hf->offset),
				    u64_text(&f, pf->offset));
		if (hf->size != pf->size)
			add_problem(c, CHITIN_DESC_P_FIELD_SIZE, CHITIN_DESC_ITEM_TYPE,
				    h->name, hf->name, u64_text(&e, hf->size),
				    u64_text(&f, pf->size));
		if (!hash_equal(&hf->type_hash, &pf->type_hash))
			add_problem(c, CHITIN_DESC_P_FIELD_TYPE, CHITIN_DESC_ITEM_TYPE,
				    h->name, hf->name, hash_text(&e, &hf->type_hash),
				    hash_text(&f, &pf->type_hash));
	}
	for (j = 0; j < p->n_fields && plugin_left(&t); j++) {
		m = match(&t, PLUGIN, j, &i);
		if (!skip_repeat(c, m, CHITIN_DESC_P_FIELD_DUPLICATE_IN_PLUGIN,
				 CHITIN_DESC_ITEM_TYPE, h->name, p->fields[j].name) &&
		    m == MISSING)
			add_problem(c, CHITIN_DESC_P_FIELD_MISSING_IN_HOST,
				    CHITIN_DESC_ITEM_TYPE, h->name, p->fields[j].name,
				    NULL, NULL);
	}
}

/* A resilient struct: its size and offsets may differ, but accessors
 * index its layout record by declaration index, so a field on both sides
 * must have the same index and type; [since] fields may be missing, but
 * not where the other side has a different field. */
static void
compare_resilient_fields(struct compare *c, const struct chitin_desc_type *h,
			 const struct chitin_desc_type *p)
{
	struct value_text e, f, m_text;
	struct table t;
	enum match m;
	uint32_t i, j = 0;

	PAIR_TABLE(c, &t, c->member_tables, h, p, fields, struct chitin_desc_field, name,
		   n_fields);
	for (i = 0; i < h->n_fields; i++) {
		const struct chitin_desc_field *hf = &h->fields[i];
		m = match(&t, HOST, i, &j);
		if (skip_repeat(c, m, CHITIN_DESC_P_FIELD_DUPLICATE_IN_HOST,
				CHITIN_DESC_ITEM_TYPE, h->name, hf->name))
			continue;
		if (m == MATCHED) {
			if (i != j)
				add_problem(c, CHITIN_DESC_P_FIELD_INDEX, CHITIN_DESC_ITEM_TYPE,
					    h->name, hf->name, u64_text(&e, i),
					    u64_text(&f, j));
			if (!hash_equal(&hf->type_hash, &p->fields[j].type_hash))
				add_problem(c, CHITIN_DESC_P_FIELD_TYPE, CHITIN_DESC_ITEM_TYPE,
					    h->name, hf->name, hash_text(&e, &hf->type_hash),
					    hash_text(&f, &p->fields[j].type_hash));
		} else if (!is_since(hf->flags)) {
			add_problem(c, CHITIN_DESC_P_FIELD_MISSING_IN_PLUGIN,
				    CHITIN_DESC_ITEM_TYPE, h->name, hf->name, NULL, NULL);
		} else if (i < p->n_fields) {
			add_problem(c, CHITIN_DESC_P_FIELD_CLASH, CHITIN_DESC_ITEM_TYPE,
				    h->name, u64_text(&m_text, i), hf->name, p->fields[i].name);
		}
	}
	/* A plugin field at an index the host uses for another field was
	 * reported above, from the host's field. */
	for (j = 0; j < p->n_fields && plugin_left(&t); j++) {
		const struct chitin_desc_field *pf = &p->fields[j];
		m = match(&t, PLUGIN, j, &i);
		if (!skip_repeat(c, m, CHITIN_DESC_P_FIELD_DUPLICATE_IN_PLUGIN,
				 CHITIN_DESC_ITEM_TYPE, h->name, pf->name) &&
		    m == MISSING && !is_since(pf->flags))
			add_problem(c, CHITIN_DESC_P_FIELD_MISSING_IN_HOST,
				    CHITIN_DESC_ITEM_TYPE, h->name, pf->name, NULL, NULL);
	}
}

/* C-like enums are open: values may be missing on either side, but a
 * name on both sides must have one value. */
static void
compare_enum_values(struct compare *c, const struct chitin_desc_type *h,
		    const struct chitin_desc_type *p)
{
	struct value_text e, f;
	struct table t;
	enum match m;
	uint32_t i, j = 0;

	PAIR_TABLE(c, &t, c->member_tables, h, p, variants, struct chitin_desc_variant, name,
		   n_variants);
	for (i = 0; i < h->n_variants; i++) {
		const struct chitin_desc_variant *hv = &h->variants[i];
		m = match(&t, HOST, i, &j);
		if (!skip_repeat(c, m, CHITIN_DESC_P_VARIANT_DUPLICATE_IN_HOST,
				 CHITIN_DESC_ITEM_TYPE, h->name, hv->name) &&
		    m == MATCHED && p->variants[j].value != hv->value)
			add_problem(c, CHITIN_DESC_P_ENUM_VALUE, CHITIN_DESC_ITEM_TYPE,
				    h->name, hv->name,
				    enum_value_text(&e, hv->value, h->flags),
				    enum_value_text(&f, p->variants[j].value, p->flags));
	}
	for (j = 0; j < p->n_variants && plugin_left(&t); j++)
		skip_repeat(c, match(&t, PLUGIN, j, &i),
			    CHITIN_DESC_P_VARIANT_DUPLICATE_IN_PLUGIN,
			    CHITIN_DESC_ITEM_TYPE, h->name, p->variants[j].name);
}

static const char *
payload_text(struct value_text *v, const struct chitin_desc_variant *var)
{
	if (!(var->flags & CHITIN_DESC_PAYLOAD)) {
		copy_text(v->s, sizeof v->s, "none");
		return v->s;
	}
	return hash_text(v, &var->payload_hash);
}

static int
same_payload(const struct chitin_desc_variant *a, const struct chitin_desc_variant *b)
{
	if ((a->flags ^ b->flags) & CHITIN_DESC_PAYLOAD)
		return 0;
	return !(a->flags & CHITIN_DESC_PAYLOAD) ||
	       hash_equal(&a->payload_hash, &b->payload_hash);
}

/* The plugin's first variant of p with the host's variant hv's tag, or
 * NULL; tags holds p's tags once *have_tags is set, and is filled on the
 * first call, after the table of names in the work memory. */
static const struct chitin_desc_variant *
find_tag(struct compare *c, struct table *tags, int *have_tags,
	 const struct chitin_desc_type *h, const struct chitin_desc_type *p,
	 const struct chitin_desc_variant *hv)
{
	struct key_list values = { KEY_VALUE, (const char *)p->variants,
				   sizeof *p->variants,
				   offsetof(struct chitin_desc_variant, value) };
	const struct slot *s;

	if (!*have_tags) {
		table_start(c, tags,
			    c->member_tables +
				    (size_t)slots_for((uint64_t)h->n_variants + p->n_variants),
			    values, p->n_variants, values, 0);
		*have_tags = 1;
	}
	s = table_find(tags, (const char *)&hv->value);
	return s ? &p->variants[s->first[PLUGIN] - 1] : NULL;
}

/* Data enums: a variant on both sides has one tag and one payload; a
 * [since] variant may be missing, but its tag may not mean another
 * variant on the other side. */
static void
compare_variants(struct compare *c, const struct chitin_desc_type *h,
		 const struct chitin_desc_type *p)
{
	struct value_text e, f;
	struct table t, tags;
	enum match m;
	uint32_t i, j = 0;
	int have_tags = 0;

	PAIR_TABLE(c, &t, c->member_tables, h, p, variants, struct chitin_desc_variant, name,
		   n_variants);
	for (i = 0; i < h->n_variants; i++) {
		const struct chitin_desc_variant *hv = &h->variants[i], *clash;
		m = match(&t, HOST, i, &j);
		if (skip_repeat(c, m, CHITIN_DESC_P_VARIANT_DUPLICATE_IN_HOST,
				CHITIN_DESC_ITEM_TYPE, h->name, hv->name))
			continue;
		if (m == MATCHED) {
			const struct chitin_desc_variant *pv = &p->variants[j];
			if (hv->value != pv->value)
				add_problem(c, CHITIN_DESC_P_VARIANT_TAG, CHITIN_DESC_ITEM_TYPE,
					    h->name, hv->name,
					    enum_value_text(&e, hv->value, h->flags),
					    enum_value_text(&f, pv->value, p->flags));
			if (!same_payload(hv, pv))
				add_problem(c, CHITIN_DESC_P_VARIANT_PAYLOAD,
					    CHITIN_DESC_ITEM_TYPE, h->name, hv->name,
					    payload_text(&e, hv), payload_text(&f, pv));
		} else if (!is_since(hv->flags)) {
			add_problem(c, CHITIN_DESC_P_VARIANT_MISSING_IN_PLUGIN,
				    CHITIN_DESC_ITEM_TYPE, h->name, hv->name, NULL, NULL);
		} else if ((clash = find_tag(c, &tags, &have_tags, h, p, hv)) != NULL) {
			add_problem(c, CHITIN_DESC_P_TAG_CLASH, CHITIN_DESC_ITEM_TYPE,
				    h->name, enum_value_text(&e, hv->value, h->flags),
				    hv->name, clash->name);
		}
	}
	for (j = 0; j < p->n_variants && plugin_left(&t); j++) {
		const struct chitin_desc_variant *pv = &p->variants[j];
		m = match(&t, PLUGIN, j, &i);
		if (!skip_repeat(c, m, CHITIN_DESC_P_VARIANT_DUPLICATE_IN_PLUGIN,
				 CHITIN_DESC_ITEM_TYPE, h->name, pv->name) &&
		    m == MISSING && !is_since(pv->flags))
			add_problem(c, CHITIN_DESC_P_VARIANT_MISSING_IN_HOST,
				    CHITIN_DESC_ITEM_TYPE, h->name, pv->name, NULL, NULL);
	}
}

static void
compare_type(struct compare *c, const struct chitin_desc_type *h,
	     const struct chitin_desc_type *p)
{
	struct value_text e, f;
	int layout_differs;
	uint32_t before;

	if (h->kind != p->kind) {
		add_problem(c, CHITIN_DESC_P_KIND, CHITIN_DESC_ITEM_TYPE, h->name,
			    NULL, kind_text(h->kind), kind_text(p->kind));
		return;
	}
	if (compare_flag(c, CHITIN_DESC_ITEM_TYPE, h->name, h->flags, p->flags,
			 CHITIN_DESC_RESILIENT, "[resilient]", "not [resilient]"))
		return;
	/* An interface's id is its iid, compared with the interface. */
	if (h->kind != CHITIN_DESC_INTERFACE && !hash_equal(&h->type_id, &p->type_id))
		add_problem(c, CHITIN_DESC_P_TYPE_ID, CHITIN_DESC_ITEM_TYPE, h->name,
			    NULL, uuid_text(&e, &h->type_id), uuid_text(&f, &p->type_id));
	if (h->flags & CHITIN_DESC_RESILIENT) {
		compare_resilient_fields(c, h, p);
		return;
	}
	if (h->kind == CHITIN_DESC_ENUM || h->kind == CHITIN_DESC_DATA_ENUM)
		compare_flag(c, CHITIN_DESC_ITEM_TYPE, h->name, h->flags, p->flags,
			     CHITIN_DESC_SIGNED, "signed", "unsigned");
	if (h->kind == CHITIN_DESC_CALLBACK &&
	    !hash_equal(&h->signature_hash, &p->signature_hash))
		add_problem(c, CHITIN_DESC_P_SIGNATURE, CHITIN_DESC_ITEM_TYPE, h->name,
			    NULL, hash_text(&e, &h->signature_hash),
			    hash_text(&f, &p->signature_hash));

	/* The layout hash decides; sizes, fields and variants explain.  The
	 * hash holds no names, so a struct's or union's fields are matched by
	 * name even when it agrees: two fields of one type that changed places
	 * (or names) leave the layout alone but not the meaning. */
	before = c->n_found;
	layout_differs = !hash_equal(&h->layout_hash, &p->layout_hash);
	if (layout_differs) {
		if (h->size != p->size)
			add_problem(c, CHITIN_DESC_P_SIZE, CHITIN_DESC_ITEM_TYPE, h->name,
				    NULL, u64_text(&e, h->size), u64_text(&f, p->size));
		if (h->align != p->align)
			add_problem(c, CHITIN_DESC_P_ALIGN, CHITIN_DESC_ITEM_TYPE, h->name,
				    NULL, u64_text(&e, h->align), u64_text(&f, p->align));
	}
	if (layout_differs || h->kind == CHITIN_DESC_STRUCT || h->kind == CHITIN_DESC_UNION)
		compare_fixed_fields(c, h, p);
	/* Enumerator lists are not in the layout hash: always compared. */
	if (h->kind == CHITIN_DESC_ENUM)
		compare_enum_values(c, h, p);
	else if (h->kind == CHITIN_DESC_DATA_ENUM)
		compare_variants(c, h, p);
	if (layout_differs && c->n_found == before)
		add_problem(c, CHITIN_DESC_P_LAYOUT_HASH, CHITIN_DESC_ITEM_TYPE, h->name,
			    NULL, hash_text(&e, &h->layout_hash),
			    hash_text(&f, &p->layout_hash));
}

/* Types are matched by name.  An interface's type missing on one side is
 * reported with the interface. */
static void
compare_types(struct compare *c)
{
	const struct chitin_descriptor *host = c->host, *plugin = c->plugin;
	struct table t;
	enum match m;
	uint32_t i, j = 0;

	PAIR_TABLE(c, &t, 0, host, plugin, types, struct chitin_desc_type, name, n_types);
	for (i = 0; i < host->n_types; i++) {
		const struct chitin_desc_type *h = &host->types[i];
		m = match(&t, HOST, i, &j);
		if (skip_repeat(c, m, CHITIN_DESC_P_DUPLICATE_IN_HOST,
				CHITIN_DESC_ITEM_TYPE, h->name, NULL))
			continue;
		if (m == MATCHED)
			compare_type(c, h, &plugin->types[j]);
		else if (!is_since(h->flags) && h->kind != CHITIN_DESC_INTERFACE)
			add_problem(c, CHITIN_DESC_P_MISSING_IN_PLUGIN,
				    CHITIN_DESC_ITEM_TYPE, h->name, NULL, NULL, NULL);
	}
	for (j = 0; j < plugin->n_types && plugin_left(&t); j++) {
		const struct chitin_desc_type *p = &plugin->types[j];
		m = match(&t, PLUGIN, j, &i);
		if (!skip_repeat(c, m, CHITIN_DESC_P_DUPLICATE_IN_PLUGIN,
				 CHITIN_DESC_ITEM_TYPE, p->name, NULL) &&
		    m == MISSING && !is_since(p->flags) && p->kind != CHITIN_DESC_INTERFACE)
			add_problem(c, CHITIN_DESC_P_MISSING_IN_HOST,
				    CHITIN_DESC_ITEM_TYPE, p->name, NULL, NULL, NULL);
	}
}

/* ---- Interfaces, exports, imports -------------------------------------- */

/* Slots are positional: the shorter list must be a prefix of the longer
 * one, whose extra slots must all be [since]. */
static void
compare_slots(struct compare *c, const struct chitin_desc_interface *h,
	      const struct chitin_desc_interface *p)
{
	struct value_text e, f, m;
	uint32_t n = h->n_methods < p->n_methods ? h->n_methods : p->n_methods;
	uint32_t i;

	for (i = 0; i < n; i++) {
		const struct chitin_desc_method *hm = &h->methods[i];
		const struct chitin_desc_method *pm = &p->methods[i];
		if (strcmp(hm->name, pm->name) != 0)
			add_problem(c, CHITIN_DESC_P_SLOT_NAME, CHITIN_DESC_ITEM_INTERFACE,
				    h->name, u64_text(&m, i), hm->name, pm->name);
		else if (!hash_equal(&hm->signature_hash, &pm->signature_hash))
			add_problem(c, CHITIN_DESC_P_SLOT_SIGNATURE,
				    CHITIN_DESC_ITEM_INTERFACE, h->name, hm->name,
				    hash_text(&e, &hm->signature_hash),
				    hash_text(&f, &pm->signature_hash));
	}
	for (i = n; i < h->n_methods; i++)
		if (!is_since(h->methods[i].flags))
			add_problem(c, CHITIN_DESC_P_SLOT_MISSING_IN_PLUGIN,
				    CHITIN_DESC_ITEM_INTERFACE, h->name,
				    h->methods[i].name, u64_text(&e, i), NULL);
	for (i = n; i < p->n_methods; i++)
		if (!is_since(p->methods[i].flags))
			add_problem(c, CHITIN_DESC_P_SLOT_MISSING_IN_HOST,
				    CHITIN_DESC_ITEM_INTERFACE, h->name,
				    p->methods[i].name, NULL, u64_text(&f, i));
}

static void
compare_interfaces(struct compare *c)
{
	const struct chitin_descriptor *host = c->host, *plugin = c->plugin;
	struct value_text e, f;
	struct table t;
	enum match m;
	uint32_t i, j = 0;

	PAIR_TABLE(c, &t, 0, host, plugin, interfaces, struct chitin_desc_interface, name,
		   n_interfaces);
	for (i = 0; i < host->n_interfaces; i++) {
		const struct chitin_desc_interface *h = &host->interfaces[i];
		const struct chitin_desc_interface *p;
		m = match(&t, HOST, i, &j);
		if (skip_repeat(c, m, CHITIN_DESC_P_DUPLICATE_IN_HOST,
				CHITIN_DESC_ITEM_INTERFACE, h->name, NULL))
			continue;
		if (m == MISSING) {
			if (!is_since(h->flags))
				add_problem(c, CHITIN_DESC_P_MISSING_IN_PLUGIN,
					    CHITIN_DESC_ITEM_INTERFACE, h->name,
					    NULL, NULL, NULL);
			continue;
		}
		p = &plugin->interfaces[j];
		if (!hash_equal(&h->iid, &p->iid))
			add_problem(c, CHITIN_DESC_P_IID, CHITIN_DESC_ITEM_INTERFACE,
				    h->name, NULL, uuid_text(&e, &h->iid),
				    uuid_text(&f, &p->iid));
		if (strcmp(h->base, p->base) != 0)
			add_problem(c, CHITIN_DESC_P_BASE, CHITIN_DESC_ITEM_INTERFACE,
				    h->name, NULL, h->base, p->base);
		compare_flag(c, CHITIN_DESC_ITEM_INTERFACE, h->name, h->flags,
			     p->flags, CHITIN_DESC_BASE, "[base]", "not [base]");
		compare_flag(c, CHITIN_DESC_ITEM_INTERFACE, h->name, h->flags,
			     p->flags, CHITIN_DESC_THREADSAFE, "[threadsafe]",
			     "not [threadsafe]");
		compare_slots(c, h, p);
	}
	for (j = 0; j < plugin->n_interfaces && plugin_left(&t); j++) {
		const struct chitin_desc_interface *p = &plugin->interfaces[j];
		m = match(&t, PLUGIN, j, &i);
		if (!skip_repeat(c, m, CHITIN_DESC_P_DUPLICATE_IN_PLUGIN,
				 CHITIN_DESC_ITEM_INTERFACE, p->name, NULL) &&
		    m == MISSING && !is_since(p->flags))
			add_problem(c, CHITIN_DESC_P_MISSING_IN_HOST,
				    CHITIN_DESC_ITEM_INTERFACE, p->name, NULL, NULL, NULL);
	}
}

/* Exports are matched by name, and the exports table is positional: an
 * export on both sides has one entry, and a [since] export the plugin
 * lacks may not have its entry taken by another export.  The plugin may
 * have exports the host does not know. */
static void
compare_exports(struct compare *c)
{
	const struct chitin_descriptor *host = c->host, *plugin = c->plugin;
	struct value_text e, f, m_text;
	struct table t;
	enum match m;
	uint32_t i, j = 0;

	PAIR_TABLE(c, &t, 0, host, plugin, exports, struct chitin_desc_export, name, n_exports);
	for (i = 0; i < host->n_exports; i++) {
		const struct chitin_desc_export *h = &host->exports[i];
		const struct chitin_desc_export *p;
		m = match(&t, HOST, i, &j);
		if (skip_repeat(c, m, CHITIN_DESC_P_DUPLICATE_IN_HOST,
				CHITIN_DESC_ITEM_EXPORT, h->name, NULL))
			continue;
		if (m == MISSING) {
			if (!is_since(h->flags))
				add_problem(c, CHITIN_DESC_P_MISSING_IN_PLUGIN,
					    CHITIN_DESC_ITEM_EXPORT, h->name,
					    NULL, NULL, NULL);
			else if (i < plugin->n_exports)
				add_problem(c, CHITIN_DESC_P_EXPORT_CLASH,
					    CHITIN_DESC_ITEM_EXPORT, h->name,
					    u64_text(&m_text, i), h->name,
					    plugin->exports[i].name);
			continue;
		}
		p = &plugin->exports[j];
		if (strcmp(h->symbol, p->symbol) != 0)
			add_problem(c, CHITIN_DESC_P_SYMBOL, CHITIN_DESC_ITEM_EXPORT,
				    h->name, NULL, h->symbol, p->symbol);
		if (!hash_equal(&h->signature_hash, &p->signature_hash))
			add_problem(c, CHITIN_DESC_P_SIGNATURE, CHITIN_DESC_ITEM_EXPORT,
				    h->name, NULL, hash_text(&e, &h->signature_hash),
				    hash_text(&f, &p->signature_hash));
		if (i != j)
			add_problem(c, CHITIN_DESC_P_EXPORT_INDEX, CHITIN_DESC_ITEM_EXPORT,
				    h->name, NULL, u64_text(&e, i), u64_text(&f, j));
	}
	for (j = 0; j < plugin->n_exports && plugin_left(&t); j++)
		skip_repeat(c, match(&t, PLUGIN, j, &i), CHITIN_DESC_P_DUPLICATE_IN_PLUGIN,
			    CHITIN_DESC_ITEM_EXPORT, plugin->exports[j].name, NULL);
}

/* Whether the target lists of host and plugin (names separated by
 * spaces) name one target in common: the host's names in a table, each
 * of the plugin's looked up. */
static int
share_target(struct compare *c)
{
	const char *host = c->host->targets, *s;
	struct key_list words = { KEY_WORD, host, 1, 0 };
	struct table t;
	size_t len;

	table_start(c, &t, 0, words, 0, words, count_words(host));
	for (s = host; *s; s += len ? len : 1)
		if ((len = word_len(s)) != 0)
			table_add(&t, HOST, (uint32_t)(s - host));
	for (s = c->plugin->targets; *s; s += len ? len : 1)
		if ((len = word_len(s)) != 0 && table_find(&t, s))
			return 1;
	return 0;
}

/* Modules both sides import must agree on the major version. */
static void
compare_imports(struct compare *c)
{
	const struct chitin_descriptor *host = c->host, *plugin = c->plugin;
	struct value_text e, f;
	struct table t;
	enum match m;
	uint32_t i, j = 0;

	PAIR_TABLE(c, &t, 0, host, plugin, imports, struct chitin_desc_import, module, n_imports);
	for (i = 0; i < host->n_imports; i++) {
		const struct chitin_desc_import *h = &host->imports[i];
		m = match(&t, HOST, i, &j);
		if (!skip_repeat(c, m, CHITIN_DESC_P_DUPLICATE_IN_HOST,
				 CHITIN_DESC_ITEM_IMPORT, h->module, NULL) &&
		    m == MATCHED && plugin->imports[j].major != h->major)
			add_problem(c, CHITIN_DESC_P_MAJOR, CHITIN_DESC_ITEM_IMPORT,
				    h->module, NULL, u64_text(&e, h->major),
				    u64_text(&f, plugin->imports[j].major));
	}
	for (j = 0; j < plugin->n_imports && plugin_left(&t); j++)
		skip_repeat(c, match(&t, PLUGIN, j, &i), CHITIN_DESC_P_DUPLICATE_IN_PLUGIN,
			    CHITIN_DESC_ITEM_IMPORT, plugin->imports[j].module, NULL);
}

uint32_t
chitin_desc_compare(const struct chitin_descriptor *host,
		    const struct chitin_descriptor *plugin,
		    uint16_t required_minor, struct chitin_desc_report *report,
		    void *work, size_t work_size)
{
	struct compare c;
	struct value_text e, f;
	uint64_t member_tables, total;
	size_t needed = SIZE_MAX;
	unsigned char *at = work;

	c.host = host;
	c.plugin = plugin;
	c.report = report;
	c.n_found = 0;
	if (report) {
		report->n_problems = 0;
		report->more = 0;
	}

	/* Without the work memory the tables need, nothing is compared, and
	 * the plugin is refused. */
	if (plan_work(host, plugin, &member_tables, &total))
		needed = work_bytes(total);
	if (needed == SIZE_MAX || needed > work_size || (needed && !work)) {
		add_problem(&c, CHITIN_DESC_P_WORK, CHITIN_DESC_ITEM_MODULE,
			    host->module, NULL, u64_text(&e, needed),
			    u64_text(&f, work ? work_size : 0));
		return c.n_found;
	}
	if (at)
		at += (_Alignof(struct slot) - (uintptr_t)at % _Alignof(struct slot)) %
		      _Alignof(struct slot);
	c.work = (struct slot *)(void *)at;
	c.member_tables = (size_t)member_tables;
	c.seed = (uint64_t)(uintptr_t)work * UINT64_C(0x9e3779b97f4a7c15);

	/* Past a different module or major, or targets that have none in
	 * common, nothing else is comparable. */
	if (strcmp(host->module, plugin->module) != 0) {
		add_problem(&c, CHITIN_DESC_P_MODULE_NAME, CHITIN_DESC_ITEM_MODULE,
			    host->module, NULL, host->module, plugin->module);
		return c.n_found;
	}
	if (host->major != plugin->major) {
		add_problem(&c, CHITIN_DESC_P_MAJOR, CHITIN_DESC_ITEM_MODULE,
			    host->module, NULL, u64_text(&e, host->major),
			    u64_text(&f, plugin->major));
		return c.n_found;
	}
	if (!share_target(&c)) {
		add_problem(&c, CHITIN_DESC_P_TARGET, CHITIN_DESC_ITEM_MODULE,
			    host->module, NULL, host->targets, plugin->targets);
		return c.n_found;
	}
	if (plugin->minor < required_minor)
		add_problem(&c, CHITIN_DESC_P_MINOR, CHITIN_DESC_ITEM_MODULE,
			    host->module, NULL,
			    version_text(&e, host->major, required_minor),
			    version_text(&f, plugin->major, plugin->minor));

	compare_imports(&c);
	compare_types(&c);
	compare_interfaces(&c);
	compare_exports(&c);
	return c.n_found;
}

/* ---- The readable report ----------------------------------------------- */

static const char *const problem_sentences[CHITIN_DESC_N_PROBLEM_KINDS] = {
#define SENTENCE(name, sentence) [CHITIN_DESC_P_##name] = sentence,
	CHITIN_DESC_PROBLEMS(SENTENCE)
#undef SENTENCE
};

static const char *
item_kind_text(enum chitin_desc_item_kind kind)
{
	switch (kind) {
	case CHITIN_DESC_ITEM_MODULE:
		return "module";
	case CHITIN_DESC_ITEM_IMPORT:
		return "import";
	case CHITIN_DESC_ITEM_TYPE:
		return "type";
	case CHITIN_DESC_ITEM_INTERFACE:
		return "interface";
	case CHITIN_DESC_ITEM_EXPORT:
		return "export";
	}
	return "item";
}

static void
format_problem(struct text *t, const struct chitin_desc_problem *p)
{
	const char *s;

	text_str(t, item_kind_text(p->item_kind));
	text_str(t, " '");
	text_strn(t, p->item, sizeof p->item);
	text_str(t, "': ");
	if ((unsigned)p->kind >= CHITIN_DESC_N_PROBLEM_KINDS) {
		text_str(t, "unknown problem");
		return;
	}
	for (s = problem_sentences[p->kind]; *s; s++) {
		if (s[0] == '%' && s[1] == 'm') {
			text_strn(t, p->member, sizeof p->member);
			s++;
		} else if (s[0] == '%' && s[1] == 'e') {
			text_strn(t, p->expected, sizeof p->expected);
			s++;
		} else if (s[0] == '%' && s[1] == 'f') {
			text_strn(t, p->found, sizeof p->found);
			s++;
		} else {
			text_char(t, *s);
		}
	}
}

size_t
chitin_desc_format_problem(const struct chitin_desc_problem *p, char *buf,
			   size_t size)
{
	struct text t;
	text_init(&t, buf, size);
	format_problem(&t, p);
	return t.len;
}

size_t
chitin_desc_format_report(const struct chitin_desc_report *report, char *buf,
			  size_t size)
{
	struct text t;
	uint32_t i, n;

	text_init(&t, buf, size);
	n = report->n_problems < CHITIN_DESC_MAX_PROBLEMS
	    ? report->n_problems : CHITIN_DESC_MAX_PROBLEMS;
	for (i = 0; i < n; i++) {
		format_problem(&t, &report->problems[i]);
		text_char(&t, '\n');
	}
	if (report->more)
		text_str(&t, "(more problems not shown)\n");
	return t.len;
}
