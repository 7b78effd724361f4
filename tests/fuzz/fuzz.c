/* fuzz.c: the properties every fuzz target checks, and the fixed documents they check against. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "doc.h"
#include "fuzz.h"
#include "msg.h"
#include "schema.h"

/* casus.yaml as case-init and member-add write it (the demo's store), one partner sharing under art. 458ter. */
static const char settings_yaml[] =
    "version: 1\n"
    "institution: Brugge\n"
    "partners:\n"
    "  dg-epi:\n"
    "    name: DG EPI, prison administration, including its psychosocial service\n"
    "    shares_under_458ter: true\n"
    "  justitiehuizen:\n"
    "    name: Afdeling Justitiehuizen, justice houses\n"
    "    shares_under_458ter: false\n"
    "  welzijn:\n"
    "    name: Afdeling Welzijn en Samenleving, Flemish welfare services\n"
    "    shares_under_458ter: false\n"
    "categories:\n"
    "  alternative_discourse:\n"
    "    description: persons offering an alternative discourse to violent extremism\n"
    "    domain: alternative_discourse\n"
    "  detention:\n"
    "    description: 'the course of detention: regime, incidents, leave decisions'\n"
    "  education_employment:\n"
    "    description: education, training and employment\n"
    "    domain: education_employment\n"
    "  mental_health:\n"
    "    description: trauma-related or specialised mental health care, including addiction care\n"
    "    domain: mental_health\n"
    "  psychosocial:\n"
    "    description: psychosocial support and its follow-up\n"
    "    domain: psychosocial\n"
    "  reintegration:\n"
    "    description: the reintegration plan and the follow-up after release\n"
    "  security:\n"
    "    description: security assessments and measures\n"
    "  social_context:\n"
    "    description: 'involvement and guidance of the social context: family and network'\n"
    "    domain: social_context\n"
    "overleg:\n"
    "  cadence: '6w'\n"
    "  pre_leave_lead: '3m'\n"
    "members:\n"
    "- email: ann@brugge.example\n"
    "  name: Ann Peeters\n"
    "  partner: dg-epi\n"
    "  role: psychosocial service\n"
    "  active: true\n"
    "  since: '2026-11-29'\n"
    "- email: bram@welzijn.example\n"
    "  name: Bram Claes\n"
    "  partner: welzijn\n"
    "  role: consultant radicalisation\n"
    "  active: true\n"
    "  since: '2026-11-29'\n"
    "- email: chris@jh.example\n"
    "  name: Chris Maes\n"
    "  partner: justitiehuizen\n"
    "  role: justice assistant\n"
    "  active: true\n"
    "  since: '2026-11-29'\n";

static const char plan_yaml[] =
    "case_id: B-2026-017\n"
    "institution: Brugge\n"
    "status: open\n"
    "dates:\n"
    "  detention_start: '2026-01-10'\n"
    "  leave_eligible: '2027-05-31'\n"
    "  release_eligible: '2028-05-31'\n"
    "  sentence_end: '2030-01-10'\n"
    "team:\n"
    "  dg-epi:\n"
    "  - ann@brugge.example\n"
    "  justitiehuizen:\n"
    "  - chris@jh.example\n"
    "  welzijn:\n"
    "  - bram@welzijn.example\n"
    "domains:\n"
    "  psychosocial:\n"
    "    status: in-progress\n"
    "    owner: welzijn\n"
    "    goals:\n"
    "    - text: positive identity development and planning for the future\n"
    "      owner: welzijn\n"
    "      actions:\n"
    "      - text: weekly individual sessions\n"
    "        owner: welzijn\n"
    "        due: '2027-03-31'\n"
    "  education_employment:\n"
    "    status: to-assess\n"
    "  mental_health:\n"
    "    status: to-assess\n"
    "  social_context:\n"
    "    status: planned\n"
    "    owner: welzijn\n"
    "    note: involve the family in visits and in the reintegration plan\n"
    "  alternative_discourse:\n"
    "    status: to-assess\n";

static const char consent_yaml[] =
    "id: c-20261102-42c555\n"
    "case_id: B-2026-017\n"
    "kind: consent\n"
    "date: '2026-11-02'\n"
    "recorded: '2026-11-29'\n"
    "recorded_by: bram@welzijn.example\n"
    "how: written\n"
    "evidence: F-2026-113\n"
    "informed: true\n"
    "to:\n"
    "- dg-epi\n"
    "- justitiehuizen\n"
    "categories:\n"
    "- psychosocial\n"
    "purpose: casusoverleg\n";

_Noreturn void
fuzz_broken(const char *what, const char *bytes, size_t len)
{
	fprintf(stderr, "fuzz: property broken: %s\n", what);
	if (err_last()[0] != '\0')
		fprintf(stderr, "fuzz: last error: %s\n", err_last());
	if (bytes != NULL) {
		fprintf(stderr, "fuzz: %zu bytes:\n", len);
		fwrite(bytes, 1, len, stderr);
		fputc('\n', stderr);
	}
	abort();
}

/* Parses one of the fixed documents once; they are valid, or every run would be meaningless. */
static const struct doc *
fixed(struct doc **slot, const char *text, const char *schema)
{
	struct problems ps = {0};

	if (*slot == NULL) {
		*slot = casus_parse(text, strlen(text), schema, schema, &ps);
		if (*slot == NULL) {
			problems_print(&ps, stderr, "fuzz: ");
			fuzz_broken("the fixed document is valid", text, strlen(text));
		}
	}
	return *slot;
}

static struct doc *settings_doc, *plan_doc, *consent_doc;

static void
free_fixed(void)
{
	doc_free(settings_doc);
	doc_free(plan_doc);
	doc_free(consent_doc);
}

static void
fixed_init(void)
{
	static int done;

	if (!done) {
		done = 1;
		atexit(free_fixed);
	}
}

const struct settings *
fuzz_settings(void)
{
	static struct settings *cfg;

	fixed_init();
	if (cfg == NULL)
		cfg = settings_decode(doc_clone(fixed(&settings_doc, settings_yaml, "casus")));
	if (cfg == NULL)
		fuzz_broken("the fixed settings decode", NULL, 0);
	return cfg;
}

const struct doc *
fuzz_plan(void)
{
	fixed_init();
	return fixed(&plan_doc, plan_yaml, "plan");
}

const struct plan *
fuzz_plan_decoded(void)
{
	static struct plan *p;

	if (p == NULL && (p = plan_decode(doc_clone(fuzz_plan()))) == NULL)
		fuzz_broken("the fixed plan decodes", NULL, 0);
	return p;
}

const struct doc *
fuzz_consent(void)
{
	fixed_init();
	return fixed(&consent_doc, consent_yaml, "consent");
}

static int
emit(struct doc *d, const char *schema, char **out, size_t *len)
{
	return schema ? casus_dump(d, schema, out, len) : doc_emit_yaml(d, out, len);
}

struct doc *
fuzz_roundtrip(struct doc *d, const char *schema, const struct doc_limits *lim)
{
	struct problems ps = {0};
	struct doc *back;
	char *e1, *e2;
	size_t n1, n2;

	if (emit(d, schema, &e1, &n1) < 0)
		fuzz_broken("an accepted document can be emitted", NULL, 0);
	if (doc_parse(e1, n1, "emitted", lim, &back, &ps) < 0) {
		problems_print(&ps, stderr, "fuzz: ");
		fuzz_broken("the emitted text parses", e1, n1);
	}
	if (schema && !schema_validate(casus_schema(schema), back, "emitted", &ps)) {
		problems_print(&ps, stderr, "fuzz: ");
		fuzz_broken("the emitted text validates", e1, n1);
	}
	FUZZ_ASSERT(doc_equal(d, back), e1, n1);
	if (emit(back, schema, &e2, &n2) < 0)
		fuzz_broken("a document read back can be emitted", e1, n1);
	if (n1 != n2 || memcmp(e1, e2, n1) != 0) {
		fprintf(stderr, "fuzz: emitted twice:\n%.*s\n", (int)n2, e2);
		fuzz_broken("emit(parse(emit(x))) == emit(x)", e1, n1);
	}
	free(e1);
	free(e2);
	problems_free(&ps);
	return back;
}

static int
problem_cmp(const void *a, const void *b)
{
	const struct problem *x = a, *y = b;
	int c = strcmp(x->path ? x->path : "", y->path ? y->path : "");

	return c ? c : strcmp(x->msg, y->msg);
}

/* Key order may differ after canonicalization, and with it the order of the problems. */
void
fuzz_same_problems(const struct problems *ps, const struct problems *qs)
{
	if (ps->n != qs->n) {
		problems_print(ps, stderr, "fuzz: before: ");
		problems_print(qs, stderr, "fuzz: after: ");
		fuzz_broken("the same number of problems after the round trip", NULL, 0);
	}
	if (ps->n > 1) {
		qsort(ps->v, ps->n, sizeof *ps->v, problem_cmp);
		qsort(qs->v, qs->n, sizeof *qs->v, problem_cmp);
	}
	for (size_t i = 0; i < ps->n; i++)
		if (problem_cmp(&ps->v[i], &qs->v[i]) != 0) {
			problems_print(ps, stderr, "fuzz: before: ");
			problems_print(qs, stderr, "fuzz: after: ");
			fuzz_broken("the same problems after the round trip", NULL, 0);
		}
}

int
fuzz_record(const struct fuzz_kind *k, const uint8_t *data, size_t size)
{
	const struct settings *cfg = fuzz_settings();
	struct problems ps = {0}, qs = {0};
	struct doc *d, *back, *copy;

	d = casus_parse((const char *)data, size, k->file, k->schema, &ps);
	if (d == NULL) {
		/* A refusal always says why. */
		FUZZ_ASSERT(ps.n > 0, (const char *)data, size);
		problems_free(&ps);
		return 0;
	}
	FUZZ_ASSERT(ps.n == 0, (const char *)data, size);
	if (k->check)
		k->check(cfg, d, &ps);
	back = fuzz_roundtrip(d, k->schema, &doc_limits_casus);
	if (k->check)
		k->check(cfg, back, &qs);
	fuzz_same_problems(&ps, &qs);
	if (k->use) {
		copy = doc_clone(back);
		k->use(cfg, back);
		FUZZ_ASSERT(doc_equal(copy, back), (const char *)data, size);
		doc_free(copy);
	}
	problems_free(&ps);
	problems_free(&qs);
	doc_free(d);
	doc_free(back);
	return 0;
}
