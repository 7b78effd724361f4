/*
 * member-add: registers a fixed team member of a core partner in casus.yaml, so that they may
 * write. One commit; the commit message names the member's e-mail in a trailer, never a case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: member-add [-C DIR] NAME EMAIL --partner PARTNER [--role ROLE] [-m REASON]\n"
    "\n"
    "Register a fixed team member, who may then write to the store.\n"
    "\n"
    "  -C DIR               the store (default: $CASUS_REPO, else the current directory)\n"
    "  --partner PARTNER    the core partner they represent, as in casus.yaml\n"
    "  --role ROLE          their role, e.g. \"justice assistant\"\n"
    "  -m, --message REASON why, for the history\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n";

struct add {
	const char *name, *email, *partner, *role, *reason;
	char today[11];
};

static int
add(struct casus_tx *c, void *arg)
{
	struct add *a = arg;
	struct doc *cfg = c->cfg, *m, *members, *back;
	struct problems ps = {0};
	char *out, *known;
	size_t len;
	int r;

	if (!config_partner(cfg, a->partner)) {
		known = config_list(cfg, "partners");
		err_set("cannot add member: unknown partner '%s' (known: %s)", a->partner, known);
		free(known);
		return -1;
	}
	m = (struct doc *)config_member(cfg, a->email);
	if (m != NULL) {
		err_set("cannot add member '%s': already registered%s", a->email,
		    config_member_active(cfg, a->email) ? "" : " (inactive; reactivate with case-config --edit)");
		return -1;
	}
	m = doc_new(DOC_MAP);
	doc_set(m, "email", doc_new_str(a->email));
	doc_set(m, "name", doc_new_str(a->name));
	doc_set(m, "partner", doc_new_str(a->partner));
	if (a->role)
		doc_set(m, "role", doc_new_str(a->role));
	doc_set(m, "active", doc_new_bool(true));
	doc_set(m, "since", doc_new_str(a->today));
	members = doc_get(cfg, "members");
	doc_push(members, m);
	if (!schema_validate(casus_schema("casus"), cfg, CASUS_CONFIG, &ps)) {
		err_set("cannot add member: %s: %s", ps.v[0].path, ps.v[0].msg);
		problems_free(&ps);
		return -1;
	}
	if (casus_dump(cfg, "casus", &out, &len) < 0)
		return -1;
	/* Store only what every program can read back: a bad byte here would lock the team out. */
	back = casus_parse(out, len, CASUS_CONFIG, "casus", &ps);
	if (back == NULL) {
		err_set("cannot add member: %s: %s", ps.v[0].path, ps.v[0].msg);
		problems_free(&ps);
		free(out);
		return -1;
	}
	doc_free(back);
	r = txn_write(c->t, CASUS_CONFIG, out, len);
	free(out);
	casus_message(c->t, "register team member", NULL, a->reason);
	txn_trailer(c->t, "Member", a->email);
	txn_trailer(c->t, "Partner", a->partner);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"partner", required_argument, NULL, 'p'},
		{"role", required_argument, NULL, 'r'},
		{"message", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct add a = {0};
	struct store *s;
	struct date today;
	int c, r;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "m:", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			a.partner = optarg;
			break;
		case 'r':
			a.role = optarg;
			break;
		case 'm':
			a.reason = optarg;
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (argc - optind != 2)
		cli_usage_error(&cli, "expected NAME and EMAIL");
	if (a.partner == NULL)
		cli_usage_error(&cli, "--partner is required");
	a.name = argv[optind];
	a.email = argv[optind + 1];
	if (!text_ok(a.name, strlen(a.name), false) || !text_ok(a.email, strlen(a.email), false) ||
	    (a.role && !text_ok(a.role, strlen(a.role), false)))
		die("cannot add member: the name, e-mail and role must be UTF-8 text without control characters");
	if (casus_reason_check(a.reason) < 0 || date_today(&today) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	date_format(today, a.today);
	s = casus_open(cli.dir);
	r = casus_change(s, add, &a);
	store_close(s);
	return casus_exit(r);
}
