/* The host of tests/run-loader.sh: loads the plugin named on the command
 * line as module lm (1.1), requiring the minor version given, and calls
 * every export; or prints the loader's report and exits 3.  Linked with
 * -rdynamic, it exports a function named like the plugin's make_point,
 * which the plugin's table must not bind to. */
/* the host imports none of lm's exports from a DLL: it reaches the
 * plugin's through its table, and defines one of the names itself */
#define LM_STATIC 1
#include "lm.h"

#include <chitin/runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The host's own lm_make_point: never the one the plugin's table gives. */
CHITIN_EXPORT chitin_status CHITIN_CALL lm_make_point(int32_t x, int32_t y, lm_Point *ret);

chitin_status CHITIN_CALL
lm_make_point(int32_t x, int32_t y, lm_Point *ret)
{
	(void)x;
	(void)y;
	ret->x = ret->y = -1;
	return CHITIN_FAILED;
}

static int failures;

static int scale_releases;

static chitin_status CHITIN_CALL
scale_call(void *ctx, uint32_t value, uint32_t *ret)
{
	*ret = value * *(const uint32_t *)ctx;
	return CHITIN_OK;
}

static void CHITIN_CALL
scale_release(void *ctx)
{
	(void)ctx;
	scale_releases++;
}

static void
expect(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

int
main(int argc, char **argv)
{
	static const chitin_typeid object_iid = CHITIN_OBJECT_IID;
	const lm_exports *ex;
	const chitin_plugin *plugin;
	chitin_load_error *err;
	lm_Point p = { 0, 0 };
	lm_Counter *counter = NULL;
	uint32_t n = 0;
	int32_t sum = 0;
	chitin_status st;
	chitin_object *id1, *id2;

	{
		/* the callback helpers: a call with the context, one release */
		uint32_t factor = 3, scaled = 0;
		lm_Scale scale;
		scale.call = scale_call;
		scale.ctx = &factor;
		scale.release = scale_release;
		expect(lm_Scale_call(&scale, 5, &scaled) == CHITIN_OK && scaled == 15, "lm_Scale_call");
		lm_Scale_release(&scale);
		lm_Scale_release(&scale);
		expect(scale_releases == 1 && scale.release == NULL, "lm_Scale_release releases once");
	}
	if (argc != 3) {
		fprintf(stderr, "usage: host PLUGIN REQUIRED_MINOR\n");
		return 2;
	}
	if (lm_load(argv[1], (uint16_t)atoi(argv[2]), &ex, &plugin, &err) != CHITIN_OK) {
		char report[4096];
		size_t n = chitin_load_error_format(err, report, sizeof report);
		fputs(report, stdout);
		printf("reason %d\n", (int)chitin_load_error_reason(err));
		/* the report's parts, each as the text says */
		expect(n == strlen(report) && strcmp(chitin_load_error_library(err), argv[1]) == 0 &&
			       strcmp(chitin_load_error_module(err), "lm") == 0,
		       "the error names the library and the module");
		if (chitin_load_error_reason(err) == CHITIN_LOAD_INCOMPATIBLE) {
			const struct chitin_desc_problem *first = chitin_load_error_problem(err, 0);
			char line[512];
			chitin_desc_format_problem(first, line, sizeof line);
			expect(first && chitin_load_error_problem_count(err) > 0 && strstr(report, line) &&
				       !chitin_load_error_problem(err, chitin_load_error_problem_count(err)),
			       "the problems are the report's");
		} else {
			expect(chitin_load_error_problem_count(err) == 0 && !chitin_load_error_problem(err, 0),
			       "no problems but for an incompatible library");
		}
		chitin_load_error_free(err);
		return 3;
	}
	expect(err == NULL, "no error on success");
	printf("plugin %s %u.%u from %s\n", chitin_plugin_module(plugin), (unsigned)chitin_plugin_major(plugin),
	       (unsigned)chitin_plugin_minor(plugin), chitin_plugin_path(plugin));
	expect(chitin_plugin_exports(plugin) == (const void *)ex && chitin_plugin_descriptor(plugin) != NULL,
	       "the plugin's record holds its exports and descriptor");
	{
		/* a second load of the same library: the same record */
		const chitin_plugin *again = NULL;
		expect(lm_load(argv[1], 0, NULL, &again, NULL) == CHITIN_OK && again == plugin,
		       "loading the library again gives the same record");
	}
	expect(lm_exports_make_point(ex, 3, 4, &p) == CHITIN_OK && p.x == 3 && p.y == 4,
	       "make_point is the plugin's, not the host's");
	expect(lm_exports_new_counter(ex, &counter) == CHITIN_OK && counter, "new_counter");
	if (!counter)
		return 1;
	expect(counter->vtbl->header.flags == CHITIN_VTABLE_THREADSAFE,
	       "CHITIN_VTABLE_HEADER gives a [threadsafe] interface's vtable its flag");
	expect(lm_Counter_add(counter, 2, &n) == CHITIN_OK && n == 2, "add 2");
	expect(lm_Counter_add(counter, 5, &n) == CHITIN_OK && n == 7, "add 5");
	st = lm_Counter_total(counter, &n);
	if (st == CHITIN_OK)
		printf("total %u\n", (unsigned)n);
	else
		printf("total %s\n", chitin_status_text(st));
	st = lm_exports_sum(ex, p, &sum);
	if (st == CHITIN_OK)
		printf("sum %d\n", (int)sum);
	else
		printf("sum %s\n", chitin_status_text(st));
	/* identity through query(object) */
	id1 = lm_Counter_as_object(counter)->vtbl->query(lm_Counter_as_object(counter), &object_iid);
	id2 = lm_Counter_as_object(counter)->vtbl->query(id1, &object_iid);
	expect(id1 == lm_Counter_as_object(counter) && id2 == id1, "query(object) is the object");
	chitin_release(id2);
	chitin_release(id1);
	lm_Counter_release(counter);
	return failures ? 1 : 0;
}
