/* Ids and hashes.  A layout hash is SHA-1 (first 16 bytes) over a
 * canonical byte string of the type's representation: kinds, sizes,
 * alignments, offsets and the hashes of what it holds by value; never
 * names, never enumerator lists, never [since] additions, so compatible
 * growth keeps it.  What a type reaches through an indirection (pointer,
 * slice, vec) or a reference (interface, callback) enters by its id, not
 * its layout, which keeps recursive types finite. */
#include "typeid.h"
#include "outbuf.h"

#include <stdlib.h>
#include <string.h>

/* Kind codes of the canonical form; never renumbered. */
enum {
	CK_VOID = 0, CK_BOOL, CK_I8, CK_I16, CK_I32, CK_I64, CK_U8, CK_U16, CK_U32,
	CK_U64, CK_F32, CK_F64, CK_USIZE, CK_ISIZE, CK_TYPEID, CK_STR, CK_STRING,
	CK_SLICE = 32, CK_VEC, CK_OPTION, CK_RESULT, CK_ARRAY, CK_POINTER,
	CK_STRUCT = 48, CK_UNION, CK_ENUM, CK_DATA_ENUM, CK_CALLBACK, CK_INTERFACE,
	CK_RESILIENT, CK_PAYLOAD,
};

struct tid_ctx {
	struct typeids *t;
	const struct model *m;
	const struct layout *l;
	unsigned group, target;   /* the layout group hashed, and its first target */
	uint8_t *done;        /* by type */
	/* Buffers for canonical forms, one per depth of the walk (a type's
	 * form is built while those of the types in it are), kept for reuse. */
	struct outbuf **bufs;
	uint32_t n_bufs, depth;
	/* Canonical forms hashed so far, so that a form met again (types
	 * and signatures often share one, names being left out) is not
	 * hashed again: slots index entries, 0 when empty. */
	struct memo_entry {
		uint32_t mix, len;
		size_t at;            /* its bytes in store */
		chitin_hash128 hash;
	} *entries;
	uint32_t n_entries, cap_entries;
	uint32_t *slots, slot_mask;
	char *store;
	size_t store_len, store_cap;
};

static const chitin_hash128 zero_hash;

static void
put_u8(struct outbuf *b, unsigned v)
{
	char c = (char)(v & 0xff);
	ob_put(b, &c, 1);
}

static void
put_u32(struct outbuf *b, uint32_t v)
{
	char c[4];
	int i;
	for (i = 0; i < 4; i++)
		c[i] = (char)(v >> (8 * i));
	ob_put(b, c, 4);
}

static void
put_u64(struct outbuf *b, uint64_t v)
{
	char c[8];
	int i;
	for (i = 0; i < 8; i++)
		c[i] = (char)(v >> (8 * i));
	ob_put(b, c, 8);
}

static void
put_hash(struct outbuf *b, const chitin_hash128 *h)
{
	ob_put(b, (const char *)h->bytes, 16);
}

/* Starts a canonical form: a domain tag, the kind, size and alignment. */
static void
begin(struct outbuf *b, const char *domain, unsigned kind, uint64_t size, uint32_t align)
{
	b->len = 0;
	ob_puts(b, domain);
	put_u8(b, kind);
	put_u64(b, size);
	put_u32(b, align);
}

static void
memo_grow(struct tid_ctx *c)
{
	uint32_t i, cap = c->slot_mask ? 2 * (c->slot_mask + 1) : 1024;
	free(c->slots);
	c->slots = xcalloc(cap, sizeof *c->slots);
	c->slot_mask = cap - 1;
	for (i = 0; i < c->n_entries; i++) {
		uint32_t at = c->entries[i].mix & c->slot_mask;
		while (c->slots[at])
			at = (at + 1) & c->slot_mask;
		c->slots[at] = i + 1;
	}
}

/* The hash of canonical form b into out: SHA-1 the first time a form is
 * met, the remembered hash after. */
static void
finish(struct tid_ctx *c, const struct outbuf *b, chitin_hash128 *out)
{
	uint32_t mix = (uint32_t)hash_fast(b->data, b->len), at;
	struct memo_entry *e;
	if (2 * (c->n_entries + 1) > c->slot_mask + 1)
		memo_grow(c);
	for (at = mix & c->slot_mask; c->slots[at]; at = (at + 1) & c->slot_mask) {
		e = &c->entries[c->slots[at] - 1];
		if (e->mix == mix && e->len == b->len && memcmp(c->store + e->at, b->data, b->len) == 0) {
			*out = e->hash;
			return;
		}
	}
	chitin_hash128_of(b->data, b->len, out);
	if (c->store_len + b->len > c->store_cap) {
		c->store_cap = 2 * (c->store_len + b->len) + 4096;
		c->store = xrealloc(c->store, c->store_cap);
	}
	memcpy(c->store + c->store_len, b->data, b->len);
	e = &VEC_PUSH(c->entries, c->n_entries, c->cap_entries);
	e->mix = mix;
	e->len = (uint32_t)b->len;
	e->at = c->store_len;
	e->hash = *out;
	c->store_len += b->len;
	c->slots[at] = c->n_entries;
}

static const chitin_hash128 *type_hash(struct tid_ctx *c, uint32_t t);

/* An empty buffer for the form being built at the walk's depth. */
static struct outbuf *
take_buf(struct tid_ctx *c)
{
	struct outbuf *b;
	if (c->depth == c->n_bufs) {
		c->bufs = xrealloc(c->bufs, (c->n_bufs + 1) * sizeof *c->bufs);
		c->bufs[c->n_bufs] = xmalloc(sizeof **c->bufs);
		ob_init(c->bufs[c->n_bufs++]);
	}
	b = c->bufs[c->depth++];
	b->len = 0;
	b->data[0] = '\0';
	return b;
}

static void
give_buf(struct tid_ctx *c)
{
	c->depth--;
}

/* How a type enters what reaches it through an indirection: named types
 * by id, others by their own hash. */
static void
put_ref(struct tid_ctx *c, struct outbuf *b, uint32_t t)
{
	const struct m_type *ty = &c->m->types[t];
	if (ty->kind == TY_NAMED)
		put_hash(b, &c->t->decl_id[ty->decl]);
	else
		put_hash(b, t == TY_VOID ? &zero_hash : type_hash(c, t));
}

/* The canonical form of fields [first, first + n) (non-[since] ones):
 * count, then each offset and type hash.  Uses its own buffer, as the
 * caller's is in use. */
static void
put_fields(struct tid_ctx *c, struct outbuf *b, uint32_t first, uint32_t n)
{
	uint32_t i, count = 0;
	chitin_hash128 *hashes = xmalloc((n + 1) * sizeof *hashes);
	uint64_t *offsets = xmalloc((n + 1) * sizeof *offsets);
	for (i = 0; i < n; i++) {
		const struct m_field *f = &c->m->fields[first + i];
		if (f->item.has_since)
			continue;
		hashes[count] = *type_hash(c, f->type);
		offsets[count] = lay_field_offset(c->l, c->target, first + i);
		count++;
	}
	put_u32(b, count);
	for (i = 0; i < count; i++) {
		put_u64(b, offsets[i]);
		put_hash(b, &hashes[i]);
	}
	free(hashes);
	free(offsets);
}

static void
decl_hash(struct tid_ctx *c, uint32_t di, struct outbuf *b, const struct lay_size *s)
{
	const struct model *m = c->m;
	const struct m_decl *d = &m->decls[di];
	uint32_t i;
	switch (d->kind) {
	case DECL_STRUCT:
	case DECL_UNION:
		if (d->kind == DECL_STRUCT && d->u.agg.resilient) {
			/* size and alignment grow with [since] fields */
			begin(b, "chitin-layout-1", CK_RESILIENT, 0, 0);
		} else {
			begin(b, "chitin-layout-1", d->kind == DECL_STRUCT ? CK_STRUCT : CK_UNION,
			      s->size, s->align);
		}
		put_fields(c, b, d->u.agg.first_field, d->u.agg.n_fields);
		break;
	case DECL_ENUM:
		if (!d->u.enm.data) {
			begin(b, "chitin-layout-1", CK_ENUM, s->size, s->align);
			put_u8(b, d->u.enm.repr);
			break;
		}
		/* payload hashes first: they use the buffer too */
		for (i = 0; i < d->u.enm.n_variants; i++) {
			uint32_t vi = d->u.enm.first_variant + i;
			const struct m_variant *v = &m->variants[vi];
			const struct lay_size *ps = &c->l->payload[(size_t)c->group * m->n_variants + vi];
			struct outbuf *pb;
			if (!v->has_payload)
				continue;
			pb = take_buf(c);
			begin(pb, "chitin-layout-1", CK_PAYLOAD, ps->size, ps->align);
			put_fields(c, pb, v->first_field, v->n_fields);
			finish(c, pb, &c->t->payload_hash[(size_t)c->group * m->n_variants + vi]);
			give_buf(c);
		}
		begin(b, "chitin-layout-1", CK_DATA_ENUM, s->size, s->align);
		put_u8(b, d->u.enm.repr);
		put_u64(b, c->l->payload_offset[(size_t)c->group * m->n_decls + di]);
		for (i = 0; i < d->u.enm.n_variants; i++) {
			uint32_t vi = d->u.enm.first_variant + i;
			const struct m_variant *v = &m->variants[vi];
			if (v->item.has_since)
				continue;
			put_u64(b, v->value);
			put_hash(b, v->has_payload
				 ? &c->t->payload_hash[(size_t)c->group * m->n_variants + vi]
				 : &zero_hash);
		}
		break;
	case DECL_CALLBACK:
	case DECL_INTERFACE:
		begin(b, "chitin-layout-1", d->kind == DECL_CALLBACK ? CK_CALLBACK : CK_INTERFACE,
		      s->size, s->align);
		put_hash(b, &c->t->decl_id[di]);
		break;
	default:
		break;
	}
}

static const chitin_hash128 *
type_hash(struct tid_ctx *c, uint32_t t)
{
	chitin_hash128 *out = &c->t->layout_hash[(size_t)c->group * c->m->n_types + t];
	const struct m_type *ty = &c->m->types[t];
	const struct lay_size *s = lay_type(c->l, c->target, t);
	struct outbuf *b;

	if (c->done[t])
		return out;
	c->done[t] = 1;       /* a cycle can only come from a broken model */
	b = take_buf(c);
	switch (ty->kind) {
	case TY_SLICE:
	case TY_VEC:
	case TY_POINTER:
		begin(b, "chitin-layout-1", ty->kind == TY_SLICE ? CK_SLICE
		      : ty->kind == TY_VEC ? CK_VEC : CK_POINTER, s->size, s->align);
		put_u8(b, ty->is_const);
		put_ref(c, b, ty->elem);
		break;
	case TY_OPTION:
	case TY_ARRAY: {
		chitin_hash128 e = *type_hash(c, ty->elem);
		begin(b, "chitin-layout-1", ty->kind == TY_OPTION ? CK_OPTION : CK_ARRAY,
		      s->size, s->align);
		put_hash(b, &e);
		if (ty->kind == TY_ARRAY)
			put_u64(b, ty->count);
		break;
	}
	case TY_RESULT: {
		chitin_hash128 ok = ty->elem == TY_VOID ? zero_hash : *type_hash(c, ty->elem);
		chitin_hash128 err = ty->err == TY_VOID ? zero_hash : *type_hash(c, ty->err);
		begin(b, "chitin-layout-1", CK_RESULT, s->size, s->align);
		put_hash(b, &ok);
		put_hash(b, &err);
		break;
	}
	case TY_NAMED:
		decl_hash(c, ty->decl, b, s);
		break;
	case TY_ERROR:
		give_buf(c);
		return out;
	default:
		/* primitives: the kind codes match the type kinds */
		begin(b, "chitin-layout-1", (unsigned)ty->kind, s->size, s->align);
		break;
	}
	finish(c, b, out);
	give_buf(c);
	return out;
}

static void
sig_hash(struct tid_ctx *c, uint32_t mi)
{
	const struct model *m = c->m;
	const struct m_method *me = &m->methods[mi];
	struct outbuf *b;
	uint32_t i;
	b = take_buf(c);
	ob_puts(b, "chitin-signature-1");
	put_hash(b, me->ret == TY_VOID ? &zero_hash : type_hash(c, me->ret));
	put_u32(b, me->n_params);
	for (i = 0; i < me->n_params; i++) {
		const struct m_param *p = &m->params[me->first_param + i];
		put_u8(b, (unsigned)p->dir);
		put_hash(b, type_hash(c, p->type));
	}
	finish(c, b, &c->t->sig_hash[(size_t)c->group * m->n_methods + mi]);
	give_buf(c);
}

static bool
same_size(const struct lay_size *a, const struct lay_size *b)
{
	return lay_same_size(a, b) && a->valid == b->valid;
}

/* Whether layout groups a and b lay out every type, field and payload of
 * m alike. */
static bool
same_layouts(const struct layout *l, const struct model *m, unsigned a, unsigned b)
{
	size_t i;
	for (i = 0; i < m->n_types; i++)
		if (!same_size(&l->type[a * (size_t)m->n_types + i], &l->type[b * (size_t)m->n_types + i]))
			return false;
	for (i = 0; i < m->n_fields; i++)
		if (l->field_offset[a * (size_t)m->n_fields + i] != l->field_offset[b * (size_t)m->n_fields + i])
			return false;
	for (i = 0; i < m->n_variants; i++)
		if (!same_size(&l->payload[a * (size_t)m->n_variants + i], &l->payload[b * (size_t)m->n_variants + i]))
			return false;
	for (i = 0; i < m->n_decls; i++)
		if (l->payload_offset[a * (size_t)m->n_decls + i] != l->payload_offset[b * (size_t)m->n_decls + i] ||
		    !same_size(&l->payloads[a * (size_t)m->n_decls + i], &l->payloads[b * (size_t)m->n_decls + i]))
			return false;
	return true;
}

void
tid_compute(struct typeids *t, const struct model *m, const struct layout *l, bool hashes)
{
	struct tid_ctx c;
	uint32_t di, i;
	unsigned g;

	memset(t, 0, sizeof *t);
	t->m = m;
	t->decl_id = xcalloc(m->n_decls + 1, sizeof *t->decl_id);
	t->n_groups = l->n_groups;
	memcpy(t->group, l->group, sizeof t->group);
	t->layout_hash = xcalloc((size_t)l->n_groups * m->n_types + 1, sizeof *t->layout_hash);
	t->payload_hash = xcalloc((size_t)l->n_groups * m->n_variants + 1, sizeof *t->payload_hash);
	t->sig_hash = xcalloc((size_t)l->n_groups * m->n_methods + 1, sizeof *t->sig_hash);

	for (di = 0; di < m->n_decls; di++) {
		const struct m_decl *d = &m->decls[di];
		if (d->kind == DECL_INTERFACE && d->u.iface.has_uuid) {
			memcpy(t->decl_id[di].bytes, d->u.iface.uuid, 16);
			continue;
		}
		/* the built-in object is "chitin.object@1" */
		if (d->module == M_NONE)
			chitin_type_id("chitin", d->item.name, 1, &t->decl_id[di]);
		else
			chitin_type_id(m->modules[d->module].name, d->item.name,
				       m->modules[d->module].version.major, &t->decl_id[di]);
	}

	if (!hashes)
		return;
	t->hashed = true;
	memset(&c, 0, sizeof c);
	c.t = t;
	c.m = m;
	c.l = l;
	c.done = xmalloc(m->n_types + 1);
	for (g = 0; g < l->n_groups; g++) {
		unsigned h;
		/* The hashes are of layout numbers alone: a group that lays
		 * everything out as an earlier one has its hashes. */
		for (h = 0; h < g && !same_layouts(l, m, h, g); h++)
			;
		if (h < g) {
			memcpy(&t->layout_hash[(size_t)g * m->n_types], &t->layout_hash[(size_t)h * m->n_types],
			       m->n_types * sizeof *t->layout_hash);
			memcpy(&t->payload_hash[(size_t)g * m->n_variants],
			       &t->payload_hash[(size_t)h * m->n_variants], m->n_variants * sizeof *t->payload_hash);
			memcpy(&t->sig_hash[(size_t)g * m->n_methods], &t->sig_hash[(size_t)h * m->n_methods],
			       m->n_methods * sizeof *t->sig_hash);
			continue;
		}
		c.group = g;
		c.target = l->first[g];
		memset(c.done, 0, m->n_types + 1);
		for (i = 0; i < m->n_by_value_order; i++)
			type_hash(&c, m->decls[m->by_value_order[i]].type);
		for (i = 0; i < m->n_types; i++)
			type_hash(&c, i);
		for (i = 0; i < m->n_methods; i++)
			sig_hash(&c, i);
	}
	for (i = 0; i < c.n_bufs; i++) {
		ob_free(c.bufs[i]);
		free(c.bufs[i]);
	}
	free(c.bufs);
	free(c.done);
	free(c.entries);
	free(c.slots);
	free(c.store);
}

void
tid_free(struct typeids *t)
{
	free(t->decl_id);
	free(t->layout_hash);
	free(t->payload_hash);
	free(t->sig_hash);
	memset(t, 0, sizeof *t);
}
