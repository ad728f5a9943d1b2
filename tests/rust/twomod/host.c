/* The C side of tests/rust/twomod: calls xb_make directly (linked with
 * the Rust library), then loads the library as both modules and calls
 * each export and method through the tables.  Prints "ok" or "FAIL" per
 * check; exits 1 when one failed. */
#include "xb.h"

#include <chitin/runtime.h>

#include <stdio.h>

static int failures;

static void
expect(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

int
main(int argc, char **argv)
{
	xa_P p = { 3, 4 }, q = { 0, 0 };
	const xb_exports *ex = NULL;
	xb_Thing *thing = NULL;
	xa_Base *base = NULL;
	uint32_t n = 0;
	if (argc != 2)
		return 2;
	expect(xb_make(p, chitin_str_from_cstr("abc"), &q) == CHITIN_OK && q.x == 6 && q.y == 40,
	       "xb_make, linked directly, takes and gives xa.P");
	expect(xa_load(argv[1], 0, NULL, NULL) == CHITIN_OK, "the library loads as xa, which has no exports");
	expect(xb_load(argv[1], 0, &ex, NULL, NULL) == CHITIN_OK && ex, "the library loads as xb");
	if (!ex)
		return 1;
	q.x = q.y = 0;
	expect(xb_exports_make(ex, p, chitin_str_from_cstr("ab"), &q) == CHITIN_OK && q.x == 5 && q.y == 40,
	       "make through the table");
	expect(xb_exports_open(ex, &thing) == CHITIN_OK && thing, "open gives a Thing");
	if (thing) {
		expect(xb_Thing_twice(thing, 21, &n) == CHITIN_OK && n == 42, "Thing.twice");
		expect(xa_Base_get(xb_Thing_as_xa_Base(thing), &q) == CHITIN_OK && q.x == 1 && q.y == 2,
		       "Thing is an xa.Base, the inherited slot");
		xb_Thing_release(thing);
	}
	expect(xb_exports_base(ex, &base) == CHITIN_OK && base, "base gives an xa.Base");
	if (base) {
		expect(xa_Base_get(base, &q) == CHITIN_OK && q.x == 1, "Base.get");
		xa_Base_release(base);
	}
	return failures ? 1 : 0;
}
