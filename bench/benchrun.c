/* benchrun: times a command on one input file and prints one line of
 * results, for the compiler's benchmarks.
 *
 * usage: benchrun [-n RUNS] [-t SECONDS] [-e DIR] [-x STATUS] FILE -- CMD [ARGS...]
 *
 * Runs CMD up to RUNS times (3 unless told), with stdout and stderr sent to
 * /dev/null, and prints
 *   FILE: SIZE bytes, BEST s, THROUGHPUT MB/s, cpu C s, peak RSS N MiB, runs R, exit STATUS
 * where BEST is the fastest wall time, THROUGHPUT is SIZE over BEST in
 * 10^6 bytes a second, C the least CPU time (user + system, the command's
 * children included) of a run, peak RSS the largest of the runs (of the
 * command or of any child it waited for), and R the number of runs made.
 * It stops repeating once the runs so far took SECONDS of wall time in all
 * (30 unless told), so a command of a minute runs once, and after a run
 * that fails.  With -e, every file in DIR is removed before each run (the
 * removal is not timed), so a command that writes there starts afresh each
 * time.  A run succeeds when it exits with STATUS (0 unless told: -x 1
 * times a command that is meant to refuse its input); the line's exit is
 * STATUS when every run succeeded, else the first other status.  The exit
 * status is 0 when every run succeeded, 1 otherwise and 2 on bad usage or
 * when the command cannot be run. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L

#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#define MAX_RUNS 100

struct run {
	double seconds;
	double cpu_seconds;  /* user + system */
	long max_rss_kib;
	int status;  /* as wait4 gives it */
};

static double
now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Runs argv once; returns 0 and fills *out, or -1 if it could not be run. */
static int
run_once(char **argv, struct run *out)
{
	struct rusage usage;
	double start;
	pid_t pid, got;
	int status;

	start = now();
	pid = fork();
	if (pid < 0) {
		fprintf(stderr, "benchrun: fork: %s\n", strerror(errno));
		return -1;
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);
		if (null < 0 || dup2(null, STDOUT_FILENO) < 0 ||
		    dup2(null, STDERR_FILENO) < 0)
			_exit(126);
		if (null > STDERR_FILENO)
			close(null);
		execvp(argv[0], argv);
		_exit(127);
	}
	do
		got = wait4(pid, &status, 0, &usage);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		fprintf(stderr, "benchrun: wait4: %s\n", strerror(errno));
		return -1;
	}
	out->seconds = now() - start;
	out->cpu_seconds = (double)usage.ru_utime.tv_sec +
	                   (double)usage.ru_utime.tv_usec / 1e6 +
	                   (double)usage.ru_stime.tv_sec +
	                   (double)usage.ru_stime.tv_usec / 1e6;
	out->max_rss_kib = usage.ru_maxrss;  /* KiB on Linux */
	out->status = status;
	return 0;
}

/* Removes every entry of dir but . and .. (files: the command's outputs);
 * returns 0, or -1 with a message. */
static int
empty_dir(const char *dir)
{
	char path[4096];
	struct dirent *e;
	DIR *d = opendir(dir);

	if (!d) {
		fprintf(stderr, "benchrun: %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((e = readdir(d)) != NULL) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if ((size_t)snprintf(path, sizeof path, "%s/%s", dir, e->d_name) >=
		        sizeof path ||
		    unlink(path) != 0) {
			fprintf(stderr, "benchrun: cannot remove %s/%s: %s\n", dir,
			        e->d_name, strerror(errno));
			closedir(d);
			return -1;
		}
	}
	closedir(d);
	return 0;
}

/* A whole number or a number of seconds from an option's argument. */
static double
number(const char *arg, double max)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(arg, &end);
	if (errno || end == arg || *end || !(v >= 0) || v > max) {
		fprintf(stderr, "benchrun: bad number '%s'\n", arg);
		exit(2);
	}
	return v;
}

static void
usage(void)
{
	fprintf(stderr, "usage: benchrun [-n RUNS] [-t SECONDS] [-e DIR] [-x STATUS] FILE -- CMD [ARGS...]\n");
	exit(2);
}

/* The status as the shell would report it: the exit code, or 128 + the
 * signal that ended the process. */
static int
shell_status(int status)
{
	if (WIFEXITED(status))
		return WEXITSTATUS(status);
	if (WIFSIGNALED(status))
		return 128 + WTERMSIG(status);
	return 255;
}

int
main(int argc, char **argv)
{
	struct run runs[MAX_RUNS];
	struct stat st;
	const char *file, *empty = NULL;
	double best, best_cpu, budget = 30, spent = 0;
	long max_rss_kib = 0;
	int i, n_runs = 3, done, arg = 1, expected = 0, worst_status;

	while (arg < argc && argv[arg][0] == '-' && strcmp(argv[arg], "--") != 0) {
		if (arg + 1 >= argc)
			usage();
		if (strcmp(argv[arg], "-n") == 0) {
			double v = number(argv[arg + 1], MAX_RUNS);
			n_runs = (int)v;
			if (n_runs != v)
				usage();
		}
		else if (strcmp(argv[arg], "-t") == 0)
			budget = number(argv[arg + 1], 1e9);
		else if (strcmp(argv[arg], "-e") == 0)
			empty = argv[arg + 1];
		else if (strcmp(argv[arg], "-x") == 0) {
			double v = number(argv[arg + 1], 255);
			expected = (int)v;
			if (expected != v)
				usage();
		}
		else
			usage();
		arg += 2;
	}
	if (argc - arg < 3 || strcmp(argv[arg + 1], "--") != 0 || n_runs < 1)
		usage();
	file = argv[arg];
	if (stat(file, &st) != 0) {
		fprintf(stderr, "benchrun: %s: %s\n", file, strerror(errno));
		return 2;
	}

	for (done = 0; done < n_runs; ) {
		if (empty && empty_dir(empty) != 0)
			return 2;
		if (run_once(argv + arg + 2, &runs[done]) != 0)
			return 2;
		spent += runs[done].seconds;
		done++;
		if (spent >= budget || shell_status(runs[done - 1].status) != expected)
			break;
	}

	worst_status = expected;
	best = runs[0].seconds;
	best_cpu = runs[0].cpu_seconds;
	for (i = 0; i < done; i++) {
		int code = shell_status(runs[i].status);
		if (runs[i].seconds < best)
			best = runs[i].seconds;
		if (runs[i].cpu_seconds < best_cpu)
			best_cpu = runs[i].cpu_seconds;
		if (runs[i].max_rss_kib > max_rss_kib)
			max_rss_kib = runs[i].max_rss_kib;
		if (code != expected && worst_status == expected)
			worst_status = code;
	}

	printf("%s: %lld bytes, %.4f s, %.1f MB/s, cpu %.4f s, peak RSS %.1f MiB, runs %d, exit %d\n",
	       file, (long long)st.st_size, best,
	       best > 0 ? (double)st.st_size / 1e6 / best : 0.0, best_cpu,
	       (double)max_rss_kib / 1024.0, done, worst_status);
	if (fflush(stdout) != 0)
		return 2;
	return worst_status == expected ? 0 : 1;
}
