/* The targets chitin lays types out for (doc/abi.md 1.3): one row each in
 * CHITIN_TARGETS, the list everything else derives from — the table
 * below, the help text, `chitin targets` and through it the test
 * scripts.  Adding a target is adding a row. */
#ifndef CHITIN_TARGET_H
#define CHITIN_TARGET_H

#include <stdint.h>

struct target {
	const char *name;          /* chitin's name: "x86_64-linux" */
	const char *clang_triple;  /* the layout oracle in the tests */
	const char *rust_target;
	const char *c_guard;       /* exact preprocessor condition: true for this
				    * target alone, its pointer width, byte order,
				    * float ABI and OS named (doc/abi.md 1.3) */
	const char *rust_cfg;      /* exact cfg(...) predicate */
	unsigned pointer_size;     /* = alignment; usize, isize, pointers */
	unsigned align_8byte;      /* alignment of i64, u64, f64 in a struct */
	uint64_t max_object_size;  /* largest object the target can hold */
};

#define TARGET_MAX32 ((uint64_t)INT32_MAX)
#define TARGET_MAX64 ((uint64_t)INT64_MAX)

/* X(ID, designated fields of struct target).  Alignments are those of
 * each C compiler inside a struct (the only place chitin's types live),
 * which is also Rust's repr(C): on i686 Linux an 8-byte scalar is
 * 4-aligned there. */
#define CHITIN_TARGETS(X)                                                          \
	X(X86_64_LINUX, .name = "x86_64-linux", .clang_triple = "x86_64-linux-gnu",  \
	  .rust_target = "x86_64-unknown-linux-gnu",                                  \
	  .c_guard = "defined(__x86_64__) && defined(__LP64__) && defined(__linux__)", \
	  .rust_cfg = "all(target_arch = \"x86_64\", target_pointer_width = \"64\", target_os = \"linux\")", \
	  .pointer_size = 8, .align_8byte = 8, .max_object_size = TARGET_MAX64)      \
	X(AARCH64_LINUX, .name = "aarch64-linux", .clang_triple = "aarch64-linux-gnu", \
	  .rust_target = "aarch64-unknown-linux-gnu",                                 \
	  .c_guard = "defined(__aarch64__) && defined(__LP64__) && defined(__AARCH64EL__) && defined(__linux__)", \
	  .rust_cfg = "all(target_arch = \"aarch64\", target_pointer_width = \"64\", target_os = \"linux\")", \
	  .pointer_size = 8, .align_8byte = 8, .max_object_size = TARGET_MAX64)      \
	X(X86_64_WINDOWS, .name = "x86_64-windows", .clang_triple = "x86_64-windows-msvc", \
	  .rust_target = "x86_64-pc-windows-msvc",                                    \
	  .c_guard = "(defined(_M_X64) || defined(__x86_64__)) && defined(_WIN64)",  \
	  .rust_cfg = "all(target_arch = \"x86_64\", target_os = \"windows\")",       \
	  .pointer_size = 8, .align_8byte = 8, .max_object_size = TARGET_MAX64)      \
	X(I686_LINUX, .name = "i686-linux", .clang_triple = "i686-linux-gnu",        \
	  .rust_target = "i686-unknown-linux-gnu",                                    \
	  .c_guard = "defined(__i386__) && defined(__linux__)",                       \
	  .rust_cfg = "all(target_arch = \"x86\", target_os = \"linux\")",            \
	  .pointer_size = 4, .align_8byte = 4, .max_object_size = TARGET_MAX32)      \
	X(I686_WINDOWS, .name = "i686-windows", .clang_triple = "i686-windows-msvc", \
	  .rust_target = "i686-pc-windows-msvc",                                      \
	  .c_guard = "(defined(_M_IX86) || defined(__i386__)) && defined(_WIN32) && !defined(_WIN64)", \
	  .rust_cfg = "all(target_arch = \"x86\", target_os = \"windows\")",          \
	  .pointer_size = 4, .align_8byte = 8, .max_object_size = TARGET_MAX32)      \
	X(ARMV7_LINUX, .name = "armv7-linux", .clang_triple = "armv7-linux-gnueabihf", \
	  .rust_target = "armv7-unknown-linux-gnueabihf",                             \
	  .c_guard = "defined(__arm__) && defined(__ARM_PCS_VFP) && defined(__ARMEL__) && defined(__linux__)", \
	  .rust_cfg = "all(target_arch = \"arm\", target_os = \"linux\")",            \
	  .pointer_size = 4, .align_8byte = 8, .max_object_size = TARGET_MAX32)      \
	X(RISCV64_LINUX, .name = "riscv64-linux", .clang_triple = "riscv64-linux-gnu", \
	  .rust_target = "riscv64gc-unknown-linux-gnu",                               \
	  .c_guard = "defined(__riscv) && __riscv_xlen == 64 && defined(__riscv_float_abi_double) && defined(__linux__)",  \
	  .rust_cfg = "all(target_arch = \"riscv64\", target_os = \"linux\")",        \
	  .pointer_size = 8, .align_8byte = 8, .max_object_size = TARGET_MAX64)      \
	X(AARCH64_MACOS, .name = "aarch64-macos", .clang_triple = "aarch64-apple-macos11",  \
	  .rust_target = "aarch64-apple-darwin",                                      \
	  .c_guard = "defined(__aarch64__) && defined(__LP64__) && defined(__APPLE__) && defined(__ENVIRONMENT_MAC_OS_X_VERSION_MIN_REQUIRED__)",                    \
	  .rust_cfg = "all(target_arch = \"aarch64\", target_os = \"macos\")",        \
	  .pointer_size = 8, .align_8byte = 8, .max_object_size = TARGET_MAX64)      \
	X(X86_64_MACOS, .name = "x86_64-macos", .clang_triple = "x86_64-apple-darwin", \
	  .rust_target = "x86_64-apple-darwin",                                       \
	  .c_guard = "defined(__x86_64__) && defined(__LP64__) && defined(__APPLE__) && defined(__ENVIRONMENT_MAC_OS_X_VERSION_MIN_REQUIRED__)",                     \
	  .rust_cfg = "all(target_arch = \"x86_64\", target_os = \"macos\")",         \
	  .pointer_size = 8, .align_8byte = 8, .max_object_size = TARGET_MAX64)      \
	X(WASM32_WASI, .name = "wasm32-wasi", .clang_triple = "wasm32-wasi",         \
	  .rust_target = "wasm32-wasi",                                               \
	  .c_guard = "defined(__wasm32__) && defined(__wasi__)",                      \
	  .rust_cfg = "all(target_arch = \"wasm32\", target_os = \"wasi\")",          \
	  .pointer_size = 4, .align_8byte = 8, .max_object_size = TARGET_MAX32)

enum target_id {
#define TARGET_ENUM_(id, ...) TARGET_##id,
	CHITIN_TARGETS(TARGET_ENUM_)
#undef TARGET_ENUM_
	TARGET_COUNT
};

/* Every target's bit, for target masks. */
#define TARGET_ALL ((1u << TARGET_COUNT) - 1)

extern const struct target targets[TARGET_COUNT];

/* The index of the target named name, or -1. */
int target_find(const char *name);

#endif
