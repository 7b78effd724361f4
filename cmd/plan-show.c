/*
 * plan-show: prints a case's detention plan, for people (text) or for scripts (yaml, json),
 * opened with the running member's key: what it does not open is a marker (seal.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "consent.h"
#include "mem.h"
#include "msg.h"
#include "overleg.h"

static const char usage[] =
    "usage: plan-show [-C DIR] CASE-ID [--format text|yaml|json]\n"
    "       plan-show [-C DIR] CASE-ID --for PARTNER [--date DATE] [--format text|json]\n"
    "\n"
    "Show the detention plan of a case as your key opens it, or as one partner may see it.\n"
    "What is sealed for others shows as a marker saying for whom and why.\n"
    "\n"
    "  -C DIR          the store (default: $CASUS_REPO, else the current directory)\n"
    "  --format FMT    text (for people, the default), yaml (the stored document) or json\n"
    "  --for PARTNER   show only what PARTNER may see: what is not sealed for it, or what no\n"
    "                  consent or legal basis lets it receive, is a marker saying why\n"
    "  --date DATE     with --for, the day to judge (default: today)\n"
    "  -h, --help      show this help\n"
    "      --version   show the version\n";

static void
put(const char *s)
{
	out_text(stdout, s, strlen(s), false);
}

/* A string field of the consultations' summary, shown safely, or dflt. */
static void
field(const struct doc *m, const char *key, const char *dflt)
{
	const struct doc *v = doc_get(m, key);

	if (v && v->type == DOC_STR)
		out_text(stdout, v->s, v->len, false);
	else
		fputs(dflt, stdout);
}

/* A date, or "-" when the plan has none. */
static void
put_date(struct date d)
{
	char buf[11];

	fputs(date_valid(d) ? date_format(d, buf) : "-", stdout);
}

/* The detainee's refusals of the plan (R1), each with its revocation: the history stays. */
static void
show_refusals(const struct plan *p, struct date today)
{
	const struct plan_refusal *now = plan_refused(p, today);

	for (size_t i = 0; i < p->nrefusals; i++) {
		const struct plan_refusal *f = &p->refusals[i];

		fputs("The detainee refused the detention plan on ", stdout);
		put_date(f->since);
		if (date_valid(f->revoked)) {
			fputs(", revoked on ", stdout);
			put_date(f->revoked);
		}
		puts(f == now ? " (in force)" : "");
	}
}

static void
show_dates(const struct plan *p)
{
	puts("\nDates");
	for (int i = 0; i < PD_N; i++) {
		printf("  %-18s ", vocab_label(vocab_plan_dates, i));
		put_date(p->dates[i]);
		putchar('\n');
	}
}

static void
show_members(const struct settings *cfg, const struct plan_team *t)
{
	for (size_t j = 0; t && j < t->nmembers; j++) {
		const struct member *m = cfg ? settings_member(cfg, t->members[j].email) : NULL;

		if (j)
			fputs(", ", stdout);
		put(t->members[j].email);
		if (m) {
			fputs(" (", stdout);
			put(m->name);
			fputs(m->active ? ")" : ", inactive)", stdout);
		}
	}
}

static void
show_team(const struct settings *cfg, const struct plan *p)
{
	puts("\nTeam");
	for (int i = 0; i < PARTNER_N; i++) {
		const struct plan_team *t = plan_team(p, vocab_word(vocab_partners, i));

		printf("  %-18s ", vocab_word(vocab_partners, i));
		if (t == NULL || t->nmembers == 0)
			fputs("(none)", stdout);
		show_members(cfg, t);
		putchar('\n');
	}
	/* Partners beyond the core ones, as the file has them: without names, as they always were. */
	for (size_t i = 0; i < p->nteam; i++) {
		if (vocab_find(vocab_partners, p->team[i].partner) >= 0)
			continue;
		printf("  %-18s ", p->team[i].partner);
		for (size_t j = 0; j < p->team[i].nmembers; j++) {
			if (j)
				fputs(", ", stdout);
			put(p->team[i].members[j].email);
		}
		putchar('\n');
	}
	if (p->nroles)
		puts("\nRole agreements");
	for (size_t i = 0; i < p->nroles; i++) {
		printf("  %-18s ", p->roles[i].partner);
		put(p->roles[i].agreement);
		if (p->roles[i].member) {
			fputs(" (", stdout);
			put(p->roles[i].member);
			putchar(')');
		}
		putchar('\n');
	}
}

static void
show_domains(const struct plan *p)
{
	puts("\nLife domains");
	for (int i = 0; i < DOMAIN_N; i++) {
		const struct plan_domain *d = &p->domains[i];
		const char *status = vocab_word(vocab_domain_status, d->status);

		printf("  %-22s %s", vocab_word(vocab_domains, i), status);
		if (d->owner) {
			printf("%*s owner ", (int)(12 - strlen(status)), "");
			put(d->owner);
		}
		putchar('\n');
		if (d->note) {
			fputs("      note: ", stdout);
			put(d->note);
			putchar('\n');
		}
		for (size_t g = 0; g < d->ngoals; g++) {
			const struct plan_goal *goal = &d->goals[g];

			fputs("      goal: ", stdout);
			put(goal->text);
			fputs(" [", stdout);
			put(goal->owner);
			printf(", %s]\n", vocab_word(vocab_goal_status, goal->status));
			for (size_t a = 0; a < goal->nactions; a++) {
				const struct plan_action *act = &goal->actions[a];

				fputs("        action: ", stdout);
				put(act->text);
				fputs(" [", stdout);
				put(act->owner);
				printf(", %s", vocab_word(vocab_action_status, act->status));
				if (date_valid(act->due)) {
					fputs(", due ", stdout);
					put_date(act->due);
				}
				puts("]");
			}
		}
	}
}

/*
 * The consultations in brief, derived from the case's overleg/ files: the last one held, the
 * agreements still open, and the next one due (counted as overleg-schedule counts).
 */
static struct doc *
consultations(const struct settings *cfg, const struct plan *plan, const struct overlegs *o,
    struct date today)
{
	const struct overleg *last = overlegs_last_held(o);
	struct doc *sum = doc_new(DOC_MAP), *open = doc_new(DOC_SEQ), *l;
	struct agreement *ag;
	struct due *due;
	size_t n = overleg_agreements(o, NULL, &ag);
	char d[11];

	if (last) {
		l = doc_clone(last->doc);
		doc_del(l, "case_id");
		doc_set(sum, "last", l);
	} else {
		doc_set(sum, "last", doc_new(DOC_NULL));
	}
	for (size_t i = 0; i < n; i++) {
		struct doc *a;
		char *id;

		if (ag[i].closed >= 0)
			continue;
		a = doc_clone(ag[i].a->node);
		id = agreement_id(&ag[i]);
		doc_set(a, "id", doc_new_str(id));
		free(id);
		doc_push(open, a);
	}
	free(ag);
	doc_set(sum, "open_agreements", open);
	n = overleg_due(cfg, plan, o, today, today, date_add_months(today, 24), &due);
	if (n > 0) {
		struct doc *next = doc_new(DOC_MAP);

		doc_set(next, "date", doc_new_str(date_format(due[0].date, d)));
		doc_set(next, "kind", doc_new_str(vocab_word(vocab_overleg_kinds, due[0].kind)));
		doc_set(next, "status", doc_new_str(due_status_word(due[0].status)));
		doc_set(sum, "next", next);
	} else {
		doc_set(sum, "next", doc_new(DOC_NULL));
	}
	free(due);
	return sum;
}

static void
show_reintegration(const struct reintegration *r)
{
	puts("\nReintegration plan");
	for (int i = 0; i < AREA_N; i++) {
		const struct reint_area *a = &r->areas[i];

		printf("  %-18s %s", vocab_label(vocab_areas, i), vocab_word(vocab_area_status, a->status));
		if (a->owner)
			printf(" [%s]", a->owner);
		if (a->note) {
			fputs(": ", stdout);
			put(a->note);
		}
		putchar('\n');
	}
	for (size_t i = 0; i < r->nlocal_partners; i++) {
		printf("  %-18s ", i ? "" : "local partners");
		put(r->local_partners[i].organisation);
		fputs(" (", stdout);
		put(r->local_partners[i].role);
		puts(")");
	}
	fputs("  follow-up          ", stdout);
	if (r->has_follow_up) {
		put(r->follow_up.justice_house);
		fputs(", ", stdout);
		put(r->follow_up.member);
		if (date_valid(r->follow_up.from)) {
			fputs(", from ", stdout);
			put_date(r->follow_up.from);
		}
		putchar('\n');
	} else {
		puts("not yet arranged");
	}
	for (size_t i = 0; i < r->nneeds; i++)
		printf("  %-18s %s from %s (%s)\n", i ? "" : "information needed", r->needs[i].category,
		    r->needs[i].from, vocab_word(vocab_purposes, r->needs[i].purpose));
}

/*
 * The decisions of a consultation: the list, or the one of the form before issue 10 (put in
 * *one, which *v then points at).
 */
static size_t
decisions_of(const struct doc *o, const struct doc **one, const struct doc *const **v)
{
	const struct doc *l = doc_get(o, "decisions");

	if (l && l->type == DOC_SEQ) {
		*v = (const struct doc *const *)l->items;
		return l->n;
	}
	*one = doc_get(o, "decision");
	*v = one;
	return *one != NULL;
}

static bool
all_consensus(const struct doc *o)
{
	const struct doc *one, *const *v;
	size_t n = decisions_of(o, &one, &v);

	for (size_t i = 0; i < n; i++) {
		const struct doc *c = doc_get(v[i], "consensus");

		if (c == NULL || c->type != DOC_BOOL || !c->b)
			return false;
	}
	return n > 0;
}

/* Each decision of the list with how it was taken; the dissent of each, as before. */
static void
show_decisions(const struct doc *o)
{
	const struct doc *one, *const *v;
	size_t n = decisions_of(o, &one, &v);

	for (size_t d = 0; d < n; d++) {
		const struct doc *c = doc_get(v[d], "consensus"), *l;

		if (doc_get(v[d], "text")) {
			fputs("    decision         ", stdout);
			field(v[d], "text", "");
			printf(" (%s)\n", c && c->type == DOC_BOOL && c->b ? "in consensus" : "without consensus");
		}
		l = doc_get(v[d], "dissent");
		for (size_t i = 0; l && i < l->n; i++) {
			printf("    dissent          %s: ", doc_get_str(l->items[i], "partner"));
			field(l->items[i], "point", "");
			putchar('\n');
		}
	}
}

static void
show_consultations(const struct doc *sum)
{
	const struct doc *last = doc_get(sum, "last"), *next = doc_get(sum, "next");
	const struct doc *open = doc_get(sum, "open_agreements"), *l;

	puts("\nCase consultations");
	if (last->type == DOC_NULL) {
		puts("  last held          none yet");
	} else {
		printf("  last held          %s (%s)", doc_get_str(last, "date"), doc_get_str(last, "kind"));
		printf(", %s\n", all_consensus(last) ? "in consensus" : "without consensus");
		l = doc_get(last, "present");
		fputs("    present          ", stdout);
		for (size_t i = 0; l && i < l->n; i++) {
			printf("%s%s (", i ? ", " : "", doc_get_str(l->items[i], "partner"));
			field(l->items[i], "member", "");
			putchar(')');
		}
		putchar('\n');
		l = doc_get(last, "guests");
		for (size_t i = 0; l && i < l->n; i++) {
			printf("    %-16s ", i ? "" : "guests");
			field(l->items[i], "name", "");
			fputs(" (", stdout);
			field(l->items[i], "organisation", "");
			puts(")");
		}
		l = doc_get(last, "absent");
		for (size_t i = 0; l && i < l->n; i++) {
			const struct doc *a = l->items[i];

			/* One line for the bare partners of the old form, one a partner with its reason. */
			if (a->type == DOC_STR) {
				printf("%s%s", i ? ", " : "    absent           ", a->s);
				if (i + 1 == l->n || l->items[i + 1]->type != DOC_STR)
					putchar('\n');
				continue;
			}
			printf("    %-16s %s: ", i ? "" : "absent", doc_get_str(a, "partner"));
			field(a, "reason", "");
			putchar('\n');
		}
		show_decisions(last);
	}
	for (size_t i = 0; open && i < open->n; i++) {
		printf("  %-18s ", i ? "" : "open agreements");
		field(open->items[i], "text", "");
		printf(" [%s, %s", doc_get_str(open->items[i], "id"), doc_get_str(open->items[i], "owner"));
		if (doc_get(open->items[i], "due"))
			printf(", due %s", doc_get_str(open->items[i], "due"));
		puts("]");
	}
	if (next->type == DOC_NULL)
		puts("  next due           none");
	else
		printf("  next due           %s (%s, %s)\n", doc_get_str(next, "date"),
		    doc_get_str(next, "kind"), doc_get_str(next, "status"));
}

/*
 * Decodes p's tree again after seal_view() changed it, which frees the strings the struct
 * pointed to. Returns the new plan, or NULL (err_set) with the tree freed.
 */
static struct plan *
plan_again(struct plan *p)
{
	struct doc *d = p->doc;

	p->doc = NULL;
	plan_free(p);
	return plan_decode(d);
}

static struct reintegration *
reintegration_again(struct reintegration *r)
{
	struct doc *d = r->doc;

	r->doc = NULL;
	reintegration_free(r);
	return reintegration_decode(d);
}

static struct overleg *
overleg_again(struct overleg *o)
{
	struct doc *d = o->doc;

	o->doc = NULL;
	overleg_free(o);
	return overleg_decode(d);
}

/*
 * Opens what c->key opens of the plan, the reintegration plan (NULL: none) and each
 * consultation of o, for c->viewer, and decodes each again; the rest shows as markers
 * (seal_view()). 0, or -1 with err_set().
 */
static int
open_case(struct plan **plan, struct reintegration **reint, struct overlegs *o,
    struct seal_ctx *c)
{
	char d[11];

	c->kind = SEAL_PLAN;
	c->file = PLAN_FILE;
	seal_view((*plan)->doc, c);
	if ((*plan = plan_again(*plan)) == NULL)
		return -1;
	if (*reint) {
		c->kind = SEAL_REINTEGRATION;
		c->file = REINTEGRATION_FILE;
		seal_view((*reint)->doc, c);
		if ((*reint = reintegration_again(*reint)) == NULL)
			return -1;
	}
	c->kind = SEAL_OVERLEG;
	for (size_t i = 0; i < o->n; i++) {
		char *file = xasprintf("overleg/%s.yaml", date_format(o->v[i]->date, d));

		c->file = file;
		seal_view(o->v[i]->doc, c);
		c->file = NULL;
		free(file);
		if ((o->v[i] = overleg_again(o->v[i])) == NULL)
			return -1;
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"format", required_argument, NULL, 'f'},
		{"for", required_argument, NULL, 'F'},
		{"date", required_argument, NULL, 'd'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	enum cli_format fmt = FMT_TEXT;
	struct problems ps = {0};
	struct store *s;
	struct view *v = NULL;
	struct settings *cfg = NULL;
	struct plan *plan = NULL;
	struct reintegration *reint = NULL;
	struct records rs = {0};
	struct overlegs o = {0};
	struct doc *sum = NULL;
	struct date on, today;
	const char *id, *partner = NULL, *date = NULL;
	char *path = NULL, *buf = NULL, *out;
	size_t len, outlen;
	int c, r, status = EXIT_ERROR;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		if (c == 'f')
			fmt = cli_format(&cli, optarg, 1u << FMT_TEXT | 1u << FMT_YAML | 1u << FMT_JSON);
		else if (c == 'F')
			partner = optarg;
		else if (c == 'd')
			date = optarg;
		else
			cli_option(&cli, c);
	}
	if (partner && fmt == FMT_YAML)
		cli_usage_error(&cli, "--for shows text or json: the stored document is whole");
	if (date && !partner)
		cli_usage_error(&cli, "--date goes with --for");
	if (argc - optind != 1)
		cli_usage_error(&cli, "expected one CASE-ID");
	id = argv[optind];
	if (case_id_check(id) < 0 || (partner && !date && date_today(&on) < 0)) {
		err_print();
		return EXIT_ERROR;
	}
	if (date)
		on = cli_date("date", date);
	s = casus_open_reader(cli.dir);
	if (store_view(s, &v) < 0)
		goto done;
	/* Read here rather than with plan_read(): every problem is shown, and yaml is the bytes. */
	path = case_path(id, PLAN_FILE);
	r = view_read(v, path, &buf, &len);
	if (r == STORE_NOTFOUND)
		err_set("cannot find case '%s': no such case in this store", id);
	if (r != 0)
		goto done;
	plan = plan_parse(buf, len, path, &ps);
	if (plan == NULL) {
		if (ps.n) {
			problems_print(&ps, stderr, progname);
			err_set("cannot show case '%s': its plan is not valid (see case-validate)", id);
		}
		goto done;
	}
	if (partner || fmt != FMT_YAML) {
		char *rbuf;
		size_t rlen;

		cfg = settings_read(v, NULL);
		if (cfg == NULL || overlegs_read(v, id, &o) < 0 || date_today(&today) < 0)
			goto done;
		free(path);
		path = case_path(id, REINTEGRATION_FILE);
		r = view_read(v, path, &rbuf, &rlen);
		if (r < 0)
			goto done;
		if (r == 0) {
			reint = reintegration_parse(rbuf, rlen, path, &ps);
			free(rbuf);
			if (reint == NULL) {
				if (ps.n) {
					problems_print(&ps, stderr, progname);
					err_set("cannot show case '%s': its reintegration plan is not valid (see case-validate)", id);
				}
				goto done;
			}
		}
	}
	if (partner && settings_partner(cfg, partner) == NULL) {
		char *known = settings_partner_list(cfg);

		err_set("cannot show the plan for '%s': unknown partner (known: %s)", partner, known);
		free(known);
		goto done;
	}
	if (fmt != FMT_YAML) {
		/* Sealed text shows as the key opens it; without a key, every sealed part is a marker. */
		struct seal_ctx sc = {.viewer = partner};

		if (case_seal_ctx(v, cfg, id, &sc, &rs) < 0)
			goto done;
		if (partner)
			sc.on = on;     /* --date: the day the bases are judged on */
		if (open_case(&plan, &reint, &o, &sc) < 0)
			goto done;
		/* The consultations in brief are made of what was opened. */
		sum = consultations(cfg, plan, &o, today);
	}
	switch (fmt) {
	case FMT_YAML:
		fwrite(buf, 1, len, stdout);
		break;
	case FMT_JSON:
		/* The plan, and beside it what the consultations say of it (derived, not stored). */
		doc_set(plan->doc, "overleg", sum);
		sum = NULL;
		if (reint) {
			doc_set(plan->doc, "reintegration", reint->doc);
			reint->doc = NULL;
		} else {
			doc_set(plan->doc, "reintegration", doc_new(DOC_NULL));
		}
		if (doc_emit_json(plan->doc, true, &out, &outlen) < 0)
			goto done;
		fwrite(out, 1, outlen, stdout);
		free(out);
		break;
	default:
		fputs("Case ", stdout);
		put(id);
		printf(" (%s), ", vocab_word(vocab_plan_status, plan->status));
		put(plan->institution);
		putchar('\n');
		if (partner) {
			char d[11];

			printf("As %s may see it on %s\n", partner, date_format(on, d));
		}
		show_refusals(plan, partner ? on : today);
		show_dates(plan);
		show_team(cfg, plan);
		show_domains(plan);
		if (reint)
			show_reintegration(reint);
		show_consultations(sum);
	}
	status = EXIT_YES;
done:
	if (status != EXIT_YES)
		err_print();
	problems_free(&ps);
	records_free(&rs);
	overlegs_free(&o);
	doc_free(sum);
	reintegration_free(reint);
	plan_free(plan);
	settings_free(cfg);
	free(buf);
	free(path);
	view_close(v);
	store_close(s);
	return status;
}
