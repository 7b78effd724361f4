/*
 * tap.h: what unit tests share: TAP lines ("ok N - ...", "not ok N - ..." with casus's last
 * error), and, for those that drive the git command, running a shell command for its status or
 * its first line of output. Functions are static inline so each test program takes what it uses;
 * the counts are the program's own, for its "N passed, M failed" line.
 */
#ifndef CASUS_TESTS_TAP_H
#define CASUS_TESTS_TAP_H

#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "mem.h"
#include "msg.h"

static int npass, nfail;

static inline void
check(bool cond, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static inline void
check(bool cond, const char *fmt, ...)
{
	va_list ap;

	printf("%s %d - ", cond ? "ok" : "not ok", npass + nfail + 1);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
	if (!cond && err_last()[0] != '\0')
		printf("#   last error: %s\n", err_last());
	fflush(stdout);
	if (cond)
		npass++;
	else
		nfail++;
}

/* The first line of a shell command's output, without its newline ("" if none). */
static inline char *
sh_out(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline char *
sh_out(const char *fmt, ...)
{
	char line[4096] = "";
	char *cmd;
	va_list ap;
	FILE *p;

	va_start(ap, fmt);
	cmd = xmalloc(8192);
	vsnprintf(cmd, 8192, fmt, ap);
	va_end(ap);
	fflush(stdout);
	p = popen(cmd, "r");
	free(cmd);
	if (p == NULL)
		return xstrdup("");
	if (fgets(line, sizeof line, p) == NULL)
		line[0] = '\0';
	pclose(p);
	line[strcspn(line, "\n")] = '\0';
	return xstrdup(line);
}

/* The exit status of a shell command. */
static inline int
sh(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static inline int
sh(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	int st;

	va_start(ap, fmt);
	vsnprintf(cmd, sizeof cmd, fmt, ap);
	va_end(ap);
	fflush(stdout);
	st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

#endif
