/* callconv.c: both sides of every kind of boundary function of
 * callconv.idl (a slot, a callback's call, an export), for
 * tests/run-call-convention.sh, which compiles it with and without
 * options that change a compiler's default calling convention and
 * requires the same code: CHITIN_CALL must fix the convention of every
 * function that crosses the boundary (doc/abi.md 3.1).  Every function
 * here is CHITIN_CALL or takes no arguments, so none of them depends on
 * the default. */
#define CALLCONV_IMPLEMENTATION
#include "callconv.h"

static chitin_object *CHITIN_CALL
adder_query(chitin_object *self, const chitin_typeid *iid)
{
	(void)iid;
	return self;
}

static void CHITIN_CALL
adder_retain(chitin_object *self)
{
	(void)self;
}

static chitin_status CHITIN_CALL
adder_add(callconv_Adder *self, uint32_t a, uint32_t b, uint32_t c, uint32_t *ret)
{
	(void)self;
	*ret = a + b * 3u + c * 5u;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
adder_scale(callconv_Adder *self, callconv_Pair p, double k, double *ret)
{
	(void)self;
	*ret = (p.x - p.y) * k;
	return CHITIN_OK;
}

const callconv_Adder_vtbl callconv_test_vtbl = {
	{ sizeof(callconv_Adder_vtbl), 0, callconv_Adder_IID, adder_query, adder_retain,
	  adder_retain },
	adder_add,
	adder_scale,
};

callconv_Adder callconv_test_adder = { &callconv_test_vtbl };

CALLCONV_API chitin_status CHITIN_CALL
callconv_twice(uint32_t value, callconv_Map map, uint32_t *ret)
{
	uint32_t mapped;
	chitin_status status = map.call(map.ctx, value, &mapped);
	if (status == CHITIN_OK)
		*ret = 2u * mapped;
	return status;
}

static chitin_status CHITIN_CALL
add_one(void *ctx, uint32_t value, uint32_t *ret)
{
	(void)ctx;
	*ret = value + 1u;
	return CHITIN_OK;
}

volatile uint32_t callconv_test_sum;
volatile double callconv_test_real;
/* read at run time: a constant Pair may be laid out in memory differently
 * with no bearing on the convention */
volatile double callconv_test_x = 3.0, callconv_test_y = 1.0;

/* A caller of each: through the helpers, a callback and the export. */
chitin_status CHITIN_CALL
callconv_test_run(void)
{
	uint32_t sum = 0, twice = 0;
	double real = 0;
	callconv_Pair p;
	callconv_Map map = { add_one, NULL, NULL };
	chitin_status (CHITIN_CALL *volatile export_twice)(uint32_t, callconv_Map, uint32_t *) =
		callconv_twice;
	p.x = callconv_test_x;
	p.y = callconv_test_y;
	if (callconv_Adder_add(&callconv_test_adder, 1, 2, 3, &sum) != CHITIN_OK ||
	    callconv_Adder_scale(&callconv_test_adder, p, 0.5, &real) != CHITIN_OK ||
	    export_twice(sum, map, &twice) != CHITIN_OK)
		return CHITIN_FAILED;
	callconv_test_sum = twice;
	callconv_test_real = real;
	return CHITIN_OK;
}
