/* The attribute table: which attributes exist, what argument each takes,
 * and where each may appear.  The resolver validates every attribute list
 * against it in one place. */
#ifndef CHITIN_ATTRS_H
#define CHITIN_ATTRS_H

#include "ast.h"
#include "diag.h"

/* Places an attribute can be written. */
enum attr_place {
	AT_MODULE = 1 << 0,
	AT_CONST = 1 << 1,
	AT_STRUCT = 1 << 2,
	AT_UNION = 1 << 3,
	AT_ENUM = 1 << 4,
	AT_CALLBACK = 1 << 5,
	AT_INTERFACE = 1 << 6,
	AT_EXPORT = 1 << 7,
	AT_FIELD = 1 << 8,
	AT_VARIANT = 1 << 9,
	AT_METHOD = 1 << 10,
	AT_PARAM = 1 << 11,
};
#define AT_DECLS (AT_CONST | AT_STRUCT | AT_UNION | AT_ENUM | AT_CALLBACK | \
		  AT_INTERFACE | AT_EXPORT)

/* name, argument, whether the argument may be left out, places. */
#define ATTRS(X)                                                              \
	X(ATTR_VERSION, "version", ARG_VERSION, false, AT_MODULE)             \
	X(ATTR_UUID, "uuid", ARG_UUID, false, AT_INTERFACE)                   \
	X(ATTR_RESILIENT, "resilient", ARG_NONE, false, AT_STRUCT)            \
	X(ATTR_SINCE, "since", ARG_VERSION, false,                            \
	  AT_DECLS | AT_FIELD | AT_VARIANT | AT_METHOD)                       \
	X(ATTR_BASE, "base", ARG_NONE, false, AT_INTERFACE)                   \
	X(ATTR_THREADSAFE, "threadsafe", ARG_NONE, false, AT_INTERFACE)       \
	X(ATTR_DEPRECATED, "deprecated", ARG_STRING, true,                    \
	  AT_DECLS | AT_FIELD | AT_VARIANT | AT_METHOD)                       \
	X(ATTR_SYMBOL, "symbol", ARG_STRING, false, AT_EXPORT)                \
	X(ATTR_IN, "in", ARG_NONE, false, AT_PARAM)                           \
	X(ATTR_OUT, "out", ARG_NONE, false, AT_PARAM)                         \
	X(ATTR_INOUT, "inout", ARG_NONE, false, AT_PARAM)                     \
	X(ATTR_ALIGN, "align", ARG_INT, false, AT_STRUCT | AT_UNION)

enum attr_kind {
#define X(k, name, arg, optional, places) k,
	ATTRS(X)
#undef X
	ATTR_COUNT
};

/* The validated attributes of one item: by_kind[k] is the attribute of
 * kind k, or NULL. */
struct attr_set {
	const struct ast_attr *by_kind[ATTR_COUNT];
};

/* Checks list against the table for an item at place (one AT_ bit),
 * reporting unknown attributes, wrong places, wrong or missing arguments
 * and repeats; fills out with the valid ones.  what names the item in
 * messages ("a struct").  Returns false if anything was reported. */
bool attrs_check(struct diag *d, const struct ast_attr *list,
		 enum attr_place place, const char *what, struct attr_set *out);

/* Parses the text of a uuid(...) argument (8-4-4-4-12 hex digits) into
 * RFC 9562 byte order; false if malformed. */
bool attrs_parse_uuid(const char *text, uint8_t out[16]);

/* The name of place, as messages print it ("interface"). */
const char *attrs_place_name(enum attr_place place);

#endif
