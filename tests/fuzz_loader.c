/* libFuzzer target for the loader's check of a plugin (doc/abi.md 8.5):
 * an input is a host's descriptor and a plugin's, as
 *     [u32 little-endian n][n bytes: the host's blob][the plugin's blob]
 * and the plugin's blob, in memory of exactly its size, goes through
 * chitin_module_check as a loaded library's entry would: whatever its
 * bytes, the check refuses it or accepts it, never reading past it, and
 * its report formats.  Build and run with libFuzzer:
 *   clang -g -fsanitize=fuzzer,address,undefined -Iruntime/include \
 *       runtime/src/[a-z]*.c tests/fuzz_loader.c -o fuzz_loader
 * or, without libFuzzer, through tests/fuzz_run.c (make check does). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "chitin/runtime.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	/* an exports table that says it is 64 bytes long, of null entries */
	static const uint32_t table[16] = { 64 };
	chitin_module entry;
	chitin_load_error *err;
	const void *exports;
	size_t n, host_size, plugin_size;
	uint8_t *host, *plugin;
	char text[8192];

	if (size < 4)
		return 0;
	n = (size_t)data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16 | (size_t)data[3] << 24;
	if (n > size - 4)
		return 0;
	/* the host's own descriptor is trusted: only a sound one is used */
	if (chitin_desc_probe(data + 4, n, &host_size) != CHITIN_DESC_OK)
		return 0;
	host = (uint8_t *)malloc(host_size ? host_size : 1);
	plugin_size = size - 4 - n;
	plugin = (uint8_t *)malloc(plugin_size ? plugin_size : 1);
	if (!host || !plugin)
		abort();
	memcpy(host, data + 4, host_size);
	memcpy(plugin, data + 4 + n, plugin_size);
	entry.descriptor = plugin;
	entry.exports = table;
	if (chitin_module_check(&entry, plugin_size, host, 0, &exports, &err) == CHITIN_OK) {
		if (exports != table || err)
			abort();
	} else if (!err || chitin_load_error_reason(err) == CHITIN_LOAD_OK || exports) {
		abort();
	}
	chitin_load_error_format(err, text, sizeof text);
	chitin_load_error_free(err);
	free(host);
	free(plugin);
	return 0;
}
