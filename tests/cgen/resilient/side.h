/* What host.c, other.c and plugin.c share: built against v1_0/rs.h, or
 * against v1_1/rs.h with HAS_LATENCY defined. */
#ifndef SIDE_H
#define SIDE_H

#include "rs.h"

#include <stddef.h>

/* The fields this side's version has. */
#ifdef HAS_LATENCY
#define OWN_FIELDS 3u
#else
#define OWN_FIELDS 2u
#endif

/* Storage for one value of any version of rs_Settings. */
union storage {
	max_align_t align;
	unsigned char bytes[256];
};

/* other.c: a value made in another translation unit of the host. */
rs_Settings *other_make(void);
const chitin_layout_record *other_layout(void);

/* plugin.c, reached through dlsym. */
typedef const chitin_layout_record *plugin_layout_fn(void);
typedef int plugin_own_size_fn(void);
typedef rs_Settings *plugin_make_fn(void);
typedef int plugin_read_fn(const rs_Settings *v, uint32_t *rate, uint16_t *channels,
			   int *latency_present);
typedef int plugin_set_rate_fn(rs_Settings *v, uint32_t rate);

#endif
