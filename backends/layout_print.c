/* The layout table of `chitin layout`: each type's size and alignment,
 * then its rows (fields, padding, tag, payload, record) by offset. */
#include "backends/layout_print.h"

#include <inttypes.h>

/* What a row holds, where it is not a field of a named type. */
static const char *
row_note(const struct row *r)
{
	switch (r->kind) {
	case ROW_RECORD: return "pointer";
	case ROW_PAYLOAD: return "union";
	default: return "";
	}
}

void
be_layout_text(struct outbuf *out, const struct checked *ck, uint32_t mi, unsigned target_mask)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	struct row_buf rows = { NULL, 0, 0 };
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
			enum named_kind nk = model_named_kind(d);
			if (nk == NK_NONE)
				continue;
			s = ck_decl_size(ck, ti, di);
			ob_printf(out, "\n%s %s: size %" PRIu64 ", align %u\n", named_kind_names[nk],
				  d->item.name, s->size, s->align);
			if (ck_rows(ck, ti, di, &rows))
				ob_puts(out, "    offset      size  field\n");
			for (i = 0; i < rows.n; i++) {
				const struct row *r = &rows.rows[i];
				ob_printf(out, "  %8" PRIu64 "  %8" PRIu64 "  ", r->offset, r->size);
				if (r->kind == ROW_PADDING)
					ob_puts(out, "(padding)\n");
				else
					ob_printf(out, "%s: %s\n", r->name,
						  r->type == M_NONE ? row_note(r)
						  : model_type_name(m, r->type, mi, buf, sizeof buf));
			}
		}
	}
	row_buf_free(&rows);
}
