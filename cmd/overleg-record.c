/*
 * overleg-record: records a case consultation that was held, from its minutes (R5, R7, R9):
 * who came (the case's team, and guests) and who could not and why, the agreements, each
 * decision with any dissent, and the information shared. Every sharing is checked against consent and legal bases on the day of
 * the consultation (R10, R11); if one has no basis, nothing is recorded and each is listed.
 * It stores who recorded it, who alone may correct it later (--correct; see casus(7), AUTHORITY).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "consent.h"
#include "edit.h"
#include "mem.h"
#include "msg.h"
#include "overleg.h"
#include "plan.h"

static const char usage[] =
    "usage: overleg-record [-C DIR] CASE-ID --date DATE [--file MINUTES|-] [-m REASON]\n"
    "       overleg-record [-C DIR] CASE-ID --correct DATE [--file MINUTES|-] [-m REASON]\n"
    "\n"
    "Record a case consultation that was held, from its minutes (YAML, see casus-minutes(5)).\n"
    "Without --file, the minutes are written in $VISUAL or $EDITOR from a template.\n"
    "Exit 1 when the minutes list a sharing that no consent or legal basis covers.\n"
    "\n"
    "  -C DIR               the store (default: $CASUS_REPO, else the current directory)\n"
    "  --date DATE          the day the consultation was held\n"
    "  --correct DATE       correct the consultation you recorded as held on DATE\n"
    "  -f, --file MINUTES   the minutes (- for standard input)\n"
    "  -m, --message REASON why, for the history\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n";

struct minutes {
	const char *id, *reason, *file;
	struct date date;
	char datestr[11];
	struct doc *m;                  /* the minutes */
	struct problems ps;             /* why they were refused */
	bool unlawful;                  /* a sharing without basis: exit 1 */
	bool correct;                   /* --correct: replace the held one on the date */
};

/* Parses and validates the minutes text; on success they replace mi->m. */
static int
check_text(const char *buf, size_t len, struct problems *ps, void *arg)
{
	struct minutes *mi = arg;
	/* For --correct, what the editor showed: markers for what the key does not open. */
	struct doc *m = casus_parse_shown(buf, len, mi->file, "minutes", ps);

	if (m == NULL)
		return -1;
	doc_free(mi->m);
	mi->m = m;
	return 0;
}

/*
 * A problem of the consultation's date (before the detention start) is one of --date, not of a
 * line of the minutes: it is the error, as the other refusals of the date are.
 */
static bool
date_refused(const struct minutes *mi)
{
	for (size_t i = 0; i < mi->ps.n; i++)
		if (mi->ps.v[i].path && strcmp(mi->ps.v[i].path, "date") == 0) {
			err_set("cannot record the consultation of %s on %s: %s", mi->id, mi->datestr,
			    mi->ps.v[i].msg);
			return true;
		}
	return false;
}

static int
record(struct casus_tx *c, void *arg)
{
	struct minutes *mi = arg;
	const struct view *v = c->v;
	struct overlegs o = {0};
	struct records rs = {0};
	struct plan *plan;
	struct overleg *rec = NULL;
	const struct overleg *have;
	struct doc *d;
	char *path = NULL, *file = NULL, *out = NULL;
	size_t len;
	int r = -1;

	problems_free(&mi->ps);
	mi->unlawful = false;
	plan = plan_read(v, mi->id);
	if (plan == NULL || overlegs_read(v, mi->id, &o) < 0 || records_read(v, mi->id, &rs) < 0)
		goto done;
	have = overlegs_on(&o, mi->date);
	if (have && have->status == OS_HELD && !mi->correct) {
		err_set("cannot record the consultation of %s on %s: it is recorded already", mi->id,
		    mi->datestr);
		goto done;
	}
	if (mi->correct && (have == NULL || have->status != OS_HELD)) {
		err_set("cannot correct the consultation of %s on %s: none was recorded as held that day",
		    mi->id, mi->datestr);
		goto done;
	}
	d = doc_clone(mi->m);
	doc_set(d, "case_id", doc_new_str(mi->id));
	doc_set(d, "date", doc_new_str(mi->datestr));
	doc_set(d, "kind", doc_new_str(vocab_word(vocab_overleg_kinds, mi->correct ? have->kind :
	    overleg_kind_on(c->cfg, plan, &o, mi->date))));
	doc_set(d, "status", doc_new_str(vocab_word(vocab_overleg_status, OS_HELD)));
	/* Who recorded it is who may correct it (casus(7), AUTHORITY); a correction keeps it. */
	doc_set(d, "recorded_by", doc_new_str(txn_author_email(c->t)));
	if (mi->correct) {
		/* The minutes replace the held ones: judged as if those were not there. */
		for (size_t i = 0; i < o.n; i++)
			if (o.v[i] == have) {
				overleg_free(o.v[i]);
				o.v[i] = o.v[--o.n];
				break;
			}
	}
	rec = overleg_decode(d);
	if (rec == NULL)
		goto done;
	{
		/* The case's lists lent, not given: they are freed below, not with cd. */
		struct case_data cd = {.id = (char *)mi->id, .plan = plan, .o = o, .rs = rs};

		overleg_check(c->cfg, &cd, rec, mi->file, &mi->ps);
		if (date_refused(mi))
			goto done;
		if (mi->ps.n) {
			mi->unlawful = overleg_unlawful(c->cfg, &cd, rec);
			r = STORE_REFUSED;
			goto done;
		}
		if (overleg_cover(c->cfg, &cd, rec) < 0)
			goto done;
	}
	file = xasprintf("overleg/%s.yaml", mi->datestr);
	if (case_seal(v, c->cfg, rec->doc, SEAL_OVERLEG, mi->id, file) < 0) {
		err_set("cannot record the consultation of %s on %s: %s", mi->id, mi->datestr,
		    err_last());
		goto done;
	}
	path = overleg_path(mi->id, mi->date);
	if (!schema_validate(casus_schema("overleg"), rec->doc, path, &mi->ps)) {
		r = STORE_REFUSED;
		goto done;
	}
	if (casus_dump(rec->doc, "overleg", &out, &len) < 0 || txn_write(c->t, path, out, len) < 0)
		goto done;
	casus_message(c->t, mi->correct ? "correct consultation" : "record consultation", mi->id,
	    mi->reason);
	txn_trailer(c->t, "Overleg-Date", mi->datestr);
	r = 0;
done:
	free(out);
	free(path);
	free(file);
	overleg_free(rec);
	plan_free(plan);
	overlegs_free(&o);
	records_free(&rs);
	return r;
}

/*
 * For --correct in the editor: the minutes as they were recorded, opened with the key of who
 * corrects them (what it does not open is a marker, kept as stored when they are recorded
 * again), without what the program adds to them (the case, date, kind, status, recorder, and
 * per sharing what covered it).
 */
static char *
recorded(struct store *s, const struct minutes *mi, size_t *len)
{
	struct view *v = NULL;
	struct settings *cfg = NULL;
	struct overlegs o = {0};
	struct records rs = {0};
	const struct overleg *have;
	struct doc *m = NULL, *shared;
	char *file = xasprintf("overleg/%s.yaml", mi->datestr), *out = NULL;
	struct seal_ctx c = {.kind = SEAL_OVERLEG, .file = file};

	if (store_view(s, &v) < 0 || (cfg = settings_read(v, NULL)) == NULL ||
	    overlegs_read(v, mi->id, &o) < 0 || case_seal_ctx(v, cfg, mi->id, &c, &rs) < 0)
		goto done;
	have = overlegs_on(&o, mi->date);
	if (have == NULL || have->status != OS_HELD) {
		err_set("cannot correct the consultation of %s on %s: none was recorded as held that day",
		    mi->id, mi->datestr);
		goto done;
	}
	m = doc_clone(have->doc);
	seal_view(m, &c);
	doc_del(m, "case_id");
	doc_del(m, "date");
	doc_del(m, "kind");
	doc_del(m, "status");
	doc_del(m, "recorded_by");
	shared = doc_get(m, "shared");
	for (size_t i = 0; shared && shared->type == DOC_SEQ && i < shared->n; i++)
		doc_del(shared->items[i], "covered_by");
	if (casus_dump(m, "minutes", &out, len) < 0)
		out = NULL;
done:
	doc_free(m);
	records_free(&rs);
	overlegs_free(&o);
	settings_free(cfg);
	view_close(v);
	free(file);
	return out;
}

/*
 * A template for the editor: the case's fixed team as present, nothing else decided yet. The
 * decisions are left empty, not filled with a consensus nobody reached: minutes saved without
 * one are refused by the schema and the editor opens again (R7).
 */
static char *
template(struct store *s, const char *id, size_t *len)
{
	struct view *v = NULL;
	struct plan *plan = store_view(s, &v) == 0 ? plan_read(v, id) : NULL;
	struct doc *m, *present;
	char *out = NULL;

	view_close(v);
	if (plan == NULL)
		return NULL;
	m = doc_new(DOC_MAP);
	present = doc_new(DOC_SEQ);
	for (size_t i = 0; i < plan->nteam; i++)
		for (size_t k = 0; k < plan->team[i].nmembers; k++) {
			struct doc *p = doc_new(DOC_MAP);

			doc_set(p, "partner", doc_new_str(plan->team[i].partner));
			doc_set(p, "member", doc_new_str(plan->team[i].members[k].email));
			doc_push(present, p);
		}
	doc_set(m, "present", present);
	doc_set(m, "guests", doc_new(DOC_SEQ));
	doc_set(m, "absent", doc_new(DOC_SEQ));
	doc_set(m, "agreements", doc_new(DOC_SEQ));
	doc_set(m, "decisions", doc_new(DOC_SEQ));
	doc_set(m, "shared", doc_new(DOC_SEQ));
	if (casus_dump(m, "minutes", &out, len) < 0)
		out = NULL;
	doc_free(m);
	plan_free(plan);
	return out;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"date", required_argument, NULL, 'd'},
		{"correct", required_argument, NULL, 'c'},
		{"file", required_argument, NULL, 'f'},
		{"message", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct minutes mi = {0};
	struct store *s;
	struct date today;
	const char *date = NULL;
	char *buf = NULL, *kept = NULL;
	size_t len;
	int c, r, status = EXIT_ERROR;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "f:m:", longopts, NULL)) != -1) {
		switch (c) {
		case 'd':
		case 'c':
			if (date)
				cli_usage_error(&cli, "--date and --correct go once, and alone");
			date = optarg;
			mi.correct = c == 'c';
			break;
		case 'f':
			mi.file = optarg;
			break;
		case 'm':
			mi.reason = optarg;
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (argc - optind != 1)
		cli_usage_error(&cli, "expected one CASE-ID");
	if (date == NULL)
		cli_usage_error(&cli, "--date is required");
	mi.id = argv[optind];
	if (case_id_check(mi.id) < 0 || casus_reason_check(mi.reason) < 0 || date_today(&today) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	mi.date = cli_date("date", date);
	if (overleg_after_today(mi.date))
		die("cannot record the consultation of %s on %s: that is after today", mi.id, date);
	date_format(mi.date, mi.datestr);
	s = casus_open(cli.dir);
	if (mi.file) {
		r = read_checked(mi.file, doc_limits_casus.max_bytes, check_text, &mi, &buf, &len, &mi.ps);
		if (strcmp(mi.file, "-") == 0)
			mi.file = "<stdin>";
		if (r < 0 && mi.ps.n == 0)
			goto fail;
		if (r < 0) {
			problems_print(&mi.ps, stderr, progname);
			err_set("cannot record the consultation of %s: the minutes are not valid, nothing recorded", mi.id);
			goto fail;
		}
	} else {
		char *tmpl = mi.correct ? recorded(s, &mi, &len) : template(s, mi.id, &len), *text = NULL;
		size_t tlen;

		mi.file = "minutes";
		/* Nobody writes minutes in the editor only to be refused when they are stored. */
		if (tmpl == NULL || casus_may_write(s, NULL) < 0) {
			free(tmpl);
			goto fail;
		}
		tlen = len;
		r = edit_loop("the minutes", tmpl, tlen, check_text, &mi, &text, &len, &kept);
		/* The template saved as it came is no minutes: the user gave up. */
		if (r == 0 && len == tlen && memcmp(text, tmpl, len) == 0)
			r = EDIT_UNCHANGED;
		free(tmpl);
		free(text);
		if (r > 0) {
			if (kept)
				remove(kept);
			/* As git commit with an empty message: nothing recorded is a "no". */
			err_set("cannot record the consultation of %s: %s, nothing recorded", mi.id,
			    edit_aborted(r));
			status = EXIT_NO;
		}
		if (r != 0)
			goto fail;
	}
	r = casus_change(s, record, &mi);
	if (r == STORE_REFUSED) {
		problems_print(&mi.ps, stderr, progname);
		warnmsg("cannot record the consultation of %s: %zu problem%s, nothing recorded", mi.id,
		    mi.ps.n, mi.ps.n == 1 ? "" : "s");
		status = mi.unlawful ? EXIT_NO : EXIT_ERROR;
	} else {
		status = casus_exit(r);
	}
	/* Minutes written in the editor are not lost when they cannot be recorded. */
	if (kept && r != STORE_COMMITTED)
		warnmsg("your minutes are kept in '%s'", kept);
	else if (kept)
		remove(kept);
	goto out;
fail:
	err_print();
out:
	free(kept);
	problems_free(&mi.ps);
	doc_free(mi.m);
	free(buf);
	store_close(s);
	return status;
}
