/* The host of tests/run-wasm.sh: one wasm32-wasi module holds it,
 * libchitin, the implementation of module lm (tests/cgen/loader/plugin.c
 * and lm_desc.c) and a second entry of lm built from a changed lm.idl
 * (changed.c).  Nothing can be opened there, so the host registers each
 * entry and loads it by name: the first loads and its exports and an
 * interface's methods are called, the second is refused, and a path
 * does not open.  Prints a line per check and, for the refusals, the
 * loader's report; exits 1 if a check failed. */
#include "lm.h"

#include <chitin/runtime.h>

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#if !(defined(__wasm32__) && defined(__wasi__))
#error "built for wasm32-wasi only"
#endif

extern const chitin_module chitin_module_lm;
extern const chitin_module chitin_module_lm_changed;

static int failures;

static void
expect(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

static void
report(const chitin_load_error *err)
{
	char text[4096];
	chitin_load_error_format(err, text, sizeof text);
	fputs(text, stdout);
}

int
main(void)
{
	const chitin_plugin *plugin = NULL;
	const lm_exports *ex = NULL;
	chitin_load_error *err = NULL;
	chitin_module beyond;
	lm_Point p = { 0, 0 };
	lm_Counter *counter = NULL;
	uint32_t n = 0;
	int32_t sum = 0;
	char text[4096];

	/* wasm32's layout: ILP32, 8-byte alignment of 64-bit integers */
	expect(sizeof(void *) == 4 && sizeof(lm_Pair) == 16 && sizeof(lm_Scale) == 12,
	       "lm's types have wasm32's layout");

	expect(chitin_load_registered("lm", lm_descriptor(), 0, &plugin, &err) == CHITIN_FAILED &&
		       chitin_load_error_reason(err) == CHITIN_LOAD_NOT_REGISTERED,
	       "an unregistered module is not found");
	chitin_load_error_free(err);
	expect(chitin_module_register("lm", &chitin_module_lm) == CHITIN_OK, "the module registers");
	expect(chitin_load_registered("lm", lm_descriptor(), 1, &plugin, &err) == CHITIN_OK && plugin,
	       "the registered module loads");
	if (!plugin) {
		report(err);
		return 1;
	}
	expect(chitin_plugin_minor(plugin) == 1, "its record says its minor version");
	ex = (const lm_exports *)chitin_plugin_exports(plugin);
	expect(lm_exports_make_point(ex, 3, 4, &p) == CHITIN_OK && p.x == 3 && p.y == 4,
	       "make_point(3, 4) is (3, 4)");
	expect(lm_exports_sum(ex, p, &sum) == CHITIN_OK && sum == 7, "sum((3, 4)) is 7");
	expect(lm_exports_new_counter(ex, &counter) == CHITIN_OK && counter, "new_counter");
	if (counter) {
		expect(counter->vtbl->header.flags == CHITIN_VTABLE_THREADSAFE,
		       "the counter's vtable has the [threadsafe] flag");
		expect(lm_Counter_add(counter, 2, &n) == CHITIN_OK && n == 2, "Counter.add(2) is 2");
		expect(lm_Counter_add(counter, 5, &n) == CHITIN_OK && n == 7, "Counter.add(5) is 7");
		expect(lm_Counter_total(counter, &n) == CHITIN_OK && n == 7, "Counter.total() is 7");
		lm_Counter_release(counter);
	}

	/* the entry of the changed lm.idl, registered in its place */
	expect(chitin_module_register("lm", &chitin_module_lm_changed) == CHITIN_OK,
	       "the changed entry registers, replacing the first");
	expect(chitin_load_registered("lm", lm_descriptor(), 0, &plugin, &err) == CHITIN_FAILED &&
		       chitin_load_error_reason(err) == CHITIN_LOAD_INCOMPATIBLE && !plugin,
	       "the changed entry is refused as incompatible");
	chitin_load_error_format(err, text, sizeof text);
	chitin_load_error_free(err);
	expect(strstr(text, "type 'lm.Pair': field 'b' has type hash") != NULL,
	       "the report names the changed field");
	fputs(text, stdout);

	/* an entry whose exports table lies past the end of linear memory
	 * (registered once: the registry keeps a pointer to the entry) */
	beyond.descriptor = chitin_module_lm.descriptor;
	beyond.exports = (const void *)(uintptr_t)0xfffffff0u;
	expect(chitin_module_register("lm", &beyond) == CHITIN_OK &&
		       chitin_load_registered("lm", lm_descriptor(), 0, &plugin, &err) == CHITIN_FAILED &&
		       chitin_load_error_reason(err) == CHITIN_LOAD_BAD_EXPORTS,
	       "an exports table past the end of linear memory is refused");
	report(err);
	chitin_load_error_free(err);
	/* and one whose descriptor does: none of it is read */
	beyond.descriptor = (const uint8_t *)(uintptr_t)0xfffffff0u;
	beyond.exports = chitin_module_lm.exports;
	expect(chitin_load_registered("lm", lm_descriptor(), 0, &plugin, &err) == CHITIN_FAILED &&
		       chitin_load_error_reason(err) == CHITIN_LOAD_BAD_DESCRIPTOR,
	       "a descriptor past the end of linear memory is refused");
	report(err);
	chitin_load_error_free(err);

	/* no dynamic loading: a path reports OPEN */
	expect(lm_load("plugins/lm.so", 0, &ex, NULL, &err) == CHITIN_FAILED &&
		       chitin_load_error_reason(err) == CHITIN_LOAD_OPEN &&
		       strstr(chitin_load_error_detail(err), "chitin_module_register") != NULL,
	       "chitin_load of a path cannot open it");
	report(err);
	chitin_load_error_free(err);
	return failures ? 1 : 0;
}
