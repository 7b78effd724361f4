/*
 * case-reseal: seals the parts of a case's documents again for the recipients the bases allow
 * today (casus(7) SEALING), as far as the running member's key opens them: after a consent, a
 * withdrawal, a member who joined or left. seal_put() decides what changes; this program opens
 * each document with the runner's key, hands the view back to it, and stores what differs in
 * one signed commit per case. Fit for cron: silent when there is nothing to do.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "key.h"
#include "mem.h"
#include "msg.h"
#include "seal.h"

static const char usage[] =
    "usage: case-reseal [-C DIR] [-n] [-q] [-m REASON] [--old-key FILE] (CASE-ID... | --all)\n"
    "\n"
    "Seal the parts of each case again for those the bases allow today, as far as your\n"
    "key opens them. Exit 0 when done, 1 when a part that needs re-sealing was left as\n"
    "it was (your key does not open it, or another partner holds it), 2 on error.\n"
    "\n"
    "  -C DIR               the store (default: $CASUS_REPO, else the current directory)\n"
    "  -a, --all            every case of the store\n"
    "  -n, --dry-run        list the parts that would be re-sealed; store nothing\n"
    "  -q, --quiet          print no line for the cases re-sealed\n"
    "  -m, --message REASON why, for the history\n"
    "      --old-key FILE   also open with this key of yours, one you replaced, what is still\n"
    "                       sealed for it (it signs nothing)\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n";

/* A list of lines, told once the change is over (a change may be run again on a new tip). */
struct lines {
	char **v;
	size_t n, cap;
};

static void
lines_add(struct lines *l, char *s)
{
	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = s;
}

static void
lines_free(struct lines *l)
{
	for (size_t i = 0; i < l->n; i++)
		free(l->v[i]);
	free(l->v);
	l->v = NULL;
	l->n = l->cap = 0;
}

struct reseal {
	const char *id, *reason;
	const struct key *key, *old;    /* old: --old-key, or NULL */
	struct date on;
	bool dry;
	/* Of the last run of the change function: */
	size_t parts;           /* parts re-sealed */
	struct lines changed;   /* "FILE: PATH" of each part re-sealed */
	struct lines left;      /* "FILE: PATH: why" of each part that needs it and was not */
};

static char *
child_path(const char *path, const char *key)
{
	return *path ? xasprintf("%s.%s", path, key) : xstrdup(key);
}

/*
 * The parts of new whose recipients differ from old's, the tree stored at the same place
 * (NULL: nothing there): a part is a map with a "seal" list, in either; one in clear before
 * and sealed now counts too. Each is added to out as "FILE: PATH".
 */
static void
changed_parts(const struct doc *old, const struct doc *new, const char *file, const char *path,
    struct lines *out)
{
	if (new->type == DOC_MAP) {
		const struct doc *sn = doc_get(new, "seal");
		const struct doc *so = old && old->type == DOC_MAP ? doc_get(old, "seal") : NULL;

		if ((sn || so) && !(sn && so && doc_equal(sn, so)))
			lines_add(out, xasprintf("%s: %s", file, path));
		for (size_t i = 0; i < new->n; i++) {
			const char *k = new->pairs[i].key;
			char *p;

			if (strcmp(k, "seal") == 0)
				continue;
			p = child_path(path, k);
			changed_parts(old && old->type == DOC_MAP ? doc_get(old, k) : NULL,
			    new->pairs[i].val, file, p, out);
			free(p);
		}
	} else if (new->type == DOC_SEQ) {
		for (size_t i = 0; i < new->n; i++) {
			char *p = xasprintf("%s[%zu]", path, i);

			changed_parts(old && old->type == DOC_SEQ && i < old->n ? old->items[i] : NULL,
			    new->items[i], file, p, out);
			free(p);
		}
	}
}

/* A part of a view that the key does not open: its path and the holder it is sealed for. */
struct closed {
	char *path, *holder;    /* copies: sealing the view frees its marks */
};

struct closed_list {
	struct closed *v;
	size_t n, cap;
};

static void
closed_parts(const struct doc *d, const char *path, struct closed_list *out)
{
	if (d->type == DOC_MAP) {
		const char *h = doc_get_str(d, SEAL_MARK_HOLDER);

		if (h != NULL) {
			xgrow((void **)&out->v, &out->cap, out->n + 1, sizeof *out->v);
			out->v[out->n++] = (struct closed){xstrdup(path), xstrdup(h)};
		}
		for (size_t i = 0; i < d->n; i++) {
			char *p = child_path(path, d->pairs[i].key);

			closed_parts(d->pairs[i].val, p, out);
			free(p);
		}
	} else if (d->type == DOC_SEQ) {
		for (size_t i = 0; i < d->n; i++) {
			char *p = xasprintf("%s[%zu]", path, i);

			closed_parts(d->items[i], p, out);
			free(p);
		}
	}
}

/* The closed part at path, or NULL. */
static const struct closed *
closed_at(const struct closed_list *cl, const char *path)
{
	for (size_t i = 0; i < cl->n; i++)
		if (strcmp(cl->v[i].path, path) == 0)
			return &cl->v[i];
	return NULL;
}

/* Whether the first n problems of ps hold p, at the same place with the same message. */
static bool
told(const struct problems *ps, size_t n, const struct problem *p)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(ps->v[i].path ? ps->v[i].path : "", p->path ? p->path : "") == 0 &&
		    strcmp(ps->v[i].msg, p->msg) == 0)
			return true;
	return false;
}

/* What reseal_file() works in: the change, the program's state, the case's records. */
struct reseal_run {
	struct casus_tx *c;
	struct reseal *a;
	const struct records *rs;
};

/*
 * Re-seals the document file (its name in the case folder) of kind, read raw from the store
 * at the change's tip; stages it when a part's recipients changed: case_sealed_files()'s
 * callback. 0, or -1 with err_set().
 */
static int
reseal_file(const char *file, enum seal_kind kind, const char *schema, void *arg)
{
	struct reseal_run *run = arg;
	struct casus_tx *c = run->c;
	struct reseal *a = run->a;
	const struct records *rs = run->rs;
	struct seal_ctx ctx = {
		.kind = kind, .case_id = a->id, .file = file, .cfg = c->cfg, .rs = rs,
		.on = a->on, .key = a->key, .viewer = NULL, .also = a->old,
	};
	struct closed_list cl = {0};
	struct problems ps = {0};
	struct lines changed = {0};
	struct doc *stored = NULL, *d = NULL;
	char *path = case_path(a->id, file), *buf = NULL, *out = NULL;
	size_t len, n0;
	int r = view_read(c->v, path, &buf, &len);

	if (r == STORE_NOTFOUND) {
		r = 0;
		goto done;
	}
	if (r < 0 || (stored = casus_load(buf, len, path, schema)) == NULL) {
		r = -1;
		goto done;
	}
	r = -1;
	d = doc_clone(stored);
	seal_view(d, &ctx);
	closed_parts(d, "", &cl);
	/* Sealed as every writer seals: with what the store holds there, the records, today. */
	if (case_seal(c->v, c->cfg, d, kind, a->id, file) < 0) {
		err_set("cannot re-seal '%s': %s", path, err_last());
		goto done;
	}
	changed_parts(stored, d, file, "", &changed);
	if (changed.n && !a->dry) {
		if (!schema_validate(casus_schema(schema), d, path, &ps)) {
			problems_to_error(&ps, "re-seal", path);
			goto done;
		}
		if (casus_dump(d, schema, &out, &len) < 0 || txn_write(c->t, path, out, len) < 0)
			goto done;
	}
	a->parts += changed.n;
	for (size_t i = 0; i < changed.n; i++)
		lines_add(&a->changed, changed.v[i]);
	changed.n = 0;
	/*
	 * What is still not sealed as the bases allow (seal_check() without a key): the parts this
	 * key could not re-seal. Then what does not open for this key though sealed for it (with
	 * the key): a value moved or altered, which no re-seal mends.
	 */
	ctx.key = NULL;
	seal_check(d, &ctx, path, &ps);
	n0 = ps.n;
	ctx.key = a->key;
	seal_check(d, &ctx, path, &ps);
	for (size_t i = 0; i < ps.n; i++) {
		const struct problem *p = &ps.v[i];
		const struct closed *cp = closed_at(&cl, p->path ? p->path : "");

		if (i >= n0 && told(&ps, n0, p))
			continue;       /* found without the key too */
		if (i < n0 && cp != NULL)
			lines_add(&a->left, xasprintf("%s: %s: sealed for %s; your key does not open it",
			    file, cp->path, cp->holder));
		else
			lines_add(&a->left, xasprintf("%s: %s%s%s", file, p->path ? p->path : "",
			    p->path && *p->path ? ": " : "", p->msg));
	}
	r = 0;
done:
	for (size_t i = 0; i < cl.n; i++) {
		free(cl.v[i].path);
		free(cl.v[i].holder);
	}
	free(cl.v);
	lines_free(&changed);
	problems_free(&ps);
	doc_free(stored);
	doc_free(d);
	free(out);
	free(buf);
	free(path);
	return r;
}

static int
reseal_case(struct casus_tx *c, void *arg)
{
	struct reseal *a = arg;
	struct records rs = {0};
	struct reseal_run run = {c, a, &rs};
	int r;

	a->parts = 0;
	lines_free(&a->changed);
	lines_free(&a->left);
	casus_message(c->t, "re-seal", a->id, a->reason);
	r = case_exists(c->v, a->id);
	if (r != 1 || records_read(c->v, a->id, &rs) < 0)
		return -1;
	r = case_sealed_files(c->v, a->id, reseal_file, &run);
	records_free(&rs);
	return r;
}

/*
 * Re-seals one case in one change and tells what it did. Returns the exit status for this
 * case: 0, 1 (parts left as they were) or 2.
 */
static int
run_case(struct store *s, struct reseal *a, bool quiet)
{
	int r = casus_change(s, reseal_case, a), status = casus_exit(r);

	if (status != EXIT_YES)
		return status;
	if (a->dry) {
		for (size_t i = 0; i < a->changed.n; i++)
			printf("%s: %s: would be re-sealed\n", a->id, a->changed.v[i]);
	} else if (a->parts && !quiet) {
		printf("%s: re-sealed %zu part%s\n", a->id, a->parts, a->parts == 1 ? "" : "s");
	}
	for (size_t i = 0; i < a->left.n; i++)
		warnmsg("%s: %s", a->id, a->left.v[i]);
	fflush(stdout);
	return a->left.n ? EXIT_NO : EXIT_YES;
}

/*
 * Loads path as --old-key: a key registered to the member whose current key is key, and no
 * longer current (one they replaced). 0 with *out, or -1 with err_set().
 */
static int
old_key(struct store *s, const char *path, const struct key *key, const struct key **out)
{
	struct settings *cfg = casus_settings(s);
	const struct member *m = settings_member_by_key(cfg, key_public(key));
	bool theirs = false;
	int r = -1;

	if (casus_use_old_key(path) < 0) {
		settings_free(cfg);
		return -1;
	}
	*out = casus_old_key();
	for (size_t i = 0; m && i < m->nkeys; i++)
		theirs = theirs || (m->keys[i].ok &&
		    memcmp(m->keys[i].pk, key_public(*out), KEY_PUBLIC_SIZE) == 0 &&
		    date_valid(m->keys[i].until));
	if (m == NULL)
		err_set("cannot use old key '%s': your key is registered to nobody in this store", path);
	else if (!theirs)
		err_set("cannot use old key '%s': it is not a key %s replaced", path, m->email);
	else
		r = 0;
	settings_free(cfg);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"all", no_argument, NULL, 'a'},
		{"dry-run", no_argument, NULL, 'n'},
		{"quiet", no_argument, NULL, 'q'},
		{"message", required_argument, NULL, 'm'},
		{"old-key", required_argument, NULL, 'O'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct reseal a = {0};
	struct store *s;
	struct view *v = NULL;
	char **ids = NULL;
	size_t nids = 0;
	const char *old = NULL;
	bool all = false, quiet = false;
	int c, status = EXIT_YES;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "anqm:", longopts, NULL)) != -1) {
		switch (c) {
		case 'a': all = true; break;
		case 'n': a.dry = true; break;
		case 'q': quiet = true; break;
		case 'm': a.reason = optarg; break;
		case 'O': old = optarg; break;
		default: cli_option(&cli, c);
		}
	}
	if (all && optind < argc)
		cli_usage_error(&cli, "--all takes no CASE-ID");
	if (!all && optind == argc)
		cli_usage_error(&cli, "expected CASE-ID... or --all");
	for (int i = optind; i < argc; i++)
		if (case_id_check(argv[i]) < 0) {
			err_print();
			return EXIT_ERROR;
		}
	if (casus_reason_check(a.reason) < 0 || date_today(&a.on) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	s = casus_open(cli.dir);
	if (casus_use_key(s) == NULL || (a.key = casus_key()) == NULL ||
	    (old && old_key(s, old, a.key, &a.old) < 0)) {
		err_print();
		store_close(s);
		return EXIT_ERROR;
	}
	if (all) {
		if (store_view(s, &v) < 0 || case_ids(v, &ids, &nids) < 0) {
			err_print();
			view_close(v);
			store_close(s);
			return EXIT_ERROR;
		}
		view_close(v);
	}
	/* Each case on its own: one that fails does not keep the others from being re-sealed. */
	for (size_t i = 0; i < (all ? nids : (size_t)(argc - optind)); i++) {
		int st;

		a.id = all ? ids[i] : argv[optind + (int)i];
		st = run_case(s, &a, quiet);
		if (st > status)
			status = st;
	}
	lines_free(&a.changed);
	lines_free(&a.left);
	store_list_free(ids, nids);
	store_close(s);
	return status;
}
