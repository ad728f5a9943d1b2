/* Source files and diagnostics: locations, the GNU message format, carets,
 * notes and the error count. */
#ifndef CHITIN_DIAG_H
#define CHITIN_DIAG_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* A span of one source file: byte offsets [begin, end). */
struct loc {
	uint32_t file;
	uint32_t begin, end;
};

struct source {
	char *name;              /* as shown in diagnostics */
	char *path;              /* as opened; NULL for standard input */
	char *text;              /* NUL-terminated; may hold NUL bytes */
	uint32_t len;
	uint32_t *line_starts;   /* byte offset of each line; NULL until a
				  * diagnostic needs them */
	uint32_t n_lines;
};

enum diag_level { DIAG_ERROR, DIAG_WARNING, DIAG_NOTE };

struct diag {
	struct source **files;
	uint32_t n_files, cap_files;
	unsigned n_errors, n_warnings;
	unsigned max_errors;     /* 0: no cap */
	bool capped;             /* the cap was reached; stop reporting */
	bool last_shown;         /* whether notes attach to a shown message */
	FILE *out;
};

void diag_init(struct diag *d, FILE *out);
void diag_free(struct diag *d);

/* Registers a source; takes ownership of text (malloc'd, len bytes plus a
 * NUL).  Returns the file index used in locations. */
uint32_t diag_add_source(struct diag *d, const char *name, const char *path,
			 char *text, uint32_t len);

/* Line and column (1-based; columns count code points) of a byte offset. */
void diag_line_col(const struct diag *d, uint32_t file, uint32_t offset,
		   uint32_t *line, uint32_t *col);

/* Reports a message at loc, with the source line and a caret underline.
 * Notes attach to the preceding error or warning and are dropped with it
 * once the error cap is reached. */
#if defined(__GNUC__)
#define DIAG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define DIAG_PRINTF(a, b)
#endif
void diag_error(struct diag *d, struct loc at, const char *fmt, ...) DIAG_PRINTF(3, 4);
void diag_warning(struct diag *d, struct loc at, const char *fmt, ...) DIAG_PRINTF(3, 4);
void diag_note(struct diag *d, struct loc at, const char *fmt, ...) DIAG_PRINTF(3, 4);
void diag_vreport(struct diag *d, enum diag_level level, struct loc at,
		  const char *fmt, va_list ap) DIAG_PRINTF(4, 0);
/* A message with no location ("chitin: error: ..."), for usage and I/O. */
void diag_plain(struct diag *d, enum diag_level level, const char *fmt, ...) DIAG_PRINTF(3, 4);

/* True once the error cap was reached: callers stop early. */
bool diag_stopped(const struct diag *d);

/* Writes a quoted, printable, length-limited rendering of n bytes of s into
 * buf (for naming tokens in messages: a megabyte identifier is shortened). */
const char *diag_quote(char *buf, size_t size, const char *s, size_t n);

#endif
