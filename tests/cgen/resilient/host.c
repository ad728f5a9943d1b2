/* The host: built against one version of rs, linked with -rdynamic so that
 * its own symbols are the first a plugin could bind to, it loads the
 * plugin built against the other version and passes values both ways.
 * Each side must keep its own layout record (doc/abi.md 2.18). */
#include "side.h"

#include <dlfcn.h>
#include <stdio.h>
#include <stdlib.h>

static int failures;

static void
expect(int ok, const char *what)
{
	printf("%s %s\n", ok ? "ok" : "FAIL", what);
	failures += !ok;
}

static void *
sym(void *lib, const char *name)
{
	void *p = dlsym(lib, name);
	if (!p) {
		fprintf(stderr, "host: no %s in the plugin: %s\n", name, dlerror());
		exit(1);
	}
	return p;
}

int
main(int argc, char **argv)
{
	union storage storage;
	rs_Settings *mine, *theirs;
	const rs_Settings *other;
	void *lib;
	plugin_layout_fn *plugin_layout;
	plugin_own_size_fn *plugin_own_size;
	plugin_make_fn *plugin_make;
	plugin_read_fn *plugin_read;
	plugin_set_rate_fn *plugin_set_rate;
	uint32_t rate = 0;
	uint16_t channels = 0;
	int latency = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: host PLUGIN\n");
		return 2;
	}
	mine = rs_Settings_init(&storage);
	*rs_Settings_rate(mine) = 48000;
	*rs_Settings_channels(mine) = 2;
#ifdef HAS_LATENCY
	*rs_Settings_latency(mine) = 0x0102030405060708u;
#endif
	expect(rs_Settings_record(mine) == rs_Settings_layout(), "a value points at its maker's record");
	expect(rs_Settings_layout()->size == sizeof(struct rs_Settings_fields) &&
		       rs_Settings_layout()->field_count == OWN_FIELDS,
	       "the host's record describes the host's version");

	other = other_make();
	expect(other_layout() == rs_Settings_layout(), "one record for the whole host, not per translation unit");
	expect(rs_Settings_record(other) == rs_Settings_layout(), "a value made in another unit is the host's own");
	expect(*rs_Settings_rate_const(other) == 22050 && *rs_Settings_channels_const(other) == 1,
	       "the host reads its other unit's value");

	lib = dlopen(argv[1], RTLD_NOW | RTLD_LOCAL);
	if (!lib) {
		fprintf(stderr, "host: %s\n", dlerror());
		return 1;
	}
	*(void **)&plugin_layout = sym(lib, "plugin_layout");
	*(void **)&plugin_own_size = sym(lib, "plugin_own_size");
	*(void **)&plugin_make = sym(lib, "plugin_make");
	*(void **)&plugin_read = sym(lib, "plugin_read");
	*(void **)&plugin_set_rate = sym(lib, "plugin_set_rate");

	expect(plugin_layout() != rs_Settings_layout(), "the plugin keeps its own record, not the host's");
	expect(plugin_own_size(), "the plugin's record describes the plugin's version");

	/* the host's value, read and written by the plugin */
	expect(plugin_read(mine, &rate, &channels, &latency) && rate == 48000 && channels == 2,
	       "the plugin reads the host's value");
#if defined(HAS_LATENCY)
	expect(latency == -1, "the plugin's version has no latency");
#else
	expect(latency == 0, "latency is absent from the host's value");
#endif
	expect(plugin_set_rate(mine, 96000) && *rs_Settings_rate_const(mine) == 96000,
	       "the plugin writes the host's value");
#ifdef HAS_LATENCY
	expect(*rs_Settings_latency_const(mine) == 0x0102030405060708u,
	       "the plugin leaves a field its version lacks alone");
#endif

	/* the plugin's value, read by the host */
	theirs = plugin_make();
	expect(theirs && rs_Settings_record(theirs) == plugin_layout(), "the plugin's value points at its record");
	expect(theirs && *rs_Settings_rate_const(theirs) == 44100 && *rs_Settings_channels_const(theirs) == 6,
	       "the host reads the plugin's value");
#ifdef HAS_LATENCY
	expect(theirs && rs_Settings_latency_const(theirs) == NULL && rs_Settings_latency(theirs) == NULL,
	       "latency is absent from the plugin's value");
#endif
	return failures != 0;
}
