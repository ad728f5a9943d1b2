/* A JSON reader, for reading descriptors back: the whole document into
 * an arena-allocated tree.  Integers only (chitin writes no fractions). */
#ifndef CHITIN_JSONREAD_H
#define CHITIN_JSONREAD_H

#include "arena.h"

#include <stdbool.h>
#include <stdint.h>

enum jv_kind { JV_NULL, JV_BOOL, JV_INT, JV_STRING, JV_ARRAY, JV_OBJECT };

struct jv {
	enum jv_kind kind;
	bool truth;           /* JV_BOOL */
	bool negative;        /* JV_INT: the value is -magnitude */
	uint64_t magnitude;   /* JV_INT */
	const char *str;      /* JV_STRING, unescaped, NUL-terminated */
	struct jv *items;     /* JV_ARRAY, JV_OBJECT (values) */
	const char **keys;    /* JV_OBJECT */
	uint32_t n;
};

/* Parses len bytes of text.  Returns NULL with "line N: why" in err on
 * malformed input (nesting deeper than 64 levels included). */
struct jv *json_parse(struct arena *a, const char *text, size_t len, char *err,
		      size_t err_size);

/* The value of hexadecimal digit c, or -1. */
int json_hex_digit(char c);

/* The value of key in object o, or NULL (also when o is not an object). */
const struct jv *jv_get(const struct jv *o, const char *key);

#endif
