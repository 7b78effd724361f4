/*
 * seal-test: lib/seal.c on its own: a plan sealed and opened again, a sealed value that does
 * not open where it was not sealed, the content key kept while no recipient goes and renewed
 * when one does, a part closed to the writer kept as stored, unchanged text kept byte for
 * byte, views for another partner, parts in clear left to their holders, the checks and the
 * mask. Settings, records and plans are read with casus_parse() against the built-in schemas,
 * as stored files are; the keys are made afresh.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "consent.h"
#include "doc.h"
#include "key.h"
#include "mem.h"
#include "msg.h"
#include "rows.h"
#include "seal.h"

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
#define DAY "2026-11-29"
#define NOBASIS_DG "no consent or legal basis covers psychosocial from welzijn to dg-epi on " DAY
#define NOBASIS_JH "no consent or legal basis covers psychosocial from welzijn to justitiehuizen on " DAY

/* The people: ann of dg-epi, bram of welzijn, chris of the justice houses. */
static struct key *ann, *bram, *chris;

static const char base_settings[] =
    "version: 1\n"
    "institution: Brugge\n"
    "partners:\n"
    "  dg-epi: {name: DG EPI}\n"
    "  justitiehuizen: {name: Justitiehuizen}\n"
    "  welzijn: {name: Welzijn}\n"
    "categories:\n"
    "  psychosocial: {description: psychosocial support, domain: psychosocial}\n"
    "  mental_health: {description: mental health, domain: mental_health}\n"
    "  detention: {description: the course of the detention}\n"
    "  reintegration: {description: the reintegration plan}\n"
    "overleg: {cadence: 6w, pre_leave_lead: 3m}\n";

static const char base_plan[] =
    "case_id: " CASE "\n"
    "institution: Brugge\n"
    "status: open\n"
    "dates: {detention_start: 2026-01-10}\n"
    "team: {welzijn: [bram@welzijn.example]}\n"
    "roles:\n"
    "- {partner: dg-epi, member: ann@brugge.example, agreement: Ann chairs}\n"
    "domains:\n"
    "  psychosocial:\n"
    "    status: planned\n"
    "    owner: welzijn\n"
    "    note: Talks weekly\n"
    "    goals:\n"
    "    - {text: Sleep better, owner: welzijn, actions: [{text: See the nurse, owner: welzijn}]}\n"
    "  education_employment: {status: to-assess, note: No owner yet}\n"
    "  mental_health: {status: planned, owner: dg-epi, note: Stable}\n"
    "  social_context: {status: to-assess}\n"
    "  alternative_discourse: {status: to-assess}\n";

static const char base_overleg[] =
    "case_id: " CASE "\n"
    "date: 2026-11-20\n"
    "kind: periodic\n"
    "status: held\n"
    "present:\n"
    "- {partner: dg-epi, member: ann@brugge.example}\n"
    "- {partner: welzijn, member: bram@welzijn.example}\n"
    "agreements:\n"
    "- {text: Bram finds a course, owner: welzijn}\n"
    "decisions:\n"
    "- {text: Leave is advised, consensus: false, dissent: [{partner: dg-epi, point: Too early}]}\n"
    "recorded_by: ann@brugge.example\n";

static const char base_reintegration[] =
    "case_id: " CASE "\n"
    "housing: {status: in-progress, owner: welzijn, note: A room in Gent}\n"
    "work: {status: to-arrange}\n"
    "network: {status: to-arrange}\n"
    "care: {status: to-arrange}\n";

/* Consent of the detainee for what welzijn holds on psychosocial support, to TO. */
#define CONSENT(id, to) "{id: " id ", case_id: " CASE ", kind: consent, date: 2026-11-01, " \
	"recorded: 2026-11-01, how: written, informed: true, told: leaflet, language: nl, " \
	"from: [welzijn], to: [" to "], categories: [psychosocial], purpose: casusoverleg}"

static char *
member_yaml(const char *email, const char *partner, const struct key *k)
{
	char *line = key_public_line(key_public(k), email);
	char *s = xasprintf("- {email: %s, name: %s, partner: %s, active: true, since: 2026-01-01, "
	    "keys: [{key: '%s', since: 2026-01-01}]}\n", email, email, partner, line);

	free(line);
	return s;
}

/* The settings with the three of them, bram's current key bk. */
static struct settings *
settings(const struct key *bk)
{
	char *a = member_yaml("ann@brugge.example", "dg-epi", ann);
	char *b = member_yaml("bram@welzijn.example", "welzijn", bk);
	char *c = member_yaml("chris@jh.example", "justitiehuizen", chris);
	char *text = xasprintf("%smembers:\n%s%s%s", base_settings, a, b, c);
	struct problems ps = {0};
	struct doc *d = casus_parse(text, strlen(text), "casus.yaml", "casus", &ps);

	problems_print(&ps, stdout, "#");
	problems_free(&ps);
	free(a);
	free(b);
	free(c);
	free(text);
	return d ? settings_decode(d) : NULL;
}

static void
records_of(struct records *r, const char *const *recs)
{
	memset(r, 0, sizeof *r);
	for (size_t i = 0; recs && recs[i]; i++) {
		struct doc *d = load("record", recs[i], NULL, "consent");

		if (d)
			records_add(r, consent_decode(d));
	}
}

static struct seal_ctx
ctx(const struct settings *cfg, const struct records *r, const struct key *k, const char *viewer)
{
	struct seal_ctx c = {
		.kind = SEAL_PLAN, .case_id = CASE, .file = "plan.yaml", .cfg = cfg, .rs = r,
		.key = k, .viewer = viewer,
	};

	date_parse(DAY, strlen(DAY), &c.on);
	return c;
}

static const char *
schema_of(enum seal_kind k)
{
	return k == SEAL_PLAN ? "plan" : k == SEAL_REINTEGRATION ? "reintegration" : "overleg";
}

/* d written out canonically and read back with its schema, as a store holds it. */
static struct doc *
stored_form(struct doc *d, const char *schema)
{
	struct problems ps = {0};
	struct doc *back;
	char *text;
	size_t len;

	if (casus_dump(d, schema, &text, &len) < 0) {
		printf("# cannot dump: %s\n", err_last());
		return NULL;
	}
	back = casus_parse(text, len, schema, schema, &ps);
	problems_print(&ps, stdout, "#");
	problems_free(&ps);
	free(text);
	return back;
}

static char *
dump(const struct doc *d)
{
	struct doc *c = doc_clone(d);
	char *text = NULL;
	size_t len;

	if (casus_dump(c, "plan", &text, &len) < 0)
		text = NULL;
	doc_free(c);
	return text;
}

/* Writes d (taken) over stored as the holder of k: the stored form, or NULL (err_last()). */
static struct doc *
put(struct doc *d, const struct doc *stored, const struct seal_ctx *c)
{
	struct doc *out = NULL;

	if (seal_put(d, stored, c) == 0)
		out = stored_form(d, schema_of(c->kind));
	doc_free(d);
	return out;
}

/* The view of stored (a copy) with c. */
static struct doc *
view(const struct doc *stored, const struct seal_ctx *c, size_t *marked)
{
	struct doc *v = doc_clone(stored);
	size_t n = seal_view(v, c);

	if (marked)
		*marked = n;
	return v;
}

static const char *
at(const struct doc *d, const char *dotted)
{
	return doc_str(doc_lookup(d, dotted));
}

static const struct doc *
goal(const struct doc *d, size_t i)
{
	const struct doc *g = doc_lookup(d, "domains.psychosocial.goals");

	return g && g->type == DOC_SEQ && i < g->n ? g->items[i] : NULL;
}

static bool
starts(const char *s, const char *prefix)
{
	return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

static size_t
nseal(const struct doc *d, const char *part)
{
	char *p = xasprintf("%s.seal", part);
	const struct doc *s = doc_lookup(d, p);

	free(p);
	return s && s->type == DOC_SEQ ? s->n : 0;
}

static const struct doc *
seal_item(const struct doc *d, const char *part, const char *member)
{
	char *p = xasprintf("%s.seal", part);
	const struct doc *s = doc_lookup(d, p);

	free(p);
	for (size_t i = 0; s && s->type == DOC_SEQ && i < s->n; i++)
		if (strcmp(doc_get_str(s->items[i], "member"), member) == 0)
			return s->items[i];
	return NULL;
}

/* The seal list entry of member in item i of the list at dotted, or NULL. */
static const struct doc *
seal_item_at(const struct doc *d, const char *dotted, size_t i, const char *member)
{
	const struct doc *l = doc_lookup(d, dotted), *s;

	s = l && l->type == DOC_SEQ && i < l->n ? doc_get(l->items[i], "seal") : NULL;
	for (size_t k = 0; s && s->type == DOC_SEQ && k < s->n; k++)
		if (strcmp(doc_get_str(s->items[k], "member"), member) == 0)
			return s->items[k];
	return NULL;
}

int
main(void)
{
	struct settings *cfg;
	struct records none, yes_dg, yes_jh, jh_detention;
	const char *r_det[] = {"{id: c-20261101-000004, case_id: " CASE ", kind: consent, "
	    "date: 2026-11-01, recorded: 2026-11-01, how: written, informed: true, told: leaflet, "
	    "language: nl, from: [welzijn], to: [justitiehuizen], categories: [detention], "
	    "purpose: casusoverleg}", NULL};
	const char *r_dg[] = {CONSENT("c-20261101-000001", "dg-epi"), NULL};
	const char *r_jh[] = {CONSENT("c-20261101-000002", "justitiehuizen"), NULL};
	struct doc *s1, *s2, *s3, *v, *d;
	struct seal_ctx c;
	size_t marked;
	char *a, *b;

	if (key_generate(&ann) < 0 || key_generate(&bram) < 0 || key_generate(&chris) < 0)
		return 2;
	if ((cfg = settings(bram)) == NULL) {
		printf("# cannot read the settings: %s\n", err_last());
		return 2;
	}
	records_of(&none, NULL);
	records_of(&yes_dg, r_dg);
	records_of(&yes_jh, r_jh);
	records_of(&jh_detention, r_det);

	/* Sealing a new plan, and opening it again. */
	c = ctx(cfg, &none, bram, NULL);
	s1 = put(load("plan", base_plan, NULL, "plan"), NULL, &c);
	ok(s1 != NULL, "a new plan is sealed and its stored form is valid");
	if (s1 == NULL)
		return 1;
	ok(seal_is_value(doc_lookup(s1, "domains.psychosocial.note")) &&
	    seal_is_value(doc_get(goal(s1, 0), "text")) &&
	    seal_is_value(doc_lookup(s1, "roles")->items[0]->pairs[2].val),
	    "every text is stored sealed");
	ok(nseal(s1, "domains.psychosocial") == 1 && seal_item(s1, "domains.psychosocial", "bram@welzijn.example"),
	    "without a basis, a part is sealed for its holder's members alone");
	ok(nseal(s1, "domains.mental_health") == 1 && seal_item(s1, "domains.mental_health", "ann@brugge.example"),
	    "a part another partner holds is sealed for that partner's members");
	ok(nseal(s1, "domains.education_employment") == 1 &&
	    seal_item(s1, "domains.education_employment", "bram@welzijn.example"),
	    "a part without holder is sealed for the writer's partner");
	ok(strcmp(seal_text(doc_lookup(s1, "domains.psychosocial.note")), SEAL_CLOSED) == 0 &&
	    strcmp(seal_text(doc_lookup(s1, "domains.mental_health.note")), "Stable") != 0,
	    "decoders read a sealed value as " SEAL_CLOSED);
	v = view(s1, &c, &marked);
	ok(starts(at(v, "domains.psychosocial.note"), "Talks weekly") &&
	    strcmp(doc_get_str(goal(v, 0), "text"), "Sleep better") == 0 &&
	    strcmp(doc_get_str(doc_get(goal(v, 0), "actions")->items[0], "text"), "See the nurse") == 0,
	    "round trip: the holder's key opens every field");
	ok(marked == 2 && starts(at(v, "domains.mental_health.note"), "[sealed for dg-epi: ") &&
	    starts(at(v, "domains.mental_health.withheld"), "no consent or legal basis covers mental_health") &&
	    strcmp(at(v, "domains.mental_health.sealed_for"), "dg-epi") == 0,
	    "what another partner holds shows as a marker with share_decide()'s reason");
	doc_free(v);
	{
		struct seal_ctx ca = ctx(cfg, &none, ann, NULL);

		v = view(s1, &ca, NULL);
		ok(strcmp(at(v, "domains.psychosocial.note"), "[sealed for welzijn: " NOBASIS_DG "]") == 0 &&
		    strcmp(at(v, "domains.psychosocial.withheld"), NOBASIS_DG) == 0,
		    "without a basis, another partner's member sees the marker and why");
		ok(strcmp(at(v, "domains.mental_health.note"), "Stable") == 0,
		    "ann opens what dg-epi holds though bram wrote it");
		doc_free(v);
	}
	{
		struct seal_ctx cn = ctx(cfg, &none, NULL, NULL);

		v = view(s1, &cn, NULL);
		ok(strcmp(at(v, "domains.psychosocial.withheld"), "you have no key to open it") == 0,
		    "with no key nothing opens, and the marker says why");
		doc_free(v);
	}

	{
		struct seal_ctx ca = ctx(cfg, &none, ann, NULL);

		v = view(s1, &ca, NULL);
		ok(strcmp(at(v, "domains.education_employment.note"),
		    "[sealed for welzijn: no partner is recorded as holding it]") == 0,
		    "a part without holder names the partner it was sealed for");
		doc_free(v);
	}
	{
		/* bram has a new key: what was sealed for the old one waits for a re-seal. */
		struct key *bram2;
		struct settings *cfg2;
		struct seal_ctx cb;
		struct problems ps = {0};

		key_generate(&bram2);
		cfg2 = settings(bram2);
		cb = ctx(cfg2, &none, bram2, NULL);
		v = view(s1, &cb, NULL);
		ok(strcmp(at(v, "domains.psychosocial.withheld"),
		    "not sealed for your key yet (a member of welzijn re-seals it with case-reseal)") == 0,
		    "a recipient's new key: not sealed for your key yet");
		doc_free(v);
		seal_check(s1, &cb, "plan.yaml", &ps);
		ok(ps.n >= 1 && strcmp(ps.v[0].msg, "sealed for bram@welzijn.example (an old key) but the bases of "
		    DAY " allow bram@welzijn.example: re-seal it (case-reseal)") == 0,
		    "seal_check: a part sealed for an old key is stale");
		problems_free(&ps);
		settings_free(cfg2);
		key_free(bram2);
	}

	/* A sealed value moved to another field, or read in another case, does not open. */
	d = doc_clone(s1);
	doc_set(doc_lookup(d, "domains.psychosocial"), "note", doc_clone(doc_get(goal(s1, 0), "text")));
	v = view(d, &c, NULL);
	ok(starts(at(v, "domains.psychosocial.note"), "[sealed for welzijn: it does not open"),
	    "a sealed value copied to another field does not open");
	doc_free(v);
	{
		struct problems ps = {0};

		seal_check(d, &c, "plan.yaml", &ps);
		ok(ps.n == 1 && strcmp(ps.v[0].path, "domains.psychosocial.note") == 0 &&
		    strcmp(ps.v[0].msg, "sealed value does not open: it was moved from another field or case, or altered") == 0,
		    "seal_check names the value that does not open");
		problems_free(&ps);
	}
	doc_free(d);
	{
		struct seal_ctx other = c;

		other.case_id = "B-2026-018";
		v = view(s1, &other, NULL);
		ok(starts(at(v, "domains.psychosocial.note"), "[sealed for welzijn: it does not open"),
		    "a sealed value copied to another case does not open");
		doc_free(v);
	}
	d = view(s1, &c, NULL);
	doc_set(doc_lookup(d, "domains.psychosocial"), "note", doc_clone(doc_get(goal(s1, 0), "text")));
	ok(put(d, s1, &c) == NULL &&
	    strcmp(err_last(), "domains.psychosocial.note: a sealed value is kept only where it was sealed") == 0,
	    "seal_put refuses a sealed value put where it was not sealed");

	/* Unchanged text keeps its stored bytes. */
	s2 = put(view(s1, &c, NULL), s1, &c);
	a = dump(s1);
	b = dump(s2);
	ok(a && b && strcmp(a, b) == 0, "a view written back unchanged gives the same canonical bytes");
	free(b);
	doc_free(s2);

	/* A recipient added: the content key stays, a wrap is added. */
	c = ctx(cfg, &yes_dg, bram, NULL);
	s2 = put(view(s1, &c, NULL), s1, &c);
	ok(s2 && nseal(s2, "domains.psychosocial") == 2 &&
	    doc_equal(seal_item(s2, "domains.psychosocial", "bram@welzijn.example"),
	    seal_item(s1, "domains.psychosocial", "bram@welzijn.example")) &&
	    doc_equal(doc_lookup(s2, "domains.psychosocial.note"), doc_lookup(s1, "domains.psychosocial.note")),
	    "a recipient added keeps the content key, the stored values and wraps, and adds a wrap");
	{
		struct seal_ctx ca = ctx(cfg, &yes_dg, ann, NULL);

		v = view(s2, &ca, &marked);
		ok(strcmp(at(v, "domains.psychosocial.note"), "Talks weekly") == 0,
		    "the new recipient opens it");
		doc_free(v);
		ca.rs = &none;
		v = view(s2, &ca, &marked);
		ok(strcmp(at(v, "domains.psychosocial.note"), "Talks weekly") == 0,
		    "a view opens by the seal list, not by today's bases");
		doc_free(v);
	}
	{
		struct seal_ctx ca = ctx(cfg, &yes_dg, ann, NULL);

		v = view(s1, &ca, NULL);
		ok(strcmp(at(v, "domains.psychosocial.withheld"),
		    "not sealed for dg-epi yet (a member of welzijn re-seals it with case-reseal)") == 0,
		    "a basis without a re-seal: the marker says who re-seals it");
		doc_free(v);
	}

	/* A recipient removed: a new content key, every value sealed again. */
	c = ctx(cfg, &none, bram, NULL);
	s3 = put(view(s2, &c, NULL), s2, &c);
	ok(s3 && nseal(s3, "domains.psychosocial") == 1 &&
	    !doc_equal(seal_item(s3, "domains.psychosocial", "bram@welzijn.example"),
	    seal_item(s2, "domains.psychosocial", "bram@welzijn.example")) &&
	    !doc_equal(doc_lookup(s3, "domains.psychosocial.note"), doc_lookup(s2, "domains.psychosocial.note")),
	    "a recipient removed makes a new content key and seals every value again");
	{
		struct seal_ctx ca = ctx(cfg, &none, ann, NULL);

		v = view(s3, &ca, NULL);
		ok(starts(at(v, "domains.psychosocial.note"), "[sealed for welzijn: "),
		    "the removed recipient no longer opens it");
		doc_free(v);
	}
	doc_free(s3);

	/* A part given to another holder is sealed for the new holder by whoever opens it. */
	d = view(s1, &c, NULL);
	doc_set(doc_lookup(d, "domains.psychosocial"), "owner", doc_new_str("dg-epi"));
	s3 = put(d, s1, &c);
	ok(s3 && nseal(s3, "domains.psychosocial") == 1 && seal_item(s3, "domains.psychosocial", "ann@brugge.example"),
	    "a part given to another partner is sealed for that partner");
	doc_free(s3);

	/* A part closed to the writer. */
	{
		struct seal_ctx ca = ctx(cfg, &none, ann, NULL);

		d = view(s1, &ca, NULL);
		doc_set(doc_lookup(d, "roles")->items[0], "agreement", doc_new_str("Ann chairs, Bram notes"));
		doc_set(doc_lookup(d, "domains.psychosocial"), "status", doc_new_str("in-progress"));
		s3 = put(d, s1, &ca);
		ok(s3 && doc_equal(doc_lookup(s3, "domains.psychosocial.note"), doc_lookup(s1, "domains.psychosocial.note")) &&
		    doc_equal(doc_lookup(s3, "domains.psychosocial.seal"), doc_lookup(s1, "domains.psychosocial.seal")) &&
		    doc_get(doc_lookup(s3, "domains.psychosocial"), "sealed_for") == NULL &&
		    doc_get(doc_lookup(s3, "domains.psychosocial"), "withheld") == NULL &&
		    strcmp(at(s3, "domains.psychosocial.status"), "in-progress") == 0,
		    "a part closed to the writer is restored from stored, its markers taken out");
		v = view(s3, &ca, NULL);
		ok(strcmp(doc_get_str(doc_lookup(v, "roles")->items[0], "agreement"), "Ann chairs, Bram notes") == 0,
		    "what the writer changed in their own part is sealed anew");
		doc_free(v);
		doc_free(s3);
		d = view(s1, &ca, NULL);
		doc_set(doc_lookup(d, "domains.psychosocial"), "note", doc_new_str("Rewritten"));
		ok(put(d, s1, &ca) == NULL && strcmp(err_last(),
		    "domains.psychosocial: is sealed for welzijn and your key does not open it") == 0,
		    "a changed closed part is refused: " "domains.psychosocial: is sealed for welzijn and your key does not open it");
		d = view(s1, &ca, NULL);
		doc_push(doc_lookup(d, "domains.psychosocial.goals"), parse_map("goal", "{text: New, owner: welzijn}"));
		ok(put(d, s1, &ca) == NULL && strcmp(err_last(),
		    "domains.psychosocial: is sealed for welzijn and your key does not open it") == 0,
		    "a text added to a closed part is refused");

		/* Two role agreements of welzijn, closed to Ann: she removes the first. */
		d = view(s1, &c, NULL);
		doc_push(doc_get(d, "roles"), parse_map("roles",
		    "{partner: welzijn, member: bram@welzijn.example, agreement: Bram visits}"));
		doc_push(doc_get(d, "roles"), parse_map("roles",
		    "{partner: welzijn, member: bram@welzijn.example, agreement: Bram phones}"));
		s3 = put(d, s1, &c);
		ok(s3 != NULL, "two role agreements of welzijn are sealed");
		if (s3) {
			struct doc *roles;

			d = view(s3, &ca, NULL);
			roles = doc_get(d, "roles");
			doc_free(roles->items[1]);
			memmove(&roles->items[1], &roles->items[2], sizeof *roles->items);
			roles->n--;
			ok(put(d, s3, &ca) == NULL && strcmp(err_last(),
			    "roles[1]: is sealed for welzijn and your key does not open it") == 0,
			    "a closed part moved up its list is not taken for the one stored there: "
			    "roles[1]: is sealed for welzijn and your key does not open it");
			doc_free(s3);
		}
	}

	/* Views for another partner, computed from the recipients. */
	{
		struct seal_ctx cj = ctx(cfg, &none, bram, "justitiehuizen");

		v = view(s2, &cj, NULL);
		ok(strcmp(at(v, "domains.psychosocial.withheld"), NOBASIS_JH) == 0,
		    "--for a partner without a basis: share_decide()'s reason");
		doc_free(v);
		cj.rs = &yes_jh;
		v = view(s2, &cj, NULL);
		ok(strcmp(at(v, "domains.psychosocial.withheld"),
		    "not sealed for justitiehuizen yet (a member of welzijn re-seals it with case-reseal)") == 0,
		    "--for a partner the bases allow but the seal does not: who re-seals it");
		doc_free(v);
		cj.viewer = "dg-epi";
		v = view(s2, &cj, NULL);
		ok(strcmp(at(v, "domains.psychosocial.note"), "Talks weekly") == 0,
		    "--for a partner that is a recipient: the runner's key opens it for them");
		doc_free(v);
	}

	/* Parts in clear stay in clear unless a holder writes them. */
	{
		struct doc *clear = load("plan", base_plan, NULL, "plan");
		struct seal_ctx cc = ctx(cfg, &none, chris, NULL);

		s3 = put(doc_clone(clear), clear, &cc);
		ok(s3 && doc_equal(doc_lookup(s3, "domains.psychosocial"), doc_lookup(clear, "domains.psychosocial")) &&
		    doc_equal(doc_lookup(s3, "domains.mental_health"), doc_lookup(clear, "domains.mental_health")) &&
		    doc_equal(doc_lookup(s3, "roles"), doc_lookup(clear, "roles")),
		    "a writer leaves the parts in clear that other partners hold as they are");
		ok(s3 && nseal(s3, "domains.education_employment") == 1 &&
		    seal_item(s3, "domains.education_employment", "chris@jh.example"),
		    "a part in clear without holder is sealed by whoever writes it, for their partner");
		doc_free(s3);
		cc.viewer = "justitiehuizen";
		v = view(clear, &cc, &marked);
		ok(strcmp(at(v, "domains.psychosocial.note"), "[withheld: " NOBASIS_JH "]") == 0,
		    "--for on a part in clear withholds it as before sealing");
		doc_free(v);
		cc = ctx(cfg, &none, ann, NULL);
		s3 = put(doc_clone(clear), clear, &cc);
		ok(s3 && seal_is_value(doc_lookup(s3, "domains.mental_health.note")) &&
		    strcmp(at(s3, "domains.psychosocial.note"), "Talks weekly") == 0,
		    "a holder writing seals its own parts and only those");
		doc_free(s3);
		doc_free(clear);
	}

	/* case-validate's checks. */
	{
		struct problems ps = {0};
		struct seal_ctx cb = ctx(cfg, &yes_dg, bram, NULL);

		seal_check(s1, &cb, "plan.yaml", &ps);
		ok(ps.n == 1 && strcmp(ps.v[0].path, "domains.psychosocial") == 0 &&
		    strcmp(ps.v[0].msg, "sealed for bram@welzijn.example but the bases of " DAY
		    " allow ann@brugge.example, bram@welzijn.example: re-seal it (case-reseal)") == 0,
		    "a part the bases allow more recipients than it is sealed for is reported, and not a part without holder");
		problems_free(&ps);
		cb.key = NULL;
		seal_check(s2, &cb, "plan.yaml", &ps);
		ok(ps.n == 0, "a part sealed for the recipients of the day passes, without a key");
		problems_free(&ps);
		d = doc_clone(s2);
		doc_del(doc_lookup(d, "domains.psychosocial"), "seal");
		doc_set(doc_lookup(d, "domains.mental_health.seal")->items[0], "member",
		    doc_new_str("eve@elsewhere.example"));
		seal_check(d, &cb, "plan.yaml", &ps);
		ok(ps.n >= 4 && strcmp(ps.v[0].path, "domains.psychosocial.note") == 0 &&
		    strcmp(ps.v[0].msg, "is sealed but its part has no seal list") == 0 &&
		    strcmp(ps.v[3].path, "domains.mental_health.seal[0].member") == 0 &&
		    strstr(ps.v[3].msg, "'eve@elsewhere.example' is not a registered team member") != NULL,
		    "a sealed value without seal list, a recipient who is no member");
		problems_free(&ps);
		doc_free(d);
	}

	/* A consultation: a decision held by all present, a dissent by its partner; the mask. */
	{
		struct seal_ctx co = ctx(cfg, &none, ann, NULL), cb;
		struct doc *m1, *m2, *s4;

		co.kind = SEAL_OVERLEG;
		co.file = "overleg/2026-11-20.yaml";
		cb = co;
		cb.key = bram;
		s3 = put(load("overleg", base_overleg, NULL, "overleg"), NULL, &co);
		ok(s3 && nseal(s3, "decisions") == 0 && seal_is_value(doc_lookup(s3, "decisions")->items[0]->pairs[0].val),
		    "a consultation is sealed and its stored form is valid");
		v = s3 ? view(s3, &cb, &marked) : NULL;
		ok(v && marked == 1 &&
		    strcmp(doc_get_str(doc_lookup(v, "decisions")->items[0], "text"), "Leave is advised") == 0 &&
		    strcmp(doc_get_str(doc_lookup(v, "agreements")->items[0], "text"), "Bram finds a course") == 0 &&
		    starts(doc_get_str(doc_get(doc_lookup(v, "decisions")->items[0], "dissent")->items[0], "point"),
		    "[sealed for dg-epi: no consent or legal basis covers detention from dg-epi to welzijn"),
		    "a decision opens for every partner present, a point of dissent only for its partner");
		doc_free(v);
		m1 = s3 ? seal_mask(s3, SEAL_OVERLEG, "welzijn") : NULL;
		v = s3 ? view(s3, &cb, NULL) : NULL;
		cb.rs = &jh_detention;
		s4 = v ? put(v, s3, &cb) : NULL;
		m2 = s4 ? seal_mask(s4, SEAL_OVERLEG, "welzijn") : NULL;
		ok(s4 && seal_item_at(s4, "agreements", 0, "chris@jh.example") &&
		    !seal_item_at(s3, "agreements", 0, "chris@jh.example"),
		    "a holder re-sealing adds the partner a new basis allows");
		ok(m1 && m2 && doc_equal(m1, m2) &&
		    doc_lookup(m1, "agreements")->items[0]->n == 1 &&
		    doc_get(doc_get(doc_lookup(m1, "decisions")->items[0], "dissent")->items[0], "point") != NULL,
		    "seal_mask takes out what the partner holds and keeps what others hold: a re-seal by a holder is no change");
		doc_free(m1);
		doc_free(m2);
		m1 = seal_mask(s3, SEAL_OVERLEG, "dg-epi");
		m2 = s4 ? seal_mask(s4, SEAL_OVERLEG, "dg-epi") : NULL;
		ok(m2 && !doc_equal(m1, m2), "but it is a change of what another partner holds");
		doc_free(m1);
		doc_free(m2);
		m1 = s3 ? seal_mask(s3, SEAL_OVERLEG, "justitiehuizen") : NULL;
		ok(m1 && doc_equal(m1, s3), "seal_mask of a partner that holds nothing is the document");
		doc_free(m1);
		doc_free(s4);
		doc_free(s3);
	}

	/* A reintegration area: the justice houses may receive it for aftercare. */
	{
		const char *r_after[] = {"{id: c-20261101-000003, case_id: " CASE ", kind: consent, "
		    "date: 2026-11-01, recorded: 2026-11-01, how: written, informed: true, told: leaflet, "
		    "language: nl, from: [welzijn], to: [justitiehuizen], categories: [reintegration], "
		    "purpose: aftercare}", NULL};
		struct records after;
		struct seal_ctx cr = ctx(cfg, &after, bram, NULL);

		records_of(&after, r_after);
		cr.kind = SEAL_REINTEGRATION;
		cr.file = "reintegration.yaml";
		s3 = put(load("reintegration", base_reintegration, NULL, "reintegration"), NULL, &cr);
		ok(s3 && nseal(s3, "housing") == 2 && seal_item(s3, "housing", "chris@jh.example"),
		    "an area is sealed for the justice houses when they may receive it for aftercare");
		cr.key = chris;
		v = s3 ? view(s3, &cr, NULL) : NULL;
		ok(v && strcmp(at(v, "housing.note"), "A room in Gent") == 0, "and they open it");
		doc_free(v);
		doc_free(s3);
		records_free(&after);
	}

	free(a);
	doc_free(s1);
	doc_free(s2);
	records_free(&none);
	records_free(&yes_dg);
	records_free(&yes_jh);
	records_free(&jh_detention);
	settings_free(cfg);
	key_free(ann);
	key_free(bram);
	key_free(chris);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail != 0;
}
