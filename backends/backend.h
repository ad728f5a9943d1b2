/* The backends: one row of a table each, which the driver loops over.
 * A backend writes one file per module (<module><suffix>) from the
 * checked program alone, and may add rules of its own for the names it
 * generates; adding one is adding a file and a row. */
#ifndef CHITIN_BE_BACKEND_H
#define CHITIN_BE_BACKEND_H

#include "checked.h"
#include "outbuf.h"

/* An option of chitin gen that only one backend reads: `--rust-parent
 * PATH`.  set is given the value before any output is written. */
struct backend_option {
	const char *flag;        /* "--rust-parent" */
	const char *arg;         /* what the help calls its value: "PATH" */
	const char *help;
	void (*set)(const char *value);
};

struct backend {
	const char *name;        /* what messages call it: "C header" */
	const char *flag;        /* the option of chitin gen that selects it: "--c" */
	const char *suffix;      /* after the module's name: ".h" */
	const char *help;        /* what chitin gen --help says after the file name */
	/* Writes module mi's file into out. */
	void (*emit)(struct outbuf *out, const struct checked *ck, uint32_t mi);
	/* Reports what the backend could not spell (run by every command,
	 * so that `chitin check` accepts only what every backend can
	 * write); NULL when the model's own rules are enough. */
	compile_name_check check_names;
	/* Whether it reads the type hashes (ck_layout_hash, ck_sig_hash,
	 * the descriptor), which chitin gen then computes (CK_IDS). */
	bool hashes;
	/* Its options, ended by one with a NULL flag; NULL for none. */
	const struct backend_option *options;
};

extern const struct backend backends[];
extern const uint32_t n_backends;

/* Points o's name checks at every backend's: what each command and test
 * compiles with, so that what `check` accepts every backend can write. */
void be_name_checks(struct compile_options *o);

#endif
