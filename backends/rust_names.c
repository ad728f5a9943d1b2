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
	char *name;
	enum rname_kind kind;
	struct loc loc;
	const char *what;       /* "'Shape'", "the payload of 'Shape.Circle'" */
	char *what_buf;
};

struct rnames {
	struct rname *v;
	size_t n, cap;
};

static void
add(struct rnames *r, enum rname_kind kind, const char *a, const char *b, struct loc loc,
    const char *pre, const char *x, const char *y)
{
	struct rname *e;
	size_t la = strlen(a), lb = b ? strlen(b) : 0, lw;
	if (r->n == r->cap) {
		r->cap = r->cap ? 2 * r->cap : 64;
		r->v = xrealloc(r->v, r->cap * sizeof *r->v);
	}
	e = &r->v[r->n++];
	e->name = xmalloc(la + lb + 1);
	memcpy(e->name, a, la);
	if (b)
		memcpy(e->name + la, b, lb);
	e->name[la + lb] = '\0';
	e->kind = kind;
	e->loc = loc;
	/* pre'x' or pre'x.y' */
	lw = strlen(pre) + strlen(x) + (y ? strlen(y) + 1 : 0) + 3;
	e->what_buf = xmalloc(lw);
	snprintf(e->what_buf, lw, "%s'%s%s%s'", pre, x, y ? "." : "", y ? y : "");
	e->what = e->what_buf;
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
	"DescriptorWords", "DESCRIPTOR", "DESCRIPTOR_PART", "descriptor", "check_layout",
};

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
	qsort(r->v, r->n, sizeof *r->v, by_name);
	for (k = 1; k < r->n; k++) {
		const struct rname *a = &r->v[k - 1], *b = &r->v[k];
		if (strcmp(a->name, b->name) != 0)
			continue;
		/* two symbols alike: the C backend's check reports them */
		if (a->kind == RN_SYMBOL && b->kind == RN_SYMBOL)
			continue;
		/* reported at the later item; a name every file has has no
		 * place of its own to note (it sorts first, at the module) */
		diag_error(d, b->loc, "the Rust name '%s' of %s is also that of %s", b->name, b->what, a->what);
		if (a->kind != RN_FIXED)
			diag_note(d, a->loc, "%s is here", a->what);
	}
	for (k = 0; k < r->n; k++) {
		free(r->v[k].name);
		free(r->v[k].what_buf);
	}
}

void
rust_check_names(const struct model *m, struct diag *d)
{
	struct rnames r = { 0 };
	uint32_t mi;
	for (mi = 0; mi < m->n_modules; mi++)
		check_module(m, mi, d, &r);
	free(r.v);
}
