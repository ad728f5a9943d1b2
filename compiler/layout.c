/* The layout engine.  Aggregates are laid out in the model's by-value
 * order, so whatever a type holds is laid out before it; generic
 * instantiations are laid out on first use.  Every size is checked
 * against overflow and the target's largest object. */
#include "layout.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct lay_ctx {
	struct layout *l;
	const struct model *m;
	struct diag *d;
	unsigned group;       /* the group being laid out, by its first target */
	const struct target *tg;
	bool ok;
	uint8_t *state;       /* by type: 0 new, 1 done */
	uint8_t *reported;    /* by decl: a target-specific error was given */
};

/* Target-specific errors are given for the first target only: one
 * message, not ten. */
static bool
first_report(struct lay_ctx *c, const struct m_decl *d)
{
	uint32_t di = (uint32_t)(d - c->m->decls);
	c->ok = false;
	if (c->reported[di])
		return false;
	c->reported[di] = 1;
	return true;
}

static struct lay_size *
slot(struct lay_ctx *c, uint32_t t)
{
	return &c->l->type[(size_t)c->group * c->m->n_types + t];
}

/* Rounds n up to a multiple of align (a power of two); false on overflow. */
static bool
align_up(uint64_t n, uint32_t align, uint64_t *out)
{
	uint64_t r = n + (align - 1);
	if (r < n)
		return false;
	*out = r & ~((uint64_t)align - 1);
	return true;
}

static struct lay_size
make(uint64_t size, uint32_t align)
{
	struct lay_size s;
	s.size = size;
	s.align = align;
	s.valid = true;
	return s;
}

/* Two ways to fail: a part that could not be laid out (already
 * reported where it broke), and a size past 64 bits (reported by the
 * declaration that holds it, as too large). */
static const struct lay_size invalid = { 0, 1, false };
static const struct lay_size overflow = { UINT64_MAX, 1, false };

static bool
is_overflow(struct lay_size s)
{
	return !s.valid && s.size == UINT64_MAX;
}

static struct lay_size
c_struct(const struct lay_size *members, uint32_t n, uint64_t *offsets,
	 uint32_t min_align)
{
	uint64_t off = 0;
	uint32_t align = min_align ? min_align : 1, i;
	for (i = 0; i < n; i++) {
		if (!members[i].valid)
			return members[i];
		if (!align_up(off, members[i].align, &off))
			return overflow;
		if (offsets)
			offsets[i] = off;
		if (off + members[i].size < off)
			return overflow;
		off += members[i].size;
		if (members[i].align > align)
			align = members[i].align;
	}
	if (!align_up(off, align, &off))
		return overflow;
	return make(off, align);
}

static struct lay_size
c_union(const struct lay_size *members, uint32_t n, uint32_t min_align)
{
	uint64_t size = 0;
	uint32_t align = min_align ? min_align : 1, i;
	for (i = 0; i < n; i++) {
		if (!members[i].valid)
			return members[i];
		if (members[i].size > size)
			size = members[i].size;
		if (members[i].align > align)
			align = members[i].align;
	}
	if (!align_up(size, align, &size))
		return overflow;
	return make(size, align);
}

static struct lay_size type_layout(struct lay_ctx *c, uint32_t t);

static struct lay_size
prim_layout(struct lay_ctx *c, enum type_kind k)
{
	unsigned p = c->tg->pointer_size;
	switch (k) {
	case TY_VOID: return invalid;
	case TY_BOOL: case TY_I8: case TY_U8: return make(1, 1);
	case TY_I16: case TY_U16: return make(2, 2);
	case TY_I32: case TY_U32: case TY_F32: return make(4, 4);
	case TY_I64: case TY_U64: case TY_F64: return make(8, c->tg->align_8byte);
	case TY_USIZE: case TY_ISIZE: return make(p, p);
	case TY_TYPEID: return make(16, 1);
	case TY_STR: return make(2 * p, p);           /* {ptr, len} */
	case TY_STRING: return make(4 * p, p);        /* {ptr, len, cap, release} */
	default: return invalid;
	}
}

/* option<T>: the niches of doc/abi.md 2.8 (interfaces, callbacks, bool), else
 * {u8 tag; T value}. */
static struct lay_size
option_layout(struct lay_ctx *c, uint32_t elem)
{
	const struct m_type *e = &c->m->types[elem];
	struct lay_size parts[2];
	if (e->kind == TY_BOOL)
		return make(1, 1);
	if (e->kind == TY_NAMED) {
		enum decl_kind k = c->m->decls[e->decl].kind;
		if (k == DECL_INTERFACE || k == DECL_CALLBACK)
			return type_layout(c, elem);
	}
	parts[0] = make(1, 1);
	parts[1] = type_layout(c, elem);
	return c_struct(parts, 2, NULL, 0);
}

/* result<T, E>: {u8 tag; union {T ok; E err;}}, void arms omitted. */
static struct lay_size
result_layout(struct lay_ctx *c, uint32_t ok, uint32_t err)
{
	struct lay_size arms[2], parts[2];
	uint32_t n = 0;
	if (ok != TY_VOID)
		arms[n++] = type_layout(c, ok);
	if (err != TY_VOID)
		arms[n++] = type_layout(c, err);
	parts[0] = make(1, 1);
	if (n == 0)
		return parts[0];
	parts[1] = c_union(arms, n, 0);
	return c_struct(parts, 2, NULL, 0);
}

static struct lay_size
array_layout(struct lay_ctx *c, uint32_t elem, uint64_t count)
{
	struct lay_size e = type_layout(c, elem);
	uint64_t size;
	if (!e.valid)
		return e;
	if (__builtin_mul_overflow(e.size, count, &size))
		return overflow;
	return make(size, e.align);
}

static struct lay_size
type_layout(struct lay_ctx *c, uint32_t t)
{
	const struct m_type *ty = &c->m->types[t];
	struct lay_size *s = slot(c, t), r;
	unsigned p = c->tg->pointer_size;

	if (c->state[t])
		return *s;
	switch (ty->kind) {
	case TY_SLICE:
		r = make(2 * p, p);
		break;
	case TY_VEC:
		r = make(4 * p, p);
		break;
	case TY_POINTER:
		r = make(p, p);
		break;
	case TY_OPTION:
		r = option_layout(c, ty->elem);
		break;
	case TY_RESULT:
		r = result_layout(c, ty->elem, ty->err);
		break;
	case TY_ARRAY:
		r = array_layout(c, ty->elem, ty->count);
		break;
	case TY_NAMED: {
		const struct m_decl *d = &c->m->decls[ty->decl];
		if (d->kind == DECL_INTERFACE) {
			r = make(p, p);
		} else if (d->kind == DECL_CALLBACK) {
			r = make(3 * p, p);      /* {call, ctx, release} */
		} else {
			/* aggregates are done in by-value order; one that is
			 * not done yet is broken (a cycle) */
			return *s;
		}
		break;
	}
	case TY_ERROR:
		r = invalid;
		break;
	default:
		r = prim_layout(c, ty->kind);
		break;
	}
	*s = r;
	c->state[t] = 1;
	return r;
}

static void
too_large(struct lay_ctx *c, const struct m_decl *d, const char *what)
{
	if (!first_report(c, d))
		return;
	diag_error(c->d, d->item.loc,
		   "%s '%s' is too large for %s: larger than its largest object (%" PRIu64 " bytes)",
		   what, d->item.name, c->tg->name, c->tg->max_object_size);
	c->ok = false;
}

/* Lays out fields [first, first + n) as a C struct (or union) behind
 * `lead` leading bytes of pointer alignment (a resilient struct's record
 * pointer), writing their offsets. */
static struct lay_size
fields_layout(struct lay_ctx *c, uint32_t first, uint32_t n, bool is_union,
	      bool lead, uint32_t min_align)
{
	struct lay_size *parts = xmalloc((n + 1) * sizeof *parts), r;
	uint64_t *offs = xmalloc((n + 1) * sizeof *offs);
	uint32_t i, k = 0;
	if (lead)
		parts[k++] = make(c->tg->pointer_size, c->tg->pointer_size);
	for (i = 0; i < n; i++)
		parts[k++] = type_layout(c, c->m->fields[first + i].type);
	if (is_union) {
		r = c_union(parts, k, min_align);
		for (i = 0; i < k; i++)
			offs[i] = 0;
	} else {
		r = c_struct(parts, k, offs, min_align);
	}
	for (i = 0; i < n; i++)
		c->l->field_offset[(size_t)c->group * c->m->n_fields + first + i] = offs[i + lead];
	free(parts);
	free(offs);
	return r;
}

/* The alignment a struct or union has without [align]. */
static uint32_t
natural_align(struct lay_ctx *c, const struct m_decl *d)
{
	uint32_t i, align = d->kind == DECL_STRUCT && d->u.agg.resilient ? c->tg->pointer_size : 1;
	for (i = 0; i < d->u.agg.n_fields; i++) {
		struct lay_size s = type_layout(c, c->m->fields[d->u.agg.first_field + i].type);
		if (s.align > align)
			align = s.align;
	}
	return align;
}

static struct lay_size
data_enum_layout(struct lay_ctx *c, uint32_t di, bool original_only)
{
	const struct model *m = c->m;
	const struct m_decl *d = &m->decls[di];
	struct lay_size *arms = xmalloc((d->u.enm.n_variants + 1) * sizeof *arms);
	struct lay_size parts[2], r;
	uint32_t i, n = 0;
	uint64_t offs[2];
	for (i = 0; i < d->u.enm.n_variants; i++) {
		uint32_t vi = d->u.enm.first_variant + i;
		const struct m_variant *v = &m->variants[vi];
		struct lay_size ps;
		if (!v->has_payload || (original_only && v->item.has_since))
			continue;
		ps = fields_layout(c, v->first_field, v->n_fields, false, false, 0);
		c->l->payload[(size_t)c->group * m->n_variants + vi] = ps;
		arms[n++] = ps;
	}
	parts[0] = prim_layout(c, (enum type_kind)d->u.enm.repr);
	parts[1] = c_union(arms, n, 0);
	r = n ? c_struct(parts, 2, offs, 0) : parts[0];
	if (!original_only) {
		c->l->payload_offset[(size_t)c->group * m->n_decls + di] = n ? offs[1] : 0;
		c->l->payloads[(size_t)c->group * m->n_decls + di] = n ? parts[1] : invalid;
	}
	free(arms);
	return r;
}

static void
decl_layout(struct lay_ctx *c, uint32_t di)
{
	const struct model *m = c->m;
	const struct m_decl *d = &m->decls[di];
	struct lay_size r = invalid;
	uint32_t t = d->type;

	if (d->poisoned) {
		*slot(c, t) = invalid;
		c->state[t] = 1;
		return;
	}
	switch (d->kind) {
	case DECL_STRUCT:
	case DECL_UNION: {
		uint32_t natural = natural_align(c, d);
		if (d->u.agg.align && d->u.agg.align < natural && first_report(c, d)) {
			diag_error(c->d, d->item.loc,
				   "align(%u) is below the natural alignment of '%s' on %s (%u); [align] can only raise it",
				   d->u.agg.align, d->item.name, c->tg->name, natural);
			c->ok = false;
		}
		r = fields_layout(c, d->u.agg.first_field, d->u.agg.n_fields,
				  d->kind == DECL_UNION,
				  d->kind == DECL_STRUCT && d->u.agg.resilient, d->u.agg.align);
		break;
	}
	case DECL_ENUM:
		if (!d->u.enm.data) {
			r = prim_layout(c, (enum type_kind)d->u.enm.repr);
			break;
		}
		r = data_enum_layout(c, di, false);
		if (r.valid) {
			struct lay_size base = data_enum_layout(c, di, true);
			if (base.valid && (base.size != r.size || base.align != r.align)) {
				uint32_t i;
				for (i = 0; i < d->u.enm.n_variants; i++) {
					const struct m_variant *v = &m->variants[d->u.enm.first_variant + i];
					const struct lay_size *ps = &c->l->payload[(size_t)c->group * m->n_variants + d->u.enm.first_variant + i];
					if (!v->item.has_since || !v->has_payload)
						continue;
					if (ps->size + c->l->payload_offset[(size_t)c->group * m->n_decls + di] > base.size ||
					    ps->align > base.align) {
						if (!first_report(c, d))
							break;
						diag_error(c->d, v->item.loc,
							   "[since] variant '%s' does not fit in '%s' on %s: with it the enum is %" PRIu64 " bytes aligned to %u, without it %" PRIu64 " bytes aligned to %u; a variant added later must not move the layout",
							   v->item.name, d->item.name, c->tg->name,
							   r.size, r.align, base.size, base.align);
						c->ok = false;
						break;
					}
				}
			}
		}
		break;
	default:
		return;
	}
	if ((r.valid && r.size > c->tg->max_object_size) || is_overflow(r)) {
		too_large(c, d, decl_kind_names[d->kind]);
		r = invalid;
	} else if (r.valid && d->kind == DECL_STRUCT && d->u.agg.resilient &&
		   r.size > UINT32_MAX && first_report(c, d)) {
		/* its layout record holds sizes and offsets in 32 bits */
		diag_error(c->d, d->item.loc,
			   "resilient struct '%s' is %" PRIu64 " bytes on %s; a resilient struct must stay below 4 GiB",
			   d->item.name, r.size, c->tg->name);
		r = invalid;
	}
	*slot(c, t) = r;
	c->state[t] = 1;
}

bool
lay_compute(struct layout *l, const struct model *m, struct diag *d)
{
	struct lay_ctx c;
	unsigned ti, g;
	uint32_t i;

	memset(l, 0, sizeof *l);
	l->m = m;
	for (ti = 0; ti < TARGET_COUNT; ti++) {
		for (g = 0; g < l->n_groups; g++) {
			const struct target *a = &targets[l->first[g]], *b = &targets[ti];
			if (a->pointer_size == b->pointer_size && a->align_8byte == b->align_8byte &&
			    a->max_object_size == b->max_object_size)
				break;
		}
		if (g == l->n_groups)
			l->first[l->n_groups++] = (uint8_t)ti;
		l->group[ti] = (uint8_t)g;
	}
	l->type = xcalloc((size_t)l->n_groups * m->n_types + 1, sizeof *l->type);
	l->field_offset = xcalloc((size_t)l->n_groups * m->n_fields + 1, sizeof *l->field_offset);
	l->payload = xcalloc((size_t)l->n_groups * m->n_variants + 1, sizeof *l->payload);
	l->payload_offset = xcalloc((size_t)l->n_groups * m->n_decls + 1, sizeof *l->payload_offset);
	l->payloads = xcalloc((size_t)l->n_groups * m->n_decls + 1, sizeof *l->payloads);
	memset(&c, 0, sizeof c);
	c.l = l;
	c.m = m;
	c.d = d;
	c.ok = true;
	c.state = xmalloc(m->n_types + 1);
	c.reported = xcalloc(m->n_decls + 1, 1);
	/* A group's first target is the first of its targets in the table,
	 * so an error is given for the same target as if each were laid out
	 * in turn. */
	for (g = 0; g < l->n_groups && !diag_stopped(d); g++) {
		c.group = g;
		c.tg = &targets[l->first[g]];
		memset(c.state, 0, m->n_types + 1);
		for (i = 0; i < m->n_by_value_order; i++)
			decl_layout(&c, m->by_value_order[i]);
		for (i = 0; i < m->n_types; i++)
			type_layout(&c, i);
	}
	free(c.state);
	free(c.reported);
	return c.ok;
}

void
lay_free(struct layout *l)
{
	free(l->type);
	free(l->field_offset);
	free(l->payload);
	free(l->payload_offset);
	free(l->payloads);
	memset(l, 0, sizeof *l);
}
