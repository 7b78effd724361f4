/*
 * share-check: answers whether one partner may pass a case's information of one category to
 * another on a date (R10, R11): exit 0 and the record that allows it, or exit 1 and why not.
 * The same decision covers plan-show --for and the consultation minutes.
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
    "usage: share-check [-C DIR] CASE-ID --from PARTNER --to PARTNER --category CAT\n"
    "                   [--purpose PURPOSE] [--date DATE] [-q]\n"
    "\n"
    "May partner TO receive information of category CAT that partner FROM holds? Exit 0 and\n"
    "the consent or legal basis that allows it, or exit 1 and the reason it may not.\n"
    "\n"
    "  -C DIR            the store (default: $CASUS_REPO, else the current directory)\n"
    "  --from PARTNER    the partner that holds the information\n"
    "  --to PARTNER      the partner that would receive it\n"
    "  --category CAT    the information category, as in casus.yaml\n"
    "  --purpose P       casusoverleg, reintegration, aftercare, or an art. 458ter purpose\n"
    "                    (integrity, terrorism, criminal-organisation); default: the case\n"
    "                    consultation, covered by a consent for casusoverleg or by any basis\n"
    "  --date DATE       the day of the sharing (default: today)\n"
    "  -q, --quiet       print nothing; the exit status tells\n"
    "  -h, --help        show this help\n"
    "      --version     show the version\n";

/*
 * The purpose --purpose names: a consent's, or an art. 458ter basis's (then q->basis). Dies
 * naming every purpose of both tables if it is neither.
 */
static void
parse_purpose(const char *arg, struct share_query *q)
{
	int i = vocab_find(vocab_purposes, arg);
	char *consent, *basis;

	if (i >= 0) {
		q->purpose = (enum purpose)i;
		return;
	}
	i = vocab_find(vocab_basis_purposes, arg);
	if (i >= 0) {
		q->basis = true;
		q->basis_purpose = (enum basis_purpose)i;
		return;
	}
	consent = vocab_list(vocab_purposes);
	basis = vocab_list(vocab_basis_purposes);
	err_set("cannot use --purpose '%s': not one of %s, %s", arg, consent, basis);
	free(consent);
	free(basis);
	err_print();
	exit(EXIT_ERROR);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"from", required_argument, NULL, 'f'},
		{"to", required_argument, NULL, 't'},
		{"category", required_argument, NULL, 'c'},
		{"purpose", required_argument, NULL, 'p'},
		{"date", required_argument, NULL, 'd'},
		{"quiet", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct share_query q = {.purpose = PURPOSE_CASUSOVERLEG};
	struct share_answer ans = {0};
	struct records rs = {0};
	struct problems ps = {0};
	struct store *s;
	struct view *v = NULL;
	struct settings *cfg = NULL;
	const char *id, *date = NULL, *purpose = NULL;
	bool quiet = false;
	int c, status = EXIT_ERROR;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "q", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			q.from = optarg;
			break;
		case 't':
			q.to = optarg;
			break;
		case 'c':
			q.category = optarg;
			break;
		case 'p':
			purpose = optarg;
			break;
		case 'd':
			date = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (argc - optind != 1)
		cli_usage_error(&cli, "expected one CASE-ID");
	if (!q.from || !q.to || !q.category)
		cli_usage_error(&cli, "--from, --to and --category are required");
	id = argv[optind];
	if (case_id_check(id) < 0 || (date == NULL && date_today(&q.date) < 0)) {
		err_print();
		return EXIT_ERROR;
	}
	if (date)
		q.date = cli_date("date", date);
	if (purpose)
		parse_purpose(purpose, &q);
	s = casus_open_reader(cli.dir);
	if (store_view(s, &v) < 0 || (cfg = settings_read(v, NULL)) == NULL)
		goto done;
	/* The settings' own checks say which names are known, in the words every program uses. */
	if (!settings_check_partner(cfg, q.from, NULL, 0, NULL, &ps) ||
	    !settings_check_partner(cfg, q.to, NULL, 0, NULL, &ps) ||
	    !settings_check_category(cfg, q.category, NULL, 0, NULL, &ps)) {
		err_set("cannot check: %s", ps.v[0].msg);
		goto done;
	}
	if (case_exists(v, id) != 1 || records_read(v, id, &rs) < 0)
		goto done;
	share_decide(cfg, &rs, &q, &ans);
	if (!quiet)
		printf("%s: %s\n", ans.allowed ? "yes" : "no", ans.reason);
	status = ans.allowed ? EXIT_YES : EXIT_NO;
done:
	if (status == EXIT_ERROR)
		err_print();
	share_answer_free(&ans);
	problems_free(&ps);
	records_free(&rs);
	settings_free(cfg);
	view_close(v);
	store_close(s);
	return status;
}
