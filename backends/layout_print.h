/* `chitin layout`: the computed layout of a module's types, as a table
 * for people (the JSON form is the JSON backend's). */
#ifndef CHITIN_BE_LAYOUT_PRINT_H
#define CHITIN_BE_LAYOUT_PRINT_H

#include "checked.h"
#include "outbuf.h"

/* Writes module mi's types on the targets whose bit is set in
 * target_mask, as a table, to out. */
void be_layout_text(struct outbuf *out, const struct checked *ck, uint32_t mi,
		    unsigned target_mask);

#endif
