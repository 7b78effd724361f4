/*
 * member-add: registers a fixed team member of a core partner in casus.yaml, so that they may
 * write. One commit; the commit message names the member's e-mail in a trailer, never a case.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "edit.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: member-add [-C DIR] NAME EMAIL --partner PARTNER --key LINE|FILE.pub [--role ROLE]\n"
    "                  [-m REASON]\n"
    "\n"
    "Register a fixed team member and their public key, with which they may then write.\n"
    "\n"
    "  -C DIR               the store (default: $CASUS_REPO, else the current directory)\n"
    "  --partner PARTNER    the core partner they represent, as in casus.yaml\n"
    "  --key LINE|FILE.pub  their public key: \"ssh-ed25519 AAAA...\", or a file holding it\n"
    "  --role ROLE          their role, e.g. \"justice assistant\"\n"
    "  -m, --message REASON why, for the history\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n";

struct add {
	const char *name, *email, *partner, *role, *reason;
	char *key;              /* the public-key line, as given */
	char today[11];
	struct problems ps;     /* why the new settings were refused */
};

/*
 * The public-key line of --key: the argument itself when it is one ("ssh-..."), else the
 * first line of the file it names. Trailing spaces and the newline go; the rest is checked
 * with the settings. malloc'd, or NULL with err_set().
 */
static char *
key_line(const char *arg)
{
	char *buf, *nl;
	size_t len;

	if (strncmp(arg, "ssh-", 4) == 0)
		buf = xstrdup(arg);
	else if (read_input(arg, 16384, &buf, &len) < 0)
		return NULL;
	else if ((nl = strchr(buf, '\n')) != NULL)
		*nl = '\0';
	len = strlen(buf);
	while (len > 0 && (buf[len - 1] == ' ' || buf[len - 1] == '\r' || buf[len - 1] == '\t'))
		buf[--len] = '\0';
	return buf;
}

static int
add(struct casus_tx *c, void *arg)
{
	struct add *a = arg;
	const struct member *old;
	struct doc *cfg, *m, *members;
	char *known, *what;
	int r;

	problems_free(&a->ps);
	if (!settings_partner(c->cfg, a->partner)) {
		known = settings_partner_list(c->cfg);
		err_set("cannot add member: unknown partner '%s' (known: %s)", a->partner, known);
		free(known);
		return -1;
	}
	if ((old = settings_member(c->cfg, a->email)) != NULL) {
		err_set("cannot add member '%s': already registered%s", a->email,
		    old->active ? "" : " (inactive; reactivate with case-config --edit)");
		return -1;
	}
	/* A copy: casus_put_config() compares the new settings with those at the tip. */
	cfg = doc_clone(c->cfg->doc);
	m = settings_member_item(a->email, a->name, a->partner, a->role, a->key, a->today);
	members = doc_get(cfg, "members");
	doc_push(members, m);
	what = xasprintf("add member '%s'", a->email);
	r = casus_put_config(c->t, c->cfg, cfg, what, &a->ps);
	free(what);
	doc_free(cfg);
	if (r != 0)
		return r;
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
		{"key", required_argument, NULL, 'k'},
		{"message", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct add a = {0};
	const char *key = NULL;
	struct store *s;
	struct date today;
	int c, r, status;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "m:", longopts, NULL)) != -1) {
		switch (c) {
		case 'p':
			a.partner = optarg;
			break;
		case 'r':
			a.role = optarg;
			break;
		case 'k':
			key = optarg;
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
	if (key == NULL)
		cli_usage_error(&cli, "--key is required: a member without a key cannot write");
	a.name = argv[optind];
	a.email = argv[optind + 1];
	if (!text_ok(a.name, strlen(a.name), false) || !text_ok(a.email, strlen(a.email), false) ||
	    (a.role && !text_ok(a.role, strlen(a.role), false)))
		die("cannot add member: the name, e-mail and role must be UTF-8 text without control characters");
	if (casus_reason_check(a.reason) < 0 || date_today(&today) < 0 ||
	    (a.key = key_line(key)) == NULL) {
		err_print();
		return EXIT_ERROR;
	}
	date_format(today, a.today);
	s = casus_open(cli.dir);
	r = casus_change(s, add, &a);
	store_close(s);
	if (r == STORE_REFUSED) {
		/* Settings that would not be valid: each problem, then why nothing was stored. */
		problems_print(&a.ps, stderr, progname);
		err_print();
		status = EXIT_ERROR;
	} else {
		status = casus_exit(r);
	}
	problems_free(&a.ps);
	free(a.key);
	return status;
}
