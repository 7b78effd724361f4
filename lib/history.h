/*
 * history.h: what the history of a store's branch shows and its tip cannot: consent and
 * legal-basis records, and held consultations, that were changed or removed after they were
 * stored, and members put on a case's team after they had left. Records are append-only
 * (casus-consent(5)), a consultation's minutes are fixed once held (casus-overleg(5)), and
 * plan-new and plan-edit refuse a member who left; a commit made with plain git leaves no
 * trace of any at the tip.
 */
#ifndef CASUS_HISTORY_H
#define CASUS_HISTORY_H

#include <stdbool.h>

#include "verify.h"

/*
 * Called once per finding: commit is the commit's ID (40 hex digits), case_id the name of the
 * case folder as found in the tree (not checked: it may hold anything git allows), finding
 * what the commit did, never content: "record c-20260201-6e198b was removed", "consultation
 * 2026-02-20 was changed", "team member 'dan@brugge.example' is no longer active". case_id is
 * NULL for a finding about the commit as a whole: why its signature does not verify
 * (commit_verify()'s reason, "it is not signed").
 */
typedef void (*history_fn)(const char *commit, const char *case_id, const char *finding,
    void *arg);

/*
 * Walks every commit reachable from refs/heads/main of the git directory gitdir, merges and
 * the commits they bring in included, oldest first, and compares its tree with the tree of each
 * of its parents: every file cases/<fan-out>/<case>/consent/<record>.yaml of a parent, and every
 * cases/<fan-out>/<case>/overleg/<date>.yaml of a parent that was a held consultation, that the
 * commit lacks or holds with other content is reported to fn (but a correction: still held,
 * with the same recorded_by, and that the commit's author address); and so is every plan the commit
 * adds or changes whose team gains a member no longer active by the parent's settings
 * (plan_team_inactive()). A record removed and later added
 * back is reported twice, once for each change. Each commit's signature is judged by
 * commit_verify() with the settings of its first parent (the store's first commit: its own)
 * when those register any key (settings_has_keys(): the commits of a store from before keys
 * could not be signed), and each that fails is reported.
 * Returns the number reported, or -1 with err_set().
 */
long history_records_check(const char *gitdir, history_fn fn, void *arg);

/* history_commit_signature(): the settings that judge the commit register no key. */
enum { HISTORY_BEFORE_KEYS = 2 };

/*
 * A handle on the store at gitdir for judging many commits' signatures: one repository, and
 * each version of the settings parsed once. Returns 0 with *out (free with history_close()), or
 * -1 with err_set().
 */
struct history;
int history_open(const char *gitdir, struct history **out);
void history_close(struct history *h);                  /* NULL is allowed */

/*
 * The signature of commit (40 hex digits) of h's store, judged as history_records_check()
 * judges every commit: commit_verify() with the settings of its first parent (the store's
 * first commit: its own) when those register any key. Returns VERIFY_GOOD with *partner, the
 * partner of the member who signed it (malloc'd); VERIFY_BAD with *why, commit_verify()'s
 * reason (malloc'd); HISTORY_BEFORE_KEYS when those settings register no key or cannot be
 * read (a store from before keys: its commits could not be signed); or -1 with err_set() when
 * the commit cannot be read. *partner and *why are NULL unless set.
 */
int history_commit_signature(struct history *h, const char *commit, char **partner, char **why);

#endif
