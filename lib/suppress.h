/*
 * suppress.h: statistical disclosure control of a table of counts before it is published to
 * the partners (issue 13): no single detainee may be singled out, so a count from 1 to 4 is
 * never shown, nor anything that lets one be worked out from what is shown.
 *
 * A table is R rows by C columns of counts with its totals: row totals, column totals and a
 * grand total, always the sums of the counts (the library computes them, so the equations a
 * reader would use hold). It is kept as an (R+1) x (C+1) grid: column C holds the row
 * totals, row R the column totals, the corner the grand total. Every row and every column of
 * the grid, the totals' row and column among them, is a line: its cells add up to its total.
 *
 * supp_apply() marks:
 *   - primary: every entry from 1 to 4, counts and totals alike, shown as "<5"; 0 is shown;
 *   - complementary: entries hidden so that no primary one can be worked out, shown as "x".
 *     Only nonzero entries are hidden this way: a hidden 0 hides nothing (a reader who knows
 *     the rule knows an "x" is at least 5), so it never makes a line safe.
 * What the marks guarantee, for a reader who knows "<5" is 1..4 and "x" at least 5:
 *   1. no line has a hidden entry whose value follows from that line alone, its other hidden
 *      entries held to those bounds (a line with one hidden entry; a "<5" beside an "x" where
 *      the line leaves 6 for the two, which can only be 1 + 5), but for one case no hiding
 *      of a nonzero entry can help: a line whose nonzero entries are all hidden already and
 *      still pin one, as four "<5" under a total "<5" (each is 1). No subtraction gives
 *      that: it is the bounds alone, and the line is left so;
 *   2. no hidden entry follows from any sum or difference of lines: each lies on a cycle of
 *      hidden entries (row, column, row, ...), along which it can move while every line's
 *      sum holds. A hidden entry that lies on none (two hidden blocks joined by one hidden
 *      entry, each line with two or more) is found this way, and a further one is hidden.
 * Bounds carried across several lines at once (linear programming over the whole table) are
 * not audited: tables here are small and the two rules above are what a reader can do by
 * hand. The choice of complementary entries is the smallest nonzero shown count of the line
 * (a count before the line's total), ties to the first, so the same table gives the same marks.
 */
#ifndef CASUS_SUPPRESS_H
#define CASUS_SUPPRESS_H

#include <stdbool.h>
#include <stddef.h>

enum supp_mark { SUPP_SHOWN, SUPP_SMALL, SUPP_HIDDEN };

struct supp_table {
	size_t rows, cols;              /* counts, totals not included */
	long *v;                        /* (rows + 1) x (cols + 1), row-major; use supp_at() */
	unsigned char *mark;            /* enum supp_mark per entry, same shape; set by supp_apply() */
	unsigned char *want;            /* what the caller asked of each entry: supp_keep(), supp_hide() */
};

/*
 * A table of rows x cols counts, all 0 and shown. cols is at least 1; rows may be 0 (a table
 * of its totals alone). Never NULL
 * (dies on out of memory, as xmalloc()). Free with supp_free().
 */
struct supp_table *supp_new(size_t rows, size_t cols);
void supp_free(struct supp_table *t);                   /* NULL is allowed */

/*
 * The entry at row i, column j of the grid: i == rows is the column totals' row, j == cols the
 * row totals' column. i <= rows, j <= cols. The caller sets counts (i < rows, j < cols) only;
 * each must be 0 or more.
 */
long *supp_at(struct supp_table *t, size_t i, size_t j);
long supp_get(const struct supp_table *t, size_t i, size_t j);
enum supp_mark supp_mark_at(const struct supp_table *t, size_t i, size_t j);

/*
 * What a caller that publishes an entry elsewhere too asks of it, before supp_apply(), so
 * that the two places agree: supp_keep(), hide it for another entry's sake only when nothing
 * else of its line or cycle can be hidden (a caller checks the marks after); supp_hide(), hide
 * it whatever (a 0 stays shown: it hides nothing), and protect it as any hidden entry.
 */
void supp_keep(struct supp_table *t, size_t i, size_t j);
void supp_hide(struct supp_table *t, size_t i, size_t j);

/*
 * Computes the totals from the counts and marks every entry as above. May be called again
 * after counts change: the marks start afresh.
 */
void supp_apply(struct supp_table *t);

/*
 * The entry as published: "<5", "x" or the number, written into buf (24 bytes, NUL-ended).
 * Returns buf.
 */
char *supp_text(const struct supp_table *t, size_t i, size_t j, char buf[24]);

/*
 * Whether line k leaves a hidden entry to a single value, for a reader who knows the bounds
 * above: rows are k = 0..rows, columns k = rows + 1 .. rows + 1 + cols. The line's cells then
 * its total. For the tests' checker and supp_apply() alike: the one reading of a line.
 */
bool supp_line_reveals(const struct supp_table *t, size_t k);

#endif
