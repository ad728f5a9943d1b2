/* `chitin inspect`: the descriptors a built binary carries, read from its
 * bytes without loading it (compiler/objfile.h), listed as text or as
 * JSON (doc/descriptor.md 13), or compared with a JSON descriptor as the
 * loader compares a plugin with its host. */
#ifndef CHITIN_INSPECT_H
#define CHITIN_INSPECT_H

#include "arena.h"
#include "jsonread.h"
#include "outbuf.h"

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct insp_options {
	const char *file_name;        /* the file, as messages name it */
	bool json;                    /* list as JSON rather than text */
	/* --against: the JSON descriptor (`chitin gen --json`) that the
	 * descriptors of its module are compared with, as the host's, and
	 * its file name; NULL to list the descriptors instead. */
	const struct jv *against;
	const char *against_name;
	struct arena *arena;          /* what is read from against lives here */
};

/* Inspects the len bytes of a file: writes the listing, or with against
 * the verdict, to out, and errors (each a line "FILE: error: ...") to err.
 * Returns the exit status: 0, or 1 when the file is not a binary chitin
 * reads, has no descriptor, has one that does not decode (the others
 * are listed), or with against is not compatible or against is not a
 * JSON descriptor of a module it has.  Never reads outside file[0, len);
 * takes time and memory linear in len and the size of against. */
int insp_file(const uint8_t *file, size_t len, const struct insp_options *o,
	      struct outbuf *out, struct outbuf *err);

#endif
