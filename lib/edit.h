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
 * Reads path (as read_input() does) and runs check on it. The problems found name the file as
 * the user gave it ("<stdin>" for "-"), whatever name check gave them. Returns 0; -1 with
 * problems in ps (the document is not valid); or -1 with err_set() and ps empty (it could not
 * be read). *buf (malloc'd) holds what was read in every case but the last.
 */
int read_checked(const char *path, size_t max, edit_check_fn check, void *arg, char **buf,
    size_t *len, struct problems *ps);

/*
 * Lets the user edit text in $VISUAL, else $EDITOR, else vi, in a file of mode 0600 made in
 * dir (the store's git directory, so the content never leaves the store's protection). After
 * each save, check() runs; while it finds problems they are put at the top of the file as
 * comments and the editor opens again. The user gives up by saving an empty file, or by saving
 * without changing anything after problems were shown.
 * Returns 0 with the accepted text in *out (malloc'd), 1 when the user gave up (nothing to
 * store), or -1 with err_set(). When it returns 0 and tmppath is not NULL, the file is kept
 * and *tmppath is its path (malloc'd): the caller removes it once the change is stored, or
 * tells the user where their work is when it is not.
 */
int edit_loop(const char *dir, const char *label, const char *text, size_t len,
    edit_check_fn check, void *arg, char **out, size_t *outlen, char **tmppath);

#endif
