/* Rust naming (doc/rust.md 5): what no Rust identifier can spell, and the
 * check that no two items of a module get the same name in its Rust
 * file.  Types, constants, exports and what the generated file adds
 * share one namespace here: Rust keeps types and values apart, but a
 * C-like enum (a tuple struct) is in both, and one rule is simpler to
 * state than two. */
#include "backends/rust.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* What a name belongs to. */
enum rname_kind {
	RN_ITEM,        /* an item of the module, or a name made from one */
	RN_SYMBOL,      /* an export's C symbol: C's check compares these */
	RN_FIXED,       /* a name every file (or every one with exports) has */
};

struct rname {
	const char *name;       /* in the check's arena */
	uint32_t len;
	bool repeated;          /* another entry has the same name */
	enum rname_kind kind;
	struct loc loc;
	/* what it is, formatted only for a report: pre'x' or pre'x.y' */
	const char *pre, *x, *y;
};

struct rnames {
	struct rname *v;
	size_t n, cap;
	uint32_t *slots;        /* entry index + 1, or 0; by hash of the name */
	size_t n_slots;
	struct arena names;
};

static void
add(struct rnames *r, enum rname_kind kind, const char *a, const char *b, struct loc loc,
    const char *pre, const char *x, const char *y)
{
	struct rname *e;
	size_t la = strlen(a), lb = b ? strlen(b) : 0;
	char *name = arena_alloc(&r->names, la + lb + 1);
	memcpy(name, a, la);
	if (b)
		memcpy(name + la, b, lb);
	name[la + lb] = '\0';
	VEC_GROW(r->v, r->n, r->cap);
	e = &r->v[r->n++];
	e->name = name;
	e->len = (uint32_t)(la + lb);
	e->repeated = false;
	e->kind = kind;
	e->loc = loc;
	e->pre = pre;
	e->x = x;
	e->y = y;
}

/* What e is, as the report says it, in text that the caller frees. */
static char *
describe(const struct rname *e)
{
	size_t n = strlen(e->pre) + strlen(e->x) + (e->y ? strlen(e->y) + 1 : 0) + 3;
	char *text = xmalloc(n);
	snprintf(text, n, "%s'%s%s%s'", e->pre, e->x, e->y ? "." : "", e->y ? e->y : "");
	return text;
}

/* Marks every entry whose name another entry has: one pass over a table
 * of the names, linear in their number. */
static size_t
mark_repeated(struct rnames *r)
{
	size_t k, mask, want = 64, repeated = 0;
	while (want < 2 * r->n)
		want *= 2;
	if (want > r->n_slots) {
		free(r->slots);
		r->slots = xmalloc(want * sizeof *r->slots);
		r->n_slots = want;
	}
	memset(r->slots, 0, r->n_slots * sizeof *r->slots);
	mask = r->n_slots - 1;
	for (k = 0; k < r->n; k++) {
		struct rname *e = &r->v[k];
		size_t i = (size_t)hash_fast(e->name, e->len) & mask;
		for (;; i = (i + 1) & mask) {
			struct rname *o;
			if (!r->slots[i]) {
				r->slots[i] = (uint32_t)k + 1;
				break;
			}
			o = &r->v[r->slots[i] - 1];
			if (o->len == e->len && memcmp(o->name, e->name, e->len) == 0) {
				repeated += !o->repeated + 1;
				o->repeated = e->repeated = true;
				break;
			}
		}
	}
	return repeated;
}

static int
by_name(const void *a, const void *b)
{
	const struct rname *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	/* the earlier in the file first: it is the one the other repeats */
	if (x->loc.file != y->loc.file)
		return x->loc.file < y->loc.file ? -1 : 1;
	return x->loc.begin < y->loc.begin ? -1 : x->loc.begin > y->loc.begin;
}

/* The names the generated file uses from outside it, unqualified or as
 * the first part of a path: an item of the same name would hide them. */
static const char *const outside[] = {
	"chitin", "core", "std", "Option", "Some", "None", "Result", "Ok", "Err",
	"Clone", "Copy", "Send", "Sync",
};

/* The items every Rust file of a module has. */
static const char *const fixed[] = {
	"VERSION_MAJOR", "VERSION_MINOR", "DescriptorWords", "DESCRIPTOR", "DESCRIPTOR_PART",
	"descriptor", "check_layout",
};

/* Reports each name two entries share, at the later one, the names in
 * the order of their bytes.  Only the repeated entries are sorted. */
static void
report(struct rnames *r, struct diag *d)
{
	struct rname *dup;
	size_t k, n = 0, count = mark_repeated(r);
	if (!count)
		return;
	dup = xmalloc(count * sizeof *dup);
	for (k = 0; k < r->n; k++)
		if (r->v[k].repeated)
			dup[n++] = r->v[k];
	qsort(dup, n, sizeof *dup, by_name);
	for (k = 1; k < n; k++) {
		const struct rname *a = &dup[k - 1], *b = &dup[k];
		if (strcmp(a->name, b->name) != 0)
			continue;
		/* two symbols alike: the C backend's check reports them */
		if (a->kind == RN_SYMBOL && b->kind == RN_SYMBOL)
			continue;
		/* reported at the later item; a name every file has has no
		 * place of its own to note (it sorts first, at the module) */
		char *what_a = describe(a), *what_b = describe(b);
		diag_error(d, b->loc, "the Rust name '%s' of %s is also that of %s", b->name, what_b, what_a);
		if (a->kind != RN_FIXED)
			diag_note(d, a->loc, "%s is here", what_a);
		free(what_a);
		free(what_b);
	}
	free(dup);
}

static void
check_module(const struct model *m, uint32_t mi, struct diag *d, struct rnames *r)
{
	const struct m_module *mod = &m->modules[mi];
	uint32_t di, i;
	bool any_export = false;
	size_t k;

	r->n = 0;
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *dc = &m->decls[di];
		const char *n = dc->item.name;
		struct loc at = dc->item.loc;
		if (dc->poisoned || dc->duplicate)
			continue;
		for (k = 0; k < sizeof outside / sizeof *outside; k++)
			if (strcmp(n, outside[k]) == 0)
				diag_error(d, at, "'%s' would hide the '%s' the generated Rust uses; "
					   "choose another name (doc/rust.md 5)", n, n);
		add(r, RN_ITEM, n, NULL, at, "", n, NULL);
		switch (dc->kind) {
		case DECL_STRUCT:
			if (dc->u.agg.resilient) {
				add(r, RN_ITEM, n, "Fields", at, "the fields of ", n, NULL);
				add(r, RN_ITEM, n, "Ref", at, "the borrowed view of ", n, NULL);
				add(r, RN_ITEM, n, "Mut", at, "the mutable view of ", n, NULL);
			}
			break;
		case DECL_ENUM:
			if (!dc->u.enm.data)
				break;
			for (i = dc->u.enm.first_variant; i < dc->u.enm.first_variant + dc->u.enm.n_variants; i++) {
				const struct m_variant *v = &m->variants[i];
				if (v->has_payload)
					add(r, RN_ITEM, n, v->item.name, v->item.loc, "the payload of ", n, v->item.name);
			}
			add(r, RN_ITEM, n, "Payload", at, "the payloads of ", n, NULL);
			add(r, RN_ITEM, n, "View", at, "the view of ", n, NULL);
			break;
		case DECL_INTERFACE:
			add(r, RN_ITEM, n, "Vtbl", at, "the vtable of ", n, NULL);
			add(r, RN_ITEM, n, "Impl", at, "the implementation trait of ", n, NULL);
			break;
		case DECL_EXPORT:
			any_export = true;
			add(r, RN_SYMBOL, dc->u.sig.symbol, NULL, at, "the symbol of ", n, NULL);
			break;
		default:
			break;
		}
	}
	for (k = 0; k < sizeof fixed / sizeof *fixed; k++)
		add(r, RN_FIXED, fixed[k], NULL, mod->loc, "the generated ", fixed[k], NULL);
	if (any_export) {
		add(r, RN_FIXED, "Exports", NULL, mod->loc, "the exports table ", "Exports", NULL);
		add(r, RN_FIXED, "Plugin", NULL, mod->loc, "the exports handle ", "Plugin", NULL);
		add(r, RN_FIXED, "Implementation", NULL, mod->loc, "the exports trait ", "Implementation", NULL);
	}
	report(r, d);
	arena_free(&r->names);
	arena_init(&r->names);
}

void
rust_check_names(const struct model *m, struct diag *d)
{
	struct rnames r = { 0 };
	uint32_t mi;
	arena_init(&r.names);
	for (mi = 0; mi < m->n_modules; mi++)
		check_module(m, mi, d, &r);
	arena_free(&r.names);
	free(r.v);
	free(r.slots);
}
