/* The descriptor source.  The targets fall into descriptor classes (the
 * targets whose descriptors hold the same layouts and hashes); each class
 * has one blob (doc/descriptor.md), whose common part is the same for
 * every class.  The source spells the blob once as one object, in the
 * .chitin section (__DATA,__chitin on Mach-O) so a tool can read a binary
 * without loading it: the common part written once, the class part chosen
 * by the target's guard inside the initializer.  Built plainly (host
 * mode) it holds the descriptor and the resilient structs' layout
 * records, hidden; built with
 * <MODULE>_IMPLEMENTATION (implementer mode) it adds the exports table and
 * the entry symbol chitin_module_<module>, which a loader looks up.  It
 * compiles as C or C++, with C linkage either way (doc/abi.md 8.2). */
#include "backends/desc.h"
#include "backends/c.h"
#include "backends/c_names.h"
#include "describe.h"

#include <chitin/descriptor.h>

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>


/* bytes (n, a multiple of 4) as little-endian 32-bit words in decimal,
 * twelve a line. */
static void
put_words(struct outbuf *out, const uint8_t *bytes, size_t n)
{
	size_t i;
	for (i = 0; i < n; i += 4) {
		uint32_t w = (uint32_t)bytes[i] | (uint32_t)bytes[i + 1] << 8 |
			     (uint32_t)bytes[i + 2] << 16 | (uint32_t)bytes[i + 3] << 24;
		if (i % 48 == 0) {
			ob_flush_point(out);
			ob_puts(out, i ? ",\n\t\t" : "\t\t");
		} else {
			ob_puts(out, ", ");
		}
		ob_u64(out, w);
	}
}

/* The most bytes a string piece of the blob holds: what every C compiler
 * must take in a string literal (C11 5.2.4.1), and what -pedantic
 * allows. */
#define PIECE_MAX 4095u
/* Escaped bytes a line of a piece holds, about: the line stays near 80
 * columns. */
#define PIECE_LINE 64u

/* The C spelling of each byte in a string literal: itself if printable,
 * else three octal digits, which no digit after it can extend ('?' too:
 * no trigraph can form). */
static void
byte_spelling(unsigned c, char text[5], size_t *n)
{
	if (c >= 0x20 && c < 0x7f && c != '"' && c != '\\' && c != '?') {
		text[0] = (char)c;
		*n = 1;
		return;
	}
	text[0] = '\\';
	text[1] = (char)('0' + (c >> 6));
	text[2] = (char)('0' + ((c >> 3) & 7));
	text[3] = (char)('0' + (c & 7));
	*n = 4;
}

/* The members of the blob struct for n bytes named prefix_0, prefix_1...,
 * each of at most PIECE_MAX; the first aligned to 4 when first is set. */
static void
put_piece_members(struct outbuf *out, const char *prefix, size_t n, const char *upper, bool first)
{
	size_t i, k;
	for (i = 0, k = 0; i < n; i += PIECE_MAX, k++) {
		size_t len = n - i < PIECE_MAX ? n - i : PIECE_MAX;
		ob_printf(out, "\t%schar %s_%zu[%zu] %s_DESC_BYTES;\n",
			  first && k == 0 ? "CHITIN_ALIGNAS(4) " : "", prefix, k, len, upper);
	}
}

/* bytes (n) as the initializers of put_piece_members's members: one
 * string each, split over lines. */
static void
put_pieces(struct outbuf *out, const uint8_t *bytes, size_t n)
{
	char spell[256][5];
	size_t spell_n[256], i;
	for (i = 0; i < 256; i++)
		byte_spelling((unsigned)i, spell[i], &spell_n[i]);
	for (i = 0; i < n; i += PIECE_MAX) {
		size_t len = n - i < PIECE_MAX ? n - i : PIECE_MAX, j, col = 0;
		ob_flush_point(out);
		ob_puts(out, "\t\"");
		for (j = 0; j < len; j++) {
			unsigned c = bytes[i + j];
			if (col >= PIECE_LINE) {
				ob_puts(out, "\"\n\t\"");
				col = 0;
			}
			ob_put(out, spell[c], spell_n[c]);
			col += spell_n[c];
		}
		ob_puts(out, "\",\n");
	}
}

static void
put_descriptor(struct outbuf *out, const struct checked *ck, uint32_t mi, const char *upper)
{
	const struct m_module *mod = &ck->m->modules[mi];
	const struct desc_blobs *blobs = desc_module_blobs(ck, mi);
	const uint8_t *bytes;
	size_t common, part;
	uint32_t n, k;

	if (!blobs) {
		/* only a blob past 4 GiB cannot be encoded; never compile
		 * without one */
		ob_printf(out, "#error \"chitin: the descriptor of module %s is too large to encode\"\n",
			  mod->name);
		return;
	}
	n = blobs->n;
	bytes = blobs->bytes;
	common = blobs->common;
	part = blobs->part;

	ob_puts(out, "/* The target's descriptor class: its blob's size, and the words of the\n"
		" * blob's part that is the class's own. */\n");
	for (k = 0; k < n; k++) {
		ob_puts(out, k ? "#elif " : "#if ");
		c_put_guard(out, blobs->mask[k]);
		ob_printf(out, "\n/* %s: %zu bytes */\n#define %s_DESC_CLASS %u\n#define %s_DESC_CLASS_WORDS %zu\n",
			  blobs->names[k], common + part, upper, k, upper, part / 4);
	}
	ob_puts(out, "#else\n#error \"chitin: this descriptor does not know the target being compiled for\"\n#endif\n\n");
	ob_printf(out,
		  "/* The descriptor of module %s (doc/descriptor.md): its common part,\n"
		  " * the same on every target, then the part of the target's class. */\n"
		  "#ifndef __cplusplus\n"
		  "/* In C the bytes are strings, which compile many times faster than\n"
		  " * numbers: pieces of at most 4095 bytes (what every C compiler must\n"
		  " * take), each in a char array of exactly its size, so that no NUL\n"
		  " * comes between them.  C++ keeps room for the NUL: it takes the\n"
		  " * words below. */\n"
		  "#if defined(__has_attribute)\n#if __has_attribute(nonstring)\n"
		  "#define %s_DESC_BYTES __attribute__((nonstring))\n#endif\n#endif\n"
		  "#ifndef %s_DESC_BYTES\n#define %s_DESC_BYTES\n#endif\n"
		  "#ifdef _MSC_VER\n#pragma warning(disable: 4295)\n#endif\n"
		  "struct chitin_descriptor_%s_blob {\n",
		  mod->name, upper, upper, upper, mod->name);
	put_piece_members(out, "common", common, upper, true);
	put_piece_members(out, "part", part, upper, false);
	ob_printf(out, "};\n#else\n"
		  "/* In C++ the bytes are 32-bit words, which every target above stores\n"
		  " * little-endian. */\n"
		  "struct chitin_descriptor_%s_blob {\n"
		  "\tuint32_t common[%zu];\n\tuint32_t part[%s_DESC_CLASS_WORDS];\n};\n#endif\n"
		  "/* declared extern first, with its visibility: a const object defined\n"
		  " * at namespace scope would otherwise have internal linkage in C++ */\n"
		  "CHITIN_HIDDEN extern const struct chitin_descriptor_%s_blob chitin_descriptor_%s;\n"
		  "%s_DESC_SECTION const struct chitin_descriptor_%s_blob chitin_descriptor_%s = {\n"
		  "#ifndef __cplusplus\n",
		  mod->name, common / 4, upper, mod->name, mod->name, upper, mod->name, mod->name);
	put_pieces(out, bytes, common);
	for (k = 0; k < n; k++) {
		ob_printf(out, "#%s %s_DESC_CLASS == %u\n", k ? "elif" : "if", upper, k);
		put_pieces(out, bytes + common + k * part, part);
	}
	ob_puts(out, "#endif\n#else\n\t{\n");
	put_words(out, bytes, common);
	ob_puts(out, "\n\t},\n");
	for (k = 0; k < n; k++) {
		ob_printf(out, "#%s %s_DESC_CLASS == %u\n\t{\n", k ? "elif" : "if", upper, k);
		put_words(out, bytes + common + k * part, part);
		ob_puts(out, "\n\t},\n");
	}
	ob_puts(out, "#endif\n#endif\n};\n\n");
}

void
be_desc_source(struct outbuf *out, const struct checked *ck, uint32_t mi)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	char *upper = c_module_upper(mod->name);
	uint32_t di;
	bool any_export = false;

	ob_printf(out,
		  "/* %s_desc.c: the binary descriptor of module %s %u.%u,\n"
		  " * generated by chitin.  Do not edit.\n"
		  " *\n"
		  " * Compiled as it is (host mode), it holds the descriptor and the layout\n"
		  " * records of the module's resilient structs, hidden.\n"
		  " * Compiled with %s_IMPLEMENTATION defined, in the library that\n"
		  " * implements the module, it also defines the exports table and the\n"
		  " * entry symbol chitin_module_%s through which a loader finds both. */\n"
		  "#if defined(%s_IMPLEMENTATION) && !defined(%s_API) && defined(__ELF__) && defined(__GNUC__)\n"
		  "/* The exports table is bound to this library's own functions, never to\n"
		  " * same-named ones another library (the host) exports: protected symbols\n"
		  " * stay exported but are not preemptible. */\n"
		  "#define %s_API __attribute__((visibility(\"protected\")))\n"
		  "#endif\n"
		  "/* Of the header, this file needs the types and declarations, not the\n"
		  " * inline helpers: left out, it compiles in a fraction of the time. */\n"
		  "#ifndef CHITIN_NO_HELPERS\n#define CHITIN_NO_HELPERS\n#endif\n"
		  "#include \"%s.h\"\n\n"
		  "/* Compiled as C++ too: the names keep C linkage, unmangled, so a\n"
		  " * loader finds the entry symbol under its C name (doc/abi.md 8.2). */\n"
		  "#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n",
		  mod->name, mod->name, mod->version.major, mod->version.minor, upper, mod->name,
		  upper, upper, upper, mod->name);
	/* whenever _MSC_VER is defined (clang targeting MSVC too) the blob
	 * needs MSVC's spelling, or it lands in .rdata; on ELF, retain keeps
	 * -Wl,--gc-sections from dropping a blob nothing refers to */
	ob_printf(out,
		  "#if defined(__APPLE__)\n"
		  "#define %s_DESC_SECTION __attribute__((section(\"__DATA,__chitin\"), used))\n"
		  "#elif defined(_MSC_VER)\n"
		  "#pragma section(\".chitin\", read)\n"
		  "#define %s_DESC_SECTION __declspec(allocate(\".chitin\"))\n"
		  "#elif (defined(__GNUC__) || defined(__clang__)) && !defined(__wasm__)\n"
		  "#if defined(__ELF__) && defined(__has_attribute)\n"
		  "#if __has_attribute(retain)\n"
		  "#define %s_DESC_RETAIN , retain\n"
		  "#endif\n"
		  "#endif\n"
		  "#ifndef %s_DESC_RETAIN\n"
		  "#define %s_DESC_RETAIN\n"
		  "#endif\n"
		  "#define %s_DESC_SECTION __attribute__((section(\".chitin\"), used %s_DESC_RETAIN))\n"
		  "#else\n"
		  "#define %s_DESC_SECTION\n"
		  "#endif\n\n",
		  upper, upper, upper, upper, upper, upper, upper, upper);
	put_descriptor(out, ck, mi, upper);
	ob_printf(out, "const uint8_t *const chitin_own_descriptor_%s =\n"
		  "\t(const uint8_t *)(const void *)&chitin_descriptor_%s;\n\n", mod->name, mod->name);
	be_c_layout_records(out, ck, mi);

	ob_printf(out, "#if defined(%s_IMPLEMENTATION)\n", upper);
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++)
		any_export |= m->decls[di].kind == DECL_EXPORT;
	if (any_export) {
		ob_printf(out, "static const %s_exports chitin_exports_%s = {\n\t(uint32_t)sizeof(%s_exports),\n\t0,\n",
			  mod->name, mod->name, mod->name);
		for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
			const struct m_decl *d = &m->decls[di];
			if (d->kind != DECL_EXPORT)
				continue;
			ob_flush_point(out);
			ob_printf(out, "\t%s,\n", d->u.sig.symbol);
		}
		ob_puts(out, "};\n\n");
	}
	ob_printf(out, "CHITIN_EXPORT extern const chitin_module chitin_module_%s;\n"
		  "const chitin_module chitin_module_%s = {\n"
		  "\t(const uint8_t *)(const void *)&chitin_descriptor_%s,\n", mod->name, mod->name,
		  mod->name);
	if (any_export)
		ob_printf(out, "\t&chitin_exports_%s,\n};\n#endif\n", mod->name);
	else
		ob_puts(out, "\tNULL,\n};\n#endif\n");
	ob_puts(out, "\n#ifdef __cplusplus\n}\n#endif\n");
	free(upper);
}
