/* Fuzz target for the whole compile pipeline.  An input is up to four
 * IDL files, split at lines that are exactly "%%" (after the third such
 * line the rest is the fourth file), written as a.idl, b.idl, c.idl and
 * d.idl in a directory of their own, so that they can import each other
 * by those names, and all named as chitin gen's files are.  They are
 * compiled as every command compiles (ck_build with every backend's name
 * checks, to ids and layout classes), and when chitin accepts them, each
 * module named is written by every backend and both layout printers
 * into memory, and:
 *  - every output is text without a NUL; the JSON outputs parse;
 *  - the JSON descriptor reads back, on every target, into the
 *    descriptor of the model on that target, field by field;
 *  - the model's descriptor compared with itself finds nothing, on
 *    every target;
 *  - each descriptor class's blob decodes into the model's descriptor on
 *    every target of the class (so the targets a class joins do share
 *    its layouts), names exactly them, and compares with it finding
 *    nothing, both ways.
 * Diagnostics of rejected inputs go to /dev/null.  With the environment
 * variable FUZZ_FRONTEND_KEEP=DIR, each accepted input's files are kept
 * in DIR/PID-N/, for the slower check tests/fuzz-compile.sh makes of a
 * corpus: that their C header and descriptor source compile.
 *
 * make check runs it through tests/fuzz_run.c on the seeds of
 * tests/fuzz-seeds.sh (tests/run-fuzz.sh); make fuzz with libFuzzer. */
#define _POSIX_C_SOURCE 200809L /* mkdtemp */

#include "backends/backend.h"
#include "backends/json.h"
#include "backends/layout_print.h"
#include "checked.h"
#include "desc_equal.h"
#include "describe.h"
#include "jsonread.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define MAX_FILES 4

static char dir[4096];
static char paths[MAX_FILES][4200];
static FILE *devnull;
static unsigned long kept;

static void
remove_dir(void)
{
	int i;
	for (i = 0; i < MAX_FILES; i++)
		unlink(paths[i]);
	rmdir(dir);
}

static void
fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz_frontend: %s%s%s\n", what, detail ? ": " : "", detail ? detail : "");
	abort();
}

/* The directory the files are written to, and the sink for diagnostics;
 * standard input is /dev/null, in case an input imports "/dev/stdin". */
static void
setup(void)
{
	const char *tmp = getenv("TMPDIR");
	int i, fd;
	snprintf(dir, sizeof dir, "%s/chitin-fuzz.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	if (!mkdtemp(dir))
		fail("cannot make a directory", strerror(errno));
	for (i = 0; i < MAX_FILES; i++)
		snprintf(paths[i], sizeof paths[i], "%s/%c.idl", dir, 'a' + i);
	atexit(remove_dir);
	devnull = fopen("/dev/null", "w");
	fd = open("/dev/null", O_RDONLY);
	if (!devnull || fd < 0 || dup2(fd, 0) < 0)
		fail("cannot open /dev/null", strerror(errno));
	close(fd);
}

static void
write_file(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	if (!f || fwrite(p, 1, n, f) != n || fclose(f) != 0)
		fail("cannot write", path);
}

/* Splits the input into files; returns how many. */
static uint32_t
split(const uint8_t *data, size_t size)
{
	size_t start = 0, at = 0;
	uint32_t n = 0;
	while (n < MAX_FILES - 1) {
		/* the next line "%%", at the start or after a newline */
		const uint8_t *line = NULL;
		for (; at + 2 <= size; at++)
			if ((at == 0 || data[at - 1] == '\n') && data[at] == '%' && data[at + 1] == '%' &&
			    (at + 2 == size || data[at + 2] == '\n')) {
				line = data + at;
				break;
			}
		if (!line)
			break;
		write_file(paths[n++], data + start, at - start);
		at += at + 2 < size ? 3 : 2;
		start = at;
	}
	write_file(paths[n++], data + start, size - start);
	for (uint32_t i = n; i < MAX_FILES; i++)
		unlink(paths[i]);
	return n;
}

static void
keep(uint32_t n)
{
	const char *to = getenv("FUZZ_FRONTEND_KEEP");
	char sub[4200], path[4300];
	uint32_t i;
	if (!to || !*to)
		return;
	snprintf(sub, sizeof sub, "%s/%ld-%lu", to, (long)getpid(), kept++);
	if (mkdir(sub, 0777) != 0)
		fail("cannot make", sub);
	for (i = 0; i < n; i++) {
		char *text;
		size_t len;
		if (!compile_read_file(paths[i], &text, &len))
			fail("cannot read", paths[i]);
		snprintf(path, sizeof path, "%s/%c.idl", sub, 'a' + i);
		write_file(path, (const uint8_t *)text, len);
		free(text);
	}
}

/* An output: text, without a NUL before its end. */
static void
check_text(const struct outbuf *b, const char *what)
{
	if (strlen(b->data) != b->len)
		fail("an output holds a NUL", what);
}

static const struct backend *
backend_with_suffix(const char *suffix)
{
	uint32_t i;
	for (i = 0; i < n_backends; i++)
		if (strcmp(backends[i].suffix, suffix) == 0)
			return &backends[i];
	fail("no backend writes", suffix);
	return NULL;
}

static void
check_equal(const struct chitin_descriptor *a, const struct chitin_descriptor *b, bool same_targets,
	    const char *what)
{
	char why[1024];
	if (!desc_equal(a, b, same_targets, why, sizeof why)) {
		fprintf(stderr, "fuzz_frontend: %s: %s\n", what, why);
		abort();
	}
}

static void
check_same(const struct chitin_descriptor *host, const struct chitin_descriptor *plugin,
	   const char *what)
{
	struct chitin_desc_report r;
	char text[4096];
	if (desc_compare(host, plugin, host->minor, &r) != 0) {
		chitin_desc_format_report(&r, text, sizeof text);
		fprintf(stderr, "fuzz_frontend: %s: %s\n", what, text);
		abort();
	}
}

/* The JSON descriptor against the model, on every target. */
static void
check_json(const struct checked *ck, uint32_t mi, const struct outbuf *json, struct arena *arena)
{
	char err[256];
	struct jv *root = json_parse(arena, json->data, json->len, err, sizeof err);
	unsigned ti;
	if (!root)
		fail("the JSON descriptor does not parse", err);
	for (ti = 0; ti < TARGET_COUNT; ti++) {
		struct chitin_descriptor from_json, from_model;
		if (!desc_from_json(&from_json, arena, root, targets[ti].name, err, sizeof err))
			fail("the JSON descriptor does not read back", err);
		desc_from_model(&from_model, arena, ck, mi, ti);
		check_equal(&from_json, &from_model, true, "the JSON descriptor read back");
		check_same(&from_model, &from_model, "the model compared with itself");
	}
}

/* Each class's blob against the model on each of its targets. */
static void
check_blobs(const struct checked *ck, uint32_t mi, struct arena *arena)
{
	struct desc_blobs bl;
	unsigned all = 0;
	uint32_t k;
	if (!desc_encode_module(&bl, ck, mi))
		fail("a module's descriptor does not encode", ck->m->modules[mi].name);
	for (k = 0; k < bl.n; k++) {
		size_t size = bl.common + bl.part, needed = 0;
		uint8_t *blob = malloc(size);
		struct chitin_descriptor d;
		void *scratch;
		unsigned ti;
		if (!blob)
			abort();
		memcpy(blob, bl.bytes, bl.common);
		memcpy(blob + bl.common, bl.bytes + bl.common + k * bl.part, bl.part);
		if (chitin_desc_decode(blob, size, NULL, 0, &d, &needed) !=
			    CHITIN_DESC_SCRATCH_TOO_SMALL ||
		    !(scratch = malloc(needed)) ||
		    chitin_desc_decode(blob, size, scratch, needed, &d, NULL) != CHITIN_DESC_OK)
			fail("a class's blob does not decode", bl.names[k]);
		if (strcmp(d.targets, bl.names[k]) != 0)
			fail("a class's blob names other targets", d.targets);
		if (bl.mask[k] & all)
			fail("a target is in two classes", bl.names[k]);
		all |= bl.mask[k];
		for (ti = 0; ti < TARGET_COUNT; ti++) {
			struct chitin_descriptor m;
			if (!(bl.mask[k] & (1u << ti)))
				continue;
			desc_from_model(&m, arena, ck, mi, ti);
			check_equal(&d, &m, false, "a class's blob decoded");
			check_same(&d, &m, "a class's blob against the model");
			check_same(&m, &d, "the model against a class's blob");
		}
		free(scratch);
		free(blob);
	}
	if (all != TARGET_ALL)
		fail("a target is in no class", ck->m->modules[mi].name);
	desc_blobs_free(&bl);
}

static void
check_module(const struct checked *ck, uint32_t mi)
{
	const struct backend *json = backend_with_suffix(".json");
	struct arena arena;
	struct outbuf out;
	char err[256];
	uint32_t bi;

	arena_init(&arena);
	for (bi = 0; bi < n_backends; bi++) {
		ob_init(&out);
		backends[bi].emit(&out, ck, mi);
		check_text(&out, backends[bi].name);
		if (&backends[bi] == json)
			check_json(ck, mi, &out, &arena);
		ob_free(&out);
	}
	ob_init(&out);
	be_layout_text(&out, ck, mi, TARGET_ALL);
	check_text(&out, "chitin layout");
	ob_free(&out);
	ob_init(&out);
	be_json_layout(&out, ck, mi, TARGET_ALL);
	check_text(&out, "chitin layout --json");
	if (!json_parse(&arena, out.data, out.len, err, sizeof err))
		fail("chitin layout --json does not parse", err);
	ob_free(&out);
	check_blobs(ck, mi, &arena);
	arena_free(&arena);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *files[MAX_FILES];
	struct compile_options o;
	struct checked ck;
	uint32_t n, i, mi;

	if (!devnull)
		setup();
	n = split(data, size);
	for (i = 0; i < n; i++)
		files[i] = paths[i];
	memset(&o, 0, sizeof o);
	be_name_checks(&o);
	if (ck_build(&ck, devnull, &o, files, n, CK_IDS) == 0) {
		keep(n);
		for (mi = 0; mi < ck.m->n_modules; mi++)
			if (ck.m->modules[mi].from_command_line)
				check_module(&ck, mi);
	}
	ck_free(&ck);
	return 0;
}
