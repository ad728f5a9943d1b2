/* A growable byte buffer that outputs are assembled in before anything
 * is written to a file. */
#ifndef CHITIN_OUTBUF_H
#define CHITIN_OUTBUF_H

#include "diag.h"

#include <stdarg.h>
#include <stddef.h>

struct outbuf {
	char *data;           /* NUL-terminated; malloc'd */
	size_t len, cap;
};

void ob_init(struct outbuf *b);
void ob_free(struct outbuf *b);
void ob_put(struct outbuf *b, const char *s, size_t n);
void ob_puts(struct outbuf *b, const char *s);
void ob_putc(struct outbuf *b, char c);
void ob_printf(struct outbuf *b, const char *fmt, ...) DIAG_PRINTF(2, 3);
/* Appends s as a JSON string literal, quotes included. */
void ob_json_string(struct outbuf *b, const char *s);

#endif
