/*
 * quote.h: the one place that decides how text leaving the program is quoted, for each
 * audience: a person at a terminal (data and messages), a script reading TSV, and git reading
 * a commit message and its trailers. Like git's quote.c: a new way out of the program adds a
 * function here rather than a loop where it is needed.
 */
#ifndef CASUS_QUOTE_H
#define CASUS_QUOTE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "mem.h"

/* --- for a person ------------------------------------------------------------------------- */

/*
 * Appends len bytes of s to b for a terminal: a code point utf8_unsafe() names (C0 and C1
 * controls, DEL, bidirectional controls, line and paragraph separators) is shown as \xNN below
 * U+0080 and as \uNNNN above (U+202E as \u202e), a byte that is not UTF-8 as \xNN. The ASCII
 * controls in keep (such as "\t\n") pass as they are; NUL never does. A backslash passes as it
 * is: a person reads "\x1b" in a message as text either way.
 */
void quote_text(struct buf *b, const char *s, size_t len, const char *keep);
/*
 * s whole, quoted by quote_text() with nothing kept (TAB and LF escaped too): for an ID, a
 * path or a name quoted inside a message, so it stays on one line and is never cut.
 * Never NULL; the caller frees.
 */
char *quote_text_str(const char *s);
/* Writes len bytes of s to f as quote_text() does, keeping TAB, and LF when keep_lf. */
void out_text(FILE *f, const char *s, size_t len, bool keep_lf);
/* Whether s is valid UTF-8 text with no control characters but TAB (and LF when allow_lf). */
bool text_ok(const char *s, size_t len, bool allow_lf);

/* --- for a script: TSV -------------------------------------------------------------------- */

/*
 * Appends len bytes of s to b as one TSV field: a backslash is doubled, then everything is
 * quoted as quote_text() does with nothing kept, so TAB, LF and CR become \x09, \x0a and \x0d
 * and can neither split a field nor a line. Because the backslash is doubled, a TAB (\x09) and
 * the typed text "\x09" (\\x09), or "\t" (\\t), never print alike.
 */
void quote_tsv(struct buf *b, const char *s, size_t len);
/* Writes len bytes of s to f as quote_tsv() does. */
void out_tsv(FILE *f, const char *s, size_t len);

/* --- for git: commit messages ------------------------------------------------------------- */

/*
 * s as one line of a commit message (the subject, a trailer's key or value): every C0 control
 * and DEL becomes a space. LF and CR above all: git splits a message into lines and a trailer
 * ends at a newline, so a value "x\nCase-Id: B-1" would be read as a trailer of its own; ESC
 * would drive the terminal of whoever runs git log. Never NULL; the caller frees.
 */
char *quote_line(const char *s);
/*
 * s as the body of a commit message: as quote_line() but LF and TAB are kept, and trailing
 * blank lines and spaces are dropped (they would part the trailers from nothing). Lines that
 * git would read as the end of the message ("---", a scissors line) are the caller's to
 * refuse: see casus_reason_check().
 * NULL when s is NULL or nothing is left; otherwise the caller frees.
 */
char *quote_body(const char *s);

#endif
