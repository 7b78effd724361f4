/*
 * overleg-check-test: overleg_check(), one row per rule: a stored consultation (the minutes
 * with what overleg-record adds) in the case of story 2 whose fixed team is the welfare
 * services (Bram, and Dan, who left on 2026-11-15), with Bram's consent of story 4 and three earlier
 * consultations, and the problems the check gives, as "line: path: message" (a prefix).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "consent.h"
#include "msg.h"
#include "overleg.h"
#include "schemas.h"
#include "settings.h"

static const char settings_yaml[] =
    "version: 1\ninstitution: Brugge\npartners:\n"
    "  dg-epi:\n    name: DG EPI\n    shares_under_458ter: false\n"
    "  justitiehuizen:\n    name: justice houses\n    shares_under_458ter: false\n"
    "  welzijn:\n    name: welfare services\n    shares_under_458ter: false\n"
    "categories:\n  psychosocial:\n    description: psychosocial support\n    domain: psychosocial\n"
    "  security:\n    description: security assessments\n"
    "overleg:\n  cadence: '6w'\n  pre_leave_lead: '3m'\n"
    "members:\n"
    "- email: ann@brugge.example\n  name: Ann Peeters\n  partner: dg-epi\n  active: true\n"
    "- email: bram@welzijn.example\n  name: Bram Claes\n  partner: welzijn\n  active: true\n"
    "- email: chris@jh.example\n  name: Chris Maes\n  partner: justitiehuizen\n  active: true\n"
    "- email: dan@welzijn.example\n  name: Dan Smet\n  partner: welzijn\n  active: false\n"
    "  until: '2026-11-15'\n";

static const char plan_yaml[] =
    "case_id: B-2026-017\ninstitution: Brugge\nstatus: open\ndates:\n"
    "  detention_start: '2026-01-10'\n  leave_eligible: '2027-05-31'\n"
    "team:\n  welzijn:\n  - bram@welzijn.example\n  - dan@welzijn.example\n"
    "domains:\n  psychosocial:\n    status: to-assess\n  education_employment:\n    status: to-assess\n"
    "  mental_health:\n    status: to-assess\n  social_context:\n    status: to-assess\n"
    "  alternative_discourse:\n    status: to-assess\n";

static const char consent_yaml[] =
    "id: c-20260201-90a62b\ncase_id: B-2026-017\nkind: consent\ndate: '2026-02-01'\n"
    "recorded: '2026-02-01'\nrecorded_by: bram@welzijn.example\nhow: written\n"
    "evidence: FORM-2026-0042\ninformed: true\ntold: consent-leaflet\nlanguage: nl\nfrom:\n- welzijn\nto:\n- dg-epi\n- justitiehuizen\n"
    "categories:\n- psychosocial\npurpose: casusoverleg\nuntil: '2030-01-10'\n";

#define HEAD(date, kind) "case_id: B-2026-017\ndate: '" date "'\nkind: " kind "\nstatus: held\n"
#define PRESENT(partner, member) "present:\n- partner: " partner "\n  member: " member "\n"
#define OK_PRESENT PRESENT("welzijn", "bram@welzijn.example")
#define DECISION "decision:\n  consensus: true\n"
#define STD HEAD("2026-11-20", "periodic") OK_PRESENT DECISION

/* Earlier consultations: two agreements, the first closed; one more; the pre-leave one. */
static const char *const earlier[] = {
	HEAD("2026-11-01", "periodic") OK_PRESENT DECISION
	    "agreements:\n- text: housing\n  owner: welzijn\n- text: a course\n  owner: dg-epi\n",
	HEAD("2026-11-10", "periodic") OK_PRESENT DECISION
	    "agreements:\n- text: a job\n  owner: welzijn\n"
	    "closes:\n- agreement: '2026-11-01#1'\n  status: done\n",
	HEAD("2027-03-03", "pre-leave") OK_PRESENT DECISION,
	"case_id: B-2026-017\ndate: '2027-04-14'\nkind: periodic\nstatus: planned\n",
};

static const struct row {
	const char *rule, *yaml, *want;       /* want: NULL when no problem */
} rows[] = {
	{"minutes that name only what is known pass", STD, NULL},
	{"date: a held one not after today (CASUS_TODAY is 2027-06-30 here)",
	    HEAD("2027-07-01", "periodic") OK_PRESENT DECISION,
	    "2: date: 2027-07-01 is after today"},
	{"date: a planned one may be after today",
	    "case_id: B-2026-017\ndate: '2027-07-01'\nkind: periodic\nstatus: planned\n", NULL},
	{"a planned consultation has nothing to check",
	    "case_id: B-2026-017\ndate: '2026-11-20'\nkind: periodic\nstatus: planned\n", NULL},
	{"present: a known partner",
	    HEAD("2026-11-20", "periodic") OK_PRESENT "- partner: police\n  member: bram@welzijn.example\n" DECISION,
	    "8: present[1]: unknown partner 'police'"},
	{"present: a member registered for that partner",
	    HEAD("2026-11-20", "periodic") OK_PRESENT "- partner: dg-epi\n  member: chris@jh.example\n" DECISION,
	    "8: present[1]: 'chris@jh.example' is not a registered team member for dg-epi"},
	{"absent: a partner of the case's fixed team", STD "absent: [justitiehuizen]\n",
	    "10: absent[0]: 'justitiehuizen' is not a partner of the case's fixed team"},
	{"absent: not also present", STD "absent: [welzijn]\n",
	    "10: absent[0]: 'welzijn' is also listed as present"},
	{"agreements: the owner a known partner", STD "agreements:\n- text: housing\n  owner: police\n",
	    "12: agreements[0].owner: unknown partner 'police'"},
	{"closes: an agreement that exists", STD "closes:\n- agreement: '2026-11-01#9'\n  status: done\n",
	    "11: closes[0]: no agreement '2026-11-01#9' in an earlier consultation"},
	{"closes: made in an earlier consultation",
	    HEAD("2026-11-05", "periodic") OK_PRESENT DECISION
	    "closes:\n- agreement: '2026-11-10#1'\n  status: done\n",
	    "11: closes[0]: no agreement '2026-11-10#1' in an earlier consultation"},
	{"closes: one still open", STD "closes:\n- agreement: '2026-11-01#1'\n  status: dropped\n",
	    "11: closes[0]: agreement '2026-11-01#1' is done already"},
	{"closes: once in the minutes",
	    STD "closes:\n- agreement: '2026-11-01#2'\n  status: done\n- agreement: '2026-11-01#2'\n  status: done\n",
	    "13: closes[1]: agreement '2026-11-01#2' is closed twice in these minutes"},
	{"decision.dissent: a known partner",
	    HEAD("2026-11-20", "periodic") OK_PRESENT
	    "decision:\n  consensus: false\n  dissent:\n  - partner: police\n    point: too early\n",
	    "11: decision.dissent[0].partner: unknown partner 'police'"},
	{"decision.dissent: only a partner present (R7)",
	    HEAD("2026-11-20", "periodic") OK_PRESENT
	    "decision:\n  consensus: false\n  dissent:\n  - partner: dg-epi\n    point: too early\n",
	    "11: decision.dissent[0].partner: 'dg-epi' dissents but was not present"},
	{"decisions: without consensus names at least one dissent (R7)",
	    HEAD("2026-11-20", "periodic") OK_PRESENT "decisions:\n- text: leave in March\n  consensus: false\n",
	    "9: decisions[0]: taken without consensus, but names no dissent"},
	{"decision, the old form: without consensus names at least one dissent (R7)",
	    HEAD("2026-11-20", "periodic") OK_PRESENT "decision:\n  consensus: false\n",
	    "9: decision: taken without consensus, but names no dissent"},
	{"decisions: consensus and dissent per decision (R7)",
	    HEAD("2026-11-20", "periodic") OK_PRESENT "decisions:\n- text: leave in March\n  consensus: true\n"
	    "- text: a course\n  consensus: false\n  dissent:\n  - partner: welzijn\n    point: too soon\n", NULL},
	{"decisions: a dissent of each decision only by a partner present (R7)",
	    HEAD("2026-11-20", "periodic") OK_PRESENT "decisions:\n- text: leave in March\n  consensus: true\n"
	    "- text: a course\n  consensus: false\n  dissent:\n  - partner: dg-epi\n    point: too soon\n",
	    "14: decisions[1].dissent[0].partner: 'dg-epi' dissents but was not present"},
	{"decisions: not both forms", STD "decisions:\n- text: leave in March\n  consensus: true\n",
	    "9: decision: give the decisions once"},
	{"present: a member listed once (R9)",
	    HEAD("2026-11-20", "periodic") OK_PRESENT "- partner: welzijn\n  member: Bram@welzijn.example\n" DECISION,
	    "8: present[1]: 'Bram@welzijn.example' is listed twice"},
	{"present: not a member who left the team before the day (R9)",
	    HEAD("2026-11-20", "periodic") PRESENT("welzijn", "dan@welzijn.example") DECISION,
	    "6: present[0]: 'dan@welzijn.example' left the team on 2026-11-15"},
	{"present: a member up to the day they left (R9)",
	    HEAD("2026-11-15", "periodic") PRESENT("welzijn", "dan@welzijn.example") DECISION, NULL},
	{"present: a member on the case's team, else a guest (R9)",
	    HEAD("2026-11-20", "periodic") OK_PRESENT "- partner: dg-epi\n  member: ann@brugge.example\n" DECISION,
	    "8: present[1]: 'ann@brugge.example' is not on the case's team for dg-epi: list them under guests"},
	{"shared: nothing with a guest (R9, R10)",
	    STD "guests:\n- name: Eva Jacobs\n  organisation: police\n"
	    "shared:\n- category: psychosocial\n  from: welzijn\n  to: [police]\n  covered_by: {police: own}\n",
	    "16: shared[0]: 'police' is a guest: nothing is shared with guests"},
	{"shared: from a known partner",
	    STD "shared:\n- category: psychosocial\n  from: police\n  to: [dg-epi]\n  covered_by: {dg-epi: own}\n",
	    "12: shared[0]: unknown partner 'police'"},
	{"shared: to known partners",
	    STD "shared:\n- category: psychosocial\n  from: welzijn\n  to: [police]\n  covered_by: {police: own}\n",
	    "13: shared[0]: unknown partner 'police'"},
	{"shared: a known category",
	    STD "shared:\n- category: gossip\n  from: welzijn\n  to: [dg-epi]\n  covered_by: {dg-epi: own}\n",
	    "11: shared[0]: unknown category 'gossip'"},
	{"shared: covered by a consent or basis on the day",
	    STD "shared:\n- category: security\n  from: welzijn\n  to: [dg-epi]\n  covered_by: {dg-epi: own}\n",
	    "11: shared[0]: security from welzijn to dg-epi has no basis: "},
	{"shared: what covered it stored per recipient",
	    STD "shared:\n- category: psychosocial\n  from: welzijn\n  to: [dg-epi, justitiehuizen]\n"
	    "  covered_by: {dg-epi: c-20260201-90a62b}\n",
	    "14: shared[0]: covered_by names no record for justitiehuizen"},
	{"shared: a covered sharing passes",
	    STD "shared:\n- category: psychosocial\n  from: welzijn\n  to: [dg-epi]\n"
	    "  covered_by: {dg-epi: c-20260201-90a62b}\n", NULL},
	{"date: not before the detention start", HEAD("2026-01-05", "periodic") OK_PRESENT DECISION,
	    "2: date: before the detention start"},
	{"R6: kind: pre-leave only in the pre-leave window", HEAD("2026-11-20", "pre-leave") OK_PRESENT DECISION,
	    "3: kind: pre-leave, but not held in the pre-leave window (2027-02-14 to 2027-03-14)"},
	{"kind: one pre-leave consultation", HEAD("2027-03-10", "pre-leave") OK_PRESENT DECISION,
	    "3: kind: pre-leave, but so is the consultation of 2027-03-03"},
};

static int npass, nfail;

static struct doc *
parse(const char *yaml, const char *schema)
{
	struct problems ps = {0};
	struct doc *d = casus_parse(yaml, strlen(yaml), "test.yaml", schema, &ps);

	if (d == NULL) {
		problems_print(&ps, stdout, "# ");
		fprintf(stderr, "overleg-check-test: cannot parse a fixture of schema %s\n", schema);
		exit(2);
	}
	problems_free(&ps);
	return d;
}

static struct overleg *
consultation(const char *yaml)
{
	struct overleg *o = overleg_decode(parse(yaml, "overleg"));

	if (o == NULL) {
		fprintf(stderr, "overleg-check-test: %s\n", err_last());
		exit(2);
	}
	return o;
}

/* The one place that knows how the case's records are built from their trees. */
static void
records_of(const char *yaml, struct records *rs)
{
	struct consent_record *rec = consent_decode(parse(yaml, "consent"));

	if (rec == NULL) {
		fprintf(stderr, "overleg-check-test: %s\n", err_last());
		exit(2);
	}
	records_add(rs, rec);
}

int
main(void)
{
	struct settings *cfg = settings_decode(parse(settings_yaml, "casus"));
	struct plan *plan = plan_decode(parse(plan_yaml, "plan"));
	struct case_data cd = {.id = "B-2026-017", .plan = plan};
	size_t n = sizeof rows / sizeof rows[0];

	/* A held consultation is not after today: the rows' dates run to 2027. */
	setenv("CASUS_TODAY", "2027-06-30", 1);
	if (cfg == NULL || plan == NULL) {
		fprintf(stderr, "overleg-check-test: %s\n", err_last());
		return 2;
	}
	for (size_t i = 0; i < sizeof earlier / sizeof earlier[0]; i++)
		overlegs_add(&cd.o, consultation(earlier[i]));
	records_of(consent_yaml, &cd.rs);

	printf("1..%zu\n", n);
	for (size_t i = 0; i < n; i++) {
		struct overleg *o = consultation(rows[i].yaml);
		struct problems ps = {0};
		char got[1024] = "";
		bool pass;

		overleg_check(cfg, &cd, o, "test.yaml", &ps);
		if (ps.n)
			snprintf(got, sizeof got, "%d: %s: %s", ps.v[0].line, ps.v[0].path, ps.v[0].msg);
		pass = rows[i].want ? ps.n == 1 && strncmp(got, rows[i].want, strlen(rows[i].want)) == 0 :
		    ps.n == 0;
		printf("%s %zu - %s\n", pass ? "ok" : "not ok", i + 1, rows[i].rule);
		if (!pass) {
			printf("#   want: %s\n", rows[i].want ? rows[i].want : "(no problem)");
			problems_print(&ps, stdout, "#   got: ");
			nfail++;
		} else {
			npass++;
		}
		problems_free(&ps);
		overleg_free(o);
	}
	overlegs_free(&cd.o);
	records_free(&cd.rs);
	plan_free(plan);
	settings_free(cfg);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
