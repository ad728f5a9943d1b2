/* The checked model: type hash-consing, type names, and the dump. */
#include "model.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *const type_kind_names[TY_KIND_COUNT] = {
#define X(k, s) s,
	PRIM_KINDS(X)
	COMPOUND_KINDS(X)
#undef X
};

const char *const decl_kind_names[DECL_KIND_COUNT] = {
#define X(k, s) s,
	DECL_KINDS(X)
#undef X
};

const char *const named_kind_names[NK_COUNT] = {
	NULL,
#define X(k, s, n) s,
	NAMED_KINDS(X)
#undef X
};

enum named_kind
model_named_kind(const struct m_decl *d)
{
	switch (d->kind) {
	case DECL_STRUCT: return NK_STRUCT;
	case DECL_UNION: return NK_UNION;
	case DECL_ENUM: return d->u.enm.data ? NK_DATA_ENUM : NK_ENUM;
	case DECL_CALLBACK: return NK_CALLBACK;
	case DECL_INTERFACE: return NK_INTERFACE;
	default: return NK_NONE;
	}
}

const char *const param_dir_names[3] = { "in", "out", "inout" };

static uint32_t
type_hash(const struct m_type *t)
{
	uint32_t parts[7];
	parts[0] = (uint32_t)t->kind;
	parts[1] = t->is_const;
	parts[2] = t->elem;
	parts[3] = t->err;
	parts[4] = t->decl;
	parts[5] = (uint32_t)t->count;
	parts[6] = (uint32_t)(t->count >> 32);
	return (uint32_t)hash_fast(parts, sizeof parts);
}

static bool
type_equal(const struct m_type *a, const struct m_type *b)
{
	return a->kind == b->kind && a->is_const == b->is_const &&
	       a->elem == b->elem && a->err == b->err && a->decl == b->decl &&
	       a->count == b->count;
}

static void
rehash(struct model *m, uint32_t cap)
{
	uint32_t i;
	free(m->type_slots);
	m->type_slots = xmalloc(cap * sizeof *m->type_slots);
	memset(m->type_slots, 0xff, cap * sizeof *m->type_slots);
	m->type_slot_cap = cap;
	for (i = 0; i < m->n_types; i++) {
		uint32_t j = type_hash(&m->types[i]) & (cap - 1);
		while (m->type_slots[j] != M_NONE)
			j = (j + 1) & (cap - 1);
		m->type_slots[j] = i;
	}
}

void
model_init(struct model *m, struct arena *arena, struct intern *in)
{
	int k;
	memset(m, 0, sizeof *m);
	m->arena = arena;
	m->intern = in;
	m->object_decl = M_NONE;
	rehash(m, 256);
	for (k = 0; k < TY_PRIM_COUNT; k++)
		model_type(m, (enum type_kind)k, M_NONE, M_NONE, M_NONE, 0, false);
	if (model_type(m, TY_ERROR, M_NONE, M_NONE, M_NONE, 0, false) != TYPE_ERROR)
		abort();
}

void
model_free(struct model *m)
{
	uint32_t i;
	for (i = 0; i < m->n_modules; i++)
		free(m->modules[i].imports);
	free(m->modules);
	free(m->decls);
	free(m->types);
	free(m->fields);
	free(m->variants);
	free(m->methods);
	free(m->params);
	free(m->size_names);
	free(m->by_value_order);
	free(m->type_slots);
	memset(m, 0, sizeof *m);
}

uint32_t
model_type(struct model *m, enum type_kind kind, uint32_t elem, uint32_t err,
	   uint32_t decl, uint64_t count, bool is_const)
{
	struct m_type t;
	uint32_t j;

	memset(&t, 0, sizeof t);
	t.kind = kind;
	t.elem = elem;
	t.err = err;
	t.decl = decl;
	t.count = count;
	t.is_const = is_const;
	for (j = type_hash(&t) & (m->type_slot_cap - 1); m->type_slots[j] != M_NONE;
	     j = (j + 1) & (m->type_slot_cap - 1)) {
		if (type_equal(&m->types[m->type_slots[j]], &t))
			return m->type_slots[j];
	}
	VEC_PUSH(m->types, m->n_types, m->cap_types) = t;
	m->type_slots[j] = m->n_types - 1;
	if (2 * m->n_types > m->type_slot_cap)
		rehash(m, 2 * m->type_slot_cap);
	return m->n_types - 1;
}

uint32_t
model_interface_chain(const struct model *m, uint32_t di, uint32_t *chain)
{
	uint32_t n = 0, b;
	for (b = di; b != M_NONE && b != m->object_decl && n < MODEL_MAX_CHAIN;
	     b = m->decls[b].u.iface.base)
		chain[n++] = b;
	return n;
}

bool
model_type_owns(const struct model *m, uint32_t t)
{
	for (;;) {
		const struct m_type *ty = &m->types[t];
		switch (ty->kind) {
		case TY_STRING:
		case TY_VEC:
			return true;
		case TY_OPTION:
		case TY_ARRAY:
			t = ty->elem;
			continue;
		case TY_RESULT:
			if (ty->err != TY_VOID && model_type_owns(m, ty->err))
				return true;
			t = ty->elem;
			continue;
		case TY_NAMED:
			return m->decls[ty->decl].kind == DECL_CALLBACK || m->decls[ty->decl].owning;
		default:
			return false;
		}
	}
}

static bool
fields_over_aligned(const struct model *m, uint32_t first, uint32_t n)
{
	uint32_t f;
	for (f = first; f < first + n; f++)
		if (model_type_over_aligned(m, m->fields[f].type))
			return true;
	return false;
}

bool
model_type_over_aligned(const struct model *m, uint32_t t)
{
	for (;;) {
		const struct m_type *ty = &m->types[t];
		const struct m_decl *d;
		uint32_t i;
		switch (ty->kind) {
		case TY_OPTION:
		case TY_ARRAY:
			t = ty->elem;
			continue;
		case TY_RESULT:
			if (ty->err != TY_VOID && model_type_over_aligned(m, ty->err))
				return true;
			t = ty->elem;
			continue;
		case TY_NAMED:
			d = &m->decls[ty->decl];
			if (d->kind == DECL_STRUCT || d->kind == DECL_UNION)
				return d->u.agg.align ||
				       fields_over_aligned(m, d->u.agg.first_field, d->u.agg.n_fields);
			if (d->kind == DECL_ENUM && d->u.enm.data)
				for (i = 0; i < d->u.enm.n_variants; i++) {
					const struct m_variant *v = &m->variants[d->u.enm.first_variant + i];
					if (fields_over_aligned(m, v->first_field, v->n_fields))
						return true;
				}
			return false;
		default:
			return false;
		}
	}
}

bool
type_is_integer(enum type_kind k)
{
	return k >= TY_I8 && k <= TY_U64;
}

bool
type_is_signed(enum type_kind k)
{
	return k >= TY_I8 && k <= TY_I64;
}

unsigned
type_int_bits(enum type_kind k)
{
	switch (k) {
	case TY_I8: case TY_U8: return 8;
	case TY_I16: case TY_U16: return 16;
	case TY_I32: case TY_U32: return 32;
	default: return 64;
	}
}

/* Appends to buf at *o without overflowing; output is cut at size - 1. */
static void
put(char *buf, size_t size, size_t *o, const char *s)
{
	size_t n = strlen(s);
	if (*o + 1 >= size)
		return;
	if (n > size - 1 - *o)
		n = size - 1 - *o;
	memcpy(buf + *o, s, n);
	*o += n;
	buf[*o] = '\0';
}

static void
type_name(const struct model *m, uint32_t t, uint32_t from, char *buf,
	  size_t size, size_t *o, unsigned depth)
{
	const struct m_type *ty = &m->types[t];
	char num[32];
	if (depth > 300) {
		put(buf, size, o, "...");
		return;
	}
	switch (ty->kind) {
	case TY_SLICE:
	case TY_VEC:
	case TY_OPTION:
		put(buf, size, o, type_kind_names[ty->kind]);
		put(buf, size, o, ty->is_const ? "<const " : "<");
		type_name(m, ty->elem, from, buf, size, o, depth + 1);
		put(buf, size, o, ">");
		break;
	case TY_RESULT:
		put(buf, size, o, "result<");
		type_name(m, ty->elem, from, buf, size, o, depth + 1);
		put(buf, size, o, ", ");
		type_name(m, ty->err, from, buf, size, o, depth + 1);
		put(buf, size, o, ">");
		break;
	case TY_ARRAY: {
		/* u16 m[3][5] is an array of 3 arrays of 5: the element first,
		 * then the dimensions outermost first, as written. */
		const struct m_type *inner = ty;
		while (inner->kind == TY_ARRAY)
			inner = &m->types[inner->elem];
		type_name(m, (uint32_t)(inner - m->types), from, buf, size, o, depth + 1);
		for (inner = ty; inner->kind == TY_ARRAY; inner = &m->types[inner->elem]) {
			snprintf(num, sizeof num, "[%" PRIu64 "]", inner->count);
			put(buf, size, o, num);
		}
		break;
	}
	case TY_POINTER:
		if (ty->is_const)
			put(buf, size, o, "const ");
		type_name(m, ty->elem, from, buf, size, o, depth + 1);
		put(buf, size, o, "*");
		break;
	case TY_NAMED: {
		const struct m_decl *d = &m->decls[ty->decl];
		if (d->module != from && d->module != M_NONE) {
			put(buf, size, o, m->modules[d->module].name);
			put(buf, size, o, ".");
		}
		put(buf, size, o, d->item.name);
		break;
	}
	default:
		put(buf, size, o, type_kind_names[ty->kind]);
		break;
	}
}

const char *
model_type_name(const struct model *m, uint32_t t, uint32_t from, char *buf,
		size_t size)
{
	size_t o = 0;
	buf[0] = '\0';
	type_name(m, t, from, buf, size, &o, 0);
	return buf;
}

static void
dump_item(FILE *out, const struct m_item *it)
{
	if (it->has_since)
		fprintf(out, " since=%u.%u", it->since.major, it->since.minor);
	if (it->deprecated)
		fprintf(out, " deprecated=\"%s\"", it->deprecated);
	if (it->doc)
		fprintf(out, " doc=%zu", strlen(it->doc));
}

static void
dump_fields(FILE *out, const struct model *m, uint32_t first, uint32_t n,
	    uint32_t from, const char *indent)
{
	uint32_t i;
	char buf[256];
	for (i = first; i < first + n; i++) {
		fprintf(out, "%sfield %s: %s", indent, m->fields[i].item.name,
			model_type_name(m, m->fields[i].type, from, buf, sizeof buf));
		dump_item(out, &m->fields[i].item);
		fputc('\n', out);
	}
}

static void
dump_method(FILE *out, const struct model *m, const struct m_method *me,
	    uint32_t from, const char *what)
{
	uint32_t i;
	char buf[256];
	fprintf(out, "  %s %s(", what, me->item.name);
	for (i = 0; i < me->n_params; i++) {
		const struct m_param *p = &m->params[me->first_param + i];
		fprintf(out, "%s[%s] %s %s", i ? ", " : "", param_dir_names[p->dir],
			model_type_name(m, p->type, from, buf, sizeof buf), p->name);
	}
	fprintf(out, ") -> %s", model_type_name(m, me->ret, from, buf, sizeof buf));
	dump_item(out, &me->item);
	fputc('\n', out);
}

void
model_dump(FILE *out, const struct model *m)
{
	uint32_t mi, di, i;
	char buf[256];
	for (mi = 0; mi < m->n_modules; mi++) {
		const struct m_module *mod = &m->modules[mi];
		fprintf(out, "module %s %u.%u\n", mod->name, mod->version.major,
			mod->version.minor);
		for (i = 0; i < mod->n_imports; i++)
			fprintf(out, "  import %s\n", m->modules[mod->imports[i].module].name);
		for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
			const struct m_decl *d = &m->decls[di];
			fprintf(out, "%s %s", decl_kind_names[d->kind], d->item.name);
			dump_item(out, &d->item);
			switch (d->kind) {
			case DECL_CONST:
				fprintf(out, ": %s = ", model_type_name(m, d->type, mi, buf, sizeof buf));
				if (type_is_signed(m->types[d->type].kind))
					fprintf(out, "%" PRId64 "\n", (int64_t)d->u.konst.value);
				else
					fprintf(out, "%" PRIu64 "\n", d->u.konst.value);
				break;
			case DECL_STRUCT:
			case DECL_UNION:
				if (d->u.agg.resilient)
					fputs(" resilient", out);
				if (d->u.agg.align)
					fprintf(out, " align=%u", d->u.agg.align);
				if (d->borrowed)
					fputs(" borrowed", out);
				fputc('\n', out);
				dump_fields(out, m, d->u.agg.first_field, d->u.agg.n_fields, mi, "  ");
				break;
			case DECL_ENUM:
				fprintf(out, ": %s%s%s\n", type_kind_names[d->u.enm.repr],
					d->u.enm.data ? " data" : "", d->borrowed ? " borrowed" : "");
				for (i = 0; i < d->u.enm.n_variants; i++) {
					const struct m_variant *v = &m->variants[d->u.enm.first_variant + i];
					fprintf(out, "  %s = ", v->item.name);
					if (type_is_signed((enum type_kind)d->u.enm.repr))
						fprintf(out, "%" PRId64, (int64_t)v->value);
					else
						fprintf(out, "%" PRIu64, v->value);
					dump_item(out, &v->item);
					fputc('\n', out);
					dump_fields(out, m, v->first_field, v->n_fields, mi, "    ");
				}
				break;
			case DECL_CALLBACK:
			case DECL_EXPORT:
				if (d->u.sig.symbol_given)
					fprintf(out, " symbol=%s", d->u.sig.symbol);
				fputc('\n', out);
				dump_method(out, m, &m->methods[d->u.sig.method], mi, "signature");
				break;
			case DECL_INTERFACE:
				if (d->u.iface.base != M_NONE)
					fprintf(out, " : %s", m->decls[d->u.iface.base].item.name);
				if (d->u.iface.is_base)
					fputs(" base", out);
				if (d->u.iface.threadsafe)
					fputs(" threadsafe", out);
				if (d->u.iface.has_uuid) {
					fputs(" uuid=", out);
					for (i = 0; i < 16; i++)
						fprintf(out, "%02x%s", d->u.iface.uuid[i],
							i == 3 || i == 5 || i == 7 || i == 9 ? "-" : "");
				}
				fputc('\n', out);
				for (i = 0; i < d->u.iface.n_methods; i++)
					dump_method(out, m, &m->methods[d->u.iface.first_method + i], mi, "method");
				break;
			case DECL_KIND_COUNT:
				break;
			}
		}
	}
}
