/* chitin's spelling of C's and Rust's type names (doc/idl.md 10). */
#include <config.h>

#include "spelling.h"

#include <stdio.h>
#include <string.h>

bool
spell_c_words(const char *name, const char **exact, char *why, size_t size)
{
	enum { W_UNSIGNED, W_SIGNED, W_LONG, W_SHORT, W_INT, W_CHAR, W_FLOAT, W_DOUBLE, W_COUNT };
	static const char *const words[W_COUNT] = {
		"unsigned", "signed", "long", "short", "int", "char", "float", "double",
	};
	unsigned n[W_COUNT] = { 0 }, w;
	const char *p = name, *spelling;
	bool is_unsigned;
	while (*p) {
		size_t len = strcspn(p, " ");
		for (w = 0; w < W_COUNT; w++)
			if (strlen(words[w]) == len && strncmp(p, words[w], len) == 0)
				break;
		if (w == W_COUNT)
			return false;
		n[w]++;
		p += len;
		p += *p == ' ';
	}
	is_unsigned = n[W_UNSIGNED] != 0;
	if (n[W_UNSIGNED] + n[W_SIGNED] > 1 || n[W_INT] > 1 || n[W_CHAR] > 1 || n[W_SHORT] > 1 ||
	    n[W_FLOAT] > 1 || n[W_DOUBLE] > 1 || n[W_LONG] > 2 || (n[W_SHORT] && n[W_LONG]))
		return false;
	*exact = NULL;
	if (n[W_FLOAT] || n[W_DOUBLE]) {
		/* float and double take no other word but double's long */
		if (n[W_UNSIGNED] + n[W_SIGNED] + n[W_SHORT] + n[W_INT] + n[W_CHAR] ||
		    n[W_FLOAT] + n[W_DOUBLE] > 1 || (n[W_FLOAT] && n[W_LONG]) || n[W_LONG] > 1)
			return false;
		if (n[W_LONG]) {
			snprintf(why, size, "its size and format differ between targets, and chitin has no such type: write 'f64'");
			return true;
		}
		spelling = n[W_FLOAT] ? "f32" : "f64";
	} else if (n[W_CHAR]) {
		if (n[W_SHORT] + n[W_LONG] + n[W_INT])
			return false;
		/* a plain char is a byte of text */
		spelling = n[W_SIGNED] ? "i8" : "u8";
	} else if (n[W_SHORT]) {
		spelling = is_unsigned ? "u16" : "i16";
	} else if (n[W_LONG] == 1) {
		snprintf(why, size, "it is 32 bits on Windows and on 32-bit targets, 64 elsewhere: chitin spells it '%s' or '%s'",
			 is_unsigned ? "u32" : "i32", is_unsigned ? "u64" : "i64");
		return true;
	} else if (n[W_LONG] == 2) {
		spelling = is_unsigned ? "u64" : "i64";
	} else {
		spelling = is_unsigned ? "u32" : "i32";
	}
	*exact = spelling;
	snprintf(why, size, "chitin spells it '%s'", spelling);
	return true;
}

bool
spell_type_name(const char *name, const char **spelling)
{
	static const char *const names[][2] = {
		{ "i128", NULL }, { "u128", NULL },
		{ "size_t", "usize" }, { "ssize_t", "isize" },
		{ "int8_t", "i8" }, { "int16_t", "i16" }, { "int32_t", "i32" },
		{ "int64_t", "i64" }, { "uint8_t", "u8" }, { "uint16_t", "u16" },
		{ "uint32_t", "u32" }, { "uint64_t", "u64" }, { "String", "string" },
		{ "Vec", "vec" }, { "Option", "option" }, { "Result", "result" },
		{ "_Bool", "bool" },
	};
	size_t i;
	for (i = 0; i < sizeof names / sizeof *names; i++) {
		if (strcmp(name, names[i][0]) == 0) {
			*spelling = names[i][1];
			return true;
		}
	}
	return false;
}
