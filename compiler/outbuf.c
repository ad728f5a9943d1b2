/* Growable output buffers. */
#include "outbuf.h"
#include "arena.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A flush point hands the buffer over once it holds this much. */
enum { FLUSH_AT = 1 << 16 };

void
ob_init(struct outbuf *b)
{
	memset(b, 0, sizeof *b);
	b->cap = 4096;
	b->data = xmalloc(b->cap);
	b->data[0] = '\0';
}

void
ob_flush(struct outbuf *b)
{
	if (!b->sink || !b->len)
		return;
	b->sink(b->sink_ctx, b->data, b->len);
	b->flushed += b->len;
	b->len = 0;
	b->data[0] = '\0';
}

void
ob_flush_point(struct outbuf *b)
{
	if (b->sink && b->len >= FLUSH_AT)
		ob_flush(b);
}

/* "00" to "99": two digits a division. */
static const char digit_pairs[201] =
	"00010203040506070809101112131415161718192021222324252627282930313233343536373839"
	"40414243444546474849505152535455565758596061626364656667686970717273747576777879"
	"8081828384858687888990919293949596979899";

size_t
u64_text(char text[20], uint64_t v)
{
	char digits[20];
	size_t n = 0;
	while (v >= 100) {
		unsigned r = (unsigned)(v % 100);
		v /= 100;
		n += 2;
		memcpy(digits + sizeof digits - n, digit_pairs + 2 * r, 2);
	}
	if (v >= 10) {
		n += 2;
		memcpy(digits + sizeof digits - n, digit_pairs + 2 * v, 2);
	} else {
		digits[sizeof digits - ++n] = (char)('0' + v);
	}
	memcpy(text, digits + sizeof digits - n, n);
	return n;
}

void
ob_u64(struct outbuf *b, uint64_t v)
{
	char text[20];
	ob_put(b, text, u64_text(text, v));
}

void
ob_free(struct outbuf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = b->cap = 0;
}

void
ob_grow(struct outbuf *b, size_t n)
{
	if (b->len + n + 1 <= b->cap)
		return;
	while (b->len + n + 1 > b->cap)
		b->cap *= 2;
	b->data = xrealloc(b->data, b->cap);
}

static void
put_signed(struct outbuf *b, int64_t v)
{
	if (v < 0) {
		ob_putc(b, '-');
		ob_u64(b, (uint64_t)0 - (uint64_t)v);
	} else {
		ob_u64(b, (uint64_t)v);
	}
}

/* Appends fmt as vsnprintf would, for the conversions most of what the
 * backends write uses, without stdio's per-call cost: %s, %c, %d, %i
 * and %u with no length or the lengths l, ll and z (which PRIu64 and
 * PRId64 are), and %%.  Returns false, having appended nothing, at
 * anything else (flags, widths, precisions, other conversions). */
static bool
fast_format(struct outbuf *b, const char *fmt, va_list ap)
{
	const char *p = fmt, *pc;
	size_t start = b->len;
	while ((pc = strchr(p, '%'))) {
		int len = 0;
		bool is_signed;
		ob_put(b, p, (size_t)(pc - p));
		p = pc + 1;
		if (*p == 'l') {
			len = p[1] == 'l' ? 2 : 1;
			p += len;
		} else if (*p == 'z') {
			len = 3;
			p++;
		}
		if (len && *p != 'd' && *p != 'i' && *p != 'u')
			goto other;
		switch (*p) {
		case 's':
			ob_puts(b, va_arg(ap, const char *));
			break;
		case 'c':
			ob_putc(b, (char)va_arg(ap, int));
			break;
		case '%':
			ob_putc(b, '%');
			break;
		case 'd': case 'i': case 'u':
			is_signed = *p != 'u';
			switch (len) {
			case 0:
				if (is_signed)
					put_signed(b, va_arg(ap, int));
				else
					ob_u64(b, va_arg(ap, unsigned));
				break;
			case 1:
				if (is_signed)
					put_signed(b, va_arg(ap, long));
				else
					ob_u64(b, va_arg(ap, unsigned long));
				break;
			case 2:
				if (is_signed)
					put_signed(b, va_arg(ap, long long));
				else
					ob_u64(b, va_arg(ap, unsigned long long));
				break;
			default:
				if (is_signed)
					put_signed(b, (int64_t)va_arg(ap, ptrdiff_t));
				else
					ob_u64(b, va_arg(ap, size_t));
				break;
			}
			break;
		default:
			goto other;
		}
		p++;
	}
	ob_puts(b, p);
	return true;
other:
	b->len = start;
	b->data[start] = '\0';
	return false;
}

void
ob_printf(struct outbuf *b, const char *fmt, ...)
{
	va_list ap;
	int n;
	bool done;
	va_start(ap, fmt);
	done = fast_format(b, fmt, ap);
	va_end(ap);
	if (done)
		return;
	va_start(ap, fmt);
	n = vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	if ((size_t)n >= b->cap - b->len) {
		ob_grow(b, (size_t)n);
		va_start(ap, fmt);
		vsnprintf(b->data + b->len, b->cap - b->len, fmt, ap);
		va_end(ap);
	}
	b->len += (size_t)n;
}

void
ob_json_string(struct outbuf *b, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	ob_putc(b, '"');
	for (; *p; p++) {
		switch (*p) {
		case '"': ob_puts(b, "\\\""); break;
		case '\\': ob_puts(b, "\\\\"); break;
		case '\n': ob_puts(b, "\\n"); break;
		case '\t': ob_puts(b, "\\t"); break;
		case '\r': ob_puts(b, "\\r"); break;
		default:
			if (*p < 0x20)
				ob_printf(b, "\\u%04x", *p);
			else
				ob_putc(b, (char)*p);
		}
	}
	ob_putc(b, '"');
}
