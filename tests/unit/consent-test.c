/*
 * consent-test: consent_check(), one row per rule consent-record refuses and the schema cannot
 * say (consent.h lists them), each a record as YAML against one case's stored records, with
 * the first problem it must give ("path: message", or "" for none).
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "case.h"
#include "consent.h"
#include "msg.h"
#include "schemas.h"
#include "settings.h"

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

static const char settings_yaml[] =
    "version: 1\n"
    "institution: Brugge\n"
    "partners:\n"
    "  dg-epi: {name: DG EPI}\n"
    "  welzijn: {name: Welzijn}\n"
    "  justitiehuizen: {name: Justitiehuizen}\n"
    "categories:\n"
    "  psychosocial: {description: psychosocial, domain: psychosocial}\n"
    "  security: {description: security}\n"
    "overleg: {cadence: 3m, pre_leave_lead: 6w}\n"
    "members: []\n";

/* The case's stored records: a consent withdrawn once, a basis, and a refusal. */
static const char *const stored[] = {
	"{id: c-20260201-000001, case_id: B-1, kind: consent, date: 2026-02-01, recorded: 2026-02-01,"
	" how: written, informed: true, to: [dg-epi], categories: [psychosocial], purpose: casusoverleg}",
	"{id: w-20260315-000003, case_id: B-1, kind: withdrawal, date: 2026-03-15, recorded: 2026-03-15,"
	" withdraws: c-20260201-000001}",
	"{id: b-20260501-000002, case_id: B-1, kind: basis, date: 2026-05-01, recorded: 2026-04-20,"
	" basis: law, reference: decreet, participants: [dg-epi, welzijn], categories: [security],"
	" purpose: integrity}",
	"{id: r-20260101-000004, case_id: B-1, kind: refusal, date: 2026-01-01, recorded: 2026-01-01,"
	" how: oral, informed: true, to: [welzijn], categories: [security], purpose: aftercare}",
	NULL,
};

#define CONSENT(id, rest) "{id: " id ", case_id: B-1, kind: consent, recorded: 2026-11-29," \
	" how: written, informed: true, purpose: casusoverleg, " rest "}"
#define WITHDRAWAL(id, date, of) "{id: " id ", case_id: B-1, kind: withdrawal, date: " date "," \
	" recorded: 2026-11-29, withdraws: " of "}"

static const struct row {
	const char *what;
	const char *yaml;
	bool stored;            /* the record is among the case's records, as case-validate sees it */
	const char *want;       /* the first problem, "path: message" (a prefix of it), or "" */
} rows[] = {
	{"a consent that names what casus.yaml knows passes",
	    CONSENT("c-20261129-00000a", "date: 2026-11-29, to: [dg-epi], categories: [psychosocial]"),
	    false, ""},
	{"a recipient must be a known partner",
	    CONSENT("c-20261129-00000b", "date: 2026-11-29, to: [dg-epi, politie], categories: [security]"),
	    false, "to: unknown partner 'politie' (known: dg-epi, welzijn, justitiehuizen)"},
	{"a partner whose information it covers must be a known partner (R10)",
	    CONSENT("c-20261129-000013", "date: 2026-11-29, from: [welzijn, politie], told: leaflet,"
	    " language: nl, to: [dg-epi], categories: [security]"),
	    false, "from: unknown partner 'politie' (known: dg-epi, welzijn, justitiehuizen)"},
	{"a participant of a basis must be a known partner",
	    "{id: b-20261129-00000c, case_id: B-1, kind: basis, date: 2026-11-29, recorded: 2026-11-29,"
	    " basis: law, reference: decreet, participants: [politie, welzijn], categories: [security],"
	    " purpose: terrorism}",
	    false, "participants: unknown partner 'politie'"},
	{"a category must be one of casus.yaml",
	    CONSENT("c-20261129-00000d", "date: 2026-11-29, to: [dg-epi], categories: [religion]"),
	    false, "categories: unknown category 'religion' (known: psychosocial, security)"},
	{"the ID's letter is the kind's",
	    "{id: c-20261129-00000e, case_id: B-1, kind: refusal, date: 2026-11-29, recorded: 2026-11-29,"
	    " how: oral, informed: true, to: [dg-epi], categories: [security], purpose: casusoverleg}",
	    false, "id: a refusal's ID starts with 'r-'"},
	{"the record is of its case",
	    "{id: c-20261129-00000f, case_id: B-2, kind: consent, date: 2026-11-29, recorded: 2026-11-29,"
	    " how: written, informed: true, to: [dg-epi], categories: [security], purpose: casusoverleg}",
	    false, "case_id: is 'B-2' but the case is 'B-1'"},
	{"a consent is not dated after the day it was recorded",
	    CONSENT("c-20261130-000010", "date: 2026-11-30, to: [dg-epi], categories: [security]"),
	    false, "date: 2026-11-30 is after the day it was recorded (2026-11-29)"},
	{"a basis may take effect after it was recorded",
	    "{id: b-20261201-000011, case_id: B-1, kind: basis, date: 2026-12-01, recorded: 2026-11-29,"
	    " basis: prosecutor, reference: PK, participants: [dg-epi, welzijn], categories: [security],"
	    " purpose: integrity}",
	    false, ""},
	{"the last day is not before the first",
	    CONSENT("c-20260501-000012", "date: 2026-05-01, until: 2026-04-30, to: [dg-epi], categories: [security]"),
	    false, "until: 2026-04-30 is before the date it holds from (2026-05-01)"},
	{"the last day may be the first",
	    CONSENT("c-20260501-000013", "date: 2026-05-01, until: 2026-05-01, to: [dg-epi], categories: [security]"),
	    false, ""},
	{"a withdrawal ends a consent the case has",
	    WITHDRAWAL("w-20261129-000014", "2026-11-29", "c-20260202-000009"),
	    false, "withdraws: case 'B-1' has no consent 'c-20260202-000009'"},
	{"a withdrawal ends a legal basis the case has",
	    WITHDRAWAL("w-20261129-000015", "2026-11-29", "b-20260202-000009"),
	    false, "withdraws: case 'B-1' has no legal basis 'b-20260202-000009'"},
	{"a withdrawal is not dated before what it ends took effect",
	    WITHDRAWAL("w-20260430-000016", "2026-04-30", "b-20260501-000002"),
	    false, "withdraws: 2026-04-30 is before the legal basis took effect (2026-05-01)"},
	{"a withdrawal ends a basis on the day it took effect",
	    WITHDRAWAL("w-20260501-000017", "2026-05-01", "b-20260501-000002"),
	    false, ""},
	{"a consent is withdrawn once",
	    WITHDRAWAL("w-20260401-000018", "2026-04-01", "c-20260201-000001"),
	    false, "withdraws: consent 'c-20260201-000001' was withdrawn already (w-20260315-000003)"},
	{"stored, the first withdrawal of a consent passes",
	    "{id: w-20260315-000003, case_id: B-1, kind: withdrawal, date: 2026-03-15, recorded: 2026-03-15,"
	    " withdraws: c-20260201-000001}",
	    true, ""},
	{"stored, a second withdrawal of it is reported",
	    WITHDRAWAL("w-20260401-000019", "2026-04-01", "c-20260201-000001"),
	    true, "withdraws: consent 'c-20260201-000001' was withdrawn already (w-20260315-000003)"},
};

static struct consent_record *
parse(const char *yaml, const char *file)
{
	struct problems ps = {0};
	struct doc *d = casus_parse(yaml, strlen(yaml), file, "consent", &ps);
	struct consent_record *rec;

	if (d == NULL) {
		printf("# %s: %s: %s\n", file, ps.n ? ps.v[0].path : "", ps.n ? ps.v[0].msg : "?");
		problems_free(&ps);
		return NULL;
	}
	problems_free(&ps);
	rec = consent_decode(d);
	if (rec == NULL)
		printf("# %s\n", err_last());
	return rec;
}

int
main(void)
{
	struct problems ps = {0};
	struct doc *d = casus_parse(settings_yaml, strlen(settings_yaml), "casus.yaml", "casus", &ps);
	struct settings *cfg = d ? settings_decode(d) : NULL;

	if (cfg == NULL) {
		printf("Bail out! the test's settings do not load\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const struct row *r = &rows[i];
		struct case_data cd = {.id = (char *)"B-1"};
		struct consent_record *rec = parse(r->yaml, "rec.yaml");
		char got[1024] = "";
		bool good;

		for (size_t k = 0; stored[k]; k++) {
			struct consent_record *s = parse(stored[k], "stored.yaml");

			if (s && r->stored && strcmp(s->id, rec ? rec->id : "") == 0)
				consent_free(s);        /* rec takes its place */
			else if (s)
				records_add(&cd.rs, s);
		}
		if (rec == NULL) {
			ok(0, r->what);
			records_free(&cd.rs);
			continue;
		}
		if (r->stored)
			records_add(&cd.rs, rec);
		problems_free(&ps);
		consent_check(cfg, &cd, rec, "rec.yaml", &ps);
		if (ps.n)
			snprintf(got, sizeof got, "%s: %s", ps.v[0].path, ps.v[0].msg);
		good = r->want[0] ? strncmp(got, r->want, strlen(r->want)) == 0 : ps.n == 0;
		ok(good, r->what);
		if (!good)
			printf("#   got  '%s'\n#   want '%s'\n", got, r->want);
		if (!r->stored)
			consent_free(rec);
		records_free(&cd.rs);
	}
	problems_free(&ps);
	settings_free(cfg);
	printf("1..%d\n", npass + nfail);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
