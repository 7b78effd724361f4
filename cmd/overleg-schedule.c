/*
 * overleg-schedule: lists the case consultations due in a window, for cron and for the
 * secretariat's calendar (R5, R6): the periodic ones and the one before leave eligibility,
 * with those overdue always shown. --commit puts them on the store's calendar as planned, in
 * one commit; run again with the same inputs it changes nothing. A held consultation is never
 * moved or removed. Exit 0 when something is listed, 1 when nothing is due, 2 on error.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "casus.h"
#include "cli.h"
#include "index.h"
#include "mem.h"
#include "msg.h"
#include "overleg.h"
#include "quote.h"

static const char usage[] =
    "usage: overleg-schedule [-C DIR] [--from DATE] [--until DATE | --within DURATION]\n"
    "                        [--institution NAME] [--case CASE-ID]\n"
    "                        [--format text|tsv|json|ics] [--commit [-m REASON]] [-q]\n"
    "\n"
    "List the case consultations due in a window (default: today and the 90 days after),\n"
    "and those overdue. Exit 0 when something is listed, 1 when nothing is due.\n"
    "\n"
    "  -C DIR              the store (default: $CASUS_REPO, else the current directory)\n"
    "  --from DATE         the first day of the window (default: today)\n"
    "  --until DATE        the last day of the window\n"
    "  --within DURATION   the window's length: a number with d, w or m (14d, 6w, 3m)\n"
    "  --institution NAME  only the cases of this institution\n"
    "  --case CASE-ID      only this case\n"
    "  --format FMT        text (the default), tsv, json, or ics (an iCalendar file)\n"
    "  --commit            record the consultations listed as planned, in one commit\n"
    "  -m, --message R     with --commit, why, for the history\n"
    "  -q, --quiet         print nothing; the exit status tells\n"
    "  -h, --help          show this help\n"
    "      --version       show the version\n";

struct row {
	struct date date;
	const char *case_id, *kind, *status, *institution;     /* case_id, institution: names */
};

/*
 * The case IDs and institutions of the rows, each kept once: a case has a few rows, and the
 * institutions are few. A string each row took 32,000 mallocs for 16,000 rows at 10,000 cases.
 */
struct names {
	char **v;
	size_t n, cap;
};

/* How far back name() looks for the same name: institutions are a handful. */
#define NAMES_BACK 16

static const char *
name(struct names *nm, const char *s)
{
	for (size_t i = nm->n; i > 0 && nm->n - i < NAMES_BACK; i--)
		if (strcmp(nm->v[i - 1], s) == 0)
			return nm->v[i - 1];
	xgrow((void **)&nm->v, &nm->cap, nm->n + 1, sizeof *nm->v);
	return nm->v[nm->n++] = xstrdup(s);
}

struct sched {
	const char *institution, *only, *reason;
	struct date today, from, until;
	struct row *rows;
	size_t n, cap;
	struct row *cancels;    /* planned once, no longer due: the calendar file cancels them */
	size_t ncancels, ccap;
	struct names ids, institutions;
	size_t planned;         /* files --commit wrote */
	size_t broken;          /* cases left out of a listing because a file of theirs is not valid */
	bool institution_seen;  /* a case's plan names --institution */
};

static void
rows_free(struct sched *sc)
{
	store_list_free(sc->ids.v, sc->ids.n);
	store_list_free(sc->institutions.v, sc->institutions.n);
	sc->ids = sc->institutions = (struct names){0};
	free(sc->rows);
	free(sc->cancels);
	sc->rows = sc->cancels = NULL;
	sc->n = sc->cap = sc->ncancels = sc->ccap = 0;
}

static void
row_add(struct sched *sc, bool cancel, struct date d, const char *id, enum overleg_kind kind,
    const char *status, const char *inst)
{
	struct row **v = cancel ? &sc->cancels : &sc->rows;
	size_t *n = cancel ? &sc->ncancels : &sc->n, *cap = cancel ? &sc->ccap : &sc->cap;

	xgrow((void **)v, cap, *n + 1, sizeof **v);
	(*v)[*n] = (struct row){
		.date = d, .case_id = name(&sc->ids, id),
		.kind = vocab_word(vocab_overleg_kinds, kind), .status = status,
		.institution = name(&sc->institutions, inst),
	};
	(*n)++;
}

static int
row_cmp(const void *a, const void *b)
{
	const struct row *x = a, *y = b;
	int c = date_cmp(x->date, y->date);

	if (c == 0)
		c = strcmp(x->case_id, y->case_id);
	return c ? c : strcmp(x->kind, y->kind);
}

/*
 * How long a cancelled consultation is kept, and carried in the calendar file, after its date:
 * the default window is 90 days, and a calendar that imports the weekly file receives each
 * cancellation a dozen times before it goes. Older ones are history, which git keeps.
 */
#define CANCEL_KEEP_DAYS 90

/*
 * Whether the planned consultation ov is one this run's count no longer gives: a held
 * consultation moved the cadence, or one was held in the pre-leave window. Only those that
 * this run computed: not after the window, nor in the future before a window that starts
 * later than today.
 */
static bool
stale(const struct overleg *ov, const struct due *due, size_t ndue, const struct sched *sc)
{
	struct date d = ov->date;

	if (ov->status != OS_PLANNED)
		return false;
	if (date_cmp(d, sc->until) > 0 || (date_cmp(d, sc->from) < 0 && date_cmp(d, sc->today) >= 0))
		return false;
	for (size_t k = 0; k < ndue; k++)
		if (date_cmp(due[k].date, d) == 0)
			return false;
	return true;
}

/* Whether a cancelled consultation of date d is still kept and carried in the calendar. */
static bool
cancel_kept(struct date d, const struct sched *sc)
{
	return date_cmp(d, date_add_days(sc->today, -CANCEL_KEEP_DAYS)) >= 0;
}

/*
 * Whether the calendar file cancels ov's event: a planned one this run cancels, or one
 * cancelled and still kept, unless the same consultation (its UID) is due again.
 */
static bool
cancelled(const struct overleg *ov, const struct due *due, size_t ndue, const struct sched *sc)
{
	if (stale(ov, due, ndue, sc))
		return true;
	if (ov->status != OS_CANCELLED || !cancel_kept(ov->date, sc))
		return false;
	for (size_t k = 0; k < ndue; k++)
		if (date_cmp(due[k].date, ov->date) == 0 && due[k].kind == ov->kind)
			return false;
	return true;
}

/* Writes the consultation of case id on date, without content, with kind and status, in t. */
static int
put_stub(struct txn *t, const char *id, struct date date, enum overleg_kind kind,
    enum overleg_status status)
{
	struct doc *d = doc_new(DOC_MAP);
	char *path, *out, buf[11];
	size_t len;
	int r;

	doc_set(d, "case_id", doc_new_str(id));
	doc_set(d, "date", doc_new_str(date_format(date, buf)));
	doc_set(d, "kind", doc_new_str(vocab_word(vocab_overleg_kinds, kind)));
	doc_set(d, "status", doc_new_str(vocab_word(vocab_overleg_status, status)));
	r = casus_dump(d, "overleg", &out, &len);
	doc_free(d);
	if (r < 0)
		return -1;
	path = overleg_path(id, date);
	r = txn_write(t, path, out, len);
	free(path);
	free(out);
	return r;
}

/*
 * Plans one case's consultations in t: writes the new, marks the stale planned ones
 * cancelled (the calendar file cancels their events), and removes cancelled ones past keeping.
 */
static int
plan_case(struct txn *t, const char *id, const struct overlegs *o, const struct due *due,
    size_t ndue, struct sched *sc)
{
	for (size_t i = 0; i < ndue; i++) {
		const struct overleg *have = overlegs_on(o, due[i].date);

		if (have && (have->status == OS_HELD ||
		    (have->status == OS_PLANNED && have->kind == due[i].kind)))
			continue;
		if (put_stub(t, id, due[i].date, due[i].kind, OS_PLANNED) < 0)
			return -1;
		sc->planned++;
	}
	for (size_t i = 0; i < o->n; i++) {
		const struct overleg *ov = o->v[i];
		int r = 0;

		if (stale(ov, due, ndue, sc)) {
			r = put_stub(t, id, ov->date, ov->kind, OS_CANCELLED);
		} else if (ov->status == OS_CANCELLED && !cancel_kept(ov->date, sc)) {
			char *path = overleg_path(id, ov->date);

			r = txn_remove(t, path);
			free(path);
		} else {
			continue;
		}
		if (r < 0)
			return -1;
		sc->planned++;
	}
	return 0;
}

/*
 * Lists, and with t plans, the consultations of case id from its plan and consultations:
 * read from git or taken from the index, the same rule (overleg_due()) either way.
 */
static int
schedule(struct txn *t, struct sched *sc, const struct settings *cfg, const char *id,
    const struct plan *plan, const struct overlegs *o)
{
	struct due *due = NULL;
	size_t ndue, changed = sc->planned;
	int r = 0;

	ndue = overleg_due(cfg, plan, o, sc->today, sc->from, sc->until, &due);
	for (size_t i = 0; i < ndue; i++)
		/* What --commit plans reads "planned" from now on, unless it is overdue. */
		row_add(sc, false, due[i].date, id, due[i].kind,
		    due_status_word(t && due[i].status == DUE_DUE ? DUE_PLANNED : due[i].status),
		    plan->institution);
	for (size_t i = 0; i < o->n; i++)
		if (cancelled(o->v[i], due, ndue, sc))
			row_add(sc, true, o->v[i]->date, id, o->v[i]->kind, "cancelled",
			    plan->institution);
	if (t && plan_case(t, id, o, due, ndue, sc) < 0)
		r = -1;
	else if (t && sc->planned > changed)
		txn_trailer(t, "Case-Id", id);
	free(due);
	return r;
}

/*
 * Case id read from the view v, in change t when --commit fills it (else NULL). A case that
 * cannot be read is left out of a listing, said, and counted; --commit stops (-1).
 */
static int
case_from_git(const struct view *v, struct txn *t, struct sched *sc, const struct settings *cfg,
    const char *id)
{
	struct overlegs o;
	struct plan *plan = plan_read(v, id);
	int r;

	if (plan && sc->institution && strcmp(sc->institution, plan->institution) != 0) {
		plan_free(plan);
		return 0;
	}
	if (plan && sc->institution)
		sc->institution_seen = true;
	if (plan == NULL || overlegs_read(v, id, &o) < 0) {
		plan_free(plan);
		/*
		 * A listing for cron goes on with the other cases, and still fails in the end;
		 * --commit plans nothing while part of the store cannot be read.
		 */
		if (t)
			return -1;
		err_print();
		sc->broken++;
		return 0;
	}
	r = schedule(t, sc, cfg, id, plan, &o);
	overlegs_free(&o);
	plan_free(plan);
	return r;
}

/* After the cases: a name no case uses is an error (cli_institution_unused() says why). */
static int
finish(struct sched *sc, int r)
{
	if (r == 0 && sc->institution && !sc->only && !sc->institution_seen && sc->broken == 0)
		r = cli_institution_unused(sc->institution);
	if (sc->n > 1)
		qsort(sc->rows, sc->n, sizeof *sc->rows, row_cmp);
	if (sc->ncancels > 1)
		qsort(sc->cancels, sc->ncancels, sizeof *sc->cancels, row_cmp);
	return r;
}

/* Computes the rows from the view v, in change t when --commit fills it (else NULL). */
static int
compute(const struct view *v, struct txn *t, struct sched *sc, const struct settings *cfg)
{
	char **ids = NULL;
	size_t nids = 0;
	int r = 0;

	if (case_ids(v, &ids, &nids) < 0)
		return -1;
	for (size_t c = 0; c < nids && r == 0; c++)
		if (sc->only == NULL || strcmp(sc->only, ids[c]) == 0)
			r = case_from_git(v, t, sc, cfg, ids[c]);
	store_list_free(ids, nids);
	return finish(sc, r);
}

/* A listing from the index: what index_cases() gives, with the view and settings of its commit. */
struct from_index {
	struct sched *sc;
	const struct view *v;
	const struct settings *cfg;
};

static int
index_row(void *arg, const struct index_case *c)
{
	struct from_index *fi = arg;
	struct sched *sc = fi->sc;
	struct plan plan;
	struct overlegs o;
	int r;

	if (sc->only && strcmp(sc->only, c->id) != 0)
		return 0;
	if (!c->ok)
		return case_from_git(fi->v, NULL, sc, fi->cfg, c->id);
	if (sc->institution && strcmp(sc->institution, c->institution) != 0)
		return 0;
	if (sc->institution)
		sc->institution_seen = true;
	index_case_plan(c, &plan);
	index_case_overlegs(c, &o);
	r = schedule(NULL, sc, fi->cfg, c->id, &plan, &o);
	overlegs_free(&o);
	return r;
}

static int
compute_index(struct index *ix, const struct view *v, struct sched *sc, const struct settings *cfg)
{
	struct from_index fi = {sc, v, cfg};

	return finish(sc, index_cases(ix, INDEX_OVERLEGS, index_row, &fi));
}

static int
commit(struct casus_tx *c, void *arg)
{
	struct sched *sc = arg;

	rows_free(sc);
	sc->planned = 0;
	sc->institution_seen = false;
	txn_message(c->t, "overleg-schedule: plan consultations", sc->reason);
	return compute(c->v, c->t, sc, c->cfg);
}

/* Writes one content line of an iCalendar file: folded at 75 octets, CRLF ends (RFC 5545 3.1). */
static void
ics_line(const char *s)
{
	size_t n = strlen(s), col = 0;

	for (size_t i = 0; i < n;) {
		size_t len = 1;

		/* Never split a UTF-8 sequence across a fold. */
		while (i + len < n && ((unsigned char)s[i + len] & 0xc0) == 0x80)
			len++;
		if (col + len > 75) {
			fputs("\r\n ", stdout);
			col = 1;
		}
		fwrite(s + i, 1, len, stdout);
		col += len;
		i += len;
	}
	fputs("\r\n", stdout);
}

/* TEXT value escaping (RFC 5545 3.3.11), with control characters dropped. */
static char *
ics_text(const char *s)
{
	struct buf b = {0};

	for (; *s; s++) {
		if (*s == '\\' || *s == ';' || *s == ',') {
			buf_addc(&b, '\\');
			buf_addc(&b, *s);
		} else if (*s == '\n') {
			buf_adds(&b, "\\n");
		} else if ((unsigned char)*s >= 0x20 && *s != 0x7f) {
			buf_addc(&b, *s);
		}
	}
	return buf_detach(&b);
}

/*
 * One event. A cancellation keeps the UID of the event it cancels, with STATUS:CANCELLED and
 * SEQUENCE 1, higher than the 0 of every other event (SEQUENCE left out: RFC 5545, 3.8.7.4),
 * so that a calendar that merges imports takes it as the newer version of that event.
 */
static void
ics_event(const struct row *r, const char *stamp, bool cancel)
{
	struct date end = date_add_days(r->date, 1);
	char *line, *loc;

	ics_line("BEGIN:VEVENT");
	line = xasprintf("UID:%s.%s.%04d%02d%02d@casus", r->case_id, r->kind, r->date.y, r->date.m, r->date.d);
	ics_line(line);
	free(line);
	line = xasprintf("DTSTAMP:%s", stamp);
	ics_line(line);
	free(line);
	if (cancel)
		ics_line("SEQUENCE:1");
	line = xasprintf("DTSTART;VALUE=DATE:%04d%02d%02d", r->date.y, r->date.m, r->date.d);
	ics_line(line);
	free(line);
	line = xasprintf("DTEND;VALUE=DATE:%04d%02d%02d", end.y, end.m, end.d);
	ics_line(line);
	free(line);
	/* The summary names the case ID and the kind, nothing about the person. */
	line = xasprintf("SUMMARY:casusoverleg %s (%s)", r->case_id, r->kind);
	ics_line(line);
	free(line);
	loc = ics_text(r->institution);
	line = xasprintf("LOCATION:%s", loc);
	ics_line(line);
	free(line);
	free(loc);
	line = xasprintf("STATUS:%s", cancel ? "CANCELLED" :
	    strcmp(r->status, "planned") == 0 ? "CONFIRMED" : "TENTATIVE");
	ics_line(line);
	free(line);
	line = xasprintf("CATEGORIES:casusoverleg,%s", r->status);
	ics_line(line);
	free(line);
	ics_line("TRANSP:TRANSPARENT");
	ics_line("END:VEVENT");
}

static void
show_ics(const struct sched *sc, bool today_given)
{
	char stamp[32];
	time_t now = time(NULL);
	struct tm tm;

	/* With CASUS_TODAY the file is the same every run, which scripts and tests can rely on. */
	if (today_given)
		snprintf(stamp, sizeof stamp, "%04d%02d%02dT000000Z", sc->today.y, sc->today.m, sc->today.d);
	else
		strftime(stamp, sizeof stamp, "%Y%m%dT%H%M%SZ", gmtime_r(&now, &tm));
	ics_line("BEGIN:VCALENDAR");
	ics_line("VERSION:2.0");
	ics_line("PRODID:-//casus//overleg-schedule " CASUS_VERSION "//EN");
	ics_line("CALSCALE:GREGORIAN");
	ics_line("METHOD:PUBLISH");
	for (size_t i = 0; i < sc->n; i++)
		ics_event(&sc->rows[i], stamp, false);
	for (size_t i = 0; i < sc->ncancels; i++)
		ics_event(&sc->cancels[i], stamp, true);
	ics_line("END:VCALENDAR");
}

static int
show(const struct sched *sc, enum cli_format fmt, bool today_given)
{
	struct doc *list;
	char d[11], *out;
	size_t len;

	switch (fmt) {
	case FMT_ICS:
		show_ics(sc, today_given);
		return 0;
	case FMT_JSON:
		list = doc_new(DOC_SEQ);
		for (size_t i = 0; i < sc->n; i++) {
			struct doc *r = doc_new(DOC_MAP);

			doc_set(r, "date", doc_new_str(date_format(sc->rows[i].date, d)));
			doc_set(r, "case_id", doc_new_str(sc->rows[i].case_id));
			doc_set(r, "kind", doc_new_str(sc->rows[i].kind));
			doc_set(r, "status", doc_new_str(sc->rows[i].status));
			doc_set(r, "institution", doc_new_str(sc->rows[i].institution));
			doc_push(list, r);
		}
		if (doc_emit_json(list, true, &out, &len) < 0) {
			doc_free(list);
			return -1;
		}
		fwrite(out, 1, len, stdout);
		free(out);
		doc_free(list);
		return 0;
	case FMT_TSV:
		puts("date\tcase\tkind\tstatus\tinstitution");
		for (size_t i = 0; i < sc->n; i++) {
			printf("%s\t%s\t%s\t%s\t", date_format(sc->rows[i].date, d), sc->rows[i].case_id,
			    sc->rows[i].kind, sc->rows[i].status);
			out_tsv(stdout, sc->rows[i].institution, strlen(sc->rows[i].institution));
			putchar('\n');
		}
		return 0;
	default:
		for (size_t i = 0; i < sc->n; i++) {
			printf("%s  %-16s %-10s %-8s ", date_format(sc->rows[i].date, d), sc->rows[i].case_id,
			    sc->rows[i].kind, sc->rows[i].status);
			out_text(stdout, sc->rows[i].institution, strlen(sc->rows[i].institution), false);
			putchar('\n');
		}
		return 0;
	}
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"from", required_argument, NULL, 'f'},
		{"until", required_argument, NULL, 'u'},
		{"within", required_argument, NULL, 'w'},
		{"institution", required_argument, NULL, 'i'},
		{"case", required_argument, NULL, 'c'},
		{"format", required_argument, NULL, 'F'},
		{"commit", no_argument, NULL, 'K'},
		{"message", required_argument, NULL, 'm'},
		{"quiet", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct sched sc = {0};
	enum cli_format fmt = FMT_TEXT;
	struct duration within = {90, 'd'};
	struct store *s;
	struct settings *cfg = NULL;
	struct view *v = NULL;
	struct index *ix = NULL;
	const char *from = NULL, *until = NULL, *within_arg = NULL;
	bool quiet = false, do_commit = false;
	int c, r, status = EXIT_ERROR;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "m:q", longopts, NULL)) != -1) {
		switch (c) {
		case 'f':
			from = optarg;
			break;
		case 'u':
			until = optarg;
			break;
		case 'w':
			within_arg = optarg;
			break;
		case 'i':
			sc.institution = optarg;
			break;
		case 'c':
			sc.only = optarg;
			break;
		case 'F':
			fmt = cli_format(&cli, optarg,
			    1u << FMT_TEXT | 1u << FMT_TSV | 1u << FMT_JSON | 1u << FMT_ICS);
			break;
		case 'K':
			do_commit = true;
			break;
		case 'm':
			sc.reason = optarg;
			break;
		case 'q':
			quiet = true;
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (argc != optind)
		cli_usage_error(&cli, "unexpected argument '%s'", argv[optind]);
	if (until && within_arg)
		cli_usage_error(&cli, "--until and --within go alone");
	if (sc.reason && !do_commit)
		cli_usage_error(&cli, "-m goes with --commit");
	if (within_arg && duration_parse(within_arg, &within) < 0)
		die("cannot use --within '%s': not a duration such as 14d, 6w or 3m", within_arg);
	if ((sc.only && case_id_check(sc.only) < 0) || casus_reason_check(sc.reason) < 0 ||
	    date_today(&sc.today) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	sc.from = from ? cli_date("from", from) : sc.today;
	sc.until = until ? cli_date("until", until) : date_add_duration(sc.from, within, 1);
	if (date_cmp(sc.until, sc.from) < 0)
		die("cannot use --until %s: it is before --from", until);
	s = do_commit ? casus_open(cli.dir) : casus_open_reader(cli.dir);
	if (do_commit) {
		r = casus_change(s, commit, &sc);
		if (r < 0)
			goto fail;
		if (r == CASUS_UNAUTHORISED) {
			status = casus_exit(r);
			goto out;
		}
	} else {
		if (index_off())
			r = store_view(s, &v) < 0 || (cfg = settings_read(v, NULL)) == NULL ||
			    compute(v, NULL, &sc, cfg) < 0 ? -1 : 0;
		else
			r = index_open(s, 0, &ix, NULL) < 0 || index_view(ix, &v) < 0 ||
			    (cfg = settings_read(v, NULL)) == NULL || compute_index(ix, v, &sc, cfg) < 0 ? -1 : 0;
		if (r < 0)
			goto fail;
	}
	if (sc.only && sc.n == 0) {
		if (v == NULL && store_view(s, &v) < 0)
			goto fail;
		if (case_exists(v, sc.only) != 1)
			goto fail;
	}
	if (!quiet && show(&sc, fmt, getenv("CASUS_TODAY") && *getenv("CASUS_TODAY")) < 0)
		goto fail;
	if (sc.broken) {
		warnmsg("cannot list %zu case%s with a file that is not valid (see case-validate)", sc.broken,
		    sc.broken == 1 ? "" : "s");
		status = EXIT_ERROR;
		goto out;
	}
	status = sc.n ? EXIT_YES : EXIT_NO;
	goto out;
fail:
	err_print();
out:
	rows_free(&sc);
	settings_free(cfg);
	view_close(v);
	index_close(ix);
	store_close(s);
	return status;
}
