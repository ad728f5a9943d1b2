/* The whole-model checks, after every name is resolved. */
#ifndef CHITIN_CHECK_H
#define CHITIN_CHECK_H

#include "resolve.h"

/* The whole-model checks (check.c): by-value cycles and the layout order,
 * borrowed types, where types may be used, versions, interfaces, exports. */
void chk_run(struct resolver *r);

#endif
