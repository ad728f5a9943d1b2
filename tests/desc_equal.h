/* Deep equality of two descriptors (runtime/include/chitin/descriptor.h),
 * naming the first difference: what the unit tests assert and the fuzz
 * targets check after a round trip through JSON or a blob. */
#ifndef CHITIN_TESTS_DESC_EQUAL_H
#define CHITIN_TESTS_DESC_EQUAL_H

#include <chitin/descriptor.h>

#include <stdbool.h>
#include <stddef.h>

/* Whether a and b hold the same module, version, imports, types,
 * interfaces and exports, every array in the same order (and, with
 * targets, the same target list).  When not, why holds the first
 * difference: "types[2] (Frame).fields[1] (len).offset: 8 != 4". */
bool desc_equal(const struct chitin_descriptor *a, const struct chitin_descriptor *b,
		bool targets, char *why, size_t why_size);

#endif
