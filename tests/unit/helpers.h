/* What the unit tests share: diagnostics captured in memory, IDL text
 * parsed or compiled from a string, lookups in the model, and text
 * assertions that show the text when they fail. */
#ifndef CHITIN_TEST_HELPERS_H
#define CHITIN_TEST_HELPERS_H

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <cmocka.h>

#include "backends/backend.h"
#include "checked.h"
#include "compile.h"

/* A FILE* whose contents can be read back: open_memstream, kept open so
 * the code under test can go on writing. */
struct capture {
	FILE *file;
	char *text;
	size_t len;
};

void capture_open(struct capture *c);
/* Flushes and returns everything written so far; valid until the next
 * write or capture_close. */
const char *capture_text(struct capture *c);
void capture_close(struct capture *c);

/* One file scanned and parsed alone, named "t.idl" in diagnostics.  Only
 * the compilation's arena, interner and diagnostics are used. */
struct parsed {
	struct compilation comp;
	struct capture diags;
	struct ast_file *ast;
	char *dump;                /* ast_dump of ast, malloc'd */
	const char *errors;        /* the diagnostics text */
	unsigned n_errors;
};

/* Parses text (len bytes, so it may hold NUL bytes) into p. */
void parse_bytes(struct parsed *p, const char *text, size_t len);
void parse_text(struct parsed *p, const char *text);
void parsed_free(struct parsed *p);

/* A file of a test: its name relative to the test's directory ("a.idl",
 * "inc/b.idl") and its contents. */
struct test_file {
	const char *name;
	const char *text;
};

struct compiled {
	struct compilation comp;
	struct capture diags;
	int status;                /* what compile_run returned */
	const char *errors;        /* the diagnostics text */
	const struct model *m;
};

/* A checked program, as every command builds it: ck_build to CK_IDS with
 * the backends' name checks, diagnostics captured. */
struct built {
	struct checked ck;
	struct capture diags;
	int status;                /* what ck_build returned */
	const char *errors;        /* the diagnostics text */
	const struct model *m;
	uint32_t mi;               /* the root file's module */
};

int build_files(struct built *b, const struct test_file *files, size_t n);
int build_text(struct built *b, const char *text);
void built_free(struct built *b);

/* Writes files into a new temporary directory and compiles the first one
 * from inside it, so diagnostics name files as the test wrote them; the
 * directory is removed before returning.  Returns the exit status. */
int compile_files(struct compiled *c, const struct test_file *files, size_t n);
/* One file, "main.idl". */
int compile_text(struct compiled *c, const char *text);
void compiled_free(struct compiled *c);

/* The model printed by model_dump, malloc'd. */
char *model_text(const struct model *m);

/* Lookups by name that fail the test when nothing matches.  module NULL
 * matches any module. */
uint32_t find_decl(const struct model *m, const char *module, const char *name);
const struct m_field *find_field(const struct model *m, uint32_t decl, const char *name);
const struct m_variant *find_variant(const struct model *m, uint32_t decl, const char *name);
const struct m_method *find_method(const struct model *m, uint32_t decl, const char *name);
/* The declaration a TY_NAMED type stands for; any other type fails the
 * test. */
uint32_t named_decl(const struct model *m, uint32_t type);

/* Opens a test that shows a known bug of the compiler.  Such a test fails
 * until the bug is fixed; with CHITIN_SKIP_KNOWN_BUGS=1 in the environment
 * it is skipped instead, for a green run while the fix is pending. */
bool known_bugs_skipped(void);
#define KNOWN_BUG()                          \
	do {                                 \
		if (known_bugs_skipped())    \
			skip();              \
	} while (0)

/* How many times needle occurs in text (non-overlapping). */
size_t count_substr(const char *text, const char *needle);

void check_contains(const char *text, const char *needle, bool want,
		    const char *file, int line);
#define assert_contains(text, needle) \
	check_contains((text), (needle), true, __FILE__, __LINE__)
#define assert_not_contains(text, needle) \
	check_contains((text), (needle), false, __FILE__, __LINE__)

#endif
