/*
 * schema: the schema validator, given arbitrary schemas. The input is a YAML stream: its first
 * document is compiled as a schema, the others are instances; a lone schema is checked against
 * itself and against the fixed settings and plan. For every instance, the verdict must agree
 * with the problems given, not change when the instance or the schema goes through the
 * canonical round trip or when the instance's keys are put in canonical order, and an
 * instance valid with "format" asserting is valid with it annotating.
 */
#include <stdlib.h>

#include "doc.h"
#include "fuzz.h"
#include "msg.h"
#include "schema.h"

static void
instance(const struct schema *s, const struct schema *annot, const struct schema *again,
    const struct doc *x, const char *buf, size_t size)
{
	struct problems ps = {0};
	struct doc *c, *back;
	bool v = schema_validate(s, x, "instance", &ps);

	FUZZ_ASSERT(v == (ps.n == 0), buf, size);
	FUZZ_ASSERT(schema_validate(s, x, NULL, NULL) == v, buf, size);
	FUZZ_ASSERT(again == NULL || schema_validate(again, x, NULL, NULL) == v, buf, size);
	FUZZ_ASSERT(!v || schema_validate(annot, x, NULL, NULL), buf, size);
	c = doc_clone(x);
	schema_canonicalize(s, c);
	FUZZ_ASSERT(doc_equal(c, x), buf, size);
	FUZZ_ASSERT(schema_validate(s, c, NULL, NULL) == v, buf, size);
	back = fuzz_roundtrip(c, NULL, &doc_limits_casus);
	FUZZ_ASSERT(schema_validate(s, back, NULL, NULL) == v, buf, size);
	doc_free(back);
	doc_free(c);
	problems_free(&ps);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct schema_opts asserting = {.assert_format = true}, annotating = {0};
	const char *buf = (const char *)data;
	struct problems ps = {0};
	struct schema *s, *annot, *again;
	struct doc **docs, *back;
	size_t ndocs;

	if (doc_parse_stream(buf, size, "fuzz", &doc_limits_casus, &docs, &ndocs, &ps) < 0 || ndocs == 0) {
		problems_free(&ps);
		free(docs);
		return 0;
	}
	s = schema_compile(docs[0], "fuzz", &asserting);
	if (s == NULL) {
		/* A refused schema says why. */
		FUZZ_ASSERT(err_last()[0] != '\0', buf, size);
		err_clear();
	} else {
		annot = schema_compile(docs[0], "fuzz", &annotating);
		FUZZ_ASSERT(annot != NULL, buf, size);
		/* The schema written canonically and read back is the same schema. */
		back = fuzz_roundtrip(docs[0], NULL, &doc_limits_casus);
		again = schema_compile(back, "fuzz", &asserting);
		FUZZ_ASSERT(again != NULL, buf, size);
		if (ndocs == 1) {
			instance(s, annot, again, docs[0], buf, size);
			instance(s, annot, again, fuzz_settings()->doc, buf, size);
			instance(s, annot, again, fuzz_plan(), buf, size);
		}
		for (size_t i = 1; i < ndocs && i <= 8; i++)
			instance(s, annot, again, docs[i], buf, size);
		schema_free(again);
		schema_free(annot);
		schema_free(s);
		doc_free(back);
	}
	for (size_t i = 0; i < ndocs; i++)
		doc_free(docs[i]);
	free(docs);
	problems_free(&ps);
	return 0;
}
