/* Constant expressions: evaluated in the integer type they are written
 * for, every overflow an error (never a wraparound), with an explicit
 * stack over the postfix ops, so depth of input never becomes depth of C
 * recursion. */
#include "consteval.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Values are 64-bit patterns: sign-extended for signed kinds. */
static int64_t
min_of(enum type_kind k)
{
	unsigned bits = type_int_bits(k);
	return bits == 64 ? INT64_MIN : -((int64_t)1 << (bits - 1));
}

static uint64_t
max_of(enum type_kind k)
{
	unsigned bits = type_int_bits(k);
	if (type_is_signed(k))
		return bits == 64 ? (uint64_t)INT64_MAX : ((uint64_t)1 << (bits - 1)) - 1;
	return bits == 64 ? UINT64_MAX : ((uint64_t)1 << bits) - 1;
}

const char *
ce_format(uint64_t value, enum type_kind kind, char *buf, size_t size)
{
	if (type_is_signed(kind))
		snprintf(buf, size, "%" PRId64, (int64_t)value);
	else
		snprintf(buf, size, "%" PRIu64, value);
	return buf;
}

/* Whether the exact integer given as (negative, magnitude) fits kind;
 * stores its pattern. */
static bool
fit(enum type_kind kind, bool negative, uint64_t magnitude, uint64_t *out)
{
	if (!negative) {
		if (magnitude > max_of(kind))
			return false;
		*out = magnitude;
		return true;
	}
	if (magnitude == 0) {
		*out = 0;
		return true;
	}
	if (!type_is_signed(kind) || magnitude - 1 > (uint64_t)-(min_of(kind) + 1))
		return false;
	*out = (uint64_t)(-(int64_t)(magnitude - 1) - 1);
	return true;
}

/* An exact integer from a pattern of kind. */
static void
exact(enum type_kind kind, uint64_t v, bool *negative, uint64_t *magnitude)
{
	if (type_is_signed(kind) && (int64_t)v < 0) {
		*negative = true;
		*magnitude = (uint64_t)(-((int64_t)v + 1)) + 1;
	} else {
		*negative = false;
		*magnitude = v;
	}
}

static void
describe(bool negative, uint64_t magnitude, char *buf, size_t size)
{
	snprintf(buf, size, "%s%" PRIu64, negative ? "-" : "", magnitude);
}

uint32_t
ce_lookup(struct resolver *r, uint32_t module, const struct expr_op *op, bool report)
{
	const struct model *m = r->m;
	uint32_t d;
	if (!report) {
		/* Quiet lookup for dependency edges: own module, then imports. */
		const struct m_module *mod = &m->modules[module];
		uint32_t i, target = module;
		if (op->qualifier) {
			target = symtab_get(&r->names, SCOPE_MODULE_NAMES, op->qualifier);
			if (target == M_NONE)
				return M_NONE;
			d = symtab_get(&r->names, target + 1, op->name);
		} else {
			d = symtab_get(&r->names, module + 1, op->name);
			for (i = 0; d == M_NONE && i < mod->n_imports; i++)
				d = symtab_get(&r->names, mod->imports[i].module + 1, op->name);
		}
		return d != M_NONE && m->decls[d].kind == DECL_CONST ? d : M_NONE;
	}
	d = res_lookup_decl(r, module, op->qualifier, op->name, op->loc, "constant");
	if (d == M_NONE)
		return M_NONE;
	if (m->decls[d].kind != DECL_CONST) {
		diag_error(r->d, op->loc, "'%s' is %s %s, not a constant", op->name,
			   m->decls[d].kind == DECL_INTERFACE || m->decls[d].kind == DECL_ENUM ||
			   m->decls[d].kind == DECL_EXPORT ? "an" : "a",
			   m->decls[d].kind == DECL_EXPORT ? "exported function"
			   : decl_kind_names[m->decls[d].kind]);
		diag_note(r->d, m->decls[d].item.loc, "'%s' is declared here", op->name);
		return M_NONE;
	}
	return d;
}

bool
ce_eval(struct resolver *r, uint32_t module, const struct ast_file *f,
	struct ast_expr e, enum type_kind kind, uint64_t *out)
{
	const struct model *m = r->m;
	uint64_t small[32], *stack = e.count <= 32 ? small : xmalloc(e.count * sizeof *stack);
	uint32_t sp = 0, i;
	bool ok = true, sgn = type_is_signed(kind);
	unsigned bits = type_int_bits(kind);
	char a_txt[32], b_txt[32];

	for (i = 0; i < e.count && ok; i++) {
		const struct expr_op *op = &f->ops[e.first + i];
		uint64_t a, b, v = 0;
		bool an, bn;
		uint64_t am, bm;

		switch (op->kind) {
		case OP_INT: {
			bool negated = i + 1 < e.count && f->ops[e.first + i + 1].kind == OP_NEG;
			if (!fit(kind, negated, op->value, &v)) {
				struct loc at = op->loc;
				if (negated)
					at.begin = f->ops[e.first + i + 1].loc.begin;
				diag_error(r->d, at, "%s%" PRIu64 " does not fit in %s (%s%" PRId64 " to %" PRIu64 ")",
					   negated ? "-" : "", op->value, type_kind_names[kind],
					   sgn ? "" : "", sgn ? min_of(kind) : 0, max_of(kind));
				ok = false;
				break;
			}
			if (negated)
				i++;   /* the negation is done */
			stack[sp++] = v;
			break;
		}
		case OP_NAME: {
			uint32_t d = ce_lookup(r, module, op, true);
			enum type_kind ck;
			if (d == M_NONE || m->decls[d].poisoned || !r->const_ready[d]) {
				ok = false;
				break;
			}
			ck = (enum type_kind)m->decls[d].type;
			exact(ck, m->decls[d].u.konst.value, &an, &am);
			if (!fit(kind, an, am, &v)) {
				describe(an, am, a_txt, sizeof a_txt);
				diag_error(r->d, op->loc, "the value of '%s' (%s) does not fit in %s",
					   op->name, a_txt, type_kind_names[kind]);
				ok = false;
				break;
			}
			stack[sp++] = v;
			break;
		}
		case OP_PLUS:
			break;
		case OP_NEG:
			a = stack[sp - 1];
			exact(kind, a, &an, &am);
			if (!fit(kind, !an, am, &v)) {
				describe(an, am, a_txt, sizeof a_txt);
				diag_error(r->d, op->loc, "-(%s) does not fit in %s", a_txt,
					   type_kind_names[kind]);
				ok = false;
				break;
			}
			stack[sp - 1] = v;
			break;
		case OP_NOT:
			a = ~stack[sp - 1];
			if (!sgn && bits < 64)
				a &= max_of(kind);
			stack[sp - 1] = a;
			break;
		default: {
			const char *sym = expr_op_names[op->kind];
			b = stack[--sp];
			a = stack[sp - 1];
			exact(kind, a, &an, &am);
			exact(kind, b, &bn, &bm);
			describe(an, am, a_txt, sizeof a_txt);
			describe(bn, bm, b_txt, sizeof b_txt);
			switch (op->kind) {
			case OP_ADD:
			case OP_SUB:
			case OP_MUL: {
				bool overflow;
				if (sgn) {
					int64_t x;
					overflow = op->kind == OP_ADD ? __builtin_add_overflow((int64_t)a, (int64_t)b, &x)
						   : op->kind == OP_SUB ? __builtin_sub_overflow((int64_t)a, (int64_t)b, &x)
						   : __builtin_mul_overflow((int64_t)a, (int64_t)b, &x);
					overflow = overflow || x < min_of(kind) || x > (int64_t)max_of(kind);
					v = (uint64_t)x;
				} else {
					uint64_t x;
					overflow = op->kind == OP_ADD ? __builtin_add_overflow(a, b, &x)
						   : op->kind == OP_SUB ? __builtin_sub_overflow(a, b, &x)
						   : __builtin_mul_overflow(a, b, &x);
					overflow = overflow || x > max_of(kind);
					v = x;
				}
				if (overflow) {
					diag_error(r->d, op->loc, "%s %s %s overflows %s", a_txt, sym,
						   b_txt, type_kind_names[kind]);
					ok = false;
				}
				break;
			}
			case OP_DIV:
			case OP_MOD:
				if (b == 0) {
					diag_error(r->d, op->loc, "%s by zero in a constant expression",
						   op->kind == OP_DIV ? "division" : "remainder");
					ok = false;
				} else if (sgn && (int64_t)a == min_of(kind) && (int64_t)b == -1) {
					diag_error(r->d, op->loc, "%s %s %s overflows %s", a_txt, sym,
						   b_txt, type_kind_names[kind]);
					ok = false;
				} else if (sgn) {
					v = (uint64_t)(op->kind == OP_DIV ? (int64_t)a / (int64_t)b
						       : (int64_t)a % (int64_t)b);
				} else {
					v = op->kind == OP_DIV ? a / b : a % b;
				}
				break;
			case OP_SHL:
			case OP_SHR:
				if (bn || bm >= bits) {
					diag_error(r->d, op->loc, "shift by %s is out of range for %s (0 to %u)",
						   b_txt, type_kind_names[kind], bits - 1);
					ok = false;
				} else if (op->kind == OP_SHR) {
					v = sgn ? (uint64_t)((int64_t)a >> bm) : a >> bm;
				} else if (an) {
					diag_error(r->d, op->loc, "%s << %s shifts a negative value", a_txt, b_txt);
					ok = false;
				} else if (am > (max_of(kind) >> bm)) {
					diag_error(r->d, op->loc, "%s << %s overflows %s", a_txt, b_txt,
						   type_kind_names[kind]);
					ok = false;
				} else {
					v = a << bm;
				}
				break;
			case OP_AND: v = a & b; break;
			case OP_OR: v = a | b; break;
			case OP_XOR: v = a ^ b; break;
			default: break;
			}
			stack[sp - 1] = v;
			break;
		}
		}
	}
	if (ok)
		*out = stack[0];
	if (stack != small)
		free(stack);
	return ok;
}

/* ---- all constants, in dependency order ---------------------------------- */

struct const_graph {
	struct resolver *r;
	uint32_t *decl_of_node;
	uint32_t *node_of_decl;
	uint32_t *edge_op;     /* the op behind each edge, for messages */
};

static void
const_done(void *ctx, uint32_t node)
{
	struct const_graph *g = ctx;
	struct resolver *r = g->r;
	uint32_t di = g->decl_of_node[node];
	struct m_decl *d = &r->m->decls[di];
	const struct ast_decl *ad = r->ast_of_decl[di];
	uint64_t v;
	if (d->poisoned || d->type == TYPE_ERROR)
		return;
	if (ce_eval(r, d->module, r->ast_of_module[d->module], ad->u.konst.value,
		    (enum type_kind)d->type, &v)) {
		d->u.konst.value = v;
		r->const_ready[di] = true;
	} else {
		d->poisoned = true;
	}
}

/* The cycle being reported, for its text: "A -> B -> A". */
struct const_path {
	const struct const_graph *g;
	const uint32_t *nodes;
	uint32_t n;
};

static void
const_part(void *ctx, uint32_t i, char *out, size_t size)
{
	const struct const_path *p = ctx;
	snprintf(out, size, "%s", p->g->r->m->decls[p->g->decl_of_node[p->nodes[i % p->n]]].item.name);
}

static void
const_cycle(void *ctx, const uint32_t *nodes, const uint32_t *edges, uint32_t n)
{
	struct const_graph *g = ctx;
	struct resolver *r = g->r;
	struct model *m = r->m;
	const struct m_decl *first = &m->decls[g->decl_of_node[nodes[0]]];
	struct const_path cp = { g, nodes, n };
	char path[512];
	uint32_t i;

	dfs_cycle_text(path, sizeof path, n, true, const_part, &cp);
	diag_error(r->d, first->item.loc, "constant '%s' depends on itself: %s",
		   first->item.name, path);
	for (i = 0; i < n; i++) {
		const struct m_decl *d, *t;
		if (n > 8 && i == 4)
			i = n - 4;
		d = &m->decls[g->decl_of_node[nodes[i]]];
		t = &m->decls[g->decl_of_node[nodes[(i + 1) % n]]];
		const struct ast_file *f = r->ast_of_module[d->module];
		diag_note(r->d, f->ops[g->edge_op[edges[i]]].loc, "'%s' uses '%s' here",
			  d->item.name, t->item.name);
	}
	for (i = 0; i < n; i++)
		m->decls[g->decl_of_node[nodes[i]]].poisoned = true;
}

void
ce_eval_constants(struct resolver *r)
{
	struct model *m = r->m;
	struct const_graph g;
	struct dfs_graph dg;
	uint32_t n = 0, di, *first, *targets = NULL, n_edges = 0, cap_edges = 0, cap_ops = 0;

	r->const_ready = xcalloc(m->n_decls + 1, sizeof *r->const_ready);
	g.r = r;
	g.decl_of_node = xmalloc((m->n_decls + 1) * sizeof *g.decl_of_node);
	g.node_of_decl = xmalloc((m->n_decls + 1) * sizeof *g.node_of_decl);
	g.edge_op = NULL;
	for (di = 0; di < m->n_decls; di++) {
		struct m_decl *d = &m->decls[di];
		g.node_of_decl[di] = M_NONE;
		if (d->kind != DECL_CONST)
			continue;
		d->type = res_top_type(r, d->module, r->ast_of_decl[di]->u.konst.type);
		if (d->type != TYPE_ERROR &&
		    !(d->type < TY_PRIM_COUNT && type_is_integer((enum type_kind)d->type))) {
			char buf[128];
			diag_error(r->d, r->ast_of_decl[di]->u.konst.type->loc,
				   "a constant must have an integer type (i8 to u64), not '%s'",
				   model_type_name(m, d->type, d->module, buf, sizeof buf));
			d->type = TYPE_ERROR;
		}
		if (d->type == TYPE_ERROR)
			d->poisoned = true;
		g.node_of_decl[di] = n;
		g.decl_of_node[n++] = di;
	}
	first = xmalloc((n + 1) * sizeof *first);
	for (di = 0; di < n; di++) {
		uint32_t decl = g.decl_of_node[di], i;
		const struct ast_decl *ad = r->ast_of_decl[decl];
		const struct ast_file *f = r->ast_of_module[m->decls[decl].module];
		first[di] = n_edges;
		for (i = 0; i < ad->u.konst.value.count; i++) {
			const struct expr_op *op = &f->ops[ad->u.konst.value.first + i];
			uint32_t target;
			if (op->kind != OP_NAME)
				continue;
			target = ce_lookup(r, m->decls[decl].module, op, false);
			if (target == M_NONE)
				continue;
			VEC_GROW(targets, n_edges, cap_edges);
			VEC_GROW(g.edge_op, n_edges, cap_ops);
			targets[n_edges] = g.node_of_decl[target];
			g.edge_op[n_edges] = ad->u.konst.value.first + i;
			n_edges++;
		}
	}
	first[n] = n_edges;
	dg.n = n;
	dg.first = first;
	dg.targets = targets;
	dg.ctx = &g;
	dg.done = const_done;
	dg.cycle = const_cycle;
	dfs_run(&dg);
	free(first);
	free(targets);
	free(g.edge_op);
	free(g.decl_of_node);
	free(g.node_of_decl);
}
