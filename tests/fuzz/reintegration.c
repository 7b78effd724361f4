/*
 * reintegration: a reintegration.yaml as plan-edit --reintegration and case-validate decode
 * it: schema "reintegration", then reintegration_check() against the fixed settings; a valid
 * one is then withheld from each partner, as plan-show does.
 */
#include "casus.h"
#include "consent.h"
#include "seal.h"
#include "fuzz.h"
#include "vocab.h"

static void
check(const struct settings *cfg, const struct doc *d, struct problems *ps)
{
	struct reintegration *r = reintegration_decode(doc_clone(d));

	/* A tree the schema passed always decodes. */
	FUZZ_ASSERT(r != NULL, NULL, 0);
	reintegration_check(cfg, r, "B-2026-017", "reintegration.yaml", ps);
	reintegration_free(r);
}

static void
use(const struct settings *cfg, const struct doc *d)
{
	struct records r = {0};
	struct date today = {2026, 11, 29};

	for (int p = 0; p < PARTNER_N; p++) {
		struct doc *copy = doc_clone(d);
		struct reintegration *seen;
		struct seal_ctx c = {
			.kind = SEAL_REINTEGRATION, .case_id = "B-2026-017", .file = "reintegration.yaml",
			.cfg = cfg, .rs = &r, .on = today, .viewer = vocab_word(vocab_partners, p),
		};

		seal_view(copy, &c);
		/* plan-show decodes what a partner may see again. */
		seen = reintegration_decode(copy);
		FUZZ_ASSERT(seen != NULL, NULL, 0);
		reintegration_free(seen);
	}
}

static const struct fuzz_kind kind = {"reintegration", "reintegration.yaml", check, use};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_record(&kind, data, size);
}
