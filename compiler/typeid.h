/* Type ids, layout hashes and signature hashes (doc/abi.md, "Ids and
 * hashes"): the identity of every named type, and a fingerprint of every
 * type's representation and every call's signature on each target. */
#ifndef CHITIN_TYPEID_H
#define CHITIN_TYPEID_H

#include "layout.h"
#include "model.h"

#include <chitin/hash.h>

#include <assert.h>

struct typeids {
	const struct model *m;
	chitin_hash128 *decl_id;       /* by decl: named types' ids */
	/* by the layout's groups of targets (struct layout), as it has them */
	unsigned n_groups;
	uint8_t group[TARGET_COUNT];   /* by target */
	chitin_hash128 *layout_hash;   /* [group * n_types + type] */
	chitin_hash128 *payload_hash;  /* [group * n_variants + variant] */
	chitin_hash128 *sig_hash;      /* [group * n_methods + method] */
	bool hashed;                   /* the hashes are computed */
};

/* Computes every id of m and, when hashes is set, every hash on every
 * target from its layout (the C header needs the ids alone). */
void tid_compute(struct typeids *t, const struct model *m, const struct layout *l, bool hashes);
void tid_free(struct typeids *t);

static inline const chitin_hash128 *
tid_layout_hash(const struct typeids *t, unsigned target, uint32_t type)
{
	assert(t->hashed);
	return &t->layout_hash[(size_t)t->group[target] * t->m->n_types + type];
}

static inline const chitin_hash128 *
tid_sig_hash(const struct typeids *t, unsigned target, uint32_t method)
{
	assert(t->hashed);
	return &t->sig_hash[(size_t)t->group[target] * t->m->n_methods + method];
}

#endif
