/* plan-show: prints a case's detention plan, for people (text) or for scripts (yaml, json). */
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
    "Show the detention plan of a case, whole or as one partner may see it.\n"
    "\n"
    "  -C DIR          the store (default: $CASUS_REPO, else the current directory)\n"
    "  --format FMT    text (for people, the default), yaml (the stored document) or json\n"
    "  --for PARTNER   show only what PARTNER may see: what no consent or legal basis lets\n"
    "                  it receive is replaced by a marker saying it is withheld and why\n"
    "  --date DATE     with --for, the day to judge (default: today)\n"
    "  -h, --help      show this help\n"
    "      --version   show the version\n";

static void
put(const char *s)
{
	out_text(stdout, s, strlen(s), false);
}

/* A string field of a map, shown safely, or dflt. */
static void
field(const struct doc *m, const char *key, const char *dflt)
{
	const struct doc *v = doc_get(m, key);

	if (v && v->type == DOC_STR)
		out_text(stdout, v->s, v->len, false);
	else
		fputs(dflt, stdout);
}

static void
show_dates(const struct doc *plan)
{
	static const char *const keys[][2] = {
		{"detention_start", "detention start"}, {"leave_eligible", "leave eligible"},
		{"release_eligible", "release eligible"}, {"sentence_end", "sentence end"},
	};
	const struct doc *dates = doc_get(plan, "dates");

	puts("\nDates");
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		printf("  %-18s ", keys[i][1]);
		field(dates, keys[i][0], "-");
		putchar('\n');
	}
}

static void
show_team(const struct settings *cfg, const struct doc *plan)
{
	const struct doc *team = doc_get(plan, "team");
	const struct doc *roles = doc_get(plan, "roles");

	puts("\nTeam");
	for (int i = 0; i < PARTNER_N; i++) {
		const struct doc *list = doc_get(team, vocab_word(vocab_partners, i));

		printf("  %-18s ", vocab_word(vocab_partners, i));
		if (list == NULL || list->n == 0)
			fputs("(none)", stdout);
		for (size_t j = 0; list && j < list->n; j++) {
			const struct member *m = settings_member(cfg, list->items[j]->s);

			if (j)
				fputs(", ", stdout);
			put(list->items[j]->s);
			if (m) {
				fputs(" (", stdout);
				put(m->name);
				fputs(m->active ? ")" : ", inactive)", stdout);
			}
		}
		putchar('\n');
	}
	for (size_t i = 0; team && i < team->n; i++) {
		if (vocab_find(vocab_partners, team->pairs[i].key) < 0) {
			printf("  %-18s ", team->pairs[i].key);
			for (size_t j = 0; j < team->pairs[i].val->n; j++) {
				if (j)
					fputs(", ", stdout);
				put(team->pairs[i].val->items[j]->s);
			}
			putchar('\n');
		}
	}
	if (roles && roles->n) {
		puts("\nRole agreements");
		for (size_t i = 0; i < roles->n; i++) {
			printf("  %-18s ", doc_get_str(roles->items[i], "partner"));
			field(roles->items[i], "agreement", "");
			if (doc_get(roles->items[i], "member")) {
				fputs(" (", stdout);
				field(roles->items[i], "member", "");
				putchar(')');
			}
			putchar('\n');
		}
	}
}

static void
show_domains(const struct doc *plan)
{
	const struct doc *domains = doc_get(plan, "domains");

	puts("\nLife domains");
	for (size_t i = 0; domains && i < domains->n; i++) {
		const struct doc *d = domains->pairs[i].val;
		const struct doc *goals = doc_get(d, "goals");

		printf("  %-22s %s", domains->pairs[i].key, doc_get_str(d, "status"));
		if (doc_get(d, "owner")) {
			printf("%*s owner ", (int)(12 - strlen(doc_get_str(d, "status"))), "");
			field(d, "owner", "");
		}
		putchar('\n');
		if (doc_get(d, "note")) {
			fputs("      note: ", stdout);
			field(d, "note", "");
			putchar('\n');
		}
		for (size_t g = 0; goals && g < goals->n; g++) {
			const struct doc *goal = goals->items[g];
			const struct doc *actions = doc_get(goal, "actions");

			fputs("      goal: ", stdout);
			field(goal, "text", "");
			fputs(" [", stdout);
			field(goal, "owner", "");
			fputs(", ", stdout);
			field(goal, "status", "open");
			puts("]");
			for (size_t a = 0; actions && a < actions->n; a++) {
				const struct doc *act = actions->items[a];

				fputs("        action: ", stdout);
				field(act, "text", "");
				fputs(" [", stdout);
				field(act, "owner", "");
				fputs(", ", stdout);
				field(act, "status", "planned");
				if (doc_get(act, "due")) {
					fputs(", due ", stdout);
					field(act, "due", "");
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
consultations(const struct settings *cfg, const struct doc *plan, const struct overlegs *o,
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
show_reintegration(const struct doc *r)
{
	static const char *const areas[][2] = {
		{"housing", "housing"}, {"work", "work or income"}, {"network", "social network"},
		{"care", "continuity of care"},
	};
	const struct doc *lp = doc_get(r, "local_partners"), *fu = doc_get(r, "follow_up");
	const struct doc *needs = doc_get(r, "needs");

	puts("\nReintegration plan");
	for (size_t i = 0; i < sizeof areas / sizeof areas[0]; i++) {
		const struct doc *a = doc_get(r, areas[i][0]);

		printf("  %-18s %s", areas[i][1], doc_get_str(a, "status"));
		if (doc_get(a, "owner"))
			printf(" [%s]", doc_get_str(a, "owner"));
		if (doc_get(a, "note")) {
			fputs(": ", stdout);
			field(a, "note", "");
		}
		putchar('\n');
	}
	for (size_t i = 0; lp && i < lp->n; i++) {
		printf("  %-18s ", i ? "" : "local partners");
		field(lp->items[i], "organisation", "");
		fputs(" (", stdout);
		field(lp->items[i], "role", "");
		puts(")");
	}
	fputs("  follow-up          ", stdout);
	if (fu) {
		field(fu, "justice_house", "");
		fputs(", ", stdout);
		field(fu, "member", "");
		if (doc_get(fu, "from"))
			printf(", from %s", doc_get_str(fu, "from"));
		putchar('\n');
	} else {
		puts("not yet arranged");
	}
	for (size_t i = 0; needs && i < needs->n; i++)
		printf("  %-18s %s from %s (%s)\n", i ? "" : "information needed",
		    doc_get_str(needs->items[i], "category"), doc_get_str(needs->items[i], "from"),
		    doc_get(needs->items[i], "purpose") ? doc_get_str(needs->items[i], "purpose") : "reintegration");
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
		l = doc_get(doc_get(last, "decision"), "consensus");
		printf(", %s\n", l && l->b ? "in consensus" : "without consensus");
		l = doc_get(last, "present");
		fputs("    present          ", stdout);
		for (size_t i = 0; l && i < l->n; i++) {
			printf("%s%s (", i ? ", " : "", doc_get_str(l->items[i], "partner"));
			field(l->items[i], "member", "");
			putchar(')');
		}
		putchar('\n');
		l = doc_get(last, "absent");
		if (l && l->n) {
			fputs("    absent           ", stdout);
			for (size_t i = 0; i < l->n; i++)
				printf("%s%s", i ? ", " : "", l->items[i]->s);
			putchar('\n');
		}
		l = doc_get(doc_get(last, "decision"), "dissent");
		for (size_t i = 0; l && i < l->n; i++) {
			printf("    dissent          %s: ", doc_get_str(l->items[i], "partner"));
			field(l->items[i], "point", "");
			putchar('\n');
		}
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
	struct settings *cfg = NULL;
	struct view *v = NULL;
	struct doc *plan = NULL;
	struct records rs = {0};
	struct overlegs o = {0};
	struct doc *sum = NULL, *reint = NULL;
	struct date on, today;
	const char *id, *partner = NULL, *date = NULL;
	char *path, *buf = NULL, *out;
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
	if (date && date_parse(date, strlen(date), &on) < 0)
		die("cannot use --date '%s': not a valid date (YYYY-MM-DD)", date);
	s = casus_open(cli.dir);
	path = case_path(id, "plan.yaml");
	if (store_view(s, &v) < 0)
		goto done;
	r = view_read(v, path, &buf, &len);
	if (r == STORE_NOTFOUND)
		err_set("cannot find case '%s': no such case in this store", id);
	if (r != 0)
		goto done;
	plan = casus_parse(buf, len, path, "plan", &ps);
	if (plan == NULL) {
		problems_print(&ps, stderr, progname);
		err_set("cannot show case '%s': its plan is not valid (see case-validate)", id);
		goto done;
	}
	if (partner || fmt != FMT_YAML) {
		cfg = settings_read(v, NULL);
		if (cfg == NULL || overlegs_read(v, id, &o) < 0 || date_today(&today) < 0)
			goto done;
		sum = consultations(cfg, plan, &o, today);
		free(path);
		path = case_path(id, "reintegration.yaml");
		free(buf);
		buf = NULL;
		r = view_read(v, path, &buf, &len);
		if (r < 0)
			goto done;
		if (r == 0) {
			reint = casus_parse(buf, len, path, "reintegration", &ps);
			if (reint == NULL) {
				problems_print(&ps, stderr, progname);
				err_set("cannot show case '%s': its reintegration plan is not valid (see case-validate)", id);
				goto done;
			}
		}
	}
	if (partner) {
		if (!settings_partner(cfg, partner)) {
			char *known = settings_partner_list(cfg);

			err_set("cannot show the plan for '%s': unknown partner (known: %s)", partner, known);
			free(known);
			goto done;
		}
		if (records_read(v, id, &rs) < 0)
			goto done;
		plan_withhold(plan, cfg, &rs, partner, on);
		if (reint)
			reintegration_withhold(reint, cfg, &rs, partner, on);
	}
	switch (fmt) {
	case FMT_YAML:
		fwrite(buf, 1, len, stdout);
		break;
	case FMT_JSON:
		/* The plan, and beside it what the consultations say of it (derived, not stored). */
		doc_set(plan, "overleg", sum);
		sum = NULL;
		doc_set(plan, "reintegration", reint ? reint : doc_new(DOC_NULL));
		reint = NULL;
		if (doc_emit_json(plan, true, &out, &outlen) < 0)
			goto done;
		fwrite(out, 1, outlen, stdout);
		free(out);
		break;
	default:
		fputs("Case ", stdout);
		put(id);
		fputs(" (", stdout);
		field(plan, "status", "");
		fputs("), ", stdout);
		field(plan, "institution", "");
		putchar('\n');
		if (partner) {
			char d[11];

			printf("As %s may see it on %s\n", partner, date_format(on, d));
		}
		if (doc_get(plan, "refusal")) {
			fputs("The detainee refused a detention plan on ", stdout);
			field(doc_get(plan, "refusal"), "since", "");
			puts(doc_get(doc_get(plan, "refusal"), "revoked") ? " (revoked)" : "");
		}
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
	doc_free(reint);
	doc_free(plan);
	settings_free(cfg);
	free(buf);
	free(path);
	view_close(v);
	store_close(s);
	return status;
}
