/*
 * plan-test: the detention plan and the reintegration plan as records: each decodes what its
 * schema lets through, with every optional field left out as well as present, and its check
 * finds exactly the problems of a table of plans, one "ok N - ..." line per check.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "msg.h"
#include "plan.h"
#include "problem.h"
#include "readiness.h"
#include "reintegration.h"
#include "schemas.h"
#include "settings.h"

static int npass, nfail;

static void check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		npass++;
	else
		nfail++;
	printf("%s %d - ", ok ? "ok" : "not ok", npass + nfail);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static const char settings_yaml[] =
    "version: 1\n"
    "institution: Gevangenis Brugge\n"
    "partners:\n"
    "  dg-epi: {name: DG EPI}\n"
    "  welzijn: {name: Welzijn}\n"
    "  justitiehuizen: {name: Justitiehuizen}\n"
    "categories:\n"
    "  psychosocial: {description: psychosocial support, domain: psychosocial}\n"
    "  reintegration: {description: reintegration}\n"
    "overleg: {cadence: 6w, pre_leave_lead: 3m}\n"
    "members:\n"
    "- {email: ann@brugge.example, name: Ann, partner: dg-epi, active: true}\n"
    "- {email: bram@welzijn.example, name: Bram, partner: welzijn, active: true}\n"
    "- {email: chris@jh.example, name: Chris, partner: justitiehuizen, active: true}\n";

/* A plan with every field, and its lines: the table's rows change one thing in it. */
static const char full_plan[] =
    "case_id: B-1\n"                                    /* 1 */
    "institution: Gevangenis Brugge\n"
    "status: open\n"
    "refusal: {since: '2026-02-01', revoked: '2026-03-01'}\n"
    "dates:\n"                                          /* 5 */
    "  detention_start: '2026-01-10'\n"
    "  leave_eligible: '2027-05-31'\n"
    "  release_eligible: '2028-05-31'\n"
    "  sentence_end: '2030-01-10'\n"
    "aims: [identity, reintegration]\n"                 /* 10 */
    "team:\n"
    "  dg-epi: [ann@brugge.example]\n"
    "  welzijn: [bram@welzijn.example]\n"
    "  justitiehuizen: [chris@jh.example]\n"
    "roles:\n"                                          /* 15 */
    "- {partner: welzijn, member: bram@welzijn.example, agreement: leads the plan}\n"
    "domains:\n"
    "  psychosocial: {status: planned, owner: welzijn, note: weekly talks}\n"
    "  education_employment:\n"
    "    status: in-progress\n"                         /* 20 */
    "    owner: dg-epi\n"
    "    goals:\n"
    "    - text: a diploma\n"
    "      owner: dg-epi\n"
    "      status: open\n"                              /* 25 */
    "      actions:\n"
    "      - {text: enrol, owner: dg-epi, due: '2026-09-01', status: done}\n"
    "  mental_health: {status: to-assess}\n"
    "  social_context: {status: no-need}\n"
    "  alternative_discourse: {status: completed}\n";  /* 30 */

/* The least the schema takes: every optional field left out. */
static const char bare_plan[] =
    "case_id: B-1\n"
    "institution: Gevangenis Brugge\n"
    "status: closed\n"
    "dates: {detention_start: '2026-01-10'}\n"
    "team: {}\n"
    "domains:\n"
    "  psychosocial: {status: to-assess}\n"
    "  education_employment:\n"
    "    status: planned\n"
    "    goals:\n"
    "    - {text: a diploma, owner: dg-epi, actions: [{text: enrol, owner: dg-epi}]}\n"
    "  mental_health: {status: to-assess}\n"
    "  social_context: {status: to-assess}\n"
    "  alternative_discourse: {status: to-assess}\n";

/* Replaces the first from in s by to; malloc'd. */
static char *
edit(const char *s, const char *from, const char *to)
{
	const char *at = strstr(s, from);

	if (at == NULL) {
		printf("# no '%s' in the plan\n", from);
		return xstrdup(s);
	}
	return xasprintf("%.*s%s%s", (int)(at - s), s, to, at + strlen(from));
}

/* The problems as "line: path: message" lines, for comparing with a row; malloc'd. */
static char *
shown(const struct problems *ps)
{
	struct buf b = {0};

	for (size_t i = 0; i < ps->n; i++)
		buf_printf(&b, "%d: %s: %s\n", ps->v[i].line, ps->v[i].path, ps->v[i].msg);
	return b.data ? buf_detach(&b) : xstrdup("");
}

/* The first problem of a row, for its "ok" line; static. */
static const char *
first_line(const char *want)
{
	static char line[512];

	if (want[0] == '\0')
		return "no problem";
	snprintf(line, sizeof line, "%.*s", (int)strcspn(want, "\n"), want);
	return line;
}

static struct settings *
settings(void)
{
	struct problems ps = {0};
	struct doc *d = casus_parse(settings_yaml, strlen(settings_yaml), "casus.yaml", "casus", &ps);
	struct settings *cfg = d ? settings_decode(d) : NULL;

	if (cfg == NULL) {
		problems_print(&ps, stdout, "# ");
		printf("# %s\n", err_last());
		exit(1);
	}
	problems_free(&ps);
	return cfg;
}

static void
test_decode(void)
{
	struct problems ps = {0};
	struct plan *p = plan_parse(full_plan, strlen(full_plan), "plan.yaml", &ps);
	const struct plan_team *t;
	const struct plan_domain *ee;

	check(p != NULL && ps.n == 0, "the full plan decodes");
	if (p == NULL)
		return;
	check(strcmp(p->case_id, "B-1") == 0 && p->case_id_line == 1, "case_id and its line");
	check(p->status == PLAN_OPEN, "status");
	check(p->nrefusals == 1 && p->old_refusal && p->refusals[0].since.m == 2 &&
	    p->refusals[0].revoked.m == 3, "the old refusal is read as a list of one");
	check(p->dates[PD_LEAVE_ELIGIBLE].y == 2027 && p->date_lines[PD_LEAVE_ELIGIBLE] == 7,
	    "a date and its line");
	check(p->naims == 2 && p->aims[1] == AIM_REINTEGRATION, "aims");
	t = plan_team(p, "welzijn");
	check(p->nteam == 3 && t && t->nmembers == 1 && t->members[0].line == 13 &&
	    strcmp(t->members[0].email, "bram@welzijn.example") == 0, "the team of a partner");
	check(plan_team(p, "police") == NULL, "no team for an unknown partner");
	check(p->nroles == 1 && strcmp(p->roles[0].member, "bram@welzijn.example") == 0, "roles");
	check(p->domains[DOMAIN_PSYCHOSOCIAL].status == DS_PLANNED &&
	    strcmp(p->domains[DOMAIN_PSYCHOSOCIAL].note, "weekly talks") == 0, "a domain's status and note");
	ee = &p->domains[DOMAIN_EDUCATION_EMPLOYMENT];
	check(ee->ngoals == 1 && ee->goals[0].nactions == 1 && ee->goals[0].owner_line == 24 &&
	    ee->goals[0].actions[0].status == ACTION_DONE && ee->goals[0].actions[0].due.d == 1,
	    "goals and actions");
	plan_free(p);

	p = plan_parse(bare_plan, strlen(bare_plan), "plan.yaml", &ps);
	check(p != NULL && ps.n == 0, "a plan without any optional field decodes");
	if (p == NULL)
		return;
	check(p->nrefusals == 0 && !date_valid(p->dates[PD_LEAVE_ELIGIBLE]) && p->naims == 0 &&
	    p->nteam == 0 && p->nroles == 0, "absent fields are empty");
	ee = &p->domains[DOMAIN_EDUCATION_EMPLOYMENT];
	check(p->domains[DOMAIN_PSYCHOSOCIAL].owner == NULL && p->domains[DOMAIN_PSYCHOSOCIAL].note == NULL,
	    "a domain without owner or note");
	check(ee->goals[0].status == GOAL_OPEN && ee->goals[0].actions[0].status == ACTION_PLANNED &&
	    !date_valid(ee->goals[0].actions[0].due), "a goal's and an action's defaults");
	plan_free(p);
}

/* Trees the decoder refuses rather than crash on: no schema ran on them. */
static void
test_decode_refuses(void)
{
	static const char *const bad[] = {
		"",
		"[1, 2]",
		"case_id: B-1\n",
		"case_id: B-1\ninstitution: x\nstatus: open\n",
		"case_id: B-1\ninstitution: x\nstatus: gone\ndates: {detention_start: '2026-01-10'}\n",
		"case_id: B-1\ninstitution: x\nstatus: open\ndates: {detention_start: '2026-01-10'}\n"
		    "team: {}\ndomains: {psychosocial: {status: to-assess}}\n",
		"case_id: B-1\ninstitution: x\nstatus: open\ndates: {detention_start: 2026}\nteam: {}\n",
		"case_id: B-1\ninstitution: x\nstatus: open\ndates: {detention_start: '2026-01-10'}\n"
		    "team: {dg-epi: ann}\n",
	};

	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		struct problems ps = {0};
		struct doc *d = NULL;
		struct plan *p;

		doc_parse(bad[i], strlen(bad[i]), "t.yaml", &doc_limits_casus, &d, &ps);
		p = plan_decode(d);
		check(p == NULL && strstr(err_last(), "is not as the schema says") != NULL,
		    "the decoder refuses bad tree %zu: %s", i, err_last());
		plan_free(p);
		problems_free(&ps);
	}
}

static void
test_check(const struct settings *cfg)
{
	static const struct {
		const char *from, *to, *id, *want;
	} rows[] = {
		{"", "", "B-1", ""},
		{"", "", NULL, ""},
		{"case_id: B-1", "case_id: B-2", "B-1", "1: case_id: is 'B-2' but the case is 'B-1'\n"},
		{"release_eligible: '2028-05-31'", "release_eligible: '2027-05-30'", "B-1",
		    "8: dates.release_eligible: release_eligible 2027-05-30 is before leave_eligible 2027-05-31\n"},
		/* A date left out is left out of the order, not a gap that hides one. */
		{"  release_eligible: '2028-05-31'\n", "", "B-1", ""},
		{"leave_eligible: '2027-05-31'", "leave_eligible: '2025-05-31'", "B-1",
		    "7: dates.leave_eligible: leave_eligible 2025-05-31 is before detention_start 2026-01-10\n"},
		{"dg-epi: [ann@brugge.example]", "dg-epi: [bram@welzijn.example]", "B-1",
		    "12: team.dg-epi[0]: 'bram@welzijn.example' is a member for welzijn, not dg-epi\n"},
		{"welzijn: [bram@welzijn.example]", "welzijn: [bram@welzijn.example, eve@x.example]", "B-1",
		    "13: team.welzijn[1]: 'eve@x.example' is not a registered team member\n"},
		{"  justitiehuizen: [chris@jh.example]", "  police: [chris@jh.example]", "B-1",
		    "14: team: unknown partner 'police' (known: dg-epi, welzijn, justitiehuizen)\n"},
		{"- {partner: welzijn, member: bram@welzijn.example,", "- {partner: police, member: eve@x.example,",
		    "B-1", "16: roles[0]: unknown partner 'police'\n"
		    "16: roles[0]: 'eve@x.example' is not a registered team member\n"},
		{"owner: welzijn, note", "owner: police, note", "B-1",
		    "18: domains.psychosocial: unknown partner 'police' (known: dg-epi, welzijn, justitiehuizen)\n"},
		{"      owner: dg-epi", "      owner: police", "B-1",
		    "24: domains.education_employment.goals[0]: unknown partner 'police' (known: dg-epi, welzijn, justitiehuizen)\n"},
		{"{text: enrol, owner: dg-epi", "{text: enrol, owner: police", "B-1",
		    "27: domains.education_employment.goals[0].actions[0]: unknown partner 'police' (known: dg-epi, welzijn, justitiehuizen)\n"},
	};

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		struct problems ps = {0};
		char *y = edit(full_plan, rows[i].from, rows[i].to), *got;
		struct plan *p = plan_parse(y, strlen(y), "plan.yaml", &ps);

		if (p == NULL) {
			check(false, "plan row %zu does not decode", i);
			problems_free(&ps);
			free(y);
			continue;
		}
		plan_check(cfg, p, rows[i].id, "plan.yaml", &ps);
		got = shown(&ps);
		check(strcmp(got, rows[i].want) == 0, "plan row %zu: %s", i, first_line(rows[i].want));
		if (strcmp(got, rows[i].want) != 0)
			printf("# got: %s", got);
		free(got);
		plan_free(p);
		problems_free(&ps);
		free(y);
	}
}

static const char full_reint[] =
    "case_id: B-1\n"                                    /* 1 */
    "housing: {status: arranged, owner: justitiehuizen, note: with the family}\n"
    "work: {status: in-progress, owner: welzijn}\n"
    "network: {status: not-needed}\n"
    "care: {status: to-arrange}\n"                      /* 5 */
    "local_partners: [{organisation: VDAB, role: job placement}]\n"
    "follow_up: {justice_house: Justitiehuis Brugge, member: chris@jh.example, from: '2027-06-01'}\n"
    "needs:\n"
    "- {category: psychosocial, from: welzijn}\n"
    "- {category: reintegration, from: justitiehuizen, purpose: aftercare}\n";    /* 10 */

static void
test_reintegration(const struct settings *cfg)
{
	static const struct {
		const char *from, *to, *id, *want;
	} rows[] = {
		{"", "", "B-1", ""},
		{"case_id: B-1", "case_id: B-2", "B-1", "1: case_id: is 'B-2' but the case is 'B-1'\n"},
		{"owner: welzijn", "owner: police", "B-1",
		    "3: work: unknown partner 'police' (known: dg-epi, welzijn, justitiehuizen)\n"},
		{"member: chris@jh.example", "member: ann@brugge.example", "B-1",
		    "7: follow_up.member: 'ann@brugge.example' is a member for dg-epi, not justitiehuizen\n"},
		{"member: chris@jh.example", "member: eve@x.example", "B-1",
		    "7: follow_up.member: 'eve@x.example' is not a registered team member\n"},
		{"{category: psychosocial, from: welzijn}", "{category: finances, from: police}", "B-1",
		    "9: needs[0]: unknown category 'finances'\n9: needs[0]: unknown partner 'police'\n"},
	};
	struct problems ps = {0};
	struct reintegration *r;
	struct doc *t;
	char *out;
	size_t len;

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char *y = edit(full_reint, rows[i].from, rows[i].to), *got;

		r = reintegration_parse(y, strlen(y), "reintegration.yaml", &ps);
		if (r == NULL) {
			check(false, "reintegration row %zu does not decode", i);
			problems_free(&ps);
			free(y);
			continue;
		}
		reintegration_check(cfg, r, rows[i].id, "reintegration.yaml", &ps);
		got = shown(&ps);
		check(strcmp(got, rows[i].want) == 0, "reintegration row %zu: %s", i,
		    first_line(rows[i].want));
		if (strcmp(got, rows[i].want) != 0)
			printf("# got: %s", got);
		free(got);
		reintegration_free(r);
		problems_free(&ps);
		free(y);
	}

	r = reintegration_parse(full_reint, strlen(full_reint), "reintegration.yaml", &ps);
	check(r && r->areas[AREA_HOUSING].status == AS_ARRANGED && r->areas[AREA_CARE].owner == NULL &&
	    r->nlocal_partners == 1 && r->has_follow_up && r->follow_up.from.y == 2027 &&
	    r->nneeds == 2 && r->needs[0].purpose == PURPOSE_REINTEGRATION &&
	    r->needs[1].purpose == PURPOSE_AFTERCARE, "the full reintegration plan decodes");
	reintegration_free(r);

	/* The template is what the schema takes, with nothing optional: no follow-up yet. */
	t = reintegration_template("B-1");
	check(casus_dump(t, "reintegration", &out, &len) == 0, "the template dumps");
	r = reintegration_parse(out, len, "reintegration.yaml", &ps);
	check(r && ps.n == 0 && !r->has_follow_up && r->nneeds == 0 &&
	    r->areas[AREA_WORK].status == AS_TO_ARRANGE, "the template decodes, every area to arrange");
	if (r)
		reintegration_check(cfg, r, "B-1", "reintegration.yaml", &ps);
	check(ps.n == 0, "the template passes the check");
	reintegration_free(r);
	problems_free(&ps);
	free(out);
	doc_free(t);
}

/* The reason of the check named name among the n of c, or "". */
static const char *
reason(const struct check *c, size_t n, const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].name, name) == 0)
			return c[i].reason;
	return "";
}

/*
 * The rules that read a plan run on one without any optional field, and on a reintegration
 * plan without a follow-up or needs: each reads "absent" as absent (strcmp on a field left out
 * was how this crashed before).
 */
static void
test_readiness(const struct settings *cfg)
{
	struct problems ps = {0};
	struct case_data cd = {0};
	struct check c[READINESS_MAX];
	struct date on = {2026, 6, 1}, when;
	struct doc *t = reintegration_template("B-1");
	char *out = NULL;
	size_t n, len;

	cd.plan = plan_parse(bare_plan, strlen(bare_plan), "plan.yaml", &ps);
	if (cd.plan == NULL) {
		check(false, "the bare plan decodes");
		return;
	}
	check(!milestone_date(cd.plan, FOR_RELEASE, &when), "no release date in a bare plan");
	n = readiness(cfg, &cd, FOR_RELEASE, on, c);
	check(strcmp(reason(c, n, "plan-complete"),
	    "life domains still to assess: psychosocial, mental_health, social_context, alternative_discourse") == 0,
	    "plan-complete on a bare plan");
	check(strcmp(reason(c, n, "team-complete"),
	    "no active team member for dg-epi, welzijn, justitiehuizen") == 0, "team-complete on an empty team");
	check(strcmp(reason(c, n, "reintegration-plan"), "the case has no reintegration plan") == 0,
	    "reintegration-plan without one");
	check(strcmp(reason(c, n, "dates"), "no release_eligible date") == 0, "dates without the milestone's");
	checks_free(c, n);

	if (casus_dump(t, "reintegration", &out, &len) == 0)
		cd.reint = reintegration_parse(out, len, "reintegration.yaml", &ps);
	n = readiness(cfg, &cd, FOR_RELEASE, on, c);
	check(strcmp(reason(c, n, "reintegration-plan"),
	    "the reintegration plan names no justice assistant for the follow-up") == 0,
	    "reintegration-plan without a follow-up");
	check(strcmp(reason(c, n, "sharing-basis"),
	    "the reintegration plan lists nothing the justice houses need") == 0, "sharing-basis without needs");
	checks_free(c, n);

	plan_free(cd.plan);
	reintegration_free(cd.reint);
	problems_free(&ps);
	free(out);
	doc_free(t);
}

int
main(void)
{
	struct settings *cfg = settings();

	test_decode();
	test_decode_refuses();
	test_check(cfg);
	test_reintegration(cfg);
	test_readiness(cfg);
	settings_free(cfg);
	printf("1..%d\n", npass + nfail);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
