/*
 * case-config: reads and sets the store's settings (casus.yaml), git-config style, by dotted
 * path. Every change is validated whole before it is stored, and is one commit.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "cli.h"
#include "edit.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: case-config [-C DIR] [KEY [VALUE]] [-m REASON]\n"
    "       case-config [-C DIR] --edit [-m REASON]\n"
    "       case-config [-C DIR] --file FILE|- [-m REASON]\n"
    "\n"
    "Show or change the store's settings (casus.yaml). KEY is a dotted path such as\n"
    "overleg.cadence or partners.welzijn.shares_under_458ter; a number selects an item of a list\n"
    "(members.0.role). Without KEY, print the whole file; with KEY, print its value (exit 1 if\n"
    "it is not set); with KEY and VALUE, set it. VALUE is read as YAML: true, 12, text.\n"
    "partners.P.shares_under_458ter true or false switches art. 458ter sharing on or off from\n"
    "today; the earlier periods stay.\n"
    "\n"
    "  -C DIR               the store (default: $CASUS_REPO, else the current directory)\n"
    "  -e, --edit           edit the whole file in $VISUAL or $EDITOR\n"
    "  -f, --file FILE      replace the whole file with FILE (- for standard input)\n"
    "  -m, --message REASON why, for the history\n"
    "  -h, --help           show this help\n"
    "      --version        show the version\n";

struct config_set {
	const char *key, *value, *reason;
	struct doc *whole;      /* --edit / --file: the new settings */
	const char *base;       /* --edit: the settings the editor started from */
	size_t baselen;
	struct problems ps;     /* why a KEY VALUE change was refused */
	struct date today;
};

/*
 * partners.P.shares_under_458ter set to true or false switches the dated setting (R11): a
 * period opens or closes today and the earlier ones stay. Returns the new settings, or NULL
 * if key is no such switch (then it is set as any other key).
 */
static struct doc *
switch_458ter(const struct settings *cfg, const char *key, const struct doc *val, struct date today)
{
	static const char tail[] = ".shares_under_458ter";
	size_t klen = strlen(key), n = strlen("partners.");
	struct doc *next;
	char *partner;

	if (val->type != DOC_BOOL || strncmp(key, "partners.", n) != 0 || klen <= n + strlen(tail) ||
	    strcmp(key + klen - strlen(tail), tail) != 0)
		return NULL;
	partner = xstrndup(key + n, klen - n - strlen(tail));
	next = doc_clone(cfg->doc);
	if (strchr(partner, '.') || settings_switch_458ter(next, cfg, partner, val->b, today) < 0) {
		err_clear();
		doc_free(next);
		next = NULL;
	}
	free(partner);
	return next;
}

/*
 * A KEY is names of the settings' maps and indexes of its lists, joined by dots: each part
 * letters, digits, '-' or '_'. strtok_r() would read "overleg..cadence" or ".overleg.cadence."
 * as overleg.cadence, and the key also becomes a commit trailer (Setting:), so what is not a
 * key is refused rather than mended.
 */
static int
key_check(const char *key)
{
	const char *p = key;

	for (;;) {
		size_t n = strspn(p, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_");

		if (n == 0 || (p[n] != '.' && p[n] != '\0')) {
			err_set("cannot use key '%s': it must be names or list indexes of letters, digits, "
			    "'-' and '_', joined by single dots", key);
			return -1;
		}
		if (p[n] == '\0')
			return 0;
		p += n + 1;
	}
}

/* Finds the node at a dotted path; with create, makes the maps that are missing. */
static struct doc *
walk(struct doc *d, const char *key, bool create, struct doc **parent, char **last)
{
	char *copy = xstrdup(key), *seg, *save = NULL, *next;
	struct doc *cur = d, *p = NULL;

	*last = NULL;
	for (seg = strtok_r(copy, ".", &save); seg && cur; seg = next) {
		next = strtok_r(NULL, ".", &save);
		p = cur;
		free(*last);
		*last = xstrdup(seg);
		if (cur->type == DOC_SEQ) {
			char *end;
			unsigned long i = strtoul(seg, &end, 10);

			cur = *end == '\0' && end != seg && i < cur->n ? cur->items[i] : NULL;
		} else if (cur->type == DOC_MAP) {
			struct doc *v = doc_get(cur, seg);

			if (v == NULL && create && next) {
				v = doc_new(DOC_MAP);
				doc_set(cur, seg, v);
			}
			cur = v;
		} else {
			cur = NULL;
		}
		if (cur == NULL && next)
			p = NULL;
	}
	free(copy);
	if (parent)
		*parent = p;
	return cur;
}

static int
validate(struct doc *cfg, struct problems *ps)
{
	struct settings *ok = settings_validate(cfg, CASUS_CONFIG, ps);

	settings_free(ok);
	return ok ? 0 : -1;
}

/*
 * Gives a VALUE from the command line the line of the node it replaces (0 for a new key), so a
 * problem points into casus.yaml rather than at line 1, where VALUE itself was parsed.
 */
static void
place(struct doc *d, int line)
{
	d->line = line;
	for (size_t i = 0; d->type == DOC_SEQ && i < d->n; i++)
		place(d->items[i], line);
	for (size_t i = 0; d->type == DOC_MAP && i < d->n; i++) {
		d->pairs[i].line = line;
		place(d->pairs[i].val, line);
	}
}

/* Sets KEY to val in a copy of cfg; returns the copy if it is valid, else NULL and problems. */
static struct doc *
try_set(const struct doc *cfg, const char *key, struct doc *val, struct problems *ps)
{
	struct doc *copy = doc_clone(cfg), *parent, *cur;
	char *last;

	cur = walk(copy, key, true, &parent, &last);
	place(val, cur ? cur->line : 0);
	if (parent == NULL || parent->type == DOC_SEQ) {
		if (parent && parent->type == DOC_SEQ) {
			char *end;
			unsigned long i = strtoul(last, &end, 10);

			if (*end == '\0' && i < parent->n) {
				doc_free(parent->items[i]);
				parent->items[i] = val;
				val = NULL;
			}
		}
		if (val) {
			problems_add(ps, CASUS_CONFIG, 0, key, "no such place in the settings");
			doc_free(val);
			doc_free(copy);
			free(last);
			return NULL;
		}
	} else if (parent->type == DOC_MAP) {
		doc_set(parent, last, val);
	} else {
		problems_add(ps, CASUS_CONFIG, 0, key, "no such place in the settings");
		doc_free(val);
		doc_free(copy);
		free(last);
		return NULL;
	}
	free(last);
	if (validate(copy, ps) < 0) {
		doc_free(copy);
		return NULL;
	}
	return copy;
}

/* Refuses the change with the problems in cs->ps. */
static int
refuse(struct config_set *cs)
{
	err_set("cannot change the settings: %zu problem%s", cs->ps.n, cs->ps.n == 1 ? "" : "s");
	return STORE_REFUSED;
}

static int
set(struct casus_tx *c, void *arg)
{
	struct config_set *cs = arg;
	struct doc *next = NULL, *typed;
	int r;

	problems_free(&cs->ps);
	if (cs->base) {
		char *cur;
		size_t curlen;
		bool same;

		if (txn_read(c->t, CASUS_CONFIG, &cur, &curlen) != 0)
			return -1;
		same = curlen == cs->baselen && memcmp(cur, cs->base, curlen) == 0;
		free(cur);
		if (!same) {
			err_set("cannot replace the settings: someone else changed them while you edited them");
			return -1;
		}
	}
	if (cs->whole) {
		next = doc_clone(cs->whole);
		casus_message(c->t, "replace settings", NULL, cs->reason);
	} else {
		struct problems again = {0};

		if (doc_parse(cs->value, strlen(cs->value), "VALUE", &doc_limits_casus, &typed, &cs->ps) < 0)
			return refuse(cs);
		next = switch_458ter(c->cfg, cs->key, typed, cs->today);
		/* "true" may be meant as text where the schema wants text: try that before refusing. */
		if (next) {
			doc_free(typed);
		} else if (typed->type != DOC_STR) {
			next = try_set(c->cfg->doc, cs->key, typed, &cs->ps);
			if (next == NULL) {
				next = try_set(c->cfg->doc, cs->key, doc_new_str(cs->value), &again);
				if (next)
					problems_free(&cs->ps);
			}
		} else {
			next = try_set(c->cfg->doc, cs->key, typed, &cs->ps);
		}
		problems_free(&again);
		if (next == NULL)
			return refuse(cs);
		casus_message(c->t, "set setting", NULL, cs->reason);
		txn_trailer(c->t, "Setting", cs->key);
	}
	/* Checked whole again, and against every case the change could break. */
	r = casus_put_config(c->t, c->cfg, next, "change the settings", &cs->ps);
	doc_free(next);
	return r;
}

static int
check_whole(const char *buf, size_t len, struct problems *ps, void *arg)
{
	struct config_set *cs = arg;
	struct doc *d = casus_parse(buf, len, CASUS_CONFIG, "casus", ps);

	struct settings *ok;

	if (d == NULL)
		return -1;
	ok = settings_validate(d, CASUS_CONFIG, ps);
	settings_free(ok);
	if (ok == NULL) {
		doc_free(d);
		return -1;
	}
	doc_free(cs->whole);
	cs->whole = d;
	return 0;
}

static int
show(struct store *s, const char *key)
{
	struct settings *cfg = casus_settings(s);
	struct doc *v, *parent;
	char *last, *out;
	size_t len;
	int status = EXIT_YES;

	v = walk(cfg->doc, key, false, &parent, &last);
	free(last);
	if (v == NULL)
		status = EXIT_NO;
	else if (v->type == DOC_STR) {
		out_text(stdout, v->s, v->len, true);
		putchar('\n');
	} else if (v->type == DOC_INT)
		printf("%lld\n", v->i);
	else if (v->type == DOC_BOOL)
		puts(v->b ? "true" : "false");
	else if (v->type == DOC_NULL)
		puts("null");
	else if (doc_emit_yaml(v, &out, &len) == 0) {
		out_text(stdout, out, len, true);
		free(out);
	} else {
		err_print();
		status = EXIT_ERROR;
	}
	settings_free(cfg);
	return status;
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"edit", no_argument, NULL, 'e'},
		{"file", required_argument, NULL, 'f'},
		{"message", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	struct cli cli;
	struct config_set cs = {0};
	struct store *s;
	const char *file = NULL;
	char *buf = NULL, *kept = NULL;
	size_t len;
	int c, r, status = EXIT_ERROR, nargs;
	bool edit = false;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "ef:m:", longopts, NULL)) != -1) {
		switch (c) {
		case 'e':
			edit = true;
			break;
		case 'f':
			file = optarg;
			break;
		case 'm':
			cs.reason = optarg;
			break;
		default:
			cli_option(&cli, c);
		}
	}
	nargs = argc - optind;
	if (nargs > 2 || ((edit || file) && nargs > 0) || (edit && file))
		cli_usage_error(&cli, "expected KEY [VALUE], --edit or --file");
	if (casus_reason_check(cs.reason) < 0 || date_today(&cs.today) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	if (nargs >= 1) {
		cs.key = argv[optind];
		if (key_check(cs.key) < 0) {
			err_print();
			return EXIT_ERROR;
		}
	}
	if (nargs == 2)
		cs.value = argv[optind + 1];
	if (cs.value && !text_ok(cs.value, strlen(cs.value), false))
		die("cannot set '%s': the value must be UTF-8 text without control characters", cs.key);
	s = casus_open(cli.dir);
	if (nargs == 0 && !edit && !file) {
		r = store_read(s, CASUS_CONFIG, &buf, &len);
		if (r == 0)
			fwrite(buf, 1, len, stdout);
		else if (r == STORE_NOTFOUND)
			err_set("cannot read '%s': the store has no settings", CASUS_CONFIG);
		if (r != 0)
			err_print();
		free(buf);
		store_close(s);
		return r == 0 ? EXIT_YES : EXIT_ERROR;
	}
	if (nargs == 1) {
		status = show(s, cs.key);
		store_close(s);
		return status;
	}
	if (file || edit) {
		/* Problems name casus.yaml, the file the replacement is checked as. */
		if (file && read_input(file, doc_limits_casus.max_bytes, &buf, &len) == 0)
			r = check_whole(buf, len, &cs.ps, &cs) == 0 && cs.ps.n == 0 ? 0 : -1;
		else if (file)
			r = -1;
		else {
			r = casus_may_write(s, NULL);
			if (r == 0)
				r = store_read(s, CASUS_CONFIG, &buf, &len);
		}
		if (r != 0 && cs.ps.n == 0) {
			err_print();
			goto out;
		}
		if (r != 0) {
			problems_print(&cs.ps, stderr, progname);
			warnmsg("cannot replace the settings: %zu problem%s, nothing stored", cs.ps.n,
			    cs.ps.n == 1 ? "" : "s");
			goto out;
		}
		if (edit) {
			char *text = NULL;
			size_t tlen;

			r = edit_loop("casus.yaml", buf, len, check_whole, &cs, &text, &tlen, &kept);
			free(text);
			cs.base = buf;
			cs.baselen = len;
			if (r != 0) {
				if (r < 0)
					err_print();
				else
					warnmsg("cannot replace the settings: %s, nothing stored", edit_aborted(r));
				/* As git commit with an empty message: nothing stored is a "no". */
				status = r < 0 ? EXIT_ERROR : EXIT_NO;
				goto out;
			}
		}
	}
	r = casus_change(s, set, &cs);
	if (r == STORE_REFUSED) {
		problems_print(&cs.ps, stderr, progname);
		warnmsg("%s, nothing stored", err_last());
		status = EXIT_ERROR;
	} else {
		status = casus_exit(r);
	}
	/* Saved from the editor as the settings are: nothing stored, as above. */
	if (edit && r == STORE_UNCHANGED) {
		warnmsg("no change to the settings; nothing stored");
		status = EXIT_NO;
	}
	/* The error first, then where the user's work is kept. */
	if (kept && r != STORE_COMMITTED && r != STORE_UNCHANGED)
		warnmsg("your version is kept in '%s'", kept);
	else if (kept)
		remove(kept);
out:
	free(kept);
	problems_free(&cs.ps);
	doc_free(cs.whole);
	free(buf);
	store_close(s);
	return status;
}
