/* The Rust backend: <module>.rs (doc/rust.md). */
#ifndef CHITIN_BE_RUST_H
#define CHITIN_BE_RUST_H

#include "checked.h"
#include "outbuf.h"

/* Writes module mi's Rust file into out. */
void be_rust(struct outbuf *out, const struct checked *ck, uint32_t mi);

/* The path under which the modules a module imports are found
 * (`--rust-parent`, "super" unless set): `super::shapes::Point`. */
void rust_set_parent(const char *path);

/* The Rust backend's name check (a compile_name_check): every pair of
 * items of one module whose Rust names would be the same, the names the
 * generated Rust adds (doc/rust.md 5) included, and the names that would
 * hide what the generated Rust uses (Option, chitin, ...). */
void rust_check_names(const struct model *m, struct diag *d);

#endif
