/* The checked program: one pipeline from files to what the backends
 * read, and the views of it they share (layout rows, layout classes). */
#include "checked.h"
#include "describe.h"

#include <stdlib.h>
#include <string.h>

/* Whether every type module mi declares is laid out alike on targets a
 * and b: sizes, alignments, offsets of fields and payloads.  (Interfaces
 * are references, and vtables are pointers after the same header on
 * every target: neither makes a class.) */
static bool
same_layout(const struct checked *ck, uint32_t mi, unsigned a, unsigned b)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	uint32_t di, i, f;
	if (ck->layout.group[a] == ck->layout.group[b])
		return true;   /* laid out once for both */
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &m->decls[di];
		const struct lay_size *sa, *sb;
		if (model_named_kind(d) == NK_NONE || d->kind == DECL_INTERFACE)
			continue;
		sa = ck_decl_size(ck, a, di);
		sb = ck_decl_size(ck, b, di);
		if (!lay_same_size(sa, sb))
			return false;
		if (d->kind == DECL_STRUCT || d->kind == DECL_UNION) {
			for (f = d->u.agg.first_field; f < d->u.agg.first_field + d->u.agg.n_fields; f++)
				if (ck_field_offset(ck, a, f) != ck_field_offset(ck, b, f))
					return false;
		} else if (d->kind == DECL_ENUM && d->u.enm.data) {
			const struct lay_size *pa = ck_payload_union(ck, a, di);
			const struct lay_size *pb = ck_payload_union(ck, b, di);
			if (!lay_same_size(pa, pb) ||
			    ck_payload_union_offset(ck, a, di) != ck_payload_union_offset(ck, b, di))
				return false;
			for (i = 0; i < d->u.enm.n_variants; i++) {
				uint32_t vi = d->u.enm.first_variant + i;
				const struct m_variant *v = &m->variants[vi];
				/* the header asserts each payload struct's size */
				if (v->has_payload &&
				    !lay_same_size(ck_payload_size(ck, a, vi), ck_payload_size(ck, b, vi)))
					return false;
				for (f = v->first_field; f < v->first_field + v->n_fields; f++)
					if (ck_field_offset(ck, a, f) != ck_field_offset(ck, b, f))
						return false;
			}
		}
	}
	return true;
}

static void
compute_classes(struct checked *ck)
{
	const struct model *m = ck->m;
	uint32_t mi, k;
	unsigned ti;
	ck->classes = xcalloc(m->n_modules + 1, sizeof *ck->classes);
	ck->blobs = xcalloc(m->n_modules + 1, sizeof *ck->blobs);
	for (mi = 0; mi < m->n_modules; mi++) {
		struct ck_module_classes *c = &ck->classes[mi];
		/* targets are few and classes fewer: each target is held
		 * against each class found so far */
		for (ti = 0; ti < TARGET_COUNT; ti++) {
			for (k = 0; k < c->n; k++)
				if (same_layout(ck, mi, c->classes[k].first, ti))
					break;
			if (k == c->n) {
				c->classes[k].first = ti;
				c->classes[k].targets = 0;
				c->n++;
			}
			c->classes[k].targets |= 1u << ti;
			c->class_of[ti] = (uint8_t)k;
		}
	}
}

int
ck_build(struct checked *ck, FILE *diag_out, const struct compile_options *o,
	 const char *const *files, uint32_t n_files, enum ck_stage stage)
{
	int status;
	uint32_t i;

	memset(ck, 0, sizeof *ck);
	compile_init(&ck->comp, diag_out);
	ck->m = &ck->comp.model;
	status = compile_run(&ck->comp, o, files, n_files);
	if (status == 2)
		return 2;
	/* The names outputs generate are checked where the model's own
	 * checks ran, so one run reports both. */
	for (i = 0; i < o->n_name_checks && ck->comp.resolved && !diag_stopped(&ck->comp.diag); i++)
		o->name_checks[i](ck->m, &ck->comp.diag);
	if (ck->comp.diag.n_errors)
		return 1;
	/* What only a target can tell (a type too large for 32-bit targets,
	 * a [since] variant that grows its enum) is an error of the input
	 * too. */
	ck->laid_out = true;
	if (!lay_compute(&ck->layout, ck->m, &ck->comp.diag))
		return 1;
	if (stage >= CK_CLASSES) {
		tid_compute(&ck->ids, ck->m, &ck->layout, stage >= CK_IDS);
		compute_classes(ck);
		ck->identified = true;
	}
	return 0;
}

void
ck_free(struct checked *ck)
{
	if (ck->identified)
		tid_free(&ck->ids);
	if (ck->laid_out)
		lay_free(&ck->layout);
	free(ck->classes);
	if (ck->blobs) {
		uint32_t mi;
		for (mi = 0; mi < ck->m->n_modules; mi++)
			desc_blobs_free(&ck->blobs[mi]);
		free(ck->blobs);
	}
	compile_free(&ck->comp);
	memset(ck, 0, sizeof *ck);
}

/* ---- rows ----------------------------------------------------------------------- */

static struct row *
push_row(struct row_buf *b, enum row_kind kind, const char *name, uint64_t offset,
	 uint64_t size, uint32_t type, uint32_t field)
{
	struct row *r = &VEC_PUSH(b->rows, b->n, b->cap);
	r->kind = kind;
	r->name = name;
	r->offset = offset;
	r->size = size;
	r->type = type;
	r->field = field;
	return r;
}

/* Appends member (kind, ...) to b, with the padding before it, given that
 * the members so far end at *end; a union's members all start at 0. */
static void
member(struct row_buf *b, bool is_union, uint64_t *end, enum row_kind kind, const char *name,
       uint64_t offset, uint64_t size, uint32_t type, uint32_t field)
{
	if (!is_union && offset > *end)
		push_row(b, ROW_PADDING, NULL, *end, offset - *end, M_NONE, M_NONE);
	push_row(b, kind, name, offset, size, type, field);
	if (offset + size > *end)
		*end = offset + size;
}

uint32_t
ck_rows(const struct checked *ck, unsigned ti, uint32_t di, struct row_buf *b)
{
	const struct model *m = ck->m;
	const struct m_decl *d = &m->decls[di];
	uint64_t end = 0, total = ck_decl_size(ck, ti, di)->size;
	uint32_t i;
	bool is_union = d->kind == DECL_UNION;

	b->n = 0;
	if (d->kind == DECL_STRUCT || d->kind == DECL_UNION) {
		if (d->kind == DECL_STRUCT && d->u.agg.resilient)
			member(b, false, &end, ROW_RECORD, "(layout record)", 0,
			       targets[ti].pointer_size, M_NONE, M_NONE);
		for (i = 0; i < d->u.agg.n_fields; i++) {
			uint32_t f = d->u.agg.first_field + i;
			member(b, is_union, &end, ROW_FIELD, m->fields[f].item.name,
			       ck_field_offset(ck, ti, f), ck_type_size(ck, ti, m->fields[f].type)->size,
			       m->fields[f].type, f);
		}
	} else if (d->kind == DECL_ENUM && d->u.enm.data) {
		const struct lay_size *pu = ck_payload_union(ck, ti, di);
		member(b, false, &end, ROW_TAG, "tag", 0, ck_type_size(ck, ti, d->u.enm.repr)->size,
		       d->u.enm.repr, M_NONE);
		if (pu->valid)
			member(b, false, &end, ROW_PAYLOAD, "payload", ck_payload_union_offset(ck, ti, di),
			       pu->size, M_NONE, M_NONE);
	}
	if (b->n && end < total)
		push_row(b, ROW_PADDING, NULL, end, total - end, M_NONE, M_NONE);
	return b->n;
}

uint32_t
ck_payload_rows(const struct checked *ck, unsigned ti, uint32_t vi, struct row_buf *b)
{
	const struct model *m = ck->m;
	const struct m_variant *v = &m->variants[vi];
	uint64_t end = 0, total;
	uint32_t f;

	b->n = 0;
	if (!v->has_payload)
		return 0;
	total = ck_payload_size(ck, ti, vi)->size;
	for (f = v->first_field; f < v->first_field + v->n_fields; f++)
		member(b, false, &end, ROW_FIELD, m->fields[f].item.name, ck_field_offset(ck, ti, f),
		       ck_type_size(ck, ti, m->fields[f].type)->size, m->fields[f].type, f);
	if (end < total)
		push_row(b, ROW_PADDING, NULL, end, total - end, M_NONE, M_NONE);
	return b->n;
}

void
row_buf_free(struct row_buf *b)
{
	free(b->rows);
	memset(b, 0, sizeof *b);
}
