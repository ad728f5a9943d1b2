/* The layout table and its JSON form. */
#include "layout.h"
#include "backends/layout_print.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

static const char *
kind_name(const struct m_decl *d)
{
	switch (d->kind) {
	case DECL_STRUCT: return "struct";
	case DECL_UNION: return "union";
	case DECL_ENUM: return d->u.enm.data ? "data_enum" : "enum";
	case DECL_CALLBACK: return "callback";
	case DECL_INTERFACE: return "interface";
	default: return NULL;
	}
}

/* One row of a type's layout: a field, the tag, the payload, the record
 * pointer, or padding (name NULL). */
struct row {
	const char *name;
	uint64_t offset, size;
	uint32_t type;        /* M_NONE: described by note */
	const char *note;
};

/* The rows of declaration d on target ti, padding holes included, into
 * rows (sized by the caller: 2 * n_fields + 4). */
static uint32_t
rows_of(const struct layout *l, unsigned ti, const struct m_decl *d, struct row *rows)
{
	const struct model *m = l->m;
	const struct target *tg = &targets[ti];
	struct row raw[4];
	const struct row *src = raw;
	struct row *fields = NULL;
	uint32_t n_src = 0, n = 0, i;
	uint64_t end = 0, total = lay_type(l, ti, d->type)->size;
	bool is_union = d->kind == DECL_UNION;

	if (d->kind == DECL_STRUCT || d->kind == DECL_UNION) {
		uint32_t k = 0;
		fields = xmalloc((d->u.agg.n_fields + 1) * sizeof *fields);
		if (d->kind == DECL_STRUCT && d->u.agg.resilient) {
			fields[k].name = "(layout record)";
			fields[k].offset = 0;
			fields[k].size = tg->pointer_size;
			fields[k].type = M_NONE;
			fields[k].note = "pointer";
			k++;
		}
		for (i = 0; i < d->u.agg.n_fields; i++, k++) {
			const struct m_field *f = &m->fields[d->u.agg.first_field + i];
			fields[k].name = f->item.name;
			fields[k].offset = lay_field_offset(l, ti, d->u.agg.first_field + i);
			fields[k].size = lay_type(l, ti, f->type)->size;
			fields[k].type = f->type;
			fields[k].note = NULL;
		}
		src = fields;
		n_src = k;
	} else if (d->kind == DECL_ENUM && d->u.enm.data) {
		const struct lay_size *pu = &l->payloads[(size_t)ti * m->n_decls + (uint32_t)(d - m->decls)];
		raw[0].name = "tag";
		raw[0].offset = 0;
		raw[0].size = lay_type(l, ti, d->u.enm.repr)->size;
		raw[0].type = d->u.enm.repr;
		raw[0].note = NULL;
		n_src = 1;
		if (pu->valid) {
			raw[1].name = "payload";
			raw[1].offset = l->payload_offset[(size_t)ti * m->n_decls + (uint32_t)(d - m->decls)];
			raw[1].size = pu->size;
			raw[1].type = M_NONE;
			raw[1].note = "union";
			n_src = 2;
		}
	}
	for (i = 0; i < n_src; i++) {
		if (!is_union && src[i].offset > end) {
			rows[n].name = NULL;
			rows[n].offset = end;
			rows[n].size = src[i].offset - end;
			n++;
		}
		rows[n++] = src[i];
		if (src[i].offset + src[i].size > end)
			end = src[i].offset + src[i].size;
	}
	if (n_src && end < total) {
		rows[n].name = NULL;
		rows[n].offset = end;
		rows[n].size = total - end;
		n++;
	}
	free(fields);
	return n;
}

static uint32_t
max_rows(const struct m_decl *d)
{
	return 2 * (d->kind == DECL_STRUCT || d->kind == DECL_UNION ? d->u.agg.n_fields : 2) + 4;
}

void
be_layout_text(struct outbuf *out, const struct layout *l, uint32_t mi, unsigned target_mask)
{
	const struct model *m = l->m;
	const struct m_module *mod = &m->modules[mi];
	unsigned ti;
	uint32_t di, i;
	char buf[256];
	bool first = true;

	for (ti = 0; ti < TARGET_COUNT; ti++) {
		if (!(target_mask & (1u << ti)))
			continue;
		ob_printf(out, "%s%s (module %s %u.%u)\n", first ? "" : "\n", targets[ti].name,
			  mod->name, mod->version.major, mod->version.minor);
		first = false;
		for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
			const struct m_decl *d = &m->decls[di];
			const struct lay_size *s;
			struct row *rows;
			uint32_t n;
			if (!kind_name(d))
				continue;
			s = lay_type(l, ti, d->type);
			if (!s->valid)
				continue;
			ob_printf(out, "\n%s %s: size %" PRIu64 ", align %u\n", kind_name(d),
				  d->item.name, s->size, s->align);
			rows = xmalloc(max_rows(d) * sizeof *rows);
			n = rows_of(l, ti, d, rows);
			if (n)
				ob_puts(out, "    offset      size  field\n");
			for (i = 0; i < n; i++) {
				const struct row *r = &rows[i];
				ob_printf(out, "  %8" PRIu64 "  %8" PRIu64 "  ", r->offset, r->size);
				if (!r->name)
					ob_puts(out, "(padding)\n");
				else
					ob_printf(out, "%s: %s\n", r->name,
						  r->type == M_NONE ? r->note
						  : model_type_name(m, r->type, mi, buf, sizeof buf));
			}
			free(rows);
		}
	}
}

static void
json_rows(struct outbuf *out, const struct layout *l, unsigned ti, const struct m_decl *d,
	  uint32_t mi, const char *indent)
{
	const struct model *m = l->m;
	struct row *rows = xmalloc(max_rows(d) * sizeof *rows);
	uint32_t n = rows_of(l, ti, d, rows), i, k = 0;
	char buf[256];
	ob_puts(out, "[");
	for (i = 0; i < n; i++) {
		const struct row *r = &rows[i];
		if (!r->name)
			continue;
		ob_printf(out, "%s\n%s{\"name\": ", k++ ? "," : "", indent);
		ob_json_string(out, r->name);
		ob_printf(out, ", \"offset\": %" PRIu64 ", \"size\": %" PRIu64 ", \"type\": ",
			  r->offset, r->size);
		ob_json_string(out, r->type == M_NONE ? r->note
			       : model_type_name(m, r->type, mi, buf, sizeof buf));
		ob_puts(out, "}");
	}
	ob_printf(out, "%s]", k ? "\n         " : "");
	free(rows);
}

void
be_layout_json(struct outbuf *out, const struct layout *l, uint32_t mi, unsigned target_mask)
{
	const struct model *m = l->m;
	const struct m_module *mod = &m->modules[mi];
	unsigned ti;
	uint32_t di, k = 0, i;
	char buf[256];

	ob_puts(out, "{\n  \"format\": 1,\n  \"module\": ");
	ob_json_string(out, mod->name);
	ob_printf(out, ",\n  \"version\": \"%u.%u\",\n  \"targets\": {", mod->version.major,
		  mod->version.minor);
	for (ti = 0; ti < TARGET_COUNT; ti++) {
		uint32_t nt = 0;
		if (!(target_mask & (1u << ti)))
			continue;
		ob_printf(out, "%s\n    \"%s\": {\n      \"types\": [", k++ ? "," : "", targets[ti].name);
		for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
			const struct m_decl *d = &m->decls[di];
			const struct lay_size *s;
			if (!kind_name(d))
				continue;
			s = lay_type(l, ti, d->type);
			if (!s->valid)
				continue;
			ob_printf(out, "%s\n        {\"name\": ", nt++ ? "," : "");
			ob_json_string(out, d->item.name);
			ob_printf(out, ", \"kind\": \"%s\", \"size\": %" PRIu64 ", \"align\": %u,\n"
				  "         \"fields\": ", kind_name(d), s->size, s->align);
			json_rows(out, l, ti, d, mi, "           ");
			if (d->kind == DECL_ENUM) {
				ob_puts(out, ",\n         \"variants\": [");
				for (i = 0; i < d->u.enm.n_variants; i++) {
					uint32_t vi = d->u.enm.first_variant + i;
					const struct m_variant *v = &m->variants[vi];
					uint32_t f;
					ob_printf(out, "%s\n           {\"name\": ", i ? "," : "");
					ob_json_string(out, v->item.name);
					if (type_is_signed((enum type_kind)d->u.enm.repr))
						ob_printf(out, ", \"value\": %" PRId64, (int64_t)v->value);
					else
						ob_printf(out, ", \"value\": %" PRIu64, v->value);
					if (v->has_payload) {
						const struct lay_size *ps = &l->payload[(size_t)ti * m->n_variants + vi];
						ob_printf(out, ", \"payload_size\": %" PRIu64 ", \"payload_align\": %u, \"fields\": [",
							  ps->size, ps->align);
						for (f = 0; f < v->n_fields; f++) {
							const struct m_field *fl = &m->fields[v->first_field + f];
							ob_printf(out, "%s{\"name\": ", f ? ", " : "");
							ob_json_string(out, fl->item.name);
							ob_printf(out, ", \"offset\": %" PRIu64 ", \"size\": %" PRIu64 ", \"type\": ",
								  lay_field_offset(l, ti, v->first_field + f),
								  lay_type(l, ti, fl->type)->size);
							ob_json_string(out, model_type_name(m, fl->type, mi, buf, sizeof buf));
							ob_puts(out, "}");
						}
						ob_puts(out, "]");
					}
					ob_puts(out, "}");
				}
				ob_printf(out, "%s]", i ? "\n         " : "");
			}
			ob_puts(out, "}");
		}
		ob_printf(out, "%s]\n    }", nt ? "\n      " : "");
	}
	ob_puts(out, "\n  }\n}\n");
}
