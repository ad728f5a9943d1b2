/* benchrun: times a command on one input file and prints one line of
 * results, for the compiler's benchmarks.
 *
 * usage: benchrun FILE -- CMD [ARGS...]
 *
 * Runs CMD three times with stdout and stderr sent to /dev/null and prints
 *   FILE: SIZE bytes, BEST s, THROUGHPUT MB/s, peak RSS N MiB, exit STATUS
 * where BEST is the fastest wall time, THROUGHPUT is SIZE over BEST in
 * 10^6 bytes a second, and peak RSS is the largest of the three runs.  The
 * exit status is 0 when every run exited 0, and 1 otherwise. */
#define _DEFAULT_SOURCE
#define _POSIX_C_SOURCE 200809L

#include <errno.h>
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

#define RUNS 3

struct run {
	double seconds;
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
	out->max_rss_kib = usage.ru_maxrss;  /* KiB on Linux */
	out->status = status;
	return 0;
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
	struct run runs[RUNS];
	struct stat st;
	const char *file;
	double best;
	long max_rss_kib = 0;
	int i, worst_status = 0;

	if (argc < 4 || strcmp(argv[2], "--") != 0) {
		fprintf(stderr, "usage: benchrun FILE -- CMD [ARGS...]\n");
		return 2;
	}
	file = argv[1];
	if (stat(file, &st) != 0) {
		fprintf(stderr, "benchrun: %s: %s\n", file, strerror(errno));
		return 2;
	}

	for (i = 0; i < RUNS; i++) {
		if (run_once(argv + 3, &runs[i]) != 0)
			return 2;
	}

	best = runs[0].seconds;
	for (i = 0; i < RUNS; i++) {
		int code = shell_status(runs[i].status);
		if (runs[i].seconds < best)
			best = runs[i].seconds;
		if (runs[i].max_rss_kib > max_rss_kib)
			max_rss_kib = runs[i].max_rss_kib;
		if (code != 0 && worst_status == 0)
			worst_status = code;
	}

	printf("%s: %lld bytes, %.4f s, %.1f MB/s, peak RSS %.1f MiB, exit %d\n",
	       file, (long long)st.st_size, best,
	       best > 0 ? (double)st.st_size / 1e6 / best : 0.0,
	       (double)max_rss_kib / 1024.0, worst_status);
	if (fflush(stdout) != 0)
		return 2;
	return worst_status == 0 ? 0 : 1;
}
