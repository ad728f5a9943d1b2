/* The output writer. */
#if defined(__linux__) && !defined(_GNU_SOURCE)
#define _GNU_SOURCE /* O_TMPFILE */
#endif
#include "output.h"
#include "arena.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
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

/* ---- temporaries removed on SIGINT, SIGTERM, SIGHUP ---------------------------- */

/* The temporary files that exist, for the handler: a fixed table, so the
 * handler never sees it move; a slot is cleared before its file is
 * renamed or removed. */
enum { MAX_LIVE_TMPS = 1024 };
static const char *volatile live_tmps[MAX_LIVE_TMPS];
static volatile sig_atomic_t n_live_tmps;

static void
remove_tmps_and_die(int sig)
{
	sig_atomic_t i;
	for (i = 0; i < n_live_tmps; i++)
		if (live_tmps[i])
			unlink(live_tmps[i]);    /* async-signal-safe */
	signal(sig, SIG_DFL);
	raise(sig);
}

/* Registers path, returning its slot (-1 when the table is full: the file
 * is then only removed by the normal paths). */
static int
track_tmp(const char *path)
{
	static bool installed;
	int slot;
	if (!installed) {
		struct sigaction sa;
		static const int sigs[] = { SIGINT, SIGTERM, SIGHUP };
		unsigned i;
		memset(&sa, 0, sizeof sa);
		sa.sa_handler = remove_tmps_and_die;
		sigemptyset(&sa.sa_mask);
		for (i = 0; i < sizeof sigs / sizeof sigs[0]; i++) {
			struct sigaction old;
			/* a signal the caller ignores (nohup) stays ignored */
			if (sigaction(sigs[i], NULL, &old) == 0 && old.sa_handler != SIG_IGN)
				sigaction(sigs[i], &sa, NULL);
		}
		installed = true;
	}
	if (n_live_tmps == MAX_LIVE_TMPS)
		return -1;
	slot = (int)n_live_tmps;
	live_tmps[slot] = path;
	n_live_tmps = slot + 1;
	return slot;
}

static void
untrack_tmp(struct output_file *f)
{
	if (f->tmp_slot >= 0)
		live_tmps[f->tmp_slot] = NULL;
	f->tmp_slot = -1;
}

/* Unnamed temporaries open now, and how many may be. */
enum { MAX_HELD_ANONYMOUS = 8 };
static unsigned held_anonymous;

/* Closes f's temporary file, counting an unnamed one. */
static int
close_tmp_file(struct output_file *f)
{
	int r = fclose(f->tmp_file);
	f->tmp_file = NULL;
	if (f->anonymous)
		held_anonymous--;
	return r;
}

/* Gives f's temporary file a name, as tmp_named says it has. */
static void
named_tmp(struct output_file *f)
{
	f->tmp_named = true;
	f->tmp_slot = track_tmp(f->tmp);
}

/* Drops f's temporary: closes it (an unnamed one is then gone) and
 * removes its name, if it has one. */
static void
discard_tmp(struct output_file *f)
{
	if (f->tmp_file)
		close_tmp_file(f);
	if (f->tmp_named) {
		untrack_tmp(f);
		unlink(f->tmp);
		f->tmp_named = false;
	}
	f->pending = false;
}

static void
close_file(struct output_file *f)
{
	discard_tmp(f);
	if (f->old) {
		fclose(f->old);
		f->old = NULL;
	}
}

void
out_free(struct output_set *s)
{
	uint32_t i;
	for (i = 0; i < s->n_files; i++) {
		struct output_file *f = s->files[i];
		close_file(f);
		free(f->name);
		free(f->path);
		free(f->tmp);
		ob_free(&f->content);
		free(f);
	}
	free(s->files);
	memset(s, 0, sizeof *s);
}

static void
fail(struct output_file *f, const char *what)
{
	if (!f->error) {
		f->error = errno ? errno : EIO;
		f->error_path = what;
	}
}

/* The sink of a streamed file: compares the bytes with the old file's
 * while it matches, and writes them to the temporary file. */
static void
file_sink(void *ctx, const char *data, size_t n)
{
	struct output_file *f = ctx;
	char buf[1 << 15];
	size_t done = 0;
	while (f->old && !f->differs && done < n) {
		size_t want = n - done < sizeof buf ? n - done : sizeof buf;
		size_t got = fread(buf, 1, want, f->old);
		if (got != want || memcmp(buf, data + done, got) != 0)
			f->differs = true;
		done += got;
	}
	if (!f->old)
		f->differs = true;
	if (f->tmp_file && !f->error && fwrite(data, 1, n, f->tmp_file) != n)
		fail(f, f->tmp);
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

static char *
join_path(const char *dir, const char *name)
{
	size_t n = strlen(dir) + strlen(name) + 2;
	char *path = xmalloc(n);
	if (name[0] == '/' || strcmp(dir, ".") == 0)
		snprintf(path, n, "%s", name);
	else
		snprintf(path, n, "%s/%s", dir, name);
	return path;
}

/* An unnamed file in directory dir, for writing, with the mode an
 * ordinary file gets; -1 where the system has no O_TMPFILE (or the file
 * system does not support it), and the caller names one instead. */
static int
open_anonymous(const char *dir)
{
#if defined(O_TMPFILE) && defined(__linux__)
	int fd;
	/* each stays open until the commit: a run of many outputs names the
	 * rest, so that it needs few file descriptors */
	if (held_anonymous >= MAX_HELD_ANONYMOUS)
		return -1;
	fd = open(dir, O_TMPFILE | O_WRONLY | O_CLOEXEC, 0666);
	held_anonymous += fd >= 0;
	return fd;
#else
	(void)dir;
	return -1;
#endif
}

/* Links f's unnamed temporary to a fresh name in f->tmp, for the rename;
 * false, with errno, when it cannot. */
static bool
name_anonymous(struct output_file *f)
{
#if defined(O_TMPFILE) && defined(__linux__)
	static unsigned counter;
	char proc[64];
	size_t n = strlen(f->path) + 32;
	unsigned tries;
	snprintf(proc, sizeof proc, "/proc/self/fd/%d", fileno(f->tmp_file));
	/* unique among the runs in the directory: the process and a count,
	 * tried again past a stale name a killed run left */
	for (tries = 0; tries < 100; tries++) {
		snprintf(f->tmp, n, "%s.tmp.%ld.%u", f->path, (long)getpid(), counter++);
		if (linkat(AT_FDCWD, proc, AT_FDCWD, f->tmp, AT_SYMLINK_FOLLOW) == 0) {
			named_tmp(f);
			return true;
		}
		if (errno != EEXIST)
			return false;
	}
#else
	(void)f;
	errno = ENOTSUP;
#endif
	return false;
}

/* Opens f's old file for comparing and, unless verifying, its temporary
 * file, and points its buffer at them. */
static void
begin_file(struct output_set *s, struct output_file *f)
{
	f->path = join_path(s->dir, f->name);
	f->old = fopen(f->path, "rb");
	if (!s->verify) {
		size_t n = strlen(f->path) + 32;
		int fd;
		f->tmp = xmalloc(n);
		snprintf(f->tmp, n, "%s.tmp.XXXXXX", f->path);
		/* unnamed where it can be, until the commit names it */
		fd = open_anonymous(s->dir);
		f->anonymous = fd >= 0;
		if (fd < 0 && (fd = mkstemp(f->tmp)) >= 0)
			named_tmp(f);
		if (fd < 0) {
			fail(f, f->path);
		} else if (!(f->tmp_file = fdopen(fd, "wb"))) {
			fail(f, f->path);
			close(fd);
			if (f->anonymous)
				held_anonymous--;
			discard_tmp(f);
		}
	}
	f->content.sink = file_sink;
	f->content.sink_ctx = f;
}

int
out_stream(struct output_set *s, const char *dir, bool verify, struct diag *d)
{
	struct stat st;
	s->streaming = true;
	s->verify = verify;
	s->dir = dir;
	s->d = d;
	/* a missing directory: every file would change, or is made */
	if (!verify && strcmp(dir, ".") != 0 && stat(dir, &st) != 0 && !make_dirs(dir, d))
		return 2;
	return 0;
}

static int end_file(struct output_set *s, struct output_file *f, struct diag *d);

/* Ends the last file added, keeping the set's status: 2 stops the run. */
static void
end_last(struct output_set *s)
{
	struct output_file *f;
	int r;
	if (!s->n_files || (f = s->files[s->n_files - 1])->ended)
		return;
	f->ended = true;
	if (s->status == 2) {
		close_file(f);
		return;
	}
	r = end_file(s, f, s->d);
	if (r > s->status)
		s->status = r;
}

struct outbuf *
out_add(struct output_set *s, const char *name)
{
	struct output_file *f = xcalloc(1, sizeof *f);
	f->tmp_slot = -1;
	if (s->streaming)
		end_last(s);
	f->name = xmalloc(strlen(name) + 1);
	strcpy(f->name, name);
	ob_init(&f->content);
	VEC_PUSH(s->files, s->n_files, s->cap_files) = f;
	if (s->streaming && s->status != 2)
		begin_file(s, f);
	return &f->content;
}

static int
by_name(const void *a, const void *b)
{
	return strcmp((*(const struct output_file *const *)a)->name,
		      (*(const struct output_file *const *)b)->name);
}

/* Ends one streamed file: 0 done, 1 out of date (verify), 2 failed
 * (reported). */
static int
end_file(struct output_set *s, struct output_file *f, struct diag *d)
{
	ob_flush(&f->content);
	if (f->old) {
		/* the old file is longer: it differs */
		if (!f->differs && fgetc(f->old) != EOF)
			f->differs = true;
		fclose(f->old);
		f->old = NULL;
	} else {
		f->differs = true;
	}
	if (s->verify) {
		if (!f->differs)
			return 0;
		fprintf(d->out, "chitin: '%s' is out of date\n", f->path);
		return 1;
	}
	if (!f->error && f->tmp_file) {
		if (fflush(f->tmp_file) != 0)
			fail(f, f->path);
		/* an unnamed one stays open: closing it would remove it */
		if (!f->anonymous && close_tmp_file(f) != 0)
			fail(f, f->path);
	}
	if (!f->error && f->differs) {
		if (!f->anonymous) {
			/* mkstemp makes the file 0600; outputs are ordinary files */
			mode_t mask = umask(0);
			umask(mask);
			chmod(f->tmp, 0666 & ~mask);
		}
		f->pending = true;      /* renamed when the whole set is written */
	}
	if (f->error) {
		errno = f->error;
		diag_plain(d, DIAG_ERROR, "cannot write '%s': %s", f->error_path == f->tmp ? f->path
			   : f->error_path, strerror(f->error));
		discard_tmp(f);
		return 2;
	}
	if (!f->differs)
		discard_tmp(f);
	return 0;
}

/* Puts every file written whole into place, once all of them are: when
 * one failed, none replaces its old file, so the set on disk is never a
 * mix of two runs (short of a rename failing after others succeeded). */
static void
finish_set(struct output_set *s)
{
	uint32_t i;
	struct stat st;
	/* what rename() would refuse for one file refuses the set, first */
	for (i = 0; i < s->n_files && s->status != 2; i++) {
		struct output_file *f = s->files[i];
		if (f->pending && stat(f->path, &st) == 0 && S_ISDIR(st.st_mode)) {
			diag_plain(s->d, DIAG_ERROR, "cannot write '%s': %s", f->path, strerror(EISDIR));
			s->status = 2;
		}
	}
	for (i = 0; i < s->n_files; i++) {
		struct output_file *f = s->files[i];
		if (!f->pending)
			continue;
		if (s->status != 2 && (!f->anonymous || name_anonymous(f)) &&
		    (!f->tmp_file || close_tmp_file(f) == 0) && rename(f->tmp, f->path) == 0) {
			untrack_tmp(f);
			f->tmp_named = false;
			f->pending = false;
			continue;
		}
		if (s->status != 2) {
			diag_plain(s->d, DIAG_ERROR, "cannot write '%s': %s", f->path, strerror(errno));
			s->status = 2;
		}
		discard_tmp(f);
	}
}

int
out_commit(struct output_set *s)
{
	end_last(s);
	finish_set(s);
	qsort(s->files, s->n_files, sizeof *s->files, by_name);
	return s->status;
}

int
out_write(struct output_set *s, const char *dir, bool verify, struct diag *d)
{
	uint32_t i;
	int status = out_stream(s, dir, verify, d);
	if (status)
		return status;
	qsort(s->files, s->n_files, sizeof *s->files, by_name);
	for (i = 0; i < s->n_files && s->status != 2; i++) {
		struct output_file *f = s->files[i];
		struct outbuf kept = f->content;
		/* the kept bytes go through the same sink, one file at a time */
		ob_init(&f->content);
		begin_file(s, f);
		ob_put(&f->content, kept.data, kept.len);
		ob_free(&kept);
		f->ended = true;
		status = end_file(s, f, d);
		if (status > s->status)
			s->status = status;
	}
	finish_set(s);
	qsort(s->files, s->n_files, sizeof *s->files, by_name);
	return s->status;
}
