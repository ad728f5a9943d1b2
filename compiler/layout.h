/* The layout engine: size, alignment and field offsets of every type of
 * the model on every target (doc/abi.md says what each kind becomes). */
#ifndef CHITIN_LAYOUT_H
#define CHITIN_LAYOUT_H

#include "diag.h"
#include "model.h"
#include "target.h"

struct lay_size {
	uint64_t size;
	uint32_t align;
	bool valid;           /* false: the type could not be laid out */
};

/* Targets whose parameters (pointer size, alignment of 8-byte scalars,
 * largest object) are the same lay out everything alike, so layouts are
 * computed and kept once per such group: everything below is indexed
 * [group * count + index], and the accessors take a target. */
struct layout {
	const struct model *m;
	unsigned n_groups;
	uint8_t group[TARGET_COUNT];  /* by target */
	uint8_t first[TARGET_COUNT];  /* by group: its first target */
	struct lay_size *type;        /* by type index */
	uint64_t *field_offset;       /* by field index, within its owner */
	struct lay_size *payload;     /* by variant: the payload struct */
	uint64_t *payload_offset;     /* by decl: data enum's payload union */
	struct lay_size *payloads;    /* by decl: data enum's payload union */
};

/* Lays out every type of m on every target.  Reports what only a target
 * can tell (too large, [align] below the natural alignment, a [since]
 * variant that grows its enum) to d.  Returns false if anything was. */
bool lay_compute(struct layout *l, const struct model *m, struct diag *d);
void lay_free(struct layout *l);

/* Whether two types have the same size and alignment. */
static inline bool
lay_same_size(const struct lay_size *a, const struct lay_size *b)
{
	return a->size == b->size && a->align == b->align;
}

static inline const struct lay_size *
lay_type(const struct layout *l, unsigned target, uint32_t t)
{
	return &l->type[(size_t)l->group[target] * l->m->n_types + t];
}

static inline uint64_t
lay_field_offset(const struct layout *l, unsigned target, uint32_t f)
{
	return l->field_offset[(size_t)l->group[target] * l->m->n_fields + f];
}

#endif
