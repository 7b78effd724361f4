/*
 * minutes: the minutes a chair gives overleg-record, decoded as it decodes them: schema
 * "minutes". overleg-record's own checks (who was present, what closes what) are static in
 * cmd/overleg-record.c; what it asks of the library is share_decide() for every sharing,
 * which here runs against the fixed settings and consent record and must give the same
 * answers for the minutes read back.
 */
#include "casus.h"
#include "consent.h"
#include "fuzz.h"

static void
check(const struct settings *cfg, const struct doc *d, struct problems *ps)
{
	struct records r = {0};
	const struct doc *shared = doc_get(d, "shared");

	records_add(&r, consent_decode(doc_clone(fuzz_consent())));
	for (size_t i = 0; shared && i < shared->n; i++) {
		const struct doc *to = doc_get(shared->items[i], "to");
		struct share_query q = {
			.from = doc_get_str(shared->items[i], "from"),
			.category = doc_get_str(shared->items[i], "category"),
			.date = {2026, 11, 20},
		};
		struct share_answer a;

		for (size_t k = 0; to && k < to->n; k++) {
			q.to = doc_str(to->items[k]);
			share_decide(cfg, &r, &q, &a);
			problems_add(ps, NULL, 0, "shared", "%s to %s: %s %s", q.category, q.to,
			    a.allowed ? "yes" : "no", a.reason);
			share_answer_free(&a);
		}
	}
	records_free(&r);
}

static const struct fuzz_kind kind = {"minutes", "minutes", check, NULL};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_record(&kind, data, size);
}
