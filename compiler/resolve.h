/* Name resolution and checks: syntax trees in, checked model out.  Shared
 * by resolve.c (names, types, members), consteval.c (constant
 * expressions) and check.c (the whole-model checks). */
#ifndef CHITIN_RESOLVE_H
#define CHITIN_RESOLVE_H

#include "ast.h"
#include "attrs.h"
#include "model.h"
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

/* Evaluates constant expression e (ops of file f), written in module,
 * as a value of integer kind; false after reporting an error. */
bool ce_eval(struct resolver *r, uint32_t module, const struct ast_file *f,
	     struct ast_expr e, enum type_kind kind, uint64_t *out);
/* Evaluates every constant, in dependency order, reporting cycles. */
void ce_eval_constants(struct resolver *r);
/* The const declaration a name in an expression refers to, or M_NONE
 * (reported only when report is set). */
uint32_t ce_lookup(struct resolver *r, uint32_t module, const struct expr_op *op,
		   bool report);
/* Formats value (bits of an integer kind) in decimal. */
const char *ce_format(uint64_t value, enum type_kind kind, char *buf, size_t size);

/* The whole-model checks (check.c): by-value cycles and the layout order,
 * borrowed types, where types may be used, versions, interfaces, exports. */
void chk_run(struct resolver *r);

/* Iterative depth-first search over a graph of n nodes in compressed
 * form (edges of node i are targets[first[i] .. first[i + 1])), from
 * every node in index order.  Calls done(node) in post-order, and
 * cycle(nodes, edges, n) for every edge that closes a cycle: nodes[0..n)
 * is the cycle from its first node and edges[i] the edge (index into
 * targets) leaving nodes[i]; the last one closes it. */
struct dfs_graph {
	uint32_t n;
	const uint32_t *first;      /* n + 1 entries */
	const uint32_t *targets;
	void *ctx;
	void (*done)(void *ctx, uint32_t node);
	void (*cycle)(void *ctx, const uint32_t *nodes, const uint32_t *edges, uint32_t n);
};
void res_dfs(const struct dfs_graph *g);

/* Whether name is reserved in C, C++ or as a Rust identifier; sets *why. */
bool res_reserved_word(const char *name, const char **why);

#endif
