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
 * Lets the user edit text in $VISUAL, else $EDITOR, else vi, in a file of mode 0600 in a folder
 * of the user's own: "casus-UID" in $XDG_RUNTIME_DIR, else $TMPDIR, else /tmp. The folder must
 * be a folder (not a link), owned by the user, mode 0700, and every folder above it the
 * system's or the user's and not writable by others unless sticky; otherwise nothing is made
 * and -1 is returned. The file is made with O_CREAT | O_EXCL | O_NOFOLLOW, made anew for each
 * round and read back with O_NOFOLLOW. After each save, check() runs; while it finds problems
 * they are put at the top of the file as comments and the editor opens again, at most 5 times
 * in all. The user gives up, as with an empty message to git commit, by saving the file empty
 * (or with only the problem notes left), or by saving it as it was shown, the first time or
 * after problems.
 * Returns 0 with the accepted text in *out (malloc'd), EDIT_EMPTY or EDIT_UNCHANGED when the
 * user gave up (nothing to store; see edit_aborted()), or -1 with err_set(); after the fifth
 * save that is not valid, -1 with the file kept
 * and its path in the message. When it returns 0 and tmppath is not NULL, the file is kept
 * and *tmppath is its path (malloc'd): the caller removes it once the change is stored, or
 * tells the user where their work is when it is not. Otherwise the file is removed, also when
 * SIGHUP, SIGINT or SIGTERM ends the program while edit_loop() runs (their handlers are the
 * caller's again when it returns); while the editor runs, SIGINT and SIGQUIT are the editor's.
 */
int edit_loop(const char *label, const char *text, size_t len, edit_check_fn check, void *arg,
    char **out, size_t *outlen, char **tmppath);

/* How the user gave up in the editor: edit_loop()'s returns other than 0 and -1. */
enum { EDIT_EMPTY = 1, EDIT_UNCHANGED = 2 };

/*
 * Why an edit that r (EDIT_EMPTY or EDIT_UNCHANGED) ended stores nothing, for the caller's
 * "cannot <verb> '<object>': <why>, nothing stored": "the file was left empty" or "the file
 * was saved unchanged". Every program that opens an editor says it so, stores nothing and
 * exits 1. A static string.
 */
const char *edit_aborted(int r);

#endif
