/* Running the scanner and parser over one source, and dumping the tree. */
#include <config.h>

#include "parse.h"
#include "parser.h"

#include <stdlib.h>
#include <string.h>

/* From the flex scanner (its header is not generated, to keep the build
 * simple); the types match %option reentrant. */
typedef void *yyscan_t;
int yylex_init_extra(struct parse_state *extra, yyscan_t *scanner);
int yylex_destroy(yyscan_t scanner);
struct yy_buffer_state *yy_scan_bytes(const char *bytes, int len, yyscan_t scanner);

struct ast_file *
ast_parse(struct diag *d, struct arena *arena, struct arena *keep, struct intern *in,
	  uint32_t file)
{
	struct parse_state ps;
	struct ast_file *f = arena_alloc(arena, sizeof *f);
	const struct source *src = d->files[file];
	yyscan_t scanner;

	memset(&ps, 0, sizeof ps);
	ps.diag = d;
	ps.arena = arena;
	ps.keep = keep;
	ps.intern = in;
	ps.file = file;
	ps.ast = f;
	f->file = file;

	if (yylex_init_extra(&ps, &scanner) != 0) {
		fputs("chitin: error: out of memory\n", stderr);
		exit(2);
	}
	ps.scanner = scanner;
	/* A UTF-8 byte order mark, which some editors start a file with, is
	 * skipped: locations stay offsets into the file (doc/idl.md 2.1). */
	if (src->len >= 3 && memcmp(src->text, "\xEF\xBB\xBF", 3) == 0) {
		ps.pos = 3;
		yy_scan_bytes(src->text + 3, (int)src->len - 3, scanner);
	} else {
		yy_scan_bytes(src->text, (int)src->len, scanner);
	}
	yyparse(&ps);
	yylex_destroy(scanner);

	if (!f->module && !f->has_module && !ps.fatal && !ps.syntax_errors) {
		struct loc at = { file, 0, 0 };
		diag_error(d, at, "expected the module declaration ('module NAME;')");
	}
	free(ps.docs);
	free(ps.pending);
	return f;
}

void
ast_file_free(struct ast_file *f)
{
	if (f) {
		free(f->ops);
		f->ops = NULL;
	}
}

/* The dump: one line per node, indented by depth, for tests. */

static void
dump_attrs(FILE *out, const struct ast_attr *a)
{
	if (!a)
		return;
	fputs(" [", out);
	for (; a; a = a->next) {
		fputs(a->name, out);
		switch (a->arg_kind) {
		case ARG_NONE: break;
		case ARG_INT: fprintf(out, "(%llu)", (unsigned long long)a->int_value); break;
		case ARG_VERSION: fprintf(out, "(%u.%u)", a->major, a->minor); break;
		case ARG_STRING: fprintf(out, "(\"%s\")", a->text); break;
		case ARG_UUID: fprintf(out, "(uuid %s)", a->text); break;
		case ARG_IDENT: fprintf(out, "(%s)", a->text); break;
		}
		if (a->next)
			fputs(", ", out);
	}
	fputc(']', out);
}

static void
dump_type(FILE *out, const struct ast_type *t)
{
	uint32_t i;
	const struct ast_type *arg;
	if (t->is_const)
		fputs("const ", out);
	if (t->qualifier)
		fprintf(out, "%s.", t->qualifier);
	fputs(t->name, out);
	if (t->n_args) {
		fputc('<', out);
		for (arg = t->args; arg; arg = arg->next) {
			dump_type(out, arg);
			if (arg->next)
				fputs(", ", out);
		}
		fputc('>', out);
	}
	for (i = 0; i < t->n_pointers; i++)
		fputc('*', out);
}

static void
dump_expr(FILE *out, const struct ast_file *f, struct ast_expr e)
{
	uint32_t i;
	fputc('{', out);
	for (i = 0; i < e.count; i++) {
		const struct expr_op *op = &f->ops[e.first + i];
		if (i)
			fputc(' ', out);
		if (op->kind == OP_INT)
			fprintf(out, "%llu", (unsigned long long)op->value);
		else if (op->kind == OP_NAME)
			fprintf(out, "%s%s%s", op->qualifier ? op->qualifier : "",
				op->qualifier ? "." : "", op->name);
		else
			fprintf(out, "%s%s", expr_op_names[op->kind],
				op->kind == OP_NEG || op->kind == OP_PLUS ? "u" : "");
	}
	fputc('}', out);
}

static void
dump_doc(FILE *out, const char *doc, int indent)
{
	const char *p;
	if (!doc)
		return;
	fprintf(out, "%*sdoc \"", indent, "");
	for (p = doc; *p; p++) {
		if (*p == '\n')
			fputs("\\n", out);
		else
			fputc(*p, out);
	}
	fputs("\"\n", out);
}

static void
dump_fields(FILE *out, const struct ast_file *f, const struct ast_field *fl, int indent)
{
	uint32_t i;
	for (; fl; fl = fl->next) {
		dump_doc(out, fl->doc, indent);
		fprintf(out, "%*sfield %s: ", indent, "", fl->name);
		dump_type(out, fl->type);
		for (i = 0; i < fl->n_dims; i++) {
			fputc('[', out);
			dump_expr(out, f, fl->dims[i]);
			fputc(']', out);
		}
		dump_attrs(out, fl->attrs);
		fputc('\n', out);
	}
}

static void
dump_sig(FILE *out, const char *what, const struct ast_method *m, int indent)
{
	const struct ast_param *p;
	dump_doc(out, m->doc, indent);
	fprintf(out, "%*s%s %s(", indent, "", what, m->name);
	for (p = m->params; p; p = p->next) {
		dump_type(out, p->type);
		fprintf(out, " %s", p->name);
		if (p->n_dims)
			fputs("[]", out);
		dump_attrs(out, p->attrs);
		if (p->next)
			fputs(", ", out);
	}
	fputs(") -> ", out);
	dump_type(out, m->ret);
	dump_attrs(out, m->attrs);
	fputc('\n', out);
}

void
ast_dump(FILE *out, const struct ast_file *f)
{
	const struct ast_import *im;
	const struct ast_decl *d;

	dump_doc(out, f->doc, 0);
	fprintf(out, "module %s", f->module ? f->module : "?");
	dump_attrs(out, f->module_attrs);
	fputc('\n', out);
	for (im = f->imports; im; im = im->next)
		fprintf(out, "import \"%s\"\n", im->path);
	for (d = f->decls; d; d = d->next) {
		dump_doc(out, d->doc, 0);
		fprintf(out, "%s %s", decl_kind_names[d->kind], d->name);
		dump_attrs(out, d->attrs);
		switch (d->kind) {
		case DECL_CONST:
			fputs(": ", out);
			dump_type(out, d->u.konst.type);
			fputs(" = ", out);
			dump_expr(out, f, d->u.konst.value);
			fputc('\n', out);
			break;
		case DECL_STRUCT:
		case DECL_UNION:
			fputc('\n', out);
			dump_fields(out, f, d->u.agg.fields, 2);
			break;
		case DECL_ENUM: {
			const struct ast_variant *v;
			if (d->u.enm.repr) {
				fputs(": ", out);
				dump_type(out, d->u.enm.repr);
			}
			fputc('\n', out);
			for (v = d->u.enm.variants; v; v = v->next) {
				dump_doc(out, v->doc, 2);
				fprintf(out, "  variant %s", v->name);
				if (v->has_value) {
					fputs(" = ", out);
					dump_expr(out, f, v->value);
				}
				dump_attrs(out, v->attrs);
				fputc('\n', out);
				dump_fields(out, f, v->fields, 4);
			}
			break;
		}
		case DECL_CALLBACK:
		case DECL_EXPORT:
			fputc('\n', out);
			dump_sig(out, "signature", d->u.sig, 2);
			break;
		case DECL_INTERFACE: {
			const struct ast_method *m;
			if (d->u.iface.base) {
				fputs(" : ", out);
				dump_type(out, d->u.iface.base);
			}
			fputc('\n', out);
			for (m = d->u.iface.methods; m; m = m->next)
				dump_sig(out, "method", m, 2);
			break;
		}
		case DECL_KIND_COUNT:
			break;
		}
	}
}
