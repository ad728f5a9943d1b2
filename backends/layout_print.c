/* The layout table of `chitin layout`: each type's size and alignment,
 * then its rows (fields, padding, tag, payload, record) by offset; an
 * enum's values, and a data enum's variants, each with its payload
 * struct's rows.  Declarations, fields and variants are spelled as the
 * IDL spells them (a data enum is an enum), with the attributes that
 * bear on the layout: [resilient], [align(N)] and [since(X.Y)]. */
#include "backends/layout_print.h"

#include <inttypes.h>
#include <stdio.h>

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

/* "[since(X.Y)] " for an item added in a minor version, else nothing. */
static void
put_since(struct outbuf *out, const struct m_item *item)
{
	if (item->has_since)
		ob_printf(out, "[since(%u.%u)] ", item->since.major, item->since.minor);
}

/* A declaration's heading: "[resilient] struct Settings". */
static void
put_decl_head(struct outbuf *out, const struct m_decl *d, enum named_kind nk)
{
	const char *sep = "[";
	if ((d->kind == DECL_STRUCT || d->kind == DECL_UNION) && d->u.agg.resilient) {
		ob_printf(out, "%sresilient", sep);
		sep = ", ";
	}
	if ((d->kind == DECL_STRUCT || d->kind == DECL_UNION) && d->u.agg.align) {
		ob_printf(out, "%salign(%u)", sep, d->u.agg.align);
		sep = ", ";
	}
	if (d->item.has_since) {
		ob_printf(out, "%ssince(%u.%u)", sep, d->item.since.major, d->item.since.minor);
		sep = ", ";
	}
	if (sep[0] == ',')
		ob_puts(out, "] ");
	/* a data enum is declared as an enum (doc/idl.md 5.5) */
	ob_printf(out, "%s %s", nk == NK_DATA_ENUM ? "enum" : named_kind_names[nk], d->item.name);
}

static void
put_rows(struct outbuf *out, const struct model *m, uint32_t mi, const struct row_buf *rows,
	 const char *indent)
{
	uint32_t i;
	char buf[256];
	if (rows->n)
		ob_printf(out, "%s    offset      size  field\n", indent);
	for (i = 0; i < rows->n; i++) {
		const struct row *r = &rows->rows[i];
		ob_printf(out, "%s  %8" PRIu64 "  %8" PRIu64 "  ", indent, r->offset, r->size);
		if (r->kind == ROW_PADDING) {
			ob_puts(out, "(padding)\n");
			continue;
		}
		if (r->field != M_NONE)
			put_since(out, &m->fields[r->field].item);
		ob_printf(out, "%s: %s\n", r->name,
			  r->type == M_NONE ? row_note(r)
			  : model_type_name(m, r->type, mi, buf, sizeof buf));
	}
}

/* A value or tag as the enum's integer type reads it, into buf. */
static const char *
value_text(const struct m_decl *d, uint64_t v, char *buf, size_t size)
{
	if (type_is_signed((enum type_kind)d->u.enm.repr))
		snprintf(buf, size, "%" PRId64, (int64_t)v);
	else
		snprintf(buf, size, "%" PRIu64, v);
	return buf;
}

/* An enum's values, or a data enum's variants with their payloads (at
 * offsets from the payload's start, which is the enum's payload row). */
static void
put_variants(struct outbuf *out, const struct checked *ck, unsigned ti, uint32_t mi,
	     const struct m_decl *d, struct row_buf *rows)
{
	const struct model *m = ck->m;
	uint32_t i;
	char num[24];
	if (!d->u.enm.data)
		ob_puts(out, "     value  name\n");
	for (i = 0; i < d->u.enm.n_variants; i++) {
		uint32_t vi = d->u.enm.first_variant + i;
		const struct m_variant *v = &m->variants[vi];
		const struct lay_size *ps;
		value_text(d, v->value, num, sizeof num);
		if (!d->u.enm.data) {
			ob_printf(out, "  %8s  ", num);
			put_since(out, &v->item);
			ob_printf(out, "%s\n", v->item.name);
			continue;
		}
		ob_puts(out, "  ");
		put_since(out, &v->item);
		ob_printf(out, "variant %s, tag %s", v->item.name, num);
		if (!v->has_payload) {
			ob_puts(out, "\n");
			continue;
		}
		ps = ck_payload_size(ck, ti, vi);
		ob_printf(out, ": payload size %" PRIu64 ", align %u, at offset %" PRIu64 "\n",
			  ps->size, ps->align, ck_payload_union_offset(ck, ti, (uint32_t)(d - m->decls)));
		ck_payload_rows(ck, ti, vi, rows);
		put_rows(out, m, mi, rows, "  ");
	}
}

void
be_layout_text(struct outbuf *out, const struct checked *ck, uint32_t mi, unsigned target_mask)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	struct row_buf rows = { NULL, 0, 0 };
	unsigned ti;
	uint32_t di;
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
			ob_puts(out, "\n");
			put_decl_head(out, d, nk);
			ob_printf(out, ": size %" PRIu64 ", align %u\n", s->size, s->align);
			ck_rows(ck, ti, di, &rows);
			put_rows(out, m, mi, &rows, "");
			if (d->kind == DECL_ENUM)
				put_variants(out, ck, ti, mi, d, &rows);
		}
	}
	row_buf_free(&rows);
}
