/* The target table.  Alignments are those of each C compiler inside a
 * struct (the only place chitin's types live), which is also Rust's
 * repr(C): on i686 Linux an 8-byte scalar is 4-aligned there. */
#include "target.h"

#include <string.h>

#define MAX32 ((uint64_t)INT32_MAX)
#define MAX64 ((uint64_t)INT64_MAX)

const struct target targets[TARGET_COUNT] = {
	{ "x86_64-linux", "x86_64-linux-gnu", "x86_64-unknown-linux-gnu",
	  "defined(__x86_64__) && defined(__LP64__) && defined(__linux__)",
	  "all(target_arch = \"x86_64\", target_pointer_width = \"64\", target_os = \"linux\")",
	  8, 8, MAX64 },
	{ "aarch64-linux", "aarch64-linux-gnu", "aarch64-unknown-linux-gnu",
	  "defined(__aarch64__) && defined(__LP64__) && defined(__linux__)",
	  "all(target_arch = \"aarch64\", target_pointer_width = \"64\", target_os = \"linux\")",
	  8, 8, MAX64 },
	{ "x86_64-windows", "x86_64-windows-msvc", "x86_64-pc-windows-msvc",
	  "(defined(_M_X64) || defined(__x86_64__)) && defined(_WIN64)",
	  "all(target_arch = \"x86_64\", target_os = \"windows\")",
	  8, 8, MAX64 },
	{ "i686-linux", "i686-linux-gnu", "i686-unknown-linux-gnu",
	  "defined(__i386__) && defined(__linux__)",
	  "all(target_arch = \"x86\", target_os = \"linux\")",
	  4, 4, MAX32 },
	{ "i686-windows", "i686-windows-msvc", "i686-pc-windows-msvc",
	  "(defined(_M_IX86) || defined(__i386__)) && defined(_WIN32) && !defined(_WIN64)",
	  "all(target_arch = \"x86\", target_os = \"windows\")",
	  4, 8, MAX32 },
	{ "armv7-linux", "armv7-linux-gnueabihf", "armv7-unknown-linux-gnueabihf",
	  "defined(__arm__) && defined(__ARM_PCS_VFP) && defined(__linux__)",
	  "all(target_arch = \"arm\", target_os = \"linux\")",
	  4, 8, MAX32 },
	{ "riscv64-linux", "riscv64-linux-gnu", "riscv64gc-unknown-linux-gnu",
	  "defined(__riscv) && __riscv_xlen == 64 && defined(__linux__)",
	  "all(target_arch = \"riscv64\", target_os = \"linux\")",
	  8, 8, MAX64 },
	{ "aarch64-macos", "aarch64-apple-darwin", "aarch64-apple-darwin",
	  "defined(__aarch64__) && defined(__APPLE__)",
	  "all(target_arch = \"aarch64\", target_os = \"macos\")",
	  8, 8, MAX64 },
	{ "x86_64-macos", "x86_64-apple-darwin", "x86_64-apple-darwin",
	  "defined(__x86_64__) && defined(__APPLE__)",
	  "all(target_arch = \"x86_64\", target_os = \"macos\")",
	  8, 8, MAX64 },
	{ "wasm32-wasi", "wasm32-wasi", "wasm32-wasi",
	  "defined(__wasm32__) && defined(__wasi__)",
	  "all(target_arch = \"wasm32\", target_os = \"wasi\")",
	  4, 8, MAX32 },
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
