/* C naming.  Two items of a module must not get the same C identifier in
 * its header (doc/idl.md 11, "Names the C header reserves"): `struct Format_S16` and the value S16 of enum
 * Format are both test_Format_S16.  Every name the header or descriptor
 * source generates for a module is made by copying parts (no formatting
 * per name) and its hash put in one table; the names themselves and what
 * an item is called in a message are only made again when a hash repeats.
 * Instantiation names, chitin_option_T and the like, are one program-wide
 * table of their own, since every header may write any of them. */
#include "backends/c_names.h"
#include "symtab.h"
#include "target.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

char *
c_module_upper(const char *module)
{
	size_t n = strlen(module), i;
	char *s = xmalloc(n + 1);
	for (i = 0; i <= n; i++)
		s[i] = module[i] >= 'a' && module[i] <= 'z' ? (char)(module[i] - 'a' + 'A') : module[i];
	return s;
}

void
c_put_const_name(struct outbuf *b, const struct model *m, uint32_t di)
{
	const struct m_decl *d = &m->decls[di];
	const char *p;
	for (p = m->modules[d->module].name; *p; p++)
		ob_putc(b, *p >= 'a' && *p <= 'z' ? (char)(*p - 'a' + 'A') : *p);
	ob_printf(b, "_%s", d->item.name);
}

void
c_put_guard(struct outbuf *b, unsigned mask)
{
	unsigned ti, k = 0, n = 0;
	for (ti = 0; ti < TARGET_COUNT; ti++)
		n += (mask >> ti) & 1;
	for (ti = 0; ti < TARGET_COUNT; ti++) {
		if (!(mask & (1u << ti)))
			continue;
		if (k++)
			ob_puts(b, " || \\\n    ");
		ob_printf(b, n > 1 ? "(%s)" : "%s", targets[ti].c_guard);
	}
}

/* ---- instantiation names --------------------------------------------------- */

static void
put_inst_part(struct outbuf *b, const struct model *m, uint32_t t)
{
	const struct m_type *ty = &m->types[t];
	switch (ty->kind) {
	case TY_NAMED: {
		/* module names have no '_' (doc/idl.md 4.3), so the module is
		 * everything up to the first one */
		const struct m_decl *d = &m->decls[ty->decl];
		if (d->module == M_NONE)
			ob_puts(b, d->item.name);
		else
			ob_printf(b, "%s_%s", m->modules[d->module].name, d->item.name);
		break;
	}
	case TY_SLICE:
		ob_puts(b, ty->is_const ? "slice_const_" : "slice_");
		put_inst_part(b, m, ty->elem);
		break;
	case TY_VEC:
		ob_puts(b, "vec_");
		put_inst_part(b, m, ty->elem);
		break;
	case TY_OPTION:
		ob_puts(b, "option_");
		put_inst_part(b, m, ty->elem);
		break;
	case TY_RESULT:
		ob_puts(b, "result_");
		put_inst_part(b, m, ty->elem);
		ob_putc(b, '_');
		put_inst_part(b, m, ty->err);
		break;
	case TY_POINTER:
		ob_puts(b, ty->is_const ? "ptr_const_" : "ptr_");
		put_inst_part(b, m, ty->elem);
		break;
	default:
		ob_puts(b, type_kind_names[ty->kind]);
		break;
	}
}

void
c_put_inst_name(struct outbuf *b, const struct model *m, uint32_t t)
{
	ob_puts(b, "chitin_");
	put_inst_part(b, m, t);
}

/* Where the program's instantiations were met, by C name. */
struct inst_names {
	const struct model *m;
	struct diag *d;
	struct symtab seen;   /* interned C name -> index in types/locs */
	uint32_t *types;
	struct loc *locs;
	uint8_t *reported;    /* by type: its clash is reported */
	uint8_t *visited;     /* by type: met before (a type's name is its own) */
	uint32_t n, cap;
	struct outbuf name;
};

/* Registers every instantiation t holds, written at loc. */
static void
visit_inst(struct inst_names *in, uint32_t t, struct loc loc)
{
	const struct m_type *ty = &in->m->types[t];
	const struct m_decl *e;
	uint32_t prev;
	if (in->visited[t])
		return;   /* and everything in it */
	in->visited[t] = 1;
	switch (ty->kind) {
	case TY_ARRAY:
	case TY_POINTER:
		visit_inst(in, ty->elem, loc);
		return;
	case TY_SLICE:
	case TY_VEC:
	case TY_OPTION:
	case TY_RESULT:
		break;
	default:
		return;
	}
	e = in->m->types[ty->elem].kind == TY_NAMED ? &in->m->decls[in->m->types[ty->elem].decl] : NULL;
	if (!(ty->kind == TY_OPTION && e && (e->kind == DECL_INTERFACE || e->kind == DECL_CALLBACK))) {
		/* (an option with a niche is its element's type, and has no name) */
		in->name.len = 0;
		c_put_inst_name(&in->name, in->m, t);
		prev = symtab_put(&in->seen, 0, intern_str(in->m->intern, in->name.data, in->name.len), in->n);
		if (prev == M_NONE) {
			VEC_PUSH(in->types, in->n, in->cap) = t;
			in->locs = xrealloc(in->locs, in->cap * sizeof *in->locs);
			in->locs[in->n - 1] = loc;
		} else if (in->types[prev] != t && !in->reported[t]) {
			char mine[300], theirs[300];
			model_type_name(in->m, t, M_NONE, mine, sizeof mine);
			model_type_name(in->m, in->types[prev], M_NONE, theirs, sizeof theirs);
			diag_error(in->d, loc, "the C name '%s' of '%s' is also the C name of '%s'",
				   in->name.data, mine, theirs);
			diag_note(in->d, in->locs[prev], "'%s' is here", theirs);
			in->reported[t] = 1;
		}
	}
	visit_inst(in, ty->elem, loc);
	if (ty->kind == TY_RESULT)
		visit_inst(in, ty->err, loc);
}

/* Two distinct instantiations anywhere in the program must not share a C
 * name: every header may define either under the name's include guard,
 * and the second would silently be the first. */
static void
check_instantiations(const struct model *m, struct diag *d)
{
	struct inst_names in;
	uint32_t i;
	memset(&in, 0, sizeof in);
	in.m = m;
	in.d = d;
	in.reported = xcalloc(m->n_types + 1, 1);
	in.visited = xcalloc(m->n_types + 1, 1);
	symtab_init(&in.seen);
	ob_init(&in.name);
	for (i = 0; i < m->n_fields; i++)
		visit_inst(&in, m->fields[i].type, m->fields[i].type_loc);
	for (i = 0; i < m->n_params; i++)
		visit_inst(&in, m->params[i].type, m->params[i].type_loc);
	for (i = 0; i < m->n_methods; i++)
		if (m->methods[i].ret != TY_VOID)
			visit_inst(&in, m->methods[i].ret, m->methods[i].ret_loc);
	ob_free(&in.name);
	symtab_free(&in.seen);
	free(in.types);
	free(in.locs);
	free(in.reported);
	free(in.visited);
}

/* What owns a C name, enough to describe it in a message. */
enum owner_kind {
	OWN_DECL,             /* "struct 'Frame'" */
	OWN_MEMBER,           /* "enum value 'Format.S16'", "field 'S.x'" */
	OWN_MODULE,           /* "the entry symbol of module 'test'" */
};

struct owner {
	enum owner_kind kind;
	const char *what;     /* "struct", "enum value", "the entry symbol of module" */
	const char *parent;   /* OWN_MEMBER: the declaration's name */
	const char *name;
	struct loc loc;
	bool exporting;       /* clashes between exports are reported as symbols */
};

/* A name of the table: its hash, and its number in the module's walk. */
struct name_slot {
	uint32_t lo, hi;      /* the hash; both 0: an empty slot */
	uint32_t seq;
};

/* A growable byte buffer. */
struct bytes {
	char *p;
	size_t n, cap;
};

/* The table holds hashes only, not the names or their owners: a module
 * generates several names per item, and most are never looked at again.
 * When two hashes agree, the earlier name and its owner are made again by
 * walking its declaration once more ("replaying" it, with no diagnostics),
 * and compared byte for byte. */
struct c_names {
	const struct model *m;
	struct diag *d;
	const struct m_module *mod;
	uint32_t mi;              /* the module being walked */
	const char *mn, *upper;   /* its name, and in upper case */
	/* one table for the whole program: a member or parameter spelled
	 * like any module's C name would be replaced (a macro) or shadow it
	 * (a type or function) in a header that includes both */
	struct name_slot *slots;
	uint32_t cap, count;
	uint32_t seq;             /* the names the walk has made so far */
	uint32_t *mod_seq;        /* by module: its first name */
	uint32_t *head_end;       /* by module: the first name after its own */
	char **uppers;            /* by module: its name in upper case */
	uint32_t *decl_seq;       /* by declaration: its first name */
	uint32_t walked;          /* the declarations whose decl_seq is set, [0, walked) */
	struct bytes name;        /* the name being built */
	struct bytes mine;        /* a name with a hash met before, while its twin is made */
	/* replaying: the names are counted, not recorded, until name want */
	bool replaying, found;
	uint32_t rseq, want;
	struct bytes found_name;
	struct owner found_owner;
};

static uint64_t (*name_hash)(const void *, size_t) = hash_fast;

void
c_names_set_hash(uint64_t (*hash)(const void *, size_t))
{
	name_hash = hash ? hash : hash_fast;
}

static void walk_head(struct c_names *c);
static void walk_decl(struct c_names *c, uint32_t di);

static void
bytes_set(struct bytes *b, const char *s, size_t n)
{
	if (n + 1 > b->cap) {
		b->cap = 2 * (n + 1) + 64;
		b->p = xrealloc(b->p, b->cap);
	}
	memcpy(b->p, s, n);
	b->p[n] = '\0';
	b->n = n;
}

/* An error of the walk's own (a reserved member name); a replay only
 * makes names again, so it says nothing. */
static void DIAG_PRINTF(3, 4)
walk_error(struct c_names *c, struct loc at, const char *fmt, ...)
{
	va_list ap;
	if (c->replaying)
		return;
	va_start(ap, fmt);
	diag_vreport(c->d, DIAG_ERROR, at, fmt, ap);
	va_end(ap);
}

static void
describe(const struct owner *o, char *text, size_t size)
{
	if (o->kind == OWN_MEMBER)
		snprintf(text, size, "%s '%s.%s'", o->what, o->parent, o->name);
	else
		snprintf(text, size, "%s '%s'", o->what, o->name);
}

/* The last of [lo, hi) whose first name, starts[i], is not after name
 * seq: the module or declaration whose walk made it. */
static uint32_t
maker(const uint32_t *starts, uint32_t lo, uint32_t hi, uint32_t seq)
{
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (starts[mid] <= seq)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

/* The module whose walk made name seq. */
static uint32_t
module_of(const struct c_names *c, uint32_t seq)
{
	return maker(c->mod_seq, 0, c->mi + 1, seq);
}

/* Sets the module the walk is in. */
static void
enter_module(struct c_names *c, uint32_t mi)
{
	c->mi = mi;
	c->mod = &c->m->modules[mi];
	c->mn = c->mod->name;
	c->upper = c->uppers[mi];
}

/* Makes name seq again, into c->found_name and c->found_owner: its
 * module's own names, or the declaration that is the last one whose
 * first name is not after it. */
static void
replay(struct c_names *c, uint32_t seq)
{
	uint32_t here = c->mi, mi = module_of(c, seq);
	c->replaying = true;
	c->found = false;
	c->want = seq;
	enter_module(c, mi);
	if (seq < c->head_end[mi]) {
		c->rseq = c->mod_seq[mi];
		walk_head(c);
	} else {
		uint32_t end = c->mod->first_decl + c->mod->n_decls;
		uint32_t di = maker(c->decl_seq, c->mod->first_decl, end < c->walked ? end : c->walked, seq);
		c->rseq = c->decl_seq[di];
		walk_decl(c, di);
	}
	enter_module(c, here);
	c->replaying = false;
}

static void
grow(struct c_names *c)
{
	struct name_slot *old = c->slots;
	uint32_t old_cap = c->cap, i;
	c->cap = old_cap ? 2 * old_cap : 1024;
	c->slots = xcalloc(c->cap, sizeof *c->slots);
	for (i = 0; i < old_cap; i++) {
		uint32_t j;
		if (!(old[i].lo | old[i].hi))
			continue;
		for (j = old[i].lo & (c->cap - 1); c->slots[j].lo | c->slots[j].hi;
		     j = (j + 1) & (c->cap - 1))
			;
		c->slots[j] = old[i];
	}
	free(old);
}

/* The slot words of the hash of s (len bytes); never both 0. */
static void
slot_key(const char *s, size_t len, uint32_t *lo, uint32_t *hi)
{
	uint64_t h = name_hash(s, len);
	*lo = (uint32_t)h;
	*hi = (uint32_t)(h >> 32);
	if (!(*lo | *hi))
		*hi = 1;
}

/* The earliest name in the table spelled like s (len bytes, whose slot
 * words are lo and hi), among module mi's names, or every module's when
 * mi is UINT32_MAX: its number, with its owner in c->found_owner and its
 * bytes in c->mine; or UINT32_MAX, and *empty the slot where s would go.
 * A hash met twice is made again (replayed) and compared. */
static uint32_t
earliest(struct c_names *c, const char *s, size_t len, uint32_t lo, uint32_t hi, uint32_t mi,
	 uint32_t *empty)
{
	uint32_t j, best = UINT32_MAX, last = UINT32_MAX;
	bool kept = false;
	for (j = lo & (c->cap - 1); c->slots[j].lo | c->slots[j].hi; j = (j + 1) & (c->cap - 1)) {
		uint32_t seq = c->slots[j].seq;
		if (c->slots[j].lo != lo || c->slots[j].hi != hi || seq >= best ||
		    (mi != UINT32_MAX && module_of(c, seq) != mi))
			continue;   /* another name, a later one, or another module's */
		if (!kept) {
			/* s may be the name being built, where a replay builds */
			bytes_set(&c->mine, s, len);
			kept = true;
		}
		replay(c, seq);
		last = seq;
		if (c->found && c->found_name.n == len && memcmp(c->found_name.p, c->mine.p, len) == 0)
			best = seq;
	}
	*empty = j;
	if (best != UINT32_MAX && best != last)
		replay(c, best);
	return best;
}

/* Registers the C name made of parts (joined by '_'; a NULL ends them)
 * for owner o, reporting a clash with the name's earlier owner. */
static void
c_name(struct c_names *c, const struct owner *o, const char *const *parts)
{
	size_t len = 0, n, i;
	uint32_t lo, hi, j, seq;
	const struct owner *p;
	char mine[300], theirs[300];

	if (c->replaying && (c->found || c->rseq > c->want))
		return;
	for (i = 0; parts[i]; i++) {
		n = strlen(parts[i]);
		if (len + n + 2 > c->name.cap) {
			c->name.cap = 2 * (len + n + 2) + 64;
			c->name.p = xrealloc(c->name.p, c->name.cap);
		}
		if (i)
			c->name.p[len++] = '_';
		memcpy(c->name.p + len, parts[i], n);
		len += n;
	}
	c->name.n = len;
	if (c->replaying) {
		if (c->rseq++ == c->want) {
			bytes_set(&c->found_name, c->name.p, len);
			c->found_owner = *o;
			c->found = true;
		}
		return;
	}
	seq = c->seq++;
	if (4 * (c->count + 1) > 3 * c->cap)
		grow(c);
	slot_key(c->name.p, len, &lo, &hi);
	if (earliest(c, c->name.p, len, lo, hi, c->mi, &j) == UINT32_MAX) {
		c->slots[j].lo = lo;
		c->slots[j].hi = hi;
		c->slots[j].seq = seq;
		c->count++;
		return;
	}
	p = &c->found_owner;
	if (o->exporting && p->exporting)
		return;   /* the model's symbol check reports these */
	describe(o, mine, sizeof mine);
	describe(p, theirs, sizeof theirs);
	diag_error(c->d, o->loc, "the C name '%s' of %s is also the C name of %s", c->mine.p, mine,
		   theirs);
	diag_note(c->d, p->loc, "%s is here", theirs);
}

static void
name2(struct c_names *c, const struct owner *o, const char *a, const char *b)
{
	const char *parts[3] = { a, b, NULL };
	c_name(c, o, parts);
}

static void
name3(struct c_names *c, const struct owner *o, const char *a, const char *b, const char *x)
{
	const char *parts[4] = { a, b, x, NULL };
	c_name(c, o, parts);
}

static struct owner
decl_owner(const struct m_decl *d)
{
	struct owner o;
	memset(&o, 0, sizeof o);
	o.kind = OWN_DECL;
	o.what = decl_kind_names[d->kind];
	o.name = d->item.name;
	o.loc = d->item.loc;
	o.exporting = d->kind == DECL_EXPORT;
	return o;
}

static struct owner
member_owner(const char *what, const struct m_decl *d, const struct m_item *it)
{
	struct owner o;
	memset(&o, 0, sizeof o);
	o.kind = OWN_MEMBER;
	o.what = what;
	o.parent = d->item.name;
	o.name = it->name;
	o.loc = it->loc;
	return o;
}

/* The helpers beside a resilient struct: <module>_<Struct>_layout ... */
static const char *const resilient_parts[] = { "fields", "layout", "record", "init" };
/* Beside an interface: <module>_<Interface>_vtbl ... */
static const char *const interface_parts[] = { "vtbl", "IID", "retain", "release", "query",
					       "as_object", "FLAGS" };

static bool
in(const char *name, const char *const *list, size_t n)
{
	size_t i;
	for (i = 0; i < n; i++)
		if (strcmp(name, list[i]) == 0)
			return true;
	return false;
}

/* A set of interned names: a short list, a table once it is long. */
struct name_set {
	const char *small[16];
	uint32_t n;
	struct symtab big;
};

static void
set_init(struct name_set *s)
{
	s->n = 0;
	s->big.slots = NULL;
}

/* Adds name; true if it was there already. */
static bool
set_add(struct name_set *s, const char *name)
{
	uint32_t i;
	if (s->big.slots)
		return symtab_put(&s->big, 0, name, 0) != M_NONE;
	for (i = 0; i < s->n; i++)
		if (s->small[i] == name)
			return true;
	if (s->n < 16) {
		s->small[s->n++] = name;
		return false;
	}
	symtab_init(&s->big);
	for (i = 0; i < s->n; i++)
		symtab_put(&s->big, 0, s->small[i], 0);
	return symtab_put(&s->big, 0, name, 0) != M_NONE;
}

static void
set_free(struct name_set *s)
{
	if (s->big.slots)
		symtab_free(&s->big);
}

static void
check_enum(struct c_names *c, const char *mn, const struct m_decl *d)
{
	uint32_t i;
	for (i = 0; i < d->u.enm.n_variants; i++) {
		const struct m_variant *v = &c->m->variants[d->u.enm.first_variant + i];
		struct owner o = member_owner(d->u.enm.data ? "variant" : "enum value", d, &v->item);
		name3(c, &o, mn, d->item.name, v->item.name);
		if (v->has_payload) {
			const char *parts[5] = { mn, d->item.name, "payload", v->item.name, NULL };
			c_name(c, &o, parts);
		}
	}
}

static void
check_resilient(struct c_names *c, const char *mn, const struct m_decl *d, const struct owner *o)
{
	/* the record this library's values point at, and its type, which
	 * the descriptor source defines */
	const char *record[4] = { "chitin_record", mn, d->item.name, NULL };
	char major[8], minor[8];
	const char *layout[6] = { "chitin_layout", mn, d->item.name, major, minor, NULL };
	uint32_t i;
	for (i = 0; i < 4; i++)
		name3(c, o, mn, d->item.name, resilient_parts[i]);
	snprintf(major, sizeof major, "%u", (unsigned)c->mod->version.major);
	snprintf(minor, sizeof minor, "%u", (unsigned)c->mod->version.minor);
	c_name(c, o, record);
	c_name(c, o, layout);
	for (i = 0; i < d->u.agg.n_fields; i++) {
		const struct m_field *f = &c->m->fields[d->u.agg.first_field + i];
		struct owner fo;
		if (in(f->item.name, resilient_parts, 4)) {
			/* its accessor would be one of the struct's helpers */
			walk_error(c, f->item.loc,
				   "'%s' cannot name a field of a resilient struct: the C header has '<Struct>_%s'",
				   f->item.name, f->item.name);
			continue;
		}
		fo = member_owner("field", d, &f->item);
		name3(c, &fo, mn, d->item.name, f->item.name);
		{
			/* its accessor for values that may only be read */
			const char *parts[5] = { mn, d->item.name, f->item.name, "const", NULL };
			c_name(c, &fo, parts);
		}
	}
}

static void
check_interface(struct c_names *c, const char *mn, const struct m_decl *d, const struct owner *o)
{
	uint32_t i;
	for (i = 0; i < 7; i++)
		name3(c, o, mn, d->item.name, interface_parts[i]);
	/* a helper for every slot, <module>_<Interface>_<method>: its own
	 * methods', then the inherited ones' (whose names the model keeps
	 * distinct from its own) */
	{
		uint32_t di = (uint32_t)(d - c->m->decls), chain[MODEL_MAX_CHAIN], k;
		uint32_t depth = model_interface_chain(c->m, di, chain);
		/* the method names met in this walk, and the bases (a cycle, or
		 * a name met twice, is the model's error, already reported);
		 * the sets are this walk's own, so a replay has its own too */
		struct name_set names, bases;
		set_init(&names);
		set_init(&bases);
		for (i = 0; i < d->u.iface.n_methods; i++)
			set_add(&names, c->m->methods[d->u.iface.first_method + i].item.name);
		for (k = 1; k < depth; k++) {
			const struct m_decl *b = &c->m->decls[chain[k]];
			const char *up[6] = { mn, d->item.name, "as", NULL, NULL, NULL };
			if (chain[k] == di || set_add(&bases, b->item.name))
				break;
			/* the upcast helper <module>_<Interface>_as_<Base>, the
			 * base's module named when it is another's */
			if (b->module != d->module)
				up[3] = c->m->modules[b->module].name, up[4] = b->item.name;
			else
				up[3] = b->item.name;
			c_name(c, o, up);
			for (i = 0; i < b->u.iface.n_methods; i++) {
				const struct m_method *me = &c->m->methods[b->u.iface.first_method + i];
				struct owner mo = member_owner("the helper of inherited method", d, &me->item);
				mo.loc = d->item.loc;
				if (in(me->item.name, interface_parts, 5) || set_add(&names, me->item.name))
					continue;   /* reported at the base, or by the model */
				name3(c, &mo, mn, d->item.name, me->item.name);
			}
		}
		set_free(&names);
		set_free(&bases);
	}
	for (i = 0; i < d->u.iface.n_methods; i++) {
		const struct m_method *me = &c->m->methods[d->u.iface.first_method + i];
		struct owner mo;
		if (in(me->item.name, interface_parts, 2)) {
			walk_error(c, me->item.loc,
				   "'%s' cannot name a method: the C header names the interface's %s '<Interface>_%s'",
				   me->item.name, strcmp(me->item.name, "IID") == 0 ? "id" : "vtable",
				   me->item.name);
			continue;
		}
		if (in(me->item.name, interface_parts + 2, 3))
			continue;   /* the object header's: the model refuses them */
		mo = member_owner("method", d, &me->item);
		name3(c, &mo, mn, d->item.name, me->item.name);
	}
}

static void
module_name(struct c_names *c, const struct m_module *mod, const char *what, const char *prefix)
{
	struct owner o;
	memset(&o, 0, sizeof o);
	o.kind = OWN_MODULE;
	o.what = what;
	o.name = mod->name;
	o.loc = mod->loc;
	name2(c, &o, prefix, mod->name);
}

/* The module's own names: its entry symbol, tables and macros. */
static void
walk_head(struct c_names *c)
{
	/* the macros of the header and descriptor source, in the upper-case
	 * namespace the constants share */
	static const char *const macros[] = { "API", "IMPLEMENTATION", "STATIC", "VERSION_MAJOR",
					      "VERSION_MINOR", "DESC_SECTION", "DESC_CLASS",
					      "DESC_CLASS_WORDS", "DESC_RETAIN" };
	struct owner o;
	uint32_t i;
	memset(&o, 0, sizeof o);
	o.kind = OWN_MODULE;
	o.what = "the exports table of module";
	o.name = c->mn;
	o.loc = c->mod->loc;
	name2(c, &o, c->mn, "exports");
	module_name(c, c->mod, "the entry symbol of module", "chitin_module");
	module_name(c, c->mod, "the descriptor of module", "chitin_descriptor");
	module_name(c, c->mod, "the exports table of module", "chitin_exports");
	module_name(c, c->mod, "the descriptor pointer of module", "chitin_own_descriptor");
	o.what = "the descriptor of module";
	name2(c, &o, c->mn, "descriptor");
	o.what = "the loader of module";
	name2(c, &o, c->mn, "load");
	o.what = "a macro the C header defines for module";
	for (i = 0; i < sizeof macros / sizeof *macros; i++)
		name2(c, &o, c->upper, macros[i]);
}

/* The names of declaration di and its members. */
static void
walk_decl(struct c_names *c, uint32_t di)
{
	const struct m_decl *dl = &c->m->decls[di];
	const char *mn = c->mn, *dn = dl->item.name;
	struct owner o;
	if (dl->duplicate)
		return;   /* reported as a repeated name */
	o = decl_owner(dl);
	switch (dl->kind) {
	case DECL_CONST:
		name2(c, &o, c->upper, dn);   /* #define <MODULE>_<NAME> */
		break;
	case DECL_EXPORT: {
		const char *parts[2] = { dl->u.sig.symbol, NULL };
		struct owner helper = o;
		if (dl->u.sig.symbol)
			c_name(c, &o, parts);
		/* its checked call through the exports table */
		helper.what = "the helper of export";
		helper.exporting = false;
		name3(c, &helper, mn, "exports", dn);
		break;
	}
	case DECL_ENUM:
		name2(c, &o, mn, dn);
		check_enum(c, mn, dl);
		break;
	case DECL_STRUCT:
		name2(c, &o, mn, dn);
		if (dl->u.agg.resilient)
			check_resilient(c, mn, dl, &o);
		break;
	case DECL_INTERFACE:
		name2(c, &o, mn, dn);
		check_interface(c, mn, dl, &o);
		break;
	case DECL_CALLBACK:
		name2(c, &o, mn, dn);
		/* its helpers <module>_<Callback>_call and _release */
		name3(c, &o, mn, dn, "call");
		name3(c, &o, mn, dn, "release");
		break;
	default:
		name2(c, &o, mn, dn);
		break;
	}
}

/* Reports name (of what, at loc) if it is one of the program's C names:
 * the earliest, when several modules make it. */
static void
check_inner_name(struct c_names *c, const char *name, const char *what, const char *parent,
		 struct loc loc)
{
	size_t len = strlen(name);
	uint32_t lo, hi, empty;
	char theirs[300];
	slot_key(name, len, &lo, &hi);
	if (earliest(c, name, len, lo, hi, UINT32_MAX, &empty) == UINT32_MAX)
		return;
	describe(&c->found_owner, theirs, sizeof theirs);
	diag_error(c->d, loc, "'%s' cannot name %s of '%s': the C header uses it as the C name of %s",
		   name, what, parent, theirs);
	diag_note(c->d, c->found_owner.loc, "%s is here", theirs);
}

static void
check_inner_fields(struct c_names *c, uint32_t first, uint32_t n, const char *parent)
{
	uint32_t f;
	for (f = first; f < first + n; f++)
		check_inner_name(c, c->m->fields[f].item.name, "a field", parent, c->m->fields[f].item.loc);
}

static void
check_inner_sig(struct c_names *c, const struct m_method *me, const char *parent)
{
	uint32_t p;
	for (p = me->first_param; p < me->first_param + me->n_params; p++)
		check_inner_name(c, c->m->params[p].name, "a parameter", parent, c->m->params[p].loc);
}

/* The names that are identifiers of their own inside the header's
 * declarations and helpers: fields, payload and vtable members,
 * parameters (doc/idl.md 9). */
static void
check_inner_names(struct c_names *c)
{
	const struct model *m = c->m;
	uint32_t di, i;
	for (di = 0; di < m->n_decls && !diag_stopped(c->d); di++) {
		const struct m_decl *d = &m->decls[di];
		const char *dn = d->item.name;
		if (d->module == M_NONE || d->duplicate)
			continue;
		switch (d->kind) {
		case DECL_STRUCT:
		case DECL_UNION:
			check_inner_fields(c, d->u.agg.first_field, d->u.agg.n_fields, dn);
			break;
		case DECL_ENUM:
			for (i = 0; i < d->u.enm.n_variants && d->u.enm.data; i++) {
				const struct m_variant *v = &m->variants[d->u.enm.first_variant + i];
				check_inner_name(c, v->item.name, "a variant", dn, v->item.loc);
				check_inner_fields(c, v->first_field, v->n_fields, dn);
			}
			break;
		case DECL_INTERFACE:
			for (i = 0; i < d->u.iface.n_methods; i++) {
				const struct m_method *me = &m->methods[d->u.iface.first_method + i];
				check_inner_name(c, me->item.name, "a method", dn, me->item.loc);
				check_inner_sig(c, me, dn);
			}
			break;
		case DECL_CALLBACK:
		case DECL_EXPORT:
			check_inner_sig(c, &m->methods[d->u.sig.method], dn);
			break;
		default:
			break;
		}
	}
}

void
c_check_names(const struct model *m, struct diag *d)
{
	struct c_names c;
	uint32_t mi, i;

	memset(&c, 0, sizeof c);
	c.m = m;
	c.d = d;
	c.mod_seq = xcalloc((size_t)m->n_modules + 1, sizeof *c.mod_seq);
	c.head_end = xcalloc((size_t)m->n_modules + 1, sizeof *c.head_end);
	c.uppers = xcalloc((size_t)m->n_modules + 1, sizeof *c.uppers);
	c.decl_seq = xcalloc((size_t)m->n_decls + 1, sizeof *c.decl_seq);
	grow(&c);
	for (mi = 0; mi < m->n_modules && !diag_stopped(d); mi++) {
		const struct m_module *mod = &m->modules[mi];
		c.uppers[mi] = c_module_upper(mod->name);
		c.mod_seq[mi] = c.seq;
		enter_module(&c, mi);
		c.walked = mod->first_decl;
		c.head_end[mi] = UINT32_MAX;   /* while they are made */
		walk_head(&c);
		c.head_end[mi] = c.seq;
		for (i = 0; i < mod->n_decls && !diag_stopped(d); i++) {
			c.decl_seq[mod->first_decl + i] = c.seq;
			c.walked = mod->first_decl + i + 1;
			walk_decl(&c, mod->first_decl + i);
		}
	}
	if (!diag_stopped(d))
		check_inner_names(&c);
	for (mi = 0; mi < m->n_modules; mi++)
		free(c.uppers[mi]);
	free(c.uppers);
	free(c.mod_seq);
	free(c.head_end);
	free(c.slots);
	free(c.decl_seq);
	free(c.name.p);
	free(c.mine.p);
	free(c.found_name.p);
	if (!diag_stopped(d))
		check_instantiations(m, d);
}
