/* A (scope, name) -> index table over interned names, for whatever needs
 * to find an item by name fast: the resolver's scopes, the backends'
 * name checks. */
#ifndef CHITIN_SYMTAB_H
#define CHITIN_SYMTAB_H

#include "arena.h"

#include <stdint.h>

/* Module scopes hold declarations, member scopes hold fields, variants,
 * methods and parameters; names must be interned (they are compared as
 * pointers). */
struct symtab_entry {
	const char *name;
	uint32_t scope;
	uint32_t value;
};

struct symtab {
	struct symtab_entry *slots;
	uint32_t cap, count;
};

void symtab_init(struct symtab *t);
void symtab_free(struct symtab *t);
/* Returns the value stored for (scope, name), or UINT32_MAX (M_NONE). */
uint32_t symtab_get(const struct symtab *t, uint32_t scope, const char *name);
/* Stores value unless (scope, name) is present; returns the value already
 * there, or UINT32_MAX when value was stored. */
uint32_t symtab_put(struct symtab *t, uint32_t scope, const char *name, uint32_t value);

#endif
