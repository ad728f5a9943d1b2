/* The plugin: a shared library built against one version of rs, loaded by
 * a host built against the other. */
#include "side.h"

#ifdef __cplusplus
extern "C" {
#endif

CHITIN_EXPORT plugin_layout_fn plugin_layout;
CHITIN_EXPORT plugin_own_size_fn plugin_own_size;
CHITIN_EXPORT plugin_make_fn plugin_make;
CHITIN_EXPORT plugin_read_fn plugin_read;
CHITIN_EXPORT plugin_set_rate_fn plugin_set_rate;

const chitin_layout_record *
plugin_layout(void)
{
	return rs_Settings_layout();
}

/* Whether the plugin's record describes the plugin's own version. */
int
plugin_own_size(void)
{
	const chitin_layout_record *r = rs_Settings_layout();
	return r->size == sizeof(struct rs_Settings_fields) &&
	       r->align == CHITIN_ALIGNOF(struct rs_Settings_fields) &&
	       r->field_count == OWN_FIELDS;
}

rs_Settings *
plugin_make(void)
{
	static union storage storage;
	rs_Settings *v;
	if (rs_Settings_layout()->size > sizeof storage)
		return NULL;
	v = rs_Settings_init(&storage);
	*rs_Settings_rate(v) = 44100;
	*rs_Settings_channels(v) = 6;
#ifdef HAS_LATENCY
	*rs_Settings_latency(v) = 0x1122334455667788u;
#endif
	return v;
}

int
plugin_read(const rs_Settings *v, uint32_t *rate, uint16_t *channels, int *latency_present)
{
	const uint32_t *r = rs_Settings_rate_const(v);
	const uint16_t *c = rs_Settings_channels_const(v);
	if (!r || !c)
		return 0;
	*rate = *r;
	*channels = *c;
#ifdef HAS_LATENCY
	*latency_present = rs_Settings_latency_const(v) != NULL;
	if (*latency_present && *rs_Settings_latency_const(v) != 0x0102030405060708u)
		return 0;
#else
	*latency_present = -1;
#endif
	return 1;
}

int
plugin_set_rate(rs_Settings *v, uint32_t rate)
{
	uint32_t *r = rs_Settings_rate(v);
	if (!r)
		return 0;
	*r = rate;
#ifdef HAS_LATENCY
	/* a setter of a field the maker's version lacks stores nothing */
	if (rs_Settings_latency(v))
		*rs_Settings_latency(v) = 99;
#endif
	return 1;
}

#ifdef __cplusplus
}
#endif
