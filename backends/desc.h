/* The descriptor source: <module>_desc.c, the module's binary descriptor
 * for each target, to compile into the libraries that use or implement
 * it (doc/abi.md 8.2-8.4). */
#ifndef CHITIN_BE_DESC_H
#define CHITIN_BE_DESC_H

#include "checked.h"
#include "outbuf.h"

/* Writes module mi's descriptor source into out. */
void be_desc_source(struct outbuf *out, const struct checked *ck, uint32_t mi);

#endif
