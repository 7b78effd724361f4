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

enum { D_START, D_LEAVE, D_RELEASE, D_END, ND };
static const char *const datekeys[ND] = {
	"detention_start", "leave_eligible", "release_eligible", "sentence_end",
};

struct plannew {
	const char *id, *institution, *reason;
	const char *dates[ND];
	char **team;            /* "partner=email" */
	size_t nteam;
};

static struct doc *
new_plan(const struct plannew *p)
{
	struct doc *plan = doc_new(DOC_MAP), *dates = doc_new(DOC_MAP), *team = doc_new(DOC_MAP);
	struct doc *domains = doc_new(DOC_MAP), *d, *list;

	doc_set(plan, "case_id", doc_new_str(p->id));
	doc_set(plan, "institution", doc_new_str(p->institution));
	doc_set(plan, "status", doc_new_str("open"));
	for (int i = 0; i < ND; i++)
		if (p->dates[i])
			doc_set(dates, datekeys[i], doc_new_str(p->dates[i]));
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
	char *path = case_path(p->id, "plan.yaml");
	struct doc *plan;
	char *buf;
	size_t len;
	int r = txn_read(c->t, path, &buf, &len);

	free(path);
	if (r == 0) {
		free(buf);
		err_set("cannot create case '%s': it exists already", p->id);
		return -1;
	}
	if (r < 0)
		return -1;
	for (size_t i = 0; i < p->nteam; i++) {
		const char *email = strchr(p->team[i], '=') + 1;
		const struct member *m = settings_member(c->cfg, email);

		if (m && !m->active) {
			err_set("cannot create case '%s': team member '%s' is no longer active", p->id, email);
			return -1;
		}
	}
	plan = new_plan(p);
	r = txn_put_case_doc(c->t, c->cfg, plan, p->id, "plan");
	doc_free(plan);
	casus_message(c->t, "open case", p->id, p->reason);
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
	struct date d, prev = {0, 0, 0};
	size_t cap = 0;
	int c, r, last = -1;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "m:", longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			p.institution = optarg;
			break;
		case 'S':
			p.dates[D_START] = optarg;
			break;
		case 'L':
			p.dates[D_LEAVE] = optarg;
			break;
		case 'R':
			p.dates[D_RELEASE] = optarg;
			break;
		case 'E':
			p.dates[D_END] = optarg;
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
	if (p.institution == NULL || p.dates[D_START] == NULL)
		cli_usage_error(&cli, "--institution and --detention-start are required");
	p.id = argv[optind];
	if (case_id_check(p.id) < 0 || casus_reason_check(p.reason) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	if (!text_ok(p.institution, strlen(p.institution), false))
		die("cannot use the institution: it must be UTF-8 text without control characters");
	/* Dates are checked here too, so the message names the option the user typed. */
	for (int i = 0; i < ND; i++) {
		if (p.dates[i] == NULL)
			continue;
		if (date_parse(p.dates[i], strlen(p.dates[i]), &d) < 0)
			die("cannot use --%s '%s': not a valid date (YYYY-MM-DD)", longopts[3 + i].name, p.dates[i]);
		if (last >= 0 && date_cmp(prev, d) > 0)
			die("cannot use --%s %s: it is before --%s %s", longopts[3 + i].name, p.dates[i],
			    longopts[3 + last].name, p.dates[last]);
		prev = d;
		last = i;
	}
	s = casus_open(cli.dir);
	r = casus_change(s, create, &p);
	store_close(s);
	free(p.team);
	return casus_exit(r);
}
