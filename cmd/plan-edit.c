/*
 * plan-edit: changes a case's detention plan, in the editor or from a file. What is stored is
 * validated first (schema and cross-references) and is one commit by the person who ran it;
 * content that is unchanged makes no commit. If someone else changed the plan while it was in
 * the editor, nothing is overwritten: the edit is refused and kept in a file.
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
    "usage: plan-edit [-C DIR] CASE-ID [--file FILE|-] [-m REASON]\n"
    "\n"
    "Edit the detention plan of a case in $VISUAL or $EDITOR, or replace it from FILE.\n"
    "\n"
    "  -C DIR               the store (default: $CASUS_REPO, else the current directory)\n"
    "  -f, --file FILE      replace the plan with FILE (- for standard input), for scripts\n"
    "  -m, --message REASON why, for the history\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n";

struct plan_edit {
	const char *id, *reason;
	char *path;             /* the plan's path in the store */
	char *base;             /* the plan the editor started from, or NULL for --file */
	size_t baselen;
	struct doc *cfg;        /* settings at the start, for checking before the change */
	struct doc *plan;       /* the new plan */
};

static int
check(const char *buf, size_t len, struct problems *ps, void *arg)
{
	struct plan_edit *e = arg;
	struct doc *d = casus_parse(buf, len, e->path, "plan", ps);

	if (d == NULL)
		return -1;
	plan_check(e->cfg, d, e->id, e->path, ps);
	if (ps->n) {
		doc_free(d);
		return -1;
	}
	doc_free(e->plan);
	e->plan = d;
	return 0;
}

static int
store_plan(struct casus_tx *c, void *arg)
{
	struct plan_edit *e = arg;
	char *cur;
	size_t len;
	int r = txn_read(c->t, e->path, &cur, &len);

	if (r == STORE_NOTFOUND)
		err_set("cannot find case '%s': no such case in this store", e->id);
	if (r != 0)
		return -1;
	if (e->base && (len != e->baselen || memcmp(cur, e->base, len) != 0)) {
		free(cur);
		err_set("cannot store the plan of '%s': someone else changed it while you edited it", e->id);
		return -1;
	}
	free(cur);
	casus_message(c->t, "edit plan", e->id, e->reason);
	return txn_put_plan(c->t, c->cfg, e->plan, e->id);
}

/*
 * Refuses a runner who could not store the result before the editor opens, so nobody edits in
 * vain; the change itself checks again, as the settings may change meanwhile.
 */
static int
check_writer(struct store *s, const struct doc *cfg)
{
	char *name, *email;
	int r = 0;

	if (store_identity(s, &name, &email) < 0)
		return -1;
	if (!config_member_active(cfg, email)) {
		err_set("cannot write as '%s': %s", email,
		    config_member(cfg, email) ? "no longer an active team member of this store"
		    : "not a registered team member of this store (see member-add)");
		r = -1;
	}
	free(name);
	free(email);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"file", required_argument, NULL, 'f'},
		{"message", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct plan_edit e = {0};
	struct problems ps = {0};
	struct store *s;
	const char *file = NULL;
	char *buf = NULL, *kept = NULL;
	size_t len;
	int c, r, status = EXIT_ERROR;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "f:m:", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			file = optarg;
			break;
		case 'm':
			e.reason = optarg;
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (argc - optind != 1)
		cli_usage_error(&cli, "expected one CASE-ID");
	e.id = argv[optind];
	if (case_id_check(e.id) < 0 || casus_reason_check(e.reason) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	s = casus_open(cli.dir);
	e.path = case_path(e.id, "plan.yaml");
	e.cfg = config_read(s, NULL);
	if (e.cfg == NULL)
		goto done;
	if (file) {
		if (read_input(file, doc_limits_casus.max_bytes, &buf, &len) < 0)
			goto done;
		if (check(buf, len, &ps, &e) < 0) {
			/* Name the file the user gave, not the path in the store. */
			for (size_t i = 0; i < ps.n; i++) {
				free(ps.v[i].file);
				ps.v[i].file = xstrdup(strcmp(file, "-") == 0 ? "<stdin>" : file);
			}
			problems_print(&ps, stderr, progname);
			err_set("cannot store the plan of '%s': %zu problem%s, nothing stored", e.id, ps.n,
			    ps.n == 1 ? "" : "s");
			goto done;
		}
	} else {
		if (check_writer(s, e.cfg) < 0)
			goto done;
		r = store_read(s, e.path, &e.base, &e.baselen);
		if (r == STORE_NOTFOUND)
			err_set("cannot find case '%s': no such case in this store", e.id);
		if (r != 0)
			goto done;
		r = edit_loop(store_path(s), "the plan", e.base, e.baselen, check, &e, &buf, &len, &kept);
		if (r < 0)
			goto done;
		if (r == 1) {
			warnmsg("gave up; nothing stored for '%s'", e.id);
			status = EXIT_YES;
			goto out;
		}
	}
	r = casus_change(s, store_plan, &e);
	/* The error first, then where the user's work is: the last line is what to do next. */
	status = casus_exit(r);
	if (r < 0 && kept)
		warnmsg("your version is kept in '%s'", kept);
	else if (kept)
		remove(kept);
	if (r == STORE_UNCHANGED)
		warnmsg("no change to the plan of '%s'; nothing stored", e.id);
	goto out;
done:
	err_print();
out:
	problems_free(&ps);
	doc_free(e.cfg);
	doc_free(e.plan);
	free(e.base);
	free(e.path);
	free(buf);
	free(kept);
	store_close(s);
	return status;
}
