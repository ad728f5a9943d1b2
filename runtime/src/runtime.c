/* libchitin's values: type ids, status texts, text and buffers made with
 * the library's allocator, reference counts and query tables
 * (runtime/include/chitin/runtime.h says what each does). */
#ifndef _POSIX_C_SOURCE
#define _POSIX_C_SOURCE 200112L   /* posix_memalign, in a strict -std=c11 too */
#endif
#define CHITIN_BUILDING_RUNTIME 1
#include <chitin/runtime.h>

#include <stdlib.h>
#include <string.h>

#if !defined(__GNUC__) && !defined(__clang__)
#error "libchitin's reference counts use the GCC atomic builtins"
#endif

/* ---- type ids ------------------------------------------------------------ */

int
chitin_typeid_compare(const chitin_typeid *a, const chitin_typeid *b)
{
	int c = memcmp(a->bytes, b->bytes, sizeof a->bytes);
	return (c > 0) - (c < 0);
}

bool
chitin_typeid_equal(const chitin_typeid *a, const chitin_typeid *b)
{
	return memcmp(a->bytes, b->bytes, sizeof a->bytes) == 0;
}

uint64_t
chitin_typeid_hash(const chitin_typeid *id)
{
	/* ids are SHA-1 digests already: fold the halves, byte order fixed */
	uint64_t h = 0;
	unsigned i;
	for (i = 0; i < 8; i++)
		h = h << 8 | (uint64_t)(id->bytes[i] ^ id->bytes[15 - i]);
	return h;
}

void
chitin_typeid_format(const chitin_typeid *id, char text[CHITIN_TYPEID_TEXT])
{
	chitin_hash128 h;
	memcpy(h.bytes, id->bytes, sizeof h.bytes);
	chitin_hash128_to_uuid(&h, text);
}

chitin_status
chitin_typeid_parse(const char *text, size_t len, chitin_typeid *out)
{
	chitin_hash128 h;
	if (!out || !chitin_hash128_from_uuid(text, len, &h))
		return CHITIN_INVALID_ARG;
	memcpy(out->bytes, h.bytes, sizeof out->bytes);
	return CHITIN_OK;
}

/* ---- status codes ---------------------------------------------------------- */

const char *
chitin_status_text(chitin_status status)
{
	switch (status) {
	case CHITIN_OK: return "ok";
	case CHITIN_UNAVAILABLE: return "unavailable";
	case CHITIN_PANIC: return "panic";
	case CHITIN_INVALID_ARG: return "invalid argument";
	case CHITIN_NO_MEMORY: return "out of memory";
	case CHITIN_FAILED: return "failed";
	default: return "unknown status";
	}
}

/* ---- text and buffers ------------------------------------------------------ */

chitin_str
chitin_str_from_cstr(const char *s)
{
	chitin_str r;
	r.ptr = (const uint8_t *)s;
	r.len = s ? strlen(s) : 0;
	return r;
}

chitin_str
chitin_str_from(const void *ptr, size_t len)
{
	chitin_str r;
	r.ptr = (const uint8_t *)ptr;
	r.len = len;
	return r;
}

void *
chitin_alloc(size_t size, size_t align)
{
	if (align == 0 || (align & (align - 1)) != 0)
		return NULL;
	if (size == 0)
		size = 1;
#if defined(_WIN32)
	return _aligned_malloc(size, align);
#else
	if (align <= _Alignof(max_align_t))
		return malloc(size);
	{
		void *p;
		if (align < sizeof(void *))
			align = sizeof(void *);
		return posix_memalign(&p, align, size) == 0 ? p : NULL;
	}
#endif
}

void
chitin_free(void *ptr)
{
#if defined(_WIN32)
	_aligned_free(ptr);
#else
	free(ptr);
#endif
}

void *
chitin_resilient_alloc(const chitin_layout_record *own)
{
	void *p;
	if (!own || own->size == 0)
		return NULL;
	p = chitin_alloc(own->size, own->align ? own->align : 1);
	if (p)
		memset(p, 0, own->size);
	return p;
}

void CHITIN_CALL
chitin_string_free(uint8_t *ptr, size_t len, size_t cap)
{
	(void)len;
	(void)cap;
	chitin_free(ptr);
}

chitin_status
chitin_string_from(const void *ptr, size_t len, chitin_string *out)
{
	if (!out)
		return CHITIN_INVALID_ARG;
	memset(out, 0, sizeof *out);
	if (!ptr && len)
		return CHITIN_INVALID_ARG;
	if (len == 0)
		return CHITIN_OK;   /* empty, and nothing to release */
	out->ptr = (uint8_t *)chitin_alloc(len, 1);
	if (!out->ptr)
		return CHITIN_NO_MEMORY;
	memcpy(out->ptr, ptr, len);
	out->len = out->cap = len;
	out->release = chitin_string_free;
	return CHITIN_OK;
}

chitin_status
chitin_string_from_cstr(const char *s, chitin_string *out)
{
	return chitin_string_from(s, s ? strlen(s) : 0, out);
}

void
chitin_string_release(chitin_string *s)
{
	if (s && s->release)
		s->release(s->ptr, s->len, s->cap);
	if (s)
		memset(s, 0, sizeof *s);
}

/* Storage for cap elements of size and align, or NULL (and *status). */
static void *
vec_storage(size_t cap, size_t size, size_t align, chitin_status *status)
{
	void *p;
	*status = CHITIN_OK;
	if (cap == 0)
		return NULL;
	if (cap > (SIZE_MAX / 2) / size) {
		*status = CHITIN_NO_MEMORY;
		return NULL;
	}
	p = chitin_alloc(cap * size, align);
	if (!p)
		*status = CHITIN_NO_MEMORY;
	return p;
}

/* What a vec's release does to its elements first: only strings own. */
#define CHITIN_NO_DROP_(name, type)                                                \
	static void chitin_drop_##name(type *ptr, size_t len)                      \
	{                                                                          \
		(void)ptr;                                                         \
		(void)len;                                                         \
	}

#define CHITIN_DEFINE_VEC_(name, type)                                             \
	chitin_status chitin_vec_##name##_make(size_t cap, chitin_vec_##name *out) \
	{                                                                          \
		chitin_status st;                                                  \
		if (!out)                                                          \
			return CHITIN_INVALID_ARG;                                 \
		memset(out, 0, sizeof *out);                                       \
		out->ptr = (type *)vec_storage(cap, sizeof(type), _Alignof(type), &st); \
		if (st != CHITIN_OK)                                               \
			return st;                                                 \
		out->cap = cap;                                                    \
		out->release = chitin_vec_##name##_free;                           \
		return CHITIN_OK;                                                  \
	}                                                                          \
	void CHITIN_CALL chitin_vec_##name##_free(type *ptr, size_t len, size_t cap) \
	{                                                                          \
		(void)cap;                                                         \
		chitin_drop_##name(ptr, len);                             \
		chitin_free(ptr);                                                  \
	}                                                                          \
	void chitin_vec_##name##_release(chitin_vec_##name *v)                     \
	{                                                                          \
		if (v && v->release)                                               \
			v->release(v->ptr, v->len, v->cap);                        \
		if (v)                                                             \
			memset(v, 0, sizeof *v);                                   \
	}

/* every element type but string owns nothing */
CHITIN_NO_DROP_(i8, int8_t)
CHITIN_NO_DROP_(i16, int16_t)
CHITIN_NO_DROP_(i32, int32_t)
CHITIN_NO_DROP_(i64, int64_t)
CHITIN_NO_DROP_(u8, uint8_t)
CHITIN_NO_DROP_(u16, uint16_t)
CHITIN_NO_DROP_(u32, uint32_t)
CHITIN_NO_DROP_(u64, uint64_t)
CHITIN_NO_DROP_(f32, float)
CHITIN_NO_DROP_(f64, double)
CHITIN_NO_DROP_(usize, size_t)
CHITIN_NO_DROP_(isize, ptrdiff_t)
CHITIN_NO_DROP_(typeid, chitin_typeid)
CHITIN_NO_DROP_(str, chitin_str)
CHITIN_NO_DROP_(bool, bool)

static void
chitin_drop_string(chitin_string *ptr, size_t len)
{
	size_t i;
	for (i = 0; i < len; i++)
		chitin_string_release(&ptr[i]);
}

CHITIN_PRIMITIVES(CHITIN_DEFINE_VEC_)
CHITIN_DEFINE_VEC_(bool, bool)

/* ---- reference counts -------------------------------------------------------- */

void
chitin_refcount_init(chitin_refcount *rc, uint32_t count)
{
	__atomic_store_n(&rc->value, count, __ATOMIC_RELAXED);
}

void
chitin_refcount_retain(chitin_refcount *rc)
{
	__atomic_fetch_add(&rc->value, 1, __ATOMIC_RELAXED);
}

bool
chitin_refcount_release(chitin_refcount *rc)
{
	if (__atomic_fetch_sub(&rc->value, 1, __ATOMIC_RELEASE) != 1)
		return false;
	__atomic_thread_fence(__ATOMIC_ACQUIRE);
	return true;
}

uint32_t
chitin_refcount_get(const chitin_refcount *rc)
{
	return __atomic_load_n(&rc->value, __ATOMIC_RELAXED);
}

/* ---- query tables -------------------------------------------------------------- */

chitin_object *
chitin_query_table(chitin_object *self, const chitin_typeid *iid, const chitin_query_entry *table,
		   size_t n)
{
	static const chitin_typeid object_iid = CHITIN_OBJECT_IID;
	const chitin_query_entry *me = NULL, *want = NULL;
	unsigned char *base;
	chitin_object *part;
	size_t i;
	if (!self || !iid || !table || n == 0)
		return NULL;
	for (i = 0; i < n && !me; i++)
		if (chitin_typeid_equal(&table[i].iid, &self->vtbl->iid))
			me = &table[i];
	if (!me)
		return NULL;
	if (chitin_typeid_equal(iid, &object_iid))
		want = &table[0];
	for (i = 0; i < n && !want; i++)
		if (chitin_typeid_equal(&table[i].iid, iid))
			want = &table[i];
	if (!want)
		return NULL;
	base = (unsigned char *)self - me->offset;
	part = (chitin_object *)(void *)(base + want->offset);
	part->vtbl->retain(part);
	return part;
}
