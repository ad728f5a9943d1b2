/* The checked program: the model of every module a command named and
 * imported, its layout on every target, its ids and hashes, and the
 * targets each module lays out alike.  Every command builds one with
 * ck_build and every backend reads only this, through the accessors
 * below (none indexes targets x items by hand). */
#ifndef CHITIN_CHECKED_H
#define CHITIN_CHECKED_H

#include "compile.h"
#include "layout.h"
#include "model.h"
#include "target.h"
#include "typeid.h"

#include <stdio.h>

/* How far ck_build goes: a check needs layouts (what only a target can
 * tell is an error of the input too), every output needs the ids. */
enum ck_stage {
	CK_LAYOUT,      /* the model, its layouts, the name checks */
	CK_CLASSES,     /* and the ids and layout classes */
	CK_IDS,         /* and the hashes */
};

/* A layout class of a module: targets on which every type the module
 * declares (interfaces aside: they are references) has the same size,
 * alignment and offsets, so one set of layout assertions serves all of
 * them. */
struct ck_class {
	unsigned targets;      /* bit i: target i */
	unsigned first;        /* the lowest target in it, whose layout it is */
};

struct ck_module_classes {
	struct ck_class classes[TARGET_COUNT];
	uint32_t n;
	uint8_t class_of[TARGET_COUNT];
};

struct desc_blobs;

struct checked {
	struct compilation comp;    /* files, diagnostics, arena, the model */
	const struct model *m;      /* &comp.model */
	struct layout layout;       /* from CK_LAYOUT, when the input is valid */
	struct typeids ids;         /* from CK_IDS */
	struct ck_module_classes *classes;   /* by module, from CK_IDS */
	/* By module: its encoded descriptor, made on first use by
	 * desc_module_blobs (compiler/describe.h) and kept for every backend
	 * that writes it. */
	struct desc_blobs *blobs;
	bool laid_out, identified;
};

/* Reads, parses and checks files ("-": standard input) and what they
 * import, runs o's name checks (the backends' rules for the names they
 * generate), then lays every type out on every target and, for CK_IDS,
 * computes ids, hashes and layout classes; diagnostics go to diag_out.
 * Returns 0 when the input is valid, 1 when errors were reported, 2 when
 * a file could not be read.  ck_free releases it whatever it returned. */
int ck_build(struct checked *ck, FILE *diag_out, const struct compile_options *o,
	     const char *const *files, uint32_t n_files, enum ck_stage stage);
void ck_free(struct checked *ck);

/* ---- layouts (valid after a successful ck_build) ---- */

static inline const struct lay_size *
ck_type_size(const struct checked *ck, unsigned ti, uint32_t type)
{
	return lay_type(&ck->layout, ti, type);
}

/* The size and alignment of the type declaration di declares. */
static inline const struct lay_size *
ck_decl_size(const struct checked *ck, unsigned ti, uint32_t di)
{
	return lay_type(&ck->layout, ti, ck->m->decls[di].type);
}

/* The offset of field f within its struct, union or payload. */
static inline uint64_t
ck_field_offset(const struct checked *ck, unsigned ti, uint32_t f)
{
	return lay_field_offset(&ck->layout, ti, f);
}

/* Variant vi's payload struct. */
static inline const struct lay_size *
ck_payload_size(const struct checked *ck, unsigned ti, uint32_t vi)
{
	return &ck->layout.payload[(size_t)ck->layout.group[ti] * ck->m->n_variants + vi];
}

/* Data enum di's union of payloads (valid false when no variant has
 * one), and its offset. */
static inline const struct lay_size *
ck_payload_union(const struct checked *ck, unsigned ti, uint32_t di)
{
	return &ck->layout.payloads[(size_t)ck->layout.group[ti] * ck->m->n_decls + di];
}

static inline uint64_t
ck_payload_union_offset(const struct checked *ck, unsigned ti, uint32_t di)
{
	return ck->layout.payload_offset[(size_t)ck->layout.group[ti] * ck->m->n_decls + di];
}

/* The byte offset of slot k (0: the first method after the header) in a
 * vtable on target ti (doc/abi.md 5.2, 5.3). */
static inline uint64_t
ck_slot_offset(unsigned ti, uint32_t k)
{
	return 24 + (3 + (uint64_t)k) * targets[ti].pointer_size;
}

/* ---- ids and hashes (valid after a successful ck_build to CK_IDS) ---- */

static inline const chitin_hash128 *
ck_type_id(const struct checked *ck, uint32_t di)
{
	return &ck->ids.decl_id[di];
}

static inline const chitin_hash128 *
ck_layout_hash(const struct checked *ck, unsigned ti, uint32_t type)
{
	return tid_layout_hash(&ck->ids, ti, type);
}

static inline const chitin_hash128 *
ck_payload_hash(const struct checked *ck, unsigned ti, uint32_t vi)
{
	assert(ck->ids.hashed);
	return &ck->ids.payload_hash[(size_t)ck->ids.group[ti] * ck->m->n_variants + vi];
}

static inline const chitin_hash128 *
ck_sig_hash(const struct checked *ck, unsigned ti, uint32_t method)
{
	return tid_sig_hash(&ck->ids, ti, method);
}

static inline const struct ck_module_classes *
ck_classes(const struct checked *ck, uint32_t mi)
{
	return &ck->classes[mi];
}

/* ---- layout rows ---- */

/* What a row of a type's layout is. */
enum row_kind {
	ROW_FIELD,      /* a field of a struct or union: field, type */
	ROW_RECORD,     /* a resilient struct's layout record pointer */
	ROW_TAG,        /* a data enum's tag: type */
	ROW_PAYLOAD,    /* a data enum's union of payloads */
	ROW_PADDING,    /* bytes no member covers */
};

struct row {
	enum row_kind kind;
	const char *name;     /* FIELD: the field's; TAG "tag"; PAYLOAD "payload";
			       * RECORD "(layout record)"; PADDING NULL */
	uint64_t offset, size;
	uint32_t type;        /* FIELD, TAG: the member's type; else M_NONE */
	uint32_t field;       /* FIELD: the model's field; else M_NONE */
};

/* Rows are filled into a buffer the caller keeps and reuses. */
struct row_buf {
	struct row *rows;
	uint32_t n, cap;
};

/* The rows of the type that declaration di declares on target ti, in
 * offset order with its padding, into b (replacing what it held); returns
 * b->n.  Structs and unions: their fields (and a resilient struct's
 * record first); data enums: tag and payload; other types: none. */
uint32_t ck_rows(const struct checked *ck, unsigned ti, uint32_t di, struct row_buf *b);
/* The rows of variant vi's payload struct on target ti: its fields and
 * padding, at offsets from the start of the payload; none for a unit
 * variant.  As ck_rows. */
uint32_t ck_payload_rows(const struct checked *ck, unsigned ti, uint32_t vi, struct row_buf *b);
void row_buf_free(struct row_buf *b);

#endif
