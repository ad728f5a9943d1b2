/* The C plugin of tests/run-rust-calls.sh (tests/rust/calls.idl): it
 * calls the callbacks a Rust host makes of its closures, borrowed and
 * owned, some with arguments the ABI does not allow; it makes callbacks
 * of its own for the host to call and release; and it answers options
 * and results. */
#include "rc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

RC_API chitin_status CHITIN_CALL
rc_walk(rc_Visit visit, uint32_t n, int32_t *ret)
{
	int32_t sum = 0;
	uint32_t i;
	for (i = 0; i < n; i++) {
		char name[16];
		rc_Point p = { (int32_t)i, -(int32_t)i };
		chitin_str s;
		int32_t r = 0;
		chitin_status st;
		s.len = (size_t)snprintf(name, sizeof name, "p%u", (unsigned)i);
		s.ptr = (const uint8_t *)name;
		st = rc_Visit_call(&visit, p, s, i + 1 == n, &r);
		if (st != CHITIN_OK) {
			rc_Visit_release(&visit);
			return st;
		}
		sum += r;
	}
	/* the callee owns an owned callback it is given (doc/abi.md 4) */
	rc_Visit_release(&visit);
	*ret = sum;
	return CHITIN_OK;
}

static rc_Note kept;

RC_API chitin_status CHITIN_CALL
rc_keep(rc_Note note)
{
	rc_Note_release(&kept);
	kept = note;
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_fire(uint32_t value)
{
	if (!kept.call)
		return CHITIN_UNAVAILABLE;
	return rc_Note_call(&kept, value);
}

RC_API chitin_status CHITIN_CALL
rc_forget(void)
{
	rc_Note_release(&kept);
	kept.call = NULL;
	return CHITIN_OK;
}

static uint32_t adders_freed;

static chitin_status CHITIN_CALL
adder_call(void *ctx, uint32_t value, uint32_t *ret)
{
	*ret = value + *(const uint32_t *)ctx;
	return CHITIN_OK;
}

static void CHITIN_CALL
adder_release(void *ctx)
{
	free(ctx);
	adders_freed++;
}

RC_API chitin_status CHITIN_CALL
rc_adder(uint32_t add, rc_Adder *ret)
{
	uint32_t *ctx = malloc(sizeof *ctx);
	if (!ctx)
		return CHITIN_NO_MEMORY;
	*ctx = add;
	ret->call = adder_call;
	ret->ctx = ctx;
	ret->release = adder_release;
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_maybe_adder(bool some, rc_Adder *ret)
{
	if (some)
		return rc_adder(100, ret);
	memset(ret, 0, sizeof *ret);
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_adders_released(uint32_t *ret)
{
	*ret = adders_freed;
	return CHITIN_OK;
}

static const uint32_t words[3] = { 1, 2, 3 };

RC_API chitin_status CHITIN_CALL
rc_check(rc_Check check, chitin_option_u32 v, uint32_t *seen, chitin_result_u32_rc_Color *ret)
{
	chitin_slice_const_u32 s = { words, 3 };
	chitin_status st = rc_Check_call(&check, v, s, seen, ret);
	rc_Check_release(&check);
	return st;
}

RC_API chitin_status CHITIN_CALL
rc_hostile_check(rc_Check check, uint32_t which, int32_t *ret)
{
	static uint32_t buffer[4];
	chitin_option_u32 v = { CHITIN_OPTION_NONE, 0 };
	chitin_slice_const_u32 s = { words, 3 };
	chitin_result_u32_rc_Color r;
	uint32_t seen = 0;
	switch (which) {
	case 0:
		s.ptr = NULL;
		s.len = 5;
		break;
	case 1:
		/* one byte into a u32 array: misaligned for u32 */
		s.ptr = (const uint32_t *)(const void *)((const unsigned char *)buffer + 1);
		s.len = 2;
		break;
	case 2:
		s.len = SIZE_MAX / 2;
		break;
	case 3:
		v.tag = 7;
		break;
	default:
		return CHITIN_INVALID_ARG;
	}
	*ret = rc_Check_call(&check, v, s, &seen, &r);
	rc_Check_release(&check);
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_hostile_visit(rc_Visit visit, uint32_t which, int32_t *ret)
{
	/* the bytes of a bool that is 7: a C bool cannot hold it, so the
	 * call goes through a function type whose third parameter is a
	 * byte, which the ABI passes as it passes bool (doc/abi.md 2.3) */
	typedef chitin_status(CHITIN_CALL * raw_call)(void *, rc_Point, chitin_str, uint8_t, int32_t *);
	static const uint8_t not_utf8[3] = { 'p', 0xff, 0xfe };
	static int32_t storage[2];
	rc_Point p = { 1, 2 };
	chitin_str name = { (const uint8_t *)"p", 1 };
	uint8_t last = 0;
	int32_t r = 0, *out = &r;
	raw_call call;
	memcpy(&call, &visit.call, sizeof call);
	switch (which) {
	case 0:
		last = 7;
		break;
	case 1:
		name.ptr = NULL;
		name.len = 5;
		break;
	case 2:
		name.ptr = not_utf8;
		name.len = sizeof not_utf8;
		break;
	case 3:
		out = NULL;
		break;
	case 4:
		/* one byte into an i32 array: misaligned for i32 */
		out = (int32_t *)(void *)((unsigned char *)storage + 1);
		break;
	default:
		return CHITIN_INVALID_ARG;
	}
	*ret = call(visit.ctx, p, name, last, out);
	rc_Visit_release(&visit);
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_half(chitin_option_u32 v, chitin_option_u32 *ret)
{
	ret->tag = CHITIN_OPTION_NONE;
	ret->value = 0;
	if (v.tag == CHITIN_OPTION_SOME && v.value % 2 == 0) {
		ret->tag = CHITIN_OPTION_SOME;
		ret->value = v.value / 2;
	}
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_next(chitin_result_u32_rc_Color r, chitin_result_u32_rc_Color *ret)
{
	*ret = r;
	if (r.tag == CHITIN_RESULT_OK)
		ret->u.ok = r.u.ok * 2;
	else
		ret->u.err = (rc_Color)(r.u.err + 1);
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_status_of(rc_Visit visit, int32_t *ret)
{
	rc_Point p = { 0, 0 };
	chitin_str name = { (const uint8_t *)"p0", 2 };
	int32_t r = 0;
	*ret = rc_Visit_call(&visit, p, name, false, &r);
	rc_Visit_release(&visit);
	return CHITIN_OK;
}

/* ---- answers the ABI does not allow, for the Rust host to refuse ---- */

RC_API chitin_status CHITIN_CALL
rc_bad_bool(uint32_t which, bool *ret)
{
	unsigned char byte = which ? 7 : 1;
	memcpy(ret, &byte, 1);     /* a C bool holding 7 would be undefined */
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_bad_option(uint32_t which, chitin_option_u32 *ret)
{
	memset(ret, 0xa5, sizeof *ret);
	ret->tag = which == 0 ? CHITIN_OPTION_SOME : which == 1 ? 5 : CHITIN_OPTION_NONE;
	if (which == 0)
		ret->value = 5;
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_bad_option_bool(uint32_t which, chitin_option_bool *ret)
{
	*ret = which ? 9 : CHITIN_OPTION_BOOL_TRUE;
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_bad_result(uint32_t which, chitin_result_u32_rc_Color *ret)
{
	memset(ret, 0, sizeof *ret);
	ret->tag = which ? 7 : CHITIN_RESULT_OK;
	ret->u.ok = 3;
	return CHITIN_OK;
}

static uint32_t bad_freed;

static void CHITIN_CALL
bad_string_release(uint8_t *ptr, size_t len, size_t cap)
{
	(void)len;
	(void)cap;
	free(ptr);
	bad_freed++;
}

static void CHITIN_CALL
bad_vec_release(uint32_t *ptr, size_t len, size_t cap)
{
	(void)len;
	(void)cap;
	free(ptr);
	bad_freed++;
}

RC_API chitin_status CHITIN_CALL
rc_bad_string(uint32_t which, chitin_string *ret)
{
	static const uint8_t not_utf8[3] = { 'o', 0xff, 'k' };
	memset(ret, 0, sizeof *ret);
	ret->release = bad_string_release;
	if (which == 1) {
		ret->len = 5;           /* with a null pointer */
		return CHITIN_OK;
	}
	if (!(ret->ptr = malloc(3)))
		return CHITIN_NO_MEMORY;
	memcpy(ret->ptr, which == 2 ? not_utf8 : (const uint8_t *)"ok", which == 2 ? 3 : 2);
	ret->len = ret->cap = which == 2 ? 3 : 2;
	return CHITIN_OK;
}

/* The misaligned vector's bytes: its pointer is one byte into them, and
 * its release gets back the same pointer. */
static unsigned char *misaligned_base;

static void CHITIN_CALL
misaligned_release(uint32_t *ptr, size_t len, size_t cap)
{
	(void)len;
	(void)cap;
	if ((unsigned char *)ptr == misaligned_base + 1) {
		free(misaligned_base);
		misaligned_base = NULL;
		bad_freed++;
	}
}

RC_API chitin_status CHITIN_CALL
rc_bad_vec(uint32_t which, chitin_vec_u32 *ret)
{
	memset(ret, 0, sizeof *ret);
	if (which == 0) {
		if (!(ret->ptr = malloc(2 * sizeof *ret->ptr)))
			return CHITIN_NO_MEMORY;
		ret->ptr[0] = 1;
		ret->ptr[1] = 2;
		ret->len = ret->cap = 2;
		ret->release = bad_vec_release;
	} else if (which == 1) {
		if (misaligned_base || !(misaligned_base = calloc(1, 4 * sizeof(uint32_t) + 1)))
			return CHITIN_NO_MEMORY;
		ret->ptr = (uint32_t *)(void *)(misaligned_base + 1);
		ret->len = ret->cap = 2;
		ret->release = misaligned_release;
	} else {
		ret->len = 3;           /* with a null pointer */
		ret->release = bad_vec_release;
	}
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_bad_released(uint32_t *ret)
{
	*ret = bad_freed;
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_bad_shape(uint32_t which, rc_Shape *ret)
{
	memset(ret, 0, sizeof *ret);
	ret->tag = which ? 9 : rc_Shape_Dot;
	ret->payload.Dot.size = 4;
	return CHITIN_OK;
}

/* The counters: one with a whole vtable, one whose vtable's size is
 * smaller than the header, one whose slots are null.  None is ever
 * freed: they are static. */
static uint32_t counter_refs;

static void CHITIN_CALL
counter_retain(chitin_object *self)
{
	(void)self;
	counter_refs++;
}

static void CHITIN_CALL
counter_release(chitin_object *self)
{
	(void)self;
	counter_refs--;
}

static chitin_object *CHITIN_CALL
counter_query(chitin_object *self, const chitin_typeid *iid)
{
	(void)iid;
	counter_retain(self);
	return self;
}

static chitin_status CHITIN_CALL
counter_add(rc_Counter *self, uint32_t n, uint32_t *ret)
{
	(void)self;
	*ret = n + 1;
	return CHITIN_OK;
}

static const rc_Counter_vtbl good_vtbl = {
	{ sizeof(rc_Counter_vtbl), 0, { { 0 } }, counter_query, counter_retain, counter_release },
	counter_add,
};
static const rc_Counter_vtbl short_vtbl = {
	{ 8, 0, { { 0 } }, counter_query, counter_retain, counter_release },
	counter_add,
};
static const rc_Counter_vtbl null_vtbl = {
	{ sizeof(rc_Counter_vtbl), 0, { { 0 } }, NULL, NULL, NULL },
	NULL,
};
static rc_Counter counters[3] = {
	{ &good_vtbl }, { &short_vtbl }, { &null_vtbl },
};

RC_API chitin_status CHITIN_CALL
rc_bad_counter(uint32_t which, rc_Counter **ret)
{
	if (which >= 3) {
		*ret = NULL;
		return CHITIN_OK;
	}
	if (which == 0)
		counter_refs++;
	*ret = &counters[which];
	return CHITIN_OK;
}

RC_API chitin_status CHITIN_CALL
rc_counter_refs(uint32_t *ret)
{
	*ret = counter_refs;
	return CHITIN_OK;
}
