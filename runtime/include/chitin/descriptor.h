/* Module descriptors: what a library that implements a module says about
 * its binary interface on a target, or on several targets that lay it out
 * alike, in memory and as the compact blob embedded in the library
 * (doc/descriptor.md).  Shared by the chitin compiler (which encodes them)
 * and libchitin (which decodes and compares them at load time).
 * Freestanding: needs only <stddef.h> and <stdint.h>, never allocates. */
#ifndef CHITIN_DESCRIPTOR_H
#define CHITIN_DESCRIPTOR_H

#include <stddef.h>
#include <stdint.h>

#include "hash.h"

#ifdef __cplusplus
extern "C" {
#endif

/* The blob format this header reads and writes. */
#define CHITIN_DESC_FORMAT 2

/* Item flags.  Bits not listed here are kept as they are by the encoder
 * and the decoder, and ignored by the comparator. */
enum {
	CHITIN_DESC_SINCE = 1u << 0,      /* added in a minor version: since_minor */
	CHITIN_DESC_RESILIENT = 1u << 1,  /* struct: fields reached through its record */
	CHITIN_DESC_BASE = 1u << 2,       /* interface: [base], never changes */
	CHITIN_DESC_THREADSAFE = 1u << 3, /* interface */
	CHITIN_DESC_PAYLOAD = 1u << 4,    /* variant: has a payload */
	CHITIN_DESC_SIGNED = 1u << 5,     /* enum, data enum: the integer type is signed */
};

/* Kinds of named type. */
enum chitin_desc_kind {
	CHITIN_DESC_STRUCT = 1,
	CHITIN_DESC_UNION = 2,
	CHITIN_DESC_ENUM = 3,        /* C-like: the integer alone */
	CHITIN_DESC_DATA_ENUM = 4,   /* tag + union of payloads */
	CHITIN_DESC_CALLBACK = 5,
	CHITIN_DESC_INTERFACE = 6,   /* the reference; slots are in interfaces[] */
};

/* Strings are UTF-8, NUL-terminated and never NULL; in a decoded
 * descriptor they point into the blob.  Names of the module's own items
 * are bare ("Frame"); names of other modules' items are qualified
 * ("dsp.Window").  Arrays are in their declaration order, which is
 * meaningful: see each one. */
struct chitin_desc_field {
	const char *name;
	uint64_t offset;             /* from the start of the value */
	uint64_t size;
	chitin_hash128 type_hash;    /* layout hash of the field's type */
	uint32_t flags;
	uint16_t since_minor;
};

/* A value of a C-like enum or a variant of a data enum. */
struct chitin_desc_variant {
	const char *name;
	/* The value or tag.  For a CHITIN_DESC_SIGNED type, its two's
	 * complement bits sign-extended to 64 ((uint64_t)(int64_t)v). */
	uint64_t value;
	chitin_hash128 payload_hash; /* data enums: layout hash of the payload */
	uint32_t flags;
	uint16_t since_minor;
};

struct chitin_desc_type {
	const char *name;
	enum chitin_desc_kind kind;
	uint32_t flags;
	uint16_t since_minor;
	chitin_hash128 type_id;
	chitin_hash128 layout_hash;
	chitin_hash128 signature_hash; /* callbacks: that of `call`; else zero */
	uint64_t size;
	uint32_t align;
	/* Structs and unions: the fields, in declaration order (a resilient
	 * struct's layout record is indexed by it).  Data enums: "tag" and
	 * "payload".  Others: none. */
	const struct chitin_desc_field *fields;
	uint32_t n_fields;
	/* C-like enums: the values; data enums: the variants.  Declaration
	 * order. */
	const struct chitin_desc_variant *variants;
	uint32_t n_variants;
};

/* One vtable slot after the header, in slot order (inherited first). */
struct chitin_desc_method {
	const char *name;
	chitin_hash128 signature_hash;
	uint32_t flags;
	uint16_t since_minor;
};

struct chitin_desc_interface {
	const char *name;
	chitin_hash128 iid;
	const char *base;            /* "object", or "module.Name" */
	uint32_t flags;
	uint16_t since_minor;
	const struct chitin_desc_method *methods;
	uint32_t n_methods;
};

struct chitin_desc_export {
	const char *name;
	const char *symbol;
	chitin_hash128 signature_hash;
	uint32_t flags;
	uint16_t since_minor;
};

struct chitin_desc_import {
	const char *module;
	uint16_t major, minor;
};

struct chitin_descriptor {
	uint16_t format;             /* CHITIN_DESC_FORMAT */
	const char *module;
	uint16_t major, minor;
	/* The chitin targets the descriptor is for, separated by single
	 * spaces: "x86_64-linux", or "x86_64-linux aarch64-linux" for targets
	 * whose layouts of the module are the same (a layout class). */
	const char *targets;
	const struct chitin_desc_import *imports;
	uint32_t n_imports;
	const struct chitin_desc_type *types;
	uint32_t n_types;
	const struct chitin_desc_interface *interfaces;
	uint32_t n_interfaces;
	/* In the order of the exports table, which is positional. */
	const struct chitin_desc_export *exports;
	uint32_t n_exports;
};

/* ---- The blob ---------------------------------------------------------- */

/* Encodes class `which` of n_classes descriptors of one module as a blob
 * of format CHITIN_DESC_FORMAT (their `format` is not read).  The classes
 * describe the module on different sets of targets and may differ only in
 * target-dependent contents (doc/descriptor.md, section 9): targets, type
 * sizes, alignments, layout and signature hashes, field offsets, sizes and
 * type hashes, payload hashes, method and export signature hashes.  The
 * blob's common part, its first *common_size bytes, holds everything else
 * and a hash pool with every class's hashes, so it is the same for every
 * `which`; the class part that follows is class `which`'s.  One class
 * (n_classes 1, which 0) is the ordinary case.
 *
 * work and work_size are scratch memory (any alignment) for the encoder's
 * tables, of at least chitin_desc_encode_work_size(classes, n_classes)
 * bytes; nothing else is written but buf.
 *
 * Returns the blob's size, and writes the blob to buf only if cap is at
 * least that (buf may be NULL to measure); sets *common_size (if not NULL)
 * whenever the result is not 0.  The bytes depend only on the contents of
 * the classes, never on their addresses.  Returns 0 if the classes cannot
 * be encoded: no class, `which` out of range, a NULL string, a NULL array
 * with a nonzero count, a kind out of range, classes that disagree in
 * target-independent contents, work too small, more than 2^29 string or
 * hash references, or a blob that would exceed 4 GiB.  Takes time linear
 * in the size of the classes. */
CHITIN_RUNTIME_API size_t chitin_desc_encode(const struct chitin_descriptor *classes,
			  uint32_t n_classes, uint32_t which, uint8_t *buf,
			  size_t cap, size_t *common_size, void *work,
			  size_t work_size);

/* Encodes all n_classes classes at once, as chitin_desc_encode would one
 * by one, but building the tables once: buf receives the common part
 * (*common_size bytes) and then each class's part (*part_size bytes each,
 * in order), so that class k's blob is the common part followed by part k.
 * Returns the bytes of all of it, common_size + n_classes * part_size,
 * and writes buf only if cap is at least that (buf may be NULL to
 * measure); 0 as chitin_desc_encode.  Takes the same work memory. */
CHITIN_RUNTIME_API size_t chitin_desc_encode_all(const struct chitin_descriptor *classes,
			      uint32_t n_classes, uint8_t *buf, size_t cap,
			      size_t *common_size, size_t *part_size,
			      void *work, size_t work_size);

/* The work memory chitin_desc_encode and chitin_desc_encode_all need for these classes: linear in
 * the number of items of the first class times the number of classes (about
 * 40 bytes per string and 50 per hash reference on 64-bit hosts).  0 if the first
 * class cannot be walked (NULL arrays with nonzero counts), has more than
 * 2^29 string or hash references, or the size would not fit a size_t. */
CHITIN_RUNTIME_API size_t chitin_desc_encode_work_size(const struct chitin_descriptor *classes,
				    uint32_t n_classes);

enum chitin_desc_status {
	CHITIN_DESC_OK = 0,
	CHITIN_DESC_TRUNCATED,          /* fewer bytes than the blob says it has */
	CHITIN_DESC_BAD_MAGIC,          /* not a descriptor */
	CHITIN_DESC_UNSUPPORTED_FORMAT, /* a descriptor of another format */
	CHITIN_DESC_CORRUPT,            /* an offset, count, size or string is invalid */
	CHITIN_DESC_SCRATCH_TOO_SMALL,  /* valid, but needs more scratch memory */
};

/* A short lower-case description of status ("truncated"). */
CHITIN_RUNTIME_API const char *chitin_desc_status_text(enum chitin_desc_status status);

/* Checks that blob starts with a descriptor header of a supported format
 * whose blob fits in len bytes, and sets *blob_size (if not NULL) to the
 * blob's size, so that a caller can walk several blobs laid end to end.
 * Reads only the header. */
CHITIN_RUNTIME_API enum chitin_desc_status chitin_desc_probe(const uint8_t *blob, size_t len,
					  size_t *blob_size);

/* Decodes the blob at the start of the len bytes at blob into *out, after
 * checking all of it: bytes past the blob's own size are ignored.  Nothing
 * is allocated: strings in *out point into blob, and arrays are built in
 * scratch (any alignment), so blob and scratch must outlive *out.
 * *scratch_needed (if not NULL) is set to the scratch size this blob needs,
 * independent of scratch's address, when the blob is valid: call with
 * scratch_size 0 to ask.  It is less than 11 times the blob's size plus 64
 * bytes (doc/descriptor.md section 7).  Returns CHITIN_DESC_OK, or another status and
 * *out zeroed.  Never reads outside blob[0, len) nor writes outside
 * scratch[0, scratch_size), whatever the bytes. */
CHITIN_RUNTIME_API enum chitin_desc_status chitin_desc_decode(const uint8_t *blob, size_t len,
					   void *scratch, size_t scratch_size,
					   struct chitin_descriptor *out,
					   size_t *scratch_needed);

/* ---- Load-time comparison -------------------------------------------- */

/* What kind of item a problem is about. */
enum chitin_desc_item_kind {
	CHITIN_DESC_ITEM_MODULE = 1,
	CHITIN_DESC_ITEM_IMPORT,
	CHITIN_DESC_ITEM_TYPE,
	CHITIN_DESC_ITEM_INTERFACE,
	CHITIN_DESC_ITEM_EXPORT,
};

/* Every kind of incompatibility, with the sentence that describes it
 * after "<item kind> '<item>': ".  In the sentence, %m is the problem's
 * member, %e its expected text (the host's side) and %f its found text
 * (the plugin's side).  X(NAME, sentence) */
#define CHITIN_DESC_PROBLEMS(X)                                                  \
	X(MODULE_NAME, "the plugin implements module '%f'")                      \
	X(MAJOR, "major version is %e in the host, %f in the plugin")            \
	X(MINOR, "the host requires version %e or later, the plugin is %f")      \
	X(TARGET, "targets are '%e' in the host, '%f' in the plugin, none in common") \
	X(MISSING_IN_PLUGIN, "missing in the plugin, and not [since]")           \
	X(MISSING_IN_HOST, "missing in the host, and not [since] in the plugin") \
	X(KIND, "kind is %e in the host, %f in the plugin")                      \
	X(FLAG, "is %e in the host, %f in the plugin")                           \
	X(TYPE_ID, "type id is %e in the host, %f in the plugin")                \
	X(SIZE, "size is %e in the host, %f in the plugin")                      \
	X(ALIGN, "alignment is %e in the host, %f in the plugin")                \
	X(LAYOUT_HASH, "layout hash is %e in the host, %f in the plugin")        \
	X(SIGNATURE, "signature hash is %e in the host, %f in the plugin")       \
	X(FIELD_OFFSET, "field '%m' is at offset %e in the host, %f in the plugin") \
	X(FIELD_SIZE, "field '%m' has size %e in the host, %f in the plugin")    \
	X(FIELD_TYPE, "field '%m' has type hash %e in the host, %f in the plugin") \
	X(FIELD_INDEX, "field '%m' is field %e in the host, field %f in the plugin") \
	X(FIELD_CLASH, "field %m is '%e' in the host, '%f' in the plugin")       \
	X(FIELD_MISSING_IN_PLUGIN, "field '%m' is missing in the plugin, and not [since]") \
	X(FIELD_MISSING_IN_HOST, "field '%m' is missing in the host, and not [since] in the plugin") \
	X(ENUM_VALUE, "value '%m' is %e in the host, %f in the plugin")          \
	X(VARIANT_TAG, "variant '%m' has tag %e in the host, %f in the plugin")  \
	X(VARIANT_PAYLOAD, "variant '%m' has payload hash %e in the host, %f in the plugin") \
	X(TAG_CLASH, "tag %m is variant '%e' in the host, '%f' in the plugin")   \
	X(VARIANT_MISSING_IN_PLUGIN, "variant '%m' is missing in the plugin, and not [since]") \
	X(VARIANT_MISSING_IN_HOST, "variant '%m' is missing in the host, and not [since] in the plugin") \
	X(IID, "iid is %e in the host, %f in the plugin")                        \
	X(BASE, "base is '%e' in the host, '%f' in the plugin")                  \
	X(SLOT_NAME, "slot %m is method '%e' in the host, '%f' in the plugin")   \
	X(SLOT_SIGNATURE, "method '%m' has signature hash %e in the host, %f in the plugin") \
	X(SLOT_MISSING_IN_PLUGIN, "method '%m' (slot %e) is missing in the plugin, and not [since]") \
	X(SLOT_MISSING_IN_HOST, "method '%m' (slot %f) is missing in the host, and not [since] in the plugin") \
	X(SYMBOL, "symbol is '%e' in the host, '%f' in the plugin")              \
	X(EXPORT_INDEX, "is entry %e of the exports table in the host, entry %f in the plugin") \
	X(EXPORT_CLASH, "entry %m of the exports table is '%e' in the host, '%f' in the plugin") \
	X(DUPLICATE_IN_HOST, "appears more than once in the host")                \
	X(DUPLICATE_IN_PLUGIN, "appears more than once in the plugin")            \
	X(FIELD_DUPLICATE_IN_HOST, "field '%m' appears more than once in the host") \
	X(FIELD_DUPLICATE_IN_PLUGIN, "field '%m' appears more than once in the plugin") \
	X(VARIANT_DUPLICATE_IN_HOST, "variant '%m' appears more than once in the host") \
	X(VARIANT_DUPLICATE_IN_PLUGIN, "variant '%m' appears more than once in the plugin") \
	X(WORK, "not compared: the comparison needs %e bytes of work memory, it was given %f")

enum chitin_desc_problem_kind {
#define CHITIN_DESC_PROBLEM_ENUM_(name, sentence) CHITIN_DESC_P_##name,
	CHITIN_DESC_PROBLEMS(CHITIN_DESC_PROBLEM_ENUM_)
#undef CHITIN_DESC_PROBLEM_ENUM_
	CHITIN_DESC_N_PROBLEM_KINDS
};

#define CHITIN_DESC_MAX_PROBLEMS 16
#define CHITIN_DESC_ITEM_TEXT 128  /* item buffer, with its NUL */
#define CHITIN_DESC_TEXT 64        /* member, expected and found buffers */

/* One incompatibility.  The texts are copies, so a report outlives both
 * descriptors; a text too long for its buffer ends in "...". */
struct chitin_desc_problem {
	enum chitin_desc_problem_kind kind;
	enum chitin_desc_item_kind item_kind;
	char item[CHITIN_DESC_ITEM_TEXT];     /* "audio.Frame"; the module or import name */
	char member[CHITIN_DESC_TEXT];        /* field, value, variant, method, slot; or "" */
	char expected[CHITIN_DESC_TEXT];      /* the host's side, or "" */
	char found[CHITIN_DESC_TEXT];         /* the plugin's side, or "" */
};

/* The problems found, in a deterministic order: module, imports, types,
 * interfaces, exports, each in the host's order, then the plugin's items
 * that the host lacks or that repeat a name, in the plugin's order. */
struct chitin_desc_report {
	uint32_t n_problems;                  /* stored in problems[] */
	int more;                             /* nonzero: others were found, not stored */
	struct chitin_desc_problem problems[CHITIN_DESC_MAX_PROBLEMS];
};

/* Decides whether a plugin whose descriptor is plugin may be loaded by a
 * host built against host (doc/descriptor.md, "Compatibility"): same
 * module and major, a target in common, plugin minor at least
 * required_minor, no name twice in a list, and every item present in both
 * matching.  Fills *report (if not NULL) with the problems.  Returns the
 * number of problems found, 0 when compatible.  Both descriptors must be
 * valid (non-NULL strings, arrays as long as their counts), as every
 * decoded one is; their items may be in any order.
 *
 * work and work_size are memory (any alignment) for the tables that match
 * items by name, of at least chitin_desc_compare_work_size(host, plugin)
 * bytes; nothing else is written but *report.  With less, nothing is
 * compared: the result is one problem, CHITIN_DESC_P_WORK.  Takes time
 * linear in the size of the descriptors, whatever the order of their
 * items; the result does not depend on work's address. */
CHITIN_RUNTIME_API uint32_t chitin_desc_compare(const struct chitin_descriptor *host,
			     const struct chitin_descriptor *plugin,
			     uint16_t required_minor,
			     struct chitin_desc_report *report,
			     void *work, size_t work_size);

/* The work memory chitin_desc_compare needs for host and plugin: 12 bytes
 * a slot, two slots or more for each item of the longest pair of lists of
 * the two sides (types, interfaces, exports or imports) and as many for
 * the fields and variants of the largest types; 0 for empty descriptors;
 * SIZE_MAX if it would not fit a size_t.  Takes time linear in the number
 * of types. */
CHITIN_RUNTIME_API size_t chitin_desc_compare_work_size(const struct chitin_descriptor *host,
				     const struct chitin_descriptor *plugin);

/* Formats one problem as a line without its newline:
 *   type 'audio.Frame': field 'right' is at offset 4 in the host, 8 in the plugin
 * Like snprintf: writes at most size bytes including a NUL (nothing if
 * size is 0) and returns the length of the whole text. */
CHITIN_RUNTIME_API size_t chitin_desc_format_problem(const struct chitin_desc_problem *p,
				  char *buf, size_t size);

/* Formats a report: one line per problem, each ending in a newline, then
 * "(more problems not shown)\n" if report->more.  Empty if compatible.
 * Returns and writes as chitin_desc_format_problem does. */
CHITIN_RUNTIME_API size_t chitin_desc_format_report(const struct chitin_desc_report *report,
				 char *buf, size_t size);

#ifdef __cplusplus
}
#endif

#endif
