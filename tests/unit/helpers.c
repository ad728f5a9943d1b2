/* The unit tests' shared helpers: see helpers.h. */
#include <config.h>

#include "helpers.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
capture_open(struct capture *c)
{
	c->text = NULL;
	c->len = 0;
	c->file = open_memstream(&c->text, &c->len);
	assert_non_null(c->file);
}

const char *
capture_text(struct capture *c)
{
	assert_int_equal(fflush(c->file), 0);
	return c->text ? c->text : "";
}

void
capture_close(struct capture *c)
{
	if (c->file)
		fclose(c->file);
	free(c->text);
	c->file = NULL;
	c->text = NULL;
	c->len = 0;
}

void
parse_bytes(struct parsed *p, const char *text, size_t len)
{
	char *copy = malloc(len + 1);
	struct capture dump;
	uint32_t file;

	assert_non_null(copy);
	memcpy(copy, text, len);
	copy[len] = '\0';
	memset(p, 0, sizeof *p);
	capture_open(&p->diags);
	compile_init(&p->comp, p->diags.file);
	file = diag_add_source(&p->comp.diag, "t.idl", "t.idl", copy, (uint32_t)len);
	p->ast = ast_parse(&p->comp.diag, &p->comp.arena, &p->comp.arena, &p->comp.intern, file);
	assert_non_null(p->ast);

	capture_open(&dump);
	ast_dump(dump.file, p->ast);
	p->dump = strdup(capture_text(&dump));
	assert_non_null(p->dump);
	capture_close(&dump);

	p->n_errors = p->comp.diag.n_errors;
	p->errors = capture_text(&p->diags);
}

void
parse_text(struct parsed *p, const char *text)
{
	parse_bytes(p, text, strlen(text));
}

void
parsed_free(struct parsed *p)
{
	ast_file_free(p->ast);
	compile_free(&p->comp);
	capture_close(&p->diags);
	free(p->dump);
	memset(p, 0, sizeof *p);
}

/* Creates the directories leading to name, relative to the current one. */
static void
make_parents(const char *name)
{
	char path[PATH_MAX];
	char *slash;
	assert_true(strlen(name) < sizeof path);
	strcpy(path, name);
	for (slash = strchr(path, '/'); slash; slash = strchr(slash + 1, '/')) {
		*slash = '\0';
		if (mkdir(path, 0700) != 0)
			assert_int_equal(errno, EEXIST);
		*slash = '/';
	}
}

static void
write_file(const struct test_file *f)
{
	FILE *out;
	size_t len = strlen(f->text);
	make_parents(f->name);
	out = fopen(f->name, "wb");
	assert_non_null(out);
	assert_int_equal(fwrite(f->text, 1, len, out), len);
	assert_int_equal(fclose(out), 0);
}

/* Removes name and the directories leading to it, once empty. */
static void
remove_file(const char *name)
{
	char path[PATH_MAX];
	char *slash;
	assert_int_equal(unlink(name), 0);
	strcpy(path, name);
	while ((slash = strrchr(path, '/')) != NULL) {
		*slash = '\0';
		(void)rmdir(path);   /* fails while other files remain: fine */
	}
}

/* Writes files into a new temporary directory, calls run(ctx, root) from
 * there with the first file's name, then removes them all. */
static void
in_temp_dir(const struct test_file *files, size_t n, void (*run)(void *ctx, const char *root),
	    void *ctx)
{
	const char *tmp = getenv("TMPDIR");
	char dir[PATH_MAX];
	int cwd;
	size_t i;

	assert_true(n > 0);
	snprintf(dir, sizeof dir, "%s/chitin-unit-XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	cwd = open(".", O_RDONLY);
	assert_true(cwd >= 0);
	assert_int_equal(chdir(dir), 0);
	for (i = 0; i < n; i++)
		write_file(&files[i]);
	run(ctx, files[0].name);
	for (i = n; i > 0; i--)
		remove_file(files[i - 1].name);
	assert_int_equal(fchdir(cwd), 0);
	close(cwd);
	assert_int_equal(rmdir(dir), 0);
}

static void
run_compile(void *ctx, const char *root)
{
	struct compiled *c = ctx;
	struct compile_options o;
	memset(&o, 0, sizeof o);
	c->status = compile_run(&c->comp, &o, &root, 1);
}

int
compile_files(struct compiled *c, const struct test_file *files, size_t n)
{
	memset(c, 0, sizeof *c);
	capture_open(&c->diags);
	compile_init(&c->comp, c->diags.file);
	in_temp_dir(files, n, run_compile, c);
	c->errors = capture_text(&c->diags);
	c->m = &c->comp.model;
	return c->status;
}

static void
run_build(void *ctx, const char *root)
{
	struct built *b = ctx;
	struct compile_options o;
	memset(&o, 0, sizeof o);
	be_name_checks(&o);
	b->status = ck_build(&b->ck, b->diags.file, &o, &root, 1, CK_IDS);
}

int
build_files(struct built *b, const struct test_file *files, size_t n)
{
	memset(b, 0, sizeof *b);
	capture_open(&b->diags);
	in_temp_dir(files, n, run_build, b);
	b->errors = capture_text(&b->diags);
	b->m = b->ck.m;
	for (b->mi = 0; b->m && b->mi < b->m->n_modules && !b->m->modules[b->mi].from_command_line;
	     b->mi++)
		;
	return b->status;
}

int
build_text(struct built *b, const char *text)
{
	struct test_file f;
	f.name = "main.idl";
	f.text = text;
	return build_files(b, &f, 1);
}

void
built_free(struct built *b)
{
	ck_free(&b->ck);
	capture_close(&b->diags);
	memset(b, 0, sizeof *b);
}

int
compile_text(struct compiled *c, const char *text)
{
	struct test_file f;
	f.name = "main.idl";
	f.text = text;
	return compile_files(c, &f, 1);
}

void
compiled_free(struct compiled *c)
{
	compile_free(&c->comp);
	capture_close(&c->diags);
	memset(c, 0, sizeof *c);
}

char *
model_text(const struct model *m)
{
	struct capture out;
	char *text;
	capture_open(&out);
	model_dump(out.file, m);
	text = strdup(capture_text(&out));
	assert_non_null(text);
	capture_close(&out);
	return text;
}

uint32_t
find_decl(const struct model *m, const char *module, const char *name)
{
	uint32_t i;
	for (i = 0; i < m->n_decls; i++) {
		const struct m_decl *d = &m->decls[i];
		if (strcmp(d->item.name, name) != 0)
			continue;
		if (module && (d->module == M_NONE ||
			       strcmp(m->modules[d->module].name, module) != 0))
			continue;
		return i;
	}
	fail_msg("no declaration '%s' in module '%s'", name, module ? module : "(any)");
	return M_NONE;
}

static const struct m_field *
field_in(const struct model *m, uint32_t first, uint32_t n, const char *name)
{
	uint32_t i;
	for (i = first; i < first + n; i++)
		if (strcmp(m->fields[i].item.name, name) == 0)
			return &m->fields[i];
	return NULL;
}

const struct m_field *
find_field(const struct model *m, uint32_t decl, const char *name)
{
	const struct m_decl *d = &m->decls[decl];
	const struct m_field *f = NULL;
	uint32_t i;
	if (d->kind == DECL_STRUCT || d->kind == DECL_UNION) {
		f = field_in(m, d->u.agg.first_field, d->u.agg.n_fields, name);
	} else if (d->kind == DECL_ENUM) {
		for (i = 0; i < d->u.enm.n_variants && !f; i++) {
			const struct m_variant *v = &m->variants[d->u.enm.first_variant + i];
			f = field_in(m, v->first_field, v->n_fields, name);
		}
	}
	if (!f)
		fail_msg("'%s' has no field '%s'", d->item.name, name);
	return f;
}

const struct m_variant *
find_variant(const struct model *m, uint32_t decl, const char *name)
{
	const struct m_decl *d = &m->decls[decl];
	uint32_t i;
	assert_int_equal(d->kind, DECL_ENUM);
	for (i = 0; i < d->u.enm.n_variants; i++) {
		const struct m_variant *v = &m->variants[d->u.enm.first_variant + i];
		if (strcmp(v->item.name, name) == 0)
			return v;
	}
	fail_msg("enum '%s' has no variant '%s'", d->item.name, name);
	return NULL;
}

const struct m_method *
find_method(const struct model *m, uint32_t decl, const char *name)
{
	const struct m_decl *d = &m->decls[decl];
	uint32_t i;
	if (d->kind == DECL_CALLBACK || d->kind == DECL_EXPORT)
		return &m->methods[d->u.sig.method];
	assert_int_equal(d->kind, DECL_INTERFACE);
	for (i = 0; i < d->u.iface.n_methods; i++) {
		const struct m_method *me = &m->methods[d->u.iface.first_method + i];
		if (strcmp(me->item.name, name) == 0)
			return me;
	}
	fail_msg("interface '%s' has no method '%s'", d->item.name, name);
	return NULL;
}

uint32_t
named_decl(const struct model *m, uint32_t type)
{
	assert_true(type < m->n_types);
	assert_int_equal(m->types[type].kind, TY_NAMED);
	return m->types[type].decl;
}

bool
known_bugs_skipped(void)
{
	const char *v = getenv("CHITIN_SKIP_KNOWN_BUGS");
	return v && *v && strcmp(v, "0") != 0;
}

size_t
count_substr(const char *text, const char *needle)
{
	size_t n = 0, len = strlen(needle);
	const char *p = text;
	if (!len)
		return 0;
	while ((p = strstr(p, needle)) != NULL) {
		n++;
		p += len;
	}
	return n;
}

void
check_contains(const char *text, const char *needle, bool want,
	       const char *file, int line)
{
	if ((strstr(text, needle) != NULL) == want)
		return;
	print_error("expected %s\"%s\" in:\n%s\n", want ? "" : "no ", needle, text);
	_fail(file, line);
}
