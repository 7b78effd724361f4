/*
 * changes-test: lib/changes.c on its own: the words for each kind of case file added, changed
 * and removed; sealed values named and never shown, nor their ciphertext; text in clear named
 * and never shown; files that are not valid YAML or not valid for their schema; input beyond
 * the parser's limits; a caller that stops. Each version is a base document with a patch
 * merged over it (rows.h), written out as a store would hold it.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "doc.h"
#include "mem.h"
#include "msg.h"
#include "rows.h"

static int npass, nfail;

static void
ok(int cond, const char *what)
{
	if (cond)
		npass++;
	else
		nfail++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", npass + nfail, what);
}

#define CASE "B-2026-017"

static const char base_plan[] =
    "case_id: " CASE "\n"
    "institution: Brugge\n"
    "status: open\n"
    "dates: {detention_start: 2026-01-10, leave_eligible: 2027-05-31, sentence_end: 2030-01-10}\n"
    "aims: [identity, future]\n"
    "team: {dg-epi: [ann@brugge.example], welzijn: [bram@welzijn.example]}\n"
    "roles:\n"
    "- {partner: dg-epi, member: ann@brugge.example, agreement: Ann chairs the consultation}\n"
    "domains:\n"
    "  psychosocial:\n"
    "    status: planned\n"
    "    owner: welzijn\n"
    "    note: Talks weekly about his father\n"
    "    goals:\n"
    "    - {text: Sleep better at night, owner: welzijn, status: open,"
    " actions: [{text: See the nurse, owner: welzijn, due: 2026-12-01}]}\n"
    "  education_employment: {status: to-assess, note: Discreet}\n"
    "  mental_health: {status: to-assess}\n"
    "  social_context: {status: to-assess}\n"
    "  alternative_discourse: {status: to-assess}\n";

static const char base_reintegration[] =
    "case_id: " CASE "\n"
    "housing: {status: to-arrange, owner: welzijn, note: A room with his sister}\n"
    "work: {status: to-arrange}\n"
    "network: {status: to-arrange}\n"
    "care: {status: to-arrange}\n";

static const char base_planned[] =
    "case_id: " CASE "\n"
    "date: 2027-03-01\n"
    "kind: periodic\n"
    "status: planned\n";

static const char base_held[] =
    "case_id: " CASE "\n"
    "date: 2027-03-01\n"
    "kind: periodic\n"
    "status: held\n"
    "present:\n"
    "- {partner: dg-epi, member: ann@brugge.example}\n"
    "- {partner: welzijn, member: bram@welzijn.example}\n"
    "agreements:\n"
    "- {text: Bram finds a course, owner: welzijn, due: 2027-04-01}\n"
    "decisions:\n"
    "- {text: Leave is advised, consensus: false, dissent: [{partner: dg-epi, point: Too early}]}\n"
    "recorded_by: ann@brugge.example\n";

static const char base_consent[] =
    "id: c-20261101-ab12cd\n"
    "case_id: " CASE "\n"
    "kind: consent\n"
    "date: 2026-11-01\n"
    "recorded: 2026-11-01\n"
    "recorded_by: ann@brugge.example\n"
    "how: written\n"
    "informed: true\n"
    "told: the leaflet of the prison\n"
    "language: nl\n"
    "from: [welzijn]\n"
    "to: [dg-epi]\n"
    "categories: [psychosocial]\n"
    "purpose: casusoverleg\n";

static const char base_refusal[] =
    "{id: r-20261102-00aa11, case_id: " CASE ", kind: refusal, date: 2026-11-02, "
    "recorded: 2026-11-02, how: oral, informed: true, to: [justitiehuizen], "
    "categories: [psychosocial], purpose: aftercare}";

static const char base_withdrawal[] =
    "{id: w-20261201-00bb22, case_id: " CASE ", kind: withdrawal, date: 2026-12-01, "
    "recorded: 2026-12-01, withdraws: c-20261101-ab12cd}";

static const char base_basis[] =
    "{id: b-20261103-00cc33, case_id: " CASE ", kind: basis, date: 2026-11-03, "
    "recorded: 2026-11-03, basis: law, reference: Art. 458ter, participants: [dg-epi, welzijn], "
    "categories: [psychosocial], purpose: terrorism}";

/* Sealed values and recipients; their base64 must never be in the words. */
#define CIPHER1 "Q0lQSEVST05FQ0lQSEVST05FQ0lQSEVST05FQ0lQSEVST05F"
#define CIPHER2 "Q0lQSEVSVFdPQ0lQSEVSVFdPQ0lQSEVSVFdPQ0lQSEVSVFdP"
#define CIPHER3 "Q0lQSEVSVEhSRUVDSVBIRVJUSFJFRUNJUEhFUlRIUkVFQ0lQ"
#define SEALED(c) "{sealed: " c "}"
#define FP_BRAM "SHA256:YnJhbWJyYW1icmFtYnJhbWJyYW1icmFtYnJhbWJyYW0"
#define FP_BRAM2 "SHA256:bmV3YnJhbW5ld2JyYW1uZXdicmFtbmV3YnJhbW5ld2J"
#define FP_ANN "SHA256:YW5uYW5uYW5uYW5uYW5uYW5uYW5uYW5uYW5uYW5uYW5"
#define WRAP1 "V1JBUE9ORVdSQVBPTkVXUkFQT05FV1JBUE9ORVdSQVBPTkVXUkFQT05F"
#define WRAP2 "V1JBUFRXT1dSQVBUV09XUkFQVFdPV1JBUFRXT1dSQVBUV09XUkFQVFdP"
#define WRAP3 "V1JBUFRIUkVFV1JBUFRIUkVFV1JBUFRIUkVFV1JBUFRIUkVFV1JBUFRI"
#define R_BRAM(w) "{member: bram@welzijn.example, key: '" FP_BRAM "', wrap: " w "}"
#define R_BRAM2(w) "{member: bram@welzijn.example, key: '" FP_BRAM2 "', wrap: " w "}"
#define R_ANN(w) "{member: ann@brugge.example, key: '" FP_ANN "', wrap: " w "}"
#define PSY(note, seal) "{domains: {psychosocial: {note: " note ", seal: [" seal "]}}}"

/* The words, one per line. */
struct words {
	struct buf b;
	size_t calls;
	size_t stop_after;              /* 0: never stop */
};

static int
collect(void *arg, const char *words)
{
	struct words *w = arg;

	buf_printf(&w->b, "%s%s", w->b.len ? "\n" : "", words);
	w->calls++;
	if (w->stop_after && w->calls == w->stop_after) {
		err_set("stopped");
		return -1;
	}
	return 0;
}

/* base with patch merged over it, written out as a store holds it (not validated here). */
static char *
version(const char *base, const char *patch)
{
	struct doc *d = parse_map("version", base), *p;
	char *text = NULL;
	size_t len;

	if (d == NULL)
		return NULL;
	if (patch != NULL && *patch != '\0') {
		p = parse_map("version", patch);
		if (p != NULL)
			merge(d, p);
		doc_free(p);
	}
	if (doc_emit_yaml(d, &text, &len) < 0)
		text = NULL;
	doc_free(d);
	return text;
}

/* The words for the raw versions old and new (NULL: no file); a malloc'd string. */
static char *
words_raw(const char *file, const char *old, size_t oldlen, const char *new, size_t newlen)
{
	struct words w = {0};

	if (case_file_changes(file, old, oldlen, new, newlen, collect, &w) < 0)
		buf_printf(&w.b, "%s-1: %s", w.b.len ? "\n" : "", err_last());
	if (w.b.data == NULL)
		buf_adds(&w.b, "");
	return buf_detach(&w.b);
}

/* old and new as patches of base (NULL: no such version) */
static char *
words(const char *file, const char *base, const char *old, const char *new)
{
	char *o = old ? version(base, old) : NULL, *n = new ? version(base, new) : NULL;
	char *r = words_raw(file, o, o ? strlen(o) : 0, n, n ? strlen(n) : 0);

	free(o);
	free(n);
	return r;
}

static void
row(const char *what, const char *file, const char *base, const char *old, const char *new,
    const char *want)
{
	char *got = words(file, base, old, new);
	bool good = strcmp(got, want) == 0;

	/* Whatever the row, no ciphertext and no wrap ever shows. */
	good = good && !strstr(got, "Q0lQSEVS") && !strstr(got, "V1JBUF") && !strstr(got, "SHA256");
	ok(good, what);
	if (!good)
		printf("# got:\n#   %s\n# want:\n#   %s\n", got, want);
	free(got);
}

/* No text of the case, in clear or sealed, reaches the words. */
static void
no_text(const char *what, const char *file, const char *base, const char *old, const char *new,
    const char *const *secrets)
{
	char *got = words(file, base, old, new);
	bool good = *got != '\0';

	for (size_t i = 0; secrets[i]; i++)
		good = good && strstr(got, secrets[i]) == NULL;
	ok(good, what);
	if (!good)
		printf("# got:\n#   %s\n", got);
	free(got);
}

static void
plans(void)
{
	row("a new plan is created", "plan.yaml", base_plan, NULL, "", "plan created");
	row("a plan removed", "plan.yaml", base_plan, "", NULL, "plan removed");
	row("the same bytes say nothing", "plan.yaml", base_plan, "", "", "");
	row("a status and a date change, in document order", "plan.yaml", base_plan, "",
	    "{domains: {mental_health: {status: in-progress}}, dates: {leave_eligible: 2027-06-30}}",
	    "dates.leave_eligible: 2027-05-31 → 2027-06-30\n"
	    "domains.mental_health.status: to-assess → in-progress");
	row("a value added and one removed", "plan.yaml", base_plan, "",
	    "{dates: {sentence_end: null, release_eligible: 2028-05-31},"
	    " domains: {mental_health: {owner: dg-epi}}}",
	    "dates.release_eligible: 2028-05-31 added\n"
	    "dates.sentence_end: 2030-01-10 removed\n"
	    "domains.mental_health.owner: dg-epi added");
	row("team members by address, a new partner's team too", "plan.yaml", base_plan, "",
	    "{team: {dg-epi: [dan@brugge.example], welzijn: [bram@welzijn.example],"
	    " justitiehuizen: [chris@jh.example]}}",
	    "team of dg-epi: dan@brugge.example added\n"
	    "team of dg-epi: ann@brugge.example removed\n"
	    "team of justitiehuizen: chris@jh.example added");
	row("a list of words compares by value, not position", "plan.yaml", base_plan, "",
	    "{aims: [future, restoration]}",
	    "aims: restoration added\n"
	    "aims: identity removed");
	row("a goal added and an action's status by position", "plan.yaml", base_plan, "",
	    "{domains: {psychosocial: {goals: ["
	    "{text: Sleep better at night, owner: welzijn, status: open,"
	    " actions: [{text: See the nurse, owner: welzijn, due: 2026-12-01, status: done}]},"
	    "{text: Call home, owner: welzijn}]}}}",
	    "domains.psychosocial.goals[0].actions[0].status: done added\n"
	    "domains.psychosocial.goals[1] added");
	row("a text in clear is named, not shown", "plan.yaml", base_plan, "",
	    "{domains: {psychosocial: {note: Talks daily about his mother}}}",
	    "note of psychosocial changed");
	row("even a one-word text in clear is not shown", "plan.yaml", base_plan, "",
	    "{domains: {education_employment: {note: Welding}}}",
	    "note of education_employment changed");
	row("a goal's text in clear", "plan.yaml", base_plan, "",
	    "{domains: {psychosocial: {goals: [{text: Sleep, owner: welzijn, status: open,"
	    " actions: [{text: See the nurse, owner: welzijn, due: 2026-12-01}]}]}}}",
	    "domains.psychosocial.goals[0].text changed");
	row("a role agreement in clear", "plan.yaml", base_plan, "",
	    "{roles: [{partner: dg-epi, member: ann@brugge.example, agreement: Ann leads}]}",
	    "roles[0].agreement changed");
	row("a one-word value outside the text is shown", "plan.yaml", base_plan, "",
	    "{institution: Gent}", "institution: Brugge → Gent");
	row("a value of more than one word is not", "plan.yaml", base_plan, "",
	    "{institution: Gevangenis Gent}", "institution changed");
	row("a value longer than a word is not", "plan.yaml", base_plan, "",
	    "{institution: Aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa}",
	    "institution changed");
	row("a value with a bidirectional control is not", "plan.yaml", base_plan, "",
	    "{institution: \"Gent\\u202E\"}", "institution changed");
	row("nor one outside ASCII", "plan.yaml", base_plan, "",
	    "{institution: Li\xc3\xa8ge}", "institution changed");
	row("a refusal of the plan", "plan.yaml", base_plan, "",
	    "{refusals: [{since: 2026-05-01}]}", "plan refused on 2026-05-01");
	row("its revocation, and a new refusal", "plan.yaml", base_plan,
	    "{refusals: [{since: 2026-05-01}]}",
	    "{refusals: [{since: 2026-05-01, revoked: 2026-06-01}, {since: 2026-09-01}]}",
	    "refusal of 2026-05-01 revoked on 2026-06-01\n"
	    "plan refused on 2026-09-01");
	row("a refusal in the old form", "plan.yaml", base_plan,
	    "{refusal: {since: 2026-05-01}}", "{refusal: {since: 2026-05-01, revoked: 2026-06-01}}",
	    "refusal of 2026-05-01 revoked on 2026-06-01");
	row("a refusal removed (plain git)", "plan.yaml", base_plan,
	    "{refusals: [{since: 2026-05-01}]}", "", "refusal of 2026-05-01 removed");
	row("a plan closed", "plan.yaml", base_plan, "", "{status: closed}", "status: open → closed");
	row("the same content in other bytes", "plan.yaml", base_plan, "",
	    "{dates: {detention_start: 2026-01-10}}", "");
}

static void
sealed(void)
{
	const char *secrets[] = {"father", "mother", "Discreet", "Welding", "Sleep", "nurse",
	    "chairs", "sister", "Too early", "course", "advised", "Q0lQSEVS", "V1JBUF", NULL};

	row("a note sealed where it was in clear, and for whom", "plan.yaml", base_plan, "",
	    PSY(SEALED(CIPHER1), R_ANN(WRAP1) ", " R_BRAM(WRAP2)),
	    "note of psychosocial sealed\n"
	    "psychosocial sealed for ann@brugge.example, bram@welzijn.example");
	row("a sealed note changed under the same content key", "plan.yaml", base_plan,
	    PSY(SEALED(CIPHER1), R_BRAM(WRAP1)), PSY(SEALED(CIPHER2), R_BRAM(WRAP1)),
	    "note of psychosocial changed (sealed)");
	row("a new recipient: the key and the other wraps stay", "plan.yaml", base_plan,
	    PSY(SEALED(CIPHER1), R_BRAM(WRAP1)), PSY(SEALED(CIPHER1), R_ANN(WRAP2) ", " R_BRAM(WRAP1)),
	    "psychosocial sealed for ann@brugge.example");
	row("a recipient gone: a new content key, every value re-sealed", "plan.yaml", base_plan,
	    PSY(SEALED(CIPHER1), R_ANN(WRAP2) ", " R_BRAM(WRAP1)), PSY(SEALED(CIPHER2), R_BRAM(WRAP3)),
	    "note of psychosocial re-sealed\n"
	    "psychosocial no longer sealed for ann@brugge.example");
	row("a member's new key", "plan.yaml", base_plan,
	    PSY(SEALED(CIPHER1), R_BRAM(WRAP1)), PSY(SEALED(CIPHER3), R_BRAM2(WRAP2)),
	    "note of psychosocial re-sealed\n"
	    "psychosocial sealed for a new key of bram@welzijn.example");
	row("a sealed note added and one removed", "plan.yaml", base_plan, "",
	    "{domains: {psychosocial: {note: null}, mental_health: {note: " SEALED(CIPHER1) "}}}",
	    "note of psychosocial removed\n"
	    "note of mental_health added (sealed)");
	row("a sealed note back in clear (plain git)", "plan.yaml", base_plan,
	    PSY(SEALED(CIPHER1), R_BRAM(WRAP1)), "{domains: {psychosocial: {note: Fine, seal: null}}}",
	    "note of psychosocial changed (no longer sealed)\n"
	    "psychosocial no longer sealed for bram@welzijn.example");
	row("a sealed goal text and role agreement by path", "plan.yaml", base_plan, "",
	    "{roles: [{partner: dg-epi, agreement: " SEALED(CIPHER1) "}],"
	    " domains: {psychosocial: {goals: [{text: " SEALED(CIPHER2) ", owner: welzijn}]}}}",
	    "roles[0].agreement sealed\n"
	    "roles[0].member: ann@brugge.example removed\n"
	    "domains.psychosocial.goals[0].text sealed\n"
	    "domains.psychosocial.goals[0].status: open removed\n"
	    "domains.psychosocial.goals[0].actions removed");
	row("a reintegration area's note", "reintegration.yaml", base_reintegration,
	    "{housing: {note: " SEALED(CIPHER1) "}}", "{housing: {status: arranged, note: " SEALED(CIPHER2) "}}",
	    "reintegration plan: housing.status: to-arrange → arranged\n"
	    "reintegration plan: note of housing changed (sealed)");
	row("a held consultation's decision, sealed", "overleg/2027-03-01.yaml", base_held, "",
	    "{decisions: [{text: " SEALED(CIPHER1) ", consensus: false,"
	    " dissent: [{partner: dg-epi, point: " SEALED(CIPHER2) "}]}]}",
	    "consultation 2027-03-01: decisions[0].text sealed\n"
	    "consultation 2027-03-01: decisions[0].dissent[0].point sealed");
	no_text("no text of the plan in any words", "plan.yaml", base_plan, "",
	    "{roles: [{partner: dg-epi, agreement: Ann chairs alone}],"
	    " domains: {psychosocial: {note: Talks about his mother, goals: [{text: Sleep well, owner: welzijn}]},"
	    " education_employment: {note: " SEALED(CIPHER3) "}}}", secrets);
	no_text("nor of the reintegration plan", "reintegration.yaml", base_reintegration, "",
	    "{housing: {note: A room with his sister and her son}}", secrets);
	no_text("nor of a consultation", "overleg/2027-03-01.yaml", base_held, "",
	    "{agreements: [{text: Bram finds a course soon, owner: welzijn}],"
	    " decisions: [{text: Leave is advised now, consensus: false,"
	    " dissent: [{partner: dg-epi, point: Too early still}]}]}", secrets);
}

static void
reintegration(void)
{
	row("a reintegration plan created", "reintegration.yaml", base_reintegration, NULL, "",
	    "reintegration plan created");
	row("and removed", "reintegration.yaml", base_reintegration, "", NULL,
	    "reintegration plan removed");
	row("a follow-up added", "reintegration.yaml", base_reintegration, "",
	    "{follow_up: {justice_house: Brugge, member: chris@jh.example}}",
	    "reintegration plan: follow_up added");
	row("an area's owner changed", "reintegration.yaml", base_reintegration, "",
	    "{housing: {owner: justitiehuizen}}",
	    "reintegration plan: housing.owner: welzijn → justitiehuizen");
}

static void
consultations(void)
{
	row("a consultation planned", "overleg/2027-03-01.yaml", base_planned, NULL, "",
	    "consultation 2027-03-01 planned");
	row("a consultation recorded as held at once", "overleg/2027-03-01.yaml", base_held, NULL, "",
	    "consultation 2027-03-01 held");
	row("a planned one held: its minutes are not listed", "overleg/2027-03-01.yaml", base_held,
	    "{status: planned, present: null, agreements: null, decisions: null, recorded_by: null}", "",
	    "consultation 2027-03-01 held");
	row("a planned one cancelled", "overleg/2027-03-01.yaml", base_planned, "",
	    "{status: cancelled}", "consultation 2027-03-01 cancelled");
	row("a planned one's kind", "overleg/2027-03-01.yaml", base_planned, "",
	    "{kind: pre-leave}", "consultation 2027-03-01: kind: periodic → pre-leave");
	row("a consultation removed", "overleg/2027-03-01.yaml", base_planned, "", NULL,
	    "consultation 2027-03-01 removed");
	row("a correction: by member, by position", "overleg/2027-03-01.yaml", base_held, "",
	    "{present: [{partner: welzijn, member: bram@welzijn.example},"
	    " {partner: justitiehuizen, member: chris@jh.example}],"
	    " agreements: [{text: Bram finds a course, owner: welzijn, due: 2027-05-01},"
	    " {text: Chris visits, owner: justitiehuizen}]}",
	    "consultation 2027-03-01: present: chris@jh.example added\n"
	    "consultation 2027-03-01: present: ann@brugge.example removed\n"
	    "consultation 2027-03-01: agreements[0].due: 2027-04-01 → 2027-05-01\n"
	    "consultation 2027-03-01: agreements[1] added");
}

static void
records(void)
{
	row("a consent given", "consent/c-20261101-ab12cd.yaml", base_consent, NULL, "",
	    "consent c-20261101-ab12cd given");
	row("a refusal recorded", "consent/r-20261102-00aa11.yaml", base_refusal, NULL, "",
	    "refusal r-20261102-00aa11 recorded");
	row("a legal basis recorded", "consent/b-20261103-00cc33.yaml", base_basis, NULL, "",
	    "basis b-20261103-00cc33 recorded");
	row("a withdrawal: what it withdraws", "consent/w-20261201-00bb22.yaml", base_withdrawal, NULL, "",
	    "consent c-20261101-ab12cd withdrawn");
	row("the end of a legal basis", "consent/w-20261201-00bb22.yaml", base_withdrawal, NULL,
	    "{withdraws: b-20261103-00cc33}", "basis b-20261103-00cc33 ended");
	row("a record removed", "consent/c-20261101-ab12cd.yaml", base_consent, "", NULL,
	    "record c-20261101-ab12cd removed");
	row("a record changed (plain git)", "consent/c-20261101-ab12cd.yaml", base_consent, "",
	    "{until: 2027-06-30, to: [dg-epi, justitiehuizen], told: a new leaflet}",
	    "record c-20261101-ab12cd: told changed\n"
	    "record c-20261101-ab12cd: to: justitiehuizen added\n"
	    "record c-20261101-ab12cd: until: 2027-06-30 added");
}

static void
not_valid(void)
{
	char *good = version(base_plan, "");
	char *got;
	static const char broken[] = "case_id: [unclosed\n";
	static const char nokind[] = "case_id: " CASE "\nstatus: whatever\n";

	got = words_raw("plan.yaml", good, strlen(good), broken, sizeof broken - 1);
	ok(strcmp(got, "plan.yaml changed (not a valid plan)") == 0, "YAML that does not parse");
	free(got);
	got = words_raw("plan.yaml", good, strlen(good), nokind, sizeof nokind - 1);
	ok(strcmp(got, "plan.yaml changed (not a valid plan)") == 0, "YAML that is not a plan");
	free(got);
	got = words_raw("plan.yaml", nokind, sizeof nokind - 1, good, strlen(good));
	ok(strcmp(got, "plan.yaml changed (the version before was not a valid plan)") == 0,
	    "a plan made valid again");
	free(got);
	got = words_raw("plan.yaml", NULL, 0, nokind, sizeof nokind - 1);
	ok(strcmp(got, "plan.yaml added (not a valid plan)") == 0, "a plan added that is not one");
	free(got);
	got = words_raw("plan.yaml", nokind, sizeof nokind - 1, NULL, 0);
	ok(strcmp(got, "plan removed") == 0, "a plan that was not valid removed");
	free(got);
	got = words_raw("overleg/2027-03-01.yaml", NULL, 0, nokind, sizeof nokind - 1);
	ok(strcmp(got, "overleg/2027-03-01.yaml added (not a valid consultation)") == 0,
	    "a consultation that is not one");
	free(got);
	got = words_raw("consent/c-20261101-ab12cd.yaml", NULL, 0, "{}", 2);
	ok(strcmp(got, "consent/c-20261101-ab12cd.yaml added (not a valid record)") == 0,
	    "a record that is not one");
	free(got);
	got = words_raw("notes.txt", NULL, 0, "hello\n", 6);
	ok(strcmp(got, "notes.txt added") == 0, "a file casus does not know: named only");
	free(got);
	got = words_raw("notes.txt", "a", 1, "b", 1);
	ok(strcmp(got, "notes.txt changed") == 0, "and changed");
	free(got);
	got = words_raw("overleg/notes.txt", "a", 1, NULL, 0);
	ok(strcmp(got, "overleg/notes.txt removed") == 0, "and removed");
	free(got);
	free(good);
}

static void
limits(void)
{
	struct buf deep = {0}, huge = {0}, team = {0};
	char *good = version(base_plan, ""), *got, *many;
	size_t n;

	/* Deeper than the parser allows: refused by the parser, not walked. */
	buf_adds(&deep, "case_id: x\nnote: ");
	for (int i = 0; i < 100000; i++)
		buf_addc(&deep, '[');
	got = words_raw("plan.yaml", good, strlen(good), deep.data, deep.len);
	ok(strcmp(got, "plan.yaml changed (not a valid plan)") == 0, "100,000 levels deep");
	free(got);
	/* Larger than a file may be. */
	buf_adds(&huge, good);
	while (huge.len <= doc_limits_casus.max_bytes)
		buf_adds(&huge, "# padding padding padding padding padding padding padding padding\n");
	got = words_raw("plan.yaml", good, strlen(good), huge.data, huge.len);
	ok(strcmp(got, "plan.yaml changed (not a valid plan)") == 0, "larger than 1 MiB");
	free(got);
	/* A long valid list: one line per member, matched by value, not by pairs. */
	buf_adds(&team, "{team: {welzijn: [");
	for (int i = 0; i < 3000; i++)
		buf_printf(&team, "%sm%d@welzijn.example", i ? ", " : "", i);
	buf_adds(&team, "]}}");
	many = version(base_plan, team.data);
	got = words_raw("plan.yaml", good, strlen(good), many, strlen(many));
	n = 0;
	for (const char *p = got; (p = strstr(p, "team of welzijn: ")) != NULL; p++)
		n++;
	ok(n == 3001 && strstr(got, "team of welzijn: m2999@welzijn.example added") &&
	    strstr(got, "team of welzijn: bram@welzijn.example removed"), "3,000 members added");
	free(got);
	free(many);
	free(good);
	buf_free(&deep);
	buf_free(&huge);
	buf_free(&team);
}

static void
stopping(void)
{
	struct words w = {.stop_after = 1};
	char *o = version(base_plan, ""), *n = version(base_plan, "{institution: Gent, status: closed}");
	int r = case_file_changes("plan.yaml", o, strlen(o), n, strlen(n), collect, &w);

	ok(r == -1 && w.calls == 1 && strcmp(err_last(), "stopped") == 0,
	    "a caller that stops is called no more, and its error stays");
	buf_free(&w.b);
	free(o);
	free(n);
}

int
main(void)
{
	progname = "changes-test";
	plans();
	sealed();
	reintegration();
	consultations();
	records();
	not_valid();
	limits();
	stopping();
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
