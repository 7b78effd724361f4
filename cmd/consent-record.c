/*
 * consent-record: records a consent the detainee gave, a refusal, a withdrawal of an earlier
 * consent, or a legal basis under art. 458ter (R10, R11). Each record is a new file that no
 * program ever changes or deletes; the commit names the case and the record ID, nothing else.
 * Prints the record's ID alone on stdout, for scripts.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "casus.h"
#include "cli.h"
#include "consent.h"
#include "mem.h"
#include "msg.h"

static const char usage[] =
    "usage: consent-record [-C DIR] CASE-ID --to PARTNER[,...] --categories CAT[,...]\n"
    "                      --purpose PURPOSE [--date DATE] [--until DATE]\n"
    "                      [--how written|oral|interpreter] [--evidence REF] [--informed]\n"
    "                      [--refused] [-m REASON]\n"
    "       consent-record [-C DIR] CASE-ID --withdraw CONSENT-ID [--date DATE]\n"
    "                      [--how HOW] [--evidence REF] [-m REASON]\n"
    "       consent-record [-C DIR] CASE-ID --basis law|prosecutor --reference REF\n"
    "                      --to PARTNER[,...] --categories CAT[,...] --purpose PURPOSE\n"
    "                      [--date DATE] [--until DATE] [-m REASON]\n"
    "\n"
    "Record the detainee's informed consent to share information between partners, a\n"
    "refusal, a withdrawal, or a legal basis under art. 458ter of the Criminal Code.\n"
    "\n"
    "  -C DIR                the store (default: $CASUS_REPO, else the current directory)\n"
    "  --to PARTNER,...      the recipients (for --basis: the participating partners)\n"
    "  --categories CAT,...  the information categories, as in casus.yaml\n"
    "  --purpose PURPOSE     casusoverleg, reintegration or aftercare; for --basis:\n"
    "                        integrity, terrorism or criminal-organisation\n"
    "  --date DATE           when it was given, refused or withdrawn (default: today)\n"
    "  --until DATE          the last day it holds (a refusal holds until a new consent)\n"
    "  --how HOW             written (the default), oral, or interpreter\n"
    "  --evidence REF        a reference to the evidence, e.g. the number of the signed form\n"
    "  --informed            the detainee was told that refusing or withdrawing has no\n"
    "                        consequences\n"
    "  --refused             record a refusal instead of a consent\n"
    "  --withdraw ID         record the withdrawal of consent ID, or the end of legal basis ID\n"
    "  --basis KIND          record a legal basis: law (a law, decree or ordinance) or\n"
    "                        prosecutor (the reasoned permission of the public prosecutor)\n"
    "  --reference REF       the reference of the law or of the prosecutor's permission\n"
    "  -m, --message REASON  why, for the history\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

struct rec_args {
	const char *id, *kind, *to, *categories, *purpose, *date, *until, *how, *evidence;
	const char *withdraw, *basis, *reference, *reason;
	bool informed;
	const char *author;     /* who records it: the author of the change */
	char today[11];
	char recid[32];
};

/* Splits "a,b" into a sequence, checking each item with known(); -1 with err_set(). */
static struct doc *
split(const char *arg, const char *what, const struct settings *cfg, bool partners)
{
	struct doc *seq = doc_new(DOC_SEQ);
	char *copy = xstrdup(arg), *save = NULL;

	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
		if (partners ? settings_partner(cfg, p) == NULL : settings_category(cfg, p) == NULL) {
			char *all = partners ? settings_partner_list(cfg) : settings_category_list(cfg);

			err_set("cannot record: unknown %s '%s' (known: %s)", what, p, all);
			free(all);
			goto fail;
		}
		for (size_t i = 0; i < seq->n; i++)
			if (strcmp(seq->items[i]->s, p) == 0) {
				err_set("cannot record: %s '%s' is named twice", what, p);
				goto fail;
			}
		doc_push(seq, doc_new_str(p));
	}
	if (seq->n == 0) {
		err_set("cannot record: no %s given", what);
		goto fail;
	}
	free(copy);
	return seq;
fail:
	free(copy);
	doc_free(seq);
	return NULL;
}

static int
new_id(const char *kind, const char *date, char out[32])
{
	unsigned char rnd[3];
	int fd = open("/dev/urandom", O_RDONLY | O_CLOEXEC);

	if (fd < 0 || read(fd, rnd, sizeof rnd) != (ssize_t)sizeof rnd) {
		if (fd >= 0)
			close(fd);
		err_set("cannot make a record ID: no randomness from /dev/urandom");
		return -1;
	}
	close(fd);
	snprintf(out, 32, "%c-%.4s%.2s%.2s-%02x%02x%02x", kind[0] == 'b' ? 'b' : kind[0], date,
	    date + 5, date + 8, rnd[0], rnd[1], rnd[2]);
	return 0;
}

static struct doc *
build(struct rec_args *a, const struct settings *cfg, const struct records *rs)
{
	struct doc *rec = doc_new(DOC_MAP), *l;
	const struct doc *c;

	doc_set(rec, "id", doc_new_str(a->recid));
	doc_set(rec, "case_id", doc_new_str(a->id));
	doc_set(rec, "kind", doc_new_str(a->kind));
	doc_set(rec, "date", doc_new_str(a->date));
	doc_set(rec, "recorded", doc_new_str(a->today));
	doc_set(rec, "recorded_by", doc_new_str(a->author));
	if (strcmp(a->kind, "withdrawal") == 0) {
		const char *what = a->withdraw[0] == 'b' ? "legal basis" : "consent";

		c = records_find(rs, a->withdraw);
		if (c == NULL) {
			err_set("cannot record the withdrawal: case '%s' has no %s '%s'", a->id, what, a->withdraw);
			goto fail;
		}
		if (records_withdrawal(rs, a->withdraw, NULL)) {
			err_set("cannot record the withdrawal: %s '%s' was withdrawn already (%s)", what,
			    a->withdraw, doc_get_str(records_withdrawal(rs, a->withdraw, NULL), "id"));
			goto fail;
		}
		if (strcmp(a->date, doc_get_str(c, "date")) < 0) {
			err_set("cannot record the withdrawal: %s is before the %s took effect (%s)",
			    a->date, what, doc_get_str(c, "date"));
			goto fail;
		}
		doc_set(rec, "withdraws", doc_new_str(a->withdraw));
	}
	if (strcmp(a->kind, "basis") == 0) {
		doc_set(rec, "basis", doc_new_str(a->basis));
		doc_set(rec, "reference", doc_new_str(a->reference));
	} else if (a->how) {
		doc_set(rec, "how", doc_new_str(a->how));
	}
	if (a->evidence)
		doc_set(rec, "evidence", doc_new_str(a->evidence));
	if (strcmp(a->kind, "consent") == 0 || strcmp(a->kind, "refusal") == 0)
		doc_set(rec, "informed", doc_new_bool(a->informed));
	if (a->to) {
		l = split(a->to, "partner", cfg, true);
		if (l == NULL)
			goto fail;
		doc_set(rec, strcmp(a->kind, "basis") == 0 ? "participants" : "to", l);
	}
	if (a->categories) {
		l = split(a->categories, "category", cfg, false);
		if (l == NULL)
			goto fail;
		doc_set(rec, "categories", l);
	}
	if (a->purpose)
		doc_set(rec, "purpose", doc_new_str(a->purpose));
	if (a->until)
		doc_set(rec, "until", doc_new_str(a->until));
	return rec;
fail:
	doc_free(rec);
	return NULL;
}

static int
record(struct casus_tx *c, void *arg)
{
	struct rec_args *a = arg;
	struct records rs;
	struct problems ps = {0};
	struct doc *rec = NULL;
	char *dir = case_path(a->id, "consent");
	char *path = NULL, *out = NULL, *subject;
	size_t len;
	int r = case_exists(c->v, a->id) == 1 ? records_read(c->v, a->id, &rs) : -1;

	if (r != 0) {
		free(dir);
		return -1;
	}
	r = -1;
	/* A new name each time; never over a record that is there. */
	do {
		free(path);
		path = NULL;
		if (new_id(a->kind, a->date, a->recid) < 0)
			goto done;
		path = xasprintf("%s/%s.yaml", dir, a->recid);
	} while (records_find(&rs, a->recid));
	a->author = txn_author_email(c->t);
	rec = build(a, c->cfg, &rs);
	if (rec == NULL)
		goto done;
	if (!schema_validate(casus_schema("consent"), rec, path, &ps)) {
		err_set("cannot record: %s%s%s", ps.v[0].path, ps.v[0].path[0] ? ": " : "", ps.v[0].msg);
		goto done;
	}
	if (casus_dump(rec, "consent", &out, &len) < 0 || txn_write(c->t, path, out, len) < 0)
		goto done;
	subject = xasprintf("record %s", strcmp(a->kind, "basis") == 0 ? "legal basis" : a->kind);
	casus_message(c->t, subject, a->id, a->reason);
	free(subject);
	txn_trailer(c->t, "Record-Id", a->recid);
	if (a->withdraw)
		txn_trailer(c->t, "Withdraws", a->withdraw);
	r = 0;
done:
	problems_free(&ps);
	doc_free(rec);
	records_free(&rs);
	free(out);
	free(path);
	free(dir);
	return r;
}

static void
check_date(const char *opt, const char *v)
{
	struct date d;

	if (v && date_parse(v, strlen(v), &d) < 0)
		die("cannot use --%s '%s': not a valid date (YYYY-MM-DD)", opt, v);
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"to", required_argument, NULL, 't'},
		{"categories", required_argument, NULL, 'c'},
		{"purpose", required_argument, NULL, 'p'},
		{"date", required_argument, NULL, 'd'},
		{"until", required_argument, NULL, 'u'},
		{"how", required_argument, NULL, 'w'},
		{"evidence", required_argument, NULL, 'e'},
		{"informed", no_argument, NULL, 'I'},
		{"refused", no_argument, NULL, 'R'},
		{"withdraw", required_argument, NULL, 'W'},
		{"basis", required_argument, NULL, 'b'},
		{"reference", required_argument, NULL, 'r'},
		{"message", required_argument, NULL, 'm'},
		{NULL, 0, NULL, 0},
	};
	static const char *const hows[] = {"written", "oral", "interpreter", NULL};
	static const char *const bases[] = {"law", "prosecutor", NULL};
	struct cli cli;
	struct rec_args a = {.kind = "consent"};
	struct store *s;
	struct date today;
	bool refused = false;
	int c, r;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "m:", longopts, NULL)) != -1) {
		switch (c) {
		case 't': a.to = optarg; break;
		case 'c': a.categories = optarg; break;
		case 'p': a.purpose = optarg; break;
		case 'd': a.date = optarg; break;
		case 'u': a.until = optarg; break;
		case 'w': a.how = optarg; break;
		case 'e': a.evidence = optarg; break;
		case 'I': a.informed = true; break;
		case 'R': refused = true; break;
		case 'W': a.withdraw = optarg; break;
		case 'b': a.basis = optarg; break;
		case 'r': a.reference = optarg; break;
		case 'm': a.reason = optarg; break;
		default: cli_option(&cli, c);
		}
	}
	if (argc - optind != 1)
		cli_usage_error(&cli, "expected one CASE-ID");
	a.id = argv[optind];
	if ((refused != 0) + (a.withdraw != NULL) + (a.basis != NULL) > 1)
		cli_usage_error(&cli, "--refused, --withdraw and --basis go alone");
	if (a.withdraw) {
		a.kind = "withdrawal";
		if (a.to || a.categories || a.purpose || a.until || a.informed || a.reference)
			cli_usage_error(&cli, "--withdraw takes only --date, --how, --evidence and -m");
	} else {
		a.kind = a.basis ? "basis" : refused ? "refusal" : "consent";
		if (!a.to || !a.categories || !a.purpose)
			cli_usage_error(&cli, "--to, --categories and --purpose are required");
		if (a.basis && (!a.reference || a.how || a.evidence || a.informed))
			cli_usage_error(&cli, "--basis takes --reference, and no --how, --evidence or --informed");
		if (!a.basis && a.reference)
			cli_usage_error(&cli, "--reference goes with --basis");
		if (refused && a.until)
			cli_usage_error(&cli, "--until does not go with --refused: a refusal holds until a new consent");
	}
	if (case_id_check(a.id) < 0 || casus_reason_check(a.reason) < 0 || date_today(&today) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	date_format(today, a.today);
	if (a.date == NULL)
		a.date = a.today;
	check_date("date", a.date);
	check_date("until", a.until);
	if (a.until && strcmp(a.until, a.date) < 0)
		die("cannot record: --until %s is before --date %s", a.until, a.date);
	if (a.how && !str_in_list(hows, a.how))
		die("cannot use --how '%s': not one of written, oral, interpreter", a.how);
	if (a.how == NULL && !a.basis && !a.withdraw)
		a.how = "written";
	if (a.basis && !str_in_list(bases, a.basis))
		die("cannot use --basis '%s': not one of law, prosecutor", a.basis);
	if (a.purpose && !str_in_list(a.basis ? basis_purposes : consent_purposes, a.purpose))
		die("cannot use --purpose '%s': not one of %s", a.purpose,
		    a.basis ? "integrity, terrorism, criminal-organisation" : "casusoverleg, reintegration, aftercare");
	if (a.withdraw && (strlen(a.withdraw) != 17 || (strncmp(a.withdraw, "c-", 2) != 0 &&
	    strncmp(a.withdraw, "b-", 2) != 0)))
		die("cannot withdraw '%s': not the ID of a consent or a legal basis (c-... or b-...)", a.withdraw);
	/*
	 * What the detainee said is recorded once it was said: a consent, refusal or withdrawal
	 * dated after today is refused. A basis may take effect later, as its permission says.
	 */
	if (!a.basis && strcmp(a.date, a.today) > 0)
		die("cannot record: --date %s is after today (%s)", a.date, a.today);
	if ((a.evidence && !text_ok(a.evidence, strlen(a.evidence), false)) ||
	    (a.reference && !text_ok(a.reference, strlen(a.reference), false)))
		die("cannot record: --evidence and --reference must be text without control characters");
	s = casus_open(cli.dir);
	r = casus_change(s, record, &a);
	if (r == STORE_COMMITTED) {
		printf("%s\n", a.recid);
		if (strcmp(a.kind, "consent") == 0 && !a.informed)
			warnmsg("note: %s says the detainee was not told that refusing or withdrawing has no consequences", a.recid);
		if (a.withdraw && strcmp(a.date, a.today) < 0)
			warnmsg("note: %s takes effect from %s, before today: share-check now answers no for the days between",
			    a.recid, a.date);
	}
	store_close(s);
	return casus_exit(r);
}
