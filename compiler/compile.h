/* A compilation: reading the input files and their imports, parsing, and
 * resolving them into the checked model. */
#ifndef CHITIN_COMPILE_H
#define CHITIN_COMPILE_H

#include "arena.h"
#include "ast.h"
#include "diag.h"
#include "model.h"

/* A check of the names some output generates from the model, which
 * reports what that output could not spell to d (a backend's rules: two
 * items that would share a C name, say). */
typedef void (*compile_name_check)(const struct model *m, struct diag *d);

struct compile_options {
	const char *const *include_dirs;
	uint32_t n_include_dirs;
	const char *display_name;   /* names standard input; default "<stdin>" */
	unsigned max_errors;        /* 0: the default cap */
	bool keep_ast;              /* keep the syntax trees after resolution
				     * (for --dump-ast); otherwise they are
				     * freed once the model is built */
	/* Run after the model's own checks, on a model whose names all
	 * resolved (ck_build calls them). */
	const compile_name_check *name_checks;
	uint32_t n_name_checks;
};

struct compilation {
	struct diag diag;
	struct arena arena;         /* the model's, and the interned names */
	struct arena ast_arena;     /* the syntax trees' */
	struct intern intern;
	struct model model;
	struct res_file *files;
	uint32_t n_files, cap_files;
	/* Files by device and inode, an open-addressing table of file
	 * indexes + 1 (0: empty), its size a power of two. */
	uint32_t *by_inode;
	uint32_t inode_slots;
	bool resolved;              /* every declaration was resolved and the
				     * model's checks ran (errors or not) */
};

/* Sets up an empty compilation whose diagnostics go to out. */
void compile_init(struct compilation *c, FILE *out);

/* Loads files ("-" is standard input) and everything they import, parses
 * and checks them.  Returns 0 when they are valid, 1 when diagnostics
 * were reported, 2 when a file could not be read. */
int compile_run(struct compilation *c, const struct compile_options *o,
		const char *const *files, uint32_t n_files);

void compile_free(struct compilation *c);

/* The syntax tree of loaded file i (in load order), or NULL if it did not
 * parse. */
const struct ast_file *compile_ast(const struct compilation *c, uint32_t i);

/* Reads a whole file ("-": standard input) into a malloc'd NUL-terminated
 * buffer; false with errno set on failure. */
bool compile_read_file(const char *path, char **text, size_t *len);

#endif
