/*
 * seal: a stored plan, reintegration plan or consultation (whichever schema the input passes,
 * in that order) opened, viewed, written back and checked as the programs do: seal_check(),
 * seal_view() for the key's own partner, for another partner and without a key, the view
 * decoded again, seal_put() of the view over the input, whose result must be valid, and
 * seal_mask(). The key is fixed (a seed of bytes 1..32), registered to bram of welzijn in
 * the fixed settings, and ann of dg-epi has the key of seed 33..64, so that the committed
 * seeds sealed with them open and the fuzzer starts from sealed documents that do.
 */
#include <stdlib.h>
#include <string.h>

#include "casus.h"
#include "consent.h"
#include "fuzz.h"
#include "key.h"
#include "mem.h"
#include "overleg.h"
#include "reintegration.h"
#include "schemas.h"
#include "seal.h"

static struct key *bram, *ann;
static struct settings *cfg;
static struct records rs;

static void
free_fixed(void)
{
	key_free(bram);
	key_free(ann);
	settings_free(cfg);
	records_free(&rs);
}

/* Registers k as the one key of member i of the settings' tree d. */
static void
register_key(struct doc *d, size_t i, const struct key *k)
{
	struct doc *m = doc_get(d, "members")->items[i];
	char *line = key_public_line(key_public(k), NULL);

	doc_set(m, "keys", doc_new(DOC_SEQ));
	doc_push(doc_get(m, "keys"), settings_key_item(line, "2026-01-01"));
	free(line);
}

static void
fixed_init(void)
{
	unsigned char seed[32];
	struct doc *d;

	if (cfg != NULL)
		return;
	for (int i = 0; i < 32; i++)
		seed[i] = (unsigned char)(i + 1);
	FUZZ_ASSERT(key_from_seed(seed, &bram) == 0, NULL, 0);
	for (int i = 0; i < 32; i++)
		seed[i] = (unsigned char)(i + 33);
	FUZZ_ASSERT(key_from_seed(seed, &ann) == 0, NULL, 0);
	d = doc_clone(fuzz_settings()->doc);
	register_key(d, 0, ann);
	register_key(d, 1, bram);
	cfg = settings_decode(d);
	FUZZ_ASSERT(cfg != NULL, NULL, 0);
	records_add(&rs, consent_decode(doc_clone(fuzz_consent())));
	atexit(free_fixed);
}

static const struct {
	const char *schema, *file;
	enum seal_kind kind;
} kinds[] = {
	{"plan", "plan.yaml", SEAL_PLAN},
	{"reintegration", "reintegration.yaml", SEAL_REINTEGRATION},
	{"overleg", "overleg/2026-11-20.yaml", SEAL_OVERLEG},
};

/* Whether d (taken) still decodes as its kind. */
static bool
decodes(enum seal_kind kind, struct doc *d)
{
	bool ok;

	if (kind == SEAL_PLAN) {
		struct plan *p = plan_decode(d);

		ok = p != NULL;
		plan_free(p);
	} else if (kind == SEAL_REINTEGRATION) {
		struct reintegration *r = reintegration_decode(d);

		ok = r != NULL;
		reintegration_free(r);
	} else {
		struct overleg *o = overleg_decode(d);

		ok = o != NULL;
		overleg_free(o);
	}
	return ok;
}

static void
one(const struct doc *d, size_t k, const uint8_t *data, size_t size)
{
	struct seal_ctx c = {
		.kind = kinds[k].kind, .case_id = "B-2026-017", .file = kinds[k].file, .cfg = cfg,
		.rs = &rs, .on = {2026, 11, 29}, .key = bram,
	};
	struct problems ps = {0};
	struct doc *v = doc_clone(d), *w, *m;
	char *out;
	size_t len;

	seal_check(d, &c, kinds[k].file, &ps);
	problems_free(&ps);
	seal_view(v, &c);
	/* What a view shows is decoded again by plan-show and plan-edit: it must decode. */
	FUZZ_ASSERT(decodes(c.kind, doc_clone(v)), (const char *)data, size);
	w = doc_clone(v);
	if (seal_put(w, d, &c) == 0 && casus_dump(w, kinds[k].schema, &out, &len) == 0) {
		struct doc *back = casus_parse(out, len, kinds[k].file, kinds[k].schema, &ps);

		/* What seal_put() makes ready to store is valid. */
		FUZZ_ASSERT(back != NULL, out, len);
		doc_free(back);
		free(out);
	}
	problems_free(&ps);
	doc_free(w);
	doc_free(v);
	c.viewer = "justitiehuizen";
	c.key = ann;
	v = doc_clone(d);
	seal_view(v, &c);
	FUZZ_ASSERT(decodes(c.kind, v), (const char *)data, size);
	c.viewer = NULL;
	c.key = NULL;
	v = doc_clone(d);
	seal_view(v, &c);
	FUZZ_ASSERT(decodes(c.kind, v), (const char *)data, size);
	m = seal_mask(d, c.kind, "welzijn");
	doc_free(m);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	fixed_init();
	for (size_t k = 0; k < sizeof kinds / sizeof kinds[0]; k++) {
		struct problems ps = {0};
		struct doc *d = casus_parse((const char *)data, size, kinds[k].file, kinds[k].schema, &ps);

		problems_free(&ps);
		if (d != NULL) {
			one(d, k, data, size);
			doc_free(d);
			break;
		}
	}
	return 0;
}
