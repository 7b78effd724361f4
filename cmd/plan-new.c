/*
 * plan-new: opens a case and its detention plan (R1), with the registry's dates, the fixed
 * team (R9) and the five life domains of R3 each still to assess. One commit; the message
 * names the case ID and nothing else about the person.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: plan-new [-C DIR] CASE-ID --institution NAME --detention-start DATE\n"
    "                [--leave-eligible DATE] [--release-eligible DATE] [--sentence-end DATE]\n"
    "                [--team PARTNER=EMAIL]... [-m REASON]\n"
    "\n"
    "Open a case and its detention plan, with every life domain still to assess.\n"
    "\n"
    "  -C DIR                   the store (default: $CASUS_REPO, else the current directory)\n"
    "  --institution NAME       the institution where the detainee is held\n"
    "  --detention-start DATE   the start of detention (YYYY-MM-DD)\n"
    "  --leave-eligible DATE    the leave eligibility date the prison administration gave\n"
    "  --release-eligible DATE  the release eligibility date\n"
    "  --sentence-end DATE      the end of the sentence\n"
    "  --team PARTNER=EMAIL     a fixed team member of a core partner; repeatable\n"
    "  -m, --message REASON     why, for the history\n"
    "  -h, --help               show this help\n"
    "      --version            show the version\n";

struct plannew {
	const char *id, *institution, *reason;
	const char *dates[PD_N];        /* as given, indexed by enum plan_date */
	char **team;                    /* "partner=email" */
	size_t nteam;
};

/* The new plan: every life domain still to assess (R3). */
static struct doc *
new_plan(const struct plannew *p)
{
	struct doc *plan = doc_new(DOC_MAP), *dates = doc_new(DOC_MAP), *team = doc_new(DOC_MAP);
	struct doc *domains = doc_new(DOC_MAP), *d, *list;

	doc_set(plan, "case_id", doc_new_str(p->id));
	doc_set(plan, "institution", doc_new_str(p->institution));
	doc_set(plan, "status", doc_new_str(vocab_word(vocab_plan_status, PLAN_OPEN)));
	for (int i = 0; i < PD_N; i++)
		if (p->dates[i])
			doc_set(dates, vocab_word(vocab_plan_dates, i), doc_new_str(p->dates[i]));
	doc_set(plan, "dates", dates);
	for (size_t i = 0; i < p->nteam; i++) {
		char *eq = strchr(p->team[i], '=');
		char *partner = xstrndup(p->team[i], (size_t)(eq - p->team[i]));

		list = doc_get(team, partner);
		if (list == NULL) {
			list = doc_new(DOC_SEQ);
			doc_set(team, partner, list);
		}
		doc_push(list, doc_new_str(eq + 1));
		free(partner);
	}
	doc_set(plan, "team", team);
	for (int i = 0; i < DOMAIN_N; i++) {
		d = doc_new(DOC_MAP);
		doc_set(d, "status", doc_new_str(vocab_word(vocab_domain_status, DS_TO_ASSESS)));
		doc_set(domains, vocab_word(vocab_domains, i), d);
	}
	doc_set(plan, "domains", domains);
	return plan;
}

static int
create(struct casus_tx *c, void *arg)
{
	struct plannew *p = arg;
	struct doc *plan;
	struct plan *decoded;
	const char *gone;
	int r = case_exists(c->v, p->id);

	if (r < 0)
		return -1;
	if (r == 1) {
		err_set("cannot create case '%s': it exists already", p->id);
		return -1;
	}
	plan = new_plan(p);
	/* The tree has the plan's shape whatever the options said: the schema judges them in plan_put(). */
	decoded = plan_decode(doc_clone(plan));
	gone = decoded ? plan_team_inactive(c->cfg, NULL, decoded) : NULL;
	if (decoded == NULL) {
		r = -1;
	} else if (gone) {
		err_set("cannot create case '%s': team member '%s' is no longer active", p->id, gone);
		r = -1;
	} else {
		r = plan_put(c->t, c->cfg, plan, p->id);
		casus_message(c->t, "open case", p->id, p->reason);
	}
	plan_free(decoded);
	doc_free(plan);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"institution", required_argument, NULL, 'i'},
		{"detention-start", required_argument, NULL, 'S'},
		{"leave-eligible", required_argument, NULL, 'L'},
		{"release-eligible", required_argument, NULL, 'R'},
		{"sentence-end", required_argument, NULL, 'E'},
		{"team", required_argument, NULL, 't'},
		{"message", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct plannew p = {0};
	struct store *s;
	struct date d[PD_N] = {{0, 0, 0}};
	size_t cap = 0;
	int c, r;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "m:", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			p.institution = optarg;
			break;
		case 'S':
			p.dates[PD_DETENTION_START] = optarg;
			break;
		case 'L':
			p.dates[PD_LEAVE_ELIGIBLE] = optarg;
			break;
		case 'R':
			p.dates[PD_RELEASE_ELIGIBLE] = optarg;
			break;
		case 'E':
			p.dates[PD_SENTENCE_END] = optarg;
			break;
		case 't':
			if (strchr(optarg, '=') == NULL)
				cli_usage_error(&cli, "cannot use --team '%s': expected PARTNER=EMAIL", optarg);
			xgrow((void **)&p.team, &cap, p.nteam + 1, sizeof *p.team);
			p.team[p.nteam++] = optarg;
			break;
		case 'm':
			p.reason = optarg;
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (argc - optind != 1)
		cli_usage_error(&cli, "expected one CASE-ID");
	if (p.institution == NULL || p.dates[PD_DETENTION_START] == NULL)
		cli_usage_error(&cli, "--institution and --detention-start are required");
	p.id = argv[optind];
	if (case_id_check(p.id) < 0 || casus_reason_check(p.reason) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	if (!text_ok(p.institution, strlen(p.institution), false))
		die("cannot use the institution: it must be UTF-8 text without control characters");
	/* Dates are checked here too, so the message names the option the user typed. */
	for (int i = 0; i < PD_N; i++) {
		int prev;

		if (p.dates[i] == NULL)
			continue;
		d[i] = cli_date(longopts[3 + i].name, p.dates[i]);
		prev = plan_date_out_of_order(d, i);
		if (prev >= 0)
			die("cannot use --%s %s: it is before --%s %s", longopts[3 + i].name, p.dates[i],
			    longopts[3 + prev].name, p.dates[prev]);
	}
	s = casus_open(cli.dir);
	r = casus_change(s, create, &p);
	store_close(s);
	free(p.team);
	return casus_exit(r);
}
