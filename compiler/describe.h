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

/* A module's descriptor blobs (doc/descriptor.md): the targets fall into
 * descriptor classes (those whose descriptors hold the same layouts and
 * hashes), and class k's blob is the common part, the same for every
 * class, followed by part k.  What the descriptor source and the Rust
 * backend both spell. */
struct desc_blobs {
	uint32_t n;                       /* classes */
	unsigned mask[TARGET_COUNT];      /* class k's targets, bit per target */
	const char *names[TARGET_COUNT];  /* and their names, space-separated */
	uint8_t *bytes;                   /* common part, then the n parts */
	size_t size, common, part;        /* bytes: all, common, each part */
	struct arena names_arena;
};

/* Encodes module mi's blobs into *out, which desc_blobs_free releases
 * whatever this returned; false when they cannot be encoded (a blob
 * past 4 GiB). */
bool desc_encode_module(struct desc_blobs *out, const struct checked *ck, uint32_t mi);
void desc_blobs_free(struct desc_blobs *b);

/* Module mi's blobs, encoded once for all the backends that write them
 * (the descriptor source, the Rust module) and released by ck_free;
 * NULL when they cannot be encoded. */
const struct desc_blobs *desc_module_blobs(const struct checked *ck, uint32_t mi);

#endif
