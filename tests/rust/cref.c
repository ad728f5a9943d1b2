/* The C side of tests/run-rust-runtime.sh: what libchitin and the C
 * compiler say, printed in the form tests/rust/rref.rs prints what the
 * Rust crate says, so that the script compares the two outputs byte for
 * byte.
 *
 *   cref layout            sizes, alignments and offsets of chitin.h's types
 *                          and of results from the generated rl.h
 *   cref texts             status texts, descriptor statuses, problem
 *                          sentences, item kinds, constants
 *   cref dump FILE...      each blob decoded, every value
 *   cref pairs FILE...     the report of every ordered pair, required
 *                          minor 0 and 1
 *   cref fuzz SEED N FILE...  N changed copies of the blobs: each decoded,
 *                          and compared with its original both ways
 *   cref write OUT         the blob of the descriptor linked in (built
 *                          with -DDESC=chitin_own_descriptor_<m>) into OUT */
#include <chitin/chitin.h>
#include <chitin/descriptor.h>
#include <chitin/runtime.h>

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#ifdef LAYOUT
#include "rl.h"
#endif

static void *
xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (!p) {
		fprintf(stderr, "cref: out of memory\n");
		exit(2);
	}
	return p;
}

/* ---- layout ------------------------------------------------------------ */

#define TYPE(name, T) printf("%s %zu %zu\n", name, sizeof(T), (size_t)_Alignof(T))
#define FIELD(name, T, f) printf("%s.%s %zu\n", name, #f, offsetof(T, f))

static void
layout(void)
{
	TYPE("TypeId", chitin_typeid);
	FIELD("TypeId", chitin_typeid, bytes);
	TYPE("VtableHeader", chitin_vtable_header);
	FIELD("VtableHeader", chitin_vtable_header, size);
	FIELD("VtableHeader", chitin_vtable_header, flags);
	FIELD("VtableHeader", chitin_vtable_header, iid);
	FIELD("VtableHeader", chitin_vtable_header, query);
	FIELD("VtableHeader", chitin_vtable_header, retain);
	FIELD("VtableHeader", chitin_vtable_header, release);
	TYPE("Object", chitin_object);
	FIELD("Object", chitin_object, vtbl);
	TYPE("Module", chitin_module);
	FIELD("Module", chitin_module, descriptor);
	FIELD("Module", chitin_module, exports);
	TYPE("LayoutRecord", chitin_layout_record);
	FIELD("LayoutRecord", chitin_layout_record, size);
	FIELD("LayoutRecord", chitin_layout_record, align);
	FIELD("LayoutRecord", chitin_layout_record, field_count);
	TYPE("Status", chitin_status);
	TYPE("Bool", bool);
	TYPE("OptionBool", chitin_option_bool);
	TYPE("RawStr", chitin_str);
	FIELD("RawStr", chitin_str, ptr);
	FIELD("RawStr", chitin_str, len);
	TYPE("RawString", chitin_string);
	FIELD("RawString", chitin_string, ptr);
	FIELD("RawString", chitin_string, len);
	FIELD("RawString", chitin_string, cap);
	FIELD("RawString", chitin_string, release);
#define BUFFERS(P, T)                                                   \
	TYPE("RawSliceMut<" #P ">", chitin_slice_##P);                  \
	FIELD("RawSliceMut<" #P ">", chitin_slice_##P, ptr);            \
	FIELD("RawSliceMut<" #P ">", chitin_slice_##P, len);            \
	TYPE("RawSlice<" #P ">", chitin_slice_const_##P);               \
	FIELD("RawSlice<" #P ">", chitin_slice_const_##P, ptr);         \
	FIELD("RawSlice<" #P ">", chitin_slice_const_##P, len);         \
	TYPE("RawVec<" #P ">", chitin_vec_##P);                         \
	FIELD("RawVec<" #P ">", chitin_vec_##P, ptr);                   \
	FIELD("RawVec<" #P ">", chitin_vec_##P, len);                   \
	FIELD("RawVec<" #P ">", chitin_vec_##P, cap);                   \
	FIELD("RawVec<" #P ">", chitin_vec_##P, release);
#define OPTIONS(P, T)                                                   \
	TYPE("RawOption<" #P ">", chitin_option_##P);                   \
	FIELD("RawOption<" #P ">", chitin_option_##P, tag);             \
	FIELD("RawOption<" #P ">", chitin_option_##P, value);
	CHITIN_PRIMITIVES(BUFFERS)
	BUFFERS(bool, bool)
	CHITIN_PRIMITIVES(OPTIONS)
#ifdef LAYOUT
#define RESULT(name, T)                                                 \
	TYPE(name, T);                                                  \
	FIELD(name, T, tag);                                            \
	printf("%s.u %zu\n", name, offsetof(T, u))
#define RESULT_VOID(name, T)                                            \
	TYPE(name, T);                                                  \
	FIELD(name, T, tag)
	RESULT("RawResult<u32,string>", chitin_result_u32_string);
	RESULT("RawResult<void,i64>", chitin_result_void_i64);
	RESULT_VOID("RawResult<void,void>", chitin_result_void_void);
	RESULT("RawResult<u8,void>", chitin_result_u8_void);
	RESULT("RawResult<u64,typeid>", chitin_result_u64_typeid);
	RESULT("RawResult<vec_u16,str>", chitin_result_vec_u16_str);
#endif
}

/* ---- texts ------------------------------------------------------------- */

static const char *const problem_names[] = {
#define NAME_(name, sentence) #name,
	CHITIN_DESC_PROBLEMS(NAME_)
#undef NAME_
};

static const char *const problem_sentences[] = {
#define SENTENCE_(name, sentence) sentence,
	CHITIN_DESC_PROBLEMS(SENTENCE_)
#undef SENTENCE_
};

static void
texts(void)
{
	static const chitin_typeid object = CHITIN_OBJECT_IID;
	char id[CHITIN_TYPEID_TEXT];
	int i;

	for (i = -1; i <= 7; i++)
		printf("status %d %s\n", i, chitin_status_text(i));
	for (i = CHITIN_DESC_TRUNCATED; i <= CHITIN_DESC_CORRUPT; i++)
		printf("desc_status %d %s\n", i, chitin_desc_status_text(i));
	for (i = 0; i < CHITIN_DESC_N_PROBLEM_KINDS; i++)
		printf("problem %d %s %s\n", i, problem_names[i], problem_sentences[i]);
	printf("const OK %d\n", CHITIN_OK);
	printf("const UNAVAILABLE %d\n", CHITIN_UNAVAILABLE);
	printf("const PANIC %d\n", CHITIN_PANIC);
	printf("const INVALID_ARG %d\n", CHITIN_INVALID_ARG);
	printf("const NO_MEMORY %d\n", CHITIN_NO_MEMORY);
	printf("const FAILED %d\n", CHITIN_FAILED);
	printf("const VTABLE_THREADSAFE %u\n", CHITIN_VTABLE_THREADSAFE);
	printf("const OPTION_BOOL %d %d %d\n", CHITIN_OPTION_BOOL_FALSE, CHITIN_OPTION_BOOL_TRUE,
	       CHITIN_OPTION_BOOL_NONE);
	printf("const OPTION %d %d\n", CHITIN_OPTION_NONE, CHITIN_OPTION_SOME);
	printf("const RESULT %d %d\n", CHITIN_RESULT_OK, CHITIN_RESULT_ERR);
	printf("const DESC_FORMAT %d\n", CHITIN_DESC_FORMAT);
	printf("const DESC_FLAGS %u %u %u %u %u %u\n", CHITIN_DESC_SINCE, CHITIN_DESC_RESILIENT,
	       CHITIN_DESC_BASE, CHITIN_DESC_THREADSAFE, CHITIN_DESC_PAYLOAD, CHITIN_DESC_SIGNED);
	printf("const DESC_KINDS %d %d %d %d %d %d\n", CHITIN_DESC_STRUCT, CHITIN_DESC_UNION,
	       CHITIN_DESC_ENUM, CHITIN_DESC_DATA_ENUM, CHITIN_DESC_CALLBACK, CHITIN_DESC_INTERFACE);
	printf("const DESC_TEXT %d %d %d\n", CHITIN_DESC_MAX_PROBLEMS, CHITIN_DESC_ITEM_TEXT,
	       CHITIN_DESC_TEXT);
	chitin_typeid_format(&object, id);
	printf("const OBJECT_IID %s\n", id);
}

/* ---- dumps ------------------------------------------------------------- */

static void
put_str(const char *s)
{
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;
		if (c > 0x20 && c < 0x7f && c != '\\')
			putchar(c);
		else
			printf("\\x%02x", c);
	}
}

static void
put_hash(const chitin_hash128 *h)
{
	char text[CHITIN_HEX128_TEXT_SIZE];
	chitin_hash128_to_hex(h, text);
	fputs(text, stdout);
}

static void
put_uuid(const chitin_hash128 *h)
{
	char text[CHITIN_UUID_TEXT_SIZE];
	chitin_hash128_to_uuid(h, text);
	fputs(text, stdout);
}

static void
put_item(const char *what, const char *name, uint32_t flags, uint16_t since)
{
	printf("%s ", what);
	put_str(name);
	printf(" flags %" PRIu32 " since %u", flags, since);
}

static void
dump(const struct chitin_descriptor *d, size_t size)
{
	uint32_t i, k;

	printf("descriptor size %zu format %u module ", size, d->format);
	put_str(d->module);
	printf(" version %u.%u targets ", d->major, d->minor);
	put_str(d->targets);
	putchar('\n');
	for (i = 0; i < d->n_imports; i++) {
		printf("import ");
		put_str(d->imports[i].module);
		printf(" %u.%u\n", d->imports[i].major, d->imports[i].minor);
	}
	for (i = 0; i < d->n_types; i++) {
		const struct chitin_desc_type *t = &d->types[i];
		put_item("type", t->name, t->flags, t->since_minor);
		printf(" kind %d typeid ", (int)t->kind);
		put_uuid(&t->type_id);
		printf(" size %" PRIu64 " align %" PRIu32 " layout ", t->size, t->align);
		put_hash(&t->layout_hash);
		printf(" sig ");
		put_hash(&t->signature_hash);
		putchar('\n');
		for (k = 0; k < t->n_fields; k++) {
			const struct chitin_desc_field *f = &t->fields[k];
			put_item(" field", f->name, f->flags, f->since_minor);
			printf(" offset %" PRIu64 " size %" PRIu64 " type ", f->offset, f->size);
			put_hash(&f->type_hash);
			putchar('\n');
		}
		for (k = 0; k < t->n_variants; k++) {
			const struct chitin_desc_variant *v = &t->variants[k];
			put_item(" variant", v->name, v->flags, v->since_minor);
			printf(" value %" PRIu64 " payload ", v->value);
			put_hash(&v->payload_hash);
			putchar('\n');
		}
	}
	for (i = 0; i < d->n_interfaces; i++) {
		const struct chitin_desc_interface *it = &d->interfaces[i];
		put_item("interface", it->name, it->flags, it->since_minor);
		printf(" iid ");
		put_uuid(&it->iid);
		printf(" base ");
		put_str(it->base);
		putchar('\n');
		for (k = 0; k < it->n_methods; k++) {
			put_item(" method", it->methods[k].name, it->methods[k].flags,
				 it->methods[k].since_minor);
			printf(" sig ");
			put_hash(&it->methods[k].signature_hash);
			putchar('\n');
		}
	}
	for (i = 0; i < d->n_exports; i++) {
		const struct chitin_desc_export *e = &d->exports[i];
		put_item("export", e->name, e->flags, e->since_minor);
		printf(" symbol ");
		put_str(e->symbol);
		printf(" sig ");
		put_hash(&e->signature_hash);
		putchar('\n');
	}
}

/* A blob decoded, its scratch memory malloc'd into *scratch. */
struct decoded {
	enum chitin_desc_status status;
	struct chitin_descriptor d;
	size_t size;
	void *scratch;
};

static void
decode(const uint8_t *blob, size_t len, struct decoded *out)
{
	size_t need = 0;
	out->scratch = NULL;
	out->size = 0;
	out->status = chitin_desc_decode(blob, len, NULL, 0, &out->d, &need);
	if (out->status == CHITIN_DESC_SCRATCH_TOO_SMALL) {
		out->scratch = xmalloc(need);
		out->status = chitin_desc_decode(blob, len, out->scratch, need, &out->d, NULL);
	}
	if (out->status == CHITIN_DESC_OK)
		chitin_desc_probe(blob, len, &out->size);
}

/* "ok" and the dump, or the reader's status. */
static void
print_decoded(const struct decoded *x)
{
	if (x->status != CHITIN_DESC_OK) {
		printf("refused: %s\n", chitin_desc_status_text(x->status));
		return;
	}
	dump(&x->d, x->size);
}

static void
print_report(const struct chitin_descriptor *host, const struct chitin_descriptor *plugin,
	     uint16_t minor)
{
	struct chitin_desc_report report;
	size_t work_size = chitin_desc_compare_work_size(host, plugin);
	void *work = xmalloc(work_size);
	uint32_t n = chitin_desc_compare(host, plugin, minor, &report, work, work_size);
	size_t len = chitin_desc_format_report(&report, NULL, 0);
	char *text = xmalloc(len + 1);

	chitin_desc_format_report(&report, text, len + 1);
	printf("report %" PRIu32 " problems, minor %u\n", n, minor);
	fwrite(text, 1, len, stdout);
	free(text);
	free(work);
}

static uint8_t *
read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	uint8_t *buf;
	long n;

	if (!f || fseek(f, 0, SEEK_END) != 0 || (n = ftell(f)) < 0 || fseek(f, 0, SEEK_SET) != 0) {
		fprintf(stderr, "cref: cannot read %s\n", path);
		exit(2);
	}
	buf = xmalloc((size_t)n);
	if (fread(buf, 1, (size_t)n, f) != (size_t)n) {
		fprintf(stderr, "cref: cannot read %s\n", path);
		exit(2);
	}
	fclose(f);
	*len = (size_t)n;
	return buf;
}

static uint64_t
next(uint64_t *x)
{
	*x ^= *x << 13;
	*x ^= *x >> 7;
	*x ^= *x << 17;
	return *x;
}

#ifdef DESC
extern CHITIN_HIDDEN const uint8_t *const DESC;
#endif

int
main(int argc, char **argv)
{
	int i, j;

	if (argc == 2 && strcmp(argv[1], "layout") == 0) {
		layout();
		return 0;
	}
	if (argc == 2 && strcmp(argv[1], "texts") == 0) {
		texts();
		return 0;
	}
#ifdef DESC
	if (argc == 3 && strcmp(argv[1], "write") == 0) {
		size_t size;
		FILE *f = fopen(argv[2], "wb");
		if (chitin_desc_probe(DESC, SIZE_MAX, &size) != CHITIN_DESC_OK || !f ||
		    fwrite(DESC, 1, size, f) != size || fclose(f) != 0)
			return 1;
		return 0;
	}
#endif
	if (argc >= 2 && (strcmp(argv[1], "dump") == 0 || strcmp(argv[1], "pairs") == 0)) {
		int n = argc - 2;
		struct decoded *x = xmalloc(sizeof *x * (size_t)n);
		uint8_t **blobs = xmalloc(sizeof *blobs * (size_t)n);
		for (i = 0; i < n; i++) {
			size_t len;
			blobs[i] = read_file(argv[i + 2], &len);
			decode(blobs[i], len, &x[i]);
			if (argv[1][0] == 'd') {
				printf("== %s\n", argv[i + 2]);
				print_decoded(&x[i]);
			}
		}
		if (argv[1][0] == 'p')
			for (i = 0; i < n; i++)
				for (j = 0; j < n; j++) {
					if (x[i].status != CHITIN_DESC_OK || x[j].status != CHITIN_DESC_OK)
						continue;
					printf("== host %s plugin %s\n", argv[i + 2], argv[j + 2]);
					print_report(&x[i].d, &x[j].d, 0);
					print_report(&x[i].d, &x[j].d, 1);
				}
		for (i = 0; i < n; i++) {
			free(x[i].scratch);
			free(blobs[i]);
		}
		free(x);
		free(blobs);
		return 0;
	}
	if (argc >= 5 && strcmp(argv[1], "fuzz") == 0) {
		uint64_t seed = strtoull(argv[2], NULL, 10) | 1;
		long count = strtol(argv[3], NULL, 10), m;
		int n = argc - 4;
		uint8_t **blobs = xmalloc(sizeof *blobs * (size_t)n);
		size_t *lens = xmalloc(sizeof *lens * (size_t)n);
		struct decoded *orig = xmalloc(sizeof *orig * (size_t)n);
		for (i = 0; i < n; i++) {
			blobs[i] = read_file(argv[i + 4], &lens[i]);
			decode(blobs[i], lens[i], &orig[i]);
			if (orig[i].status != CHITIN_DESC_OK) {
				fprintf(stderr, "cref: %s does not decode\n", argv[i + 4]);
				return 1;
			}
		}
		for (m = 0; m < count; m++) {
			size_t f = (size_t)(next(&seed) % (uint64_t)n), len = lens[f];
			uint8_t *copy = xmalloc(len);
			uint64_t changes = 1 + next(&seed) % 3, c;
			struct decoded x;

			memcpy(copy, blobs[f], len);
			for (c = 0; c < changes; c++) {
				size_t at = (size_t)(next(&seed) % len);
				copy[at] = (uint8_t)next(&seed);
			}
			if (next(&seed) % 16 == 0)
				len = (size_t)(next(&seed) % len);
			printf("== mutant %ld of %s\n", m, argv[f + 4]);
			decode(copy, len, &x);
			print_decoded(&x);
			if (x.status == CHITIN_DESC_OK) {
				print_report(&orig[f].d, &x.d, 0);
				print_report(&x.d, &orig[f].d, 1);
			}
			free(x.scratch);
			free(copy);
		}
		for (i = 0; i < n; i++) {
			free(orig[i].scratch);
			free(blobs[i]);
		}
		free(orig);
		free(lens);
		free(blobs);
		return 0;
	}
	fprintf(stderr, "usage: cref layout | texts | dump FILE... | pairs FILE... | "
			"fuzz SEED N FILE... | write OUT\n");
	return 2;
}
