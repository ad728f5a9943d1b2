/* Module descriptors (runtime/include/chitin/descriptor.h) from the
 * checked model, and from a JSON descriptor read back. */
#ifndef CHITIN_DESCRIBE_H
#define CHITIN_DESCRIBE_H

#include "arena.h"
#include "checked.h"
#include "jsonread.h"
#include "outbuf.h"

#include <chitin/descriptor.h>

/* Fills *out with module mi's descriptor on target ti; arrays and
 * strings live in arena. */
void desc_from_model(struct chitin_descriptor *out, struct arena *arena,
		     const struct checked *ck, uint32_t mi, unsigned ti);

/* Fills *out from a JSON descriptor (`chitin gen --json`) for the target
 * named target.  Returns false with a message in err when the document
 * does not have the expected shape. */
bool desc_from_json(struct chitin_descriptor *out, struct arena *arena,
		    const struct jv *root, const char *target, char *err, size_t err_size);

/* chitin_desc_compare(host, plugin, required_minor, report) with work
 * memory of its own, allocated and freed here. */
uint32_t desc_compare(const struct chitin_descriptor *host,
		      const struct chitin_descriptor *plugin, uint16_t required_minor,
		      struct chitin_desc_report *report);

/* Appends the problems of report r, a line each after indent, and a
 * line saying so when it holds only the first ones. */
void desc_put_report(struct outbuf *out, const struct chitin_desc_report *r, const char *indent);

/* Appends one target's report, one (lines of problems; nothing if
 * empty): "on TARGET:" and the lines, or "on TARGET: the same" when they
 * are the lines of the last target reported so, which last holds. */
void desc_put_target_report(struct outbuf *out, struct outbuf *last, const char *target,
			    const struct outbuf *one);

#endif
