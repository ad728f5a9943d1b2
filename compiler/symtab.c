/* The (scope, name) table: open addressing over interned names. */
#include "symtab.h"

#include <stdlib.h>

void
symtab_init(struct symtab *t)
{
	t->cap = 1024;
	t->count = 0;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
}

void
symtab_free(struct symtab *t)
{
	free(t->slots);
	t->slots = NULL;
	t->cap = t->count = 0;
}

/* Names are interned, so the pointer is the key; a multiplicative mix
 * is enough and much cheaper than hashing bytes. */
static uint32_t
symtab_hash(uint32_t scope, const char *name)
{
	uint64_t h = ((uint64_t)(uintptr_t)name >> 3) * 0x9E3779B97F4A7C15u;
	h ^= (uint64_t)scope * 0xC2B2AE3D27D4EB4Fu;
	h ^= h >> 29;
	h *= 0xBF58476D1CE4E5B9u;
	return (uint32_t)(h ^ (h >> 32));
}

uint32_t
symtab_get(const struct symtab *t, uint32_t scope, const char *name)
{
	uint32_t i;
	for (i = symtab_hash(scope, name) & (t->cap - 1); t->slots[i].name;
	     i = (i + 1) & (t->cap - 1))
		if (t->slots[i].name == name && t->slots[i].scope == scope)
			return t->slots[i].value;
	return UINT32_MAX;
}

static void
symtab_grow(struct symtab *t)
{
	struct symtab_entry *old = t->slots;
	uint32_t old_cap = t->cap, i;
	t->cap *= 2;
	t->slots = xcalloc(t->cap, sizeof *t->slots);
	for (i = 0; i < old_cap; i++) {
		uint32_t j;
		if (!old[i].name)
			continue;
		for (j = symtab_hash(old[i].scope, old[i].name) & (t->cap - 1);
		     t->slots[j].name; j = (j + 1) & (t->cap - 1))
			;
		t->slots[j] = old[i];
	}
	free(old);
}

uint32_t
symtab_put(struct symtab *t, uint32_t scope, const char *name, uint32_t value)
{
	uint32_t i;
	if (2 * (t->count + 1) > t->cap)
		symtab_grow(t);
	for (i = symtab_hash(scope, name) & (t->cap - 1); t->slots[i].name;
	     i = (i + 1) & (t->cap - 1))
		if (t->slots[i].name == name && t->slots[i].scope == scope)
			return t->slots[i].value;
	t->slots[i].name = name;
	t->slots[i].scope = scope;
	t->slots[i].value = value;
	t->count++;
	return UINT32_MAX;
}
