/*
 * overleg.h: a case's consultations (casusoverleg), planned and held (R5, R6, R7): which are
 * due when, and the agreements still open. overleg-schedule, overleg-record, plan-show and
 * release-check all count the same way through here.
 */
#ifndef CASUS_OVERLEG_H
#define CASUS_OVERLEG_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "doc.h"
#include "settings.h"
#include "store.h"

/* The consultations of one case (overleg/<DATE>.yaml), sorted by date. */
struct overlegs {
	struct doc **v;
	size_t n;
};

/* Reads and validates them through v. 0 or -1. */
int overlegs_read(const struct view *v, const char *case_id, struct overlegs *out);
void overlegs_free(struct overlegs *o);
/* The consultation on date, or NULL. */
const struct doc *overlegs_on(const struct overlegs *o, struct date d);
/* The last one held, or NULL. */
const struct doc *overlegs_last_held(const struct overlegs *o);
/* "cases/<xx>/<id>/overleg/<DATE>.yaml", malloc'd. */
char *overleg_path(const char *case_id, struct date d);

/* The date of the pre-leave consultation: leave eligibility minus the lead time. false if no leave date. */
bool overleg_pre_leave(const struct settings *cfg, const struct doc *plan, struct date *pre, struct date *leave);
/* The consultation held in the lead time before leave eligibility, or NULL (R6). */
const struct doc *overleg_pre_leave_held(const struct settings *cfg, const struct doc *plan,
    const struct overlegs *o);

struct due {
	struct date date;
	const char *kind;       /* "periodic" or "pre-leave" */
	const char *status;     /* "planned", "due" or "overdue" */
};

/*
 * The consultations of an open case that fall in [from, until], and those overdue on today
 * (always). Periodic ones follow the cadence from the last consultation held, or from the
 * detention start; when the next one is overdue, only it is given. The pre-leave one is due
 * lead time before leave eligibility, clamped to the month's end, until one is held. A
 * periodic one on the pre-leave date is the pre-leave one. Sorted by date. Returns the count
 * and a malloc'd *out.
 */
size_t overleg_due(const struct settings *cfg, const struct doc *plan, const struct overlegs *o,
    struct date today, struct date from, struct date until, struct due **out);

/* An agreement of a held consultation, named "<DATE>#<N>" (N counts from 1). */
struct agreement {
	char id[40];
	const struct doc *a;            /* text, owner, due */
	const struct doc *overleg;      /* where it was made */
	const char *closed;             /* "done", "dropped", or NULL while open */
};
/* Every agreement of the held consultations, with how later ones closed them. */
size_t overleg_agreements(const struct overlegs *o, struct agreement **out);

#endif
