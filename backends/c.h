/* The C backend: <module>.h, every type, interface and export of a module
 * for C11 and C++11 (doc/abi.md says what each becomes). */
#ifndef CHITIN_BE_C_H
#define CHITIN_BE_C_H

#include "layout.h"
#include "outbuf.h"
#include "typeid.h"

/* Appends the lowered parameters of signature me (doc/abi.md 3.2), as
 * the header of module mi spells them, without a self or ctx: "void" when
 * there are none. */
void be_c_params(struct outbuf *b, const struct model *m, uint32_t mi,
		 const struct m_method *me);

/* Writes module mi's header into out. */
void be_c_header(struct outbuf *out, const struct layout *l, const struct typeids *t,
		 uint32_t mi);

#endif
