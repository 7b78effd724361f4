/*
 * case-ls: the cases matching every filter given, sorted by case ID, with their key dates,
 * institution and status: open cases, or with --closed the closed ones instead. Answered from
 * the store's index (index.h); only what the index does not hold (consent records for
 * --no-consent-for, the whole case for --not-ready) is read from git, and only for the cases
 * the other filters kept. Exit 0 when a case is listed, 1 when none, 2 on error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "index.h"
#include "mem.h"
#include "msg.h"
#include "parallel.h"
#include "readiness.h"

static const char usage[] =
    "usage: case-ls [-C DIR] [--institution NAME] [--leave-between DATE DATE]\n"
    "               [--domain DOMAIN --status STATUS] [--no-consent-for PARTNER]\n"
    "               [--not-ready leave|release] [--closed] [--date DATE]\n"
    "               [--format text|tsv|json]\n"
    "\n"
    "List the open cases (with --closed, the closed ones instead) that match every filter\n"
    "given, sorted by case ID, with their key dates, institution and status.\n"
    "Exit 0 when a case is listed, 1 when none is, 2 on error.\n"
    "\n"
    "  -C DIR                     the store (default: $CASUS_REPO, else the current directory)\n"
    "  --institution NAME         only the cases of this institution\n"
    "  --leave-between DATE DATE  only those whose leave eligibility falls on or between them\n"
    "  --domain DOMAIN            with --status, only those whose life domain DOMAIN\n"
    "  --status STATUS            has this status (to-assess, no-need, planned, ...)\n"
    "  --no-consent-for PARTNER   only those without a consent in force that names PARTNER\n"
    "                             among its recipients\n"
    "  --not-ready MILESTONE      only those not ready for leave or for release (release-check)\n"
    "  --closed                   the closed cases instead of the open ones\n"
    "  --date DATE                the day --no-consent-for and --not-ready judge (default: today)\n"
    "  --format FMT               text (the default), tsv or json\n"
    "  -h, --help                 show this help\n"
    "      --version              show the version\n";

/* A case as listed: what the index holds of its plan, or what its plan says. */
struct row {
	char *id, *institution;
	enum plan_status status;
	struct date dates[PD_N];
	bool consents;          /* it may have a consent record: false when the index says none */
};

struct ls {
	/* The filters; a domain or status of -1, and a NULL string, filter nothing. */
	const char *institution, *partner;
	bool between, closed, not_ready;
	struct date first, last, on;
	int domain, dstatus;
	enum milestone m;
	const struct view *v;   /* of the index's commit: what the index does not hold */
	/* The cases kept, in the order of index_cases(): by ID. */
	struct row *rows;
	size_t n, cap;
	size_t broken;          /* cases left out because a file they need is not valid */
	bool institution_seen;  /* a case's plan names --institution */
};

static void
rows_free(struct row *r, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(r[i].id);
		free(r[i].institution);
	}
	free(r);
}

/* The filters the plan alone answers: institution, open or closed, leave dates, a domain. */
static bool
plan_keeps(struct ls *ls, const char *institution, enum plan_status status,
    const struct date dates[PD_N], const enum domain_status ds[DOMAIN_N])
{
	struct date leave = dates[PD_LEAVE_ELIGIBLE];

	if (ls->institution) {
		if (strcmp(ls->institution, institution) != 0)
			return false;
		ls->institution_seen = true;
	}
	if (status != (ls->closed ? PLAN_CLOSED : PLAN_OPEN))
		return false;
	if (ls->between && (!date_valid(leave) || date_cmp(leave, ls->first) < 0 ||
	    date_cmp(leave, ls->last) > 0))
		return false;
	return ls->domain < 0 || (int)ds[ls->domain] == ls->dstatus;
}

static void
row_add(struct ls *ls, const char *id, const char *institution, enum plan_status status,
    const struct date dates[PD_N], bool consents)
{
	struct row *r;

	xgrow((void **)&ls->rows, &ls->cap, ls->n + 1, sizeof *ls->rows);
	r = &ls->rows[ls->n++];
	r->id = xstrdup(id);
	r->institution = xstrdup(institution);
	r->status = status;
	memcpy(r->dates, dates, sizeof r->dates);
	r->consents = consents;
}

/*
 * A case the index could not read: its plan from git, as without the index. A file the
 * listing does not need (a consultation, unless --not-ready) keeps no case out, as it would
 * not without the index; a plan that cannot be read is said, and the listing goes on.
 */
static void
take_from_git(struct ls *ls, const char *id)
{
	struct plan *p = plan_read(ls->v, id);
	enum domain_status ds[DOMAIN_N];

	if (p == NULL) {
		err_print();
		ls->broken++;
		return;
	}
	for (int d = 0; d < DOMAIN_N; d++)
		ds[d] = p->domains[d].status;
	if (plan_keeps(ls, p->institution, p->status, p->dates, ds))
		row_add(ls, id, p->institution, p->status, p->dates, true);
	plan_free(p);
}

/* One case from index_cases(): kept or not by the filters the index answers. */
static int
take(void *arg, const struct index_case *c)
{
	struct ls *ls = arg;

	if (!c->ok) {
		take_from_git(ls, c->id);
	} else if (plan_keeps(ls, c->institution, c->status, c->dates, c->domain_status)) {
		bool consents = false;

		for (size_t i = 0; i < c->nrecords && !consents; i++)
			consents = c->records[i].kind == RK_CONSENT;
		row_add(ls, c->id, c->institution, c->status, c->dates, consents);
	}
	return 0;
}

/*
 * Whether a consent in force on day on names partner among its recipients (to). consent_status()
 * is the one rule of what is in force: a consent withdrawn, expired, not yet given or given
 * without being informed (no basis) is not. A refusal or a legal basis is no consent.
 */
static bool
consent_for(const struct records *rs, const char *partner, struct date on)
{
	for (size_t i = 0; i < rs->n; i++) {
		const struct consent_record *rec = rs->v[i];

		if (rec->kind != RK_CONSENT || consent_status(rs, rec, on, NULL) != CS_IN_FORCE)
			continue;
		for (size_t k = 0; k < rec->nto; k++)
			if (strcmp(rec->to[k].name, partner) == 0)
				return true;
	}
	return false;
}

/*
 * The filters that need more than the index holds, on one kept case: 1 keep, 0 drop, -1 a file
 * of the case cannot be read (err_set).
 */
static int
git_keeps(const struct ls *ls, const struct view *v, const struct settings *cfg, const struct row *r)
{
	const char *id = r->id;
	struct case_data cd;
	struct records rs = {0};
	int keep = 1;

	if (ls->not_ready) {
		struct check c[READINESS_MAX];
		size_t n;

		if (case_data_read(v, id, &cd) < 0)
			return -1;
		n = readiness(cfg, &cd, ls->m, ls->on, c);
		keep = 0;
		for (size_t i = 0; i < n; i++)
			keep |= !c[i].passed;
		checks_free(c, n);
		if (keep && ls->partner)
			keep = !consent_for(&cd.rs, ls->partner, ls->on);
		case_data_free(&cd);
		return keep;
	}
	/* The index holds each record's kind, not its recipients: without a consent, none is read. */
	if (ls->partner && r->consents) {
		if (records_read(v, id, &rs) < 0)
			return -1;
		keep = !consent_for(&rs, ls->partner, ls->on);
		records_free(&rs);
	}
	return keep;
}

/* What git_keeps() says of each kept case, found by view_each()'s threads. */
struct keeps {
	const struct ls *ls;
	const struct settings *cfg;
	int *k;                 /* by row */
	char **err;             /* by row: why k is -1, else NULL */
};

static int
keep_job(void *arg, const struct view *w, size_t i)
{
	struct keeps *kp = arg;

	const char *id = kp->ls->rows[i].id;

	/* err_last() is "" when nothing was said: the case is named then. */
	if ((kp->k[i] = git_keeps(kp->ls, w, kp->cfg, &kp->ls->rows[i])) < 0)
		kp->err[i] = err_last()[0] ? xstrdup(err_last()) : xasprintf("cannot read case %s", id);
	/* A case that cannot be read is said in its place, and the listing goes on. */
	return 0;
}

/*
 * Fills ls->rows with the cases to list, by ID: first those the index's filters keep, then the
 * filters that read from git, on those alone, a thread to a core (view_each()); what those
 * say is taken in order of ID. 0, or -1 with err_set().
 */
static int
list(struct ls *ls, struct index *ix, const struct settings *cfg)
{
	struct keeps kp = {.ls = ls, .cfg = cfg};
	bool git = ls->not_ready || ls->partner;
	size_t kept = 0;

	if (index_cases(ix, INDEX_DOMAINS | INDEX_RECORDS, take, ls) < 0)
		return -1;
	if (git && ls->n > 0) {
		kp.k = xcalloc(ls->n, sizeof *kp.k);
		kp.err = xcalloc(ls->n, sizeof *kp.err);
		view_each(ls->v, ls->n, keep_job, &kp);
	}
	for (size_t i = 0; i < ls->n; i++) {
		int k = git ? kp.k[i] : 1;

		if (k < 0) {
			err_set("%s", kp.err[i]);
			err_print();
			free(kp.err[i]);
			ls->broken++;
		}
		if (k == 1) {
			ls->rows[kept++] = ls->rows[i];
		} else {
			free(ls->rows[i].id);
			free(ls->rows[i].institution);
		}
	}
	ls->n = kept;
	free(kp.k);
	free(kp.err);
	if (ls->institution && !ls->institution_seen && ls->broken == 0)
		return cli_institution_unused(ls->institution);
	return 0;
}

static const char *
date_or(struct date d, char buf[11], const char *none)
{
	return date_valid(d) ? date_format(d, buf) : none;
}

static const enum plan_date shown[] = {PD_DETENTION_START, PD_LEAVE_ELIGIBLE, PD_RELEASE_ELIGIBLE};
#define NSHOWN (sizeof shown / sizeof shown[0])

static int
show(const struct ls *ls, enum cli_format fmt)
{
	char d[11], *out;
	size_t len;

	if (fmt == FMT_JSON) {
		struct doc *l = doc_new(DOC_SEQ);

		for (size_t i = 0; i < ls->n; i++) {
			struct doc *r = doc_new(DOC_MAP);

			doc_set(r, "case_id", doc_new_str(ls->rows[i].id));
			for (size_t k = 0; k < NSHOWN; k++)
				doc_set(r, vocab_word(vocab_plan_dates, shown[k]),
				    date_valid(ls->rows[i].dates[shown[k]]) ?
				    doc_new_str(date_format(ls->rows[i].dates[shown[k]], d)) : doc_new(DOC_NULL));
			doc_set(r, "institution", doc_new_str(ls->rows[i].institution));
			doc_set(r, "status", doc_new_str(vocab_word(vocab_plan_status, ls->rows[i].status)));
			doc_push(l, r);
		}
		if (doc_emit_json(l, true, &out, &len) < 0) {
			doc_free(l);
			return -1;
		}
		fwrite(out, 1, len, stdout);
		free(out);
		doc_free(l);
		return 0;
	}
	if (fmt == FMT_TSV) {
		fputs("case", stdout);
		for (size_t k = 0; k < NSHOWN; k++)
			printf("\t%s", vocab_word(vocab_plan_dates, shown[k]));
		puts("\tinstitution\tstatus");
	} else if (ls->n > 0) {
		printf("%-16s %-10s  %-10s  %-10s  %-6s  %s\n", "case", "detention", "leave", "release",
		    "status", "institution");
	}
	for (size_t i = 0; i < ls->n; i++) {
		const struct row *r = &ls->rows[i];
		const char *status = vocab_word(vocab_plan_status, r->status);

		if (fmt == FMT_TSV) {
			fputs(r->id, stdout);
			for (size_t k = 0; k < NSHOWN; k++)
				printf("\t%s", date_or(r->dates[shown[k]], d, ""));
			putchar('\t');
			out_tsv(stdout, r->institution, strlen(r->institution));
			printf("\t%s\n", status);
			continue;
		}
		printf("%-16s", r->id);
		for (size_t k = 0; k < NSHOWN; k++)
			printf(k ? "  %-10s" : " %-10s", date_or(r->dates[shown[k]], d, "-"));
		printf("  %-6s  ", status);
		out_text(stdout, r->institution, strlen(r->institution), false);
		putchar('\n');
	}
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"institution", required_argument, NULL, 'i'},
		{"leave-between", required_argument, NULL, 'b'},
		{"domain", required_argument, NULL, 'D'},
		{"status", required_argument, NULL, 'S'},
		{"no-consent-for", required_argument, NULL, 'p'},
		{"not-ready", required_argument, NULL, 'n'},
		{"closed", no_argument, NULL, 'c'},
		{"date", required_argument, NULL, 'd'},
		{"format", required_argument, NULL, 'F'},
		{NULL, 0, NULL, 0},
	};
	static const struct vocab milestones[] = {{"leave", NULL}, {"release", NULL}, {NULL, NULL}};
	struct cli cli;
	struct ls ls = {.domain = -1, .dstatus = -1};
	enum cli_format fmt = FMT_TEXT;
	struct store *s;
	struct index *ix = NULL;
	struct view *v = NULL;
	struct settings *cfg = NULL;
	const char *date = NULL, *between[2] = {NULL, NULL}, *domain = NULL, *status = NULL;
	int c, st = EXIT_ERROR;

	cli_start(&cli, argc, argv, usage);
	/*
	 * "+": options stop at the first operand, so that the second date of --leave-between,
	 * taken from argv by hand, is never one getopt has moved.
	 */
	while ((c = getopt_long(argc, argv, "+" CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			ls.institution = optarg;
			break;
		case 'b':
			if (optind >= argc)
				cli_usage_error(&cli, "--leave-between takes two dates");
			between[0] = optarg;
			between[1] = argv[optind++];
			break;
		case 'D':
			domain = optarg;
			break;
		case 'S':
			status = optarg;
			break;
		case 'p':
			ls.partner = optarg;
			break;
		case 'n':
			ls.not_ready = true;
			ls.m = cli_word("not-ready", optarg, milestones) == 0 ? FOR_LEAVE : FOR_RELEASE;
			break;
		case 'c':
			ls.closed = true;
			break;
		case 'd':
			date = optarg;
			break;
		case 'F':
			fmt = cli_format(&cli, optarg, 1u << FMT_TEXT | 1u << FMT_TSV | 1u << FMT_JSON);
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (argc != optind)
		cli_usage_error(&cli, "unexpected argument '%s'", argv[optind]);
	if (!domain != !status)
		cli_usage_error(&cli, "--domain and --status go together");
	if (ls.not_ready && ls.closed)
		cli_usage_error(&cli, "--not-ready lists open cases: it does not go with --closed");
	if (date && !ls.not_ready && !ls.partner)
		cli_usage_error(&cli, "--date goes with --not-ready or --no-consent-for");
	if (domain) {
		ls.domain = cli_word("domain", domain, vocab_domains);
		ls.dstatus = cli_word("status", status, vocab_domain_status);
	}
	if (between[0]) {
		ls.between = true;
		ls.first = cli_date("leave-between", between[0]);
		ls.last = cli_date("leave-between", between[1]);
		if (date_cmp(ls.last, ls.first) < 0)
			die("cannot use --leave-between %s %s: the second date is before the first",
			    between[0], between[1]);
	}
	if (date)
		ls.on = cli_date("date", date);
	else if (date_today(&ls.on) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	s = casus_open_reader(cli.dir);
	if (index_open(s, 0, &ix, NULL) < 0 || index_view(ix, &v) < 0)
		goto fail;
	ls.v = v;
	/* The settings only where a rule reads them: listing needs none. */
	if ((ls.partner || ls.not_ready) && (cfg = settings_read(v, NULL)) == NULL)
		goto fail;
	if (ls.partner && settings_partner(cfg, ls.partner) == NULL) {
		char *known = settings_partner_list(cfg), *q = quote_text_str(ls.partner);

		err_set("cannot use --no-consent-for '%s': unknown partner (known: %s)", q, known);
		free(known);
		free(q);
		goto fail;
	}
	if (list(&ls, ix, cfg) < 0 || show(&ls, fmt) < 0)
		goto fail;
	if (ls.broken) {
		warnmsg("cannot list %zu case%s with a file that is not valid (see case-validate)",
		    ls.broken, ls.broken == 1 ? "" : "s");
		goto out;
	}
	st = ls.n ? EXIT_YES : EXIT_NO;
	goto out;
fail:
	err_print();
out:
	rows_free(ls.rows, ls.n);
	settings_free(cfg);
	view_close(v);
	index_close(ix);
	store_close(s);
	return st;
}
