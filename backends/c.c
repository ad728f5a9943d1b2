/* The C header.  Types are written in an order that makes each complete
 * before anything holds it by value: forward typedefs first, then C-like
 * enums and callbacks (which need only declarations), then aggregates in
 * the model's by-value order, each preceded by the instantiations
 * (option<T>, vec<T>, ...) it holds.  Instantiations over primitives come
 * from <chitin/chitin.h>; the others are named by what they instantiate
 * alone, every named type with its module (chitin_option_dsp_Window), and
 * sit under include guards, so that any header may define them, two
 * headers never conflict, and two instantiations never share a name. */
#include "backends/c.h"
#include "backends/c_names.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

struct cgen {
	struct outbuf *o;
	const struct model *m;
	const struct checked *ck;
	uint32_t mi;
	uint8_t *declared, *defined;   /* by type: instantiation emitted */
};

static const char *const c_prims[TY_PRIM_COUNT] = {
	"void", "bool", "int8_t", "int16_t", "int32_t", "int64_t", "uint8_t",
	"uint16_t", "uint32_t", "uint64_t", "float", "double", "size_t",
	"ptrdiff_t", "chitin_typeid", "chitin_str", "chitin_string",
};

static const struct m_decl *
named(const struct cgen *g, uint32_t t)
{
	const struct m_type *ty = &g->m->types[t];
	return ty->kind == TY_NAMED ? &g->m->decls[ty->decl] : NULL;
}

static const char *
module_of(const struct cgen *g, const struct m_decl *d)
{
	return d->module == M_NONE ? "chitin" : g->m->modules[d->module].name;
}

static void
put_decl_name(struct outbuf *b, const struct cgen *g, const struct m_decl *d)
{
	if (d->module == M_NONE)
		ob_puts(b, "chitin_object");
	else
		ob_printf(b, "%s_%s", module_of(g, d), d->item.name);
}

/* ---- instantiation names ------------------------------------------------------ */

/* Whether t is one of chitin.h's helper types (a slice, vec or option of
 * a primitive) or needs no type of its own (the option niches). */
static bool
from_chitin_h(const struct cgen *g, uint32_t t)
{
	const struct m_type *ty = &g->m->types[t];
	const struct m_type *e = &g->m->types[ty->elem];
	return (ty->kind == TY_SLICE || ty->kind == TY_VEC || ty->kind == TY_OPTION) &&
	       ty->elem < TY_PRIM_COUNT && e->kind != TY_VOID;
}

static bool
is_niche_option(const struct cgen *g, uint32_t t)
{
	const struct m_type *ty = &g->m->types[t];
	const struct m_decl *d;
	if (ty->kind != TY_OPTION)
		return false;
	d = named(g, ty->elem);
	return d && (d->kind == DECL_INTERFACE || d->kind == DECL_CALLBACK);
}

/* What a value of type t may hold that an interface reference or a
 * callback never does, which the header says in a comment: the none of
 * option<I>, a null pointer, and that of option<C>, a null call
 * (doc/abi.md 2.8).  Arrays are of what their elements are. */
enum c_none { NONE_NOT, NONE_NULL, NONE_NULL_CALL };

static enum c_none
none_of(const struct cgen *g, uint32_t t)
{
	while (g->m->types[t].kind == TY_ARRAY)
		t = g->m->types[t].elem;
	if (!is_niche_option(g, t))
		return NONE_NOT;
	return named(g, g->m->types[t].elem)->kind == DECL_INTERFACE ? NONE_NULL : NONE_NULL_CALL;
}

/* The comment after the member that holds elements of type t: an
 * array's, or a slice's or vec's pointer; or "". */
static const char *
elements_note(const struct cgen *g, uint32_t t)
{
	static const char *const notes[] = {
		"", "    /* elements may be null */", "    /* an element's none: a null call */",
	};
	return notes[none_of(g, t)];
}

/* The comment after a member of type t, or "". */
static const char *
member_note(const struct cgen *g, uint32_t t)
{
	static const char *const notes[] = {
		"", "    /* may be null */", "    /* none: call is NULL */",
	};
	if (g->m->types[t].kind == TY_ARRAY)
		return elements_note(g, t);
	return notes[none_of(g, t)];
}

static void put_type(struct outbuf *b, const struct cgen *g, uint32_t t);

static void
put_inst_name(struct outbuf *b, const struct cgen *g, uint32_t t)
{
	c_put_inst_name(b, g->m, t);
}

/* The C spelling of t where a declaration needs it (arrays are written
 * by their declarators). */
static void
put_type(struct outbuf *b, const struct cgen *g, uint32_t t)
{
	const struct m_type *ty = &g->m->types[t];
	switch (ty->kind) {
	case TY_NAMED: {
		const struct m_decl *d = &g->m->decls[ty->decl];
		put_decl_name(b, g, d);
		if (d->kind == DECL_INTERFACE)
			ob_puts(b, " *");
		break;
	}
	case TY_POINTER: {
		const struct m_decl *d = named(g, ty->elem);
		if (ty->is_const)
			ob_puts(b, "const ");
		put_type(b, g, ty->elem);
		ob_puts(b, (d && d->kind == DECL_INTERFACE) || b->data[b->len - 1] == '*' ? "*" : " *");
		break;
	}
	case TY_OPTION:
		if (is_niche_option(g, t)) {
			put_type(b, g, ty->elem);
			break;
		}
		put_inst_name(b, g, t);
		break;
	case TY_SLICE:
	case TY_VEC:
	case TY_RESULT:
		put_inst_name(b, g, t);
		break;
	case TY_ARRAY:
		put_type(b, g, ty->elem);
		break;
	default:
		ob_puts(b, c_prims[ty->kind]);
		break;
	}
}

/* What goes between a type just written to b and a '*' after it: a
 * space, or nothing after a pointer's own '*' (`I **`, not `I * *`). */
static const char *
star_gap(const struct outbuf *b)
{
	return b->len && b->data[b->len - 1] == '*' ? "" : " ";
}

/* `TYPE name` with array dimensions, as a member or parameter; a size
 * that the IDL writes as a constant is that constant's macro (the
 * header, or the imported one it includes, defines it), when
 * size_names (model.size_names from a field's first_size_name) is
 * given. */
static void
put_declarator_named(struct outbuf *b, const struct cgen *g, uint32_t t, const char *name,
		     const uint32_t *size_names)
{
	const struct m_type *ty = &g->m->types[t];
	uint32_t inner = t, k;
	while (g->m->types[inner].kind == TY_ARRAY)
		inner = g->m->types[inner].elem;
	put_type(b, g, inner);
	if (b->len && b->data[b->len - 1] != '*')
		ob_putc(b, ' ');
	ob_puts(b, name);
	for (k = 0; ty->kind == TY_ARRAY; ty = &g->m->types[ty->elem], k++) {
		if (size_names && size_names[k] != M_NONE) {
			ob_putc(b, '[');
			c_put_const_name(b, g->m, size_names[k]);
			ob_putc(b, ']');
		} else {
			ob_printf(b, "[%" PRIu64 "]", ty->count);
		}
	}
}

static void
put_declarator(struct outbuf *b, const struct cgen *g, uint32_t t, const char *name)
{
	put_declarator_named(b, g, t, name, NULL);
}

/* Breaks the line that starts at b->data[start] (and runs to the end of
 * b) after each ", " when it is wider than 100 columns, indenting the
 * continuations one tab deeper: long signatures, written by hand. */
static void
wrap_tail(struct outbuf *b, size_t start)
{
	size_t i, width = 0, tabs_lead = 0, n = b->len - start;
	char *line;
	for (i = start; i < b->len; i++)
		width += b->data[i] == '\t' ? 8 : 1;
	if (width <= 100)
		return;
	while (start + tabs_lead < b->len && b->data[start + tabs_lead] == '\t')
		tabs_lead++;
	line = xmalloc(n + 1);
	memcpy(line, b->data + start, n);
	line[n] = '\0';
	b->len = start;
	for (i = 0; i < n; i++) {
		if (line[i] == ',' && line[i + 1] == ' ') {
			size_t t;
			ob_puts(b, ",\n");
			for (t = 0; t <= tabs_lead; t++)
				ob_putc(b, '\t');
			i++;
			continue;
		}
		ob_putc(b, line[i]);
	}
	free(line);
}

/* ---- doc comments --------------------------------------------------------------- */

/* Appends doc text, keeping it from opening or closing a C comment:
 * a '/' next to a '*' gets a space between them. */
static void
put_doc_text(struct outbuf *b, const char *p, const char *end)
{
	for (; p < end; p++) {
		ob_putc(b, *p);
		if ((p[0] == '*' && p[1] == '/') || (p[0] == '/' && p[1] == '*'))
			ob_putc(b, ' ');
	}
}

static void
put_doc(struct outbuf *b, const char *doc, const char *indent)
{
	const char *line, *nl;
	if (!doc)
		return;
	if (!strchr(doc, '\n')) {
		ob_printf(b, "%s/** ", indent);
		put_doc_text(b, doc, doc + strlen(doc));
		ob_puts(b, " */\n");
		return;
	}
	ob_printf(b, "%s/**\n", indent);
	for (line = doc; line; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		ob_printf(b, "%s *", indent);
		if ((nl ? nl : line + strlen(line)) > line) {
			ob_putc(b, ' ');
			put_doc_text(b, line, nl ? nl : line + strlen(line));
		}
		ob_putc(b, '\n');
	}
	ob_printf(b, "%s */\n", indent);
}

/* ---- instantiations -------------------------------------------------------------- */

static void define_inst(struct cgen *g, uint32_t t);

static void
guard_name(struct outbuf *b, const struct cgen *g, uint32_t t, const char *what)
{
	/* the name as it is: upper-casing it would make option<Rgb> and
	 * option<RGB> share a guard */
	ob_puts(b, "CHITIN_");
	put_inst_name(b, g, t);
	ob_printf(b, "_%s", what);
}

static bool
needs_inst(const struct cgen *g, uint32_t t)
{
	const struct m_type *ty = &g->m->types[t];
	if (ty->kind != TY_SLICE && ty->kind != TY_VEC && ty->kind != TY_OPTION &&
	    ty->kind != TY_RESULT)
		return false;
	if (is_niche_option(g, t))
		return false;
	if (ty->kind == TY_OPTION && ty->elem == TY_BOOL)
		return false;
	return !from_chitin_h(g, t);
}

/* A forward typedef, enough for pointers to it. */
static void
declare_inst(struct cgen *g, uint32_t t)
{
	struct outbuf *o = g->o;
	if (!needs_inst(g, t) || g->declared[t])
		return;
	g->declared[t] = 1;
	ob_puts(o, "#ifndef ");
	guard_name(o, g, t, "DECLARED\n#define ");
	guard_name(o, g, t, "DECLARED\ntypedef struct ");
	put_inst_name(o, g, t);
	ob_putc(o, ' ');
	put_inst_name(o, g, t);
	ob_puts(o, ";\n#endif\n\n");
}

/* What t needs before a definition holds it by value. */
static void
need_complete(struct cgen *g, uint32_t t)
{
	const struct m_type *ty = &g->m->types[t];
	switch (ty->kind) {
	case TY_ARRAY:
		need_complete(g, ty->elem);
		break;
	case TY_POINTER:
		/* a pointer needs only a declaration of what it points at */
		while (g->m->types[ty->elem].kind == TY_POINTER)
			ty = &g->m->types[ty->elem];
		declare_inst(g, ty->elem);
		break;
	default:
		define_inst(g, t);
		break;
	}
}

static void
define_inst(struct cgen *g, uint32_t t)
{
	struct outbuf *o = g->o;
	const struct m_type *ty = &g->m->types[t];
	if (!needs_inst(g, t) || g->defined[t])
		return;
	g->defined[t] = 1;
	declare_inst(g, t);
	if (ty->kind == TY_SLICE || ty->kind == TY_VEC) {
		/* elements are reached through the pointer */
		if (needs_inst(g, ty->elem))
			declare_inst(g, ty->elem);
	} else {
		if (ty->elem != TY_VOID)
			need_complete(g, ty->elem);
		if (ty->kind == TY_RESULT && ty->err != TY_VOID)
			need_complete(g, ty->err);
	}
	ob_puts(o, "#ifndef ");
	guard_name(o, g, t, "DEFINED\n#define ");
	guard_name(o, g, t, "DEFINED\n");
	ob_puts(o, "struct ");
	put_inst_name(o, g, t);
	ob_puts(o, " {\n");
	switch (ty->kind) {
	case TY_SLICE:
		ob_puts(o, "\t");
		if (ty->is_const)
			ob_puts(o, "const ");
		put_type(o, g, ty->elem);
		ob_printf(o, "%s*ptr;%s\n\tsize_t len;\n", star_gap(o), elements_note(g, ty->elem));
		break;
	case TY_VEC:
		ob_puts(o, "\t");
		put_type(o, g, ty->elem);
		ob_printf(o, "%s*ptr;%s\n\tsize_t len;\n\tsize_t cap;\n\tvoid (CHITIN_CALL *release)(",
			  star_gap(o), elements_note(g, ty->elem));
		put_type(o, g, ty->elem);
		ob_printf(o, "%s*ptr, size_t len, size_t cap);\n", star_gap(o));
		break;
	case TY_OPTION:
		ob_puts(o, "\tuint8_t tag;    /* CHITIN_OPTION_NONE or CHITIN_OPTION_SOME */\n\t");
		put_declarator(o, g, ty->elem, "value");
		ob_printf(o, ";%s\n", member_note(g, ty->elem));
		break;
	case TY_RESULT:
		ob_puts(o, "\tuint8_t tag;    /* CHITIN_RESULT_OK or CHITIN_RESULT_ERR */\n");
		if (ty->elem != TY_VOID || ty->err != TY_VOID) {
			ob_puts(o, "\tunion {\n");
			if (ty->elem != TY_VOID) {
				ob_puts(o, "\t\t");
				put_declarator(o, g, ty->elem, "ok");
				ob_printf(o, ";%s\n", member_note(g, ty->elem));
			}
			if (ty->err != TY_VOID) {
				ob_puts(o, "\t\t");
				put_declarator(o, g, ty->err, "err");
				ob_printf(o, ";%s\n", member_note(g, ty->err));
			}
			ob_puts(o, "\t} u;\n");
		}
		break;
	default:
		break;
	}
	ob_puts(o, "};\n#endif\n\n");
}

/* ---- declarations ----------------------------------------------------------------- */

static bool
in_module(const struct cgen *g, uint32_t di)
{
	return g->m->decls[di].module == g->mi;
}

/* A constant as <stdint.h>'s macros write it, so #if can use it:
 * UINT32_C(8), INT8_C(-3). */
static void
put_const_value(struct outbuf *b, uint64_t v, enum type_kind k)
{
	unsigned bits = type_int_bits(k);
	if (k == TY_I64 && (int64_t)v == INT64_MIN)
		ob_puts(b, "(-INT64_C(9223372036854775807) - 1)");
	else if (type_is_signed(k) && bits < 64 && (int64_t)v == -((int64_t)1 << (bits - 1)))
		ob_printf(b, "(-INT%u_C(%" PRId64 ") - 1)", bits, -(int64_t)v - 1);
	else if (type_is_signed(k))
		ob_printf(b, "INT%u_C(%" PRId64 ")", bits, (int64_t)v);
	else
		ob_printf(b, "UINT%u_C(%" PRIu64 ")", bits, v);
}

/* An integer constant of kind k, without a cast: 8u, -3, UINT64_C(8). */
static void
put_int_value(struct outbuf *b, uint64_t v, enum type_kind k)
{
	if (k == TY_I64) {
		if ((int64_t)v == INT64_MIN)
			ob_puts(b, "(-INT64_C(9223372036854775807) - 1)");
		else
			ob_printf(b, "INT64_C(%" PRId64 ")", (int64_t)v);
	} else if (k == TY_U64) {
		ob_printf(b, "UINT64_C(%" PRIu64 ")", v);
	} else if (type_is_signed(k)) {
		ob_printf(b, "%" PRId64, (int64_t)v);
	} else {
		ob_printf(b, "%" PRIu64 "u", v);
	}
}

/* Marks a [since] member (a slot, a variant) where it is declared, so
 * that whoever fills a vtable or switches on a tag sees what an older
 * version lacks. */
static void
put_since(struct outbuf *b, const struct m_item *it, const char *indent)
{
	if (it->has_since)
		ob_printf(b, "%s/* [since(%u.%u)] */\n", indent, it->since.major, it->since.minor);
}

static void
emit_constants(struct cgen *g)
{
	const struct m_module *mod = &g->m->modules[g->mi];
	uint32_t di;
	bool any = false;
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		ob_flush_point(g->o);
		if (d->kind != DECL_CONST)
			continue;
		put_doc(g->o, d->item.doc, "");
		ob_puts(g->o, "#define ");
		c_put_const_name(g->o, g->m, di);
		ob_putc(g->o, ' ');
		put_const_value(g->o, d->u.konst.value, (enum type_kind)d->type);
		ob_putc(g->o, '\n');
		any = true;
	}
	if (any)
		ob_putc(g->o, '\n');
}

/* The C name of variant v's payload struct (doc/abi.md 2.14):
 * <module>_<Enum>_payload_<Variant>. */
static void
put_payload_name(struct outbuf *b, const struct cgen *g, const struct m_decl *d,
		 const struct m_variant *v)
{
	put_decl_name(b, g, d);
	ob_printf(b, "_payload_%s", v->item.name);
}

static void
emit_forward(struct cgen *g)
{
	const struct m_module *mod = &g->m->modules[g->mi];
	uint32_t di, i;
	bool any = false;
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		ob_flush_point(g->o);
		const char *tag = d->kind == DECL_UNION ? "union" : "struct";
		if (d->kind == DECL_CONST || d->kind == DECL_EXPORT ||
		    (d->kind == DECL_ENUM && !d->u.enm.data))
			continue;
		ob_printf(g->o, "typedef %s ", tag);
		put_decl_name(g->o, g, d);
		ob_putc(g->o, ' ');
		put_decl_name(g->o, g, d);
		ob_puts(g->o, ";\n");
		any = true;
		/* a data enum's payload structs are types of their own too */
		for (i = 0; d->kind == DECL_ENUM && i < d->u.enm.n_variants; i++) {
			const struct m_variant *v = &g->m->variants[d->u.enm.first_variant + i];
			if (!v->has_payload)
				continue;
			ob_puts(g->o, "typedef struct ");
			put_payload_name(g->o, g, d, v);
			ob_putc(g->o, ' ');
			put_payload_name(g->o, g, d, v);
			ob_puts(g->o, ";\n");
		}
	}
	if (any)
		ob_putc(g->o, '\n');
}

static void
emit_enum_values(struct cgen *g, const struct m_decl *d, const char *cast_to)
{
	uint32_t i;
	for (i = 0; i < d->u.enm.n_variants; i++) {
		const struct m_variant *v = &g->m->variants[d->u.enm.first_variant + i];
		put_doc(g->o, v->item.doc, "");
		put_since(g->o, &v->item, "");
		ob_puts(g->o, "#define ");
		put_decl_name(g->o, g, d);
		ob_printf(g->o, "_%s ((%s)", v->item.name, cast_to);
		put_int_value(g->o, v->value, (enum type_kind)d->u.enm.repr);
		ob_puts(g->o, ")\n");
	}
}

static void
emit_c_enum(struct cgen *g, const struct m_decl *d)
{
	struct outbuf name;
	ob_init(&name);
	put_decl_name(&name, g, d);
	put_doc(g->o, d->item.doc, "");
	ob_printf(g->o, "typedef %s %s;\n", c_prims[d->u.enm.repr], name.data);
	emit_enum_values(g, d, name.data);
	ob_putc(g->o, '\n');
	ob_free(&name);
}

/* A parameter's comment (none_of), after its name: of what it points
 * at when it is passed by pointer. */
static void
put_param_note(struct outbuf *b, const struct cgen *g, uint32_t t, bool by_pointer,
	       const char *name)
{
	switch (none_of(g, t)) {
	case NONE_NOT:
		break;
	case NONE_NULL:
		if (by_pointer)
			ob_printf(b, " /* *%s may be null */", name);
		else
			ob_puts(b, " /* may be null */");
		break;
	case NONE_NULL_CALL:
		if (by_pointer)
			ob_printf(b, " /* none: %s->call is NULL */", name);
		else
			ob_puts(b, " /* none: call is NULL */");
		break;
	}
}

/* The lowered parameter list of a signature (doc/abi.md 3.2), after the
 * first parameter (self or ctx), which the caller writes. */
static void
put_params(struct outbuf *b, const struct cgen *g, const struct m_method *me, bool names)
{
	uint32_t i;
	for (i = 0; i < me->n_params; i++) {
		const struct m_param *p = &g->m->params[me->first_param + i];
		const struct m_type *ty = &g->m->types[p->type];
		bool by_pointer = p->dir != DIR_IN ? ty->kind != TY_SLICE : model_type_over_aligned(g->m, p->type);
		ob_puts(b, ", ");
		if (p->dir == DIR_IN && by_pointer)
			ob_puts(b, "const ");   /* an [in] value above its natural alignment */
		put_type(b, g, p->type);
		if (by_pointer)
			ob_puts(b, b->data[b->len - 1] == '*' ? "*" : " *");
		if (names) {
			if (b->data[b->len - 1] != '*')
				ob_putc(b, ' ');
			ob_puts(b, p->name);
		}
		if (names)
			put_param_note(b, g, p->type, by_pointer, p->name);
	}
	if (me->ret != TY_VOID) {
		ob_puts(b, ", ");
		put_type(b, g, me->ret);
		ob_puts(b, b->data[b->len - 1] == '*' ? "*" : " *");
		if (names) {
			ob_puts(b, "ret");
			put_param_note(b, g, me->ret, true, "ret");
		}
	}
}

/* Every type a signature passes by value must be complete where a helper
 * is defined. */
static void
complete_sig(struct cgen *g, const struct m_method *me)
{
	uint32_t i;
	for (i = 0; i < me->n_params; i++)
		need_complete(g, g->m->params[me->first_param + i].type);
	if (me->ret != TY_VOID)
		need_complete(g, me->ret);
}

static void put_sig_doc(struct outbuf *b, const struct cgen *g, const char *doc,
			const struct m_method *me);

static void
emit_callback(struct cgen *g, const struct m_decl *d)
{
	const struct m_method *me = &g->m->methods[d->u.sig.method];
	struct outbuf params;
	uint32_t i;
	for (i = 0; i < me->n_params; i++)
		declare_inst(g, g->m->params[me->first_param + i].type);
	if (me->ret != TY_VOID)
		declare_inst(g, me->ret);
	ob_init(&params);
	put_params(&params, g, me, true);
	put_sig_doc(g->o, g, d->item.doc, me);
	ob_puts(g->o, "struct ");
	put_decl_name(g->o, g, d);
	ob_puts(g->o, " {\n");
	{
		size_t start = g->o->len;
		ob_printf(g->o, "\tchitin_status (CHITIN_CALL *call)(void *ctx%s);", params.data);
		wrap_tail(g->o, start);
	}
	ob_puts(g->o, "\n\tvoid *ctx;\n\tvoid (CHITIN_CALL *release)(void *ctx);    /* NULL: borrowed */\n};\n\n");
	ob_free(&params);
}

static void put_call_args(struct outbuf *b, const struct cgen *g, const struct m_method *me, bool after);

/* The inline helpers of an item are left out where CHITIN_NO_HELPERS is
 * defined: in the descriptor source, which calls none of them, and in any
 * file that asks (doc/c-names.md 1). */
static void
helpers_begin(struct outbuf *b)
{
	ob_puts(b, "#ifndef CHITIN_NO_HELPERS\n");
}

static void
helpers_end(struct outbuf *b)
{
	/* the last helper's blank line comes after the #endif */
	if (b->len >= 2 && b->data[b->len - 1] == '\n' && b->data[b->len - 2] == '\n')
		b->data[--b->len] = '\0';
	ob_puts(b, "#endif\n\n");
}

/* A callback's helpers (doc/abi.md 2.16, 4): a call through it, and the
 * release of an owned one, once. */
static void
emit_callback_helpers(struct cgen *g, const struct m_decl *d)
{
	const struct m_method *me = &g->m->methods[d->u.sig.method];
	struct outbuf name, params;
	size_t start;
	ob_init(&name);
	ob_init(&params);
	put_decl_name(&name, g, d);
	put_params(&params, g, me, true);
	/* "self" names no parameter: it is a reserved word (doc/idl.md 9.1) */
	helpers_begin(g->o);
	ob_printf(g->o, "/* Calls self with its context. */\nstatic inline chitin_status\n");
	start = g->o->len;
	ob_printf(g->o, "%s_call(const %s *self%s)", name.data, name.data, params.data);
	wrap_tail(g->o, start);
	ob_puts(g->o, "\n{\n\treturn self->call(self->ctx");
	put_call_args(g->o, g, me, true);
	ob_puts(g->o, ");\n}\n\n");
	ob_printf(g->o, "/* Releases self if it is owned (once: it is borrowed afterwards);\n"
		  " * a borrowed one is left as it is. */\nstatic inline void\n%s_release(%s *self)\n{\n"
		  "\tvoid (CHITIN_CALL *release)(void *ctx) = self->release;\n"
		  "\tself->release = NULL;\n\tif (release)\n\t\trelease(self->ctx);\n}\n\n",
		  name.data, name.data);
	helpers_end(g->o);
	ob_free(&params);
	ob_free(&name);
}

static void
emit_fields(struct cgen *g, uint32_t first, uint32_t n, const char *indent, uint32_t align)
{
	uint32_t i;
	for (i = 0; i < n; i++) {
		const struct m_field *f = &g->m->fields[first + i];
		put_doc(g->o, f->item.doc, indent);
		ob_puts(g->o, indent);
		if (i == 0 && align)
			ob_printf(g->o, "CHITIN_ALIGNAS(%u) ", align);
		put_declarator_named(g->o, g, f->type, f->item.name,
				     f->first_size_name == M_NONE ? NULL
				     : &g->m->size_names[f->first_size_name]);
		ob_printf(g->o, ";%s\n", member_note(g, f->type));
	}
}

/* A resilient struct (doc/abi.md 2.18): opaque to its users, who reach
 * fields through accessors.  The layout record of this version is one
 * hidden object per library, defined by the module's descriptor source
 * (be_c_layout_records), so that an accessor recognises this library's
 * own values by their record's address and reads them at offsets known at
 * compile time, while a host and a plugin built against two minor versions
 * never share a record. */
static void
emit_resilient(struct cgen *g, uint32_t di)
{
	const struct m_decl *d = &g->m->decls[di];
	const struct m_module *mod = &g->m->modules[g->mi];
	struct outbuf name;
	uint32_t i, n = d->u.agg.n_fields;

	for (i = 0; i < n; i++)
		need_complete(g, g->m->fields[d->u.agg.first_field + i].type);
	ob_init(&name);
	put_decl_name(&name, g, d);
	ob_printf(g->o, "/* The fields of a value of %s made by this version (%u.%u), for\n"
		  " * its layout record; other versions lay them out differently. */\nstruct %s_fields {\n",
		  name.data, mod->version.major, mod->version.minor, name.data);
	/* [align(N)] raises the value's alignment, the record pointer's
	 * member first (doc/abi.md 2.11, 2.18) */
	if (d->u.agg.align)
		ob_printf(g->o, "\tCHITIN_ALIGNAS(%u) const chitin_layout_record *record;\n", d->u.agg.align);
	else
		ob_puts(g->o, "\tconst chitin_layout_record *record;\n");
	emit_fields(g, d->u.agg.first_field, n, "\t", 0);
	ob_puts(g->o, "};\n\n");
	put_doc(g->o, d->item.doc, "");
	ob_printf(g->o, "/* [resilient]: %s is opaque; a value starts with a pointer to its\n"
		  " * layout record, and its fields are reached through the accessors. */\n\n",
		  name.data);
	ob_printf(g->o, "/* This library's layout record of %s, for this version:\n"
		  " * defined, hidden, by %s_desc.c, which every library that uses the\n"
		  " * struct compiles. */\n"
		  "struct chitin_record_%s {\n\tchitin_layout_record head;\n\tuint32_t offsets[%u];\n};\n"
		  "extern CHITIN_HIDDEN const struct chitin_record_%s chitin_layout_%s_%u_%u;\n\n",
		  name.data, mod->name, name.data, n, name.data, name.data, mod->version.major,
		  mod->version.minor);
	/* the address of the whole record, so that CHITIN_LAYOUT_OFFSETS
	 * stays inside the object it points into */
	helpers_begin(g->o);
	ob_printf(g->o, "/* This library's layout record: the size and alignment of the values\n"
		  " * it makes. */\nstatic inline const chitin_layout_record *\n%s_layout(void)\n{\n"
		  "\tconst void *whole = &chitin_layout_%s_%u_%u;\n"
		  "\treturn (const chitin_layout_record *)whole;\n}\n\n",
		  name.data, name.data, mod->version.major, mod->version.minor);
	ob_printf(g->o, "/* The layout record of the value v. */\nstatic inline const chitin_layout_record *\n"
		  "%s_record(const %s *v)\n{\n"
		  "\treturn *(const chitin_layout_record *const *)(const void *)v;\n}\n\n",
		  name.data, name.data);
	ob_printf(g->o, "/* Makes storage (%s_layout()->size bytes, aligned to its align)\n"
		  " * a value of this version: its record, then every field zero. */\n"
		  "static inline %s *\n%s_init(void *storage)\n{\n"
		  "\tconst chitin_layout_record *own = %s_layout();\n"
		  "\tunsigned char *bytes = (unsigned char *)storage;\n\tuint32_t i;\n"
		  "\tfor (i = 0; i < own->size; i++)\n\t\tbytes[i] = 0;\n"
		  "\t*(const chitin_layout_record **)storage = own;\n\treturn (%s *)storage;\n}\n\n",
		  name.data, name.data, name.data, name.data, name.data);
	for (i = 0; i < n; i++) {
		const struct m_field *f = &g->m->fields[d->u.agg.first_field + i];
		uint32_t inner = f->type, c;
		struct outbuf type;
		const char *star, *cstar;
		while (g->m->types[inner].kind == TY_ARRAY)
			inner = g->m->types[inner].elem;
		ob_init(&type);
		put_type(&type, g, inner);
		star = type.data[type.len - 1] == '*' ? "*" : " *";
		/* a pointer field's const accessor gives T *const * */
		cstar = type.data[type.len - 1] == '*' ? "const *" : " *";
		put_doc(g->o, f->item.doc, "");
		if (f->item.has_since)
			ob_printf(g->o, "/* [since(%u.%u)]: NULL when the version that made v lacks it. */\n",
				  f->item.since.major, f->item.since.minor);
		/* one accessor for values the caller may change, one for those
		 * it may only read */
		for (c = 0; c < 2; c++) {
			const char *q = c && cstar[0] == ' ' ? "const " : "", *s = c ? cstar : star;
			ob_printf(g->o, "static inline %s%s%s\n%s_%s%s(%s%s *v)\n{\n"
				  "\treturn (%s%s%s)chitin_field%s(v, %s_layout(), %u,\n\t\t\toffsetof(struct %s_fields, %s));\n}\n\n",
				  q, type.data, s, name.data, f->item.name, c ? "_const" : "",
				  c ? "const " : "", name.data, q, type.data, s,
				  c ? "_const" : "", name.data, i, name.data, f->item.name);
		}
		ob_free(&type);
	}
	helpers_end(g->o);
	ob_free(&name);
}

static void
emit_aggregate(struct cgen *g, uint32_t di)
{
	const struct m_decl *d = &g->m->decls[di];
	uint32_t i;
	if (d->kind == DECL_STRUCT && d->u.agg.resilient) {
		emit_resilient(g, di);
		return;
	}
	for (i = 0; i < (d->kind == DECL_ENUM ? d->u.enm.n_variants : 1); i++) {
		uint32_t first = d->kind == DECL_ENUM ? g->m->variants[d->u.enm.first_variant + i].first_field
				 : d->u.agg.first_field;
		uint32_t n = d->kind == DECL_ENUM ? g->m->variants[d->u.enm.first_variant + i].n_fields
			     : d->u.agg.n_fields, f;
		for (f = first; f < first + n; f++)
			need_complete(g, g->m->fields[f].type);
	}
	if (d->kind == DECL_ENUM) {
		/* the tags, the payload structs, then the enum */
		bool any = false;
		put_doc(g->o, d->item.doc, "");
		emit_enum_values(g, d, c_prims[d->u.enm.repr]);
		ob_putc(g->o, '\n');
		for (i = 0; i < d->u.enm.n_variants; i++) {
			const struct m_variant *v = &g->m->variants[d->u.enm.first_variant + i];
			if (!v->has_payload)
				continue;
			ob_puts(g->o, "struct ");
			put_payload_name(g->o, g, d, v);
			ob_puts(g->o, " {\n");
			emit_fields(g, v->first_field, v->n_fields, "\t", 0);
			ob_puts(g->o, "};\n\n");
		}
		ob_puts(g->o, "struct ");
		put_decl_name(g->o, g, d);
		ob_printf(g->o, " {\n\t%s tag;\n", c_prims[d->u.enm.repr]);
		for (i = 0; i < d->u.enm.n_variants; i++) {
			const struct m_variant *v = &g->m->variants[d->u.enm.first_variant + i];
			if (!v->has_payload)
				continue;
			if (!any)
				ob_puts(g->o, "\tunion {\n");
			any = true;
			put_doc(g->o, v->item.doc, "\t\t");
			ob_puts(g->o, "\t\t");
			put_payload_name(g->o, g, d, v);
			ob_printf(g->o, " %s;\n", v->item.name);
		}
		if (any)
			ob_puts(g->o, "\t} payload;\n");
		ob_puts(g->o, "};\n\n");
		return;
	}
	put_doc(g->o, d->item.doc, "");
	ob_printf(g->o, "%s ", d->kind == DECL_UNION ? "union" : "struct");
	put_decl_name(g->o, g, d);
	ob_puts(g->o, " {\n");
	emit_fields(g, d->u.agg.first_field, d->u.agg.n_fields, "\t", d->u.agg.align);
	ob_puts(g->o, "};\n\n");
}

/* ---- interfaces --------------------------------------------------------------------- */

static void
put_id_init(struct outbuf *b, const chitin_hash128 *h)
{
	static const char hex[] = "0123456789abcdef";
	char text[sizeof "{ { 0x00" + 15 * sizeof ", 0x00" + sizeof " } }"], *p = text;
	int i;
	memcpy(p, "{ {", 3);
	p += 3;
	for (i = 0; i < 16; i++) {
		if (i)
			*p++ = ',';
		memcpy(p, " 0x", 3);
		p[3] = hex[h->bytes[i] >> 4];
		p[4] = hex[h->bytes[i] & 15];
		p += 5;
	}
	memcpy(p, " } }", 4);
	ob_put(b, text, (size_t)(p + 4 - text));
}

static bool
owns(const struct cgen *g, uint32_t t)
{
	return model_type_owns(g->m, t);
}

static void
tabs(struct outbuf *b, unsigned n)
{
	while (n--)
		ob_putc(b, '\t');
}

/* Statements that release what the value `expr` of type t owns. */
static void
put_release(struct outbuf *b, struct cgen *g, const char *expr, uint32_t t, unsigned indent,
	    unsigned loop)
{
	const struct m_type *ty = &g->m->types[t];
	const struct m_decl *d = named(g, t);
	struct outbuf sub;
	uint32_t i, f;
	if (!owns(g, t))
		return;
	ob_init(&sub);
	if (ty->kind == TY_STRING || ty->kind == TY_VEC) {
		tabs(b, indent);
		ob_printf(b, "if (%s.release)\n", expr);
		tabs(b, indent + 1);
		ob_printf(b, "%s.release(%s.ptr, %s.len, %s.cap);\n", expr, expr, expr, expr);
	} else if (d && d->kind == DECL_CALLBACK) {
		tabs(b, indent);
		ob_printf(b, "if (%s.release)\n", expr);
		tabs(b, indent + 1);
		ob_printf(b, "%s.release(%s.ctx);\n", expr, expr);
	} else if (ty->kind == TY_OPTION && is_niche_option(g, t)) {
		/* option<callback>: none is a null call */
		tabs(b, indent);
		ob_printf(b, "if (%s.call && %s.release)\n", expr, expr);
		tabs(b, indent + 1);
		ob_printf(b, "%s.release(%s.ctx);\n", expr, expr);
	} else if (ty->kind == TY_OPTION) {
		tabs(b, indent);
		ob_printf(b, "if (%s.tag == CHITIN_OPTION_SOME) {\n", expr);
		ob_printf(&sub, "%s.value", expr);
		put_release(b, g, sub.data, ty->elem, indent + 1, loop);
		tabs(b, indent);
		ob_puts(b, "}\n");
	} else if (ty->kind == TY_RESULT) {
		bool ok = ty->elem != TY_VOID && owns(g, ty->elem);
		bool err = ty->err != TY_VOID && owns(g, ty->err);
		tabs(b, indent);
		ob_printf(b, "if (%s.tag == %s) {\n", expr, ok ? "CHITIN_RESULT_OK" : "CHITIN_RESULT_ERR");
		ob_printf(&sub, "%s.u.%s", expr, ok ? "ok" : "err");
		put_release(b, g, sub.data, ok ? ty->elem : ty->err, indent + 1, loop);
		if (ok && err) {
			tabs(b, indent);
			ob_puts(b, "} else {\n");
			sub.len = 0;
			ob_printf(&sub, "%s.u.err", expr);
			put_release(b, g, sub.data, ty->err, indent + 1, loop);
		}
		tabs(b, indent);
		ob_puts(b, "}\n");
	} else if (ty->kind == TY_ARRAY) {
		tabs(b, indent);
		ob_printf(b, "for (size_t chitin_i%u = 0; chitin_i%u < %" PRIu64 "u; chitin_i%u++) {\n",
			  loop, loop, ty->count, loop);
		ob_printf(&sub, "%s[chitin_i%u]", expr, loop);
		put_release(b, g, sub.data, ty->elem, indent + 1, loop + 1);
		tabs(b, indent);
		ob_puts(b, "}\n");
	} else if (d && d->kind == DECL_STRUCT) {
		for (f = 0; f < d->u.agg.n_fields; f++) {
			const struct m_field *fl = &g->m->fields[d->u.agg.first_field + f];
			sub.len = 0;
			ob_printf(&sub, "%s.%s", expr, fl->item.name);
			put_release(b, g, sub.data, fl->type, indent, loop);
		}
	} else if (d && d->kind == DECL_ENUM) {
		tabs(b, indent);
		ob_printf(b, "switch (%s.tag) {\n", expr);
		for (i = 0; i < d->u.enm.n_variants; i++) {
			const struct m_variant *v = &g->m->variants[d->u.enm.first_variant + i];
			bool any = false;
			for (f = 0; f < v->n_fields; f++)
				any |= owns(g, g->m->fields[v->first_field + f].type);
			if (!any)
				continue;
			tabs(b, indent);
			ob_puts(b, "case ");
			put_decl_name(b, g, d);
			ob_printf(b, "_%s:\n", v->item.name);
			for (f = 0; f < v->n_fields; f++) {
				const struct m_field *fl = &g->m->fields[v->first_field + f];
				sub.len = 0;
				ob_printf(&sub, "%s.payload.%s.%s", expr, v->item.name, fl->item.name);
				put_release(b, g, sub.data, fl->type, indent + 1, loop);
			}
			tabs(b, indent + 1);
			ob_puts(b, "break;\n");
		}
		tabs(b, indent);
		ob_puts(b, "default:\n");
		tabs(b, indent + 1);
		ob_puts(b, "break;\n");
		tabs(b, indent);
		ob_puts(b, "}\n");
	}
	ob_free(&sub);
}

/* Releases what the [in] arguments own when the call is not made: the
 * callee would have consumed them (doc/abi.md 4). */
static void
put_consume(struct outbuf *b, struct cgen *g, const struct m_method *me)
{
	uint32_t i;
	for (i = 0; i < me->n_params; i++) {
		const struct m_param *p = &g->m->params[me->first_param + i];
		struct outbuf expr;
		if (p->dir != DIR_IN || !owns(g, p->type))
			continue;
		/* an over-aligned value came by pointer, and is consumed all the same */
		ob_init(&expr);
		ob_printf(&expr, model_type_over_aligned(g->m, p->type) ? "(*%s)" : "%s", p->name);
		put_release(b, g, expr.data, p->type, 2, 0);
		ob_free(&expr);
	}
}

/* The doc comment of a call: its own, then each documented parameter's. */
static void
put_sig_doc(struct outbuf *b, const struct cgen *g, const char *doc, const struct m_method *me)
{
	struct outbuf text;
	uint32_t i;
	bool any = false;
	for (i = 0; i < me->n_params; i++)
		any |= g->m->params[me->first_param + i].doc != NULL;
	if (!any) {
		put_doc(b, doc, "");
		return;
	}
	ob_init(&text);
	if (doc)
		ob_printf(&text, "%s\n\n", doc);
	for (i = 0; i < me->n_params; i++) {
		const struct m_param *p = &g->m->params[me->first_param + i];
		if (p->doc)
			ob_printf(&text, "%s: %s\n", p->name, p->doc);
	}
	text.data[--text.len] = '\0';
	put_doc(b, text.data, "");
	ob_free(&text);
}

/* Why a checked call (a slot's helper, an export's) may find its entry
 * missing: past an older table's end for a [since] item, else null
 * (doc/abi.md 5.3, 8.3). */
static void
put_absent_note(struct outbuf *b, const struct m_item *it, const char *older, const char *absent)
{
	if (it->has_since)
		ob_printf(b, "\t/* [since(%u.%u)]: %s */\n", it->since.major, it->since.minor, older);
	else
		ob_printf(b, "\t/* %s */\n", absent);
}

/* A checked call's arguments, passed on: the parameters by name, then
 * ret; after an argument already written when after is set. */
static void
put_call_args(struct outbuf *b, const struct cgen *g, const struct m_method *me, bool after)
{
	uint32_t p;
	for (p = 0; p < me->n_params; p++) {
		if (after)
			ob_puts(b, ", ");
		ob_puts(b, g->m->params[me->first_param + p].name);
		after = true;
	}
	if (me->ret != TY_VOID)
		ob_puts(b, after ? ", ret" : "ret");
}

static void
emit_interface(struct cgen *g, uint32_t di)
{
	const struct model *m = g->m;
	const struct m_decl *d = &m->decls[di];
	uint32_t chain[MODEL_MAX_CHAIN], depth = model_interface_chain(m, di, chain), k, i;
	struct outbuf name;

	ob_init(&name);
	put_decl_name(&name, g, d);
	for (k = depth; k-- > 0;) {
		const struct m_decl *b = &m->decls[chain[k]];
		for (i = 0; i < b->u.iface.n_methods; i++)
			complete_sig(g, &m->methods[b->u.iface.first_method + i]);
	}
	ob_printf(g->o, "/* The id of %s (chitin_typeid initializer). */\n#define %s_IID ", name.data, name.data);
	put_id_init(g->o, ck_type_id(g->ck, di));
	ob_printf(g->o, "\n/* The flags of a vtable of %s (CHITIN_VTABLE_HEADER fills them). */\n"
		  "#define %s_FLAGS %s", name.data, name.data,
		  d->u.iface.threadsafe ? "CHITIN_VTABLE_THREADSAFE" : "0u");
	ob_printf(g->o, "\n\ntypedef struct %s_vtbl {\n\tchitin_vtable_header header;\n", name.data);
	for (k = depth; k-- > 0;) {
		const struct m_decl *b = &m->decls[chain[k]];
		for (i = 0; i < b->u.iface.n_methods; i++) {
			const struct m_method *me = &m->methods[b->u.iface.first_method + i];
			size_t start;
			put_doc(g->o, me->item.doc, "\t");
			put_since(g->o, &me->item, "\t");
			start = g->o->len;
			/* self is the interface that declares the method, so
			 * one implementation serves the base and every derived
			 * interface, with no cast (doc/abi.md 5.3) */
			ob_printf(g->o, "\tchitin_status (CHITIN_CALL *%s)(", me->item.name);
			put_decl_name(g->o, g, b);
			ob_puts(g->o, " *self");
			put_params(g->o, g, me, true);
			ob_puts(g->o, ");");
			wrap_tail(g->o, start);
			ob_putc(g->o, '\n');
		}
	}
	ob_printf(g->o, "} %s_vtbl;\n\n", name.data);
	put_doc(g->o, d->item.doc, "");
	ob_printf(g->o, "struct %s {\n\tconst %s_vtbl *vtbl;\n};\n\n", name.data, name.data);
	/* the header's functions, then one helper per slot */
	/* self reaches the header's functions as the object it is, through
	 * void *: a conversion, never an access through another type */
	helpers_begin(g->o);
	ob_printf(g->o, "static inline void\n%s_retain(%s *self)\n{\n\tvoid *chitin_self = self;\n"
		  "\tself->vtbl->header.retain((chitin_object *)chitin_self);\n}\n\n",
		  name.data, name.data);
	ob_printf(g->o, "static inline void\n%s_release(%s *self)\n{\n\tvoid *chitin_self = self;\n"
		  "\tself->vtbl->header.release((chitin_object *)chitin_self);\n}\n\n",
		  name.data, name.data);
	ob_printf(g->o, "/* self as the root interface, for query and identity. */\n"
		  "static inline chitin_object *\n%s_as_object(%s *self)\n{\n"
		  "\tvoid *chitin_self = self;\n\treturn (chitin_object *)chitin_self;\n}\n\n", name.data, name.data);
	/* upcasts: a derived interface's object is each of its bases' */
	for (k = 1; k < depth; k++) {
		const struct m_decl *b = &m->decls[chain[k]];
		struct outbuf base;
		ob_init(&base);
		put_decl_name(&base, g, b);
		ob_printf(g->o, "/* self as its base %s: the same object, borrowed. */\n"
			  "static inline %s *\n%s_as_%s(%s *self)\n{\n"
			  "\tvoid *chitin_self = self;\n\treturn (%s *)chitin_self;\n}\n\n",
			  base.data, base.data, name.data, b->module == d->module ? b->item.name : base.data,
			  name.data, base.data);
		ob_free(&base);
	}
	ob_printf(g->o, "/* An owned reference to obj as %s, or NULL if it is not one. */\n"
		  "static inline %s *\n%s_query(chitin_object *obj)\n{\n"
		  "\tstatic const chitin_typeid iid = %s_IID;\n"
		  "\tvoid *chitin_found = obj->vtbl->query(obj, &iid);\n\treturn (%s *)chitin_found;\n}\n\n",
		  name.data, name.data, name.data, name.data, name.data);
	for (k = depth; k-- > 0;) {
		const struct m_decl *b = &m->decls[chain[k]];
		for (i = 0; i < b->u.iface.n_methods; i++) {
			const struct m_method *me = &m->methods[b->u.iface.first_method + i];
			size_t start, bare;
			put_sig_doc(g->o, g, me->item.doc, me);
			ob_puts(g->o, "static inline chitin_status\n");
			start = g->o->len;
			ob_printf(g->o, "%s_%s(%s *self", name.data, me->item.name, name.data);
			put_params(g->o, g, me, true);
			ob_puts(g->o, ")");
			wrap_tail(g->o, start);
			ob_puts(g->o, "\n{\n");
			/* an inherited slot takes its declaring interface */
			if (k != 0)
				ob_puts(g->o, "\tvoid *chitin_self = self;\n");
			/* every slot may be null, and a [since] one beyond an
			 * older vtable's size: either way the method is
			 * unavailable (doc/abi.md 5.3); CHITIN_HAS_SLOT reads
			 * through the vtable's own type */
			if (me->item.has_since)
				ob_printf(g->o, "\t/* [since(%u.%u)]: an older implementation's vtable may end before it */\n",
					  me->item.since.major, me->item.since.minor);
			ob_printf(g->o, "\tif (!CHITIN_HAS_SLOT(self, %s_vtbl, %s))", name.data, me->item.name);
			bare = g->o->len;
			ob_puts(g->o, " {\n");
			put_consume(g->o, g, me);
			if (g->o->len == bare + 3) {
				/* nothing to release: a single statement */
				g->o->len = bare;
				ob_puts(g->o, "\n\t\treturn CHITIN_UNAVAILABLE;\n");
			} else {
				ob_puts(g->o, "\t\treturn CHITIN_UNAVAILABLE;\n\t}\n");
			}
			if (k == 0) {
				ob_printf(g->o, "\treturn self->vtbl->%s(self", me->item.name);
			} else {
				ob_printf(g->o, "\treturn self->vtbl->%s((", me->item.name);
				put_decl_name(g->o, g, b);
				ob_puts(g->o, " *)chitin_self");
			}
			put_call_args(g->o, g, me, true);
			ob_puts(g->o, ");\n}\n\n");
		}
	}
	helpers_end(g->o);
	ob_free(&name);
}

/* ---- exports ------------------------------------------------------------------------- */

static void
emit_exports(struct cgen *g, const char *upper)
{
	const struct m_module *mod = &g->m->modules[g->mi];
	uint32_t di;
	bool any = false;
	size_t start;
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		ob_flush_point(g->o);
		const struct m_method *me;
		struct outbuf params;
		if (d->kind != DECL_EXPORT)
			continue;
		me = &g->m->methods[d->u.sig.method];
		complete_sig(g, me);
		if (!any)
			ob_printf(g->o, "/* The exports: define %s_IMPLEMENTATION where they are defined,\n"
				  " * %s_STATIC when linking them statically. */\n"
				  "#ifndef %s_API\n#if defined(%s_IMPLEMENTATION)\n#define %s_API CHITIN_EXPORT\n"
				  "#elif defined(%s_STATIC)\n#define %s_API\n#else\n#define %s_API CHITIN_IMPORT\n"
				  "#endif\n#endif\n\n", upper, upper, upper, upper, upper, upper, upper, upper);
		any = true;
		ob_init(&params);
		put_params(&params, g, me, true);
		put_sig_doc(g->o, g, d->item.doc, me);
		start = g->o->len;
		ob_printf(g->o, "%s_API chitin_status CHITIN_CALL %s(", upper, d->u.sig.symbol);
		ob_printf(g->o, "%s);", params.len > 2 ? params.data + 2 : "void");
		wrap_tail(g->o, start);
		ob_puts(g->o, "\n\n");
		ob_free(&params);
	}
	if (!any)
		return;
	ob_printf(g->o, "/* The exports table a plugin's entry symbol points at (doc/abi.md 8.3). */\n"
		  "typedef struct %s_exports {\n\tuint32_t size;    /* bytes of this table the library provides */\n"
		  "\tuint32_t reserved;\n", mod->name);
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		ob_flush_point(g->o);
		struct outbuf params;
		if (d->kind != DECL_EXPORT)
			continue;
		ob_init(&params);
		put_params(&params, g, &g->m->methods[d->u.sig.method], true);
		start = g->o->len;
		ob_printf(g->o, "\tchitin_status (CHITIN_CALL *%s)(%s);", d->item.name,
			  params.len > 2 ? params.data + 2 : "void");
		wrap_tail(g->o, start);
		ob_putc(g->o, '\n');
		ob_free(&params);
	}
	ob_printf(g->o, "} %s_exports;\n\n", mod->name);
	helpers_begin(g->o);
	ob_printf(g->o, "/* Loads the plugin at path (UTF-8) with libchitin's loader, which refuses\n"
		  " * it unless its descriptor matches this one and its minor version is\n"
		  " * required_minor or later (doc/abi.md 8.5).  On success sets *exports to\n"
		  " * its exports table and *plugin to its record (each if not NULL); on\n"
		  " * failure sets *err (if err is not NULL) to the error, which the caller\n"
		  " * frees with chitin_load_error_free.  Links with libchitin. */\n"
		  "static inline chitin_status\n%s_load(const char *path, uint16_t required_minor, "
		  "const %s_exports **exports,\n\t\tconst chitin_plugin **plugin, chitin_load_error **err)\n{\n"
		  "\tconst chitin_plugin *loaded = NULL;\n"
		  "\tchitin_status st = chitin_load(path, %s_descriptor(), required_minor, &loaded, err);\n"
		  "\tif (exports)\n\t\t*exports = (const %s_exports *)chitin_plugin_exports(loaded);\n"
		  "\tif (plugin)\n\t\t*plugin = loaded;\n\treturn st;\n}\n\n",
		  mod->name, mod->name, mod->name, mod->name);
	/* a checked call per entry, as for slots (doc/abi.md 8.3) */
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &g->m->decls[di];
		const struct m_method *me;
		ob_flush_point(g->o);
		if (d->kind != DECL_EXPORT)
			continue;
		me = &g->m->methods[d->u.sig.method];
		put_sig_doc(g->o, g, d->item.doc, me);
		ob_puts(g->o, "static inline chitin_status\n");
		start = g->o->len;
		ob_printf(g->o, "%s_exports_%s(const %s_exports *self", mod->name, d->item.name, mod->name);
		put_params(g->o, g, me, true);
		ob_puts(g->o, ")");
		wrap_tail(g->o, start);
		ob_puts(g->o, "\n{\n");
		put_absent_note(g->o, &d->item, "an older library's table may end before it",
				"a library may leave the entry null");
		ob_printf(g->o, "\tif (self->size < offsetof(%s_exports, %s) + sizeof self->%s || !self->%s) {\n",
			  mod->name, d->item.name, d->item.name, d->item.name);
		put_consume(g->o, g, me);
		ob_printf(g->o, "\t\treturn CHITIN_UNAVAILABLE;\n\t}\n\treturn self->%s(", d->item.name);
		put_call_args(g->o, g, me, false);
		ob_puts(g->o, ");\n}\n\n");
	}
	helpers_end(g->o);
}

/* ---- layout assertions ------------------------------------------------------------ */

/* The name the assertions give declaration d's C type. */
static void
put_assert_name(struct outbuf *b, struct cgen *g, const struct m_decl *d)
{
	b->len = 0;
	if (d->kind == DECL_STRUCT && d->u.agg.resilient)
		ob_puts(b, "struct ");
	put_decl_name(b, g, d);
	if (d->kind == DECL_STRUCT && d->u.agg.resilient)
		ob_puts(b, "_fields");
}

/* One static assertion being written: its conditions joined by "&&",
 * filled to 100 columns, continuations one tab in. */
struct assertion {
	struct outbuf *b;
	size_t col;
	bool any;
};

static void
assertion_begin(struct assertion *a, struct outbuf *b)
{
	a->b = b;
	a->any = false;
	ob_puts(b, "CHITIN_ASSERT(");
	a->col = 14;
}

/* Adds the condition in a->b's scratch text cond (n bytes). */
static void
assertion_add(struct assertion *a, const char *cond, size_t n)
{
	if (a->any) {
		if (a->col + 4 + n + 3 > 100) {   /* room for the next " &&" */
			ob_puts(a->b, " &&\n\t");
			a->col = 8;
		} else {
			ob_puts(a->b, " && ");
			a->col += 4;
		}
	}
	ob_put(a->b, cond, n);
	a->col += n;
	a->any = true;
}

static void
assertion_end(struct assertion *a, const char *type)
{
	ob_printf(a->b, ",\n\t\"chitin: the layout of %s\");\n", type);
}

/* The assertion that type (its C spelling) has size and align, and each
 * of fields n fields (or a payload union, when payload is set) its
 * offset on target ti.  The offsets C itself fixes at 0, of the first
 * member (skip 1) or of every member of a union (skip n), are left out:
 * they cost a compiler as much as the others and assert nothing. */
static void
put_type_assertion(struct cgen *g, struct outbuf *cond, const char *type, const struct lay_size *s,
		   unsigned ti, uint32_t first, uint32_t n, uint32_t skip, const uint64_t *payload)
{
	struct assertion a;
	uint32_t f;
	assertion_begin(&a, g->o);
	cond->len = 0;
	ob_printf(cond, "sizeof(%s) == %" PRIu64, type, s->size);
	assertion_add(&a, cond->data, cond->len);
	cond->len = 0;
	ob_printf(cond, "CHITIN_ALIGNOF(%s) == %u", type, s->align);
	assertion_add(&a, cond->data, cond->len);
	if (payload) {
		cond->len = 0;
		ob_printf(cond, "offsetof(%s, payload) == %" PRIu64, type, *payload);
		assertion_add(&a, cond->data, cond->len);
	}
	for (f = first + skip; f < first + n; f++) {
		cond->len = 0;
		ob_printf(cond, "offsetof(%s, %s) == %" PRIu64, type, g->m->fields[f].item.name,
			  ck_field_offset(g->ck, ti, f));
		assertion_add(&a, cond->data, cond->len);
	}
	assertion_end(&a, type);
}

/* One layout class's assertions: every type of the module as laid out on
 * target ti, which stands for the class, one assertion a type (each
 * field's offset a condition of it: an assertion costs a compiler far
 * more than a condition). */
static void
emit_class_asserts(struct cgen *g, unsigned ti, struct outbuf *name)
{
	const struct model *m = g->m;
	const struct m_module *mod = &m->modules[g->mi];
	struct outbuf cond, payload;
	uint32_t di, i;
	ob_init(&cond);
	ob_init(&payload);
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &m->decls[di];
		const struct lay_size *s;
		if (d->kind == DECL_CONST || d->kind == DECL_EXPORT || d->kind == DECL_INTERFACE)
			continue;
		s = ck_decl_size(g->ck, ti, di);
		ob_flush_point(g->o);
		put_assert_name(name, g, d);
		if (d->kind == DECL_STRUCT || d->kind == DECL_UNION) {
			/* a resilient struct's fields follow its record pointer */
			uint32_t skip = d->kind == DECL_UNION ? d->u.agg.n_fields
					: !d->u.agg.resilient && d->u.agg.n_fields;
			put_type_assertion(g, &cond, name->data, s, ti, d->u.agg.first_field,
					   d->u.agg.n_fields, skip, NULL);
		} else if (d->kind == DECL_ENUM && d->u.enm.data) {
			uint64_t at = ck_payload_union_offset(g->ck, ti, di);
			put_type_assertion(g, &cond, name->data, s, ti, 0, 0, 0,
					   ck_payload_union(g->ck, ti, di)->valid ? &at : NULL);
			for (i = 0; i < d->u.enm.n_variants; i++) {
				uint32_t vi = d->u.enm.first_variant + i;
				const struct m_variant *v = &m->variants[vi];
				if (!v->has_payload)
					continue;
				payload.len = 0;
				ob_printf(&payload, "%s_payload_%s", name->data, v->item.name);
				put_type_assertion(g, &cond, payload.data, ck_payload_size(g->ck, ti, vi), ti,
						   v->first_field, v->n_fields, v->n_fields != 0, NULL);
			}
		} else {
			put_type_assertion(g, &cond, name->data, s, ti, 0, 0, 0, NULL);
		}
	}
	ob_free(&payload);
	ob_free(&cond);
}

/* The layout assertions: once per layout class of the module (the
 * targets on which all its types are laid out alike), under the guards
 * of the class's targets; then the vtables, the same on every target. */
static void
emit_asserts(struct cgen *g)
{
	const struct model *m = g->m;
	const struct m_module *mod = &m->modules[g->mi];
	const struct ck_module_classes *cl = ck_classes(g->ck, g->mi);
	uint32_t di, k, ti;
	struct outbuf name;
	bool any_type = false, any_interface = false;

	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		enum decl_kind kind = m->decls[di].kind;
		any_interface |= kind == DECL_INTERFACE;
		any_type |= kind != DECL_INTERFACE && kind != DECL_CONST && kind != DECL_EXPORT;
	}
	if (!any_type && !any_interface)
		return;
	ob_init(&name);
	ob_puts(g->o, "/* The layout of every type on every target (doc/abi.md 1.3): a compiler\n"
		" * that disagrees stops here.  Targets that lay the module out alike\n"
		" * share a section. */\n");
	for (k = 0; k < cl->n && any_type; k++) {
		ob_puts(g->o, k ? "#elif " : "#if ");
		c_put_guard(g->o, cl->classes[k].targets);
		ob_printf(g->o, "\n/* chitin layout class of %s:", mod->name);
		for (ti = 0; ti < TARGET_COUNT; ti++)
			if (cl->classes[k].targets & (1u << ti))
				ob_printf(g->o, " %s", targets[ti].name);
		ob_puts(g->o, " */\n");
		emit_class_asserts(g, cl->classes[k].first, &name);
	}
	if (any_type)
		ob_puts(g->o, "#else\n/* A target none of these guards accepts (doc/abi.md 1.3): chitin has\n"
			" * laid nothing out for it, so this header asserts nothing there, and\n"
			" * nothing holds the layouts of this compiler to chitin's. */\n#endif\n\n");
	if (any_interface) {
		ob_puts(g->o, "/* Vtables: the header, then a function pointer per slot (a slot is\n"
			" * the size of any function pointer). */\n#if ");
		c_put_guard(g->o, TARGET_ALL);
		ob_puts(g->o, "\n");
		for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
			const struct m_decl *d = &m->decls[di];
			uint32_t chain[MODEL_MAX_CHAIN], depth, n = 0, last = M_NONE, b;
			if (d->kind != DECL_INTERFACE)
				continue;
			depth = model_interface_chain(m, di, chain);
			for (b = 0; b < depth; b++) {
				const struct m_decl *bd = &m->decls[chain[b]];
				if (last == M_NONE && bd->u.iface.n_methods)
					last = bd->u.iface.first_method + bd->u.iface.n_methods - 1;
				n += bd->u.iface.n_methods;
			}
			if (!n)
				continue;   /* the header alone, which chitin.h checks */
			ob_flush_point(g->o);
			put_assert_name(&name, g, d);
			ob_printf(g->o, "CHITIN_ASSERT(sizeof(%s_vtbl) == sizeof(chitin_vtable_header) + %u * sizeof(chitin_slot) &&\n"
				  "\toffsetof(%s_vtbl, %s) == sizeof(chitin_vtable_header) + %u * sizeof(chitin_slot),\n"
				  "\t\"chitin: the layout of %s_vtbl\");\n",
				  name.data, n, name.data, m->methods[last].item.name, n - 1, name.data);
		}
		ob_puts(g->o, "#endif\n\n");
	}
	ob_free(&name);
}

void
be_c_layout_records(struct outbuf *out, const struct checked *ck, uint32_t mi)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	uint32_t di, i;
	bool first = true;
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++) {
		const struct m_decl *d = &m->decls[di];
		if (d->kind != DECL_STRUCT || !d->u.agg.resilient)
			continue;
		if (first)
			ob_puts(out, "/* This library's layout records (doc/abi.md 2.18), hidden by their\n"
				" * declarations in the header, so that the host's and each plugin's\n"
				" * stay their own; named with the version, so that two versions'\n"
				" * code never shares one. */\n");
		first = false;
		ob_printf(out, "const struct chitin_record_%s_%s chitin_layout_%s_%s_%u_%u = {\n"
			  "\t{ (uint32_t)sizeof(struct %s_%s_fields), (uint32_t)CHITIN_ALIGNOF(struct %s_%s_fields), %u },\n\t{",
			  mod->name, d->item.name, mod->name, d->item.name, mod->version.major,
			  mod->version.minor, mod->name, d->item.name, mod->name, d->item.name,
			  d->u.agg.n_fields);
		for (i = 0; i < d->u.agg.n_fields; i++)
			ob_printf(out, "%s(uint32_t)offsetof(struct %s_%s_fields, %s)", i ? ",\n\t  " : " ",
				  mod->name, d->item.name, m->fields[d->u.agg.first_field + i].item.name);
		ob_puts(out, " },\n};\n\n");
		ob_flush_point(out);
	}
}

void
be_c_header(struct outbuf *out, const struct checked *ck, uint32_t mi)
{
	const struct model *m = ck->m;
	const struct m_module *mod = &m->modules[mi];
	struct cgen g;
	uint32_t di, i;
	char *upper = c_module_upper(mod->name);

	memset(&g, 0, sizeof g);
	g.o = out;
	g.m = m;
	g.ck = ck;
	g.mi = mi;
	g.declared = xcalloc(m->n_types + 1, 1);
	g.defined = xcalloc(m->n_types + 1, 1);

	ob_printf(out, "/* %s.h: module %s %u.%u, generated by chitin from %s.  Do not edit. */\n",
		  mod->name, mod->name, mod->version.major, mod->version.minor, mod->name);
	put_doc(out, mod->doc, "");
	ob_printf(out, "#ifndef CHITIN_GENERATED_%s_H\n#define CHITIN_GENERATED_%s_H\n\n", upper, upper);
	ob_puts(out, "#include <chitin/chitin.h>\n");
	for (i = 0; i < mod->n_imports; i++)
		ob_printf(out, "#include \"%s.h\"\n", m->modules[mod->imports[i].module].name);
	/* plain numbers, for #if and for any integer (doc/c-names.md 3) */
	ob_printf(out, "\n/* The version of module %s this header was generated from. */\n"
		  "#define %s_VERSION_MAJOR %u\n#define %s_VERSION_MINOR %u\n",
		  mod->name, upper, mod->version.major, upper, mod->version.minor);
	ob_puts(out, "\n#ifdef __cplusplus\nextern \"C\" {\n#endif\n\n");

	emit_constants(&g);
	emit_forward(&g);
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++)
		if (m->decls[di].kind == DECL_ENUM && !m->decls[di].u.enm.data)
			emit_c_enum(&g, &m->decls[di]), ob_flush_point(out);
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++)
		if (m->decls[di].kind == DECL_CALLBACK)
			emit_callback(&g, &m->decls[di]), ob_flush_point(out);
	for (i = 0; i < m->n_by_value_order; i++) {
		uint32_t d = m->by_value_order[i];
		if (in_module(&g, d) && !(m->decls[d].kind == DECL_ENUM && !m->decls[d].u.enm.data))
			emit_aggregate(&g, d), ob_flush_point(out);
	}
	/* callbacks' by-value parameters, for those who call them; then
	 * their helpers, which pass them */
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++)
		if (m->decls[di].kind == DECL_CALLBACK)
			complete_sig(&g, &m->methods[m->decls[di].u.sig.method]);
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++)
		if (m->decls[di].kind == DECL_CALLBACK)
			emit_callback_helpers(&g, &m->decls[di]), ob_flush_point(out);
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls; di++)
		if (m->decls[di].kind == DECL_INTERFACE)
			emit_interface(&g, di), ob_flush_point(out);
	ob_printf(out, "/* The descriptor of module %s on this target, which %s_desc.c\n"
		  " * defines (hidden) in every library that compiles it: what a host\n"
		  " * compares its plugins with. */\n"
		  "extern CHITIN_HIDDEN const uint8_t *const chitin_own_descriptor_%s;\n\n"
		  "#ifndef CHITIN_NO_HELPERS\n"
		  "static inline const uint8_t *\n%s_descriptor(void)\n{\n"
		  "\treturn chitin_own_descriptor_%s;\n}\n#endif\n\n",
		  mod->name, mod->name, mod->name, mod->name, mod->name);
	emit_exports(&g, upper);
	for (di = mod->first_decl; di < mod->first_decl + mod->n_decls && m->decls[di].kind != DECL_EXPORT; di++)
		;
	if (di == mod->first_decl + mod->n_decls) {
		helpers_begin(out);
		ob_printf(out, "/* Loads the plugin at path (UTF-8) with libchitin's loader, which refuses\n"
			  " * it unless its descriptor matches this one and its minor version is\n"
			  " * required_minor or later (doc/abi.md 8.5); the module has no exports.\n"
			  " * On success sets *plugin (if not NULL) to its record; on failure sets\n"
			  " * *err (if err is not NULL) to the error, which the caller frees with\n"
			  " * chitin_load_error_free.  Links with libchitin. */\n"
			  "static inline chitin_status\n%s_load(const char *path, uint16_t required_minor, "
			  "const chitin_plugin **plugin,\n\t\tchitin_load_error **err)\n{\n"
			  "\tconst chitin_plugin *loaded = NULL;\n"
			  "\tchitin_status st = chitin_load(path, %s_descriptor(), required_minor, &loaded, err);\n"
			  "\tif (plugin)\n\t\t*plugin = loaded;\n\treturn st;\n}\n\n",
			  mod->name, mod->name);
		helpers_end(out);
	}
	emit_asserts(&g);
	ob_printf(out, "#ifdef __cplusplus\n}\n#endif\n\n#endif\n");
	free(g.declared);
	free(g.defined);
	free(upper);
}

