/*
 * validate.h: the check of what a store holds, file by file: what case-validate reports, what
 * a settings change must keep passing, and what the pre-receive guard will refuse. Each
 * document's own rules are its kind's check function (plan_check(), reintegration_check(),
 * consent_check(), overleg_check(), settings_check()); this module finds the files, reads each
 * with its schema, adds the rules of the store's layout, and calls those functions. Problems
 * are content; only a failure to read the store at all is an error.
 */
#ifndef CASUS_VALIDATE_H
#define CASUS_VALIDATE_H

#include <stddef.h>

#include "problem.h"
#include "settings.h"
#include "store.h"

struct records;

/*
 * What store_validate() and case_validate() hand on of each case they checked that lies where
 * its ID says, so that a further check (case-validate's of sealed parts) reads nothing again:
 * its ID and its consent records, or rs NULL when an entry of its consent/ folder could not be
 * read as records_read() reads them (a problem told already). Both are borrowed for the call.
 * Returns 0, or -1 with err_set() to stop the check.
 */
typedef int (*case_checked_fn)(void *arg, const char *id, const struct records *rs);

/*
 * Checks every entry of the store at v: the top, the fan-out folders, and each case where it
 * lies. cfg is the settings as settings_read(v, ps) gave them, or NULL when they are not valid
 * (the checks that need them are then left out). Appends the problems to ps. Calls fn (unless
 * NULL) with arg after each case checked, in the order of their folders. Returns 0, or -1
 * with err_set() when the store cannot be read or fn returned -1.
 */
int store_validate(const struct view *v, const struct settings *cfg, struct problems *ps,
    case_checked_fn fn, void *arg);
/*
 * The same for case id alone. -1 with err_set("cannot find case ...") when it has no folder.
 */
int case_validate(const struct view *v, const struct settings *cfg, const char *id,
    struct problems *ps, case_checked_fn fn, void *arg);

/*
 * The same checks for what one change touched: paths are the files that differ between the
 * change's parent and v (a tree diff's, added, changed or removed). Each entry at the top of
 * the store, fan-out folder and case folder that holds one of them and is still in v is checked
 * as store_validate() checks it, each once; the rest of the store is not read. casus.yaml is
 * the caller's to check (settings_read(), settings_check()). Returns 0, or -1 with err_set().
 */
int change_validate(const struct view *v, const struct settings *cfg, const char *const *paths,
    size_t n, struct problems *ps);

/* The valid documents of one case, read once so that they can be checked with several settings. */
struct case_files;
/*
 * Reads the case id whose folder dir (as found in the store, which may not be where id belongs)
 * lists names: each file with its schema and the rules of the layout (names, case IDs) that
 * need no settings, their problems appended to ps. Returns the documents that passed their
 * schema (free with case_files_free()), or NULL with err_set() when the store cannot be read.
 */
struct case_files *case_files_read(const struct view *v, const char *dir, const char *id,
    char **names, size_t n, struct problems *ps);
/* Runs each document's check function with the settings cfg. */
void case_files_check(const struct case_files *cf, const struct settings *cfg, struct problems *ps);
void case_files_free(struct case_files *cf);

#endif
