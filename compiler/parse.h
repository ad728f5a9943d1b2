/* State shared by the flex scanner and the bison parser of one file. */
#ifndef CHITIN_PARSE_H
#define CHITIN_PARSE_H

#include "arena.h"
#include "ast.h"
#include "diag.h"

/* Deepest nesting of brackets of any kind the scanner accepts; it bounds
 * every recursion over the tree (generic types, parenthesised
 * expressions), so hostile input cannot exhaust the stack. */
enum { PARSE_MAX_NESTING = 256 };

struct doc_at {
	uint32_t offset;   /* the token the comment precedes */
	const char *text;
};

struct open_bracket {
	char ch;
	struct loc loc;
};

struct parse_state {
	struct diag *diag;
	struct arena *arena;             /* the tree */
	struct arena *keep;              /* doc comments and strings: the model's */
	struct intern *intern;
	uint32_t file;
	uint32_t pos;                    /* scanner's byte offset */
	struct ast_file *ast;

	/* Doc comments, in source order, and the one being collected. */
	struct doc_at *docs;
	uint32_t n_docs, cap_docs;
	char *pending;                   /* malloc'd, pending_len bytes */
	size_t pending_len, pending_cap;
	bool have_pending;

	/* Brackets open at the scanner's position, for nesting limits and
	 * "to match this '{'" notes. */
	struct open_bracket brackets[PARSE_MAX_NESTING];
	uint32_t depth;
	bool want_uuid;                  /* saw `uuid` inside [ ... ] */

	struct ast_decl *last_decl;      /* tail of ast->decls */
	struct ast_import *last_import;  /* tail of ast->imports */
	/* The last two tokens returned, for "expected ';' after 'x'". */
	struct loc tok_last, tok_prev;
	uint32_t n_tokens;
	uint32_t cap_ops;
	bool fatal;                      /* stop: nesting too deep */
	unsigned syntax_errors;
	void *scanner;
};

/* The doc comment attached to the token at offset, or NULL. */
const char *parse_doc_at(struct parse_state *ps, uint32_t offset);

#endif
