/*
 * history.h: what the history of a store's branch shows and its tip cannot: consent and
 * legal-basis records, and held consultations, that were changed or removed after they were
 * stored. Records are append-only (casus-consent(5)) and a consultation's minutes are fixed
 * once held (casus-overleg(5)); a change made with plain git leaves no trace at the tip.
 */
#ifndef CASUS_HISTORY_H
#define CASUS_HISTORY_H

#include <stdbool.h>

/*
 * Called once per record or held consultation changed or removed by a commit: commit is its
 * ID (40 hex digits), what is "record" or "consultation", case_id and name the names of the
 * case folder and of the file without ".yaml", as found in the tree (not checked: they may
 * hold anything git allows).
 */
typedef void (*history_fn)(const char *commit, const char *case_id, const char *what,
    const char *name, bool removed, void *arg);

/*
 * Walks every commit reachable from refs/heads/main of the git directory gitdir, merges and
 * the commits they bring in included, oldest first, and compares its tree with the tree of each
 * of its parents: every file cases/<fan-out>/<case>/consent/<record>.yaml of a parent, and every
 * cases/<fan-out>/<case>/overleg/<date>.yaml of a parent that was a held consultation, that the
 * commit lacks or holds with other content is reported to fn. A record removed and later added
 * back is reported twice, once for each change. Returns the number reported, or -1 with
 * err_set().
 */
long history_records_check(const char *gitdir, history_fn fn, void *arg);

#endif
