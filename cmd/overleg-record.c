/*
 * overleg-record: records a case consultation that was held, from its minutes (R5, R7, R9):
 * who came and who could not, the agreements, the decision and any dissent, and the
 * information shared. Every sharing is checked against consent and legal bases on the day of
 * the consultation (R10, R11); if one has no basis, nothing is recorded and each is listed.
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

static const char usage[] =
    "usage: overleg-record [-C DIR] CASE-ID --date DATE [--file MINUTES|-] [-m REASON]\n"
    "\n"
    "Record a case consultation that was held, from its minutes (YAML, see casus-minutes(5)).\n"
    "Without --file, the minutes are written in $VISUAL or $EDITOR from a template.\n"
    "Exit 1 when the minutes list a sharing that no consent or legal basis covers.\n"
    "\n"
    "  -C DIR               the store (default: $CASUS_REPO, else the current directory)\n"
    "  --date DATE          the day the consultation was held\n"
    "  -f, --file MINUTES   the minutes (- for standard input)\n"
    "  -m, --message REASON why, for the history\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n";

struct minutes {
	const char *id, *reason, *file;
	struct date date;
	char datestr[11];
	struct settings *cfg;           /* the settings when the minutes were checked */
	struct doc *m;                  /* the minutes */
	struct problems ps;             /* why they were refused */
	bool unlawful;                  /* a sharing without basis: exit 1 */
};

static bool
member_of(const struct settings *cfg, const char *email, const char *partner)
{
	const struct member *m = settings_member(cfg, email);

	return m && strcmp(m->partner, partner) == 0;
}

static bool
listed(const struct doc *seq, const char *key, const char *value)
{
	for (size_t i = 0; seq && i < seq->n; i++) {
		const char *v = key ? doc_get_str(seq->items[i], key) : doc_str(seq->items[i]);

		if (v && strcmp(v, value) == 0)
			return true;
	}
	return false;
}

static void
known_partner(const struct settings *cfg, const struct doc *node, const char *path, const char *file,
    struct problems *ps)
{
	if (node && node->type == DOC_STR && !settings_partner(cfg, node->s))
		problems_add(ps, file, node->line, path, "unknown partner '%s'", node->s);
}

/* Whether an earlier item of closes names the agreement id too. */
static bool
listed_before(const struct doc *closes, size_t i, const char *id)
{
	for (size_t k = 0; k < i; k++)
		if (strcmp(doc_get_str(closes->items[k], "agreement"), id) == 0)
			return true;
	return false;
}

/* Checks what the schema cannot: partners, members, the case's team, earlier agreements. */
static void
check_refs(const struct settings *cfg, const struct doc *plan, const struct overlegs *o,
    const struct doc *m, const char *date, const char *file, struct problems *ps)
{
	const struct doc *present = doc_get(m, "present"), *absent = doc_get(m, "absent");
	const struct doc *ag = doc_get(m, "agreements"), *closes = doc_get(m, "closes");
	const struct doc *dissent = doc_get(doc_get(m, "decision"), "dissent");
	const struct doc *shared = doc_get(m, "shared"), *team = doc_get(plan, "team");
	struct agreement *all;
	size_t nall = overleg_agreements(o, &all);
	char path[64];

	for (size_t i = 0; present && i < present->n; i++) {
		const struct doc *p = doc_get(present->items[i], "partner");
		const char *member = doc_get_str(present->items[i], "member");

		snprintf(path, sizeof path, "present[%zu]", i);
		known_partner(cfg, p, path, file, ps);
		if (settings_partner(cfg, p->s) && !member_of(cfg, member, p->s))
			problems_add(ps, file, present->items[i]->line, path,
			    "'%s' is not a registered team member for %s", member, p->s);
	}
	for (size_t i = 0; absent && i < absent->n; i++) {
		snprintf(path, sizeof path, "absent[%zu]", i);
		if (doc_get(team, absent->items[i]->s) == NULL)
			problems_add(ps, file, absent->items[i]->line, path,
			    "'%s' is not a partner of the case's fixed team", absent->items[i]->s);
		else if (listed(present, "partner", absent->items[i]->s))
			problems_add(ps, file, absent->items[i]->line, path, "'%s' is also listed as present",
			    absent->items[i]->s);
	}
	for (size_t i = 0; ag && i < ag->n; i++) {
		snprintf(path, sizeof path, "agreements[%zu].owner", i);
		known_partner(cfg, doc_get(ag->items[i], "owner"), path, file, ps);
	}
	for (size_t i = 0; closes && i < closes->n; i++) {
		const char *id = doc_get_str(closes->items[i], "agreement");
		size_t k;

		for (k = 0; k < nall && strcmp(all[k].id, id) != 0; k++)
			continue;
		snprintf(path, sizeof path, "closes[%zu]", i);
		/* An agreement's ID starts with the date it was made: a later one cannot be closed yet. */
		if (k == nall || strncmp(all[k].id, date, 10) >= 0)
			problems_add(ps, file, closes->items[i]->line, path, "no agreement '%s' in an earlier consultation", id);
		else if (all[k].closed)
			problems_add(ps, file, closes->items[i]->line, path, "agreement '%s' is %s already", id, all[k].closed);
		else if (listed_before(closes, i, id))
			problems_add(ps, file, closes->items[i]->line, path, "agreement '%s' is closed twice in these minutes", id);
	}
	free(all);
	for (size_t i = 0; dissent && i < dissent->n; i++) {
		snprintf(path, sizeof path, "decision.dissent[%zu].partner", i);
		known_partner(cfg, doc_get(dissent->items[i], "partner"), path, file, ps);
	}
	for (size_t i = 0; shared && i < shared->n; i++) {
		const struct doc *item = shared->items[i], *to = doc_get(item, "to");
		const struct doc *cat = doc_get(item, "category");

		snprintf(path, sizeof path, "shared[%zu]", i);
		known_partner(cfg, doc_get(item, "from"), path, file, ps);
		for (size_t k = 0; k < to->n; k++)
			known_partner(cfg, to->items[k], path, file, ps);
		if (!settings_category(cfg, cat->s))
			problems_add(ps, file, cat->line, path, "unknown category '%s'", cat->s);
	}
}

/*
 * Checks every sharing against the records on the consultation's day; fills covered_by with
 * the record that allowed each, or adds a problem per recipient that nothing covers.
 */
static void
check_sharing(const struct settings *cfg, const struct records *rs, struct doc *m, struct date on,
    const char *file, struct problems *ps)
{
	struct doc *shared = doc_get(m, "shared");

	for (size_t i = 0; shared && i < shared->n; i++) {
		struct doc *item = shared->items[i], *to = doc_get(item, "to"), *cov = doc_new(DOC_MAP);
		const char *from = doc_get_str(item, "from"), *cat = doc_get_str(item, "category");
		char path[32];

		snprintf(path, sizeof path, "shared[%zu]", i);
		for (size_t k = 0; k < to->n; k++) {
			struct share_query q = {.from = from, .to = to->items[k]->s, .category = cat, .date = on};
			struct share_answer a;

			share_decide(cfg, rs, &q, &a);
			if (!a.allowed)
				problems_add(ps, file, item->line, path, "%s from %s to %s has no basis: %s",
				    cat, from, q.to, a.reason);
			else
				doc_set(cov, q.to, doc_new_str(a.by ? a.by->id : "own"));
			share_answer_free(&a);
		}
		doc_set(item, "covered_by", cov);
	}
}

/* Parses and validates the minutes text; on success they replace mi->m. */
static int
check_text(const char *buf, size_t len, struct problems *ps, void *arg)
{
	struct minutes *mi = arg;
	struct doc *m = casus_parse(buf, len, mi->file, "minutes", ps);

	if (m == NULL)
		return -1;
	doc_free(mi->m);
	mi->m = m;
	return 0;
}

static int
record(struct casus_tx *c, void *arg)
{
	struct minutes *mi = arg;
	struct overlegs o = {0};
	struct records rs = {0};
	struct plan *plan;
	struct doc *rec = NULL;
	const struct doc *have;
	struct date pre, leave;
	const char *kind = "periodic";
	char *path = NULL, *out = NULL;
	size_t len;
	int r = -1;

	problems_free(&mi->ps);
	mi->unlawful = false;
	plan = plan_read(c->v, mi->id);
	if (plan == NULL || overlegs_read(c->v, mi->id, &o) < 0 || records_read(c->v, mi->id, &rs) < 0)
		goto done;
	have = overlegs_on(&o, mi->date);
	if (have && strcmp(doc_get_str(have, "status"), "held") == 0) {
		err_set("cannot record the consultation of %s on %s: it is recorded already", mi->id, mi->datestr);
		goto done;
	}
	if (date_cmp(mi->date, plan->dates[PD_DETENTION_START]) < 0) {
		err_set("cannot record the consultation of %s on %s: before the detention start", mi->id, mi->datestr);
		goto done;
	}
	/* Held in the lead time before leave, and the first there: the pre-leave one (R6). */
	if (overleg_pre_leave(c->cfg, plan->doc, &pre, &leave) && date_cmp(mi->date, pre) >= 0 &&
	    date_cmp(mi->date, leave) <= 0 && overleg_pre_leave_held(c->cfg, plan->doc, &o) == NULL)
		kind = "pre-leave";
	else if (have && strcmp(doc_get_str(have, "kind"), "pre-leave") != 0)
		kind = doc_get_str(have, "kind");       /* a second pre-leave one is a periodic one */
	rec = doc_clone(mi->m);
	doc_set(rec, "case_id", doc_new_str(mi->id));
	doc_set(rec, "date", doc_new_str(mi->datestr));
	doc_set(rec, "kind", doc_new_str(kind));
	doc_set(rec, "status", doc_new_str("held"));
	check_refs(c->cfg, plan->doc, &o, mi->m, mi->datestr, mi->file, &mi->ps);
	if (mi->ps.n) {
		r = STORE_REFUSED;
		goto done;
	}
	check_sharing(c->cfg, &rs, rec, mi->date, mi->file, &mi->ps);
	if (mi->ps.n) {
		mi->unlawful = true;
		r = STORE_REFUSED;
		goto done;
	}
	path = overleg_path(mi->id, mi->date);
	if (!schema_validate(casus_schema("overleg"), rec, path, &mi->ps)) {
		r = STORE_REFUSED;
		goto done;
	}
	if (casus_dump(rec, "overleg", &out, &len) < 0 || txn_write(c->t, path, out, len) < 0)
		goto done;
	casus_message(c->t, "record consultation", mi->id, mi->reason);
	txn_trailer(c->t, "Overleg-Date", mi->datestr);
	r = 0;
done:
	free(out);
	free(path);
	doc_free(rec);
	plan_free(plan);
	overlegs_free(&o);
	records_free(&rs);
	return r;
}

/* A template for the editor: the case's fixed team as present, nothing else decided yet. */
static char *
template(struct store *s, const char *id, size_t *len)
{
	struct view *v = NULL;
	struct plan *plan = store_view(s, &v) == 0 ? plan_read(v, id) : NULL;
	struct doc *m, *present, *dec;
	const struct doc *team;
	char *out = NULL;

	view_close(v);
	if (plan == NULL)
		return NULL;
	team = doc_get(plan->doc, "team");
	m = doc_new(DOC_MAP);
	present = doc_new(DOC_SEQ);
	for (size_t i = 0; team && i < team->n; i++)
		for (size_t k = 0; k < team->pairs[i].val->n; k++) {
			struct doc *p = doc_new(DOC_MAP);

			doc_set(p, "partner", doc_new_str(team->pairs[i].key));
			doc_set(p, "member", doc_clone(team->pairs[i].val->items[k]));
			doc_push(present, p);
		}
	doc_set(m, "present", present);
	doc_set(m, "absent", doc_new(DOC_SEQ));
	doc_set(m, "agreements", doc_new(DOC_SEQ));
	dec = doc_new(DOC_MAP);
	doc_set(dec, "consensus", doc_new_bool(true));
	doc_set(m, "decision", dec);
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
			date = optarg;
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
	if (date_parse(date, strlen(date), &mi.date) < 0)
		die("cannot use --date '%s': not a valid date (YYYY-MM-DD)", date);
	if (date_cmp(mi.date, today) > 0)
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
		char *tmpl = template(s, mi.id, &len), *text = NULL;
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
			r = 1;
		free(tmpl);
		free(text);
		if (r < 0)
			goto fail;
		if (r == 1) {
			if (kept)
				remove(kept);
			warnmsg("gave up; nothing recorded for '%s'", mi.id);
			status = EXIT_YES;
			goto out;
		}
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
