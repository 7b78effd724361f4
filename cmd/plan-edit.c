/*
 * plan-edit: changes a case's detention plan, or its reintegration plan, in the editor or from
 * a file. What is stored is validated first (schema and cross-references) and is one commit by
 * the person who ran it; content that is unchanged makes no commit. If someone else changed the
 * document while it was in the editor, nothing is overwritten: the edit is refused and kept.
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
    "usage: plan-edit [-C DIR] CASE-ID [--reintegration] [--file FILE|-] [-m REASON]\n"
    "\n"
    "Edit the detention plan of a case in $VISUAL or $EDITOR, or replace it from FILE.\n"
    "\n"
    "  -C DIR               the store (default: $CASUS_REPO, else the current directory)\n"
    "  -r, --reintegration  the reintegration plan instead (made from a template if new)\n"
    "  -f, --file FILE      replace the plan with FILE (- for standard input), for scripts\n"
    "  -m, --message REASON why, for the history\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n";

struct plan_edit {
	const char *id, *reason;
	const char *kind;       /* "plan" or "reintegration" */
	const char *what;       /* for messages: "plan" or "reintegration plan" */
	char *path;             /* the document's path in the store */
	char *base;             /* what the editor started from, or NULL for --file */
	size_t baselen;
	bool fresh;             /* the editor started from a template: the file is new */
	struct settings *cfg;   /* settings at the start, for checking before the change */
	struct doc *plan;       /* the new plan */
};

static int
check(const char *buf, size_t len, struct problems *ps, void *arg)
{
	struct plan_edit *e = arg;
	struct doc *d = casus_parse(buf, len, e->path, e->kind, ps);

	if (d == NULL)
		return -1;
	if (strcmp(e->kind, "plan") == 0)
		plan_check(e->cfg, d, e->id, e->path, ps);
	else
		reintegration_check(e->cfg, d, e->id, e->path, ps);
	if (ps->n) {
		doc_free(d);
		return -1;
	}
	doc_free(e->plan);
	e->plan = d;
	return 0;
}

/* A member who left cannot be put on a case's team; one who was on it may stay, as history. */
static int
check_team(const struct settings *cfg, const struct doc *old, const struct doc *plan, const char *id)
{
	const struct doc *team = doc_get(plan, "team"), *oldteam = doc_get(old, "team");

	for (size_t i = 0; team && i < team->n; i++) {
		const struct doc *list = team->pairs[i].val, *was = doc_get(oldteam, team->pairs[i].key);

		for (size_t k = 0; k < list->n; k++) {
			const char *email = list->items[k]->s;
			bool kept = false;
			const struct member *m;

			for (size_t j = 0; was && j < was->n && !kept; j++)
				kept = strcmp(was->items[j]->s, email) == 0;
			m = kept ? NULL : settings_member(cfg, email);
			if (!kept && !(m && m->active)) {
				err_set("cannot store the plan of '%s': team member '%s' is no longer active", id, email);
				return -1;
			}
		}
	}
	return 0;
}

static int
store_doc(struct casus_tx *c, void *arg)
{
	struct plan_edit *e = arg;
	struct doc *old = NULL;
	char *cur = NULL, *subject;
	size_t len;
	int r = txn_read(c->t, e->path, &cur, &len);

	if (r < 0)
		return -1;
	if (strcmp(e->kind, "plan") != 0) {
		/* A reintegration plan belongs to a case: the case must be there. */
		old = plan_read(c->v, e->id);
		if (old == NULL) {
			free(cur);
			return -1;
		}
	} else if (r == STORE_NOTFOUND) {
		err_set("cannot find case '%s': no such case in this store", e->id);
		return -1;
	}
	if ((e->base && (r != 0 || len != e->baselen || memcmp(cur, e->base, len) != 0)) ||
	    (e->fresh && r == 0)) {
		free(cur);
		doc_free(old);
		err_set("cannot store the %s of '%s': someone else changed it while you edited it", e->what, e->id);
		return -1;
	}
	if (strcmp(e->kind, "plan") == 0) {
		struct problems ps = {0};

		old = casus_parse(cur, len, e->path, "plan", &ps);
		problems_free(&ps);
		if (check_team(c->cfg, old, e->plan, e->id) < 0) {
			free(cur);
			doc_free(old);
			return -1;
		}
	}
	free(cur);
	doc_free(old);
	subject = xasprintf("edit %s", e->what);
	casus_message(c->t, subject, e->id, e->reason);
	free(subject);
	return txn_put_case_doc(c->t, c->cfg, e->plan, e->id, e->kind);
}

/* The reintegration plan a new one starts from: every area still to arrange. */
static char *
reintegration_template(const char *id, size_t *len)
{
	static const char *const areas[] = {"housing", "work", "network", "care", NULL};
	struct doc *d = doc_new(DOC_MAP);
	char *out = NULL;

	doc_set(d, "case_id", doc_new_str(id));
	for (int i = 0; areas[i]; i++) {
		struct doc *a = doc_new(DOC_MAP);

		doc_set(a, "status", doc_new_str("to-arrange"));
		doc_set(d, areas[i], a);
	}
	doc_set(d, "local_partners", doc_new(DOC_SEQ));
	doc_set(d, "needs", doc_new(DOC_SEQ));
	if (casus_dump(d, "reintegration", &out, len) < 0)
		out = NULL;
	doc_free(d);
	return out;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"file", required_argument, NULL, 'f'},
		{"message", required_argument, NULL, 'm'},
		{"reintegration", no_argument, NULL, 'r'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct plan_edit e = {.kind = "plan", .what = "plan"};
	struct problems ps = {0};
	struct store *s;
	struct view *v = NULL;
	const char *file = NULL;
	char *buf = NULL, *kept = NULL;
	size_t len;
	int c, r, status = EXIT_ERROR;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "f:m:r", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			e.kind = "reintegration";
			e.what = "reintegration plan";
			break;
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
	e.path = case_path(e.id, strcmp(e.kind, "plan") == 0 ? "plan.yaml" : "reintegration.yaml");
	if (store_view(s, &v) < 0 || (e.cfg = settings_read(v, NULL)) == NULL)
		goto done;
	if (file) {
		if (read_checked(file, doc_limits_casus.max_bytes, check, &e, &buf, &len, &ps) < 0) {
			if (ps.n == 0)
				goto done;
			problems_print(&ps, stderr, progname);
			err_set("cannot store the %s of '%s': %zu problem%s, nothing stored", e.what, e.id,
			    ps.n, ps.n == 1 ? "" : "s");
			goto done;
		}
	} else {
		char *label = xasprintf("the %s", e.what);
		const char *text;
		size_t tlen;

		if (casus_may_write(s, e.cfg) < 0) {
			free(label);
			goto done;
		}
		r = view_read(v, e.path, &e.base, &e.baselen);
		if (r == STORE_NOTFOUND && strcmp(e.kind, "plan") == 0)
			err_set("cannot find case '%s': no such case in this store", e.id);
		if (r == STORE_NOTFOUND && strcmp(e.kind, "plan") != 0) {
			struct doc *plan = plan_read(v, e.id);

			doc_free(plan);
			e.fresh = plan != NULL;
			e.base = plan ? reintegration_template(e.id, &e.baselen) : NULL;
			r = e.base ? 0 : -1;
		}
		if (r != 0) {
			free(label);
			goto done;
		}
		text = e.base;
		tlen = e.baselen;
		if (e.fresh) {
			/* Nothing stored yet: any change is for the new file, none is a race. */
			e.base = NULL;
		}
		r = edit_loop(label, text, tlen, check, &e, &buf, &len, &kept);
		/* A new reintegration plan saved as the template came is no plan: the user gave up. */
		if (r == 0 && e.fresh && len == tlen && memcmp(buf, text, len) == 0) {
			r = 1;
			remove(kept);
		}
		if (e.fresh)
			free((char *)text);
		free(label);
		if (r < 0)
			goto done;
		if (r == 1) {
			warnmsg("gave up; nothing stored for '%s'", e.id);
			status = EXIT_YES;
			goto out;
		}
	}
	r = casus_change(s, store_doc, &e);
	/* The error first, then where the user's work is: the last line is what to do next. */
	status = casus_exit(r);
	if (r < 0 && kept)
		warnmsg("your version is kept in '%s'", kept);
	else if (kept)
		remove(kept);
	if (r == STORE_UNCHANGED)
		warnmsg("no change to the %s of '%s'; nothing stored", e.what, e.id);
	goto out;
done:
	err_print();
out:
	problems_free(&ps);
	settings_free(e.cfg);
	view_close(v);
	doc_free(e.plan);
	free(e.base);
	free(e.path);
	free(buf);
	free(kept);
	store_close(s);
	return status;
}
