/* The C side of the Rust loader's test in tests/run-loader.sh: loads each
 * PLUGIN given (with the REQUIRED_MINOR after it) as module lm with
 * libchitin's chitin_load, against the host-mode lm_desc.c linked in, and
 * prints what tests/rust/rload.rs prints for the same plugin through the
 * crate's chitin::load::load:
 *
 *     load PLUGIN MINOR
 *     plugin lm 1.1 from PATH              (the record: module, version, path)
 *     descriptor N bytes
 *     exports N bytes, make_point(3, 4) = 3 4
 *
 * or, for a refused plugin, the report of chitin_load_error_format and
 * each of the error's parts:
 *
 *     cannot load 'PLUGIN' as module lm: ...
 *     reason 8 INCOMPATIBLE
 *     library PLUGIN
 *     module lm
 *     detail ...
 *     problems 1 more 0
 *
 * Usage: cload [PLUGIN REQUIRED_MINOR]... */
#define LM_STATIC 1
#include "lm.h"

#include <chitin/runtime.h>

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>

static const char *const reason_names[] = {
#define REASON_NAME_(name, text) #name,
	CHITIN_LOAD_REASONS(REASON_NAME_)
#undef REASON_NAME_
};

static void
print_plugin(const chitin_plugin *plugin)
{
	const lm_exports *ex = (const lm_exports *)chitin_plugin_exports(plugin);
	size_t size = 0;
	printf("plugin %s %u.%u from %s\n", chitin_plugin_module(plugin), (unsigned)chitin_plugin_major(plugin),
	       (unsigned)chitin_plugin_minor(plugin), chitin_plugin_path(plugin));
	chitin_desc_probe(chitin_plugin_descriptor(plugin), SIZE_MAX, &size);
	printf("descriptor %lu bytes\n", (unsigned long)size);
	if (!ex) {
		printf("no exports\n");
		return;
	}
	printf("exports %lu bytes", (unsigned long)ex->size);
	if (ex->size >= offsetof(lm_exports, make_point) + sizeof ex->make_point && ex->make_point) {
		lm_Point p = { 0, 0 };
		chitin_status st = ex->make_point(3, 4, &p);
		if (st == CHITIN_OK)
			printf(", make_point(3, 4) = %d %d\n", (int)p.x, (int)p.y);
		else
			printf(", make_point(3, 4): %s\n", chitin_status_text(st));
	} else {
		printf(", no make_point\n");
	}
}

static void
print_error(const chitin_load_error *err)
{
	size_t n = chitin_load_error_format(err, NULL, 0);
	char *report = (char *)malloc(n + 1);
	chitin_load_reason reason = chitin_load_error_reason(err);
	if (!report) {
		printf("no memory for the report\n");
		return;
	}
	chitin_load_error_format(err, report, n + 1);
	fputs(report, stdout);
	free(report);
	printf("reason %d %s\n", (int)reason,
	       (unsigned)reason < CHITIN_LOAD_N_REASONS ? reason_names[reason] : "?");
	printf("library %s\n", chitin_load_error_library(err));
	printf("module %s\n", chitin_load_error_module(err));
	printf("detail %s\n", chitin_load_error_detail(err));
	printf("problems %u more %d\n", (unsigned)chitin_load_error_problem_count(err), chitin_load_error_more(err));
}

int
main(int argc, char **argv)
{
	int i;
	if (argc % 2 != 1) {
		fprintf(stderr, "usage: cload [PLUGIN REQUIRED_MINOR]...\n");
		return 2;
	}
	for (i = 1; i + 1 < argc; i += 2) {
		const chitin_plugin *plugin = NULL;
		chitin_load_error *err = NULL;
		printf("load %s %s\n", argv[i], argv[i + 1]);
		if (chitin_load(argv[i], lm_descriptor(), (uint16_t)atoi(argv[i + 1]), &plugin, &err) == CHITIN_OK) {
			print_plugin(plugin);
		} else {
			print_error(err);
			chitin_load_error_free(err);
		}
	}
	return 0;
}
