/*
 * case-init: creates a new store: a bare git repository, not world-readable, whose first
 * commit holds casus.yaml with the institution, the core partners, the information
 * categories, the consultation cadence, and the person running it as the first member.
 * If anything fails, the directory it created is removed again.
 */
#define _XOPEN_SOURCE 700
#include <ftw.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casus.h"
#include "cli.h"
#include "guard.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: case-init DIR --institution NAME --partner PARTNER [--role ROLE] [--hook]\n"
    "       case-init --hook DIR\n"
    "\n"
    "Create a new case store at DIR and register yourself, with your key ($CASUS_KEY, else\n"
    "~/.casus/id_ed25519), as its first team member.\n"
    "\n"
    "  --institution NAME   the institution (prison) this store serves\n"
    "  --partner PARTNER    your core partner: dg-epi, welzijn or justitiehuizen\n"
    "  --role ROLE          your role, e.g. \"psychosocial service\"\n"
    "  --hook               install the guard of a central store (case-validate\n"
    "                       --pre-receive) as its git pre-receive hook; alone, into the\n"
    "                       existing store DIR\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n";

/*
 * A new store's categories: one per life domain (the information of that domain), then three
 * more. The settings may change them; these are only where a store starts.
 */
static const char *const domain_category[DOMAIN_N] = {
	[DOMAIN_PSYCHOSOCIAL] = "psychosocial support and its follow-up",
	[DOMAIN_EDUCATION_EMPLOYMENT] = "education, training and employment",
	[DOMAIN_MENTAL_HEALTH] = "trauma-related or specialised mental health care, including addiction care",
	[DOMAIN_SOCIAL_CONTEXT] = "involvement and guidance of the social context: family and network",
	[DOMAIN_ALTERNATIVE_DISCOURSE] = "persons offering an alternative discourse to violent extremism",
};
static const struct vocab more_categories[] = {
	{"detention", "the course of detention: regime, incidents, leave decisions"},
	{"security", "security assessments and measures"},
	{"reintegration", "the reintegration plan and the follow-up after release"},
	{NULL, NULL},
};

struct init {
	const char *institution, *partner, *role;
	char *name, *email;
	char *key;              /* the public-key line of the running user's key */
	char today[11];
};

static struct doc *
settings(const struct init *in)
{
	struct doc *cfg = doc_new(DOC_MAP), *m, *p, *c, *o, *members, *me;

	doc_set(cfg, "version", doc_new_int(1));
	doc_set(cfg, "institution", doc_new_str(in->institution));
	p = doc_new(DOC_MAP);
	for (int i = 0; i < PARTNER_N; i++) {
		m = doc_new(DOC_MAP);
		doc_set(m, "name", doc_new_str(vocab_label(vocab_partners, i)));
		/* Privacy by default: an institution turns art. 458ter sharing on deliberately. */
		doc_set(m, "shares_under_458ter", doc_new_bool(false));
		doc_set(p, vocab_word(vocab_partners, i), m);
	}
	doc_set(cfg, "partners", p);
	c = doc_new(DOC_MAP);
	for (int i = 0; i < DOMAIN_N; i++) {
		m = doc_new(DOC_MAP);
		doc_set(m, "description", doc_new_str(domain_category[i]));
		doc_set(m, "domain", doc_new_str(vocab_word(vocab_domains, i)));
		doc_set(c, vocab_word(vocab_domains, i), m);
	}
	for (int i = 0; more_categories[i].word; i++) {
		m = doc_new(DOC_MAP);
		doc_set(m, "description", doc_new_str(more_categories[i].label));
		doc_set(c, more_categories[i].word, m);
	}
	doc_set(cfg, "categories", c);
	o = doc_new(DOC_MAP);
	doc_set(o, "cadence", doc_new_str("6w"));
	doc_set(o, "pre_leave_lead", doc_new_str("3m"));
	doc_set(cfg, "overleg", o);
	members = doc_new(DOC_SEQ);
	me = settings_member_item(in->email, in->name, in->partner, in->role, in->key, in->today);
	/* Somebody must be able to change the store-wide settings: whoever made the store. */
	doc_set(me, "admin", doc_new_bool(true));
	doc_push(members, me);
	doc_set(cfg, "members", members);
	return cfg;
}

static int
write_settings(struct txn *t, void *arg)
{
	struct init *in = arg;
	struct doc *cfg = settings(in);
	struct problems ps = {0};
	int r = -1;

	/* The one way settings are written: the schema, settings_check(), read back. */
	if (casus_put_config(t, NULL, cfg, "create the settings", &ps) != 0) {
		if (ps.n)
			err_set("cannot create the settings: %s: %s", ps.v[0].path, ps.v[0].msg);
		goto done;
	}
	/* The first member writes with the key just registered, as everyone after them will. */
	txn_author(t, in->name, in->email);
	casus_message(t, "create store", NULL, NULL);
	txn_trailer(t, "Member", in->email);
	r = 0;
done:
	problems_free(&ps);
	doc_free(cfg);
	return r;
}

/* The allowed-signers file of the new store, under its lock (see store_change_then()). */
static int
signers(struct store *s, void *arg)
{
	(void)arg;
	return casus_signers_update(s);
}

/* Removes what lies below DIR, and DIR itself unless it existed before we started. */
static bool dir_existed;

static int
rm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)st, (void)type;
	if (ftw->level == 0 && dir_existed)
		return 0;
	return remove(path);
}

/*
 * case-init --hook DIR: the guard for a store that exists, one with settings (a casus store),
 * so that a store made before the guard, or without --hook, gets it too. Prints the hook's path.
 */
static int
install_hook(const char *dir)
{
	struct store *s = casus_open(dir);
	struct settings *cfg = casus_settings(s);
	char *path = NULL;
	int r = guard_install(s, &path);

	if (r < 0)
		err_print();
	else
		printf("%s\n", path);
	free(path);
	settings_free(cfg);
	store_close(s);
	return r < 0 ? EXIT_ERROR : EXIT_YES;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"institution", required_argument, NULL, 'i'},
		{"partner", required_argument, NULL, 'p'},
		{"role", required_argument, NULL, 'r'},
		{"hook", no_argument, NULL, 'k'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct init in = {0};
	struct store *s = NULL;
	char *hookpath = NULL;
	struct date today;
	const unsigned char *pk;
	const char *dir;
	bool hook = false;
	int c, r;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS, longopts, NULL)) != -1) {
		switch (c) {
		case 'i':
			in.institution = optarg;
			break;
		case 'p':
			in.partner = optarg;
			break;
		case 'r':
			in.role = optarg;
			break;
		case 'k':
			hook = true;
			break;
		default:
			cli_option(&cli, c);
		}
	}
	/* The frame's -C names an existing store; the store case-init makes is DIR. */
	if (cli.dir != NULL)
		cli_usage_error(&cli, "-C is not for case-init: give the new store as DIR");
	if (argc - optind != 1)
		cli_usage_error(&cli, "expected one DIR");
	if (hook && in.institution == NULL && in.partner == NULL && in.role == NULL)
		return install_hook(argv[optind]);
	if (in.institution == NULL || in.partner == NULL)
		cli_usage_error(&cli, "--institution and --partner are required");
	dir = argv[optind];
	if (!text_ok(in.institution, strlen(in.institution), false) ||
	    (in.role && !text_ok(in.role, strlen(in.role), false)))
		die("cannot create store '%s': the institution and role must be UTF-8 text without control characters", dir);
	if (vocab_find(vocab_partners, in.partner) < 0) {
		char *known = vocab_list(vocab_partners);

		die("cannot use partner '%s': not one of %s", in.partner, known);
	}
	if (date_today(&today) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	date_format(today, in.today);
	dir_existed = access(dir, F_OK) == 0;
	if (store_create(dir) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	r = store_open(&s, dir);
	if (r == 0)
		r = store_identity(s, &in.name, &in.email);
	if (r == 0 && (pk = casus_use_key(s)) == NULL)
		r = -1;
	if (r == 0) {
		in.key = key_public_line(pk, in.email);
		r = store_change_then(s, write_settings, &in, signers);
	}
	if (r == STORE_COMMITTED && hook)
		r = guard_install(s, &hookpath) == 0 ? STORE_COMMITTED : -1;
	free(hookpath);
	if (r != STORE_COMMITTED) {
		err_print();
		store_close(s);
		/* We made DIR a moment ago and nothing else can have used it yet. */
		nftw(dir, rm_entry, 16, FTW_DEPTH | FTW_PHYS);
		free(in.name);
		free(in.email);
		free(in.key);
		return EXIT_ERROR;
	}
	printf("%s\n", store_path(s));
	store_close(s);
	free(in.name);
	free(in.email);
	free(in.key);
	return EXIT_YES;
}
