/* The model: what the front end hands every later phase.  It is
 * index-based (arrays and ranges, no pointers into the syntax tree), every
 * name is resolved, every constant evaluated.  Layout, ids and backends
 * read it through the checked program (checked.h). */
#ifndef CHITIN_MODEL_H
#define CHITIN_MODEL_H

#include "arena.h"
#include "diag.h"
#include "kinds.h"

#include <stdbool.h>
#include <stdint.h>

/* "No index" for optional references. */
#define M_NONE UINT32_MAX

/* Type kinds.  The primitive kinds come first, and the type at index k of
 * the model's type table is primitive kind k, so a primitive's type index
 * is its kind.  Each entry: kind, spelling in IDL. */
#define PRIM_KINDS(X)                         \
	X(TY_VOID, "void")                    \
	X(TY_BOOL, "bool")                    \
	X(TY_I8, "i8")                        \
	X(TY_I16, "i16")                      \
	X(TY_I32, "i32")                      \
	X(TY_I64, "i64")                      \
	X(TY_U8, "u8")                        \
	X(TY_U16, "u16")                      \
	X(TY_U32, "u32")                      \
	X(TY_U64, "u64")                      \
	X(TY_F32, "f32")                      \
	X(TY_F64, "f64")                      \
	X(TY_USIZE, "usize")                  \
	X(TY_ISIZE, "isize")                  \
	X(TY_TYPEID, "typeid")                \
	X(TY_STR, "str")                      \
	X(TY_STRING, "string")

#define COMPOUND_KINDS(X)                     \
	X(TY_SLICE, "slice")    /* elem, is_const */           \
	X(TY_VEC, "vec")        /* elem */                     \
	X(TY_OPTION, "option")  /* elem */                     \
	X(TY_RESULT, "result")  /* elem: ok, err */            \
	X(TY_ARRAY, "array")    /* elem, count */              \
	X(TY_POINTER, "pointer") /* elem (TY_VOID for void*), is_const */ \
	X(TY_NAMED, "named")    /* decl */                     \
	X(TY_ERROR, "<error>")  /* a type that failed to resolve */

enum type_kind {
#define X(k, s) k,
	PRIM_KINDS(X)
	COMPOUND_KINDS(X)
#undef X
	TY_KIND_COUNT
};
enum {
	TY_PRIM_COUNT = TY_STRING + 1,
	/* The index of the one TY_ERROR type, right after the primitives:
	 * what a type that failed to resolve becomes. */
	TYPE_ERROR = TY_PRIM_COUNT,
};
extern const char *const type_kind_names[TY_KIND_COUNT];

/* Types are hash-consed: one index per distinct type. */
struct m_type {
	enum type_kind kind;
	bool is_const;        /* TY_SLICE, TY_POINTER: read-only elements */
	uint32_t elem;        /* see COMPOUND_KINDS */
	uint32_t err;         /* TY_RESULT */
	uint32_t decl;        /* TY_NAMED */
	uint64_t count;       /* TY_ARRAY */
};

/* The kinds of named type, as every output names them (doc/abi.md 9, doc/descriptor.md 5.2):
 * X(kind, name, number).  The numbers are the descriptor's kind codes
 * (doc/descriptor.md 5.2). */
#define NAMED_KINDS(X)                        \
	X(NK_STRUCT, "struct", 1)             \
	X(NK_UNION, "union", 2)               \
	X(NK_ENUM, "enum", 3)                 \
	X(NK_DATA_ENUM, "data_enum", 4)       \
	X(NK_CALLBACK, "callback", 5)         \
	X(NK_INTERFACE, "interface", 6)

enum named_kind {
	NK_NONE = 0,          /* constants and exports are not types */
#define X(k, s, n) k = n,
	NAMED_KINDS(X)
#undef X
	NK_COUNT
};
/* By named kind; NULL for NK_NONE. */
extern const char *const named_kind_names[NK_COUNT];

struct m_version {
	uint16_t major, minor;
};

/* What fields, variants, methods and declarations share. */
struct m_item {
	const char *name;     /* interned */
	struct loc loc;       /* the name */
	const char *doc;      /* NULL when undocumented */
	const char *deprecated; /* NULL, or the reason ("" when none given) */
	bool has_since;
	struct m_version since;
};

struct m_field {
	struct m_item item;
	uint32_t type;
	struct loc type_loc;  /* the type as written */
	/* An array whose sizes the IDL writes with constants (u8
	 * name[NAME_SIZE]): the index in model.size_names of its first
	 * dimension's entry, one entry per dimension, outermost first, each
	 * the constant declaration the size names alone, or M_NONE for a size
	 * written otherwise.  M_NONE when no size is a constant's name, and
	 * for every field that is no array.  The C header spells such a size
	 * with the constant's macro. */
	uint32_t first_size_name;
};

/* A value of a C-like enum, or a variant of a data enum. */
struct m_variant {
	struct m_item item;
	uint64_t value;       /* the tag, as the bits of the enum's integer type */
	bool has_payload;
	uint32_t first_field, n_fields;   /* payload */
};

enum param_dir { DIR_IN, DIR_OUT, DIR_INOUT };
extern const char *const param_dir_names[3];

struct m_param {
	const char *name;
	struct loc loc;
	const char *doc;
	enum param_dir dir;
	uint32_t type;
	struct loc type_loc;
};

/* A method, or the signature of a callback or an export. */
struct m_method {
	struct m_item item;
	uint32_t ret;         /* TY_VOID when nothing is returned */
	struct loc ret_loc;
	uint32_t first_param, n_params;
};

struct m_decl {
	enum decl_kind kind;
	struct m_item item;
	uint32_t module;
	uint32_t type;        /* struct, union, enum, callback, interface:
			       * its TY_NAMED type; constant: its type */
	bool poisoned;        /* failed to resolve: checks skip it */
	bool duplicate;       /* its name repeats an earlier declaration's of
			       * the module (reported): not found by it */
	union {
		struct {                   /* DECL_STRUCT, DECL_UNION */
			uint32_t first_field, n_fields;
			bool resilient;
			uint32_t align;       /* [align(N)], 0 when absent */
		} agg;
		struct {                   /* DECL_ENUM */
			uint32_t repr;        /* an integer primitive */
			uint32_t first_variant, n_variants;
			bool data;            /* some variant has a payload */
		} enm;
		struct {                   /* DECL_CALLBACK, DECL_EXPORT */
			uint32_t method;      /* the signature */
			/* export: its C symbol, [symbol] or <module>_<name>
			 * (doc/abi.md 8.1); NULL for a callback */
			const char *symbol;
			bool symbol_given;    /* export: by [symbol] */
		} sig;
		struct {                   /* DECL_INTERFACE */
			uint32_t base;        /* decl index; the object root has M_NONE */
			uint32_t first_method, n_methods;
			bool is_base, threadsafe, has_uuid;
			uint8_t uuid[16];
		} iface;
		struct {                   /* DECL_CONST */
			uint64_t value;       /* bits of the constant's type */
		} konst;
	} u;
	bool borrowed;        /* holds str or slice, by value */
	bool owning;          /* holds a string, vec or callback, by value */
};

struct m_import {
	uint32_t module;
	struct loc loc;       /* the import's path string */
};

struct m_module {
	const char *name;     /* interned */
	struct loc loc;       /* the module name */
	const char *doc;
	struct m_version version;
	uint32_t file;        /* diag file index */
	uint32_t first_decl, n_decls;
	struct m_import *imports;
	uint32_t n_imports;
	bool from_command_line;
};

struct model {
	struct arena *arena;
	struct intern *intern;
	struct m_module *modules;
	uint32_t n_modules, cap_modules;
	struct m_decl *decls;
	uint32_t n_decls, cap_decls;
	struct m_type *types;
	uint32_t n_types, cap_types;
	struct m_field *fields;
	uint32_t n_fields, cap_fields;
	struct m_variant *variants;
	uint32_t n_variants, cap_variants;
	struct m_method *methods;
	uint32_t n_methods, cap_methods;
	struct m_param *params;
	uint32_t n_params, cap_params;
	uint32_t *size_names;  /* see m_field.first_size_name */
	uint32_t n_size_names, cap_size_names;
	/* Every aggregate and enum, ordered so that a type comes after every
	 * type it holds by value: layout walks it front to back. */
	uint32_t *by_value_order;
	uint32_t n_by_value_order;
	uint32_t object_decl;  /* the built-in `object` interface */

	/* Hash-consing table for types. */
	uint32_t *type_slots;
	uint32_t type_slot_cap;
};

void model_init(struct model *m, struct arena *arena, struct intern *in);
void model_free(struct model *m);

/* Returns the index of the type with these parts, adding it when new. */
uint32_t model_type(struct model *m, enum type_kind kind, uint32_t elem,
		    uint32_t err, uint32_t decl, uint64_t count, bool is_const);

/* The most interfaces a chain of bases holds (the checker's limit, 256,
 * and the interface itself). */
enum { MODEL_MAX_CHAIN = 257 };

/* Interface di and its bases up to (not including) object, di first, into
 * chain (MODEL_MAX_CHAIN entries); returns how many.  Slots are laid out
 * from the last of them to the first. */
uint32_t model_interface_chain(const struct model *m, uint32_t di, uint32_t *chain);

/* Writes the IDL spelling of type t into buf ("option<dsp.Window>"),
 * qualifying names from modules other than `from`; returns buf. */
const char *model_type_name(const struct model *m, uint32_t t, uint32_t from,
			    char *buf, size_t size);

/* Whether a value of t owns something its holder must release: a string,
 * a vec or a callback, itself or by value inside (doc/abi.md 4). */
bool model_type_owns(const struct model *m, uint32_t t);

/* Whether a value of t holds, by value, a struct or union declared with
 * [align] (itself, or inside a field, array, option, result or payload,
 * recursively): such a value crosses a call as a pointer to it
 * (doc/abi.md 3.2). */
bool model_type_over_aligned(const struct model *m, uint32_t t);

/* What kind of named type d declares; NK_NONE if it declares none. */
enum named_kind model_named_kind(const struct m_decl *d);

bool type_is_integer(enum type_kind k);
bool type_is_signed(enum type_kind k);
/* Bit width of an integer kind (8..64). */
unsigned type_int_bits(enum type_kind k);

/* Prints the model in a stable text form, for tests and
 * `chitin check --dump-model`. */
void model_dump(FILE *out, const struct model *m);

#endif
