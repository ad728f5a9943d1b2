/* A growable byte buffer that a backend writes an output into.  In
 * memory (for tests and the fuzz target) it keeps everything; given a
 * sink (the output writer's), it hands its contents over in large pieces
 * at the points where the backend says it may (ob_flush_point), so an
 * output is streamed, never held whole. */
#ifndef CHITIN_OUTBUF_H
#define CHITIN_OUTBUF_H

#include "diag.h"

#include <stdarg.h>
#include <stddef.h>
#include <string.h>
#include <stdint.h>

struct outbuf {
	char *data;           /* NUL-terminated; malloc'd */
	size_t len, cap;
	/* Where the contents go at a flush point: NULL keeps them. */
	void (*sink)(void *ctx, const char *data, size_t n);
	void *sink_ctx;
	uint64_t flushed;     /* bytes handed to the sink so far */
};

void ob_init(struct outbuf *b);
void ob_free(struct outbuf *b);
/* Makes room for n more bytes and the NUL after them. */
void ob_grow(struct outbuf *b, size_t n);

/* The appends every backend makes for each piece of text it writes:
 * inline, so a piece costs a copy, not a call. */
static inline void
ob_put(struct outbuf *b, const char *s, size_t n)
{
	if (b->len + n + 1 > b->cap)
		ob_grow(b, n);
	memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

static inline void
ob_puts(struct outbuf *b, const char *s)
{
	ob_put(b, s, strlen(s));
}

static inline void
ob_putc(struct outbuf *b, char c)
{
	if (b->len + 2 > b->cap)
		ob_grow(b, 1);
	b->data[b->len++] = c;
	b->data[b->len] = '\0';
}
void ob_printf(struct outbuf *b, const char *fmt, ...) DIAG_PRINTF(2, 3);
/* Appends s as a JSON string literal, quotes included. */
void ob_json_string(struct outbuf *b, const char *s);
/* Appends v in decimal: the hot paths' integers, without printf. */
void ob_u64(struct outbuf *b, uint64_t v);
/* Writes v in decimal into text, unterminated; returns its length. */
size_t u64_text(char text[20], uint64_t v);

/* Where a backend is between items (nothing of the buffer will be looked
 * at or rewritten again): with a sink, hands the buffer over once it has
 * grown large.  Without one, does nothing. */
void ob_flush_point(struct outbuf *b);
/* Hands everything buffered to the sink (the writer's last step). */
void ob_flush(struct outbuf *b);

#endif
