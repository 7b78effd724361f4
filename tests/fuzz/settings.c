/*
 * settings: casus.yaml as case-config and every program read it: schema "casus", then
 * config_check(). A valid one is then used as the settings of the fixed plan: its checks,
 * its consultations due and what a partner may see.
 */
#include <stdlib.h>

#include "casus.h"
#include "consent.h"
#include "fuzz.h"
#include "overleg.h"

static void
check(const struct doc *cfg, const struct doc *d, struct problems *ps)
{
	(void)cfg;
	config_check(d, CASUS_CONFIG, ps);
	/* The fixed plan's cross-checks depend on the settings alone. */
	plan_check(d, fuzz_plan(), "B-2026-017", "plan.yaml", ps);
}

static void
use(const struct doc *cfg, const struct doc *d)
{
	struct overlegs o = {0};
	struct records r = {0};
	struct date today = {2026, 11, 29}, until = {2028, 11, 29};
	struct due *due;
	struct doc *plan = doc_clone(fuzz_plan());
	const struct doc *m = doc_get(d, "members");
	char *list;

	(void)cfg;
	overleg_due(d, plan, &o, today, today, until, &due);
	free(due);
	for (const char *const *p = casus_partners; *p; p++)
		plan_withhold(plan, d, &r, *p, today);
	for (size_t i = 0; m && i < m->n; i++)
		(void)config_member_active(d, doc_get_str(m->items[i], "email"));
	list = config_list(d, "partners");
	free(list);
	list = config_list(d, "categories");
	free(list);
	doc_free(plan);
}

static const struct fuzz_kind kind = {"casus", CASUS_CONFIG, check, use};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_record(&kind, data, size);
}
