/*
 * plan: a case's plan.yaml as plan-edit and case-validate decode it: schema "plan", then
 * plan_check() against the fixed settings; a valid one then gives its consultations due and
 * is viewed by each partner without a key, as plan-show shows it (seal_view()).
 */
#include <stdlib.h>

#include "casus.h"
#include "consent.h"
#include "seal.h"
#include "fuzz.h"
#include "vocab.h"
#include "overleg.h"

static void
check(const struct settings *cfg, const struct doc *d, struct problems *ps)
{
	struct plan *p = plan_decode(doc_clone(d));

	/* A tree the schema passed always decodes. */
	FUZZ_ASSERT(p != NULL, NULL, 0);
	plan_check(cfg, p, "B-2026-017", "plan.yaml", ps);
	plan_free(p);
}

static void
use(const struct settings *cfg, const struct doc *d)
{
	struct overlegs o = {0};
	struct records r = {0};
	struct date today = {2026, 11, 29}, until = {2028, 11, 29}, pre, leave;
	struct plan *plan = plan_decode(doc_clone(d));
	struct due *due;

	FUZZ_ASSERT(plan != NULL, NULL, 0);
	overleg_due(cfg, plan, &o, today, today, until, &due);
	free(due);
	(void)overleg_pre_leave(cfg, plan, &pre, &leave);
	plan_free(plan);
	for (int p = 0; p < PARTNER_N; p++) {
		struct doc *copy = doc_clone(d);
		struct plan *seen;
		struct seal_ctx c = {
			.kind = SEAL_PLAN, .case_id = "B-2026-017", .file = "plan.yaml", .cfg = cfg,
			.rs = &r, .on = today, .viewer = vocab_word(vocab_partners, p),
		};

		seal_view(copy, &c);
		/* plan-show decodes what a partner may see again: it must still be a plan. */
		seen = plan_decode(copy);
		FUZZ_ASSERT(seen != NULL, NULL, 0);
		plan_free(seen);
	}
}

static const struct fuzz_kind kind = {"plan", "plan.yaml", check, use};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_record(&kind, data, size);
}
