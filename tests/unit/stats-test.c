/*
 * stats-test: lib/stats.c on crafted cases as the index gives them (struct index_case): what
 * each table counts, in which row, and that what is published is suppressed, the open cases
 * marked alike in the two tables that show them.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "doc.h"
#include "mem.h"
#include "msg.h"
#include "problem.h"
#include "settings.h"
#include "stats.h"

static int npass, nfail;

static void
ok(int cond, const char *what)
{
	if (cond)
		npass++;
	else
		nfail++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", npass + nfail, what);
}

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

static struct date
day(const char *s)
{
	struct date d = {0};

	if (s != NULL && date_parse(s, strlen(s), &d) < 0)
		abort();
	return d;
}

/* A case of institution inst, open or closed, its detention starting on start (NULL: none). */
static struct index_case
mk(const char *id, const char *inst, enum plan_status st, const char *start)
{
	struct index_case c = {.id = (char *)id, .ok = true, .institution = (char *)inst, .status = st};

	c.dates[PD_DETENTION_START] = day(start);
	for (int d = 0; d < DOMAIN_N; d++)
		c.domain_status[d] = DS_TO_ASSESS;
	return c;
}

/* Counts c as closed on closed ({0}: not known, or open), as the index would give it. */
static void
add(struct stats *s, const struct index_case *c, struct date closed)
{
	struct index_case k = *c;

	k.closed = closed;
	stats_add(s, &k);
}

/* The table called name, or NULL. */
static const struct stats_table *
table(const struct stats_table *v, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].name, name) == 0)
			return &v[i];
	return NULL;
}

/* The table published, rows by ";", entries by " ", each row led by its label. */
static const char *
shown(const struct stats_table *t)
{
	static char out[4096];
	char buf[24];
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i <= t->t->rows; i++) {
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", i ? ";" : "",
		    i < t->t->rows ? t->rows[i] : "total");
		for (size_t j = 0; j <= t->t->cols; j++)
			n += (size_t)snprintf(out + n, sizeof out - n, " %s", supp_text(t->t, i, j, buf));
	}
	return out;
}

/* The counts before suppression, in the same form. */
static const char *
counts(const struct stats_table *t)
{
	static char out[4096];
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i <= t->t->rows; i++) {
		n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", i ? ";" : "",
		    i < t->t->rows ? t->rows[i] : "total");
		for (size_t j = 0; j <= t->t->cols; j++)
			n += (size_t)snprintf(out + n, sizeof out - n, " %ld", supp_get(t->t, i, j));
	}
	return out;
}

static bool
is(const char *got, const char *want)
{
	if (strcmp(got, want) == 0)
		return true;
	printf("# got  %s\n# want %s\n", got, want);
	return false;
}

static bool
no_small_shown(const struct stats_table *v, size_t n)
{
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i <= v[k].t->rows; i++)
			for (size_t j = 0; j <= v[k].t->cols; j++) {
				long x = supp_get(v[k].t, i, j);

				if (x >= 1 && x <= 4 && supp_mark_at(v[k].t, i, j) != SUPP_SMALL)
					return false;
			}
	return true;
}

/* No line whose total is printed has exactly one entry hidden. */
static bool
lines_safe(const struct stats_table *v, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const struct supp_table *t = v[k].t;

		for (size_t i = 0; i <= t->rows; i++) {
			int h = 0;

			for (size_t j = 0; j <= t->cols; j++)
				h += supp_mark_at(t, i, j) != SUPP_SHOWN;
			if (v[k].row_totals && (i < t->rows || v[k].col_totals) && h == 1)
				return false;
		}
		for (size_t j = 0; j <= t->cols; j++) {
			int h = 0;

			for (size_t i = 0; i <= t->rows; i++)
				h += supp_mark_at(t, i, j) != SUPP_SHOWN;
			if (v[k].col_totals && (j < t->cols || v[k].row_totals) && h == 1)
				return false;
		}
	}
	return true;
}

int
main(void)
{
	struct problems ps = {0};
	struct doc *d = casus_parse(base_settings, strlen(base_settings), "casus.yaml", "casus", &ps);
	struct settings *cfg = d ? settings_decode(d) : NULL;
	struct date today = day("2026-06-30");
	struct index_case cs[16];
	struct date closed[16] = {{0}};
	size_t n = 0;

	problems_print(&ps, stdout, "#");
	problems_free(&ps);
	if (cfg == NULL) {
		printf("# cannot read the settings: %s\n", err_last());
		return 2;
	}

	/*
	 * Brugge: six open cases from January to March and two closed (closed in May); Gent:
	 * five open, one closed in June; one case not ok.
	 */
	{
		static const char *starts[] = {"2026-01-05", "2026-01-20", "2026-02-03", "2026-02-17",
		    "2026-03-02", "2026-03-30", "2026-01-10", "2026-02-10"};

		for (int i = 0; i < 8; i++) {
			char *id = xasprintf("B-2026-%03d", i + 1);

			cs[n] = mk(id, "Brugge", i < 6 ? PLAN_OPEN : PLAN_CLOSED, starts[i]);
			if (i >= 6)
				closed[n] = day("2026-05-12");
			n++;
		}
		for (int i = 0; i < 6; i++) {
			char *id = xasprintf("G-2026-%03d", i + 1);

			cs[n] = mk(id, "Gent", i < 5 ? PLAN_OPEN : PLAN_CLOSED, "2026-04-01");
			if (i == 5)
				closed[n] = day("2026-06-02");
			n++;
		}
		/* The domains: every open case planned in psychosocial, two in progress in education. */
		for (size_t i = 0; i < n; i++)
			cs[i].domain_status[DOMAIN_PSYCHOSOCIAL] = DS_PLANNED;
		cs[0].domain_status[DOMAIN_EDUCATION_EMPLOYMENT] = DS_IN_PROGRESS;
		cs[1].domain_status[DOMAIN_EDUCATION_EMPLOYMENT] = DS_IN_PROGRESS;
	}
	{
		struct stats *s = stats_new(cfg, STATS_BY_INSTITUTION, NULL, today);
		struct index_case bad = {.id = "B-2026-099", .ok = false};
		const struct stats_table *v;
		size_t nt;

		for (size_t i = 0; i < n; i++)
			add(s, &cs[i], closed[i]);
		add(s, &bad, (struct date){0});
		nt = stats_finish(s, &v);
		ok(nt == 5 && stats_left_out(s) == 1, "by institution: five tables, the case not ok left out and counted");
		ok(is(counts(table(v, nt, "cases")), "Brugge 6 2 8;Gent 5 1 6;total 11 3 14"),
		    "cases: open and closed per institution");
		/*
		 * Each row has one <5, and the table of each institution alone a row and its copy
		 * as totals: the rows' totals go, which leaves the 6 and the 5 open shown.
		 */
		ok(is(shown(table(v, nt, "cases")), "Brugge 6 <5 x;Gent 5 <5 x;total 11 <5 x"),
		    "cases: each row's total hidden with its <5, as in each institution's own table");
		ok(is(counts(table(v, nt, "domains")),
		    "psychosocial 0 0 11 0 0 11;education_employment 9 0 0 2 0 11;mental_health 11 0 0 0 0 11;"
		    "social_context 11 0 0 0 0 11;alternative_discourse 11 0 0 0 0 11;total 42 0 11 2 0 55"),
		    "domains: the open cases' statuses, each row adding up to the open cases");
		ok(supp_mark_at(table(v, nt, "domains")->t, 1, 3) == SUPP_SMALL &&
		    supp_mark_at(table(v, nt, "domains")->t, 1, 0) == SUPP_HIDDEN,
		    "two in progress are <5, and the to-assess of their row is hidden with them");
		for (size_t dd = 0; dd < DOMAIN_N; dd++)
			if (supp_mark_at(table(v, nt, "domains")->t, dd, DS_N) != SUPP_SHOWN)
				ok(0, "a domain's total, the open cases, stays shown as in the cases table");
		ok(no_small_shown(v, nt), "no count from 1 to 4 is shown in any table");
		stats_free(s);
	}
	{
		struct stats *s = stats_new(cfg, STATS_BY_MONTH, NULL, today);
		const struct stats_table *v;
		size_t nt;

		for (size_t i = 0; i < n; i++)
			add(s, &cs[i], closed[i]);
		nt = stats_finish(s, &v);
		ok(is(counts(table(v, nt, "cases")),
		    "2026-01 3 0 3;2026-02 3 0 3;2026-03 2 0 2;2026-04 6 0 6;2026-05 0 2 2;2026-06 0 1 1;"
		    "total 14 3 17"),
		    "by month: opened by detention start, closed on the day given, every month to today's");
		ok(!table(v, nt, "cases")->row_totals, "by month, opened plus closed is not printed");
		ok(no_small_shown(v, nt), "and no count from 1 to 4 is shown");
		stats_free(s);
	}
	{
		/* A closed case with no closing day counts as opened, and closed in no month. */
		struct stats *s = stats_new(cfg, STATS_BY_YEAR, NULL, today);
		const struct stats_table *v;
		size_t nt;

		for (size_t i = 0; i < n; i++)
			add(s, &cs[i], (struct date){0});
		nt = stats_finish(s, &v);
		ok(is(counts(table(v, nt, "cases")), "2026 14 0 14;total 14 0 14"),
		    "by year, a closed case without a closing day is in no period");
		stats_free(s);
	}
	{
		struct stats *s = stats_new(cfg, STATS_BY_INSTITUTION, "Gent", today);
		const struct stats_table *v;
		size_t nt;

		for (size_t i = 0; i < n; i++)
			add(s, &cs[i], closed[i]);
		nt = stats_finish(s, &v);
		ok(is(counts(table(v, nt, "cases")), "Gent 5 1 6;total 5 1 6"), "--institution: that one's cases alone");
		ok(is(shown(table(v, nt, "cases")), "Gent 5 <5 x;total 5 <5 x"),
		    "a lone <5 beside the open cases, shown in the domains table too: the total goes instead");
		stats_free(s);
	}
	{
		/* Consents: given, refused, withdrawn by the month of their date; bases and days
		 * after today not counted. */
		struct index_record r[] = {
			{.id = "c-1", .kind = RK_CONSENT, .date = day("2026-02-01")},
			{.id = "c-2", .kind = RK_CONSENT, .date = day("2026-02-03")},
			{.id = "r-1", .kind = RK_REFUSAL, .date = day("2026-03-01")},
			{.id = "w-1", .kind = RK_WITHDRAWAL, .date = day("2026-03-09"), .withdraws = "c-1"},
			{.id = "b-1", .kind = RK_BASIS, .date = day("2026-03-10")},
			{.id = "c-3", .kind = RK_CONSENT, .date = day("2026-07-01")},
		};
		struct index_case c = mk("B-2026-050", "Brugge", PLAN_OPEN, "2026-01-10");
		struct stats *s = stats_new(cfg, STATS_BY_MONTH, NULL, today);
		const struct stats_table *v;
		size_t nt;

		c.records = r;
		c.nrecords = 6;
		add(s, &c, (struct date){0});
		nt = stats_finish(s, &v);
		ok(is(counts(table(v, nt, "consents")),
		    "2026-01 0 0 0 0;2026-02 2 0 0 2;2026-03 0 1 1 2;2026-04 0 0 0 0;2026-05 0 0 0 0;"
		    "2026-06 0 0 0 0;total 2 1 1 4"),
		    "consents given, refused and withdrawn by month; a basis and a later day are not counted");
		ok(is(shown(table(v, nt, "consents")),
		    "2026-01 0 0 0 0;2026-02 <5 0 0 <5;2026-03 0 <5 <5 <5;2026-04 0 0 0 0;2026-05 0 0 0 0;"
		    "2026-06 0 0 0 0;total <5 <5 <5 <5"),
		    "and all of them are <5");
		stats_free(s);
	}
	{
		/*
		 * Consultations, cadence 6 weeks from 10 January: due 21 February, held the 20th
		 * (by then); due 3 April, held the 10th (later); due 22 May, none held by today.
		 * Leave eligible 1 September: the pre-leave one due 1 June, none held in its window.
		 */
		struct index_overleg o[] = {
			{.date = day("2026-02-20"), .kind = OK_PERIODIC, .status = OS_HELD},
			{.date = day("2026-04-10"), .kind = OK_PERIODIC, .status = OS_HELD},
			{.date = day("2026-07-20"), .kind = OK_PERIODIC, .status = OS_PLANNED},
		};
		struct index_case c = mk("B-2026-051", "Brugge", PLAN_OPEN, "2026-01-10");
		struct stats *s = stats_new(cfg, STATS_BY_MONTH, NULL, today);
		const struct stats_table *v;
		size_t nt;

		c.dates[PD_LEAVE_ELIGIBLE] = day("2026-09-01");
		c.overlegs = o;
		c.noverlegs = 3;
		add(s, &c, (struct date){0});
		nt = stats_finish(s, &v);
		ok(is(counts(table(v, nt, "consultations")),
		    "2026-01 0 0 0 0;2026-02 1 0 0 1;2026-03 0 0 0 0;2026-04 0 1 0 1;2026-05 0 0 1 1;"
		    "2026-06 0 0 1 1;total 1 1 2 4"),
		    "consultations due by month: held by then, held later, not held (the pre-leave one too)");
		stats_free(s);

		/* Closed on 1 May: what came due after is not counted. */
		c.status = PLAN_CLOSED;
		s = stats_new(cfg, STATS_BY_INSTITUTION, NULL, today);
		add(s, &c, day("2026-05-01"));
		nt = stats_finish(s, &v);
		ok(is(counts(table(v, nt, "consultations")), "Brugge 1 1 0 2;total 1 1 0 2"),
		    "a closed case counts its consultations due until the day it closed");
		stats_free(s);
	}
	{
		struct stats *s = stats_new(cfg, STATS_BY_DOMAIN, NULL, today);
		const struct stats_table *v;
		size_t nt;

		stats_free(stats_new(cfg, STATS_BY_YEAR, NULL, today));
		for (size_t i = 0; i < n; i++)
			add(s, &cs[i], closed[i]);
		nt = stats_finish(s, &v);
		ok(nt == 1 && strcmp(v[0].name, "domains") == 0, "--by domain: the domains table alone");
		stats_free(s);
	}
	{
		/*
		 * Plans complete 90, 91, 365 and 366 days after the detention start, five each, and
		 * one complete after today (a replayed day), counted on today; five not complete.
		 */
		static const long took[] = {90, 91, 365, 366};
		struct index_case pc[26];
		struct stats *s = stats_new(cfg, STATS_BY_INSTITUTION, NULL, today);
		const struct stats_table *v;
		size_t nt;

		for (size_t i = 0; i < 26; i++) {
			pc[i] = mk("P-2025-001", "Brugge", PLAN_OPEN, "2025-01-01");
			if (i < 20)
				pc[i].assessed = date_add_days(pc[i].dates[PD_DETENTION_START], took[i / 5]);
			else if (i == 20)
				pc[i].assessed = day("2026-07-15");
			add(s, &pc[i], (struct date){0});
		}
		nt = stats_finish(s, &v);
		ok(is(counts(table(v, nt, "plans")), "Brugge 5 5 5 6 21;total 5 5 5 6 21"),
		    "plans: 90 days is within 90, 91 the next, 365 within a year, 366 and after today later");
		stats_free(s);
	}
	{
		/* No case at all: every table has its totals' row, all 0. */
		struct stats *s = stats_new(cfg, STATS_BY_INSTITUTION, NULL, today);
		const struct stats_table *v;
		size_t nt = stats_finish(s, &v);

		ok(nt == 5 && is(shown(table(v, nt, "cases")), "total 0 0 0") &&
		    is(shown(table(v, nt, "plans")), "total 0 0 0 0 0"), "an empty store: totals of 0");
		stats_free(s);
	}

	/*
	 * Random stores (a fixed seed): every table of every grouping, all institutions and each,
	 * has no count from 1 to 4 shown, no line with one entry hidden, and no count of all that
	 * the institutions' tables give away, nor the other way round.
	 */
	{
		static const char *const names[] = {"Brugge", "Gent", "Hasselt", "Leuven"};
		unsigned long long seed = 13;
		int bad = 0;

		for (int round = 0; round < 40; round++) {
			size_t ncases = 3 + round % 17;
			struct index_case *rc = xcalloc(ncases, sizeof *rc);
			struct date *rclosed = xcalloc(ncases, sizeof *rclosed);
			struct index_record *rr = xcalloc(ncases, sizeof *rr);

			for (size_t i = 0; i < ncases; i++) {
				seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
				rc[i] = mk("X-2026-001", names[(seed >> 40) % (1 + round % 4)],
				    (seed >> 20) % 3 == 0 ? PLAN_CLOSED : PLAN_OPEN, NULL);
				rc[i].dates[PD_DETENTION_START] = (struct date){2025 + (int)((seed >> 30) % 2),
				    1 + (int)((seed >> 33) % 12), 1 + (int)((seed >> 37) % 28)};
				for (int dm = 0; dm < DOMAIN_N; dm++)
					rc[i].domain_status[dm] = (enum domain_status)((seed >> (3 * dm + 2)) % DS_N);
				rr[i] = (struct index_record){.id = "c", .kind = (enum record_kind)((seed >> 50) % 3),
				    .date = date_add_days(rc[i].dates[PD_DETENTION_START], (long)((seed >> 44) % 200))};
				rc[i].records = &rr[i];
				rc[i].nrecords = 1;
				if (rc[i].status == PLAN_CLOSED)
					rclosed[i] = date_add_days(rc[i].dates[PD_DETENTION_START], 100);
				if ((seed >> 9) % 3 != 0)
					rc[i].assessed = date_add_days(rc[i].dates[PD_DETENTION_START],
					    (long)((seed >> 11) % 500));
			}
			for (int by = 0; by < STATS_BY_N; by++) {
				const struct stats_table *all, *one;
				struct stats *sa = stats_new(cfg, (enum stats_by)by, NULL, today);
				size_t nt;

				for (size_t i = 0; i < ncases; i++)
					add(sa, &rc[i], rclosed[i]);
				nt = stats_finish(sa, &all);
				if (!no_small_shown(all, nt) || !lines_safe(all, nt))
					bad++;
				for (size_t k = 0; k < nt; k++) {
					/* The count of all and each institution's, line by line across them. */
					struct supp_table *t = all[k].t;
					int *hidden = xcalloc((t->rows + 1) * (t->cols + 1), sizeof *hidden);
					int nin = 0;

					for (size_t o = 0; o < (t->rows + 1) * (t->cols + 1); o++)
						hidden[o] = t->mark[o] != SUPP_SHOWN;
					for (int in = 0; in < 1 + round % 4; in++) {
						struct stats *so = stats_new(cfg, (enum stats_by)by, names[in], today);
						size_t no;

						for (size_t i = 0; i < ncases; i++)
							add(so, &rc[i], rclosed[i]);
						no = stats_finish(so, &one);
						if (no != nt || !no_small_shown(one, no) || !lines_safe(one, no))
							bad++;
						else if (by != STATS_BY_INSTITUTION && one[k].t->rows == t->rows)
							for (size_t o = 0; o < (t->rows + 1) * (t->cols + 1); o++)
								hidden[o] += one[k].t->mark[o] != SUPP_SHOWN;
						nin++;
						stats_free(so);
					}
					for (size_t o = 0; by != STATS_BY_INSTITUTION && o < (t->rows + 1) * (t->cols + 1); o++)
						if (hidden[o] == 1 && nin > 1) {
							if (bad++ < 3)
								printf("# by %s, %s: entry %zu given away across institutions\n",
								    stats_by_words[by], all[k].name, o);
						}
					free(hidden);
				}
				stats_free(sa);
			}
			free(rc);
			free(rclosed);
			free(rr);
		}
		ok(bad == 0, "random stores: no <5 shown, none alone in a line, none given away across institutions");
	}

	for (size_t i = 0; i < n; i++)
		free(cs[i].id);
	settings_free(cfg);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
