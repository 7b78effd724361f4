/*
 * guard.h: the guard of a central store, what `case-validate --pre-receive` runs as git's
 * pre-receive hook: it judges each ref update of a push, and each commit the push brings, by
 * the same rules every casus writer keeps, so that what is refused on writing is refused on
 * arrival (R2, R10). It reads the store; it never writes.
 */
#ifndef CASUS_GUARD_H
#define CASUS_GUARD_H

#include "problem.h"
#include "store.h"

struct guard;

/*
 * Opens the guard on the store s, whose git directory is gitdir. quarantine: the object
 * directory where git keeps the pushed objects until the hook accepts them
 * ($GIT_QUARANTINE_PATH), or NULL when they are in the store already; it is added to s
 * (store_add_objects()) and to the guard's own reading of history. Returns 0 and *out (free
 * with guard_close()), or -1 with err_set().
 */
int guard_open(struct guard **out, struct store *s, const char *gitdir, const char *quarantine);
void guard_close(struct guard *g);          /* NULL is allowed */

/*
 * Judges the update of ref from old to new (40 hex digits each, all zeros for none), one line
 * of a pre-receive hook's input. It refuses any ref but refs/heads/main, the deletion of main,
 * an update that is not a fast-forward, and, of each commit the update brings (oldest first):
 * a merge; a signature that commit_verify() does not accept by the settings at its parent (for
 * the store's first commit, its own), or a member who was not active there
 * (member_may_write()); a change outside its author's authority (authority_check(), by the settings at the parent); and a
 * file that the commit changed and that fails the checks case-validate makes
 * (settings_read(), settings_check(), settings_history_check() on the commit's date,
 * change_validate()). Each refusal is appended to ps with file "commit <7 hex digits>" (and
 * the store's file where there is one: "commit 1a2b3c4: cases/3f/B-2026-017/plan.yaml") or the
 * ref's name, never the content of a file. Returns 0 (the update was judged; ps tells), or
 * -1 with err_set() when the store cannot be read.
 */
int guard_update(struct guard *g, const char *old, const char *new, const char *ref,
    struct problems *ps);

/*
 * Installs the guard as the pre-receive hook of s (store_hook_install()): a shell script that
 * runs case-validate --pre-receive. It names the case-validate installed beside the running
 * program by its absolute path, since git runs a hook with the environment of whoever pushes,
 * whose PATH (an ssh command, git-shell, a web front end) need not hold casus's programs; when
 * there is none beside it, the script finds case-validate through PATH. Returns 0 and *path
 * (malloc'd: the hook's file), or -1 with err_set().
 */
int guard_install(struct store *s, char **path);

#endif
