/* The object-file reader (compiler/objfile.c) and `chitin inspect`'s
 * listing (compiler/inspect.c) on files made here byte by byte from the
 * format specifications: every container it reads (ELF of both classes
 * and byte orders with extended section numbering, PE32 and PE32+ with a
 * long section name, COFF and bigobj objects, Mach-O of both widths and
 * byte orders, universal files of both widths, GNU and BSD archives, a
 * bare descriptor), each holding a real blob behind zero padding; then
 * each of them cut at every length and with bytes changed everywhere,
 * held in memory of exactly its size so that ASan sees any read past it;
 * then headers that lie, and blob strings that are not printable. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "arena.h"
#include "inspect.h"
#include "jsonread.h"
#include "objfile.h"
#include "outbuf.h"

/* ---- building files ---------------------------------------------------------- */

struct file {
	uint8_t *p;
	size_t len, cap;
	bool big_endian;
};

static void
reserve(struct file *f, size_t end)
{
	if (end > f->cap) {
		size_t cap = f->cap ? f->cap : 256;
		while (cap < end)
			cap *= 2;
		f->p = xrealloc(f->p, cap);
		memset(f->p + f->cap, 0, cap - f->cap);
		f->cap = cap;
	}
	if (end > f->len)
		f->len = end;
}

/* Writes n bytes of v at off, in the file's byte order. */
static void
set(struct file *f, size_t off, uint64_t v, size_t n)
{
	size_t i;
	reserve(f, off + n);
	for (i = 0; i < n; i++)
		f->p[off + (f->big_endian ? n - 1 - i : i)] = (uint8_t)(v >> (8 * i));
}

static void
set_bytes(struct file *f, size_t off, const void *s, size_t n)
{
	reserve(f, off + n);
	memcpy(f->p + off, s, n);
}

static void
file_free(struct file *f)
{
	free(f->p);
	memset(f, 0, sizeof *f);
}

/* ---- the blob ---------------------------------------------------------------- */

/* Module demo 1.0 of doc/descriptor.md 12.4, names and targets as given. */
static uint8_t *
demo_blob(const char *module, const char *type, const char *targets, size_t *size)
{
	static struct chitin_desc_field fields[2];
	static struct chitin_desc_type types[1];
	static struct chitin_desc_export exports[1];
	struct chitin_descriptor d;
	size_t work_size;
	void *work;
	uint8_t *blob;

	memset(fields, 0, sizeof fields);
	memset(types, 0, sizeof types);
	memset(exports, 0, sizeof exports);
	fields[0].name = "x";
	fields[0].size = 4;
	fields[1].name = "y";
	fields[1].offset = 4;
	fields[1].size = 4;
	types[0].name = type;
	types[0].kind = CHITIN_DESC_STRUCT;
	types[0].size = 8;
	types[0].align = 4;
	types[0].fields = fields;
	types[0].n_fields = 2;
	types[0].type_id.bytes[0] = 0x46;
	types[0].layout_hash.bytes[15] = 1;
	exports[0].name = "origin";
	exports[0].symbol = "demo_origin";
	exports[0].signature_hash.bytes[0] = 2;
	memset(&d, 0, sizeof d);
	d.format = CHITIN_DESC_FORMAT;
	d.module = module;
	d.major = 1;
	d.targets = targets;
	d.types = types;
	d.n_types = 1;
	d.exports = exports;
	d.n_exports = 1;
	work_size = chitin_desc_encode_work_size(&d, 1);
	work = xmalloc(work_size);
	*size = chitin_desc_encode(&d, 1, 0, NULL, 0, NULL, work, work_size);
	assert_true(*size > 0);
	blob = xmalloc(*size);
	assert_int_equal(chitin_desc_encode(&d, 1, 0, blob, *size, NULL, work, work_size), *size);
	free(work);
	return blob;
}

static uint8_t *blob;
static size_t blob_size;

/* The descriptor section's contents: zero padding, as compilers and
 * linkers leave it, then the blob. */
enum { PAD = 8 };

static size_t
put_section(struct file *f, size_t off)
{
	set_bytes(f, off + PAD, blob, blob_size);
	return PAD + blob_size;
}

/* ---- ELF ----------------------------------------------------------------------- */

/* An ELF file: header, .chitin's contents, the name table, three
 * section headers (null, .chitin, .shstrtab); with extended, the counts
 * in section 0 (as files of 65280 sections or more have them). */
static void
make_elf(struct file *f, bool is64, bool big_endian, bool extended)
{
	static const char names[] = "\0.chitin\0.shstrtab";
	size_t eh = is64 ? 64 : 52, sh = is64 ? 64 : 40, data = 64, size, strs, headers, i;
	memset(f, 0, sizeof *f);
	f->big_endian = big_endian;
	set_bytes(f, 0, "\177ELF", 4);
	set(f, 4, is64 ? 2 : 1, 1);
	set(f, 5, big_endian ? 2 : 1, 1);
	set(f, 6, 1, 1);
	set(f, 16, 3, 2);                          /* ET_DYN */
	set(f, 18, is64 ? 62 : 3, 2);
	size = put_section(f, data);
	strs = data + size;
	set_bytes(f, strs, names, sizeof names);
	headers = (strs + sizeof names + 7) & ~(size_t)7;
	if (is64) {
		set(f, 40, headers, 8);
		set(f, 52, eh, 2);
		set(f, 58, sh, 2);
		set(f, 60, extended ? 0 : 3, 2);
		set(f, 62, extended ? 0xffff : 2, 2);
	} else {
		set(f, 32, headers, 4);
		set(f, 40, eh, 2);
		set(f, 46, sh, 2);
		set(f, 48, extended ? 0 : 3, 2);
		set(f, 50, extended ? 0xffff : 2, 2);
	}
	for (i = 0; i < 3; i++) {
		size_t h = headers + i * sh;
		uint64_t name = i == 1 ? 1 : i == 2 ? 9 : 0;
		uint64_t off = i == 1 ? data : i == 2 ? strs : 0;
		uint64_t n = i == 1 ? size : i == 2 ? sizeof names : extended ? 3 : 0;
		uint64_t link = i == 0 && extended ? 2 : 0;
		set(f, h, name, 4);
		set(f, h + 4, i == 0 ? 0 : i == 1 ? 1 : 3, 4);   /* PROGBITS, STRTAB */
		set(f, h + (is64 ? 24 : 16), off, is64 ? 8 : 4);
		set(f, h + (is64 ? 32 : 20), n, is64 ? 8 : 4);
		set(f, h + (is64 ? 40 : 24), link, 4);
	}
	reserve(f, headers + 3 * sh);
}

/* ---- PE and COFF ---------------------------------------------------------------- */

/* Two section headers at table, ".text" and (its name spelled "/4"
 * through a string table when long_name) ".chitin", whose contents are
 * at data; the string table (and no symbols) at strings. */
static void
coff_sections(struct file *f, size_t table, size_t data, bool image, bool long_name, size_t strings)
{
	size_t size;
	set_bytes(f, table, ".text", 5);
	set_bytes(f, table + 40, long_name ? "/4" : ".chitin", long_name ? 2 : 7);
	size = put_section(f, data);
	/* an image's raw data is padded to the file alignment */
	set(f, table + 40 + 8, image ? size : 0, 4);
	set(f, table + 40 + 16, image ? (size + 511) & ~(size_t)511 : size, 4);
	set(f, table + 40 + 20, data, 4);
	set(f, table + 40 + 36, 0x40000040, 4);        /* initialized, readable */
	if (image)
		reserve(f, data + ((size + 511) & ~(size_t)511));
	if (long_name) {
		set(f, strings, 4 + sizeof ".chitin", 4);
		set_bytes(f, strings + 4, ".chitin", sizeof ".chitin");
	}
}

static void
make_pe(struct file *f, bool plus, bool long_name)
{
	size_t pe = 64, opt = plus ? 240 : 224, table = pe + 24 + opt, strings = 0x400;
	memset(f, 0, sizeof *f);
	set_bytes(f, 0, "MZ", 2);
	set(f, 0x3c, pe, 4);
	set_bytes(f, pe, "PE\0\0", 4);
	set(f, pe + 4, plus ? 0x8664 : 0x14c, 2);
	set(f, pe + 6, 2, 2);
	set(f, pe + 12, long_name ? strings : 0, 4);   /* the symbols: none */
	set(f, pe + 20, opt, 2);
	set(f, pe + 22, 0x2022, 2);                    /* a DLL */
	set(f, pe + 24, plus ? 0x20b : 0x10b, 2);
	coff_sections(f, table, 0x600, true, long_name, strings);
}

static const uint8_t bigobj_id[16] = {
	0xc7, 0xa1, 0xba, 0xd1, 0xee, 0xba, 0xa9, 0x4b,
	0xaf, 0x20, 0xfa, 0xf6, 0x6a, 0xa4, 0xdc, 0xb8,
};

static void
make_coff(struct file *f, bool bigobj)
{
	size_t strings = 0x300;
	memset(f, 0, sizeof *f);
	if (bigobj) {
		set(f, 2, 0xffff, 2);
		set(f, 4, 2, 2);
		set(f, 6, 0x8664, 2);
		set_bytes(f, 12, bigobj_id, 16);
		set(f, 44, 2, 4);
		set(f, 48, strings, 4);
		coff_sections(f, 56, 0x100, false, true, strings);
	} else {
		set(f, 0, 0xaa64, 2);
		set(f, 2, 2, 2);
		set(f, 8, strings, 4);
		coff_sections(f, 20, 0x100, false, true, strings);
	}
}

/* ---- Mach-O ------------------------------------------------------------------- */

/* A Mach-O object: one segment command with sections __TEXT,__text and
 * __DATA,__chitin. */
static void
make_macho(struct file *f, bool is64, bool big_endian)
{
	size_t h = is64 ? 32 : 28, seg = is64 ? 72 : 56, sec = is64 ? 80 : 68;
	size_t cmd = seg + 2 * sec, data = (h + cmd + 15) & ~(size_t)15, s = h + seg + sec, size;
	memset(f, 0, sizeof *f);
	f->big_endian = big_endian;
	set(f, 0, is64 ? 0xfeedfacf : 0xfeedface, 4);
	set(f, 4, is64 ? 0x0100000c : 18, 4);          /* arm64; ppc */
	set(f, 12, 1, 4);                              /* MH_OBJECT */
	set(f, 16, 1, 4);
	set(f, 20, cmd, 4);
	set(f, h, is64 ? 0x19 : 0x1, 4);
	set(f, h + 4, cmd, 4);
	set(f, h + (is64 ? 64 : 48), 2, 4);
	set_bytes(f, h + seg, "__text", 6);
	set_bytes(f, h + seg + 16, "__TEXT", 6);
	set_bytes(f, s, "__chitin", 8);
	set_bytes(f, s + 16, "__DATA", 6);
	size = put_section(f, data);
	if (is64) {
		set(f, s + 40, size, 8);
		set(f, s + 48, data, 4);
	} else {
		set(f, s + 36, size, 4);
		set(f, s + 40, data, 4);
	}
}

/* A universal file of the two Mach-O objects, at 4 KiB boundaries. */
static void
make_fat(struct file *f, bool is64)
{
	struct file a, b;
	size_t entry = is64 ? 32 : 20, off_a = 0x1000, off_b;
	make_macho(&a, true, false);
	make_macho(&b, false, true);
	off_b = (off_a + a.len + 0xfff) & ~(size_t)0xfff;
	memset(f, 0, sizeof *f);
	f->big_endian = true;
	set(f, 0, is64 ? 0xcafebabf : 0xcafebabe, 4);
	set(f, 4, 2, 4);
	set(f, 8, 0x0100000c, 4);
	set(f, 8 + entry, 18, 4);
	if (is64) {
		set(f, 16, off_a, 8);
		set(f, 24, a.len, 8);
		set(f, 16 + entry, off_b, 8);
		set(f, 24 + entry, b.len, 8);
	} else {
		set(f, 16, off_a, 4);
		set(f, 20, a.len, 4);
		set(f, 16 + entry, off_b, 4);
		set(f, 20 + entry, b.len, 4);
	}
	set_bytes(f, off_a, a.p, a.len);
	set_bytes(f, off_b, b.p, b.len);
	file_free(&a);
	file_free(&b);
}

/* ---- archives ----------------------------------------------------------------- */

static size_t
ar_member(struct file *f, size_t at, const char *name, const uint8_t *data, size_t n)
{
	char header[61];
	snprintf(header, sizeof header, "%-16s%-12s%-6s%-6s%-8s%-10zu`\n", name, "0", "0", "0",
		 "644", n);
	set_bytes(f, at, header, 60);
	set_bytes(f, at + 60, data, n);
	at += 60 + n;
	if (n & 1)
		set_bytes(f, at++, "\n", 1);
	return at;
}

/* A GNU archive (symbol table, long names, an ELF object named through
 * them, a member that is no object) or a BSD one (names in the members). */
static void
make_archive(struct file *f, bool bsd)
{
	static const char long_names[] = "a_rather_long_object_name.o/\n";
	struct file elf, macho;
	size_t at = 8;
	make_elf(&elf, true, false, false);
	make_macho(&macho, true, false);
	memset(f, 0, sizeof *f);
	set_bytes(f, 0, "!<arch>\n", 8);
	if (bsd) {
		uint8_t *m = xmalloc(20 + macho.len);
		memcpy(m, "__.SYMDEF SORTED\0\0\0\0", 20);
		at = ar_member(f, at, "#1/20", m, 20);
		memcpy(m, "object with spaces.o", 20);
		memcpy(m + 20, macho.p, macho.len);
		at = ar_member(f, at, "#1/20", m, 20 + macho.len);
		free(m);
	} else {
		at = ar_member(f, at, "/", (const uint8_t *)"\0\0\0\0", 4);
		at = ar_member(f, at, "//", (const uint8_t *)long_names, sizeof long_names - 1);
		at = ar_member(f, at, "notes.txt/", (const uint8_t *)"not an object", 13);
		at = ar_member(f, at, "/0", elf.p, elf.len);
	}
	file_free(&elf);
	file_free(&macho);
}

/* ---- the containers, read ----------------------------------------------------- */

/* Reads the len bytes at p from a copy of exactly that size. */
static bool
read_exact(const uint8_t *p, size_t len, struct obj_file *out, uint8_t **copy, char *err,
	   size_t err_size)
{
	*copy = xmalloc(len ? len : 1);
	if (len)
		memcpy(*copy, p, len);
	return obj_read(*copy, len, out, err, err_size);
}

/* The section holds the blob after zero padding, and nothing else. */
static void
assert_section_is_blob(const struct obj_section *s)
{
	size_t at = 0, size = 0;
	enum chitin_desc_status st;
	assert_true(obj_next_blob(s->data, s->size, &at, &size, &st));
	assert_int_equal(st, CHITIN_DESC_OK);
	assert_int_equal(at, s->name[0] == '(' ? 0 : PAD);
	assert_int_equal(size, blob_size);
	assert_memory_equal(s->data + at, blob, blob_size);
	at += size;
	assert_false(obj_next_blob(s->data, s->size, &at, &size, &st));
}

static void
check_file(const struct file *f, const char *format, uint32_t n_sections, const char *container0,
	   const char *name)
{
	struct obj_file of;
	uint8_t *copy;
	char err[256] = "";
	uint32_t i;
	if (!read_exact(f->p, f->len, &of, &copy, err, sizeof err))
		fail_msg("%s: %s", format, err);
	assert_string_equal(of.format, format);
	assert_int_equal(of.n_sections, n_sections);
	for (i = 0; i < of.n_sections; i++) {
		assert_string_equal(of.sections[i].name, name);
		assert_true(of.sections[i].data == copy + of.sections[i].offset);
		assert_section_is_blob(&of.sections[i]);
	}
	assert_string_equal(of.sections[0].container, container0);
	obj_free(&of);
	free(copy);
}

/* Every file made here, and what reading it must give. */
enum maker { ELF, PE, COFF, MACHO, FAT, ARCHIVE, BARE };

static const struct sample {
	enum maker maker;
	bool a, b, c;             /* the maker's flags, in its order */
	const char *format;       /* what the file is */
	uint32_t n_sections;      /* each holds the blob */
	const char *container;    /* the first section's, when not format */
	const char *name;         /* every section's */
} samples[] = {
	{ ELF, true, false, false, "ELF 64-bit LSB shared object, x86-64", 1, NULL, ".chitin" },
	{ ELF, false, true, false, "ELF 32-bit MSB shared object, i386", 1, NULL, ".chitin" },
	{ ELF, true, true, true, "ELF 64-bit MSB shared object, x86-64", 1, NULL, ".chitin" },
	{ ELF, false, false, true, "ELF 32-bit LSB shared object, i386", 1, NULL, ".chitin" },
	{ PE, true, false, false, "PE32+ DLL, x86-64", 1, NULL, ".chitin" },
	{ PE, false, true, false, "PE32 DLL, i386", 1, NULL, ".chitin" },
	{ COFF, false, false, false, "COFF object, ARM64", 1, NULL, ".chitin" },
	{ COFF, true, false, false, "COFF bigobj object, x86-64", 1, NULL, ".chitin" },
	{ MACHO, true, false, false, "Mach-O 64-bit object, arm64", 1, NULL, "__DATA,__chitin" },
	{ MACHO, false, true, false, "Mach-O 32-bit object, ppc", 1, NULL, "__DATA,__chitin" },
	{ FAT, false, false, false, "Mach-O universal binary with 2 architectures", 2,
	  "Mach-O universal binary, architecture 1 of 2 (arm64): Mach-O 64-bit object, arm64",
	  "__DATA,__chitin" },
	{ FAT, true, false, false, "Mach-O universal binary with 2 architectures", 2,
	  "Mach-O universal binary, architecture 1 of 2 (arm64): Mach-O 64-bit object, arm64",
	  "__DATA,__chitin" },
	{ ARCHIVE, false, false, false, "ar archive", 1,
	  "archive member 'a_rather_long_object_name.o': ELF 64-bit LSB shared object, x86-64",
	  ".chitin" },
	{ ARCHIVE, true, false, false, "ar archive", 1,
	  "archive member 'object with spaces.o': Mach-O 64-bit object, arm64", "__DATA,__chitin" },
	{ BARE, false, false, false, "a descriptor", 1, NULL, "(the whole file)" },
};
enum { N_SAMPLES = sizeof samples / sizeof samples[0] };

static void
make(struct file *f, const struct sample *s)
{
	switch (s->maker) {
	case ELF: make_elf(f, s->a, s->b, s->c); break;
	case PE: make_pe(f, s->a, s->b); break;
	case COFF: make_coff(f, s->a); break;
	case MACHO: make_macho(f, s->a, s->b); break;
	case FAT: make_fat(f, s->a); break;
	case ARCHIVE: make_archive(f, s->a); break;
	case BARE:
		memset(f, 0, sizeof *f);
		set_bytes(f, 0, blob, blob_size);
		break;
	}
}

static void
test_containers(void **state)
{
	struct file f;
	int i;
	(void)state;
	for (i = 0; i < N_SAMPLES; i++) {
		const struct sample *s = &samples[i];
		make(&f, s);
		check_file(&f, s->format, s->n_sections, s->container ? s->container : s->format, s->name);
		file_free(&f);
	}
}

/* ---- hostile files -------------------------------------------------------------- */

/* The checks of the fuzz target (tests/fuzz_objfile.c) on p[0, len),
 * from memory of exactly that size. */
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
read_hostile(const uint8_t *p, size_t len)
{
	uint8_t *copy = xmalloc(len ? len : 1);
	memcpy(copy, p, len);
	LLVMFuzzerTestOneInput(copy, len);
	free(copy);
}

static void
test_truncated(void **state)
{
	struct file f;
	int which;
	size_t n;
	(void)state;
	for (which = 0; which < N_SAMPLES; which++) {
		make(&f, &samples[which]);
		for (n = 0; n < f.len; n++)
			read_hostile(f.p, n);
		file_free(&f);
	}
}

static void
test_bytes_changed(void **state)
{
	static const uint8_t values[] = { 0x00, 0xff, 0x80, 0x7f, 0x01 };
	struct file f;
	int which;
	size_t at, k;
	(void)state;
	for (which = 0; which < N_SAMPLES; which++) {
		make(&f, &samples[which]);
		/* the fat file's bytes are mostly padding: its headers and
		 * the first architecture's are enough */
		for (at = 0; at < f.len && at < 0x1400; at++) {
			uint8_t old = f.p[at];
			for (k = 0; k < sizeof values; k++) {
				f.p[at] = values[k] == 0x01 ? old ^ 1 : values[k];
				read_hostile(f.p, f.len);
			}
			f.p[at] = old;
		}
		file_free(&f);
	}
}

static void
expect_error(const struct file *f, const char *message)
{
	struct obj_file of;
	uint8_t *copy;
	char err[256] = "";
	if (read_exact(f->p, f->len, &of, &copy, err, sizeof err))
		fail_msg("read, without the error '%s'", message);
	if (!strstr(err, message))
		fail_msg("expected '%s' in '%s'", message, err);
	obj_free(&of);
	free(copy);
}

static void
test_lying_headers(void **state)
{
	struct file f;
	uint8_t header[64];
	size_t h, i;
	(void)state;

	/* .chitin's size points past the end */
	make_elf(&f, true, false, false);
	h = (size_t)(f.p[40] | f.p[41] << 8) + 64;
	set(&f, h + 32, 1u << 30, 8);
	expect_error(&f, "section .chitin (1073741824 bytes at offset 64) ends past the end of the file");
	/* sixteen sections all .chitin, all the same bytes: more than the file */
	set(&f, h + 32, f.len - 64 - 8, 8);
	memcpy(header, f.p + h, 64);
	for (i = 3; i < 16; i++)
		set_bytes(&f, h + 64 * (i - 1), header, 64);
	set(&f, 60, 16, 2);
	expect_error(&f, "descriptor sections overlap");
	/* a section count whose headers would wrap around */
	set(&f, 60, 0, 2);
	set(&f, h - 64 + 32, UINT64_MAX / 32, 8);
	expect_error(&f, "ELF: the section headers end past the end of the file");
	file_free(&f);
	make_elf(&f, true, false, true);
	h = (size_t)(f.p[40] | f.p[41] << 8);
	set(&f, h + 32, UINT64_MAX / 32, 8);
	expect_error(&f, "ELF: the section headers end past the end of the file");
	set(&f, h + 32, 3, 8);
	set(&f, h + 40, 7, 4);
	expect_error(&f, "ELF: the section name table is section 7 of 3");
	file_free(&f);

	/* no section headers at all */
	make_elf(&f, false, false, false);
	set(&f, 32, 0, 4);
	expect_error(&f, "no section headers");
	file_free(&f);

	/* Mach-O: millions of load commands in a few bytes of them */
	make_macho(&f, true, false);
	set(&f, 16, 0xffffffff, 4);
	expect_error(&f, "Mach-O: load command 2 of 4294967295 is past the end of the commands");
	set(&f, 16, 1, 4);
	set(&f, 32 + 64, 0x10000000, 4);
	expect_error(&f, "Mach-O: a segment's 268435456 sections do not fit in its command");
	file_free(&f);

	/* a universal file whose architecture is outside it */
	make_fat(&f, false);
	set(&f, 16 + 20, 0x7fffffff, 4);
	expect_error(&f, "architecture 2 of 2 (ppc): it ends past the end of the file");
	/* too many architectures: not a universal file (a Java class) */
	set(&f, 4, 33, 4);
	expect_error(&f, "not a binary chitin reads");
	file_free(&f);

	/* an archive member longer than the archive */
	make_archive(&f, false);
	memcpy(f.p + 8 + 48, "9999999999", 10);
	expect_error(&f, "ar archive: a member ends past the end of the file");
	file_free(&f);

	/* a PE header past the end */
	make_pe(&f, true, false);
	set(&f, 0x3c, 0xfffffff0, 4);
	expect_error(&f, "an MS-DOS executable without a PE header");
	file_free(&f);

	memset(&f, 0, sizeof f);
	expect_error(&f, "the file is empty");
	set_bytes(&f, 0, "hello, world\n", 13);
	expect_error(&f, "not a binary chitin reads");
	file_free(&f);
}

/* ---- the listing ---------------------------------------------------------------- */

static int
inspect(const uint8_t *p, size_t len, bool json, struct outbuf *out, struct outbuf *err)
{
	struct insp_options o;
	memset(&o, 0, sizeof o);
	o.file_name = "t.so";
	o.json = json;
	ob_init(out);
	ob_init(err);
	return insp_file(p, len, &o, out, err);
}

static void
test_listing(void **state)
{
	struct file f;
	struct outbuf out, err;
	(void)state;
	make_elf(&f, true, false, false);
	assert_int_equal(inspect(f.p, f.len, false, &out, &err), 0);
	assert_string_equal(err.data, "");
	assert_string_equal(out.data,
		"t.so: ELF 64-bit LSB shared object, x86-64\n"
		"\n"
		"section .chitin: 216 bytes at offset 0x40, 1 descriptor\n"
		"\n"
		"module demo 1.0: 208 bytes at offset 0x48, format 2\n"
		"  targets: x86_64-linux\n"
		"  types:\n"
		"    struct Point: size 8, align 4\n"
		"      type id 46000000-0000-0000-0000-000000000000, layout hash 00000000000000000000000000000001\n"
		"      field x: offset 0, size 4\n"
		"      field y: offset 4, size 4\n"
		"  exports:\n"
		"    0: origin, symbol demo_origin\n");
	ob_free(&out);
	ob_free(&err);

	/* a blob cut short, and one corrupted, each named with its place */
	set(&f, 64 + PAD + 8, blob_size + 8, 4);
	assert_int_equal(inspect(f.p, f.len, false, &out, &err), 1);
	assert_string_equal(err.data, "t.so: error: section .chitin: at offset 0x48, where a descriptor must start: truncated\n");
	ob_free(&out);
	ob_free(&err);
	set(&f, 64 + PAD + 8, blob_size, 4);
	f.p[64 + PAD + 28] = 0x7f;    /* the string table's size */
	assert_int_equal(inspect(f.p, f.len, false, &out, &err), 1);
	assert_string_equal(err.data, "t.so: error: section .chitin: the descriptor at offset 0x48 (208 bytes) is corrupt\n");
	ob_free(&out);
	ob_free(&err);
	/* a section of zeros */
	memset(f.p + 64, 0, PAD + blob_size);
	assert_int_equal(inspect(f.p, f.len, false, &out, &err), 1);
	assert_string_equal(err.data, "t.so: error: section .chitin at offset 0x40 holds no descriptor (216 zero bytes)\n");
	ob_free(&out);
	ob_free(&err);
	file_free(&f);
}

/* Names that are not printable UTF-8 come out escaped: \xNN in text;
 * in JSON, U+FFFD for bytes that are not UTF-8 and \u00NN for control
 * characters, so that the JSON parses and says what can be said. */
static void
test_unprintable_names(void **state)
{
	struct outbuf out, err;
	struct arena arena;
	const struct jv *root, *d;
	char why[128];
	size_t size;
	uint8_t *bad = demo_blob("de\033[2Jmo", "P\xffoint\xe2\x82", "x86_64-linux", &size);
	(void)state;
	assert_int_equal(inspect(bad, size, false, &out, &err), 0);
	assert_non_null(strstr(out.data, "module de\\x1b[2Jmo 1.0"));
	assert_non_null(strstr(out.data, "struct P\\xffoint\\xe2\\x82: size 8"));
	ob_free(&out);
	ob_free(&err);
	assert_int_equal(inspect(bad, size, true, &out, &err), 0);
	arena_init(&arena);
	root = json_parse(&arena, out.data, out.len, why, sizeof why);
	if (!root)
		fail_msg("%s in %s", why, out.data);
	d = &jv_get(root, "descriptors")->items[0];
	assert_string_equal(jv_get(d, "module")->str, "de\033[2Jmo");
	assert_string_equal(jv_get(&jv_get(d, "types")->items[0], "name")->str,
			    "P\xef\xbf\xbdoint\xef\xbf\xbd\xef\xbf\xbd");
	assert_string_equal(jv_get(root, "file_format")->str, "a descriptor");
	arena_free(&arena);
	ob_free(&out);
	ob_free(&err);
	free(bad);
}

/* --against a JSON document that cannot say what the blob's targets
 * hold, and a blob that names no target: errors, never "compatible". */
static void
test_against_without_targets(void **state)
{
	static const char json[] = "{\"format\": 2, \"module\": \"demo\", \"version\": \"1.0\", \"targets\": []}";
	struct insp_options o;
	struct outbuf out, err;
	struct arena arena;
	char why[128];
	size_t size;
	uint8_t *none = demo_blob("demo", "Point", "", &size);
	(void)state;
	arena_init(&arena);
	memset(&o, 0, sizeof o);
	o.file_name = "t.so";
	o.against_name = "m.json";
	o.arena = &arena;
	o.against = json_parse(&arena, json, sizeof json - 1, why, sizeof why);
	assert_non_null(o.against);
	ob_init(&out);
	ob_init(&err);
	assert_int_equal(insp_file(blob, blob_size, &o, &out, &err), 1);
	assert_string_equal(err.data, "m.json: error: not a JSON descriptor: targets: no target 'x86_64-linux'\n");
	assert_string_equal(out.data, "");
	err.len = 0;
	assert_int_equal(insp_file(none, size, &o, &out, &err), 1);
	assert_string_equal(err.data, "t.so: error: the descriptor at offset 0x0 names no target to compare on\n");
	ob_free(&out);
	ob_free(&err);
	arena_free(&arena);
	free(none);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_containers),
		cmocka_unit_test(test_truncated),
		cmocka_unit_test(test_bytes_changed),
		cmocka_unit_test(test_lying_headers),
		cmocka_unit_test(test_listing),
		cmocka_unit_test(test_unprintable_names),
		cmocka_unit_test(test_against_without_targets),
	};
	int failed;
	blob = demo_blob("demo", "Point", "x86_64-linux", &blob_size);
	failed = cmocka_run_group_tests(tests, NULL, NULL);
	free(blob);
	return failed;
}
