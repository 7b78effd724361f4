/*
 * schema.h: validation of documents against a subset of JSON Schema 2020-12. Schemas are
 * themselves documents (written in YAML in schemas/). The supported keywords are listed by
 * schema_keywords[] and in the README.
 */
#ifndef CASUS_SCHEMA_H
#define CASUS_SCHEMA_H

#include <stdbool.h>

#include "doc.h"
#include "problem.h"

struct schema;

/* The keywords the validator implements, NULL-terminated. */
extern const char *const schema_keywords[];
/* The formats "format" asserts when opts->assert_format is set, NULL-terminated; others are annotations. */
extern const char *const schema_formats[];

struct schema_opts {
	bool assert_format;     /* "format" asserts (date, date-time, email...) instead of annotating */
	/*
	 * "format: date" takes any RFC 3339 full-date (years 0000..0999 too), as the
	 * JSON-Schema-Test-Suite wants, instead of casus's dates (date_parse in date.h).
	 */
	bool rfc3339_dates;
};

/*
 * Compiles root (which the schema takes a deep copy of) into a schema. Returns NULL with
 * err_set() on a schema that is itself malformed (a bad $ref, a pattern that does not compile).
 * name is used in messages.
 */
struct schema *schema_compile(const struct doc *root, const char *name, const struct schema_opts *opts);
void schema_free(struct schema *s);

/*
 * Validates d. Returns true if valid; otherwise false, with one problem per failure appended
 * to errs (file = file, line = the failing node's line, path = the dotted path to it, msg
 * saying what is wrong, e.g. "\"done\" is not one of to-assess, in-progress, ...").
 * errs may be NULL when only the verdict is wanted.
 */
bool schema_validate(const struct schema *s, const struct doc *d, const char *file, struct problems *errs);

/*
 * Reorders the keys of every map in d, in place, to the canonical order: first the keys the
 * schema lists under "properties" in their order there, then the others bytewise sorted.
 * Follows properties, items, $ref, and the first matching branch of allOf/anyOf/oneOf.
 */
void schema_canonicalize(const struct schema *s, struct doc *d);

#endif
