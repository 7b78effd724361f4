/*
 * overleg.h: a case's consultations (casusoverleg, overleg/<DATE>.yaml), planned and held (R5,
 * R6, R7, R9): decoded once after schema validation, checked by one function for what the
 * schemas cannot say, and counted the same way by overleg-schedule, overleg-record, plan-show
 * and release-check: which are due when, and the agreements still open. doc_get() on a
 * consultation stays in overleg.c.
 */
#ifndef CASUS_OVERLEG_H
#define CASUS_OVERLEG_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "doc.h"
#include "problem.h"
#include "plan.h"
#include "settings.h"
#include "store.h"
#include "vocab.h"

struct case_data;

/*
 * The parts of a consultation. Strings point into the consultation's tree; each item keeps the
 * lines a check reports at (those of the item, and of the named partner when it has one).
 */
struct overleg_present {
	const char *partner, *member;
	int line, partner_line;
};

/* A partner of the case's team that could not come (R5), and why. */
struct overleg_absent {
	const char *partner;
	const char *reason;             /* NULL in the form before issue 10: a bare partner */
	int line;
};

/* Who took part without being on the case's team (R9): a name and an organisation, no address. */
struct overleg_guest {
	const char *name, *organisation;
	int line;
};

struct overleg_agreement {
	const char *text, *owner;
	struct date due;                /* {0} when the agreement has no due date */
	const struct doc *node;         /* the item, for display code that emits it whole */
	int line, owner_line;
};

/* An earlier agreement closed, by its ID "<DATE>#<N>" (made on DATE, the Nth of its minutes). */
struct overleg_close {
	const char *agreement;          /* the ID as written */
	struct date made;               /* {0} when the ID names no real date */
	size_t n;                       /* N, from 1 */
	enum closing status;
	int line;
};

struct overleg_dissent {
	const char *partner, *point;
	int line, partner_line;
};

/*
 * A decision (R7): whether it was taken in consensus, and any dissent. Minutes before issue 10
 * have one decision for the whole meeting ("decision", with an optional note): it decodes as
 * the only one, with path "decision" instead of "decisions[N]".
 */
struct overleg_decision {
	const char *text;               /* the decision, or the old form's note; NULL when none */
	bool consensus;
	struct overleg_dissent *dissent;
	size_t ndissent;
	char *path;                     /* "decisions[0]" or "decision", for messages; owned */
	int line;
};

struct overleg_to {
	const char *partner;
	const char *covered_by;         /* the record that allowed it, "own", or NULL when not stored */
	int line;
};

/* Information of a category shared by a partner with others in the consultation (R10, R11). */
struct overleg_share {
	const char *category, *from;
	struct overleg_to *to;
	size_t nto;
	bool covered;                   /* covered_by is there (a stored consultation), not minutes */
	int line, category_line, from_line, covered_line;
};

struct overleg {
	struct doc *doc;                /* the tree, owned */
	const char *case_id;
	struct date date;
	enum overleg_kind kind;
	enum overleg_status status;
	struct overleg_present *present;
	size_t npresent;
	struct overleg_guest *guests;
	size_t nguests;
	struct overleg_absent *absent;
	size_t nabsent;
	struct overleg_agreement *agreements;
	size_t nagreements;
	struct overleg_close *closes;
	size_t ncloses;
	struct overleg_decision *decisions;     /* in order; none in a planned one */
	size_t ndecisions;
	bool both_forms;                /* "decision" and "decisions" both given: overleg_check() says */
	struct overleg_share *shared;
	size_t nshared;
	int line, case_id_line, date_line, kind_line, present_line;
};

/*
 * Decodes d, a consultation that passed the "overleg" schema, or minutes that passed the
 * "minutes" schema with case_id, date, kind and status added (shared items then have no
 * covered_by). Takes ownership of d (freed even on failure). Returns the consultation, or
 * NULL with err_set("cannot read a consultation: <field> is not as the schema says") if d lacks
 * that shape.
 */
struct overleg *overleg_decode(struct doc *d);
void overleg_free(struct overleg *o);                   /* NULL is allowed */

/* The consultations of one case, sorted by date. */
struct overlegs {
	struct overleg **v;
	size_t n;
};

/*
 * Reads, validates and decodes the consultations of case_id through v (each file named after
 * its date, of this case). 0, or -1 with err_set() and *out empty. Free with overlegs_free().
 */
int overlegs_read(const struct view *v, const char *case_id, struct overlegs *out);
void overlegs_free(struct overlegs *o);                 /* NULL and an empty list are allowed */
/* Adds ov to o in its place by date (after those of the same date); o takes ownership. */
void overlegs_add(struct overlegs *o, struct overleg *ov);
/* The consultation on date, or NULL. o may be NULL. */
const struct overleg *overlegs_on(const struct overlegs *o, struct date d);
/* The last one held, or NULL. o may be NULL. */
const struct overleg *overlegs_last_held(const struct overlegs *o);
/* "cases/<xx>/<id>/overleg/<DATE>.yaml", malloc'd. */
char *overleg_path(const char *case_id, struct date d);

/*
 * The date of the pre-leave consultation (R6): leave eligibility minus cfg's lead time, clamped
 * to the month's end (31 May - 3 months = 28 or 29 February). false, *pre and *leave
 * untouched, when the plan has no leave eligibility date.
 */
bool overleg_pre_leave(const struct settings *cfg, const struct plan *plan, struct date *pre,
    struct date *leave);
/*
 * The pre-leave window (R6), both days included: from two weeks before the pre-leave date to
 * two weeks after it, and never on or after leave eligibility (overleg.c says why). The
 * consultation held there is the pre-leave one. false, *first and *last untouched, when the
 * plan has no leave eligibility date.
 */
bool overleg_pre_leave_window(const struct settings *cfg, const struct plan *plan,
    struct date *first, struct date *last);
/*
 * The pre-leave consultation: the first held in the pre-leave window, by date; NULL if none
 * or no leave date. o may be NULL.
 */
const struct overleg *overleg_pre_leave_held(const struct settings *cfg, const struct plan *plan,
    const struct overlegs *o);
/*
 * The first consultation held in the pre-leave window with a member of partner present (R8:
 * the justice houses attend it), or with anyone when partner is NULL; NULL if none or no leave
 * date. o may be NULL.
 */
const struct overleg *overleg_pre_leave_attended(const struct settings *cfg,
    const struct plan *plan, const struct overlegs *o, const char *partner);
/*
 * The kind a consultation held on date gets (R6): pre-leave when it falls in the pre-leave
 * window and none other is held there, else periodic. The same rule decides what
 * overleg-record stores and what overleg_check() accepts.
 */
enum overleg_kind overleg_kind_on(const struct settings *cfg, const struct plan *plan,
    const struct overlegs *o, struct date date);

struct due {
	struct date date;
	enum overleg_kind kind;
	enum overleg_due_status { DUE_PLANNED, DUE_DUE, DUE_OVERDUE } status;
};
/* "planned", "due", "overdue". */
const char *due_status_word(enum overleg_due_status s);

/*
 * The consultations of plan's case, while it is open, that fall in [from, until], and those overdue on today
 * (always). Periodic ones follow cfg's cadence from the last consultation held, or from the
 * detention start; when the next one is overdue, only it is given. The pre-leave one is due
 * lead time before leave eligibility until one is held in the pre-leave window (whoever
 * attended: R8 is release-check's to judge). A periodic one on the pre-leave date
 * is the pre-leave one. A date past 9999-12-31 is never due. Sorted by date, then kind.
 * Returns the count with *out malloc'd (NULL when 0). o may be NULL (none held).
 */
size_t overleg_due(const struct settings *cfg, const struct plan *plan,
    const struct overlegs *o, struct date today, struct date from, struct date until,
    struct due **out);

/* An agreement of a held consultation, with how a later one closed it. */
struct agreement {
	const struct overleg *overleg;          /* where it was made: its ID is "<its date>#<n>" */
	size_t n;                               /* from 1 */
	const struct overleg_agreement *a;
	int closed;                             /* enum closing, or -1 while open */
	const struct overleg *closed_by;        /* NULL while open */
};
/* "<DATE>#<N>", malloc'd. */
char *agreement_id(const struct agreement *a);
/* Whether the closing c names agreement a. */
bool agreement_named(const struct agreement *a, const struct overleg_close *c);

/*
 * Every agreement of the held consultations of o but skip (NULL: none; a consultation of the
 * same date as skip is skipped too, as the one it replaces), in order of date and number, with
 * how the first of the others to close each closed it. Returns the count with *out malloc'd (NULL when 0).
 */
size_t overleg_agreements(const struct overlegs *o, const struct overleg *skip,
    struct agreement **out);

/*
 * Whether a consultation on d would be held after today (date_today()): a consultation is
 * recorded as held once it has been, so overleg-record refuses such a date before asking for
 * the minutes, and overleg_check() reports a stored one.
 */
bool overleg_after_today(struct date d);

/*
 * The one check of a consultation for what its schema cannot say, for overleg-record before it
 * stores and for case-validate on what is stored. Appends to ps, at file:line:
 *   - present: each partner known, each member registered for that partner;
 *   - absent: each a partner of the case's fixed team, and not also present;
 *   - agreements: each owner a known partner;
 *   - closes: each names an agreement made in an earlier held consultation, not closed by
 *     an earlier one, and not closed twice in o;
 *   - decision.dissent: each partner known;
 *   - shared: from and each recipient known partners, the category known, and, once every
 *     name in o is known, each sharing covered by a consent or basis on o's date
 *     (share_decide(), R10, R11); stored ones name that record in covered_by per recipient;
 *   - date: a held one not after today (overleg_after_today()), and not before the plan's
 *     detention start; a held one of kind pre-leave is the one
 *     overleg_kind_on() gives.
 * cd gives the case's plan (NULL when it is missing or broken: the checks that need it are
 * left out), consultations (o itself among them or not) and records; cd NULL leaves out all
 * that need the case. A consultation or record that is broken is missing from cd's lists: a
 * closing of its agreement, or a sharing it covered, is then reported too, beside the broken
 * file itself. A planned consultation has no content: only the dates checks apply.
 */
void overleg_check(const struct settings *cfg, const struct case_data *cd,
    const struct overleg *o, const char *file, struct problems *ps);

/*
 * Whether overleg_check() refuses o for its sharing alone: every name in o is known, and
 * some sharing has no consent or basis on o's date. overleg-record exits 1 then, not 2.
 */
bool overleg_unlawful(const struct settings *cfg, const struct case_data *cd,
    const struct overleg *o);

/*
 * Sets covered_by in o's tree (and its decoded sharing) for each recipient of each sharing:
 * the ID of the record share_decide() gives on o's date, or "own". For overleg-record, on
 * minutes overleg_check() passed. 0, or -1 with err_set() when a sharing is not covered.
 */
int overleg_cover(const struct settings *cfg, const struct case_data *cd, struct overleg *o);

#endif
