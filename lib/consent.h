/*
 * consent.h: a case's consent, refusal, withdrawal and legal-basis records (consent/<ID>.yaml,
 * R10, R11), decoded once after schema validation; the one check of what their schema cannot
 * say; the one status of a record on a day; and the one answer to "may partner TO receive
 * information of CATEGORY held by FROM, on DATE, for PURPOSE?" that share-check, plan-show
 * --for, the consultation minutes and release-check all use.
 */
#ifndef CASUS_CONSENT_H
#define CASUS_CONSENT_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "doc.h"
#include "problem.h"
#include "settings.h"
#include "store.h"
#include "vocab.h"

struct case_data;

/* A partner or category a record names, with the line a check reports it at. */
struct consent_name {
	const char *name;
	int line;
};

/*
 * One record. Strings point into doc, which the record owns (NULL when absent); dates are {0}
 * when absent (date_valid() says whether they are there). Which fields a kind has is the
 * schema's: a consent or refusal has how, informed, to, categories and purpose, and (recorded
 * since R10's whose-information rule) from, told and language; a withdrawal has withdraws; a
 * basis has basis, reference, participants, categories and basis_purpose. A consent or refusal
 * without from was recorded before consents named whose information they cover: nfrom is 0.
 */
struct consent_record {
	struct doc *doc;
	const char *id, *case_id;
	enum record_kind kind;
	struct date date;               /* given, refused or withdrawn; a basis: its first day */
	struct date recorded;           /* the day it was recorded in casus */
	const char *recorded_by;
	enum consent_how how;           /* HOW_N when absent */
	const char *evidence;
	bool informed;
	const char *told;               /* what the detainee was told, or a reference to the form */
	const char *language;           /* the language they were told in, or the interpreter's */
	struct consent_name *from, *to, *participants, *categories;
	size_t nfrom, nto, nparticipants, ncategories;
	enum purpose purpose;           /* consent, refusal; PURPOSE_N otherwise */
	enum basis_purpose basis_purpose;       /* basis; BP_N otherwise */
	struct date until;              /* the last day it holds; {0}: no end */
	const char *withdraws;          /* withdrawal: the ID of the consent or basis it ends */
	enum basis_kind basis;          /* basis; BASIS_N otherwise */
	const char *reference;
	int line, id_line, case_id_line, date_line, until_line, withdraws_line;
};

/*
 * Decodes d, a tree that passed the "consent" schema, taking ownership of it (freed even on
 * failure). Returns the record, or NULL with err_set("cannot read record '<id>': <field> is
 * not as the schema says") if d lacks the schema's shape.
 */
struct consent_record *consent_decode(struct doc *d);
void consent_free(struct consent_record *rec);          /* NULL is allowed */

/*
 * The letter a record ID starts with for kind k ('c', 'r', 'w', 'b'): "c-20260201-4f0a1c".
 * consent_id_kind() gives the kind an ID names by that letter, if id has the shape of a record
 * ID (the schema's pattern), else -1. id may be NULL (-1).
 */
char consent_id_letter(enum record_kind k);
int consent_id_kind(const char *id);

/* The purposes a record of kind k may name (vocab_purposes or vocab_basis_purposes); NULL for a withdrawal. */
const struct vocab *consent_purposes_for(enum record_kind k);
/* The word of rec's purpose ("casusoverleg", "integrity"), or NULL for a withdrawal. */
const char *consent_purpose_word(const struct consent_record *rec);

/* The records of one case, sorted by date, then by ID. Each is owned by the list. */
struct records {
	struct consent_record **v;
	size_t n;
};

/*
 * Reads, validates and decodes every record of case case_id through v (the schema, and each
 * file named after its ID, of this case). Returns 0 with out filled (records_free()), or -1
 * with err_set() naming the first bad file and out empty. Does not look for the case itself.
 */
int records_read(const struct view *v, const char *case_id, struct records *out);
void records_free(struct records *r);                   /* r's list; r itself is the caller's */
/* Adds rec to r in its place by date and ID; r takes ownership. */
void records_add(struct records *r, struct consent_record *rec);
/* The record with this ID, or NULL. */
const struct consent_record *records_find(const struct records *r, const char *id);
/* The first withdrawal of record id dated on or before date (any date if date is NULL), or NULL. */
const struct consent_record *records_withdrawal(const struct records *r, const char *id,
    const struct date *date);

/*
 * Appends to ps (at file:line) what consent-record refuses about rec and the schema cannot
 * say. cd holds the case's ID and records (cd->rs: rec may be among them, as in case-validate,
 * or not yet, as in consent-record); with cd NULL the checks that need the case are left out,
 * with cfg NULL (settings that cannot be read) those that need the settings.
 *   - from, to, participants and categories name partners and categories of cfg;
 *   - the ID starts with the letter of the kind (consent_id_letter()) and case_id is the case's;
 *   - path "date": a consent, refusal or withdrawal is not dated after the day it was recorded
 *     (what the detainee said is recorded once said; a basis may take effect later);
 *   - path "until": the last day is not before the first;
 *   - path "withdraws": a withdrawal ends a consent or a legal basis the case has, is dated on
 *     or after the day that took effect, and no other withdrawal before it ended it already.
 * The writer words the problems on "date" and "until" with its options' names; each path has
 * no other rule.
 */
void consent_check(const struct settings *cfg, const struct case_data *cd,
    const struct consent_record *rec, const char *file, struct problems *ps);

/* What a record is on a day. A refusal is in force from its date; a withdrawal is "effective". */
enum consent_status {
	CS_NOT_YET,     /* dated after the day */
	CS_IN_FORCE,
	CS_WITHDRAWN,   /* a withdrawal dated on or before the day ends it */
	CS_EXPIRED,     /* the day is after its until */
	CS_NO_BASIS,    /* a consent that would be in force but is no basis (consent_no_basis()) */
	CS_OUTWEIGHED,  /* a refusal that a later consent in force covers in full (R10) */
};

/*
 * Why consent rec, dated and in force, is still no basis for sharing (R10), or NULL when it is
 * one or rec is not a consent: "given without being informed" when the detainee was not told
 * that refusing or withdrawing has no consequences; "names no partner whose information it
 * covers" for one stored before consents had from. A static string.
 */
const char *consent_no_basis(const struct consent_record *rec);

/*
 * The status of rec in r on day on: the one rule that consent-show prints and share_decide()
 * follows. If by is not NULL, it is set to the withdrawal that ended rec (CS_WITHDRAWN), the
 * consent that outweighs it (CS_OUTWEIGHED: a consent in force and a basis, dated after the
 * refusal, for its purpose, naming every partner and category the refusal names, and every
 * partner it names as holding the information; a refusal without from covers everyone's and
 * is never outweighed in full), or NULL.
 */
enum consent_status consent_status(const struct records *r, const struct consent_record *rec,
    struct date on, const struct consent_record **by);
/*
 * The status as consent-show prints it: "in force", "not yet in force", "withdrawn on DATE",
 * "expired", "no basis: REASON", "outweighed by ID"; a refusal that a later consent outweighs
 * only in part is "in force, outweighed in part by ID"; for a withdrawal "effective" or "not
 * yet effective". malloc'd.
 */
char *consent_status_text(const struct records *r, const struct consent_record *rec,
    struct date on);

/* What a sharing is for: a consent purpose (the case consultation when zeroed) or a basis purpose. */
struct share_query {
	const char *from, *to, *category;
	enum purpose purpose;           /* when !basis; PURPOSE_CASUSOVERLEG by default */
	bool basis;                     /* true: for the art. 458ter purpose basis_purpose */
	enum basis_purpose basis_purpose;
	struct date date;
};

struct share_answer {
	bool allowed;
	const struct consent_record *by;        /* the record that decides, if any (owned by the records) */
	char *reason;           /* "consent c-... given 2026-12-01 ..." or why not; malloc'd, whole */
};

/*
 * Decides q with the settings cfg (whether q->from shared under art. 458ter on q->date) and the
 * case's records r.
 * Privacy by default: without a record that covers the sharing, the answer is no, and a
 * refusal outweighs a consent given on the same day. A consent covers only information held
 * by a partner in its from, and only if it is a basis (consent_no_basis()); a refusal without
 * from covers everyone's. Fills a; free it with share_answer_free().
 */
void share_decide(const struct settings *cfg, const struct records *r, const struct share_query *q,
    struct share_answer *a);
/* Frees a's reason; a may be NULL. */
void share_answer_free(struct share_answer *a);

#endif
