/* Diagnostics in the GNU format, with the source line and a caret underline. */
#include "diag.h"
#include "arena.h"

#include <stdlib.h>
#include <string.h>

/* Source lines longer than this are shown as a window around the caret. */
enum { LINE_WINDOW = 160, WINDOW_CONTEXT = 60 };

void
diag_init(struct diag *d, FILE *out)
{
	memset(d, 0, sizeof *d);
	d->out = out;
	d->max_errors = 50;
}

void
diag_free(struct diag *d)
{
	uint32_t i;
	for (i = 0; i < d->n_files; i++) {
		free(d->files[i]->text);
		free(d->files[i]->line_starts);
		free(d->files[i]->name);
		free(d->files[i]->path);
		free(d->files[i]);
	}
	free(d->files);
	d->files = NULL;
	d->n_files = d->cap_files = 0;
}

static char *
dup_or_null(const char *s)
{
	char *p;
	if (!s)
		return NULL;
	p = xmalloc(strlen(s) + 1);
	strcpy(p, s);
	return p;
}

uint32_t
diag_add_source(struct diag *d, const char *name, const char *path,
		char *text, uint32_t len)
{
	struct source *src = xcalloc(1, sizeof *src);

	src->name = dup_or_null(name);
	src->path = dup_or_null(path);
	src->text = text;
	src->len = len;
	VEC_PUSH(d->files, d->n_files, d->cap_files) = src;
	return d->n_files - 1;
}

/* The line offset is on.  Where lines start is found the first time a
 * diagnostic needs it: most files never have one. */
static uint32_t
line_index(struct source *src, uint32_t offset)
{
	uint32_t lo = 0, hi;
	if (!src->line_starts) {
		const char *end = src->text + src->len, *nl;
		uint32_t cap = 0;
		VEC_PUSH(src->line_starts, src->n_lines, cap) = 0;
		/* a line ends at LF, CRLF, or a CR alone (old Mac files) */
		for (nl = src->text; nl < end; nl++) {
			if (*nl != '\n' && (*nl != '\r' || (nl + 1 < end && nl[1] == '\n')))
				continue;
			VEC_PUSH(src->line_starts, src->n_lines, cap) = (uint32_t)(nl - src->text) + 1;
		}
	}
	hi = src->n_lines;
	while (hi - lo > 1) {
		uint32_t mid = lo + (hi - lo) / 2;
		if (src->line_starts[mid] <= offset)
			lo = mid;
		else
			hi = mid;
	}
	return lo;
}

static int
is_continuation(unsigned char c)
{
	return (c & 0xC0) == 0x80;
}

void
diag_line_col(const struct diag *d, uint32_t file, uint32_t offset,
	      uint32_t *line, uint32_t *col)
{
	struct source *src = d->files[file];
	uint32_t li, i, c = 1;

	if (offset > src->len)
		offset = src->len;
	li = line_index(src, offset);
	for (i = src->line_starts[li]; i < offset; i++)
		if (!is_continuation((unsigned char)src->text[i]))
			c++;
	*line = li + 1;
	*col = c;
}

/* Prints bytes [from, to) of a source line, replacing what a terminal would
 * misread (control bytes other than tab) with '?'. */
/* The length of the valid UTF-8 sequence at s[i], or 0. */
static uint32_t
utf8_len(const char *s, uint32_t i, uint32_t end)
{
	const unsigned char *u = (const unsigned char *)s;
	uint32_t len = u[i] < 0x80 ? 1 : u[i] >= 0xC2 && u[i] <= 0xDF ? 2
		       : u[i] >= 0xE0 && u[i] <= 0xEF ? 3 : u[i] >= 0xF0 && u[i] <= 0xF4 ? 4 : 0;
	uint32_t k;
	if (!len || i + len > end)
		return 0;
	for (k = 1; k < len; k++)
		if ((u[i + k] & 0xC0) != 0x80)
			return 0;
	return len;
}

static void
put_text(FILE *out, const char *s, uint32_t from, uint32_t to)
{
	uint32_t i = from;
	while (i < to) {
		unsigned char c = (unsigned char)s[i];
		uint32_t n = c < 0x80 ? 1 : utf8_len(s, i, to);
		if (c < 0x80) {
			putc(c == '\t' || c >= 0x20 ? c : '?', out);
		} else if (n) {
			fwrite(s + i, 1, n, out);
			i += n;
			continue;
		} else {
			putc('?', out);  /* not UTF-8: never pass it on */
		}
		i++;
	}
}

/* Prints the padding under bytes [from, to): a tab stays a tab, every other
 * code point becomes one space, so the caret lines up in the terminal. */
static void
put_pad(FILE *out, const char *s, uint32_t from, uint32_t to)
{
	uint32_t i;
	for (i = from; i < to; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '\t')
			putc('\t', out);
		else if (!is_continuation(c))
			putc(' ', out);
	}
}

static uint32_t
back_to_boundary(const char *s, uint32_t lo, uint32_t i)
{
	while (i > lo && is_continuation((unsigned char)s[i]))
		i--;
	return i;
}

static void
show_line(struct diag *d, struct loc at)
{
	struct source *src = d->files[at.file];
	uint32_t li, start, eol, begin = at.begin, end = at.end;
	uint32_t from, to, marks, i;
	char gutter[16];
	int width;

	if (begin > src->len)
		begin = src->len;
	li = line_index(src, begin);
	start = src->line_starts[li];
	eol = li + 1 < src->n_lines ? src->line_starts[li + 1] - 1 : src->len;
	if (eol > start && src->text[eol - 1] == '\r')
		eol--;
	if (end < begin)
		end = begin;
	if (end > eol)
		end = eol;

	from = start;
	to = eol;
	if (eol - start > LINE_WINDOW) {
		from = begin > start + WINDOW_CONTEXT ? begin - WINDOW_CONTEXT : start;
		from = back_to_boundary(src->text, start, from);
		if (end - begin > LINE_WINDOW - 2 * WINDOW_CONTEXT)
			end = back_to_boundary(src->text, begin,
					       begin + (LINE_WINDOW - 2 * WINDOW_CONTEXT));
		to = end + WINDOW_CONTEXT < eol ? end + WINDOW_CONTEXT : eol;
		to = back_to_boundary(src->text, from, to);
	}

	width = snprintf(gutter, sizeof gutter, "%5u", li + 1);
	fprintf(d->out, "%s | %s", gutter, from > start ? "..." : "");
	put_text(d->out, src->text, from, to);
	fprintf(d->out, "%s\n", to < eol ? "..." : "");
	fprintf(d->out, "%*s | %s", width, "", from > start ? "   " : "");
	put_pad(d->out, src->text, from, begin);
	putc('^', d->out);
	marks = 0;
	for (i = begin; i < end; i++)
		if (!is_continuation((unsigned char)src->text[i]))
			marks++;
	for (i = 1; i < marks; i++)
		putc('~', d->out);
	putc('\n', d->out);
}

static const char *const level_names[] = { "error", "warning", "note" };

void
diag_vreport(struct diag *d, enum diag_level level, struct loc at,
	     const char *fmt, va_list ap)
{
	uint32_t line, col;

	if (level == DIAG_ERROR)
		d->n_errors++;
	else if (level == DIAG_WARNING)
		d->n_warnings++;
	if (level == DIAG_NOTE ? !d->last_shown : d->capped) {
		return;
	}
	if (level == DIAG_ERROR && d->max_errors && d->n_errors > d->max_errors) {
		d->capped = true;
		d->last_shown = false;
		fprintf(d->out, "chitin: error: too many errors (%u); stopping\n",
			d->max_errors);
		return;
	}
	if (level != DIAG_NOTE)
		d->last_shown = true;
	diag_line_col(d, at.file, at.begin, &line, &col);
	fprintf(d->out, "%s:%u:%u: %s: ", d->files[at.file]->name, line, col,
		level_names[level]);
	vfprintf(d->out, fmt, ap);
	putc('\n', d->out);
	show_line(d, at);
}

void
diag_error(struct diag *d, struct loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, DIAG_ERROR, at, fmt, ap);
	va_end(ap);
}

void
diag_warning(struct diag *d, struct loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, DIAG_WARNING, at, fmt, ap);
	va_end(ap);
}

void
diag_note(struct diag *d, struct loc at, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	diag_vreport(d, DIAG_NOTE, at, fmt, ap);
	va_end(ap);
}

void
diag_plain(struct diag *d, enum diag_level level, const char *fmt, ...)
{
	va_list ap;
	if (level == DIAG_ERROR)
		d->n_errors++;
	fprintf(d->out, "chitin: %s: ", level_names[level]);
	va_start(ap, fmt);
	vfprintf(d->out, fmt, ap);
	va_end(ap);
	putc('\n', d->out);
}

bool
diag_stopped(const struct diag *d)
{
	return d->capped;
}

const char *
diag_quote(char *buf, size_t size, const char *s, size_t n)
{
	size_t i, o = 0, limit = size > 8 ? size - 8 : 0;
	for (i = 0; i < n && o < limit; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c >= 0x20 && c < 0x7f) {
			buf[o++] = (char)c;
		} else if (c >= 0x80) {
			buf[o++] = (char)c;  /* valid UTF-8 was checked on load */
		} else {
			o += (size_t)snprintf(buf + o, size - o, "\\x%02x", c);
		}
	}
	if (i < n) {
		/* never cut a UTF-8 sequence in half */
		while (o > 0 && is_continuation((unsigned char)buf[o - 1]))
			o--;
		if (o > 0 && (unsigned char)buf[o - 1] >= 0xC0)
			o--;
		memcpy(buf + o, "...", 3);
		o += 3;
	}
	buf[o] = '\0';
	return buf;
}
