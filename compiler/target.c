/* The target table, from the one list in target.h. */
#include "target.h"

#include <string.h>

const struct target targets[TARGET_COUNT] = {
#define TARGET_ROW_(id, ...) [TARGET_##id] = { __VA_ARGS__ },
	CHITIN_TARGETS(TARGET_ROW_)
#undef TARGET_ROW_
};

int
target_find(const char *name)
{
	int i;
	for (i = 0; i < TARGET_COUNT; i++)
		if (strcmp(targets[i].name, name) == 0)
			return i;
	return -1;
}
