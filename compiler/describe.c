/* Descriptors from the model, and from JSON.  The two must agree byte for
 * byte once encoded; tests/unit/test_describe.c holds them to it. */
#include "describe.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NEW_ARRAY(a, T, n) ((T *)arena_alloc((a), ((n) ? (n) : 1) * sizeof(T)))

/* The descriptor's kind codes are the model's named kinds. */
#define SAME_KIND_(k, name, n) _Static_assert((int)k == (int)CHITIN_DESC_##k##_, "descriptor kind " name);
#define CHITIN_DESC_NK_STRUCT_ CHITIN_DESC_STRUCT
#define CHITIN_DESC_NK_UNION_ CHITIN_DESC_UNION
#define CHITIN_DESC_NK_ENUM_ CHITIN_DESC_ENUM
#define CHITIN_DESC_NK_DATA_ENUM_ CHITIN_DESC_DATA_ENUM
#define CHITIN_DESC_NK_CALLBACK_ CHITIN_DESC_CALLBACK
#define CHITIN_DESC_NK_INTERFACE_ CHITIN_DESC_INTERFACE
NAMED_KINDS(SAME_KIND_)
#undef SAME_KIND_

static void
item_flags(const struct m_item *it, uint32_t *flags, uint16_t *since_minor)
{
	if (it->has_since) {
		*flags |= CHITIN_DESC_SINCE;
		*since_minor = it->since.minor;
	}
}

static const char *
qualified(struct arena *a, const struct model *m, uint32_t di)
{
	const struct m_decl *d = &m->decls[di];
	size_t n;
	char *s;
	if (d->module == M_NONE)
		return d->item.name;
	n = strlen(m->modules[d->module].name) + strlen(d->item.name) + 2;
	s = arena_alloc(a, n);
	snprintf(s, n, "%s.%s", m->modules[d->module].name, d->item.name);
	return s;
}

static void
describe_type(struct chitin_desc_type *out, struct arena *a, const struct checked *ck,
	      unsigned ti, uint32_t di, struct row_buf *rows)
{
	const struct model *m = ck->m;
	const struct m_decl *d = &m->decls[di];
	const struct lay_size *s = ck_decl_size(ck, ti, di);
	struct chitin_desc_field *fields;
	uint32_t n = ck_rows(ck, ti, di, rows), i, k = 0;

	memset(out, 0, sizeof *out);
	out->name = d->item.name;
	out->kind = (enum chitin_desc_kind)model_named_kind(d);
	item_flags(&d->item, &out->flags, &out->since_minor);
	if (d->kind == DECL_STRUCT && d->u.agg.resilient)
		out->flags |= CHITIN_DESC_RESILIENT;
	if (d->kind == DECL_ENUM && type_is_signed((enum type_kind)d->u.enm.repr))
		out->flags |= CHITIN_DESC_SIGNED;
	if (d->kind == DECL_CALLBACK)
		out->signature_hash = *ck_sig_hash(ck, ti, d->u.sig.method);
	out->type_id = *ck_type_id(ck, di);
	out->layout_hash = *ck_layout_hash(ck, ti, d->type);
	out->size = s->size;
	out->align = s->align;
	fields = NEW_ARRAY(a, struct chitin_desc_field, n);
	for (i = 0; i < n; i++) {
		const struct row *r = &rows->rows[i];
		struct chitin_desc_field *f;
		/* padding and the record pointer are not fields */
		if (r->kind == ROW_PADDING || r->kind == ROW_RECORD)
			continue;
		f = &fields[k++];
		memset(f, 0, sizeof *f);
		f->name = r->name;
		f->offset = r->offset;
		f->size = r->size;
		if (r->type != M_NONE)
			f->type_hash = *ck_layout_hash(ck, ti, r->type);
		if (r->field != M_NONE)
			item_flags(&m->fields[r->field].item, &f->flags, &f->since_minor);
	}
	out->fields = fields;
	out->n_fields = k;
	if (d->kind == DECL_ENUM) {
		struct chitin_desc_variant *vs = NEW_ARRAY(a, struct chitin_desc_variant, d->u.enm.n_variants);
		for (i = 0; i < d->u.enm.n_variants; i++) {
			uint32_t vi = d->u.enm.first_variant + i;
			const struct m_variant *v = &m->variants[vi];
			memset(&vs[i], 0, sizeof vs[i]);
			vs[i].name = v->item.name;
			vs[i].value = v->value;
			item_flags(&v->item, &vs[i].flags, &vs[i].since_minor);
			if (v->has_payload) {
				vs[i].flags |= CHITIN_DESC_PAYLOAD;
				vs[i].payload_hash = *ck_payload_hash(ck, ti, vi);
			}
		}
		out->variants = vs;
		out->n_variants = d->u.enm.n_variants;
	}
}

static void
describe_interface(struct chitin_desc_interface *out, struct arena *a,
		   const struct checked *ck, unsigned ti, uint32_t di)
{
	const struct model *m = ck->m;
	const struct m_decl *d = &m->decls[di];
	uint32_t chain[MODEL_MAX_CHAIN], depth = 0, b, n = 0, i;
	struct chitin_desc_method *ms;

	memset(out, 0, sizeof *out);
	out->name = d->item.name;
	out->iid = *ck_type_id(ck, di);
	out->base = d->u.iface.base == M_NONE || d->u.iface.base == m->object_decl
		    ? "object" : qualified(a, m, d->u.iface.base);
	item_flags(&d->item, &out->flags, &out->since_minor);
	if (d->u.iface.is_base)
		out->flags |= CHITIN_DESC_BASE;
	if (d->u.iface.threadsafe)
		out->flags |= CHITIN_DESC_THREADSAFE;
	depth = model_interface_chain(m, di, chain);
	for (b = 0; b < depth; b++)
		n += m->decls[chain[b]].u.iface.n_methods;
	ms = NEW_ARRAY(a, struct chitin_desc_method, n);
	n = 0;
	while (depth-- > 0) {
		const struct m_decl *base = &m->decls[chain[depth]];
		for (i = 0; i < base->u.iface.n_methods; i++, n++) {
			uint32_t me = base->u.iface.first_method + i;
			memset(&ms[n], 0, sizeof ms[n]);
			ms[n].name = m->methods[me].item.name;
			ms[n].signature_hash = *ck_sig_hash(ck, ti, me);
			item_flags(&m->methods[me].item, &ms[n].flags, &ms[n].since_minor);
		}
	}
	out->methods = ms;
	out->n_methods = n;
}

void
desc_from_model(struct chitin_descriptor *out, struct arena *a, const struct checked *ck,
		uint32_t mi, unsigned ti)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	struct chitin_desc_import *imports = NEW_ARRAY(a, struct chitin_desc_import, mod->n_imports);
	struct chitin_desc_type *types = NEW_ARRAY(a, struct chitin_desc_type, mod->n_decls);
	struct chitin_desc_interface *ifaces = NEW_ARRAY(a, struct chitin_desc_interface, mod->n_decls);
	struct chitin_desc_export *exports = NEW_ARRAY(a, struct chitin_desc_export, mod->n_decls);
	struct row_buf rows = { NULL, 0, 0 };
	uint32_t i, di;

	memset(out, 0, sizeof *out);
	out->format = CHITIN_DESC_FORMAT;
	out->module = mod->name;
	out->major = mod->version.major;
	out->minor = mod->version.minor;
	out->targets = targets[ti].name;
	for (i = 0; i < mod->n_imports; i++) {
		const struct m_module *im = &m->modules[mod->imports[i].module];
		imports[i].module = im->name;
		imports[i].major = im->version.major;
		imports[i].minor = im->version.minor;
	}
	out->imports = imports;
	out->n_imports = mod->n_imports;
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &m->decls[di];
		if (model_named_kind(d) != NK_NONE)
			describe_type(&types[out->n_types++], a, ck, ti, di, &rows);
		if (d->kind == DECL_INTERFACE)
			describe_interface(&ifaces[out->n_interfaces++], a, ck, ti, di);
		if (d->kind == DECL_EXPORT) {
			struct chitin_desc_export *e = &exports[out->n_exports++];
			memset(e, 0, sizeof *e);
			e->name = d->item.name;
			e->symbol = d->u.sig.symbol;
			e->signature_hash = *ck_sig_hash(ck, ti, d->u.sig.method);
			item_flags(&d->item, &e->flags, &e->since_minor);
		}
	}
	row_buf_free(&rows);
	out->types = types;
	out->interfaces = ifaces;
	out->exports = exports;
}

/* ---- from JSON ----------------------------------------------------------------- */

struct reader {
	struct arena *a;
	char *err;
	size_t err_size;
	bool failed;
};

static void
bad(struct reader *r, const char *what, const char *key)
{
	if (!r->failed)
		snprintf(r->err, r->err_size, "%s: expected %s", key, what);
	r->failed = true;
}

static const char *
get_str(struct reader *r, const struct jv *o, const char *key)
{
	const struct jv *v = jv_get(o, key);
	if (!v || v->kind != JV_STRING) {
		bad(r, "a string", key);
		return "";
	}
	return v->str;
}

static uint64_t
get_uint(struct reader *r, const struct jv *o, const char *key, uint64_t max)
{
	const struct jv *v = jv_get(o, key);
	if (!v || v->kind != JV_INT || v->negative || v->magnitude > max) {
		bad(r, "a non-negative integer in range", key);
		return 0;
	}
	return v->magnitude;
}

static const struct jv *
get_array(struct reader *r, const struct jv *o, const char *key)
{
	static const struct jv empty = { JV_ARRAY, false, false, 0, NULL, NULL, NULL, 0 };
	const struct jv *v = jv_get(o, key);
	if (!v)
		return &empty;
	if (v->kind != JV_ARRAY) {
		bad(r, "an array", key);
		return &empty;
	}
	return v;
}

static bool
get_bool(const struct jv *o, const char *key)
{
	const struct jv *v = jv_get(o, key);
	return v && v->kind == JV_BOOL && v->truth;
}

/* A hash or id, as 32 hex digits with or without the UUID dashes. */
static void
get_hash(struct reader *r, const struct jv *o, const char *key, chitin_hash128 *out, bool optional)
{
	const struct jv *v = jv_get(o, key);
	const char *s;
	int i = 0;
	memset(out, 0, sizeof *out);
	if (!v && optional)
		return;
	if (!v || v->kind != JV_STRING) {
		bad(r, "a 128-bit hash", key);
		return;
	}
	for (s = v->str; *s && i < 32; s++) {
		int h;
		if (*s == '-')
			continue;
		h = json_hex_digit(*s);
		if (h < 0)
			break;
		out->bytes[i / 2] = (uint8_t)(out->bytes[i / 2] << 4 | h);
		i++;
	}
	if (i != 32 || *s)
		bad(r, "a 128-bit hash", key);
}

/* "M.m" */
static void
get_version(struct reader *r, const struct jv *o, const char *key, uint16_t *major, uint16_t *minor)
{
	const char *s = get_str(r, o, key);
	unsigned long a, b;
	char *end;
	a = strtoul(s, &end, 10);
	if (*end != '.' || a > 65535) {
		bad(r, "a version M.m", key);
		return;
	}
	b = strtoul(end + 1, &end, 10);
	if (*end || b > 65535) {
		bad(r, "a version M.m", key);
		return;
	}
	*major = (uint16_t)a;
	*minor = (uint16_t)b;
}

static void
get_since(struct reader *r, const struct jv *o, uint32_t *flags, uint16_t *since_minor)
{
	uint16_t major = 0;
	if (!jv_get(o, "since"))
		return;
	get_version(r, o, "since", &major, since_minor);
	*flags |= CHITIN_DESC_SINCE;
}


static void
read_fields(struct reader *r, const struct jv *arr, const struct chitin_desc_field **out,
	    uint32_t *n_out)
{
	struct chitin_desc_field *fs = NEW_ARRAY(r->a, struct chitin_desc_field, arr->n);
	uint32_t i, n = 0;
	for (i = 0; i < arr->n; i++) {
		const struct jv *o = &arr->items[i];
		const char *name = get_str(r, o, "name");
		struct chitin_desc_field *f;
		if (name[0] == '(')
			continue;
		f = &fs[n++];
		f->name = name;
		f->offset = get_uint(r, o, "offset", UINT64_MAX);
		f->size = get_uint(r, o, "size", UINT64_MAX);
		get_hash(r, o, "type_hash", &f->type_hash, true);
		get_since(r, o, &f->flags, &f->since_minor);
	}
	*out = fs;
	*n_out = n;
}

static void
read_type(struct reader *r, const struct jv *o, struct chitin_desc_type *out)
{
	const char *kind = get_str(r, o, "kind");
	const struct jv *vars = get_array(r, o, "variants");
	size_t k;
	uint32_t i;
	memset(out, 0, sizeof *out);
	out->name = get_str(r, o, "name");
	for (k = 1; k < NK_COUNT; k++)
		if (strcmp(named_kind_names[k], kind) == 0)
			out->kind = (enum chitin_desc_kind)k;
	if (!out->kind)
		bad(r, "a type kind", "kind");
	get_since(r, o, &out->flags, &out->since_minor);
	if (get_bool(o, "resilient"))
		out->flags |= CHITIN_DESC_RESILIENT;
	if (get_bool(o, "signed"))
		out->flags |= CHITIN_DESC_SIGNED;
	get_hash(r, o, "signature_hash", &out->signature_hash, true);
	get_hash(r, o, "typeid", &out->type_id, false);
	get_hash(r, o, "layout_hash", &out->layout_hash, false);
	out->size = get_uint(r, o, "size", UINT64_MAX);
	out->align = (uint32_t)get_uint(r, o, "align", UINT32_MAX);
	read_fields(r, get_array(r, o, "fields"), &out->fields, &out->n_fields);
	if (vars->n) {
		struct chitin_desc_variant *vs = NEW_ARRAY(r->a, struct chitin_desc_variant, vars->n);
		for (i = 0; i < vars->n; i++) {
			const struct jv *v = &vars->items[i];
			const struct jv *val = jv_get(v, "value");
			vs[i].name = get_str(r, v, "name");
			if (!val || val->kind != JV_INT)
				bad(r, "an integer", "value");
			else
				vs[i].value = val->negative ? (uint64_t)0 - val->magnitude : val->magnitude;
			get_since(r, v, &vs[i].flags, &vs[i].since_minor);
			if (jv_get(v, "payload_hash")) {
				vs[i].flags |= CHITIN_DESC_PAYLOAD;
				get_hash(r, v, "payload_hash", &vs[i].payload_hash, false);
			}
		}
		out->variants = vs;
		out->n_variants = vars->n;
	}
}

bool
desc_from_json(struct chitin_descriptor *out, struct arena *a, const struct jv *root,
	       const char *target, char *err, size_t err_size)
{
	struct reader r;
	const struct jv *tg, *types, *ifaces, *exports, *imports;
	uint32_t i, j;

	memset(&r, 0, sizeof r);
	r.a = a;
	r.err = err;
	r.err_size = err_size;
	memset(out, 0, sizeof *out);
	if (get_uint(&r, root, "format", UINT32_MAX) != 1 && !r.failed)
		bad(&r, "format 1", "format");
	out->format = CHITIN_DESC_FORMAT;
	out->module = get_str(&r, root, "module");
	get_version(&r, root, "version", &out->major, &out->minor);
	tg = jv_get(jv_get(root, "targets"), target);
	if (!tg) {
		if (!r.failed)
			snprintf(err, err_size, "targets: no target '%s'", target);
		return false;
	}
	out->targets = jv_get(root, "targets")->keys[tg - jv_get(root, "targets")->items];
	imports = get_array(&r, root, "imports");
	{
		struct chitin_desc_import *ims = NEW_ARRAY(a, struct chitin_desc_import, imports->n);
		for (i = 0; i < imports->n; i++) {
			ims[i].module = get_str(&r, &imports->items[i], "module");
			get_version(&r, &imports->items[i], "version", &ims[i].major, &ims[i].minor);
		}
		out->imports = ims;
		out->n_imports = imports->n;
	}
	types = get_array(&r, tg, "types");
	{
		struct chitin_desc_type *ts = NEW_ARRAY(a, struct chitin_desc_type, types->n);
		for (i = 0; i < types->n; i++)
			read_type(&r, &types->items[i], &ts[i]);
		out->types = ts;
		out->n_types = types->n;
	}
	ifaces = get_array(&r, tg, "interfaces");
	{
		struct chitin_desc_interface *is = NEW_ARRAY(a, struct chitin_desc_interface, ifaces->n);
		for (i = 0; i < ifaces->n; i++) {
			const struct jv *o = &ifaces->items[i];
			const struct jv *slots = get_array(&r, o, "slots");
			struct chitin_desc_method *ms = NEW_ARRAY(a, struct chitin_desc_method, slots->n);
			memset(&is[i], 0, sizeof is[i]);
			is[i].name = get_str(&r, o, "name");
			get_hash(&r, o, "iid", &is[i].iid, false);
			is[i].base = get_str(&r, o, "base");
			get_since(&r, o, &is[i].flags, &is[i].since_minor);
			if (get_bool(o, "is_base"))
				is[i].flags |= CHITIN_DESC_BASE;
			if (get_bool(o, "threadsafe"))
				is[i].flags |= CHITIN_DESC_THREADSAFE;
			for (j = 0; j < slots->n; j++) {
				const struct jv *s = &slots->items[j];
				memset(&ms[j], 0, sizeof ms[j]);
				ms[j].name = get_str(&r, s, "name");
				get_hash(&r, s, "signature_hash", &ms[j].signature_hash, false);
				get_since(&r, s, &ms[j].flags, &ms[j].since_minor);
			}
			is[i].methods = ms;
			is[i].n_methods = slots->n;
		}
		out->interfaces = is;
		out->n_interfaces = ifaces->n;
	}
	exports = get_array(&r, tg, "exports");
	{
		struct chitin_desc_export *es = NEW_ARRAY(a, struct chitin_desc_export, exports->n);
		for (i = 0; i < exports->n; i++) {
			const struct jv *o = &exports->items[i];
			memset(&es[i], 0, sizeof es[i]);
			es[i].name = get_str(&r, o, "name");
			es[i].symbol = get_str(&r, o, "symbol");
			get_hash(&r, o, "signature_hash", &es[i].signature_hash, false);
			get_since(&r, o, &es[i].flags, &es[i].since_minor);
		}
		out->exports = es;
		out->n_exports = exports->n;
	}
	return !r.failed;
}
