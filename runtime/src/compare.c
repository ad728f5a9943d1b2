/* The load-time check: whether a plugin built against one descriptor may
 * be loaded by a host built against another, with a structured report of
 * every incompatibility and its expected/found text. */
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

/* ---- Recording problems ------------------------------------------------ */

struct compare {
	const struct chitin_descriptor *host, *plugin;
	struct chitin_desc_report *report;   /* or NULL */
	uint32_t n_found;
};

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

/* Lookups by name return the index, or NOT_FOUND.  They start at a hint
 * (the index the item has on the other side) and wrap around: two
 * versions of a module keep their items in declaration order, additions
 * appended, so a comparison of n items almost always takes n probes, not
 * n * n, without allocating anything. */
#define NOT_FOUND UINT32_MAX

static uint32_t
find_named(const void *items, size_t stride, size_t name_offset, uint32_t n,
	   const char *name, uint32_t hint)
{
	uint32_t k, i;
	if (n == 0)
		return NOT_FOUND;
	for (k = 0, i = hint < n ? hint : 0; k < n; k++, i = i + 1 == n ? 0 : i + 1) {
		const char *item_name;
		memcpy(&item_name, (const char *)items + (size_t)i * stride + name_offset,
		       sizeof item_name);
		if (strcmp(item_name, name) == 0)
			return i;
	}
	return NOT_FOUND;
}

#define FIND(array, count, type, member, name, hint) \
	find_named((array), sizeof(type), offsetof(type, member), (count), (name), (hint))

static uint32_t
find_type(const struct chitin_descriptor *d, const char *name, uint32_t hint)
{
	return FIND(d->types, d->n_types, struct chitin_desc_type, name, name, hint);
}

static uint32_t
find_field(const struct chitin_desc_type *t, const char *name, uint32_t hint)
{
	return FIND(t->fields, t->n_fields, struct chitin_desc_field, name, name, hint);
}

static uint32_t
find_variant(const struct chitin_desc_type *t, const char *name, uint32_t hint)
{
	return FIND(t->variants, t->n_variants, struct chitin_desc_variant, name, name, hint);
}

static uint32_t
find_tag(const struct chitin_desc_type *t, uint64_t value)
{
	uint32_t i;
	for (i = 0; i < t->n_variants; i++)
		if (t->variants[i].value == value)
			return i;
	return NOT_FOUND;
}

static uint32_t
find_interface(const struct chitin_descriptor *d, const char *name, uint32_t hint)
{
	return FIND(d->interfaces, d->n_interfaces, struct chitin_desc_interface, name, name, hint);
}

static uint32_t
find_export(const struct chitin_descriptor *d, const char *name, uint32_t hint)
{
	return FIND(d->exports, d->n_exports, struct chitin_desc_export, name, name, hint);
}

static uint32_t
find_import(const struct chitin_descriptor *d, const char *module, uint32_t hint)
{
	return FIND(d->imports, d->n_imports, struct chitin_desc_import, module, module, hint);
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

/* A fixed struct, a union or a data enum whose layout hash differs: the
 * fields, matched by name, say where. */
static void
compare_fixed_fields(struct compare *c, const struct chitin_desc_type *h,
		     const struct chitin_desc_type *p)
{
	struct value_text e, f;
	uint32_t i, j;

	for (i = 0; i < h->n_fields; i++) {
		const struct chitin_desc_field *hf = &h->fields[i];
		const struct chitin_desc_field *pf;
		j = find_field(p, hf->name, i);
		if (j == NOT_FOUND) {
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
	for (j = 0; j < p->n_fields; j++)
		if (find_field(h, p->fields[j].name, j) == NOT_FOUND)
			add_problem(c, CHITIN_DESC_P_FIELD_MISSING_IN_HOST,
				    CHITIN_DESC_ITEM_TYPE, h->name, p->fields[j].name,
				    NULL, NULL);
}

/* A resilient struct: its size and offsets may differ, but accessors
 * index its layout record by declaration index, so a field on both sides
 * must have the same index and type; [since] fields may be missing, but
 * not where the other side has a different field. */
static void
compare_resilient_fields(struct compare *c, const struct chitin_desc_type *h,
			 const struct chitin_desc_type *p)
{
	struct value_text e, f, m;
	uint32_t i, j;

	for (i = 0; i < h->n_fields; i++) {
		const struct chitin_desc_field *hf = &h->fields[i];
		j = find_field(p, hf->name, i);
		if (j != NOT_FOUND) {
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
				    h->name, u64_text(&m, i), hf->name, p->fields[i].name);
		}
	}
	/* A plugin field at an index the host uses for another field was
	 * reported above, from the host's field. */
	for (j = 0; j < p->n_fields; j++) {
		const struct chitin_desc_field *pf = &p->fields[j];
		if (!is_since(pf->flags) && find_field(h, pf->name, j) == NOT_FOUND)
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
	uint32_t i, j;

	for (i = 0; i < h->n_variants; i++) {
		const struct chitin_desc_variant *hv = &h->variants[i];
		j = find_variant(p, hv->name, i);
		if (j != NOT_FOUND && p->variants[j].value != hv->value)
			add_problem(c, CHITIN_DESC_P_ENUM_VALUE, CHITIN_DESC_ITEM_TYPE,
				    h->name, hv->name,
				    enum_value_text(&e, hv->value, h->flags),
				    enum_value_text(&f, p->variants[j].value, p->flags));
	}
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

/* Data enums: a variant on both sides has one tag and one payload; a
 * [since] variant may be missing, but its tag may not mean another
 * variant on the other side. */
static void
compare_variants(struct compare *c, const struct chitin_desc_type *h,
		 const struct chitin_desc_type *p)
{
	struct value_text e, f;
	uint32_t i, j;

	for (i = 0; i < h->n_variants; i++) {
		const struct chitin_desc_variant *hv = &h->variants[i];
		j = find_variant(p, hv->name, i);
		if (j != NOT_FOUND) {
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
		} else if ((j = find_tag(p, hv->value)) != NOT_FOUND) {
			add_problem(c, CHITIN_DESC_P_TAG_CLASH, CHITIN_DESC_ITEM_TYPE,
				    h->name, enum_value_text(&e, hv->value, h->flags),
				    hv->name, p->variants[j].name);
		}
	}
	for (j = 0; j < p->n_variants; j++) {
		const struct chitin_desc_variant *pv = &p->variants[j];
		if (!is_since(pv->flags) && find_variant(h, pv->name, j) == NOT_FOUND)
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

	/* The layout hash decides; sizes, fields and variants explain. */
	before = c->n_found;
	layout_differs = !hash_equal(&h->layout_hash, &p->layout_hash);
	if (layout_differs) {
		if (h->size != p->size)
			add_problem(c, CHITIN_DESC_P_SIZE, CHITIN_DESC_ITEM_TYPE, h->name,
				    NULL, u64_text(&e, h->size), u64_text(&f, p->size));
		if (h->align != p->align)
			add_problem(c, CHITIN_DESC_P_ALIGN, CHITIN_DESC_ITEM_TYPE, h->name,
				    NULL, u64_text(&e, h->align), u64_text(&f, p->align));
		compare_fixed_fields(c, h, p);
	}
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
	uint32_t i, j;

	for (i = 0; i < host->n_types; i++) {
		const struct chitin_desc_type *h = &host->types[i];
		j = find_type(plugin, h->name, i);
		if (j != NOT_FOUND)
			compare_type(c, h, &plugin->types[j]);
		else if (!is_since(h->flags) && h->kind != CHITIN_DESC_INTERFACE)
			add_problem(c, CHITIN_DESC_P_MISSING_IN_PLUGIN,
				    CHITIN_DESC_ITEM_TYPE, h->name, NULL, NULL, NULL);
	}
	for (j = 0; j < plugin->n_types; j++) {
		const struct chitin_desc_type *p = &plugin->types[j];
		if (!is_since(p->flags) && p->kind != CHITIN_DESC_INTERFACE &&
		    find_type(host, p->name, j) == NOT_FOUND)
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
	uint32_t i, j;

	for (i = 0; i < host->n_interfaces; i++) {
		const struct chitin_desc_interface *h = &host->interfaces[i];
		const struct chitin_desc_interface *p;
		j = find_interface(plugin, h->name, i);
		if (j == NOT_FOUND) {
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
	for (j = 0; j < plugin->n_interfaces; j++) {
		const struct chitin_desc_interface *p = &plugin->interfaces[j];
		if (!is_since(p->flags) && find_interface(host, p->name, j) == NOT_FOUND)
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
	struct value_text e, f, m;
	uint32_t i, j;

	for (i = 0; i < host->n_exports; i++) {
		const struct chitin_desc_export *h = &host->exports[i];
		const struct chitin_desc_export *p;
		j = find_export(plugin, h->name, i);
		if (j == NOT_FOUND) {
			if (!is_since(h->flags))
				add_problem(c, CHITIN_DESC_P_MISSING_IN_PLUGIN,
					    CHITIN_DESC_ITEM_EXPORT, h->name,
					    NULL, NULL, NULL);
			else if (i < plugin->n_exports)
				add_problem(c, CHITIN_DESC_P_EXPORT_CLASH,
					    CHITIN_DESC_ITEM_EXPORT, h->name,
					    u64_text(&m, i), h->name,
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
}

/* Whether the target lists a and b (names separated by spaces) name one
 * target in common.  Takes time proportional to the product of their
 * lengths; the host's own list is short. */
static int
share_target(const char *a, const char *b)
{
	while (*a) {
		size_t n = 0;
		const char *q = b;
		while (a[n] && a[n] != ' ')
			n++;
		while (n > 0 && *q) {
			size_t m = 0;
			while (q[m] && q[m] != ' ')
				m++;
			if (m == n && memcmp(a, q, n) == 0)
				return 1;
			q += m;
			while (*q == ' ')
				q++;
		}
		a += n;
		while (*a == ' ')
			a++;
	}
	return 0;
}

/* Modules both sides import must agree on the major version. */
static void
compare_imports(struct compare *c)
{
	struct value_text e, f;
	uint32_t i, j;

	for (i = 0; i < c->host->n_imports; i++) {
		const struct chitin_desc_import *h = &c->host->imports[i];
		j = find_import(c->plugin, h->module, i);
		if (j != NOT_FOUND && c->plugin->imports[j].major != h->major)
			add_problem(c, CHITIN_DESC_P_MAJOR, CHITIN_DESC_ITEM_IMPORT,
				    h->module, NULL, u64_text(&e, h->major),
				    u64_text(&f, c->plugin->imports[j].major));
	}
}

uint32_t
chitin_desc_compare(const struct chitin_descriptor *host,
		    const struct chitin_descriptor *plugin,
		    uint16_t required_minor, struct chitin_desc_report *report)
{
	struct compare c;
	struct value_text e, f;

	c.host = host;
	c.plugin = plugin;
	c.report = report;
	c.n_found = 0;
	if (report) {
		report->n_problems = 0;
		report->more = 0;
	}

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
	if (!share_target(host->targets, plugin->targets)) {
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
