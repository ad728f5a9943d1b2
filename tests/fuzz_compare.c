/* Fuzz target for the comparator (runtime/src/compare.c) on two
 * different descriptors.  An input is, as fuzz_loader's,
 *     [u32 little-endian n][n bytes: blob A][blob B]
 * and when both blobs decode, A and B are compared both ways, as chitin
 * compat does (A as the host requiring its own minor version, then B as
 * the host requiring none).  Whatever they hold:
 *  - a comparison counts the same problems with a report as without,
 *    and again on a second run;
 *  - the report stores the first CHITIN_DESC_MAX_PROBLEMS of them and
 *    says whether there were more; each of its texts is terminated;
 *  - it formats into a small buffer and a large one, the small text a
 *    prefix of the large;
 *  - A encoded and decoded again is A, field by field, and compares with
 *    B as A did (the comparator sees contents only).
 * make check runs it through tests/fuzz_run.c on the seeds of
 * tests/fuzz-seeds.sh (tests/run-fuzz.sh); make fuzz with libFuzzer. */
#include "desc_equal.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Decodes blob into *d, with scratch memory *scratch that the caller
 * frees; false when it does not decode. */
static bool
decode(const uint8_t *blob, size_t size, struct chitin_descriptor *d, void **scratch)
{
	size_t needed = 0;
	*scratch = NULL;
	if (chitin_desc_decode(blob, size, NULL, 0, d, &needed) != CHITIN_DESC_SCRATCH_TOO_SMALL)
		return false;
	*scratch = malloc(needed);
	if (!*scratch)
		abort();
	if (chitin_desc_decode(blob, size, *scratch, needed, d, NULL) != CHITIN_DESC_OK)
		abort();   /* it measured the scratch memory it then refused */
	return true;
}

static bool
terminated(const char *s, size_t size)
{
	return memchr(s, '\0', size) != NULL;
}

/* Compares host with plugin as the invariants above say; returns the
 * number of problems. */
static uint32_t
compare(const struct chitin_descriptor *host, const struct chitin_descriptor *plugin,
	uint16_t required_minor)
{
	static struct chitin_desc_report report;
	size_t work_size = chitin_desc_compare_work_size(host, plugin);
	void *work;
	uint32_t n, again, i;
	char small[64], large[16384];

	if (work_size == SIZE_MAX)
		abort();
	work = malloc(work_size ? work_size : 1);
	if (!work)
		abort();
	n = chitin_desc_compare(host, plugin, required_minor, &report, work, work_size);
	again = chitin_desc_compare(host, plugin, required_minor, NULL, work, work_size);
	if (again != n)
		abort();
	free(work);
	if (report.n_problems != (n < CHITIN_DESC_MAX_PROBLEMS ? n : CHITIN_DESC_MAX_PROBLEMS) ||
	    (report.more != 0) != (n > CHITIN_DESC_MAX_PROBLEMS))
		abort();
	for (i = 0; i < report.n_problems; i++) {
		const struct chitin_desc_problem *p = &report.problems[i];
		if (!terminated(p->item, sizeof p->item) || !terminated(p->member, sizeof p->member) ||
		    !terminated(p->expected, sizeof p->expected) ||
		    !terminated(p->found, sizeof p->found))
			abort();
	}
	chitin_desc_format_report(&report, small, sizeof small);
	chitin_desc_format_report(&report, large, sizeof large);
	if (strlen(small) >= sizeof small || strncmp(small, large, strlen(small)) != 0)
		abort();
	return n;
}

/* a encoded alone and decoded again: the same descriptor, which compares
 * with b as a does. */
static void
round_trip(const struct chitin_descriptor *a, const struct chitin_descriptor *b, uint32_t ab,
	   uint32_t ba)
{
	size_t work_size = chitin_desc_encode_work_size(a, 1), size;
	struct chitin_descriptor again;
	uint8_t *blob, *work;
	void *scratch;
	char why[1024];

	work = malloc(work_size ? work_size : 1);
	if (!work_size || !work)
		abort();
	size = chitin_desc_encode(a, 1, 0, NULL, 0, NULL, work, work_size);
	blob = malloc(size ? size : 1);
	if (!size || !blob || chitin_desc_encode(a, 1, 0, blob, size, NULL, work, work_size) != size)
		abort();
	if (!decode(blob, size, &again, &scratch) || !desc_equal(a, &again, true, why, sizeof why))
		abort();
	if (compare(&again, b, again.minor) != ab || compare(b, &again, 0) != ba)
		abort();
	free(scratch);
	free(blob);
	free(work);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chitin_descriptor a, b;
	void *scratch_a = NULL, *scratch_b = NULL;
	uint8_t *blob_a, *blob_b;
	size_t n, size_b;
	uint32_t ab, ba;

	if (size < 4)
		return 0;
	n = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 | (size_t)data[3] << 24;
	if (n > size - 4)
		return 0;
	/* each blob in memory of exactly its size, so that ASan sees a read past it */
	size_b = size - 4 - n;
	blob_a = malloc(n ? n : 1);
	blob_b = malloc(size_b ? size_b : 1);
	if (!blob_a || !blob_b)
		abort();
	memcpy(blob_a, data + 4, n);
	memcpy(blob_b, data + 4 + n, size_b);
	if (decode(blob_a, n, &a, &scratch_a) && decode(blob_b, size_b, &b, &scratch_b)) {
		ab = compare(&a, &b, a.minor);
		ba = compare(&b, &a, 0);
		round_trip(&a, &b, ab, ba);
	}
	free(scratch_a);
	free(scratch_b);
	free(blob_a);
	free(blob_b);
	return 0;
}
