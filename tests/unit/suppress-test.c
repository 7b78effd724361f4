/*
 * suppress-test: lib/suppress.c on crafted tables, then on many random ones (a fixed seed),
 * each held to checkers written apart from the library: no entry from 1 to 4 shown; within
 * each line, the values each hidden entry can take, found by trying every value against the
 * sums the other hidden entries can make; and across lines, by Gaussian elimination, that no
 * hidden entry is fixed by any sum or difference of the tables' equations.
 */
#include <math.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "suppress.h"

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

/* A table from its counts, row by row, suppressed. */
static struct supp_table *
table(size_t rows, size_t cols, const long *counts)
{
	struct supp_table *t = supp_new(rows, cols);

	for (size_t i = 0; i < rows; i++)
		for (size_t j = 0; j < cols; j++)
			*supp_at(t, i, j) = counts[i * cols + j];
	supp_apply(t);
	return t;
}

/* The table as published, rows by ";" and entries by " ", totals included. */
static char *
shown(const struct supp_table *t)
{
	static char out[4096];
	char buf[24];
	size_t n = 0;

	out[0] = '\0';
	for (size_t i = 0; i <= t->rows; i++)
		for (size_t j = 0; j <= t->cols; j++)
			n += (size_t)snprintf(out + n, sizeof out - n, "%s%s", supp_text(t, i, j, buf),
			    j < t->cols ? " " : i < t->rows ? ";" : "");
	return out;
}

static bool
is(const struct supp_table *t, const char *want)
{
	if (strcmp(shown(t), want) == 0)
		return true;
	printf("# got  %s\n# want %s\n", shown(t), want);
	return false;
}

/* ---- The checkers: none of them calls into suppress.c but for the table's values and marks. */

static size_t
line_of(const struct supp_table *t, size_t k, size_t *at)
{
	size_t n = 0, w = t->cols + 1;

	if (k <= t->rows)
		for (size_t j = 0; j <= t->cols; j++)
			at[n++] = k * w + j;
	else
		for (size_t i = 0; i <= t->rows; i++)
			at[n++] = i * w + (k - t->rows - 1);
	return n;
}

/* No entry from 1 to 4 is shown, every one is "<5", and a hidden entry is never 0. */
static bool
check_marks(const struct supp_table *t)
{
	for (size_t o = 0; o < (t->rows + 1) * (t->cols + 1); o++) {
		long v = t->v[o];

		if ((v >= 1 && v <= 4) != (t->mark[o] == SUPP_SMALL))
			return false;
		if (t->mark[o] == SUPP_HIDDEN && v < 5)
			return false;
	}
	return true;
}

/*
 * Line k, tried value by value: for each hidden entry and each value it may take (1..4 for
 * "<5", 5..cap for "x"), whether the others can make up the rest, by the set of sums they
 * can make. Returns the number of hidden entries with one value only; *all_hidden says
 * whether every nonzero entry of the line is hidden (the limit suppress.h names).
 */
static int
pinned_in_line(const struct supp_table *t, size_t k, long cap, bool *all_hidden)
{
	size_t at[64], n = line_of(t, k, at);
	long known = 0;
	int pinned = 0;
	bool *can;
	bool *next;
	long *pre, off;

	/* Every entry of a line is at most its total: when that is shown, a tighter cap. */
	if (t->mark[at[n - 1]] == SUPP_SHOWN)
		cap = t->v[at[n - 1]] + 1;
	can = xcalloc((size_t)(2 * cap * (long)n + 1), 1);
	next = xcalloc((size_t)(2 * cap * (long)n + 1), 1);
	pre = xcalloc((size_t)(2 * cap * (long)n + 2), sizeof *pre);
	off = cap * (long)n;            /* sums range over -off..off */

	*all_hidden = true;
	for (size_t e = 0; e < n; e++) {
		long sign = e + 1 == n ? -1 : 1;

		if (t->mark[at[e]] == SUPP_SHOWN) {
			known -= sign * t->v[at[e]];
			if (t->v[at[e]] != 0)
				*all_hidden = false;
		}
	}
	for (size_t e = 0; e < n; e++) {
		int values = 0;

		if (t->mark[at[e]] == SUPP_SHOWN)
			continue;
		memset(can, 0, (size_t)(2 * off + 1));
		can[off] = true;
		for (size_t f = 0; f < n; f++) {
			long sign = f + 1 == n ? -1 : 1;
			long lo = t->mark[at[f]] == SUPP_SMALL ? 1 : 5;
			long hi = t->mark[at[f]] == SUPP_SMALL ? 4 : cap;

			if (f == e || t->mark[at[f]] == SUPP_SHOWN)
				continue;
			/* next[x]: some can[x - sign * v] for v in lo..hi, by prefix counts of can. */
			pre[0] = 0;
			for (long i = 0; i <= 2 * off; i++)
				pre[i + 1] = pre[i] + can[i];
			for (long x = -off; x <= off; x++) {
				long a = sign > 0 ? x - hi : x + lo, z = sign > 0 ? x - lo : x + hi;

				a = a < -off ? -off : a;
				z = z > off ? off : z;
				next[x + off] = a <= z && pre[z + off + 1] - pre[a + off] > 0;
			}
			memcpy(can, next, (size_t)(2 * off + 1));
		}
		{
			long sign = e + 1 == n ? -1 : 1;
			long lo = t->mark[at[e]] == SUPP_SMALL ? 1 : 5;
			long hi = t->mark[at[e]] == SUPP_SMALL ? 4 : cap;

			for (long v = lo; v <= hi; v++) {
				long rest = known - sign * v;

				if (rest >= -off && rest <= off && can[rest + off])
					values++;
			}
		}
		if (values == 1)
			pinned++;
	}
	free(can);
	free(next);
	free(pre);
	return pinned;
}

/*
 * How many hidden entries the equations of all lines together fix, by Gaussian elimination:
 * the unknowns are the hidden entries, and unknown h is fixed when every solution of the
 * homogeneous system has it 0: h is a pivot of the reduced row echelon form, and its row has
 * 0 in every free column.
 */
static int
fixed_by_lines(const struct supp_table *t)
{
	size_t nl = t->rows + t->cols + 2, nh = 0, *hid, at[64], *pivot_row, r = 0;
	double *a;
	bool *free_col;
	int fixed = 0;

	hid = xmalloc((t->rows + 1) * (t->cols + 1) * sizeof *hid);
	for (size_t o = 0; o < (t->rows + 1) * (t->cols + 1); o++)
		if (t->mark[o] != SUPP_SHOWN)
			hid[nh++] = o;
	if (nh == 0) {
		free(hid);
		return 0;
	}
	a = xcalloc(nl * nh, sizeof *a);
	pivot_row = xcalloc(nh, sizeof *pivot_row);
	free_col = xcalloc(nh, sizeof *free_col);
	for (size_t k = 0; k < nl; k++) {
		size_t n = line_of(t, k, at);

		for (size_t e = 0; e < n; e++)
			for (size_t h = 0; h < nh; h++)
				if (hid[h] == at[e])
					a[k * nh + h] = e + 1 == n ? -1 : 1;
	}
	for (size_t c = 0; c < nh; c++) {
		size_t p = r;

		for (size_t i = r + 1; i < nl; i++)
			if (fabs(a[i * nh + c]) > fabs(a[p * nh + c]))
				p = i;
		if (r >= nl || fabs(a[p * nh + c]) < 1e-9) {
			free_col[c] = true;
			continue;
		}
		for (size_t j = 0; j < nh; j++) {
			double x = a[r * nh + j];

			a[r * nh + j] = a[p * nh + j];
			a[p * nh + j] = x;
		}
		for (size_t i = 0; i < nl; i++) {
			double f;

			if (i == r)
				continue;
			f = a[i * nh + c] / a[r * nh + c];
			for (size_t j = 0; j < nh; j++)
				a[i * nh + j] -= f * a[r * nh + j];
		}
		pivot_row[c] = r++;
	}
	for (size_t h = 0; h < nh; h++) {
		bool alone = !free_col[h];

		for (size_t f = 0; alone && f < nh; f++)
			if (free_col[f] && fabs(a[pivot_row[h] * nh + f]) > 1e-9)
				alone = false;
		fixed += alone;
	}
	free(a);
	free(pivot_row);
	free(free_col);
	free(hid);
	return fixed;
}

/* Every checker on t; *limit counts lines left pinned by their bounds alone. */
static bool
safe(const struct supp_table *t, int *limit)
{
	long cap = supp_get(t, t->rows, t->cols) + 1;

	if (!check_marks(t) || fixed_by_lines(t) != 0)
		return false;
	for (size_t k = 0; k < t->rows + t->cols + 2; k++) {
		bool all_hidden;

		if (pinned_in_line(t, k, cap, &all_hidden) > 0) {
			if (!all_hidden)
				return false;
			(*limit)++;
		}
	}
	return true;
}

/* A small generator of its own, so that the tables are the same on every machine. */
static unsigned long long seed = 20261202;

static unsigned
rnd(unsigned n)
{
	seed = seed * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned)((seed >> 33) % n);
}

int
main(void)
{
	int limit = 0;

	{
		const long c[] = {10, 20, 30, 40};
		struct supp_table *t = table(2, 2, c);

		ok(is(t, "10 20 30;30 40 70;40 60 100"), "nothing from 1 to 4: everything is shown");
		supp_free(t);
	}
	{
		const long c[] = {0, 7, 0, 9};
		struct supp_table *t = table(2, 2, c);

		ok(is(t, "0 7 7;0 9 9;0 16 16"), "0 is shown as 0 and protects nothing");
		supp_free(t);
	}
	{
		/* 3 alone in its row and column: 10 in its row; in its column 20, whose row then
		 * needs a second, and 30 there closes the rectangle with 10's column. */
		const long c[] = {3, 10, 12, 20, 30, 40, 25, 6, 8};
		struct supp_table *t = table(3, 3, c);

		ok(is(t, "<5 x 12 25;x x 40 90;25 6 8 39;48 46 60 154"),
		    "a lone <5: its row's smallest count, then in its column the one that pairs up");
		supp_free(t);
	}
	{
		/* A total of one column reveals its only count: both are <5 then, and one more row. */
		const long c[] = {2, 9, 14};
		struct supp_table *t = table(3, 1, c);

		ok(is(t, "<5 <5;x x;14 14;25 25"), "a one-column table: the count, its copy in the total, and a second row");
		supp_free(t);
	}
	{
		/* Two <5 in one row: each column still has one alone, so a second row is hidden too. */
		const long c[] = {2, 3, 40, 11, 12, 50};
		struct supp_table *t = table(2, 3, c);

		ok(is(t, "<5 <5 40 45;x x 50 73;13 15 90 118"), "two <5 in a row protect the row, not their columns");
		supp_free(t);
	}
	{
		/* The line 1 + 5 = 6 is hidden as "<5 x" beside a shown total: 1 is the only value. */
		const long c[] = {1, 5, 30, 9, 7, 20};
		struct supp_table *t = table(2, 3, c);
		int lim = 0;

		ok(safe(t, &lim) && lim == 0, "a <5 and an x that could only be 1 and 5 are not left so");
		supp_free(t);
	}
	{
		/* Two blocks of <5 joined by one more <5: every line has two or more hidden, yet the
		 * joining one follows from rows 0-1 minus columns 0-1. */
		const long c[] = {
			1, 2, 3, 0, 0, 9,
			3, 4, 0, 0, 0, 9,
			0, 0, 2, 1, 0, 9,
			0, 0, 4, 3, 0, 9,
			9, 9, 9, 9, 9, 9,
		};
		struct supp_table *t = supp_new(5, 6);
		int lim = 0;

		for (size_t i = 0; i < 5; i++)
			for (size_t j = 0; j < 6; j++)
				*supp_at(t, i, j) = c[i * 6 + j];
		supp_apply(t);
		ok(safe(t, &lim), "a <5 that only a sum of lines gives away is protected too");
		supp_free(t);
	}
	{
		/*
		 * Row totals kept (shown in another table too): the <5 takes the 5 beside it, and in
		 * its column the total rather than a 7 alone in its row, which would cost that row's
		 * kept total.
		 */
		const long c[] = {2, 5, 7, 0, 7, 0};
		struct supp_table *t = supp_new(3, 2);
		int lim = 0;

		for (size_t i = 0; i < 3; i++) {
			for (size_t j = 0; j < 2; j++)
				*supp_at(t, i, j) = c[i * 2 + j];
			supp_keep(t, i, 2);
		}
		supp_apply(t);
		ok(is(t, "<5 x 7;7 0 7;7 0 7;x x 21") && safe(t, &lim), "entries kept shown are hidden last");
		supp_hide(t, 1, 2);
		supp_apply(t);
		ok(supp_mark_at(t, 1, 2) == SUPP_HIDDEN && safe(t, &lim), "an entry hidden on demand is protected as any other");
		supp_free(t);
	}
	{
		const long c[] = {1, 1, 1, 1};
		struct supp_table *t = table(1, 4, c);
		bool all;

		ok(is(t, "<5 <5 <5 <5 <5;<5 <5 <5 <5 <5") &&
		    pinned_in_line(t, 0, 5, &all) == 5 && all,
		    "the limit: four <5 under a total <5 are 1 each, with nothing left to hide");
		supp_free(t);
	}
	{
		struct supp_table *t = supp_new(1, 1);

		supp_apply(t);
		ok(is(t, "0 0;0 0"), "an empty table");
		*supp_at(t, 0, 0) = 4;
		supp_apply(t);
		ok(is(t, "<5 <5;<5 <5"), "applied again, the marks start afresh");
		supp_free(t);
	}

	/* Random tables: many small counts, many zeros, some large. */
	{
		int bad = 0, tables = 3000, hidden = 0;

		for (int n = 0; n < tables; n++) {
			size_t rows = 1 + rnd(13), cols = 1 + rnd(6);
			struct supp_table *t = supp_new(rows, cols);
			int lim = 0;

			for (size_t i = 0; i < rows; i++)
				for (size_t j = 0; j < cols; j++) {
					unsigned k = rnd(10);

					*supp_at(t, i, j) = k < 3 ? 0 : k < 7 ? 1 + rnd(4) : 5 + rnd(40);
				}
			/* Some with a total kept shown, or hidden, as for a table shown elsewhere too. */
			if (n % 3 == 1)
				supp_keep(t, rows, rnd((unsigned)cols + 1));
			if (n % 5 == 2)
				supp_hide(t, rnd((unsigned)rows + 1), cols);
			supp_apply(t);
			if (!safe(t, &lim)) {
				if (bad++ < 3)
					printf("# not safe: %zux%zu %s\n", rows, cols, shown(t));
			}
			limit += lim;
			for (size_t o = 0; o < (rows + 1) * (cols + 1); o++)
				hidden += t->mark[o] == SUPP_HIDDEN;
			supp_free(t);
		}
		printf("# %d random tables, %d entries hidden beside the <5, %d lines at the limit\n",
		    tables, hidden, limit);
		ok(bad == 0, "random tables, some with entries kept or hidden: no <5 follows from one line, its bounds, or any sum of lines");
	}

	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
