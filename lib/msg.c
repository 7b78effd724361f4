/* msg.c: the last error of the library, and the one form every message on stderr takes. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "msg.h"
#include "quote.h"

const char *progname = "casus";

/*
 * The last error, whole (a message that names many things is never cut); NULL when none.
 * Each thread's own: the index reads its history in a second thread (index.c, walker_run()).
 */
static _Thread_local char *lasterr;

/*
 * The new message is formatted before the old one is freed, so err_set("...: %s", err_last())
 * is safe. What stays the caller's to avoid is keeping err_last() across a call that may set a
 * new error: check(f() == -1, "%s", err_last()) may read err_last() before f() frees it, as
 * C leaves the order of evaluation of arguments open.
 */
void
err_vset(const char *fmt, va_list ap)
{
	char *s = xvasprintf(fmt, ap);

	free(lasterr);
	lasterr = s;
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
	return lasterr ? lasterr : "";
}

void
err_clear(void)
{
	free(lasterr);
	lasterr = NULL;
}

/*
 * Every message on stderr ends here, escaped as out_text() escapes data: a message quotes
 * values from options and files, and none of their control characters, bidirectional
 * controls or line separators may act on the terminal.
 */
void
msg_vprint(const char *fmt, va_list ap)
{
	char small[256], *s = small;
	va_list aq;
	int n;

	/*
	 * Formatted whole, however long. Only the message that says memory ran out (die() from
	 * oom()) cannot take memory: the small buffer is for it, and for short messages.
	 */
	va_copy(aq, ap);
	n = vsnprintf(small, sizeof small, fmt, aq);
	va_end(aq);
	if (n < 0) {
		n = 0;
		small[0] = '\0';
	}
	if ((size_t)n >= sizeof small && (s = malloc((size_t)n + 1)) != NULL)
		vsnprintf(s, (size_t)n + 1, fmt, ap);
	else
		s = small;
	fprintf(stderr, "%s: ", progname);
	out_text(stderr, s, strlen(s), false);
	fputc('\n', stderr);
	if (s != small)
		free(s);
}

static void
msg_print(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprint(fmt, ap);
	va_end(ap);
}

void
err_print(void)
{
	msg_print("%s", lasterr && lasterr[0] ? lasterr : "unknown error");
}

void
warnmsg(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprint(fmt, ap);
	va_end(ap);
}

void
die(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	msg_vprint(fmt, ap);
	va_end(ap);
	exit(EXIT_ERROR);
}
