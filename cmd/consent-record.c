/*
 * consent-record: records a consent the detainee gave, a refusal, a withdrawal of an earlier
 * consent, or a legal basis under art. 458ter (R10, R11). Each record is a new file that no
 * program ever changes or deletes; the commit names the case and the record ID, nothing else.
 * Prints the record's ID alone on stdout, for scripts.
 */
#include <fcntl.h>
#include <strings.h>
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
    "usage: consent-record [-C DIR] CASE-ID --from PARTNER[,...] --to PARTNER[,...]\n"
    "                      --categories CAT[,...] --purpose PURPOSE --told TEXT\n"
    "                      --language LANG [--date DATE] [--until DATE]\n"
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
    "  --from PARTNER,...    the partners whose information it covers (they hold it)\n"
    "  --to PARTNER,...      the recipients (for --basis: the participating partners)\n"
    "  --categories CAT,...  the information categories, as in casus.yaml\n"
    "  --purpose PURPOSE     casusoverleg, reintegration or aftercare; for --basis:\n"
    "                        integrity, terrorism or criminal-organisation\n"
    "  --date DATE           when it was given, refused or withdrawn (default: today)\n"
    "  --until DATE          the last day it holds (a refusal holds until a new consent)\n"
    "  --how HOW             written (the default), oral, or interpreter\n"
    "  --evidence REF        a reference to the evidence, e.g. the number of the signed form\n"
    "  --informed            the detainee was told that refusing or withdrawing has no\n"
    "                        consequences; without it a consent is kept but is no basis\n"
    "  --told TEXT           what the detainee was told, or a reference to the form read\n"
    "  --language LANG       the language they were told in, or the interpreter's\n"
    "  --refused             record a refusal instead of a consent\n"
    "  --withdraw ID         record the withdrawal of consent ID, or the end of legal basis ID\n"
    "  --basis KIND          record a legal basis: law (a law, decree or ordinance) or\n"
    "                        prosecutor (the reasoned permission of the public prosecutor)\n"
    "  --reference REF       the reference of the law or of the prosecutor's permission\n"
    "  -m, --message REASON  why, for the history (never the --evidence or --reference)\n"
    "  -h, --help            show this help\n"
    "      --version         show the version\n";

struct rec_args {
	const char *id, *from, *to, *categories, *date, *until, *evidence, *told, *language;
	const char *withdraw, *reference, *reason;
	enum record_kind kind;
	int how, basis, purpose;        /* indexes into vocab_how, vocab_basis_kinds, the kind's purposes; -1: none */
	bool informed;
	const char *author;     /* who records it: the author of the change */
	char today[11];
	char recid[32];
};

/*
 * Splits "a,b" into a sequence. Whether each name is known is consent_check()'s to say; a name
 * given twice is refused here, where the command line still shows what was typed.
 */
static struct doc *
split(const char *arg, const char *what)
{
	struct doc *seq = doc_new(DOC_SEQ);
	char *copy = xstrdup(arg), *save = NULL;

	for (char *p = strtok_r(copy, ",", &save); p; p = strtok_r(NULL, ",", &save)) {
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
new_id(enum record_kind kind, const char *date, char out[32])
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
	snprintf(out, 32, "%c-%.4s%.2s%.2s-%02x%02x%02x", consent_id_letter(kind), date,
	    date + 5, date + 8, rnd[0], rnd[1], rnd[2]);
	return 0;
}

/* The record as the options give it, before any check but the command line's. */
static struct doc *
build(const struct rec_args *a)
{
	struct doc *rec = doc_new(DOC_MAP), *l;

	doc_set(rec, "id", doc_new_str(a->recid));
	doc_set(rec, "case_id", doc_new_str(a->id));
	doc_set(rec, "kind", doc_new_str(vocab_word(vocab_record_kinds, a->kind)));
	doc_set(rec, "date", doc_new_str(a->date));
	doc_set(rec, "recorded", doc_new_str(a->today));
	doc_set(rec, "recorded_by", doc_new_str(a->author));
	if (a->withdraw)
		doc_set(rec, "withdraws", doc_new_str(a->withdraw));
	if (a->kind == RK_BASIS) {
		doc_set(rec, "basis", doc_new_str(vocab_word(vocab_basis_kinds, a->basis)));
		doc_set(rec, "reference", doc_new_str(a->reference));
	} else if (a->how >= 0) {
		doc_set(rec, "how", doc_new_str(vocab_word(vocab_how, a->how)));
	}
	if (a->evidence)
		doc_set(rec, "evidence", doc_new_str(a->evidence));
	if (a->kind == RK_CONSENT || a->kind == RK_REFUSAL)
		doc_set(rec, "informed", doc_new_bool(a->informed));
	if (a->told)
		doc_set(rec, "told", doc_new_str(a->told));
	if (a->language)
		doc_set(rec, "language", doc_new_str(a->language));
	if (a->from) {
		l = split(a->from, "partner");
		if (l == NULL)
			goto fail;
		doc_set(rec, "from", l);
	}
	if (a->to) {
		l = split(a->to, "partner");
		if (l == NULL)
			goto fail;
		doc_set(rec, a->kind == RK_BASIS ? "participants" : "to", l);
	}
	if (a->categories) {
		l = split(a->categories, "category");
		if (l == NULL)
			goto fail;
		doc_set(rec, "categories", l);
	}
	if (a->purpose >= 0)
		doc_set(rec, "purpose", doc_new_str(vocab_word(consent_purposes_for(a->kind), a->purpose)));
	if (a->until)
		doc_set(rec, "until", doc_new_str(a->until));
	return rec;
fail:
	doc_free(rec);
	return NULL;
}

/*
 * The first problem consent_check() found, as the refusal of this command line: the two date
 * rules are said with the options that gave the dates (consent.h: those paths have no other
 * rule), the withdrawal's as a refusal of the withdrawal.
 */
static void
refuse(const struct rec_args *a, const struct problem *p)
{
	if (strcmp(p->path, "date") == 0)
		err_set("cannot record: --date %s is after today (%s)", a->date, a->today);
	else if (strcmp(p->path, "until") == 0)
		err_set("cannot record: --until %s is before --date %s", a->until, a->date);
	else if (a->kind == RK_WITHDRAWAL)
		err_set("cannot record the withdrawal: %s", p->msg);
	else
		err_set("cannot record: %s", p->msg);
}

static int
record(struct casus_tx *c, void *arg)
{
	struct rec_args *a = arg;
	struct case_data cd = {.id = (char *)a->id};
	struct problems ps = {0};
	struct consent_record *rec = NULL;
	struct doc *d;
	char *dir = case_path(a->id, "consent");
	char *path = NULL, *out = NULL, *subject;
	size_t len;
	int r = case_exists(c->v, a->id);

	if (r != 1 || records_read(c->v, a->id, &cd.rs) < 0) {
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
	} while (records_find(&cd.rs, a->recid));
	a->author = txn_author_email(c->t);
	d = build(a);
	if (d == NULL)
		goto done;
	if (!schema_validate(casus_schema("consent"), d, path, &ps)) {
		err_set("cannot record: %s%s%s", ps.v[0].path, ps.v[0].path[0] ? ": " : "", ps.v[0].msg);
		doc_free(d);
		goto done;
	}
	rec = consent_decode(d);
	if (rec == NULL)
		goto done;
	consent_check(c->cfg, &cd, rec, path, &ps);
	if (ps.n) {
		refuse(a, &ps.v[0]);
		goto done;
	}
	if (casus_dump(rec->doc, "consent", &out, &len) < 0 || txn_write(c->t, path, out, len) < 0)
		goto done;
	subject = xasprintf("record %s", vocab_label(vocab_record_kinds, a->kind));
	casus_message(c->t, subject, a->id, a->reason);
	free(subject);
	txn_trailer(c->t, "Record-Id", a->recid);
	if (a->withdraw)
		txn_trailer(c->t, "Withdraws", a->withdraw);
	r = 0;
done:
	problems_free(&ps);
	consent_free(rec);
	records_free(&cd.rs);
	free(out);
	free(path);
	free(dir);
	return r;
}

/* Whether s holds needle, ignoring ASCII case. */
static bool
contains(const char *s, const char *needle)
{
	size_t n = strlen(needle);

	for (; n && *s; s++)
		if (strncasecmp(s, needle, n) == 0)
			return true;
	return false;
}

/*
 * An evidence number or a basis reference points at a signed form or a prosecutor's letter:
 * it stays in the record, which can be sealed, never in the history, which every reader of
 * the store reads and nothing can take back.
 */
static void
check_reason(const struct rec_args *a)
{
	if (a->reason && a->evidence && contains(a->reason, a->evidence))
		die("cannot record: the reason (-m) contains the --evidence value: it belongs in the"
		    " record only, never in the history");
	if (a->reason && a->reference && contains(a->reason, a->reference))
		die("cannot record: the reason (-m) contains the --reference value: it belongs in the"
		    " record only, never in the history");
}

int
main(int argc, char **argv)
{
	static const struct option longopts[] = {
		CLI_LONGOPTS,
		{"from", required_argument, NULL, 'F'},
		{"to", required_argument, NULL, 't'},
		{"told", required_argument, NULL, 'T'},
		{"language", required_argument, NULL, 'L'},
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
	struct cli cli;
	struct rec_args a = {.kind = RK_CONSENT, .how = -1, .basis = -1, .purpose = -1};
	struct store *s;
	struct date today;
	const char *how = NULL, *basis = NULL, *purpose = NULL;
	bool refused = false;
	int c, r, k;

	cli_start(&cli, argc, argv, usage);
	while ((c = getopt_long(argc, argv, CLI_SHORTOPTS "m:", longopts, NULL)) != -1) {
		switch (c) {
		case 'F': a.from = optarg; break;
		case 't': a.to = optarg; break;
		case 'T': a.told = optarg; break;
		case 'L': a.language = optarg; break;
		case 'c': a.categories = optarg; break;
		case 'p': purpose = optarg; break;
		case 'd': a.date = optarg; break;
		case 'u': a.until = optarg; break;
		case 'w': how = optarg; break;
		case 'e': a.evidence = optarg; break;
		case 'I': a.informed = true; break;
		case 'R': refused = true; break;
		case 'W': a.withdraw = optarg; break;
		case 'b': basis = optarg; break;
		case 'r': a.reference = optarg; break;
		case 'm': a.reason = optarg; break;
		default: cli_option(&cli, c);
		}
	}
	if (argc - optind != 1)
		cli_usage_error(&cli, "expected one CASE-ID");
	a.id = argv[optind];
	if ((refused != 0) + (a.withdraw != NULL) + (basis != NULL) > 1)
		cli_usage_error(&cli, "--refused, --withdraw and --basis go alone");
	if (a.withdraw) {
		a.kind = RK_WITHDRAWAL;
		if (a.from || a.to || a.categories || purpose || a.until || a.informed || a.reference ||
		    a.told || a.language)
			cli_usage_error(&cli, "--withdraw takes only --date, --how, --evidence and -m");
	} else {
		a.kind = basis ? RK_BASIS : refused ? RK_REFUSAL : RK_CONSENT;
		if (!a.to || !a.categories || !purpose)
			cli_usage_error(&cli, "--to, --categories and --purpose are required");
		if (basis && (!a.reference || how || a.evidence || a.informed))
			cli_usage_error(&cli, "--basis takes --reference, and no --how, --evidence or --informed");
		if (basis && (a.from || a.told || a.language))
			cli_usage_error(&cli, "--basis names its participants with --to, and takes no --from,"
			    " --told or --language");
		if (!basis && a.reference)
			cli_usage_error(&cli, "--reference goes with --basis");
		if (refused && a.until)
			cli_usage_error(&cli, "--until does not go with --refused: a refusal holds until a new consent");
		if (!basis && (!a.from || !a.told || !a.language))
			cli_usage_error(&cli, "--from, --told and --language are required: whose information,"
			    " what the detainee was told, and in which language");
	}
	check_reason(&a);
	if (case_id_check(a.id) < 0 || casus_reason_check(a.reason) < 0 || date_today(&today) < 0) {
		err_print();
		return EXIT_ERROR;
	}
	date_format(today, a.today);
	if (a.date == NULL)
		a.date = a.today;
	cli_date("date", a.date);
	if (a.until)
		cli_date("until", a.until);
	if (how)
		a.how = cli_word("how", how, vocab_how);
	else if (a.kind != RK_BASIS && a.kind != RK_WITHDRAWAL)
		a.how = HOW_WRITTEN;
	if (basis)
		a.basis = cli_word("basis", basis, vocab_basis_kinds);
	if (purpose)
		a.purpose = cli_word("purpose", purpose, consent_purposes_for(a.kind));
	k = consent_id_kind(a.withdraw);
	if (a.withdraw && k != RK_CONSENT && k != RK_BASIS)
		die("cannot withdraw '%s': not the ID of a consent or a legal basis (c-... or b-...)", a.withdraw);
	if ((a.evidence && !text_ok(a.evidence, strlen(a.evidence), false)) ||
	    (a.reference && !text_ok(a.reference, strlen(a.reference), false)) ||
	    (a.told && !text_ok(a.told, strlen(a.told), false)) ||
	    (a.language && !text_ok(a.language, strlen(a.language), false)))
		die("cannot record: --evidence, --reference, --told and --language must be text without"
		    " control characters");
	s = casus_open(cli.dir);
	r = casus_change(s, record, &a);
	if (r == STORE_COMMITTED) {
		printf("%s\n", a.recid);
		if (a.kind == RK_CONSENT && !a.informed)
			warnmsg("note: %s says the detainee was not told that refusing or withdrawing has no"
			    " consequences: it is kept, but it is no basis for sharing", a.recid);
		if (a.withdraw && strcmp(a.date, a.today) < 0)
			warnmsg("note: %s takes effect from %s, before today: share-check now answers no for the days between",
			    a.recid, a.date);
	}
	store_close(s);
	return casus_exit(r);
}
