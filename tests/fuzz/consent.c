/*
 * consent: a consent, refusal, withdrawal or legal-basis record as case-validate and
 * share-check decode it: schema "consent"; a valid one then joins the fixed consent record of
 * its case, and the answers of share_decide() for every pair of partners, every category it
 * names and one it does not, both purposes and the days around its dates are its checks: the
 * record read back must give the same answers.
 */
#include <stdio.h>
#include <string.h>

#include "casus.h"
#include "consent.h"
#include "seal.h"
#include "fuzz.h"
#include "vocab.h"

static struct date
date_of(const struct doc *d, const char *key)
{
	const char *s = doc_get_str(d, key);
	struct date v = {2026, 11, 29};

	if (s)
		date_parse(s, strlen(s), &v);
	return v;
}

static void
ask(const struct settings *cfg, const struct records *r, struct share_query *q, struct problems *ps)
{
	struct share_answer a;
	char d[11];

	for (int from = 0; from < PARTNER_N; from++)
		for (int to = 0; to < PARTNER_N; to++) {
			if (from == to)
				continue;
			q->from = vocab_word(vocab_partners, from);
			q->to = vocab_word(vocab_partners, to);
			share_decide(cfg, r, q, &a);
			problems_add(ps, NULL, 0, q->category, "%s to %s for %s on %s: %s %s (%s)", q->from,
			    q->to, q->basis ? vocab_word(vocab_basis_purposes, q->basis_purpose)
			    : vocab_word(vocab_purposes, q->purpose), date_format(q->date, d),
			    a.allowed ? "yes" : "no", a.reason, a.by ? a.by->id : "-");
			share_answer_free(&a);
		}
}

static void
check(const struct settings *cfg, const struct doc *d, struct problems *ps)
{
	const struct doc *fixed = fuzz_consent(), *cats = doc_get(d, "categories");
	struct consent_record *mine = consent_decode(doc_clone(d));
	struct records r = {0};
	struct date on[4];
	const char *purposes[2] = {NULL, doc_get_str(d, "purpose")};
	struct share_query q = {0};

	/* A tree the schema passed always decodes. */
	FUZZ_ASSERT(mine != NULL, NULL, 0);
	/* In their places, as records_read() puts them: by date, then by ID. */
	records_add(&r, consent_decode(doc_clone(fixed)));
	records_add(&r, mine);
	on[0] = date_of(d, "date");
	on[1] = date_add_days(on[0], -1);
	on[2] = date_of(d, "until");
	on[3] = date_add_days(on[2], 1);
	for (size_t k = 0; k < 4; k++)
		for (size_t p = 0; p < 2; p++) {
			int pi = vocab_find(vocab_purposes, purposes[p]), b = vocab_find(vocab_basis_purposes, purposes[p]);

			q.date = on[k];
			q.purpose = pi >= 0 ? (enum purpose)pi : PURPOSE_CASUSOVERLEG;
			q.basis = b >= 0;
			q.basis_purpose = b >= 0 ? (enum basis_purpose)b : BP_N;
			q.category = "security";
			ask(cfg, &r, &q, ps);
			for (size_t i = 0; cats && cats->type == DOC_SEQ && i < cats->n && i < 4; i++) {
				q.category = doc_str(cats->items[i]);
				ask(cfg, &r, &q, ps);
			}
		}
	FUZZ_ASSERT(records_find(&r, doc_get_str(d, "id")) != NULL, NULL, 0);
	(void)records_withdrawal(&r, doc_get_str(fixed, "id"), NULL);
	records_free(&r);
}

static void
use(const struct settings *cfg, const struct doc *d)
{
	struct records r = {0};
	struct doc *plan = doc_clone(fuzz_plan());

	records_add(&r, consent_decode(doc_clone(d)));
	for (int p = 0; p < PARTNER_N; p++) {
		struct seal_ctx c = {
			.kind = SEAL_PLAN, .case_id = "B-2026-017", .file = "plan.yaml", .cfg = cfg,
			.rs = &r, .on = date_of(d, "date"), .viewer = vocab_word(vocab_partners, p),
		};

		seal_view(plan, &c);
	}
	records_free(&r);
	doc_free(plan);
}

static const struct fuzz_kind kind = {"consent", "consent.yaml", check, use};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_record(&kind, data, size);
}
