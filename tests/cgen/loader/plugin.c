/* A plugin implementing module lm (tests/cgen/loader/lm.idl) in C, with
 * libchitin's helpers: built against 1.1, or against 1.0 with LM_1_0. */
#include "lm.h"

#include <chitin/runtime.h>

#include <stdlib.h>

LM_API chitin_status CHITIN_CALL
lm_make_point(int32_t x, int32_t y, lm_Point *ret)
{
	ret->x = x;
	ret->y = y;
	return CHITIN_OK;
}

#ifndef LM_1_0
LM_API chitin_status CHITIN_CALL
lm_sum(lm_Point p, int32_t *ret)
{
	*ret = p.x + p.y;
	return CHITIN_OK;
}
#endif

/* A counter: one part, lm_Counter, which is also its object. */
struct counter {
	lm_Counter iface;
	chitin_refcount rc;
	uint32_t total;
};

static struct counter *
counter_of(chitin_object *self)
{
	return (struct counter *)(void *)self;
}

static const chitin_query_entry counter_parts[] = {
	{ lm_Counter_IID, offsetof(struct counter, iface) },
};

static chitin_object *CHITIN_CALL
counter_query(chitin_object *self, const chitin_typeid *iid)
{
	return chitin_query_table(self, iid, counter_parts, 1);
}

static void CHITIN_CALL
counter_retain(chitin_object *self)
{
	chitin_refcount_retain(&counter_of(self)->rc);
}

static void CHITIN_CALL
counter_release(chitin_object *self)
{
	if (chitin_refcount_release(&counter_of(self)->rc))
		free(counter_of(self));
}

static chitin_status CHITIN_CALL
counter_add(lm_Counter *self, uint32_t n, uint32_t *ret)
{
	struct counter *c = (struct counter *)(void *)self;
	c->total += n;
	*ret = c->total;
	return CHITIN_OK;
}

#ifndef LM_1_0
static chitin_status CHITIN_CALL
counter_total(lm_Counter *self, uint32_t *ret)
{
	*ret = ((struct counter *)(void *)self)->total;
	return CHITIN_OK;
}
#endif

static const lm_Counter_vtbl counter_vtbl = {
	CHITIN_VTABLE_HEADER(lm_Counter, counter_query, counter_retain, counter_release),
	counter_add,
#ifndef LM_1_0
	counter_total,
#endif
};

LM_API chitin_status CHITIN_CALL
lm_new_counter(lm_Counter **ret)
{
	struct counter *c = (struct counter *)malloc(sizeof *c);
	if (!c)
		return CHITIN_NO_MEMORY;
	c->iface.vtbl = &counter_vtbl;
	chitin_refcount_init(&c->rc, 1);
	c->total = 0;
	*ret = &c->iface;
	return CHITIN_OK;
}
