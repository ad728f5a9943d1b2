/* Arenas, string interning and diagnostics: line and column, the GNU
 * message format with its caret line, the error cap, long lines and
 * quoting. */
#include <config.h>

#include "helpers.h"

#include <stdlib.h>
#include <string.h>

/* A diag writing into memory, with one source "t.idl". */
struct fixture {
	struct diag d;
	struct capture out;
	uint32_t file;
};

static void
fixture_init(struct fixture *f, const char *text, size_t len)
{
	char *copy = malloc(len + 1);
	assert_non_null(copy);
	memcpy(copy, text, len);
	copy[len] = '\0';
	capture_open(&f->out);
	diag_init(&f->d, f->out.file);
	f->file = diag_add_source(&f->d, "t.idl", "t.idl", copy, (uint32_t)len);
}

static void
fixture_free(struct fixture *f)
{
	diag_free(&f->d);
	capture_close(&f->out);
}

/* The location of the first occurrence of token in the fixture's text. */
static struct loc
loc_of(const struct fixture *f, const char *token)
{
	const struct source *src = f->d.files[f->file];
	const char *at = strstr(src->text, token);
	struct loc l;
	assert_non_null(at);
	l.file = f->file;
	l.begin = (uint32_t)(at - src->text);
	l.end = l.begin + (uint32_t)strlen(token);
	return l;
}

/* Whether s holds only whole UTF-8 sequences (structure only). */
static bool
utf8_whole(const char *s, size_t n)
{
	size_t i = 0;
	while (i < n) {
		unsigned char c = (unsigned char)s[i];
		size_t len = c < 0x80 ? 1 : c >= 0xF0 ? 4 : c >= 0xE0 ? 3 : c >= 0xC0 ? 2 : 0;
		size_t k;
		if (len == 0 || i + len > n)
			return false;
		for (k = 1; k < len; k++)
			if (((unsigned char)s[i + k] & 0xC0) != 0x80)
				return false;
		i += len;
	}
	return true;
}

/* ---- arena ------------------------------------------------------------------ */

static void
test_arena_many_allocations(void **state)
{
	enum { N = 100000 };
	struct arena a;
	unsigned char **ptrs = malloc(N * sizeof *ptrs);
	size_t i, k;
	(void)state;
	assert_non_null(ptrs);
	arena_init(&a);
	for (i = 0; i < N; i++) {
		size_t n = i % 97 + 1;
		ptrs[i] = arena_alloc(&a, n);
		assert_non_null(ptrs[i]);
		assert_int_equal((uintptr_t)ptrs[i] % 8, 0);
		for (k = 0; k < n; k++)
			assert_int_equal(ptrs[i][k], 0);
		memset(ptrs[i], (int)(i & 0xFF), n);
	}
	/* no allocation overlapped another */
	for (i = 0; i < N; i++)
		for (k = 0; k < i % 97 + 1; k++)
			if (ptrs[i][k] != (unsigned char)(i & 0xFF))
				fail_msg("allocation %zu was overwritten at byte %zu", i, k);
	assert_true(a.total >= (size_t)N * 16);
	arena_free(&a);
	assert_null(a.head);
	assert_int_equal(a.total, 0);
	free(ptrs);
}

static void
test_arena_large_allocation(void **state)
{
	const size_t big = 4u << 20;
	struct arena a;
	unsigned char *small1, *large, *small2;
	char *dup;
	size_t i;
	(void)state;
	arena_init(&a);
	small1 = arena_alloc(&a, 24);
	memset(small1, 0x11, 24);
	large = arena_alloc(&a, big);
	for (i = 0; i < big; i += 4096)
		assert_int_equal(large[i], 0);
	assert_int_equal(large[big - 1], 0);
	memset(large, 0x22, big);
	small2 = arena_alloc(&a, 24);
	memset(small2, 0x33, 24);
	for (i = 0; i < 24; i++)
		assert_int_equal(small1[i], 0x11);
	assert_int_equal(large[0], 0x22);
	assert_int_equal(large[big - 1], 0x22);
	/* the large block holds only itself: the small allocation after it
	 * went on filling the first block instead of starting a third */
	assert_true(a.total >= big);
	assert_true(a.total < big + 2 * 64 * 1024);

	dup = arena_strndup(&a, "hello world", 5);
	assert_string_equal(dup, "hello");
	/* a very large allocation as the first one */
	arena_free(&a);
	large = arena_alloc(&a, big);
	assert_non_null(large);
	large[big - 1] = 1;
	small1 = arena_alloc(&a, 8);
	assert_non_null(small1);
	assert_true(small1 < large || small1 >= large + big);
	arena_free(&a);
}

/* ---- interning ------------------------------------------------------------------ */

static void
test_intern_identity(void **state)
{
	struct arena a;
	struct intern in;
	char buf1[] = "hello", buf2[] = "hello";
	const char *h1, *h2, *other, *prefix, *empty;
	(void)state;
	arena_init(&a);
	intern_init(&in, &a);
	h1 = intern_str(&in, buf1, 5);
	h2 = intern_str(&in, buf2, 5);
	assert_ptr_equal(h1, h2);
	assert_ptr_not_equal(h1, buf1);
	assert_string_equal(h1, "hello");
	other = intern_str(&in, "hellp", 5);
	assert_ptr_not_equal(h1, other);
	/* a prefix is a different string, whatever follows it in memory */
	prefix = intern_str(&in, "hello", 4);
	assert_ptr_not_equal(prefix, h1);
	assert_string_equal(prefix, "hell");
	assert_ptr_equal(prefix, intern_str(&in, "hell", 4));
	assert_ptr_equal(h1, intern_str(&in, "hello!", 5));
	empty = intern_str(&in, "", 0);
	assert_string_equal(empty, "");
	assert_ptr_equal(empty, intern_str(&in, "xyz", 0));
	assert_int_equal(in.count, 4);
	intern_free(&in);
	arena_free(&a);
}

static void
test_intern_growth(void **state)
{
	enum { N = 5000 };
	struct arena a;
	struct intern in;
	const char **seen = malloc(N * sizeof *seen);
	char name[32];
	size_t i;
	(void)state;
	assert_non_null(seen);
	arena_init(&a);
	intern_init(&in, &a);
	for (i = 0; i < N; i++) {
		int n = snprintf(name, sizeof name, "name_%zu", i);
		seen[i] = intern_str(&in, name, (size_t)n);
	}
	assert_int_equal(in.count, N);
	assert_true(in.cap > 1024);
	assert_true(in.cap >= 2 * in.count);
	/* after several rehashes every string is still found, unchanged */
	for (i = 0; i < N; i++) {
		int n = snprintf(name, sizeof name, "name_%zu", i);
		assert_string_equal(seen[i], name);
		assert_ptr_equal(intern_str(&in, name, (size_t)n), seen[i]);
	}
	assert_int_equal(in.count, N);
	intern_free(&in);
	arena_free(&a);
	free(seen);
}

/* ---- line and column ------------------------------------------------------------- */

static void
test_line_col(void **state)
{
	static const char text[] = "ab\n\tc\xc3\xa9" "d\xf0\x9f\x98\x80" "e\nlast";
	static const struct { uint32_t offset, line, col; } cases[] = {
		{ 0, 1, 1 },
		{ 1, 1, 2 },
		{ 2, 1, 3 },     /* the newline ends its own line */
		{ 3, 2, 1 },     /* the tab */
		{ 4, 2, 2 },     /* a tab counts 1 */
		{ 5, 2, 3 },     /* é, 2 bytes */
		{ 7, 2, 4 },     /* d: é counted once */
		{ 8, 2, 5 },     /* U+1F600, 4 bytes */
		{ 12, 2, 6 },    /* e */
		{ 14, 3, 1 },
		{ 18, 3, 5 },    /* the end of the text */
		{ 1000, 3, 5 },  /* past the end: clamped */
	};
	struct fixture f;
	size_t i;
	(void)state;
	fixture_init(&f, text, sizeof text - 1);
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		uint32_t line = 0, col = 0;
		diag_line_col(&f.d, f.file, cases[i].offset, &line, &col);
		if (line != cases[i].line || col != cases[i].col)
			fail_msg("offset %u: got %u:%u, want %u:%u", cases[i].offset,
				 line, col, cases[i].line, cases[i].col);
	}
	fixture_free(&f);
}

static void
test_line_col_crlf(void **state)
{
	static const char text[] = "a\r\nbc\r\n\r\nd";
	struct fixture f;
	uint32_t line, col;
	(void)state;
	fixture_init(&f, text, sizeof text - 1);
	diag_line_col(&f.d, f.file, 4, &line, &col);
	assert_int_equal(line, 2);
	assert_int_equal(col, 2);
	diag_line_col(&f.d, f.file, 9, &line, &col);
	assert_int_equal(line, 4);
	assert_int_equal(col, 1);
	fixture_free(&f);
}

/* ---- the message format ------------------------------------------------------------- */

static void
test_error_format(void **state)
{
	static const char text[] = "module m;\nstruct Foo { u32 x; };\n";
	struct fixture f;
	(void)state;
	fixture_init(&f, text, sizeof text - 1);
	diag_error(&f.d, loc_of(&f, "Foo"), "unknown thing '%s'", "Foo");
	assert_string_equal(capture_text(&f.out),
			    "t.idl:2:8: error: unknown thing 'Foo'\n"
			    "    2 | struct Foo { u32 x; };\n"
			    "      |        ^~~\n");
	assert_int_equal(f.d.n_errors, 1);
	assert_int_equal(f.d.n_warnings, 0);
	fixture_free(&f);
}

static void
test_warning_and_note_format(void **state)
{
	static const char text[] = "module m;\nconst u32 A = 1;\n";
	struct fixture f;
	(void)state;
	fixture_init(&f, text, sizeof text - 1);
	diag_warning(&f.d, loc_of(&f, "A"), "w");
	diag_note(&f.d, loc_of(&f, "m;"), "n %d", 7);
	assert_string_equal(capture_text(&f.out),
			    "t.idl:2:11: warning: w\n"
			    "    2 | const u32 A = 1;\n"
			    "      |           ^\n"
			    "t.idl:1:8: note: n 7\n"
			    "    1 | module m;\n"
			    "      |        ^~\n");
	assert_int_equal(f.d.n_errors, 0);
	assert_int_equal(f.d.n_warnings, 1);
	fixture_free(&f);
}

static void
test_plain_message(void **state)
{
	struct fixture f;
	(void)state;
	fixture_init(&f, "", 0);
	diag_plain(&f.d, DIAG_ERROR, "cannot read '%s'", "x.idl");
	assert_string_equal(capture_text(&f.out), "chitin: error: cannot read 'x.idl'\n");
	assert_int_equal(f.d.n_errors, 1);
	fixture_free(&f);
}

/* The caret lines up under tabs (kept) and multibyte characters (one
 * column each), and has one mark per code point. */
static void
test_caret_tabs_and_utf8(void **state)
{
	static const char text[] = "\tx = \xc3\xa9\xc3\xa9\xe2\x82\xac;\n";
	struct fixture f;
	struct loc l;
	(void)state;
	fixture_init(&f, text, sizeof text - 1);
	l = loc_of(&f, "\xc3\xa9");
	l.end = l.begin + 7;   /* é é € */
	diag_error(&f.d, l, "e");
	assert_string_equal(capture_text(&f.out),
			    "t.idl:1:6: error: e\n"
			    "    1 | \tx = \xc3\xa9\xc3\xa9\xe2\x82\xac;\n"
			    "      | \t    ^~~\n");
	fixture_free(&f);
}

static void
test_caret_edges(void **state)
{
	static const char text[] = "abc def\nlast";
	struct fixture f;
	struct loc l = { 0, 4, 4 };
	(void)state;
	fixture_init(&f, text, sizeof text - 1);
	/* an empty span still gets a caret */
	diag_error(&f.d, l, "empty");
	/* a span running past the end of its line stops there */
	l.begin = 4;
	l.end = 12;
	diag_error(&f.d, l, "long");
	/* the very end of a file without a final newline */
	l.begin = l.end = (uint32_t)(sizeof text - 1);
	diag_error(&f.d, l, "eof");
	assert_string_equal(capture_text(&f.out),
			    "t.idl:1:5: error: empty\n"
			    "    1 | abc def\n"
			    "      |     ^\n"
			    "t.idl:1:5: error: long\n"
			    "    1 | abc def\n"
			    "      |     ^~~\n"
			    "t.idl:2:5: error: eof\n"
			    "    2 | last\n"
			    "      |     ^\n");
	fixture_free(&f);
}

/* A carriage return is not shown; other control bytes become '?'. */
static void
test_line_cleaning(void **state)
{
	static const char text[] = "a\x01" "b\x1b[2J c\r\nnext\r\n";
	struct fixture f;
	(void)state;
	fixture_init(&f, text, sizeof text - 1);
	diag_error(&f.d, loc_of(&f, "c"), "x");
	assert_string_equal(capture_text(&f.out),
			    "t.idl:1:9: error: x\n"
			    "    1 | a?b?[2J c\n"
			    "      |         ^\n");
	fixture_free(&f);
}

static void
test_gutter_width(void **state)
{
	const uint32_t lines = 123456;
	char *text = malloc(lines + 16);
	struct fixture f;
	struct loc l;
	(void)state;
	assert_non_null(text);
	memset(text, '\n', lines - 1);
	strcpy(text + lines - 1, "bad;\n");
	fixture_init(&f, text, strlen(text));
	l = loc_of(&f, "bad");
	diag_error(&f.d, l, "x");
	assert_string_equal(capture_text(&f.out),
			    "t.idl:123456:1: error: x\n"
			    "123456 | bad;\n"
			    "       | ^~~\n");
	fixture_free(&f);
	free(text);
}

/* ---- the error cap ------------------------------------------------------------------- */

static void
test_error_cap(void **state)
{
	static const char text[] = "one two three four five\n";
	static const char *const words[] = { "one", "two", "three", "four", "five" };
	struct fixture f;
	const char *out;
	size_t i;
	(void)state;
	fixture_init(&f, text, sizeof text - 1);
	f.d.max_errors = 3;
	for (i = 0; i < 5; i++) {
		diag_error(&f.d, loc_of(&f, words[i]), "error %s", words[i]);
		diag_note(&f.d, loc_of(&f, words[i]), "note %s", words[i]);
		assert_int_equal(diag_stopped(&f.d), i >= 3);
	}
	diag_warning(&f.d, loc_of(&f, "one"), "late warning");
	diag_note(&f.d, loc_of(&f, "one"), "late note");
	out = capture_text(&f.out);
	assert_contains(out, "error: error three\n");
	assert_contains(out, "note: note three\n");
	assert_not_contains(out, "error four");
	assert_not_contains(out, "note four");
	assert_not_contains(out, "error five");
	assert_not_contains(out, "note five");
	assert_not_contains(out, "late");
	assert_int_equal(count_substr(out, "t.idl:1:"), 6);
	assert_int_equal(count_substr(out, ": error: error "), 3);
	assert_int_equal(count_substr(out, ": note: note "), 3);
	assert_int_equal(count_substr(out, "chitin: error: too many errors (3); stopping\n"), 1);
	/* the stop line comes last */
	assert_non_null(strstr(out, "too many errors"));
	assert_string_equal(strstr(out, "chitin: error: too many"),
			    "chitin: error: too many errors (3); stopping\n");
	/* every error is still counted, for the exit status */
	assert_int_equal(f.d.n_errors, 5);
	fixture_free(&f);
}

/* A note follows its own message: shown after a warning, dropped after an
 * error that was dropped, and the cap of 0 means no cap. */
static void
test_notes_follow_their_message(void **state)
{
	static const char text[] = "x\n";
	struct fixture f;
	struct loc l = { 0, 0, 1 };
	const char *out;
	unsigned i;
	(void)state;
	fixture_init(&f, text, sizeof text - 1);
	f.d.max_errors = 0;
	for (i = 0; i < 200; i++)
		diag_error(&f.d, l, "e%u", i);
	diag_warning(&f.d, l, "w");
	diag_note(&f.d, l, "after warning");
	out = capture_text(&f.out);
	assert_int_equal(count_substr(out, ": error: "), 200);
	assert_contains(out, "error: e199\n");
	assert_contains(out, "note: after warning\n");
	assert_not_contains(out, "too many");
	assert_false(diag_stopped(&f.d));
	fixture_free(&f);
}

/* ---- long lines ---------------------------------------------------------------------- */

/* The two lines under the message: the windowed source line and the
 * caret line, split at their " | " gutters. */
static void
shown_lines(const char *out, const char **line, size_t *line_len,
	    const char **caret, size_t *caret_len)
{
	const char *nl = strchr(out, '\n'), *bar, *end;
	assert_non_null(nl);
	bar = strstr(nl + 1, " | ");
	assert_non_null(bar);
	*line = bar + 3;
	end = strchr(*line, '\n');
	assert_non_null(end);
	*line_len = (size_t)(end - *line);
	bar = strstr(end + 1, " | ");
	assert_non_null(bar);
	*caret = bar + 3;
	end = strchr(*caret, '\n');
	assert_non_null(end);
	*caret_len = (size_t)(end - *caret);
}

static void
test_long_line_window(void **state)
{
	const size_t len = 1u << 20, at = len / 2;
	char *text = malloc(len + 1);
	struct fixture f;
	const char *out, *line, *caret;
	size_t line_len, caret_len;
	struct loc l;
	(void)state;
	assert_non_null(text);
	memset(text, 'a', len);
	memcpy(text + at, "TOKEN", 5);
	text[len] = '\0';
	fixture_init(&f, text, len);
	l.file = f.file;
	l.begin = (uint32_t)at;
	l.end = (uint32_t)at + 5;
	diag_error(&f.d, l, "in the middle");
	out = capture_text(&f.out);
	assert_contains(out, "t.idl:1:524289: error: in the middle\n");
	assert_true(strlen(out) < 600);
	shown_lines(out, &line, &line_len, &caret, &caret_len);
	assert_true(line_len < 200);
	assert_memory_equal(line, "...", 3);
	assert_memory_equal(line + line_len - 3, "...", 3);
	/* the caret sits under the token, and underlines all of it */
	assert_true(caret_len > 5);
	assert_memory_equal(caret + caret_len - 5, "^~~~~", 5);
	assert_memory_equal(line + caret_len - 5, "TOKEN", 5);
	fixture_free(&f);
	free(text);
}

static void
test_long_line_ends(void **state)
{
	const size_t len = 1u << 20;
	char *text = malloc(len + 1);
	struct fixture f;
	const char *out, *line, *caret;
	size_t line_len, caret_len;
	struct loc l;
	(void)state;
	assert_non_null(text);
	memset(text, 'b', len);
	memcpy(text, "HEAD", 4);
	memcpy(text + len - 4, "TAIL", 4);
	text[len] = '\0';
	fixture_init(&f, text, len);

	l.file = f.file;
	l.begin = 0;
	l.end = 4;
	diag_error(&f.d, l, "head");
	out = capture_text(&f.out);
	shown_lines(out, &line, &line_len, &caret, &caret_len);
	assert_true(line_len < 200);
	assert_memory_equal(line, "HEAD", 4);
	assert_memory_equal(line + line_len - 3, "...", 3);
	assert_int_equal(caret_len, 4);
	assert_memory_equal(caret, "^~~~", 4);
	fixture_free(&f);

	fixture_init(&f, text, len);
	l.begin = (uint32_t)len - 4;
	l.end = (uint32_t)len;
	diag_error(&f.d, l, "tail");
	out = capture_text(&f.out);
	shown_lines(out, &line, &line_len, &caret, &caret_len);
	assert_true(line_len < 200);
	assert_memory_equal(line, "...", 3);
	assert_memory_equal(line + line_len - 4, "TAIL", 4);
	assert_int_equal(caret_len, line_len);
	assert_memory_equal(caret + caret_len - 4, "^~~~", 4);
	fixture_free(&f);
	free(text);
}

/* A token as long as the line: the underline is bounded too. */
static void
test_long_token(void **state)
{
	const size_t len = 1u << 20;
	char *text = malloc(len + 1);
	struct fixture f;
	const char *out, *line, *caret;
	size_t line_len, caret_len;
	struct loc l;
	(void)state;
	assert_non_null(text);
	memset(text, 'c', len);
	text[len] = '\0';
	fixture_init(&f, text, len);
	l.file = f.file;
	l.begin = 10;
	l.end = (uint32_t)len;
	diag_error(&f.d, l, "huge");
	out = capture_text(&f.out);
	assert_true(strlen(out) < 600);
	shown_lines(out, &line, &line_len, &caret, &caret_len);
	assert_true(line_len < 200);
	assert_true(caret_len < 200);
	assert_int_equal(caret[10], '^');
	assert_int_equal(caret[11], '~');
	fixture_free(&f);
	free(text);
}

/* The window never cuts a multibyte character, and the caret counts code
 * points.  The line is 'é's with "qXYr" in the middle, so both window
 * edges, 60 bytes from the token, fall inside a character. */
static void
test_long_line_utf8(void **state)
{
	const size_t chars = 1u << 19;      /* 1 MB of 'é' */
	const size_t len = 2 * chars, at = len / 2;
	char *text = malloc(len + 1);
	struct fixture f;
	const char *out, *line, *caret;
	size_t line_len, caret_len, i, shown_chars = 0;
	struct loc l;
	(void)state;
	assert_non_null(text);
	for (i = 0; i < chars; i++)
		memcpy(text + 2 * i, "\xc3\xa9", 2);
	memcpy(text + at, "qXYr", 4);
	text[len] = '\0';
	fixture_init(&f, text, len);
	l.file = f.file;
	l.begin = (uint32_t)at + 1;
	l.end = l.begin + 2;
	diag_error(&f.d, l, "utf8");
	out = capture_text(&f.out);
	assert_true(strlen(out) < 600);
	assert_true(utf8_whole(out, strlen(out)));
	shown_lines(out, &line, &line_len, &caret, &caret_len);
	assert_memory_equal(line, "...", 3);
	assert_memory_equal(line + line_len - 3, "...", 3);
	/* code points in front of the token, as shown, equal the padding */
	for (i = 0; i < line_len && line[i] != 'X'; i++)
		if (((unsigned char)line[i] & 0xC0) != 0x80)
			shown_chars++;
	assert_true(i < line_len);
	assert_int_equal(caret_len, shown_chars + 2);
	assert_memory_equal(caret + caret_len - 2, "^~", 2);
	fixture_free(&f);
	free(text);
}

/* ---- quoting ----------------------------------------------------------------------- */

static void
test_quote(void **state)
{
	char buf[16], big[64];
	char long_text[100];
	const char *q;
	(void)state;
	assert_string_equal(diag_quote(buf, sizeof buf, "abc", 3), "abc");
	assert_string_equal(diag_quote(buf, sizeof buf, "", 0), "");
	assert_string_equal(diag_quote(buf, sizeof buf, "a\nb", 3), "a\\x0ab");
	assert_string_equal(diag_quote(buf, sizeof buf, "\0x", 2), "\\x00x");
	assert_string_equal(diag_quote(buf, sizeof buf, "\x7f", 1), "\\x7f");
	/* only n bytes are read */
	assert_string_equal(diag_quote(buf, sizeof buf, "abcdef", 2), "ab");
	/* UTF-8 passes through */
	assert_string_equal(diag_quote(buf, sizeof buf, "\xc3\xa9", 2), "\xc3\xa9");

	memset(long_text, 'x', sizeof long_text);
	q = diag_quote(buf, sizeof buf, long_text, sizeof long_text);
	assert_ptr_equal(q, buf);
	assert_true(strlen(q) < sizeof buf);
	assert_true(strlen(q) > 3);
	assert_string_equal(q + strlen(q) - 3, "...");
	assert_int_equal(strspn(q, "x"), strlen(q) - 3);

	/* a megabyte is shortened to the buffer */
	{
		size_t n = 1u << 20;
		char *huge = malloc(n);
		assert_non_null(huge);
		memset(huge, 'y', n);
		q = diag_quote(big, sizeof big, huge, n);
		assert_true(strlen(q) < sizeof big);
		assert_string_equal(q + strlen(q) - 3, "...");
		free(huge);
	}

	/* escapes near the end still fit */
	memset(long_text, '\x01', sizeof long_text);
	q = diag_quote(buf, sizeof buf, long_text, sizeof long_text);
	assert_true(strlen(q) < sizeof buf);
	assert_string_equal(q + strlen(q) - 3, "...");
}

static void
test_quote_never_cuts_utf8(void **state)
{
	static const char *const texts[] = {
		"a\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
		"aa\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9\xc3\xa9",
		"aaa\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac\xe2\x82\xac",
		"a\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80",
		"\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80\xf0\x9f\x98\x80",
	};
	size_t i, size;
	(void)state;
	for (i = 0; i < sizeof texts / sizeof *texts; i++) {
		for (size = 9; size <= 20; size++) {
			char buf[32];
			const char *q = diag_quote(buf, size, texts[i], strlen(texts[i]));
			size_t n = strlen(q);
			assert_true(n < size);
			if (!utf8_whole(q, n))
				fail_msg("text %zu, size %zu: cut a character: %s", i, size, q);
			if (n >= 3 && strcmp(q + n - 3, "...") == 0)
				assert_memory_equal(q, texts[i], n - 3);
			else
				assert_string_equal(q, texts[i]);
		}
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_arena_many_allocations),
		cmocka_unit_test(test_arena_large_allocation),
		cmocka_unit_test(test_intern_identity),
		cmocka_unit_test(test_intern_growth),
		cmocka_unit_test(test_line_col),
		cmocka_unit_test(test_line_col_crlf),
		cmocka_unit_test(test_error_format),
		cmocka_unit_test(test_warning_and_note_format),
		cmocka_unit_test(test_plain_message),
		cmocka_unit_test(test_caret_tabs_and_utf8),
		cmocka_unit_test(test_caret_edges),
		cmocka_unit_test(test_line_cleaning),
		cmocka_unit_test(test_gutter_width),
		cmocka_unit_test(test_error_cap),
		cmocka_unit_test(test_notes_follow_their_message),
		cmocka_unit_test(test_long_line_window),
		cmocka_unit_test(test_long_line_ends),
		cmocka_unit_test(test_long_token),
		cmocka_unit_test(test_long_line_utf8),
		cmocka_unit_test(test_quote),
		cmocka_unit_test(test_quote_never_cuts_utf8),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
