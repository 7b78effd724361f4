/*
 * case-validate: checks every file of the store, or of the named cases, against the schemas
 * and the cross-references (team members registered, partners known, dates in order, each
 * case in its fan-out folder). Prints "path:line: message" per problem; changes nothing.
 * With --pre-receive it is the guard of a central store, git's pre-receive hook (guard.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "casus.h"
#include "cli.h"
#include "guard.h"
#include "history.h"
#include "mem.h"
#include "msg.h"
#include "quote.h"
#include "seal.h"
#include "validate.h"

static const char usage[] =
    "usage: case-validate [-C DIR] [-q] [--history] [CASE-ID...]\n"
    "       case-validate [-C DIR] --pre-receive < UPDATES\n"
    "\n"
    "Check the store's files against the schemas and each other. Exit 0 when clean,\n"
    "1 when problems were found, 2 on error.\n"
    "\n"
    "  -C DIR        the store (default: $CASUS_REPO, else the current directory)\n"
    "  -q, --quiet   print nothing; the exit status tells\n"
    "      --history also check every commit of the branch: no consent or legal-basis\n"
    "                record and no held consultation changed or removed, no member who\n"
    "                had left put on a case's team, and every commit signed by its\n"
    "                author's key\n"
    "      --pre-receive judge a push as git's pre-receive hook: read \"OLD NEW REF\" lines\n"
    "                on standard input, print every reason to refuse it (exit 1)\n"
    "  -h, --help    show this help\n"
    "      --version show the version\n";

/* The cases to report history for (all when n is 0), and where to report it. */
struct history_report {
	char **ids;
	int n;
	struct problems *ps;
};

static void
history_found(const char *commit, const char *case_id, const char *finding, void *arg)
{
	struct history_report *h = arg;
	char *c;
	int i;

	/* A commit's signature is the store's, not a case's: told when the whole store is checked. */
	if (case_id == NULL) {
		if (h->n == 0)
			problems_add(h->ps, NULL, 0, NULL, "commit %s: %s", commit, finding);
		return;
	}
	for (i = 0; i < h->n && strcmp(h->ids[i], case_id) != 0; i++)
		continue;
	if (h->n && i == h->n)
		return;
	c = quote_text_str(case_id);
	problems_add(h->ps, NULL, 0, NULL, "commit %s: case %s: %s", commit, c, finding);
	free(c);
}

/*
 * The key of the person running the program, or NULL: without one, no sealed value is opened.
 * A key that cannot be read is no error here, since case-validate needs none, but it is said:
 * otherwise a caseworker whose key file is too open would take "nothing found" for a check.
 */
static const struct key *
runner_key(void)
{
	const struct key *k = casus_key();

	if (k == NULL && err_last()[0] != '\0')
		warnmsg("%s; sealed values are checked without opening them", err_last());
	err_clear();
	return k;
}

/* Whether buf (len bytes) holds the word "seal": a file without it has no sealed part. */
static bool
mentions_seal(const char *buf, size_t len)
{
	const char *end = buf + len, *p = buf;

	while (end - p >= 4 && (p = memchr(p, 's', (size_t)(end - p) - 3)) != NULL) {
		if (memcmp(p, "seal", 4) == 0)
			return true;
		p++;
	}
	return false;
}

/* What seal_file() checks with. */
struct seal_run {
	const struct view *v;
	struct seal_ctx ctx;
	struct problems *ps;
};

/*
 * seal_check() of the document file (its name in the case's folder), if it has sealed parts:
 * case_sealed_files()'s callback.
 */
static int
seal_file(const char *file, enum seal_kind kind, const char *schema, void *arg)
{
	struct seal_run *sr = arg;
	const struct view *v = sr->v;
	struct seal_ctx *ctx = &sr->ctx;
	struct problems *ps = sr->ps, ignore = {0};
	struct doc *d = NULL;
	char *path = case_path(ctx->case_id, file), *buf = NULL;
	size_t len;
	int r = view_read(v, path, &buf, &len);

	if (r < 0 && store_read_refused())
		r = STORE_NOTFOUND;     /* reported with the other checks */
	/* A file without a sealed part has nothing to say here: not parsed twice. */
	if (r == 0 && mentions_seal(buf, len)) {
		/* A file that breaks its schema is reported with the other checks. */
		d = casus_parse(buf, len, path, schema, &ignore);
		if (d != NULL) {
			ctx->kind = kind;
			ctx->file = file;
			seal_check(d, ctx, path, ps);
		}
	}
	problems_free(&ignore);
	doc_free(d);
	free(buf);
	free(path);
	return r < 0 ? -1 : 0;
}

/*
 * The sealed parts of each case, checked after the other checks of the case, with the consent
 * records they read (case_checked_fn): a sealed value that does not open for the runner's key
 * though sealed for it, a part sealed for other recipients than the bases allow today
 * (seal_check()). A case whose records could not all be read (reported with the other checks)
 * has no bases to judge by. Not the guard's (change_validate()): a consent makes parts stale,
 * and the guard must accept it. The problems go to sr->ps, told after all the others.
 */
static int
seal_case(void *arg, const char *id, const struct records *rs)
{
	struct seal_run *sr = arg;

	if (rs == NULL)
		return 0;
	sr->ctx.case_id = id;
	sr->ctx.rs = rs;
	return case_sealed_files(sr->v, id, seal_file, sr);
}

/*
 * The end of every check: an error (r < 0) is printed and exits 2; else the problems found are
 * printed (unless quiet) and decide between 0 and 1. Frees ps.
 */
static int
report(int r, struct problems *ps, bool quiet)
{
	int status;

	if (r < 0) {
		err_print();
		status = EXIT_ERROR;
	} else {
		if (!quiet)
			problems_print(ps, stdout, NULL);
		status = ps->n ? EXIT_NO : EXIT_YES;
	}
	problems_free(ps);
	return status;
}

/* The longest update line taken: two IDs of 64 hex digits (SHA-256), a ref name of 4,096 bytes. */
#define UPDATE_MAX (2 * 64 + 2 + 4096)

/*
 * The pre-receive hook: judges each "OLD NEW REF" line of standard input and prints every
 * refusal (git shows them to the pusher as "remote: ..."). The store is the one git runs the
 * hook in ($GIT_DIR), unless -C names another; $CASUS_REPO is not read, since the hook judges
 * the store that receives. The push's objects are in git's quarantine until the hook accepts.
 */
static int
pre_receive(const char *dir, bool quiet)
{
	const char *q = getenv("GIT_QUARANTINE_PATH");
	struct problems ps = {0};
	struct guard *g = NULL;
	struct store *s;
	char *line = NULL;
	size_t cap = 0;
	ssize_t len;
	int r = 0, status;

	if (dir == NULL)
		dir = getenv("GIT_DIR");
	s = casus_open(dir != NULL && *dir != '\0' ? dir : ".");
	if (guard_open(&g, s, store_path(s), q != NULL && *q != '\0' ? q : NULL) < 0)
		r = -1;
	while (r == 0 && (len = getline(&line, &cap, stdin)) != -1) {
		/* As git writes it: two IDs and a ref name, one space apart. */
		char *new = memchr(line, ' ', (size_t)len), *ref = NULL;

		if (len > 0 && line[len - 1] == '\n')
			line[--len] = '\0';
		/*
		 * git's lines are two IDs and a ref name; one of megabytes is no update, and quoting
		 * it whole took seconds and a message as long (tests/hostile: guard-input-long-line).
		 */
		if (len > UPDATE_MAX) {
			err_set("cannot read the update: a line of %zd bytes, not OLD NEW REF", len);
			r = -1;
			break;
		}
		if (new != NULL && (ref = strchr(new + 1, ' ')) != NULL)
			*new++ = *ref++ = '\0';
		if (ref == NULL || *ref == '\0' || strchr(ref, ' ') != NULL ||
		    strlen(line) != (size_t)len - strlen(new) - strlen(ref) - 2) {
			char *l = quote_text_str(line);

			err_set("cannot read the update '%s': expected OLD NEW REF", l);
			free(l);
			r = -1;
			break;
		}
		r = guard_update(g, line, new, ref, &ps);
	}
	free(line);
	status = report(r, &ps, quiet);
	guard_close(g);
	store_close(s);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"quiet", no_argument, NULL, 'q'},
		{"history", no_argument, NULL, 'H'},
		{"pre-receive", no_argument, NULL, 'P'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct problems ps = {0}, sealed = {0};
	struct seal_run sr = {.ps = &sealed};
	case_checked_fn then = NULL;
	struct store *s;
	struct settings *cfg = NULL;
	struct view *v = NULL;
	bool quiet = false, history = false, receive = false;
	int c, r = 0, status;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "q", longopts, NULL)) != -1) {
		if (c == 'q')
			quiet = true;
		else if (c == 'H')
			history = true;
		else if (c == 'P')
			receive = true;
		else
			cli_option(&cli, c);
	}
	if (receive) {
		if (history || optind < argc)
			cli_usage_error(&cli, "--pre-receive takes no CASE-ID and no --history");
		return pre_receive(cli.dir, quiet);
	}
	for (int i = optind; i < argc; i++)
		if (case_id_check(argv[i]) < 0) {
			err_print();
			return EXIT_ERROR;
		}
	/*
	 * Not casus_open_reader(): the check of a store reads every object with its hash checked,
	 * so that an object whose content is not what its name says is found here too.
	 */
	s = casus_open(cli.dir);
	if (!store_has_tip(s)) {
		warnmsg("cannot validate '%s': the store has no commits", store_path(s));
		store_close(s);
		return EXIT_ERROR;
	}
	if (store_view(s, &v) == 0)
		cfg = settings_read(v, &ps);
	if (cfg == NULL && ps.n == 0) {
		err_print();
		view_close(v);
		store_close(s);
		return EXIT_ERROR;
	}
	/* Sealed parts are judged by the settings' bases: not without them. */
	if (cfg != NULL) {
		sr.v = v;
		sr.ctx = (struct seal_ctx){.cfg = cfg, .key = runner_key()};
		then = seal_case;
		r = date_today(&sr.ctx.on);
	}
	if (r == 0 && optind == argc) {
		r = store_validate(v, cfg, &ps, then, &sr);
	} else if (r == 0) {
		if (cfg != NULL)
			settings_check(cfg, CASUS_CONFIG, &ps);
		for (int i = optind; i < argc && r == 0; i++)
			r = case_validate(v, cfg, argv[i], &ps, then, &sr);
	}
	for (size_t i = 0; r == 0 && i < sealed.n; i++)
		problems_add(&ps, sealed.v[i].file, sealed.v[i].line, sealed.v[i].path, "%s",
		    sealed.v[i].msg);
	problems_free(&sealed);
	if (r == 0 && history) {
		struct history_report h = {argv + optind, argc - optind, &ps};

		r = history_records_check(store_path(s), history_found, &h) < 0 ? -1 : 0;
	}
	status = report(r, &ps, quiet);
	settings_free(cfg);
	view_close(v);
	store_close(s);
	return status;
}
