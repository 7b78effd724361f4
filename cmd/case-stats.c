/*
 * case-stats: counts over every case for knowledge management and phenomenon analysis, from
 * the index, every table suppressed (lib/suppress.h) so that no single detainee can be singled
 * out: no count from 1 to 4 is printed, nor one that lets such a count be worked out.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "index.h"
#include "mem.h"
#include "msg.h"
#include "stats.h"

static const char usage[] =
    "usage: case-stats [-C DIR] [--institution NAME] [--by institution|domain|month|year]\n"
    "                  [--format text|tsv|json]\n"
    "\n"
    "Count the cases: open, opened and closed, life-domain statuses, consents, the\n"
    "consultations due, and the days to a complete plan, grouped by institution (the\n"
    "default), domain, month or year.\n"
    "A count from 1 to 4 is shown as <5, and a count that would give one away as x.\n"
    "Exit 0 when done, 2 on error.\n"
    "\n"
    "  -C DIR              the store (default: $CASUS_REPO, else the current directory)\n"
    "  --institution NAME  only the cases of this institution\n"
    "  --by GROUP          the rows: institution, domain, month or year\n"
    "  --format FMT        text (the default), tsv or json\n"
    "  -h, --help          show this help\n"
    "      --version       show the version\n";

struct walk {
	struct index *ix;
	struct stats *st;
	struct date today;
};

static int
add_case(void *arg, const struct index_case *c)
{
	struct walk *w = arg;

	if (!c->ok) {
		char *q = quote_text_str(c->id);

		warnmsg("case '%s' left out: its files cannot be read; case-validate says why", q);
		free(q);
	}
	stats_add(w->st, c);
	return 0;
}

/* Whether the entry at row i, column j is printed (a total that means nothing is not). */
static bool
printed(const struct stats_table *t, size_t i, size_t j)
{
	return (j < t->t->cols || t->row_totals) && (i < t->t->rows || t->col_totals);
}

static const char *
row_label(const struct stats_table *t, size_t i)
{
	return i < t->t->rows ? t->rows[i] : "total";
}

static const char *
col_label(const struct stats_table *t, size_t j)
{
	return j < t->t->cols ? t->cols[j] : "total";
}

/* Text for a person: each table under its name, the columns aligned. */
static void
show_text(const struct stats_table *v, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		const struct stats_table *t = &v[k];
		size_t w0 = strlen(t->row_head), *w = xcalloc(t->t->cols + 1, sizeof *w);
		char buf[24];

		for (size_t i = 0; i <= t->t->rows; i++) {
			size_t l = strlen(row_label(t, i));

			if (printed(t, i, 0) && l > w0)
				w0 = l;
		}
		for (size_t j = 0; j <= t->t->cols; j++) {
			w[j] = strlen(col_label(t, j));
			for (size_t i = 0; i <= t->t->rows; i++)
				if (printed(t, i, j) && strlen(supp_text(t->t, i, j, buf)) > w[j])
					w[j] = strlen(buf);
		}
		printf("%s%s\n", k ? "\n" : "", t->name);
		for (size_t i = 0; i <= t->t->rows + 1; i++) {
			/* Line 0 is the heading; then the rows, the totals last. */
			const char *label = i == 0 ? t->row_head : row_label(t, i - 1);

			if (i > 0 && !printed(t, i - 1, 0))
				continue;
			out_text(stdout, label, strlen(label), false);
			printf("%*s", (int)(w0 - strlen(label)), "");
			for (size_t j = 0; j <= t->t->cols; j++) {
				const char *s = i == 0 ? col_label(t, j) : supp_text(t->t, i - 1, j, buf);

				if (printed(t, i ? i - 1 : 0, j) || (i == 0 && (j < t->t->cols || t->row_totals)))
					printf("  %*s", (int)w[j], s);
			}
			putchar('\n');
		}
		free(w);
	}
}

/* TSV for a script: one count a line, its table, row and column named. */
static void
show_tsv(const struct stats_table *v, size_t n)
{
	char buf[24];

	puts("table\trow\tcolumn\tcount");
	for (size_t k = 0; k < n; k++)
		for (size_t i = 0; i <= v[k].t->rows; i++)
			for (size_t j = 0; j <= v[k].t->cols; j++) {
				const char *r = row_label(&v[k], i);

				if (!printed(&v[k], i, j))
					continue;
				printf("%s\t", v[k].name);
				out_tsv(stdout, r, strlen(r));
				printf("\t%s\t%s\n", col_label(&v[k], j), supp_text(v[k].t, i, j, buf));
			}
}

/* A count as JSON: the number when shown, else "<5" or "x". */
static struct doc *
count_json(const struct supp_table *t, size_t i, size_t j)
{
	char buf[24];

	if (supp_mark_at(t, i, j) == SUPP_SHOWN)
		return doc_new_int(supp_get(t, i, j));
	return doc_new_str(supp_text(t, i, j, buf));
}

static int
show_json(const struct stats_table *v, size_t n, enum stats_by by, const char *institution,
    struct date today)
{
	struct doc *top = doc_new(DOC_MAP), *tables = doc_new(DOC_SEQ);
	char d[11], *out;
	size_t len;
	int r;

	doc_set(top, "date", doc_new_str(date_format(today, d)));
	doc_set(top, "by", doc_new_str(stats_by_words[by]));
	doc_set(top, "institution", institution ? doc_new_str(institution) : doc_new(DOC_NULL));
	for (size_t k = 0; k < n; k++) {
		const struct stats_table *t = &v[k];
		struct doc *tab = doc_new(DOC_MAP), *cols = doc_new(DOC_SEQ), *rows = doc_new(DOC_SEQ);
		struct doc *total = NULL;

		doc_set(tab, "name", doc_new_str(t->name));
		doc_set(tab, "rows", doc_new_str(t->row_head));
		for (size_t j = 0; j < t->t->cols; j++)
			doc_push(cols, doc_new_str(t->cols[j]));
		doc_set(tab, "columns", cols);
		for (size_t i = 0; i <= t->t->rows; i++) {
			struct doc *row = doc_new(DOC_MAP), *counts = doc_new(DOC_MAP);

			if (!printed(t, i, 0)) {
				doc_free(row);
				doc_free(counts);
				continue;
			}
			for (size_t j = 0; j <= t->t->cols; j++)
				if (printed(t, i, j))
					doc_set(counts, col_label(t, j), count_json(t->t, i, j));
			if (i < t->t->rows) {
				doc_set(row, "row", doc_new_str(t->rows[i]));
				doc_set(row, "counts", counts);
				doc_push(rows, row);
			} else {
				doc_free(row);
				total = counts;
			}
		}
		doc_set(tab, "data", rows);
		if (total)
			doc_set(tab, "total", total);
		doc_push(tables, tab);
	}
	doc_set(top, "tables", tables);
	r = doc_emit_json(top, true, &out, &len);
	if (r == 0) {
		fwrite(out, 1, len, stdout);
		free(out);
	}
	doc_free(top);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"institution", required_argument, NULL, 'i'},
		{"by", required_argument, NULL, 'b'},
		{"format", required_argument, NULL, 'F'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	enum cli_format fmt = FMT_TEXT;
	enum stats_by by = STATS_BY_INSTITUTION;
	const char *institution = NULL;
	struct store *s;
	struct view *v = NULL;
	struct settings *cfg = NULL;
	struct walk w = {0};
	const struct stats_table *tables;
	size_t n;
	int c, r = -1;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			institution = optarg;
			break;
		case 'b': {
			int k = -1;

			for (int i = 0; i < STATS_BY_N; i++)
				if (strcmp(optarg, stats_by_words[i]) == 0)
					k = i;
			if (k < 0) {
				char *q = quote_text_str(optarg);

				cli_usage_error(&cli, "cannot use --by '%s': not institution, domain, month or year", q);
			}
			by = (enum stats_by)k;
			break;
		}
		case 'F':
			fmt = cli_format(&cli, optarg, 1u << FMT_TEXT | 1u << FMT_TSV | 1u << FMT_JSON);
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (argc != optind)
		cli_usage_error(&cli, "unexpected argument '%s'", argv[optind]);
	if (date_today(&w.today) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	s = casus_open_reader(cli.dir);
	if (index_open(s, 0, &w.ix, NULL) == 0 && index_view(w.ix, &v) == 0 &&
	    (cfg = settings_read(v, NULL)) != NULL) {
		w.st = stats_new(cfg, by, institution, w.today);
		r = index_cases(w.ix, INDEX_DOMAINS | INDEX_OVERLEGS | INDEX_RECORDS, add_case, &w);
		if (r == 0 && !stats_institution_seen(w.st) && stats_left_out(w.st) == 0)
			r = cli_institution_unused(institution);
	}
	if (r == 0) {
		n = stats_finish(w.st, &tables);
		if (fmt == FMT_JSON)
			r = show_json(tables, n, by, institution, w.today);
		else if (fmt == FMT_TSV)
			show_tsv(tables, n);
		else
			show_text(tables, n);
	}
	if (r < 0)
		err_print();
	stats_free(w.st);
	settings_free(cfg);
	view_close(v);
	index_close(w.ix);
	store_close(s);
	return r < 0 ? EXIT_ERROR : EXIT_YES;
}
