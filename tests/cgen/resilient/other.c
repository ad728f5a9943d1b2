/* A second translation unit of the host: the values it makes point at the
 * same record as host.c's, one record per library (doc/abi.md 2.18). */
#include "side.h"

rs_Settings *
other_make(void)
{
	static union storage storage;
	rs_Settings *v = rs_Settings_init(&storage);
	*rs_Settings_rate(v) = 22050;
	*rs_Settings_channels(v) = 1;
	return v;
}

const chitin_layout_record *
other_layout(void)
{
	return rs_Settings_layout();
}
