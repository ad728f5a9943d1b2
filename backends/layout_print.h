/* `chitin layout`: the computed layout of a module's types, as a table
 * for people or as JSON (DESIGN §5). */
#ifndef CHITIN_BE_LAYOUT_PRINT_H
#define CHITIN_BE_LAYOUT_PRINT_H

#include "layout.h"
#include "outbuf.h"

/* Writes module mi's types on the targets whose bit is set in
 * target_mask, as a table, to out. */
void be_layout_text(struct outbuf *out, const struct layout *l, uint32_t mi,
		    unsigned target_mask);

/* One row of a type's layout: a field, the tag, the payload, the record
 * pointer, or padding (name NULL). */
struct be_row {
	const char *name;
	uint64_t offset, size;
	uint32_t type;        /* M_NONE: described by note */
	const char *note;
	uint32_t field;       /* the model field, or M_NONE */
};

/* The rows of declaration d on target ti, padding holes included, into
 * rows (be_layout_max_rows(d) of them); returns how many. */
uint32_t be_layout_rows(const struct layout *l, unsigned ti, const struct m_decl *d,
			struct be_row *rows);
uint32_t be_layout_max_rows(const struct m_decl *d);
/* "struct", "data_enum", ...; NULL for declarations that are not types. */
const char *be_kind_name(const struct m_decl *d);

#endif
