/* The targets chitin lays types out for (DESIGN §3): one row each, so
 * adding a target is adding a row. */
#ifndef CHITIN_TARGET_H
#define CHITIN_TARGET_H

#include <stdint.h>

struct target {
	const char *name;          /* chitin's name: "x86_64-linux" */
	const char *clang_triple;  /* the layout oracle in the tests */
	const char *rust_target;
	const char *c_guard;       /* exact preprocessor condition */
	const char *rust_cfg;      /* exact cfg(...) predicate */
	unsigned pointer_size;     /* = alignment; usize, isize, pointers */
	unsigned align_8byte;      /* alignment of i64, u64, f64 in a struct */
	uint64_t max_object_size;  /* largest object the target can hold */
};

enum { TARGET_COUNT = 10 };
extern const struct target targets[TARGET_COUNT];

/* The index of the target named name, or -1. */
int target_find(const char *name);

#endif
