/* plan.h: a case's detention plan (plan.yaml; R1, R2, R3, R9). */
#ifndef CASUS_PLAN_H
#define CASUS_PLAN_H

#include "doc.h"
#include "problem.h"
#include "settings.h"
#include "store.h"

/* Reads and validates a case's plan through v. NULL with err_set() ("cannot find case ..."). */
struct doc *plan_read(const struct view *v, const char *id);

/*
 * Checks what a schema cannot: that a plan's team and owners name known partners and registered
 * members of the right partner, that its dates are in order, and that its case ID is id.
 */
void plan_check(const struct settings *cfg, const struct doc *plan, const char *id,
    const char *file, struct problems *ps);

/*
 * Validates a case's document of a kind ("plan" or "reintegration": schema and cross-checks)
 * and stages its canonical bytes at the case's "<kind>.yaml". 0 or -1 (err_set).
 */
int txn_put_case_doc(struct txn *t, const struct settings *cfg, struct doc *d, const char *id,
    const char *kind);

#endif
