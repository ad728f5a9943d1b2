/* The JSON backend, format 2 (doc/abi.md 9): what is the same on every
 * target once, and each distinct per-target layout once, with the list of
 * the targets that share it.  Output is deterministic: declaration order,
 * fixed key order, no floating point. */
#include "backends/json.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* ---- small pieces ------------------------------------------------------------- */

static const char hex_digits[] = "0123456789abcdef";

/* Ids are written as UUIDs, hashes as 32 hex digits. */
static void
put_id(struct outbuf *out, const chitin_hash128 *h)
{
	char buf[38];
	int i, k = 0;
	buf[k++] = '"';
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			buf[k++] = '-';
		buf[k++] = hex_digits[h->bytes[i] >> 4];
		buf[k++] = hex_digits[h->bytes[i] & 15];
	}
	buf[k++] = '"';
	ob_put(out, buf, (size_t)k);
}

static void
put_hash(struct outbuf *out, const chitin_hash128 *h)
{
	char buf[34];
	int i;
	buf[0] = '"';
	for (i = 0; i < 16; i++) {
		buf[1 + 2 * i] = hex_digits[h->bytes[i] >> 4];
		buf[2 + 2 * i] = hex_digits[h->bytes[i] & 15];
	}
	buf[33] = '"';
	ob_put(out, buf, sizeof buf);
}

/* ", \"key\": " */
static void
key(struct outbuf *out, const char *k)
{
	ob_puts(out, ", \"");
	ob_puts(out, k);
	ob_puts(out, "\": ");
}

static void
key_u64(struct outbuf *out, const char *k, uint64_t v)
{
	key(out, k);
	ob_u64(out, v);
}

static void
since(struct outbuf *out, const struct m_item *it)
{
	if (it->has_since)
		ob_printf(out, ", \"since\": \"%u.%u\"", it->since.major, it->since.minor);
}

static void
value(struct outbuf *out, uint64_t v, uint32_t repr)
{
	if (type_is_signed((enum type_kind)repr) && (int64_t)v < 0) {
		ob_putc(out, '-');
		ob_u64(out, (uint64_t)0 - v);
	} else {
		ob_u64(out, v);
	}
}


/* ["x86_64-linux", "aarch64-linux"] */
static void
put_targets(struct outbuf *out, unsigned mask)
{
	unsigned ti;
	bool first = true;
	ob_putc(out, '[');
	for (ti = 0; ti < TARGET_COUNT; ti++) {
		if (!(mask & (1u << ti)))
			continue;
		ob_puts(out, first ? "\"" : ", \"");
		ob_puts(out, targets[ti].name);
		ob_putc(out, '"');
		first = false;
	}
	ob_putc(out, ']');
}

/* Groups the targets of mask by same(ctx, a, b): groups[k] gets the
 * targets of group k, in the order their first target comes; returns how
 * many groups. */
static unsigned
group_targets(unsigned mask, unsigned *groups,
	      bool (*same)(const void *ctx, unsigned a, unsigned b), const void *ctx)
{
	unsigned first[TARGET_COUNT], n = 0, ti, k;
	for (ti = 0; ti < TARGET_COUNT; ti++) {
		if (!(mask & (1u << ti)))
			continue;
		for (k = 0; k < n && !same(ctx, first[k], ti); k++)
			;
		if (k == n) {
			first[n] = ti;
			groups[n++] = 0;
		}
		groups[k] |= 1u << ti;
	}
	return n;
}

static unsigned
first_target(unsigned mask)
{
	unsigned ti;
	for (ti = 0; ti < TARGET_COUNT && !(mask & (1u << ti)); ti++)
		;
	return ti;
}

/* ---- field types ----------------------------------------------------------------- */

struct field_types {
	const struct checked *ck;
	uint32_t *list;            /* type indices, in the order first met */
	uint32_t n, cap;
	uint8_t *seen;             /* by type */
};

static void
add_field_type(struct field_types *ft, uint32_t t)
{
	if (ft->seen[t])
		return;
	ft->seen[t] = 1;
	VEC_PUSH(ft->list, ft->n, ft->cap) = t;
}

/* Every type that a field, a payload field or a data enum's tag of module
 * mi has: what fields name by their type. */
static void
collect_field_types(struct field_types *ft, const struct checked *ck, uint32_t mi)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	uint32_t di, i, f;
	memset(ft, 0, sizeof *ft);
	ft->ck = ck;
	ft->seen = xcalloc(m->n_types + 1, 1);
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &m->decls[di];
		if (d->kind == DECL_STRUCT || d->kind == DECL_UNION) {
			for (f = d->u.agg.first_field; f < d->u.agg.first_field + d->u.agg.n_fields; f++)
				add_field_type(ft, m->fields[f].type);
		} else if (d->kind == DECL_ENUM && d->u.enm.data) {
			add_field_type(ft, d->u.enm.repr);
			for (i = 0; i < d->u.enm.n_variants; i++) {
				const struct m_variant *v = &m->variants[d->u.enm.first_variant + i];
				for (f = v->first_field; f < v->first_field + v->n_fields; f++)
					add_field_type(ft, m->fields[f].type);
			}
		}
	}
}

struct one_type {
	const struct checked *ck;
	uint32_t t;
};

static bool
same_field_type(const void *ctx, unsigned a, unsigned b)
{
	const struct one_type *o = ctx;
	return lay_same_size(ck_type_size(o->ck, a, o->t), ck_type_size(o->ck, b, o->t)) &&
	       chitin_hash128_equal(ck_layout_hash(o->ck, a, o->t), ck_layout_hash(o->ck, b, o->t));
}

static void
put_field_types(struct outbuf *out, const struct field_types *ft, uint32_t mi, unsigned mask)
{
	const struct checked *ck = ft->ck;
	uint32_t i;
	char buf[512];
	ob_puts(out, "\"field_types\": [");
	for (i = 0; i < ft->n; i++) {
		struct one_type o = { ck, ft->list[i] };
		unsigned groups[TARGET_COUNT], n = group_targets(mask, groups, same_field_type, &o), k;
		ob_flush_point(out);
		ob_puts(out, i ? ",\n    {\"type\": " : "\n    {\"type\": ");
		ob_json_string(out, model_type_name(ck->m, o.t, mi, buf, sizeof buf));
		ob_puts(out, ", \"layouts\": [");
		for (k = 0; k < n; k++) {
			unsigned ti = first_target(groups[k]);
			const struct lay_size *s = ck_type_size(ck, ti, o.t);
			ob_puts(out, k ? ", {\"targets\": " : "{\"targets\": ");
			put_targets(out, groups[k]);
			key_u64(out, "size", s->size);
			key_u64(out, "align", s->align);
			key(out, "layout_hash");
			put_hash(out, ck_layout_hash(ck, ti, o.t));
			ob_putc(out, '}');
		}
		ob_puts(out, "]}");
	}
	ob_puts(out, ft->n ? "\n  ]" : "]");
}

/* ---- types ---------------------------------------------------------------------- */

struct one_decl {
	const struct checked *ck;
	uint32_t di;
};

/* Whether targets a and b agree on everything type di's layout entry
 * holds. */
static bool
same_type_layout(const void *ctx, unsigned a, unsigned b)
{
	const struct one_decl *o = ctx;
	const struct checked *ck = o->ck;
	const struct m_decl *d = &ck->m->decls[o->di];
	uint32_t i, f;
	if (!lay_same_size(ck_decl_size(ck, a, o->di), ck_decl_size(ck, b, o->di)) ||
	    !chitin_hash128_equal(ck_layout_hash(ck, a, d->type), ck_layout_hash(ck, b, d->type)))
		return false;
	if (d->kind == DECL_CALLBACK &&
	    !chitin_hash128_equal(ck_sig_hash(ck, a, d->u.sig.method), ck_sig_hash(ck, b, d->u.sig.method)))
		return false;
	if (d->kind == DECL_STRUCT || d->kind == DECL_UNION) {
		for (f = d->u.agg.first_field; f < d->u.agg.first_field + d->u.agg.n_fields; f++)
			if (ck_field_offset(ck, a, f) != ck_field_offset(ck, b, f))
				return false;
	} else if (d->kind == DECL_ENUM && d->u.enm.data) {
		if (!lay_same_size(ck_payload_union(ck, a, o->di), ck_payload_union(ck, b, o->di)) ||
		    ck_payload_union_offset(ck, a, o->di) != ck_payload_union_offset(ck, b, o->di))
			return false;
		for (i = 0; i < d->u.enm.n_variants; i++) {
			uint32_t vi = d->u.enm.first_variant + i;
			const struct m_variant *v = &ck->m->variants[vi];
			if (!v->has_payload)
				continue;
			if (!lay_same_size(ck_payload_size(ck, a, vi), ck_payload_size(ck, b, vi)) ||
			    !chitin_hash128_equal(ck_payload_hash(ck, a, vi), ck_payload_hash(ck, b, vi)))
				return false;
			for (f = v->first_field; f < v->first_field + v->n_fields; f++)
				if (ck_field_offset(ck, a, f) != ck_field_offset(ck, b, f))
					return false;
		}
	}
	return true;
}

static void
put_offsets(struct outbuf *out, const struct checked *ck, unsigned ti, uint32_t first, uint32_t n)
{
	uint32_t f;
	ob_puts(out, ", \"offsets\": [");
	for (f = first; f < first + n; f++) {
		if (f > first)
			ob_puts(out, ", ");
		ob_u64(out, ck_field_offset(ck, ti, f));
	}
	ob_putc(out, ']');
}

/* [{"name": "x", "type": "i32"}, ...] */
static void
put_fields(struct outbuf *out, const struct model *m, uint32_t mi, uint32_t first, uint32_t n)
{
	uint32_t f;
	char buf[512];
	ob_putc(out, '[');
	for (f = first; f < first + n; f++) {
		ob_puts(out, f > first ? ", {\"name\": " : "{\"name\": ");
		ob_json_string(out, m->fields[f].item.name);
		ob_puts(out, ", \"type\": ");
		ob_json_string(out, model_type_name(m, m->fields[f].type, mi, buf, sizeof buf));
		since(out, &m->fields[f].item);
		ob_putc(out, '}');
	}
	ob_putc(out, ']');
}

static void
put_type_layout(struct outbuf *out, const struct checked *ck, uint32_t di, unsigned mask)
{
	const struct m_decl *d = &ck->m->decls[di];
	unsigned ti = first_target(mask);
	const struct lay_size *s = ck_decl_size(ck, ti, di);
	uint32_t i;
	bool any_payload = false;
	ob_puts(out, "{\"targets\": ");
	put_targets(out, mask);
	key_u64(out, "size", s->size);
	key_u64(out, "align", s->align);
	key(out, "layout_hash");
	put_hash(out, ck_layout_hash(ck, ti, d->type));
	if (d->kind == DECL_CALLBACK) {
		key(out, "signature_hash");
		put_hash(out, ck_sig_hash(ck, ti, d->u.sig.method));
	}
	if (d->kind == DECL_STRUCT || d->kind == DECL_UNION) {
		put_offsets(out, ck, ti, d->u.agg.first_field, d->u.agg.n_fields);
	} else if (d->kind == DECL_ENUM && d->u.enm.data) {
		const struct lay_size *pu = ck_payload_union(ck, ti, di);
		ob_puts(out, ", \"offsets\": [0");
		if (pu->valid) {
			ob_puts(out, ", ");
			ob_u64(out, ck_payload_union_offset(ck, ti, di));
		}
		ob_putc(out, ']');
		if (pu->valid) {
			key_u64(out, "payload_size", pu->size);
			key_u64(out, "payload_align", pu->align);
		}
		ob_puts(out, ", \"payloads\": [");
		for (i = 0; i < d->u.enm.n_variants; i++) {
			uint32_t vi = d->u.enm.first_variant + i;
			const struct m_variant *v = &ck->m->variants[vi];
			const struct lay_size *ps;
			if (!v->has_payload)
				continue;
			ps = ck_payload_size(ck, ti, vi);
			ob_puts(out, any_payload ? ", {\"size\": " : "{\"size\": ");
			any_payload = true;
			ob_u64(out, ps->size);
			key_u64(out, "align", ps->align);
			key(out, "payload_hash");
			put_hash(out, ck_payload_hash(ck, ti, vi));
			put_offsets(out, ck, ti, v->first_field, v->n_fields);
			ob_putc(out, '}');
		}
		ob_putc(out, ']');
	}
	ob_putc(out, '}');
}

/* One named type: what every target shares, then its layouts. */
static void
put_type(struct outbuf *out, const struct checked *ck, uint32_t mi, uint32_t di, unsigned mask)
{
	const struct model *m = ck->m;
	const struct m_decl *d = &m->decls[di];
	struct one_decl o = { ck, di };
	unsigned groups[TARGET_COUNT], n, k;
	uint32_t i;

	ob_puts(out, "{\"name\": ");
	ob_json_string(out, d->item.name);
	ob_puts(out, ", \"kind\": \"");
	ob_puts(out, named_kind_names[model_named_kind(d)]);
	ob_putc(out, '"');
	key(out, "typeid");
	put_id(out, ck_type_id(ck, di));
	since(out, &d->item);
	if (d->kind == DECL_STRUCT && d->u.agg.resilient)
		ob_puts(out, ", \"resilient\": true");
	if (d->kind == DECL_ENUM) {
		ob_printf(out, ", \"repr\": \"%s\"", type_kind_names[d->u.enm.repr]);
		if (type_is_signed((enum type_kind)d->u.enm.repr))
			ob_puts(out, ", \"signed\": true");
	}
	if (d->kind == DECL_STRUCT || d->kind == DECL_UNION) {
		ob_puts(out, ",\n     \"fields\": ");
		put_fields(out, m, mi, d->u.agg.first_field, d->u.agg.n_fields);
	} else if (d->kind == DECL_ENUM && d->u.enm.data) {
		ob_printf(out, ",\n     \"fields\": [{\"name\": \"tag\", \"type\": \"%s\"}, {\"name\": \"payload\"}]",
			  type_kind_names[d->u.enm.repr]);
	}
	if (d->kind == DECL_ENUM) {
		ob_puts(out, ",\n     \"variants\": [");
		for (i = 0; i < d->u.enm.n_variants; i++) {
			const struct m_variant *v = &m->variants[d->u.enm.first_variant + i];
			ob_puts(out, i ? ", {\"name\": " : "{\"name\": ");
			ob_json_string(out, v->item.name);
			ob_puts(out, ", \"value\": ");
			value(out, v->value, d->u.enm.repr);
			since(out, &v->item);
			if (v->has_payload) {
				ob_puts(out, ", \"payload\": ");
				put_fields(out, m, mi, v->first_field, v->n_fields);
			}
			ob_putc(out, '}');
		}
		ob_putc(out, ']');
	}
	ob_puts(out, ",\n     \"layouts\": [");
	n = group_targets(mask, groups, same_type_layout, &o);
	for (k = 0; k < n; k++) {
		ob_puts(out, k ? ",\n       " : "\n       ");
		put_type_layout(out, ck, di, groups[k]);
	}
	ob_puts(out, "]}");
}

static void
put_types(struct outbuf *out, const struct checked *ck, uint32_t mi, unsigned mask)
{
	const struct m_module *mod = &ck->m->modules[mi];
	uint32_t di, n = 0;
	ob_puts(out, "\"types\": [");
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		if (model_named_kind(&ck->m->decls[di]) == NK_NONE)
			continue;
		ob_flush_point(out);
		ob_puts(out, n++ ? ",\n    " : "\n    ");
		put_type(out, ck, mi, di, mask);
	}
	ob_puts(out, n ? "\n  ]" : "]");
}

/* ---- interfaces and exports ---------------------------------------------------------- */

struct one_interface {
	const struct checked *ck;
	const uint32_t *methods;   /* the slots' methods */
	uint32_t n;
};

static bool
same_slots(const void *ctx, unsigned a, unsigned b)
{
	const struct one_interface *o = ctx;
	uint32_t i;
	for (i = 0; i < o->n; i++)
		if (!chitin_hash128_equal(ck_sig_hash(o->ck, a, o->methods[i]), ck_sig_hash(o->ck, b, o->methods[i])))
			return false;
	return true;
}

static void
put_interface(struct outbuf *out, const struct checked *ck, uint32_t di, unsigned mask,
	      uint32_t **methods, uint32_t *cap)
{
	const struct model *m = ck->m;
	const struct m_decl *d = &m->decls[di];
	uint32_t chain[MODEL_MAX_CHAIN], depth = model_interface_chain(m, di, chain), i, n = 0;
	unsigned groups[TARGET_COUNT], ng, k;
	struct one_interface o;
	char buf[512];

	ob_puts(out, "{\"name\": ");
	ob_json_string(out, d->item.name);
	key(out, "iid");
	put_id(out, ck_type_id(ck, di));
	ob_puts(out, ", \"base\": ");
	if (d->u.iface.base == m->object_decl || d->u.iface.base == M_NONE) {
		ob_puts(out, "\"object\"");
	} else {
		const struct m_decl *b = &m->decls[d->u.iface.base];
		snprintf(buf, sizeof buf, "%s.%s", m->modules[b->module].name, b->item.name);
		ob_json_string(out, buf);
	}
	if (d->u.iface.is_base)
		ob_puts(out, ", \"is_base\": true");
	if (d->u.iface.threadsafe)
		ob_puts(out, ", \"threadsafe\": true");
	since(out, &d->item);
	ob_puts(out, ",\n     \"slots\": [");
	while (depth-- > 0) {
		const struct m_decl *b = &m->decls[chain[depth]];
		for (i = 0; i < b->u.iface.n_methods; i++) {
			uint32_t me = b->u.iface.first_method + i;
			if (n == *cap) {
				*cap = *cap ? 2 * *cap : 64;
				*methods = xrealloc(*methods, *cap * sizeof **methods);
			}
			(*methods)[n] = me;
			ob_puts(out, n ? ", {\"name\": " : "{\"name\": ");
			ob_json_string(out, m->methods[me].item.name);
			if (chain[depth] != di) {
				snprintf(buf, sizeof buf, "%s.%s", m->modules[b->module].name, b->item.name);
				ob_puts(out, ", \"from\": ");
				ob_json_string(out, buf);
			}
			since(out, &m->methods[me].item);
			ob_putc(out, '}');
			n++;
		}
	}
	ob_puts(out, "],\n     \"layouts\": [");
	o.ck = ck;
	o.methods = *methods;
	o.n = n;
	ng = group_targets(mask, groups, same_slots, &o);
	for (k = 0; k < ng; k++) {
		unsigned ti = first_target(groups[k]);
		ob_puts(out, k ? ",\n       {\"targets\": " : "\n       {\"targets\": ");
		put_targets(out, groups[k]);
		ob_puts(out, ", \"signature_hashes\": [");
		for (i = 0; i < n; i++) {
			if (i)
				ob_puts(out, ", ");
			put_hash(out, ck_sig_hash(ck, ti, (*methods)[i]));
		}
		ob_puts(out, "]}");
	}
	ob_puts(out, "]}");
}

static bool
same_export(const void *ctx, unsigned a, unsigned b)
{
	const struct one_decl *o = ctx;
	uint32_t me = o->ck->m->decls[o->di].u.sig.method;
	return chitin_hash128_equal(ck_sig_hash(o->ck, a, me), ck_sig_hash(o->ck, b, me));
}

static void
put_interfaces_and_exports(struct outbuf *out, const struct checked *ck, uint32_t mi, unsigned mask)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	uint32_t di, n = 0, *methods = NULL, cap = 0;
	ob_puts(out, "\"interfaces\": [");
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		if (m->decls[di].kind != DECL_INTERFACE)
			continue;
		ob_flush_point(out);
		ob_puts(out, n++ ? ",\n    " : "\n    ");
		put_interface(out, ck, di, mask, &methods, &cap);
	}
	free(methods);
	ob_puts(out, n ? "\n  ],\n  \"exports\": [" : "],\n  \"exports\": [");
	n = 0;
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &m->decls[di];
		struct one_decl o = { ck, di };
		unsigned groups[TARGET_COUNT], ng, k;
		if (d->kind != DECL_EXPORT)
			continue;
		ob_flush_point(out);
		ob_puts(out, n++ ? ",\n    {\"name\": " : "\n    {\"name\": ");
		ob_json_string(out, d->item.name);
		ob_puts(out, ", \"symbol\": ");
		ob_json_string(out, d->u.sig.symbol);
		since(out, &d->item);
		ob_puts(out, ", \"layouts\": [");
		ng = group_targets(mask, groups, same_export, &o);
		for (k = 0; k < ng; k++) {
			ob_puts(out, k ? ", {\"targets\": " : "{\"targets\": ");
			put_targets(out, groups[k]);
			key(out, "signature_hash");
			put_hash(out, ck_sig_hash(ck, first_target(groups[k]), d->u.sig.method));
			ob_putc(out, '}');
		}
		ob_puts(out, "]}");
	}
	ob_puts(out, n ? "\n  ]" : "]");
}

/* ---- documents ------------------------------------------------------------------------ */

static void
header(struct outbuf *out, const struct model *m, uint32_t mi, unsigned mask)
{
	const struct m_module *mod = &m->modules[mi];
	ob_puts(out, "{\n  \"format\": 2,\n  \"module\": ");
	ob_json_string(out, mod->name);
	ob_printf(out, ",\n  \"version\": \"%u.%u\",\n  \"targets\": ", mod->version.major,
		  mod->version.minor);
	put_targets(out, mask);
}

static void
body(struct outbuf *out, const struct checked *ck, uint32_t mi, unsigned mask)
{
	struct field_types ft;
	collect_field_types(&ft, ck, mi);
	ob_puts(out, ",\n  ");
	put_field_types(out, &ft, mi, mask);
	ob_puts(out, ",\n  ");
	put_types(out, ck, mi, mask);
	free(ft.list);
	free(ft.seen);
}

void
be_json_layout(struct outbuf *out, const struct checked *ck, uint32_t mi, unsigned target_mask)
{
	header(out, ck->m, mi, target_mask);
	body(out, ck, mi, target_mask);
	ob_puts(out, "\n}\n");
}

void
be_json_descriptor(struct outbuf *out, const struct checked *ck, uint32_t mi)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	uint32_t i, di, n = 0;

	header(out, m, mi, TARGET_ALL);
	ob_puts(out, ",\n  \"imports\": [");
	for (i = 0; i < mod->n_imports; i++) {
		const struct m_module *im = &m->modules[mod->imports[i].module];
		ob_puts(out, i ? ", {\"module\": " : "{\"module\": ");
		ob_json_string(out, im->name);
		ob_printf(out, ", \"version\": \"%u.%u\"}", im->version.major, im->version.minor);
	}
	ob_puts(out, "],\n  \"constants\": [");
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &m->decls[di];
		if (d->kind != DECL_CONST)
			continue;
		ob_puts(out, n++ ? ",\n    {\"name\": " : "\n    {\"name\": ");
		ob_json_string(out, d->item.name);
		ob_printf(out, ", \"type\": \"%s\", \"value\": ", type_kind_names[d->type]);
		value(out, d->u.konst.value, d->type);
		since(out, &d->item);
		ob_putc(out, '}');
	}
	ob_puts(out, n ? "\n  ]" : "]");
	body(out, ck, mi, TARGET_ALL);
	ob_puts(out, ",\n  ");
	put_interfaces_and_exports(out, ck, mi, TARGET_ALL);
	ob_puts(out, "\n}\n");
}
