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
enum field {
	F_ID, F_KIND, F_DATE, F_UNTIL, F_STATUS, F_FROM, F_TO, F_PARTICIPANTS, F_CATEGORIES,
	F_PURPOSE, F_HOW, F_INFORMED, F_TOLD, F_LANGUAGE, F_EVIDENCE, F_WITHDRAWS, F_BASIS,
	F_REFERENCE, F_RECORDED, F_N
};
static const char *const fields[F_N] = {
	"id", "kind", "date", "until", "status", "from", "to", "participants", "categories",
	"purpose", "how", "informed", "told", "language", "evidence", "withdraws", "basis",
	"reference", "recorded",
};

static char *
names(const struct consent_name *l, size_t n)
{
	struct buf b = {0};

	if (n == 0)
		return NULL;
	for (size_t i = 0; i < n; i++)
		buf_printf(&b, "%s%s", i ? ", " : "", l[i].name);
	return buf_detach(&b);
}

static char *
dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

/* The value of field f of rec on day on as one line of text (lists joined with ", "), or NULL when rec has none. */
static char *
value(const struct records *rs, const struct consent_record *rec, enum field f, struct date on)
{
	char d[11];

	switch (f) {
	case F_ID: return xstrdup(rec->id);
	case F_KIND: return xstrdup(vocab_word(vocab_record_kinds, rec->kind));
	case F_DATE: return xstrdup(date_format(rec->date, d));
	case F_UNTIL: return date_valid(rec->until) ? xstrdup(date_format(rec->until, d)) : NULL;
	case F_STATUS: return consent_status_text(rs, rec, on);
	case F_FROM: return names(rec->from, rec->nfrom);
	case F_TO: return names(rec->to, rec->nto);
	case F_PARTICIPANTS: return names(rec->participants, rec->nparticipants);
	case F_CATEGORIES: return names(rec->categories, rec->ncategories);
	case F_PURPOSE: return dup_or_null(consent_purpose_word(rec));
	case F_HOW: return rec->how == HOW_N ? NULL : xstrdup(vocab_word(vocab_how, rec->how));
	case F_INFORMED:
		if (rec->kind != RK_CONSENT && rec->kind != RK_REFUSAL)
			return NULL;
		return xstrdup(rec->informed ? "yes" : "no");
	case F_TOLD: return dup_or_null(rec->told);
	case F_LANGUAGE: return dup_or_null(rec->language);
	case F_EVIDENCE: return dup_or_null(rec->evidence);
	case F_WITHDRAWS: return dup_or_null(rec->withdraws);
	case F_BASIS: return rec->basis == BASIS_N ? NULL : xstrdup(vocab_word(vocab_basis_kinds, rec->basis));
	case F_REFERENCE: return dup_or_null(rec->reference);
	case F_RECORDED: return xstrdup(date_format(rec->recorded, d));
	case F_N: break;
	}
	return NULL;
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
		const struct consent_record *rec = rs->v[i];
		char *st = consent_status_text(rs, rec, on), *v;

		printf("\n%s  %-10s %s  %s\n", rec->id, vocab_word(vocab_record_kinds, rec->kind),
		    date_format(rec->date, d), st);
		for (int f = F_FROM; f < F_N; f++) {
			v = value(rs, rec, f, on);
			if (v == NULL)
				continue;
			printf("    %-13s ", fields[f]);
			out_text(stdout, v, strlen(v), false);
			putchar('\n');
			free(v);
		}
		v = value(rs, rec, F_UNTIL, on);
		if (v)
			printf("    %-13s %s\n", "until", v);
		free(v);
		free(st);
	}
}

static void
show_tsv(const struct records *rs, struct date on)
{
	for (int f = 0; f < F_N; f++)
		printf("%s%s", f ? "\t" : "", fields[f]);
	putchar('\n');
	for (size_t i = 0; i < rs->n; i++) {
		for (int f = 0; f < F_N; f++) {
			char *v = value(rs, rs->v[i], f, on);

			if (f)
				putchar('\t');
			if (v)
				out_tsv(stdout, v, strlen(v));
			free(v);
		}
		putchar('\n');
	}
}

/* The records as stored, each with its status on the day beside it (derived, not stored). */
static int
show_json(const struct records *rs, struct date on)
{
	struct doc *all = doc_new(DOC_MAP), *list = doc_new(DOC_SEQ);
	char d[11], *out;
	size_t len;
	int r;

	doc_set(all, "date", doc_new_str(date_format(on, d)));
	for (size_t i = 0; i < rs->n; i++) {
		struct doc *rec = doc_clone(rs->v[i]->doc);
		char *st = consent_status_text(rs, rs->v[i], on);

		doc_set(rec, "status", doc_new_str(st));
		doc_set(rec, "in_force", doc_new_bool(consent_status(rs, rs->v[i], on, NULL) == CS_IN_FORCE &&
		    rs->v[i]->kind != RK_WITHDRAWAL));
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
	struct view *v = NULL;
	struct date on;
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
	if (date)
		on = cli_date("date", date);
	s = casus_open_reader(cli.dir);
	r = store_view(s, &v) < 0 || case_exists(v, id) != 1 || records_read(v, id, &rs) < 0 ? -1 : 0;
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
