/* The C backend: <module>.h, every type, interface and export of a module
 * for C11 and C++11 (doc/abi.md says what each becomes). */
#ifndef CHITIN_BE_C_H
#define CHITIN_BE_C_H

#include "checked.h"
#include "outbuf.h"

/* Writes module mi's header into out. */
void be_c_header(struct outbuf *out, const struct checked *ck, uint32_t mi);

/* Writes the definitions of module mi's layout records (one for each
 * resilient struct, which the header declares) into out, for the
 * descriptor source. */
void be_c_layout_records(struct outbuf *out, const struct checked *ck, uint32_t mi);

#endif
