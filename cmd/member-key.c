/*
 * member-key: a team member's own key. Makes the key pair every commit is signed with, never
 * replacing one; prints its public-key line, to hand to whoever registers you, or its
 * fingerprint, as ssh-keygen prints them; shows whom a store knows the key as; and registers a
 * member's key in the store (one commit), the old one kept with its dates.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "casus.h"
#include "cli.h"
#include "edit.h"
#include "key.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: member-key [--fingerprint] | --new [--comment ADDRESS] | [-C DIR] --registered\n"
    "       member-key [-C DIR] --register ADDRESS [KEY|FILE.pub] [-m REASON]\n"
    "\n"
    "Make your key, show it, or register a member's key in the store.\n"
    "Your key is $CASUS_KEY, else ~/.casus/id_ed25519.\n"
    "\n"
    "  -C DIR                  the store (default: $CASUS_REPO, else the current directory)\n"
    "      --new               make a new key pair (never replacing one), print its public line\n"
    "      --comment ADDRESS   with --new: the key's comment, your address\n"
    "      --fingerprint       print the key's fingerprint as ssh-keygen -l does\n"
    "      --registered        show the member the store knows your key as\n"
    "      --register ADDRESS  make KEY (a public-key line, or a .pub file; default: your own\n"
    "                          key) the current key of the member ADDRESS\n"
    "  -m, --message REASON    with --register: why, for the history\n"
    "  -h, --help              show this help\n"
    "      --version           show the version\n";

enum mode { SHOW, NEW, FINGERPRINT, REGISTERED, REGISTER };

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

/* --- what the store knows ---------------------------------------------------------------- */

static void
print_field(const char *name, const char *value)
{
	printf("%-8s ", name);
	out_text(stdout, value, strlen(value), false);
	putchar('\n');
}

/*
 * --registered: the member whose current key is yours, 0; else what is registered for your
 * git address, if anything, and 1.
 */
static int
show_registered(const char *dir)
{
	struct store *s = casus_open(dir);
	struct settings *cfg = casus_settings(s);
	const unsigned char *pk = casus_use_key(s);
	const struct member *m;
	const struct member_key *k;
	char fp[KEY_FINGERPRINT_SIZE], d[11], *name = NULL, *email = NULL, *active;
	int status = EXIT_YES;

	if (pk == NULL) {
		err_print();
		exit(EXIT_ERROR);
	}
	key_fingerprint(pk, fp);
	if ((m = settings_member_by_key(cfg, pk)) != NULL) {
		k = member_current_key(m);
		print_field("name", m->name);
		print_field("address", m->email);
		print_field("partner", m->partner);
		print_field("key", fp);
		print_field("since", date_format(k->since, d));
		active = date_valid(m->until) ? xasprintf("no, until %s", date_format(m->until, d))
		    : xstrdup(m->active ? "yes" : "no");
		print_field("active", active);
		free(active);
	} else {
		status = EXIT_NO;
		printf("no: your key %s is registered to nobody in this store\n", fp);
		/* The address git knows you by is only a hint here: it proves nothing. */
		if (store_identity(s, &name, &email) == 0 &&
		    (m = settings_member(cfg, email)) != NULL) {
			char *q = quote_text_str(m->email);

			if ((k = member_current_key(m)) != NULL)
				printf("%s, your git address, has key %s since %s\n", q,
				    key_fingerprint(k->pk, fp), date_format(k->since, d));
			else
				printf("%s, your git address, has no key registered\n", q);
			free(q);
		}
		if (!settings_has_keys(cfg))
			printf("no member of this store has a key yet: register yours with "
			    "member-key --register ADDRESS\n");
		err_clear();
	}
	free(name);
	free(email);
	settings_free(cfg);
	store_close(s);
	return status;
}

/* --- registering a key --------------------------------------------------------------------- */

struct reg {
	const char *email, *reason;
	unsigned char pk[KEY_PUBLIC_SIZE];
	char *line;             /* the key as stored */
	char today[11];
	struct problems ps;     /* why the new settings were refused */
};

/*
 * The public-key line of --register: the operand itself when it reads as one, else the first
 * line of the file it names, else your own key's. Exits 2 when it is none of these.
 */
static void
reg_key(struct reg *g, const char *arg, const char *path)
{
	unsigned char pk[KEY_PUBLIC_SIZE];
	char *text = NULL, *nl, *comment = NULL, *sp;
	const char *why = NULL;
	size_t len;

	if (arg == NULL) {
		struct key *k;

		if (key_load(&k, path) < 0) {
			err_print();
			exit(EXIT_ERROR);
		}
		memcpy(g->pk, key_public(k), KEY_PUBLIC_SIZE);
		comment = pub_comment(path, g->pk);
		g->line = key_public_line(g->pk, comment);
		free(comment);
		key_free(k);
		return;
	}
	if (strncmp(arg, "ssh-", 4) == 0 && strchr(arg, ' ') != NULL) {
		text = xstrdup(arg);      /* whole: a second line in it is refused below */
	} else if (read_input(arg, 1 << 14, &text, &len) < 0) {
		err_print();
		exit(EXIT_ERROR);
	} else if ((nl = strchr(text, '\n')) != NULL) {
		*nl = '\0';              /* a .pub file: its first line, as ssh-keygen wrote it */
	}
	if (key_public_parse(text, pk, &why) < 0 || !text_ok(text, strlen(text), false))
		die("cannot register key '%s': %s", arg, why != NULL ? why
		    : "it must be UTF-8 text without control characters");
	/* Stored as ssh-keygen writes it: the type, the key, one space, the comment if any. */
	if ((sp = strchr(text, ' ')) != NULL && (sp = strchr(sp + 1, ' ')) != NULL) {
		while (*sp == ' ')
			sp++;
		if (*sp != '\0')
			comment = sp;
	}
	memcpy(g->pk, pk, KEY_PUBLIC_SIZE);
	g->line = key_public_line(pk, comment);
	free(text);
}

static int
register_key(struct casus_tx *c, void *arg)
{
	struct reg *g = arg;
	const struct member *m;
	const struct member_key *cur;
	struct doc *cfg, *entry, *keys;
	char fp[KEY_FINGERPRINT_SIZE], *what;
	int r;

	problems_free(&g->ps);
	if ((m = settings_member(c->cfg, g->email)) == NULL) {
		err_set("cannot register key for '%s': not a registered team member", g->email);
		return -1;
	}
	if (!m->active) {
		err_set("cannot register key for '%s': no longer an active team member", m->email);
		return -1;
	}
	/* Set before anything else: the store refuses a change without a message. */
	casus_message(c->t, "register key", NULL, g->reason);
	txn_trailer(c->t, "Member", m->email);          /* as registered */
	txn_trailer(c->t, "Key", key_fingerprint(g->pk, fp));
	cur = member_current_key(m);
	if (cur != NULL && memcmp(cur->pk, g->pk, KEY_PUBLIC_SIZE) == 0)
		return 0;       /* registered already: nothing staged, so no commit */
	/* A copy: casus_put_config() compares the new settings with those at the tip. */
	cfg = doc_clone(c->cfg->doc);
	entry = doc_get(cfg, "members")->items[m - c->cfg->members];    /* decoded in file order */
	if ((keys = doc_get(entry, "keys")) == NULL) {
		keys = doc_new(DOC_SEQ);
		doc_set(entry, "keys", keys);
	}
	/* The old key keeps its dates, so the commits it signed still verify. */
	if (cur != NULL)
		doc_set(keys->items[cur - m->keys], "until", doc_new_str(g->today));
	doc_push(keys, settings_key_item(g->line, g->today));
	what = xasprintf("register key for '%s'", m->email);
	r = casus_put_config(c->t, c->cfg, cfg, what, &g->ps);
	free(what);
	doc_free(cfg);
	return r;
}

static int
register_member_key(const char *dir, struct reg *g)
{
	struct store *s = casus_open(dir);
	int r, status;

	r = casus_register_key(s, g->email, g->pk, register_key, g);
	store_close(s);
	if (r == STORE_REFUSED) {
		/* Settings that would not be valid: each problem, then why nothing was stored. */
		problems_print(&g->ps, stderr, progname);
		err_print();
		status = EXIT_NO;
	} else {
		status = casus_exit(r);
	}
	problems_free(&g->ps);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"new", no_argument, NULL, 'n'},
		{"comment", required_argument, NULL, 'c'},
		{"fingerprint", no_argument, NULL, 'f'},
		{"registered", no_argument, NULL, 'R'},
		{"register", required_argument, NULL, 'r'},
		{"message", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct reg g = {0};
	struct date today;
	enum mode mode = SHOW;
	const char *comment = NULL;
	char *path;
	int c, status;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "m:", longopts, NULL)) != -1) {
		switch (c) {
		case 'n':
		case 'f':
		case 'R':
		case 'r':
			if (mode != SHOW)
				cli_usage_error(&cli, "--new, --fingerprint, --registered and --register "
				    "exclude each other");
			mode = c == 'n' ? NEW : c == 'f' ? FINGERPRINT : c == 'R' ? REGISTERED : REGISTER;
			if (c == 'r')
				g.email = optarg;
			break;
		case 'c':
			comment = optarg;
			break;
		case 'm':
			g.reason = optarg;
			break;
		default:
			cli_option(&cli, c);
		}
	}
	if (optind < argc && !(mode == REGISTER && optind + 1 == argc))
		cli_usage_error(&cli, "unexpected argument '%s'", argv[optind]);
	if (comment != NULL && mode != NEW)
		cli_usage_error(&cli, "--comment goes with --new");
	if (g.reason != NULL && mode != REGISTER)
		cli_usage_error(&cli, "--message goes with --register");
	if (cli.dir != NULL && mode != REGISTERED && mode != REGISTER)
		cli_usage_error(&cli, "-C goes with --registered and --register");
	/* One line in an allowed-signers file: no line break, nothing a terminal would act on. */
	if (comment != NULL && (comment[0] == '\0' || !text_ok(comment, strlen(comment), false) ||
	    strchr(comment, '\t') != NULL))
		die("cannot use the comment: it must be non-empty UTF-8 text without control characters");
	if ((path = key_path()) == NULL) {
		err_print();
		return EXIT_ERROR;
	}
	switch (mode) {
	case NEW:
		status = make_key(path, comment);
		break;
	case REGISTERED:
		status = show_registered(cli.dir);
		break;
	case REGISTER:
		if (casus_reason_check(g.reason) < 0 || date_today(&today) < 0) {
			err_print();
			free(path);
			return EXIT_ERROR;
		}
		date_format(today, g.today);
		reg_key(&g, optind < argc ? argv[optind] : NULL, path);
		status = register_member_key(cli.dir, &g);
		free(g.line);
		break;
	default:
		status = show_key(path, mode);
	}
	free(path);
	return status;
}
