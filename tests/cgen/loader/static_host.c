/* A static build (doc/abi.md 8.5): the implementation of lm is linked
 * into the program, which registers its entry and loads it by name with
 * the same checks as a plugin's. */
#include "lm.h"

#include <chitin/runtime.h>

#include <stdio.h>
#include <string.h>

extern const chitin_module chitin_module_lm;

static int failures;

static void
expect(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

int
main(void)
{
	const chitin_plugin *plugin = NULL;
	const lm_exports *ex;
	chitin_load_error *err = NULL;
	lm_Point p = { 0, 0 };

	expect(chitin_load_registered("lm", lm_descriptor(), 0, &plugin, &err) == CHITIN_FAILED &&
		       chitin_load_error_reason(err) == CHITIN_LOAD_NOT_REGISTERED && !plugin,
	       "an unregistered module is not found");
	chitin_load_error_free(err);
	expect(chitin_module_register("lm", &chitin_module_lm) == CHITIN_OK, "the module registers");
	expect(chitin_module_register(NULL, &chitin_module_lm) == CHITIN_INVALID_ARG, "a NULL name is refused");
	expect(chitin_load_registered("other", lm_descriptor(), 0, &plugin, NULL) == CHITIN_INVALID_ARG,
	       "the host's descriptor must be the module's");
	expect(chitin_load_registered("lm", lm_descriptor(), 2, &plugin, &err) == CHITIN_FAILED &&
		       chitin_load_error_reason(err) == CHITIN_LOAD_INCOMPATIBLE &&
		       chitin_load_error_problem(err, 0)->kind == CHITIN_DESC_P_MINOR,
	       "the registered module is checked: minor 2 is refused");
	chitin_load_error_free(err);
	expect(chitin_load_registered("lm", lm_descriptor(), 1, &plugin, &err) == CHITIN_OK && plugin && !err,
	       "the registered module loads");
	expect(chitin_plugin_minor(plugin) == 1 && strcmp(chitin_plugin_path(plugin), "lm") == 0,
	       "its record says its version and name");
	ex = (const lm_exports *)chitin_plugin_exports(plugin);
	expect(ex && lm_exports_make_point(ex, 5, 6, &p) == CHITIN_OK && p.x == 5 && p.y == 6,
	       "its exports are called");
	return failures ? 1 : 0;
}
