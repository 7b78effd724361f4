/*
 * consent-show: lists every consent, refusal, withdrawal and legal basis of a case, and which
 * were in force on a date, for people (text) and for scripts (tsv, json). Changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "consent.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: consent-show [-C DIR] CASE-ID [--date DATE] [--format text|tsv|json]\n"
    "\n"
    "List the consents, refusals, withdrawals and legal bases of a case, and which were in\n"
    "force on DATE.\n"
    "\n"
    "  -C DIR          the store (default: $CASUS_REPO, else the current directory)\n"
    "  --date DATE     the day to judge (default: today)\n"
    "  --format FMT    text (the default), tsv (with a header line) or json\n"
    "  -h, --help      show this help\n"
    "      --version   show the version\n";

/* The fields of a record, in the order of the tsv columns. */
static const char *const fields[] = {
	"id", "kind", "date", "until", "status", "to", "participants", "categories", "purpose",
	"how", "informed", "evidence", "withdraws", "basis", "reference", "recorded", NULL,
};

static struct date
get_date(const struct doc *rec, const char *key)
{
	struct date d = {0, 0, 0};
	const char *v = doc_get_str(rec, key);

	if (v)
		date_parse(v, strlen(v), &d);
	return d;
}

/* "in force", "not yet in force", "expired", "withdrawn on DATE", for a record on date. */
static char *
status_of(const struct records *rs, const struct doc *rec, struct date on)
{
	const char *kind = doc_get_str(rec, "kind");
	const struct doc *w;

	if (date_cmp(get_date(rec, "date"), on) > 0)
		return xstrdup(strcmp(kind, "withdrawal") == 0 ? "not yet effective" : "not yet in force");
	if (strcmp(kind, "withdrawal") == 0)
		return xstrdup("effective");
	/* A consent or a legal basis can be withdrawn; share-check counts both the same. */
	w = records_withdrawal(rs, doc_get_str(rec, "id"), &on);
	if (w)
		return xasprintf("withdrawn on %s", doc_get_str(w, "date"));
	if (doc_get(rec, "until") && date_cmp(on, get_date(rec, "until")) > 0)
		return xstrdup("expired");
	return xstrdup("in force");
}

/* The value of a field as one line of text: lists joined with ", ". */
static char *
value(const struct doc *rec, const char *key)
{
	const struct doc *v = doc_get(rec, key);
	struct buf b = {0};

	if (v == NULL)
		return xstrdup("");
	if (v->type == DOC_BOOL)
		return xstrdup(v->b ? "yes" : "no");
	if (v->type == DOC_SEQ) {
		for (size_t i = 0; i < v->n; i++) {
			if (i)
				buf_adds(&b, ", ");
			buf_add(&b, v->items[i]->s, v->items[i]->len);
		}
		return buf_detach(&b);
	}
	return xstrndup(v->s, v->len);
}

static void
show_text(const struct records *rs, struct date on)
{
	char d[11];

	if (rs->n == 0) {
		printf("no consent, refusal, withdrawal or legal basis recorded\n");
		return;
	}
	printf("on %s:\n", date_format(on, d));
	for (size_t i = 0; i < rs->n; i++) {
		const struct doc *rec = rs->v[i];
		char *st = status_of(rs, rec, on);

		printf("\n%s  %-10s %s  %s\n", doc_get_str(rec, "id"), doc_get_str(rec, "kind"),
		    doc_get_str(rec, "date"), st);
		for (int f = 5; fields[f]; f++) {
			char *v;

			if (doc_get(rec, fields[f]) == NULL)
				continue;
			v = value(rec, fields[f]);
			printf("    %-13s ", fields[f]);
			out_text(stdout, v, strlen(v), false);
			putchar('\n');
			free(v);
		}
		if (doc_get(rec, "until")) {
			printf("    %-13s %s\n", "until", doc_get_str(rec, "until"));
		}
		free(st);
	}
}

static void
show_tsv(const struct records *rs, struct date on)
{
	for (int f = 0; fields[f]; f++)
		printf("%s%s", f ? "\t" : "", fields[f]);
	putchar('\n');
	for (size_t i = 0; i < rs->n; i++) {
		for (int f = 0; fields[f]; f++) {
			char *v = strcmp(fields[f], "status") == 0 ? status_of(rs, rs->v[i], on)
			    : value(rs->v[i], fields[f]);

			if (f)
				putchar('\t');
			out_tsv(stdout, v, strlen(v));
			free(v);
		}
		putchar('\n');
	}
}

static int
show_json(const struct records *rs, struct date on)
{
	struct doc *all = doc_new(DOC_MAP), *list = doc_new(DOC_SEQ);
	char d[11], *out;
	size_t len;
	int r;

	doc_set(all, "date", doc_new_str(date_format(on, d)));
	for (size_t i = 0; i < rs->n; i++) {
		struct doc *rec = doc_clone(rs->v[i]);
		char *st = status_of(rs, rs->v[i], on);

		doc_set(rec, "status", doc_new_str(st));
		doc_set(rec, "in_force", doc_new_bool(strcmp(st, "in force") == 0));
		doc_push(list, rec);
		free(st);
	}
	doc_set(all, "records", list);
	r = doc_emit_json(all, true, &out, &len);
	if (r == 0) {
		fwrite(out, 1, len, stdout);
		free(out);
	}
	doc_free(all);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"date", required_argument, NULL, 'd'},
		{"format", required_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	enum cli_format fmt = FMT_TEXT;
	struct records rs = {0};
	struct store *s;
	struct date on;
	struct view *v = NULL;
	const char *id, *date = NULL;
	int c, r, status = EXIT_ERROR;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (c == 'd')
			date = optarg;
		else if (c == 'f')
			fmt = cli_format(&cli, optarg, 1u << FMT_TEXT | 1u << FMT_TSV | 1u << FMT_JSON);
		else
			cli_option(&cli, c);
	}
	if (argc - optind != 1)
		cli_usage_error(&cli, "expected one CASE-ID");
	id = argv[optind];
	if (case_id_check(id) < 0 || (date == NULL && date_today(&on) < 0)) {
		err_print();
		return EXIT_ERROR;
	}
	if (date && date_parse(date, strlen(date), &on) < 0)
		die("cannot use --date '%s': not a valid date (YYYY-MM-DD)", date);
	s = casus_open(cli.dir);
	r = store_view(s, &v);
	if (r == 0)
		r = case_exists(v, id) == 1 ? records_read(v, id, &rs) : -1;
	if (r == 0) {
		if (fmt == FMT_TSV)
			show_tsv(&rs, on);
		else if (fmt == FMT_JSON)
			r = show_json(&rs, on);
		else
			show_text(&rs, on);
	}
	if (r == 0)
		status = EXIT_YES;
	else
		err_print();
	records_free(&rs);
	view_close(v);
	store_close(s);
	return status;
}
