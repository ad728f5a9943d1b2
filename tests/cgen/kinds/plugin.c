/* The plugin of tests/run-kinds.sh: implements module ku
 * (tests/cgen/kinds/ku.idl) in C with libchitin's helpers, built against
 * 1.1 with KU_1_1 defined, or against 1.0.  Its one kind of object has
 * two parts, Shaper (derived from Named) and Store; what it makes it makes
 * with own.c, whose counts the host reads through counts(). */
#include "own.h"

#include <chitin/runtime.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct thing {
	ku_Shaper shaper;     /* the first row of the query table: the identity */
	ku_Store store;
	chitin_refcount rc;
	char name[32];
	ku_Visit kept;        /* call NULL: none kept */
	void *config_storage; /* config() answers this value, made here */
	ku_Config *config;
};

static const chitin_query_entry thing_parts[] = {
	{ ku_Shaper_IID, offsetof(struct thing, shaper) },
	{ ku_Named_IID, offsetof(struct thing, shaper) },
	{ ku_Store_IID, offsetof(struct thing, store) },
};

static const ku_Shaper_vtbl shaper_vtbl;
static const ku_Store_vtbl store_vtbl;

/* The thing that self, one of its parts, belongs to. */
static struct thing *
thing_of(chitin_object *self)
{
	size_t at = self->vtbl == &store_vtbl.header ? offsetof(struct thing, store)
						      : offsetof(struct thing, shaper);
	return (struct thing *)(void *)((char *)self - at);
}

static struct thing *
thing_of_named(ku_Named *self)
{
	return thing_of(ku_Shaper_as_object((ku_Shaper *)(void *)self));
}

static struct thing *
thing_of_store(ku_Store *self)
{
	return thing_of(ku_Store_as_object(self));
}

static chitin_object *CHITIN_CALL
thing_query(chitin_object *self, const chitin_typeid *iid)
{
	return chitin_query_table(self, iid, thing_parts, sizeof thing_parts / sizeof thing_parts[0]);
}

static void CHITIN_CALL
thing_retain(chitin_object *self)
{
	chitin_refcount_retain(&thing_of(self)->rc);
}

static void
drop_kept(struct thing *t)
{
	if (t->kept.call && t->kept.release)
		t->kept.release(t->kept.ctx);
	memset(&t->kept, 0, sizeof t->kept);
}

static void CHITIN_CALL
thing_release(chitin_object *self)
{
	struct thing *t = thing_of(self);
	if (!chitin_refcount_release(&t->rc))
		return;
	drop_kept(t);
	chitin_free(t->config_storage);
	free(t);
	own_object_gone();
}

/* ---- Named and Shaper ------------------------------------------------------ */

static chitin_status CHITIN_CALL
thing_name(ku_Named *self, chitin_string *ret)
{
	own_string(thing_of_named(self)->name, ret);
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
make_shape(ku_Shaper *self, uint32_t which, ku_Shape *ret)
{
	static const int32_t points[] = { 3, 1, 4 };
	(void)self;
	memset(ret, 0, sizeof *ret);
	ret->tag = which;
	switch (which) {
	case ku_Shape_Empty:
		break;
	case ku_Shape_Circle:
		ret->payload.Circle.radius = 2.5;
		break;
	case ku_Shape_Label:
		own_string("label", &ret->payload.Label.text);
		own_vec_i32(points, 3, &ret->payload.Label.points);
		break;
#ifdef KU_1_1
	case ku_Shape_Tagged:
		ret->payload.Tagged.code = UINT64_C(0x1122334455667788);
		ret->payload.Tagged.extra = 99;
		break;
#endif
	default:
		return CHITIN_INVALID_ARG;
	}
	return CHITIN_OK;
}

/* What take_shape answers: which variant arrived with the payload the
 * host sends (host.c), 0 for a payload that is not; 1000 + the tag for a
 * tag this version does not know, whose payload it leaves alone. */
static chitin_status CHITIN_CALL
take_shape(ku_Shaper *self, ku_Shape shape, uint32_t *ret)
{
	const chitin_vec_i32 *p = &shape.payload.Label.points;
	(void)self;
	switch (shape.tag) {
	case ku_Shape_Empty:
		*ret = 100;
		break;
	case ku_Shape_Circle:
		*ret = shape.payload.Circle.radius == 0.75 ? 200 : 0;
		break;
	case ku_Shape_Label:
		*ret = own_text_is(shape.payload.Label.text.ptr, shape.payload.Label.text.len, "host label") &&
				       p->len == 2 && p->ptr[0] == -2 && p->ptr[1] == 7
			       ? 700
			       : 0;
		break;
#ifdef KU_1_1
	case ku_Shape_Tagged:
		*ret = shape.payload.Tagged.code == 5 && shape.payload.Tagged.extra == 6 ? 800 : 0;
		break;
#endif
	default:
		*ret = 1000 + shape.tag;
		return CHITIN_OK;
	}
	own_release_shape(&shape);
	return CHITIN_OK;
}

/* A circle's radius doubles; a label is replaced by one made here. */
static chitin_status CHITIN_CALL
reshape(ku_Shaper *self, ku_Shape *shape)
{
	static const int32_t points[] = { 9 };
	(void)self;
	if (shape->tag == ku_Shape_Circle) {
		shape->payload.Circle.radius *= 2;
	} else if (shape->tag == ku_Shape_Label) {
		own_release_shape(shape);
		own_string("reshaped", &shape->payload.Label.text);
		own_vec_i32(points, 1, &shape->payload.Label.points);
	}
	return CHITIN_OK;
}

static ku_Color
next_color_of(ku_Color color)
{
	switch (color) {
	case ku_Color_Red:
		return ku_Color_Green;
	case ku_Color_Green:
		return ku_Color_Blue;
	case ku_Color_Blue:
		return ku_Color_Red;
	default:
		return color; /* open: a value this version does not name */
	}
}

/* Each field of s changed as host.c expects of twice. */
static void
scalars_twice(ku_Scalars *s)
{
	unsigned i;
	s->flag = !s->flag;
	s->s8 = (int8_t)(s->s8 * 2);
	s->s16 = (int16_t)(s->s16 * 2);
	s->s32 *= 2;
	s->s64 *= 2;
	s->b8 = (uint8_t)(s->b8 * 2);
	s->b16 = (uint16_t)(s->b16 * 2);
	s->b32 *= 2;
	s->b64 *= 2;
	s->r32 *= 2;
	s->r64 *= 2;
	s->size *= 2;
	s->diff *= 2;
	for (i = 0; i < sizeof s->id.bytes; i++)
		s->id.bytes[i] ^= 0xff;
}

static chitin_status CHITIN_CALL
transform(ku_Shaper *self, ku_Outer value, ku_Outer *ret)
{
	unsigned i, j;
	(void)self;
	value.inner.a = (int16_t)(value.inner.a + 1);
	for (i = 0; i < 4; i++)
		value.inner.bytes[i] = (uint8_t)(value.inner.bytes[i] + 1);
	for (i = 0; i < 2; i++)
		value.pair[i].a = (int16_t)(value.pair[i].a * 2);
	for (i = 0; i < 2; i++)
		for (j = 0; j < KU_COLUMNS; j++)
			value.grid[i][j] = -value.grid[i][j];
	value.color = next_color_of(value.color);
	value.number.whole = ~value.number.whole;
	scalars_twice(&value.scalars);
	*ret = value;
	return CHITIN_OK;
}

/* ---- Store ------------------------------------------------------------------ */

static chitin_status CHITIN_CALL
echo(ku_Store *self, ku_Scalars value, ku_Scalars *ret)
{
	(void)self;
	*ret = value;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
fill(ku_Store *self, ku_Scalars *value)
{
	(void)self;
	*value = own_extremes();
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
twice(ku_Store *self, ku_Scalars *value)
{
	(void)self;
	scalars_twice(value);
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
check(ku_Store *self, int32_t x, chitin_result_u32_string *ret)
{
	char text[32];
	(void)self;
	if (x >= 0) {
		ret->tag = CHITIN_RESULT_OK;
		ret->u.ok = (uint32_t)x * 2;
	} else {
		snprintf(text, sizeof text, "negative: %d", (int)x);
		ret->tag = CHITIN_RESULT_ERR;
		own_string(text, &ret->u.err);
	}
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
validate(ku_Store *self, int32_t x, chitin_result_void_u32 *ret)
{
	(void)self;
	memset(ret, 0, sizeof *ret);
	if (x % 2 == 0) {
		ret->tag = CHITIN_RESULT_OK;
	} else {
		ret->tag = CHITIN_RESULT_ERR;
		ret->u.err = (uint32_t)x + 100;
	}
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
find(ku_Store *self, uint32_t key, chitin_option_u64 *ret)
{
	(void)self;
	memset(ret, 0, sizeof *ret);
	ret->tag = key < 10 ? CHITIN_OPTION_SOME : CHITIN_OPTION_NONE;
	if (key < 10)
		ret->value = key * UINT64_C(1000000000000);
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
make_record(ku_Store *self, uint32_t seed, ku_Record *ret)
{
	static const char *const words[] = { "alpha", "beta", "gamma" };
	uint16_t values[3];
	char name[32];
	(void)self;
	memset(ret, 0, sizeof *ret);
	snprintf(name, sizeof name, "record %u", (unsigned)seed);
	own_string(name, &ret->name);
	values[0] = (uint16_t)seed;
	values[1] = (uint16_t)(seed + 1);
	values[2] = (uint16_t)(seed + 2);
	own_vec_u16(values, 3, &ret->values);
	ret->count.tag = CHITIN_OPTION_SOME;
	ret->count.value = seed;
	ret->note.tag = seed % 2 ? CHITIN_OPTION_SOME : CHITIN_OPTION_NONE;
	if (seed % 2)
		own_string("odd", &ret->note.value);
	ret->tri = (chitin_option_bool)(seed % 3);
	if (seed % 2) {
		ret->outcome.tag = CHITIN_RESULT_ERR;
		own_string("bad seed", &ret->outcome.u.err);
	} else {
		ret->outcome.tag = CHITIN_RESULT_OK;
		ret->outcome.u.ok = -(int32_t)seed;
	}
	own_words(words, 3, &ret->words);
	return CHITIN_OK;
}

/* What take_record answers: a bit for each field that has what the host
 * sends (host.c: a record of each arm), 0x7f for all of them. */
static chitin_status CHITIN_CALL
take_record(ku_Store *self, ku_Record value, uint32_t *ret)
{
	bool odd = value.count.tag == CHITIN_OPTION_SOME;
	const chitin_vec_string *w = &value.words;
	(void)self;
	*ret = 0;
	if (own_text_is(value.name.ptr, value.name.len, odd ? "host odd" : "host even"))
		*ret |= 1;
	if (value.values.len == 2 && value.values.ptr[0] == 10 && value.values.ptr[1] == 65535)
		*ret |= 2;
	if (!odd || value.count.value == 3)
		*ret |= 4;
	if (odd ? value.note.tag == CHITIN_OPTION_SOME &&
			  own_text_is(value.note.value.ptr, value.note.value.len, "a note")
		: value.note.tag == CHITIN_OPTION_NONE)
		*ret |= 8;
	if (value.tri == (odd ? CHITIN_OPTION_BOOL_TRUE : CHITIN_OPTION_BOOL_NONE))
		*ret |= 16;
	if (odd ? value.outcome.tag == CHITIN_RESULT_ERR &&
			  own_text_is(value.outcome.u.err.ptr, value.outcome.u.err.len, "oops")
		: value.outcome.tag == CHITIN_RESULT_OK && value.outcome.u.ok == 42)
		*ret |= 32;
	if (w->len == 1 && own_text_is(w->ptr[0].ptr, w->ptr[0].len, "word"))
		*ret |= 64;
	own_release_record(&value);
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
concat(ku_Store *self, chitin_str a, chitin_str b, chitin_string *ret)
{
	char text[64];
	(void)self;
	if (a.len + b.len > sizeof text)
		return CHITIN_INVALID_ARG;
	if (a.len)
		memcpy(text, a.ptr, a.len);
	if (b.len)
		memcpy(text + a.len, b.ptr, b.len);
	own_string_from(text, a.len + b.len, ret);
	return CHITIN_OK;
}

/* Replaces *text with text and tail, made here, and releases the old one. */
static chitin_status CHITIN_CALL
append(ku_Store *self, chitin_string *text, chitin_str tail)
{
	chitin_string joined;
	chitin_status st = concat(self, chitin_str_from(text->ptr, text->len), tail, &joined);
	if (st != CHITIN_OK)
		return st;
	chitin_string_release(text);
	*text = joined;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
sum(ku_Store *self, chitin_slice_const_i32 values, int64_t *ret)
{
	size_t i;
	(void)self;
	*ret = 0;
	for (i = 0; i < values.len; i++)
		*ret += values.ptr[i];
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
squares(ku_Store *self, chitin_slice_u32 dest, size_t *ret)
{
	size_t i;
	(void)self;
	for (i = 0; i < dest.len; i++)
		dest.ptr[i] = (uint32_t)(i * i);
	*ret = dest.len;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
range(ku_Store *self, uint32_t n, chitin_vec_u32 *ret)
{
	uint32_t elems[16];
	uint32_t i;
	(void)self;
	if (n > 16)
		return CHITIN_INVALID_ARG;
	for (i = 0; i < n; i++)
		elems[i] = i;
	own_vec_u32(elems, n, ret);
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
take_vec(ku_Store *self, chitin_vec_u32 values, uint64_t *ret)
{
	size_t i;
	(void)self;
	*ret = 0;
	for (i = 0; i < values.len; i++)
		*ret += values.ptr[i];
	chitin_vec_u32_release(&values);
	return CHITIN_OK;
}

/* The words of text, between spaces. */
static chitin_status CHITIN_CALL
split(ku_Store *self, chitin_str text, chitin_vec_string *ret)
{
	chitin_string words[8];
	size_t n = 0, at = 0, start;
	(void)self;
	while (at < text.len) {
		while (at < text.len && text.ptr[at] == ' ')
			at++;
		start = at;
		while (at < text.len && text.ptr[at] != ' ')
			at++;
		if (at == start)
			break;
		if (n == 8) {
			while (n > 0)
				chitin_string_release(&words[--n]);
			return CHITIN_INVALID_ARG;
		}
		own_string_from(text.ptr + start, at - start, &words[n++]);
	}
	own_vec_string(words, n, ret);
	return CHITIN_OK;
}

/* Calls visitor n times, (i, "item"), and answers the sum of its
 * results; an owned visitor is released after, as it is this call's. */
static chitin_status CHITIN_CALL
visit(ku_Store *self, ku_Visit visitor, uint32_t n, int64_t *ret)
{
	chitin_status st = CHITIN_OK;
	int64_t one;
	uint32_t i;
	(void)self;
	*ret = 0;
	for (i = 0; i < n && st == CHITIN_OK; i++) {
		st = visitor.call(visitor.ctx, i, chitin_str_from_cstr("item"), &one);
		*ret += one;
	}
	if (visitor.release)
		visitor.release(visitor.ctx);
	return st;
}

/* None: 0; some: what the visitor gives for (3, "maybe"). */
static chitin_status CHITIN_CALL
visit_maybe(ku_Store *self, ku_Visit visitor, uint32_t *ret)
{
	int64_t one = 0;
	chitin_status st = CHITIN_OK;
	(void)self;
	if (visitor.call) {
		st = visitor.call(visitor.ctx, 3, chitin_str_from_cstr("maybe"), &one);
		if (visitor.release)
			visitor.release(visitor.ctx);
	}
	*ret = (uint32_t)one;
	return st;
}

static chitin_status CHITIN_CALL
keep(ku_Store *self, ku_Visit visitor)
{
	struct thing *t = thing_of_store(self);
	drop_kept(t);
	t->kept = visitor;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
call_kept(ku_Store *self, uint32_t index, int64_t *ret)
{
	struct thing *t = thing_of_store(self);
	if (!t->kept.call)
		return CHITIN_FAILED;
	return t->kept.call(t->kept.ctx, index, chitin_str_from_cstr("kept"), ret);
}

static chitin_status CHITIN_CALL
drop_kept_slot(ku_Store *self)
{
	drop_kept(thing_of_store(self));
	return CHITIN_OK;
}

/* The visitor this plugin makes: base + index + the text's length. */
struct made_visitor {
	int64_t base;
};

static chitin_status CHITIN_CALL
made_visit(void *ctx, uint32_t index, chitin_str text, int64_t *ret)
{
	*ret = ((struct made_visitor *)ctx)->base + index + (int64_t)text.len;
	return CHITIN_OK;
}

static void CHITIN_CALL
made_release(void *ctx)
{
	own_ctx_free(ctx);
}

static chitin_status CHITIN_CALL
visitor(ku_Store *self, int64_t base, ku_Visit *ret)
{
	struct made_visitor *v = (struct made_visitor *)own_ctx(sizeof *v);
	(void)self;
	v->base = base;
	ret->call = made_visit;
	ret->ctx = v;
	ret->release = made_release;
	return CHITIN_OK;
}

/* "hello " and the name who gives, whose string this call then owns. */
static chitin_status CHITIN_CALL
greet(ku_Store *self, ku_Named *who, chitin_string *ret)
{
	chitin_string name;
	chitin_status st = ku_Named_name(who, &name);
	if (st != CHITIN_OK)
		return st;
	st = concat(self, chitin_str_from_cstr("hello "), chitin_str_from(name.ptr, name.len), ret);
	chitin_string_release(&name);
	return st;
}

static chitin_object *
identity_of(chitin_object *obj)
{
	static const chitin_typeid object_iid = CHITIN_OBJECT_IID;
	return obj->vtbl->query(obj, &object_iid);
}

static chitin_status CHITIN_CALL
same(ku_Store *self, chitin_object *a, chitin_object *b, bool *ret)
{
	chitin_object *ia = identity_of(a), *ib = identity_of(b);
	(void)self;
	*ret = ia && ia == ib;
	if (ia)
		chitin_release(ia);
	if (ib)
		chitin_release(ib);
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
identity(ku_Store *self, chitin_object **ret)
{
	*ret = identity_of(ku_Store_as_object(self));
	return *ret ? CHITIN_OK : CHITIN_FAILED;
}

static chitin_status CHITIN_CALL
named(ku_Store *self, bool give, ku_Named **ret)
{
	ku_Shaper *shaper = &thing_of_store(self)->shaper;
	*ret = NULL;
	if (give) {
		ku_Shaper_retain(shaper);
		*ret = ku_Shaper_as_Named(shaper);
	}
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
read_config(ku_Store *self, const ku_Config *config, ku_ConfigView *ret)
{
	(void)self;
	memset(ret, 0, sizeof *ret);
	ret->rate = *ku_Config_rate_const(config);
	ret->channels = *ku_Config_channels_const(config);
	ret->latency.tag = CHITIN_OPTION_NONE;
#ifdef KU_1_1
	if (ku_Config_latency_const(config)) {
		ret->latency.tag = CHITIN_OPTION_SOME;
		ret->latency.value = *ku_Config_latency_const(config);
	}
#endif
	return CHITIN_OK;
}

/* Sets each field it can; answers a bit for each (rate 1, channels 2,
 * latency 4). */
static chitin_status CHITIN_CALL
write_config(ku_Store *self, ku_Config *config, uint32_t *ret)
{
	(void)self;
	*ku_Config_rate(config) = 96000;
	*ku_Config_channels(config) = 6;
	*ret = 1 | 2;
#ifdef KU_1_1
	if (ku_Config_latency(config)) {
		*ku_Config_latency(config) = 1234;
		*ret |= 4;
	}
#endif
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
config(ku_Store *self, ku_Config **ret)
{
	*ret = thing_of_store(self)->config;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
next_color(ku_Store *self, ku_Color color, ku_Color *ret)
{
	(void)self;
	*ret = next_color_of(color);
	return CHITIN_OK;
}

/* The union's bytes in reverse order. */
static chitin_status CHITIN_CALL
flip(ku_Store *self, ku_Number number, ku_Number *ret)
{
	unsigned i;
	(void)self;
	for (i = 0; i < 4; i++)
		ret->raw[i] = number.raw[3 - i];
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
store_counts(ku_Store *self, ku_Counts *ret)
{
	(void)self;
	*ret = own_counts();
	return CHITIN_OK;
}

/* What a C++ plugin answers when it catches an exception: PANIC. */
static chitin_status CHITIN_CALL
fail(ku_Store *self, uint32_t how, uint32_t *ret)
{
	(void)self;
	*ret = 7;
	return how == 0 ? CHITIN_OK : how == 1 ? CHITIN_PANIC : CHITIN_FAILED;
}

#ifdef KU_1_1
/* 1, and the note it owns now released; 0 for another note. */
static chitin_status CHITIN_CALL
minor(ku_Store *self, chitin_string note, uint32_t *ret)
{
	(void)self;
	*ret = own_text_is(note.ptr, note.len, "note") ? 1 : 0;
	chitin_string_release(&note);
	return CHITIN_OK;
}
#endif

static const ku_Shaper_vtbl shaper_vtbl = {
	CHITIN_VTABLE_HEADER(ku_Shaper, thing_query, thing_retain, thing_release),
	thing_name,
	make_shape,
	take_shape,
	reshape,
	transform,
};

static const ku_Store_vtbl store_vtbl = {
	CHITIN_VTABLE_HEADER(ku_Store, thing_query, thing_retain, thing_release),
	echo,
	fill,
	twice,
	check,
	validate,
	find,
	make_record,
	take_record,
	concat,
	append,
	sum,
	squares,
	range,
	take_vec,
	split,
	visit,
	visit_maybe,
	keep,
	call_kept,
	drop_kept_slot,
	visitor,
	greet,
	same,
	identity,
	named,
	read_config,
	write_config,
	config,
	next_color,
	flip,
	store_counts,
	fail,
#ifdef KU_1_1
	minor,
#endif
};

/* ---- exports ---------------------------------------------------------------- */

KU_API chitin_status CHITIN_CALL
ku_open(chitin_str name, ku_Store **ret)
{
	struct thing *t;
	if (name.len > 16)
		return CHITIN_INVALID_ARG;
	t = (struct thing *)calloc(1, sizeof *t);
	if (!t)
		return CHITIN_NO_MEMORY;
	t->config_storage = chitin_resilient_alloc(ku_Config_layout());
	if (!t->config_storage) {
		free(t);
		return CHITIN_NO_MEMORY;
	}
	t->shaper.vtbl = &shaper_vtbl;
	t->store.vtbl = &store_vtbl;
	chitin_refcount_init(&t->rc, 1);
	memcpy(t->name, "thing ", 6);
	if (name.len)
		memcpy(t->name + 6, name.ptr, name.len);
	t->config = ku_Config_init(t->config_storage);
	*ku_Config_rate(t->config) = 44100;
	*ku_Config_channels(t->config) = 2;
#ifdef KU_1_1
	*ku_Config_latency(t->config) = 77;
#endif
	own_object_made();
	*ret = &t->store;
	return CHITIN_OK;
}

KU_API chitin_status CHITIN_CALL
ku_counts(ku_Counts *ret)
{
	*ret = own_counts();
	return CHITIN_OK;
}

#ifdef KU_1_1
/* x and the elements of more, which it releases. */
KU_API chitin_status CHITIN_CALL
ku_answer(uint32_t x, chitin_vec_u32 more, uint32_t *ret)
{
	size_t i;
	*ret = x;
	for (i = 0; i < more.len; i++)
		*ret += more.ptr[i];
	chitin_vec_u32_release(&more);
	return CHITIN_OK;
}
#endif
