/* The whole-model checks, after every name is resolved: by-value cycles
 * (and the order layout walks), borrowed types, where each type may be
 * used, [since] ordering, interfaces, uuids and export symbols. */
#include "check.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- by-value containment --------------------------------------------------- */

struct value_graph {
	struct resolver *r;
	uint32_t *edge_field;      /* the field behind each edge */
	uint32_t *targets;
	uint32_t n_edges, cap_edges, cap_fields;
};

/* Adds an edge for every declaration t holds by value. */
static void
add_value_edges(struct value_graph *g, uint32_t t, uint32_t field)
{
	const struct model *m = g->r->m;
	for (;;) {
		const struct m_type *ty = &m->types[t];
		switch (ty->kind) {
		case TY_ARRAY:
		case TY_OPTION:
			t = ty->elem;
			continue;
		case TY_RESULT:
			add_value_edges(g, ty->err, field);
			t = ty->elem;
			continue;
		case TY_NAMED: {
			enum decl_kind k = m->decls[ty->decl].kind;
			if (k == DECL_STRUCT || k == DECL_UNION || k == DECL_ENUM) {
				VEC_GROW(g->targets, g->n_edges, g->cap_edges);
				VEC_GROW(g->edge_field, g->n_edges, g->cap_fields);
				g->targets[g->n_edges] = ty->decl;
				g->edge_field[g->n_edges] = field;
				g->n_edges++;
			}
			return;
		}
		default:
			return;
		}
	}
}

static void
value_done(void *ctx, uint32_t node)
{
	struct value_graph *g = ctx;
	struct model *m = g->r->m;
	enum decl_kind k = m->decls[node].kind;
	if (k == DECL_STRUCT || k == DECL_UNION || k == DECL_ENUM)
		m->by_value_order[m->n_by_value_order++] = node;
}

/* The cycle being reported, for its text: "S.f -> T.g -> S". */
struct value_path {
	const struct value_graph *g;
	const uint32_t *nodes, *edges;
	uint32_t n;
};

static void
value_part(void *ctx, uint32_t i, char *out, size_t size)
{
	const struct value_path *p = ctx;
	const struct model *m = p->g->r->m;
	if (i == p->n)
		snprintf(out, size, "%s", m->decls[p->nodes[0]].item.name);
	else
		snprintf(out, size, "%s.%s", m->decls[p->nodes[i]].item.name,
			 m->fields[p->g->edge_field[p->edges[i]]].item.name);
}

static void
value_cycle(void *ctx, const uint32_t *nodes, const uint32_t *edges, uint32_t n)
{
	struct value_graph *g = ctx;
	struct resolver *r = g->r;
	struct model *m = r->m;
	const struct m_decl *first = &m->decls[nodes[0]];
	struct value_path vp = { g, nodes, edges, n };
	char path[600];
	uint32_t i;

	dfs_cycle_text(path, sizeof path, n, true, value_part, &vp);
	diag_error(r->d, first->item.loc,
		   "%s '%s' contains itself by value (%s); hold one of them through a pointer or a vec to break the cycle",
		   decl_kind_names[first->kind], first->item.name, path);
	for (i = 0; i < n; i++) {
		const struct m_field *f = &m->fields[g->edge_field[edges[i]]];
		if (n > 8 && i == 4)
			i = n - 4, f = &m->fields[g->edge_field[edges[i]]];
		diag_note(r->d, f->item.loc, "'%s' holds '%s' by value here",
			  m->decls[nodes[i]].item.name, m->decls[nodes[(i + 1) % n]].item.name);
	}
	for (i = 0; i < n; i++)
		m->decls[nodes[i]].poisoned = true;
}

/* Fields of decl d, wherever they are (struct, union, or every payload). */
static void
for_each_field_range(const struct model *m, const struct m_decl *d,
		     void (*fn)(void *ctx, uint32_t first, uint32_t n), void *ctx)
{
	uint32_t i;
	if (d->kind == DECL_STRUCT || d->kind == DECL_UNION) {
		fn(ctx, d->u.agg.first_field, d->u.agg.n_fields);
	} else if (d->kind == DECL_ENUM) {
		for (i = 0; i < d->u.enm.n_variants; i++) {
			const struct m_variant *v = &m->variants[d->u.enm.first_variant + i];
			fn(ctx, v->first_field, v->n_fields);
		}
	}
}

static void
edges_of_range(void *ctx, uint32_t first, uint32_t n)
{
	struct value_graph *g = ctx;
	uint32_t i;
	for (i = first; i < first + n; i++)
		add_value_edges(g, g->r->m->fields[i].type, i);
}

static void
check_cycles(struct resolver *r)
{
	struct model *m = r->m;
	struct value_graph g;
	struct dfs_graph dg;
	uint32_t *first = xmalloc((m->n_decls + 1) * sizeof *first), di;

	memset(&g, 0, sizeof g);
	g.r = r;
	for (di = 0; di < m->n_decls; di++) {
		first[di] = g.n_edges;
		for_each_field_range(m, &m->decls[di], edges_of_range, &g);
	}
	first[m->n_decls] = g.n_edges;
	m->by_value_order = xmalloc((m->n_decls + 1) * sizeof *m->by_value_order);
	m->n_by_value_order = 0;
	dg.n = m->n_decls;
	dg.first = first;
	dg.targets = g.targets;
	dg.ctx = &g;
	dg.done = value_done;
	dg.cycle = value_cycle;
	dfs_run(&dg);
	free(first);
	free(g.targets);
	free(g.edge_field);
}

/* ---- borrowed types ------------------------------------------------------------- */

/* Whether t holds a str or slice by value. */
static bool
type_borrowed(const struct model *m, uint32_t t)
{
	for (;;) {
		const struct m_type *ty = &m->types[t];
		switch (ty->kind) {
		case TY_STR:
		case TY_SLICE:
			return true;
		case TY_ARRAY:
		case TY_OPTION:
		case TY_VEC:
			t = ty->elem;
			continue;
		case TY_RESULT:
			if (type_borrowed(m, ty->err))
				return true;
			t = ty->elem;
			continue;
		case TY_NAMED:
			return m->decls[ty->decl].borrowed;
		default:
			return false;
		}
	}
}

struct borrow_ctx {
	struct resolver *r;
	uint32_t decl;
};

static void
borrow_range(void *ctx, uint32_t first, uint32_t n)
{
	struct borrow_ctx *b = ctx;
	struct model *m = b->r->m;
	uint32_t i;
	for (i = first; i < first + n; i++) {
		if (!m->decls[b->decl].borrowed && type_borrowed(m, m->fields[i].type)) {
			m->decls[b->decl].borrowed = true;
			b->r->borrowed_field[b->decl] = i;
		}
		if (model_type_owns(m, m->fields[i].type))
			m->decls[b->decl].owning = true;
	}
}

static void
compute_borrowed(struct resolver *r)
{
	struct model *m = r->m;
	uint32_t i;
	r->borrowed_field = xmalloc((m->n_decls + 1) * sizeof *r->borrowed_field);
	for (i = 0; i < m->n_by_value_order; i++) {
		struct borrow_ctx b;
		b.r = r;
		b.decl = m->by_value_order[i];
		for_each_field_range(m, &m->decls[b.decl], borrow_range, &b);
	}
}

/* Explains why t is borrowed, as a note at the field that makes it so. */
static void
note_borrowed(struct resolver *r, uint32_t t)
{
	const struct model *m = r->m;
	char buf[256];
	for (;;) {
		const struct m_type *ty = &m->types[t];
		if (ty->kind == TY_NAMED && m->decls[ty->decl].borrowed) {
			const struct m_decl *d = &m->decls[ty->decl];
			const struct m_field *f = &m->fields[r->borrowed_field[ty->decl]];
			diag_note(r->d, f->item.loc, "'%s' is borrowed because field '%s' is '%s'",
				  d->item.name, f->item.name,
				  model_type_name(m, f->type, d->module, buf, sizeof buf));
			t = f->type;
			if (m->types[t].kind == TY_STR || m->types[t].kind == TY_SLICE)
				return;
			continue;
		}
		if (ty->kind == TY_ARRAY || ty->kind == TY_OPTION || ty->kind == TY_VEC) {
			t = ty->elem;
			continue;
		}
		if (ty->kind == TY_RESULT) {
			t = type_borrowed(m, ty->elem) ? ty->elem : ty->err;
			continue;
		}
		return;
	}
}

/* ---- where types may be used ------------------------------------------------------ */

enum use { USE_FIELD, USE_IN, USE_OUT, USE_RETURN };

/* Checks the parts of t (inside generics and arrays, not behind pointers):
 * void only where void_ok (a return, a result arm), no resilient struct by
 * value, no borrowed element in an owned vec. */
static bool
check_parts(struct resolver *r, uint32_t t, bool void_ok, struct loc at, uint32_t mi)
{
	const struct model *m = r->m;
	const struct m_type *ty = &m->types[t];
	char buf[256];
	switch (ty->kind) {
	case TY_VOID:
		if (void_ok)
			return true;
		diag_error(r->d, at, "'void' is only a return type, a result arm or a pointer target (void*)");
		return false;
	case TY_NAMED: {
		const struct m_decl *d = &m->decls[ty->decl];
		if (d->kind == DECL_STRUCT && d->u.agg.resilient) {
			diag_error(r->d, at,
				   "resilient struct '%s' cannot be used by value, as its size may grow; use a pointer ('%s*')",
				   d->item.name, model_type_name(m, t, mi, buf, sizeof buf));
			diag_note(r->d, d->item.loc, "'%s' is declared [resilient] here", d->item.name);
			return false;
		}
		return true;
	}
	case TY_VEC:
		if (type_borrowed(m, ty->elem)) {
			diag_error(r->d, at, "'%s' owns its elements, which cannot be borrowed ('str', 'slice'); use 'string' or 'vec'",
				   model_type_name(m, t, mi, buf, sizeof buf));
			note_borrowed(r, ty->elem);
			return false;
		}
		return check_parts(r, ty->elem, false, at, mi);
	case TY_SLICE:
	case TY_OPTION:
	case TY_ARRAY:
		return check_parts(r, ty->elem, false, at, mi);
	case TY_RESULT: {
		/* both arms, so each gets its own message */
		bool ok_ok = check_parts(r, ty->elem, true, at, mi);
		bool err_ok = check_parts(r, ty->err, true, at, mi);
		return ok_ok && err_ok;
	}
	default:
		return true;
	}
}

/* Names what is checked, for messages: the result, a parameter or a
 * field (formatted only when something is reported). */
static const char *
use_what(const struct m_param *p, enum use use, char *buf, size_t size)
{
	if (p)
		snprintf(buf, size, "[%s] parameter '%s'", param_dir_names[p->dir], p->name);
	else
		snprintf(buf, size, "%s", use == USE_RETURN ? "the result" : "a field");
	return buf;
}

static void
check_use(struct resolver *r, uint32_t t, enum use use, struct loc at, uint32_t mi,
	  const struct m_param *param)
{
	char what[300];
	const struct model *m = r->m;
	const struct m_type *ty = &m->types[t];
	char buf[256];

	if (t == TYPE_ERROR)
		return;
	if (!check_parts(r, t, use == USE_RETURN, at, mi))
		return;
	if (use != USE_OUT && use != USE_RETURN)
		return;
	if (use == USE_OUT && ty->kind == TY_SLICE) {
		/* caller-provided storage */
		if (ty->is_const)
			diag_error(r->d, at, "%s is written by the callee, so it must be a writable slice<T>, not slice<const T>",
				   use_what(param, use, what, sizeof what));
		else if (type_borrowed(m, ty->elem)) {
			diag_error(r->d, at, "%s is filled by the callee, so its elements cannot be borrowed",
				   use_what(param, use, what, sizeof what));
			note_borrowed(r, ty->elem);
		}
		return;
	}
	if (type_borrowed(m, t)) {
		diag_error(r->d, at, "%s cannot be '%s': it borrows, and nothing returned may borrow; use owned types (string, vec)",
			   use_what(param, use, what, sizeof what),
			   model_type_name(m, t, mi, buf, sizeof buf));
		note_borrowed(r, t);
	}
}

static void
check_sig(struct resolver *r, const struct m_method *me, uint32_t mi)
{
	uint32_t i;
	check_use(r, me->ret, USE_RETURN, me->ret_loc, mi, NULL);
	for (i = 0; i < me->n_params; i++) {
		const struct m_param *p = &r->m->params[me->first_param + i];
		check_use(r, p->type, p->dir == DIR_IN ? USE_IN : USE_OUT, p->type_loc, mi, p);
	}
}

static void
check_field_uses(struct resolver *r, uint32_t first, uint32_t n, uint32_t mi)
{
	uint32_t i;
	for (i = first; i < first + n; i++)
		check_use(r, r->m->fields[i].type, USE_FIELD, r->m->fields[i].type_loc, mi, NULL);
}

/* Nothing can release what a union member owns, since which member is set
 * is not known: unions hold plain data only. */
static void
check_union_owns(struct resolver *r, const struct m_decl *d)
{
	const struct model *m = r->m;
	uint32_t i;
	char buf[256];
	for (i = d->u.agg.first_field; i < d->u.agg.first_field + d->u.agg.n_fields; i++) {
		const struct m_field *f = &m->fields[i];
		if (f->type != TYPE_ERROR && model_type_owns(m, f->type))
			diag_error(r->d, f->type_loc,
				   "union '%s' cannot hold '%s', which owns what it points to: nothing could release it, as which member is set is not known",
				   d->item.name, model_type_name(m, f->type, d->module, buf, sizeof buf));
	}
}

/* ---- [since] ordering ---------------------------------------------------------- */

/* Items added in minor versions come after the original ones, in version
 * order.  Returns false after reporting. */
struct since_order {
	const struct m_item *last;   /* the last [since] item seen */
};

static void
since_next(struct resolver *r, struct since_order *o, const struct m_item *it,
	   const char *kind)
{
	if (it->has_since) {
		if (o->last && (it->since.major < o->last->since.major ||
				(it->since.major == o->last->since.major &&
				 it->since.minor < o->last->since.minor))) {
			diag_error(r->d, it->loc,
				   "%s '%s' is [since(%u.%u)] but comes after one added in %u.%u; additions are appended in version order",
				   kind, it->name, it->since.major, it->since.minor,
				   o->last->since.major, o->last->since.minor);
			diag_note(r->d, o->last->loc, "'%s' is here", o->last->name);
		}
		o->last = it;
	} else if (o->last) {
		diag_error(r->d, it->loc,
			   "%s '%s' comes after '%s', which is [since(%u.%u)]; original %ss come first and additions are appended",
			   kind, it->name, o->last->name, o->last->since.major,
			   o->last->since.minor, kind);
	}
}

static void
check_since_fields(struct resolver *r, const struct m_decl *d, uint32_t first,
		   uint32_t n, const char *owner_kind)
{
	struct since_order o = { NULL };
	uint32_t i;
	bool grows = d->kind == DECL_STRUCT && d->u.agg.resilient;
	for (i = first; i < first + n; i++) {
		const struct m_item *it = &r->m->fields[i].item;
		if (!grows) {
			if (it->has_since)
				diag_error(r->d, it->loc,
					   "field '%s' cannot be [since]: %s%s%s%s never grows%s",
					   it->name, owner_kind, *owner_kind ? " '" : "",
					   d->kind == DECL_ENUM ? "a variant's payload" : d->item.name,
					   *owner_kind ? "'" : "",
					   d->kind == DECL_STRUCT ? " (only [resilient] structs do)"
					   : d->kind == DECL_ENUM ? "; add a [since] variant instead" : "");
			continue;
		}
		since_next(r, &o, it, "field");
	}
}

/* ---- interfaces -------------------------------------------------------------------- */

enum { MAX_INHERITANCE = 256 };

static void
check_interface(struct resolver *r, uint32_t di)
{
	struct model *m = r->m;
	const struct m_decl *d = &m->decls[di];
	uint32_t base = d->u.iface.base, i, steps;
	struct since_order o = { NULL };

	if (base != M_NONE && base != m->object_decl && base != di) {
		const struct m_decl *b = &m->decls[base];
		if (!b->u.iface.is_base) {
			diag_error(r->d, r->ast_of_decl[di]->u.iface.base->loc,
				   "interface '%s' cannot derive from '%s', which is not [base]: only [base] interfaces, which never change, can be derived from",
				   d->item.name, b->item.name);
			diag_note(r->d, b->item.loc, "'%s' is declared here", b->item.name);
		}
	}
	/* The chain of bases: no cycle, bounded depth, no method hidden.  A
	 * cycle further up is reported by its members, not by every
	 * interface below it. */
	r->walk_epoch++;
	for (steps = 0, base = d->u.iface.base; base != M_NONE && base != m->object_decl;
	     base = m->decls[base].u.iface.base, steps++) {
		const struct m_decl *b = &m->decls[base];
		if (base == di) {
			diag_error(r->d, d->item.loc, "interface '%s' derives from itself", d->item.name);
			return;
		}
		if (r->walk_mark[base] == r->walk_epoch)
			break;
		r->walk_mark[base] = r->walk_epoch;
		if (steps == MAX_INHERITANCE) {
			diag_error(r->d, d->item.loc, "interface '%s' derives through more than %d levels",
				   d->item.name, MAX_INHERITANCE);
			return;
		}
		for (i = 0; i < b->u.iface.n_methods; i++) {
			const struct m_method *bm = &m->methods[b->u.iface.first_method + i];
			uint32_t own = res_member_find(r, r->scope_of_decl[di],
						       r->ast_of_decl[di]->u.iface.n_methods,
						       d->u.iface.first_method,
						       d->u.iface.first_method + d->u.iface.n_methods,
						       bm->item.name, res_method_name);
			if (own != M_NONE) {
				diag_error(r->d, m->methods[own].item.loc,
					   "method '%s' of '%s' has the name of a method it inherits from '%s'",
					   bm->item.name, d->item.name, b->item.name);
				diag_note(r->d, bm->item.loc, "the inherited method is here");
			}
		}
	}
	for (i = 0; i < d->u.iface.n_methods; i++) {
		const struct m_method *me = &m->methods[d->u.iface.first_method + i];
		if (d->u.iface.is_base) {
			if (me->item.has_since)
				diag_error(r->d, me->item.loc,
					   "method '%s' cannot be [since]: a [base] interface never changes; derive a new interface instead",
					   me->item.name);
			continue;
		}
		since_next(r, &o, &me->item, "method");
	}
}

/* Records d's uuid (interfaces) or symbol (exports) in seen, reporting a
 * clash with an earlier one. */
static void
check_unique_id(struct resolver *r, struct symtab *seen, uint32_t di)
{
	struct model *m = r->m;
	const struct m_decl *d = &m->decls[di];
	char text[64];
	const char *key;
	uint32_t prev;
	if (d->kind == DECL_INTERFACE && d->u.iface.has_uuid) {
		int i;
		static const char hex[] = "0123456789abcdef";
		for (i = 0; i < 16; i++) {
			text[2 * i] = hex[d->u.iface.uuid[i] >> 4];
			text[2 * i + 1] = hex[d->u.iface.uuid[i] & 15];
		}
		text[32] = '\0';
		key = intern_str(m->intern, text, 32);
		prev = symtab_put(seen, 0, key, di);
		if (prev != M_NONE) {
			diag_error(r->d, d->item.loc, "interface '%s' has the same uuid as '%s'",
				   d->item.name, m->decls[prev].item.name);
			diag_note(r->d, m->decls[prev].item.loc, "'%s' is here",
				  m->decls[prev].item.name);
		}
	} else if (d->kind == DECL_EXPORT) {
		key = d->u.sig.symbol;
		if (!key)
			return;   /* not resolved */
		prev = symtab_put(seen, 1, key, di);
		if (prev != M_NONE) {
			diag_error(r->d, d->item.loc, "export '%s' has the symbol '%s', like export '%s'",
				   d->item.name, key, m->decls[prev].item.name);
			diag_note(r->d, m->decls[prev].item.loc, "'%s' is here",
				  m->decls[prev].item.name);
		}
	}
}

static void
check_unique_ids(struct resolver *r)
{
	const struct model *m = r->m;
	struct symtab seen;
	uint32_t mi, di;
	symtab_init(&seen);
	/* Imported modules first, so a clash is reported at the later
	 * declaration, the importer's. */
	for (mi = m->n_modules; mi-- > 0;) {
		const struct m_module *mod = &m->modules[mi];
		for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++)
			check_unique_id(r, &seen, di);
	}
	symtab_free(&seen);
}

/* The exports table is positional: an export added in a minor version
 * comes after every original one, in version order. */
static void
check_export_order(struct resolver *r)
{
	const struct model *m = r->m;
	uint32_t mi, di;
	for (mi = 0; mi < m->n_modules; mi++) {
		const struct m_module *mod = &m->modules[mi];
		struct since_order o = { NULL };
		for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++)
			if (m->decls[di].kind == DECL_EXPORT)
				since_next(r, &o, &m->decls[di].item, "export");
	}
}

void
chk_run(struct resolver *r)
{
	struct model *m = r->m;
	uint32_t di, i;

	check_cycles(r);
	compute_borrowed(r);
	r->walk_mark = xcalloc(m->n_decls + 1, sizeof *r->walk_mark);
	r->walk_epoch = 0;
	for (di = 0; di < m->n_decls && !diag_stopped(r->d); di++) {
		const struct m_decl *d = &m->decls[di];
		uint32_t mi = d->module;
		if (mi == M_NONE)
			continue;
		switch (d->kind) {
		case DECL_STRUCT:
		case DECL_UNION:
			check_field_uses(r, d->u.agg.first_field, d->u.agg.n_fields, mi);
			if (d->kind == DECL_UNION)
				check_union_owns(r, d);
			check_since_fields(r, d, d->u.agg.first_field, d->u.agg.n_fields,
					   d->kind == DECL_STRUCT ? "struct" : "union");
			break;
		case DECL_ENUM: {
			struct since_order o = { NULL };
			for (i = 0; i < d->u.enm.n_variants; i++) {
				const struct m_variant *v = &m->variants[d->u.enm.first_variant + i];
				check_field_uses(r, v->first_field, v->n_fields, mi);
				check_since_fields(r, d, v->first_field, v->n_fields, "");
				if (d->u.enm.data)
					since_next(r, &o, &v->item, "variant");
			}
			break;
		}
		case DECL_CALLBACK:
		case DECL_EXPORT:
			check_sig(r, &m->methods[d->u.sig.method], mi);
			break;
		case DECL_INTERFACE:
			for (i = 0; i < d->u.iface.n_methods; i++)
				check_sig(r, &m->methods[d->u.iface.first_method + i], mi);
			check_interface(r, di);
			break;
		default:
			break;
		}
	}
	check_unique_ids(r);
	check_export_order(r);
	free(r->walk_mark);
	r->walk_mark = NULL;
}
