/* Module descriptors: what a library that implements a module says about
 * its binary interface on one target, in memory and as the compact blob
 * embedded in the library.  Shared by the chitin compiler (which encodes
 * them) and libchitin (which decodes and compares them at load time).
 * Freestanding: needs only <stddef.h> and <stdint.h>, never allocates. */
#ifndef CHITIN_DESCRIPTOR_H
#define CHITIN_DESCRIPTOR_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The blob format this header reads and writes. */
#define CHITIN_DESC_FORMAT 1

/* 128-bit ids and hashes, in RFC 9562 byte order. */
typedef struct chitin_hash128 {
	uint8_t bytes[16];
} chitin_hash128;

/* Item flags. */
enum {
	CHITIN_DESC_SINCE = 1u << 0,      /* added in a minor version: since_minor */
	CHITIN_DESC_RESILIENT = 1u << 1,  /* struct: fields reached through its record */
	CHITIN_DESC_BASE = 1u << 2,       /* interface: [base], never changes */
	CHITIN_DESC_THREADSAFE = 1u << 3, /* interface */
	CHITIN_DESC_PAYLOAD = 1u << 4,    /* variant: has a payload */
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

/* Strings are UTF-8, NUL-terminated; in a decoded descriptor they point
 * into the blob. */
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
	uint64_t value;              /* the tag's bits */
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
	uint64_t size;
	uint32_t align;
	const struct chitin_desc_field *fields;   /* data enums: tag, payload */
	uint32_t n_fields;
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
	const char *target;          /* "x86_64-linux", ... */
	const struct chitin_desc_import *imports;
	uint32_t n_imports;
	const struct chitin_desc_type *types;
	uint32_t n_types;
	const struct chitin_desc_interface *interfaces;
	uint32_t n_interfaces;
	const struct chitin_desc_export *exports;
	uint32_t n_exports;
};

#ifdef __cplusplus
}
#endif

#endif
