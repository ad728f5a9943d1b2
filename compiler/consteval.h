/* Constant expressions: evaluated on an explicit stack, every overflow an
 * error (doc/idl.md 5.1). */
#ifndef CHITIN_CONSTEVAL_H
#define CHITIN_CONSTEVAL_H

#include "resolve.h"

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

#endif
