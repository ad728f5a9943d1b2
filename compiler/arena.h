/* Arenas and string interning: the memory every compilation lives in. */
#ifndef CHITIN_ARENA_H
#define CHITIN_ARENA_H

#include <stddef.h>
#include <stdint.h>
#include <stdbool.h>

/* A bump allocator made of chained blocks; everything it hands out is freed
 * at once by arena_free.  Allocations are 8-byte aligned: enough for
 * every type the compiler keeps (no long double, no vector types). */
struct arena_block;
struct arena {
	struct arena_block *head;
	size_t total;            /* bytes obtained from malloc, for the bench */
};

void arena_init(struct arena *a);
/* Returns n zeroed bytes that live until arena_free; never returns NULL
 * (allocation failure aborts with a message, as the compiler cannot go on). */
void *arena_alloc(struct arena *a, size_t n);
/* Copies n bytes of s and a terminating NUL into the arena. */
char *arena_strndup(struct arena *a, const char *s, size_t n);
void arena_free(struct arena *a);

/* Interned strings: equal contents give the same pointer, so names compare
 * with ==.  The strings live in the interner's arena. */
struct intern {
	struct arena *arena;
	const char **slots;
	uint32_t *hashes;
	size_t cap, count;
};

void intern_init(struct intern *in, struct arena *a);
const char *intern_str(struct intern *in, const char *s, size_t n);
void intern_free(struct intern *in);

/* FNV-1a over n bytes; the hash behind every table of the compiler. */
uint32_t hash_bytes(const void *p, size_t n, uint32_t seed);

/* A 64-bit hash of n bytes, eight at a time; for tables keyed on bytes
 * that are hashed often (names made by the backends). */
uint64_t hash_fast(const void *p, size_t n);

/* malloc/realloc that abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t n);

/* Growable arrays: a pointer, a length and a capacity named after it.
 *   struct field *fields; uint32_t n_fields, cap_fields;
 *   VEC_PUSH(fields, n_fields, cap_fields) = f;                          */
#define VEC_GROW(ptr, n, cap)                                              \
	((n) < (cap) ? (void)0                                              \
	 : (void)((cap) = (cap) ? 2 * (cap) : 8,                            \
		  (ptr) = xrealloc((ptr), (size_t)(cap) * sizeof *(ptr))))
#define VEC_PUSH(ptr, n, cap) (*(VEC_GROW(ptr, n, cap), &(ptr)[(n)++]))
/* Makes room for want elements in all, when it is known beforehand. */
#define VEC_RESERVE(ptr, cap, want)                                        \
	((want) <= (cap) ? (void)0                                          \
	 : (void)((cap) = (want),                                           \
		  (ptr) = xrealloc((ptr), (size_t)(cap) * sizeof *(ptr))))

#endif
