/*
 * overleg-test: which consultations are due, one row per case overleg-schedule(1) states,
 * named in the page's words. A row's settings, plan and consultations are YAML read with
 * casus_parse() against the built-in schemas, as a stored file is read; its window is YAML
 * too. Prints one "ok N - ..." line per row.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "doc.h"
#include "mem.h"
#include "msg.h"
#include "overleg.h"
#include "rows.h"

static int npass, nfail;

static const char base_settings[] =
    "version: 1\n"
    "institution: Brugge\n"
    "partners:\n"
    "  dg-epi: {name: DG EPI}\n"
    "  justitiehuizen: {name: Justitiehuizen}\n"
    "  welzijn: {name: Welzijn}\n"
    "categories:\n"
    "  psychosocial: {description: psychosocial support, domain: psychosocial}\n"
    "overleg: {cadence: 6w, pre_leave_lead: 3m}\n"
    "members: []\n";

/* Story 5's case: detention start 10 January 2026, no leave eligibility date yet. */
static const char base_plan[] =
    "case_id: B-2026-017\n"
    "institution: Brugge\n"
    "status: open\n"
    "dates: {detention_start: 2026-01-10}\n"
    "team: {}\n"
    "domains:\n"
    "  psychosocial: {status: to-assess}\n"
    "  education_employment: {status: to-assess}\n"
    "  mental_health: {status: to-assess}\n"
    "  social_context: {status: to-assess}\n"
    "  alternative_discourse: {status: to-assess}\n";

/* What every consultation of the rows shares; a held one also has its minutes. */
static const char base_planned[] = "{case_id: B-2026-017}";
static const char base_held[] = "{case_id: B-2026-017, present: [{partner: dg-epi, "
    "member: ann@brugge.example}], decision: {consensus: true}}";

#define LEAVE "dates: {leave_eligible: 2027-05-31}"

struct row {
	const char *name;               /* the case, as overleg-schedule(1) states it */
	const char *settings;           /* merged over base_settings, or NULL */
	const char *plan;               /* merged over base_plan, or NULL */
	const char *overlegs[4];        /* the case's consultations, merged over base_planned or base_held */
	const char *when;               /* today, from (default today) and until */
	const char *pre;                /* the pre-leave date, or NULL if the case has none */
	const char *due;                /* "DATE KIND STATUS, ..." in the order given, or "none" */
};

static const struct row rows[] = {
	/* Periodic (R5). */
	{"periodic: the cadence, six weeks, from the detention start if none was held yet", NULL, NULL,
	    {NULL}, "{today: 2026-02-16, until: 2026-03-02}", NULL, "2026-02-21 periodic due"},
	{"periodic: counted from the last consultation held", NULL, NULL,
	    {"{date: 2026-02-19, kind: periodic, status: held}"},
	    "{today: 2026-02-20, until: 2026-05-20}", NULL, "2026-04-02 periodic due, 2026-05-14 periodic due"},
	{"periodic: the last one held counts, not an earlier one", NULL, NULL,
	    {"{date: 2026-02-19, kind: periodic, status: held}", "{date: 2026-04-01, kind: periodic, status: held}"},
	    "{today: 2026-04-02, until: 2026-05-31}", NULL, "2026-05-13 periodic due"},
	{"periodic: held on another day than planned, the count starts again from it", NULL, NULL,
	    {"{date: 2026-02-19, kind: periodic, status: held}", "{date: 2026-02-21, kind: periodic, status: planned}"},
	    "{today: 2026-02-20, until: 2026-04-10}", NULL, "2026-04-02 periodic due"},
	{"periodic: a planned consultation does not move the count", NULL, NULL,
	    {"{date: 2026-02-21, kind: periodic, status: planned}"},
	    "{today: 2026-02-16, until: 2026-03-02}", NULL, "2026-02-21 periodic planned"},
	{"periodic: the ones after follow at the cadence, each counted from the one before",
	    "overleg: {cadence: 1m}", "dates: {detention_start: 2026-01-31}", {NULL},
	    "{today: 2026-02-01, until: 2026-04-30}", NULL,
	    "2026-02-28 periodic due, 2026-03-28 periodic due, 2026-04-28 periodic due"},
	{"periodic: a cadence in days", "overleg: {cadence: 10d}", NULL, {NULL},
	    "{today: 2026-01-10, until: 2026-02-08}", NULL,
	    "2026-01-20 periodic due, 2026-01-30 periodic due"},
	{"months: 30 November plus 3 months is 28 February", "overleg: {cadence: 3m}",
	    "dates: {detention_start: 2026-11-30}", {NULL}, "{today: 2026-12-01, until: 2027-03-01}", NULL,
	    "2027-02-28 periodic due"},
	{"months: 30 November plus 3 months is 29 February in a leap year", "overleg: {cadence: 3m}",
	    "dates: {detention_start: 2027-11-30}", {NULL}, "{today: 2027-12-01, until: 2028-03-01}", NULL,
	    "2028-02-29 periodic due"},
	{"window: its last day is included", NULL, NULL, {NULL},
	    "{today: 2026-02-07, until: 2026-02-21}", NULL, "2026-02-21 periodic due"},
	{"window: a consultation after its end is not listed", NULL, NULL, {NULL},
	    "{today: 2026-02-07, until: 2026-02-20}", NULL, "none"},
	{"window: those before its start are counted, those on or after it listed", NULL, NULL, {NULL},
	    "{today: 2026-02-16, from: 2026-04-01, until: 2026-05-31}", NULL,
	    "2026-04-04 periodic due, 2026-05-16 periodic due"},
	{"due: it falls on today", NULL, NULL, {NULL}, "{today: 2026-02-21, until: 2026-02-21}", NULL,
	    "2026-02-21 periodic due"},
	{"overdue: the next periodic consultation is before today", NULL, NULL, {NULL},
	    "{today: 2026-02-22, until: 2026-02-22}", NULL, "2026-02-21 periodic overdue"},
	{"overdue: it is the only periodic consultation listed for the case", NULL, NULL, {NULL},
	    "{today: 2026-03-01, until: 2026-06-30}", NULL, "2026-02-21 periodic overdue"},
	{"overdue: listed whatever the window, counted from today, not from --from", NULL, NULL, {NULL},
	    "{today: 2026-03-01, from: 2026-04-01, until: 2026-04-30}", NULL, "2026-02-21 periodic overdue"},
	{"R5: a cancelled consultation due again is due, not planned", NULL, NULL,
	    {"{date: 2026-02-21, kind: periodic, status: cancelled}"},
	    "{today: 2026-02-16, until: 2026-03-02}", NULL, "2026-02-21 periodic due"},
	{"R5: a cancelled consultation does not move the count", NULL, NULL,
	    {"{date: 2026-02-19, kind: periodic, status: cancelled}"},
	    "{today: 2026-02-20, until: 2026-03-02}", NULL, "2026-02-21 periodic due"},
	{"overdue: it stays overdue when it is on the calendar", NULL, NULL,
	    {"{date: 2026-02-21, kind: periodic, status: planned}"},
	    "{today: 2026-03-01, until: 2026-03-01}", NULL, "2026-02-21 periodic overdue"},

	/* Pre-leave (R6). */
	{"pre-leave: 31 May minus 3 months is 28 February", NULL, LEAVE,
	    {"{date: 2027-02-10, kind: periodic, status: held}"},
	    "{today: 2027-02-22, until: 2027-03-08}", "2027-02-28", "2027-02-28 pre-leave due"},
	{"pre-leave: 31 May minus 3 months is 29 February in a leap year", NULL,
	    "dates: {leave_eligible: 2028-05-31}", {"{date: 2028-02-10, kind: periodic, status: held}"},
	    "{today: 2028-02-22, until: 2028-03-08}", "2028-02-29", "2028-02-29 pre-leave due"},
	{"pre-leave: the lead time the settings give", "overleg: {pre_leave_lead: 6w}", LEAVE,
	    {"{date: 2027-04-01, kind: periodic, status: held}"},
	    "{today: 2027-04-12, until: 2027-04-26}", "2027-04-19", "2027-04-19 pre-leave due"},
	{"pre-leave: a case without a leave eligibility date has none", NULL, NULL,
	    {"{date: 2027-02-10, kind: periodic, status: held}"},
	    "{today: 2027-02-22, until: 2027-03-08}", NULL, "none"},
	{"pre-leave: not listed before its date falls in the window", NULL, LEAVE,
	    {"{date: 2026-12-30, kind: periodic, status: held}"},
	    "{today: 2027-01-01, until: 2027-02-27}", "2027-02-28", "2027-02-10 periodic due"},
	{"pre-leave: once its date is past, listed whatever the window", NULL, LEAVE,
	    {"{date: 2027-01-30, kind: periodic, status: held}"},
	    "{today: 2027-03-10, from: 2027-04-01, until: 2027-04-30}", "2027-02-28",
	    "2027-02-28 pre-leave overdue, 2027-04-24 periodic due"},
	{"pre-leave: on the calendar, it is planned", NULL, LEAVE,
	    {"{date: 2027-02-10, kind: periodic, status: held}", "{date: 2027-02-28, kind: pre-leave, status: planned}"},
	    "{today: 2027-02-22, until: 2027-03-08}", "2027-02-28", "2027-02-28 pre-leave planned"},
	{"pre-leave: held on its date, it is no longer listed", NULL, LEAVE,
	    {"{date: 2027-02-28, kind: pre-leave, status: held}"},
	    "{today: 2027-03-01, until: 2027-04-30}", "2027-02-28", "2027-04-11 periodic due"},
	{"pre-leave: any consultation held in the window counts, whatever its kind", NULL, LEAVE,
	    {"{date: 2027-03-07, kind: periodic, status: held}"},
	    "{today: 2027-03-08, until: 2027-04-30}", "2027-02-28", "2027-04-18 periodic due"},
	{"R6: one held the day before the pre-leave date counts", NULL, LEAVE,
	    {"{date: 2027-02-27, kind: periodic, status: held}"},
	    "{today: 2027-02-28, until: 2027-03-01}", "2027-02-28", "none"},
	{"R6: one held on the window's first day, two weeks before, counts", NULL, LEAVE,
	    {"{date: 2027-02-14, kind: periodic, status: held}"},
	    "{today: 2027-02-28, until: 2027-03-01}", "2027-02-28", "none"},
	{"R6: one held the day before the window does not count", NULL, LEAVE,
	    {"{date: 2027-02-13, kind: periodic, status: held}"},
	    "{today: 2027-02-28, until: 2027-03-01}", "2027-02-28", "2027-02-28 pre-leave due"},
	{"R6: one held on the window's last day, two weeks after, counts", NULL, LEAVE,
	    {"{date: 2027-03-14, kind: periodic, status: held}"},
	    "{today: 2027-03-15, until: 2027-04-20}", "2027-02-28", "none"},
	{"R6: one held the day after the window does not count", NULL, LEAVE,
	    {"{date: 2027-03-15, kind: periodic, status: held}"},
	    "{today: 2027-03-16, until: 2027-04-20}", "2027-02-28", "2027-02-28 pre-leave overdue"},
	{"R6: one held the day before leave eligibility does not count", NULL, LEAVE,
	    {"{date: 2027-05-30, kind: periodic, status: held}"},
	    "{today: 2027-06-01, until: 2027-07-31}", "2027-02-28",
	    "2027-02-28 pre-leave overdue, 2027-07-11 periodic due"},
	{"R6: one held on the leave eligibility date does not count", NULL, LEAVE,
	    {"{date: 2027-05-31, kind: periodic, status: held}"},
	    "{today: 2027-06-01, until: 2027-07-31}", "2027-02-28",
	    "2027-02-28 pre-leave overdue, 2027-07-12 periodic due"},
	{"R6: with a short lead time the window still ends the day before leave eligibility",
	    "overleg: {pre_leave_lead: 2w}", LEAVE, {"{date: 2027-05-30, kind: periodic, status: held}"},
	    "{today: 2027-06-01, until: 2027-06-30}", "2027-05-17", "none"},
	{"R6: with a short lead time one held on leave eligibility still does not count",
	    "overleg: {pre_leave_lead: 2w}", LEAVE, {"{date: 2027-05-31, kind: periodic, status: held}"},
	    "{today: 2027-06-01, until: 2027-06-30}", "2027-05-17", "2027-05-17 pre-leave overdue"},
	{"pre-leave: not held in its window, it stays overdue (BUGS)", NULL, LEAVE,
	    {"{date: 2027-06-01, kind: periodic, status: held}"},
	    "{today: 2027-06-02, until: 2027-06-30}", "2027-02-28", "2027-02-28 pre-leave overdue"},
	{"pre-leave: a periodic consultation on the pre-leave date is the pre-leave one", NULL, LEAVE,
	    {"{date: 2027-01-17, kind: periodic, status: held}"},
	    "{today: 2027-02-22, until: 2027-03-08}", "2027-02-28", "2027-02-28 pre-leave due"},
	{"pre-leave: an overdue periodic one on the pre-leave date is the pre-leave one", NULL, LEAVE,
	    {"{date: 2027-01-17, kind: periodic, status: held}"},
	    "{today: 2027-03-01, until: 2027-03-08}", "2027-02-28", "2027-02-28 pre-leave overdue"},
	{"story 6: an overdue periodic one and the pre-leave one, by date", NULL, LEAVE,
	    {"{date: 2026-02-19, kind: periodic, status: held}", "{date: 2026-04-02, kind: periodic, status: held}"},
	    "{today: 2027-02-22, until: 2027-03-08}", "2027-02-28",
	    "2026-05-14 periodic overdue, 2027-02-28 pre-leave due"},

	/* Closed cases, and the end of the calendar. */
	{"closed: a closed case has no consultations due", NULL, "{status: closed, " LEAVE "}", {NULL},
	    "{today: 2027-02-22, until: 2027-03-08}", "2027-02-28", "none"},
	{"horizon: no consultation is due after 9999-12-31", NULL, "dates: {detention_start: 9999-12-01}",
	    {NULL}, "{today: 9999-12-01, until: 9999-12-31}", NULL, "none"},
	{"horizon: those up to 9999-12-31 are listed", NULL, "dates: {detention_start: 9999-10-01}",
	    {NULL}, "{today: 9999-10-02, until: 9999-12-31}", NULL,
	    "9999-11-12 periodic due, 9999-12-24 periodic due"},
};

static struct date
date_at(const struct doc *d, const char *key)
{
	const char *s = doc_get_str(d, key);
	struct date v = {0, 0, 0};

	if (s != NULL)
		date_parse(s, strlen(s), &v);
	return v;
}

/*
 * The one place this test calls the library under test: overleg_pre_leave() and overleg_due()
 * on the settings, the plan, the case's consultations in the order overlegs_read() gives them
 * (by date) and the window of when (from defaults to today). Returns, malloc'd, the pre-leave
 * date or NULL, and the dues as "DATE KIND STATUS, ..." or "none". When the library's types
 * change, only this function changes.
 */
static void
schedule(const struct doc *cfg, const struct doc *plantree, struct doc **v, size_t n,
    const struct doc *when, char **pre, char **due)
{
	struct settings *set = settings_decode(doc_clone(cfg));
	struct plan *plan = plan_decode(doc_clone(plantree));
	struct overlegs o = {0};
	struct date today = date_at(when, "today"), from, until = date_at(when, "until"), p, leave;
	struct due *d;
	struct buf b = {0};
	char s[11];
	size_t k;

	from = doc_get(when, "from") ? date_at(when, "from") : today;
	/* Decoded as overlegs_read() decodes them, and in its order: by date. */
	for (size_t i = 0; i < n; i++) {
		struct overleg *ov = overleg_decode(doc_clone(v[i]));

		if (ov == NULL) {
			fprintf(stderr, "overleg-test: %s\n", err_last());
			exit(2);
		}
		overlegs_add(&o, ov);
	}
	*pre = overleg_pre_leave(set, plan, &p, &leave) ? xstrdup(date_format(p, s)) : NULL;
	k = overleg_due(set, plan, &o, today, from, until, &d);
	overlegs_free(&o);
	plan_free(plan);
	settings_free(set);
	for (size_t i = 0; i < k; i++)
		buf_printf(&b, "%s%s %s %s", i ? ", " : "", date_format(d[i].date, s),
		    vocab_word(vocab_overleg_kinds, d[i].kind), due_status_word(d[i].status));
	free(d);
	*due = k ? buf_detach(&b) : xstrdup("none");
	buf_free(&b);
}

static void
run(const struct row *t)
{
	struct doc *cfg = load(t->name, base_settings, t->settings, "casus");
	struct doc *plan = load(t->name, base_plan, t->plan, "plan");
	struct doc *when = parse_map(t->name, t->when);
	struct doc *v[sizeof t->overlegs / sizeof t->overlegs[0]];
	size_t n = 0;
	bool ok = cfg != NULL && plan != NULL && when != NULL;
	char *pre = NULL, *due = NULL;

	for (; n < sizeof t->overlegs / sizeof t->overlegs[0] && t->overlegs[n] != NULL; n++) {
		const char *base = strstr(t->overlegs[n], "status: held") ? base_held : base_planned;

		if ((v[n] = load(t->name, base, t->overlegs[n], "overleg")) == NULL)
			ok = false;
	}
	if (ok) {
		schedule(cfg, plan, v, n, when, &pre, &due);
		ok = same(pre, t->pre) && same(due, t->due);
	}
	if (ok)
		npass++;
	else
		nfail++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", npass + nfail, t->name);
	if (!ok && due != NULL) {
		printf("#   got:  pre-leave %s; %s\n", pre ? pre : "none", due);
		printf("#   want: pre-leave %s; %s\n", t->pre ? t->pre : "none", t->due);
	}
	free(pre);
	free(due);
	while (n-- > 0)
		doc_free(v[n]);
	doc_free(when);
	doc_free(plan);
	doc_free(cfg);
}

int
main(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		run(&rows[i]);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
