/* Finding the descriptor sections of ELF, PE/COFF, Mach-O files and ar
 * archives of them, in their bytes.  Every header field is read through
 * one checked window (a view), so that nothing depends on the file being
 * well formed.  Nesting is limited to what toolchains make: a universal
 * Mach-O file holds thin files or archives, an archive holds objects. */
#include "objfile.h"

#include "arena.h"
#include "diag.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Beyond this many descriptor sections a file is refused: the sections'
 * descriptions are kept, and a hostile file could name millions. */
#define MAX_SECTIONS 4096
/* More architectures than this in a universal file make it something
 * else that starts with the same magic (a Java class file). */
#define MAX_FAT_ARCHES 32

/* A part of the file being read: a whole file, an architecture of a
 * universal file, an archive member. */
struct view {
	const uint8_t *p;
	size_t len;
	size_t base;          /* p's offset in the file */
	bool big_endian;      /* of the header fields being read */
	const char *prefix;   /* what holds it, for descriptions and errors */
};

struct reader {
	struct obj_file *out;
	size_t file_len;
	uint64_t taken;       /* bytes of all the sections collected */
	char *err;
	size_t err_size;
};

enum found {
	FOUND_OK,             /* read; its sections are collected */
	FOUND_UNKNOWN,        /* not a format read here */
	FOUND_BAD,            /* a format read here, unsound: err says why */
};

/* Whether n bytes at off lie inside len bytes, without overflow. */
static bool
fits(size_t len, uint64_t off, uint64_t n)
{
	return off <= len && n <= len - off;
}

/* Fixed-size fields at off, which the caller has checked with fits. */
static uint32_t
get16(const struct view *v, size_t off)
{
	const uint8_t *q = v->p + off;
	return v->big_endian ? (uint32_t)q[0] << 8 | q[1] : (uint32_t)q[1] << 8 | q[0];
}

static uint32_t
get32(const struct view *v, size_t off)
{
	const uint8_t *q = v->p + off;
	if (v->big_endian)
		return (uint32_t)q[0] << 24 | (uint32_t)q[1] << 16 | (uint32_t)q[2] << 8 | q[3];
	return (uint32_t)q[3] << 24 | (uint32_t)q[2] << 16 | (uint32_t)q[1] << 8 | q[0];
}

static uint64_t
get64(const struct view *v, size_t off)
{
	uint64_t a = get32(v, off), b = get32(v, off + 4);
	return v->big_endian ? a << 32 | b : b << 32 | a;
}

static enum found fail(struct reader *r, const struct view *v, const char *fmt, ...)
	DIAG_PRINTF(3, 4);

static enum found
fail(struct reader *r, const struct view *v, const char *fmt, ...)
{
	va_list ap;
	int n = snprintf(r->err, r->err_size, "%s", v->prefix);
	va_start(ap, fmt);
	if (n >= 0 && (size_t)n < r->err_size)
		vsnprintf(r->err + n, r->err_size - (size_t)n, fmt, ap);
	va_end(ap);
	return FOUND_BAD;
}

/* Collects the size bytes at off of v, the section called name, which
 * desc (prefixed with v's prefix) describes the container of. */
static enum found
add_section(struct reader *r, const struct view *v, const char *desc, const char *name,
	    uint64_t off, uint64_t size)
{
	struct obj_file *f = r->out;
	struct obj_section *s;
	if (!fits(v->len, off, size))
		return fail(r, v, "section %s (%llu bytes at offset %llu) ends past the end of the file",
			    name, (unsigned long long)size, (unsigned long long)off);
	/* Sections of a sound file are disjoint, so their sizes add up to
	 * at most the file's: more means overlapping sections, which would
	 * make the reading of the descriptors take more than linear time. */
	r->taken += size;
	if (r->taken > r->file_len)
		return fail(r, v, "descriptor sections overlap");
	if (f->n_sections == MAX_SECTIONS)
		return fail(r, v, "more than %d descriptor sections", MAX_SECTIONS);
	s = &VEC_PUSH(f->sections, f->n_sections, f->cap_sections);
	s->data = v->p + off;
	s->size = (size_t)size;
	s->offset = v->base + (size_t)off;
	s->name = name;
	snprintf(s->container, sizeof s->container, "%s%s", v->prefix, desc);
	return FOUND_OK;
}

/* A name from a table of numbers, or "machine N". */
struct code_name {
	uint32_t code;
	const char *name;
};

static const char *
name_of(const struct code_name *table, uint32_t code, char *buf, size_t size, const char *what)
{
	for (; table->name; table++)
		if (table->code == code)
			return table->name;
	snprintf(buf, size, "%s 0x%x", what, (unsigned)code);
	return buf;
}

/* ---- ELF (the System V gABI, "Object Files") -------------------------- */

static const struct code_name elf_machines[] = {
	{ 2, "SPARC" }, { 3, "i386" }, { 8, "MIPS" }, { 20, "PowerPC" },
	{ 21, "PowerPC64" }, { 22, "S/390" }, { 40, "ARM" }, { 43, "SPARC V9" },
	{ 62, "x86-64" }, { 183, "AArch64" }, { 243, "RISC-V" }, { 258, "LoongArch" },
	{ 0, NULL },
};

static const struct code_name elf_types[] = {
	{ 1, "relocatable object" }, { 2, "executable" }, { 3, "shared object" },
	{ 4, "core file" }, { 0, NULL },
};

enum {
	ELF_SHT_NOBITS = 8,
	ELF_SHF_COMPRESSED = 0x800,
	ELF_SHN_XINDEX = 0xffff,
};

static enum found
read_elf(struct reader *r, struct view *v)
{
	char desc[OBJ_TEXT], mbuf[32], tbuf[32];
	bool is64;
	size_t ent_min, str_off;
	uint64_t shoff, n, i, strndx, str_size;
	uint32_t entsize;

	if (v->len < 16)
		return fail(r, v, "ELF: the file ends inside its identification");
	if (v->p[4] != 1 && v->p[4] != 2)
		return fail(r, v, "ELF: unknown class %u", v->p[4]);
	if (v->p[5] != 1 && v->p[5] != 2)
		return fail(r, v, "ELF: unknown byte order %u", v->p[5]);
	is64 = v->p[4] == 2;
	v->big_endian = v->p[5] == 2;
	if (v->len < (is64 ? 64u : 52u))
		return fail(r, v, "ELF: the file ends inside its header");
	snprintf(desc, sizeof desc, "ELF %s-bit %s %s, %s", is64 ? "64" : "32",
		 v->big_endian ? "MSB" : "LSB", name_of(elf_types, get16(v, 16), tbuf, sizeof tbuf, "type"),
		 name_of(elf_machines, get16(v, 18), mbuf, sizeof mbuf, "machine"));
	if (!*v->prefix)
		snprintf(r->out->format, sizeof r->out->format, "%s", desc);
	shoff = is64 ? get64(v, 40) : get32(v, 32);
	entsize = get16(v, is64 ? 58 : 46);
	n = get16(v, is64 ? 60 : 48);
	strndx = get16(v, is64 ? 62 : 50);
	ent_min = is64 ? 64 : 40;
	if (shoff == 0)
		return fail(r, v, "ELF: the file has no section headers (stripped of them?), so no "
			    "section .chitin");
	if (entsize < ent_min)
		return fail(r, v, "ELF: section headers of %u bytes, fewer than %zu", (unsigned)entsize, ent_min);
	/* Extended numbering: section 0 holds the counts that do not fit. */
	if (n == 0 || strndx == ELF_SHN_XINDEX) {
		if (!fits(v->len, shoff, ent_min))
			return fail(r, v, "ELF: the section headers start past the end of the file");
		if (n == 0)
			n = is64 ? get64(v, (size_t)shoff + 32) : get32(v, (size_t)shoff + 20);
		if (strndx == ELF_SHN_XINDEX)
			strndx = get32(v, (size_t)shoff + (is64 ? 40 : 24));
	}
	if (shoff > v->len || n > (v->len - shoff) / entsize)
		return fail(r, v, "ELF: the section headers end past the end of the file");
	if (n == 0)
		return FOUND_OK;
	if (strndx >= n)
		return fail(r, v, "ELF: the section name table is section %llu of %llu",
			    (unsigned long long)strndx, (unsigned long long)n);
	{
		size_t h = (size_t)(shoff + strndx * entsize);
		uint64_t off = is64 ? get64(v, h + 24) : get32(v, h + 16);
		str_size = is64 ? get64(v, h + 32) : get32(v, h + 20);
		if (get32(v, h + 4) == ELF_SHT_NOBITS || !fits(v->len, off, str_size))
			return fail(r, v, "ELF: the section name table ends past the end of the file");
		str_off = (size_t)off;
	}
	for (i = 0; i < n; i++) {
		size_t h = (size_t)(shoff + i * entsize);
		uint32_t name = get32(v, h);
		uint64_t flags, off, size;
		enum found st;
		if (name >= str_size || str_size - name < sizeof ".chitin" ||
		    memcmp(v->p + str_off + name, ".chitin", sizeof ".chitin") != 0)
			continue;
		flags = is64 ? get64(v, h + 8) : get32(v, h + 8);
		off = is64 ? get64(v, h + 24) : get32(v, h + 16);
		size = is64 ? get64(v, h + 32) : get32(v, h + 20);
		if (get32(v, h + 4) == ELF_SHT_NOBITS)
			return fail(r, v, "ELF: section .chitin has no contents in the file");
		if (flags & ELF_SHF_COMPRESSED)
			return fail(r, v, "ELF: section .chitin is compressed, which chitin does not read");
		if ((st = add_section(r, v, desc, ".chitin", off, size)) != FOUND_OK)
			return st;
	}
	return FOUND_OK;
}

/* ---- PE and COFF (the Microsoft PE Format specification) -------------- */

static const struct code_name coff_machines[] = {
	{ 0x14c, "i386" }, { 0x8664, "x86-64" }, { 0xaa64, "ARM64" }, { 0xa641, "ARM64EC" },
	{ 0x1c0, "ARM" }, { 0x1c4, "ARMv7 Thumb-2" }, { 0x200, "IA-64" }, { 0x5032, "RISC-V 32" },
	{ 0x5064, "RISC-V 64" }, { 0, NULL },
};

enum {
	COFF_SECTION_SIZE = 40,
	COFF_SCN_CNT_UNINITIALIZED_DATA = 0x80,
	PE_FILE_EXECUTABLE_IMAGE = 0x2,
	PE_FILE_DLL = 0x2000,
};

/* Where a COFF file's sections are. */
struct coff {
	size_t table;         /* of the section headers */
	uint64_t n_sections;
	uint64_t strings;     /* of the string table: after the symbols */
	bool image;           /* a PE image: section data may be padded */
};

/* Whether section header h names ".chitin", directly or ("/N", where
 * the linker or assembler put a longer name) through the string table. */
static bool
coff_is_chitin(const struct view *v, const struct coff *c, size_t h)
{
	const uint8_t *name = v->p + h;
	uint64_t off = 0, str_size;
	int i;
	if (memcmp(name, ".chitin", 8) == 0)
		return true;
	if (name[0] != '/' || name[1] < '0' || name[1] > '9')
		return false;
	for (i = 1; i < 8 && name[i] >= '0' && name[i] <= '9'; i++)
		off = off * 10 + (uint64_t)(name[i] - '0');
	if ((i < 8 && name[i] != '\0') || !fits(v->len, c->strings, 4))
		return false;
	str_size = get32(v, (size_t)c->strings);
	return fits(v->len, c->strings, str_size) && off < str_size &&
	       str_size - off >= sizeof ".chitin" &&
	       memcmp(v->p + c->strings + off, ".chitin", sizeof ".chitin") == 0;
}

static enum found
coff_sections(struct reader *r, const struct view *v, const struct coff *c, const char *desc)
{
	uint64_t i;
	if (!fits(v->len, c->table, c->n_sections * COFF_SECTION_SIZE))
		return fail(r, v, "COFF: the section headers end past the end of the file");
	for (i = 0; i < c->n_sections; i++) {
		size_t h = c->table + (size_t)i * COFF_SECTION_SIZE;
		uint32_t virtual_size = get32(v, h + 8), raw_size = get32(v, h + 16);
		enum found st;
		if (!coff_is_chitin(v, c, h))
			continue;
		if (get32(v, h + 36) & COFF_SCN_CNT_UNINITIALIZED_DATA)
			return fail(r, v, "COFF: section .chitin has no contents in the file");
		/* An image's raw data is padded to the file alignment; the
		 * virtual size is what the linker put there. */
		if (c->image && virtual_size && virtual_size < raw_size)
			raw_size = virtual_size;
		if ((st = add_section(r, v, desc, ".chitin", get32(v, h + 20), raw_size)) != FOUND_OK)
			return st;
	}
	return FOUND_OK;
}

/* The string table's offset: after the symbols, if there are any
 * (images often have none); UINT64_MAX, outside any file, if not. */
static uint64_t
coff_strings(uint32_t symbols, uint32_t n_symbols, uint32_t symbol_size)
{
	return symbols ? symbols + (uint64_t)n_symbols * symbol_size : UINT64_MAX;
}

/* The COFF file header at off (of a PE image or an object). */
static void
coff_header(const struct view *v, size_t off, struct coff *c)
{
	c->n_sections = get16(v, off + 2);
	c->strings = coff_strings(get32(v, off + 8), get32(v, off + 12), 18);
	c->table = off + 20 + get16(v, off + 16);
}

static enum found
read_pe(struct reader *r, struct view *v)
{
	char desc[OBJ_TEXT], mbuf[32];
	struct coff c;
	uint32_t pe, chars, magic = 0;
	size_t opt;

	if (v->len < 64)
		return fail(r, v, "PE: the file ends inside its MS-DOS header");
	pe = get32(v, 0x3c);
	if (!fits(v->len, pe, 24) || memcmp(v->p + pe, "PE\0\0", 4) != 0)
		return fail(r, v, "an MS-DOS executable without a PE header");
	opt = (size_t)pe + 24;
	if (get16(v, pe + 20) >= 2 && fits(v->len, opt, 2))
		magic = get16(v, opt);
	chars = get16(v, pe + 22);
	snprintf(desc, sizeof desc, "%s %s, %s",
		 magic == 0x20b ? "PE32+" : magic == 0x10b ? "PE32" : "PE",
		 chars & PE_FILE_DLL ? "DLL" : chars & PE_FILE_EXECUTABLE_IMAGE ? "executable" : "image",
		 name_of(coff_machines, get16(v, pe + 4), mbuf, sizeof mbuf, "machine"));
	if (!*v->prefix)
		snprintf(r->out->format, sizeof r->out->format, "%s", desc);
	coff_header(v, (size_t)pe + 4, &c);
	c.image = true;
	if (c.table > v->len)
		return fail(r, v, "PE: the optional header ends past the end of the file");
	return coff_sections(r, v, &c, desc);
}

static const uint8_t bigobj_class_id[16] = {
	0xc7, 0xa1, 0xba, 0xd1, 0xee, 0xba, 0xa9, 0x4b,
	0xaf, 0x20, 0xfa, 0xf6, 0x6a, 0xa4, 0xdc, 0xb8,
};

/* A COFF object: a known machine and no optional header, or the bigobj
 * form (ANON_OBJECT_HEADER_BIGOBJ: 32-bit section count, 20-byte
 * symbols).  Anything else is not one. */
static enum found
read_coff(struct reader *r, struct view *v)
{
	char desc[OBJ_TEXT], mbuf[32];
	const char *machine;
	struct coff c;
	bool big;

	v->big_endian = false;
	if (v->len < 20)
		return FOUND_UNKNOWN;
	big = v->len >= 56 && get16(v, 0) == 0 && get16(v, 2) == 0xffff && get16(v, 4) >= 2 &&
	      memcmp(v->p + 12, bigobj_class_id, 16) == 0;
	machine = name_of(coff_machines, get16(v, big ? 6 : 0), mbuf, sizeof mbuf, "machine");
	/* an unknown machine: name_of wrote its number into mbuf */
	if (big) {
		c.n_sections = get32(v, 44);
		c.strings = coff_strings(get32(v, 48), get32(v, 52), 20);
		c.table = 56;
	} else {
		if (machine == mbuf || get16(v, 16) != 0)
			return FOUND_UNKNOWN;
		coff_header(v, 0, &c);
		/* nothing marks a COFF object but its machine: bytes that
		 * only start like one (an archive's text member) are not one */
		if (!fits(v->len, c.table, c.n_sections * COFF_SECTION_SIZE))
			return FOUND_UNKNOWN;
	}
	c.image = false;
	snprintf(desc, sizeof desc, "COFF %sobject, %s", big ? "bigobj " : "", machine);
	if (!*v->prefix)
		snprintf(r->out->format, sizeof r->out->format, "%s", desc);
	return coff_sections(r, v, &c, desc);
}

/* ---- Mach-O (<mach-o/loader.h>, <mach-o/fat.h>) ------------------------ */

static const struct code_name macho_cpus[] = {
	{ 7, "i386" }, { 0x01000007, "x86_64" }, { 12, "arm" }, { 0x0100000c, "arm64" },
	{ 0x0200000c, "arm64_32" }, { 18, "ppc" }, { 0x01000012, "ppc64" }, { 0, NULL },
};

static const struct code_name macho_types[] = {
	{ 1, "object" }, { 2, "executable" }, { 6, "dynamic library" }, { 8, "bundle" },
	{ 0, NULL },
};

enum {
	MACHO_LC_SEGMENT = 0x1,
	MACHO_LC_SEGMENT_64 = 0x19,
	MACHO_S_ZEROFILL = 0x1,
	MACHO_S_GB_ZEROFILL = 0xc,
	MACHO_S_THREAD_LOCAL_ZEROFILL = 0x12,
};

/* A 16-byte name field, NUL-padded. */
static bool
name16_is(const uint8_t *field, const char *name)
{
	size_t n = strlen(name);
	return memcmp(field, name, n) == 0 && (n == 16 || field[n] == '\0');
}

/* The sections of the segment command at off, of size bytes. */
static enum found
macho_segment(struct reader *r, const struct view *v, size_t off, uint32_t size, bool seg64,
	      const char *desc)
{
	size_t header = seg64 ? 72 : 56, section = seg64 ? 80 : 68, s;
	uint32_t n, i;
	if (size < header)
		return fail(r, v, "Mach-O: a segment command of %u bytes", (unsigned)size);
	n = get32(v, off + (seg64 ? 64 : 48));
	if (n > (size - header) / section)
		return fail(r, v, "Mach-O: a segment's %u sections do not fit in its command", (unsigned)n);
	for (i = 0, s = off + header; i < n; i++, s += section) {
		uint32_t type;
		enum found st;
		/* the linker may move constant data to __DATA_CONST */
		if (!name16_is(v->p + s, "__chitin") ||
		    !(name16_is(v->p + s + 16, "__DATA") || name16_is(v->p + s + 16, "__DATA_CONST")))
			continue;
		type = get32(v, s + (seg64 ? 64 : 56)) & 0xff;
		if (type == MACHO_S_ZEROFILL || type == MACHO_S_GB_ZEROFILL ||
		    type == MACHO_S_THREAD_LOCAL_ZEROFILL)
			return fail(r, v, "Mach-O: section __chitin has no contents in the file");
		st = add_section(r, v, desc, "__DATA,__chitin", get32(v, s + (seg64 ? 48 : 40)),
				 seg64 ? get64(v, s + 40) : get32(v, s + 36));
		if (st != FOUND_OK)
			return st;
	}
	return FOUND_OK;
}

static enum found
read_macho(struct reader *r, struct view *v, bool is64)
{
	char desc[OBJ_TEXT], cbuf[32], tbuf[32];
	size_t at, end;
	uint32_t n, i;

	if (v->len < (is64 ? 32u : 28u))
		return fail(r, v, "Mach-O: the file ends inside its header");
	snprintf(desc, sizeof desc, "Mach-O %s-bit %s, %s", is64 ? "64" : "32",
		 name_of(macho_types, get32(v, 12), tbuf, sizeof tbuf, "file type"),
		 name_of(macho_cpus, get32(v, 4), cbuf, sizeof cbuf, "CPU type"));
	if (!*v->prefix)
		snprintf(r->out->format, sizeof r->out->format, "%s", desc);
	n = get32(v, 16);
	at = is64 ? 32 : 28;
	if (!fits(v->len, at, get32(v, 20)))
		return fail(r, v, "Mach-O: the load commands end past the end of the file");
	end = at + get32(v, 20);
	/* every command takes 8 bytes or more of sizeofcmds: linear */
	for (i = 0; i < n; i++) {
		uint32_t cmd, size;
		enum found st;
		if (end - at < 8)
			return fail(r, v, "Mach-O: load command %u of %u is past the end of the commands",
				    (unsigned)i + 1, (unsigned)n);
		cmd = get32(v, at);
		size = get32(v, at + 4);
		if (size < 8 || size > end - at)
			return fail(r, v, "Mach-O: load command %u has a size of %u bytes",
				    (unsigned)i + 1, (unsigned)size);
		if (cmd == MACHO_LC_SEGMENT || cmd == MACHO_LC_SEGMENT_64) {
			st = macho_segment(r, v, at, size, cmd == MACHO_LC_SEGMENT_64, desc);
			if (st != FOUND_OK)
				return st;
		}
		at += size;
	}
	return FOUND_OK;
}

static enum found read_object(struct reader *r, struct view *v, bool in_fat, bool in_archive);

/* A universal ("fat") file: big-endian headers, each architecture a thin
 * Mach-O file or an archive of them at an offset of the file. */
static enum found
read_fat(struct reader *r, struct view *v, bool is64)
{
	size_t entry = is64 ? 32 : 20;
	uint32_t n, i;
	char prefix[OBJ_TEXT], cbuf[32];

	v->big_endian = true;
	n = get32(v, 4);
	if (n > MAX_FAT_ARCHES)
		return FOUND_UNKNOWN;
	if (!*v->prefix)
		snprintf(r->out->format, sizeof r->out->format, "Mach-O universal binary with %u architecture%s",
			 (unsigned)n, n == 1 ? "" : "s");
	if (!fits(v->len, 8, (uint64_t)n * entry))
		return fail(r, v, "Mach-O universal binary: the architectures end past the end of the file");
	for (i = 0; i < n; i++) {
		size_t e = 8 + i * entry;
		uint64_t off = is64 ? get64(v, e + 8) : get32(v, e + 8);
		uint64_t size = is64 ? get64(v, e + 16) : get32(v, e + 12);
		struct view arch;
		enum found st;
		snprintf(prefix, sizeof prefix, "%sMach-O universal binary, architecture %u of %u (%s): ",
			 v->prefix, (unsigned)i + 1, (unsigned)n,
			 name_of(macho_cpus, get32(v, e), cbuf, sizeof cbuf, "CPU type"));
		arch = *v;
		arch.prefix = prefix;
		if (!fits(v->len, off, size))
			return fail(r, &arch, "it ends past the end of the file");
		arch.p = v->p + off;
		arch.len = (size_t)size;
		arch.base = v->base + (size_t)off;
		arch.big_endian = false;
		st = read_object(r, &arch, true, false);
		if (st == FOUND_UNKNOWN)
			return fail(r, &arch, "not a Mach-O file");
		if (st != FOUND_OK)
			return st;
	}
	return FOUND_OK;
}

/* ---- ar archives (static libraries: GNU, BSD and COFF .lib) ------------ */

enum { AR_HEADER = 60 };

/* The decimal number in the n space-padded bytes at p, or -1. */
static int64_t
ar_number(const uint8_t *p, size_t n)
{
	int64_t v = 0;
	size_t i = 0;
	while (i < n && p[i] == ' ')
		i++;
	if (i == n || p[i] < '0' || p[i] > '9')
		return -1;
	for (; i < n && p[i] >= '0' && p[i] <= '9'; i++)
		v = v * 10 + (p[i] - '0');
	for (; i < n; i++)
		if (p[i] != ' ')
			return -1;
	return v;
}

/* A member's name for messages: printable bytes up to its end ('/', a
 * space, a newline or n bytes), from the long-name table where it says. */
static void
ar_name(char *buf, size_t size, const uint8_t *p, size_t n)
{
	size_t i, k = 0;
	for (i = 0; i < n && k + 1 < size; i++) {
		if (p[i] == '/' || p[i] == '\n' || p[i] == '\0' || (p[i] == ' ' && n == 16))
			break;
		buf[k++] = p[i] >= 0x20 && p[i] < 0x7f ? (char)p[i] : '?';
	}
	buf[k] = '\0';
}

static enum found
read_archive(struct reader *r, struct view *v)
{
	size_t at = 8;
	const uint8_t *long_names = NULL;
	size_t long_size = 0;
	char prefix[OBJ_TEXT], name[64];

	if (!*v->prefix)
		snprintf(r->out->format, sizeof r->out->format, "ar archive");
	while (at < v->len) {
		const uint8_t *h = v->p + at;
		int64_t size;
		struct view member;
		enum found st;
		size_t skip = 0;
		if (v->len - at < AR_HEADER)
			return fail(r, v, "ar archive: a member header ends past the end of the file");
		size = ar_number(h + 48, 10);
		if (h[58] != '`' || h[59] != '\n' || size < 0)
			return fail(r, v, "ar archive: a member header at offset %zu is malformed", v->base + at);
		if ((uint64_t)size > v->len - at - AR_HEADER)
			return fail(r, v, "ar archive: a member ends past the end of the file");
		member.p = h + AR_HEADER;
		member.len = (size_t)size;
		if (memcmp(h, "//", 2) == 0 && (h[2] == ' ' || h[2] == '/')) {
			long_names = member.p;            /* GNU and COFF long names */
			long_size = member.len;
			name[0] = '\0';
		} else if (h[0] == '/' && h[1] >= '0' && h[1] <= '9') {
			int64_t off = ar_number(h + 1, 15);
			name[0] = '\0';
			if (off >= 0 && (uint64_t)off < long_size)
				ar_name(name, sizeof name, long_names + off, long_size - (size_t)off);
		} else if (memcmp(h, "#1/", 3) == 0) {
			/* BSD: the name is the first N bytes of the member */
			int64_t n = ar_number(h + 3, 13);
			if (n < 0 || n > size)
				return fail(r, v, "ar archive: a member's name ends past the member");
			ar_name(name, sizeof name, member.p, (size_t)n);
			skip = (size_t)n;
		} else {
			ar_name(name, sizeof name, h, 16);
		}
		/* symbol tables ("/", "/SYM64/", "__.SYMDEF") have no name here */
		if (name[0] && strncmp(name, "__.SYMDEF", 9) != 0) {
			snprintf(prefix, sizeof prefix, "%sarchive member '%s': ", v->prefix, name);
			member.p += skip;
			member.len -= skip;
			member.base = v->base + at + AR_HEADER + skip;
			member.big_endian = false;
			member.prefix = prefix;
			/* members that are not objects (LLVM bitcode, import
			 * descriptions) are left alone */
			st = read_object(r, &member, true, true);
			if (st == FOUND_BAD)
				return st;
		}
		at += AR_HEADER + (size_t)size + (size_t)(size & 1);
	}
	return FOUND_OK;
}

/* ---- dispatch ---------------------------------------------------------------- */

static enum found
read_object(struct reader *r, struct view *v, bool in_fat, bool in_archive)
{
	uint32_t magic;
	if (v->len >= 4 && memcmp(v->p, "CHTN", 4) == 0 && !in_fat && !in_archive) {
		snprintf(r->out->format, sizeof r->out->format, "a descriptor");
		return add_section(r, v, "a descriptor", "(the whole file)", 0, v->len);
	}
	if (v->len >= 4 && memcmp(v->p, "\177ELF", 4) == 0)
		return read_elf(r, v);
	if (v->len >= 2 && memcmp(v->p, "MZ", 2) == 0)
		return read_pe(r, v);
	if (v->len >= 8 && memcmp(v->p, "!<arch>\n", 8) == 0 && !in_archive)
		return read_archive(r, v);
	if (v->len >= 4) {
		v->big_endian = false;
		magic = get32(v, 0);
		if (magic == 0xfeedface || magic == 0xfeedfacf)
			return read_macho(r, v, magic == 0xfeedfacf);
		if (magic == 0xcefaedfe || magic == 0xcffaedfe) {
			v->big_endian = true;
			return read_macho(r, v, magic == 0xcffaedfe);
		}
	}
	if (v->len >= 8 && !in_fat && !in_archive &&
	    (memcmp(v->p, "\xca\xfe\xba\xbe", 4) == 0 || memcmp(v->p, "\xca\xfe\xba\xbf", 4) == 0)) {
		enum found st = read_fat(r, v, v->p[3] == 0xbf);
		if (st != FOUND_UNKNOWN)
			return st;
	}
	return read_coff(r, v);
}

bool
obj_read(const uint8_t *file, size_t len, struct obj_file *out, char *err, size_t err_size)
{
	struct reader r;
	struct view v;
	enum found st;

	memset(out, 0, sizeof *out);
	memset(&r, 0, sizeof r);
	r.out = out;
	r.file_len = len;
	r.err = err;
	r.err_size = err_size;
	v.p = file;
	v.len = len;
	v.base = 0;
	v.big_endian = false;
	v.prefix = "";
	if (len == 0) {
		snprintf(err, err_size, "the file is empty");
		return false;
	}
	st = read_object(&r, &v, false, false);
	if (st == FOUND_UNKNOWN)
		snprintf(err, err_size, "not a binary chitin reads (ELF, PE, COFF, Mach-O, an ar "
			 "archive of them, or a descriptor)");
	return st == FOUND_OK;
}

void
obj_free(struct obj_file *f)
{
	free(f->sections);
	memset(f, 0, sizeof *f);
}

bool
obj_next_blob(const uint8_t *data, size_t len, size_t *at, size_t *blob_size,
	      enum chitin_desc_status *status)
{
	size_t i = *at;
	while (i < len && data[i] == 0)
		i++;
	*at = i;
	if (i == len)
		return false;
	*status = chitin_desc_probe(data + i, len - i, blob_size);
	return true;
}
