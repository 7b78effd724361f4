/*
 * authority.h: who may change what (R2, R10): the one judge of whether a change of the store's
 * files is within its author's authority. It is the table of casus(7), section AUTHORITY, one
 * function per row in authority.c. Every writer is judged by it in casus_change() (change.c),
 * after its change is staged and before the commit; the guard of a central store
 * (case-validate --pre-receive) judges each pushed commit by it, against its parent.
 */
#ifndef CASUS_AUTHORITY_H
#define CASUS_AUTHORITY_H

#include <stddef.h>

#include "problem.h"
#include "settings.h"
#include "store.h"

/*
 * Judges the change from before to after of the files at paths, made by author.
 *
 * Why this shape: the writer and the guard know the change differently. A writer has a txn
 * (a tip and staged writes), the guard two commits and a tree diff; both can give two views
 * and a list of paths, so the judge reads nothing else and both are judged alike.
 * - before, cfg_before: the store before the change and its decoded settings. Authority is
 *   judged by the settings before the change, never by the ones it makes, so a change cannot
 *   grant itself the right to be made (name its author administrator, register its author
 *   with another partner). Both NULL: the store's first commit, which whoever makes the store
 *   writes whole (case-init), so nothing is refused.
 * - after: the store with the change.
 * - paths: the files that may differ (a tree diff's, or txn_staged_paths()). Each is read in
 *   both views; a path with the same bytes in both is no change, so a writer may list every
 *   path it staged.
 * - author: the member who makes the change as cfg_before registers them (settings_member());
 *   NULL (not registered) or an inactive member may change nothing.
 * Appends one problem per rule broken to ps, with file the path, line 0, path NULL, and a
 * message that names the part, the rule and who may make the change, such as
 * "domains.psychosocial is changed only by its owner, welzijn (propose it at the case
 * consultation)". Returns 0 when the change is within the author's authority, 1 when it is
 * not (problems in ps), or -1 with err_set() when a view cannot be read.
 */
int authority_check(const struct view *before, const struct settings *cfg_before,
    const struct view *after, const char *const *paths, size_t npaths,
    const struct member *author, struct problems *ps);

/*
 * For writers, called by casus_change() once the change function staged its writes: judges
 * t's staged change against t's tip (txn_base_view()), by t's author as cfg, the settings at
 * that tip, registers them. Returns 0; STORE_REFUSED with err_set("cannot change '<case ID,
 * or the file>': <the first problem>", and "(and N more)" when there are more); or -1.
 */
int authority_txn(struct txn *t, const struct settings *cfg);

#endif
