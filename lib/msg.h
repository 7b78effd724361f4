/* msg.h: the program name, the last error, and messages on stderr. */
#ifndef CASUS_MSG_H
#define CASUS_MSG_H

#include <stdarg.h>

/* Exit statuses shared by every program. */
enum { EXIT_YES = 0, EXIT_NO = 1, EXIT_ERROR = 2 };

extern const char *progname;                  /* set once by cli_start() */

/*
 * Library functions that fail set the last error and return -1; the program then prints it
 * with err_print(). Text follows the house form: "cannot <verb> '<object>': <reason>".
 * The message is kept whole, however long. err_set() may quote err_last() in its arguments:
 * the new message is made before the old one is freed.
 */
void err_set(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
void err_vset(const char *fmt, va_list ap);
/*
 * The last error, "" when none was set. The pointer is valid until the next err_set() or
 * err_clear(): read it after the call that failed, never in the same expression (an argument
 * beside it is evaluated in an order C leaves open).
 */
const char *err_last(void);
void err_clear(void);

/*
 * The messages below are written "progname: <text>\n" on stderr, whole however long, the
 * text escaped as out_text() does (TAB kept): whatever a message quotes, nothing acts on a
 * terminal.
 */
void msg_vprint(const char *fmt, va_list ap);
/* "progname: <last error>\n" on stderr. */
void err_print(void);
/* "progname: <formatted>\n" on stderr. */
void warnmsg(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* warnmsg() then exit(EXIT_ERROR). */
_Noreturn void die(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

#endif
