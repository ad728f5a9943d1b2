/* The syntax tree one source file parses into.  It lives in the
 * compilation's arena; only the resolver reads it, never a backend. */
#ifndef CHITIN_AST_H
#define CHITIN_AST_H

#include "diag.h"
#include "kinds.h"

#include <stdbool.h>
#include <stdint.h>


/* An attribute argument, as written. */
enum attr_arg_kind {
	ARG_NONE,      /* [base] */
	ARG_INT,       /* [align(8)]: int_value */
	ARG_VERSION,   /* [since(1.2)]: major, minor */
	ARG_STRING,    /* [deprecated("why")]: text, already unescaped */
	ARG_UUID,      /* [uuid(6f1c2a4e-...)]: text, as written */
	ARG_IDENT,     /* [foo(bar)]: text */
};

struct ast_attr {
	const char *name;              /* interned */
	struct loc loc;                /* the whole attribute */
	struct loc name_loc;
	enum attr_arg_kind arg_kind;
	struct loc arg_loc;
	uint64_t int_value;            /* ARG_INT */
	uint32_t major, minor;         /* ARG_VERSION */
	const char *text;              /* ARG_STRING, ARG_UUID, ARG_IDENT */
	bool int_overflow;             /* ARG_INT literal did not fit */
	struct ast_attr *next;
};

/* A type as written: [const] NAME[.NAME] [<args>] {*}. */
struct ast_type {
	const char *qualifier;         /* module in dep.Name, or NULL */
	const char *name;              /* interned */
	struct ast_type *args;         /* generic arguments, via next */
	struct ast_type *next;         /* next generic argument */
	/* the locations and counts after the pointers, where they pack
	 * without padding: most of a large file's nodes are types */
	struct loc loc;                /* the whole type */
	struct loc name_loc;           /* the (qualified) name */
	struct loc const_loc;          /* valid when is_const */
	uint32_t n_args;
	uint32_t n_pointers;           /* trailing '*'s */
	bool is_const;
};

/* Constant expressions are kept in postfix order: the parser appends one
 * op per reduction, and a bottom-up parse reduces operands before their
 * operator.  An expression is a range of the file's op array, so it is
 * evaluated with an explicit stack, never by recursion. */
#define EXPR_OPS(X)                 \
	X(OP_INT, "integer")        \
	X(OP_NAME, "name")          \
	X(OP_NEG, "-")              \
	X(OP_PLUS, "+")             \
	X(OP_NOT, "~")              \
	X(OP_ADD, "+")              \
	X(OP_SUB, "-")              \
	X(OP_MUL, "*")              \
	X(OP_DIV, "/")              \
	X(OP_MOD, "%")              \
	X(OP_SHL, "<<")             \
	X(OP_SHR, ">>")             \
	X(OP_AND, "&")              \
	X(OP_OR, "|")               \
	X(OP_XOR, "^")

enum expr_op_kind {
#define X(k, s) k,
	EXPR_OPS(X)
#undef X
};
extern const char *const expr_op_names[];

struct expr_op {
	enum expr_op_kind kind;
	struct loc loc;                /* the operand, or the whole operation */
	uint64_t value;                /* OP_INT */
	const char *qualifier, *name;  /* OP_NAME */
};

struct ast_expr {
	uint32_t first, count;         /* range of ast_file.ops */
	struct loc loc;
};

struct ast_field {
	struct ast_attr *attrs;
	struct ast_type *type;
	const char *name;
	struct loc name_loc, loc;
	struct ast_expr *dims;         /* array dimensions, outermost first */
	uint32_t n_dims;
	const char *doc;
	struct ast_field *next;
};

/* A value of a C-like enum or a variant of a data enum. */
struct ast_variant {
	struct ast_attr *attrs;
	const char *name;
	struct loc name_loc, loc;
	bool has_value, has_payload;
	struct ast_expr value;
	struct ast_field *fields;      /* payload */
	uint32_t n_fields;
	struct loc open_brace;         /* valid when has_payload */
	const char *doc;
	struct ast_variant *next;
};

struct ast_param {
	struct ast_attr *attrs;
	struct ast_type *type;
	const char *name;
	struct loc name_loc, loc;
	struct ast_expr *dims;         /* only to reject arrays as parameters */
	uint32_t n_dims;
	const char *doc;
	struct ast_param *next;
};

/* A method, or the signature of a callback or export. */
struct ast_method {
	struct ast_attr *attrs;
	struct ast_type *ret;
	const char *name;
	struct loc name_loc, loc;
	struct ast_param *params;
	uint32_t n_params;
	const char *doc;
	struct ast_method *next;
};

struct ast_decl {
	enum decl_kind kind;
	struct ast_attr *attrs;
	const char *name;
	struct loc name_loc, loc;
	struct loc open_brace;
	const char *doc;
	union {
		struct {                      /* DECL_CONST */
			struct ast_type *type;
			struct ast_expr value;
		} konst;
		struct {                      /* DECL_STRUCT, DECL_UNION */
			struct ast_field *fields;
			uint32_t n_fields;
		} agg;
		struct {                      /* DECL_ENUM */
			struct ast_type *repr;        /* NULL: u32 */
			struct ast_variant *variants;
			uint32_t n_variants;
		} enm;
		struct ast_method *sig;       /* DECL_CALLBACK, DECL_EXPORT */
		struct {                      /* DECL_INTERFACE */
			struct ast_type *base;        /* NULL: object */
			struct ast_method *methods;
			uint32_t n_methods;
		} iface;
	} u;
	struct ast_decl *next;
};

struct ast_import {
	const char *path;               /* unescaped */
	struct loc loc, path_loc;
	struct ast_import *next;
};

/* One parsed file. */
struct ast_file {
	uint32_t file;                  /* diag file index */
	bool has_module;
	const char *module;             /* interned; NULL when missing */
	struct loc module_loc, module_name_loc;
	struct ast_attr *module_attrs;
	const char *doc;                /* the module's doc comment */
	struct ast_import *imports;
	struct ast_decl *decls;
	uint32_t n_decls;
	struct expr_op *ops;            /* all constant-expression ops */
	uint32_t n_ops;
	/* how many of each the file holds, so the model's arrays can be
	 * made the right size at once (methods: signatures of callbacks and
	 * exports too) */
	struct { uint32_t fields, variants, methods, params; } counts;
};

struct arena;
struct intern;

/* Parses one registered source into an AST allocated in arena.  Errors go
 * to d; the returned tree holds whatever parsed (possibly nothing).  The
 * text a model keeps (doc comments, string literals) goes to keep, so
 * that arena can be freed once the model is built; the two may be the
 * same.  The ops array is malloc'd and freed by ast_file_free. */
struct ast_file *ast_parse(struct diag *d, struct arena *arena, struct arena *keep,
			   struct intern *in, uint32_t file);
void ast_file_free(struct ast_file *f);

/* Prints the tree in an indented form, for tests and `chitin check --dump-ast`. */
void ast_dump(FILE *out, const struct ast_file *f);

#endif
