/*
 * stats.c: counting the cases of the index into the tables of stats.h, grouped, and
 * suppressed. Counting goes into groups by key (an institution, "YYYY-MM", "YYYY") as cases
 * come; stats_finish() lays the groups out as rows, the periods between filled with zeros.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "overleg.h"
#include "plan.h"
#include "stats.h"

const char *const stats_by_words[STATS_BY_N + 1] = {"institution", "domain", "month", "year", NULL};

enum { T_CASES, T_CONSENTS, T_CONSULTATIONS, T_DOMAINS, T_N };

/* The columns of each table. By period, the cases table has flows; by institution, states. */
static const char *const cols_by_period[] = {"opened", "closed"};
static const char *const cols_by_institution[] = {"open", "closed"};
static const char *const cols_consents[] = {"given", "refused", "withdrawn"};
/* A consultation due: held on or before its day, held after it, or not held yet. */
enum { DUE_HELD, DUE_LATE, DUE_MISSED, DUE_N };
static const char *const cols_consultations[] = {"held by then", "held later", "not held"};
static const char *cols_domain_status[DS_N];

struct group {
	char *key;
	long cases[2], consents[3], consultations[DUE_N];
};

struct stats {
	const struct settings *cfg;
	enum stats_by by;
	char *institution;
	struct date today;
	struct group *g;
	size_t ng, cap;
	long domains[DOMAIN_N][DS_N];
	long open;
	size_t left_out;
	struct stats_table tables[T_N];
	size_t ntables;
};

struct stats *
stats_new(const struct settings *cfg, enum stats_by by, const char *institution, struct date today)
{
	struct stats *s = xcalloc(1, sizeof *s);

	s->cfg = cfg;
	s->by = by;
	s->institution = institution ? xstrdup(institution) : NULL;
	s->today = today;
	return s;
}

void
stats_free(struct stats *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->ng; i++)
		free(s->g[i].key);
	free(s->g);
	for (size_t i = 0; i < s->ntables; i++) {
		for (size_t r = 0; r < s->tables[i].t->rows; r++)
			free(s->tables[i].rows[r]);
		free(s->tables[i].rows);
		supp_free(s->tables[i].t);
	}
	free(s->institution);
	free(s);
}

size_t
stats_left_out(const struct stats *s)
{
	return s->left_out;
}

static bool
by_period(const struct stats *s)
{
	return s->by == STATS_BY_MONTH || s->by == STATS_BY_YEAR;
}

/* The group of key, made when new. */
static struct group *
group(struct stats *s, const char *key)
{
	for (size_t i = 0; i < s->ng; i++)
		if (strcmp(s->g[i].key, key) == 0)
			return &s->g[i];
	xgrow((void **)&s->g, &s->cap, s->ng + 1, sizeof *s->g);
	s->g[s->ng] = (struct group){.key = xstrdup(key)};
	return &s->g[s->ng++];
}

/* "YYYY-MM" or "YYYY" of d, into buf (11 bytes). */
static const char *
period(const struct stats *s, struct date d, char buf[11])
{
	date_format(d, buf);
	buf[s->by == STATS_BY_YEAR ? 4 : 7] = '\0';
	return buf;
}

/*
 * The group an event of case c dated d counts in: the case's institution, or the period of d;
 * NULL for an event by period without a date (nothing to count it in).
 */
static struct group *
group_of(struct stats *s, const struct index_case *c, struct date d)
{
	char buf[11];

	if (!by_period(s))
		return group(s, c->institution ? c->institution : "");
	if (!date_valid(d))
		return NULL;
	return group(s, period(s, d, buf));
}

/*
 * The consultations the cadence made due over the case's life, replayed: after each held one
 * (and from the detention start), overleg_due() as it stood that day gives the next periodic
 * one, which the next held one meets, on time or late, or nobody has met yet. The pre-leave
 * one is due once, on its day, met by one held in its window (overleg_pre_leave_held()). A
 * closed case counts until end, the day it was closed. Dues after end are not due yet.
 */
static void
count_consultations(struct stats *s, const struct index_case *c, struct date end)
{
	struct plan *plan = index_case_plan(c);
	struct overlegs all, held = {0};
	struct date pre, leave;
	size_t cap = 0;

	if (plan == NULL)
		return;
	index_case_overlegs(c, &all);
	/* A closed case's past dues still count: replay as it was while open. */
	plan->status = PLAN_OPEN;
	if (date_valid(plan->dates[PD_DETENTION_START])) {
		for (size_t k = 0;; k++) {
			const struct overleg *next = NULL;
			struct date start = k == 0 ? plan->dates[PD_DETENTION_START] : held.v[held.n - 1]->date;
			struct date first = date_add_duration(start, s->cfg->cadence, 1);
			struct due *due = NULL;
			size_t n;

			/* The next held one, after the ones replayed so far. */
			for (size_t i = 0; i < all.n; i++)
				if (all.v[i]->status == OS_HELD &&
				    date_cmp(all.v[i]->date, start) >= (k == 0 ? 0 : 1)) {
					next = all.v[i];
					break;
				}
			n = date_valid(first) ? overleg_due(s->cfg, plan, &held, start,
			    date_add_days(start, 1), first, &due) : 0;
			for (size_t i = 0; i < n; i++) {
				struct group *g;
				int how;

				if (due[i].kind != OK_PERIODIC || date_cmp(due[i].date, end) > 0)
					continue;
				how = next == NULL || date_cmp(next->date, end) > 0 ? DUE_MISSED :
				    date_cmp(next->date, due[i].date) <= 0 ? DUE_HELD : DUE_LATE;
				if ((g = group_of(s, c, due[i].date)) != NULL)
					g->consultations[how]++;
				break;
			}
			free(due);
			if (next == NULL || date_cmp(next->date, end) > 0)
				break;
			{
				/* held shares the consultations of all: emptied, not freed, at the end. */
				struct overleg *o = (struct overleg *)next;

				xgrow((void **)&held.v, &cap, held.n + 1, sizeof *held.v);
				held.v[held.n++] = o;
			}
			if (held.n > all.n)
				break;
		}
	}
	if (overleg_pre_leave(s->cfg, plan, &pre, &leave) && date_valid(pre) &&
	    date_cmp(pre, end) <= 0) {
		struct group *g = group_of(s, c, pre);

		if (g != NULL)
			g->consultations[overleg_pre_leave_held(s->cfg, plan, &all) ? DUE_HELD : DUE_MISSED]++;
	}
	free(held.v);
	overlegs_free(&all);
	plan_free(plan);
}

void
stats_add(struct stats *s, const struct index_case *c, struct date closed)
{
	bool is_closed;
	struct group *g;
	struct date end;

	if (!c->ok) {
		s->left_out++;
		return;
	}
	if (s->institution && (c->institution == NULL || strcmp(c->institution, s->institution) != 0))
		return;
	is_closed = c->status == PLAN_CLOSED;
	if (!is_closed) {
		s->open++;
		for (int d = 0; d < DOMAIN_N; d++)
			s->domains[d][c->domain_status[d]]++;
	}
	if (s->by == STATS_BY_DOMAIN)
		return;
	if (by_period(s)) {
		if ((g = group_of(s, c, c->dates[PD_DETENTION_START])) != NULL)
			g->cases[0]++;
		if (is_closed && (g = group_of(s, c, closed)) != NULL)
			g->cases[1]++;
	} else {
		group_of(s, c, closed)->cases[is_closed]++;
	}
	for (size_t i = 0; i < c->nrecords; i++) {
		int col = c->records[i].kind == RK_CONSENT ? 0 : c->records[i].kind == RK_REFUSAL ? 1 :
		    c->records[i].kind == RK_WITHDRAWAL ? 2 : -1;

		if (col >= 0 && date_cmp(c->records[i].date, s->today) <= 0 &&
		    (g = group_of(s, c, c->records[i].date)) != NULL)
			g->consents[col]++;
	}
	end = is_closed && date_valid(closed) && date_cmp(closed, s->today) < 0 ? closed : s->today;
	count_consultations(s, c, end);
}

static int
key_cmp(const void *a, const void *b)
{
	return strcmp(((const struct group *)a)->key, ((const struct group *)b)->key);
}

/* The period after key ("YYYY-MM" or "YYYY"), into buf. */
static void
period_next(const char *key, char buf[11])
{
	size_t len = strlen(key);       /* key may be buf */
	struct date d = {atoi(key), len > 4 ? atoi(key + 5) : 12, 1};

	date_format(date_add_months(d, 1), buf);
	buf[len] = '\0';
}

static struct stats_table *
table_new(struct stats *s, const char *name, const char *row_head, size_t rows,
    const char *const *cols, size_t ncols)
{
	struct stats_table *t = &s->tables[s->ntables++];

	t->name = name;
	t->row_head = row_head;
	t->rows = xcalloc(rows ? rows : 1, sizeof *t->rows);
	t->cols = cols;
	t->row_totals = true;
	t->col_totals = true;
	t->t = supp_new(rows, ncols);
	return t;
}

/*
 * The open cases, N, are published twice: in the cases table (by institution, its open
 * total; by period, its opened less its closed totals, as every case opened and closed falls
 * in a period shown) and as each row's total in the domains table. Both keep N shown where
 * they can. By period, when the opened or the closed total is not shown, the other is hidden
 * too: with N shown, one would give the other away. Where N itself cannot be shown (it is 1
 * to 4, or a table had to hide it), a reader would still have it from the domains table,
 * where every row adds up to the same N (from its grand total, 5N, or one row's shown
 * counts); so N is hidden in the cases table, and every nonzero entry of the domains table
 * with it, which leaves N and each domain's counts free to move together.
 */
static void
suppress_linked(struct stats *s, struct stats_table *cases, struct stats_table *domains)
{
	struct supp_table *ct = cases ? cases->t : NULL, *dt = domains->t;
	bool hide = s->open >= 1 && s->open <= 4;

	for (size_t d = 0; d < DOMAIN_N; d++)
		supp_keep(dt, d, DS_N);
	for (size_t j = 0; ct && j < ct->cols; j++)
		if (j == 0 || by_period(s))
			supp_keep(ct, ct->rows, j);
	supp_apply(dt);
	if (ct)
		supp_apply(ct);
	for (size_t d = 0; d < DOMAIN_N; d++)
		hide |= supp_mark_at(dt, d, DS_N) != SUPP_SHOWN;
	if (ct && !by_period(s))
		hide |= supp_mark_at(ct, ct->rows, 0) == SUPP_HIDDEN;
	if (ct && (hide || (by_period(s) && (supp_mark_at(ct, ct->rows, 0) != SUPP_SHOWN ||
	    supp_mark_at(ct, ct->rows, 1) != SUPP_SHOWN)))) {
		for (size_t j = 0; j < ct->cols; j++)
			if (j == 0 || by_period(s))
				supp_hide(ct, ct->rows, j);
		supp_apply(ct);
	}
	if (hide) {
		for (size_t i = 0; i <= DOMAIN_N; i++)
			for (size_t j = 0; j <= DS_N; j++)
				supp_hide(dt, i, j);
		supp_apply(dt);
	}
}

size_t
stats_finish(struct stats *s, const struct stats_table **out)
{
	static const char *const row_heads[] = {"institution", "domain", "month", "year"};
	struct stats_table *cases = NULL, *domains;

	if (s->ntables > 0) {
		*out = s->tables;
		return s->ntables;
	}
	for (int i = 0; i < DS_N; i++)
		cols_domain_status[i] = vocab_word(vocab_domain_status, i);
	if (by_period(s)) {
		/* Every period from the first to today's, those without events among them. */
		char buf[11], last[11];

		period(s, s->today, last);
		if (s->ng > 0) {
			qsort(s->g, s->ng, sizeof *s->g, key_cmp);
			if (strcmp(s->g[s->ng - 1].key, last) > 0)
				snprintf(last, sizeof last, "%s", s->g[s->ng - 1].key);
			snprintf(buf, sizeof buf, "%s", s->g[0].key);
		} else {
			snprintf(buf, sizeof buf, "%s", last);
		}
		for (; strcmp(buf, last) <= 0; period_next(buf, buf))
			group(s, buf);
	}
	if (s->ng > 0)
		qsort(s->g, s->ng, sizeof *s->g, key_cmp);

	if (s->by != STATS_BY_DOMAIN) {
		struct stats_table *consents, *consultations;
		const char *head = row_heads[s->by];

		cases = table_new(s, "cases", head, s->ng, by_period(s) ? cols_by_period :
		    cols_by_institution, 2);
		/* Opened and closed in one period add up to nothing a reader wants. */
		cases->row_totals = !by_period(s);
		consents = table_new(s, "consents", head, s->ng, cols_consents, 3);
		consultations = table_new(s, "consultations", head, s->ng, cols_consultations, DUE_N);
		for (size_t i = 0; i < s->ng; i++) {
			cases->rows[i] = xstrdup(s->g[i].key);
			consents->rows[i] = xstrdup(s->g[i].key);
			consultations->rows[i] = xstrdup(s->g[i].key);
			for (size_t j = 0; j < 2; j++)
				*supp_at(cases->t, i, j) = s->g[i].cases[j];
			for (size_t j = 0; j < 3; j++)
				*supp_at(consents->t, i, j) = s->g[i].consents[j];
			for (size_t j = 0; j < DUE_N; j++)
				*supp_at(consultations->t, i, j) = s->g[i].consultations[j];
		}
		supp_apply(consents->t);
		supp_apply(consultations->t);
	}
	domains = table_new(s, "domains", "domain", DOMAIN_N, cols_domain_status, DS_N);
	for (size_t d = 0; d < DOMAIN_N; d++) {
		domains->rows[d] = xstrdup(vocab_word(vocab_domains, (int)d));
		for (size_t j = 0; j < DS_N; j++)
			*supp_at(domains->t, d, j) = s->domains[d][j];
	}
	/* Each case counts once in every domain: the totals' row adds up the domains. */
	suppress_linked(s, cases, domains);
	*out = s->tables;
	return s->ntables;
}
