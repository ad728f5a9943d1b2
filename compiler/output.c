/* The output writer. */
#include "output.h"
#include "arena.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

void
out_init(struct output_set *s)
{
	memset(s, 0, sizeof *s);
}

void
out_free(struct output_set *s)
{
	uint32_t i;
	for (i = 0; i < s->n_files; i++) {
		free(s->files[i].name);
		ob_free(&s->files[i].content);
	}
	free(s->files);
	memset(s, 0, sizeof *s);
}

struct outbuf *
out_add(struct output_set *s, const char *name)
{
	struct output_file *f;
	uint32_t i;
	for (i = 0; i < s->n_files; i++) {
		if (strcmp(s->files[i].name, name) == 0) {
			s->files[i].content.len = 0;
			s->files[i].content.data[0] = '\0';
			return &s->files[i].content;
		}
	}
	f = &VEC_PUSH(s->files, s->n_files, s->cap_files);
	f->name = xmalloc(strlen(name) + 1);
	strcpy(f->name, name);
	ob_init(&f->content);
	return &f->content;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct output_file *)a)->name,
		      ((const struct output_file *)b)->name);
}

/* Whether path holds exactly len bytes of data. */
static bool
same_content(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "rb");
	char buf[65536];
	size_t pos = 0, n;
	bool same = true;
	if (!f)
		return false;
	while (same && (n = fread(buf, 1, sizeof buf, f)) > 0) {
		if (pos + n > len || memcmp(buf, data + pos, n) != 0)
			same = false;
		pos += n;
	}
	if (ferror(f))
		same = false;
	fclose(f);
	return same && pos == len;
}

static int
write_one(const struct output_file *f, const char *path, struct diag *d)
{
	size_t n = strlen(path);
	char *tmp = xmalloc(n + 32);
	FILE *out;
	int fd;
	bool ok;

	snprintf(tmp, n + 32, "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		diag_plain(d, DIAG_ERROR, "cannot write '%s': %s", path, strerror(errno));
		free(tmp);
		return 2;
	}
	out = fdopen(fd, "wb");
	if (!out) {
		diag_plain(d, DIAG_ERROR, "cannot write '%s': %s", path, strerror(errno));
		close(fd);
		unlink(tmp);
		free(tmp);
		return 2;
	}
	ok = fwrite(f->content.data, 1, f->content.len, out) == f->content.len;
	ok = fflush(out) == 0 && ok;
	ok = fclose(out) == 0 && ok;
	/* mkstemp makes the file 0600; outputs are ordinary files */
	if (ok) {
		mode_t mask = umask(0);
		umask(mask);
		chmod(tmp, 0666 & ~mask);
	}
	if (!ok || rename(tmp, path) != 0) {
		diag_plain(d, DIAG_ERROR, "cannot write '%s': %s", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return 2;
	}
	free(tmp);
	return 0;
}

/* Makes directory dir and its missing parents, like mkdir -p; false
 * after reporting the one that could not be made, and why. */
static bool
make_dirs(const char *dir, struct diag *d)
{
	size_t n = strlen(dir), i;
	char *path = xmalloc(n + 1);
	struct stat st;
	bool ok = true;
	memcpy(path, dir, n + 1);
	/* each prefix that ends before a '/', then the whole path */
	for (i = 1; i <= n && ok; i++) {
		if (path[i] != '/' && path[i] != '\0')
			continue;
		path[i] = '\0';
		if (stat(path, &st) == 0) {
			if (!S_ISDIR(st.st_mode)) {
				diag_plain(d, DIAG_ERROR, "cannot make directory '%s': '%s' is not a directory",
					   dir, path);
				ok = false;
			}
		} else if (mkdir(path, 0777) != 0 && errno != EEXIST) {
			diag_plain(d, DIAG_ERROR, "cannot make directory '%s': %s", path, strerror(errno));
			ok = false;
		}
		path[i] = dir[i];
	}
	free(path);
	return ok;
}

int
out_write(struct output_set *s, const char *dir, bool verify, struct diag *d)
{
	uint32_t i;
	int status = 0;
	struct stat st;
	qsort(s->files, s->n_files, sizeof *s->files, by_name);
	/* a missing directory: every file would change, or is made */
	if (!verify && s->n_files && strcmp(dir, ".") != 0 && stat(dir, &st) != 0 &&
	    !make_dirs(dir, d))
		return 2;
	for (i = 0; i < s->n_files; i++) {
		const struct output_file *f = &s->files[i];
		size_t n = strlen(dir) + strlen(f->name) + 2;
		char *path = xmalloc(n);
		if (f->name[0] == '/' || strcmp(dir, ".") == 0)
			snprintf(path, n, "%s", f->name);
		else
			snprintf(path, n, "%s/%s", dir, f->name);
		if (!same_content(path, f->content.data, f->content.len)) {
			if (verify) {
				fprintf(d->out, "chitin: '%s' is out of date\n", path);
				status = status ? status : 1;
			} else if (write_one(f, path, d) != 0) {
				/* the first failure says why; the others would
				 * only repeat it */
				free(path);
				return 2;
			}
		}
		free(path);
	}
	return status;
}
