/* The layout table and its JSON form. */
#include "layout.h"
#include "backends/layout_print.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

const char *
be_kind_name(const struct m_decl *d)
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

uint32_t
be_layout_rows(const struct layout *l, unsigned ti, const struct m_decl *d, struct be_row *rows)
{
	const struct model *m = l->m;
	const struct target *tg = &targets[ti];
	struct be_row raw[4];
	const struct be_row *src = raw;
	struct be_row *fields = NULL;
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
			fields[k].field = M_NONE;
			k++;
		}
		for (i = 0; i < d->u.agg.n_fields; i++, k++) {
			const struct m_field *f = &m->fields[d->u.agg.first_field + i];
			fields[k].name = f->item.name;
			fields[k].offset = lay_field_offset(l, ti, d->u.agg.first_field + i);
			fields[k].size = lay_type(l, ti, f->type)->size;
			fields[k].type = f->type;
			fields[k].note = NULL;
			fields[k].field = d->u.agg.first_field + i;
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
		raw[0].field = M_NONE;
		n_src = 1;
		if (pu->valid) {
			raw[1].name = "payload";
			raw[1].offset = l->payload_offset[(size_t)ti * m->n_decls + (uint32_t)(d - m->decls)];
			raw[1].size = pu->size;
			raw[1].type = M_NONE;
			raw[1].note = "union";
			raw[1].field = M_NONE;
			n_src = 2;
		}
	}
	for (i = 0; i < n_src; i++) {
		if (!is_union && src[i].offset > end) {
			rows[n].name = NULL;
			rows[n].offset = end;
			rows[n].size = src[i].offset - end;
			rows[n].field = M_NONE;
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
		rows[n].field = M_NONE;
		n++;
	}
	free(fields);
	return n;
}

uint32_t
be_layout_max_rows(const struct m_decl *d)
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
			struct be_row *rows;
			uint32_t n;
			if (!be_kind_name(d))
				continue;
			s = lay_type(l, ti, d->type);
			if (!s->valid)
				continue;
			ob_printf(out, "\n%s %s: size %" PRIu64 ", align %u\n", be_kind_name(d),
				  d->item.name, s->size, s->align);
			rows = xmalloc(be_layout_max_rows(d) * sizeof *rows);
			n = be_layout_rows(l, ti, d, rows);
			if (n)
				ob_puts(out, "    offset      size  field\n");
			for (i = 0; i < n; i++) {
				const struct be_row *r = &rows[i];
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
