/* use_headers.c: a program written against the headers that `chitin gen
 * --c` makes for tests/golden/gen (corpus.h, other.h and, through them,
 * shapes.h), run by tests/run-c-header.sh.  It builds a value of every
 * type with designated initializers, implements the interfaces with
 * static vtables, calls every helper and every export, and checks what
 * comes back: in particular that a helper whose slot lies beyond an older
 * vtable's size returns CHITIN_UNAVAILABLE without calling, and releases
 * the owned [in] arguments it was given (doc/abi.md 4, 5.3).
 *
 * Exit status: 0 when every check holds, 1 otherwise (each failed check
 * prints its line). */
#define CORPUS_STATIC /* the exports are defined below, in this program */
#define OTHER_STATIC

#include "corpus.h"
#include "other.h"
#include "shapes.h" /* again: the include guard makes it a no-op */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static int failures;

#define CHECK(cond)                                                            \
	do {                                                                   \
		if (!(cond)) {                                                 \
			fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, \
				__LINE__, #cond);                              \
			failures++;                                            \
		}                                                              \
	} while (0)

/* ---- text, buffers and callbacks whose release is counted ----------------- */

static int string_releases;
static int point_vec_releases;
static int byte_vec_releases;
static int u64_vec_releases;
static int callback_releases;
static int logged;

static void CHITIN_CALL
release_string(uint8_t *ptr, size_t len, size_t cap)
{
	(void)ptr;
	CHECK(len <= cap);
	string_releases++;
}

static void CHITIN_CALL
release_points(shapes_Point *ptr, size_t len, size_t cap)
{
	(void)ptr;
	CHECK(len <= cap);
	point_vec_releases++;
}

static void CHITIN_CALL
release_bytes(uint8_t *ptr, size_t len, size_t cap)
{
	(void)ptr;
	CHECK(len <= cap);
	byte_vec_releases++;
}

static void CHITIN_CALL
release_words(uint64_t *ptr, size_t len, size_t cap)
{
	(void)ptr;
	CHECK(len <= cap);
	u64_vec_releases++;
}

static void CHITIN_CALL
release_context(void *ctx)
{
	(void)ctx;
	callback_releases++;
}

static chitin_str
str_of(const char *text)
{
	chitin_str s = { .ptr = (const uint8_t *)text, .len = strlen(text) };
	return s;
}

static bool
str_is(chitin_str s, const char *text)
{
	return s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0;
}

/* An owned string over static storage: its release only counts. */
static chitin_string
owned_string(const char *text)
{
	chitin_string s = {
		.ptr = (uint8_t *)(uintptr_t)text,
		.len = strlen(text),
		.cap = strlen(text),
		.release = release_string,
	};
	return s;
}

static bool
string_is(chitin_string s, const char *text)
{
	return s.len == strlen(text) && memcmp(s.ptr, text, s.len) == 0;
}

static void
drop_string(chitin_string s)
{
	if (s.release)
		s.release(s.ptr, s.len, s.cap);
}

static chitin_status CHITIN_CALL
log_line(void *ctx, chitin_str message, corpus_Level level)
{
	(void)ctx;
	CHECK(level == corpus_Level_High);
	CHECK(str_is(message, "started"));
	logged++;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
report_progress(void *ctx, uint32_t done, uint32_t total, bool *ret)
{
	uint32_t *calls = ctx;
	(*calls)++;
	*ret = done + 1 < total; /* stop after the last step */
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
visit_point(void *ctx, shapes_Point point, uint32_t index, bool *ret)
{
	float *sum_of_x = ctx;
	*sum_of_x += point.x;
	*ret = index < 1; /* stop after the second point */
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
double_samples(void *ctx, chitin_slice_const_f32 input, chitin_slice_f32 output,
	       chitin_result_u32_corpus_Error *ret)
{
	size_t i;
	(void)ctx;
	for (i = 0; i < input.len && i < output.len; i++)
		output.ptr[i] = 2 * input.ptr[i];
	ret->tag = CHITIN_RESULT_OK;
	ret->u.ok = (uint32_t)i;
	return CHITIN_OK;
}

/* ---- the Widget: a derived interface over an imported [base] --------------- */

struct widget {
	corpus_Widget iface; /* first: a corpus_Widget * is a struct widget * */
	int refs;
	shapes_Rect bounds;
	int draws;
	bool hidden;
};

static const chitin_typeid widget_iid = corpus_Widget_IID;
static const chitin_typeid named_iid = corpus_Named_IID;
static const chitin_typeid drawable_iid = shapes_Drawable_IID;
static const chitin_typeid engine_iid = corpus_Engine_IID;
static const chitin_typeid tracer_iid = other_Tracer_IID;
static const chitin_typeid object_iid = CHITIN_OBJECT_IID;

static bool
same_id(const chitin_typeid *a, const chitin_typeid *b)
{
	return memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

static struct widget *
widget_of(void *self)
{
	return (struct widget *)self;
}

static void CHITIN_CALL
widget_retain(chitin_object *self)
{
	widget_of(self)->refs++;
}

static void CHITIN_CALL
widget_release(chitin_object *self)
{
	widget_of(self)->refs--;
}

/* One vtable serves Widget, Named, Drawable and object: each is a prefix.
 * Its inherited slots take the interface that declares them (widget_draw
 * a shapes_Drawable, widget_name a corpus_Named): an implementation of a
 * base method serves every derived vtable with no cast (doc/abi.md 5.3). */
static chitin_object *CHITIN_CALL
widget_query(chitin_object *self, const chitin_typeid *iid)
{
	if (same_id(iid, &widget_iid) || same_id(iid, &named_iid) ||
	    same_id(iid, &drawable_iid) || same_id(iid, &object_iid)) {
		widget_retain(self);
		return self;
	}
	return NULL;
}

static chitin_status CHITIN_CALL
widget_draw(shapes_Drawable *self, shapes_Point at, chitin_option_shapes_Rect clip)
{
	CHECK(at.x == 1.5f && at.y == -2.0f);
	CHECK(clip.tag == CHITIN_OPTION_NONE ||
	      (clip.tag == CHITIN_OPTION_SOME && clip.value.max.x == 10.0f));
	widget_of(self)->draws++;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
widget_name(corpus_Named *self, chitin_string *ret)
{
	(void)self;
	*ret = owned_string("button");
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
widget_bounds(corpus_Widget *self, shapes_Rect *ret)
{
	*ret = widget_of(self)->bounds;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
widget_resize(corpus_Widget *self, shapes_Rect *bounds, bool *changed)
{
	struct widget *w = widget_of(self);
	shapes_Rect old = w->bounds;
	w->bounds = *bounds;
	*bounds = old;
	*changed = true;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
widget_hide(corpus_Widget *self)
{
	widget_of(self)->hidden = true;
	return CHITIN_OK;
}

static const corpus_Widget_vtbl widget_vtbl = {
	.header = {
		.size = sizeof(corpus_Widget_vtbl),
		.flags = 0,
		.iid = corpus_Widget_IID,
		.query = widget_query,
		.retain = widget_retain,
		.release = widget_release,
	},
	.draw = widget_draw,
	.name = widget_name,
	.bounds = widget_bounds,
	.resize = widget_resize,
	.hide = widget_hide,
};

static int widget_traps;

static chitin_status CHITIN_CALL
widget_hide_trap(corpus_Widget *self)
{
	(void)self;
	widget_traps++;
	return CHITIN_FAILED;
}

/* A 1.0 Widget: its vtable ends before hide, whose slot holds a trap that
 * no helper may reach. */
static const corpus_Widget_vtbl widget_vtbl_1_0 = {
	.header = {
		.size = offsetof(corpus_Widget_vtbl, hide),
		.iid = corpus_Widget_IID,
		.query = widget_query,
		.retain = widget_retain,
		.release = widget_release,
	},
	.draw = widget_draw,
	.name = widget_name,
	.bounds = widget_bounds,
	.resize = widget_resize,
	.hide = widget_hide_trap,
};

/* ---- the Engine: an extensible [threadsafe] interface ---------------------- */

struct engine {
	corpus_Engine iface;
	int refs;
	uint32_t count;
	struct widget *widget;
	const corpus_Config *config_seen;
	corpus_Config *out_config_seen;
};

static struct engine *
engine_of(void *self)
{
	return (struct engine *)self;
}

static void CHITIN_CALL
engine_retain(chitin_object *self)
{
	engine_of(self)->refs++;
}

static void CHITIN_CALL
engine_release(chitin_object *self)
{
	engine_of(self)->refs--;
}

static chitin_object *CHITIN_CALL
engine_query(chitin_object *self, const chitin_typeid *iid)
{
	if (same_id(iid, &engine_iid) || same_id(iid, &object_iid)) {
		engine_retain(self);
		return self;
	}
	return NULL;
}

static chitin_status CHITIN_CALL
engine_count(corpus_Engine *self, uint32_t *ret)
{
	*ret = engine_of(self)->count;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_reset(corpus_Engine *self)
{
	engine_of(self)->count = 0;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_process(corpus_Engine *self, chitin_slice_const_f32 input, chitin_slice_f32 output,
	       chitin_result_void_corpus_Error *ret)
{
	size_t i;
	(void)self;
	if (output.len < input.len) {
		ret->tag = CHITIN_RESULT_ERR;
		ret->u.err.code = 22;
		ret->u.err.message = owned_string("output too short");
		return CHITIN_OK; /* a declared error is a completed call */
	}
	for (i = 0; i < input.len; i++)
		output.ptr[i] = -input.ptr[i];
	ret->tag = CHITIN_RESULT_OK;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_find(corpus_Engine *self, chitin_str name, chitin_option_shapes_Point *ret)
{
	(void)self;
	if (str_is(name, "corner")) {
		ret->tag = CHITIN_OPTION_SOME;
		ret->value.x = 3;
		ret->value.y = 4;
	} else {
		ret->tag = CHITIN_OPTION_NONE;
	}
	return CHITIN_OK;
}

static shapes_Point engine_points_storage[3] = { { 1, 2 }, { 3, 4 }, { 5, 6 } };

static chitin_status CHITIN_CALL
engine_points(corpus_Engine *self, chitin_vec_shapes_Point *ret)
{
	(void)self;
	ret->ptr = engine_points_storage;
	ret->len = 2;
	ret->cap = 3;
	ret->release = release_points;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_describe(corpus_Engine *self, uint32_t verbosity, corpus_Mode mode, chitin_string *ret)
{
	(void)self;
	if (verbosity != 2 || mode != corpus_Mode_Turbo)
		return CHITIN_INVALID_ARG;
	*ret = owned_string("turbo engine");
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_set_logger(corpus_Engine *self, corpus_Logger logger)
{
	(void)self;
	logger.call(logger.ctx, str_of("started"), corpus_Level_High);
	if (logger.release) /* consumed: the callee releases it */
		logger.release(logger.ctx);
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_exchange(corpus_Engine *self, corpus_Record *record, uint32_t *old_count)
{
	struct engine *e = engine_of(self);
	*old_count = e->count;
	e->count = record->match;
	record->type = 99;
	record->grid[1][2] = 7;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_largest(corpus_Engine *self, shapes_Shape *ret)
{
	(void)self;
	ret->tag = shapes_Shape_Circle;
	ret->payload.Circle.center.x = 0.5f;
	ret->payload.Circle.center.y = 0.25f;
	ret->payload.Circle.radius = 8;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_next(corpus_Engine *self, chitin_option_corpus_Command hint, corpus_Command *ret)
{
	(void)self;
	if (hint.tag == CHITIN_OPTION_SOME) {
		*ret = hint.value; /* the hint's string moves into the result */
	} else {
		ret->tag = corpus_Command_Wait;
		ret->payload.Wait.milliseconds = 250;
	}
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_widget(corpus_Engine *self, corpus_Widget **ret)
{
	struct widget *w = engine_of(self)->widget;
	w->refs++;
	*ret = &w->iface;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_self_object(corpus_Engine *self, chitin_object **ret)
{
	*ret = engine_query((chitin_object *)(void *)self, &object_iid);
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_walk(corpus_Engine *self, shapes_Visit visit, chitin_slice_const_shapes_Point points, bool *ret)
{
	uint32_t i;
	bool go_on = true;
	(void)self;
	for (i = 0; i < points.len && go_on; i++)
		if (visit.call(visit.ctx, points.ptr[i], i, &go_on) != CHITIN_OK)
			return CHITIN_FAILED;
	if (visit.release)
		visit.release(visit.ctx);
	*ret = i == points.len;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_sum(corpus_Engine *self, chitin_slice_const_u64 values, chitin_option_u32 limit,
	   uint64_t *ret)
{
	size_t i, n = values.len;
	(void)self;
	if (limit.tag == CHITIN_OPTION_SOME && limit.value < n)
		n = limit.value;
	*ret = 0;
	for (i = 0; i < n; i++)
		*ret += values.ptr[i];
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_identify(corpus_Engine *self, chitin_typeid wanted, const corpus_Bits *bits, corpus_Wide wide,
		chitin_typeid *ret)
{
	(void)self;
	/* [align(8)] Bits comes by pointer (doc/abi.md 3.2) */
	CHECK(bits->word == UINT64_C(0x0102030405060708));
	CHECK(wide == corpus_Wide_Max);
	*ret = wanted;
	ret->bytes[15] ^= 0xff;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_configure(corpus_Engine *self, const corpus_Config *config, corpus_Config *out_config)
{
	engine_of(self)->config_seen = config;
	engine_of(self)->out_config_seen = out_config;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_rename(corpus_Engine *self, chitin_string name)
{
	(void)self;
	CHECK(string_is(name, "renamed"));
	drop_string(name);
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_subscribe(corpus_Engine *self, corpus_Progress on_progress, uint32_t flags, uint32_t *ret)
{
	bool more = true;
	uint32_t done = 0;
	(void)self;
	while (more && on_progress.call(on_progress.ctx, done, 3, &more) == CHITIN_OK)
		done++;
	if (on_progress.release)
		on_progress.release(on_progress.ctx);
	*ret = done * 100 + flags;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
engine_locate(corpus_Engine *self, chitin_option_string label, chitin_vec_u8 payload,
	      corpus_Error context, corpus_Progress notify, chitin_result_shapes_Point_corpus_Error *ret)
{
	(void)self;
	drop_string(context.message);
	if (notify.call && notify.release) /* option<callback>: none is a null call */
		notify.release(notify.ctx);
	if (label.tag == CHITIN_OPTION_SOME) {
		ret->tag = CHITIN_RESULT_OK;
		ret->u.ok.x = (float)label.value.len;
		ret->u.ok.y = (float)payload.len;
		drop_string(label.value);
	} else {
		ret->tag = CHITIN_RESULT_ERR;
		ret->u.err.code = 404;
		ret->u.err.message = owned_string("no label");
	}
	if (payload.release)
		payload.release(payload.ptr, payload.len, payload.cap);
	return CHITIN_OK;
}

static const corpus_Engine_vtbl engine_vtbl = {
	.header = {
		.size = sizeof(corpus_Engine_vtbl),
		.flags = CHITIN_VTABLE_THREADSAFE,
		.iid = corpus_Engine_IID,
		.query = engine_query,
		.retain = engine_retain,
		.release = engine_release,
	},
	.count = engine_count,
	.reset = engine_reset,
	.process = engine_process,
	.find = engine_find,
	.points = engine_points,
	.describe = engine_describe,
	.set_logger = engine_set_logger,
	.exchange = engine_exchange,
	.largest = engine_largest,
	.next = engine_next,
	.widget = engine_widget,
	.self_object = engine_self_object,
	.walk = engine_walk,
	.sum = engine_sum,
	.identify = engine_identify,
	.configure = engine_configure,
	.rename = engine_rename,
	.subscribe = engine_subscribe,
	.locate = engine_locate,
};

/* Slots an older engine lacks hold these: a helper that calls one fails
 * the test. */
static int engine_traps;

static chitin_status CHITIN_CALL
trap_rename(corpus_Engine *self, chitin_string name)
{
	(void)self;
	(void)name;
	engine_traps++;
	return CHITIN_FAILED;
}

static chitin_status CHITIN_CALL
trap_subscribe(corpus_Engine *self, corpus_Progress on_progress, uint32_t flags, uint32_t *ret)
{
	(void)self;
	(void)on_progress;
	(void)flags;
	(void)ret;
	engine_traps++;
	return CHITIN_FAILED;
}

static chitin_status CHITIN_CALL
trap_locate(corpus_Engine *self, chitin_option_string label, chitin_vec_u8 payload,
	    corpus_Error context, corpus_Progress notify, chitin_result_shapes_Point_corpus_Error *ret)
{
	(void)self;
	(void)label;
	(void)payload;
	(void)context;
	(void)notify;
	(void)ret;
	engine_traps++;
	return CHITIN_FAILED;
}

/* The vtable of an engine built against version `size_before`: every slot
 * from that offset on is a trap, and the header's size stops there. */
static corpus_Engine_vtbl
older_engine_vtbl(uint32_t size_before)
{
	corpus_Engine_vtbl v = engine_vtbl;
	v.header.size = size_before;
	if (size_before <= offsetof(corpus_Engine_vtbl, rename))
		v.rename = trap_rename;
	if (size_before <= offsetof(corpus_Engine_vtbl, subscribe))
		v.subscribe = trap_subscribe;
	if (size_before <= offsetof(corpus_Engine_vtbl, locate))
		v.locate = trap_locate;
	return v;
}

/* ---- other.Tracer: a second module's interface over the same base ---------- */

struct tracer {
	other_Tracer iface;
	int refs;
	chitin_option_shapes_Point last;
};

static struct tracer *
tracer_of(void *self)
{
	return (struct tracer *)self;
}

static void CHITIN_CALL
tracer_retain(chitin_object *self)
{
	tracer_of(self)->refs++;
}

static void CHITIN_CALL
tracer_release(chitin_object *self)
{
	tracer_of(self)->refs--;
}

static chitin_object *CHITIN_CALL
tracer_query(chitin_object *self, const chitin_typeid *iid)
{
	if (same_id(iid, &tracer_iid) || same_id(iid, &drawable_iid) || same_id(iid, &object_iid)) {
		tracer_retain(self);
		return self;
	}
	return NULL;
}

static chitin_status CHITIN_CALL
tracer_draw(shapes_Drawable *self, shapes_Point at, chitin_option_shapes_Rect clip)
{
	(void)clip;
	tracer_of(self)->last.tag = CHITIN_OPTION_SOME;
	tracer_of(self)->last.value = at;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
tracer_last(other_Tracer *self, chitin_option_shapes_Point *ret)
{
	*ret = tracer_of(self)->last;
	return CHITIN_OK;
}

static chitin_status CHITIN_CALL
tracer_trace(other_Tracer *self, other_Path path, chitin_vec_shapes_Point *ret)
{
	(void)self;
	/* path.points is owned and passed [in]: it moves into the result */
	*ret = path.points;
	return CHITIN_OK;
}

static const other_Tracer_vtbl tracer_vtbl = {
	.header = {
		.size = sizeof(other_Tracer_vtbl),
		.iid = other_Tracer_IID,
		.query = tracer_query,
		.retain = tracer_retain,
		.release = tracer_release,
	},
	.draw = tracer_draw,
	.last = tracer_last,
	.trace = tracer_trace,
};

/* ---- the exports, defined here and reached both ways ------------------------ */

static struct widget the_widget = { .iface = { &widget_vtbl }, .refs = 1 };
static struct engine the_engine = { .iface = { &engine_vtbl }, .refs = 1, .widget = &the_widget };
static struct tracer the_tracer = { .iface = { &tracer_vtbl }, .refs = 1 };

chitin_status CHITIN_CALL
corpus_create_engine(chitin_str name, corpus_Logger logger, corpus_Engine **ret)
{
	if (!str_is(name, "main"))
		return CHITIN_INVALID_ARG;
	if (logger.release)
		logger.release(logger.ctx);
	the_engine.refs++;
	*ret = &the_engine.iface;
	return CHITIN_OK;
}

chitin_status CHITIN_CALL
corpus_engine_version_number(uint32_t *ret)
{
	*ret = 0x0102;
	return CHITIN_OK;
}

static int shutdowns;

chitin_status CHITIN_CALL
corpus_shutdown(void)
{
	shutdowns++;
	return CHITIN_OK;
}

chitin_status CHITIN_CALL
corpus_last_record(uint32_t index, chitin_option_corpus_Record *ret)
{
	if (index != 0) {
		ret->tag = CHITIN_OPTION_NONE;
		return CHITIN_OK;
	}
	memset(ret, 0, sizeof *ret);
	ret->tag = CHITIN_OPTION_SOME;
	ret->value.type = 5;
	ret->value.label = owned_string("last");
	return CHITIN_OK;
}

static uint64_t stats_storage[4];

chitin_status CHITIN_CALL
corpus_stats_v2(chitin_slice_const_shapes_Point points, corpus_Transform transform,
		chitin_result_vec_u64_corpus_Error *ret)
{
	float in[2], out[2];
	chitin_slice_const_f32 input = { .ptr = in, .len = 2 };
	chitin_slice_f32 output = { .ptr = out, .len = 2 };
	chitin_result_u32_corpus_Error written;
	if (points.len < 1)
		return CHITIN_INVALID_ARG;
	in[0] = points.ptr[0].x;
	in[1] = points.ptr[0].y;
	if (transform.call(transform.ctx, input, output, &written) != CHITIN_OK ||
	    written.tag != CHITIN_RESULT_OK)
		return CHITIN_FAILED;
	if (transform.release)
		transform.release(transform.ctx);
	stats_storage[0] = (uint64_t)points.len;
	stats_storage[1] = written.u.ok;
	stats_storage[2] = (uint64_t)out[0];
	stats_storage[3] = (uint64_t)out[1];
	ret->tag = CHITIN_RESULT_OK;
	ret->u.ok.ptr = stats_storage;
	ret->u.ok.len = 4;
	ret->u.ok.cap = 4;
	ret->u.ok.release = release_words;
	return CHITIN_OK;
}

chitin_status CHITIN_CALL
other_make_tracer(chitin_option_shapes_Point start, other_Tracer **ret)
{
	the_tracer.last = start;
	the_tracer.refs++;
	*ret = &the_tracer.iface;
	return CHITIN_OK;
}

/* ---- the checks -------------------------------------------------------------- */

static void
check_constants_and_enums(void)
{
	CHECK(CORPUS_MAX_ITEMS == 4);
	CHECK(CORPUS_MAX_VERTICES == 2 * SHAPES_MAX_POINTS);
	CHECK(CORPUS_SMALL == 200);
	CHECK(CORPUS_NEGATIVE == INT8_MIN);
	CHECK(CORPUS_FLOOR == INT16_MIN);
	CHECK(CORPUS_CEILING == UINT16_MAX);
	CHECK(CORPUS_MIN_I32 == INT32_MIN);
	CHECK(CORPUS_MIN_I64 == INT64_MIN);
	CHECK(CORPUS_MAX_I64 == INT64_MAX);
	CHECK(CORPUS_ALL_BITS == UINT64_MAX);
	CHECK(CORPUS_BIG == UINT64_C(0xFFFFFFFF00000001));
	/* each constant has its IDL type */
	CHECK(_Generic(CORPUS_MIN_I64, int64_t: 1, default: 0));
	CHECK(_Generic(CORPUS_ALL_BITS, uint64_t: 1, default: 0));
	CHECK(_Generic(CORPUS_MAX_ITEMS, uint32_t: 1, default: 0));

	CHECK(corpus_Mode_Off == 0 && corpus_Mode_Fast == 2 && corpus_Mode_Turbo == 3);
	CHECK(corpus_Level_Low == -1 && corpus_Level_High == 1);
	CHECK(corpus_Wide_Max == UINT64_MAX);
	CHECK(shapes_Color_Red == 0 && shapes_Color_Green == 5 && shapes_Color_Blue == 6);
	CHECK(corpus_Command_Stop == 0 && corpus_Command_Move == 1 && corpus_Command_Say == 2);
	CHECK(corpus_Command_Paint == 7 && corpus_Command_Idle == 8 && corpus_Command_Wait == 9);
	CHECK(shapes_Shape_Nothing == 0 && shapes_Shape_Polygon == 3);
	/* C-like enums are their integer type, never a C enum */
	CHECK(sizeof(corpus_Mode) == 4 && sizeof(corpus_Level) == 1 && sizeof(corpus_Wide) == 8);
	CHECK(sizeof(shapes_Color) == 1);
	CHECK((corpus_Level)-1 < 0); /* signed */
	CHECK(sizeof(((corpus_Command *)0)->tag) == 1);
	CHECK(sizeof(((shapes_Shape *)0)->tag) == 2);

	/* explicit uuids in RFC 9562 byte order; every id differs */
	CHECK(engine_iid.bytes[0] == 0x6f && engine_iid.bytes[1] == 0x1c &&
	      engine_iid.bytes[8] == 0x8f && engine_iid.bytes[15] == 0x21);
	CHECK(!same_id(&widget_iid, &named_iid) && !same_id(&named_iid, &drawable_iid) &&
	      !same_id(&drawable_iid, &tracer_iid) && !same_id(&widget_iid, &object_iid));
}

static void
check_values(void)
{
	static const float samples[3] = { 0.5f, 1.5f, 2.5f };
	static uint8_t scratch[4];
	static const shapes_Point view[2] = { { 1, 1 }, { 2, 2 } };
	static shapes_Point edit[1];
	static const chitin_str words[2] = { { (const uint8_t *)"a", 1 }, { (const uint8_t *)"bc", 2 } };
	static chitin_string names[1];
	static corpus_Record records[1];
	static chitin_option_string sparse[2];
	static chitin_vec_u8 chunks[1];
	static corpus_Error errors[1];
	static const chitin_option_shapes_Point maybe_view[2] = { { .tag = CHITIN_OPTION_NONE },
							   { .tag = CHITIN_OPTION_SOME, .value = { 7, 8 } } };
	static const uint8_t raw_bytes[2] = { 1, 2 };
	static const uint8_t *table[1] = { raw_bytes };
	uint32_t counter = 0;
	int user = 0;
	corpus_Everything all = {
		.scalars = {
			.flag = true,
			.tiny = -8,
			.small = -16,
			.word = -32,
			.big = INT64_MIN,
			.byte = 8,
			.half = 16,
			.unsigned_word = 32,
			.unsigned_big = UINT64_MAX,
			.single = 1.25f,
			.real = -2.5,
			.size = SIZE_MAX,
			.diff = PTRDIFF_MIN,
			.id = { { 0x12, 0x34 } },
		},
		.record = {
			.type = 1,
			.match = 2,
			.label = { .ptr = NULL }, /* all zero: an empty string */
			.gains = { 1, 2, 3, 4 },
			.grid = { { 1, 2, 3 }, { 4, 5, 6 } },
			.corners = { { 0, 0 }, { 1, 0 }, { 1, 1 }, { 0, 1 } },
			.origin = { .x = -1, .y = -1 },
			.bounds = { .min = { 0, 0 }, .max = { 4, 3 } },
			.color = shapes_Color_Blue,
			.raw = raw_bytes,
			.user = &user,
			.user_const = &user,
			.counter = &counter,
			.table = table,
			.config = NULL,
			.next = NULL,
		},
		.vec4 = { .lanes = { 1, 2, 3, 4 } },
		.bits = { .word = UINT64_C(0x0102030405060708) },
		.mode = corpus_Mode_Slow,
		.level = corpus_Level_Low,
		.wide = corpus_Wide_Max,
		.command = {
			.tag = corpus_Command_Paint,
			.payload = { .Paint = {
				.color = shapes_Color_Green,
				.alpha = 128,
				.area = { { { 0, 0 }, { 1, 1 } }, { { 2, 2 }, { 3, 3 } } },
			} },
		},
		.logger = { .call = log_line, .ctx = NULL, .release = NULL },
		.progress = { .call = report_progress, .ctx = &counter, .release = release_context },
		.visit = { .call = visit_point },
		.engine = &the_engine.iface,
		.widget = &the_widget.iface,
		.any = (chitin_object *)(void *)&the_engine.iface,
		.shape = {
			.tag = shapes_Shape_Box,
			.payload = { .Box = { .bounds = { { 0, 0 }, { 9, 9 } }, .fill = shapes_Color_Red } },
		},
		.generics = {
			.maybe_word = { .tag = CHITIN_OPTION_SOME, .value = 7 },
			.maybe_flag = CHITIN_OPTION_BOOL_NONE,
			.maybe_text = { .tag = CHITIN_OPTION_NONE },
			.maybe_point = { .tag = CHITIN_OPTION_SOME, .value = { 1, 2 } },
			.maybe_color = { .tag = CHITIN_OPTION_SOME, .value = shapes_Color_Green },
			.maybe_shape = { .tag = CHITIN_OPTION_SOME,
					 .value = { .tag = shapes_Shape_Nothing } },
			.maybe_engine = NULL, /* none: the null reference */
			.maybe_logger = { .call = NULL }, /* none: a null call */
			.maybe_mode = { .tag = CHITIN_OPTION_SOME, .value = corpus_Mode_Fast },
			.bytes = { .ptr = scratch, .len = 0, .cap = 4, .release = release_bytes },
			.names = { .ptr = names, .len = 0, .cap = 1 },
			.points = { .ptr = edit, .len = 1, .cap = 1, .release = release_points },
			.records = { .ptr = records, .len = 1, .cap = 1 },
			.samples = { .ptr = samples, .len = 3 },
			.scratch = { .ptr = scratch, .len = sizeof scratch },
			.view = { .ptr = view, .len = 2 },
			.edit = { .ptr = edit, .len = 1 },
			.words = { .ptr = words, .len = 2 },
			.text = { .ptr = (const uint8_t *)"text", .len = 4 },
			.done = { .tag = CHITIN_RESULT_OK },
			.counted = { .tag = CHITIN_RESULT_OK, .u = { .ok = 3 } },
			.placed = { .tag = CHITIN_RESULT_ERR, .u = { .err = shapes_Color_Red } },
			.flagged = { .tag = CHITIN_RESULT_ERR },
			.maybe_points = { .tag = CHITIN_OPTION_SOME, .value = { .ptr = edit, .len = 1, .cap = 1 } },
			.sparse = { .ptr = sparse, .len = 2, .cap = 2 },
			.chunks = { .ptr = chunks, .len = 1, .cap = 1 },
			.twice = { .tag = CHITIN_OPTION_SOME, .value = CHITIN_OPTION_BOOL_TRUE },
			.outcome = { .tag = CHITIN_RESULT_ERR, .u = { .err = { .ptr = errors, .len = 1, .cap = 1 } } },
			.attempt = { .tag = CHITIN_OPTION_SOME,
				     .value = { .tag = CHITIN_RESULT_OK, .u = { .ok = { 5, 6 } } } },
			.maybe_view = { .ptr = maybe_view, .len = 2 },
		},
	};
	/* The same instantiations, from other.h, are the very same types:
	 * these assignments compile only if they are. */
	other_Path path = {
		.start = all.generics.maybe_point,
		.points = all.generics.points,
		.view = all.generics.view,
		.edit = all.generics.edit,
		.color = all.generics.maybe_color,
		.shape = all.generics.maybe_shape,
		.placed = all.generics.placed,
		.maybe_points = all.generics.maybe_points,
		.maybe_view = all.generics.maybe_view,
	};
	chitin_option_shapes_Point named_option = path.start;
	chitin_result_shapes_Point_shapes_Color named_result = path.placed;
	chitin_slice_const_option_shapes_Point named_slice = path.maybe_view;

	CHECK(named_option.tag == CHITIN_OPTION_SOME && named_option.value.y == 2);
	CHECK(named_result.tag == CHITIN_RESULT_ERR && named_result.u.err == shapes_Color_Red);
	CHECK(named_slice.len == 2 && named_slice.ptr[1].value.x == 7);
	CHECK(all.scalars.big == INT64_MIN && all.scalars.id.bytes[1] == 0x34);
	CHECK(all.record.grid[1][2] == 6 && all.record.corners[2].x == 1);
	CHECK(all.record.table[0][1] == 2);
	CHECK(all.command.payload.Paint.area[1].max.y == 3);
	CHECK(all.bits.bytes[0] == 0x08 || all.bits.bytes[0] == 0x01);
	CHECK(all.generics.attempt.value.u.ok.y == 6);
	CHECK(all.generics.outcome.u.err.len == 1);
	CHECK(all.generics.twice.value == CHITIN_OPTION_BOOL_TRUE);
	CHECK(all.generics.maybe_flag == CHITIN_OPTION_BOOL_NONE);
	CHECK(all.progress.release == release_context);
	CHECK(all.generics.maybe_engine == NULL && all.generics.maybe_logger.call == NULL);
	/* [align]: raised alignments are real */
	CHECK(CHITIN_ALIGNOF(corpus_Vec4) == 16 && CHITIN_ALIGNOF(corpus_Bits) == 8);
	CHECK(((uintptr_t)&all.vec4 & 15) == 0);
	/* niches: option<bool> is a byte; options of interfaces and callbacks
	 * are the reference and the callback themselves */
	CHECK(sizeof(all.generics.maybe_flag) == 1);
	CHECK(sizeof(all.generics.maybe_engine) == sizeof(void *));
	CHECK(sizeof(all.generics.maybe_logger) == 3 * sizeof(void *));
	CHECK(sizeof(all.generics.flagged) == 1); /* result<void, void>: the tag alone */
}

static void
check_engine(void)
{
	corpus_Engine *e = NULL;
	corpus_Logger logger = { .call = log_line, .ctx = NULL, .release = release_context };
	corpus_Widget *w = NULL;
	chitin_object *identity = NULL, *queried;
	uint32_t count = 0, old_count = 0, progress_calls = 0, subscribed = 0;
	float in[3] = { 1, 2, 3 }, out[3] = { 0, 0, 0 };
	chitin_slice_const_f32 input = { .ptr = in, .len = 3 };
	chitin_slice_f32 output = { .ptr = out, .len = 3 };
	chitin_result_void_corpus_Error processed;
	chitin_option_shapes_Point found;
	chitin_vec_shapes_Point points;
	chitin_string text;
	corpus_Record record = { .type = 1, .match = 41 };
	shapes_Shape shape;
	corpus_Command command;
	chitin_option_corpus_Command hint = {
		.tag = CHITIN_OPTION_SOME,
		.value = { .tag = corpus_Command_Move, .payload = { .Move = { { 1, 2 }, 0.5f } } },
	};
	shapes_Point walk_points[3] = { { 1, 0 }, { 2, 0 }, { 4, 0 } };
	float sum_of_x = 0;
	shapes_Visit visit = { .call = visit_point, .ctx = &sum_of_x, .release = NULL };
	chitin_slice_const_shapes_Point walk_slice = { .ptr = walk_points, .len = 3 };
	bool walked = true;
	uint64_t values[4] = { 1, 2, 3, 4 }, total = 0;
	chitin_slice_const_u64 value_slice = { .ptr = values, .len = 4 };
	chitin_option_u32 limit = { .tag = CHITIN_OPTION_SOME, .value = 3 };
	chitin_typeid wanted = { { 1, 2, 3 } }, identified;
	corpus_Bits bits = { .word = UINT64_C(0x0102030405060708) };
	_Alignas(8) unsigned char config_storage[64];
	const corpus_Config *config = (const corpus_Config *)(const void *)config_storage;
	corpus_Progress progress = { .call = report_progress, .ctx = &progress_calls,
				     .release = release_context };
	chitin_option_string label = { .tag = CHITIN_OPTION_SOME, .value = owned_string("here") };
	static uint8_t payload_bytes[3] = { 1, 2, 3 };
	chitin_vec_u8 payload = { .ptr = payload_bytes, .len = 3, .cap = 3, .release = release_bytes };
	corpus_Error context = { .code = 1, .message = owned_string("context") };
	corpus_Progress notify = { .call = report_progress, .ctx = &progress_calls,
				   .release = release_context };
	chitin_result_shapes_Point_corpus_Error located;
	int strings_before, bytes_before, callbacks_before;

	callbacks_before = callback_releases;
	CHECK(corpus_create_engine(str_of("main"), logger, &e) == CHITIN_OK);
	CHECK(e == &the_engine.iface && the_engine.refs == 2);
	CHECK(callback_releases == callbacks_before + 1);

	CHECK(e->vtbl->header.size == sizeof(corpus_Engine_vtbl));
	CHECK(e->vtbl->header.flags == CHITIN_VTABLE_THREADSAFE);
	CHECK(same_id(&e->vtbl->header.iid, &engine_iid));
	/* slots follow the header, one pointer each (doc/abi.md 5.3) */
	CHECK(offsetof(corpus_Engine_vtbl, count) == 24 + 3 * sizeof(void *));
	CHECK(offsetof(corpus_Engine_vtbl, locate) == 24 + 3 * sizeof(void *) + 18 * sizeof(void *));
	CHECK(sizeof(corpus_Engine_vtbl) == 24 + 3 * sizeof(void *) + 19 * sizeof(void *));

	the_engine.count = 5;
	CHECK(corpus_Engine_count(e, &count) == CHITIN_OK && count == 5);
	CHECK(corpus_Engine_reset(e) == CHITIN_OK);
	CHECK(corpus_Engine_count(e, &count) == CHITIN_OK && count == 0);

	CHECK(corpus_Engine_process(e, input, output, &processed) == CHITIN_OK);
	CHECK(processed.tag == CHITIN_RESULT_OK && out[2] == -3);
	output.len = 1;
	CHECK(corpus_Engine_process(e, input, output, &processed) == CHITIN_OK);
	CHECK(processed.tag == CHITIN_RESULT_ERR && processed.u.err.code == 22);
	CHECK(string_is(processed.u.err.message, "output too short"));
	strings_before = string_releases;
	drop_string(processed.u.err.message);
	CHECK(string_releases == strings_before + 1);

	CHECK(corpus_Engine_find(e, str_of("corner"), &found) == CHITIN_OK);
	CHECK(found.tag == CHITIN_OPTION_SOME && found.value.x == 3 && found.value.y == 4);
	CHECK(corpus_Engine_find(e, str_of("nowhere"), &found) == CHITIN_OK);
	CHECK(found.tag == CHITIN_OPTION_NONE);

	CHECK(corpus_Engine_points(e, &points) == CHITIN_OK);
	CHECK(points.len == 2 && points.cap == 3 && points.ptr[1].y == 4);
	points.release(points.ptr, points.len, points.cap);
	CHECK(point_vec_releases == 1);

	CHECK(corpus_Engine_describe(e, 2, corpus_Mode_Turbo, &text) == CHITIN_OK);
	CHECK(string_is(text, "turbo engine"));
	drop_string(text);
	CHECK(corpus_Engine_describe(e, 1, corpus_Mode_Off, &text) == CHITIN_INVALID_ARG);

	callbacks_before = callback_releases;
	CHECK(corpus_Engine_set_logger(e, logger) == CHITIN_OK);
	CHECK(logged == 1 && callback_releases == callbacks_before + 1);

	the_engine.count = 8;
	CHECK(corpus_Engine_exchange(e, &record, &old_count) == CHITIN_OK);
	CHECK(old_count == 8 && the_engine.count == 41 && record.type == 99 && record.grid[1][2] == 7);

	CHECK(corpus_Engine_largest(e, &shape) == CHITIN_OK);
	CHECK(shape.tag == shapes_Shape_Circle && shape.payload.Circle.radius == 8);

	CHECK(corpus_Engine_next(e, hint, &command) == CHITIN_OK);
	CHECK(command.tag == corpus_Command_Move && command.payload.Move.to.y == 2);
	hint.tag = CHITIN_OPTION_NONE;
	CHECK(corpus_Engine_next(e, hint, &command) == CHITIN_OK);
	CHECK(command.tag == corpus_Command_Wait && command.payload.Wait.milliseconds == 250);

	CHECK(corpus_Engine_widget(e, &w) == CHITIN_OK);
	CHECK(w == &the_widget.iface && the_widget.refs == 2);
	corpus_Widget_release(w);
	CHECK(the_widget.refs == 1);

	CHECK(corpus_Engine_self_object(e, &identity) == CHITIN_OK);
	queried = e->vtbl->header.query((chitin_object *)(void *)e, &object_iid);
	CHECK(identity != NULL && identity == queried);
	chitin_release(identity);
	chitin_release(queried);
	CHECK(e->vtbl->header.query((chitin_object *)(void *)e, &widget_iid) == NULL);
	CHECK(the_engine.refs == 2);
	/* the typed query helpers: an owned reference, or NULL */
	{
		corpus_Engine *again = corpus_Engine_query(corpus_Engine_as_object(e));
		CHECK(again == e && the_engine.refs == 3);
		corpus_Engine_release(again);
		CHECK(corpus_Widget_query(corpus_Engine_as_object(e)) == NULL);
		CHECK(the_engine.refs == 2);
	}

	CHECK(corpus_Engine_walk(e, visit, walk_slice, &walked) == CHITIN_OK);
	CHECK(!walked && sum_of_x == 3);

	CHECK(corpus_Engine_sum(e, value_slice, limit, &total) == CHITIN_OK && total == 6);
	limit.tag = CHITIN_OPTION_NONE;
	CHECK(corpus_Engine_sum(e, value_slice, limit, &total) == CHITIN_OK && total == 10);

	CHECK(corpus_Engine_identify(e, wanted, &bits, corpus_Wide_Max, &identified) == CHITIN_OK);
	CHECK(identified.bytes[2] == 3 && identified.bytes[15] == 0xff);

	CHECK(corpus_Engine_configure(e, config, NULL) == CHITIN_OK);
	CHECK(the_engine.config_seen == config && the_engine.out_config_seen == NULL);

	/* [since] methods, present: the callee consumes the owned arguments */
	strings_before = string_releases;
	CHECK(corpus_Engine_rename(e, owned_string("renamed")) == CHITIN_OK);
	CHECK(string_releases == strings_before + 1);

	callbacks_before = callback_releases;
	CHECK(corpus_Engine_subscribe(e, progress, 7, &subscribed) == CHITIN_OK);
	CHECK(subscribed == 307 && progress_calls == 3);
	CHECK(callback_releases == callbacks_before + 1);

	strings_before = string_releases;
	bytes_before = byte_vec_releases;
	callbacks_before = callback_releases;
	CHECK(corpus_Engine_locate(e, label, payload, context, notify, &located) == CHITIN_OK);
	CHECK(located.tag == CHITIN_RESULT_OK && located.u.ok.x == 4 && located.u.ok.y == 3);
	CHECK(string_releases == strings_before + 2 && byte_vec_releases == bytes_before + 1);
	CHECK(callback_releases == callbacks_before + 1);
	label.tag = CHITIN_OPTION_NONE;
	context.message = owned_string("context"); /* the first was consumed */
	notify.call = NULL;
	notify.ctx = NULL;
	notify.release = NULL;
	CHECK(corpus_Engine_locate(e, label, payload, context, notify, &located) == CHITIN_OK);
	CHECK(located.tag == CHITIN_RESULT_ERR && located.u.err.code == 404);
	drop_string(located.u.err.message);

	corpus_Engine_release(e);
	CHECK(the_engine.refs == 1);
}

/* Helpers called on an engine of version `version` whose vtable ends at
 * `size`: each [since] method the engine lacks is UNAVAILABLE, is never
 * called, and its owned [in] arguments are released by the helper. */
static void
check_older_engine(const corpus_Engine_vtbl *vtbl, int minor)
{
	struct engine older = { .iface = { vtbl }, .refs = 1 };
	corpus_Engine *e = &older.iface;
	uint32_t count = 1, subscribed = 0, progress_calls = 0;
	corpus_Progress progress = { .call = report_progress, .ctx = &progress_calls,
				     .release = release_context };
	corpus_Progress borrowed = { .call = report_progress, .ctx = &progress_calls, .release = NULL };
	chitin_option_string label = { .tag = CHITIN_OPTION_SOME, .value = owned_string("here") };
	static uint8_t payload_bytes[2] = { 1, 2 };
	chitin_vec_u8 payload = { .ptr = payload_bytes, .len = 2, .cap = 2, .release = release_bytes };
	corpus_Error context = { .code = 2, .message = owned_string("context") };
	corpus_Progress notify = { .call = report_progress, .ctx = &progress_calls,
				   .release = release_context };
	chitin_result_shapes_Point_corpus_Error located;
	chitin_status expect_1_1 = minor >= 1 ? CHITIN_OK : CHITIN_UNAVAILABLE;
	int strings_before = string_releases, callbacks_before = callback_releases;
	int bytes_before = byte_vec_releases, traps_before = engine_traps;

	/* methods of 1.0 work as ever */
	CHECK(corpus_Engine_count(e, &count) == CHITIN_OK && count == 0);

	CHECK(corpus_Engine_rename(e, owned_string("renamed")) == expect_1_1);
	CHECK(string_releases == strings_before + 1);

	CHECK(corpus_Engine_subscribe(e, progress, 1, &subscribed) == expect_1_1);
	CHECK(callback_releases == callbacks_before + 1);
	CHECK(progress_calls == (minor >= 1 ? 3u : 0u));
	/* a borrowed callback is never released, called or not */
	CHECK(corpus_Engine_subscribe(e, borrowed, 1, &subscribed) == expect_1_1);
	CHECK(callback_releases == callbacks_before + 1);

	/* locate (1.2) is missing from both: the helper releases every owned
	 * value its arguments hold by value, directly (the vec) or inside an
	 * option (the string, the callback) or a struct (the error's string). */
	strings_before = string_releases;
	callbacks_before = callback_releases;
	progress_calls = 0;
	CHECK(corpus_Engine_locate(e, label, payload, context, notify, &located) ==
	      CHITIN_UNAVAILABLE);
	CHECK(byte_vec_releases == bytes_before + 1);
	if (string_releases != strings_before + 2)
		fprintf(stderr, "%s:%d: locate on a 1.%d engine: the owned strings inside "
			"option<string> and Error were released %d times, not twice "
			"(doc/abi.md 4, rule 3)\n",
			__FILE__, __LINE__, minor, string_releases - strings_before);
	CHECK(string_releases == strings_before + 2);
	if (callback_releases != callbacks_before + 1)
		fprintf(stderr, "%s:%d: locate on a 1.%d engine: the owned callback inside "
			"option<Progress> was released %d times, not once (doc/abi.md 4, rule 3)\n",
			__FILE__, __LINE__, minor, callback_releases - callbacks_before);
	CHECK(callback_releases == callbacks_before + 1);
	CHECK(progress_calls == 0);

	CHECK(engine_traps == traps_before);
	CHECK(older.refs == 1);
}

static void
check_older_engines(void)
{
	corpus_Engine_vtbl v1_0 = older_engine_vtbl(offsetof(corpus_Engine_vtbl, rename));
	corpus_Engine_vtbl v1_1 = older_engine_vtbl(offsetof(corpus_Engine_vtbl, locate));
	corpus_Engine_vtbl null_slot = engine_vtbl;
	corpus_Engine_vtbl *exact;
	struct engine with_null = { .iface = { &null_slot }, .refs = 1 };
	int strings_before;

	check_older_engine(&v1_0, 0);
	check_older_engine(&v1_1, 1);

	/* A 1.0 vtable allocated to its exact size: a helper that reads a
	 * slot past `size` reads past the allocation (which ASan reports). */
	exact = malloc(offsetof(corpus_Engine_vtbl, rename));
	CHECK(exact != NULL);
	if (exact) {
		memcpy(exact, &v1_0, offsetof(corpus_Engine_vtbl, rename));
		check_older_engine(exact, 0);
		free(exact);
	}

	/* A null slot inside the size is unavailable too, [since] or not
	 * (doc/abi.md 5.3): the helper calls nothing and releases what the
	 * call would have consumed. */
	null_slot.rename = NULL;
	strings_before = string_releases;
	CHECK(corpus_Engine_rename(&with_null.iface, owned_string("renamed")) == CHITIN_UNAVAILABLE);
	CHECK(string_releases == strings_before + 1);
	null_slot.count = NULL;
	null_slot.set_logger = NULL;
	{
		uint32_t count = 7;
		corpus_Logger logger = { .call = log_line, .ctx = NULL, .release = release_context };
		int callbacks_before = callback_releases, logged_before = logged;
		CHECK(corpus_Engine_count(&with_null.iface, &count) == CHITIN_UNAVAILABLE);
		CHECK(count == 7);
		CHECK(corpus_Engine_set_logger(&with_null.iface, logger) == CHITIN_UNAVAILABLE);
		CHECK(callback_releases == callbacks_before + 1 && logged == logged_before);
	}
}

static void
check_widget(void)
{
	corpus_Widget *w = &the_widget.iface;
	struct widget old_widget = { .iface = { &widget_vtbl_1_0 }, .refs = 1 };
	shapes_Point at = { 1.5f, -2.0f };
	chitin_option_shapes_Rect no_clip = { .tag = CHITIN_OPTION_NONE };
	chitin_option_shapes_Rect clip = { .tag = CHITIN_OPTION_SOME, .value = { { 0, 0 }, { 10, 10 } } };
	shapes_Rect bounds = { { 1, 1 }, { 2, 2 } }, got;
	chitin_string name;
	bool changed = false;
	corpus_Named *named;
	shapes_Drawable *drawable;

	/* helpers for inherited slots, on the derived interface */
	CHECK(corpus_Widget_draw(w, at, no_clip) == CHITIN_OK && the_widget.draws == 1);
	CHECK(corpus_Widget_draw(w, at, clip) == CHITIN_OK && the_widget.draws == 2);
	CHECK(corpus_Widget_name(w, &name) == CHITIN_OK && string_is(name, "button"));
	drop_string(name);
	CHECK(corpus_Widget_resize(w, &bounds, &changed) == CHITIN_OK && changed);
	CHECK(bounds.max.x == 0 && corpus_Widget_bounds(w, &got) == CHITIN_OK && got.max.x == 2);
	CHECK(corpus_Widget_hide(w) == CHITIN_OK && the_widget.hidden);

	/* the same object through its bases, reached with query */
	named = (corpus_Named *)(void *)w->vtbl->header.query((chitin_object *)(void *)w, &named_iid);
	CHECK(named != NULL);
	if (named) {
		CHECK(corpus_Named_name(named, &name) == CHITIN_OK && string_is(name, "button"));
		drop_string(name);
		CHECK(corpus_Named_draw(named, at, no_clip) == CHITIN_OK);
		corpus_Named_release(named);
	}
	drawable = (shapes_Drawable *)(void *)w->vtbl->header.query((chitin_object *)(void *)w,
								     &drawable_iid);
	CHECK(drawable != NULL);
	if (drawable) {
		CHECK(shapes_Drawable_draw(drawable, at, clip) == CHITIN_OK);
		shapes_Drawable_release(drawable);
	}
	corpus_Widget_retain(w);
	CHECK(the_widget.refs == 2);
	corpus_Widget_release(w);
	CHECK(the_widget.refs == 1 && the_widget.draws == 4);

	/* an older widget: hide is beyond its vtable */
	CHECK(corpus_Widget_hide(&old_widget.iface) == CHITIN_UNAVAILABLE);
	CHECK(!old_widget.hidden && widget_traps == 0);
	CHECK(corpus_Widget_bounds(&old_widget.iface, &got) == CHITIN_OK);

	/* null inherited slots (name from Named, draw from shapes.Drawable),
	 * reached through the derived interface's helpers and the bases' */
	{
		corpus_Widget_vtbl holes = widget_vtbl;
		struct widget holed = { .iface = { &holes }, .refs = 1 };
		int draws_before = holed.draws;
		holes.name = NULL;
		holes.draw = NULL;
		CHECK(corpus_Widget_name(&holed.iface, &name) == CHITIN_UNAVAILABLE);
		CHECK(corpus_Widget_draw(&holed.iface, at, clip) == CHITIN_UNAVAILABLE);
		CHECK(corpus_Named_name((corpus_Named *)(void *)&holed.iface, &name) == CHITIN_UNAVAILABLE);
		CHECK(shapes_Drawable_draw((shapes_Drawable *)(void *)&holed.iface, at, clip) ==
		      CHITIN_UNAVAILABLE);
		CHECK(holed.draws == draws_before);
		CHECK(corpus_Widget_bounds(&holed.iface, &got) == CHITIN_OK);
	}
}

static void
check_exports(void)
{
	const corpus_exports table = {
		.size = sizeof(corpus_exports),
		.reserved = 0,
		.create_engine = corpus_create_engine,
		.version = corpus_engine_version_number,
		.shutdown = corpus_shutdown,
		.last_record = corpus_last_record,
		.stats = corpus_stats_v2,
	};
	const other_exports other_table = {
		.size = sizeof(other_exports),
		.make_tracer = other_make_tracer,
	};
	corpus_Logger borrowed = { .call = log_line };
	corpus_Engine *e = NULL;
	uint32_t version = 0;
	chitin_option_corpus_Record last;
	shapes_Point points[1] = { { 3, 5 } };
	chitin_slice_const_shapes_Point point_slice = { .ptr = points, .len = 1 };
	corpus_Transform transform = { .call = double_samples, .release = release_context };
	chitin_result_vec_u64_corpus_Error stats;
	int callbacks_before = callback_releases;

	/* entries in declaration order after {size, reserved} (doc/abi.md 8.3) */
	CHECK(offsetof(corpus_exports, create_engine) == 8);
	CHECK(offsetof(corpus_exports, stats) == 8 + 4 * sizeof(void *));
	CHECK(sizeof(corpus_exports) == 8 + 5 * sizeof(void *));

	CHECK(table.create_engine(str_of("main"), borrowed, &e) == CHITIN_OK && e != NULL);
	if (e)
		corpus_Engine_release(e);
	CHECK(table.create_engine(str_of("other"), borrowed, &e) == CHITIN_INVALID_ARG);
	CHECK(table.version(&version) == CHITIN_OK && version == 0x0102);
	CHECK(corpus_engine_version_number(&version) == CHITIN_OK);
	CHECK(table.shutdown() == CHITIN_OK && corpus_shutdown() == CHITIN_OK && shutdowns == 2);
	CHECK(table.last_record(0, &last) == CHITIN_OK && last.tag == CHITIN_OPTION_SOME);
	CHECK(last.value.type == 5 && string_is(last.value.label, "last"));
	drop_string(last.value.label);
	CHECK(corpus_last_record(1, &last) == CHITIN_OK && last.tag == CHITIN_OPTION_NONE);
	CHECK(table.stats(point_slice, transform, &stats) == CHITIN_OK);
	CHECK(stats.tag == CHITIN_RESULT_OK && stats.u.ok.len == 4);
	CHECK(stats.u.ok.ptr[1] == 2 && stats.u.ok.ptr[2] == 6 && stats.u.ok.ptr[3] == 10);
	stats.u.ok.release(stats.u.ok.ptr, stats.u.ok.len, stats.u.ok.cap);
	CHECK(u64_vec_releases == 1 && callback_releases == callbacks_before + 1);
	CHECK(corpus_stats_v2(point_slice, transform, &stats) == CHITIN_OK);
	stats.u.ok.release(stats.u.ok.ptr, stats.u.ok.len, stats.u.ok.cap);

	CHECK(other_table.size == sizeof(other_exports) && offsetof(other_exports, make_tracer) == 8);

	/* The checked calls (doc/abi.md 8.3): through the whole table they
	 * call; through a 1.0 library's table, allocated to its exact size
	 * (so that ASan sees a read past it), the [since] exports are
	 * UNAVAILABLE and the owned [in] arguments released; a null entry is
	 * UNAVAILABLE too. */
	CHECK(corpus_exports_version(&table, &version) == CHITIN_OK && version == 0x0102);
	CHECK(corpus_exports_last_record(&table, 0, &last) == CHITIN_OK && last.tag == CHITIN_OPTION_SOME);
	drop_string(last.value.label);
	{
		size_t size_1_0 = offsetof(corpus_exports, last_record);
		corpus_exports *old = malloc(size_1_0);
		corpus_exports holes = table;
		int shutdowns_before = shutdowns;
		CHECK(old != NULL);
		if (old) {
			memcpy(old, &table, size_1_0);
			old->size = (uint32_t)size_1_0;
			CHECK(corpus_exports_shutdown(old) == CHITIN_OK && shutdowns == shutdowns_before + 1);
			CHECK(corpus_exports_last_record(old, 0, &last) == CHITIN_UNAVAILABLE);
			callbacks_before = callback_releases;
			CHECK(corpus_exports_stats(old, point_slice, transform, &stats) == CHITIN_UNAVAILABLE);
			CHECK(callback_releases == callbacks_before + 1);
			free(old);
		}
		holes.create_engine = NULL;
		callbacks_before = callback_releases;
		{
			corpus_Logger owned = { .call = log_line, .release = release_context };
			CHECK(corpus_exports_create_engine(&holes, str_of("main"), owned, &e) == CHITIN_UNAVAILABLE);
		}
		CHECK(callback_releases == callbacks_before + 1);
		CHECK(corpus_exports_create_engine(&table, str_of("main"), borrowed, &e) == CHITIN_OK);
		if (e)
			corpus_Engine_release(e);
	}
}

static void
check_tracer(void)
{
	chitin_option_shapes_Point start = { .tag = CHITIN_OPTION_SOME, .value = { 9, 9 } };
	chitin_option_shapes_Point last;
	other_Tracer *t = NULL;
	static shapes_Point path_points[2] = { { 1, 1 }, { 2, 2 } };
	other_Path path = {
		.start = { .tag = CHITIN_OPTION_NONE },
		.points = { .ptr = path_points, .len = 2, .cap = 2, .release = release_points },
		.view = { .ptr = path_points, .len = 2 },
		.edit = { .ptr = path_points, .len = 1 },
		.color = { .tag = CHITIN_OPTION_NONE },
		.shape = { .tag = CHITIN_OPTION_SOME,
			   .value = { .tag = shapes_Shape_Circle,
				      .payload = { .Circle = { { 0, 0 }, 1 } } } },
		.placed = { .tag = CHITIN_RESULT_OK, .u = { .ok = { 1, 2 } } },
		.maybe_points = { .tag = CHITIN_OPTION_NONE },
		.maybe_view = { .ptr = NULL, .len = 0 },
	};
	chitin_vec_shapes_Point traced;
	shapes_Point at = { 1.5f, -2.0f };
	chitin_option_shapes_Rect no_clip = { .tag = CHITIN_OPTION_NONE };
	shapes_Drawable *drawable;

	CHECK(other_make_tracer(start, &t) == CHITIN_OK && t == &the_tracer.iface);
	CHECK(other_Tracer_last(t, &last) == CHITIN_OK && last.tag == CHITIN_OPTION_SOME &&
	      last.value.x == 9);
	CHECK(other_Tracer_draw(t, at, no_clip) == CHITIN_OK);
	CHECK(other_Tracer_last(t, &last) == CHITIN_OK && last.value.y == -2.0f);
	CHECK(other_Tracer_trace(t, path, &traced) == CHITIN_OK && traced.len == 2);
	traced.release(traced.ptr, traced.len, traced.cap);
	/* a Tracer is a shapes.Drawable: the base's helper works on it */
	drawable = (shapes_Drawable *)(void *)t;
	CHECK(shapes_Drawable_draw(drawable, at, no_clip) == CHITIN_OK);
	other_Tracer_retain(t);
	other_Tracer_release(t);
	other_Tracer_release(t);
	CHECK(the_tracer.refs == 1);
}

int
main(void)
{
	check_constants_and_enums();
	check_values();
	check_engine();
	check_older_engines();
	check_widget();
	check_exports();
	check_tracer();
	if (failures) {
		fprintf(stderr, "use_headers: %d checks failed\n", failures);
		return 1;
	}
	printf("use_headers: every check passed\n");
	return 0;
}
