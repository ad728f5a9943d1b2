/* Loads a plugin built from a generated <module>_desc.c (implementer
 * mode), as a loader would, and holds its embedded descriptor to the JSON
 * descriptor `chitin gen --json` wrote: the blob decodes, and it encodes
 * to the same bytes as the descriptor read back from the JSON.  Then calls
 * the first export through the exports table.
 *
 *   desc_check PLUGIN.so MODULE MODULE.json */
#include "compile.h"
#include "describe.h"
#include "jsonread.h"

#include <chitin/chitin.h>
#include <chitin/descriptor.h>

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int
fail(const char *what, const char *detail)
{
	fprintf(stderr, "desc_check: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	return 1;
}

int
main(int argc, char **argv)
{
	char symbol[256], err[256];
	void *lib;
	const chitin_module *entry;
	struct chitin_descriptor embedded, from_json;
	size_t need = 0, blob_size, json_len, n1, n2, work_size;
	void *scratch, *work;
	char *json;
	struct arena arena;
	struct jv *root;
	uint8_t *a, *b;
	enum chitin_desc_status st;

	if (argc != 4)
		return fail("usage: desc_check PLUGIN.so MODULE MODULE.json", NULL);
	lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!lib)
		return fail("dlopen", dlerror());
	snprintf(symbol, sizeof symbol, "chitin_module_%s", argv[2]);
	entry = (const chitin_module *)dlsym(lib, symbol);
	if (!entry)
		return fail("no entry symbol", symbol);
	st = chitin_desc_probe(entry->descriptor, SIZE_MAX, &blob_size);
	if (st != CHITIN_DESC_OK)
		return fail("probe", chitin_desc_status_text(st));
	chitin_desc_decode(entry->descriptor, blob_size, NULL, 0, &embedded, &need);
	scratch = malloc(need ? need : 1);
	st = chitin_desc_decode(entry->descriptor, blob_size, scratch, need, &embedded, &need);
	if (st != CHITIN_DESC_OK)
		return fail("decode", chitin_desc_status_text(st));

	if (!compile_read_file(argv[3], &json, &json_len))
		return fail("cannot read", argv[3]);
	arena_init(&arena);
	root = json_parse(&arena, json, json_len, err, sizeof err);
	if (!root)
		return fail("JSON", err);
	if (!desc_from_json(&from_json, &arena, root, embedded.targets, err, sizeof err))
		return fail("JSON descriptor", err);

	work_size = chitin_desc_encode_work_size(&embedded, 1);
	if (chitin_desc_encode_work_size(&from_json, 1) > work_size)
		work_size = chitin_desc_encode_work_size(&from_json, 1);
	work = malloc(work_size ? work_size : 1);
	n1 = chitin_desc_encode(&embedded, 1, 0, NULL, 0, NULL, work, work_size);
	n2 = chitin_desc_encode(&from_json, 1, 0, NULL, 0, NULL, work, work_size);
	a = malloc(n1 ? n1 : 1);
	b = malloc(n2 ? n2 : 1);
	chitin_desc_encode(&embedded, 1, 0, a, n1, NULL, work, work_size);
	chitin_desc_encode(&from_json, 1, 0, b, n2, NULL, work, work_size);
	free(work);
	if (n1 != n2 || memcmp(a, b, n1) != 0 || n1 != blob_size ||
	    memcmp(a, entry->descriptor, n1) != 0)
		return fail("the embedded descriptor differs from the JSON one on", embedded.targets);
	if (chitin_desc_compare(&from_json, &embedded, from_json.minor, NULL) != 0)
		return fail("the comparator refuses the plugin on", embedded.targets);
	if (!entry->exports || *(const uint32_t *)entry->exports < 8)
		return fail("the exports table is missing or empty", NULL);
	printf("desc_check: %s: %zu-byte descriptor for %s matches %s; exports table of %u bytes\n",
	       argv[1], blob_size, embedded.targets, argv[3], *(const uint32_t *)entry->exports);
	free(a);
	free(b);
	free(scratch);
	free(json);
	arena_free(&arena);
	return 0;
}
