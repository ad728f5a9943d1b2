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
	struct chitin_desc_type *types;
	struct chitin_desc_interface *ifaces;
	struct chitin_desc_export *exports;
	struct row_buf rows = { NULL, 0, 0 };
	uint32_t i, di, n_types = 0, n_ifaces = 0, n_exports = 0;

	/* arrays of the sizes they need: a module is mostly one kind */
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		n_types += model_named_kind(&m->decls[di]) != NK_NONE;
		n_ifaces += m->decls[di].kind == DECL_INTERFACE;
		n_exports += m->decls[di].kind == DECL_EXPORT;
	}
	types = NEW_ARRAY(a, struct chitin_desc_type, n_types);
	ifaces = NEW_ARRAY(a, struct chitin_desc_interface, n_ifaces);
	exports = NEW_ARRAY(a, struct chitin_desc_export, n_exports);

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

static void hash_value(struct reader *r, const struct jv *v, const char *key, chitin_hash128 *out);

/* A hash or id, as 32 hex digits with or without the UUID dashes. */
static void
get_hash(struct reader *r, const struct jv *o, const char *key, chitin_hash128 *out, bool optional)
{
	const struct jv *v = jv_get(o, key);
	memset(out, 0, sizeof *out);
	if (!v && optional)
		return;
	hash_value(r, v, key, out);
}

static void
hash_value(struct reader *r, const struct jv *v, const char *key, chitin_hash128 *out)
{
	const char *s;
	int i = 0;
	memset(out, 0, sizeof *out);
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

/* Format 1 (doc/abi.md 9.3): a full copy of every type on each target. */
static bool
read_format1(struct reader *r, struct chitin_descriptor *out, const struct jv *root,
	     const char *target)
{
	struct arena *a = r->a;
	const struct jv *tg, *types, *ifaces, *exports, *imports;
	uint32_t i, j;

	out->format = CHITIN_DESC_FORMAT;
	out->module = get_str(r, root, "module");
	get_version(r, root, "version", &out->major, &out->minor);
	tg = jv_get(jv_get(root, "targets"), target);
	if (!tg) {
		if (!r->failed)
			snprintf(r->err, r->err_size, "targets: no target '%s'", target);
		return false;
	}
	out->targets = jv_get(root, "targets")->keys[tg - jv_get(root, "targets")->items];
	imports = get_array(r, root, "imports");
	{
		struct chitin_desc_import *ims = NEW_ARRAY(a, struct chitin_desc_import, imports->n);
		for (i = 0; i < imports->n; i++) {
			ims[i].module = get_str(r, &imports->items[i], "module");
			get_version(r, &imports->items[i], "version", &ims[i].major, &ims[i].minor);
		}
		out->imports = ims;
		out->n_imports = imports->n;
	}
	types = get_array(r, tg, "types");
	{
		struct chitin_desc_type *ts = NEW_ARRAY(a, struct chitin_desc_type, types->n);
		for (i = 0; i < types->n; i++)
			read_type(r, &types->items[i], &ts[i]);
		out->types = ts;
		out->n_types = types->n;
	}
	ifaces = get_array(r, tg, "interfaces");
	{
		struct chitin_desc_interface *is = NEW_ARRAY(a, struct chitin_desc_interface, ifaces->n);
		for (i = 0; i < ifaces->n; i++) {
			const struct jv *o = &ifaces->items[i];
			const struct jv *slots = get_array(r, o, "slots");
			struct chitin_desc_method *ms = NEW_ARRAY(a, struct chitin_desc_method, slots->n);
			memset(&is[i], 0, sizeof is[i]);
			is[i].name = get_str(r, o, "name");
			get_hash(r, o, "iid", &is[i].iid, false);
			is[i].base = get_str(r, o, "base");
			get_since(r, o, &is[i].flags, &is[i].since_minor);
			if (get_bool(o, "is_base"))
				is[i].flags |= CHITIN_DESC_BASE;
			if (get_bool(o, "threadsafe"))
				is[i].flags |= CHITIN_DESC_THREADSAFE;
			for (j = 0; j < slots->n; j++) {
				const struct jv *s = &slots->items[j];
				memset(&ms[j], 0, sizeof ms[j]);
				ms[j].name = get_str(r, s, "name");
				get_hash(r, s, "signature_hash", &ms[j].signature_hash, false);
				get_since(r, s, &ms[j].flags, &ms[j].since_minor);
			}
			is[i].methods = ms;
			is[i].n_methods = slots->n;
		}
		out->interfaces = is;
		out->n_interfaces = ifaces->n;
	}
	exports = get_array(r, tg, "exports");
	{
		struct chitin_desc_export *es = NEW_ARRAY(a, struct chitin_desc_export, exports->n);
		for (i = 0; i < exports->n; i++) {
			const struct jv *o = &exports->items[i];
			memset(&es[i], 0, sizeof es[i]);
			es[i].name = get_str(r, o, "name");
			es[i].symbol = get_str(r, o, "symbol");
			get_hash(r, o, "signature_hash", &es[i].signature_hash, false);
			get_since(r, o, &es[i].flags, &es[i].since_minor);
		}
		out->exports = es;
		out->n_exports = exports->n;
	}
	return !r->failed;
}

/* ---- format 2 --------------------------------------------------------------------- */

/* The entry of o's "layouts" whose "targets" lists target, or NULL after
 * reporting: exactly one must. */
static const struct jv *
layout_for(struct reader *r, const struct jv *o, const char *target)
{
	const struct jv *layouts = get_array(r, o, "layouts"), *found = NULL;
	uint32_t i, k;
	for (i = 0; i < layouts->n; i++) {
		const struct jv *ts = get_array(r, &layouts->items[i], "targets");
		for (k = 0; k < ts->n; k++) {
			if (ts->items[k].kind != JV_STRING) {
				bad(r, "target names", "targets");
				return NULL;
			}
			if (strcmp(ts->items[k].str, target) != 0)
				continue;
			if (found) {
				if (!r->failed)
					snprintf(r->err, r->err_size, "layouts: target '%s' is listed twice", target);
				r->failed = true;
				return NULL;
			}
			found = &layouts->items[i];
		}
	}
	if (!found) {
		if (!r->failed)
			snprintf(r->err, r->err_size, "layouts: no layout for target '%s'", target);
		r->failed = true;
	}
	return found;
}

/* The field types on the target: each type's size and layout hash, found
 * by the type's name. */
struct ftypes {
	const char **names;
	uint64_t *sizes;
	chitin_hash128 *hashes;
	uint32_t n, mask;
	uint32_t *slots;            /* index + 1, 0 empty */
};

static void
read_field_types(struct reader *r, struct ftypes *ft, const struct jv *root, const char *target)
{
	const struct jv *arr = get_array(r, root, "field_types");
	uint32_t i, cap = 16;
	while (cap < 2 * arr->n + 2)
		cap *= 2;
	ft->n = arr->n;
	ft->mask = cap - 1;
	ft->names = NEW_ARRAY(r->a, const char *, arr->n);
	ft->sizes = NEW_ARRAY(r->a, uint64_t, arr->n);
	ft->hashes = NEW_ARRAY(r->a, chitin_hash128, arr->n);
	ft->slots = NEW_ARRAY(r->a, uint32_t, cap);
	for (i = 0; i < arr->n && !r->failed; i++) {
		const struct jv *o = &arr->items[i], *l;
		const char *name = get_str(r, o, "type");
		uint32_t at = hash_bytes(name, strlen(name), 0) & ft->mask;
		ft->names[i] = name;
		if ((l = layout_for(r, o, target)) != NULL) {
			ft->sizes[i] = get_uint(r, l, "size", UINT64_MAX);
			get_hash(r, l, "layout_hash", &ft->hashes[i], false);
		}
		for (; ft->slots[at]; at = (at + 1) & ft->mask) {
			if (strcmp(ft->names[ft->slots[at] - 1], name) == 0) {
				/* a name met twice would make lookups ambiguous,
				 * and a pile of them slow */
				bad(r, "each type once", "field_types");
				return;
			}
		}
		ft->slots[at] = i + 1;
	}
}

static int32_t
find_field_type(const struct ftypes *ft, const char *name)
{
	uint32_t at = hash_bytes(name, strlen(name), 0) & ft->mask;
	for (; ft->slots[at]; at = (at + 1) & ft->mask)
		if (strcmp(ft->names[ft->slots[at] - 1], name) == 0)
			return (int32_t)(ft->slots[at] - 1);
	return -1;
}

/* Fields (an array of {name, type, since}) at offsets (parallel to them);
 * a field without a type is a data enum's payload union, of payload_size. */
static void
read_fields2(struct reader *r, const struct ftypes *ft, const struct jv *fields,
	     const struct jv *offsets, uint64_t payload_size, const struct chitin_desc_field **out,
	     uint32_t *n_out)
{
	struct chitin_desc_field *fs = NEW_ARRAY(r->a, struct chitin_desc_field, fields->n);
	uint32_t i;
	*out = fs;
	*n_out = fields->n;
	if (offsets->n != fields->n) {
		bad(r, "as many offsets as fields", "offsets");
		return;
	}
	for (i = 0; i < fields->n && !r->failed; i++) {
		const struct jv *f = &fields->items[i], *off = &offsets->items[i];
		memset(&fs[i], 0, sizeof fs[i]);
		fs[i].name = get_str(r, f, "name");
		if (off->kind != JV_INT || off->negative) {
			bad(r, "offsets that are non-negative integers", "offsets");
			return;
		}
		fs[i].offset = off->magnitude;
		if (jv_get(f, "type")) {
			int32_t k = find_field_type(ft, get_str(r, f, "type"));
			if (k < 0) {
				bad(r, "a type listed in field_types", "type");
				return;
			}
			fs[i].size = ft->sizes[k];
			fs[i].type_hash = ft->hashes[k];
		} else {
			fs[i].size = payload_size;
		}
		get_since(r, f, &fs[i].flags, &fs[i].since_minor);
	}
}

static void
read_type2(struct reader *r, const struct ftypes *ft, const struct jv *o, const char *target,
	   struct chitin_desc_type *out)
{
	const char *kind = get_str(r, o, "kind");
	const struct jv *vars = get_array(r, o, "variants"), *l, *payloads;
	size_t k;
	uint32_t i, p = 0;
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
	get_hash(r, o, "typeid", &out->type_id, false);
	if (r->failed || !(l = layout_for(r, o, target)))
		return;
	out->size = get_uint(r, l, "size", UINT64_MAX);
	out->align = (uint32_t)get_uint(r, l, "align", UINT32_MAX);
	get_hash(r, l, "layout_hash", &out->layout_hash, false);
	get_hash(r, l, "signature_hash", &out->signature_hash, true);
	read_fields2(r, ft, get_array(r, o, "fields"), get_array(r, l, "offsets"),
		     jv_get(l, "payload_size") ? get_uint(r, l, "payload_size", UINT64_MAX) : 0,
		     &out->fields, &out->n_fields);
	payloads = get_array(r, l, "payloads");
	if (vars->n) {
		struct chitin_desc_variant *vs = NEW_ARRAY(r->a, struct chitin_desc_variant, vars->n);
		for (i = 0; i < vars->n && !r->failed; i++) {
			const struct jv *v = &vars->items[i];
			const struct jv *val = jv_get(v, "value");
			memset(&vs[i], 0, sizeof vs[i]);
			vs[i].name = get_str(r, v, "name");
			if (!val || val->kind != JV_INT)
				bad(r, "an integer", "value");
			else
				vs[i].value = val->negative ? (uint64_t)0 - val->magnitude : val->magnitude;
			get_since(r, v, &vs[i].flags, &vs[i].since_minor);
			if (jv_get(v, "payload")) {
				vs[i].flags |= CHITIN_DESC_PAYLOAD;
				if (p >= payloads->n) {
					bad(r, "a payload for every variant that has one", "payloads");
					break;
				}
				get_hash(r, &payloads->items[p++], "payload_hash", &vs[i].payload_hash, false);
			}
		}
		out->variants = vs;
		out->n_variants = vars->n;
	}
}

static void
read_interface2(struct reader *r, const struct jv *o, const char *target,
		struct chitin_desc_interface *out)
{
	const struct jv *slots = get_array(r, o, "slots"), *l, *hashes;
	struct chitin_desc_method *ms = NEW_ARRAY(r->a, struct chitin_desc_method, slots->n);
	uint32_t j;
	memset(out, 0, sizeof *out);
	out->name = get_str(r, o, "name");
	get_hash(r, o, "iid", &out->iid, false);
	out->base = get_str(r, o, "base");
	get_since(r, o, &out->flags, &out->since_minor);
	if (get_bool(o, "is_base"))
		out->flags |= CHITIN_DESC_BASE;
	if (get_bool(o, "threadsafe"))
		out->flags |= CHITIN_DESC_THREADSAFE;
	out->methods = ms;
	out->n_methods = slots->n;
	if (r->failed || !(l = layout_for(r, o, target)))
		return;
	hashes = get_array(r, l, "signature_hashes");
	if (hashes->n != slots->n) {
		bad(r, "a signature hash for every slot", "signature_hashes");
		return;
	}
	for (j = 0; j < slots->n; j++) {
		memset(&ms[j], 0, sizeof ms[j]);
		ms[j].name = get_str(r, &slots->items[j], "name");
		hash_value(r, &hashes->items[j], "signature_hashes", &ms[j].signature_hash);
		get_since(r, &slots->items[j], &ms[j].flags, &ms[j].since_minor);
	}
}

static bool
read_format2(struct reader *r, struct chitin_descriptor *out, const struct jv *root,
	     const char *target)
{
	const struct jv *ts = get_array(r, root, "targets"), *arr;
	struct ftypes ft;
	uint32_t i;

	out->format = CHITIN_DESC_FORMAT;
	out->module = get_str(r, root, "module");
	get_version(r, root, "version", &out->major, &out->minor);
	for (i = 0; i < ts->n; i++)
		if (ts->items[i].kind == JV_STRING && strcmp(ts->items[i].str, target) == 0)
			out->targets = ts->items[i].str;
	if (!out->targets) {
		if (!r->failed)
			snprintf(r->err, r->err_size, "targets: no target '%s'", target);
		return false;
	}
	arr = get_array(r, root, "imports");
	{
		struct chitin_desc_import *ims = NEW_ARRAY(r->a, struct chitin_desc_import, arr->n);
		for (i = 0; i < arr->n; i++) {
			ims[i].module = get_str(r, &arr->items[i], "module");
			get_version(r, &arr->items[i], "version", &ims[i].major, &ims[i].minor);
		}
		out->imports = ims;
		out->n_imports = arr->n;
	}
	read_field_types(r, &ft, root, target);
	arr = get_array(r, root, "types");
	{
		struct chitin_desc_type *tys = NEW_ARRAY(r->a, struct chitin_desc_type, arr->n);
		for (i = 0; i < arr->n && !r->failed; i++)
			read_type2(r, &ft, &arr->items[i], target, &tys[i]);
		out->types = tys;
		out->n_types = arr->n;
	}
	arr = get_array(r, root, "interfaces");
	{
		struct chitin_desc_interface *is = NEW_ARRAY(r->a, struct chitin_desc_interface, arr->n);
		for (i = 0; i < arr->n && !r->failed; i++)
			read_interface2(r, &arr->items[i], target, &is[i]);
		out->interfaces = is;
		out->n_interfaces = arr->n;
	}
	arr = get_array(r, root, "exports");
	{
		struct chitin_desc_export *es = NEW_ARRAY(r->a, struct chitin_desc_export, arr->n);
		for (i = 0; i < arr->n && !r->failed; i++) {
			const struct jv *o = &arr->items[i], *l;
			memset(&es[i], 0, sizeof es[i]);
			es[i].name = get_str(r, o, "name");
			es[i].symbol = get_str(r, o, "symbol");
			get_since(r, o, &es[i].flags, &es[i].since_minor);
			if ((l = layout_for(r, o, target)) != NULL)
				get_hash(r, l, "signature_hash", &es[i].signature_hash, false);
		}
		out->exports = es;
		out->n_exports = arr->n;
	}
	return !r->failed;
}

bool
desc_from_json(struct chitin_descriptor *out, struct arena *a, const struct jv *root,
	       const char *target, char *err, size_t err_size)
{
	struct reader r;
	uint64_t format;

	memset(&r, 0, sizeof r);
	r.a = a;
	r.err = err;
	r.err_size = err_size;
	memset(out, 0, sizeof *out);
	format = get_uint(&r, root, "format", UINT32_MAX);
	if (r.failed)
		return false;
	if (format == 1)
		return read_format1(&r, out, root, target);
	if (format == 2)
		return read_format2(&r, out, root, target);
	snprintf(err, err_size, "format: %llu is not a format this chitin reads (1 or 2)",
		 (unsigned long long)format);
	return false;
}

uint32_t
desc_compare(const struct chitin_descriptor *host,
	     const struct chitin_descriptor *plugin, uint16_t required_minor,
	     struct chitin_desc_report *report)
{
	size_t size = chitin_desc_compare_work_size(host, plugin);
	void *work = xmalloc(size ? size : 1);
	uint32_t n = chitin_desc_compare(host, plugin, required_minor, report, work, size);
	free(work);
	return n;
}

/* ---- reports ------------------------------------------------------------------ */

void
desc_put_report(struct outbuf *out, const struct chitin_desc_report *r, const char *indent)
{
	char buf[1024];
	uint32_t i;
	for (i = 0; i < r->n_problems; i++) {
		chitin_desc_format_problem(&r->problems[i], buf, sizeof buf);
		ob_printf(out, "%s%s\n", indent, buf);
	}
	if (r->more)
		ob_printf(out, "%s(and more)\n", indent);
}

void
desc_put_target_report(struct outbuf *out, struct outbuf *last, const char *target,
		       const struct outbuf *one)
{
	if (!one->len)
		return;
	/* targets usually agree: say a repeated report once */
	if (one->len == last->len && memcmp(one->data, last->data, one->len) == 0) {
		ob_printf(out, "on %s: the same\n", target);
		return;
	}
	ob_printf(out, "on %s:\n%s", target, one->data);
	last->len = 0;
	ob_put(last, one->data, one->len);
}

/* ---- the blobs of a module ---- */

static bool
same_type(const struct checked *ck, unsigned a, unsigned b, uint32_t t)
{
	const struct lay_size *x = ck_type_size(ck, a, t), *y = ck_type_size(ck, b, t);
	return x->size == y->size && x->align == y->align &&
	       chitin_hash128_equal(ck_layout_hash(ck, a, t), ck_layout_hash(ck, b, t));
}

static bool
same_fields(const struct checked *ck, unsigned a, unsigned b, uint32_t first, uint32_t n)
{
	uint32_t f;
	for (f = first; f < first + n; f++)
		if (ck_field_offset(ck, a, f) != ck_field_offset(ck, b, f) ||
		    !same_type(ck, a, b, ck->m->fields[f].type))
			return false;
	return true;
}

/* Whether module mi's descriptors on targets a and b agree in everything
 * that depends on the target (sizes, offsets and hashes), from the checked
 * program alone, without building either. */
static bool
same_target_content(const struct checked *ck, uint32_t mi, unsigned a, unsigned b)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	uint32_t di, i;
	if (ck->layout.group[a] == ck->layout.group[b])
		return true;   /* laid out and hashed once for both */
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &m->decls[di];
		if (model_named_kind(d) != NK_NONE && !same_type(ck, a, b, d->type))
			return false;
		switch (d->kind) {
		case DECL_STRUCT:
		case DECL_UNION:
			if (!same_fields(ck, a, b, d->u.agg.first_field, d->u.agg.n_fields))
				return false;
			break;
		case DECL_ENUM:
			if (!d->u.enm.data)
				break;
			if (!same_type(ck, a, b, d->u.enm.repr) ||
			    !lay_same_size(ck_payload_union(ck, a, di), ck_payload_union(ck, b, di)) ||
			    ck_payload_union_offset(ck, a, di) != ck_payload_union_offset(ck, b, di))
				return false;
			for (i = d->u.enm.first_variant; i < d->u.enm.first_variant + d->u.enm.n_variants; i++)
				if (!chitin_hash128_equal(ck_payload_hash(ck, a, i), ck_payload_hash(ck, b, i)))
					return false;
			break;
		case DECL_CALLBACK:
		case DECL_EXPORT:
			if (!chitin_hash128_equal(ck_sig_hash(ck, a, d->u.sig.method), ck_sig_hash(ck, b, d->u.sig.method)))
				return false;
			break;
		case DECL_INTERFACE: {
			uint32_t chain[MODEL_MAX_CHAIN], depth = model_interface_chain(m, di, chain), k;
			for (k = 0; k < depth; k++) {
				const struct m_decl *bd = &m->decls[chain[k]];
				for (i = bd->u.iface.first_method; i < bd->u.iface.first_method + bd->u.iface.n_methods; i++)
					if (!chitin_hash128_equal(ck_sig_hash(ck, a, i), ck_sig_hash(ck, b, i)))
						return false;
			}
			break;
		}
		default:
			break;
		}
	}
	return true;
}

/* The module's descriptor classes, into classes (TARGET_COUNT of them),
 * each with its targets' names; returns how many.  mask[k] gets class
 * k's targets, and arenas[k] holds class k: only one target of a class
 * has its descriptor built. */
static uint32_t
describe_classes(struct chitin_descriptor *classes, unsigned *mask, struct arena *arenas,
		 struct arena *a, const struct checked *ck, uint32_t mi)
{
	unsigned first[TARGET_COUNT];
	uint32_t n = 0, k;
	unsigned ti;
	for (ti = 0; ti < TARGET_COUNT; ti++) {
		for (k = 0; k < n && !same_target_content(ck, mi, first[k], ti); k++)
			;
		if (k == n) {
			first[n] = ti;
			arena_init(&arenas[n]);
			desc_from_model(&classes[n], &arenas[n], ck, mi, ti);
			mask[n++] = 0;
		}
		mask[k] |= 1u << ti;
	}
	for (k = 0; k < n; k++) {
		size_t len = 0;
		char *names;
		for (ti = 0; ti < TARGET_COUNT; ti++)
			if (mask[k] & (1u << ti))
				len += strlen(targets[ti].name) + 1;
		names = arena_alloc(a, len + 1);
		names[0] = '\0';
		for (ti = 0; ti < TARGET_COUNT; ti++) {
			if (!(mask[k] & (1u << ti)))
				continue;
			if (names[0])
				strcat(names, " ");
			strcat(names, targets[ti].name);
		}
		classes[k].targets = names;
	}
	return n;
}

bool
desc_encode_module(struct desc_blobs *out, const struct checked *ck, uint32_t mi)
{
	struct chitin_descriptor classes[TARGET_COUNT];
	struct arena arenas[TARGET_COUNT];
	size_t work_size;
	uint32_t k;
	void *work;

	memset(out, 0, sizeof *out);
	arena_init(&out->names_arena);
	out->n = describe_classes(classes, out->mask, arenas, &out->names_arena, ck, mi);
	for (k = 0; k < out->n; k++)
		out->names[k] = classes[k].targets;
	work_size = chitin_desc_encode_work_size(classes, out->n);
	work = xmalloc(work_size ? work_size : 1);
	/* The blobs take a few bytes a reference and the work memory tens,
	 * so a buffer of its size nearly always holds them at the first
	 * encoding; a second one is made only if not. */
	out->bytes = xmalloc(work_size ? work_size : 1);
	out->size = chitin_desc_encode_all(classes, out->n, out->bytes, work_size, &out->common,
					   &out->part, work, work_size);
	if (out->size > work_size) {
		out->bytes = xrealloc(out->bytes, out->size);
		chitin_desc_encode_all(classes, out->n, out->bytes, out->size, &out->common, &out->part,
				       work, work_size);
	}
	free(work);
	for (k = 0; k < out->n; k++)
		arena_free(&arenas[k]);
	return out->size != 0;
}

const struct desc_blobs *
desc_module_blobs(const struct checked *ck, uint32_t mi)
{
	struct desc_blobs *b = &ck->blobs[mi];
	/* encoded already when it has bytes, even when it failed */
	if (!b->bytes)
		desc_encode_module(b, ck, mi);
	return b->size ? b : NULL;
}

void
desc_blobs_free(struct desc_blobs *b)
{
	free(b->bytes);
	arena_free(&b->names_arena);
	memset(b, 0, sizeof *b);
}
