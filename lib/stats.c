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

enum { T_CASES, T_CONSENTS, T_CONSULTATIONS, T_PLANS, T_DOMAINS, T_N };

/* The columns of each table. By period, the cases table has flows; by institution, states. */
static const char *const cols_by_period[] = {"opened", "closed"};
static const char *const cols_by_institution[] = {"open", "closed"};
static const char *const cols_consents[] = {"given", "refused", "withdrawn"};
/* A consultation due: held on or before its day, held after it, or not held yet. */
enum { DUE_HELD, DUE_LATE, DUE_MISSED, DUE_N };
static const char *const cols_consultations[] = {"held by then", "held later", "not held"};
/* How many days after the detention start a plan had every life domain assessed (R3). */
enum { TOOK_N = 4 };
static const long took_days[TOOK_N - 1] = {90, 180, 365};
static const char *const cols_plans[TOOK_N] = {"within 90 days", "91-180 days", "181-365 days", "later"};
static const char *cols_domain_status[DS_N];

/* The counts of one institution in one period ("" by institution). */
struct group {
	const char *inst;               /* the name, owned by struct inst */
	char *key;
	long cases[2], consents[3], consultations[DUE_N], plans[TOOK_N];
};

/* An institution as the plans name it, with its open cases' life domains. */
struct inst {
	char *name;
	long domains[DOMAIN_N][DS_N];
};

/*
 * A table of three dimensions with its totals: na x nb x nc counts, each dimension one
 * longer for its total. The published tables are its slices with a or b fixed; a count of
 * one slice is a count of others, so they are suppressed together (cube_suppress()).
 */
struct cube {
	size_t na, nb, nc;
	long *x;
	unsigned char *mark;            /* enum supp_mark */
	unsigned char *want;            /* 0, WANT_KEEP or WANT_HIDE */
};
enum { WANT_KEEP = 1, WANT_HIDE = 2 };

struct stats {
	const struct settings *cfg;
	enum stats_by by;
	char *institution;
	struct date today;
	struct group *g;
	size_t ng, cap;
	struct inst *in;
	size_t nin, incap;
	size_t left_out;
	bool institution_seen;          /* a case counted is of institution */
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
	for (size_t i = 0; i < s->nin; i++)
		free(s->in[i].name);
	free(s->in);
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

bool
stats_institution_seen(const struct stats *s)
{
	return s->institution == NULL || s->institution_seen;
}

static bool
by_period(const struct stats *s)
{
	return s->by == STATS_BY_MONTH || s->by == STATS_BY_YEAR;
}

/* The institution called name, made when new. */
static struct inst *
inst(struct stats *s, const char *name)
{
	for (size_t i = 0; i < s->nin; i++)
		if (strcmp(s->in[i].name, name) == 0)
			return &s->in[i];
	xgrow((void **)&s->in, &s->incap, s->nin + 1, sizeof *s->in);
	s->in[s->nin] = (struct inst){.name = xstrdup(name)};
	return &s->in[s->nin++];
}

/* The group of institution name and period key, made when new. */
static struct group *
group(struct stats *s, const char *name, const char *key)
{
	const char *in = inst(s, name)->name;

	for (size_t i = 0; i < s->ng; i++)
		if (s->g[i].inst == in && strcmp(s->g[i].key, key) == 0)
			return &s->g[i];
	xgrow((void **)&s->g, &s->cap, s->ng + 1, sizeof *s->g);
	s->g[s->ng] = (struct group){.inst = in, .key = xstrdup(key)};
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
 * The group an event of case c dated d counts in: the case's institution, and by period the
 * period of d; NULL for an event by period without a date (nothing to count it in).
 */
static struct group *
group_of(struct stats *s, const struct index_case *c, struct date d)
{
	char buf[11];
	const char *name = c->institution ? c->institution : "";

	if (!by_period(s))
		return group(s, name, "");
	if (!date_valid(d))
		return NULL;
	return group(s, name, period(s, d, buf));
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
	struct plan in_index, *plan = &in_index;
	struct overlegs all, held = {0};
	struct date pre, leave;
	size_t cap = 0;

	index_case_plan(c, plan);
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
}

/*
 * A day the index keeps for a case (the day it was closed, the day its plan was complete), as
 * counted: one after today, by the clock of a replayed day (CASUS_TODAY), is today.
 */
static struct date
by_today(const struct stats *s, struct date d)
{
	return date_valid(d) && date_cmp(d, s->today) > 0 ? s->today : d;
}

/*
 * A complete plan (c->assessed), by how long after the detention start it was complete, in
 * the group of the day it was.
 */
static void
count_plan(struct stats *s, const struct index_case *c)
{
	struct date start = c->dates[PD_DETENTION_START], day = by_today(s, c->assessed);
	struct group *g;
	int took = 0;

	if (!date_valid(day) || !date_valid(start))
		return;
	while (took < TOOK_N - 1 && date_to_days(day) - date_to_days(start) > took_days[took])
		took++;
	if ((g = group_of(s, c, day)) != NULL)
		g->plans[took]++;
}

void
stats_add(struct stats *s, const struct index_case *c)
{
	bool is_closed;
	struct group *g;
	struct date end, closed = by_today(s, c->closed);

	if (!c->ok) {
		s->left_out++;
		return;
	}
	if (s->institution && c->institution && strcmp(c->institution, s->institution) == 0)
		s->institution_seen = true;
	/*
	 * Every institution is counted, whichever is asked for: the one asked for is printed from
	 * tables suppressed with the others (stats_finish() says why).
	 */
	is_closed = c->status == PLAN_CLOSED;
	if (!is_closed) {
		struct inst *in = inst(s, c->institution ? c->institution : "");

		for (int d = 0; d < DOMAIN_N; d++)
			in->domains[d][c->domain_status[d]]++;
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
	count_plan(s, c);
}

static int
str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static int
inst_cmp(const void *a, const void *b)
{
	return strcmp(((const struct inst *)a)->name, ((const struct inst *)b)->name);
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

static struct cube *
cube_new(size_t na, size_t nb, size_t nc)
{
	struct cube *k = xcalloc(1, sizeof *k);
	size_t n = (na + 1) * (nb + 1) * (nc + 1);

	*k = (struct cube){.na = na, .nb = nb, .nc = nc};
	k->x = xcalloc(n, sizeof *k->x);
	k->mark = xcalloc(n, 1);
	k->want = xcalloc(n, 1);
	return k;
}

static void
cube_free(struct cube *k)
{
	if (k == NULL)
		return;
	free(k->x);
	free(k->mark);
	free(k->want);
	free(k);
}

static size_t
cx(const struct cube *k, size_t a, size_t b, size_t c)
{
	return (a * (k->nb + 1) + b) * (k->nc + 1) + c;
}

/* Adds the counts up into every total: of a, of b, of c, and of each two and all three. */
static void
cube_totals(struct cube *k)
{
	for (size_t a = 0; a < k->na; a++)
		for (size_t b = 0; b < k->nb; b++)
			for (size_t c = 0; c < k->nc; c++) {
				long v = k->x[cx(k, a, b, c)];

				for (int m = 1; m < 8; m++)
					k->x[cx(k, m & 1 ? k->na : a, m & 2 ? k->nb : b, m & 4 ? k->nc : c)] += v;
			}
}

/* The entry at row r, column c of slice f (a fixed when !by_b, else b). */
static size_t
slice_at(const struct cube *k, bool by_b, size_t f, size_t r, size_t c)
{
	return by_b ? cx(k, r, f, c) : cx(k, f, r, c);
}

/*
 * Suppresses slice f as a table, with what the other slices hid hidden here too. Returns
 * whether it hid an entry no slice had hidden before.
 */
static bool
slice_suppress(struct cube *k, bool by_b, size_t f)
{
	size_t rows = by_b ? k->na : k->nb;
	struct supp_table *t = supp_new(rows, k->nc);
	bool more = false;

	for (size_t r = 0; r <= rows; r++)
		for (size_t c = 0; c <= k->nc; c++) {
			size_t o = slice_at(k, by_b, f, r, c);

			if (r < rows && c < k->nc)
				*supp_at(t, r, c) = k->x[o];
			if (k->want[o] == WANT_HIDE)
				supp_hide(t, r, c);
			else if (k->want[o] == WANT_KEEP)
				supp_keep(t, r, c);
		}
	supp_apply(t);
	for (size_t r = 0; r <= rows; r++)
		for (size_t c = 0; c <= k->nc; c++) {
			size_t o = slice_at(k, by_b, f, r, c);

			k->mark[o] = supp_mark_at(t, r, c);
			if (k->mark[o] == SUPP_HIDDEN && k->want[o] != WANT_HIDE) {
				k->want[o] = WANT_HIDE;
				more = true;
			}
		}
	supp_free(t);
	return more;
}

/*
 * Suppresses every slice of k until none hides anything more: then each slice, as printed,
 * protects its <5 by its own rows and columns, and a count hidden in one is hidden in all,
 * so that two outputs (all institutions and one of them, or two of them) cannot be set
 * against each other to work out what either hides. Ends: each round hides one entry more.
 */
static void
cube_suppress(struct cube *k)
{
	bool more = true;

	while (more) {
		more = false;
		for (size_t a = 0; a <= k->na; a++)
			more |= slice_suppress(k, false, a);
		for (size_t b = 0; b <= k->nb; b++)
			more |= slice_suppress(k, true, b);
	}
}

/* Asks that the entry be hidden; returns whether that is new (a 0 or a <5 is left as it is). */
static bool
cube_hide(struct cube *k, size_t a, size_t b, size_t c)
{
	size_t o = cx(k, a, b, c);

	if (k->x[o] < 5 || k->want[o] == WANT_HIDE)
		return false;
	k->want[o] = WANT_HIDE;
	return true;
}

/*
 * The open cases of each institution and of all, N, are published twice: in the cases table
 * (its open total by institution; by period, its opened less its closed totals, as every
 * case opened and closed falls in a period shown) and as each row's total in the domains
 * table. Both keep N shown where they can. By period, when the opened or the closed total
 * is not shown, the other is hidden too: with N shown, one would give the other away. Where
 * N itself cannot be shown (it is 1 to 4, or a table had to hide it), a reader would still
 * have it from the domains table, where every row adds up to the same N (from its grand
 * total, 5N, or one row's shown counts); so N is hidden in the cases table, and every nonzero
 * entry of that domains table with it, which leaves N and each domain's counts free to move
 * together. Each change is suppressed again in every slice, until nothing changes.
 */
static void
suppress_linked(struct stats *s, struct cube *cases, struct cube *dom)
{
	size_t p = cases->nb;   /* by period: the totals over periods */

	for (size_t a = 0; a <= dom->na; a++)
		for (size_t d = 0; d < DOMAIN_N; d++)
			dom->want[cx(dom, a, d, DS_N)] = WANT_KEEP;
	for (size_t a = 0; a <= cases->na; a++)
		for (size_t b = 0; b <= cases->nb; b++)
			for (size_t c = 0; c < cases->nc; c++)
				if (by_period(s) ? b == p : c == 0)
					cases->want[cx(cases, a, b, c)] = WANT_KEEP;
	for (;;) {
		bool more = false;

		cube_suppress(cases);
		cube_suppress(dom);
		for (size_t a = 0; a <= dom->na; a++) {
			long n = dom->x[cx(dom, a, 0, DS_N)];
			bool hide = n >= 1 && n <= 4;

			for (size_t d = 0; d < DOMAIN_N; d++)
				hide |= dom->mark[cx(dom, a, d, DS_N)] == SUPP_HIDDEN;
			if (by_period(s)) {
				if (cases->mark[cx(cases, a, p, 0)] != SUPP_SHOWN ||
				    cases->mark[cx(cases, a, p, 1)] != SUPP_SHOWN || hide) {
					more |= cube_hide(cases, a, p, 0);
					more |= cube_hide(cases, a, p, 1);
				}
			} else {
				hide |= cases->mark[cx(cases, a, 0, 0)] == SUPP_HIDDEN;
				if (hide) {
					more |= cube_hide(cases, a, 0, 0);
					more |= cube_hide(cases, a, 1, 0);
				}
			}
			for (size_t d = 0; hide && d <= DOMAIN_N; d++)
				for (size_t st = 0; st <= DS_N; st++)
					more |= cube_hide(dom, a, d, st);
		}
		if (!more)
			break;
	}
}

/* A printed table: slice f of k, its rows labelled from labels (copied). */
static struct stats_table *
table_new(struct stats *s, const char *name, const char *row_head, const struct cube *k,
    bool by_b, size_t f, char *const *labels, const char *const *cols)
{
	struct stats_table *t = &s->tables[s->ntables++];
	size_t rows = by_b ? k->na : k->nb;

	t->name = name;
	t->row_head = row_head;
	t->rows = xcalloc(rows ? rows : 1, sizeof *t->rows);
	for (size_t r = 0; r < rows; r++)
		t->rows[r] = xstrdup(labels[r]);
	t->cols = cols;
	t->row_totals = true;
	t->col_totals = true;
	t->t = supp_new(rows, k->nc);
	for (size_t r = 0; r <= rows; r++)
		for (size_t c = 0; c <= k->nc; c++) {
			*supp_at(t->t, r, c) = k->x[slice_at(k, by_b, f, r, c)];
			t->t->mark[r * (k->nc + 1) + c] = k->mark[slice_at(k, by_b, f, r, c)];
		}
	return t;
}

/*
 * Every institution is counted and suppressed together, whichever is asked for, and the one
 * asked for printed from the same marks: suppressed on its own, its table could show a count
 * that the table of all hides, and the two together would give away a <5 by subtraction.
 */
size_t
stats_finish(struct stats *s, const struct stats_table **out)
{
	static const char *const row_heads[] = {"institution", "domain", "month", "year"};
	struct cube *k[T_N];
	char **periods = NULL, **names;
	size_t np = 0, sel;

	if (s->ntables > 0) {
		*out = s->tables;
		return s->ntables;
	}
	for (int i = 0; i < DS_N; i++)
		cols_domain_status[i] = vocab_word(vocab_domain_status, i);
	if (s->institution)
		inst(s, s->institution);
	if (s->nin > 1)
		qsort(s->in, s->nin, sizeof *s->in, inst_cmp);
	names = xcalloc(s->nin + 1, sizeof *names);
	for (size_t i = 0; i < s->nin; i++)
		names[i] = s->in[i].name;
	sel = s->nin;
	for (size_t i = 0; s->institution && i < s->nin; i++)
		if (strcmp(s->in[i].name, s->institution) == 0)
			sel = i;

	/* The periods: every one from the first counted to today's, those without events among them. */
	if (by_period(s)) {
		char buf[11], last[11], first[11];

		period(s, s->today, last);
		snprintf(first, sizeof first, "%s", last);
		for (size_t i = 0; i < s->ng; i++) {
			if (strcmp(s->g[i].key, first) < 0)
				snprintf(first, sizeof first, "%s", s->g[i].key);
			if (strcmp(s->g[i].key, last) > 0)
				snprintf(last, sizeof last, "%s", s->g[i].key);
		}
		for (snprintf(buf, sizeof buf, "%s", first); strcmp(buf, last) <= 0; period_next(buf, buf)) {
			periods = xrealloc(periods, (np + 1) * sizeof *periods);
			periods[np++] = xstrdup(buf);
		}
	} else {
		periods = xcalloc(1, sizeof *periods);
		periods[np++] = xstrdup("");
	}

	k[T_CASES] = cube_new(s->nin, np, 2);
	k[T_CONSENTS] = cube_new(s->nin, np, 3);
	k[T_CONSULTATIONS] = cube_new(s->nin, np, DUE_N);
	k[T_PLANS] = cube_new(s->nin, np, TOOK_N);
	k[T_DOMAINS] = cube_new(s->nin, DOMAIN_N, DS_N);
	for (size_t i = 0; i < s->ng; i++) {
		const struct group *g = &s->g[i];
		char **pp = bsearch(&g->key, periods, np, sizeof *periods, str_cmp);
		size_t a = 0, b = pp ? (size_t)(pp - periods) : 0;

		while (a < s->nin && s->in[a].name != g->inst)
			a++;
		for (size_t c = 0; c < 2; c++)
			k[T_CASES]->x[cx(k[T_CASES], a, b, c)] = g->cases[c];
		for (size_t c = 0; c < 3; c++)
			k[T_CONSENTS]->x[cx(k[T_CONSENTS], a, b, c)] = g->consents[c];
		for (size_t c = 0; c < DUE_N; c++)
			k[T_CONSULTATIONS]->x[cx(k[T_CONSULTATIONS], a, b, c)] = g->consultations[c];
		for (size_t c = 0; c < TOOK_N; c++)
			k[T_PLANS]->x[cx(k[T_PLANS], a, b, c)] = g->plans[c];
	}
	for (size_t a = 0; a < s->nin; a++)
		for (size_t d = 0; d < DOMAIN_N; d++)
			for (size_t st = 0; st < DS_N; st++)
				k[T_DOMAINS]->x[cx(k[T_DOMAINS], a, d, st)] = s->in[a].domains[d][st];
	for (int i = 0; i < T_N; i++)
		cube_totals(k[i]);
	cube_suppress(k[T_CONSENTS]);
	cube_suppress(k[T_CONSULTATIONS]);
	cube_suppress(k[T_PLANS]);
	suppress_linked(s, k[T_CASES], k[T_DOMAINS]);

	if (s->by != STATS_BY_DOMAIN) {
		const char *head = row_heads[s->by];
		/* All institutions by institution: the slice of the totals over periods, a row each. */
		bool by_b = !by_period(s) && s->institution == NULL;
		size_t f = by_b ? np : sel;
		char *const *labels = by_b ? names : by_period(s) ? periods : &names[sel];
		struct stats_table *cases;

		cases = table_new(s, "cases", head, k[T_CASES], by_b, f, labels,
		    by_period(s) ? cols_by_period : cols_by_institution);
		/* Opened and closed in one period add up to nothing a reader wants. */
		cases->row_totals = !by_period(s);
		table_new(s, "consents", head, k[T_CONSENTS], by_b, f, labels, cols_consents);
		table_new(s, "consultations", head, k[T_CONSULTATIONS], by_b, f, labels, cols_consultations);
		table_new(s, "plans", head, k[T_PLANS], by_b, f, labels, cols_plans);
	}
	{
		char *domains[DOMAIN_N];

		for (size_t d = 0; d < DOMAIN_N; d++)
			domains[d] = (char *)vocab_word(vocab_domains, (int)d);
		table_new(s, "domains", "domain", k[T_DOMAINS], false, sel, domains, cols_domain_status);
	}
	for (int i = 0; i < T_N; i++)
		cube_free(k[i]);
	for (size_t i = 0; i < np; i++)
		free(periods[i]);
	free(periods);
	free(names);
	*out = s->tables;
	return s->ntables;
}
