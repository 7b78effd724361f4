/*
 * stats.h: the counts case-stats publishes for knowledge management and phenomenon analysis
 * (issue 13), from the clear structure of each case the index keeps (struct index_case),
 * every table suppressed with lib/suppress before anyone sees it.
 *
 * The tables, their rows given by the grouping (enum stats_by):
 *   cases          by institution: open and closed cases per institution, total all cases;
 *                  by month or year: cases opened (detention start) and closed per period.
 *                  The cases open at the end of a period are not a column: they are the
 *                  opened less the closed up to it, so they would let a hidden flow be worked
 *                  out. A closed case is closed on index_case.closed, the newest change of
 *                  its plan.
 *   domains        the open cases' life-domain statuses, domain by status; each row adds up to
 *                  the open cases (shown in cases too: stats_finish() keeps the two the same).
 *   consents       consents given, refused and withdrawn (struct index_record), by the group
 *                  of the case or the period of the record's date; legal bases are not counted.
 *   consultations  the consultations the cadence made due (overleg_due()), by the group of the
 *                  case or the period of the due date, as held by then, held later, or not held.
 *   plans          the plans complete (every life domain assessed, R3: index_case.assessed),
 *                  by the group of the case or the period of the day they were complete, as
 *                  complete within 90 days of the detention start, 91-180, 181-365 or later.
 *                  Plans not complete (yet) are not counted: they are the cases less these,
 *                  which would let a hidden count be worked out against the cases table.
 * With STATS_BY_DOMAIN there is the domains table alone: the others have no life domain.
 */
#ifndef CASUS_STATS_H
#define CASUS_STATS_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "index.h"
#include "settings.h"
#include "suppress.h"

enum stats_by { STATS_BY_INSTITUTION, STATS_BY_DOMAIN, STATS_BY_MONTH, STATS_BY_YEAR, STATS_BY_N };
/* "institution", "domain", "month", "year": the words of --by. */
extern const char *const stats_by_words[STATS_BY_N + 1];

struct stats_table {
	const char *name;               /* "cases", "consents", "consultations", "plans", "domains" */
	const char *row_head;           /* what the rows are: "institution", "month", "domain", ... */
	char **rows;                    /* t->rows labels, owned: an institution as the plan names it */
	const char *const *cols;        /* t->cols labels, static */
	bool row_totals;                /* whether a row's total means something and is printed */
	bool col_totals;                /* whether the totals' row is printed */
	struct supp_table *t;           /* the counts with their marks: print with supp_text() */
};

struct stats;

/*
 * Starts counting with the store's settings cfg (the consultation cadence; kept, not owned,
 * until stats_free()), grouped by by, only cases of institution (NULL: all), on day today.
 * Never NULL. Free with stats_free().
 */
struct stats *stats_new(const struct settings *cfg, enum stats_by by, const char *institution,
    struct date today);
void stats_free(struct stats *s);                       /* NULL is allowed */

/*
 * Counts case c (its strings are copied where kept, so c may go after the call), read with
 * INDEX_DOMAINS. A closed case without c->closed counts as closed by institution and in no
 * period; c->closed or c->assessed after today counts as today (a replayed day). A case that
 * is not ok is skipped, and counted by stats_left_out(). A case of another institution than
 * the one asked for is counted too: the tables of every institution are suppressed together
 * (stats_finish()).
 */
void stats_add(struct stats *s, const struct index_case *c);
size_t stats_left_out(const struct stats *s);
/* Whether a case counted is of the institution asked for; true when none was asked for. */
bool stats_institution_seen(const struct stats *s);

/*
 * Builds the tables from what was added and suppresses them, once. Each table is a slice of
 * one of three dimensions (institution x period or domain x column), suppressed with every
 * other slice of it, so that the table of one institution and that of all mark a count
 * alike and cannot be set against each other; the tables of two groupings (month and year)
 * are not. The entries two tables share (the open cases) get the same mark in both. Returns
 * the number of tables, with *out pointing at them (owned by s, valid until stats_free()).
 */
size_t stats_finish(struct stats *s, const struct stats_table **out);

#endif
