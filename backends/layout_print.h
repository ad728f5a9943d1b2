/* `chitin layout`: the computed layout of a module's types, as a table
 * for people or as JSON (DESIGN §5). */
#ifndef CHITIN_BE_LAYOUT_PRINT_H
#define CHITIN_BE_LAYOUT_PRINT_H

#include "layout.h"
#include "outbuf.h"

/* Writes module mi's types on the targets whose bit is set in
 * target_mask, as a table (json false) or JSON, to out. */
void be_layout_text(struct outbuf *out, const struct layout *l, uint32_t mi,
		    unsigned target_mask);
void be_layout_json(struct outbuf *out, const struct layout *l, uint32_t mi,
		    unsigned target_mask);

#endif
