/*
 * overleg: a consultation (overleg/<DATE>.yaml) as case-validate and overleg-schedule decode
 * it: schema "overleg"; a valid one then counts, with the fixed settings and plan, for the
 * consultations due and the agreements still open, which are its checks: the consultation
 * read back must give the same ones.
 */
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "fuzz.h"
#include "overleg.h"

static void
check(const struct settings *cfg, const struct doc *d, struct problems *ps)
{
	struct doc *v[1] = {(struct doc *)d};
	struct overlegs o = {v, 1};
	struct date today = {2026, 11, 29}, until = {2028, 11, 29};
	struct agreement *ag;
	struct due *due;
	size_t n;
	char buf[11], *path;

	n = overleg_due(cfg, fuzz_plan(), &o, today, today, until, &due);
	for (size_t i = 0; i < n; i++)
		problems_add(ps, NULL, 0, "due", "%s %s %s", date_format(due[i].date, buf), due[i].kind,
		    due[i].status);
	free(due);
	n = overleg_agreements(&o, &ag);
	for (size_t i = 0; i < n; i++)
		problems_add(ps, NULL, 0, "agreement", "%s %s", ag[i].id, ag[i].closed ? ag[i].closed : "open");
	free(ag);
	if (overleg_pre_leave_held(cfg, fuzz_plan(), &o) != NULL)
		problems_add(ps, NULL, 0, "pre-leave", "held");
	if (overlegs_last_held(&o) != NULL)
		problems_add(ps, NULL, 0, "last", "held");
	path = overleg_path("B-2026-017", today);
	free(path);
}

static const struct fuzz_kind kind = {"overleg", "overleg.yaml", check, NULL};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_record(&kind, data, size);
}
