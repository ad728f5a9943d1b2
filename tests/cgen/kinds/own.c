/* Owned values made and released by one side of tests/run-kinds.sh
 * (own.h says what each function does).  The storage comes from malloc,
 * and a table of the live values, with the length and capacity each was
 * made with, tells a release of this side's value from any other. */
#include "own.h"

#include <chitin/runtime.h>

#include <stdlib.h>
#include <string.h>

struct live {
	void *ptr;     /* NULL: a free row */
	size_t len;
	size_t cap;
};

static struct live live[512];
static ku_Counts counts;

static void *
track(size_t bytes, size_t len, size_t cap)
{
	void *ptr = malloc(bytes ? bytes : 1);
	size_t i;
	if (!ptr)
		abort();
	for (i = 0; i < sizeof live / sizeof live[0]; i++) {
		if (!live[i].ptr) {
			live[i].ptr = ptr;
			live[i].len = len;
			live[i].cap = cap;
			counts.made++;
			return ptr;
		}
	}
	abort();
}

/* Frees ptr if it is live here with that length and capacity. */
static bool
untrack(void *ptr, size_t len, size_t cap)
{
	size_t i;
	for (i = 0; ptr && i < sizeof live / sizeof live[0]; i++) {
		if (live[i].ptr == ptr) {
			if (live[i].len != len || live[i].cap != cap)
				break;
			live[i].ptr = NULL;
			free(ptr);
			counts.released++;
			return true;
		}
	}
	/* not ours, released twice, or changed: leave it to the leak check */
	counts.bad++;
	return false;
}

static void CHITIN_CALL
release_bytes(uint8_t *ptr, size_t len, size_t cap)
{
	untrack(ptr, len, cap);
}

void
own_string_from(const void *bytes, size_t len, chitin_string *out)
{
	out->cap = len + 1;
	out->ptr = (uint8_t *)track(out->cap, len, out->cap);
	if (len)
		memcpy(out->ptr, bytes, len);
	out->len = len;
	out->release = release_bytes;
}

void
own_string(const char *text, chitin_string *out)
{
	own_string_from(text, strlen(text), out);
}

/* A vec of plain elements: its release and its maker. */
#define OWN_VEC(name, type)                                                        \
	static void CHITIN_CALL release_##name(type *ptr, size_t len, size_t cap)  \
	{                                                                          \
		untrack(ptr, len, cap);                                            \
	}                                                                          \
	void own_vec_##name(const type *elems, size_t n, chitin_vec_##name *out)   \
	{                                                                          \
		out->cap = n + 2;                                                  \
		out->ptr = (type *)track(out->cap * sizeof(type), n, out->cap);    \
		if (n)                                                             \
			memcpy(out->ptr, elems, n * sizeof(type));                 \
		out->len = n;                                                      \
		out->release = release_##name;                                     \
	}

OWN_VEC(i32, int32_t)
OWN_VEC(u16, uint16_t)
OWN_VEC(u32, uint32_t)

static void CHITIN_CALL
release_strings(chitin_string *ptr, size_t len, size_t cap)
{
	size_t i;
	for (i = 0; i < len; i++)
		chitin_string_release(&ptr[i]);
	untrack(ptr, len, cap);
}

void
own_vec_string(chitin_string *elems, size_t n, chitin_vec_string *out)
{
	out->cap = n + 2;
	out->ptr = (chitin_string *)track(out->cap * sizeof(chitin_string), n, out->cap);
	if (n)
		memcpy(out->ptr, elems, n * sizeof(chitin_string));
	out->len = n;
	out->release = release_strings;
}

void
own_words(const char *const *texts, size_t n, chitin_vec_string *out)
{
	chitin_string words[8];
	size_t i;
	if (n > sizeof words / sizeof words[0])
		abort();
	for (i = 0; i < n; i++)
		own_string(texts[i], &words[i]);
	own_vec_string(words, n, out);
}

void *
own_ctx(size_t size)
{
	return track(size, 0, 0);
}

bool
own_ctx_free(void *ctx)
{
	return untrack(ctx, 0, 0);
}

void
own_object_made(void)
{
	counts.alive++;
}

void
own_object_gone(void)
{
	counts.alive--;
}

ku_Counts
own_counts(void)
{
	return counts;
}

ku_Scalars
own_extremes(void)
{
	static const ku_Scalars extremes = {
		.flag = true, .s8 = INT8_MIN, .s16 = INT16_MIN, .s32 = INT32_MIN, .s64 = INT64_MIN,
		.b8 = UINT8_MAX, .b16 = UINT16_MAX, .b32 = UINT32_MAX, .b64 = UINT64_MAX,
		.r32 = -0.5f, .r64 = 1e300, .size = SIZE_MAX, .diff = PTRDIFF_MIN,
		.id = { { 0xa0, 0xa1, 0xa2, 0xa3, 0xa4, 0xa5, 0xa6, 0xa7, 0xa8, 0xa9, 0xaa, 0xab, 0xac, 0xad, 0xae,
			  0xaf } },
	};
	return extremes;
}

bool
own_text_is(const uint8_t *ptr, size_t len, const char *text)
{
	return len == strlen(text) && (len == 0 || memcmp(ptr, text, len) == 0);
}

void
own_release_record(ku_Record *r)
{
	chitin_string_release(&r->name);
	chitin_vec_u16_release(&r->values);
	if (r->note.tag == CHITIN_OPTION_SOME)
		chitin_string_release(&r->note.value);
	if (r->outcome.tag == CHITIN_RESULT_ERR)
		chitin_string_release(&r->outcome.u.err);
	chitin_vec_string_release(&r->words);
}

void
own_release_shape(ku_Shape *s)
{
	if (s->tag == ku_Shape_Label) {
		chitin_string_release(&s->payload.Label.text);
		chitin_vec_i32_release(&s->payload.Label.points);
	}
}
