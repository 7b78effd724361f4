/*
 * member-key: a team member's own key. Makes the key pair every commit is signed with, never
 * replacing one; prints its public-key line, to hand to whoever registers you, or its
 * fingerprint, as ssh-keygen prints them.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "cli.h"
#include "key.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: member-key [--fingerprint] | --new [--comment ADDRESS]\n"
    "\n"
    "Make your key, or show it. The key is $CASUS_KEY, else ~/.casus/id_ed25519.\n"
    "\n"
    "      --new               make a new key pair (never replacing one), print its public line\n"
    "      --comment ADDRESS   with --new: the key's comment, your address\n"
    "      --fingerprint       print the key's fingerprint as ssh-keygen -l does\n"
    "  -h, --help              show this help\n"
    "      --version           show the version\n";

enum mode { SHOW, NEW, FINGERPRINT };

/*
 * ~/.casus, made for the key when the key is the default one: ssh keeps ~/.ssh to its owner,
 * and so does casus. A folder that exists is left as it is. Exits 2 on failure.
 */
static void
make_key_dir(const char *path)
{
	char *dir = xstrdup(path), *slash = strrchr(dir, '/');

	if (slash != NULL && slash != dir) {
		*slash = '\0';
		if (mkdir(dir, 0700) == -1 && errno != EEXIST)
			die("cannot create key '%s': cannot make '%s': %s", path, dir, strerror(errno));
	}
	free(dir);
}

/*
 * The comment of the key whose public half is pk: the one in path.pub, which --new wrote
 * beside it, when that file holds the same key (the private file keeps it too, but key_load()
 * does not return it). NULL when there is none. The caller frees.
 */
static char *
pub_comment(const char *path, const unsigned char pk[KEY_PUBLIC_SIZE])
{
	char *pub = xasprintf("%s.pub", path), *line = NULL, *comment = NULL, *sp;
	unsigned char filepk[KEY_PUBLIC_SIZE];
	const char *why;
	size_t cap = 0;
	ssize_t n;
	FILE *f = fopen(pub, "r");

	free(pub);
	if (f == NULL)
		return NULL;
	n = getline(&line, &cap, f);
	fclose(f);
	if (n > 0 && line[n - 1] == '\n')
		line[--n] = '\0';
	if (n > 0 && key_public_parse(line, filepk, &why) == 0 &&
	    memcmp(filepk, pk, KEY_PUBLIC_SIZE) == 0 &&
	    (sp = strchr(line, ' ')) != NULL && (sp = strchr(sp + 1, ' ')) != NULL &&
	    sp[1] != '\0' && text_ok(sp + 1, strlen(sp + 1), false))
		comment = xstrdup(sp + 1);
	free(line);
	return comment;
}

static int
make_key(const char *path, const char *comment)
{
	struct key *k;
	char *line;

	if (getenv("CASUS_KEY") == NULL || *getenv("CASUS_KEY") == '\0')
		make_key_dir(path);
	if (key_generate(&k) < 0 || key_save(k, path, comment) < 0) {
		key_free(k);
		err_print();
		return EXIT_ERROR;
	}
	line = key_public_line(key_public(k), comment);
	out_text(stdout, line, strlen(line), false);
	putchar('\n');
	free(line);
	key_free(k);
	return EXIT_YES;
}

static int
show_key(const char *path, enum mode mode)
{
	struct key *k;
	char fp[KEY_FINGERPRINT_SIZE], *comment, *line;

	if (key_load(&k, path) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	comment = pub_comment(path, key_public(k));
	if (mode == FINGERPRINT) {
		/* As `ssh-keygen -l -f` prints it, so the two can be compared at a glance. */
		line = xasprintf("256 %s %s (ED25519)", key_fingerprint(key_public(k), fp),
		    comment != NULL ? comment : "no comment");
	} else {
		line = key_public_line(key_public(k), comment);
	}
	out_text(stdout, line, strlen(line), false);
	putchar('\n');
	free(line);
	free(comment);
	key_free(k);
	return EXIT_YES;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"new", no_argument, NULL, 'n'},
		{"comment", required_argument, NULL, 'c'},
		{"fingerprint", no_argument, NULL, 'f'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	enum mode mode = SHOW;
	const char *comment = NULL;
	char *path;
	int c, status;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
		case 'f':
			if (mode != SHOW)
				cli_usage_error(&cli, "--new and --fingerprint exclude each other");
			mode = c == 'n' ? NEW : FINGERPRINT;
			break;
		case 'c':
			comment = optarg;
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (optind != argc)
		cli_usage_error(&cli, "unexpected argument '%s'", argv[optind]);
	if (comment != NULL && mode != NEW)
		cli_usage_error(&cli, "--comment goes with --new");
	/* One line in an allowed-signers file: no line break, nothing a terminal would act on. */
	if (comment != NULL && (comment[0] == '\0' || !text_ok(comment, strlen(comment), false) ||
	    strchr(comment, '\t') != NULL))
		die("cannot use the comment: it must be non-empty UTF-8 text without control characters");
	if ((path = key_path()) == NULL) {
		err_print();
		return EXIT_ERROR;
	}
	status = mode == NEW ? make_key(path, comment) : show_key(path, mode);
	free(path);
	return status;
}
