/* Turns the output of `chitin layout --json --target all` into a C file of
 * _Static_asserts that hold a hand-written C translation of the module's
 * types (tests/layout/corpus.h) to every size, alignment and offset chitin
 * reports, one section per target under that target's exact guard.
 *
 * usage: layout_asserts [HEADER] < JSON > asserts.c
 *
 * stdin holds one or more JSON documents, one per module, back to back.
 * HEADER (default "corpus.h") is the file the output #includes.  A summary
 * goes to stderr.  Exit status: 0 ok, 1 bad input, 2 usage or I/O error.
 *
 * The header follows corpus.h's naming: type Name of module m is
 * `struct m_Name` (`union m_Name`, the typedef `m_Name` for a C-like enum,
 * `struct m_Name *` for an interface), a data enum's variant V has the
 * payload struct `struct m_Name_V` at member `payload.V`, a resilient
 * struct's record pointer is member `record`, and M_TYPE_COUNT (M the
 * module in capitals) says how many types the module declares.
 *
 * Standalone C11 with no dependencies, so that make check can build it
 * with any host compiler. */
#include <ctype.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- The targets and their exact guards (doc/abi.md 1.3) ---- */

struct target {
	const char *name;
	const char *guard;
};

static const struct target targets[] = {
	{ "x86_64-linux", "defined(__x86_64__) && defined(__LP64__) && defined(__linux__)" },
	{ "aarch64-linux", "defined(__aarch64__) && defined(__LP64__) && defined(__linux__)" },
	{ "x86_64-windows", "(defined(_M_X64) || defined(__x86_64__)) && defined(_WIN64)" },
	{ "i686-linux", "defined(__i386__) && defined(__linux__)" },
	{ "i686-windows", "(defined(_M_IX86) || defined(__i386__)) && defined(_WIN32) && !defined(_WIN64)" },
	{ "armv7-linux", "defined(__arm__) && defined(__linux__)" },
	{ "riscv64-linux", "defined(__riscv) && __riscv_xlen == 64 && defined(__linux__)" },
	{ "aarch64-macos", "defined(__aarch64__) && defined(__APPLE__)" },
	{ "x86_64-macos", "defined(__x86_64__) && defined(__APPLE__)" },
	{ "wasm32-wasi", "defined(__wasm32__) && defined(__wasi__)" },
};

#define N_TARGETS (sizeof targets / sizeof targets[0])

/* ---- Failure ---- */

static void
die(int status, const char *fmt, ...)
{
	va_list ap;
	fputs("layout_asserts: ", stderr);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(status);
}

static void *
xrealloc(void *p, size_t n)
{
	p = realloc(p, n ? n : 1);
	if (!p)
		die(2, "out of memory");
	return p;
}

/* ---- JSON values ---- */

enum jkind { J_NULL, J_FALSE, J_TRUE, J_NUMBER, J_STRING, J_ARRAY, J_OBJECT };

struct jvalue {
	enum jkind kind;
	unsigned line;             /* where the value starts, for messages */
	char *text;                /* J_STRING: decoded, NUL-terminated;
	                              J_NUMBER: the literal as written */
	size_t n;                  /* J_ARRAY, J_OBJECT: number of items */
	char **keys;               /* J_OBJECT: n keys, in order */
	struct jvalue **items;     /* J_ARRAY, J_OBJECT: n values */
};

/* Every allocation of the parse, freed together at the end. */
static void **owned;
static size_t n_owned, cap_owned;

static void *
keep(void *p)
{
	if (n_owned == cap_owned) {
		cap_owned = cap_owned ? 2 * cap_owned : 256;
		owned = xrealloc(owned, cap_owned * sizeof *owned);
	}
	owned[n_owned++] = p;
	return p;
}

static void
free_all(void)
{
	size_t i;
	for (i = 0; i < n_owned; i++)
		free(owned[i]);
	free(owned);
}

/* ---- JSON reader (RFC 8259) ---- */

#define MAX_DEPTH 64

struct reader {
	const char *p, *end;
	unsigned line;
};

static void
bad(const struct reader *r, const char *what)
{
	die(1, "stdin:%u: %s", r->line, what);
}

static void
skip_space(struct reader *r)
{
	while (r->p < r->end) {
		if (*r->p == '\n')
			r->line++;
		else if (*r->p != ' ' && *r->p != '\t' && *r->p != '\r')
			return;
		r->p++;
	}
}

static struct jvalue *
new_value(const struct reader *r, enum jkind kind)
{
	struct jvalue *v = keep(xrealloc(NULL, sizeof *v));
	memset(v, 0, sizeof *v);
	v->kind = kind;
	v->line = r->line;
	return v;
}

/* A growing byte buffer for decoded strings. */
struct buf {
	char *s;
	size_t n, cap;
};

static void
buf_add(struct buf *b, char c)
{
	if (b->n == b->cap) {
		b->cap = b->cap ? 2 * b->cap : 32;
		b->s = xrealloc(b->s, b->cap);
	}
	b->s[b->n++] = c;
}

static unsigned
hex4(struct reader *r)
{
	unsigned v = 0, i;
	for (i = 0; i < 4; i++, r->p++) {
		int c = r->p < r->end ? (unsigned char)*r->p : -1;
		if (c < 0 || !isxdigit(c))
			bad(r, "\\u needs four hexadecimal digits");
		v = v * 16 + (unsigned)(isdigit(c) ? c - '0' : tolower(c) - 'a' + 10);
	}
	return v;
}

static void
put_utf8(struct buf *b, unsigned long cp)
{
	if (cp < 0x80) {
		buf_add(b, (char)cp);
	} else if (cp < 0x800) {
		buf_add(b, (char)(0xC0 | (cp >> 6)));
		buf_add(b, (char)(0x80 | (cp & 0x3F)));
	} else if (cp < 0x10000) {
		buf_add(b, (char)(0xE0 | (cp >> 12)));
		buf_add(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_add(b, (char)(0x80 | (cp & 0x3F)));
	} else {
		buf_add(b, (char)(0xF0 | (cp >> 18)));
		buf_add(b, (char)(0x80 | ((cp >> 12) & 0x3F)));
		buf_add(b, (char)(0x80 | ((cp >> 6) & 0x3F)));
		buf_add(b, (char)(0x80 | (cp & 0x3F)));
	}
}

/* Reads a string whose opening quote is at r->p; returns it decoded
 * (kept, NUL-terminated; a \u0000 inside is refused). */
static char *
read_string(struct reader *r)
{
	struct buf b = { NULL, 0, 0 };
	r->p++;
	for (;;) {
		unsigned char c;
		if (r->p >= r->end)
			bad(r, "unterminated string");
		c = (unsigned char)*r->p++;
		if (c == '"')
			break;
		if (c < 0x20)
			bad(r, "control character in a string");
		if (c != '\\') {
			buf_add(&b, (char)c);
			continue;
		}
		if (r->p >= r->end)
			bad(r, "unterminated string");
		switch (*r->p++) {
		case '"': buf_add(&b, '"'); break;
		case '\\': buf_add(&b, '\\'); break;
		case '/': buf_add(&b, '/'); break;
		case 'b': buf_add(&b, '\b'); break;
		case 'f': buf_add(&b, '\f'); break;
		case 'n': buf_add(&b, '\n'); break;
		case 'r': buf_add(&b, '\r'); break;
		case 't': buf_add(&b, '\t'); break;
		case 'u': {
			unsigned long cp = hex4(r);
			if (cp >= 0xDC00 && cp <= 0xDFFF)
				bad(r, "lone low surrogate in \\u escape");
			if (cp >= 0xD800 && cp <= 0xDBFF) {
				unsigned long low;
				if (r->end - r->p < 2 || r->p[0] != '\\' || r->p[1] != 'u')
					bad(r, "high surrogate without a low one");
				r->p += 2;
				low = hex4(r);
				if (low < 0xDC00 || low > 0xDFFF)
					bad(r, "high surrogate without a low one");
				cp = 0x10000 + ((cp - 0xD800) << 10) + (low - 0xDC00);
			}
			if (cp == 0)
				bad(r, "\\u0000 in a string");
			put_utf8(&b, cp);
			break;
		}
		default:
			bad(r, "unknown escape in a string");
		}
	}
	buf_add(&b, '\0');
	return keep(b.s);
}

static void
read_number(struct reader *r, struct jvalue *v)
{
	const char *start = r->p;
	size_t len;
	if (r->p < r->end && *r->p == '-')
		r->p++;
	if (r->p >= r->end || !isdigit((unsigned char)*r->p))
		bad(r, "malformed number");
	if (*r->p == '0')
		r->p++;
	else
		while (r->p < r->end && isdigit((unsigned char)*r->p))
			r->p++;
	if (r->p < r->end && *r->p == '.') {
		r->p++;
		if (r->p >= r->end || !isdigit((unsigned char)*r->p))
			bad(r, "malformed number");
		while (r->p < r->end && isdigit((unsigned char)*r->p))
			r->p++;
	}
	if (r->p < r->end && (*r->p == 'e' || *r->p == 'E')) {
		r->p++;
		if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
			r->p++;
		if (r->p >= r->end || !isdigit((unsigned char)*r->p))
			bad(r, "malformed number");
		while (r->p < r->end && isdigit((unsigned char)*r->p))
			r->p++;
	}
	len = (size_t)(r->p - start);
	v->text = keep(xrealloc(NULL, len + 1));
	memcpy(v->text, start, len);
	v->text[len] = '\0';
}

static struct jvalue *read_value(struct reader *r, unsigned depth);

/* Reads an array or object whose opener is at r->p. */
static void
read_container(struct reader *r, struct jvalue *v, unsigned depth)
{
	char close = v->kind == J_ARRAY ? ']' : '}';
	size_t cap = 0;
	r->p++;
	skip_space(r);
	if (r->p < r->end && *r->p == close) {
		r->p++;
		return;
	}
	for (;;) {
		char *key = NULL;
		struct jvalue *item;
		skip_space(r);
		if (v->kind == J_OBJECT) {
			size_t i;
			if (r->p >= r->end || *r->p != '"')
				bad(r, "expected a string key");
			key = read_string(r);
			for (i = 0; i < v->n; i++)
				if (strcmp(v->keys[i], key) == 0)
					bad(r, "duplicate key in an object");
			skip_space(r);
			if (r->p >= r->end || *r->p != ':')
				bad(r, "expected ':' after a key");
			r->p++;
		}
		item = read_value(r, depth + 1);
		if (v->n == cap) {
			cap = cap ? 2 * cap : 8;
			v->items = xrealloc(v->items, cap * sizeof *v->items);
			v->keys = xrealloc(v->keys, cap * sizeof *v->keys);
		}
		v->items[v->n] = item;
		v->keys[v->n] = key;
		v->n++;
		skip_space(r);
		if (r->p < r->end && *r->p == ',') {
			r->p++;
			continue;
		}
		if (r->p < r->end && *r->p == close) {
			r->p++;
			/* the arrays are final now: free them with the rest */
			keep(v->items);
			keep(v->keys);
			return;
		}
		bad(r, v->kind == J_ARRAY ? "expected ',' or ']'" : "expected ',' or '}'");
	}
}

static bool
take_word(struct reader *r, const char *word)
{
	size_t n = strlen(word);
	if ((size_t)(r->end - r->p) < n || memcmp(r->p, word, n) != 0)
		return false;
	r->p += n;
	return true;
}

static struct jvalue *
read_value(struct reader *r, unsigned depth)
{
	struct jvalue *v;
	if (depth > MAX_DEPTH)
		bad(r, "nested too deeply");
	skip_space(r);
	if (r->p >= r->end)
		bad(r, "unexpected end of input");
	switch (*r->p) {
	case '{':
		v = new_value(r, J_OBJECT);
		read_container(r, v, depth);
		return v;
	case '[':
		v = new_value(r, J_ARRAY);
		read_container(r, v, depth);
		return v;
	case '"':
		v = new_value(r, J_STRING);
		v->text = read_string(r);
		return v;
	case 't':
		v = new_value(r, J_TRUE);
		if (!take_word(r, "true"))
			bad(r, "unexpected word");
		return v;
	case 'f':
		v = new_value(r, J_FALSE);
		if (!take_word(r, "false"))
			bad(r, "unexpected word");
		return v;
	case 'n':
		v = new_value(r, J_NULL);
		if (!take_word(r, "null"))
			bad(r, "unexpected word");
		return v;
	default:
		v = new_value(r, J_NUMBER);
		read_number(r, v);
		return v;
	}
}

/* ---- Reading the layout document ---- */

static const struct jvalue *
member(const struct jvalue *obj, const char *key)
{
	size_t i;
	for (i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

static const struct jvalue *
need(const struct jvalue *obj, const char *key, enum jkind kind, const char *where)
{
	const struct jvalue *v;
	if (obj->kind != J_OBJECT)
		die(1, "stdin:%u: %s is not an object", obj->line, where);
	v = member(obj, key);
	if (!v)
		die(1, "stdin:%u: %s has no \"%s\"", obj->line, where, key);
	if (v->kind != kind)
		die(1, "stdin:%u: \"%s\" of %s has the wrong type", v->line, key, where);
	return v;
}

/* A size, alignment or offset: a non-negative integer in 64 bits. */
static uint64_t
need_uint(const struct jvalue *obj, const char *key, const char *where)
{
	const struct jvalue *v = need(obj, key, J_NUMBER, where);
	const char *s;
	uint64_t n = 0;
	for (s = v->text; *s; s++) {
		unsigned d;
		if (!isdigit((unsigned char)*s))
			die(1, "stdin:%u: \"%s\" of %s is not a non-negative integer", v->line, key, where);
		d = (unsigned)(*s - '0');
		if (n > (UINT64_MAX - d) / 10)
			die(1, "stdin:%u: \"%s\" of %s is too large", v->line, key, where);
		n = n * 10 + d;
	}
	return n;
}

/* Names go into C code, so they must be C identifiers. */
static const char *
need_ident(const struct jvalue *obj, const char *key, const char *where)
{
	const char *s = need(obj, key, J_STRING, where)->text, *t;
	if (!isalpha((unsigned char)*s) && *s != '_')
		die(1, "stdin:%u: %s: \"%s\" is not a C identifier", obj->line, where, s);
	for (t = s; *t; t++)
		if (!isalnum((unsigned char)*t) && *t != '_')
			die(1, "stdin:%u: %s: \"%s\" is not a C identifier", obj->line, where, s);
	return s;
}

/* ---- Writing the assertions ---- */

struct emitter {
	const struct jvalue *doc;  /* the module's document */
	const char *module;
	const char *target;
	unsigned long count;     /* assertions in the current section */
};

/* printf into a new string, freed with the rest at the end. */
static char *
fmt(const char *format, ...)
{
	va_list ap;
	int n;
	char *s;
	va_start(ap, format);
	n = vsnprintf(NULL, 0, format, ap);
	va_end(ap);
	if (n < 0)
		die(2, "cannot format a string");
	s = keep(xrealloc(NULL, (size_t)n + 1));
	va_start(ap, format);
	vsnprintf(s, (size_t)n + 1, format, ap);
	va_end(ap);
	return s;
}

/* Writes _Static_assert(EXPR == value, "message"), the message naming
 * what is checked, the target and chitin's number. */
static void
check(struct emitter *e, const char *expr, uint64_t value, const char *what)
{
	printf("_Static_assert(%s == %" PRIu64 "u,\n\t\"%s.%s on %s: chitin says %" PRIu64 "\");\n",
	       expr, value, e->module, what, e->target, value);
	e->count++;
}

/* The C spelling of a type of kind `kind`. */
static const char *
c_type(const char *module, const char *name, const char *kind)
{
	if (strcmp(kind, "struct") == 0 || strcmp(kind, "data_enum") == 0 ||
	    strcmp(kind, "callback") == 0)
		return fmt("struct %s_%s", module, name);
	if (strcmp(kind, "union") == 0)
		return fmt("union %s_%s", module, name);
	if (strcmp(kind, "enum") == 0)
		return fmt("%s_%s", module, name);
	if (strcmp(kind, "interface") == 0)
		return fmt("struct %s_%s *", module, name);
	die(1, "type %s.%s has unknown kind \"%s\"", module, name, kind);
	return NULL;
}

/* The entry of obj's "layouts" whose "targets" lists target: exactly
 * one must. */
static const struct jvalue *
layout_of(const struct jvalue *obj, const char *target, const char *where)
{
	const struct jvalue *layouts = need(obj, "layouts", J_ARRAY, where), *found = NULL;
	size_t i, k;
	for (i = 0; i < layouts->n; i++) {
		const struct jvalue *ts = need(layouts->items[i], "targets", J_ARRAY, where);
		for (k = 0; k < ts->n; k++) {
			if (ts->items[k]->kind != J_STRING || strcmp(ts->items[k]->text, target) != 0)
				continue;
			if (found)
				die(1, "stdin:%u: %s: target %s has two layouts", ts->line, where, target);
			found = layouts->items[i];
		}
	}
	if (!found)
		die(1, "stdin:%u: %s: no layout for target %s", obj->line, where, target);
	return found;
}

/* Offset i of a layout's "offsets". */
static uint64_t
offset_at(const struct jvalue *layout, size_t i, size_t n, const char *where)
{
	const struct jvalue *offs = need(layout, "offsets", J_ARRAY, where);
	const struct jvalue *v;
	const char *s;
	uint64_t x = 0;
	if (offs->n != n)
		die(1, "stdin:%u: %s: %zu offsets for %zu fields", offs->line, where, offs->n, n);
	v = offs->items[i];
	if (v->kind != J_NUMBER)
		die(1, "stdin:%u: %s: an offset is not a number", v->line, where);
	for (s = v->text; *s; s++) {
		if (!isdigit((unsigned char)*s) || x > UINT64_MAX / 10 - 9)
			die(1, "stdin:%u: %s: bad offset", v->line, where);
		x = x * 10 + (uint64_t)(*s - '0');
	}
	return x;
}

/* The size of field type name (as the document's "field_types" spell
 * it) on the emitter's target. */
static uint64_t
field_type_size(const struct emitter *e, const char *name, const char *where)
{
	const struct jvalue *fts = need(e->doc, "field_types", J_ARRAY, "the document");
	size_t i;
	for (i = 0; i < fts->n; i++)
		if (strcmp(need(fts->items[i], "type", J_STRING, "a field type")->text, name) == 0)
			return need_uint(layout_of(fts->items[i], e->target, name), "size", name);
	die(1, "%s: type %s is not among the field types", where, name);
	return 0;
}

/* The offset and size of each field of a struct, union or data enum (tag
 * and payload), and the record pointer of a resilient struct. */
static void
check_fields(struct emitter *e, const struct jvalue *type, const struct jvalue *layout,
	     const char *name, const char *kind, const char *ctype)
{
	const struct jvalue *fields;
	size_t i;
	if (strcmp(kind, "interface") == 0 || strcmp(kind, "enum") == 0 || strcmp(kind, "callback") == 0) {
		if (member(type, "fields"))
			die(1, "%s %s has fields", kind, name);
		return;
	}
	fields = need(type, "fields", J_ARRAY, name);
	if (member(type, "resilient"))
		check(e, fmt("offsetof(%s, record)", ctype), 0, fmt("%s.record offset", name));
	for (i = 0; i < fields->n; i++) {
		const struct jvalue *f = fields->items[i];
		const char *fname = need_ident(f, "name", name), *what;
		const struct jvalue *ft = member(f, "type");
		uint64_t size;
		what = fmt("%s.%s offset", name, fname);
		check(e, fmt("offsetof(%s, %s)", ctype, fname), offset_at(layout, i, fields->n, what), what);
		what = fmt("%s.%s size", name, fname);
		if (ft && ft->kind == J_STRING)
			size = field_type_size(e, ft->text, what);
		else
			size = need_uint(layout, "payload_size", what);   /* the payload union */
		check(e, fmt("sizeof(((%s *)0)->%s)", ctype, fname), size, what);
	}
}

/* The payload struct of each variant of a data enum: its size and
 * alignment, that it is payload.Variant, and its fields' offsets both
 * within the payload and through the enum. */
static void
check_variants(struct emitter *e, const struct jvalue *type, const struct jvalue *layout,
	       const char *name, const char *ctype)
{
	const struct jvalue *variants = need(type, "variants", J_ARRAY, name);
	const struct jvalue *payloads = need(layout, "payloads", J_ARRAY, name);
	size_t i, j, p = 0;
	for (i = 0; i < variants->n; i++) {
		const struct jvalue *v = variants->items[i];
		const struct jvalue *fields, *pl;
		const char *vname = need_ident(v, "name", name), *ptype, *what;
		if (!member(v, "payload"))
			continue;   /* a unit variant */
		if (p >= payloads->n)
			die(1, "%s: fewer payloads than variants with one", name);
		pl = payloads->items[p++];
		ptype = fmt("struct %s_%s_%s", e->module, name, vname);
		what = fmt("%s.%s payload size", name, vname);
		check(e, fmt("sizeof(%s)", ptype), need_uint(pl, "size", what), what);
		what = fmt("%s.%s payload align", name, vname);
		check(e, fmt("_Alignof(%s)", ptype), need_uint(pl, "align", what), what);
		what = fmt("%s.payload.%s", name, vname);
		printf("_Static_assert(_Generic(((%s *)0)->payload.%s, %s: 1, default: 0),\n"
		       "\t\"%s.%s on %s: must have type %s\");\n",
		       ctype, vname, ptype, e->module, what, e->target, ptype);
		e->count++;
		fields = need(v, "payload", J_ARRAY, what);
		for (j = 0; j < fields->n; j++) {
			const struct jvalue *f = fields->items[j];
			const char *fname = need_ident(f, "name", what);
			uint64_t offset;
			what = fmt("%s.%s.%s offset", name, vname, fname);
			offset = offset_at(pl, j, fields->n, what);
			check(e, fmt("offsetof(%s, %s)", ptype, fname), offset, what);
			check(e, fmt("offsetof(%s, payload.%s.%s) - offsetof(%s, payload)",
				     ctype, vname, fname, ctype), offset, what);
			what = fmt("%s.%s.%s size", name, vname, fname);
			check(e, fmt("sizeof(((%s *)0)->%s)", ptype, fname),
			      field_type_size(e, need(f, "type", J_STRING, what)->text, what), what);
		}
	}
}

/* One module's section for one target. */
static unsigned long
emit_target(const struct jvalue *doc, const char *module, const struct target *tg)
{
	struct emitter e;
	const struct jvalue *types;
	char *upper = fmt("%s", module), *u;
	size_t i;

	e.module = module;
	e.target = tg->name;
	e.doc = doc;
	e.count = 0;
	types = need(doc, "types", J_ARRAY, "the document");
	printf("\n#if %s /* %s */\n\n", tg->guard, tg->name);
	for (i = 0; i < types->n; i++) {
		const struct jvalue *t = types->items[i];
		const char *name = need_ident(t, "name", "a type");
		const char *kind = need(t, "kind", J_STRING, name)->text;
		const char *ctype = c_type(module, name, kind), *what;
		const struct jvalue *layout = layout_of(t, tg->name, name);

		what = fmt("%s size", name);
		check(&e, fmt("sizeof(%s)", ctype), need_uint(layout, "size", what), what);
		what = fmt("%s align", name);
		check(&e, fmt("_Alignof(%s)", ctype), need_uint(layout, "align", what), what);
		check_fields(&e, t, layout, name, kind, ctype);
		if (strcmp(kind, "data_enum") == 0)
			check_variants(&e, t, layout, name, ctype);
		putchar('\n');
	}
	for (u = upper; *u; u++)
		*u = (char)toupper((unsigned char)*u);
	/* chitin leaves out a type it could not lay out; the header says
	 * how many there are */
	check(&e, fmt("%s_TYPE_COUNT", upper), types->n, "number of types");
	printf("\n#endif /* %s */\n", tg->name);
	return e.count;
}

/* One document: checks its shape, writes its sections, reports. */
static void
emit_document(const struct jvalue *doc)
{
	const struct jvalue *listed;
	const char *module;
	unsigned long counts[N_TARGETS];
	bool seen[N_TARGETS] = { false };
	size_t i, k;

	if (need_uint(doc, "format", "the document") != 2)
		die(1, "stdin:%u: unknown \"format\" (this program reads format 2)", doc->line);
	module = need_ident(doc, "module", "the document");
	listed = need(doc, "targets", J_ARRAY, "the document");
	printf("\n/* ==== module %s ==== */\n", module);
	for (i = 0; i < listed->n; i++) {
		const char *name = listed->items[i]->kind == J_STRING ? listed->items[i]->text : "";
		for (k = 0; k < N_TARGETS; k++)
			if (strcmp(name, targets[k].name) == 0)
				break;
		if (k == N_TARGETS)
			die(1, "stdin:%u: unknown target \"%s\"", listed->items[i]->line, name);
		seen[k] = true;
		counts[k] = emit_target(doc, module, &targets[k]);
	}
	/* A target missing from the document would pass unchecked on it. */
	for (k = 0; k < N_TARGETS; k++)
		if (!seen[k])
			die(1, "module %s: no layout for target %s (run chitin layout with --target all)",
			    module, targets[k].name);
	fprintf(stderr, "layout_asserts: module %s:", module);
	for (k = 0; k < N_TARGETS; k++)
		fprintf(stderr, " %s %lu%s", targets[k].name, counts[k], k + 1 < N_TARGETS ? "," : "");
	fputs(" assertions\n", stderr);
}

/* The guards: one macro per target, 1 where it matches; the file must
 * match exactly one, so no compiler can pass it by checking nothing. */
static void
emit_prologue(const char *header)
{
	size_t k;
	printf("/* Generated by tests/layout/layout_asserts from `chitin layout --json`:\n"
	       " * every size, alignment and offset chitin reports, checked against the\n"
	       " * C compiler's on each target.  Do not edit. */\n");
	printf("#include <stddef.h>\n#include \"%s\"\n\n", header);
	for (k = 0; k < N_TARGETS; k++)
		printf("#if %s\n#define LAYOUT_ON_TARGET_%zu 1\n#define LAYOUT_TARGET_NAME \"%s\"\n"
		       "#else\n#define LAYOUT_ON_TARGET_%zu 0\n#endif\n",
		       targets[k].guard, k, targets[k].name, k);
	printf("#define LAYOUT_TARGETS_MATCHED (");
	for (k = 0; k < N_TARGETS; k++)
		printf("%sLAYOUT_ON_TARGET_%zu", k ? " + " : "", k);
	printf(")\n");
	/* two messages, so that a script can tell a host outside the ten
	 * targets from overlapping guards */
	printf("_Static_assert(LAYOUT_TARGETS_MATCHED >= 1,\n"
	       "\t\"no chitin target guard matches this compiler's target\");\n");
	printf("_Static_assert(LAYOUT_TARGETS_MATCHED <= 1,\n"
	       "\t\"several chitin target guards match this compiler's target\");\n");
}

static char *
read_all(FILE *f, size_t *len)
{
	size_t cap = 65536, n = 0, got;
	char *s = xrealloc(NULL, cap);
	while ((got = fread(s + n, 1, cap - n, f)) > 0) {
		n += got;
		if (n == cap) {
			cap *= 2;
			s = xrealloc(s, cap);
		}
	}
	if (ferror(f))
		die(2, "cannot read stdin");
	*len = n;
	return s;
}

int
main(int argc, char **argv)
{
	const char *header = "corpus.h";
	struct jvalue **docs = NULL;
	struct reader r;
	size_t len, n_docs = 0, i;
	char *input;

	if (argc > 2 || (argc == 2 && argv[1][0] == '-'))
		die(2, "usage: layout_asserts [HEADER] < LAYOUT.json > asserts.c");
	if (argc == 2)
		header = argv[1];
	if (strpbrk(header, "\"\\\n"))
		die(2, "unusable header name");

	input = read_all(stdin, &len);
	if (memchr(input, '\0', len))
		die(1, "stdin: NUL byte in the input");
	r.p = input;
	r.end = input + len;
	r.line = 1;
	for (;;) {
		skip_space(&r);
		if (r.p == r.end)
			break;
		docs = xrealloc(docs, (n_docs + 1) * sizeof *docs);
		docs[n_docs] = read_value(&r, 0);
		if (docs[n_docs]->kind != J_OBJECT)
			die(1, "stdin:%u: a document is not an object", docs[n_docs]->line);
		n_docs++;
	}
	if (n_docs == 0)
		die(1, "stdin: no JSON document");

	emit_prologue(header);
	for (i = 0; i < n_docs; i++)
		emit_document(docs[i]);
	fflush(stdout);
	if (ferror(stdout))
		die(2, "cannot write stdout");
	free(docs);
	free(input);
	free_all();
	return 0;
}
