/*
 * member-remove: marks a team member inactive. Their commits and their place in the history
 * stay; from the next run on they can no longer write. One commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: member-remove [-C DIR] EMAIL [-m REASON]\n"
    "\n"
    "Mark a team member inactive: they can no longer write; their history stays.\n"
    "\n"
    "  -C DIR               the store (default: $CASUS_REPO, else the current directory)\n"
    "  -m, --message REASON why, for the history\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n";

struct removal {
	const char *email, *reason;
	char today[11];
	struct problems ps;     /* why the new settings were refused */
};

static int
deactivate(struct casus_tx *c, void *arg)
{
	struct removal *rm = arg;
	const struct member *m = settings_member(c->cfg, rm->email);
	struct doc *cfg, *entry;
	char *what;
	int r;

	problems_free(&rm->ps);
	if (m == NULL) {
		err_set("cannot remove member '%s': not a registered team member", rm->email);
		return -1;
	}
	/* Set before anything else: the store refuses a change without a message, even an empty one. */
	casus_message(c->t, "deactivate team member", NULL, rm->reason);
	txn_trailer(c->t, "Member", m->email);   /* as registered */
	if (!m->active)
		return 0;       /* already inactive: nothing staged, so no commit */
	if (settings_writers(c->cfg) == 1 && member_can_write(c->cfg, m)) {
		/* Nobody could write to the store any more, not even to register someone. */
		err_set("cannot remove member '%s': the last active team member who can write", rm->email);
		return -1;
	}
	/* A copy: casus_put_config() compares the new settings with those at the tip. */
	cfg = doc_clone(c->cfg->doc);
	entry = doc_get(cfg, "members")->items[m - c->cfg->members];    /* decoded in file order */
	doc_set(entry, "active", doc_new_bool(false));
	doc_set(entry, "until", doc_new_str(rm->today));
	what = xasprintf("remove member '%s'", rm->email);
	r = casus_put_config(c->t, c->cfg, cfg, what, &rm->ps);
	free(what);
	doc_free(cfg);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"message", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct removal rm = {0};
	struct store *s;
	struct date today;
	int c, r, status;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "m:", longopts, NULL)) != -1) {
		if (c == 'm')
			rm.reason = optarg;
		else
			cli_option(&cli, c);
	}
	if (argc - optind != 1)
		cli_usage_error(&cli, "expected one EMAIL");
	rm.email = argv[optind];
	if (casus_reason_check(rm.reason) < 0 || date_today(&today) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	date_format(today, rm.today);
	s = casus_open(cli.dir);
	r = casus_change(s, deactivate, &rm);
	store_close(s);
	if (r == STORE_REFUSED) {
		/* Settings that would not be valid: each problem, then why nothing was stored. */
		problems_print(&rm.ps, stderr, progname);
		err_print();
		status = EXIT_ERROR;
	} else {
		status = casus_exit(r);
	}
	problems_free(&rm.ps);
	return status;
}
