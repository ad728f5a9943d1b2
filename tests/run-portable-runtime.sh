#!/usr/bin/env bash
# libchitin on compilers other than GCC's and Clang's GNU mode
# (runtime/src/atomics.h, doc/runtime.md 1 and 3):
#
#   - the atomics used on plain objects: no __atomic_ or __sync_ builtin in
#     the runtime's sources outside atomics.h;
#   - the C11 <stdatomic.h> path (CHITIN_ATOMICS_FORCE_C11, with $CC
#     -std=c11): libchitin built that way as a shared library, and
#     tests/portable/refcount.c linked with it, which counts references from
#     one thread and two, checks that an object two threads release is
#     destroyed once and after both threads' writes, and loads the plugin
#     of tests/cgen/loader from two threads at once (the loader's lock);
#   - the MSVC path: every source of libchitin compiled as MSVC sees it,
#     with clang --target=<arch>-pc-windows-msvc (which defines _MSC_VER
#     and not __GNUC__) for x64, x86, ARM64 and ARM, -Wall -Wextra -Werror
#     and the warnings configure uses.  The __atomic and __sync builtins
#     are poisoned there (clang would accept them in MSVC mode, MSVC would
#     not), and a probe checks that atomics.h chose the MSVC path.
#
# There are no MSVC headers here, and MinGW-w64's refuse MSVC mode, so the
# test writes stand-ins for the few the sources include (<windows.h>,
# <stdlib.h>, <string.h>, <stdio.h>, and <setjmp.h> and <malloc.h> for
# clang's <intrin.h>), declared as the Windows SDK and the UCRT declare
# them: what is checked is our code.  A source that starts using another
# system function needs its declaration added here.  <windows.h> also
# defines the macros of the real one that are known to break code (min,
# max, near, far, interface, small, ERROR, ...).  Without clang the MSVC
# part is skipped.
set -euo pipefail

me=run-portable-runtime
srcdir=${srcdir:-.}
top_builddir=${top_builddir:-.}
CHITIN=${CHITIN:-$top_builddir/chitin}
read -r -a cc <<<"${CC:-gcc}"
read -r -a san <<<"${SANITIZER_CFLAGS:-}"

. "$srcdir/tests/lib.sh"
lib_work

rt=$srcdir/runtime
sources=("$rt/src/runtime.c" "$rt/src/loader.c" "$rt/src/sha1.c" "$rt/src/descriptor.c" "$rt/src/compare.c")
warnings=(-Wall -Wextra -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wpointer-arith -Wcast-qual
	-Wwrite-strings -Wundef -Wformat=2 -Wvla -Wimplicit-fallthrough -Werror)

# ---- no GNU atomics outside atomics.h ------------------------------------------

if grep -n -E '__atomic_|__sync_' "${sources[@]}" "$rt"/include/chitin/*.h >"$work/grep.out"; then
	bad "the runtime's sources use __atomic_ or __sync_ only through atomics.h"
	show "$work/grep.out"
else
	ok "the runtime's sources use __atomic_ or __sync_ only through atomics.h"
fi

# ---- the C11 path --------------------------------------------------------------

c11=("${cc[@]}" -std=c11 -DCHITIN_ATOMICS_FORCE_C11 "${warnings[@]}" -I "$rt/include" -I "$rt/src")
mkdir -p "$work/c11" "$work/lm"
if ! run_limited "${c11[@]}" "${san[@]}" -O2 -fPIC -shared -fvisibility=hidden -pthread "${sources[@]}" \
	-o "$work/c11/libchitin.so" -ldl >"$work/c11/build.err" 2>&1; then
	bad "C11 atomics: libchitin builds with -std=c11 -DCHITIN_ATOMICS_FORCE_C11"
	show "$work/c11/build.err"
else
	ok "C11 atomics: libchitin builds with -std=c11 -DCHITIN_ATOMICS_FORCE_C11"
	dir=$srcdir/tests/cgen/loader
	libs=(-L "$work/c11" -lchitin "-Wl,-rpath,$work/c11")
	if ! "$CHITIN" gen --c --desc-c -o "$work/lm" "$dir/lm.idl" >"$work/lm/gen.err" 2>&1; then
		bad "C11 atomics: chitin gen lm.idl"
		show "$work/lm/gen.err"
	elif ! run_limited "${cc[@]}" -std=c11 "${warnings[@]}" -I "$rt/include" -I "$work/lm" -fPIC -shared \
		-fvisibility=hidden -DLM_IMPLEMENTATION "$dir/plugin.c" "$work/lm/lm_desc.c" \
		-o "$work/lm/plugin.so" "${libs[@]}" >"$work/lm/plugin.err" 2>&1; then
		bad "C11 atomics: the plugin builds"
		show "$work/lm/plugin.err"
	elif ! run_limited "${c11[@]}" "${san[@]}" -pthread -I "$work/lm" "$srcdir/tests/portable/refcount.c" \
		"$work/lm/lm_desc.c" -o "$work/c11/refcount" "${libs[@]}" >"$work/c11/refcount.err" 2>&1; then
		bad "C11 atomics: tests/portable/refcount.c builds"
		show "$work/c11/refcount.err"
	else
		status=0
		run_limited "$work/c11/refcount" "$work/lm/plugin.so" >"$work/c11/refcount.out" 2>&1 || status=$?
		while read -r word what; do
			case $word in
			ok) ok "C11 atomics: $what" ;;
			FAIL) bad "C11 atomics: $what" ;;
			esac
		done <"$work/c11/refcount.out"
		if [ "$status" != 0 ] && ! grep -q '^FAIL ' "$work/c11/refcount.out"; then
			bad "C11 atomics: refcount exits $status"
			show "$work/c11/refcount.out"
		fi
	fi
fi

# ---- the MSVC path -------------------------------------------------------------

if ! command -v clang >/dev/null 2>&1; then
	echo "skip the MSVC-mode compiles: no clang"
	lib_summary
	exit
fi
resource=$(clang -print-file-name=include)
stubs=$work/msvc-include
mkdir -p "$stubs"

cat >"$stubs/corecrt_malloc.h" <<'EOF'
/* stand-in: the UCRT's allocation functions */
#pragma once
#include <stddef.h>
__declspec(dllimport) void *__cdecl malloc(size_t _Size);
__declspec(dllimport) void *__cdecl calloc(size_t _Count, size_t _Size);
__declspec(dllimport) void *__cdecl realloc(void *_Block, size_t _Size);
__declspec(dllimport) void __cdecl free(void *_Block);
__declspec(dllimport) void *__cdecl _aligned_malloc(size_t _Size, size_t _Alignment);
__declspec(dllimport) void __cdecl _aligned_free(void *_Block);
EOF
cat >"$stubs/malloc.h" <<'EOF'
/* stand-in: the UCRT's <malloc.h> */
#pragma once
#include <corecrt_malloc.h>
EOF
cat >"$stubs/stdlib.h" <<'EOF'
/* stand-in: the UCRT's <stdlib.h>, which has _aligned_malloc too */
#pragma once
#include <stddef.h>
#include <corecrt_malloc.h>
#define EXIT_SUCCESS 0
#define EXIT_FAILURE 1
__declspec(dllimport) __declspec(noreturn) void __cdecl abort(void);
__declspec(dllimport) __declspec(noreturn) void __cdecl exit(int _Code);
__declspec(dllimport) char *__cdecl getenv(const char *_VarName);
__declspec(dllimport) int __cdecl atoi(const char *_String);
__declspec(dllimport) unsigned long __cdecl strtoul(const char *_String, char **_EndPtr, int _Radix);
__declspec(dllimport) void __cdecl qsort(void *_Base, size_t _NumOfElements, size_t _SizeOfElements,
					 int(__cdecl *_CompareFunction)(const void *, const void *));
EOF
cat >"$stubs/string.h" <<'EOF'
/* stand-in: the UCRT's <string.h>, the C standard's functions */
#pragma once
#include <stddef.h>
void *__cdecl memcpy(void *_Dst, const void *_Src, size_t _Size);
void *__cdecl memmove(void *_Dst, const void *_Src, size_t _Size);
int __cdecl memcmp(const void *_Buf1, const void *_Buf2, size_t _Size);
void *__cdecl memchr(const void *_Buf, int _Val, size_t _MaxCount);
void *__cdecl memset(void *_Dst, int _Val, size_t _Size);
char *__cdecl strcpy(char *_Dest, const char *_Source);
char *__cdecl strncpy(char *_Dest, const char *_Source, size_t _Count);
char *__cdecl strcat(char *_Dest, const char *_Source);
char *__cdecl strncat(char *_Dest, const char *_Source, size_t _Count);
int __cdecl strcmp(const char *_Str1, const char *_Str2);
int __cdecl strncmp(const char *_Str1, const char *_Str2, size_t _MaxCount);
char *__cdecl strchr(const char *_Str, int _Val);
char *__cdecl strrchr(const char *_Str, int _Ch);
char *__cdecl strstr(const char *_Str, const char *_SubStr);
size_t __cdecl strspn(const char *_Str, const char *_Control);
size_t __cdecl strcspn(const char *_Str, const char *_Control);
char *__cdecl strerror(int _ErrorMessage);
size_t __cdecl strlen(const char *_Str);
EOF
cat >"$stubs/stdio.h" <<'EOF'
/* stand-in: the UCRT's <stdio.h> */
#pragma once
#include <stdarg.h>
#include <stddef.h>
typedef struct _iobuf { void *_Placeholder; } FILE;
__declspec(dllimport) FILE *__cdecl __acrt_iob_func(unsigned _Ix);
#define stdin (__acrt_iob_func(0))
#define stdout (__acrt_iob_func(1))
#define stderr (__acrt_iob_func(2))
int __cdecl snprintf(char *_Buffer, size_t _BufferCount, const char *_Format, ...);
int __cdecl vsnprintf(char *_Buffer, size_t _BufferCount, const char *_Format, va_list _ArgList);
int __cdecl printf(const char *_Format, ...);
int __cdecl fprintf(FILE *_Stream, const char *_Format, ...);
__declspec(dllimport) int __cdecl fputs(const char *_Buffer, FILE *_Stream);
__declspec(dllimport) size_t __cdecl fwrite(const void *_Buffer, size_t _ElementSize, size_t _ElementCount,
					    FILE *_Stream);
EOF
cat >"$stubs/setjmp.h" <<'EOF'
/* stand-in: the UCRT's <setjmp.h>, which clang's <intrin.h> includes */
#pragma once
typedef struct _JUMP_BUFFER_ { unsigned __int64 _Part[16]; } _JBTYPE;
typedef _JBTYPE jmp_buf[1];
EOF
cat >"$stubs/windows.h" <<'EOF'
/* stand-in: the Windows SDK's <windows.h>, as far as libchitin uses it */
#pragma once
#include <stdarg.h>
#include <stddef.h>
#define WINAPI __stdcall
#define WINBASEAPI __declspec(dllimport)
#define WINUSERAPI __declspec(dllimport)
typedef unsigned long DWORD;
typedef int BOOL;
typedef unsigned int UINT;
typedef unsigned short WORD;
typedef void *HANDLE;
typedef void *PVOID, *LPVOID;
typedef const void *LPCVOID;
#if defined(_WIN64)
typedef __int64 INT_PTR;
typedef unsigned __int64 ULONG_PTR;
#else
typedef int INT_PTR;
typedef unsigned long ULONG_PTR;
#endif
typedef ULONG_PTR SIZE_T;
typedef char CHAR;
typedef CHAR *LPSTR;
typedef const CHAR *LPCSTR, *LPCCH;
typedef wchar_t WCHAR;
typedef WCHAR *LPWSTR;
typedef const WCHAR *LPCWSTR;
typedef struct HINSTANCE__ { int unused; } *HINSTANCE;
typedef HINSTANCE HMODULE;
typedef INT_PTR(WINAPI *FARPROC)();
typedef struct _MEMORY_BASIC_INFORMATION {
	PVOID BaseAddress;
	PVOID AllocationBase;
	DWORD AllocationProtect;
#if defined(_WIN64)
	WORD PartitionId;
#endif
	SIZE_T RegionSize;
	DWORD State;
	DWORD Protect;
	DWORD Type;
} MEMORY_BASIC_INFORMATION, *PMEMORY_BASIC_INFORMATION;
typedef unsigned char byte;
typedef unsigned char boolean;
#define TRUE 1
#define FALSE 0
#define MEM_COMMIT 0x00001000
#define CP_UTF8 65001
#define MB_ERR_INVALID_CHARS 0x00000008
#define LOAD_WITH_ALTERED_SEARCH_PATH 0x00000008
#define FORMAT_MESSAGE_IGNORE_INSERTS 0x00000200
#define FORMAT_MESSAGE_FROM_SYSTEM 0x00001000
/* what the real one defines and code trips over */
#define min(a, b) (((a) < (b)) ? (a) : (b))
#define max(a, b) (((a) > (b)) ? (a) : (b))
#define near
#define far
#define FAR
#define IN
#define OUT
#define OPTIONAL
#define CONST const
#define interface struct
#define small char
#define hyper __int64
#define ERROR 0
#define DELETE (0x00010000L)
#define VOID void
WINBASEAPI HMODULE WINAPI LoadLibraryExW(LPCWSTR lpLibFileName, HANDLE hFile, DWORD dwFlags);
WINBASEAPI FARPROC WINAPI GetProcAddress(HMODULE hModule, LPCSTR lpProcName);
WINBASEAPI BOOL WINAPI FreeLibrary(HMODULE hLibModule);
WINBASEAPI DWORD WINAPI GetLastError(void);
WINBASEAPI DWORD WINAPI FormatMessageA(DWORD dwFlags, LPCVOID lpSource, DWORD dwMessageId, DWORD dwLanguageId,
				       LPSTR lpBuffer, DWORD nSize, va_list *Arguments);
WINBASEAPI int WINAPI MultiByteToWideChar(UINT CodePage, DWORD dwFlags, LPCCH lpMultiByteStr, int cbMultiByte,
					  LPWSTR lpWideCharStr, int cchWideChar);
WINBASEAPI DWORD WINAPI GetFullPathNameW(LPCWSTR lpFileName, DWORD nBufferLength, LPWSTR lpBuffer,
					 LPWSTR *lpFilePart);
WINBASEAPI SIZE_T WINAPI VirtualQuery(LPCVOID lpAddress, PMEMORY_BASIC_INFORMATION lpBuffer, SIZE_T dwLength);
EOF
# MSVC has no GNU atomics; clang has them in every mode, so stop it here.
{
	printf '#pragma GCC poison'
	for op in load load_n store store_n exchange exchange_n compare_exchange compare_exchange_n \
		fetch_add fetch_sub fetch_and fetch_or fetch_xor fetch_nand add_fetch sub_fetch and_fetch \
		or_fetch xor_fetch nand_fetch test_and_set clear thread_fence signal_fence \
		always_lock_free is_lock_free; do
		printf ' __atomic_%s' "$op"
	done
	for op in fetch_and_add fetch_and_sub fetch_and_or fetch_and_and fetch_and_xor fetch_and_nand \
		add_and_fetch sub_and_fetch or_and_fetch and_and_fetch xor_and_fetch nand_and_fetch \
		bool_compare_and_swap val_compare_and_swap lock_test_and_set lock_release synchronize; do
		printf ' __sync_%s' "$op"
	done
	printf '\n'
} >"$work/no-gnu-atomics.h"
cat >"$work/probe.c" <<'EOF'
/* atomics.h chose the MSVC path, and each of its functions compiles. */
#include "atomics.h"
#if CHITIN_ATOMICS_IMPL != CHITIN_ATOMICS_MSVC
#error "atomics.h did not choose the MSVC path"
#endif
uint32_t probe(uint32_t *p);
uint32_t
probe(uint32_t *p)
{
	uint32_t v = chitin_atomic_load_relaxed(p);
	chitin_atomic_store_relaxed(p, v + 1);
	v += chitin_atomic_fetch_add_relaxed(p, 1);
	v += chitin_atomic_fetch_sub_release(p, 1);
	chitin_atomic_fence_acquire();
	v += chitin_atomic_exchange_acquire(p, 1);
	chitin_atomic_store_release(p, 0);
	return v;
}
EOF

for triple in x86_64-pc-windows-msvc i686-pc-windows-msvc aarch64-pc-windows-msvc thumbv7-pc-windows-msvc; do
	msvc=(clang --target="$triple" -fms-compatibility -fms-extensions -std=c11 -O2 "${warnings[@]}"
		-nostdinc -isystem "$stubs" -isystem "$resource" -include "$work/no-gnu-atomics.h"
		-I "$rt/include" -I "$rt/src")
	# an object where clang has the target's backend, else the syntax only
	mode=(-c)
	if ! clang --target="$triple" -c -x c /dev/null -o "$work/empty.obj" >/dev/null 2>&1; then
		mode=(-fsyntax-only)
		echo "note: clang cannot make $triple objects; checking the syntax only"
	fi
	for src in "$work/probe.c" "${sources[@]}"; do
		name=${src##*/}
		if run_limited "${msvc[@]}" "${mode[@]}" "$src" -o "$work/$triple-${name%.c}.obj" \
			>"$work/$triple-$name.err" 2>&1; then
			ok "MSVC mode ($triple): $name"
		else
			bad "MSVC mode ($triple): $name"
			show "$work/$triple-$name.err"
		fi
	done
done

lib_summary
