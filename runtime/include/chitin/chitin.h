/* chitin.h: what every header chitin generates builds on (doc/abi.md): the
 * calling convention, status codes, type ids, the object and vtable
 * header, resilient layout records, and the helper types over primitives
 * (str, string, slices, vecs and options of each).  Freestanding: only
 * <stdint.h>, <stddef.h> and <stdbool.h>; C11 or C++11. */
#ifndef CHITIN_CHITIN_H
#define CHITIN_CHITIN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "api.h"

#ifdef __cplusplus
extern "C" {
#endif

/* ---- calling convention and visibility ---------------------------------- */

/* Every function that crosses the boundary uses the target's C
 * convention, named in full wherever a compiler option can change the
 * default (doc/abi.md 3.1): MSVC's /Gz, /Gr and /Gv, which __cdecl undoes
 * on x86 and x64; GCC's -mrtd and -mregparm, which cdecl and regparm(0)
 * undo; -mabi=ms or -mabi=sysv on x86_64, which the ABI attribute of the
 * target undoes.  (-msseregparm has no attribute that undoes it: code
 * built with it is not chitin's convention.) */
#if defined(_MSC_VER) && (defined(_M_IX86) || defined(_M_X64))
#define CHITIN_CALL __cdecl
#elif defined(__i386__) && defined(__GNUC__)
#define CHITIN_CALL __attribute__((cdecl, regparm(0)))
#elif defined(__x86_64__) && defined(__GNUC__) && defined(_WIN32)
#define CHITIN_CALL __attribute__((ms_abi))
#elif defined(__x86_64__) && defined(__GNUC__)
#define CHITIN_CALL __attribute__((sysv_abi))
#else
#define CHITIN_CALL
#endif

/* CHITIN_EXPORT marks what a library exports, CHITIN_IMPORT what a
 * program takes from a DLL, CHITIN_HIDDEN what stays inside. */
#if defined(_WIN32) || defined(__CYGWIN__)
#define CHITIN_EXPORT __declspec(dllexport)
#define CHITIN_IMPORT __declspec(dllimport)
#define CHITIN_HIDDEN
#elif defined(__GNUC__)
#define CHITIN_EXPORT __attribute__((visibility("default")))
#define CHITIN_IMPORT
#define CHITIN_HIDDEN __attribute__((visibility("hidden")))
#else
#define CHITIN_EXPORT
#define CHITIN_IMPORT
#define CHITIN_HIDDEN
#endif

/* C11 and C++11 spell these differently.  CHITIN_ASSERT is the keyword
 * by itself: the generated headers assert
 * each type's layout with one, "CHITIN_ASSERT(sizeof(T) == 8 && ... &&
 * offsetof(T, x) == 4, msg)" (doc/abi.md 1.3), which leaves a compiler
 * no macro arguments to scan. */
#if defined(__cplusplus)
#define CHITIN_ASSERT static_assert
#define CHITIN_STATIC_ASSERT(cond, msg) static_assert(cond, msg)
#define CHITIN_ALIGNOF(T) alignof(T)
#define CHITIN_ALIGNAS(N) alignas(N)
#else
#define CHITIN_ASSERT _Static_assert
#define CHITIN_STATIC_ASSERT(cond, msg) _Static_assert(cond, msg)
#define CHITIN_ALIGNOF(T) _Alignof(T)
#define CHITIN_ALIGNAS(N) _Alignas(N)
#endif

/* A vtable's slot, as its layout assertion sizes it: every slot of every
 * vtable is a function pointer of this size (doc/abi.md 5.2). */
typedef void (*chitin_slot)(void);

/* Layout assertions of one condition each (doc/abi.md 1.3: a compiler
 * that lays a type out otherwise stops on them).  A vtable
 * is the header, then one function pointer per slot; last is its last
 * slot and n how many slots it has. */
#define CHITIN_ASSERT_LAYOUT(T, size, align)                                    \
	CHITIN_STATIC_ASSERT(sizeof(T) == (size) && CHITIN_ALIGNOF(T) == (align), \
			     "chitin: " #T " is " #size " bytes aligned to " #align)
#define CHITIN_ASSERT_OFFSET(T, member, offset)                                 \
	CHITIN_STATIC_ASSERT(offsetof(T, member) == (offset),                    \
			     "chitin: " #T "." #member " is at offset " #offset)
#define CHITIN_ASSERT_VTABLE(T, last, n)                                        \
	CHITIN_STATIC_ASSERT(offsetof(T, last) == sizeof(chitin_vtable_header) + \
			     ((n) - 1) * sizeof(void (*)(void)) &&                  \
			     sizeof(T) == sizeof(chitin_vtable_header) +            \
			     (n) * sizeof(void (*)(void)),                          \
			     "chitin: " #T " is the header and " #n " slots")

/* Whether the object self's vtable, of type T, has the slot named slot: a
 * [since] slot lies past an older implementation's vtable, and any slot
 * may be null (doc/abi.md 5.3).  The slot is read only once the vtable's
 * size says it is there.  The generated helpers check with it before
 * each call. */
#define CHITIN_HAS_SLOT(self, T, slot)                                          \
	((self)->vtbl->header.size >= offsetof(T, slot) + sizeof (self)->vtbl->slot && \
	 (self)->vtbl->slot)

/* ---- status codes (doc/abi.md 3.3) -------------------------------------- */

typedef int32_t chitin_status;

#define CHITIN_OK ((chitin_status)0)
#define CHITIN_UNAVAILABLE ((chitin_status)1)   /* not in the implementer's version */
#define CHITIN_PANIC ((chitin_status)2)         /* the callee panicked; caught */
#define CHITIN_INVALID_ARG ((chitin_status)3)
#define CHITIN_NO_MEMORY ((chitin_status)4)
#define CHITIN_FAILED ((chitin_status)5)

/* ---- type ids (doc/abi.md 2.4, 7.1) --------------------------------------- */

/* 128 bits in RFC 9562 byte order. */
typedef struct chitin_typeid {
	uint8_t bytes[16];
} chitin_typeid;

/* ---- objects and vtables (doc/abi.md 5) ----------------------------------- */

typedef struct chitin_object chitin_object;

/* The start of every vtable. */
typedef struct chitin_vtable_header {
	uint32_t size;        /* bytes of the vtable the implementer provides */
	uint32_t flags;       /* CHITIN_VTABLE_THREADSAFE; other bits 0 */
	chitin_typeid iid;    /* the interface this vtable was made for */
	/* An owned reference to self as the interface *iid, or NULL. */
	chitin_object *(CHITIN_CALL *query)(chitin_object *self, const chitin_typeid *iid);
	void (CHITIN_CALL *retain)(chitin_object *self);
	void (CHITIN_CALL *release)(chitin_object *self);
} chitin_vtable_header;

#define CHITIN_VTABLE_THREADSAFE 1u

/* An object: its first word points at its vtable. */
struct chitin_object {
	const chitin_vtable_header *vtbl;
};

/* The id of the built-in root interface, object: the UUIDv5 of
 * "chitin.object@1" under chitin's namespace. */
#define CHITIN_OBJECT_IID                                                  \
	{ { 0x0a, 0x13, 0xd8, 0xb4, 0xb2, 0x0f, 0x58, 0x3d,                \
	    0x98, 0x67, 0xbb, 0x84, 0xe0, 0xab, 0xa9, 0xce } }

static inline void
chitin_retain(chitin_object *self)
{
	self->vtbl->retain(self);
}

static inline void
chitin_release(chitin_object *self)
{
	self->vtbl->release(self);
}

/* ---- modules (doc/abi.md 8.2) ---------------------------------------------- */

/* What the entry symbol chitin_module_<module> of a library that
 * implements a module holds: its descriptor blob for the target it was
 * built for, and its exports table (which starts with its own size). */
typedef struct chitin_module {
	const uint8_t *descriptor;
	const void *exports;
} chitin_module;

/* ---- loading plugins (doc/abi.md 8.5) --------------------------------------- */


/* The loader of libchitin (<chitin/runtime.h> says what chitin_load does
 * and reads the error), declared here for the generated <module>_load:
 * declarations, so that a header that never loads needs no library.  A
 * plugin is a library loaded and checked, an error what a failed load
 * says; both are the library's, reached through its functions. */
typedef struct chitin_plugin chitin_plugin;
typedef struct chitin_load_error chitin_load_error;
CHITIN_RUNTIME_API chitin_status chitin_load(const char *path, const uint8_t *host_descriptor,
					     uint16_t required_minor, const chitin_plugin **plugin,
					     chitin_load_error **err);
CHITIN_RUNTIME_API const void *chitin_plugin_exports(const chitin_plugin *plugin);

/* ---- resilient structs (doc/abi.md 2.18) ---------------------------------- */

/* A value's layout record: size, alignment and field count, then
 * field_count uint32_t offsets (by declaration index), which
 * CHITIN_LAYOUT_OFFSETS reaches.  A record pointer holds the address of
 * the whole record (head and offsets, one object), so that the offsets
 * are reached inside the object it points at, through their own type. */
typedef struct chitin_layout_record {
	uint32_t size;
	uint32_t align;
	uint32_t field_count;
} chitin_layout_record;

#define CHITIN_LAYOUT_OFFSETS(record)                                           \
	((const uint32_t *)(const void *)((const unsigned char *)(const void *)(record) + \
					  sizeof(chitin_layout_record)))

/* Where field `index` of the resilient value v lies, for the generated
 * accessors: `direct` (its offset at compile time) when v's record is
 * `own`, the accessor's own library's record; else the offset v's record
 * gives, or NULL when the field is absent from v (doc/abi.md 2.18). */
static inline const void *
chitin_field_const(const void *v, const chitin_layout_record *own, uint32_t index, size_t direct)
{
	const chitin_layout_record *r = *(const chitin_layout_record *const *)v;
	if (r == own)
		return (const unsigned char *)v + direct;
	if (index >= r->field_count)
		return NULL;
	return (const unsigned char *)v + CHITIN_LAYOUT_OFFSETS(r)[index];
}

static inline void *
chitin_field(void *v, const chitin_layout_record *own, uint32_t index, size_t direct)
{
	/* the value is v's, writable as v is */
	const void *field = chitin_field_const(v, own, index, direct);
	return (void *)(uintptr_t)field;
}

/* ---- text and buffers (doc/abi.md 2.5, 2.7) ------------------------------- */

/* Borrowed UTF-8 text, not NUL-terminated. */
typedef struct chitin_str {
	const uint8_t *ptr;
	size_t len;
} chitin_str;

/* Owned UTF-8 text: release(ptr, len, cap) frees it, exactly once. */
typedef struct chitin_string {
	uint8_t *ptr;
	size_t len;
	size_t cap;
	void (CHITIN_CALL *release)(uint8_t *ptr, size_t len, size_t cap);
} chitin_string;

/* ---- the helper types over primitives --------------------------------------- */

/* Each primitive: its IDL name and its C type.  For each, chitin.h defines
 * chitin_slice_NAME, chitin_slice_const_NAME, chitin_vec_NAME and
 * chitin_option_NAME (option<bool> alone is a byte: CHITIN_OPTION_BOOL_*). */
#define CHITIN_PRIMITIVES(X)                 \
	X(i8, int8_t)                        \
	X(i16, int16_t)                      \
	X(i32, int32_t)                      \
	X(i64, int64_t)                      \
	X(u8, uint8_t)                       \
	X(u16, uint16_t)                     \
	X(u32, uint32_t)                     \
	X(u64, uint64_t)                     \
	X(f32, float)                        \
	X(f64, double)                       \
	X(usize, size_t)                     \
	X(isize, ptrdiff_t)                  \
	X(typeid, chitin_typeid)             \
	X(str, chitin_str)                   \
	X(string, chitin_string)

#define CHITIN_DEFINE_SLICES(name, type)                                   \
	typedef struct chitin_slice_##name {                               \
		type *ptr;                                                 \
		size_t len;                                                \
	} chitin_slice_##name;                                             \
	typedef struct chitin_slice_const_##name {                         \
		const type *ptr;                                           \
		size_t len;                                                \
	} chitin_slice_const_##name;                                       \
	typedef struct chitin_vec_##name {                                 \
		type *ptr;                                                 \
		size_t len;                                                \
		size_t cap;                                                \
		void (CHITIN_CALL *release)(type *ptr, size_t len, size_t cap); \
	} chitin_vec_##name;

#define CHITIN_DEFINE_OPTION(name, type)                                   \
	typedef struct chitin_option_##name {                              \
		uint8_t tag;           /* 0 none, 1 some */                \
		type value;            /* valid when tag is 1 */           \
	} chitin_option_##name;

CHITIN_PRIMITIVES(CHITIN_DEFINE_SLICES)
CHITIN_DEFINE_SLICES(bool, bool)
CHITIN_PRIMITIVES(CHITIN_DEFINE_OPTION)

/* option<bool> uses the niche of bool: one byte, 0 false, 1 true, 2 none
 * (a C bool holding 2 would be undefined, so the type is uint8_t). */
typedef uint8_t chitin_option_bool;
#define CHITIN_OPTION_BOOL_FALSE ((chitin_option_bool)0)
#define CHITIN_OPTION_BOOL_TRUE ((chitin_option_bool)1)
#define CHITIN_OPTION_BOOL_NONE ((chitin_option_bool)2)

#define CHITIN_OPTION_NONE 0
#define CHITIN_OPTION_SOME 1
#define CHITIN_RESULT_OK 0
#define CHITIN_RESULT_ERR 1

/* ---- the header's own layout, on every target ------------------------------- */

CHITIN_STATIC_ASSERT(sizeof(chitin_typeid) == 16 && CHITIN_ALIGNOF(chitin_typeid) == 1,
		     "chitin_typeid is 16 bytes, aligned to 1");
CHITIN_STATIC_ASSERT(offsetof(chitin_vtable_header, iid) == 8,
		     "the vtable header's id is at offset 8");
CHITIN_STATIC_ASSERT(offsetof(chitin_vtable_header, query) == 24,
		     "the vtable header's functions start at offset 24");
CHITIN_STATIC_ASSERT(sizeof(chitin_vtable_header) == 24 + 3 * sizeof(void *),
		     "the vtable header is 24 bytes and three pointers");
CHITIN_STATIC_ASSERT(sizeof(chitin_str) == 2 * sizeof(void *), "str is {ptr, len}");
CHITIN_STATIC_ASSERT(sizeof(chitin_string) == 4 * sizeof(void *),
		     "string is {ptr, len, cap, release}");
CHITIN_STATIC_ASSERT(sizeof(chitin_layout_record) == 12, "a layout record's head is 12 bytes");

#ifdef __cplusplus
}
#endif

#endif
