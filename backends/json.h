/* JSON: the layout of `chitin layout --json` and the module descriptor of
 * `chitin gen --json` (schema in doc/abi.md, "The JSON descriptor"). */
#ifndef CHITIN_BE_JSON_H
#define CHITIN_BE_JSON_H

#include "checked.h"
#include "outbuf.h"

/* `chitin layout --json`: module mi's types on the targets in mask. */
void be_json_layout(struct outbuf *out, const struct checked *ck, uint32_t mi,
		    unsigned target_mask);

/* `chitin gen --json`: module mi's whole descriptor on every target. */
void be_json_descriptor(struct outbuf *out, const struct checked *ck, uint32_t mi);

#endif
