/* The JSON backend.  Output is deterministic: declaration order, fixed
 * key order, no floating point. */
#include "backends/json.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

/* Ids are written as UUIDs, hashes as 32 hex digits. */
static void
key_id(struct outbuf *out, const char *key, const chitin_hash128 *h)
{
	char buf[CHITIN_UUID_TEXT_SIZE];
	chitin_hash128_to_uuid(h, buf);
	ob_printf(out, ", \"%s\": \"%s\"", key, buf);
}

static void
key_hash(struct outbuf *out, const char *key, const chitin_hash128 *h)
{
	char buf[CHITIN_HEX128_TEXT_SIZE];
	chitin_hash128_to_hex(h, buf);
	ob_printf(out, ", \"%s\": \"%s\"", key, buf);
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
	if (type_is_signed((enum type_kind)repr))
		ob_printf(out, "%" PRId64, (int64_t)v);
	else
		ob_printf(out, "%" PRIu64, v);
}

static void
field_row(struct outbuf *out, const struct checked *ck, unsigned ti, uint32_t mi,
	  const char *name, uint64_t offset, uint64_t size, uint32_t type, const char *note,
	  const struct m_item *item)
{
	char buf[256];
	ob_puts(out, "{\"name\": ");
	ob_json_string(out, name);
	ob_printf(out, ", \"offset\": %" PRIu64 ", \"size\": %" PRIu64 ", \"type\": ", offset, size);
	ob_json_string(out, type == M_NONE ? note : model_type_name(ck->m, type, mi, buf, sizeof buf));
	if (type != M_NONE)
		key_hash(out, "type_hash", ck_layout_hash(ck, ti, type));
	if (item)
		since(out, item);
	ob_puts(out, "}");
}

/* What a row that is not a field of a named type holds. */
static const char *
row_note(const struct row *r)
{
	return r->kind == ROW_RECORD ? "pointer" : r->kind == ROW_PAYLOAD ? "union" : "";
}

/* One named type on one target. */
static void
type_object(struct outbuf *out, const struct checked *ck, unsigned ti, uint32_t mi,
	    uint32_t di, struct row_buf *rows)
{
	const struct model *m = ck->m;
	const struct m_decl *d = &m->decls[di];
	const struct lay_size *s = ck_decl_size(ck, ti, di);
	uint32_t n = ck_rows(ck, ti, di, rows), i, k = 0;

	ob_puts(out, "{\"name\": ");
	ob_json_string(out, d->item.name);
	ob_printf(out, ", \"kind\": \"%s\", \"size\": %" PRIu64 ", \"align\": %u",
		  named_kind_names[model_named_kind(d)], s->size, s->align);
	key_id(out, "typeid", ck_type_id(ck, di));
	key_hash(out, "layout_hash", ck_layout_hash(ck, ti, d->type));
	since(out, &d->item);
	if (d->kind == DECL_STRUCT && d->u.agg.resilient)
		ob_puts(out, ", \"resilient\": true");
	if (d->kind == DECL_ENUM) {
		ob_printf(out, ", \"repr\": \"%s\"", type_kind_names[d->u.enm.repr]);
		if (type_is_signed((enum type_kind)d->u.enm.repr))
			ob_puts(out, ", \"signed\": true");
	}
	if (d->kind == DECL_CALLBACK)
		key_hash(out, "signature_hash", ck_sig_hash(ck, ti, d->u.sig.method));
	ob_puts(out, ",\n         \"fields\": [");
	for (i = 0; i < n; i++) {
		const struct row *r = &rows->rows[i];
		if (r->kind == ROW_PADDING)
			continue;
		ob_puts(out, k++ ? ",\n           " : "\n           ");
		field_row(out, ck, ti, mi, r->name, r->offset, r->size, r->type, row_note(r),
			  r->field == M_NONE ? NULL : &m->fields[r->field].item);
	}
	ob_puts(out, k ? "\n         ]" : "]");
	if (d->kind != DECL_ENUM) {
		ob_puts(out, "}");
		return;
	}
	ob_puts(out, ",\n         \"variants\": [");
	for (i = 0; i < d->u.enm.n_variants; i++) {
		uint32_t vi = d->u.enm.first_variant + i, f;
		const struct m_variant *v = &m->variants[vi];
		ob_puts(out, i ? ",\n           {\"name\": " : "\n           {\"name\": ");
		ob_json_string(out, v->item.name);
		ob_puts(out, ", \"value\": ");
		value(out, v->value, d->u.enm.repr);
		since(out, &v->item);
		if (v->has_payload) {
			const struct lay_size *ps = ck_payload_size(ck, ti, vi);
			ob_printf(out, ", \"payload_size\": %" PRIu64 ", \"payload_align\": %u",
				  ps->size, ps->align);
			key_hash(out, "payload_hash", ck_payload_hash(ck, ti, vi));
			ob_puts(out, ", \"fields\": [");
			for (f = 0; f < v->n_fields; f++) {
				const struct m_field *fl = &m->fields[v->first_field + f];
				if (f)
					ob_puts(out, ", ");
				field_row(out, ck, ti, mi, fl->item.name,
					  ck_field_offset(ck, ti, v->first_field + f),
					  ck_type_size(ck, ti, fl->type)->size, fl->type, NULL, &fl->item);
			}
			ob_puts(out, "]");
		}
		ob_puts(out, "}");
	}
	ob_puts(out, i ? "\n         ]}" : "]}");
}

static void
types_array(struct outbuf *out, const struct checked *ck, unsigned ti, uint32_t mi,
	    struct row_buf *rows)
{
	const struct m_module *mod = &ck->m->modules[mi];
	uint32_t di, n = 0;
	ob_puts(out, "\"types\": [");
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		if (model_named_kind(&ck->m->decls[di]) == NK_NONE)
			continue;
		ob_flush_point(out);
		ob_puts(out, n++ ? ",\n        " : "\n        ");
		type_object(out, ck, ti, mi, di, rows);
	}
	ob_puts(out, n ? "\n      ]" : "]");
}

static void
header(struct outbuf *out, const struct model *m, uint32_t mi)
{
	const struct m_module *mod = &m->modules[mi];
	ob_puts(out, "{\n  \"format\": 1,\n  \"module\": ");
	ob_json_string(out, mod->name);
	ob_printf(out, ",\n  \"version\": \"%u.%u\"", mod->version.major, mod->version.minor);
}

void
be_json_layout(struct outbuf *out, const struct checked *ck, uint32_t mi, unsigned target_mask)
{
	struct row_buf rows = { NULL, 0, 0 };
	unsigned ti, k = 0;
	header(out, ck->m, mi);
	ob_puts(out, ",\n  \"targets\": {");
	for (ti = 0; ti < TARGET_COUNT; ti++) {
		if (!(target_mask & (1u << ti)))
			continue;
		ob_printf(out, "%s\n    \"%s\": {\n      ", k++ ? "," : "", targets[ti].name);
		types_array(out, ck, ti, mi, &rows);
		ob_puts(out, "\n    }");
	}
	ob_puts(out, "\n  }\n}\n");
	row_buf_free(&rows);
}

static void
interfaces_array(struct outbuf *out, const struct checked *ck, unsigned ti, uint32_t mi)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	uint32_t di, n = 0, chain[MODEL_MAX_CHAIN];
	char buf[256];
	ob_puts(out, "\"interfaces\": [");
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &m->decls[di];
		uint32_t depth, i, k = 0, slot = 0;
		if (d->kind != DECL_INTERFACE)
			continue;
		ob_flush_point(out);
		ob_puts(out, n++ ? ",\n        {\"name\": " : "\n        {\"name\": ");
		ob_json_string(out, d->item.name);
		key_id(out, "iid", ck_type_id(ck, di));
		ob_puts(out, ", \"base\": ");
		if (d->u.iface.base == m->object_decl || d->u.iface.base == M_NONE) {
			ob_json_string(out, "object");
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
		ob_puts(out, ",\n         \"slots\": [");
		depth = model_interface_chain(m, di, chain);
		while (depth-- > 0) {
			const struct m_decl *b = &m->decls[chain[depth]];
			for (i = 0; i < b->u.iface.n_methods; i++, slot++) {
				uint32_t me = b->u.iface.first_method + i;
				ob_puts(out, k++ ? ",\n           {\"slot\": " : "\n           {\"slot\": ");
				ob_printf(out, "%u, \"name\": ", slot);
				ob_json_string(out, m->methods[me].item.name);
				if (chain[depth] != di) {
					snprintf(buf, sizeof buf, "%s.%s", m->modules[b->module].name,
						 b->item.name);
					ob_puts(out, ", \"from\": ");
					ob_json_string(out, buf);
				}
				key_hash(out, "signature_hash", ck_sig_hash(ck, ti, me));
				since(out, &m->methods[me].item);
				ob_puts(out, "}");
			}
		}
		ob_puts(out, k ? "\n         ]}" : "]}");
	}
	ob_puts(out, n ? "\n      ]" : "]");
}

static void
exports_array(struct outbuf *out, const struct checked *ck, unsigned ti, uint32_t mi)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	uint32_t di, n = 0;
	ob_puts(out, "\"exports\": [");
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &m->decls[di];
		if (d->kind != DECL_EXPORT)
			continue;
		ob_flush_point(out);
		ob_puts(out, n++ ? ",\n        {\"name\": " : "\n        {\"name\": ");
		ob_json_string(out, d->item.name);
		ob_puts(out, ", \"symbol\": ");
		ob_json_string(out, d->u.sig.symbol);
		key_hash(out, "signature_hash", ck_sig_hash(ck, ti, d->u.sig.method));
		since(out, &d->item);
		ob_puts(out, "}");
	}
	ob_puts(out, n ? "\n      ]" : "]");
}

void
be_json_descriptor(struct outbuf *out, const struct checked *ck, uint32_t mi)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	struct row_buf rows = { NULL, 0, 0 };
	uint32_t i, di, n = 0;
	unsigned ti;

	header(out, m, mi);
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
		ob_puts(out, "}");
	}
	ob_puts(out, n ? "\n  ],\n  \"targets\": {" : "],\n  \"targets\": {");
	for (ti = 0; ti < TARGET_COUNT; ti++) {
		ob_printf(out, "%s\n    \"%s\": {\n      ", ti ? "," : "", targets[ti].name);
		types_array(out, ck, ti, mi, &rows);
		ob_puts(out, ",\n      ");
		interfaces_array(out, ck, ti, mi);
		ob_puts(out, ",\n      ");
		exports_array(out, ck, ti, mi);
		ob_puts(out, "\n    }");
	}
	ob_puts(out, "\n  }\n}\n");
	row_buf_free(&rows);
}
