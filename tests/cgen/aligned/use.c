/* use.c: both sides of aligned.idl's signatures (tests/run-aligned-params.sh).
 * Every parameter that holds an [align] value by value is a const pointer
 * in the slots, the callback and the export: the function pointers below
 * have exactly those types, so a header that passed one by value would
 * not compile.  The helper of a missing [since] slot still releases the
 * string its pointed-to argument owns (doc/abi.md 4, rule 3). */
#define ALIGNED_STATIC
#include "aligned.h"

#include <stdio.h>
#include <string.h>

static int failures, releases;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			failures++;                                            \
		}                                                              \
	} while (0)

static void CHITIN_CALL
release_text(uint8_t *ptr, size_t len, size_t cap)
{
	(void)ptr;
	(void)len;
	(void)cap;
	releases++;
}

static chitin_status CHITIN_CALL
reduce_sum(void *ctx, const aligned_Lanes *lanes, float *ret)
{
	(void)ctx;
	*ret = lanes->x[0] + lanes->x[1] + lanes->x[2] + lanes->x[3];
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
mixer_sum(aligned_Mixer *self, const aligned_Lanes *lanes, uint32_t plain, float *ret)
{
	(void)self;
	*ret = lanes->x[0] + lanes->x[3] + (float)plain;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
mixer_take(aligned_Mixer *self, const aligned_Tagged *tagged, const chitin_option_aligned_Lanes *maybe,
	   const aligned_Shape *shape, aligned_Reduce reduce, uint32_t *ret)
{
	float sum = 0;
	(void)self;
	CHECK(((uintptr_t)(const void *)tagged % 16) == 0 && ((uintptr_t)(const void *)maybe % 16) == 0);
	CHECK(maybe->tag == CHITIN_OPTION_SOME && shape->tag == aligned_Shape_Filled);
	CHECK(reduce.call(reduce.ctx, &shape->payload.Filled.lanes, &sum) == CHITIN_OK && sum == 10);
	*ret = (uint32_t)tagged->tag + (uint32_t)maybe->value.x[2];
	/* consumed: the callee releases what the value owns */
	if (tagged->label.release)
		tagged->label.release(tagged->label.ptr, tagged->label.len, tagged->label.cap);
	return CHITIN_OK;
}

static chitin_object *CHITIN_CALL
mixer_query(chitin_object *self, const chitin_typeid *iid)
{
	(void)iid;
	return self;
}

static void CHITIN_CALL
mixer_retain(chitin_object *self)
{
	(void)self;
}

ALIGNED_API chitin_status CHITIN_CALL
aligned_first_lane(const aligned_Lanes *lanes, float *ret)
{
	*ret = lanes->x[0];
	return CHITIN_OK;
}

int
main(void)
{
	/* a 1.0 mixer: its vtable ends before keep */
	static const aligned_Mixer_vtbl vtbl = {
		{ offsetof(aligned_Mixer_vtbl, keep), 0, aligned_Mixer_IID, mixer_query, mixer_retain,
		  mixer_retain },
		mixer_sum,
		mixer_take,
		NULL,
	};
	aligned_Mixer mixer = { &vtbl };
	chitin_status (CHITIN_CALL *export_fn)(const aligned_Lanes *, float *) = aligned_first_lane;
	aligned_Lanes lanes = { { 1, 2, 3, 4 } };
	aligned_Tagged tagged;
	chitin_option_aligned_Lanes maybe;
	aligned_Shape shape;
	aligned_Reduce reduce = { reduce_sum, NULL, NULL };
	float got = 0;
	uint32_t taken = 0;

	memset(&tagged, 0, sizeof tagged);
	memset(&maybe, 0, sizeof maybe);
	memset(&shape, 0, sizeof shape);
	tagged.tag = 7;
	tagged.lanes = lanes;
	tagged.label.ptr = (uint8_t *)(uintptr_t)"text";
	tagged.label.len = tagged.label.cap = 4;
	tagged.label.release = release_text;
	maybe.tag = CHITIN_OPTION_SOME;
	maybe.value = lanes;
	shape.tag = aligned_Shape_Filled;
	shape.payload.Filled.lanes = lanes;

	CHECK(aligned_Mixer_sum(&mixer, &lanes, 10, &got) == CHITIN_OK && got == 15);
	CHECK(aligned_Mixer_take(&mixer, &tagged, &maybe, &shape, reduce, &taken) == CHITIN_OK);
	CHECK(taken == 10 && releases == 1);
	CHECK(aligned_Mixer_keep(&mixer, &tagged) == CHITIN_UNAVAILABLE && releases == 2);
	CHECK(export_fn(&lanes, &got) == CHITIN_OK && got == 1);
	return failures ? 1 : 0;
}
