/*
 * case-log: the history of one case, newest first: per commit its date, author, the partner of
 * the member whose key signed it, the program, whether its signature verified, and what changed
 * in words a reviewer reads (changes.h), never sealed or free text. The index (index.h) says
 * which commits changed the case's files; the files are read from git at each commit and at its
 * first parent, and the signature is judged as case-validate --history judges it (history.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "changes.h"
#include "cli.h"
#include "history.h"
#include "index.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: case-log [-C DIR] CASE-ID [--since DATE] [--format text|tsv|json]\n"
    "\n"
    "Show the history of a case, newest first: when, by whom, with which program, whether\n"
    "the commit's signature verified, and what changed, without sealed or free text.\n"
    "\n"
    "  -C DIR         the store (default: $CASUS_REPO, else the current directory)\n"
    "  --since DATE   only the commits of DATE or later (the commit's own date)\n"
    "  --format FMT   text (the default), tsv or json\n"
    "  -h, --help     show this help\n"
    "      --version  show the version\n";

/* One line of words about one file of the commit. */
struct line {
	char *file;
	char what;                      /* 'A', 'M', 'D' as the index says */
	char *words;
};

struct entry {
	char *id;
	char date[11];
	char time[32];                  /* "2026-11-29T14:03:00+01:00" */
	char *author, *email, *program; /* program NULL: no Program: trailer */
	int sig;                        /* VERIFY_GOOD, VERIFY_BAD or HISTORY_BEFORE_KEYS */
	char *partner, *why;            /* the signer's partner (good), the reason (bad) */
	struct line *lines;
	size_t n, cap;
};

struct log {
	struct store *s;
	struct history *h;
	const char *id;
	struct entry *v;
	size_t n, cap;
};

/* The file being described, for add_words(). */
struct about {
	struct entry *e;
	const char *file;
	char what;
};

static int
add_words(void *arg, const char *words)
{
	struct about *a = arg;
	struct entry *e = a->e;

	xgrow((void **)&e->lines, &e->cap, e->n + 1, sizeof *e->lines);
	e->lines[e->n++] = (struct line){xstrdup(a->file), a->what, xstrdup(words)};
	return 0;
}

/*
 * path as v holds it: *buf NULL when v is NULL or the file is not there. A path the store
 * refuses to read as a file (a link, a folder, a file too large) sets *refused.
 */
static int
read_at(const struct view *v, const char *path, char **buf, size_t *len, bool *refused)
{
	int r;

	*buf = NULL;
	*len = 0;
	*refused = false;
	if (v == NULL)
		return 0;
	r = view_read(v, path, buf, len);
	if (r == STORE_NOTFOUND || (r < 0 && store_read_refused())) {
		*refused = r < 0;
		*buf = NULL;
		err_clear();
		return 0;
	}
	return r;
}

/* What changed in each file c changed, from its first parent (none: the store's first commit). */
static int
describe(struct log *l, struct entry *e, const struct index_commit *c)
{
	struct view *now = NULL, *was = NULL;
	int r = 0;

	if ((r = store_view_at(l->s, c->id, &now)) == 0 && c->parent)
		r = store_view_at(l->s, c->parent, &was);
	if (r != 0) {
		if (r == STORE_NOTFOUND)
			err_set("cannot read commit '%s': it is not in the store", c->parent ? c->parent : c->id);
		view_close(now);
		return -1;
	}
	for (size_t i = 0; r == 0 && i < c->nchanges; i++) {
		const struct index_change *ch = &c->changes[i];
		char *path = case_path(l->id, ch->file), *old = NULL, *new = NULL;
		struct about a = {e, ch->file, ch->what};
		size_t oldlen, newlen;
		bool oref = false, nref = false;

		if ((ch->what != 'A' && read_at(was, path, &old, &oldlen, &oref) < 0) ||
		    (ch->what != 'D' && read_at(now, path, &new, &newlen, &nref) < 0))
			r = -1;
		else if (oref || nref) {
			char *w = xasprintf("%s %s (not a file casus reads)", ch->file,
			    new || nref ? (old || oref ? "changed" : "added") : "removed");

			r = add_words(&a, w);
			free(w);
		} else
			r = case_file_changes(ch->file, old, oldlen, new, newlen, add_words, &a);
		free(path);
		free(old);
		free(new);
	}
	view_close(now);
	view_close(was);
	return r;
}

static int
on_commit(void *arg, const struct index_commit *c)
{
	struct log *l = arg;
	struct entry *e;
	long long local = c->time + 60LL * c->offset, days = local / 86400, secs;
	int off = c->offset < 0 ? -c->offset : c->offset;

	if (local % 86400 < 0)
		days--;
	secs = local - days * 86400;
	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
	e = &l->v[l->n++];
	memset(e, 0, sizeof *e);
	e->id = xstrdup(c->id);
	date_format(date_from_days((long)days), e->date);
	snprintf(e->time, sizeof e->time, "%sT%02d:%02d:%02d%c%02d:%02d", e->date, (int)(secs / 3600),
	    (int)(secs / 60 % 60), (int)(secs % 60), c->offset < 0 ? '-' : '+', off / 60 % 100, off % 60);
	e->author = xstrdup(c->author ? c->author : "");
	e->email = xstrdup(c->email ? c->email : "");
	e->program = c->program ? xstrdup(c->program) : NULL;
	e->sig = history_commit_signature(l->h, c->id, &e->partner, &e->why);
	if (e->sig < 0)
		return -1;
	return describe(l, e, c);
}

static int
any_commit(void *arg, const struct index_commit *c)
{
	(void)c;
	*(bool *)arg = true;
	return 1;
}

/* How the signature reads: "verified", "NOT VERIFIED: reason", "unsigned (before keys)". */
static char *
signature_text(const struct entry *e)
{
	if (e->sig == VERIFY_GOOD)
		return xstrdup("verified");
	if (e->sig == VERIFY_BAD)
		return xasprintf("NOT VERIFIED: %s", e->why ? e->why : "");
	return xstrdup("unsigned (before keys)");
}

static const char *
partner_of(const struct entry *e)
{
	return e->sig == VERIFY_GOOD && e->partner ? e->partner : "-";
}

/* s quoted for a terminal, padded with spaces to width bytes. */
static void
column(const char *s, size_t width)
{
	char *q = quote_text_str(s);
	size_t n = strlen(q);

	fputs(q, stdout);
	for (; width && n < width; n++)
		putchar(' ');
	free(q);
}

static size_t
quoted_len(const char *s)
{
	char *q = quote_text_str(s);
	size_t n = strlen(q);

	free(q);
	return n;
}

static void
print_text(const struct log *l)
{
	size_t we = 0, wp = 0, wr = 0;

	for (size_t i = 0; i < l->n; i++) {
		const struct entry *e = &l->v[i];
		size_t n;

		if ((n = quoted_len(e->email)) > we)
			we = n;
		if ((n = quoted_len(partner_of(e))) > wp)
			wp = n;
		if ((n = quoted_len(e->program ? e->program : "-")) > wr)
			wr = n;
	}
	for (size_t i = 0; i < l->n; i++) {
		const struct entry *e = &l->v[i];
		char *sig = signature_text(e);

		printf("%.12s  %s  ", e->id, e->date);
		column(e->email, we);
		fputs("  ", stdout);
		column(partner_of(e), wp);
		fputs("  ", stdout);
		column(e->program ? e->program : "-", wr);
		fputs("  ", stdout);
		out_text(stdout, sig, strlen(sig), false);
		putchar('\n');
		for (size_t k = 0; k < e->n; k++) {
			fputs("    ", stdout);
			out_text(stdout, e->lines[k].words, strlen(e->lines[k].words), false);
			putchar('\n');
		}
		free(sig);
	}
}

static void
tsv(const char *s, char end)
{
	out_tsv(stdout, s, strlen(s));
	putchar(end);
}

static void
print_tsv(const struct log *l)
{
	fputs("commit\tdate\tauthor\tpartner\tprogram\tsignature\tfile\tchange\n", stdout);
	for (size_t i = 0; i < l->n; i++) {
		const struct entry *e = &l->v[i];
		char *sig = signature_text(e);

		for (size_t k = 0; k < e->n; k++) {
			tsv(e->id, '\t');
			tsv(e->date, '\t');
			tsv(e->email, '\t');
			tsv(partner_of(e), '\t');
			tsv(e->program ? e->program : "-", '\t');
			tsv(sig, '\t');
			tsv(e->lines[k].file, '\t');
			tsv(e->lines[k].words, '\n');
		}
		free(sig);
	}
}

static struct doc *
str_or_null(const char *s)
{
	return s ? doc_new_str(s) : doc_new(DOC_NULL);
}

static int
print_json(const struct log *l)
{
	static const char *const sigs[] = {"verified", "not verified", "unsigned"};
	struct doc *list = doc_new(DOC_SEQ);
	char *out;
	size_t len;
	int r;

	for (size_t i = 0; i < l->n; i++) {
		const struct entry *e = &l->v[i];
		struct doc *d = doc_new(DOC_MAP), *changes = doc_new(DOC_SEQ), *ch = NULL;

		doc_set(d, "commit", doc_new_str(e->id));
		doc_set(d, "date", doc_new_str(e->date));
		doc_set(d, "time", doc_new_str(e->time));
		doc_set(d, "author", doc_new_str(e->author));
		doc_set(d, "email", doc_new_str(e->email));
		doc_set(d, "partner", str_or_null(e->sig == VERIFY_GOOD ? e->partner : NULL));
		doc_set(d, "program", str_or_null(e->program));
		doc_set(d, "signature", doc_new_str(sigs[e->sig == VERIFY_GOOD ? 0 : e->sig == VERIFY_BAD ? 1 : 2]));
		doc_set(d, "reason", str_or_null(e->sig == VERIFY_BAD ? e->why : NULL));
		/* The lines of one file, together: the index lists a commit's files in order. */
		for (size_t k = 0; k < e->n; k++) {
			const struct line *ln = &e->lines[k];

			if (k == 0 || strcmp(ln->file, e->lines[k - 1].file) != 0) {
				ch = doc_new(DOC_MAP);
				doc_set(ch, "file", doc_new_str(ln->file));
				doc_set(ch, "what", doc_new_str(ln->what == 'A' ? "added" :
				    ln->what == 'D' ? "removed" : "changed"));
				doc_set(ch, "words", doc_new(DOC_SEQ));
				doc_push(changes, ch);
			}
			doc_push(doc_get(ch, "words"), doc_new_str(ln->words));
		}
		doc_set(d, "changes", changes);
		doc_push(list, d);
	}
	r = doc_emit_json(list, true, &out, &len);
	if (r == 0) {
		fwrite(out, 1, len, stdout);
		free(out);
	}
	doc_free(list);
	return r;
}

static void
log_free(struct log *l)
{
	for (size_t i = 0; i < l->n; i++) {
		struct entry *e = &l->v[i];

		for (size_t k = 0; k < e->n; k++) {
			free(e->lines[k].file);
			free(e->lines[k].words);
		}
		free(e->lines);
		free(e->id);
		free(e->author);
		free(e->email);
		free(e->program);
		free(e->partner);
		free(e->why);
	}
	free(l->v);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"since", required_argument, NULL, 's'},
		{"format", required_argument, NULL, 'F'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	enum cli_format fmt = FMT_TEXT;
	struct log l = {0};
	struct index *ix = NULL;
	struct index_case *ic = NULL;
	struct date since;
	const char *since_arg = NULL;
	bool known = false;
	int c, r;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 's':
			since_arg = optarg;
			break;
		case 'F':
			fmt = cli_format(&cli, optarg, 1u << FMT_TEXT | 1u << FMT_TSV | 1u << FMT_JSON);
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (argc - optind != 1)
		cli_usage_error(&cli, "expected one CASE-ID");
	l.id = argv[optind];
	if (case_id_check(l.id) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	if (since_arg)
		since = cli_date("since", since_arg);
	l.s = casus_open_reader(cli.dir);
	r = index_open(l.s, 0, &ix, NULL);
	/* A case no longer at the tip still has its history; one that never was is an error. */
	if (r == 0 && (r = index_case(ix, l.id, &ic)) == STORE_NOTFOUND) {
		r = index_case_log(ix, l.id, NULL, any_commit, &known);
		if (r == 0 && !known) {
			err_set("cannot find case '%s': no such case in this store", l.id);
			r = -1;
		}
	}
	if (r == 0 && (r = history_open(store_path(l.s), &l.h)) == 0)
		r = index_case_log(ix, l.id, since_arg ? &since : NULL, on_commit, &l);
	if (r == 0 && fmt == FMT_JSON)
		r = print_json(&l);
	else if (r == 0)
		fmt == FMT_TSV ? print_tsv(&l) : print_text(&l);
	if (r < 0)
		err_print();
	log_free(&l);
	history_close(l.h);
	index_case_free(ic);
	index_close(ix);
	store_close(l.s);
	return r < 0 ? EXIT_ERROR : EXIT_YES;
}
