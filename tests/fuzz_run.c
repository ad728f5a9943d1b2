/* A short, deterministic run of a fuzz target without libFuzzer, for
 * make check: each FILE as it is, cut short at lengths spread over it,
 * and changed copies of it, with one to eight bytes replaced by a fixed
 * pseudo-random sequence, half of them near where a descriptor blob
 * starts ("CHTN") or in the file's first and last 4 KiB, where the
 * headers are.  Each input is in memory of exactly its size, so that
 * ASan sees a read past it.  Prints a line per file; a failed check is
 * the target's abort().  With -1, each FILE is run once, as it is.
 *
 *   fuzz_run [-n MUTANTS | -1] FILE... */
#include "compile.h"

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static uint64_t state = 0x9e3779b97f4a7c15u;

static uint64_t
next(void)
{
	/* xorshift64*: the same sequence everywhere */
	state ^= state >> 12;
	state ^= state << 25;
	state ^= state >> 27;
	return state * 0x2545f4914f6cdd1du;
}

static void
run(const uint8_t *p, size_t len)
{
	uint8_t *copy = malloc(len ? len : 1);
	if (!copy)
		abort();
	memcpy(copy, p, len);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
}

/* Where to change a byte: anywhere, near a blob, or in a header. */
static size_t
position(size_t len, const size_t *blobs, size_t n_blobs)
{
	uint64_t r = next();
	size_t at, edge = len < 4096 ? len : 4096;
	switch (r % 4) {
	case 0:
		if (!n_blobs)
			return (size_t)((r >> 8) % edge);
		at = blobs[(r >> 8) % n_blobs] + (size_t)((r >> 32) % 256);
		return at < len ? at : len - 1;
	case 1:
		return (size_t)((r >> 8) % edge);
	case 2:
		return len - 1 - (size_t)((r >> 8) % edge);
	default:
		return (size_t)((r >> 8) % len);
	}
}

int
main(int argc, char **argv)
{
	static const uint8_t values[] = { 0x00, 0xff, 0x7f, 0x80, 0x01, 0x20, 0x40, 0xfe };
	long mutants = 2000;
	int i = 1;
	bool once = false;

	if (argc > 2 && strcmp(argv[1], "-n") == 0) {
		mutants = strtol(argv[2], NULL, 10);
		i = 3;
	} else if (argc > 1 && strcmp(argv[1], "-1") == 0) {
		once = true;
		i = 2;
	}
	if (i >= argc) {
		fprintf(stderr, "usage: fuzz_run [-n MUTANTS | -1] FILE...\n");
		return 2;
	}
	for (; i < argc; i++) {
		char *text;
		uint8_t *p, *m;
		size_t len, k, n_blobs = 0, *blobs, n_inputs = 0;
		long j;
		if (!compile_read_file(argv[i], &text, &len)) {
			perror(argv[i]);
			return 2;
		}
		p = (uint8_t *)text;
		blobs = malloc((len / 4 + 1) * sizeof *blobs);
		m = malloc(len ? len : 1);
		if (!blobs || !m)
			abort();
		for (k = 0; k + 4 <= len; k++)
			if (memcmp(p + k, "CHTN", 4) == 0)
				blobs[n_blobs++] = k;
		run(p, len);
		n_inputs++;
		if (once) {
			free(m);
			free(blobs);
			free(text);
			continue;
		}
		/* cut short: every length near the start, then 64 more */
		for (k = 0; k < len && k < 128; k++, n_inputs++)
			run(p, k);
		for (k = 1; k <= 64 && len > 128; k++, n_inputs++)
			run(p, 128 + (len - 128) * k / 65);
		for (j = 0; j < mutants && len; j++, n_inputs++) {
			int n = 1 + (int)(next() % 8), c;
			memcpy(m, p, len);
			for (c = 0; c < n; c++) {
				uint64_t r = next();
				size_t at = position(len, blobs, n_blobs);
				m[at] = r & 1 ? values[(r >> 1) % sizeof values] : (uint8_t)(r >> 8);
			}
			run(m, len);
		}
		printf("fuzz_run: %s: %zu inputs, %zu blobs\n", argv[i], n_inputs, n_blobs);
		free(m);
		free(blobs);
		free(text);
	}
	return 0;
}
