/* The Rust backend: <module>.rs, the module's types with the layouts of
 * doc/abi.md 2 as `#[repr(C)]` Rust, its interfaces as object types with
 * checked methods, its exports table, its descriptor and its layout
 * assertions.  It depends on `core` and the runtime crate `chitin` alone
 * (doc/runtime.md 7), and starts with no inner attribute, so it serves as
 * a module file and through `include!` alike.
 *
 * Every value crosses as its ABI-level type (all `Copy`, every bit
 * pattern valid); a method's parameters and results take the safe form
 * where there is one (doc/rust.md 3): `bool`, `&str`, Rust slices, the
 * crate's owned `String` and `Vec`, and interface references as `&I`
 * in, `chitin::Ref<I>` out. */
#include "backends/rust.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "describe.h"

/* The path before an imported module's name: `--rust-parent`. */
static const char *rust_parent = "super";

void
rust_set_parent(const char *path)
{
	rust_parent = path;
}

struct rgen {
	struct outbuf *o;
	const struct checked *ck;
	const struct model *m;
	uint32_t mi;
	/* Inside the export macro: the path local names are written under
	 * (the macro's module argument), and the imported declarations
	 * named there, each through an alias of the module's. */
	const char *prefix;
	struct aliases *aliases;
};

/* The imported declarations the export macro names, each once. */
struct aliases {
	uint32_t *v;          /* in the order first named */
	size_t n;
	bool *seen;           /* by declaration index */
};

/* Scratch text, reused from item to item instead of a buffer made and
 * freed each time (the backend runs on one thread): reflow_in and
 * reflow_out for the reflow functions (a copy of the line being laid out,
 * the lines it becomes), tmp_args and tmp_name for the generators (a
 * call's arguments, a name or path put together), and the pieces of a
 * thunk's signature (tmp_first, tmp_callee, tmp_bound, tmp_sig).  be_rust releases them. */
static struct outbuf reflow_in, reflow_out, tmp_args, tmp_name, tmp_first, tmp_callee, tmp_bound, tmp_sig;

/* Releases them all. */
static void
release_scratch(void)
{
	struct outbuf *all[] = { &reflow_in, &reflow_out, &tmp_args, &tmp_name, &tmp_first, &tmp_callee, &tmp_bound,
				 &tmp_sig };
	size_t i;
	for (i = 0; i < sizeof all / sizeof *all; i++)
		if (all[i]->data)
			ob_free(all[i]);
}

/* b emptied, made on first use. */
static struct outbuf *
scratch(struct outbuf *b)
{
	if (!b->data)
		ob_init(b);
	b->len = 0;
	b->data[0] = '\0';
	return b;
}

/* ---- names ---------------------------------------------------------------------------- */

/* Every keyword of every edition (2024's gen included), strict and
 * reserved, by first letter: a name that is one is written as a raw
 * identifier.  Each list is the letter's keywords, NUL-separated, ended
 * by an empty one. */
static const char *const rust_keywords[26] = {
	['a' - 'a'] = "abstract\0as\0async\0await\0",
	['b' - 'a'] = "become\0box\0break\0",
	['c' - 'a'] = "const\0continue\0",
	['d' - 'a'] = "do\0dyn\0",
	['e' - 'a'] = "else\0enum\0extern\0",
	['f' - 'a'] = "false\0final\0fn\0for\0",
	['g' - 'a'] = "gen\0",
	['i' - 'a'] = "if\0impl\0in\0",
	['l' - 'a'] = "let\0loop\0",
	['m' - 'a'] = "macro\0match\0mod\0move\0mut\0",
	['o' - 'a'] = "override\0",
	['p' - 'a'] = "priv\0pub\0",
	['r' - 'a'] = "ref\0return\0",
	['s' - 'a'] = "static\0struct\0",
	['t' - 'a'] = "trait\0true\0try\0type\0typeof\0",
	['u' - 'a'] = "unsafe\0unsized\0use\0",
	['v' - 'a'] = "virtual\0",
	['w' - 'a'] = "where\0while\0",
	['y' - 'a'] = "yield\0",
};

/* Whether name, of n bytes, is one of rust_keywords.  Every name the file
 * writes goes through here: the length (2 to 8 bytes) and the first
 * letter choose the few keywords compared. */
static bool
is_rust_keyword(const char *name, size_t n)
{
	const char *k;
	if (n < 2 || n > 8 || name[0] < 'a' || name[0] > 'z')
		return false;
	size_t len;
	for (k = rust_keywords[name[0] - 'a']; k && *k; k += len + 1) {
		len = strlen(k);
		if (len == n && memcmp(k + 1, name + 1, n - 1) == 0)
			return true;
	}
	return false;
}

static void
put_ident(struct outbuf *b, const char *name)
{
	size_t n = strlen(name);
	if (is_rust_keyword(name, n))
		ob_put(b, "r#", 2);
	ob_put(b, name, n);
}

static bool
has_upper(const char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			return true;
	return false;
}

static bool
has_lower(const char *s)
{
	for (; *s; s++)
		if (*s >= 'a' && *s <= 'z')
			return true;
	return false;
}

static bool
is_letter(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}

/* rustc's idea of an UpperCamelCase name, for the lint it would raise. */
static bool
is_camel(const char *s)
{
	const char *p = s;
	while (*p == '_')
		p++;
	if (*p >= 'a' && *p <= 'z')
		return false;
	for (; *p; p++)
		if (*p == '_' && p[1] && (p[1] == '_' || is_letter(p[1]) || (p > s && is_letter(p[-1]))))
			return false;
	return true;
}

/* An #[allow] for an item whose IDL name breaks Rust's naming lints:
 * the names stay as the IDL has them. */
static void
put_allow_case(struct outbuf *b, const char *indent, const char *lint)
{
	ob_printf(b, "%s#[allow(%s)]\n", indent, lint);
}

/* Whether a method named name breaks clippy's wrong_self_convention
 * when it takes self (from_ takes none, into_ takes self by value, to_ a
 * reference): the IDL's names are kept, and the lint allowed. */
static bool
self_convention(const char *name)
{
	return !strncmp(name, "from_", 5) || !strncmp(name, "into_", 5) || !strncmp(name, "to_", 3);
}

static void
put_allow_self_convention(struct outbuf *b, bool any)
{
	if (any)
		ob_puts(b, "#[allow(clippy::wrong_self_convention)]\n");
}

static const struct m_decl *
named_decl(const struct rgen *g, uint32_t t)
{
	return &g->m->decls[g->m->types[t].decl];
}

/* The Rust path of declaration d's type from this module: its name, or
 * <parent>::<module>::Name for an imported one. */
static void
put_decl_path(struct outbuf *b, const struct rgen *g, const struct m_decl *d, const char *suffix)
{
	if (d == &g->m->decls[g->m->object_decl]) {
		ob_puts(b, "chitin::Object");
		return;
	}
	if (g->prefix && d->module != g->mi) {
		/* the macro's paths cannot go through `super`: the module's
		 * alias `chitin_<module>_<Name>` (put_aliases) */
		struct aliases *al = g->aliases;
		uint32_t di = (uint32_t)(d - g->m->decls);
		if (!al->seen) {
			/* made when first needed: most modules import nothing
			 * their exports name */
			al->v = xmalloc(g->m->n_decls * sizeof *al->v);
			al->seen = xcalloc(g->m->n_decls, sizeof *al->seen);
		}
		if (!al->seen[di]) {
			al->seen[di] = true;
			al->v[al->n++] = di;
		}
		ob_printf(b, "%s::chitin_%s_%s%s", g->prefix, g->m->modules[d->module].name, d->item.name, suffix);
		return;
	}
	if (g->prefix)
		ob_printf(b, "%s::", g->prefix);
	else if (d->module != g->mi)
		ob_printf(b, "%s::%s::", rust_parent, g->m->modules[d->module].name);
	ob_puts(b, d->item.name);
	ob_puts(b, suffix);
}

static bool
is_interface(const struct rgen *g, uint32_t t)
{
	return g->m->types[t].kind == TY_NAMED && named_decl(g, t)->kind == DECL_INTERFACE;
}

static bool
is_callback(const struct rgen *g, uint32_t t)
{
	return g->m->types[t].kind == TY_NAMED && named_decl(g, t)->kind == DECL_CALLBACK;
}

/* ---- layout of long lines ------------------------------------------------------------ */

static void
put_spaces(struct outbuf *b, size_t n)
{
	while (n--)
		ob_putc(b, ' ');
}

/* rustfmt's width. */
enum { RS_WIDTH = 100 };

/* Whether c at s[i] opens a bracket: (, [, a generic's < (after a name),
 * or a block's { (after a space); and its closing counterpart. */
static char
opens(const char *s, size_t i)
{
	switch (s[i]) {
	case '(': return ')';
	case '[': return ']';
	case '<': return i > 0 && (is_letter(s[i - 1]) || s[i - 1] == '_' || (s[i - 1] >= '0' && s[i - 1] <= '9')) ? '>' : 0;
	case '{': return i > 0 && s[i - 1] == ' ' ? '}' : 0;
	default: return 0;
	}
}

/* The index of the bracket that closes the one opened at s[i], or n. */
static size_t
closing(const char *s, size_t i, size_t n)
{
	char stack[256];
	size_t depth = 0, j;
	for (j = i; j < n; j++) {
		char c = opens(s, j);
		if (c) {
			if (depth == sizeof stack)
				return n;
			stack[depth++] = c;
		} else if (s[j] == '-' && s[j + 1] == '>') {
			j++;                      /* an arrow's > closes nothing */
		} else if (depth && s[j] == stack[depth - 1]) {
			if (--depth == 0)
				return j;
		}
	}
	return n;
}

static void reflow_into(struct outbuf *out, const char *s, size_t n, size_t indent, size_t after,
			bool force);

/* Whether the brackets at s[open] and s[close] hold more than one item: a
 * comma between them outside any inner bracket.  rustfmt holds a call of
 * one argument to the line's width alone, not to fn_call_width. */
static bool
several_args(const char *s, size_t open, size_t close)
{
	size_t i;
	for (i = open + 1; i < close; i++) {
		if (opens(s, i))
			i = closing(s, i, close);
		else if (s[i] == ',')
			return true;
	}
	return false;
}

/* Writes the line s[0..n) (without its indentation) at indent as rustfmt
 * would: whole when it fits in RS_WIDTH columns (with the `after`
 * characters that follow it) and force is false; otherwise broken inside
 * its first bracket, one item a line with a trailing comma (a block's
 * one statement without), and each item so written in turn. */
static void
reflow_into(struct outbuf *out, const char *s, size_t n, size_t indent, size_t after, bool force)
{
	size_t i, close, item;
	char kind = 0;
	put_spaces(out, indent);
	if (!force && indent + n + after <= RS_WIDTH) {
		ob_put(out, s, n);
		return;
	}
	for (i = 0; i < n; i++) {
		if (s[i] == '-' && i + 1 < n && s[i + 1] == '>') {
			i++;
			continue;
		}
		if (!(kind = opens(s, i)))
			continue;
		/* a function's generics stay whole: its parameters break */
		close = closing(s, i, n);
		if (kind == '>' && close + 1 < n && s[close + 1] == '(') {
			i = close;
			continue;
		}
		break;
	}
	close = i < n ? closing(s, i, n) : n;
	/* a let whose value fits on a line of its own goes there */
	if (!force && n > 4 && memcmp(s, "let ", 4) == 0) {
		const char *eq = strstr(s, " = ");
		if (eq && (size_t)(eq - s) < i && indent + 4 + (size_t)(s + n - eq - 3) + after <= RS_WIDTH) {
			ob_put(out, s, (size_t)(eq - s) + 2);
			ob_putc(out, '\n');
			put_spaces(out, indent + 4);
			ob_put(out, eq + 3, (size_t)(s + n - eq - 3));
			return;
		}
	}
	/* a field whose type fits on a line of its own goes there */
	if (!force && n > 4 && memcmp(s, "pub ", 4) == 0) {
		const char *colon = memchr(s, ':', i < n ? i : n);
		if (colon && colon[1] == ' ' && indent + 4 + (size_t)(s + n - colon - 2) + after <= RS_WIDTH) {
			ob_put(out, s, (size_t)(colon - s) + 1);
			ob_putc(out, '\n');
			put_spaces(out, indent + 4);
			ob_put(out, colon + 2, (size_t)(s + n - colon - 2));
			return;
		}
	}
	if (i >= n || close >= n || close == i + 1) {
		ob_put(out, s, n);        /* nothing to break */
		return;
	}
	ob_put(out, s, i + 1);
	ob_putc(out, '\n');
	item = i + 1;
	while (item < close && s[item] == ' ')
		item++;
	for (i = item; i <= close; i++) {
		char c = i < close ? opens(s, i) : 0;
		size_t end;
		if (c) {
			i = closing(s, i, close);
			continue;
		}
		if (i < close && s[i] == '-' && s[i + 1] == '>') {
			i++;
			continue;
		}
		if (i < close && s[i] != ',')
			continue;
		end = i;
		while (end > item && s[end - 1] == ' ')
			end--;
		if (end > item) {
			reflow_into(out, s + item, end - item, indent + 4, kind != '}', false);
			if (kind != '}')
				ob_putc(out, ',');
			ob_putc(out, '\n');
		}
		item = i + 1;
		while (item < close && s[item] == ' ')
			item++;
	}
	put_spaces(out, indent);
	/* a signature's tail still too wide: rustfmt puts the brace below */
	if (indent + n - close + after > RS_WIDTH && n - close > 2 && memcmp(s + n - 2, " {", 2) == 0) {
		ob_put(out, s + close, n - close - 2);
		ob_putc(out, '\n');
		put_spaces(out, indent);
		ob_putc(out, '{');
		return;
	}
	ob_put(out, s + close, n - close);
}

/* An array's elements written as rustfmt lays out short ones: all on one
 * line when they fit there, the last one's comma up to RS_WIDTH (one, which
 * the caller finds); else as many a line as fit, each followed by a comma,
 * where rustfmt counts a ", " after each, so that every line, the last
 * too, ends a column before RS_WIDTH. */
struct fill {
	struct outbuf *b;
	size_t indent, col;
	bool one;
};

static void
fill_put(struct fill *f, const char *s, size_t n)
{
	if (!f->one && f->col && f->col + 1 + n + 2 > RS_WIDTH) {
		ob_putc(f->b, '\n');
		f->col = 0;
		ob_flush_point(f->b);
	}
	if (!f->col) {
		put_spaces(f->b, f->indent);
		f->col = f->indent;
	} else {
		ob_putc(f->b, ' ');
		f->col++;
	}
	ob_put(f->b, s, n);
	ob_putc(f->b, ',');
	f->col += n + 1;
}

/* Ends the last line. */
static void
fill_end(struct fill *f)
{
	if (f->col)
		ob_putc(f->b, '\n');
	f->col = 0;
}

/* Reflows the line of b that starts at start and runs to its end. */
static void
reflow(struct outbuf *b, size_t start)
{
	size_t indent = 0, n = b->len - start;
	struct outbuf *line;
	if (n <= RS_WIDTH)
		return;
	while (indent < n && b->data[start + indent] == ' ')
		indent++;
	line = scratch(&reflow_out);
	reflow_into(line, b->data + start + indent, n - indent, indent, 0, false);
	b->len = start;
	ob_put(b, line->data, line->len);
}

/* Reflows the line of b from start, `let X = unsafe { CALL(ARGS) }TAIL`,
 * as rustfmt does: a call whose arguments are wider than 60 columns
 * (its fn_call_width) has one a line; otherwise the line is whole if it
 * fits, or broken after `=`, or the block opened. */
static void
reflow_let_call(struct outbuf *b, size_t start)
{
	size_t indent = 0, n = b->len - start, open, close, argw;
	char *line, *eq, *blk;
	struct outbuf *out;
	bool wide;
	if (n <= RS_WIDTH - 60)
		return;                   /* no call in it can be wide */
	ob_put(scratch(&reflow_in), b->data + start, n);
	line = reflow_in.data;
	while (line[indent] == ' ')
		indent++;
	eq = strstr(line, " = unsafe { ");
	if (!eq)
		return;
	blk = eq + strlen(" = unsafe { ");
	open = (size_t)(strchr(blk, '(') - line);
	close = closing(line, open, n);
	argw = close - open - 1;
	wide = argw > 60 && several_args(line, open, close);
	if (!wide && n <= RS_WIDTH)
		return;
	out = scratch(&reflow_out);
	put_spaces(out, indent);
	if (!wide && indent + 4 + (size_t)(line + n - blk) + strlen("unsafe { ") <= RS_WIDTH) {
		ob_put(out, line + indent, (size_t)(eq - line - indent) + 2);
		ob_putc(out, '\n');
		put_spaces(out, indent + 4);
		ob_put(out, eq + 3, (size_t)(line + n - eq - 3));
	} else {
		/* `let X = unsafe {`, the call (one argument a line when they are
		 * wide), `}TAIL` */
		const char *end = strstr(line + close, " }");
		ob_put(out, line + indent, (size_t)(blk - line - indent) - 1);
		ob_putc(out, '\n');
		reflow_into(out, blk, close + 1 - (size_t)(blk - line), indent + 4, 0, wide);
		ob_putc(out, '\n');
		put_spaces(out, indent);
		ob_puts(out, end ? end + 1 : "}");
	}
	b->len = start;
	ob_put(b, out->data, out->len);
}

/* ---- ABI-level types (doc/abi.md 2, doc/rust.md 2) -------------------------------- */

static void
put_type(struct outbuf *b, const struct rgen *g, uint32_t t)
{
	const struct m_type *ty = &g->m->types[t];
	switch (ty->kind) {
	case TY_VOID: ob_puts(b, "()"); return;
	case TY_BOOL: ob_puts(b, "chitin::Bool"); return;
	case TY_I8: ob_puts(b, "i8"); return;
	case TY_I16: ob_puts(b, "i16"); return;
	case TY_I32: ob_puts(b, "i32"); return;
	case TY_I64: ob_puts(b, "i64"); return;
	case TY_U8: ob_puts(b, "u8"); return;
	case TY_U16: ob_puts(b, "u16"); return;
	case TY_U32: ob_puts(b, "u32"); return;
	case TY_U64: ob_puts(b, "u64"); return;
	case TY_F32: ob_puts(b, "f32"); return;
	case TY_F64: ob_puts(b, "f64"); return;
	case TY_USIZE: ob_puts(b, "usize"); return;
	case TY_ISIZE: ob_puts(b, "isize"); return;
	case TY_TYPEID: ob_puts(b, "chitin::TypeId"); return;
	case TY_STR: ob_puts(b, "chitin::raw::RawStr"); return;
	case TY_STRING: ob_puts(b, "chitin::raw::RawString"); return;
	case TY_SLICE:
		ob_puts(b, ty->is_const ? "chitin::raw::RawSlice<" : "chitin::raw::RawSliceMut<");
		put_type(b, g, ty->elem);
		ob_putc(b, '>');
		return;
	case TY_VEC:
		ob_puts(b, "chitin::raw::RawVec<");
		put_type(b, g, ty->elem);
		ob_putc(b, '>');
		return;
	case TY_OPTION:
		/* the three niches of doc/abi.md 2.8: the element's own type */
		if (g->m->types[ty->elem].kind == TY_BOOL) {
			ob_puts(b, "chitin::OptionBool");
		} else if (is_interface(g, ty->elem) || is_callback(g, ty->elem)) {
			put_type(b, g, ty->elem);
		} else {
			ob_puts(b, "chitin::raw::RawOption<");
			put_type(b, g, ty->elem);
			ob_putc(b, '>');
		}
		return;
	case TY_RESULT:
		ob_puts(b, "chitin::raw::RawResult<");
		put_type(b, g, ty->elem);
		ob_puts(b, ", ");
		put_type(b, g, ty->err);
		ob_putc(b, '>');
		return;
	case TY_ARRAY:
		ob_putc(b, '[');
		put_type(b, g, ty->elem);
		ob_printf(b, "; %" PRIu64 "]", ty->count);
		return;
	case TY_POINTER:
		ob_puts(b, ty->is_const ? "*const " : "*mut ");
		if (ty->elem == TY_VOID)
			ob_puts(b, "core::ffi::c_void");
		else
			put_type(b, g, ty->elem);
		return;
	case TY_NAMED: {
		const struct m_decl *d = named_decl(g, t);
		/* an interface reference is a pointer to its object */
		if (d->kind == DECL_INTERFACE)
			ob_puts(b, "*mut ");
		put_decl_path(b, g, d, "");
		return;
	}
	case TY_ERROR:
	case TY_KIND_COUNT:
		break;
	}
	ob_puts(b, "()");
}

/* ---- doc comments -------------------------------------------------------------------- */

/* doc as comment lines, each indent and marker ("///", or "//" where a
 * doc comment would be an inner attribute's place), then the text. */
static void
put_comment(struct outbuf *b, const char *doc, const char *indent, const char *marker)
{
	const char *line, *nl;
	if (!doc)
		return;
	for (line = doc;; line = nl + 1) {
		nl = strchr(line, '\n');
		ob_printf(b, "%s%s", indent, marker);
		if ((nl ? nl : line + strlen(line)) > line)
			ob_putc(b, ' ');
		ob_put(b, line, nl ? (size_t)(nl - line) : strlen(line));
		ob_putc(b, '\n');
		if (!nl)
			break;
	}
}

static void
put_doc(struct outbuf *b, const char *doc, const char *indent)
{
	put_comment(b, doc, indent, "///");
}

static void
put_deprecated(struct outbuf *b, const struct m_item *it, const char *indent)
{
	const char *p;
	if (!it->deprecated)
		return;
	if (!it->deprecated[0]) {
		ob_printf(b, "%s#[deprecated]\n", indent);
		return;
	}
	ob_printf(b, "%s#[deprecated(note = \"", indent);
	for (p = it->deprecated; *p; p++) {
		if (*p == '"' || *p == '\\')
			ob_putc(b, '\\');
		if (*p == '\n')
			ob_puts(b, "\\n");
		else
			ob_putc(b, *p);
	}
	ob_puts(b, "\")]\n");
}

/* The doc comment of an item that the generated code itself names (a
 * type, a field, a slot, a variant): its deprecation is said in the doc,
 * since #[deprecated] on it would warn at every use the file makes of it
 * (its Abi impl, its layout assertions, a struct that holds it). */
static void
put_item_doc(struct outbuf *b, const struct m_item *it, const char *indent)
{
	const char *p;
	put_doc(b, it->doc, indent);
	if (!it->deprecated)
		return;
	if (it->doc)
		ob_printf(b, "%s///\n", indent);
	ob_printf(b, "%s/// Deprecated", indent);
	if (it->deprecated[0]) {
		ob_puts(b, ": ");
		for (p = it->deprecated; *p; p++)
			ob_putc(b, *p == '\n' ? ' ' : *p);
	}
	ob_puts(b, ".\n");
}

/* The doc comment and #[deprecated] of an item the generated code never
 * names: a constant, an enum value, a method, an export. */
static void
put_item_head(struct outbuf *b, const struct m_item *it, const char *indent)
{
	put_doc(b, it->doc, indent);
	put_deprecated(b, it, indent);
}

/* ---- constants ----------------------------------------------------------------------- */

static void
put_int(struct outbuf *b, uint64_t v, enum type_kind k)
{
	if (type_is_signed(k))
		ob_printf(b, "%" PRId64, (int64_t)v);
	else
		ob_printf(b, "%" PRIu64, v);
}

static void
emit_const(struct rgen *g, const struct m_decl *d)
{
	const struct m_type *ty = &g->m->types[d->type];
	put_item_head(g->o, &d->item, "");
	if (has_lower(d->item.name))
		put_allow_case(g->o, "", "non_upper_case_globals");
	ob_puts(g->o, "pub const ");
	put_ident(g->o, d->item.name);
	ob_puts(g->o, ": ");
	put_type(g->o, g, d->type);
	ob_puts(g->o, " = ");
	if (ty->kind == TY_NAMED) {
		const struct m_decl *e = named_decl(g, d->type);
		put_decl_path(g->o, g, e, "");
		ob_putc(g->o, '(');
		put_int(g->o, d->u.konst.value, g->m->types[e->u.enm.repr].kind);
		ob_putc(g->o, ')');
	} else {
		put_int(g->o, d->u.konst.value, ty->kind);
	}
	ob_puts(g->o, ";\n\n");
}

/* ---- structs, unions, enums ---------------------------------------------------------- */

static bool
fields_snake(const struct rgen *g, uint32_t first, uint32_t n)
{
	uint32_t f;
	for (f = first; f < first + n; f++)
		if (has_upper(g->m->fields[f].item.name))
			return false;
	return true;
}

static void
emit_fields(struct rgen *g, uint32_t first, uint32_t n)
{
	uint32_t f;
	for (f = first; f < first + n; f++) {
		const struct m_field *fl = &g->m->fields[f];
		put_item_doc(g->o, &fl->item, "    ");
		ob_puts(g->o, "    pub ");
		put_ident(g->o, fl->item.name);
		ob_puts(g->o, ": ");
		put_type(g->o, g, fl->type);
		ob_puts(g->o, ",\n");
	}
}

/* `unsafe impl chitin::Abi`: releasing in place what the fields own
 * (doc/abi.md 4), for a struct or payload struct. */
static void
emit_abi_impl(struct rgen *g, const char *name, uint32_t first, uint32_t n, bool releases)
{
	uint32_t f, owning = 0;
	if (releases)
		for (f = first; f < first + n; f++)
			owning += model_type_owns(g->m, g->m->fields[f].type);
	ob_puts(g->o, "// SAFETY: #[repr(C)] and Copy, of Abi fields.\nunsafe impl chitin::Abi for ");
	ob_puts(g->o, name);
	ob_puts(g->o, " {");
	if (!owning) {
		ob_puts(g->o, "}\n\n");
		return;
	}
	ob_puts(g->o, "\n    #[deny(unsafe_op_in_unsafe_fn)]\n    unsafe fn release_in_place(&mut self) {\n"
		"        // SAFETY: the caller's contract, field by field.\n");
	if (owning > 1)
		ob_puts(g->o, "        unsafe {\n");
	for (f = first; f < first + n; f++) {
		const struct m_field *fl = &g->m->fields[f];
		if (!model_type_owns(g->m, fl->type))
			continue;
		ob_puts(g->o, owning > 1 ? "            self." : "        unsafe { self.");
		put_ident(g->o, fl->item.name);
		ob_puts(g->o, owning > 1 ? ".release_in_place();\n" : ".release_in_place() };\n");
	}
	if (owning > 1)
		ob_puts(g->o, "        }\n");
	ob_puts(g->o, "    }\n}\n\n");
}

static void
emit_struct_body(struct rgen *g, const struct m_item *it, const char *name, const char *what,
		 uint32_t first, uint32_t n, uint32_t align, bool releases)
{
	if (it)
		put_item_doc(g->o, it, "");
	if (!is_camel(name))
		put_allow_case(g->o, "", "non_camel_case_types");
	if (!fields_snake(g, first, n))
		put_allow_case(g->o, "", "non_snake_case");
	if (align)
		ob_printf(g->o, "#[repr(C, align(%u))]\n", align);
	else
		ob_puts(g->o, "#[repr(C)]\n");
	ob_printf(g->o, "#[derive(Clone, Copy)]\npub %s %s {\n", what, name);
	emit_fields(g, first, n);
	ob_puts(g->o, "}\n\n");
	/* a union's holder knows what it holds; the union releases nothing */
	emit_abi_impl(g, name, first, n, releases);
}

static void put_cfg(struct outbuf *b, unsigned mask, size_t indent);

/* The offsets of resilient struct d's fields on target ti, as the
 * line `const OFFSETS: [u32; N] = [...];` at indent (ended), filled as
 * rustfmt fills an array of numbers. */
static void
put_record_offsets(struct rgen *g, const struct m_decl *d, unsigned ti, size_t indent)
{
	uint32_t f, n = d->u.agg.n_fields;
	struct outbuf *line = scratch(&tmp_args);
	struct fill fl = { .b = g->o, .indent = indent + 4 };
	char text[24];
	size_t open;
	ob_puts(line, "const OFFSETS: [u32; ");
	ob_u64(line, n);
	ob_puts(line, "] = [");
	open = line->len;
	for (f = 0; f < n; f++) {
		if (f)
			ob_puts(line, ", ");
		ob_u64(line, ck_field_offset(g->ck, ti, d->u.agg.first_field + f));
	}
	/* one line while the numbers fit in 60 columns (array_width) */
	if (line->len - open <= 60 && indent + line->len + 2 <= RS_WIDTH) {
		put_spaces(g->o, indent);
		ob_put(g->o, line->data, line->len);
		ob_puts(g->o, "];\n");
		return;
	}
	fl.one = indent + 4 + (line->len - open) + 1 <= RS_WIDTH;
	put_spaces(g->o, indent);
	ob_puts(g->o, "const OFFSETS: [u32; ");
	ob_u64(g->o, n);
	ob_puts(g->o, "] = [\n");
	for (f = 0; f < n; f++)
		fill_put(&fl, text, u64_text(text, ck_field_offset(g->ck, ti, d->u.agg.first_field + f)));
	fill_end(&fl);
	put_spaces(g->o, indent);
	ob_puts(g->o, "];\n");
}

/* Whether resilient struct d's fields are at the same offsets on targets
 * a and b. */
static bool
same_offsets(const struct rgen *g, const struct m_decl *d, unsigned a, unsigned b)
{
	uint32_t f;
	for (f = d->u.agg.first_field; f < d->u.agg.first_field + d->u.agg.n_fields; f++)
		if (ck_field_offset(g->ck, a, f) != ck_field_offset(g->ck, b, f))
			return false;
	return true;
}

/* `unsafe impl chitin::Resilient`: this library's layout record of d, a
 * static whose size and alignment are the Fields struct's and whose
 * offsets are chitin's for the target's class, under one cfg per set of
 * classes that agree (doc/abi.md 2.18). */
static void
emit_resilient_record(struct rgen *g, const struct m_decl *d)
{
	const struct ck_module_classes *cl = ck_classes(g->ck, g->mi);
	const char *name = d->item.name;
	uint32_t k, j;
	unsigned done = 0;
	ob_printf(g->o, "// SAFETY: the record describes %sFields, a value of this version, with\n"
		  "// the offsets chitin computed for each target (checked by check_layout).\n"
		  "unsafe impl chitin::Resilient for %s {\n"
		  "    fn record() -> *const chitin::raw::LayoutRecord {\n", name, name);
	for (k = 0; k < cl->n; k++) {
		unsigned mask = 0;
		if (done & (1u << k))
			continue;
		for (j = k; j < cl->n; j++)
			if (!(done & (1u << j)) &&
			    same_offsets(g, d, cl->classes[k].first, cl->classes[j].first)) {
				done |= 1u << j;
				mask |= cl->classes[j].targets;
			}
		if (done != (1u << cl->n) - 1 || k) {
			ob_puts(g->o, "        #[cfg(");
			put_cfg(g->o, mask, 8);
			ob_puts(g->o, ")]\n");
		}
		put_record_offsets(g, d, cl->classes[k].first, 8);
	}
	ob_printf(g->o, "        static RECORD: chitin::LayoutRecordOf<%u> = chitin::LayoutRecordOf::new(\n"
		  "            core::mem::size_of::<%sFields>(),\n"
		  "            core::mem::align_of::<%sFields>(),\n"
		  "            OFFSETS,\n        );\n        RECORD.as_ptr()\n    }\n}\n\n",
		  d->u.agg.n_fields, name, name);
}

/* The accessors of the views SRef (shared, `mut_` false) and SMut: one
 * method a field, named after it, that finds it through the value's
 * record. */
static void
emit_resilient_accessors(struct rgen *g, const struct m_decl *d, bool mut_)
{
	uint32_t i;
	bool conv = false;
	for (i = 0; i < d->u.agg.n_fields; i++)
		conv |= self_convention(g->m->fields[d->u.agg.first_field + i].item.name);
	if (!fields_snake(g, d->u.agg.first_field, d->u.agg.n_fields))
		put_allow_case(g->o, "", "non_snake_case");
	put_allow_self_convention(g->o, conv);
	ob_printf(g->o, "impl%s %s%s<%s> {\n", mut_ ? "" : "<'a>", d->item.name, mut_ ? "Mut" : "Ref",
		  mut_ ? "'_" : "'a");
	for (i = 0; i < d->u.agg.n_fields; i++) {
		const struct m_field *f = &g->m->fields[d->u.agg.first_field + i];
		size_t start;
		if (i)
			ob_putc(g->o, '\n');
		put_doc(g->o, f->item.doc, "    ");
		if (f->item.doc)
			ob_puts(g->o, "    ///\n");
		ob_printf(g->o, "    /// The value's `%s", f->item.name);
		if (f->item.has_since)
			ob_printf(g->o, "`%s, or `None` when the version that\n"
				  "    /// made the value lacks it (it is new in %u.%u) or its record does not\n"
				  "    /// place it inside the value.\n", mut_ ? " to read or write" : "",
				  f->item.since.major, f->item.since.minor);
		else
			ob_printf(g->o, "`%s, or `None` where its record does not\n"
				  "    /// place it inside the value.\n", mut_ ? " to read or write" : "");
		/* the file never calls its accessors */
		put_deprecated(g->o, &f->item, "    ");
		ob_flush_point(g->o);
		start = g->o->len;
		ob_puts(g->o, "    pub fn ");
		put_ident(g->o, f->item.name);
		ob_puts(g->o, mut_ ? "(&mut self) -> Option<&mut " : "(self) -> Option<&'a ");
		put_type(g->o, g, f->type);
		ob_puts(g->o, "> {");
		reflow(g->o, start);
		ob_printf(g->o, "\n        // SAFETY: field %u is of this type, in every version.\n"
			  "        unsafe { self.0.field(%u) }\n    }\n", i, i);
	}
	ob_puts(g->o, "}\n\n");
}

/* `pub struct NAME<'a>(pub chitin::ResilientX<'a, S>);` as rustfmt lays
 * it out, with the allow a name not in CamelCase needs. */
static void
put_view_struct(struct rgen *g, const char *name, const char *suffix, const char *runtime)
{
	size_t start;
	if (!is_camel(name))
		put_allow_case(g->o, "", "non_camel_case_types");
	start = g->o->len;
	ob_printf(g->o, "pub struct %s%s<'a>(pub chitin::%s<'a, %s>);", name, suffix, runtime, name);
	reflow(g->o, start);
	ob_puts(g->o, "\n\n");
}

static void
emit_resilient(struct rgen *g, const struct m_decl *d)
{
	const char *name = d->item.name;
	size_t start;
	put_item_doc(g->o, &d->item, "");
	ob_printf(g->o, "///\n/// A resilient struct (doc/abi.md 2.18): reached only through pointers,\n"
		  "/// laid out as its maker's layout record says; its fields are read and\n"
		  "/// written through [`%sRef`] and [`%sMut`], and [`%sFields`] is a\n"
		  "/// value this library makes.\n"
		  "%s#[repr(C)]\npub struct %s {\n    /// The maker's layout record.\n"
		  "    pub record: *const chitin::raw::LayoutRecord,\n}\n\n", name, name, name,
		  is_camel(name) ? "" : "#[allow(non_camel_case_types)]\n", name);
	ob_printf(g->o, "impl %s {\n"
		  "    /// The head of this library's layout record of `%s`: the size and\n"
		  "    /// alignment of the values it makes (not a record pointer, which is\n"
		  "    /// `chitin::Resilient::record`).\n"
		  "    pub fn layout() -> &'static chitin::raw::LayoutRecord {\n"
		  "        <Self as chitin::Resilient>::layout()\n    }\n\n"
		  "    /// The value at `value`, made by any version, to read its fields;\n"
		  "    /// `None` for a null pointer or one not aligned for a pointer.\n"
		  "    ///\n    /// # Safety\n    ///\n"
		  "    /// As [`chitin::ResilientRef::from_ptr`].\n"
		  "    #[deny(unsafe_op_in_unsafe_fn)]\n", name, name);
	start = g->o->len;
	ob_printf(g->o, "    pub unsafe fn view<'a>(value: *const Self) -> Option<%sRef<'a>> {", name);
	reflow(g->o, start);
	ob_printf(g->o, "\n        // SAFETY: the caller's contract.\n"
		  "        let view = unsafe { chitin::ResilientRef::from_ptr(value) };\n"
		  "        view.map(%sRef)\n    }\n\n"
		  "    /// The value at `value`, made by any version, to read and write its\n"
		  "    /// fields; `None` for a null pointer or one not aligned for a pointer.\n"
		  "    ///\n    /// # Safety\n    ///\n"
		  "    /// As [`chitin::ResilientMut::from_ptr`].\n"
		  "    #[deny(unsafe_op_in_unsafe_fn)]\n", name);
	start = g->o->len;
	ob_printf(g->o, "    pub unsafe fn view_mut<'a>(value: *mut Self) -> Option<%sMut<'a>> {", name);
	reflow(g->o, start);
	ob_printf(g->o, "\n        // SAFETY: the caller's contract.\n"
		  "        let view = unsafe { chitin::ResilientMut::from_ptr(value) };\n"
		  "        view.map(%sMut)\n    }\n}\n\n", name);
	emit_resilient_record(g, d);
	ob_printf(g->o, "/// A value of `%s` as this version lays it out: the record pointer,\n"
		  "/// then the fields.  [`%sFields::new`] makes one with this library's\n"
		  "/// record; [`%sFields::as_ptr`] is the `%s` to pass.\n", name, name, name, name);
	if (!is_camel(name))
		put_allow_case(g->o, "", "non_camel_case_types");
	if (!fields_snake(g, d->u.agg.first_field, d->u.agg.n_fields))
		put_allow_case(g->o, "", "non_snake_case");
	if (d->u.agg.align)
		ob_printf(g->o, "#[repr(C, align(%u))]\n", d->u.agg.align);
	else
		ob_puts(g->o, "#[repr(C)]\n");
	ob_printf(g->o, "#[derive(Clone, Copy)]\npub struct %sFields {\n"
		  "    record: *const chitin::raw::LayoutRecord,\n", name);
	emit_fields(g, d->u.agg.first_field, d->u.agg.n_fields);
	ob_puts(g->o, "}\n\n");
	ob_printf(g->o, "impl %sFields {\n"
		  "    /// A value of this version: this library's layout record, then every\n"
		  "    /// field zero.\n"
		  "    pub fn new() -> Self {\n"
		  "        // SAFETY: every field is chitin::Abi, valid for any bits, zero\n"
		  "        // included (the accessors require it of each).\n"
		  "        let mut value: Self = unsafe { core::mem::zeroed() };\n"
		  "        value.record =%s<%s as chitin::Resilient>::record();\n"
		  "        value\n    }\n\n"
		  "    /// The value's layout record: this library's.\n"
		  "    pub fn record(&self) -> *const chitin::raw::LayoutRecord {\n"
		  "        self.record\n    }\n\n"
		  "    /// The value, to pass where a `*const %s` is asked for.\n"
		  "    pub fn as_ptr(&self) -> *const %s {\n"
		  "        (self as *const Self).cast()\n    }\n\n"
		  "    /// The value, to pass where a `*mut %s` is asked for.\n"
		  "    pub fn as_mut_ptr(&mut self) -> *mut %s {\n"
		  "        (self as *mut Self).cast()\n    }\n}\n\n"
		  "impl Default for %sFields {\n    fn default() -> Self {\n        Self::new()\n    }\n}\n\n",
		  name, 8 + strlen("value.record = <") + strlen(name) + strlen(" as chitin::Resilient>::record();") > RS_WIDTH
		  ? "\n            " : " ", name, name, name, name, name, name);
	ob_printf(g->o, "/// A value of `%s` made by any version, borrowed: each field where\n"
		  "/// the value's layout record places it.\n"
		  "#[derive(Clone, Copy)]\n", name);
	put_view_struct(g, name, "Ref", "ResilientRef");
	emit_resilient_accessors(g, d, false);
	ob_printf(g->o, "/// A value of `%s` made by any version, mutably borrowed: each field\n"
		  "/// where the value's layout record places it, to read or write.\n", name);
	put_view_struct(g, name, "Mut", "ResilientMut");
	emit_resilient_accessors(g, d, true);
	/* rustfmt breaks a long impl header before `for`, its brace alone */
	start = g->o->len;
	ob_printf(g->o, "impl<'a> From<&'a %sMut<'_>> for %sRef<'a> {", name, name);
	if (g->o->len - start > RS_WIDTH) {
		g->o->len = start;
		ob_printf(g->o, "impl<'a> From<&'a %sMut<'_>>\n    for %sRef<'a>\n{", name, name);
	}
	ob_printf(g->o, "\n    fn from(value: &'a %sMut<'_>) -> Self {\n"
		  "        %sRef(value.0.view())\n    }\n}\n\n", name, name);
}

static void
emit_c_enum(struct rgen *g, const struct m_decl *d)
{
	uint32_t v;
	bool upper = true;
	put_item_doc(g->o, &d->item, "");
	if (!is_camel(d->item.name))
		put_allow_case(g->o, "", "non_camel_case_types");
	ob_printf(g->o, "///\n/// Open (doc/abi.md 2.13): every value of its integer type is one,\n"
		  "/// named or not.\n"
		  "#[repr(transparent)]\n#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]\n"
		  "pub struct %s(pub ", d->item.name);
	put_type(g->o, g, d->u.enm.repr);
	ob_printf(g->o, ");\n\n// SAFETY: an integer.\nunsafe impl chitin::Abi for %s {}\n\n", d->item.name);
	if (!d->u.enm.n_variants)
		return;
	for (v = d->u.enm.first_variant; v < d->u.enm.first_variant + d->u.enm.n_variants; v++)
		upper &= !has_lower(g->m->variants[v].item.name);
	if (!upper)
		put_allow_case(g->o, "", "non_upper_case_globals");
	ob_printf(g->o, "impl %s {\n", d->item.name);
	for (v = d->u.enm.first_variant; v < d->u.enm.first_variant + d->u.enm.n_variants; v++) {
		const struct m_variant *va = &g->m->variants[v];
		if (v > d->u.enm.first_variant && (va->item.doc || va->item.deprecated))
			ob_putc(g->o, '\n');
		put_item_head(g->o, &va->item, "    ");
		ob_puts(g->o, "    pub const ");
		put_ident(g->o, va->item.name);
		ob_printf(g->o, ": %s = %s(", d->item.name, d->item.name);
		put_int(g->o, va->value, g->m->types[d->u.enm.repr].kind);
		ob_puts(g->o, ");\n");
	}
	ob_puts(g->o, "}\n\n");
}

static bool
variant_owns(const struct rgen *g, const struct m_variant *va)
{
	uint32_t f;
	if (va->has_payload)
		for (f = va->first_field; f < va->first_field + va->n_fields; f++)
			if (model_type_owns(g->m, g->m->fields[f].type))
				return true;
	return false;
}

static void
emit_data_enum(struct rgen *g, const struct m_decl *d)
{
	const char *name = d->item.name;
	uint32_t v, first = d->u.enm.first_variant, end = first + d->u.enm.n_variants;
	bool snake = true, owns = false;
	struct outbuf pname;
	enum type_kind rk = g->m->types[d->u.enm.repr].kind;

	ob_init(&pname);
	for (v = first; v < end; v++) {
		const struct m_variant *va = &g->m->variants[v];
		if (!va->has_payload)
			continue;
		pname.len = 0;
		ob_printf(&pname, "%s%s", name, va->item.name);
		ob_printf(g->o, "/// The payload of [`%s`]'s variant `%s`.\n", name, va->item.name);
		emit_struct_body(g, NULL, pname.data, "struct", va->first_field, va->n_fields, 0, true);
		snake &= !has_upper(va->item.name);
		for (uint32_t f = va->first_field; f < va->first_field + va->n_fields; f++)
			owns |= model_type_owns(g->m, g->m->fields[f].type);
	}
	ob_printf(g->o, "/// The payloads of [`%s`], one member a variant with fields.\n", name);
	if (!snake)
		put_allow_case(g->o, "", "non_snake_case");
	ob_printf(g->o, "#[repr(C)]\n#[derive(Clone, Copy)]\npub union %sPayload {\n", name);
	for (v = first; v < end; v++) {
		const struct m_variant *va = &g->m->variants[v];
		if (!va->has_payload)
			continue;
		ob_puts(g->o, "    pub ");
		put_ident(g->o, va->item.name);
		ob_printf(g->o, ": %s%s,\n", name, va->item.name);
	}
	ob_puts(g->o, "}\n\n");

	put_item_doc(g->o, &d->item, "");
	if (!is_camel(name))
		put_allow_case(g->o, "", "non_camel_case_types");
	ob_printf(g->o, "///\n/// A data enum (doc/abi.md 2.14): the tag, then the payload of the\n"
		  "/// variant it names.  A tag no variant has is data too; [`%s::view`]\n"
		  "/// reads it as `Unknown`.\n"
		  "#[repr(C)]\n#[derive(Clone, Copy)]\npub struct %s {\n    /// The variant's tag.\n    pub tag: ",
		  name, name);
	put_type(g->o, g, d->u.enm.repr);
	ob_printf(g->o, ",\n    /// The variant's fields; unspecified bytes for a unit variant.\n"
		  "    pub payload: %sPayload,\n}\n\n", name);
	ob_printf(g->o, "// SAFETY: #[repr(C)], Copy, and valid for every bit pattern: the tag is\n"
		  "// an integer, and the payload is read only as the tag says.\n"
		  "unsafe impl chitin::Abi for %s {", name);
	if (owns) {
		uint32_t n_owning = 0;
		for (v = first; v < end; v++)
			n_owning += variant_owns(g, &g->m->variants[v]);
		ob_puts(g->o, "\n    #[deny(unsafe_op_in_unsafe_fn)]\n    unsafe fn release_in_place(&mut self) {\n");
		if (n_owning > 1)
			ob_puts(g->o, "        match self.tag {\n");
		for (v = first; v < end; v++) {
			const struct m_variant *va = &g->m->variants[v];
			if (!variant_owns(g, va))
				continue;
			if (n_owning > 1) {
				ob_puts(g->o, "            Self::TAG_");
				ob_puts(g->o, va->item.name);
				ob_puts(g->o, " => {\n");
			} else {
				ob_printf(g->o, "        // an unknown variant's payload cannot be released (doc/abi.md 2.14)\n"
					  "        if self.tag == Self::TAG_%s {\n", va->item.name);
			}
			ob_puts(g->o, n_owning > 1 ? "                " : "            ");
			ob_puts(g->o, "// SAFETY: the caller's contract, for the variant the tag names.\n");
			ob_puts(g->o, n_owning > 1 ? "                " : "            ");
			ob_puts(g->o, "unsafe { self.payload.");
			put_ident(g->o, va->item.name);
			ob_puts(g->o, ".release_in_place() }\n");
			ob_puts(g->o, n_owning > 1 ? "            }\n" : "        }\n");
		}
		if (n_owning > 1)
			ob_puts(g->o, "            // an unknown variant's payload cannot be released (doc/abi.md 2.14)\n"
				"            _ => {}\n        }\n");
		ob_puts(g->o, "    }\n}\n\n");
	} else {
		ob_puts(g->o, "}\n\n");
	}

	/* the view: a Rust enum over a borrowed value */
	ob_printf(g->o, "/// What a [`%s`] holds, by its tag.\n#[derive(Clone, Copy)]\n", name);
	{
		/* its variants are named as the IDL names them, too */
		bool camel = is_camel(name);
		for (v = first; v < end; v++)
			camel &= is_camel(g->m->variants[v].item.name);
		if (!camel)
			put_allow_case(g->o, "", "non_camel_case_types");
	}
	ob_printf(g->o, "pub enum %sView<'a> {\n", name);
	for (v = first; v < end; v++) {
		const struct m_variant *va = &g->m->variants[v];
		put_item_doc(g->o, &va->item, "    ");
		ob_puts(g->o, "    ");
		put_ident(g->o, va->item.name);
		if (va->has_payload)
			ob_printf(g->o, "(&'a %s%s)", name, va->item.name);
		ob_puts(g->o, ",\n");
	}
	ob_puts(g->o, "    /// A tag no variant of this version has: a later version's variant.\n    Unknown(");
	put_type(g->o, g, d->u.enm.repr);
	ob_puts(g->o, "),\n}\n\n");

	{
		bool upper = true;
		for (v = first; v < end; v++)
			upper &= !has_lower(g->m->variants[v].item.name);
		if (!snake || !upper)
			ob_printf(g->o, "#[allow(%s%s%s)]\n", !snake ? "non_snake_case" : "",
				  !snake && !upper ? ", " : "", !upper ? "non_upper_case_globals" : "");
	}
	ob_printf(g->o, "impl %s {\n", name);
	for (v = first; v < end; v++) {
		const struct m_variant *va = &g->m->variants[v];
		ob_puts(g->o, "    /// The tag of `");
		ob_puts(g->o, va->item.name);
		ob_puts(g->o, "`.\n");
		ob_printf(g->o, "    pub const TAG_%s: ", va->item.name);
		put_type(g->o, g, d->u.enm.repr);
		ob_puts(g->o, " = ");
		put_int(g->o, va->value, rk);
		ob_puts(g->o, ";\n\n");
	}
	for (v = first; v < end; v++) {
		const struct m_variant *va = &g->m->variants[v];
		if (va->item.doc)
			put_item_head(g->o, &va->item, "    ");
		else
			ob_printf(g->o, "    /// A `%s`%s.\n", va->item.name, va->has_payload ? ", with its fields" : "");
		if (!va->item.doc)
			put_deprecated(g->o, &va->item, "    ");
		ob_puts(g->o, "    pub fn ");
		put_ident(g->o, va->item.name);
		/* the payload's other bytes zero, as chitin::zeroed makes them */
		if (va->has_payload) {
			ob_puts(g->o, "(payload: ");
			ob_puts(g->o, name);
			ob_puts(g->o, va->item.name);
			ob_puts(g->o, ") -> ");
			ob_puts(g->o, name);
			ob_puts(g->o, " {\n        let mut value = ");
			ob_puts(g->o, name);
			ob_puts(g->o, " {\n            tag: Self::TAG_");
			ob_puts(g->o, va->item.name);
			ob_puts(g->o, ",\n            ..chitin::zeroed()\n        };\n        value.payload.");
			put_ident(g->o, va->item.name);
			ob_puts(g->o, " = payload;\n        value\n    }\n\n");
		} else {
			ob_puts(g->o, "() -> ");
			ob_puts(g->o, name);
			ob_puts(g->o, " {\n        ");
			ob_puts(g->o, name);
			ob_puts(g->o, " {\n            tag: Self::TAG_");
			ob_puts(g->o, va->item.name);
			ob_puts(g->o, ",\n            ..chitin::zeroed()\n        }\n    }\n\n");
		}
	}
	ob_printf(g->o, "    /// The variant the tag names, with its payload.\n"
		  "    pub fn view(&self) -> %sView<'_> {\n", name);
	if (end - first == 1) {
		const struct m_variant *va = &g->m->variants[first];
		ob_printf(g->o, "        if self.tag == Self::TAG_%s {\n            %sView::", va->item.name, name);
		put_ident(g->o, va->item.name);
		if (va->has_payload) {
			ob_puts(g->o, "(\n                // SAFETY: the tag says this member is the one written.\n"
				"                unsafe { &self.payload.");
			put_ident(g->o, va->item.name);
			ob_puts(g->o, " },\n            )");
		}
		ob_printf(g->o, "\n        } else {\n            %sView::Unknown(self.tag)\n        }\n    }\n}\n\n", name);
		ob_free(&pname);
		return;
	}
	ob_puts(g->o, "        match self.tag {\n");
	for (v = first; v < end; v++) {
		const struct m_variant *va = &g->m->variants[v];
		ob_printf(g->o, "            Self::TAG_%s => %sView::", va->item.name, name);
		put_ident(g->o, va->item.name);
		if (va->has_payload) {
			ob_puts(g->o, "(\n                // SAFETY: the tag says this member is the one written.\n"
				"                unsafe { &self.payload.");
			put_ident(g->o, va->item.name);
			ob_puts(g->o, " },\n            ),\n");
		} else {
			ob_puts(g->o, ",\n");
		}
	}
	ob_printf(g->o, "            tag => %sView::Unknown(tag),\n        }\n    }\n}\n\n", name);
	ob_free(&pname);
}

/* ---- signatures ---------------------------------------------------------------------- */

/* The lowered parameters of me after `first` (doc/abi.md 3.2; "" for
 * none), as "name: Type" each, the result pointer last, sep between. */
static void
put_lowered_params_sep(struct outbuf *b, const struct rgen *g, const struct m_method *me, const char *first,
		       const char *sep)
{
	uint32_t p;
	bool any = first[0] != '\0';
	ob_puts(b, first);
	for (p = me->first_param; p < me->first_param + me->n_params; p++) {
		const struct m_param *pa = &g->m->params[p];
		const struct m_type *ty = &g->m->types[pa->type];
		if (any)
			ob_puts(b, sep);
		any = true;
		put_ident(b, pa->name);
		ob_puts(b, ": ");
		if (pa->dir != DIR_IN && ty->kind != TY_SLICE) {
			ob_puts(b, "*mut ");
		} else if (pa->dir == DIR_IN && model_type_over_aligned(g->m, pa->type)) {
			ob_puts(b, "*const ");
		}
		put_type(b, g, pa->type);
	}
	if (me->ret != TY_VOID) {
		if (any)
			ob_puts(b, sep);
		ob_puts(b, "ret: *mut ");
		put_type(b, g, me->ret);
	}
}

static void
put_lowered_params(struct outbuf *b, const struct rgen *g, const struct m_method *me, const char *first)
{
	put_lowered_params_sep(b, g, me, first, ", ");
}

/* A signature `head(lowered params) -> chitin::Status` and end at indent
 * as rustfmt lays it out: on one line if it fits, else one parameter a
 * line, each with its comma.  For heads with generics, which reflow would
 * break inside.  The parameters are written once, into tmp_sig with a
 * '\1' between them, and copied in the form that fits. */
static void
put_thunk_sig(struct outbuf *b, const struct rgen *g, const struct m_method *me, size_t indent, const char *head,
	      const char *first, const char *end)
{
	struct outbuf *params = scratch(&tmp_sig);
	size_t start = b->len, n_sep = 0, i, from;
	put_lowered_params_sep(params, g, me, first, "\1");
	for (i = 0; i < params->len; i++)
		n_sep += params->data[i] == '\1';
	if (indent + strlen(head) + 1 + params->len + n_sep + strlen(") -> chitin::Status") + strlen(end) <=
	    RS_WIDTH) {
		put_spaces(b, indent);
		ob_puts(b, head);
		ob_putc(b, '(');
		for (from = i = 0; i <= params->len; i++) {
			if (i < params->len && params->data[i] != '\1')
				continue;
			ob_put(b, params->data + from, i - from);
			if (i < params->len)
				ob_puts(b, ", ");
			from = i + 1;
		}
	} else {
		const char *lt = strchr(head, '<');
		b->len = start;
		put_spaces(b, indent);
		if (lt && indent + strlen(head) + 1 > RS_WIDTH - 3) {
			/* generics too wide for the line: one a line, as rustfmt
			 * breaks them (rustfmt keeps 3 columns spare) */
			const char *p = lt + 1, *q;
			int depth = 0;
			ob_put(b, head, (size_t)(p - head));
			ob_putc(b, '\n');
			for (q = p; *q && !(depth == 0 && *q == '>'); q++) {
				if (*q == '<')
					depth++;
				else if (*q == '>')
					depth--;
				else if (depth == 0 && *q == ',') {
					put_spaces(b, indent + 4);
					ob_put(b, p, (size_t)(q - p));
					ob_puts(b, ",\n");
					p = q + 2;
				}
			}
			put_spaces(b, indent + 4);
			ob_put(b, p, (size_t)(q - p));
			ob_puts(b, ",\n");
			put_spaces(b, indent);
			ob_puts(b, q);
		} else {
			ob_puts(b, head);
		}
		ob_puts(b, "(\n");
		for (from = i = 0; i <= params->len; i++) {
			if (i < params->len && params->data[i] != '\1')
				continue;
			put_spaces(b, indent + 4);
			ob_put(b, params->data + from, i - from);
			ob_puts(b, ",\n");
			from = i + 1;
		}
		put_spaces(b, indent);
	}
	ob_puts(b, ") -> chitin::Status");
	ob_puts(b, end);
}

/* `unsafe extern "C" fn(first, params...) -> chitin::Status`. */
static void
put_fn_type(struct outbuf *b, const struct rgen *g, const struct m_method *me, const char *first)
{
	ob_puts(b, "unsafe extern \"C\" fn(");
	put_lowered_params(b, g, me, first);
	ob_puts(b, ") -> chitin::Status");
}

/* How a parameter or result is presented to Rust code: to callers of a
 * call, and to the Rust code a thunk calls (doc/rust.md 3). */
enum form {
	F_ABI,          /* the ABI-level type itself */
	F_BOOL,         /* bool <-> chitin::Bool */
	F_STR,          /* &str */
	F_SLICE,        /* &[T] */
	F_SLICE_MUT,    /* &mut [T] */
	F_SLICE_OUT,    /* &mut [MaybeUninit<T>] */
	F_STRING,       /* chitin::String */
	F_VEC,          /* chitin::Vec<T> */
	F_IFACE,        /* in: &I; out: chitin::Ref<I> */
	F_OPT_IFACE,    /* in: Option<&I>; out: Option<chitin::Ref<I>> */
	F_CALLBACK,     /* chitin::Callback<'_, C> */
	F_OPT_CALLBACK, /* Option<chitin::Callback<'_, C>> */
	F_OPTION,       /* Option<T> of a plain T */
	F_OPTION_BOOL,  /* Option<bool> */
	F_RESULT,       /* Result<T, E> of plain arms */
};

static enum form form_of(const struct rgen *g, uint32_t t, enum param_dir dir, bool is_ret);

/* Whether t is an element or arm that an option or result shows as
 * itself: an ABI-level type that owns nothing (or a void arm), so that
 * the natural Option or Result holds it as it is. */
static bool
plain_elem(const struct rgen *g, uint32_t t)
{
	return t == TY_VOID || (form_of(g, t, DIR_IN, false) == F_ABI && !model_type_owns(g->m, t));
}

static enum form
form_of(const struct rgen *g, uint32_t t, enum param_dir dir, bool is_ret)
{
	const struct m_type *ty = &g->m->types[t];
	switch (ty->kind) {
	case TY_BOOL: return F_BOOL;
	case TY_STR: return is_ret ? F_ABI : F_STR;
	case TY_SLICE:
		if (ty->is_const)
			return F_SLICE;
		return dir == DIR_OUT ? F_SLICE_OUT : F_SLICE_MUT;
	case TY_STRING: return F_STRING;
	case TY_VEC: return F_VEC;
	case TY_NAMED:
		if (is_interface(g, t))
			return F_IFACE;
		return is_callback(g, t) ? F_CALLBACK : F_ABI;
	case TY_OPTION:
		if (is_interface(g, ty->elem))
			return F_OPT_IFACE;
		if (is_callback(g, ty->elem))
			return F_OPT_CALLBACK;
		/* an over-aligned [in] value goes by pointer, as itself */
		if (model_type_over_aligned(g->m, t))
			return F_ABI;
		if (g->m->types[ty->elem].kind == TY_BOOL)
			return F_OPTION_BOOL;
		return plain_elem(g, ty->elem) ? F_OPTION : F_ABI;
	case TY_RESULT:
		if (model_type_over_aligned(g->m, t))
			return F_ABI;
		return plain_elem(g, ty->elem) && plain_elem(g, ty->err) ? F_RESULT : F_ABI;
	default: return F_ABI;
	}
}

/* The Rust type of form f over type t, for an argument (in) or what a
 * method gives back. */
static void
put_form_type(struct outbuf *b, const struct rgen *g, uint32_t t, enum form f, bool in)
{
	const struct m_type *ty = &g->m->types[t];
	switch (f) {
	case F_BOOL: ob_puts(b, "bool"); return;
	case F_STR: ob_puts(b, "&str"); return;
	case F_SLICE: ob_puts(b, "&["); put_type(b, g, ty->elem); ob_putc(b, ']'); return;
	case F_SLICE_MUT: ob_puts(b, "&mut ["); put_type(b, g, ty->elem); ob_putc(b, ']'); return;
	case F_SLICE_OUT:
		ob_puts(b, "&mut [core::mem::MaybeUninit<");
		put_type(b, g, ty->elem);
		ob_puts(b, ">]");
		return;
	case F_STRING: ob_puts(b, "chitin::String"); return;
	case F_VEC: ob_puts(b, "chitin::Vec<"); put_type(b, g, ty->elem); ob_putc(b, '>'); return;
	case F_IFACE:
		ob_puts(b, in ? "&" : "chitin::Ref<");
		put_decl_path(b, g, named_decl(g, t), "");
		if (!in)
			ob_putc(b, '>');
		return;
	case F_OPT_IFACE:
		ob_puts(b, in ? "Option<&" : "Option<chitin::Ref<");
		put_decl_path(b, g, named_decl(g, ty->elem), "");
		ob_puts(b, in ? ">" : ">>");
		return;
	case F_CALLBACK:
		ob_puts(b, in ? "chitin::Callback<'_, " : "chitin::Callback<'static, ");
		put_decl_path(b, g, named_decl(g, t), "");
		ob_putc(b, '>');
		return;
	case F_OPT_CALLBACK:
		ob_puts(b, in ? "Option<chitin::Callback<'_, " : "Option<chitin::Callback<'static, ");
		put_decl_path(b, g, named_decl(g, ty->elem), "");
		ob_puts(b, ">>");
		return;
	case F_OPTION: ob_puts(b, "Option<"); put_type(b, g, ty->elem); ob_putc(b, '>'); return;
	case F_OPTION_BOOL: ob_puts(b, "Option<bool>"); return;
	case F_RESULT:
		ob_puts(b, "Result<");
		put_type(b, g, ty->elem);
		ob_puts(b, ", ");
		put_type(b, g, ty->err);
		ob_putc(b, '>');
		return;
	case F_ABI:
		put_type(b, g, t);
		return;
	}
}

/* Whether a call takes [in] argument pa as an ABI-level value that owns
 * parts (a struct with a string, a data enum): nothing releases it when
 * dropped, so the call holds it in chitin::thunk::Owned until it hands it
 * on, and a missing slot releases it (doc/abi.md 4, rule 3). */
static bool
call_takes_abi(const struct rgen *g, const struct m_param *pa)
{
	return pa->dir == DIR_IN && g->m->types[pa->type].kind != TY_SLICE &&
	       form_of(g, pa->type, DIR_IN, false) == F_ABI && model_type_owns(g->m, pa->type) &&
	       !model_type_over_aligned(g->m, pa->type);
}

/* The lines that hold each such argument of me, first in a call's body. */
static void
put_hold_owned(struct outbuf *b, const struct rgen *g, const struct m_method *me)
{
	uint32_t p;
	for (p = me->first_param; p < me->first_param + me->n_params; p++) {
		const struct m_param *pa = &g->m->params[p];
		if (!call_takes_abi(g, pa))
			continue;
		ob_puts(b, "        // SAFETY: the caller gives it up (this function's contract).\n        let ");
		put_ident(b, pa->name);
		ob_puts(b, " = unsafe { chitin::thunk::Owned::new(");
		put_ident(b, pa->name);
		ob_puts(b, ") };\n");
	}
}

/* The expression that lowers argument pa of form f. */
static void
put_lower_arg(struct outbuf *b, const struct rgen *g, const struct m_param *pa, enum form f)
{
	const struct m_type *ty = &g->m->types[pa->type];
	const char *head = NULL, *tail = NULL;
	if (pa->dir != DIR_IN && ty->kind != TY_SLICE) {
		put_ident(b, pa->name);   /* already a pointer to storage */
		return;
	}
	switch (f) {
	case F_BOOL: head = "chitin::Bool::new("; tail = ")"; break;
	case F_STR: head = "chitin::raw::RawStr::new("; tail = ")"; break;
	case F_SLICE: head = "chitin::raw::RawSlice::new("; tail = ")"; break;
	case F_SLICE_MUT: head = "chitin::raw::RawSliceMut::new("; tail = ")"; break;
	case F_SLICE_OUT: head = "chitin::raw::RawSliceMut::uninit("; tail = ")"; break;
	case F_STRING:
	case F_VEC:
	case F_CALLBACK: tail = ".into_raw()"; break;
	case F_OPT_CALLBACK: head = "chitin::Callback::option_into_raw("; tail = ")"; break;
	case F_OPTION: head = "chitin::raw::RawOption::from("; tail = ")"; break;
	case F_OPTION_BOOL: head = "chitin::OptionBool::new("; tail = ")"; break;
	case F_RESULT: head = "chitin::raw::RawResult::from("; tail = ")"; break;
	case F_IFACE:
		put_ident(b, pa->name);
		ob_puts(b, " as *const ");
		put_decl_path(b, g, named_decl(g, pa->type), "");
		ob_puts(b, " as *mut _");
		return;
	case F_OPT_IFACE:
		put_ident(b, pa->name);
		ob_puts(b, ".map_or(core::ptr::null_mut(), |r| r as *const ");
		put_decl_path(b, g, named_decl(g, ty->elem), "");
		ob_puts(b, " as *mut _)");
		return;
	case F_ABI:
		/* an over-aligned value's &T becomes the *const T it lowers to */
		if (call_takes_abi(g, pa))
			tail = ".into_inner()";
		break;
	}
	if (head)
		ob_puts(b, head);
	put_ident(b, pa->name);
	if (tail)
		ob_puts(b, tail);
}

/* Whether pa is given to safe code as a parameter: every [in] and
 * [inout] one and [out] slices; an [out] value is given back instead. */
static bool
safe_param(const struct rgen *g, const struct m_param *pa)
{
	return pa->dir != DIR_OUT || g->m->types[pa->type].kind == TY_SLICE;
}

/* The type safe code sees for parameter pa. */
static void
put_safe_param_type(struct outbuf *b, const struct rgen *g, const struct m_param *pa)
{
	const struct m_type *ty = &g->m->types[pa->type];
	if (pa->dir == DIR_INOUT && ty->kind != TY_SLICE) {
		ob_puts(b, "&mut ");
		put_type(b, g, pa->type);
	} else if (pa->dir == DIR_IN && model_type_over_aligned(g->m, pa->type)) {
		ob_puts(b, "&");
		put_type(b, g, pa->type);
	} else {
		put_form_type(b, g, pa->type, form_of(g, pa->type, pa->dir, false), true);
	}
}

/* The safe parameters, ", name: Type" each. */
static void
put_safe_params(struct outbuf *b, const struct rgen *g, const struct m_method *me)
{
	uint32_t p;
	for (p = me->first_param; p < me->first_param + me->n_params; p++) {
		const struct m_param *pa = &g->m->params[p];
		if (!safe_param(g, pa))
			continue;
		ob_puts(b, ", ");
		put_ident(b, pa->name);
		ob_puts(b, ": ");
		put_safe_param_type(b, g, pa);
	}
}

/* Their types alone, "A, B", as a closure's bound names them. */
static void
put_safe_param_types(struct outbuf *b, const struct rgen *g, const struct m_method *me)
{
	uint32_t p;
	bool any = false;
	for (p = me->first_param; p < me->first_param + me->n_params; p++) {
		const struct m_param *pa = &g->m->params[p];
		if (!safe_param(g, pa))
			continue;
		if (any)
			ob_puts(b, ", ");
		any = true;
		put_safe_param_type(b, g, pa);
	}
}

/* What a call gives back: the result, then each [out] value. */
static uint32_t
count_outs(const struct rgen *g, const struct m_method *me)
{
	uint32_t p, n = me->ret != TY_VOID;
	for (p = me->first_param; p < me->first_param + me->n_params; p++)
		n += g->m->params[p].dir == DIR_OUT && g->m->types[g->m->params[p].type].kind != TY_SLICE;
	return n;
}

static void
put_safe_ret(struct outbuf *b, const struct rgen *g, const struct m_method *me)
{
	uint32_t p, n = count_outs(g, me), k = 0;
	ob_puts(b, "Result<");
	if (n != 1)
		ob_putc(b, '(');
	if (me->ret != TY_VOID) {
		put_form_type(b, g, me->ret, form_of(g, me->ret, DIR_OUT, true), false);
		k++;
	}
	for (p = me->first_param; p < me->first_param + me->n_params; p++) {
		const struct m_param *pa = &g->m->params[p];
		if (safe_param(g, pa))
			continue;
		if (k++)
			ob_puts(b, ", ");
		put_form_type(b, g, pa->type, form_of(g, pa->type, DIR_OUT, true), false);
	}
	if (n != 1)
		ob_putc(b, ')');
	ob_puts(b, ", chitin::Status>");
}

/* The value given back for storage `var` of type t, raised to its safe
 * form; `?` where the form may refuse what the callee wrote. */
static void
put_raise(struct outbuf *b, const struct rgen *g, uint32_t t, const char *var, bool tail)
{
	enum form f = form_of(g, t, DIR_OUT, true);
	switch (f) {
	case F_BOOL: ob_printf(b, "%s.checked()%s", var, tail ? "" : "?"); break;
	case F_STRING: ob_printf(b, "unsafe { chitin::String::from_raw(%s) }", var); break;
	case F_VEC: ob_printf(b, "unsafe { chitin::Vec::from_raw(%s) }", var); break;
	case F_IFACE:
		ob_printf(b, "unsafe { chitin::Ref::from_raw(%s) }.ok_or(chitin::Status::INVALID_ARG)%s", var,
			  tail ? "" : "?");
		break;
	case F_OPT_IFACE: ob_printf(b, "unsafe { chitin::Ref::from_raw(%s) }", var); break;
	case F_CALLBACK: ob_printf(b, "unsafe { chitin::Callback::from_raw(%s) }", var); break;
	case F_OPT_CALLBACK: ob_printf(b, "unsafe { chitin::Callback::from_raw_option(%s) }", var); break;
	case F_OPTION:
	case F_OPTION_BOOL:
	case F_RESULT: ob_printf(b, "%s.get()%s", var, tail ? "" : "?"); break;
	default: ob_puts(b, var); break;
	}
}

/* Whether raising t may refuse what the callee wrote (a Result). */
static bool
raise_fallible(const struct rgen *g, uint32_t t)
{
	enum form f = form_of(g, t, DIR_OUT, true);
	return f == F_BOOL || f == F_IFACE || f == F_OPTION || f == F_OPTION_BOOL || f == F_RESULT;
}

/* The rest of a checked call's body, once chitin_fn (and for a method
 * `this`) is bound: zeroed storage for the result and each [out] value
 * (every ABI-level type is valid all zero, so a callee that says OK
 * without writing leaves a value, not UB), the call, with first_arg first
 * ("" for an export), and what it gives back raised to its safe form.
 * The call is one line when it fits, as rustfmt keeps it: arguments
 * within 60 columns (fn_call_width), the line within RS_WIDTH; else its
 * status is bound first, the call laid out as reflow_let_call does. */
static void
put_call_body(struct outbuf *b, const struct rgen *g, const struct m_method *me, const char *first_arg)
{
	uint32_t p, n = count_outs(g, me), k;
	size_t start;
	struct outbuf *args = scratch(&tmp_args);
	if (me->ret != TY_VOID)
		ob_puts(b, "        let mut ret = chitin::zeroed();\n");
	for (p = me->first_param; p < me->first_param + me->n_params; p++) {
		const struct m_param *pa = &g->m->params[p];
		if (safe_param(g, pa))
			continue;
		start = b->len;
		ob_puts(b, "        let mut chitin_out_");
		ob_puts(b, pa->name);
		ob_puts(b, " = chitin::zeroed();");
		reflow(b, start);
		ob_putc(b, '\n');
	}
	ob_puts(args, first_arg);
	k = first_arg[0] != '\0';
	for (p = me->first_param; p < me->first_param + me->n_params; p++) {
		const struct m_param *pa = &g->m->params[p];
		const struct m_type *ty = &g->m->types[pa->type];
		if (k++)
			ob_puts(args, ", ");
		if (pa->dir == DIR_OUT && ty->kind != TY_SLICE) {
			ob_puts(args, "&mut chitin_out_");
			ob_puts(args, pa->name);
		} else if (pa->dir == DIR_INOUT && ty->kind != TY_SLICE) {
			put_ident(args, pa->name);
		} else {
			put_lower_arg(args, g, pa, form_of(g, pa->type, pa->dir, false));
		}
	}
	if (me->ret != TY_VOID)
		ob_puts(args, k ? ", &mut ret" : "&mut ret");
	start = b->len;
	ob_puts(b, "        unsafe { chitin_fn(");
	ob_put(b, args->data, args->len);
	ob_puts(b, n ? ") }.to_result()?;\n" : ") }.to_result()\n");
	if (args->len > 60 || b->len - 1 - start > RS_WIDTH) {
		b->len = start;
		ob_puts(b, "        let chitin_status = unsafe { chitin_fn(");
		ob_put(b, args->data, args->len);
		ob_puts(b, ") };");
		reflow_let_call(b, start);
		ob_puts(b, n ? "\n        chitin_status.to_result()?;\n" : "\n        chitin_status.to_result()\n");
	}
	if (n == 0)
		return;
	ob_puts(b, "        ");
	if (n == 1) {
		/* the one value: a fallible raise is the result itself */
		uint32_t t = me->ret;
		struct outbuf *var = scratch(&tmp_name);
		if (me->ret == TY_VOID) {
			for (p = me->first_param; p < me->first_param + me->n_params; p++)
				if (!safe_param(g, &g->m->params[p])) {
					t = g->m->params[p].type;
					ob_puts(var, "chitin_out_");
					ob_puts(var, g->m->params[p].name);
				}
		} else {
			ob_puts(var, "ret");
		}
		if (raise_fallible(g, t)) {
			put_raise(b, g, t, var->data, true);
		} else {
			ob_puts(b, "Ok(");
			put_raise(b, g, t, var->data, false);
			ob_putc(b, ')');
		}
		ob_putc(b, '\n');
		return;
	}
	ob_puts(b, "Ok((");
	k = 0;
	if (me->ret != TY_VOID) {
		put_raise(b, g, me->ret, "ret", false);
		k++;
	}
	for (p = me->first_param; p < me->first_param + me->n_params; p++) {
		const struct m_param *pa = &g->m->params[p];
		struct outbuf *var;
		if (safe_param(g, pa))
			continue;
		if (k++)
			ob_puts(b, ", ");
		var = scratch(&tmp_name);
		ob_puts(var, "chitin_out_");
		ob_puts(var, pa->name);
		put_raise(b, g, pa->type, var->data, false);
	}
	ob_puts(b, "))\n");
}

/* Reflows the line of b from start, a function's declaration ended by
 * ';', as rustfmt does: whole up to RS_WIDTH - 1 columns; one of exactly
 * RS_WIDTH keeps its parameters on the line (they fit its budget, which
 * counts the ';') but not its result (whose check counts a " {" it does
 * not have), which goes on the next line; a longer one as reflow. */
static void
reflow_decl(struct outbuf *b, size_t start)
{
	size_t n = b->len - start, indent = 0, open, close;
	const char *line = b->data + start;
	struct outbuf *out;
	if (n <= RS_WIDTH - 1)
		return;
	while (line[indent] == ' ')
		indent++;
	for (open = indent; open < n && line[open] != '('; open++)
		;
	close = open < n ? closing(line, open, n) : n;
	if (n > RS_WIDTH || close + 5 >= n || memcmp(line + close + 1, " -> ", 4) != 0) {
		reflow(b, start);
		return;
	}
	out = scratch(&reflow_out);
	ob_put(out, line, close + 1);
	ob_putc(out, '\n');
	put_spaces(out, indent + 4);
	ob_put(out, line + close + 2, n - close - 2);
	b->len = start;
	ob_put(b, out->data, out->len);
}

/* Reflows the line of b from start, `[let PAT = ]CALL(args)TAIL`, as
 * rustfmt lays out a call's statement: whole when its arguments fit in
 * 60 columns (fn_call_width) and the line in RS_WIDTH; else a let's value
 * on a line of its own when it fits there and its arguments are not
 * wide; else one argument a line. */
static void
reflow_call_stmt(struct outbuf *b, size_t start)
{
	size_t indent = 0, n = b->len - start, open, close, i, item, head;
	char *line;
	const char *eq, *rhs;
	struct outbuf *out;
	bool wide;
	if (n <= RS_WIDTH - 60)
		return;                   /* no call in it can be wide */
	ob_put(scratch(&reflow_in), b->data + start, n);
	line = reflow_in.data;
	while (line[indent] == ' ')
		indent++;
	eq = strncmp(line + indent, "let ", 4) == 0 ? strstr(line, " = ") : NULL;
	rhs = eq ? eq + 3 : line + indent;
	open = (size_t)(strchr(rhs, '(') ? strchr(rhs, '(') - line : (ptrdiff_t)n);
	close = open < n ? closing(line, open, n) : n;
	if (close >= n)
		return;
	wide = close - open - 1 > 60 && several_args(line, open, close);
	if (!wide && n <= RS_WIDTH)
		return;
	out = scratch(&reflow_out);
	if (eq && !wide && indent + 4 + (size_t)(line + n - rhs) <= RS_WIDTH) {
		ob_put(out, line, (size_t)(eq - line) + 2);
		ob_putc(out, '\n');
		put_spaces(out, indent + 4);
		ob_put(out, rhs, (size_t)(line + n - rhs));
	} else {
		ob_put(out, line, open + 1);
		ob_putc(out, '\n');
		for (item = i = open + 1; i <= close; i++) {
			char c = i < close ? opens(line, i) : 0;
			if (c) {
				i = closing(line, i, close);
				continue;
			}
			if (i < close && line[i] != ',')
				continue;
			head = item;
			while (head < i && line[head] == ' ')
				head++;
			if (i > head) {
				put_spaces(out, indent + 4);
				ob_put(out, line + head, i - head);
				ob_puts(out, ",\n");
			}
			item = i + 1;
		}
		put_spaces(out, indent);
		ob_put(out, line + close, n - close);
	}
	b->len = start;
	ob_put(b, out->data, out->len);
}

/* ---- thunks: the functions the other side calls ----------------------------------- */

/* What safe code gave back, var of type t, as the ABI-level value a
 * thunk writes for its caller. */
static void
put_lower_value(struct outbuf *b, const struct rgen *g, uint32_t t, const char *var)
{
	const char *head = NULL, *tail = NULL;
	switch (form_of(g, t, DIR_OUT, true)) {
	case F_BOOL: head = "chitin::Bool::new("; tail = ")"; break;
	case F_STRING:
	case F_VEC:
	case F_IFACE:
	case F_CALLBACK: tail = ".into_raw()"; break;
	case F_OPT_IFACE: tail = ".map_or(core::ptr::null_mut(), chitin::Ref::into_raw)"; break;
	case F_OPT_CALLBACK: head = "chitin::Callback::option_into_raw("; tail = ")"; break;
	case F_OPTION: head = "chitin::raw::RawOption::from("; tail = ")"; break;
	case F_OPTION_BOOL: head = "chitin::OptionBool::new("; tail = ")"; break;
	case F_RESULT: head = "chitin::raw::RawResult::from("; tail = ")"; break;
	default: break;
	}
	if (head)
		ob_puts(b, head);
	ob_puts(b, var);
	if (tail)
		ob_puts(b, tail);
}

/* Whether a thunk takes parameter pa into something that releases it
 * (doc/abi.md 4, rule 3: the callee owns it from the moment it is
 * called, whatever it returns). */
static bool
thunk_takes(const struct rgen *g, const struct m_param *pa)
{
	const struct m_type *ty = &g->m->types[pa->type];
	if (pa->dir != DIR_IN || ty->kind == TY_SLICE || model_type_over_aligned(g->m, pa->type))
		return false;
	switch (form_of(g, pa->type, DIR_IN, false)) {
	case F_STRING:
	case F_VEC:
	case F_CALLBACK:
	case F_OPT_CALLBACK: return true;
	case F_ABI: return model_type_owns(g->m, pa->type);
	default: return false;
	}
}

/* Whether a thunk passes parameter pa on as it came: an [in] value of
 * its ABI-level type that owns nothing, which needs no line of its own. */
static bool
thunk_passes(const struct rgen *g, const struct m_param *pa)
{
	return pa->dir == DIR_IN && g->m->types[pa->type].kind != TY_SLICE &&
	       !model_type_over_aligned(g->m, pa->type) && form_of(g, pa->type, DIR_IN, false) == F_ABI &&
	       !model_type_owns(g->m, pa->type);
}

/* `            let NAME = unsafe { chitin::FN(NAME) }TAIL;`, or
 * `let NAME = NAMEFN TAIL;`, broken as rustfmt breaks it when it is too
 * wide. */
static void
put_thunk_let(struct outbuf *b, const char *name, const char *fn, const char *tail, bool is_unsafe)
{
	size_t start = b->len;
	ob_puts(b, "            let ");
	put_ident(b, name);
	ob_puts(b, is_unsafe ? " = unsafe { chitin::" : " = ");
	if (is_unsafe) {
		ob_puts(b, fn);
		ob_putc(b, '(');
		put_ident(b, name);
		ob_puts(b, ") }");
	} else {
		put_ident(b, name);
		ob_puts(b, fn);
	}
	ob_puts(b, tail);
	ob_putc(b, ';');
	if (is_unsafe)
		reflow_let_call(b, start);
	else
		reflow(b, start);
	ob_putc(b, '\n');
}

/* The line that takes or checks parameter pa, raising it to the form
 * safe code sees; nothing for one that is passed as it is.  take: the
 * owned ones, which come first; otherwise the checks.  Returns whether
 * it wrote one. */
static bool
put_thunk_arg(struct outbuf *b, const struct rgen *g, const struct m_param *pa, bool take)
{
	const struct m_type *ty = &g->m->types[pa->type];
	enum form f = form_of(g, pa->type, pa->dir, false);
	const char *n = pa->name;
	if (thunk_takes(g, pa) != take)
		return false;
	if (pa->dir == DIR_OUT && ty->kind != TY_SLICE)
		return false;
	if ((pa->dir == DIR_INOUT && ty->kind != TY_SLICE) ||
	    (pa->dir == DIR_IN && model_type_over_aligned(g->m, pa->type))) {
		put_thunk_let(b, n, pa->dir == DIR_INOUT ? "thunk::deref_mut" : "thunk::deref", "?", true);
		return true;
	}
	switch (f) {
	case F_BOOL: put_thunk_let(b, n, ".checked()", "?", false); return true;
	case F_OPTION:
	case F_OPTION_BOOL:
	case F_RESULT: put_thunk_let(b, n, ".get()", "?", false); return true;
	case F_STR: put_thunk_let(b, n, "Str::from_raw", "?", true); return true;
	case F_SLICE: put_thunk_let(b, n, "Slice::from_raw", "?", true); return true;
	case F_SLICE_MUT: put_thunk_let(b, n, "SliceMut::from_raw", "?", true); return true;
	case F_SLICE_OUT: put_thunk_let(b, n, "SliceOut::from_raw", "?", true); return true;
	case F_STRING: put_thunk_let(b, n, "String::from_raw", "", true); return true;
	case F_VEC: put_thunk_let(b, n, "Vec::from_raw", "", true); return true;
	case F_CALLBACK: put_thunk_let(b, n, "Callback::from_raw", "", true); return true;
	case F_OPT_CALLBACK: put_thunk_let(b, n, "Callback::from_raw_option", "", true); return true;
	case F_IFACE: put_thunk_let(b, n, "thunk::deref", "?", true); return true;
	case F_OPT_IFACE: put_thunk_let(b, n, "thunk::deref_opt", "?", true); return true;
	case F_ABI:
		if (take)
			put_thunk_let(b, n, "thunk::Owned::new", "", true);
		return take;
	}
	return false;
}

/* The argument safe code is given for parameter pa, once raised. */
static void
put_thunk_pass(struct outbuf *b, const struct rgen *g, const struct m_param *pa)
{
	const struct m_type *ty = &g->m->types[pa->type];
	put_ident(b, pa->name);
	if ((pa->dir == DIR_INOUT && ty->kind != TY_SLICE) ||
	    (pa->dir == DIR_IN && model_type_over_aligned(g->m, pa->type)))
		return;
	switch (form_of(g, pa->type, pa->dir, false)) {
	case F_STR: ob_puts(b, ".as_str()"); break;
	case F_SLICE: ob_puts(b, ".as_slice()"); break;
	case F_SLICE_MUT:
	case F_SLICE_OUT: ob_puts(b, ".into_slice()"); break;
	case F_ABI:
		if (thunk_takes(g, pa))
			ob_puts(b, ".into_inner()");
		break;
	default: break;
	}
}

/* The safe arguments of a thunk's call, after first (NULL for none),
 * ", " between. */
static void
put_thunk_passes(struct outbuf *b, const struct rgen *g, const struct m_method *me, const char *first)
{
	uint32_t p, k = 0;
	if (first) {
		ob_puts(b, first);
		k++;
	}
	for (p = me->first_param; p < me->first_param + me->n_params; p++) {
		const struct m_param *pa = &g->m->params[p];
		if (!safe_param(g, pa))
			continue;
		if (k++)
			ob_puts(b, ", ");
		put_thunk_pass(b, g, pa);
	}
}

/* The body of a thunk for me, whose lowered parameters are in scope:
 * `chitin::thunk::guard(|| ...)`, which takes what the caller passed
 * owned, checks the rest and the storage of what it gives back
 * (chitin::thunk::Out), then runs `prologue` (lines that bind `callee`
 * or its first argument) and calls `callee` with self_arg (NULL for
 * none) and the safe arguments, and writes what it gives back.  note:
 * the lines that read what the caller passed say why they are sound
 * (else a comment before the thunk does). */
static void
put_thunk_body(struct outbuf *b, const struct rgen *g, const struct m_method *me, const char *prologue,
	       const char *callee, const char *self_arg, bool note)
{
	uint32_t p, n = count_outs(g, me), k;
	size_t start, body_start, note_at;
	bool any = false;
	if (n == 0 && me->n_params == 0 && !prologue[0] && !self_arg) {
		/* nothing to check or write: the function itself */
		ob_puts(b, "        chitin::thunk::guard(");
		ob_puts(b, callee);
		ob_puts(b, ")\n");
		return;
	}
	ob_puts(b, "        chitin::thunk::guard(|| {\n");
	body_start = b->len;
	if (note)
		ob_puts(b, "            // SAFETY: the arguments and storage are the caller's, in the ABI's\n"
			"            // forms (doc/abi.md 3.2); what they own is taken first.\n");
	note_at = b->len;
	for (p = me->first_param; p < me->first_param + me->n_params; p++)
		any |= put_thunk_arg(b, g, &g->m->params[p], true);
	for (p = me->first_param; p < me->first_param + me->n_params; p++)
		any |= put_thunk_arg(b, g, &g->m->params[p], false);
	if (me->ret != TY_VOID) {
		ob_puts(b, "            let ret = unsafe { chitin::thunk::Out::new(ret) }?;\n");
		any = true;
	}
	for (p = me->first_param; p < me->first_param + me->n_params; p++) {
		const struct m_param *pa = &g->m->params[p];
		if (safe_param(g, pa))
			continue;
		put_thunk_let(b, pa->name, "thunk::Out::new", "?", true);
		any = true;
	}
	if (note && !strstr(b->data + note_at, "unsafe")) {
		/* nothing unsafe: nothing to say */
		memmove(b->data + body_start, b->data + note_at, b->len - note_at);
		b->len -= note_at - body_start;
		b->data[b->len] = '\0';
	}
	ob_puts(b, prologue);
	if (n == 0 && !any && !prologue[0] && !self_arg) {
		/* only the call: rustfmt drops the closure's braces when it fits */
		size_t head = body_start - strlen("        chitin::thunk::guard(|| {\n");
		b->len = head;
		ob_puts(b, "        chitin::thunk::guard(|| ");
		ob_puts(b, callee);
		ob_putc(b, '(');
		put_thunk_passes(b, g, me, NULL);
		ob_puts(b, "))");
		if (b->len - head <= RS_WIDTH) {
			ob_putc(b, '\n');
			return;
		}
		b->len = head;
		ob_puts(b, "        chitin::thunk::guard(|| {\n");
	}
	start = b->len;
	if (n == 0) {
		ob_puts(b, "            ");
	} else if (n == 1) {
		ob_puts(b, "            let chitin_r = ");
	} else {
		ob_puts(b, "            let (");
		k = 0;
		if (me->ret != TY_VOID) {
			ob_puts(b, "chitin_r");
			k++;
		}
		for (p = me->first_param; p < me->first_param + me->n_params; p++) {
			const struct m_param *pa = &g->m->params[p];
			if (safe_param(g, pa))
				continue;
			ob_puts(b, k++ ? ", chitin_out_" : "chitin_out_");
			ob_puts(b, pa->name);
		}
		ob_puts(b, ") = ");
	}
	ob_puts(b, callee);
	ob_putc(b, '(');
	put_thunk_passes(b, g, me, self_arg);
	ob_puts(b, n ? ")?;" : ")");
	reflow_call_stmt(b, start);
	ob_putc(b, '\n');
	if (n == 0) {
		ob_puts(b, "        })\n");
		return;
	}
	if (me->ret != TY_VOID) {
		start = b->len;
		ob_puts(b, "            ret.write(");
		put_lower_value(b, g, me->ret, "chitin_r");
		ob_puts(b, ");");
		reflow(b, start);
		ob_putc(b, '\n');
	}
	for (p = me->first_param; p < me->first_param + me->n_params; p++) {
		const struct m_param *pa = &g->m->params[p];
		struct outbuf *var;
		if (safe_param(g, pa))
			continue;
		var = scratch(&tmp_name);
		if (n == 1) {
			ob_puts(var, "chitin_r");
		} else {
			ob_puts(var, "chitin_out_");
			ob_puts(var, pa->name);
		}
		start = b->len;
		ob_puts(b, "            ");
		put_ident(b, pa->name);
		ob_puts(b, ".write(");
		put_lower_value(b, g, pa->type, var->data);
		ob_puts(b, ");");
		reflow(b, start);
		ob_putc(b, '\n');
	}
	ob_puts(b, "            Ok(())\n        })\n");
}

static bool
method_names_snake(const struct rgen *g, uint32_t first, uint32_t n)
{
	uint32_t i, p;
	for (i = first; i < first + n; i++) {
		const struct m_method *me = &g->m->methods[i];
		if (has_upper(me->item.name))
			return false;
		for (p = me->first_param; p < me->first_param + me->n_params; p++)
			if (has_upper(g->m->params[p].name))
				return false;
	}
	return true;
}

/* Whether a method of first..first+n needs put_allow_self_convention. */
static bool
methods_self_convention(const struct rgen *g, uint32_t first, uint32_t n)
{
	uint32_t i;
	for (i = first; i < first + n; i++)
		if (self_convention(g->m->methods[i].item.name))
			return true;
	return false;
}

static bool
has_ptr_param(const struct rgen *g, const struct m_method *me)
{
	uint32_t p;
	for (p = me->first_param; p < me->first_param + me->n_params; p++)
		if (g->m->params[p].dir == DIR_IN && g->m->types[g->m->params[p].type].kind == TY_POINTER)
			return true;
	return false;
}

/* Whether a call of me is given an ABI-level value that owns parts: it
 * is Copy, so only the caller can promise that no copy of it is used or
 * released after, and the call is unsafe. */
static bool
has_owned_abi_param(const struct rgen *g, const struct m_method *me)
{
	uint32_t p;
	for (p = me->first_param; p < me->first_param + me->n_params; p++)
		if (call_takes_abi(g, &g->m->params[p]))
			return true;
	return false;
}

static bool
unsafe_call(const struct rgen *g, const struct m_method *me)
{
	return has_ptr_param(g, me) || has_owned_abi_param(g, me);
}

/* The parameters' docs, "- `name`: doc" a line, after a blank doc line
 * when something comes before them (after). */
static void
put_param_docs(struct outbuf *b, const struct rgen *g, const struct m_method *me, bool after)
{
	uint32_t p;
	for (p = me->first_param; p < me->first_param + me->n_params; p++) {
		const struct m_param *pa = &g->m->params[p];
		if (!pa->doc)
			continue;
		if (after)
			ob_puts(b, "    ///\n");
		after = false;
		ob_printf(b, "    /// - `%s`: ", pa->name);
		ob_puts(b, pa->doc);
		ob_putc(b, '\n');
	}
}

static void
put_sig_doc(struct outbuf *b, const struct rgen *g, const struct m_item *it, const struct m_method *me)
{
	size_t start = b->len;
	bool ptr, owned;
	put_item_head(b, it, "    ");
	put_param_docs(b, g, me, it->doc != NULL);
	if (it->has_since)
		ob_printf(b, "    ///\n    /// Since %u.%u: `UNAVAILABLE` from an implementation of an older\n"
			  "    /// version.\n", it->since.major, it->since.minor);
	ptr = has_ptr_param(g, me);
	owned = has_owned_abi_param(g, me);
	if (ptr || owned)
		ob_puts(b, b->len > start ? "    ///\n    /// # Safety\n    ///\n" : "    /// # Safety\n    ///\n");
	if (ptr)
		ob_puts(b, ""
			"    /// Each raw pointer argument must be what the API's documentation\n"
			"    /// asks of it: no one can check a raw pointer (doc/abi.md 2.17).\n");
	if (ptr && owned)
		ob_puts(b, "    ///\n");
	if (owned)
		ob_puts(b, ""
			"    /// The call takes each argument that owns parts (doc/abi.md 4): the\n"
			"    /// caller must own what it holds, and neither use nor release it\n"
			"    /// after, through any copy of it; the callee, or this function when\n"
			"    /// the call cannot be made, releases it.\n");
}

/* `pub fn ` or, with raw pointer parameters, `pub unsafe fn `; returns
 * where the signature's line starts. */
static size_t
put_fn_keyword(struct outbuf *b, const struct rgen *g, const struct m_method *me)
{
	size_t start;
	bool is_unsafe = unsafe_call(g, me);
	if (is_unsafe)
		ob_puts(b, "    #[deny(unsafe_op_in_unsafe_fn)]\n");
	start = b->len;
	ob_puts(b, is_unsafe ? "    pub unsafe fn " : "    pub fn ");
	return start;
}

/* ---- callbacks ----------------------------------------------------------------------- */

/* `F: FnMut(safe params) -> safe result + Send` and extra, the bound of
 * a closure a callback of me is made of, laid out as rustfmt does: on
 * one line if it fits, else one bound a line, the closure's parameters
 * one a line if they do not fit either. */
static void
put_closure_bound(struct outbuf *b, const struct rgen *g, const struct m_method *me, const char *extra)
{
	struct outbuf *params = scratch(&tmp_args), *ret = scratch(&tmp_name);
	size_t head;
	put_safe_param_types(params, g, me);
	put_safe_ret(ret, g, me);
	head = 8 + strlen("F: FnMut() -> ") + params->len + ret->len;
	if (head + strlen(" + Send,") + strlen(extra) <= RS_WIDTH) {
		ob_puts(b, "        F: FnMut(");
		ob_puts(b, params->data);
		ob_puts(b, ") -> ");
		ob_puts(b, ret->data);
		ob_puts(b, " + Send");
		ob_puts(b, extra);
		ob_puts(b, ",\n");
	} else {
		if (head <= RS_WIDTH) {
			ob_puts(b, "        F: FnMut(");
			ob_puts(b, params->data);
			ob_puts(b, ") -> ");
			ob_puts(b, ret->data);
			ob_putc(b, '\n');
		} else {
			uint32_t p;
			ob_puts(b, "        F: FnMut(\n");
			for (p = me->first_param; p < me->first_param + me->n_params; p++) {
				const struct m_param *pa = &g->m->params[p];
				if (!safe_param(g, pa))
					continue;
				ob_puts(b, "                ");
				put_safe_param_type(b, g, pa);
				ob_puts(b, ",\n");
			}
			ob_puts(b, "            ) -> ");
			ob_puts(b, ret->data);
			ob_putc(b, '\n');
		}
		ob_puts(b, "            + Send");
		if (extra[0]) {
			ob_puts(b, "\n            ");
			ob_puts(b, extra + 1);
		}
		ob_puts(b, ",\n");
	}
}

/* C::new and C::borrowed, which make a callback of a Rust closure, and
 * the thunk that is its `call` (doc/rust.md 3). */
static void
emit_closure_makers(struct rgen *g, const struct m_decl *d, const struct m_method *me)
{
	const char *name = d->item.name;
	size_t start;
	ob_printf(g->o, "    /// An owned callback made of `f`: whoever holds it may call it from any\n"
		  "    /// thread, one call at a time, until it releases it, which drops `f`\n"
		  "    /// (doc/abi.md 2.16). A panic in `f` is `Err(PANIC)` to the caller.\n"
		  "    pub fn new<F>(f: F) -> chitin::Callback<'static, %s>\n    where\n", name);
	put_closure_bound(g->o, g, me, " + 'static");
	ob_printf(g->o, "    {\n        let raw = %s {\n            call: Some(Self::chitin_call::<F>),\n"
		  "            ctx: chitin::thunk::boxed_ctx(f),\n"
		  "            release: Some(chitin::thunk::release_boxed::<F>),\n        };\n"
		  "        // SAFETY: owned, and its closure lives until it is released.\n"
		  "        unsafe { chitin::Callback::from_raw(raw) }\n    }\n\n", name);
	ob_printf(g->o, "    /// A borrowed callback that calls `f`, for as long as it borrows it:\n"
		  "    /// what an `[in]` parameter needs for the length of a call.\n"
		  "    pub fn borrowed<F>(f: &mut F) -> chitin::Callback<'_, %s>\n    where\n", name);
	put_closure_bound(g->o, g, me, "");
	ob_printf(g->o, "    {\n        let raw = %s {\n            call: Some(Self::chitin_call::<F>),\n"
		  "            ctx: chitin::thunk::borrowed_ctx(f),\n            release: None,\n        };\n"
		  "        // SAFETY: borrowed, and its closure lives as long as the borrow.\n"
		  "        unsafe { chitin::Callback::from_raw(raw) }\n    }\n\n", name);
	ob_puts(g->o, "    /// The `call` of a callback made of a closure `F`.\n"
		  "    #[allow(clippy::type_complexity)]\n"
		  "    #[deny(unsafe_op_in_unsafe_fn)]\n");
	start = g->o->len;
	ob_puts(g->o, "    unsafe extern \"C\" fn chitin_call<F>(");
	put_lowered_params(g->o, g, me, "ctx: *mut core::ffi::c_void");
	ob_puts(g->o, ") -> chitin::Status");
	reflow(g->o, start);
	ob_puts(g->o, "\n    where\n");
	put_closure_bound(g->o, g, me, "");
	ob_puts(g->o, "    {\n");
	put_thunk_body(g->o, g, me,
		       "            // SAFETY: ctx is the closure the callback was made of, alive\n"
		       "            // while it may be called, one call at a time (doc/abi.md 5.5).\n"
		       "            let chitin_f = unsafe { chitin::thunk::closure::<F>(ctx) };\n",
		       "chitin_f", NULL, true);
	ob_puts(g->o, "    }\n");
}

static void
emit_callback(struct rgen *g, const struct m_decl *d)
{
	const struct m_method *me = &g->m->methods[d->u.sig.method];
	size_t start;
	put_item_doc(g->o, &d->item, "");
	if (!is_camel(d->item.name))
		put_allow_case(g->o, "", "non_camel_case_types");
	ob_printf(g->o, "///\n/// A callback (doc/abi.md 2.16): `call` with `ctx` first; a null\n"
		  "/// `release` means it is borrowed.\n"
		  "#[allow(clippy::type_complexity)]\n#[repr(C)]\n#[derive(Clone, Copy)]\npub struct %s {\n    /// The function; null only as the none of an option.\n",
		  d->item.name);
	start = g->o->len;
	ob_puts(g->o, "    pub call: Option<");
	put_fn_type(g->o, g, me, "ctx: *mut core::ffi::c_void");
	ob_puts(g->o, ">,");
	reflow(g->o, start);
	ob_printf(g->o, "\n    /// What `call` and `release` are given.\n    pub ctx: *mut core::ffi::c_void,\n"
		  "    /// Frees `ctx`, once; null for a borrowed callback.\n"
		  "    pub release: Option<unsafe extern \"C\" fn(ctx: *mut core::ffi::c_void)>,\n}\n\n"
		  "// SAFETY: #[repr(C)], Copy, and valid for every bit pattern.\n"
		  "unsafe impl chitin::Abi for %s {\n    #[deny(unsafe_op_in_unsafe_fn)]\n    unsafe fn release_in_place(&mut self) {\n"
		  "        if let Some(release) = self.release.take() {\n"
		  "            // SAFETY: the caller owns the callback, released once.\n"
		  "            unsafe { release(self.ctx) };\n        }\n    }\n}\n\n", d->item.name);
	if (!method_names_snake(g, d->u.sig.method, 1))
		put_allow_case(g->o, "", "non_snake_case");
	ob_printf(g->o, "impl %s {\n", d->item.name);
	put_sig_doc(g->o, g, &me->item, me);
	if (me->n_params > 6)
		ob_puts(g->o, "    #[allow(clippy::too_many_arguments)]\n");
	start = put_fn_keyword(g->o, g, me);
	ob_puts(g->o, "call(&self");
	put_safe_params(g->o, g, me);
	ob_puts(g->o, ") -> ");
	put_safe_ret(g->o, g, me);
	ob_puts(g->o, " {");
	reflow(g->o, start);
	ob_putc(g->o, '\n');
	put_hold_owned(g->o, g, me);
	ob_puts(g->o, "        let chitin_fn = self.call.ok_or(chitin::Status::INVALID_ARG)?;\n"
		"        // SAFETY: its own function and context, with arguments in the ABI's forms.\n");
	put_call_body(g->o, g, me, "self.ctx");
	ob_puts(g->o, "    }\n\n");
	emit_closure_makers(g, d, me);
	ob_puts(g->o, "}\n\n");
	ob_printf(g->o, "// SAFETY: a callback's struct, whose none is a null `call`.\n"
		  "unsafe impl chitin::CallbackType for %s {\n"
		  "    const NONE: Self = %s {\n        call: None,\n        ctx: core::ptr::null_mut(),\n"
		  "        release: None,\n    };\n\n"
		  "    fn is_none(&self) -> bool {\n        self.call.is_none()\n    }\n}\n\n",
		  d->item.name, d->item.name);
}

/* ---- interfaces ---------------------------------------------------------------------- */

/* `chitin::TypeId::from_u128(0x...)`: the id's 32 hex digits, grouped as
 * its text form is (8-4-4-4-12). */
static void
put_id_u128(struct outbuf *b, const chitin_hash128 *h)
{
	static const char hex[] = "0123456789abcdef";
	char text[2 + 32 + 4];
	size_t n = 0;
	unsigned i;
	text[n++] = '0';
	text[n++] = 'x';
	for (i = 0; i < 16; i++) {
		if (i == 4 || i == 6 || i == 8 || i == 10)
			text[n++] = '_';
		text[n++] = hex[h->bytes[i] >> 4];
		text[n++] = hex[h->bytes[i] & 15];
	}
	ob_puts(b, "chitin::TypeId::from_u128(");
	ob_put(b, text, n);
	ob_putc(b, ')');
}

static void emit_impl_trait(struct rgen *g, uint32_t di, const uint32_t *chain, uint32_t depth);
static void emit_impl_thunks(struct rgen *g, uint32_t di);
static void emit_implementable(struct rgen *g, uint32_t di, const uint32_t *chain, uint32_t depth);

/* The doc of an item, then, after a blank doc line when there was one,
 * the generated text that follows it. */
static void
put_item_doc_then(struct outbuf *b, const struct m_item *it, const char *indent)
{
	size_t start = b->len;
	put_item_doc(b, it, indent);
	if (b->len > start) {
		ob_puts(b, indent);
		ob_puts(b, "///\n");
	}
}

/* `        let PAT = unsafe { chitin::FN(LEAD, N, |v: &TABLE| v.member) }?;`,
 * the line that reads a slot or an exports entry (v the closure's
 * parameter), as rustfmt lays it out:
 * whole when it fits; a call whose arguments are wider than 60 columns
 * (fn_call_width) with its closure overflowed onto lines of its own;
 * otherwise as reflow_let_call breaks it. */
static void
put_slot_let(struct outbuf *o, const char *pat, const char *fn, const char *lead, uint32_t index,
	     const char *table, const char *v, const char *member)
{
	size_t start = o->len, args;
	ob_puts(o, "        let ");
	ob_puts(o, pat);
	ob_puts(o, " = unsafe { chitin::");
	ob_puts(o, fn);
	ob_putc(o, '(');
	args = o->len;
	ob_puts(o, lead);
	ob_puts(o, ", ");
	ob_u64(o, index);
	ob_puts(o, ", |");
	ob_puts(o, v);
	ob_puts(o, ": &");
	ob_puts(o, table);
	ob_puts(o, "| ");
	ob_puts(o, v);
	ob_putc(o, '.');
	put_ident(o, member);
	args = o->len - args;
	ob_puts(o, ") }?;");
	if (args > 60) {
		o->len = start;
		ob_puts(o, "        let ");
		ob_puts(o, pat);
		ob_puts(o, " = unsafe {\n            chitin::");
		ob_puts(o, fn);
		ob_putc(o, '(');
		ob_puts(o, lead);
		ob_puts(o, ", ");
		ob_u64(o, index);
		ob_puts(o, ", |");
		ob_puts(o, v);
		ob_puts(o, ": &");
		ob_puts(o, table);
		ob_puts(o, "| {\n                ");
		ob_puts(o, v);
		ob_putc(o, '.');
		put_ident(o, member);
		ob_puts(o, "\n            })\n        }?;");
	} else if (o->len - start > RS_WIDTH) {
		reflow_let_call(o, start);
	}
	ob_putc(o, '\n');
}

static void
emit_interface(struct rgen *g, uint32_t di)
{
	const struct model *m = g->m;
	const struct m_decl *d = &m->decls[di];
	const char *name = d->item.name;
	uint32_t chain[MODEL_MAX_CHAIN], depth = model_interface_chain(m, di, chain), k, i, slot = 0;
	struct outbuf *o = g->o, *vtbl = scratch(&tmp_first);
	size_t start;

	/* the vtable, every slot from the root's first */
	ob_puts(o, "/// The vtable of [`");
	ob_puts(o, name);
	ob_puts(o, "`] (doc/abi.md 5.2, 5.3).\n");
	{
		bool snake = true;
		for (k = depth; k-- > 0;) {
			const struct m_decl *b = &m->decls[chain[k]];
			snake &= method_names_snake(g, b->u.iface.first_method, b->u.iface.n_methods);
		}
		if (!snake)
			put_allow_case(o, "", "non_snake_case");
	}
	ob_puts(o, "#[allow(clippy::type_complexity)]\n#[repr(C)]\n#[derive(Clone, Copy)]\npub struct ");
	ob_puts(o, name);
	ob_puts(o, "Vtbl {\n    /// What every vtable starts with.\n    pub header: chitin::VtableHeader,\n");
	for (k = depth; k-- > 0;) {
		const struct m_decl *b = &m->decls[chain[k]];
		struct outbuf *first = scratch(&tmp_name);
		ob_puts(first, "this: *mut ");
		put_decl_path(first, g, b, "");
		for (i = 0; i < b->u.iface.n_methods; i++) {
			const struct m_method *me = &m->methods[b->u.iface.first_method + i];
			put_item_doc(o, &me->item, "    ");
			start = o->len;
			ob_puts(o, "    pub ");
			put_ident(o, me->item.name);
			ob_puts(o, ": Option<");
			put_fn_type(o, g, me, first->data);
			ob_puts(o, ">,");
			reflow(o, start);
			ob_putc(o, '\n');
		}
	}
	ob_puts(o, "}\n\n");

	put_item_doc_then(o, &d->item, "");
	if (!is_camel(name))
		put_allow_case(o, "", "non_camel_case_types");
	ob_puts(o, "/// An object as this interface, reached as `&");
	ob_puts(o, name);
	ob_puts(o, "` or [`chitin::Ref<");
	ob_puts(o, name);
	ob_puts(o, ">`].");
	if (d->u.iface.threadsafe)
		ob_puts(o, "\n/// `[threadsafe]`: shared between threads.");
	ob_puts(o, "\n#[repr(C)]\npub struct ");
	ob_puts(o, name);
	ob_puts(o, " {\n    /// Its vtable.\n    pub vtbl: *const ");
	ob_puts(o, name);
	ob_puts(o, "Vtbl,\n}\n\n// SAFETY: its first word points at its vtable; the id is the interface's.\n"
		"unsafe impl chitin::Interface for ");
	ob_puts(o, name);
	ob_puts(o, " {\n    const IID: chitin::TypeId = ");
	put_id_u128(o, ck_type_id(g->ck, di));
	ob_puts(o, ";\n}\n\n");
	if (d->u.iface.threadsafe) {
		ob_puts(o, "// SAFETY: [threadsafe]: its implementations may be called from any\n"
			"// thread at once (doc/abi.md 5.5).\nunsafe impl Send for ");
		ob_puts(o, name);
		ob_puts(o, " {}\n// SAFETY: as above.\nunsafe impl Sync for ");
		ob_puts(o, name);
		ob_puts(o, " {}\n\n");
	}
	if (depth > 1) {
		const struct m_decl *b = &m->decls[chain[1]];
		struct outbuf *base = scratch(&tmp_name);
		put_decl_path(base, g, b, "");
		ob_puts(o, "/// A `");
		ob_puts(o, b->item.name);
		ob_puts(o, "` is its base's object too: the base's methods are its own.\n"
			"impl core::ops::Deref for ");
		ob_puts(o, name);
		ob_puts(o, " {\n    type Target = ");
		ob_puts(o, base->data);
		ob_puts(o, ";\n\n    fn deref(&self) -> &");
		ob_puts(o, base->data);
		ob_puts(o, " {\n        // SAFETY: both are the object pointer's target, whose vtable\n"
			"        // starts with the base's slots (doc/abi.md 5.3).\n        unsafe { &*(self as *const ");
		ob_puts(o, name);
		ob_puts(o, ").cast::<");
		ob_puts(o, base->data);
		ob_puts(o, ">() }\n    }\n}\n\n");
	} else {
		ob_puts(o, "impl core::ops::Deref for ");
		ob_puts(o, name);
		ob_puts(o, " {\n    type Target = chitin::Object;\n\n"
			"    fn deref(&self) -> &chitin::Object {\n        chitin::Object::of(self)\n    }\n}\n\n");
	}
	if (d->u.iface.n_methods)
		ob_puts(o, "// SAFETY, in each method: slot N is the member read, called in the ABI's forms.\n");
	if (!method_names_snake(g, d->u.iface.first_method, d->u.iface.n_methods))
		put_allow_case(o, "", "non_snake_case");
	put_allow_self_convention(o, methods_self_convention(g, d->u.iface.first_method, d->u.iface.n_methods));
	ob_puts(o, "impl ");
	ob_puts(o, name);
	ob_puts(o, " {\n");
	for (k = depth; k-- > 1;)
		slot += m->decls[chain[k]].u.iface.n_methods;
	for (i = 0; i < d->u.iface.n_methods; i++, slot++) {
		const struct m_method *me = &m->methods[d->u.iface.first_method + i];
		if (i)
			ob_putc(o, '\n');
		put_sig_doc(o, g, &me->item, me);
		if (me->n_params > 6)
			ob_puts(o, "    #[allow(clippy::too_many_arguments)]\n");
		start = put_fn_keyword(o, g, me);
		put_ident(o, me->item.name);
		ob_puts(o, "(&self");
		put_safe_params(o, g, me);
		ob_puts(o, ") -> ");
		put_safe_ret(o, g, me);
		ob_puts(o, " {");
		reflow(o, start);
		ob_putc(o, '\n');
		put_hold_owned(o, g, me);
		vtbl->len = 0;
		ob_puts(vtbl, name);
		ob_puts(vtbl, "Vtbl");
		put_slot_let(o, "(chitin_fn, this)", "slot", "self", slot, vtbl->data, "v", me->item.name);
		put_call_body(o, g, me, "this");
		ob_puts(o, "    }\n");
	}
	if (!d->u.iface.n_methods)
		ob_puts(o, "    /// Its methods are its base's.\n    pub const METHODS: usize = 0;\n");
	ob_puts(o, "}\n\n");
	emit_impl_trait(g, di, chain, depth);
	emit_impl_thunks(g, di);
	emit_implementable(g, di, chain, depth);
}

/* ---- implementing interfaces in Rust (doc/rust.md 6) ----------------------------------- */

/* The doc of a method as an implementation sees it: the IDL's, its
 * parameters', and for a [since] one what its default does. */
static void
put_impl_doc(struct outbuf *b, const struct rgen *g, const struct m_item *it, const struct m_method *me)
{
	size_t start = b->len;
	/* the deprecation as text: an attribute would warn the thunk that
	 * calls the implementation, which has to have the method anyway */
	put_item_doc(b, it, "    ");
	put_param_docs(b, g, me, b->len > start);
	if (it->has_since)
		ob_printf(b, "%s    /// Since %u.%u: by default `UNAVAILABLE`, what an implementation of an\n"
			  "    /// older version answers.\n", b->len > start ? "    ///\n" : "",
			  it->since.major, it->since.minor);
}

/* The safe parameters as a list without the leading ", ". */
static void
put_safe_params_first(struct outbuf *b, const struct rgen *g, const struct m_method *me)
{
	struct outbuf *t = scratch(&tmp_args);
	put_safe_params(t, g, me);
	if (t->len > 2)
		ob_put(b, t->data + 2, t->len - 2);
}

/* A method of an implementation's trait: `fn name(&self, ...) -> ...;`,
 * or with a body answering UNAVAILABLE for a [since] one, which an
 * implementation built against an older version does not have.  self_:
 * whether it takes &self (an interface's) or nothing (an export's). */
static void
put_impl_method(struct outbuf *b, const struct rgen *g, const struct m_item *it, const struct m_method *me,
		bool self_)
{
	size_t start;
	uint32_t p, n = 0;
	put_impl_doc(b, g, it, me);
	if (me->n_params + self_ > 7)
		ob_puts(b, "    #[allow(clippy::too_many_arguments)]\n");
	start = b->len;
	ob_puts(b, "    fn ");
	put_ident(b, it->name);
	if (self_) {
		ob_puts(b, "(&self");
		put_safe_params(b, g, me);
	} else {
		ob_putc(b, '(');
		put_safe_params_first(b, g, me);
	}
	ob_puts(b, ") -> ");
	put_safe_ret(b, g, me);
	ob_puts(b, it->has_since ? " {" : ";");
	if (it->has_since)
		reflow(b, start);
	else
		reflow_decl(b, start);
	ob_putc(b, '\n');
	if (!it->has_since)
		return;
	for (p = me->first_param; p < me->first_param + me->n_params; p++)
		n += safe_param(g, &g->m->params[p]);
	if (n) {
		start = b->len;
		ob_puts(b, n > 1 ? "        let _ = (" : "        let _ = ");
		for (p = me->first_param; p < me->first_param + me->n_params; p++) {
			const struct m_param *pa = &g->m->params[p];
			if (!safe_param(g, pa))
				continue;
			if (b->data[b->len - 1] != '(' && b->data[b->len - 1] != ' ')
				ob_puts(b, ", ");
			put_ident(b, pa->name);
		}
		ob_puts(b, n > 1 ? ");" : ";");
		reflow(b, start);
		ob_putc(b, '\n');
	}
	ob_puts(b, "        Err(chitin::Status::UNAVAILABLE)\n    }\n");
}

/* `T: IImpl + chitin::Implement`, the bound of d's thunks. */
static void
put_impl_bound(struct outbuf *b, const struct rgen *g, const struct m_decl *d)
{
	ob_puts(b, "T: ");
	put_decl_path(b, g, d, "Impl");
	ob_puts(b, " + chitin::Implement");
}

/* The trait IImpl, what a Rust type implements to be an object of
 * interface I: its own methods, its base's trait as a supertrait. */
static void
emit_impl_trait(struct rgen *g, uint32_t di, const uint32_t *chain, uint32_t depth)
{
	const struct model *m = g->m;
	const struct m_decl *d = &m->decls[di];
	struct outbuf *o = g->o;
	uint32_t i;
	ob_puts(o, "/// The methods of [`");
	ob_puts(o, d->item.name);
	ob_puts(o, "`], for a Rust type whose values are its\n/// objects (`chitin::implement!`, doc/rust.md 6.1).\n");
	if (!is_camel(d->item.name))
		put_allow_case(o, "", "non_camel_case_types");
	if (!method_names_snake(g, d->u.iface.first_method, d->u.iface.n_methods))
		put_allow_case(o, "", "non_snake_case");
	put_allow_self_convention(o, methods_self_convention(g, d->u.iface.first_method, d->u.iface.n_methods));
	ob_puts(o, "pub trait ");
	ob_puts(o, d->item.name);
	ob_puts(o, "Impl: ");
	if (depth > 1) {
		put_decl_path(o, g, &m->decls[chain[1]], "Impl");
		ob_puts(o, d->u.iface.threadsafe ? " + Sync" : "");
	} else {
		ob_puts(o, d->u.iface.threadsafe ? "Send + Sync" : "Send");
	}
	ob_puts(o, " {\n");
	for (i = 0; i < d->u.iface.n_methods; i++) {
		const struct m_method *me = &m->methods[d->u.iface.first_method + i];
		if (i)
			ob_putc(o, '\n');
		put_impl_method(o, g, &me->item, me, true);
	}
	ob_puts(o, "}\n\n");
}

/* Whether the thunk of me passes every argument on as it came and gives
 * nothing back: it is then one call of chitin::implement::call. */
static bool
thunk_plain(const struct rgen *g, const struct m_method *me)
{
	uint32_t p;
	if (count_outs(g, me))
		return false;
	for (p = me->first_param; p < me->first_param + me->n_params; p++)
		if (!thunk_passes(g, &g->m->params[p]))
			return false;
	return true;
}

/* The thunk of me, a method of d that thunk_plain says passes its
 * arguments as they came: `chitin::thunk!(IImpl, fn chitin_m(this: *mut I,
 * params) => m(args));`, on one line when it fits, else one argument of
 * the macro a line and, when that is still too wide, one parameter a
 * line (rustfmt leaves a macro it cannot parse as it is). */
static void
put_plain_thunk(struct outbuf *o, const struct rgen *g, const struct m_decl *d, const struct m_method *me)
{
	struct outbuf *params = scratch(&tmp_sig), *first = scratch(&tmp_name);
	size_t start = o->len, mid, i, from;
	ob_puts(first, "this: *mut ");
	ob_puts(first, d->item.name);
	put_lowered_params_sep(params, g, me, first->data, "\1");
	ob_puts(o, "    chitin::thunk!(");
	ob_puts(o, d->item.name);
	ob_puts(o, "Impl, ");
	mid = o->len;
	ob_puts(o, "fn chitin_");
	ob_puts(o, me->item.name);
	ob_putc(o, '(');
	for (from = i = 0; i <= params->len; i++) {
		if (i < params->len && params->data[i] != '\1')
			continue;
		ob_put(o, params->data + from, i - from);
		if (i < params->len)
			ob_puts(o, ", ");
		from = i + 1;
	}
	ob_puts(o, ") => ");
	put_ident(o, me->item.name);
	ob_putc(o, '(');
	put_thunk_passes(o, g, me, NULL);
	ob_puts(o, "));\n");
	if (o->len - 1 - start <= RS_WIDTH)
		return;
	/* the fn on a line of its own, or broken too */
	{
		struct outbuf *fn = scratch(&tmp_args);
		size_t w;
		ob_put(fn, o->data + mid, o->len - mid - strlen(");\n"));
		o->len = start;
		ob_puts(o, "    chitin::thunk!(\n        ");
		ob_puts(o, d->item.name);
		ob_puts(o, "Impl,\n");
		w = 8 + fn->len;
		if (w <= RS_WIDTH) {
			ob_puts(o, "        ");
			ob_put(o, fn->data, fn->len);
		} else {
			ob_puts(o, "        fn chitin_");
			ob_puts(o, me->item.name);
			ob_puts(o, "(\n");
			for (from = i = 0; i <= params->len; i++) {
				if (i < params->len && params->data[i] != '\1')
					continue;
				ob_puts(o, "            ");
				ob_put(o, params->data + from, i - from);
				ob_puts(o, ",\n");
				from = i + 1;
			}
			ob_puts(o, "        ) => ");
			put_ident(o, me->item.name);
			ob_putc(o, '(');
			put_thunk_passes(o, g, me, NULL);
			ob_putc(o, ')');
		}
		ob_puts(o, "\n    );\n");
	}
}

/* The thunks of d's own methods, on its vtable type: what the slots of an
 * object made of a T hold, for part K. */
static void
emit_impl_thunks(struct rgen *g, uint32_t di)
{
	const struct model *m = g->m;
	const struct m_decl *d = &m->decls[di];
	struct outbuf *o = g->o, *first, *callee, *bound;
	uint32_t i;
	bool prev_plain = false;
	if (!d->u.iface.n_methods)
		return;
	first = scratch(&tmp_first);
	callee = scratch(&tmp_callee);
	bound = scratch(&tmp_bound);
	ob_puts(first, "this: *mut ");
	ob_puts(first, d->item.name);
	put_impl_bound(bound, g, d);
	for (i = 0; i < d->u.iface.n_methods && !thunk_plain(g, &m->methods[d->u.iface.first_method + i]); i++)
		;
	ob_puts(o, i < d->u.iface.n_methods
		? "// The slots of part K of an object made of a T (`chitin::thunk!`: one that\n"
		  "// calls the method named on the object's value). SAFETY, in each: `this` is\n"
		  "// such a part, alive while called, and the arguments are the ABI's.\n#[doc(hidden)]\n"
		: "// The slots of part K of an object made of a T. SAFETY, in each: `this`\n"
		  "// is such a part, alive while called, and the arguments are the ABI's.\n#[doc(hidden)]\n");
	if (!method_names_snake(g, d->u.iface.first_method, d->u.iface.n_methods))
		put_allow_case(o, "", "non_snake_case");
	ob_puts(o, "#[deny(unsafe_op_in_unsafe_fn)]\nimpl ");
	ob_puts(o, d->item.name);
	ob_puts(o, "Vtbl {\n");
	for (i = 0; i < d->u.iface.n_methods; i++) {
		const struct m_method *me = &m->methods[d->u.iface.first_method + i];
		bool plain = thunk_plain(g, me);
		/* a blank line between items, none between the macro's lines */
		if (i && !(plain && prev_plain))
			ob_putc(o, '\n');
		prev_plain = plain;
		if (plain) {
			put_plain_thunk(o, g, d, me);
			continue;
		}
		if (me->n_params + 2 > 7)
			ob_puts(o, "    #[allow(clippy::too_many_arguments)]\n");
		/* the bound among the generics while they fit on the first line,
		 * as rustfmt keeps them; else in a where clause */
		callee->len = 0;
		ob_puts(callee, "pub unsafe extern \"C\" fn chitin_");
		ob_puts(callee, me->item.name);
		ob_putc(callee, '<');
		ob_puts(callee, bound->data);
		ob_puts(callee, ", const K: usize>");
		if (4 + callee->len + 1 <= RS_WIDTH - 3) {   /* rustfmt keeps 3 columns spare */
			put_thunk_sig(o, g, me, 4, callee->data, first->data, " {");
			ob_putc(o, '\n');
		} else {
			callee->len = 0;
			ob_puts(callee, "pub unsafe extern \"C\" fn chitin_");
			ob_puts(callee, me->item.name);
			ob_puts(callee, "<T, const K: usize>");
			put_thunk_sig(o, g, me, 4, callee->data, first->data, "");
			ob_puts(o, "\n    where\n        ");
			ob_puts(o, bound->data);
			ob_puts(o, ",\n    {\n");
		}
		callee->len = 0;
		ob_puts(callee, "<T as ");
		ob_puts(callee, d->item.name);
		ob_puts(callee, "Impl>::");
		put_ident(callee, me->item.name);
		put_thunk_body(o, g, me, "            let this = unsafe { chitin::implement::value::<T, K>(this.cast()) }?;\n",
			       callee->data, "&this", false);
		ob_puts(o, "    }\n");
	}
	ob_puts(o, "}\n\n");
}

/* The vtable of I for part K of an object made of a T: the header, then
 * every slot from the root's first, each its declaring interface's
 * thunk. */
static void
emit_implementable(struct rgen *g, uint32_t di, const uint32_t *chain, uint32_t depth)
{
	const struct model *m = g->m;
	const struct m_decl *d = &m->decls[di];
	const char *name = d->item.name;
	struct outbuf *o = g->o, *path = scratch(&tmp_name);
	uint32_t k, i;
	size_t start;
	ob_puts(o, "// SAFETY: the header of part K, and each slot its method's thunk for it.\n"
		"unsafe impl<T, const K: usize> chitin::implement::Implementable<T, K> for ");
	ob_puts(o, name);
	ob_puts(o, "\nwhere\n    ");
	put_impl_bound(o, g, d);
	ob_puts(o, ",\n{\n    type Vtbl = ");
	ob_puts(o, name);
	ob_puts(o, "Vtbl;\n\n    const VTBL: &'static ");
	ob_puts(o, name);
	ob_puts(o, "Vtbl = &");
	ob_puts(o, name);
	ob_puts(o, "Vtbl {\n        header: chitin::implement::header_of::<Self, T, K>(");
	ob_puts(o, d->u.iface.threadsafe ? "chitin::VTABLE_THREADSAFE" : "0");
	ob_puts(o, "),\n");
	for (k = depth; k-- > 0;) {
		const struct m_decl *b = &m->decls[chain[k]];
		for (i = 0; i < b->u.iface.n_methods; i++) {
			const struct m_method *me = &m->methods[b->u.iface.first_method + i];
			path->len = 0;
			put_decl_path(path, g, b, "Vtbl");
			ob_puts(path, "::chitin_");
			ob_puts(path, me->item.name);
			ob_puts(path, "::<T, K>");
			start = o->len;
			ob_puts(o, "        ");
			put_ident(o, me->item.name);
			ob_puts(o, ": Some(");
			ob_puts(o, path->data);
			ob_puts(o, "),");
			if (o->len - start > RS_WIDTH) {
				o->len = start;
				ob_puts(o, "        ");
				put_ident(o, me->item.name);
				ob_puts(o, ": Some(\n            ");
				ob_puts(o, path->data);
				ob_puts(o, ",\n        ),");
			}
			ob_putc(o, '\n');
		}
	}
	ob_puts(o, "    };\n");
	if (depth == 1) {
		/* the ids: its own, the trait's default */
		ob_puts(o, "}\n\n");
		return;
	}
	/* the ids: its own, then its bases' */
	start = o->len;
	ob_puts(o, "    const IIDS: &'static [chitin::TypeId] = &[<Self as chitin::Interface>::IID");
	for (k = 1; k < depth; k++) {
		ob_puts(o, ", <");
		put_decl_path(o, g, &m->decls[chain[k]], "");
		ob_puts(o, " as chitin::Interface>::IID");
	}
	ob_puts(o, "];");
	if (o->len - start > RS_WIDTH) {
		o->len = start;
		ob_puts(o, "    const IIDS: &'static [chitin::TypeId] = &[\n        <Self as chitin::Interface>::IID,\n");
		for (k = 1; k < depth; k++) {
			ob_puts(o, "        <");
			put_decl_path(o, g, &m->decls[chain[k]], "");
			ob_puts(o, " as chitin::Interface>::IID,\n");
		}
		ob_puts(o, "    ];");
	}
	ob_puts(o, "\n}\n\n");
}

/* ---- exports ------------------------------------------------------------------------- */

static void emit_export_impl(struct rgen *g, bool snake);
static void emit_export_macro(struct rgen *g, bool any_export);

static void
emit_exports(struct rgen *g)
{
	const struct m_module *mod = &g->m->modules[g->mi];
	uint32_t di, index = 0;
	bool any = false, snake = true, conv = false;
	size_t start;
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++)
		if (g->m->decls[di].kind == DECL_EXPORT) {
			any = true;
			conv |= self_convention(g->m->decls[di].item.name);
			snake &= method_names_snake(g, g->m->decls[di].u.sig.method, 1) &&
				 !has_upper(g->m->decls[di].item.name);
		}
	if (!any) {
		emit_export_macro(g, false);
		return;
	}
	ob_printf(g->o, "/// The exports table a plugin's entry symbol points at (doc/abi.md 8.3).\n");
	if (!snake)
		put_allow_case(g->o, "", "non_snake_case");
	ob_puts(g->o, "#[allow(clippy::type_complexity)]\n#[repr(C)]\n#[derive(Clone, Copy)]\npub struct Exports {\n"
		"    /// Bytes of this table the library provides.\n    pub size: u32,\n"
		"    /// Zero.\n    pub reserved: u32,\n");
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		if (d->kind != DECL_EXPORT)
			continue;
		put_item_doc(g->o, &d->item, "    ");
		start = g->o->len;
		ob_puts(g->o, "    pub ");
		put_ident(g->o, d->item.name);
		ob_puts(g->o, ": Option<");
		put_fn_type(g->o, g, &g->m->methods[d->u.sig.method], "");
		ob_puts(g->o, ">,");
		reflow(g->o, start);
		ob_putc(g->o, '\n');
	}
	ob_puts(g->o, "}\n\n");

	ob_printf(g->o, "/// A loaded library's exports (doc/abi.md 8.3): each call checks that\n"
		  "/// the table's `size` covers its entry and that the entry is not null,\n"
		  "/// and is `UNAVAILABLE` otherwise.\n"
		  "#[derive(Clone, Copy)]\npub struct Plugin {\n    table: *const Exports,\n"
		  "    record: Option<chitin::load::Plugin>,\n}\n\n");
	if (!snake)
		put_allow_case(g->o, "", "non_snake_case");
	put_allow_self_convention(g->o, conv);
	ob_printf(g->o, "impl Plugin {\n"
		  "    /// The exports at `table`, as a loader found them.\n    ///\n"
		  "    /// # Safety\n    ///\n"
		  "    /// `table` must point at an exports table of module %s that stays\n"
		  "    /// loaded, at least as long as its `size` says.\n"
		  "    pub unsafe fn from_table(table: *const Exports) -> Plugin {\n"
		  "        Plugin {\n            table,\n            record: None,\n        }\n    }\n\n"
		  "    /// Loads the plugin at `path` with the crate's loader, which refuses it\n"
		  "    /// unless its descriptor matches this module's and its minor version is\n"
		  "    /// `required_minor` or later (doc/abi.md 8.5).\n    ///\n"
		  "    /// # Safety\n    ///\n"
		  "    /// Opening a library runs its initialisers: `path` must be a library\n"
		  "    /// that is sound to load into this program.\n"
		  "    #[deny(unsafe_op_in_unsafe_fn)]\n"
		  "    pub unsafe fn load<P: AsRef<std::path::Path>>(\n        path: P,\n        required_minor: u16,\n"
		  "    ) -> Result<Plugin, chitin::load::LoadError> {\n"
		  "        // SAFETY: the caller's contract.\n"
		  "        let loaded = unsafe { chitin::load::load(path, descriptor(), required_minor) }?;\n"
		  "        Ok(Plugin {\n            table: loaded.exports().cast(),\n            record: Some(loaded),\n"
		  "        })\n    }\n\n"
		  "    /// The library registered as module %s (`chitin::load::register`, for\n"
		  "    /// static builds), checked as [`Plugin::load`] checks one.\n"
		  "    pub fn load_registered(required_minor: u16) -> Result<Plugin, chitin::load::LoadError> {\n"
		  "        let loaded = chitin::load::load_registered(\"%s\", descriptor(), required_minor)?;\n"
		  "        Ok(Plugin {\n            table: loaded.exports().cast(),\n            record: Some(loaded),\n"
		  "        })\n    }\n\n"
		  "    /// The table.\n    pub fn table(&self) -> *const Exports {\n        self.table\n    }\n\n"
		  "    /// The loader's record of the library, when a loader found it.\n"
		  "    pub fn record(&self) -> Option<chitin::load::Plugin> {\n        self.record\n    }\n",
		  mod->name, mod->name, mod->name);
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		const struct m_method *me;
		if (d->kind != DECL_EXPORT)
			continue;
		me = &g->m->methods[d->u.sig.method];
		ob_putc(g->o, '\n');
		if (!index)
			ob_puts(g->o, "    // SAFETY, in each export's method: the table's contract (from_table's),\n"
				"    // entry N is the member read with it, and the arguments are in the\n"
				"    // ABI's forms.\n");
		put_sig_doc(g->o, g, &d->item, me);
		if (me->n_params > 7)
			ob_puts(g->o, "    #[allow(clippy::too_many_arguments)]\n");
		start = put_fn_keyword(g->o, g, me);
		put_ident(g->o, d->item.name);
		ob_puts(g->o, "(&self");
		put_safe_params(g->o, g, me);
		ob_puts(g->o, ") -> ");
		put_safe_ret(g->o, g, me);
		ob_puts(g->o, " {");
		reflow(g->o, start);
		ob_putc(g->o, '\n');
		put_hold_owned(g->o, g, me);
		put_slot_let(g->o, "chitin_fn", "export_entry", "self.table", index, "Exports", "t", d->item.name);
		put_call_body(g->o, g, me, "");
		ob_puts(g->o, "    }\n");
		index++;
	}
	ob_puts(g->o, "}\n\n");

	ob_puts(g->o, "chitin::import_functions! {\n");
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		const struct m_method *me;
		struct outbuf *params;
		if (d->kind != DECL_EXPORT)
			continue;
		me = &g->m->methods[d->u.sig.method];
		params = scratch(&tmp_args);
		put_lowered_params(params, g, me, "");
		ob_printf(g->o, "    /// `%s`, for programs linked with the library that defines it.\n",
			  d->item.name);
		if (has_upper(d->u.sig.symbol))
			put_allow_case(g->o, "    ", "non_snake_case");
		ob_printf(g->o, "    #[link_name = \"%s\"]\n", d->u.sig.symbol);
		start = g->o->len;
		ob_puts(g->o, "    pub fn ");
		ob_puts(g->o, d->u.sig.symbol);
		ob_putc(g->o, '(');
		ob_puts(g->o, params->data);
		ob_puts(g->o, ") -> chitin::Status;");
		reflow(g->o, start);
		ob_putc(g->o, '\n');
	}
	ob_puts(g->o, "}\n\n");
	emit_export_impl(g, snake);
	emit_export_macro(g, true);
}

/* ---- exports implemented in Rust (doc/rust.md 6) ---------------------------------------- */

/* The trait Implementation, the exports as associated functions, and the
 * table of a type's: Exports::of::<P>() and a thunk per entry. */
static void
emit_export_impl(struct rgen *g, bool snake)
{
	const struct m_module *mod = &g->m->modules[g->mi];
	uint32_t di;
	bool any = false;
	size_t start;
	ob_printf(g->o, "/// What a library that implements module %s defines: its exports, as\n"
		  "/// functions of a type `P`, which `chitin::export_module!(path::to::%s, P)`\n"
		  "/// makes the library's (doc/rust.md 6).\n", mod->name, mod->name);
	if (!snake)
		put_allow_case(g->o, "", "non_snake_case");
	ob_puts(g->o, "pub trait Implementation {\n");
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		if (d->kind != DECL_EXPORT)
			continue;
		if (any)
			ob_putc(g->o, '\n');
		any = true;
		put_impl_method(g->o, g, &d->item, &g->m->methods[d->u.sig.method], false);
	}
	ob_puts(g->o, "}\n\n");
	if (!snake)
		put_allow_case(g->o, "", "non_snake_case");
	ob_puts(g->o, "// SAFETY, in the entries of P's table: the arguments and storage are\n"
		"// the caller's, in the ABI's forms (doc/abi.md 3.2); what they own is\n"
		"// taken first.\n#[deny(unsafe_op_in_unsafe_fn)]\n");
	ob_printf(g->o, "impl Exports {\n"
		  "    /// The exports table of `P`'s implementation (doc/abi.md 8.3), which\n"
		  "    /// the entry symbol of a library that implements module %s points at.\n"
		  "    pub const fn of<P: Implementation>() -> Exports {\n        Exports {\n"
		  "            size: core::mem::size_of::<Exports>() as u32,\n            reserved: 0,\n",
		  mod->name);
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		if (d->kind != DECL_EXPORT)
			continue;
		start = g->o->len;
		ob_puts(g->o, "            ");
		put_ident(g->o, d->item.name);
		ob_printf(g->o, ": Some(Exports::chitin_%s::<P>),", d->item.name);
		reflow(g->o, start);
		ob_putc(g->o, '\n');
	}
	ob_puts(g->o, "        }\n    }\n");
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		const struct m_method *me;
		struct outbuf *callee = scratch(&tmp_callee);
		if (d->kind != DECL_EXPORT)
			continue;
		me = &g->m->methods[d->u.sig.method];
		ob_puts(g->o, "\n    /// The entry `");
		ob_puts(g->o, d->item.name);
		ob_puts(g->o, "` of `P`'s table.\n    #[doc(hidden)]\n");
		if (me->n_params + 1 > 7)
			ob_puts(g->o, "    #[allow(clippy::too_many_arguments)]\n");
		ob_puts(callee, "pub unsafe extern \"C\" fn chitin_");
		ob_puts(callee, d->item.name);
		ob_puts(callee, "<P: Implementation>");
		put_thunk_sig(g->o, g, me, 4, callee->data, "", " {");
		ob_putc(g->o, '\n');
		callee->len = 0;
		ob_puts(callee, "P::");
		put_ident(callee, d->item.name);
		put_thunk_body(g->o, g, me, "", callee->data, NULL, false);
		ob_puts(g->o, "    }\n");
	}
	ob_puts(g->o, "}\n\n");
}

/* The macro chitin::export_module! expands to, invoked with the module's
 * path: each export under its C symbol, calling the thunk of P's table,
 * and the entry symbol.  The paths in it start with the macro's argument,
 * which `super` cannot follow: an imported type is named through an alias
 * the file defines, chitin_<module>_<Name>. */
static void
emit_export_macro(struct rgen *g, bool any_export)
{
	const struct m_module *mod = &g->m->modules[g->mi];
	struct outbuf body, head, *out = g->o;
	struct aliases al = { 0 };
	uint32_t di;
	size_t i;
	ob_init(&body);
	ob_init(&head);
	g->o = &body;
	g->prefix = "$($m)::+";
	g->aliases = &al;
	if (any_export) {
		ob_puts(&body, "    ($($m:ident)::+, $p:ty) => {\n        chitin::export_functions! {\n");
		for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
			const struct m_decl *d = &g->m->decls[di];
			const struct m_method *me;
			uint32_t p;
			if (d->kind != DECL_EXPORT)
				continue;
			me = &g->m->methods[d->u.sig.method];
			ob_printf(&body, "            /// The export `%s` of module %s, for programs linked with the\n"
				  "            /// library.\n            ///\n            /// # Safety\n            ///\n"
				  "            /// The arguments must be in the ABI's forms (doc/abi.md 3.2).\n",
				  d->item.name, mod->name);
			if (has_upper(d->u.sig.symbol))
				ob_puts(&body, "            #[allow(non_snake_case)]\n");
			if (me->n_params + (me->ret != TY_VOID) > 7)
				ob_puts(&body, "            #[allow(clippy::too_many_arguments)]\n");
			head.len = 0;
			ob_printf(&head, "fn %s", d->u.sig.symbol);
			put_thunk_sig(&body, g, me, 12, head.data, "", " {");
			ob_puts(&body, "\n                // SAFETY: the caller's contract.\n");
			ob_printf(&body, "                unsafe { $($m)::+::Exports::chitin_%s::<$p>(", d->item.name);
			for (p = me->first_param; p < me->first_param + me->n_params; p++) {
				if (p > me->first_param)
					ob_puts(&body, ", ");
				put_ident(&body, g->m->params[p].name);
			}
			if (me->ret != TY_VOID)
				ob_puts(&body, me->n_params ? ", ret" : "ret");
			ob_puts(&body, ") }\n            }\n");
		}
		ob_printf(&body, "        }\n        chitin::module_entry!(\n            chitin_module_%s,\n"
			  "            chitin_exports_%s: $($m)::+::Exports = $($m)::+::Exports::of::<$p>(),\n"
			  "            &$($m)::+::DESCRIPTOR as *const $($m)::+::DescriptorWords as *const u8\n"
			  "        );\n    };\n", mod->name, mod->name);
	} else {
		ob_printf(&body, "    ($($m:ident)::+) => {\n        chitin::module_entry!(\n"
			  "            chitin_module_%s,\n"
			  "            &$($m)::+::DESCRIPTOR as *const $($m)::+::DescriptorWords as *const u8\n"
			  "        );\n    };\n", mod->name);
	}
	g->o = out;
	g->prefix = NULL;
	g->aliases = NULL;
	for (i = 0; i < al.n; i++) {
		const struct m_decl *d = &g->m->decls[al.v[i]];
		const char *mn = g->m->modules[d->module].name;
		ob_printf(out, "/// `%s.%s`, as the export macro names it.\n#[doc(hidden)]\n"
			  "#[allow(non_camel_case_types)]\npub type chitin_%s_%s = ", mn, d->item.name, mn, d->item.name);
		put_decl_path(out, g, d, "");
		ob_puts(out, ";\n\n");
	}
	ob_printf(out, "/// What `chitin::export_module!(path::to::%s%s)` expands to: the\n"
		  "/// library's exports, under their C symbols, and its entry symbol\n"
		  "/// `chitin_module_%s` (doc/rust.md 6).\n"
		  "#[doc(hidden)]\n#[allow(unused_macros)]\nmacro_rules! chitin_export_module {\n",
		  mod->name, any_export ? ", P" : "", mod->name);
	ob_put(out, body.data, body.len);
	ob_puts(out, "}\n#[doc(hidden)]\n#[allow(unused_imports)]\npub(crate) use chitin_export_module;\n\n");
	ob_free(&body);
	ob_free(&head);
	free(al.v);
	free(al.seen);
}

/* ---- the descriptor ------------------------------------------------------------------ */

/* One target's cfg predicate, at indent (the line's own): whole up to
 * 70 columns (rustfmt's width for an attribute's lists), else one
 * part a line. */
static void
put_one_cfg(struct outbuf *b, const char *pred, size_t indent)
{
	const char *p = pred, *q;
	if (strlen(pred) <= 70 || strncmp(pred, "all(", 4) != 0) {
		ob_puts(b, pred);
		return;
	}
	ob_puts(b, "all(\n");
	for (p = pred + 4; (q = strstr(p, ", ")); p = q + 2) {
		put_spaces(b, indent + 4);
		ob_put(b, p, (size_t)(q - p));
		ob_puts(b, ",\n");
	}
	put_spaces(b, indent + 4);
	ob_put(b, p, strlen(p) - 1);       /* without its ')' */
	ob_putc(b, '\n');
	put_spaces(b, indent);
	ob_putc(b, ')');
}

/* The cfg predicate true on exactly the targets of mask, written where
 * the attribute is at indent. */
static void
put_cfg(struct outbuf *b, unsigned mask, size_t indent)
{
	unsigned ti, n = 0;
	for (ti = 0; ti < TARGET_COUNT; ti++)
		n += (mask >> ti) & 1;
	if (n == 1) {
		for (ti = 0; !(mask & (1u << ti)); ti++)
			;
		put_one_cfg(b, targets[ti].rust_cfg, indent);
		return;
	}
	ob_puts(b, "any(\n");
	for (ti = 0; ti < TARGET_COUNT; ti++) {
		if (!(mask & (1u << ti)))
			continue;
		put_spaces(b, indent + 4);
		put_one_cfg(b, targets[ti].rust_cfg, indent + 4);
		ob_puts(b, ",\n");
	}
	put_spaces(b, indent);
	ob_putc(b, ')');
}

/* The little-endian 32-bit word at bytes. */
static uint32_t
word_at(const uint8_t *bytes)
{
	return (uint32_t)bytes[0] | (uint32_t)bytes[1] << 8 | (uint32_t)bytes[2] << 16 | (uint32_t)bytes[3] << 24;
}

/* bytes (n, a multiple of 4) as little-endian 32-bit words in decimal,
 * filled into lines at indent, each line ended: as fill_put and fill_end
 * write them, a line at a time. */
static void
put_words(struct outbuf *b, const uint8_t *bytes, size_t n, size_t indent)
{
	char line[RS_WIDTH + 24], text[20];
	size_t i, col = 0, total = indent;
	bool one = true;
	for (i = 0; i < n && one; i += 4) {
		total += u64_text(text, word_at(bytes + i)) + (i + 4 == n ? 1 : 2);
		one = total <= RS_WIDTH;
	}
	for (i = 0; i < n; i += 4) {
		size_t len = u64_text(text, word_at(bytes + i));
		if (!one && col && col + 1 + len + 2 > RS_WIDTH) {
			line[col++] = '\n';
			ob_put(b, line, col);
			ob_flush_point(b);
			col = 0;
		}
		if (!col) {
			memset(line, ' ', indent);
			col = indent;
		} else {
			line[col++] = ' ';
		}
		memcpy(line + col, text, len);
		col += len;
		line[col++] = ',';
	}
	if (col) {
		line[col++] = '\n';
		ob_put(b, line, col);
	}
}

/* `const NAME: [u32; N] = [words];` at the file's top level: on one line
 * when the words fit in 60 columns (rustfmt's array_width) and the line in
 * RS_WIDTH, else filled by put_words. */
static void
put_words_const(struct outbuf *b, const char *name, const uint8_t *bytes, size_t n)
{
	size_t start = b->len, open, i;
	ob_puts(b, "const ");
	ob_puts(b, name);
	ob_puts(b, ": [u32; ");
	ob_u64(b, n / 4);
	ob_puts(b, "] = [");
	open = b->len;
	for (i = 0; i < n && b->len - open <= 60; i += 4) {
		if (i)
			ob_puts(b, ", ");
		ob_u64(b, word_at(bytes + i));
	}
	if (i >= n && b->len - open <= 60 && b->len + 2 - start <= RS_WIDTH) {
		ob_puts(b, "];\n\n");
		return;
	}
	b->len = open;
	ob_putc(b, '\n');
	put_words(b, bytes, n, 4);
	ob_puts(b, "];\n\n");
}

static void
emit_descriptor(struct rgen *g)
{
	const struct m_module *mod = &g->m->modules[g->mi];
	const struct desc_blobs *bl = desc_module_blobs(g->ck, g->mi);
	unsigned all = 0;
	uint32_t k;
	if (!bl) {
		ob_printf(g->o, "compile_error!(\"chitin: the descriptor of module %s is too large to encode\");\n\n",
			  mod->name);
		return;
	}
	ob_printf(g->o, "/// The descriptor of module %s (doc/descriptor.md) as 32-bit words,\n"
		  "/// which every target stores little-endian: the part the same on every\n"
		  "/// target, then the part of the target's class.\n"
		  "#[doc(hidden)]\n#[repr(C)]\npub struct DescriptorWords {\n    common: [u32; %zu],\n    part: [u32; %zu],\n}\n\n",
		  mod->name, bl->common / 4, bl->part / 4);
	for (k = 0; k < bl->n; k++) {
		all |= bl->mask[k];
		ob_printf(g->o, "/// The part of %s.\n#[cfg(", bl->names[k]);
		put_cfg(g->o, bl->mask[k], 0);
		ob_puts(g->o, ")]\n#[allow(clippy::large_const_arrays)]\n");
		put_words_const(g->o, "DESCRIPTOR_PART", bl->bytes + bl->common + k * bl->part, bl->part);
	}
	ob_puts(g->o, "#[cfg(not(");
	put_cfg(g->o, all, 0);
	ob_puts(g->o, "))]\ncompile_error!(\"chitin: this descriptor does not know the target being compiled for\");\n\n");
	ob_puts(g->o, "/// The part of every target.\n#[allow(clippy::large_const_arrays)]\n");
	put_words_const(g->o, "CHITIN_DESCRIPTOR_COMMON", bl->bytes, bl->common);
	ob_puts(g->o, "// In the section of descriptors, so that tools read it from a binary\n"
		"// without loading it (doc/abi.md 8.4).\n"
		"chitin::descriptor_section! {\n    #[doc(hidden)]\n"
		"    pub static DESCRIPTOR: DescriptorWords = DescriptorWords {\n"
		"        common: CHITIN_DESCRIPTOR_COMMON,\n        part: DESCRIPTOR_PART,\n    };\n}\n\n");
	ob_printf(g->o, "/// The binary descriptor of module %s %u.%u on this target: what a host\n"
		  "/// compares a plugin's with (doc/abi.md 8.4).\n"
		  "pub fn descriptor() -> &'static [u8] {\n"
		  "    // SAFETY: the words are plain bytes, in a static.\n"
		  "    unsafe {\n        core::slice::from_raw_parts(\n"
		  "            (&DESCRIPTOR as *const DescriptorWords).cast::<u8>(),\n"
		  "            core::mem::size_of::<DescriptorWords>(),\n        )\n    }\n}\n\n",
		  mod->name, mod->version.major, mod->version.minor);
}

/* ---- layout assertions --------------------------------------------------------------- */

/* One entry of a class's `chitin::assert_layout!` list: `Name: size, align;`. */
static void
put_size_entry(struct outbuf *b, const char *name, const char *suffix, const struct lay_size *s)
{
	ob_puts(b, "    ");
	ob_puts(b, name);
	ob_puts(b, suffix);
	ob_puts(b, ": ");
	ob_u64(b, s->size);
	ob_puts(b, ", ");
	ob_u64(b, s->align);
	ob_puts(b, ";\n");
	ob_flush_point(b);
}

/* The size and alignment assertions of target ti's class: every type the
 * module declares that has a Rust type of its own (interfaces are behind
 * pointers; a resilient struct's is its Fields), a data enum's payload
 * union and payload structs. */
static void
put_class_sizes(struct rgen *g, unsigned ti)
{
	const struct m_module *mod = &g->m->modules[g->mi];
	uint32_t di, v;
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		if (model_named_kind(d) == NK_NONE || d->kind == DECL_INTERFACE)
			continue;
		/* a resilient struct's own value is its Fields */
		put_size_entry(g->o, d->item.name, d->kind == DECL_STRUCT && d->u.agg.resilient ? "Fields" : "",
			       ck_decl_size(g->ck, ti, di));
		if (d->kind != DECL_ENUM || !d->u.enm.data)
			continue;
		put_size_entry(g->o, d->item.name, "Payload", ck_payload_union(g->ck, ti, di));
		for (v = d->u.enm.first_variant; v < d->u.enm.first_variant + d->u.enm.n_variants; v++)
			if (g->m->variants[v].has_payload)
				put_size_entry(g->o, d->item.name, g->m->variants[v].item.name,
					       ck_payload_size(g->ck, ti, v));
	}
}

/* One entry of a class's `chitin::assert_offsets!` list, type name (its
 * parts concatenated) with its fields, `Name { field: offset, ... }`: on
 * one line when it fits, else the fields filled into lines below it.
 * lead is an extra first field (`record: 0`, `payload: N`) or NULL. */
static void
put_offsets_entry(struct rgen *g, const char *name, const char *suffix, const char *lead, uint64_t lead_off,
		  uint32_t first, uint32_t n, unsigned ti)
{
	struct outbuf *b = g->o;
	size_t start = b->len, head;
	uint32_t f;
	if (!n && !lead)
		return;
	ob_puts(b, "        ");
	ob_puts(b, name);
	ob_puts(b, suffix);
	ob_puts(b, " {");
	head = b->len;
	if (lead) {
		ob_putc(b, ' ');
		ob_puts(b, lead);
		ob_puts(b, ": ");
		ob_u64(b, lead_off);
		if (n)
			ob_putc(b, ',');
	}
	for (f = first; f < first + n; f++) {
		ob_putc(b, ' ');
		put_ident(b, g->m->fields[f].item.name);
		ob_puts(b, ": ");
		ob_u64(b, ck_field_offset(g->ck, ti, f));
		if (f + 1 < first + n)
			ob_putc(b, ',');
	}
	if (b->len - start + 2 > RS_WIDTH) {
		/* too wide: the fields filled into lines, each ended by a comma */
		size_t n_text = b->len - head;
		char *text = xmalloc(n_text + 1);
		struct fill fl = { .b = b, .indent = 12 };
		const char *p, *q;
		memcpy(text, b->data + head, n_text);
		text[n_text] = '\0';
		b->len = head;
		ob_putc(b, '\n');
		for (p = text + 1; *p; p = q + (*q ? 2 : 0)) {
			q = strchr(p, ',');
			if (!q)
				q = p + strlen(p);
			fill_put(&fl, p, (size_t)(q - p));
		}
		fill_end(&fl);
		free(text);
		ob_puts(b, "        }\n");
	} else {
		ob_puts(b, " }\n");
	}
	ob_flush_point(b);
}

static void
put_class_offsets(struct rgen *g, unsigned ti)
{
	const struct m_module *mod = &g->m->modules[g->mi];
	uint32_t di, v;
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		switch (d->kind) {
		case DECL_STRUCT:
		case DECL_UNION:
			if (d->u.agg.resilient)
				put_offsets_entry(g, d->item.name, "Fields", "record", 0, d->u.agg.first_field,
						  d->u.agg.n_fields, ti);
			else
				put_offsets_entry(g, d->item.name, "", NULL, 0, d->u.agg.first_field,
						  d->u.agg.n_fields, ti);
			break;
		case DECL_ENUM:
			if (!d->u.enm.data)
				break;
			put_offsets_entry(g, d->item.name, "", "payload", ck_payload_union_offset(g->ck, ti, di), 0,
					  0, ti);
			for (v = d->u.enm.first_variant; v < d->u.enm.first_variant + d->u.enm.n_variants; v++) {
				const struct m_variant *va = &g->m->variants[v];
				if (va->has_payload)
					put_offsets_entry(g, d->item.name, va->item.name, NULL, 0, va->first_field,
							  va->n_fields, ti);
			}
			break;
		default:
			break;
		}
	}
}

static void
emit_asserts(struct rgen *g)
{
	const struct ck_module_classes *cl = ck_classes(g->ck, g->mi);
	const struct m_module *mod = &g->m->modules[g->mi];
	uint32_t k, di;
	bool any = false, sized = false;
	/* any: a field to check; sized: a type of its own */
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		any |= ((d->kind == DECL_STRUCT || d->kind == DECL_UNION) && (d->u.agg.n_fields || d->u.agg.resilient)) ||
		       (d->kind == DECL_ENUM && d->u.enm.data);
		sized |= model_named_kind(d) != NK_NONE && d->kind != DECL_INTERFACE;
	}
	/* a module without types of its own has nothing to assert */
	for (k = 0; sized && k < cl->n; k++) {
		ob_puts(g->o, "// The sizes and alignments chitin computed, for the targets that lay\n"
			"// every type of the module out alike (doc/abi.md 1.3).\n#[cfg(");
		put_cfg(g->o, cl->classes[k].targets, 0);
		ob_puts(g->o, ")]\nchitin::assert_layout! {\n");
		put_class_sizes(g, cl->classes[k].first);
		ob_puts(g->o, "}\n\n");
	}
	ob_puts(g->o, "/// Checks that every field of module ");
	ob_puts(g->o, mod->name);
	ob_puts(g->o, "'s types is where chitin put it\n"
		"/// on this target, panicking at the first that is not (their sizes and\n"
		"/// alignments are checked when this file compiles).\npub fn check_layout() {");
	if (!any) {
		ob_puts(g->o, "}\n");
		return;
	}
	ob_putc(g->o, '\n');
	for (k = 0; k < cl->n; k++) {
		ob_puts(g->o, "    #[cfg(");
		put_cfg(g->o, cl->classes[k].targets, 4);
		ob_puts(g->o, ")]\n    chitin::assert_offsets! {\n");
		put_class_offsets(g, cl->classes[k].first);
		ob_puts(g->o, "    }\n");
	}
	ob_puts(g->o, "}\n");
}

/* ---- the file ------------------------------------------------------------------------ */

void
be_rust(struct outbuf *out, const struct checked *ck, uint32_t mi)
{
	struct rgen g = { .o = out, .ck = ck, .m = ck->m, .mi = mi };
	const struct m_module *mod = &g.m->modules[mi];
	uint32_t di;

	ob_printf(out, "// %s.rs: module %s %u.%u for Rust, generated by chitin.  Do not edit.\n"
		  "//\n// It needs the crate `chitin` (doc/runtime.md 7)", mod->name, mod->name,
		  mod->version.major, mod->version.minor);
	if (mod->n_imports)
		ob_printf(out, ", and the modules it imports\n// beside it under `%s`", rust_parent);
	ob_puts(out, ".\n\n");
	if (mod->doc) {
		/* a //! would be an inner attribute: a plain comment carries it */
		put_comment(out, mod->doc, "", "//");
		ob_putc(out, '\n');
	}
	ob_printf(out, "/// The major version of module %s this file was generated from.\n"
		  "pub const VERSION_MAJOR: u16 = %u;\n"
		  "/// The minor version of module %s this file was generated from.\n"
		  "pub const VERSION_MINOR: u16 = %u;\n\n",
		  mod->name, mod->version.major, mod->name, mod->version.minor);
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g.m->decls[di];
		ob_flush_point(out);
		switch (d->kind) {
		case DECL_CONST:
			emit_const(&g, d);
			break;
		case DECL_STRUCT:
			if (d->u.agg.resilient)
				emit_resilient(&g, d);
			else
				emit_struct_body(&g, &d->item, d->item.name, "struct", d->u.agg.first_field,
						 d->u.agg.n_fields, d->u.agg.align, true);
			break;
		case DECL_UNION:
			emit_struct_body(&g, &d->item, d->item.name, "union", d->u.agg.first_field,
					 d->u.agg.n_fields, d->u.agg.align, false);
			break;
		case DECL_ENUM:
			if (d->u.enm.data)
				emit_data_enum(&g, d);
			else
				emit_c_enum(&g, d);
			break;
		case DECL_CALLBACK:
			emit_callback(&g, d);
			break;
		case DECL_INTERFACE:
			emit_interface(&g, di);
			break;
		default:
			break;
		}
	}
	emit_exports(&g);
	emit_descriptor(&g);
	emit_asserts(&g);
	release_scratch();
}
