/* C naming: what the C header and the descriptor source call things
 * (doc/idl.md 11, "Names the C header reserves"), and the check that no two items of a
 * module get the same C name. */
#ifndef CHITIN_BE_C_NAMES_H
#define CHITIN_BE_C_NAMES_H

#include "diag.h"
#include "model.h"
#include "outbuf.h"

/* The module's name in upper case, the prefix of its macros (AUDIO in
 * AUDIO_API); malloc'd, the caller frees it. */
char *c_module_upper(const char *module);

/* Appends the C name of constant di: its macro, the module's name in
 * upper case, '_', the constant's name (SHAPES_MAX_POINTS). */
void c_put_const_name(struct outbuf *b, const struct model *m, uint32_t di);

/* The preprocessor condition true on exactly the targets whose bits are
 * set in mask: their guards (doc/abi.md 1.3), or'ed, one a line. */
void c_put_guard(struct outbuf *b, unsigned mask);

/* Appends the C name of the instantiation t (option<T>, vec<T>, ...):
 * chitin_, then t spelled with every named type module-qualified
 * (chitin_option_dsp_Window, chitin_result_object_i32; doc/abi.md 2.19),
 * so that the name depends on t alone, never on the header that writes
 * it. */
void c_put_inst_name(struct outbuf *b, const struct model *m, uint32_t t);

/* The C backend's name check (a compile_name_check): reports every pair
 * of items of one module whose C names would be the same, and the names
 * that a generated identifier reserves: instantiation prefixes such as
 * option_, an interface's vtbl and IID, a resilient struct's layout,
 * record, init and fields; and, over the whole program, every pair of
 * distinct instantiations whose C names would be the same. */
void c_check_names(const struct model *m, struct diag *d);

/* Tests only: the hash of the names' table (NULL: the real one), so that
 * a test can make every name collide with many others. */
void c_names_set_hash(uint64_t (*hash)(const void *, size_t));

#endif
