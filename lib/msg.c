/* msg.c: the last error of the library, and the one form every message on stderr takes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "msg.h"

const char *progname = "casus";

static char lasterr[1024];

void
err_vset(const char *fmt, va_list ap)
{
	vsnprintf(lasterr, sizeof lasterr, fmt, ap);
}

void
err_set(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	err_vset(fmt, ap);
	va_end(ap);
}

const char *
err_last(void)
{
	return lasterr;
}

void
err_clear(void)
{
	lasterr[0] = '\0';
}

void
err_print(void)
{
	fprintf(stderr, "%s: %s\n", progname, lasterr[0] ? lasterr : "unknown error");
}

void
warnmsg(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "%s: ", progname);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	exit(EXIT_ERROR);
}
