/* The output set: every file a `gen` run produces, assembled in memory by
 * the backends, then written by one writer — whole or not at all,
 * untouched when unchanged, in a stable order. */
#ifndef CHITIN_OUTPUT_H
#define CHITIN_OUTPUT_H

#include "diag.h"
#include "outbuf.h"

#include <stdbool.h>

struct output_file {
	char *name;                 /* relative to the output directory */
	struct outbuf content;
};

struct output_set {
	struct output_file *files;
	uint32_t n_files, cap_files;
};

void out_init(struct output_set *s);
void out_free(struct output_set *s);

/* Adds a file named name and returns its buffer for the backend to fill.
 * A second file of the same name replaces the first. */
struct outbuf *out_add(struct output_set *s, const char *name);

/* Writes every file into dir: each to a temporary file beside it, then
 * renamed over the target, so a reader never sees half a file; a file
 * whose content is unchanged is not rewritten (its time stays).  With
 * verify, writes nothing and reports each file that would change.  dir
 * and its parents are made when missing (not with verify).  The first
 * file that cannot be written is reported, with its path and why, and
 * ends the run: the files before it are written, none after.
 * Returns 0 when done (or nothing would change), 1 when verify found a
 * change, 2 on an I/O failure (reported to d). */
int out_write(struct output_set *s, const char *dir, bool verify, struct diag *d);

#endif
