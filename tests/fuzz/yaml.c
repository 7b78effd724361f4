/*
 * yaml: the YAML loader. Every input is read as casus reads its files (doc_limits_casus); an
 * accepted one must survive the canonical round trip, read the same as a one-document stream,
 * and be writable as JSON. A refused one gets exactly one problem.
 */
#include <stdint.h>
#include <stdlib.h>

#include "doc.h"
#include "fuzz.h"

/*
 * The block style takes more bytes than the flow style: 16 KiB of nested flow sequences are
 * 1 MiB written canonically. doc.h promises nothing about the size of what it writes, so the
 * round trip reads it back without the size limit; regress/yaml/growth-* keeps such an input.
 */
static const struct doc_limits any_size = {SIZE_MAX, 64, true};

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *buf = (const char *)data;
	struct problems ps = {0};
	struct doc *d, *back, *copy, **docs;
	size_t ndocs, len;
	char *json;
	int one, many;

	one = doc_parse(buf, size, "fuzz", &doc_limits_casus, &d, &ps);
	FUZZ_ASSERT(one == 0 ? ps.n == 0 : ps.n == 1, buf, size);
	problems_free(&ps);
	many = doc_parse_stream(buf, size, "fuzz", &doc_limits_casus, &docs, &ndocs, &ps);
	/* A stream of one document is that document; doc_parse() refuses only what a stream may hold. */
	if (many == 0 && ndocs <= 1)
		FUZZ_ASSERT(one == 0 && (ndocs == 0 ? d->type == DOC_NULL : doc_equal(d, docs[0])), buf, size);
	if (one == 0)
		FUZZ_ASSERT(many == 0 && ndocs <= 1, buf, size);
	for (size_t i = 0; i < ndocs; i++)
		doc_free(docs[i]);
	free(docs);
	problems_free(&ps);
	if (one < 0)
		return 0;
	copy = doc_clone(d);
	FUZZ_ASSERT(doc_equal(d, copy), buf, size);
	back = fuzz_roundtrip(d, NULL, &any_size);
	FUZZ_ASSERT(doc_emit_json(d, true, &json, &len) == 0, buf, size);
	free(json);
	FUZZ_ASSERT(doc_emit_json(d, false, &json, &len) == 0, buf, size);
	free(json);
	doc_free(copy);
	doc_free(back);
	doc_free(d);
	return 0;
}
