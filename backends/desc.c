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


static bool
same_type(const struct checked *ck, unsigned a, unsigned b, uint32_t t)
{
	const struct lay_size *x = ck_type_size(ck, a, t), *y = ck_type_size(ck, b, t);
	return x->size == y->size && x->align == y->align &&
	       chitin_hash128_equal(ck_layout_hash(ck, a, t), ck_layout_hash(ck, b, t));
}

static bool
same_fields(const struct checked *ck, unsigned a, unsigned b, uint32_t first, uint32_t n)
{
	uint32_t f;
	for (f = first; f < first + n; f++)
		if (ck_field_offset(ck, a, f) != ck_field_offset(ck, b, f) ||
		    !same_type(ck, a, b, ck->m->fields[f].type))
			return false;
	return true;
}

/* Whether module mi's descriptors on targets a and b agree in everything
 * that depends on the target (sizes, offsets and hashes), from the checked
 * program alone, without building either. */
static bool
same_target_content(const struct checked *ck, uint32_t mi, unsigned a, unsigned b)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	uint32_t di, i;
	if (ck->layout.group[a] == ck->layout.group[b])
		return true;   /* laid out and hashed once for both */
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &m->decls[di];
		if (model_named_kind(d) != NK_NONE && !same_type(ck, a, b, d->type))
			return false;
		switch (d->kind) {
		case DECL_STRUCT:
		case DECL_UNION:
			if (!same_fields(ck, a, b, d->u.agg.first_field, d->u.agg.n_fields))
				return false;
			break;
		case DECL_ENUM:
			if (!d->u.enm.data)
				break;
			if (!same_type(ck, a, b, d->u.enm.repr) ||
			    !lay_same_size(ck_payload_union(ck, a, di), ck_payload_union(ck, b, di)) ||
			    ck_payload_union_offset(ck, a, di) != ck_payload_union_offset(ck, b, di))
				return false;
			for (i = d->u.enm.first_variant; i < d->u.enm.first_variant + d->u.enm.n_variants; i++)
				if (!chitin_hash128_equal(ck_payload_hash(ck, a, i), ck_payload_hash(ck, b, i)))
					return false;
			break;
		case DECL_CALLBACK:
		case DECL_EXPORT:
			if (!chitin_hash128_equal(ck_sig_hash(ck, a, d->u.sig.method), ck_sig_hash(ck, b, d->u.sig.method)))
				return false;
			break;
		case DECL_INTERFACE: {
			uint32_t chain[MODEL_MAX_CHAIN], depth = model_interface_chain(m, di, chain), k;
			for (k = 0; k < depth; k++) {
				const struct m_decl *bd = &m->decls[chain[k]];
				for (i = bd->u.iface.first_method; i < bd->u.iface.first_method + bd->u.iface.n_methods; i++)
					if (!chitin_hash128_equal(ck_sig_hash(ck, a, i), ck_sig_hash(ck, b, i)))
						return false;
			}
			break;
		}
		default:
			break;
		}
	}
	return true;
}

/* The module's descriptor classes, into classes (TARGET_COUNT of them),
 * each with its targets' names; returns how many.  mask[k] gets class
 * k's targets, and arenas[k] holds class k: only one target of a class
 * has its descriptor built. */
static uint32_t
describe_classes(struct chitin_descriptor *classes, unsigned *mask, struct arena *arenas,
		 struct arena *a, const struct checked *ck, uint32_t mi)
{
	unsigned first[TARGET_COUNT];
	uint32_t n = 0, k;
	unsigned ti;
	for (ti = 0; ti < TARGET_COUNT; ti++) {
		for (k = 0; k < n && !same_target_content(ck, mi, first[k], ti); k++)
			;
		if (k == n) {
			first[n] = ti;
			arena_init(&arenas[n]);
			desc_from_model(&classes[n], &arenas[n], ck, mi, ti);
			mask[n++] = 0;
		}
		mask[k] |= 1u << ti;
	}
	for (k = 0; k < n; k++) {
		size_t len = 0;
		char *names;
		for (ti = 0; ti < TARGET_COUNT; ti++)
			if (mask[k] & (1u << ti))
				len += strlen(targets[ti].name) + 1;
		names = arena_alloc(a, len + 1);
		names[0] = '\0';
		for (ti = 0; ti < TARGET_COUNT; ti++) {
			if (!(mask[k] & (1u << ti)))
				continue;
			if (names[0])
				strcat(names, " ");
			strcat(names, targets[ti].name);
		}
		classes[k].targets = names;
	}
	return n;
}

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

static void
put_descriptor(struct outbuf *out, const struct checked *ck, uint32_t mi, const char *upper)
{
	const struct m_module *mod = &ck->m->modules[mi];
	struct chitin_descriptor classes[TARGET_COUNT];
	unsigned mask[TARGET_COUNT];
	uint8_t *bytes = NULL;
	size_t size, common = 0, part = 0, work_size;
	struct arena arena, arenas[TARGET_COUNT];
	uint32_t n, k;
	void *work;

	arena_init(&arena);
	n = describe_classes(classes, mask, arenas, &arena, ck, mi);
	work_size = chitin_desc_encode_work_size(classes, n);
	work = xmalloc(work_size ? work_size : 1);
	/* The blobs take a few bytes a reference and the work memory tens,
	 * so a buffer of its size nearly always holds them at the first
	 * encoding; a second one is made only if not. */
	bytes = xmalloc(work_size ? work_size : 1);
	size = chitin_desc_encode_all(classes, n, bytes, work_size, &common, &part, work, work_size);
	if (size > work_size) {
		bytes = xrealloc(bytes, size);
		chitin_desc_encode_all(classes, n, bytes, size, &common, &part, work, work_size);
	}
	free(work);
	if (size == 0) {
		/* only a blob past 4 GiB cannot be encoded; never compile
		 * without one */
		ob_printf(out, "#error \"chitin: the descriptor of module %s is too large to encode\"\n",
			  mod->name);
		free(bytes);
		for (k = 0; k < n; k++)
			arena_free(&arenas[k]);
		arena_free(&arena);
		return;
	}

	ob_puts(out, "/* The target's descriptor class: its blob's size, and the words of the\n"
		" * blob's part that is the class's own. */\n");
	for (k = 0; k < n; k++) {
		ob_puts(out, k ? "#elif " : "#if ");
		c_put_guard(out, mask[k]);
		ob_printf(out, "\n/* %s: %zu bytes */\n#define %s_DESC_CLASS %u\n#define %s_DESC_CLASS_WORDS %zu\n",
			  classes[k].targets, common + part, upper, k, upper, part / 4);
	}
	ob_puts(out, "#else\n#error \"chitin: this descriptor does not know the target being compiled for\"\n#endif\n\n");
	ob_printf(out,
		  "/* The descriptor of module %s (doc/descriptor.md): its common part,\n"
		  " * the same on every target, then the part of the target's class.  The\n"
		  " * bytes are spelled as 32-bit words, which every target above stores\n"
		  " * little-endian. */\n"
		  "struct chitin_descriptor_%s_blob {\n"
		  "\tuint32_t common[%zu];\n\tuint32_t part[%s_DESC_CLASS_WORDS];\n};\n"
		  "/* declared extern first, with its visibility: a const object defined\n"
		  " * at namespace scope would otherwise have internal linkage in C++ */\n"
		  "CHITIN_HIDDEN extern const struct chitin_descriptor_%s_blob chitin_descriptor_%s;\n"
		  "%s_DESC_SECTION const struct chitin_descriptor_%s_blob chitin_descriptor_%s = {\n\t{\n",
		  mod->name, mod->name, common / 4, upper, mod->name, mod->name, upper, mod->name,
		  mod->name);
	put_words(out, bytes, common);
	ob_puts(out, "\n\t},\n");
	for (k = 0; k < n; k++) {
		ob_printf(out, "#%s %s_DESC_CLASS == %u\n\t{\n", k ? "elif" : "if", upper, k);
		put_words(out, bytes + common + k * part, part);
		ob_puts(out, "\n\t},\n");
	}
	ob_puts(out, "#endif\n};\n\n");
	free(bytes);
	for (k = 0; k < n; k++)
		arena_free(&arenas[k]);
	arena_free(&arena);
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
