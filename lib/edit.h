/* edit.h: reading a replacement document from a file or stdin, and the editor loop. */
#ifndef CASUS_EDIT_H
#define CASUS_EDIT_H

#include <stddef.h>

#include "problem.h"

/*
 * Reads all of path ("-" for stdin), refusing more than max bytes without reading on. Returns 0
 * with a malloc'd NUL-terminated *buf, or -1 with err_set().
 */
int read_input(const char *path, size_t max, char **buf, size_t *len);

/*
 * Checks a candidate document: returns 0 if it may be stored, or appends problems to ps (their
 * file is ignored; lines refer to the candidate).
 */
typedef int (*edit_check_fn)(const char *buf, size_t len, struct problems *ps, void *arg);

/*
 * Lets the user edit text in $VISUAL, else $EDITOR, else vi, in a file of mode 0600 made in
 * dir (the store's git directory, so the content never leaves the store's protection). After
 * each save, check() runs; while it finds problems they are put at the top of the file as
 * comments and the editor opens again. The user gives up by saving an empty file, or by saving
 * without changing anything after problems were shown.
 * Returns 0 with the accepted text in *out (malloc'd), 1 when the user gave up (nothing to
 * store), or -1 with err_set(). *tmppath gets the file's path (malloc'd) when the caller must
 * keep it (see edit_done()).
 */
int edit_loop(const char *dir, const char *label, const char *text, size_t len,
    edit_check_fn check, void *arg, char **out, size_t *outlen, char **tmppath);

#endif
