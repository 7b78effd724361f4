/*
 * schemas.h: the schemas built into the programs, and the one way a casus document is read
 * (parsed with casus's limits, then validated) and written (canonical order, then emitted).
 */
#ifndef CASUS_SCHEMAS_H
#define CASUS_SCHEMAS_H

#include <stddef.h>

#include "doc.h"
#include "problem.h"
#include "schema.h"

/* A file built into the programs (the schemas). */
struct casus_file {
	const char *name;
	const char *data;
	size_t len;
};
extern const struct casus_file casus_schema_files[];   /* NULL-terminated; generated */

/* The compiled built-in schema "casus", "plan", ... (cached for the process). Dies if it is broken. */
const struct schema *casus_schema(const char *name);

/*
 * Parses buf as one casus document and validates it with the named built-in schema. Returns
 * the tree, or NULL with the problems appended to ps (file names them).
 */
struct doc *casus_parse(const char *buf, size_t len, const char *file, const char *schema,
    struct problems *ps);
/*
 * The second half of casus_parse(): validates d, a parsed tree it takes, with the named
 * built-in schema. Returns d, or NULL with d freed and the problems appended to ps.
 */
struct doc *casus_validate(struct doc *d, const char *file, const char *schema,
    struct problems *ps);
/*
 * As casus_parse() for a file read from the store, where the first problem is the error:
 * NULL with err_set() as problems_to_error() sets it.
 */
struct doc *casus_load(const char *buf, size_t len, const char *file, const char *schema);
/*
 * The one way a list of problems becomes an error: "cannot <verb> '<file>': line N: <path>:
 * <message>" from the first problem (ps may be empty: "... it is not valid"). Returns -1.
 */
int problems_to_error(const struct problems *ps, const char *verb, const char *file);
/*
 * The canonical bytes of d: keys in the schema's order, then emitted. Refuses (-1, err_set) a
 * result larger than doc_limits_casus allows a file to be read, so what casus stores it can
 * read back. Returns 0 with *out malloc'd, or -1.
 */
int casus_dump(struct doc *d, const char *schema, char **out, size_t *len);

#endif
