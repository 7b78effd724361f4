/*
 * overleg: a consultation (overleg/<DATE>.yaml) as case-validate and overleg-schedule decode
 * it: schema "overleg"; a valid one then counts, with the fixed settings and plan, for the
 * consultations due, the agreements still open and overleg_check() with the fixed consent
 * record, which are its checks: the consultation read back must give the same ones.
 */
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "fuzz.h"
#include "msg.h"
#include "overleg.h"

static void
check(const struct settings *cfg, const struct doc *d, struct problems *ps)
{
	struct overleg *one = overleg_decode(doc_clone(d));
	struct case_data cd = {.id = "B-2026-017", .plan = (struct plan *)fuzz_plan_decoded()};
	struct date today = {2026, 11, 29}, until = {2028, 11, 29};
	struct agreement *ag;
	struct due *due;
	size_t n;
	char buf[11], *path;

	if (one == NULL) {
		/* A tree that passed the schema always decodes: say so, the replay then differs. */
		problems_add(ps, NULL, 0, "decode", "%s", err_last());
		err_clear();
		return;
	}
	overlegs_add(&cd.o, one);
	records_add(&cd.rs, consent_decode(doc_clone(fuzz_consent())));
	n = overleg_due(cfg, fuzz_plan_decoded(), &cd.o, today, today, until, &due);
	for (size_t i = 0; i < n; i++)
		problems_add(ps, NULL, 0, "due", "%s %s %s", date_format(due[i].date, buf),
		    vocab_word(vocab_overleg_kinds, due[i].kind), due_status_word(due[i].status));
	free(due);
	n = overleg_agreements(&cd.o, NULL, &ag);
	for (size_t i = 0; i < n; i++) {
		char *id = agreement_id(&ag[i]);

		problems_add(ps, NULL, 0, "agreement", "%s %s", id,
		    ag[i].closed >= 0 ? vocab_word(vocab_closings, ag[i].closed) : "open");
		free(id);
	}
	free(ag);
	if (overleg_pre_leave_held(cfg, fuzz_plan_decoded(), &cd.o) != NULL)
		problems_add(ps, NULL, 0, "pre-leave", "held");
	if (overlegs_last_held(&cd.o) != NULL)
		problems_add(ps, NULL, 0, "last", "held");
	/* The one check, as case-validate runs it on a stored consultation. */
	overleg_check(cfg, &cd, one, NULL, ps);
	path = overleg_path("B-2026-017", today);
	free(path);
	overlegs_free(&cd.o);
	records_free(&cd.rs);
}

static const struct fuzz_kind kind = {"overleg", "overleg.yaml", check, NULL};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_record(&kind, data, size);
}
