/*
 * fuzz.h: what the fuzz targets share. Each tests/fuzz/<target>.c defines the libFuzzer entry
 * point; clang links it with libFuzzer for `make fuzz`, the normal build links it with
 * replay.c so `make test` and `make check` run it over the committed inputs. A target never
 * returns on a broken property: it prints what broke and aborts, which both drivers report.
 */
#ifndef CASUS_FUZZ_H
#define CASUS_FUZZ_H

#include <stddef.h>
#include <stdint.h>

#include "doc.h"
#include "plan.h"
#include "problem.h"
#include "settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Prints "fuzz: property broken: <what>" and the bytes concerned (may be NULL) on stderr, then aborts. */
_Noreturn void fuzz_broken(const char *what, const char *bytes, size_t len);

/* Aborts naming the condition when it is false. */
#define FUZZ_ASSERT(cond, bytes, len) \
	((cond) ? (void)0 : fuzz_broken(#cond, (bytes), (len)))

/* The fixed, valid settings (casus.yaml) and plan of case B-2026-017 the record checks run against. */
const struct settings *fuzz_settings(void);
const struct doc *fuzz_plan(void);
/* The same plan decoded (struct plan, lib/plan.h). */
const struct plan *fuzz_plan_decoded(void);
/* The fixed consent record of that case: to dg-epi and justitiehuizen, psychosocial, from 2026-11-02. */
const struct doc *fuzz_consent(void);

/*
 * The canonical round trip: emit d as YAML, parse that back with lim, and require the same
 * data and, emitted again, the same bytes. Returns the tree read back (the caller frees it).
 * schema, when not NULL, is the built-in schema d was decoded with: keys are put in its order
 * first (casus_dump) and the tree read back must validate too.
 */
struct doc *fuzz_roundtrip(struct doc *d, const char *schema, const struct doc_limits *lim);

/* One kind of record, decoded as the programs decode it. */
struct fuzz_kind {
	const char *schema;     /* the built-in schema casus_parse() is given */
	const char *file;       /* the file name problems carry */
	/* The kind's checks of what a schema cannot say, against the settings cfg. */
	void (*check)(const struct settings *cfg, const struct doc *d, struct problems *ps);
	/* What the programs then do with a valid record (may be NULL); must not change d. */
	void (*use)(const struct settings *cfg, const struct doc *d);
};

/*
 * casus_parse() with the kind's schema; for an accepted input, the kind's checks, the round
 * trip, and the same problems from the checks of the tree read back. Returns 0.
 */
int fuzz_record(const struct fuzz_kind *k, const uint8_t *data, size_t size);

/* The problems ps must be the same as qs but for their line numbers. */
void fuzz_same_problems(const struct problems *ps, const struct problems *qs);

#endif
