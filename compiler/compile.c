/* Loading inputs and their imports, then parsing and resolving. */
#include "compile.h"
#include "ast.h"
#include "resolve.h"

#include <errno.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Source files are indexed by 32-bit offsets. */
#define MAX_SOURCE_SIZE (1u << 30)

struct res_file {
	dev_t dev;                  /* what the file is, for finding it twice */
	ino_t ino;
	char *dir;                  /* directory imports are relative to */
	struct ast_file *ast;
	uint32_t *imports;
	struct loc *import_locs;
	uint32_t n_imports, cap_imports, cap_locs;
	bool from_command_line;
};

void
compile_init(struct compilation *c, FILE *out)
{
	memset(c, 0, sizeof *c);
	diag_init(&c->diag, out);
	arena_init(&c->arena);
	arena_init(&c->ast_arena);
	intern_init(&c->intern, &c->arena);
	model_init(&c->model, &c->arena, &c->intern);
}

void
compile_free(struct compilation *c)
{
	uint32_t i;
	for (i = 0; i < c->n_files; i++) {
		free(c->files[i].dir);
		free(c->files[i].imports);
		free(c->files[i].import_locs);
		ast_file_free(c->files[i].ast);
	}
	free(c->files);
	free(c->by_inode);
	model_free(&c->model);
	diag_free(&c->diag);
	intern_free(&c->intern);
	arena_free(&c->ast_arena);
	arena_free(&c->arena);
}

bool
compile_read_file(const char *path, char **text, size_t *len)
{
	FILE *f = strcmp(path, "-") == 0 ? stdin : fopen(path, "rb");
	char *buf = NULL;
	size_t n = 0, cap = 0;
	struct stat st;
	bool sized = false;         /* a regular file, read whole at once */

	if (!f)
		return false;
	if (f != stdin && fstat(fileno(f), &st) == 0) {
		if (S_ISDIR(st.st_mode)) {
			fclose(f);
			errno = EISDIR;
			return false;
		}
		if (S_ISREG(st.st_mode)) {
			if ((uint64_t)st.st_size > MAX_SOURCE_SIZE) {
				fclose(f);
				errno = EFBIG;
				return false;
			}
			/* the size it has, and a byte to see the end by */
			cap = (size_t)st.st_size + 1;
			buf = xmalloc(cap + 1);
			sized = true;
		}
	}
	for (;;) {
		size_t got;
		if (n == cap) {
			/* a stream grows the buffer, never past the limit and a
			 * byte that shows a stream is over it */
			cap = cap ? 2 * cap : 65536;
			if (cap > (size_t)MAX_SOURCE_SIZE + 1)
				cap = (size_t)MAX_SOURCE_SIZE + 1;
			buf = xrealloc(buf, cap + 1);
		}
		got = fread(buf + n, 1, cap - n, f);
		/* a NUL byte makes a stream an error (check_text says so, and
		 * reads no further): /dev/zero is refused at its first block */
		if (!sized && memchr(buf + n, '\0', got)) {
			n += got;
			break;
		}
		n += got;
		if (got == 0 || n > MAX_SOURCE_SIZE)
			break;
	}
	if (ferror(f)) {
		int e = errno;
		if (f != stdin)
			fclose(f);
		free(buf);
		errno = e ? e : EIO;
		return false;
	}
	if (f != stdin)
		fclose(f);
	if (n > MAX_SOURCE_SIZE) {
		free(buf);
		errno = EFBIG;
		return false;
	}
	if (cap > n + 4096)
		buf = xrealloc(buf, n + 1);   /* what a stream did not use */
	buf[n] = '\0';
	*text = buf;
	*len = n;
	return true;
}

/* Reports the first NUL byte or invalid UTF-8 sequence; false if any. */
static bool
check_text(struct diag *d, uint32_t file)
{
	const struct source *src = d->files[file];
	const unsigned char *s = (const unsigned char *)src->text;
	uint32_t i = 0, n = src->len;
	while (i < n) {
		unsigned char c;
		uint32_t len, k;
		uint32_t cp;
		struct loc at;
		/* eight ASCII bytes, none of them NUL, at a time */
		while (n - i >= 8) {
			uint64_t w;
			memcpy(&w, s + i, 8);
			if (((w | ((w & 0x7F7F7F7F7F7F7F7Fu) + 0x7F7F7F7F7F7F7F7Fu)) &
			     0x8080808080808080u) != 0x8080808080808080u ||
			    (w & 0x8080808080808080u))
				break;
			i += 8;
		}
		if (i >= n)
			break;
		c = s[i];
		at.file = file;
		at.begin = i;
		at.end = i + 1;
		if (c == 0) {
			diag_error(d, at, "the file contains a NUL byte; is it a binary file?");
			return false;
		}
		if (c < 0x80) {
			i++;
			continue;
		}
		if (c >= 0xC2 && c <= 0xDF)
			len = 2, cp = c & 0x1F;
		else if (c >= 0xE0 && c <= 0xEF)
			len = 3, cp = c & 0x0F;
		else if (c >= 0xF0 && c <= 0xF4)
			len = 4, cp = c & 0x07;
		else
			len = 0, cp = 0;
		for (k = 1; len && k < len; k++) {
			if (i + k >= n || (s[i + k] & 0xC0) != 0x80) {
				len = 0;
				break;
			}
			cp = cp << 6 | (s[i + k] & 0x3F);
		}
		if (!len || (len == 3 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) ||
		    (len == 4 && (cp < 0x10000 || cp > 0x10FFFF))) {
			diag_error(d, at, "invalid UTF-8 (byte 0x%02x); chitin reads UTF-8 source", c);
			return false;
		}
		i += len;
	}
	return true;
}

static char *
dup_str(const char *s, size_t n)
{
	char *p = xmalloc(n + 1);
	memcpy(p, s, n);
	p[n] = '\0';
	return p;
}

static char *
dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');
	if (!slash)
		return dup_str(".", 1);
	if (slash == path)
		return dup_str("/", 1);
	return dup_str(path, (size_t)(slash - path));
}

static char *
join(const char *dir, const char *name)
{
	size_t a = strlen(dir), b = strlen(name);
	char *p;
	if (name[0] == '/' || strcmp(dir, ".") == 0)
		return dup_str(name, b);
	p = xmalloc(a + b + 2);
	memcpy(p, dir, a);
	p[a] = '/';
	memcpy(p + a + 1, name, b + 1);
	return p;
}

static uint32_t
inode_hash(dev_t dev, ino_t ino)
{
	uint64_t h = (uint64_t)ino * UINT64_C(0x9e3779b97f4a7c15) ^ (uint64_t)dev * UINT64_C(0xc2b2ae3d27d4eb4f);
	return (uint32_t)(h >> 32);
}

/* The file that is (dev, ino), or M_NONE and in *slot where to put it. */
static uint32_t
inode_find(const struct compilation *c, dev_t dev, ino_t ino, uint32_t *slot)
{
	uint32_t mask, i;
	if (!c->inode_slots)
		return M_NONE;
	mask = c->inode_slots - 1;
	for (i = inode_hash(dev, ino) & mask; c->by_inode[i]; i = (i + 1) & mask) {
		const struct res_file *f = &c->files[c->by_inode[i] - 1];
		if (f->dev == dev && f->ino == ino)
			return c->by_inode[i] - 1;
	}
	*slot = i;
	return M_NONE;
}

/* Records file fi, whose identity inode_find did not find (at slot),
 * growing the table to keep it at most half full. */
static void
inode_add(struct compilation *c, uint32_t fi, uint32_t slot)
{
	const struct res_file *f = &c->files[fi];
	if (2 * (fi + 1) > c->inode_slots) {
		uint32_t n = c->inode_slots ? 2 * c->inode_slots : 64, mask = n - 1, j, i;
		uint32_t *t = xcalloc(n, sizeof *t);
		for (j = 0; j < c->inode_slots; j++) {
			const struct res_file *g;
			if (!c->by_inode[j])
				continue;
			g = &c->files[c->by_inode[j] - 1];
			for (i = inode_hash(g->dev, g->ino) & mask; t[i]; i = (i + 1) & mask)
				;
			t[i] = c->by_inode[j];
		}
		free(c->by_inode);
		c->by_inode = t;
		c->inode_slots = n;
		inode_find(c, f->dev, f->ino, &slot);   /* its place in the new table */
	}
	c->by_inode[slot] = fi + 1;
}

/* Loads, checks and parses one file unless already loaded; returns its
 * index, or M_NONE when it cannot be read (reported at `from`, or plainly
 * for a command-line file). */
static uint32_t
load(struct compilation *c, const struct compile_options *o, const char *path,
     const char *shown, const struct loc *from, int *status)
{
	char *text;
	size_t len;
	struct res_file *f;
	uint32_t id, slot = 0;
	struct stat st;
	bool is_stdin = strcmp(path, "-") == 0, has_inode = false;

	/* A file is found again by what it is, its device and inode, not by
	 * its name: every path to it (a link, a path too long for realpath)
	 * is the same file, so an import cycle ends. */
	if (!is_stdin && stat(path, &st) == 0) {
		uint32_t found = inode_find(c, st.st_dev, st.st_ino, &slot);
		if (found != M_NONE)
			return found;
		has_inode = true;
	}
	if (!compile_read_file(path, &text, &len)) {
		const char *why = errno == EFBIG ? "file is larger than 1 GiB" : strerror(errno);
		if (from)
			diag_error(&c->diag, *from, "cannot read '%s': %s", shown, why);
		else
			diag_plain(&c->diag, DIAG_ERROR, "cannot read '%s': %s", shown, why);
		if (!from)
			*status = 2;
		return M_NONE;
	}
	id = diag_add_source(&c->diag, is_stdin ? (o->display_name ? o->display_name : "<stdin>") : shown,
			     is_stdin ? NULL : path, text, (uint32_t)len);
	f = &VEC_PUSH(c->files, c->n_files, c->cap_files);
	memset(f, 0, sizeof *f);
	f->dev = has_inode ? st.st_dev : 0;
	f->ino = has_inode ? st.st_ino : 0;
	if (has_inode)
		inode_add(c, c->n_files - 1, slot);
	f->dir = is_stdin ? dup_str(".", 1) : dir_of(path);
	f->from_command_line = from == NULL;
	if (check_text(&c->diag, id))
		c->files[c->n_files - 1].ast = ast_parse(&c->diag, &c->ast_arena, &c->arena, &c->intern, id);
	return c->n_files - 1;
}

/* Finds an import: beside the importing file, then on the -I path. */
static char *
find_import(const struct compile_options *o, const char *dir, const char *name)
{
	char *p = join(dir, name);
	struct stat st;
	uint32_t i;
	if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode))
		return p;
	free(p);
	if (name[0] == '/')
		return NULL;
	for (i = 0; i < o->n_include_dirs; i++) {
		p = join(o->include_dirs[i], name);
		if (stat(p, &st) == 0 && !S_ISDIR(st.st_mode))
			return p;
		free(p);
	}
	return NULL;
}

static void
load_imports(struct compilation *c, const struct compile_options *o, int *status)
{
	uint32_t fi;
	/* c->files grows while this runs: every loaded file is visited once. */
	for (fi = 0; fi < c->n_files && !diag_stopped(&c->diag); fi++) {
		const struct ast_import *im;
		if (!c->files[fi].ast)
			continue;
		for (im = c->files[fi].ast->imports; im; im = im->next) {
			char *path = find_import(o, c->files[fi].dir, im->path);
			uint32_t target;
			struct res_file *f;
			if (!path) {
				char dirs[512];
				size_t n = 0;
				uint32_t i;
				n += (size_t)snprintf(dirs, sizeof dirs, "%s", c->files[fi].dir);
				for (i = 0; i < o->n_include_dirs && n < sizeof dirs; i++)
					n += (size_t)snprintf(dirs + n, sizeof dirs - n, ", %s",
							      o->include_dirs[i]);
				diag_error(&c->diag, im->path_loc, "cannot find '%s' (looked in %s)",
					   im->path, dirs);
				continue;
			}
			target = load(c, o, path, path, &im->path_loc, status);
			free(path);
			if (target == M_NONE)
				continue;
			f = &c->files[fi];
			VEC_GROW(f->imports, f->n_imports, f->cap_imports);
			VEC_GROW(f->import_locs, f->n_imports, f->cap_locs);
			f->imports[f->n_imports] = target;
			f->import_locs[f->n_imports] = im->path_loc;
			f->n_imports++;
		}
	}
}

struct import_graph {
	struct compilation *c;
	uint32_t *first;
};

/* The cycle being reported, for its text: "a.idl -> b.idl -> a.idl". */
struct import_path {
	const struct compilation *c;
	const uint32_t *nodes;
	uint32_t n;
};

static void
import_part(void *ctx, uint32_t i, char *out, size_t size)
{
	const struct import_path *p = ctx;
	snprintf(out, size, "%s", p->c->diag.files[p->c->files[p->nodes[i % p->n]].ast->file]->name);
}

static void
import_cycle(void *ctx, const uint32_t *nodes, const uint32_t *edges, uint32_t n)
{
	struct import_graph *g = ctx;
	struct compilation *c = g->c;
	struct import_path ip = { c, nodes, n };
	char path[600];
	dfs_cycle_text(path, sizeof path, n, false, import_part, &ip);
	{
		/* the edge that closes the cycle */
		uint32_t last = nodes[n - 1], e = edges[n - 1] - g->first[last];
		diag_error(&c->diag, c->files[last].import_locs[e], "import cycle: %s", path);
	}
}

static void
check_import_cycles(struct compilation *c)
{
	struct import_graph g;
	struct dfs_graph dg;
	uint32_t i, total = 0, *targets;
	g.c = c;
	g.first = xmalloc((c->n_files + 1) * sizeof *g.first);
	for (i = 0; i < c->n_files; i++) {
		g.first[i] = total;
		total += c->files[i].n_imports;
	}
	g.first[c->n_files] = total;
	targets = xmalloc((total + 1) * sizeof *targets);
	for (i = 0; i < c->n_files; i++)
		if (c->files[i].n_imports)
			memcpy(targets + g.first[i], c->files[i].imports,
			       c->files[i].n_imports * sizeof *targets);
	dg.n = c->n_files;
	dg.first = g.first;
	dg.targets = targets;
	dg.ctx = &g;
	dg.done = NULL;
	dg.cycle = import_cycle;
	dfs_run(&dg);
	free(g.first);
	free(targets);
}

int
compile_run(struct compilation *c, const struct compile_options *o,
	    const char *const *files, uint32_t n_files)
{
	int status = 0;
	uint32_t i;
	struct resolver r;
	struct res_input *inputs;

	if (o->max_errors)
		c->diag.max_errors = o->max_errors;
	for (i = 0; i < n_files && !diag_stopped(&c->diag); i++)
		load(c, o, files[i], files[i], NULL, &status);
	load_imports(c, o, &status);
	check_import_cycles(c);

	if (c->diag.n_errors == 0) {
		/* Resolution needs whole, acyclic input; a broken file would
		 * only cause follow-on errors. */
		inputs = xcalloc(c->n_files + 1, sizeof *inputs);
		for (i = 0; i < c->n_files; i++) {
			inputs[i].ast = c->files[i].ast;
			inputs[i].imports = c->files[i].imports;
			inputs[i].import_locs = c->files[i].import_locs;
			inputs[i].n_imports = c->files[i].n_imports;
			inputs[i].from_command_line = c->files[i].from_command_line;
		}
		memset(&r, 0, sizeof r);
		r.m = &c->model;
		r.d = &c->diag;
		r.inputs = inputs;
		r.n_inputs = c->n_files;
		res_run(&r);
		c->resolved = r.checked;
		free(inputs);
	}
	if (!o->keep_ast) {
		/* Only the resolver reads the trees: what the model keeps of
		 * them is in its own arena. */
		for (i = 0; i < c->n_files; i++) {
			ast_file_free(c->files[i].ast);
			c->files[i].ast = NULL;
		}
		arena_free(&c->ast_arena);
	}
	if (status)
		return status;
	return c->diag.n_errors ? 1 : 0;
}

const struct ast_file *
compile_ast(const struct compilation *c, uint32_t i)
{
	return i < c->n_files ? c->files[i].ast : NULL;
}
