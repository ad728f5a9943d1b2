/* What host.c and plugin.c of tests/run-kinds.sh share: owned strings,
 * vecs and callback contexts that one side makes and that only its own
 * release functions free, counting what they make and release.  own.c is
 * compiled into each side, so each has its own counts, and a value
 * released by the other side's function (or twice) counts as bad. */
#ifndef KINDS_OWN_H
#define KINDS_OWN_H

#include "ku.h"

#include <stdbool.h>
#include <stddef.h>

/* An owned copy of the len bytes at bytes, or of the C string text. */
void own_string_from(const void *bytes, size_t len, chitin_string *out);
void own_string(const char *text, chitin_string *out);

/* Owned vecs of the n elements at elems (copied; strings are moved in,
 * so the vec owns them).  Each gets a capacity above its length, which
 * its release checks is handed back unchanged. */
void own_vec_i32(const int32_t *elems, size_t n, chitin_vec_i32 *out);
void own_vec_u16(const uint16_t *elems, size_t n, chitin_vec_u16 *out);
void own_vec_u32(const uint32_t *elems, size_t n, chitin_vec_u32 *out);
void own_vec_string(chitin_string *elems, size_t n, chitin_vec_string *out);
/* An owned vec of owned copies of the n C strings at texts. */
void own_words(const char *const *texts, size_t n, chitin_vec_string *out);

/* Tracked storage of size bytes for a callback's context, and its
 * release: true when ctx was live storage of this side's. */
void *own_ctx(size_t size);
bool own_ctx_free(void *ctx);

/* This side's objects: one more alive, one fewer. */
void own_object_made(void);
void own_object_gone(void);

/* What this side made and released so far. */
ku_Counts own_counts(void);

/* What fill writes: the extremes of every scalar. */
ku_Scalars own_extremes(void);

/* Whether the len bytes at ptr are the C string text. */
bool own_text_is(const uint8_t *ptr, size_t len, const char *text);

/* Releases what an owned value holds, by the release functions it
 * carries (doc/abi.md 4, rule 7), whichever side made it, and empties
 * what it released (chitin_string_release and chitin_vec_*_release do
 * the same for strings and vecs).  A shape of a tag this side does not know is left
 * alone: nobody can tell what its payload owns. */
void own_release_record(ku_Record *r);
void own_release_shape(ku_Shape *s);

#endif
