/*
 * measure [-t SECONDS] FILE CMD [ARG...] [';;' CMD [ARG...]]...: runs the commands one after the other, as
 * bench/run's one timed step, and appends to FILE "MICROSECONDS KIB": the wall time of them all
 * together (fork and exec included, the same for casus and its peer) and the largest peak
 * resident set of any of them, from wait4()'s rusage of that very child (getrusage's
 * RUSAGE_CHILDREN would carry the peak of an earlier child along). Their output goes where
 * measure's goes. With -t, a command still running after SECONDS is ended by SIGALRM (an alarm
 * set before exec, which exec keeps) and the step counts as timed out: bench/run then reports
 * "more than SECONDS" rather than wait half an hour for one figure. Exits with the highest exit
 * status of the commands (the programs exit 1 to say "something found"; the caller decides what
 * is an error), 124 when one timed out, 125 when one cannot be started, 126 when one was killed
 * by another signal, 2 on misuse.
 *
 * A program of bench/run, built by it; not part of casus.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static long long
now_us(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (long long)t.tv_sec * 1000000 + t.tv_nsec / 1000;
}

/*
 * Runs argv, waits for it; its exit status, and its peak resident set in KiB in *kib. limit:
 * seconds it may run, 0 for no limit.
 */
static int
run(char **argv, unsigned limit, long *kib)
{
	struct rusage ru;
	int status;
	pid_t pid = fork();

	if (pid < 0) {
		fprintf(stderr, "measure: cannot fork: %s\n", strerror(errno));
		return 125;
	}
	if (pid == 0) {
		alarm(limit);
		execvp(argv[0], argv);
		fprintf(stderr, "measure: cannot run %s: %s\n", argv[0], strerror(errno));
		_exit(125);
	}
	while (wait4(pid, &status, 0, &ru) < 0)
		if (errno != EINTR) {
			fprintf(stderr, "measure: cannot wait: %s\n", strerror(errno));
			return 125;
		}
	*kib = ru.ru_maxrss;    /* Linux: kilobytes */
	if (WIFSIGNALED(status))
		return WTERMSIG(status) == SIGALRM ? 124 : 126;
	return WEXITSTATUS(status);
}

int
main(int argc, char **argv)
{
	long long t0, t1;
	long peak = 0, kib = 0;
	unsigned limit = 0;
	int worst = 0;
	FILE *out;

	if (argc > 2 && strcmp(argv[1], "-t") == 0) {
		limit = (unsigned)strtoul(argv[2], NULL, 10);
		argv += 2;
		argc -= 2;
	}
	if (argc < 3) {
		fputs("usage: measure [-t SECONDS] FILE CMD [ARG...] [';;' CMD [ARG...]]...\n", stderr);
		return 2;
	}
	t0 = now_us();
	for (int i = 2; i < argc;) {
		int j = i, r;

		while (j < argc && strcmp(argv[j], ";;") != 0)
			j++;
		argv[j] = NULL;    /* the end of this command (argv[argc] is NULL already) */
		if (j == i) {
			fputs("measure: an empty command\n", stderr);
			return 2;
		}
		r = run(argv + i, limit, &kib);
		if (kib > peak)
			peak = kib;
		if (r > worst)
			worst = r;
		if (r >= 124)
			break;
		i = j + 1;
	}
	t1 = now_us();
	if ((out = fopen(argv[1], "a")) == NULL || fprintf(out, "%lld %ld\n", t1 - t0, peak) < 0 ||
	    fclose(out) != 0) {
		fprintf(stderr, "measure: cannot write %s\n", argv[1]);
		return 2;
	}
	return worst;
}
