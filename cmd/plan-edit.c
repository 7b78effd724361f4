/*
 * plan-edit: changes a case's detention plan, or its reintegration plan, in the editor or from
 * a file. What is stored is validated first (schema and cross-references) and is one commit by
 * the person who ran it; content that is unchanged makes no commit. If someone else changed the
 * document while it was in the editor, nothing is overwritten: the edit is refused and kept.
 * It also records the detainee's refusal of the detention plan, and its revocation (R1).
 * The editor shows the document as the writer's key opens it; what it does not open is a
 * marker, and is stored again as it was (seal.h): an edit never drops or alters it.
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
    "       plan-edit [-C DIR] CASE-ID --refused DATE|--refusal-revoked DATE [-m REASON]\n"
    "\n"
    "Edit the detention plan of a case in $VISUAL or $EDITOR, or replace it from FILE.\n"
    "\n"
    "  -C DIR               the store (default: $CASUS_REPO, else the current directory)\n"
    "  -r, --reintegration  the reintegration plan instead (made from a template if new)\n"
    "  -f, --file FILE      replace the plan with FILE (- for standard input), for scripts\n"
    "  -m, --message REASON why, for the history\n"
    "      --refused DATE   record that the detainee refused the detention plan on DATE\n"
    "      --refusal-revoked DATE\n"
    "                       record that they revoked the refusal in force on DATE\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n";

struct plan_edit {
	const char *id, *reason;
	const char *what;       /* for messages: "plan" or "reintegration plan" */
	char *path;             /* the document's path in the store */
	char *base;             /* what the editor started from, or NULL for --file */
	size_t baselen;
	bool fresh;             /* the editor started from a template: the file is new */
	bool reint;             /* the reintegration plan, not the detention plan */
	bool shown;             /* a plan that may be a view: plan-show's, or the editor's */
	const struct view *v;   /* the store as it was at the start */
	struct settings *cfg;   /* settings at the start, for checking before the change */
	struct date refusal;    /* --refused or --refusal-revoked: the day, else {0} */
	bool revoke;            /* --refusal-revoked */
	struct plan *plan;      /* the new plan, or */
	struct reintegration *r;        /* the new reintegration plan */
};

static int
check(const char *buf, size_t len, struct problems *ps, void *arg)
{
	struct plan_edit *e = arg;
	size_t before = ps->n;

	if (e->reint) {
		struct doc *d = casus_parse_shown(buf, len, e->path, "reintegration", ps);
		struct reintegration *r = d ? reintegration_decode(d) : NULL;

		if (r)
			reintegration_check(e->cfg, r, e->id, e->path, ps);
		if (r == NULL || ps->n > before) {
			reintegration_free(r);
			return -1;
		}
		reintegration_free(e->r);
		e->r = r;
	} else {
		struct plan *p = e->shown ? plan_parse_shown(buf, len, e->path, e->v, e->id, ps)
		    : plan_parse(buf, len, e->path, ps);

		if (p)
			plan_check(e->cfg, p, e->id, e->path, ps);
		if (p == NULL || ps->n > before) {
			plan_free(p);
			return -1;
		}
		plan_free(e->plan);
		e->plan = p;
	}
	return 0;
}

static int
store_doc(struct casus_tx *c, void *arg)
{
	struct plan_edit *e = arg;
	struct plan *old = NULL;
	char *cur = NULL, *subject;
	const char *gone;
	size_t len;
	int r = view_read(c->v, e->path, &cur, &len);

	if (r < 0)
		return -1;
	if (e->reint) {
		/* A reintegration plan belongs to a case: the case, and its plan, must be there. */
		struct plan *plan = plan_read(c->v, e->id);

		if (plan == NULL) {
			free(cur);
			return -1;
		}
		plan_free(plan);
	} else if (r == STORE_NOTFOUND) {
		err_set("cannot find case '%s': no such case in this store", e->id);
		return -1;
	}
	if ((e->base && (r != 0 || len != e->baselen || memcmp(cur, e->base, len) != 0)) ||
	    (e->fresh && r == 0)) {
		free(cur);
		err_set("cannot store the %s of '%s': someone else changed it while you edited it", e->what, e->id);
		return -1;
	}
	if (e->reint) {
		struct problems ignore = {0};
		struct reintegration *was = r == 0 ? reintegration_parse(cur, len, e->path, &ignore) : NULL;

		/* A stored plan that is not valid is the one to mend: it keeps no one as follow-up. */
		problems_free(&ignore);
		gone = reintegration_follow_up_inactive(c->cfg, was, e->r);
		reintegration_free(was);
		if (gone) {
			free(cur);
			err_set("cannot store the reintegration plan of '%s': follow-up member '%s' is no longer active",
			    e->id, gone);
			return -1;
		}
	} else {
		struct problems ignore = {0};

		/* A stored plan that is not valid is the one to mend: it keeps no one on the team. */
		old = plan_parse(cur, len, e->path, &ignore);
		problems_free(&ignore);
		gone = plan_team_inactive(c->cfg, old, e->plan);
		plan_free(old);
		if (gone) {
			free(cur);
			err_set("cannot store the plan of '%s': team member '%s' is no longer active", e->id, gone);
			return -1;
		}
	}
	free(cur);
	subject = xasprintf("edit %s", e->what);
	casus_message(c->t, subject, e->id, e->reason);
	free(subject);
	if (e->reint)
		return reintegration_put(c->t, c->cfg, e->r->doc, e->id);
	return plan_put(c->t, c->cfg, e->plan->doc, e->id);
}

/*
 * --refused and --refusal-revoked: the stored plan with the refusal or its revocation added
 * (R1). plan_put() runs plan_check(), which holds the dates to their order.
 */
static int
store_refusal(struct casus_tx *c, void *arg)
{
	struct plan_edit *e = arg;
	struct plan *p = plan_read(c->v, e->id);
	int r;

	if (p == NULL)
		return -1;
	r = e->revoke ? plan_refusal_revoke(p->doc, e->refusal) : plan_refuse(p->doc, e->refusal);
	if (r == 0) {
		casus_message(c->t, e->revoke ? "revoke refusal of plan" : "record refusal of plan", e->id,
		    e->reason);
		r = plan_put(c->t, c->cfg, p->doc, e->id);
	}
	plan_free(p);
	return r;
}

/* Long options without a letter: 'V' is the frame's --version. */
enum { OPT_REFUSED = 256, OPT_REVOKED };

/*
 * What goes into the editor: the stored document (e->base) as the writer's key opens it, what
 * it does not open as markers, which plan_put() and reintegration_put() keep as stored. A
 * stored document that is not valid goes in as it is, to be mended. malloc'd, or NULL with
 * err_set().
 */
static char *
view_text(const struct plan_edit *e, const struct view *v, size_t *len)
{
	const char *schema = e->reint ? "reintegration" : "plan";
	struct problems ignore = {0};
	struct records rs = {0};
	struct seal_ctx c = {
		.kind = e->reint ? SEAL_REINTEGRATION : SEAL_PLAN,
		.file = e->reint ? REINTEGRATION_FILE : PLAN_FILE,
	};
	struct doc *d = casus_parse(e->base, e->baselen, e->path, schema, &ignore);
	char *out = NULL;

	problems_free(&ignore);
	if (d == NULL) {
		*len = e->baselen;
		out = xmalloc(e->baselen + 1);
		memcpy(out, e->base, e->baselen);
		out[e->baselen] = '\0';
		return out;
	}
	if (case_seal_ctx(v, e->cfg, e->id, &c, &rs) == 0) {
		seal_view(d, &c);
		if (casus_dump(d, schema, &out, len) < 0)
			out = NULL;
	}
	records_free(&rs);
	doc_free(d);
	return out;
}

/* The text a new reintegration plan starts from in the editor. */
static char *
template_text(const char *id, size_t *len)
{
	struct doc *d = reintegration_template(id);
	char *out = NULL;

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
		{"refused", required_argument, NULL, OPT_REFUSED},
		{"refusal-revoked", required_argument, NULL, OPT_REVOKED},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct plan_edit e = {.what = "plan"};
	struct problems ps = {0};
	struct store *s;
	struct view *v = NULL;
	struct date today;
	const char *file = NULL, *refusal = NULL;
	char *buf = NULL, *kept = NULL;
	size_t len;
	int c, r, status = EXIT_ERROR;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "f:m:r", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			e.reint = true;
			e.what = "reintegration plan";
			break;
		case 'f':
			file = optarg;
			break;
		case 'm':
			e.reason = optarg;
			break;
		case OPT_REFUSED:
		case OPT_REVOKED:
			if (refusal)
				cli_usage_error(&cli, "--refused and --refusal-revoked go once, and alone");
			refusal = optarg;
			e.revoke = c == OPT_REVOKED;
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (argc - optind != 1)
		cli_usage_error(&cli, "expected one CASE-ID");
	if (refusal && (file || e.reint))
		cli_usage_error(&cli, "--refused and --refusal-revoked go without --file and --reintegration");
	e.id = argv[optind];
	if (case_id_check(e.id) < 0 || casus_reason_check(e.reason) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	if (refusal)
		e.refusal = cli_date(e.revoke ? "refusal-revoked" : "refused", refusal);
	/* A refusal is recorded once it was made: a date to come is a typo. */
	if (refusal && date_today(&today) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	if (refusal && date_cmp(e.refusal, today) > 0)
		die("cannot record the %s of '%s' on %s: that is after today",
		    e.revoke ? "revocation" : "refusal", e.id, refusal);
	s = casus_open(cli.dir);
	if (refusal) {
		status = casus_exit(casus_change(s, store_refusal, &e));
		goto out;
	}
	e.path = case_path(e.id, e.reint ? REINTEGRATION_FILE : PLAN_FILE);
	if (store_view(s, &v) < 0)
		goto done;
	e.cfg = settings_read(v, NULL);
	if (e.cfg == NULL)
		goto done;
	e.v = v;
	/* What comes back may be a view: plan-show's, or the editor's (view_text()). */
	e.shown = !e.reint;
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
		char *text;
		size_t tlen;

		if (casus_may_write(s, e.cfg) < 0) {
			free(label);
			goto done;
		}
		r = view_read(v, e.path, &e.base, &e.baselen);
		if (r == STORE_NOTFOUND && !e.reint)
			err_set("cannot find case '%s': no such case in this store", e.id);
		if (r == STORE_NOTFOUND && e.reint) {
			struct plan *plan = plan_read(v, e.id);

			e.fresh = plan != NULL;
			plan_free(plan);
			e.base = e.fresh ? template_text(e.id, &e.baselen) : NULL;
			r = e.base ? 0 : -1;
		}
		if (r != 0) {
			free(label);
			goto done;
		}
		if (e.fresh) {
			/* Nothing stored yet: any change is for the new file, none is a race. */
			text = e.base;
			tlen = e.baselen;
			e.base = NULL;
		} else if ((text = view_text(&e, v, &tlen)) == NULL) {
			free(label);
			goto done;
		}
		r = edit_loop(label, text, tlen, check, &e, &buf, &len, &kept);
		/* A new reintegration plan saved as the template came is no plan: the user gave up. */
		if (r == 0 && e.fresh && len == tlen && memcmp(buf, text, len) == 0) {
			r = EDIT_UNCHANGED;
			remove(kept);
		}
		free(text);
		free(label);
		if (r > 0) {
			/* As git commit with an empty message: nothing stored is a "no", not a success. */
			err_set("cannot store the %s of '%s': %s, nothing stored", e.what, e.id,
			    edit_aborted(r));
			status = EXIT_NO;
		}
		if (r != 0)
			goto done;
	}
	r = casus_change(s, store_doc, &e);
	/* The error first, then where the user's work is: the last line is what to do next. */
	status = casus_exit(r);
	if ((r < 0 || r == CASUS_UNAUTHORISED) && kept)
		warnmsg("your version is kept in '%s'", kept);
	else if (kept)
		remove(kept);
	if (r == STORE_UNCHANGED)
		warnmsg("no change to the %s of '%s'; nothing stored", e.what, e.id);
	/* From the editor that is giving up, as above; from a file, a script's step already done. */
	if (r == STORE_UNCHANGED && file == NULL)
		status = EXIT_NO;
	goto out;
done:
	err_print();
out:
	problems_free(&ps);
	settings_free(e.cfg);
	plan_free(e.plan);
	reintegration_free(e.r);
	free(e.base);
	free(e.path);
	free(buf);
	free(kept);
	view_close(v);
	store_close(s);
	return status;
}
