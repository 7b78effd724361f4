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
	struct share_query q = {0};
	struct share_answer ans;
	struct records rs = {0};
	struct store *s;
	struct settings *cfg = NULL;
	struct view *v = NULL;
	const char *id, *date = NULL;
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
			q.purpose = optarg;
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
	if (date && date_parse(date, strlen(date), &q.date) < 0)
		die("cannot use --date '%s': not a valid date (YYYY-MM-DD)", date);
	if (q.purpose && !str_in_list(consent_purposes, q.purpose) && !str_in_list(basis_purposes, q.purpose))
		die("cannot use --purpose '%s': not one of casusoverleg, reintegration, aftercare, "
		    "integrity, terrorism, criminal-organisation", q.purpose);
	s = casus_open(cli.dir);
	if (store_view(s, &v) < 0 || (cfg = settings_read(v, NULL)) == NULL)
		goto done;
	if (!settings_partner(cfg, q.from) || !settings_partner(cfg, q.to)) {
		char *known = settings_partner_list(cfg);

		err_set("cannot check: unknown partner '%s' (known: %s)",
		    settings_partner(cfg, q.from) ? q.to : q.from, known);
		free(known);
		goto done;
	}
	if (!settings_category(cfg, q.category)) {
		char *known = settings_category_list(cfg);

		err_set("cannot check: unknown category '%s' (known: %s)", q.category, known);
		free(known);
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
	records_free(&rs);
	settings_free(cfg);
	view_close(v);
	store_close(s);
	return status;
}
