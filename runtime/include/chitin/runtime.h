/* runtime.h: libchitin, the C runtime (doc/runtime.md): type ids as
 * values and text, status messages, text and buffers made with the
 * library's allocator, reference counts, the helpers a C implementer of an
 * interface needs, and the plugin loader that checks a library's
 * descriptor against the host's before handing out its exports.
 * Link with `pkg-config --libs chitin`.  Hosted (it allocates and opens
 * libraries); the generated headers need only the freestanding chitin.h. */
#ifndef CHITIN_RUNTIME_H
#define CHITIN_RUNTIME_H

#include <chitin/chitin.h>
#include <chitin/descriptor.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ---- type ids (doc/abi.md 2.4, 7.1) --------------------------------------- */

/* -1, 0 or 1 as a is before, equal to or after b, byte by byte. */
CHITIN_RUNTIME_API int chitin_typeid_compare(const chitin_typeid *a, const chitin_typeid *b);
CHITIN_RUNTIME_API bool chitin_typeid_equal(const chitin_typeid *a, const chitin_typeid *b);
/* A hash of the id for hash tables, the same in every process: the bytes
 * i ^ (15 - i) for i from 0 to 7, the first the most significant (ids
 * are digests already). */
CHITIN_RUNTIME_API uint64_t chitin_typeid_hash(const chitin_typeid *id);

/* The text of an id: 36 characters, lower-case hex in the UUID grouping
 * "0a13d8b4-b20f-583d-9867-bb84e0aba9ce", and a NUL. */
#define CHITIN_TYPEID_TEXT 37
CHITIN_RUNTIME_API void chitin_typeid_format(const chitin_typeid *id, char text[CHITIN_TYPEID_TEXT]);
/* Parses the len bytes at text, exactly the 36-character form (either
 * case): CHITIN_OK, or CHITIN_INVALID_ARG and *out untouched. */
CHITIN_RUNTIME_API chitin_status chitin_typeid_parse(const char *text, size_t len, chitin_typeid *out);

/* ---- status codes (doc/abi.md 3.3) ---------------------------------------- */

/* "ok", "unavailable", ...; "unknown status" for a code chitin does not
 * define (an interface's own codes are its documentation's). */
CHITIN_RUNTIME_API const char *chitin_status_text(chitin_status status);

/* ---- text and buffers (doc/abi.md 2.5, 2.7, 4) --------------------------- */

/* Borrowed text: a C string's bytes without its NUL ({NULL, 0} for
 * NULL), or len bytes at ptr. */
CHITIN_RUNTIME_API chitin_str chitin_str_from_cstr(const char *s);
CHITIN_RUNTIME_API chitin_str chitin_str_from(const void *ptr, size_t len);

/* The library's allocator: size bytes aligned to align (a power of two),
 * or NULL; chitin_free(NULL) does nothing. */
CHITIN_RUNTIME_API void *chitin_alloc(size_t size, size_t align);
CHITIN_RUNTIME_API void chitin_free(void *ptr);

/* Storage for a resilient value this library makes (doc/abi.md 2.18):
 * own->size bytes aligned to own->align, zeroed, for <m>_<S>_init, as
 *     void *storage = chitin_resilient_alloc(audio_Settings_layout());
 *     audio_Settings *s = storage ? audio_Settings_init(storage) : NULL;
 * Free it with chitin_free. */
CHITIN_RUNTIME_API void *chitin_resilient_alloc(const chitin_layout_record *own);

/* An owned copy of len bytes at ptr (which need not be valid UTF-8 to be
 * copied, but must be to be passed as a string), whose release is
 * chitin_string_free: CHITIN_OK, CHITIN_INVALID_ARG for a NULL ptr with a
 * nonzero len, CHITIN_NO_MEMORY.  On failure *out is empty. */
CHITIN_RUNTIME_API chitin_status chitin_string_from(const void *ptr, size_t len, chitin_string *out);
CHITIN_RUNTIME_API chitin_status chitin_string_from_cstr(const char *s, chitin_string *out);
/* The release of the strings libchitin makes. */
CHITIN_RUNTIME_API void CHITIN_CALL chitin_string_free(uint8_t *ptr, size_t len, size_t cap);
/* Releases s as rule 4 says (its own release, once, if it has one) and
 * empties it, so that a second call does nothing. */
CHITIN_RUNTIME_API void chitin_string_release(chitin_string *s);

/* For each primitive NAME: chitin_vec_NAME_make(cap, &v) gives an empty
 * vec with room for cap elements (cap 0: no storage), whose release is
 * chitin_vec_NAME_free (which, for strings, releases each element first);
 * chitin_vec_NAME_release(&v) releases v once and empties it. */
#define CHITIN_DECLARE_VEC_(name, type)                                                    \
	CHITIN_RUNTIME_API chitin_status chitin_vec_##name##_make(size_t cap, chitin_vec_##name *out); \
	CHITIN_RUNTIME_API void CHITIN_CALL chitin_vec_##name##_free(type *ptr, size_t len, size_t cap); \
	CHITIN_RUNTIME_API void chitin_vec_##name##_release(chitin_vec_##name *v);
CHITIN_PRIMITIVES(CHITIN_DECLARE_VEC_)
CHITIN_DECLARE_VEC_(bool, bool)
#undef CHITIN_DECLARE_VEC_

/* ---- reference counts (doc/abi.md 5.4) ------------------------------------ */

/* An atomic reference count for an object's retain and release.
 * chitin_refcount_retain increments with relaxed ordering (a reference
 * is only ever made from one the caller already holds);
 * chitin_refcount_release decrements with release ordering and, when it
 * reaches zero, issues an acquire fence before returning true, so that
 * everything every thread did to the object happens before the caller
 * destroys it. */
typedef struct chitin_refcount {
	uint32_t value;   /* through the functions only */
} chitin_refcount;

CHITIN_RUNTIME_API void chitin_refcount_init(chitin_refcount *rc, uint32_t count);
CHITIN_RUNTIME_API void chitin_refcount_retain(chitin_refcount *rc);
/* True when this was the last reference. */
CHITIN_RUNTIME_API bool chitin_refcount_release(chitin_refcount *rc);
/* The count now (for tests and assertions: another thread may change it). */
CHITIN_RUNTIME_API uint32_t chitin_refcount_get(const chitin_refcount *rc);

/* ---- implementing interfaces in C (doc/runtime.md) ------------------------ */

/* The header of a static vtable of interface I (its C name, e.g.
 * audio_Effect): the size of I_vtbl, I's flags (I_FLAGS:
 * CHITIN_VTABLE_THREADSAFE for a [threadsafe] interface), I's id, and the
 * object's query, retain and release:
 *     static const audio_Effect_vtbl effect_vtbl = {
 *         CHITIN_VTABLE_HEADER(audio_Effect, my_query, my_retain, my_release),
 *         my_process,
 *     };
 * The functions take chitin_object *self. */
#define CHITIN_VTABLE_HEADER(I, query, retain, release)                             \
	{ (uint32_t)sizeof(I##_vtbl), (uint32_t)(I##_FLAGS), I##_IID, (query), (retain), (release) }

/* One row of a query table: an interface the object answers, and where
 * the object that implements it (its vtable pointer) sits in the
 * implementation's struct.  A row for each interface of each part,
 * bases included: the part that implements audio_Effect, derived from
 * audio_Node, has a row for each, at the same offset. */
typedef struct chitin_query_entry {
	chitin_typeid iid;
	size_t offset;
} chitin_query_entry;

/* Answers query(self, iid) for an object whose parts the n rows of table
 * list: self is one of them (found by its vtable's iid), iid the one
 * wanted.  `object` is the part of the first row, always the same
 * pointer, which is the object's identity (doc/abi.md 5.4).  Retains and
 * returns the part, or returns NULL when the object does not implement
 * iid (or self is not one of the rows). */
CHITIN_RUNTIME_API chitin_object *chitin_query_table(chitin_object *self, const chitin_typeid *iid,
						     const chitin_query_entry *table, size_t n);

/* ---- loading plugins (doc/abi.md 8.5, 8.6) -------------------------------- */

/* Why a load failed. */
#define CHITIN_LOAD_REASONS(X)                                                      \
	X(OK, "loaded")                                                             \
	X(INVALID_ARG, "invalid arguments")                                         \
	X(OPEN, "cannot open the library")                                          \
	X(NO_ENTRY, "the library does not implement the module (no entry symbol)")  \
	X(NOT_REGISTERED, "no library registered the module")                       \
	X(BAD_DESCRIPTOR, "the library's descriptor is invalid")                    \
	X(BAD_HOST_DESCRIPTOR, "the host's own descriptor is invalid")              \
	X(BAD_EXPORTS, "the library's exports table does not match its descriptor") \
	X(INCOMPATIBLE, "the library is not compatible with the host")              \
	X(NO_MEMORY, "out of memory")

typedef enum chitin_load_reason {
#define CHITIN_LOAD_REASON_ENUM_(name, text) CHITIN_LOAD_##name,
	CHITIN_LOAD_REASONS(CHITIN_LOAD_REASON_ENUM_)
#undef CHITIN_LOAD_REASON_ENUM_
	CHITIN_LOAD_N_REASONS
} chitin_load_reason;

/* "loaded", "cannot open the library", ... */
CHITIN_RUNTIME_API const char *chitin_load_reason_text(chitin_load_reason reason);

/* Loads the library at path (UTF-8) as an implementation of the module
 * whose descriptor blob, the host's own, is host_descriptor
 * (<module>_descriptor(), which <module>_load passes): opens it
 * (RTLD_NOW | RTLD_LOCAL, or LoadLibraryExW), finds chitin_module_<module>,
 * decodes its descriptor with the bounds-checked reader and compares it
 * with the host's, with the minor version the host requires at least.
 * On success sets *plugin to the library's record and returns CHITIN_OK;
 * otherwise returns CHITIN_FAILED (CHITIN_NO_MEMORY, CHITIN_INVALID_ARG
 * for a NULL path, host_descriptor or plugin) and sets *plugin to NULL.
 * If err is not NULL, *err is set to NULL on success and to an error,
 * which the caller frees with chitin_load_error_free, on failure.  The
 * library stays loaded for the life of the process either way (its
 * constructors have run).  Thread-safe. */
/* (declared in chitin.h) */

/* ---- plugins loaded ---- */

/* A library that a load accepted.  The record is made on its first
 * successful load and lives for the life of the process: loading the same
 * library again (the same entry symbol) gives the same record. */

/* Its exports table (declared in chitin.h): what <module>_load hands back
 * typed as <module>_exports; NULL for a module without exports, or NULL
 * plugin. */
/* The library's own descriptor blob, which chitin_desc_decode reads. */
CHITIN_RUNTIME_API const uint8_t *chitin_plugin_descriptor(const chitin_plugin *plugin);
/* The path of its first load (for a registered module, the module's name). */
CHITIN_RUNTIME_API const char *chitin_plugin_path(const chitin_plugin *plugin);
/* The module it implements, the host's. */
CHITIN_RUNTIME_API const char *chitin_plugin_module(const chitin_plugin *plugin);
/* Its version: the major is the host's, the minor its own, which may be
 * older or newer than the host's (doc/abi.md 8.6). */
CHITIN_RUNTIME_API uint16_t chitin_plugin_major(const chitin_plugin *plugin);
CHITIN_RUNTIME_API uint16_t chitin_plugin_minor(const chitin_plugin *plugin);

/* ---- failed loads ---- */

/* Frees an error that a load handed back (NULL is ignored). */
CHITIN_RUNTIME_API void chitin_load_error_free(chitin_load_error *err);

/* Why the load failed. */
CHITIN_RUNTIME_API chitin_load_reason chitin_load_error_reason(const chitin_load_error *err);
/* The library's path as given (for a registered module, its name), the
 * module, and the detail: the system's message for OPEN, the reader's for
 * BAD_DESCRIPTOR, what is wrong for BAD_EXPORTS and INVALID_ARG; "" if
 * none.  They live as long as the error. */
CHITIN_RUNTIME_API const char *chitin_load_error_library(const chitin_load_error *err);
CHITIN_RUNTIME_API const char *chitin_load_error_module(const chitin_load_error *err);
CHITIN_RUNTIME_API const char *chitin_load_error_detail(const chitin_load_error *err);
/* For INCOMPATIBLE, the problems the comparison found (at most
 * CHITIN_DESC_MAX_PROBLEMS; 0 for other reasons), each naming its item
 * (type, interface, export) and member (field, slot) with what the host
 * expected and what the library has; and whether it found more than it
 * kept. */
CHITIN_RUNTIME_API uint32_t chitin_load_error_problem_count(const chitin_load_error *err);
CHITIN_RUNTIME_API const struct chitin_desc_problem *chitin_load_error_problem(const chitin_load_error *err,
									     uint32_t i);
CHITIN_RUNTIME_API int chitin_load_error_more(const chitin_load_error *err);

/* The report of a failed load, one line for the failure and one for each
 * problem after it, indented, each ending in a newline:
 *     cannot load 'plugins/gain.so' as module audio: the library is not compatible with the host
 *       type 'audio.Frame': field 'right' is at offset 4 in the host, 8 in the plugin
 * Like snprintf: writes at most size bytes with a NUL, returns the length
 * of the whole text (0 for NULL). */
CHITIN_RUNTIME_API size_t chitin_load_error_format(const chitin_load_error *err, char *buf, size_t size);

/* ---- other ways in ---- */

/* The check of chitin_load, for an entry found by other means, which the
 * caller keeps: reads the entry's descriptor within its first
 * descriptor_limit bytes (SIZE_MAX: as far as its header says), and
 * compares it with the host's.  Sets *exports to the entry's exports
 * table on success, NULL otherwise; *err as chitin_load.  chitin_load
 * bounds the descriptor by the end of the loaded segment it lies in, where
 * the system says (dl_iterate_phdr, VirtualQuery), and on wasm by the end
 * of linear memory.  On WASI, which has no dynamic loading, chitin_load
 * fails with CHITIN_LOAD_OPEN: modules are registered. */
CHITIN_RUNTIME_API chitin_status chitin_module_check(const chitin_module *entry, size_t descriptor_limit,
						     const uint8_t *host_descriptor, uint16_t required_minor,
						     const void **exports, chitin_load_error **err);

/* Registers the entry of module `module` linked into the program (static
 * builds, wasm32-wasi): chitin_load_registered then finds it by name.
 * The entry must stay valid for the life of the process.  A second
 * registration of a module replaces the first.  CHITIN_NO_MEMORY, or
 * CHITIN_INVALID_ARG for NULL arguments or an empty name. */
CHITIN_RUNTIME_API chitin_status chitin_module_register(const char *module, const chitin_module *entry);
/* chitin_load for a registered module: the same checks and results. */
CHITIN_RUNTIME_API chitin_status chitin_load_registered(const char *module, const uint8_t *host_descriptor,
							uint16_t required_minor, const chitin_plugin **plugin,
							chitin_load_error **err);

#ifdef __cplusplus
}
#endif

#endif
