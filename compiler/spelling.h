/* chitin's spelling of a type written as C or Rust write it (doc/idl.md
 * 10): the one table behind the checker's "unknown type" hints and the
 * parser's suggestions for C's function pointers. */
#ifndef CHITIN_SPELLING_H
#define CHITIN_SPELLING_H

#include <stdbool.h>
#include <stddef.h>

/* For a type written with C's words (`int`, `unsigned long long`,
 * `signed char`, `long double`; the scanner joins them one space apart):
 * sets *exact to the fixed-width chitin type, or to NULL when its size
 * differs between targets (`long`, `long double`), writes into why what
 * chitin writes instead, and returns true.  Returns false for any other
 * name, and for words that make no C type (`short long`). */
bool spell_c_words(const char *name, const char **exact, char *why, size_t size);

/* For a type name that C or Rust programmers reach for (`uint32_t`,
 * `size_t`, `_Bool`, `String`, `Vec`, `i128`): sets *spelling to chitin's
 * type, or to NULL for the 128-bit integers, which chitin lacks, and
 * returns true.  Returns false for any other name. */
bool spell_type_name(const char *name, const char **spelling);

#endif
