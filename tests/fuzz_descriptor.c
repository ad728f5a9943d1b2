/* libFuzzer target for the descriptor reader: any bytes either fail to
 * decode or give a descriptor that compares, reports and encodes again
 * into a blob that decodes to the same contents.  Build and run:
 *   clang -g -fsanitize=fuzzer,address,undefined -Iruntime/include \
 *       runtime/src/sha1.c runtime/src/descriptor.c runtime/src/compare.c \
 *       tests/fuzz_descriptor.c -o fuzz_descriptor
 *   ./fuzz_descriptor -max_total_time=60 */
#include <stdint.h>
#include <stdlib.h>

#include "chitin/descriptor.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* chitin_desc_compare with work memory of its own, which a decoded
 * descriptor never needs more of than a few times its blob's size. */
static uint32_t
compare(const struct chitin_descriptor *host, const struct chitin_descriptor *plugin,
	struct chitin_desc_report *report)
{
	size_t size = chitin_desc_compare_work_size(host, plugin);
	void *work = malloc(size ? size : 1);
	uint32_t n;
	if (size == SIZE_MAX || !work)
		abort();
	n = chitin_desc_compare(host, plugin, 0, report, work, size);
	free(work);
	return n;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct chitin_descriptor d, again;
	struct chitin_desc_report report;
	size_t needed = 0, needed2 = 0, blob_size, work_size, common_size;
	void *scratch, *scratch2 = NULL, *work = NULL;
	uint8_t *blob = NULL;
	char text[1024];

	if (chitin_desc_decode(data, size, NULL, 0, &d, &needed) !=
	    CHITIN_DESC_SCRATCH_TOO_SMALL)
		return 0;
	scratch = malloc(needed);
	if (!scratch)
		return 0;
	if (chitin_desc_decode(data, size, scratch, needed, &d, NULL) != CHITIN_DESC_OK)
		abort();
	compare(&d, &d, &report);
	chitin_desc_format_report(&report, text, sizeof text);

	/* Everything decoded can be encoded again, as one class. */
	work_size = chitin_desc_encode_work_size(&d, 1);
	if (work_size == 0)
		abort();
	work = malloc(work_size);
	if (!work)
		goto out;
	blob_size = chitin_desc_encode(&d, 1, 0, NULL, 0, &common_size, work, work_size);
	if (blob_size == 0 || blob_size % 8 || common_size % 4 || common_size >= blob_size)
		abort();
	blob = malloc(blob_size);
	if (!blob)
		goto out;
	if (chitin_desc_encode(&d, 1, 0, blob, blob_size, NULL, work, work_size) != blob_size)
		abort();
	if (chitin_desc_decode(blob, blob_size, NULL, 0, &again, &needed2) !=
	    CHITIN_DESC_SCRATCH_TOO_SMALL)
		abort();
	scratch2 = malloc(needed2);
	if (scratch2) {
		if (chitin_desc_decode(blob, blob_size, scratch2, needed2, &again,
				       NULL) != CHITIN_DESC_OK)
			abort();
		/* The comparator sees contents only. */
		if (compare(&d, &again, NULL) != compare(&d, &d, NULL))
			abort();
	}
out:
	free(scratch2);
	free(blob);
	free(work);
	free(scratch);
	return 0;
}
