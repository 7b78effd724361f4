/*
 * case-validate: checks every file of the store, or of the named cases, against the schemas
 * and the cross-references (team members registered, partners known, dates in order, each
 * case in its fan-out folder). Prints "path:line: message" per problem; changes nothing.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: case-validate [-C DIR] [-q] [CASE-ID...]\n"
    "\n"
    "Check the store's files against the schemas and each other. Exit 0 when clean,\n"
    "1 when problems were found, 2 on error.\n"
    "\n"
    "  -C DIR        the store (default: $CASUS_REPO, else the current directory)\n"
    "  -q, --quiet   print nothing; the exit status tells\n"
    "  -h, --help    show this help\n"
    "      --version show the version\n";

/* The files a case folder may hold. */
static const char *const case_files[] = {"plan.yaml", NULL};

static bool
known_file(const char *name)
{
	for (int i = 0; case_files[i]; i++)
		if (strcmp(case_files[i], name) == 0)
			return true;
	return false;
}

/* Checks one case folder; returns -1 on a store error. */
static int
check_case(struct store *s, const struct doc *cfg, const char *id, struct problems *ps)
{
	char *dir = case_dir(id), *path = case_path(id, "plan.yaml"), *buf;
	char **names;
	size_t n, len;
	struct doc *plan;
	int r;

	if (store_list(s, dir, &names, &n) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++)
		if (!known_file(names[i]))
			problems_add(ps, dir, 0, "", "unexpected file '%s'", names[i]);
	store_list_free(names, n);
	r = store_read(s, path, &buf, &len);
	if (r == STORE_NOTFOUND)
		problems_add(ps, dir, 0, "", "the case has no plan.yaml");
	else if (r < 0)
		goto fail;
	else {
		plan = casus_parse(buf, len, path, "plan", ps);
		if (plan && cfg)
			plan_check(cfg, plan, id, path, ps);
		doc_free(plan);
		free(buf);
	}
	free(dir);
	free(path);
	return 0;
fail:
	free(dir);
	free(path);
	return -1;
}

static bool
hex2(const char *s)
{
	return strlen(s) == 2 && strchr("0123456789abcdef", s[0]) && strchr("0123456789abcdef", s[1]);
}

/* Walks cases/<fan-out>/<id>, checking each case lies where its ID says. */
static int
check_all(struct store *s, const struct doc *cfg, struct problems *ps)
{
	char **buckets, **ids;
	size_t nb, ni;
	int r = 0;

	if (store_list(s, "cases", &buckets, &nb) < 0)
		return -1;
	for (size_t b = 0; b < nb && r == 0; b++) {
		char *bdir = xasprintf("cases/%s", buckets[b]);

		if (!hex2(buckets[b])) {
			problems_add(ps, bdir, 0, "", "unexpected entry in cases/");
			free(bdir);
			continue;
		}
		r = store_list(s, bdir, &ids, &ni);
		for (size_t i = 0; r == 0 && i < ni; i++) {
			char *want;

			if (case_id_check(ids[i]) < 0) {
				problems_add(ps, bdir, 0, "", "'%s' is not a valid case ID", ids[i]);
				continue;
			}
			want = case_dir(ids[i]);
			if (strncmp(want, bdir, strlen(bdir)) != 0 || want[strlen(bdir)] != '/')
				problems_add(ps, bdir, 0, "", "case '%s' belongs in '%s'", ids[i], want);
			free(want);
			r = check_case(s, cfg, ids[i], ps);
		}
		if (r == 0)
			store_list_free(ids, ni);
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
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct problems ps = {0};
	struct store *s;
	struct doc *cfg;
	bool quiet = false;
	int c, r = 0, status;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "q", longopts, NULL)) != -1) {
		if (c == 'q')
			quiet = true;
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
	cfg = config_read(s, &ps);
	if (cfg)
		config_check(cfg, CASUS_CONFIG, &ps);
	else if (ps.n == 0) {
		err_print();
		store_close(s);
		return EXIT_ERROR;
	}
	if (optind == argc) {
		r = check_all(s, cfg, &ps);
	} else {
		for (int i = optind; i < argc && r == 0; i++) {
			char *path = case_path(argv[i], "plan.yaml"), *buf;
			size_t len;

			r = store_read(s, path, &buf, &len);
			free(path);
			if (r == STORE_NOTFOUND) {
				err_set("cannot find case '%s': no such case in this store", argv[i]);
				r = -1;
			} else if (r == 0) {
				free(buf);
				r = check_case(s, cfg, argv[i], &ps);
			}
		}
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
	doc_free(cfg);
	store_close(s);
	return status;
}
