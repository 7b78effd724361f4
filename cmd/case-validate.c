/*
 * case-validate: checks every file of the store, or of the named cases, against the schemas
 * and the cross-references (team members registered, partners known, dates in order, each
 * case in its fan-out folder). Prints "path:line: message" per problem; changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "casus.h"
#include "cli.h"
#include "history.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: case-validate [-C DIR] [-q] [--history] [CASE-ID...]\n"
    "\n"
    "Check the store's files against the schemas and each other. Exit 0 when clean,\n"
    "1 when problems were found, 2 on error.\n"
    "\n"
    "  -C DIR        the store (default: $CASUS_REPO, else the current directory)\n"
    "  -q, --quiet   print nothing; the exit status tells\n"
    "      --history also check that no consent or legal-basis record was ever changed or\n"
    "                removed, in every commit of the branch\n"
    "  -h, --help    show this help\n"
    "      --version show the version\n";

/* The files a case folder may hold, and the entries the top of the store may hold. */
static const char *const case_files[] = {"plan.yaml", "reintegration.yaml", NULL};
/* The folders a case folder may hold, one file per event in each. */
static const char *const case_folders[] = {"consent", "overleg", NULL};
static const char *const root_entries[] = {CASUS_CONFIG, "cases", NULL};

static bool
one_of(const char *const *list, const char *name)
{
	for (int i = 0; list[i]; i++)
		if (strcmp(list[i], name) == 0)
			return true;
	return false;
}

/*
 * Whether a name from the tree is one casus could have written: a store written behind
 * casus's back may hold names with control characters, which must not reach the terminal
 * and which the store refuses to open.
 */
static bool
odd_name(const char *name)
{
	return !text_ok(name, strlen(name), false) || strcasecmp(name, ".git") == 0;
}

/* Reports an odd name found in the folder dir. */
static void
odd_entry(struct problems *ps, const char *dir, const char *name)
{
	char *n = quote_text_str(name);

	problems_add(ps, dir[0] ? dir : ".", 0, "", "unexpected entry '%s': a name casus never writes", n);
	free(n);
}

/*
 * Lists dir when it is a folder: 0 with its names, 1 when it is a file (nothing listed), -1 on
 * a store error. A store that was written behind casus's back may hold a file anywhere.
 */
static int
list_dir(struct store *s, const char *dir, char ***names, size_t *n)
{
	char *buf;
	size_t len;

	if (store_list(s, dir, names, n) == 0)
		return 0;
	if (store_read(s, dir, &buf, &len) == 0) {
		free(buf);
		return 1;
	}
	return -1;
}

/* Reads path and checks it against the schema of kind; NULL (with problems) when it does not pass. */
static struct doc *
check_file(struct store *s, const char *path, const char *kind, struct problems *ps, int *err)
{
	char *buf, **sub;
	size_t len, nsub;
	struct doc *d;
	int r = store_read(s, path, &buf, &len);

	if (r == STORE_NOTFOUND)
		return NULL;
	if (r < 0 && store_read_refused() && list_dir(s, path, &sub, &nsub) != 0) {
		/* Not a folder either: a link, a submodule, a file too large. Content, not a failure. */
		problems_add(ps, path, 0, "", "%s", err_last());
		err_clear();
		return NULL;
	}
	if (r < 0) {
		if (list_dir(s, path, &sub, &nsub) != 0) {
			*err = -1;
			return NULL;
		}
		store_list_free(sub, nsub);
		problems_add(ps, path, 0, "", "a folder where a file should be");
		return NULL;
	}
	d = casus_parse(buf, len, path, kind, ps);
	free(buf);
	return d;
}

/*
 * Checks the records of one event folder (consent/ or overleg/) of case cd->id, each with the
 * case's others, and adds those that decode to cd. The folders come in name order, so the
 * consultations are checked with the case's records already in cd.
 */
static int
check_events(struct store *s, const struct settings *cfg, const char *dir, const char *folder,
    struct case_data *cd, struct problems *ps)
{
	char *fdir = xasprintf("%s/%s", dir, folder), **names, **paths;
	const char *id = cd->id;
	struct consent_record **recs;
	struct overleg **ovs;
	size_t n;
	int err = 0, r = list_dir(s, fdir, &names, &n);
	bool consent = strcmp(folder, "consent") == 0;

	if (r != 0) {
		if (r == 1)
			problems_add(ps, fdir, 0, "", "a file where a folder should be");
		free(fdir);
		return r < 0 ? -1 : 0;
	}
	recs = xcalloc(n ? n : 1, sizeof *recs);
	ovs = xcalloc(n ? n : 1, sizeof *ovs);
	paths = xcalloc(n ? n : 1, sizeof *paths);
	for (size_t i = 0; i < n && err == 0; i++) {
		struct doc *d;
		const char *key;
		size_t klen;

		paths[i] = xasprintf("%s/%s", fdir, names[i]);
		if (odd_name(names[i])) {
			odd_entry(ps, fdir, names[i]);
			continue;
		}
		d = check_file(s, paths[i], consent ? "consent" : "overleg", ps, &err);
		if (d == NULL)
			continue;
		key = doc_get_str(d, consent ? "id" : "date");
		klen = strlen(key);
		if (strncmp(names[i], key, klen) != 0 || strcmp(names[i] + klen, ".yaml") != 0)
			problems_add(ps, paths[i], d->line, consent ? "id" : "date",
			    "'%s' does not match the file's name", key);
		if (!consent) {
			const char *cid = doc_get_str(d, "case_id");

			if (strcmp(cid, id) != 0)
				problems_add(ps, paths[i], doc_get(d, "case_id")->line, "case_id",
				    "is '%s' but the case is '%s'", cid, id);
			if ((ovs[i] = overleg_decode(d)) == NULL) {
				problems_add(ps, paths[i], 0, "", "%s", err_last());
				err_clear();
			} else {
				overlegs_add(&cd->o, ovs[i]);
			}
		} else if ((recs[i] = consent_decode(d)) == NULL) {
			problems_add(ps, paths[i], 0, "", "%s", err_last());
			err_clear();
		} else {
			records_add(&cd->rs, recs[i]);
		}
	}
	/*
	 * Each record is checked with the case's others: what it withdraws, and when. Each
	 * consultation with the plan, the others and the records: what it closes, who was
	 * there, and whether what was shared was covered on the day (what overleg-record refuses).
	 */
	for (size_t i = 0; i < n && err == 0; i++)
		if (recs[i] != NULL)
			consent_check(cfg, cd, recs[i], paths[i], ps);
		else if (ovs[i] != NULL && cfg != NULL)
			overleg_check(cfg, cd, ovs[i], paths[i], ps);
	for (size_t i = 0; i < n; i++)
		free(paths[i]);
	free(paths);
	free(ovs);
	free(recs);
	store_list_free(names, n);
	free(fdir);
	return err;
}

/* Checks the case id lying in the folder dir, whose entries are names; -1 on a store error. */
static int
check_case(struct store *s, const struct settings *cfg, const char *dir, const char *id,
    char **names, size_t n, struct problems *ps)
{
	char *path = xasprintf("%s/plan.yaml", dir), *rpath = xasprintf("%s/reintegration.yaml", dir);
	struct case_data data = {.id = (char *)id};
	struct problems plan_ps = {0};
	struct doc *d;
	bool has_plan = false;
	int err = 0;

	/*
	 * The consultations are checked against the plan, so it is read first; its own problems
	 * are reported where they always were, after the folders'.
	 */
	for (size_t i = 0; i < n; i++)
		has_plan |= strcmp(names[i], "plan.yaml") == 0;
	if (has_plan)
		data.plan = check_file(s, path, "plan", &plan_ps, &err);
	for (size_t i = 0; i < n && err == 0; i++) {
		if (odd_name(names[i]))
			odd_entry(ps, dir, names[i]);
		else if (one_of(case_folders, names[i]))
			err = check_events(s, cfg, dir, names[i], &data, ps);
		else if (!one_of(case_files, names[i]))
			problems_add(ps, dir, 0, "", "unexpected file '%s'", names[i]);
	}
	if (err == 0 && !has_plan)
		problems_add(ps, dir, 0, "", "the case has no plan.yaml");
	if (err == 0 && has_plan) {
		for (size_t i = 0; i < plan_ps.n; i++)
			problems_add(ps, plan_ps.v[i].file, plan_ps.v[i].line, plan_ps.v[i].path, "%s",
			    plan_ps.v[i].msg);
		if (data.plan && cfg)
			plan_check(cfg, data.plan, id, path, ps);
	}
	problems_free(&plan_ps);
	data.id = NULL;         /* the caller's */
	case_data_free(&data);
	if (err == 0) {
		d = check_file(s, rpath, "reintegration", ps, &err);
		if (d && cfg)
			reintegration_check(cfg, d, id, rpath, ps);
		doc_free(d);
	}
	free(path);
	free(rpath);
	return err;
}

static bool
hex2(const char *s)
{
	return strlen(s) == 2 && strchr("0123456789abcdef", s[0]) && strchr("0123456789abcdef", s[1]);
}

/* Checks one folder cases/<bucket>/<entry>: that it is a case, where its ID says, and valid. */
static int
check_entry(struct store *s, const struct settings *cfg, const char *bdir, const char *name,
    struct problems *ps)
{
	char *dir, *want, **names;
	size_t n;
	int r;

	if (odd_name(name)) {
		odd_entry(ps, bdir, name);
		return 0;
	}
	dir = xasprintf("%s/%s", bdir, name);
	r = list_dir(s, dir, &names, &n);
	if (r != 0) {
		if (r == 1)
			problems_add(ps, dir, 0, "", "unexpected file: cases/ holds only case folders");
		free(dir);
		return r < 0 ? -1 : 0;
	}
	if (case_id_check(name) < 0) {
		problems_add(ps, dir, 0, "", "'%s' is not a valid case ID", name);
	} else {
		want = case_dir(name);
		if (strcmp(want, dir) != 0)
			problems_add(ps, dir, 0, "", "case '%s' belongs in '%s'", name, want);
		free(want);
		r = check_case(s, cfg, dir, name, names, n, ps);
	}
	store_list_free(names, n);
	free(dir);
	return r;
}

/* The cases to report history for (all when n is 0), and where to report it. */
struct history_report {
	char **ids;
	int n;
	struct problems *ps;
};

static void
history_found(const char *commit, const char *case_id, const char *record, bool removed, void *arg)
{
	struct history_report *h = arg;
	char *c, *r;
	int i;

	for (i = 0; i < h->n && strcmp(h->ids[i], case_id) != 0; i++)
		continue;
	if (h->n && i == h->n)
		return;
	c = quote_text_str(case_id);
	r = quote_text_str(record);
	problems_add(h->ps, NULL, 0, NULL, "commit %s: case %s: record %s was %s", commit, c, r,
	    removed ? "removed" : "changed");
	free(c);
	free(r);
}

/* Walks the store: the top, then cases/<fan-out>/<id>, each case checked where it lies. */
static int
check_all(struct store *s, const struct settings *cfg, struct problems *ps)
{
	char **top, **buckets, **ids;
	size_t ntop, nb, ni;
	int r;

	if (store_list(s, "", &top, &ntop) < 0)
		return -1;
	for (size_t i = 0; i < ntop; i++)
		if (odd_name(top[i]))
			odd_entry(ps, "", top[i]);
		else if (!one_of(root_entries, top[i]))
			problems_add(ps, top[i], 0, "", "unexpected entry at the top of the store");
	store_list_free(top, ntop);
	r = list_dir(s, "cases", &buckets, &nb);
	if (r != 0) {
		if (r == 1)
			problems_add(ps, "cases", 0, "", "a file where the folder of cases should be");
		return r < 0 ? -1 : 0;
	}
	for (size_t b = 0; b < nb && r == 0; b++) {
		char *bdir;

		if (odd_name(buckets[b])) {
			odd_entry(ps, "cases", buckets[b]);
			continue;
		}
		bdir = xasprintf("cases/%s", buckets[b]);
		r = list_dir(s, bdir, &ids, &ni);
		if (r == 1 || (r == 0 && !hex2(buckets[b]))) {
			problems_add(ps, bdir, 0, "", "unexpected %s in cases/", r == 1 ? "file" : "folder");
			if (r == 0)
				store_list_free(ids, ni);
			r = 0;
		} else if (r == 0) {
			for (size_t i = 0; r == 0 && i < ni; i++)
				r = check_entry(s, cfg, bdir, ids[i], ps);
			store_list_free(ids, ni);
		}
		free(bdir);
	}
	store_list_free(buckets, nb);
	return r;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"quiet", no_argument, NULL, 'q'},
		{"history", no_argument, NULL, 'H'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct problems ps = {0};
	struct store *s;
	struct settings *cfg = NULL;
	struct view *v = NULL;
	bool quiet = false, history = false;
	int c, r = 0, status;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "q", longopts, NULL)) != -1) {
		if (c == 'q')
			quiet = true;
		else if (c == 'H')
			history = true;
		else
			cli_option(&cli, c);
	}
	for (int i = optind; i < argc; i++)
		if (case_id_check(argv[i]) < 0) {
			err_print();
			return EXIT_ERROR;
		}
	s = casus_open(cli.dir);
	if (!store_has_tip(s)) {
		warnmsg("cannot validate '%s': the store has no commits", store_path(s));
		store_close(s);
		return EXIT_ERROR;
	}
	if (store_view(s, &v) == 0)
		cfg = settings_read(v, &ps);
	view_close(v);
	if (cfg)
		settings_check(cfg, CASUS_CONFIG, &ps);
	else if (ps.n == 0) {
		err_print();
		store_close(s);
		return EXIT_ERROR;
	}
	if (optind == argc) {
		r = check_all(s, cfg, &ps);
	} else {
		for (int i = optind; i < argc && r == 0; i++) {
			char *dir = case_dir(argv[i]), **names;
			size_t n;

			r = list_dir(s, dir, &names, &n);
			if (r == 0 && n == 0) {
				err_set("cannot find case '%s': no such case in this store", argv[i]);
				r = -1;
			} else if (r == 1) {
				problems_add(&ps, dir, 0, "", "unexpected file: cases/ holds only case folders");
				r = 0;
			} else if (r == 0) {
				r = check_case(s, cfg, dir, argv[i], names, n, &ps);
				store_list_free(names, n);
			}
			free(dir);
		}
	}
	if (r == 0 && history) {
		struct history_report h = {argv + optind, argc - optind, &ps};

		r = history_records_check(store_path(s), history_found, &h) < 0 ? -1 : 0;
	}
	if (r < 0) {
		err_print();
		status = EXIT_ERROR;
	} else {
		if (!quiet)
			problems_print(&ps, stdout, NULL);
		status = ps.n ? EXIT_NO : EXIT_YES;
	}
	problems_free(&ps);
	settings_free(cfg);
	store_close(s);
	return status;
}
