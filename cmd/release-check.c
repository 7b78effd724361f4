/*
 * release-check: is a case ready for penitentiary leave or for release? Runs named checks,
 * each from a rule of the paper (R3, R5, R6, R8, R9, R10, R11), for one case or for every open
 * case whose date falls in a window. Exit 0 when every check passes, 1 when one fails.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casus.h"
#include "cli.h"
#include "index.h"
#include "mem.h"
#include "msg.h"
#include "parallel.h"
#include "readiness.h"

static const char usage[] =
    "usage: release-check [-C DIR] CASE-ID [--for leave|release] [--date DATE]\n"
    "                     [--format text|json]\n"
    "       release-check [-C DIR] --all [--for leave|release] [--within DURATION]\n"
    "                     [--institution NAME] [--date DATE] [--format text|tsv|json]\n"
    "\n"
    "Check whether a case is ready for penitentiary leave (the default) or for release.\n"
    "With --all, list the open cases whose date falls in the window and that are not ready.\n"
    "Exit 0 when everything is ready, 1 when something is not, 2 on error.\n"
    "\n"
    "  -C DIR              the store (default: $CASUS_REPO, else the current directory)\n"
    "  --for MILESTONE     leave (penitentiary leave eligibility) or release\n"
    "  --date DATE         the day to judge (default: today)\n"
    "  --all               every open case whose milestone date falls in the window\n"
    "  --within DURATION   the window after --date: a number with d, w or m (default 6m)\n"
    "  --institution NAME  with --all, only the cases of this institution\n"
    "  --format FMT        text (the default), tsv (with --all) or json\n"
    "  -h, --help          show this help\n"
    "      --version       show the version\n";

static bool colour;

static void
mark(bool passed)
{
	if (colour)
		fputs(passed ? "\033[32mpass\033[0m" : "\033[31mFAIL\033[0m", stdout);
	else
		fputs(passed ? "pass" : "FAIL", stdout);
}

static struct doc *
checks_json(const struct check *c, size_t n, bool failed_only)
{
	struct doc *list = doc_new(DOC_SEQ);

	for (size_t i = 0; i < n; i++) {
		struct doc *d;

		if (failed_only && c[i].passed)
			continue;
		d = doc_new(DOC_MAP);
		doc_set(d, "name", doc_new_str(c[i].name));
		doc_set(d, "rule", doc_new_str(c[i].rule));
		doc_set(d, "passed", doc_new_bool(c[i].passed));
		doc_set(d, "reason", doc_new_str(c[i].reason));
		if (!c[i].passed)
			doc_set(d, "todo", doc_new_str(c[i].todo));
		doc_push(list, d);
	}
	return list;
}

static int
put_json(struct doc *d)
{
	char *out;
	size_t len;
	int r = doc_emit_json(d, true, &out, &len);

	if (r == 0) {
		fwrite(out, 1, len, stdout);
		free(out);
	}
	doc_free(d);
	return r;
}

static const char *
milestone_name(enum milestone m)
{
	return m == FOR_LEAVE ? "leave" : "release";
}

static int
one(const struct view *v, const struct settings *cfg, const char *id, enum milestone m, struct date on,
    enum cli_format fmt, bool *ready)
{
	struct case_data cd;
	struct check c[READINESS_MAX];
	size_t n, failed = 0;
	char d[11];

	if (case_data_read(v, id, &cd) < 0)
		return -1;
	n = readiness(cfg, &cd, m, on, c);
	for (size_t i = 0; i < n; i++)
		failed += !c[i].passed;
	*ready = failed == 0;
	if (fmt == FMT_JSON) {
		struct doc *r = doc_new(DOC_MAP);

		doc_set(r, "case_id", doc_new_str(id));
		doc_set(r, "for", doc_new_str(milestone_name(m)));
		doc_set(r, "date", doc_new_str(date_format(on, d)));
		doc_set(r, "ready", doc_new_bool(failed == 0));
		doc_set(r, "checks", checks_json(c, n, false));
		checks_free(c, n);
		case_data_free(&cd);
		return put_json(r);
	}
	printf("%s: %s for %s on %s", id, failed ? "not ready" : "ready", milestone_name(m), date_format(on, d));
	if (failed)
		printf(" (%zu of %zu checks failed)", failed, n);
	putchar('\n');
	for (size_t i = 0; i < n; i++) {
		fputs("  ", stdout);
		mark(c[i].passed);
		printf("  %-19s %s (%s)\n", c[i].name, c[i].reason, c[i].rule);
		if (!c[i].passed)
			printf("        %-19s to do: %s\n", "", c[i].todo);
	}
	checks_free(c, n);
	case_data_free(&cd);
	return 0;
}

/* A case of --all in the window: its checks, run from whichever thread read it. */
struct job {
	char *id;
	struct date when;
	struct check c[READINESS_MAX];
	size_t n;
	char *err;                      /* the case could not be read: why */
};

/* What --all asks, and what it has found so far. */
struct all {
	const struct view *v;
	const struct settings *cfg;
	enum milestone m;
	struct date on, until;
	const char *institution;
	enum cli_format fmt;
	struct doc *list;               /* the rows, for json */
	bool ready;
	struct job *jobs;               /* the cases in the window, by ID */
	size_t njobs, cap;
};

/*
 * One case of --all, whose plan (read from git, or taken from the index) decides whether it
 * is in scope; the rest of the case is read from git for those that are, later (check_job()).
 */
static int
all_case(struct all *a, const char *id, const struct plan *plan)
{
	struct date when;

	if (plan->status != PLAN_OPEN ||
	    (a->institution != NULL && strcmp(a->institution, plan->institution) != 0) ||
	    !milestone_date(plan, a->m, &when) || date_cmp(when, a->on) < 0 || date_cmp(when, a->until) > 0)
		return 0;
	xgrow((void **)&a->jobs, &a->cap, a->njobs + 1, sizeof *a->jobs);
	a->jobs[a->njobs++] = (struct job){.id = xstrdup(id), .when = when};
	return 0;
}

/* Reads case i of the window through w and runs its checks: from one of view_each()'s threads. */
static int
check_job(void *arg, const struct view *w, size_t i)
{
	struct all *a = arg;
	struct job *j = &a->jobs[i];
	struct case_data cd;

	if (case_data_read(w, j->id, &cd) < 0) {
		/* err_last() is "" when nothing was said: the case is named then. */
		j->err = err_last()[0] ? xstrdup(err_last()) : xasprintf("cannot read case %s", j->id);
		return -1;
	}
	j->n = readiness(a->cfg, &cd, a->m, a->on, j->c);
	case_data_free(&cd);
	return 0;
}

/* Prints what case j failed, if anything. */
static void
job_show(struct all *a, const struct job *j)
{
	bool first = true;
	char d[11];

	for (size_t k = 0; k < j->n; k++) {
		if (j->c[k].passed)
			continue;
		a->ready = false;
		if (a->fmt == FMT_TEXT) {
			if (first)
				printf("%-16s %s  ", j->id, date_format(j->when, d));
			else
				printf("%-16s %10s  ", "", "");
			printf("%-19s %s\n", j->c[k].name, j->c[k].reason);
		} else if (a->fmt == FMT_TSV) {
			printf("%s\t%s\t%s\n", j->id, date_format(j->when, d), j->c[k].name);
		}
		first = false;
	}
	if (!first && a->fmt == FMT_JSON) {
		struct doc *row = doc_new(DOC_MAP);

		doc_set(row, "case_id", doc_new_str(j->id));
		doc_set(row, "date", doc_new_str(date_format(j->when, d)));
		doc_set(row, "failed", checks_json(j->c, j->n, true));
		doc_push(a->list, row);
	}
}

/*
 * Reads and checks the cases in the window, a thread to a core (view_each()), and shows them
 * in order of ID; the first that cannot be read ends the list there with its error, as a
 * reading one by one would. r is how the finding of the window ended: its error comes after
 * the cases found before it.
 */
static int
jobs_run(struct all *a, int r)
{
	char *why = r < 0 ? xstrdup(err_last()[0] ? err_last() : "cannot read the index") : NULL;
	bool failed = false;

	view_each(a->v, a->njobs, check_job, a);
	for (size_t i = 0; i < a->njobs; i++) {
		struct job *j = &a->jobs[i];

		if (!failed && j->err) {
			err_set("%s", j->err);
			failed = true;
		} else if (!failed) {
			job_show(a, j);
		}
		checks_free(j->c, j->n);
		free(j->err);
		free(j->id);
	}
	free(a->jobs);
	if (!failed && why)
		err_set("%s", why);
	free(why);
	return failed || why ? -1 : 0;
}

/* A case of the index: its plan from the index, or from git when the index could not read it. */
static int
all_row(void *arg, const struct index_case *c)
{
	struct all *a = arg;
	struct plan in_index, *plan;
	int r;

	if (c->ok) {
		index_case_plan(c, &in_index);
		return all_case(a, c->id, &in_index);
	}
	if ((plan = plan_read(a->v, c->id)) == NULL)
		return -1;
	r = all_case(a, c->id, plan);
	plan_free(plan);
	return r;
}

static int
all(struct index *ix, const struct view *v, const struct settings *cfg, enum milestone m,
    struct date on, struct duration within, const char *institution, enum cli_format fmt,
    bool *ready)
{
	struct all a = {
		.v = v, .cfg = cfg, .m = m, .on = on, .until = date_add_duration(on, within, 1),
		.institution = institution, .fmt = fmt, .list = doc_new(DOC_SEQ), .ready = true,
	};
	char d[11];
	int r;

	if (fmt == FMT_TSV)
		puts("case\tdate\tfailed");
	if (ix) {
		r = index_cases(ix, 0, all_row, &a);
	} else {
		char **ids;
		size_t nids;

		/* CASUS_INDEX=off: every case from git, as before the index. */
		if ((r = case_ids(v, &ids, &nids)) == 0) {
			for (size_t i = 0; r == 0 && i < nids; i++) {
				struct plan *plan = plan_read(v, ids[i]);

				r = plan ? all_case(&a, ids[i], plan) : -1;
				plan_free(plan);
			}
			store_list_free(ids, nids);
		}
	}
	r = jobs_run(&a, r);
	*ready = a.ready;
	if (r == 0 && fmt == FMT_JSON) {
		struct doc *top = doc_new(DOC_MAP);

		doc_set(top, "for", doc_new_str(milestone_name(m)));
		doc_set(top, "date", doc_new_str(date_format(on, d)));
		doc_set(top, "until", doc_new_str(date_format(a.until, d)));
		doc_set(top, "not_ready", a.list);
		return put_json(top);
	}
	doc_free(a.list);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"for", required_argument, NULL, 'f'},
		{"date", required_argument, NULL, 'd'},
		{"all", no_argument, NULL, 'a'},
		{"within", required_argument, NULL, 'w'},
		{"institution", required_argument, NULL, 'i'},
		{"format", required_argument, NULL, 'F'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	enum cli_format fmt = FMT_TEXT;
	enum milestone m = FOR_LEAVE;
	struct duration within = {6, 'm'};
	struct store *s;
	struct view *v = NULL;
	struct index *ix = NULL;
	struct settings *cfg;
	struct date on;
	const char *date = NULL, *within_arg = NULL, *institution = NULL, *nc = getenv("NO_COLOR");
	bool do_all = false, ready = false;
	int c, r;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			if (strcmp(optarg, "leave") == 0)
				m = FOR_LEAVE;
			else if (strcmp(optarg, "release") == 0)
				m = FOR_RELEASE;
			else
				cli_usage_error(&cli, "cannot use --for '%s': not leave or release", optarg);
			break;
		case 'd':
			date = optarg;
			break;
		case 'a':
			do_all = true;
			break;
		case 'w':
			within_arg = optarg;
			break;
		case 'i':
			institution = optarg;
			break;
		case 'F':
			fmt = cli_format(&cli, optarg, 1u << FMT_TEXT | 1u << FMT_TSV | 1u << FMT_JSON);
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (do_all ? argc != optind : argc - optind != 1)
		cli_usage_error(&cli, do_all ? "--all takes no CASE-ID" : "expected one CASE-ID, or --all");
	if (!do_all && (within_arg || institution || fmt == FMT_TSV))
		cli_usage_error(&cli, "--within, --institution and --format tsv go with --all");
	if (within_arg && duration_parse(within_arg, &within) < 0)
		die("cannot use --within '%s': not a duration such as 14d, 6w or 3m", within_arg);
	if ((!do_all && case_id_check(argv[optind]) < 0) || (date == NULL && date_today(&on) < 0)) {
		err_print();
		return EXIT_ERROR;
	}
	if (date)
		on = cli_date("date", date);
	/* Colour only for a person at a terminal, and never when NO_COLOR says so. */
	colour = fmt == FMT_TEXT && isatty(STDOUT_FILENO) && (nc == NULL || nc[0] == '\0');
	s = casus_open_reader(cli.dir);
	/* --all answers from the index; one case is read from git, where it is as quick. */
	if (do_all && !index_off())
		cfg = index_open(s, 0, &ix, NULL) == 0 && index_view(ix, &v) == 0 ? settings_read(v, NULL) : NULL;
	else
		cfg = store_view(s, &v) == 0 ? settings_read(v, NULL) : NULL;
	r = cfg == NULL ? -1 : do_all ? all(ix, v, cfg, m, on, within, institution, fmt, &ready)
	    : one(v, cfg, argv[optind], m, on, fmt, &ready);
	if (r < 0)
		err_print();
	settings_free(cfg);
	view_close(v);
	index_close(ix);
	store_close(s);
	return r < 0 ? EXIT_ERROR : ready ? EXIT_YES : EXIT_NO;
}
