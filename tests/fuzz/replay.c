/*
 * replay: runs a fuzz target's LLVMFuzzerTestOneInput over every file of the folders given
 * (the committed seed corpus and regression inputs), without libFuzzer, so the normal and
 * the sanitizer builds check them. Each input runs in a child process: a property that
 * breaks, a sanitizer report or a leak fails that input alone, by name. Prints "not ok" per
 * failed input and ends with "N passed, M failed"; exit 1 if any failed.
 *
 *	replay-<target> DIR...      a folder that does not exist holds no inputs
 */
#include <dirent.h>
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "edit.h"
#include "fuzz.h"
#include "mem.h"
#include "msg.h"

static int
by_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The whole of a kept input, through the reader the programs use for --file. */
static char *
slurp(const char *path, size_t *len)
{
	char *buf;

	if (read_input(path, SIZE_MAX, &buf, len) < 0)
		die("%s", err_last());
	return buf;
}

/* 0 if the input kept every property. */
static int
run(const char *path)
{
	size_t len;
	char *data = slurp(path, &len);
	int status;
	pid_t pid;

	fflush(NULL);
	pid = fork();
	if (pid < 0)
		die("cannot fork: %s", strerror(errno));
	if (pid == 0) {
		LLVMFuzzerTestOneInput((const uint8_t *)data, len);
		free(data);
		exit(0);
	}
	free(data);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			die("cannot wait for '%s': %s", path, strerror(errno));
	if (WIFSIGNALED(status)) {
		printf("not ok %s: signal %d\n", path, WTERMSIG(status));
		return -1;
	}
	if (WEXITSTATUS(status) != 0) {
		printf("not ok %s: exit %d\n", path, WEXITSTATUS(status));
		return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	size_t pass = 0, fail = 0;

	progname = "replay";
	for (int a = 1; a < argc; a++) {
		DIR *dir = opendir(argv[a]);
		struct dirent *e;
		char **names = NULL;
		size_t n = 0, cap = 0;

		if (dir == NULL) {
			if (errno == ENOENT)
				continue;
			die("cannot open '%s': %s", argv[a], strerror(errno));
		}
		while ((e = readdir(dir)) != NULL) {
			if (e->d_name[0] == '.')
				continue;
			xgrow((void **)&names, &cap, n + 1, sizeof *names);
			names[n++] = xasprintf("%s/%s", argv[a], e->d_name);
		}
		closedir(dir);
		qsort(names, n, sizeof *names, by_name);
		for (size_t i = 0; i < n; i++) {
			if (run(names[i]) == 0)
				pass++;
			else
				fail++;
			free(names[i]);
		}
		free(names);
	}
	printf("%zu passed, %zu failed\n", pass, fail);
	return fail > 0;
}
