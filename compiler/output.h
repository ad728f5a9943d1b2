/* The output set: every file a `gen` run produces.  Backends write into
 * an output's buffer; a streaming set hands the buffer to a temporary
 * file beside the output as it fills, comparing it with the file already
 * there, and out_commit renames it over the output, or drops it when
 * nothing changed (the file's time stays).  A set kept in memory (tests,
 * the fuzz target, the dependency file) is written the same way by
 * out_write. */
#ifndef CHITIN_OUTPUT_H
#define CHITIN_OUTPUT_H

#include "diag.h"
#include "outbuf.h"

#include <stdbool.h>
#include <stdio.h>

struct output_file {
	char *name;                 /* relative to the output directory */
	struct outbuf content;      /* the output, or what is not yet streamed */
	/* Streaming: */
	char *path, *tmp;           /* the output, and its temporary file */
	FILE *tmp_file;             /* NULL with verify */
	FILE *old;                  /* the output as it is, NULL if none */
	bool differs;               /* the content is not the old file's */
	int error;                  /* errno of the first failure; 0 if none */
	const char *error_path;     /* what failed */
	bool ended;                 /* written whole, or dropped */
	bool pending;               /* its temporary waits for the set's commit */
	bool anonymous;             /* the temporary has no name until then
				     * (Linux's O_TMPFILE): a kill leaves none */
	bool tmp_named;             /* the temporary exists under tmp */
	int tmp_slot;               /* in the signal handler's list; -1 none */
};

struct output_set {
	struct output_file **files; /* each allocated alone: buffers stay put */
	uint32_t n_files, cap_files;
	const char *dir;            /* streaming: where the files go */
	bool streaming, verify;
	struct diag *d;             /* streaming: where failures are reported */
	int status;                 /* streaming: of the files ended so far */
};

/* An empty set kept in memory. */
void out_init(struct output_set *s);
/* Removes any temporary file left and frees everything. */
void out_free(struct output_set *s);

/* Makes s a streaming set writing into dir, made with its parents when
 * missing (not with verify, which writes nothing and only compares).
 * Returns 0, or 2 after reporting a directory that cannot be made. */
int out_stream(struct output_set *s, const char *dir, bool verify, struct diag *d);

/* Adds a file named name and returns its buffer for a backend to fill;
 * the buffer stays valid until out_free.  In a streaming set, the file
 * added before it is ended first (renamed into place or dropped), so one
 * file at a time is open; after a failure, what is added is dropped. */
struct outbuf *out_add(struct output_set *s, const char *name);

/* Finishes a streaming set: each file renamed over its output, or
 * dropped when unchanged; with verify, each file that would change is
 * reported.  The first file that cannot be written is reported, with its
 * path and why, and ends the run: the outputs before it are written,
 * none after.  Returns 0 when done (or nothing would change), 1 when
 * verify found a change, 2 on an I/O failure.  Files are in name order
 * afterwards. */
int out_commit(struct output_set *s);

/* Writes a set kept in memory into dir, as a streaming set would have. */
int out_write(struct output_set *s, const char *dir, bool verify, struct diag *d);

#endif
