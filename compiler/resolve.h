/* Name resolution: syntax trees in, the model out.  The resolver's state
 * and lookups, which consteval.c (constant expressions, consteval.h) and
 * check.c (the whole-model checks, check.h) build on; resolve.c calls
 * both, neither includes the other. */
#ifndef CHITIN_RESOLVE_H
#define CHITIN_RESOLVE_H

#include "ast.h"
#include "attrs.h"
#include "model.h"
#include "dfs.h"
#include "symtab.h"

/* One input file, loaded and parsed, as the resolver receives it. */
struct res_input {
	struct ast_file *ast;
	uint32_t *imports;          /* indices of the imported inputs, */
	struct loc *import_locs;    /* in source order, with their path strings */
	uint32_t n_imports;
	bool from_command_line;
};

struct resolver {
	struct model *m;
	struct diag *d;
	const struct res_input *inputs;
	uint32_t n_inputs;
	uint32_t *module_of_input;  /* M_NONE for a file without a module */
	const struct ast_file **ast_of_module;
	const struct ast_decl **ast_of_decl;
	uint32_t *scope_of_decl;    /* interfaces: the scope of their methods */
	bool *const_ready;          /* constants: evaluated */
	uint32_t *walk_mark;        /* interfaces seen by the current base walk */
	uint32_t walk_epoch;
	struct symtab names;
	uint32_t next_scope;
	/* A struct, union or enum that holds a borrowed type: the field that
	 * makes it so (for notes). */
	uint32_t *borrowed_field;
	const char *builtin_names[TY_PRIM_COUNT + 5];
	bool checked;               /* the whole-model checks ran */
};

/* Scopes with fixed ids: module names, and identifiers already found not
 * to be reserved words.  Module i's declarations are scope i + 1. */
enum { SCOPE_MODULE_NAMES = 0, SCOPE_CHECKED_NAMES = UINT32_MAX - 1 };

/* Members (fields, parameters, variants, methods) of a small scope are
 * found by a scan of the ones before them; only large scopes go into the
 * table, which keeps it, and its cache misses, small. */
enum { RES_SMALL_SCOPE = 16 };

/* Most '*'s of one pointer type (doc/idl.md 6.4): with the nesting limit
 * (2.12) it bounds the depth of every type, which the walks of types
 * (ids, hashes, layouts, the backends) recurse over. */
enum { RES_MAX_POINTERS = 16 };
/* The member of [first, end) named name, or M_NONE; n_total is the size
 * the scope was declared with (it picks scan or table). */
uint32_t res_member_find(const struct resolver *r, uint32_t scope, uint32_t n_total,
			 uint32_t first, uint32_t end, const char *name,
			 const char *(*name_of)(const struct model *, uint32_t));
const char *res_method_name(const struct model *m, uint32_t i);

/* Resolves and checks the inputs into r->m.  Errors go to r->d. */
void res_run(struct resolver *r);

/* Looks a name up as a declaration visible in module mi: its own, then
 * its imports' (which must not both declare it), or in the module named by
 * qualifier.  Reports (what: "type") and returns M_NONE when not found. */
uint32_t res_lookup_decl(struct resolver *r, uint32_t mi, const char *qualifier,
			 const char *name, struct loc at, const char *what);
/* Resolves a written type, with its pointers; TY_ERROR after reporting.
 * res_top_type also rejects a 'const' that is not on a pointer target. */
uint32_t res_type(struct resolver *r, uint32_t mi, const struct ast_type *t);
uint32_t res_top_type(struct resolver *r, uint32_t mi, const struct ast_type *t);



/* Whether name is reserved in C, C++ or as a Rust identifier; sets *why. */
bool res_reserved_word(const char *name, const char **why);

#endif
