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
};

static size_t
active_members(const struct doc *cfg)
{
	const struct doc *m = doc_get(cfg, "members");
	size_t n = 0;

	for (size_t i = 0; m && i < m->n; i++) {
		const struct doc *a = doc_get(m->items[i], "active");

		n += a && a->type == DOC_BOOL && a->b;
	}
	return n;
}

static int
deactivate(struct casus_tx *c, void *arg)
{
	struct removal *rm = arg;
	struct doc *m = (struct doc *)config_member(c->cfg, rm->email);
	char *out;
	size_t len;
	int r;

	if (m == NULL) {
		err_set("cannot remove member '%s': not a registered team member", rm->email);
		return -1;
	}
	/* Set before anything else: the store refuses a change without a message, even an empty one. */
	casus_message(c->t, "deactivate team member", NULL, rm->reason);
	txn_trailer(c->t, "Member", doc_get_str(m, "email"));   /* as registered */
	if (!config_member_active(c->cfg, rm->email))
		return 0;       /* already inactive: nothing staged, so no commit */
	if (active_members(c->cfg) == 1) {
		/* Nobody could write to the store any more, not even to register someone. */
		err_set("cannot remove member '%s': the last active team member", rm->email);
		return -1;
	}
	doc_set(m, "active", doc_new_bool(false));
	doc_set(m, "until", doc_new_str(rm->today));
	if (casus_dump(c->cfg, "casus", &out, &len) < 0)
		return -1;
	r = txn_write(c->t, CASUS_CONFIG, out, len);
	free(out);
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
	int c, r;

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
	return casus_exit(r);
}
