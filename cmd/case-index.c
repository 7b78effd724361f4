/*
 * case-index: brings the store's SQLite index up to date, or rebuilds it, and writes git's
 * commit-graph beside it; --check compares the index with one built from scratch. The other
 * programs bring the index up to date themselves before they answer: this one is for cron,
 * for a first build of a big store ahead of the day's work, and for the doubting.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "index.h"
#include "msg.h"

static const char usage[] =
    "usage: case-index [-C DIR] [--rebuild] [--check] [-v | -q]\n"
    "\n"
    "Bring the store's index up to date with the branch, and write git's commit-graph.\n"
    "Exit 0 when done, 1 when --check found the index differing from a rebuild, 2 on error.\n"
    "\n"
    "  -C DIR          the store (default: $CASUS_REPO, else the current directory)\n"
    "      --rebuild   build the index again from scratch\n"
    "      --check     compare the index with one built from scratch; print each difference\n"
    "  -v, --verbose   say what was done\n"
    "  -q, --quiet     print no difference; the exit status tells\n"
    "  -h, --help      show this help\n"
    "      --version   show the version\n";

static bool quiet;

static void
difference(void *arg, const char *line)
{
	(void)arg;
	if (quiet)
		return;
	out_text(stdout, line, strlen(line), false);
	putchar('\n');
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"rebuild", no_argument, NULL, 'r'},
		{"check", no_argument, NULL, 'c'},
		{"verbose", no_argument, NULL, 'v'},
		{"quiet", no_argument, NULL, 'q'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct index_stats st;
	struct index *ix = NULL;
	struct store *s;
	bool rebuild = false, check = false, verbose = false;
	long n = 0;
	int c;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "vq", longopts, NULL)) != -1) {
		switch (c) {
		case 'r':
			rebuild = true;
			break;
		case 'c':
			check = true;
			break;
		case 'v':
			verbose = true;
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
	if (verbose && quiet)
		cli_usage_error(&cli, "-v and -q go not together");
	s = casus_open_reader(cli.dir);
	if (index_open(s, INDEX_GRAPH | (rebuild ? INDEX_REBUILD : 0), &ix, &st) < 0 ||
	    (check && (n = index_check(ix, difference, NULL)) < 0)) {
		err_print();
		index_close(ix);
		store_close(s);
		return EXIT_ERROR;
	}
	if (verbose) {
		printf("index of commit %s\n", index_commit(ix)[0] ? index_commit(ix) : "(none)");
		if (st.rebuilt)
			printf("rebuilt: %s\n", st.reason);
		printf("%zu commits added, %zu cases read\n", st.commits, st.cases);
		if (st.split)
			printf("%zu of the commits read by a second process\n", st.split);
		printf("commit-graph %s\n", st.graph ? "written" : "not written");
		printf("brought up to date in %.1f ms\n", st.ms);
		if (check)
			printf("%ld differences from a rebuild\n", n);
	}
	index_close(ix);
	store_close(s);
	return n > 0 ? EXIT_NO : EXIT_YES;
}
