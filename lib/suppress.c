/*
 * suppress.c: primary and complementary suppression of a table of counts (suppress.h says
 * what is guaranteed). The grid's lines are read one way, supp_line_reveals(); the cycles
 * through hidden entries are those of the bipartite graph whose nodes are the grid's rows and
 * columns and whose edges are its hidden entries: an entry on no cycle is a bridge of it.
 */
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "suppress.h"

enum { WANT_ANY, WANT_KEEP, WANT_HIDE };

/* The bounds a reader knows of an entry: "<5" is 1..4, "x" at least 5 (HI_NONE: no upper bound). */
#define HI_NONE LONG_MAX

struct supp_table *
supp_new(size_t rows, size_t cols)
{
	struct supp_table *t = xcalloc(1, sizeof *t);
	size_t n;

	if (cols == 0 || cols > SIZE_MAX / 4 || rows > SIZE_MAX / 4 / (cols + 1))
		abort();
	n = (rows + 1) * (cols + 1);
	t->rows = rows;
	t->cols = cols;
	t->v = xcalloc(n, sizeof *t->v);
	t->mark = xcalloc(n, 1);
	t->want = xcalloc(n, 1);
	return t;
}

void
supp_free(struct supp_table *t)
{
	if (t == NULL)
		return;
	free(t->v);
	free(t->mark);
	free(t->want);
	free(t);
}

long *
supp_at(struct supp_table *t, size_t i, size_t j)
{
	return &t->v[i * (t->cols + 1) + j];
}

long
supp_get(const struct supp_table *t, size_t i, size_t j)
{
	return t->v[i * (t->cols + 1) + j];
}

enum supp_mark
supp_mark_at(const struct supp_table *t, size_t i, size_t j)
{
	return t->mark[i * (t->cols + 1) + j];
}

void
supp_keep(struct supp_table *t, size_t i, size_t j)
{
	t->want[i * (t->cols + 1) + j] = WANT_KEEP;
}

void
supp_hide(struct supp_table *t, size_t i, size_t j)
{
	t->want[i * (t->cols + 1) + j] = WANT_HIDE;
}

char *
supp_text(const struct supp_table *t, size_t i, size_t j, char buf[24])
{
	switch (supp_mark_at(t, i, j)) {
	case SUPP_SMALL:
		return strcpy(buf, "<5");
	case SUPP_HIDDEN:
		return strcpy(buf, "x");
	default:
		snprintf(buf, 24, "%ld", supp_get(t, i, j));
		return buf;
	}
}

/* Room for the entries of the longest line. */
static size_t *
line_buf(const struct supp_table *t)
{
	return xmalloc(((t->rows > t->cols ? t->rows : t->cols) + 1) * sizeof(size_t));
}

/* The entries of line k as grid offsets, its cells first and its total last; returns how many. */
static size_t
line_entries(const struct supp_table *t, size_t k, size_t *idx)
{
	size_t w = t->cols + 1, n = 0;

	if (k <= t->rows) {
		for (size_t j = 0; j <= t->cols; j++)
			idx[n++] = k * w + j;
	} else {
		size_t j = k - t->rows - 1;

		for (size_t i = 0; i <= t->rows; i++)
			idx[n++] = i * w + j;
	}
	return n;
}

static size_t
nlines(const struct supp_table *t)
{
	return t->rows + 1 + t->cols + 1;
}

bool
supp_line_reveals(const struct supp_table *t, size_t k)
{
	size_t *idx = line_buf(t);
	size_t n = line_entries(t, k, idx), nhidden = 0;
	long known = 0;         /* the line's equation: sum of sign * hidden = known */
	bool reveals = false;

	/* cells - total = 0: the signs are +1 for a cell, -1 for the total. */
	for (size_t e = 0; e < n; e++) {
		long sign = e + 1 == n ? -1 : 1;

		if (t->mark[idx[e]] == SUPP_SHOWN)
			known -= sign * t->v[idx[e]];
		else
			nhidden++;
	}
	for (size_t e = 0; e < n && nhidden > 0 && !reveals; e++) {
		long lo, hi, rest_lo = 0, rest_hi = 0;   /* bounds of sum of sign * u over the others */
		bool rest_unbounded_lo = false, rest_unbounded_hi = false;

		if (t->mark[idx[e]] == SUPP_SHOWN)
			continue;
		for (size_t f = 0; f < n; f++) {
			long sign = f + 1 == n ? -1 : 1, blo, bhi;

			if (f == e || t->mark[idx[f]] == SUPP_SHOWN)
				continue;
			blo = t->mark[idx[f]] == SUPP_SMALL ? 1 : 5;
			bhi = t->mark[idx[f]] == SUPP_SMALL ? 4 : HI_NONE;
			if (sign > 0) {
				rest_lo += blo;
				if (bhi == HI_NONE)
					rest_unbounded_hi = true;
				else
					rest_hi += bhi;
			} else {
				rest_hi -= blo;
				if (bhi == HI_NONE)
					rest_unbounded_lo = true;
				else
					rest_lo -= bhi;
			}
		}
		/* sign_e * u_e = known - rest: in [known - rest_hi, known - rest_lo]. */
		lo = rest_unbounded_hi ? LONG_MIN : known - rest_hi;
		hi = rest_unbounded_lo ? HI_NONE : known - rest_lo;
		if (e + 1 == n) {               /* the total: u = -(known - rest) */
			long l = hi == HI_NONE ? LONG_MIN : -hi, h = lo == LONG_MIN ? HI_NONE : -lo;

			lo = l;
			hi = h;
		}
		/* Within the entry's own bounds. */
		if (t->mark[idx[e]] == SUPP_SMALL) {
			if (lo < 1)
				lo = 1;
			if (hi > 4)
				hi = 4;
		} else if (lo < 5) {
			lo = 5;
		}
		reveals = lo == hi;
	}
	free(idx);
	return reveals;
}

/*
 * Whether hiding the entry at offset o would leave its row or its column with o hidden alone
 * and nothing but kept entries to pair it with: hiding o then costs a kept entry later.
 */
static bool
forces_kept(const struct supp_table *t, size_t o)
{
	size_t w = t->cols + 1, r = o / w, c = o % w;

	for (int line = 0; line < 2; line++) {
		size_t n = line == 0 ? w : t->rows + 1, hidden = 0, free = 0;

		for (size_t e = 0; e < n; e++) {
			size_t p = line == 0 ? r * w + e : e * w + c;

			if (p == o)
				continue;
			if (t->mark[p] != SUPP_SHOWN)
				hidden++;
			else if (t->v[p] != 0 && t->want[p] != WANT_KEEP)
				free++;
		}
		if (hidden == 0 && free == 0)
			return true;
	}
	return false;
}

/*
 * Whether the entry at offset o may be hidden at level: shown and nonzero, and at level 0
 * neither kept nor forcing a kept one (forces_kept()), at level 1 not kept, at level 2 any.
 */
static bool
candidate(const struct supp_table *t, size_t o, int level)
{
	if (t->mark[o] != SUPP_SHOWN || t->v[o] == 0)
		return false;
	return level == 2 || (t->want[o] != WANT_KEEP && (level == 1 || !forces_kept(t, o)));
}

/* How many entries of the line crossing line k at offset o are hidden. */
static size_t
crossing_hidden(const struct supp_table *t, size_t k, size_t o)
{
	size_t w = t->cols + 1, n = 0;

	if (k <= t->rows) {             /* a row: the crossing line is o's column */
		for (size_t i = 0; i <= t->rows; i++)
			n += t->mark[i * w + o % w] != SUPP_SHOWN;
	} else {
		for (size_t j = 0; j <= t->cols; j++)
			n += t->mark[(o / w) * w + j] != SUPP_SHOWN;
	}
	return n;
}

/*
 * Hides the smallest nonzero shown entry of line k, a count before the total (ties to the
 * first), one whose crossing line has a single hidden entry first: it then protects two
 * lines at once, where the smallest alone would leave that line to take one more of its own
 * (a lone <5 in a 3 x 3 table: 4 entries hidden rather than 8). Returns whether one was
 * hidden: a line with every nonzero entry hidden has none.
 */
static bool
hide_in_line(struct supp_table *t, size_t k)
{
	size_t *idx = line_buf(t);
	size_t n = line_entries(t, k, idx), best = SIZE_MAX;
	bool best_pairs = false;

	/* An entry the caller asked to keep shown is taken only when nothing else is left. */
	for (int keep = 0; keep < 3 && best == SIZE_MAX; keep++) {
		for (size_t e = 0; e + 1 < n; e++) {
			bool pairs;

			if (!candidate(t, idx[e], keep))
				continue;
			pairs = crossing_hidden(t, k, idx[e]) == 1;
			if (best == SIZE_MAX || (pairs && !best_pairs) ||
			    (pairs == best_pairs && t->v[idx[e]] < t->v[best])) {
				best = idx[e];
				best_pairs = pairs;
			}
		}
		if (best == SIZE_MAX && candidate(t, idx[n - 1], keep))
			best = idx[n - 1];
	}
	free(idx);
	if (best == SIZE_MAX)
		return false;
	t->mark[best] = SUPP_HIDDEN;
	return true;
}

/*
 * The graph of hidden entries: nodes 0..rows are the grid's rows, rows+1.. its columns; an
 * edge is a hidden entry. Node and edge of an entry at offset o: row o / w, column o % w.
 */
struct graph {
	const struct supp_table *t;
	size_t nnodes;
	size_t *disc, *low;             /* Tarjan's discovery order and low link, 0: not seen */
	size_t clock;
	size_t bridge;                  /* the offset of a bridge found, or SIZE_MAX */
	unsigned char *comp;            /* component marks for one bridge: 1 its row's side, 2 the other */
};

static size_t
node_row(const struct supp_table *t, size_t o)
{
	return o / (t->cols + 1);
}

static size_t
node_col(const struct supp_table *t, size_t o)
{
	return t->rows + 1 + o % (t->cols + 1);
}

/* The offset of the entry joining node a and node b (one a row, the other a column). */
static size_t
edge_of(const struct supp_table *t, size_t a, size_t b)
{
	size_t r = a <= t->rows ? a : b, c = a <= t->rows ? b : a;

	return r * (t->cols + 1) + (c - t->rows - 1);
}

/* The other end of node a's i-th possible neighbour, or SIZE_MAX if that entry is shown. */
static size_t
neighbour(const struct supp_table *t, size_t a, size_t i, size_t skip)
{
	size_t b = a <= t->rows ? t->rows + 1 + i : i;
	size_t o;

	if (a <= t->rows ? i > t->cols : i > t->rows)
		return SIZE_MAX;
	o = edge_of(t, a, b);
	if (o == skip || t->mark[o] == SUPP_SHOWN)
		return SIZE_MAX;
	return b;
}

static size_t
degree_span(const struct supp_table *t, size_t a)
{
	return a <= t->rows ? t->cols + 1 : t->rows + 1;
}

/* Tarjan's bridge search from a, entered through the edge at offset from (SIZE_MAX: none). */
static void
bridges(struct graph *g, size_t a, size_t from)
{
	g->disc[a] = g->low[a] = ++g->clock;
	for (size_t i = 0; i < degree_span(g->t, a) && g->bridge == SIZE_MAX; i++) {
		size_t b = neighbour(g->t, a, i, from);

		if (b == SIZE_MAX)
			continue;
		if (g->disc[b] == 0) {
			bridges(g, b, edge_of(g->t, a, b));
			if (g->low[b] < g->low[a])
				g->low[a] = g->low[b];
			if (g->low[b] > g->disc[a])
				g->bridge = edge_of(g->t, a, b);
		} else if (g->disc[b] < g->low[a]) {
			g->low[a] = g->disc[b];
		}
	}
}

/* Marks with m every node reached from a without the edge at offset skip. */
static void
reach(struct graph *g, size_t a, size_t skip, unsigned char m)
{
	size_t *stack = xmalloc(g->nnodes * sizeof *stack), n = 0;

	g->comp[a] = m;
	stack[n++] = a;
	while (n > 0) {
		size_t x = stack[--n];

		for (size_t i = 0; i < degree_span(g->t, x); i++) {
			size_t y = neighbour(g->t, x, i, skip);

			if (y != SIZE_MAX && g->comp[y] == 0) {
				g->comp[y] = m;
				stack[n++] = y;
			}
		}
	}
	free(stack);
}

/*
 * Finds an entry on no cycle of hidden entries and hides one more so that it lies on one:
 * the smallest nonzero shown entry joining its two sides, or, when every such entry is 0,
 * the smallest joining its row's side to anything else, which grows that side until a
 * later round closes the cycle (one exists: the counts themselves are a flow along which
 * every nonzero entry moves). Returns whether an entry was hidden.
 */
static bool
close_bridge(struct supp_table *t)
{
	struct graph g = {.t = t, .nnodes = nlines(t), .bridge = SIZE_MAX};
	size_t best = SIZE_MAX, w = t->cols + 1;
	bool across = false;

	g.disc = xcalloc(g.nnodes, sizeof *g.disc);
	g.low = xcalloc(g.nnodes, sizeof *g.low);
	g.comp = xcalloc(g.nnodes, 1);
	for (size_t a = 0; a < g.nnodes && g.bridge == SIZE_MAX; a++)
		if (g.disc[a] == 0)
			bridges(&g, a, SIZE_MAX);
	if (g.bridge != SIZE_MAX) {
		reach(&g, node_row(t, g.bridge), g.bridge, 1);
		reach(&g, node_col(t, g.bridge), g.bridge, 2);
		for (int keep = 0; keep < 3 && best == SIZE_MAX; keep++)
			for (size_t o = 0; o < (t->rows + 1) * w; o++) {
				unsigned char cr = g.comp[node_row(t, o)], cc = g.comp[node_col(t, o)];
				bool joins = cr != 0 && cc != 0 && cr != cc;
				bool grows = (cr == 1) != (cc == 1);

				if (!candidate(t, o, keep) || !(joins || grows))
					continue;
				/* One joining both sides beats any that only grows a side. */
				if (best == SIZE_MAX || (joins && !across) ||
				    (joins == across && t->v[o] < t->v[best])) {
					best = o;
					across = joins;
				}
			}
		if (best != SIZE_MAX)
			t->mark[best] = SUPP_HIDDEN;
	}
	free(g.disc);
	free(g.low);
	free(g.comp);
	return best != SIZE_MAX;
}

void
supp_apply(struct supp_table *t)
{
	size_t w = t->cols + 1, n = (t->rows + 1) * w;

	for (size_t i = 0; i <= t->rows; i++)
		*supp_at(t, i, t->cols) = 0;
	for (size_t j = 0; j <= t->cols; j++)
		*supp_at(t, t->rows, j) = 0;
	for (size_t i = 0; i < t->rows; i++)
		for (size_t j = 0; j < t->cols; j++) {
			long v = supp_get(t, i, j);

			*supp_at(t, i, t->cols) += v;
			*supp_at(t, t->rows, j) += v;
			*supp_at(t, t->rows, t->cols) += v;
		}
	for (size_t o = 0; o < n; o++)
		t->mark[o] = t->v[o] >= 1 && t->v[o] <= 4 ? SUPP_SMALL :
		    t->v[o] > 0 && t->want[o] == WANT_HIDE ? SUPP_HIDDEN : SUPP_SHOWN;

	/*
	 * Each round hides one entry more, so this ends: at worst every nonzero entry is hidden,
	 * where no entry is a bridge. A line may still pin an entry by its bounds alone then
	 * (four "<5" under a total "<5" are 1 each): suppress.h says so.
	 */
	for (;;) {
		bool hid = false;

		for (size_t k = 0; k < nlines(t); k++)
			if (supp_line_reveals(t, k) && hide_in_line(t, k))
				hid = true;
		if (!hid)
			hid = close_bridge(t);
		if (!hid)
			break;
	}
}
