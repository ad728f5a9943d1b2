/* The output writer: a set kept in memory keeps its bytes; a streaming
 * set hands them to a temporary file at flush points, leaves an unchanged
 * output alone (its time stays), replaces a changed one whatever its
 * length, and with verify writes nothing and says what would change. */
#include "helpers.h"

#include "output.h"

#include <dirent.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>
#include <utime.h>

/* A deterministic text of n bytes; salt changes one byte at position at. */
static char *
text_of(size_t n, size_t at, char salt)
{
	char *t = malloc(n + 1);
	size_t i;
	assert_non_null(t);
	for (i = 0; i < n; i++)
		t[i] = (char)('a' + (i * 7 + i / 13) % 26);
	if (salt && at < n)
		t[at] = salt;
	t[n] = '\0';
	return t;
}

/* Writes text through a streaming set into dir/name, in pieces with a
 * flush point after each; returns out_commit's status. */
static int
stream(const char *dir, const char *name, const char *text, size_t n, bool verify)
{
	struct output_set s;
	struct capture diags;
	struct diag d;
	struct outbuf *b;
	size_t i;
	int status;
	capture_open(&diags);
	diag_init(&d, diags.file);
	out_init(&s);
	assert_int_equal(out_stream(&s, dir, verify, &d), 0);
	b = out_add(&s, name);
	for (i = 0; i < n; i += 1000) {
		ob_put(b, text + i, n - i < 1000 ? n - i : 1000);
		ob_flush_point(b);
	}
	status = out_commit(&s);
	out_free(&s);
	diag_free(&d);
	capture_close(&diags);
	return status;
}

static char *
read_all(const char *path, size_t *len)
{
	char *text;
	assert_true(compile_read_file(path, &text, len));
	return text;
}

/* Entries of dir other than . and .. */
static int
entries(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;
	assert_non_null(d);
	while ((e = readdir(d)))
		n += strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0;
	closedir(d);
	return n;
}

/* ob_printf spells the common conversions itself and leaves the rest to
 * vsnprintf: either way, what snprintf would write. */
static void
test_printf_like_snprintf(void **state)
{
	struct outbuf b;
	char want[256];
	(void)state;
	ob_init(&b);
#define SAME(...)                                                        \
	do {                                                             \
		b.len = 0;                                               \
		ob_printf(&b, __VA_ARGS__);                              \
		snprintf(want, sizeof want, __VA_ARGS__);                \
		assert_string_equal(b.data, want);                       \
	} while (0)
	SAME("plain text");
	SAME("%s and %s", "one", "");
	SAME("%u %u %d %d %i", 0u, 4294967295u, -2147483647 - 1, 42, -7);
	SAME("%lu %ld %llu %lld", 18446744073709551615ul, -9223372036854775807l - 1,
	     18446744073709551615ull, -5ll);
	SAME("%" PRIu64 " %" PRId64 " %" PRIu32, (uint64_t)1 << 63, (int64_t)-3, (uint32_t)9);
	SAME("%zu bytes, %c%c, 100%%", (size_t)12345, 'o', 'k');
	SAME("#define %s_%s %u\n", "TEST", "API", 1u);
	SAME("%u %u %u %u %u %" PRIu64, 9u, 10u, 99u, 100u, 1000000007u, (uint64_t)10000000000000000000u);
	/* what it does not spell: widths, precisions, hex, flags */
	SAME("%8" PRIu64 "|%04x|%02x|%.3s|%-4d|%x", (uint64_t)7, 0xbeefu, 5u, "abcdef", 3, 255u);
#undef SAME
	ob_free(&b);
}

static void
test_memory_set(void **state)
{
	struct output_set s;
	struct outbuf *b;
	size_t i;
	(void)state;
	out_init(&s);
	b = out_add(&s, "x.h");
	for (i = 0; i < 200000; i++) {
		ob_putc(b, 'x');
		ob_flush_point(b);   /* no sink: everything stays */
	}
	assert_int_equal(b->len, 200000);
	assert_int_equal(b->flushed, 0);
	out_free(&s);
}

static void
test_streaming(void **state)
{
	char dir[] = "/tmp/chitin-output-XXXXXX", path[64];
	const size_t n = 300000;
	char *text = text_of(n, 0, 0), *changed = text_of(n, 150000, '#'), *got;
	struct stat st;
	struct utimbuf past = { 1000000000, 1000000000 };
	size_t len;
	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof path, "%s/out.h", dir);

	/* a new file, streamed in pieces */
	assert_int_equal(stream(dir, "out.h", text, n, false), 0);
	got = read_all(path, &len);
	assert_int_equal(len, n);
	assert_memory_equal(got, text, n);
	free(got);
	assert_int_equal(entries(dir), 1);

	/* the same bytes again: left alone, time and all */
	assert_int_equal(utime(path, &past), 0);
	assert_int_equal(stream(dir, "out.h", text, n, false), 0);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mtime, past.modtime);
	assert_int_equal(entries(dir), 1);

	/* verify: a difference is reported, nothing is written */
	assert_int_equal(stream(dir, "out.h", changed, n, true), 1);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mtime, past.modtime);
	assert_int_equal(entries(dir), 1);
	assert_int_equal(stream(dir, "out.h", text, n, true), 0);

	/* a byte changed past the first flush: replaced */
	assert_int_equal(stream(dir, "out.h", changed, n, false), 0);
	got = read_all(path, &len);
	assert_int_equal(len, n);
	assert_memory_equal(got, changed, n);
	free(got);

	/* shorter, then longer, than what is there: replaced */
	assert_int_equal(stream(dir, "out.h", changed, n / 2, false), 0);
	got = read_all(path, &len);
	assert_int_equal(len, n / 2);
	free(got);
	assert_int_equal(stream(dir, "out.h", text, n, false), 0);
	got = read_all(path, &len);
	assert_int_equal(len, n);
	assert_memory_equal(got, text, n);
	free(got);
	assert_int_equal(entries(dir), 1);

	assert_int_equal(unlink(path), 0);
	assert_int_equal(rmdir(dir), 0);
	free(text);
	free(changed);
}

/* A set of two outputs: until it is committed, neither exists under its
 * name, nor (where the temporaries are unnamed, Linux's O_TMPFILE) under
 * any name, so a kill at any point before the commit leaves nothing; a
 * set whose run failed is dropped whole. */
static void
test_set_commits_whole(void **state)
{
	char dir[] = "/tmp/chitin-output-XXXXXX", path[80];
	struct output_set s;
	struct capture diags;
	struct diag d;
	struct outbuf *a, *b;
	bool unnamed;
	(void)state;
	assert_non_null(mkdtemp(dir));
	capture_open(&diags);
	diag_init(&d, diags.file);
	out_init(&s);
	assert_int_equal(out_stream(&s, dir, false, &d), 0);
	a = out_add(&s, "a.h");
	ob_puts(a, "first\n");
	ob_flush_point(a);
	b = out_add(&s, "b.h");          /* ends a.h */
	ob_puts(b, "second\n");
	unnamed = s.files[0]->anonymous;
	/* a.h is written whole, not renamed: no a.h yet */
	snprintf(path, sizeof path, "%s/a.h", dir);
	assert_int_equal(access(path, F_OK), -1);
	if (unnamed)
		assert_int_equal(entries(dir), 0);
	else
		assert_int_equal(entries(dir), 2);   /* the named temporaries */
	assert_int_equal(out_commit(&s), 0);
	assert_int_equal(entries(dir), 2);
	assert_int_equal(access(path, F_OK), 0);
	out_free(&s);

	/* a failed set: the old files stay, no temporary is left */
	out_init(&s);
	assert_int_equal(out_stream(&s, dir, false, &d), 0);
	ob_puts(out_add(&s, "a.h"), "changed\n");
	snprintf(path, sizeof path, "%s/b.h", dir);
	assert_int_equal(unlink(path), 0);
	assert_int_equal(mkdir(path, 0700), 0);  /* b.h cannot be replaced */
	ob_puts(out_add(&s, "b.h"), "changed\n");
	assert_int_equal(out_commit(&s), 2);
	out_free(&s);
	assert_int_equal(entries(dir), 2);
	{
		size_t len;
		char *got;
		snprintf(path, sizeof path, "%s/a.h", dir);
		got = read_all(path, &len);
		assert_int_equal(len, 6);
		assert_memory_equal(got, "first\n", 6);
		free(got);
		assert_int_equal(unlink(path), 0);
	}
	snprintf(path, sizeof path, "%s/b.h", dir);
	assert_int_equal(rmdir(path), 0);
	assert_int_equal(rmdir(dir), 0);
	diag_free(&d);
	capture_close(&diags);
}

/* SIGTERM in the middle of a set removes its temporaries: a child writes
 * nine outputs (the ninth's temporary has a name whether or not the first
 * eight are unnamed) and kills itself before the commit; nothing is left
 * in the directory. */
static void
test_signal_removes_temporaries(void **state)
{
	char dir[] = "/tmp/chitin-output-XXXXXX";
	int status = 0;
	pid_t pid;
	(void)state;
	assert_non_null(mkdtemp(dir));
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct output_set s;
		struct diag d;
		char name[16];
		int i;
		diag_init(&d, stderr);
		out_init(&s);
		if (out_stream(&s, dir, false, &d) != 0)
			_exit(3);
		for (i = 0; i < 9; i++) {
			struct outbuf *b;
			snprintf(name, sizeof name, "f%d.h", i);
			b = out_add(&s, name);
			ob_puts(b, "text\n");
			ob_flush_point(b);
		}
		if (!s.files[8]->tmp_named || entries(dir) == 0)
			_exit(4);       /* no named temporary: nothing to test */
		raise(SIGTERM);
		_exit(5);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFSIGNALED(status));
	assert_int_equal(WTERMSIG(status), SIGTERM);
	assert_int_equal(entries(dir), 0);
	assert_int_equal(rmdir(dir), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_printf_like_snprintf),
		cmocka_unit_test(test_memory_set),
		cmocka_unit_test(test_streaming),
		cmocka_unit_test(test_set_commits_whole),
		cmocka_unit_test(test_signal_removes_temporaries),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
