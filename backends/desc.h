/* The descriptor source: <module>_desc.c, the module's binary descriptor
 * for each target, to compile into the libraries that use or implement
 * it (doc/abi.md 8.2-8.4). */
#ifndef CHITIN_BE_DESC_H
#define CHITIN_BE_DESC_H

#include "layout.h"
#include "outbuf.h"
#include "typeid.h"

/* Writes module mi's descriptor source into out; arena holds scratch. */
void be_desc_source(struct outbuf *out, struct arena *arena, const struct layout *l,
		    const struct typeids *t, uint32_t mi);

#endif
