/* Holds an embedded descriptor to the JSON descriptor `chitin gen --json`
 * wrote: the blob decodes, names the targets of its class, and on each of
 * them it holds what the JSON says (both encode alone to the same bytes,
 * and the comparator accepts it both ways).
 *
 *   desc_check PLUGIN.so MODULE MODULE.json
 *       loads a plugin built from <module>_desc.c in implementer mode, as a
 *       loader would, and checks the descriptor its entry symbol points at,
 *       and that its exports table is there;
 *   desc_check --blob FILE TARGET MODULE.json
 *       checks the first descriptor in FILE (the bytes of a .chitin section,
 *       or a whole object file, searched for the magic), which must be for
 *       a class that holds TARGET;
 *   desc_check --section FILE COUNT
 *       walks the bytes of a .chitin section as a reader does
 *       (doc/descriptor.md 3): blob after blob, skipping the zero bytes
 *       between them; each must decode, and there must be COUNT. */
#include "compile.h"
#include "describe.h"
#include "jsonread.h"
#include "objfile.h"

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

/* d encoded alone, malloc'd, into *n. */
static uint8_t *
encode_alone(const struct chitin_descriptor *d, size_t *n)
{
	size_t work_size = chitin_desc_encode_work_size(d, 1);
	void *work = malloc(work_size ? work_size : 1);
	uint8_t *buf;
	*n = chitin_desc_encode(d, 1, 0, NULL, 0, NULL, work, work_size);
	buf = malloc(*n ? *n : 1);
	if (!work || !buf)
		abort();
	chitin_desc_encode(d, 1, 0, buf, *n, NULL, work, work_size);
	free(work);
	return buf;
}

/* Whether the space-separated list holds name. */
static bool
lists(const char *list, const char *name)
{
	size_t n = strlen(name);
	const char *p;
	for (p = list; (p = strstr(p, name)) != NULL; p += n)
		if ((p == list || p[-1] == ' ') && (p[n] == ' ' || p[n] == '\0'))
			return true;
	return false;
}

/* Checks the blob at the start of the len bytes at blob against the JSON
 * document root on target, or on every target of the blob's class when
 * target is NULL. */
static int
check_blob(const uint8_t *blob, size_t len, const struct jv *root, const char *target,
	   struct arena *arena)
{
	struct chitin_descriptor embedded;
	size_t need = 0, blob_size, ti;
	enum chitin_desc_status st;
	void *scratch;
	int failed = 0;

	st = chitin_desc_probe(blob, len, &blob_size);
	if (st != CHITIN_DESC_OK)
		return fail("probe", chitin_desc_status_text(st));
	chitin_desc_decode(blob, blob_size, NULL, 0, &embedded, &need);
	scratch = malloc(need ? need : 1);
	st = chitin_desc_decode(blob, blob_size, scratch, need, &embedded, &need);
	if (st != CHITIN_DESC_OK)
		return fail("decode", chitin_desc_status_text(st));
	if (target && !lists(embedded.targets, target))
		return fail("the descriptor's class does not hold the target", target);
	for (ti = 0; ti < TARGET_COUNT && !failed; ti++) {
		struct chitin_descriptor from_json;
		char err[256];
		uint8_t *a, *b;
		size_t n1, n2;
		if (target ? strcmp(targets[ti].name, target) != 0 : !lists(embedded.targets, targets[ti].name))
			continue;
		if (!desc_from_json(&from_json, arena, root, targets[ti].name, err, sizeof err))
			return fail("JSON descriptor", err);
		/* one target's JSON against the class's blob: the same contents
		 * once both name the class's targets */
		from_json.targets = embedded.targets;
		a = encode_alone(&embedded, &n1);
		b = encode_alone(&from_json, &n2);
		if (n1 != n2 || memcmp(a, b, n1) != 0)
			failed = fail("the embedded descriptor differs from the JSON one on", targets[ti].name);
		else if (desc_compare(&from_json, &embedded, from_json.minor, NULL) != 0 ||
			 desc_compare(&embedded, &from_json, from_json.minor, NULL) != 0)
			failed = fail("the comparator refuses the descriptor on", targets[ti].name);
		else
			printf("desc_check: %zu-byte descriptor of class '%s' matches the JSON on %s\n",
			       blob_size, embedded.targets, targets[ti].name);
		free(a);
		free(b);
	}
	free(scratch);
	return failed;
}

static struct jv *
read_json(const char *path, struct arena *arena, char **text)
{
	char err[256];
	size_t len;
	struct jv *root;
	if (!compile_read_file(path, text, &len)) {
		fail("cannot read", path);
		return NULL;
	}
	root = json_parse(arena, *text, len, err, sizeof err);
	if (!root)
		fail("JSON", err);
	return root;
}

/* The first offset of the len bytes at p where a descriptor starts. */
static size_t
find_blob(const uint8_t *p, size_t len)
{
	size_t i;
	for (i = 0; i + 4 <= len; i++)
		if (memcmp(p + i, "CHTN", 4) == 0 && chitin_desc_probe(p + i, len - i, NULL) == CHITIN_DESC_OK)
			return i;
	return len;
}

/* The number of blobs in the section bytes p[0, len), each decoded, or
 * -1 when something other than a blob or zero padding is met. */
static long
walk_section(const uint8_t *p, size_t len)
{
	size_t at = 0, size = 0;
	long n = 0;
	enum chitin_desc_status st;
	while (obj_next_blob(p, len, &at, &size, &st)) {
		void *scratch;
		size_t need = 0;
		struct chitin_descriptor d;
		if (st != CHITIN_DESC_OK)
			return -1;
		chitin_desc_decode(p + at, size, NULL, 0, &d, &need);
		scratch = malloc(need ? need : 1);
		st = chitin_desc_decode(p + at, size, scratch, need, &d, &need);
		free(scratch);
		if (st != CHITIN_DESC_OK)
			return -1;
		n++;
		at += size;
	}
	return n;
}

int
main(int argc, char **argv)
{
	struct arena arena;
	struct jv *root;
	char *json = NULL;
	int status;

	arena_init(&arena);
	if (argc == 4 && strcmp(argv[1], "--section") == 0) {
		char *bytes;
		size_t len;
		long n;
		if (!compile_read_file(argv[2], &bytes, &len))
			return fail("cannot read", argv[2]);
		n = walk_section((const uint8_t *)bytes, len);
		free(bytes);
		arena_free(&arena);
		if (n != strtol(argv[3], NULL, 10)) {
			fprintf(stderr, "desc_check: %s: %ld blobs, not %s\n", argv[2], n, argv[3]);
			return 1;
		}
		return 0;
	}
	if (argc == 5 && strcmp(argv[1], "--blob") == 0) {
		char *bytes;
		size_t len, at;
		if (!compile_read_file(argv[2], &bytes, &len))
			return fail("cannot read", argv[2]);
		at = find_blob((const uint8_t *)bytes, len);
		if (at == len)
			return fail("no descriptor in", argv[2]);
		if (!(root = read_json(argv[4], &arena, &json)))
			return 1;
		status = check_blob((const uint8_t *)bytes + at, len - at, root, argv[3], &arena);
		free(bytes);
	} else if (argc == 4) {
		char symbol[256];
		const chitin_module *entry;
		void *lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
		if (!lib)
			return fail("dlopen", dlerror());
		snprintf(symbol, sizeof symbol, "chitin_module_%s", argv[2]);
		entry = (const chitin_module *)dlsym(lib, symbol);
		if (!entry)
			return fail("no entry symbol", symbol);
		if (!(root = read_json(argv[3], &arena, &json)))
			return 1;
		status = check_blob(entry->descriptor, SIZE_MAX, root, NULL, &arena);
		if (!status && (!entry->exports || *(const uint32_t *)entry->exports < 8))
			status = fail("the exports table is missing or empty", NULL);
	} else {
		return fail("usage: desc_check PLUGIN.so MODULE MODULE.json | "
			    "desc_check --blob FILE TARGET MODULE.json", NULL);
	}
	free(json);
	arena_free(&arena);
	return status;
}
