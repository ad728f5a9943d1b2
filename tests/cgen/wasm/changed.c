/* A second entry of module lm for tests/run-wasm.sh, from an lm.idl whose
 * lm.Pair.b is f64: its generated lm_desc.c, compiled with -I on its own
 * directory, under names that do not clash with the first entry's in the
 * one wasm module.  Its exports table binds plugin.c's functions, which
 * the changed IDL declares alike. */
#define chitin_module_lm chitin_module_lm_changed
#define chitin_descriptor_lm chitin_descriptor_lm_changed
#define chitin_own_descriptor_lm chitin_own_descriptor_lm_changed
#include "lm_desc.c"
