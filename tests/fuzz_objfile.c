/* Fuzz target for `chitin inspect`'s whole path: any bytes, read as an
 * object file (compiler/objfile.c) and listed as text and as JSON
 * (compiler/inspect.c), give sections inside the file or an error with
 * a message, an exit status of 0 or 1 (1 with a message), and JSON that
 * parses.  make check runs it on built binaries and changed copies of
 * them through tests/fuzz_run.c (tests/run-inspect.sh); with libFuzzer:
 *   clang -g -fsanitize=fuzzer,address,undefined -I. -Icompiler \
 *       -Iruntime/include tests/fuzz_objfile.c compiler/objfile.c \
 *       compiler/inspect.c compiler/describe.c ... -o fuzz_objfile
 * or, simpler, link it with libchitinc.la as the Makefile does. */
#include "arena.h"
#include "inspect.h"
#include "jsonread.h"
#include "objfile.h"
#include "outbuf.h"

#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct obj_file f;
	struct insp_options o;
	char why[256] = "";
	uint32_t i;
	int json;

	if (obj_read(data, size, &f, why, sizeof why)) {
		for (i = 0; i < f.n_sections; i++)
			if (f.sections[i].offset > size || f.sections[i].size > size - f.sections[i].offset ||
			    f.sections[i].data != data + f.sections[i].offset)
				abort();
	} else if (!why[0]) {
		abort();
	}
	obj_free(&f);
	memset(&o, 0, sizeof o);
	o.file_name = "fuzz";
	for (json = 0; json < 2; json++) {
		struct outbuf out, err;
		int status;
		o.json = json;
		ob_init(&out);
		ob_init(&err);
		status = insp_file(data, size, &o, &out, &err);
		if ((status != 0 && status != 1) || (status == 1 && !err.len) || (status == 0 && !out.len))
			abort();
		if (json && out.len) {
			struct arena arena;
			arena_init(&arena);
			if (!json_parse(&arena, out.data, out.len, why, sizeof why))
				abort();
			arena_free(&arena);
		}
		ob_free(&out);
		ob_free(&err);
	}
	return 0;
}
