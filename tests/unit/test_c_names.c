/* The C name check's table keeps only hashes and makes an earlier name
 * again when a hash repeats: the diagnostics must not depend on the
 * hash.  Each case is built with the real hash and with hashes under
 * which many or all names collide, and must say exactly the same. */
#include <config.h>

#include "helpers.h"
#include "backends/c_names.h"

#include <stdlib.h>
#include <string.h>

/* Every name collides with every other. */
static uint64_t
same_hash(const void *p, size_t n)
{
	(void)p;
	(void)n;
	return 0;
}

/* Names of one length collide. */
static uint64_t
length_hash(const void *p, size_t n)
{
	(void)p;
	return n % 5;
}

/* The diagnostics of text under hash, malloc'd. */
static char *
errors_with(const char *text, uint64_t (*hash)(const void *, size_t))
{
	struct built b;
	char *errors;
	c_names_set_hash(hash);
	build_text(&b, text);
	c_names_set_hash(NULL);
	errors = strdup(b.errors);
	built_free(&b);
	return errors;
}

/* text says the same under every hash; returns the diagnostics. */
static char *
same_under_every_hash(const char *text)
{
	char *real = errors_with(text, NULL);
	char *all = errors_with(text, same_hash);
	char *some = errors_with(text, length_hash);
	assert_string_equal(all, real);
	assert_string_equal(some, real);
	free(all);
	free(some);
	return real;
}

static char *
read_golden(const char *name)
{
	const char *srcdir = getenv("srcdir");
	char path[4096];
	FILE *f;
	char *text;
	long n;
	snprintf(path, sizeof path, "%s/tests/golden/check/%s", srcdir ? srcdir : ".", name);
	f = fopen(path, "rb");
	if (!f)
		fail_msg("cannot open %s", path);
	fseek(f, 0, SEEK_END);
	n = ftell(f);
	fseek(f, 0, SEEK_SET);
	text = malloc((size_t)n + 1);
	assert_true(fread(text, 1, (size_t)n, f) == (size_t)n);
	text[n] = '\0';
	fclose(f);
	return text;
}

/* The golden cases of C name clashes. */
static void
test_golden_clashes(void **state)
{
	static const char *const cases[] = {
		"c-name-collision.idl", "c-name-clash-helpers.idl", "c-name-module-macros.idl",
		"c-name-inherited-helper.idl", "c-name-reserved.idl",
	};
	size_t i;
	(void)state;
	for (i = 0; i < sizeof cases / sizeof *cases; i++) {
		char *text = read_golden(cases[i]);
		char *errors = same_under_every_hash(text);
		assert_contains(errors, "error:");
		free(errors);
		free(text);
	}
}

/* Many names and a few clashes: each clash found once, with the right
 * earlier owner, whichever names share a hash; inherited helpers are made
 * again from their interface's walk. */
static void
test_many_names(void **state)
{
	size_t cap = 1 << 16, n = 0;
	char *text = malloc(cap);
	char *errors;
	int i;
	(void)state;
	n += (size_t)snprintf(text + n, cap - n,
			      "module test;\n"
			      "enum Format : u8 { S16 = 1, F32 = 2 };\n"
			      "[base] interface Base { void go(); void run(); };\n"
			      "interface Derived : Base { void stop(); };\n");
	for (i = 0; i < 120; i++)
		n += (size_t)snprintf(text + n, cap - n, "struct S%d { u8 a; u16 b; };\n", i);
	n += (size_t)snprintf(text + n, cap - n,
			      "struct Format_S16 { u8 x; };\n"
			      "struct Derived_run { u8 x; };\n"
			      "struct S7_x { u8 x; };\n");
	errors = same_under_every_hash(text);
	assert_int_equal(count_substr(errors, "error:"), 2);
	assert_contains(errors, "the C name 'test_Format_S16' of struct 'Format_S16' is also the C name of enum value 'Format.S16'");
	assert_contains(errors, "the C name 'test_Derived_run' of struct 'Derived_run' is also the C name of the helper of inherited method 'Derived.run'");
	free(errors);
	free(text);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_golden_clashes),
		cmocka_unit_test(test_many_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
