/*
 * settings: casus.yaml as case-config and every program read it: schema "casus", then
 * config_check(). A valid one is then used as the settings of the fixed plan: its checks,
 * its consultations due and what a partner may see.
 */
#include <stdlib.h>

#include "casus.h"
#include "consent.h"
#include "seal.h"
#include "fuzz.h"
#include "overleg.h"
#include "vocab.h"

static void
check(const struct settings *cfg, const struct doc *d, struct problems *ps)
{
	struct settings *own = settings_decode(doc_clone(d));
	struct plan *plan;

	(void)cfg;
	/* A tree the schema passed always decodes. */
	FUZZ_ASSERT(own != NULL, NULL, 0);
	settings_check(own, CASUS_CONFIG, ps);
	/* The fixed plan's cross-checks depend on the settings alone. */
	plan = plan_decode(doc_clone(fuzz_plan()));
	FUZZ_ASSERT(plan != NULL, NULL, 0);
	plan_check(own, plan, "B-2026-017", "plan.yaml", ps);
	plan_free(plan);
	settings_free(own);
}

static void
use(const struct settings *cfg, const struct doc *d)
{
	struct overlegs o = {0};
	struct records r = {0};
	struct date today = {2026, 11, 29}, until = {2028, 11, 29};
	struct due *due;
	struct doc *plan = doc_clone(fuzz_plan());
	struct settings *own = settings_decode(doc_clone(d));
	char *list;

	(void)cfg;
	FUZZ_ASSERT(own != NULL, NULL, 0);
	overleg_due(own, fuzz_plan_decoded(), &o, today, today, until, &due);
	free(due);
	for (int p = 0; p < PARTNER_N; p++) {
		struct seal_ctx c = {
			.kind = SEAL_PLAN, .case_id = "B-2026-017", .file = "plan.yaml", .cfg = own,
			.rs = &r, .on = today, .viewer = vocab_word(vocab_partners, p),
		};

		seal_view(plan, &c);
	}
	for (size_t i = 0; i < own->nmembers; i++)
		FUZZ_ASSERT(settings_member(own, own->members[i].email) != NULL, NULL, 0);
	list = settings_partner_list(own);
	free(list);
	list = settings_category_list(own);
	free(list);
	settings_free(own);
	doc_free(plan);
}

static const struct fuzz_kind kind = {"casus", CASUS_CONFIG, check, use};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_record(&kind, data, size);
}
