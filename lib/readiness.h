/*
 * readiness.h: is a case ready for penitentiary leave or for release? Named checks, each from
 * a rule of the paper, computed the same way for one case and for all (release-check).
 */
#ifndef CASUS_READINESS_H
#define CASUS_READINESS_H

#include <stdbool.h>
#include <stddef.h>

#include "consent.h"
#include "date.h"
#include "doc.h"
#include "overleg.h"
#include "plan.h"
#include "case.h"
#include "settings.h"
#include "store.h"

enum milestone { FOR_LEAVE, FOR_RELEASE };

struct check {
	const char *name;               /* "plan-complete" ... */
	const char *rule;               /* "R3" ... */
	bool passed;
	char *reason;                   /* what holds, or what is missing; whole, never cut */
	char *todo;                     /* what to do about it; NULL when passed */
};

#define READINESS_MAX 12

/*
 * Runs the checks for the milestone on date; returns how many were run (in out). Their
 * reasons and to-dos are malloc'd: free them with checks_free().
 */
size_t readiness(const struct settings *cfg, const struct case_data *cd, enum milestone m,
    struct date on, struct check out[READINESS_MAX]);
void checks_free(struct check *c, size_t n);

/* The milestone's date in the plan (leave_eligible or release_eligible); false if none. */
bool milestone_date(const struct plan *plan, enum milestone m, struct date *out);

#endif
