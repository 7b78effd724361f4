/*
 * share-test: the sharing decision, one row per case share-check(1) states, named in the
 * page's words. A row's settings, records and question are YAML; the settings and records are
 * read with casus_parse() against the built-in schemas, as a stored file is read, so a row
 * cannot test a record the store would refuse. Prints one "ok N - ..." line per row.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "consent.h"
#include "doc.h"
#include "mem.h"
#include "msg.h"
#include "rows.h"

static int npass, nfail;

/* No partner shares under art. 458ter here: a row that needs one says so. */
static const char base_settings[] =
    "version: 1\n"
    "institution: Brugge\n"
    "partners:\n"
    "  dg-epi: {name: DG EPI, shares_under_458ter: false}\n"
    "  justitiehuizen: {name: Justitiehuizen, shares_under_458ter: false}\n"
    "  welzijn: {name: Welzijn, shares_under_458ter: false}\n"
    "categories:\n"
    "  psychosocial: {description: psychosocial support, domain: psychosocial}\n"
    "  reintegration: {description: the reintegration plan}\n"
    "  security: {description: security assessments}\n"
    "overleg: {cadence: 6w, pre_leave_lead: 3m}\n"
    "members: []\n";

/*
 * What every record of the rows shares; a consent or refusal is also written, informed, told
 * in Dutch, and covers what welzijn and dg-epi hold (the FROM of ASK and ASK_SEC).
 */
static const char base_record[] = "{case_id: B-2026-017, recorded: 2026-11-29}";
static const char base_asked[] = "{case_id: B-2026-017, recorded: 2026-11-29, how: written, informed: true, "
    "told: consent-leaflet, language: nl, from: [welzijn, dg-epi]}";

#define DG_EPI_SHARES "partners: {dg-epi: {shares_under_458ter: true}}"
/* Story 4's consent and a basis of the prosecutor, the two records most rows start from. */
#define C1 "{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], " \
	"categories: [psychosocial], purpose: casusoverleg, until: 2030-01-10}"
#define B1 "{id: b-20260301-000001, kind: basis, date: 2026-03-01, basis: prosecutor, " \
	"reference: PK Brugge 2026/0412, participants: [dg-epi, justitiehuizen], " \
	"categories: [security], purpose: terrorism, until: 2026-12-31}"
#define ASK "{from: welzijn, to: justitiehuizen, category: psychosocial, date: 2026-03-15}"
#define ASK_SEC "{from: dg-epi, to: justitiehuizen, category: security, date: 2026-03-15}"
#define YES_C1 "consent c-20260120-000001 given 2026-01-20 (written) for casusoverleg, until 2030-01-10"
#define YES_B1 "art. 458ter basis b-20260301-000001 (prosecutor) for terrorism, valid from 2026-03-01, until 2026-12-31"
#define NONE "no consent or legal basis covers psychosocial from welzijn to justitiehuizen on 2026-03-15"

struct row {
	const char *name;               /* the case, as share-check(1) states it */
	const char *settings;           /* merged over base_settings, or NULL */
	const char *records[5];         /* the case's records, each merged over base_record */
	const char *ask;                /* from, to, category, purpose (may be left out), date */
	bool allowed;
	const char *by;                 /* the ID of the record that decides, or NULL */
	const char *reason;
};

static const struct row rows[] = {
	/* 1. Own information. */
	{"own information: FROM and TO are the same partner, no record is needed", NULL, {NULL},
	    "{from: welzijn, to: welzijn, category: psychosocial, date: 2026-03-15}",
	    true, NULL, "own information: welzijn holds it"},
	{"own information: a partner may see what it holds, whatever the records say", NULL,
	    {"{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [welzijn], "
	    "categories: [psychosocial], purpose: casusoverleg}"},
	    "{from: welzijn, to: welzijn, category: psychosocial, date: 2026-03-15}",
	    true, NULL, "own information: welzijn holds it"},

	/* 2. Consent (R10). */
	{"consent: its to lists TO, its categories CAT, its purpose is casusoverleg without --purpose",
	    NULL, {C1}, ASK, true, "c-20260120-000001", YES_C1},
	{"consent: --purpose casusoverleg asks the same as no --purpose", NULL, {C1},
	    "{from: welzijn, to: justitiehuizen, category: psychosocial, purpose: casusoverleg, date: 2026-03-15}",
	    true, "c-20260120-000001", YES_C1},
	{"consent: its purpose is PURPOSE", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [reintegration], purpose: reintegration}"},
	    "{from: welzijn, to: justitiehuizen, category: reintegration, purpose: reintegration, date: 2026-03-15}",
	    true, "c-20260120-000001", "consent c-20260120-000001 given 2026-01-20 (written) for reintegration"},
	{"consent: it covers only what a partner in its from holds (R10)", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, from: [welzijn], to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}"},
	    "{from: dg-epi, to: justitiehuizen, category: psychosocial, date: 2026-03-15}",
	    false, "c-20260120-000001", "consent c-20260120-000001 does not cover information held by dg-epi"},
	{"consent: one given without being informed is no basis (R10)", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg, informed: false}"},
	    ASK, false, "c-20260120-000001", "consent c-20260120-000001 was given without being informed"
	    " that refusing or withdrawing has no consequences (recorded without --informed), so it is no basis"},
	{"consent: one stored before consents had from covers no one's information (R10)", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg, from: null, told: null, language: null}"},
	    ASK, false, "c-20260120-000001", "consent c-20260120-000001 does not say whose information it"
	    " covers (it was recorded before consents named it), so it covers no one's: record it again with --from"},
	{"consent: in force from the day it was given, that day included", NULL, {C1},
	    "{from: welzijn, to: justitiehuizen, category: psychosocial, date: 2026-01-20}",
	    true, "c-20260120-000001", YES_C1},
	{"consent: in force up to its until, that day included", NULL, {C1},
	    "{from: welzijn, to: justitiehuizen, category: psychosocial, date: 2030-01-10}",
	    true, "c-20260120-000001", YES_C1},
	{"consent: without until it stays in force, and the reason gives no until", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg, how: oral}"},
	    "{from: welzijn, to: justitiehuizen, category: psychosocial, date: 2099-12-31}",
	    true, "c-20260120-000001", "consent c-20260120-000001 given 2026-01-20 (oral) for casusoverleg"},
	{"consent: the day a record was recorded plays no part, only the dates it gives", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg, until: 2030-01-10, recorded: 2026-04-01}"},
	    ASK, true, "c-20260120-000001", YES_C1},
	{"consent: a withdrawal blocks sharing from its own date on, that day included", NULL,
	    {C1, "{id: w-20260316-000001, kind: withdrawal, date: 2026-03-16, withdraws: c-20260120-000001}"},
	    "{from: welzijn, to: justitiehuizen, category: psychosocial, date: 2026-03-16}", false,
	    "c-20260120-000001", "consent c-20260120-000001 was withdrawn on 2026-03-16 (w-20260316-000001)"},
	{"consent: a withdrawal leaves the days before it covered", NULL,
	    {C1, "{id: w-20260316-000001, kind: withdrawal, date: 2026-03-16, withdraws: c-20260120-000001}"},
	    ASK, true, "c-20260120-000001", YES_C1},
	{"consent: the withdrawal of another consent leaves it in force", NULL,
	    {C1, "{id: w-20260301-000001, kind: withdrawal, date: 2026-03-01, withdraws: c-20260120-00000f}"},
	    ASK, true, "c-20260120-000001", YES_C1},
	{"consent: the day after its until it has expired", NULL, {C1},
	    "{from: welzijn, to: justitiehuizen, category: psychosocial, date: 2030-01-11}", false,
	    "c-20260120-000001", "consent c-20260120-000001 expired on 2030-01-11"},
	{"consent: one given after DATE does not cover it yet", NULL, {C1},
	    "{from: welzijn, to: justitiehuizen, category: psychosocial, date: 2026-01-19}", false,
	    "c-20260120-000001", "nothing covers it on 2026-01-19: consent c-20260120-000001 holds from 2026-01-20"},

	/* 3. Refusal. */
	{"refusal: one dated on or before DATE covers the question under the same conditions", NULL,
	    {"{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}"},
	    ASK, false, "r-20260201-000001", "refused on 2026-02-01 (r-20260201-000001)"},
	{"refusal: a refusal has no end date", NULL,
	    {"{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}"},
	    "{from: welzijn, to: justitiehuizen, category: psychosocial, date: 2099-12-31}",
	    false, "r-20260201-000001", "refused on 2026-02-01 (r-20260201-000001)"},
	{"refusal: one dated after DATE does not count yet", NULL,
	    {C1, "{id: r-20260401-000001, kind: refusal, date: 2026-04-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}"},
	    ASK, true, "c-20260120-000001", YES_C1},
	{"refusal: one that does not list TO does not count", NULL,
	    {C1, "{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [dg-epi], "
	    "categories: [psychosocial], purpose: casusoverleg}"},
	    ASK, true, "c-20260120-000001", YES_C1},
	{"refusal: one that does not list CAT does not count", NULL,
	    {C1, "{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [security], purpose: casusoverleg}"},
	    ASK, true, "c-20260120-000001", YES_C1},
	{"refusal: one that does not name FROM in its from does not count (R10)", NULL,
	    {C1, "{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg, from: [dg-epi]}"},
	    ASK, true, "c-20260120-000001", YES_C1},
	{"refusal: one stored before refusals had from refuses what every partner holds (R10)", NULL,
	    {C1, "{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg, from: null, told: null, language: null}"},
	    ASK, false, "r-20260201-000001", "refused on 2026-02-01 (r-20260201-000001)"},
	{"refusal: a later consent given without being informed does not outweigh it (R10)", NULL,
	    {"{id: r-20260110-000001, kind: refusal, date: 2026-01-10, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}",
	    "{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg, informed: false}"},
	    ASK, false, "r-20260110-000001", "refused on 2026-01-10 (r-20260110-000001)"},
	{"refusal: one for another purpose does not count", NULL,
	    {C1, "{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: reintegration}"},
	    ASK, true, "c-20260120-000001", YES_C1},

	/* 4. Consent against refusal: the latest record wins, a refusal wins a tie. */
	{"latest: of two consents in force, the one given last decides", NULL,
	    {C1, "{id: c-20260210-000001, kind: consent, date: 2026-02-10, to: [justitiehuizen, dg-epi], "
	    "categories: [psychosocial], purpose: casusoverleg}"},
	    ASK, true, "c-20260210-000001", "consent c-20260210-000001 given 2026-02-10 (written) for casusoverleg"},
	{"latest: of two records of the same date, the one with the greater ID counts as the later", NULL,
	    {"{id: c-20260120-0000ff, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}", C1},
	    ASK, true, "c-20260120-0000ff", "consent c-20260120-0000ff given 2026-01-20 (written) for casusoverleg"},
	{"latest: a refusal outweighs a consent of the same date", NULL,
	    {C1, "{id: r-20260120-000001, kind: refusal, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}"},
	    ASK, false, "r-20260120-000001", "refused on 2026-01-20 (r-20260120-000001)"},
	{"latest: a refusal outweighs a consent of an earlier date", NULL,
	    {C1, "{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}"},
	    ASK, false, "r-20260201-000001", "refused on 2026-02-01 (r-20260201-000001)"},
	{"latest: a consent given after a refusal outweighs the refusal", NULL,
	    {"{id: r-20260110-000001, kind: refusal, date: 2026-01-10, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}", C1},
	    ASK, true, "c-20260120-000001", YES_C1},
	{"latest: the refusal is weighed against the consent in force given last, not one expired", NULL,
	    {C1, "{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}",
	    "{id: c-20260301-000001, kind: consent, date: 2026-03-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg, until: 2026-03-10}"},
	    ASK, false, "r-20260201-000001", "refused on 2026-02-01 (r-20260201-000001)"},

	/* 5. Legal basis (R11). */
	{"basis: its participants list FROM and TO, its categories CAT; for the consultation any purpose",
	    DG_EPI_SHARES, {B1}, ASK_SEC, true, "b-20260301-000001", YES_B1},
	{"basis: --purpose casusoverleg is the case consultation, which any basis covers", DG_EPI_SHARES,
	    {B1}, "{from: dg-epi, to: justitiehuizen, category: security, purpose: casusoverleg, date: 2026-03-15}",
	    true, "b-20260301-000001", YES_B1},
	{"basis: its purpose is PURPOSE", DG_EPI_SHARES, {B1},
	    "{from: dg-epi, to: justitiehuizen, category: security, purpose: terrorism, date: 2026-03-15}",
	    true, "b-20260301-000001", YES_B1},
	{"basis: a basis for another art. 458ter purpose does not cover it", DG_EPI_SHARES, {B1},
	    "{from: dg-epi, to: justitiehuizen, category: security, purpose: integrity, date: 2026-03-15}",
	    false, "b-20260301-000001", "art. 458ter basis b-20260301-000001 is for purpose terrorism, not integrity"},
	{"basis: with --purpose reintegration or aftercare only consents count", DG_EPI_SHARES, {B1},
	    "{from: dg-epi, to: justitiehuizen, category: security, purpose: aftercare, date: 2026-03-15}",
	    false, "b-20260301-000001", "art. 458ter basis b-20260301-000001 is for purpose terrorism, not aftercare"},
	{"basis: with an art. 458ter purpose only legal bases count", NULL,
	    {C1}, "{from: welzijn, to: justitiehuizen, category: psychosocial, purpose: integrity, date: 2026-03-15}",
	    false, "c-20260120-000001", "consent c-20260120-000001 is for purpose casusoverleg, not integrity"},
	{"basis: valid from its date, that day included, and without until the reason gives none",
	    DG_EPI_SHARES,
	    {"{id: b-20260301-000001, kind: basis, date: 2026-03-01, basis: law, reference: art. 458ter, "
	    "participants: [dg-epi, justitiehuizen], categories: [security], purpose: integrity}"},
	    "{from: dg-epi, to: justitiehuizen, category: security, date: 2026-03-01}", true,
	    "b-20260301-000001", "art. 458ter basis b-20260301-000001 (law) for integrity, valid from 2026-03-01"},
	{"basis: valid up to its until, that day included", DG_EPI_SHARES, {B1},
	    "{from: dg-epi, to: justitiehuizen, category: security, date: 2026-12-31}",
	    true, "b-20260301-000001", YES_B1},
	{"basis: one whose date is after DATE does not cover it yet", DG_EPI_SHARES, {B1},
	    "{from: dg-epi, to: justitiehuizen, category: security, date: 2026-02-28}", false,
	    "b-20260301-000001", "nothing covers it on 2026-02-28: art. 458ter basis b-20260301-000001 holds from 2026-03-01"},
	{"basis: the day after its until it has expired", DG_EPI_SHARES, {B1},
	    "{from: dg-epi, to: justitiehuizen, category: security, date: 2027-01-01}", false,
	    "b-20260301-000001", "art. 458ter basis b-20260301-000001 expired on 2027-01-01"},
	{"basis: a withdrawal of it ends it from its own date on", DG_EPI_SHARES,
	    {B1, "{id: w-20260601-000001, kind: withdrawal, date: 2026-06-01, withdraws: b-20260301-000001}"},
	    "{from: dg-epi, to: justitiehuizen, category: security, date: 2026-06-01}", false,
	    "b-20260301-000001", "art. 458ter basis b-20260301-000001 was withdrawn on 2026-06-01 (w-20260601-000001)"},
	{"basis: counts only if FROM shares under art. 458ter", NULL, {B1}, ASK_SEC, false,
	    "b-20260301-000001", "dg-epi does not share under art. 458ter on 2026-03-15 (partners.dg-epi."
	    "shares_under_458ter), so basis b-20260301-000001 does not cover it"},
	{"basis: a partner without the setting does not share under art. 458ter",
	    "partners: {dg-epi: {shares_under_458ter: null}}", {B1}, ASK_SEC, false,
	    "b-20260301-000001", "dg-epi does not share under art. 458ter on 2026-03-15 (partners.dg-epi."
	    "shares_under_458ter), so basis b-20260301-000001 does not cover it"},
	{"basis: the setting of TO is not looked at",
	    "partners: {justitiehuizen: {shares_under_458ter: true}}", {B1}, ASK_SEC, false,
	    "b-20260301-000001", "dg-epi does not share under art. 458ter on 2026-03-15 (partners.dg-epi."
	    "shares_under_458ter), so basis b-20260301-000001 does not cover it"},
	{"basis: R11: the setting of DATE counts: a period that begins after DATE does not cover it",
	    "partners: {dg-epi: {shares_under_458ter: [{since: 2026-03-16}]}}", {B1}, ASK_SEC, false,
	    "b-20260301-000001", "dg-epi does not share under art. 458ter on 2026-03-15 (partners.dg-epi."
	    "shares_under_458ter), so basis b-20260301-000001 does not cover it"},
	{"basis: R11: a period holds from its since, that day included",
	    "partners: {dg-epi: {shares_under_458ter: [{since: 2026-03-15}]}}", {B1}, ASK_SEC, true,
	    "b-20260301-000001", YES_B1},
	{"basis: R11: a period holds up to its until, that day excluded",
	    "partners: {dg-epi: {shares_under_458ter: [{since: 2026-01-01, until: 2026-03-15}]}}", {B1},
	    ASK_SEC, false, "b-20260301-000001", "dg-epi does not share under art. 458ter on 2026-03-15 "
	    "(partners.dg-epi.shares_under_458ter), so basis b-20260301-000001 does not cover it"},
	{"basis: R11: a closed period still covers a day inside it",
	    "partners: {dg-epi: {shares_under_458ter: [{since: 2026-01-01, until: 2026-03-16}, "
	    "{since: 2026-06-01}]}}", {B1}, ASK_SEC, true, "b-20260301-000001", YES_B1},
	{"basis: R11: a period without since holds from the store's beginning",
	    "partners: {dg-epi: {shares_under_458ter: [{until: 2026-03-16}]}}", {B1}, ASK_SEC, true,
	    "b-20260301-000001", YES_B1},
	{"basis: R11: the old form true holds for every day", DG_EPI_SHARES, {B1},
	    "{from: dg-epi, to: justitiehuizen, category: security, date: 2026-03-01}", true,
	    "b-20260301-000001", YES_B1},
	{"basis: of the bases that count, the earliest decides", DG_EPI_SHARES,
	    {B1, "{id: b-20260310-000001, kind: basis, date: 2026-03-10, basis: law, reference: art. 458ter, "
	    "participants: [dg-epi, justitiehuizen, welzijn], categories: [security], purpose: integrity}"},
	    ASK_SEC, true, "b-20260301-000001", YES_B1},
	{"basis: a refusal does not affect a basis", DG_EPI_SHARES,
	    {B1, "{id: r-20260310-000001, kind: refusal, date: 2026-03-10, to: [justitiehuizen], "
	    "categories: [security], purpose: casusoverleg}"},
	    ASK_SEC, true, "b-20260301-000001", YES_B1},
	{"basis: the withdrawal of a consent does not affect a basis", DG_EPI_SHARES,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [security], purpose: casusoverleg}", B1,
	    "{id: w-20260310-000001, kind: withdrawal, date: 2026-03-10, withdraws: c-20260120-000001}"},
	    ASK_SEC, true, "b-20260301-000001", YES_B1},
	{"basis: only when no consent is in force: a consent in force decides first", DG_EPI_SHARES,
	    {"{id: c-20260310-000001, kind: consent, date: 2026-03-10, to: [justitiehuizen], "
	    "categories: [security], purpose: casusoverleg}", B1},
	    ASK_SEC, true, "c-20260310-000001", "consent c-20260310-000001 given 2026-03-10 (written) for casusoverleg"},
	{"basis: counts when a refusal outweighs the consent", DG_EPI_SHARES,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [security], purpose: casusoverleg}",
	    "{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [security], purpose: casusoverleg}", B1},
	    ASK_SEC, true, "b-20260301-000001", YES_B1},

	/* 6. Otherwise no, and the first reason that applies. */
	{"no: nothing covers it", NULL, {NULL}, ASK, false, NULL, NONE},
	{"no reason: the last covering refusal dated on or before DATE", NULL,
	    {"{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}",
	    "{id: r-20260210-000001, kind: refusal, date: 2026-02-10, to: [justitiehuizen], "
	    "categories: [psychosocial, security], purpose: casusoverleg}"},
	    ASK, false, "r-20260210-000001", "refused on 2026-02-10 (r-20260210-000001)"},
	{"no reason: a refusal comes before a withdrawn consent", NULL,
	    {C1, "{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}",
	    "{id: w-20260301-000001, kind: withdrawal, date: 2026-03-01, withdraws: c-20260120-000001}"},
	    ASK, false, "r-20260201-000001", "refused on 2026-02-01 (r-20260201-000001)"},
	{"no reason: of the lapsed ones, the one dated last, not the one that lapsed last", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg, until: 2026-03-10}",
	    "{id: c-20260201-000001, kind: consent, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}",
	    "{id: w-20260215-000001, kind: withdrawal, date: 2026-02-15, withdraws: c-20260201-000001}"},
	    ASK, false, "c-20260201-000001", "consent c-20260201-000001 was withdrawn on 2026-02-15 (w-20260215-000001)"},
	{"no reason: one that was both withdrawn and had expired is named as withdrawn", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg, until: 2026-03-10}",
	    "{id: w-20260201-000001, kind: withdrawal, date: 2026-02-01, withdraws: c-20260120-000001}"},
	    ASK, false, "c-20260120-000001", "consent c-20260120-000001 was withdrawn on 2026-02-01 (w-20260201-000001)"},
	{"no reason: a lapsed consent comes before a basis FROM cannot use", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [security], purpose: casusoverleg}", B1,
	    "{id: w-20260310-000001, kind: withdrawal, date: 2026-03-10, withdraws: c-20260120-000001}"},
	    ASK_SEC, false, "c-20260120-000001", "consent c-20260120-000001 was withdrawn on 2026-03-10 (w-20260310-000001)"},
	{"no reason: FROM does not share under art. 458ter: the reason names the basis dated last", NULL,
	    {B1, "{id: b-20260310-000001, kind: basis, date: 2026-03-10, basis: law, reference: art. 458ter, "
	    "participants: [dg-epi, justitiehuizen], categories: [security], purpose: integrity}"},
	    ASK_SEC, false, "b-20260310-000001", "dg-epi does not share under art. 458ter on 2026-03-15 (partners.dg-epi."
	    "shares_under_458ter), so basis b-20260310-000001 does not cover it"},
	{"no reason: a basis FROM cannot use comes before one that begins after DATE", NULL,
	    {B1, "{id: b-20260401-000001, kind: basis, date: 2026-04-01, basis: law, reference: art. 458ter, "
	    "participants: [dg-epi, justitiehuizen], categories: [security], purpose: integrity}"},
	    ASK_SEC, false, "b-20260301-000001", "dg-epi does not share under art. 458ter on 2026-03-15 (partners.dg-epi."
	    "shares_under_458ter), so basis b-20260301-000001 does not cover it"},
	{"no reason: of those that begin after DATE, the one that begins first", NULL,
	    {"{id: c-20260401-000001, kind: consent, date: 2026-04-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}",
	    "{id: c-20260501-000001, kind: consent, date: 2026-05-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}"},
	    ASK, false, "c-20260401-000001", "nothing covers it on 2026-03-15: consent c-20260401-000001 holds from 2026-04-01"},
	{"no reason: one that begins after DATE comes before one that comes close", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [security], purpose: casusoverleg}",
	    "{id: c-20260401-000001, kind: consent, date: 2026-04-01, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: casusoverleg}"},
	    ASK, false, "c-20260401-000001", "nothing covers it on 2026-03-15: consent c-20260401-000001 holds from 2026-04-01"},
	{"close: a consent in force that does not name TO as a recipient", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [dg-epi], "
	    "categories: [psychosocial], purpose: casusoverleg}"},
	    ASK, false, "c-20260120-000001", "consent c-20260120-000001 does not name justitiehuizen as a recipient"},
	{"close: R11: a basis that does not name TO as a participant says so", DG_EPI_SHARES,
	    {"{id: b-20260301-000001, kind: basis, date: 2026-03-01, basis: law, reference: art. 458ter, "
	    "participants: [dg-epi, welzijn], categories: [security], purpose: integrity}"},
	    ASK_SEC, false, "b-20260301-000001",
	    "art. 458ter basis b-20260301-000001 does not name justitiehuizen (the recipient) as a participant"},
	{"close: R11: a basis that does not name FROM as a participant says so", DG_EPI_SHARES,
	    {"{id: b-20260301-000001, kind: basis, date: 2026-03-01, basis: law, reference: art. 458ter, "
	    "participants: [welzijn, justitiehuizen], categories: [security], purpose: integrity}"},
	    ASK_SEC, false, "b-20260301-000001",
	    "art. 458ter basis b-20260301-000001 does not name dg-epi (the sender) as a participant"},
	{"close: R11: a basis that names neither FROM nor TO as a participant says so", DG_EPI_SHARES,
	    {"{id: b-20260301-000001, kind: basis, date: 2026-03-01, basis: law, reference: art. 458ter, "
	    "participants: [welzijn], categories: [security], purpose: integrity}"},
	    ASK_SEC, false, "b-20260301-000001",
	    "art. 458ter basis b-20260301-000001 names neither dg-epi nor justitiehuizen as a participant"},
	{"close: a basis in force that does not cover CAT", DG_EPI_SHARES, {B1},
	    "{from: dg-epi, to: justitiehuizen, category: psychosocial, date: 2026-03-15}", false,
	    "b-20260301-000001", "art. 458ter basis b-20260301-000001 does not cover category psychosocial"},
	{"close: a consent in force that does not cover CAT", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [security], purpose: casusoverleg}"},
	    ASK, false, "c-20260120-000001", "consent c-20260120-000001 does not cover category psychosocial"},
	{"close: a consent for another purpose; without --purpose, PURPOSE reads casusoverleg", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: aftercare}"},
	    ASK, false, "c-20260120-000001", "consent c-20260120-000001 is for purpose aftercare, not casusoverleg"},
	{"close: the first thing it lacks, in the order recipient, category, purpose", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [dg-epi], "
	    "categories: [psychosocial], purpose: aftercare}"},
	    ASK, false, "c-20260120-000001", "consent c-20260120-000001 does not name justitiehuizen as a recipient"},
	{"close: the one that matches most, even if it is dated earlier", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [psychosocial], purpose: aftercare}",
	    "{id: c-20260201-000001, kind: consent, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [security], purpose: aftercare}"},
	    ASK, false, "c-20260120-000001", "consent c-20260120-000001 is for purpose aftercare, not casusoverleg"},
	{"close: among equals, the one dated last", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [security], purpose: casusoverleg}",
	    "{id: c-20260201-000001, kind: consent, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [reintegration], purpose: casusoverleg}"},
	    ASK, false, "c-20260201-000001", "consent c-20260201-000001 does not cover category psychosocial"},
	{"close: only a record in force on DATE comes close", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [justitiehuizen], "
	    "categories: [security], purpose: casusoverleg, until: 2026-03-01}"},
	    ASK, false, NULL, NONE},
	{"close: a record that names neither the recipient nor the category does not come close", NULL,
	    {"{id: c-20260120-000001, kind: consent, date: 2026-01-20, to: [dg-epi], "
	    "categories: [security], purpose: casusoverleg}"},
	    ASK, false, NULL, NONE},
	{"close: a refusal never comes close", NULL,
	    {"{id: r-20260201-000001, kind: refusal, date: 2026-02-01, to: [justitiehuizen], "
	    "categories: [security], purpose: casusoverleg}"},
	    ASK, false, NULL, NONE},
};

/* A verdict as the test compares it: plain strings, whatever the library's types become. */
struct verdict {
	bool allowed;
	char *by;               /* the deciding record's ID, or NULL */
	char *reason;
};

/*
 * The one place this test calls the library under test: share_decide() on the settings, the
 * case's records, in the order records_read() gives them (by date, then by ID), and the
 * question asked. When the library's types change, only this function changes.
 */
static struct verdict
decide(const struct doc *cfg, struct doc **recs, size_t n, const struct doc *ask)
{
	struct settings *set = settings_decode(doc_clone(cfg));
	struct records r = {0};
	struct share_query q = {
		.from = doc_get_str(ask, "from"),
		.to = doc_get_str(ask, "to"),
		.category = doc_get_str(ask, "category"),
	};
	struct share_answer a;
	const char *date = doc_get_str(ask, "date"), *purpose = doc_get_str(ask, "purpose");
	struct verdict v;

	if (date == NULL || date_parse(date, strlen(date), &q.date) < 0)
		q.date = (struct date){0, 0, 0};
	if (purpose && vocab_find(vocab_purposes, purpose) >= 0)
		q.purpose = (enum purpose)vocab_find(vocab_purposes, purpose);
	else if (purpose) {
		q.basis = true;
		q.basis_purpose = (enum basis_purpose)vocab_find(vocab_basis_purposes, purpose);
	}
	/* records_add() puts each in its place by date, then by ID, as records_read() does. */
	for (size_t i = 0; i < n; i++)
		records_add(&r, consent_decode(doc_clone(recs[i])));
	share_decide(set, &r, &q, &a);
	v.allowed = a.allowed;
	v.by = a.by ? xstrdup(a.by->id) : NULL;
	v.reason = xstrdup(a.reason);
	share_answer_free(&a);
	records_free(&r);
	settings_free(set);
	return v;
}

static void
run(const struct row *t)
{
	struct doc *cfg = load(t->name, base_settings, t->settings, "casus");
	struct doc *ask = parse_map(t->name, t->ask);
	struct doc *recs[sizeof t->records / sizeof t->records[0]];
	size_t n = 0;
	bool ok = cfg != NULL && ask != NULL;
	struct verdict v = {false, NULL, NULL};

	for (; n < sizeof t->records / sizeof t->records[0] && t->records[n] != NULL; n++) {
		const char *kind = strstr(t->records[n], "kind: consent") || strstr(t->records[n], "kind: refusal") ?
		    base_asked : base_record;

		if ((recs[n] = load(t->name, kind, t->records[n], "consent")) == NULL)
			ok = false;
	}
	if (ok) {
		v = decide(cfg, recs, n, ask);
		ok = v.allowed == t->allowed && same(v.by, t->by) && same(v.reason, t->reason);
	}
	if (ok)
		npass++;
	else
		nfail++;
	printf("%s %d - %s\n", ok ? "ok" : "not ok", npass + nfail, t->name);
	if (!ok && v.reason != NULL) {
		printf("#   got:  %s by %s: %s\n", v.allowed ? "yes" : "no", v.by ? v.by : "-", v.reason);
		printf("#   want: %s by %s: %s\n", t->allowed ? "yes" : "no", t->by ? t->by : "-", t->reason);
	}
	free(v.by);
	free(v.reason);
	while (n-- > 0)
		doc_free(recs[n]);
	doc_free(ask);
	doc_free(cfg);
}

int
main(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++)
		run(&rows[i]);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
