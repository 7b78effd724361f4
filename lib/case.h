/*
 * case.h: one case as a whole: everything of it that the rules read, and the settings
 * changes that must keep every stored case passing its checks.
 */
#ifndef CASUS_CASE_H
#define CASUS_CASE_H

#include "consent.h"
#include "doc.h"
#include "overleg.h"
#include "plan.h"
#include "problem.h"
#include "reintegration.h"
#include "settings.h"
#include "store.h"

/* Everything of one case the rules read. */
struct case_data {
	char *id;
	struct plan *plan;
	struct reintegration *reint;    /* the reintegration plan, or NULL if there is none */
	struct overlegs o;
	struct records rs;
};

/* Reads a case through v. 0, or -1 with err_set(). Free with case_data_free(). */
int case_data_read(const struct view *v, const char *id, struct case_data *cd);
void case_data_free(struct case_data *cd);

/*
 * The one way new settings are written. Checks cfg with the schema and settings_check(); then,
 * with old the settings it replaces (NULL for a new store), settings_history_check() on today
 * (date_today(): CASUS_TODAY or the clock), and every case staged in t that
 * passes the cross-checks that read the settings (plan_check(), reintegration_check(),
 * consent_check(), overleg_check()) with old, and refuses cfg if any such case fails them with cfg. Then stages
 * the canonical bytes of cfg at casus.yaml. cfg stays the caller's.
 * Returns 0; STORE_REFUSED with err_set("cannot <what>: ...") and the problems appended to ps
 * (for broken cases: those of the first few, then a count of the rest); or -1 with err_set().
 */
int casus_put_config(struct txn *t, const struct settings *old, const struct doc *cfg,
    const char *what, struct problems *ps);

#endif
