/* schemas.c: the built-in schemas, and reading and writing a casus document with them. */
#include <pthread.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "msg.h"
#include "schemas.h"

/* Compiled when first asked for, under lock: release-check --all reads cases in threads (view_each()). */
static struct {
	const char *name;
	struct schema *s;
} schemas[8];
static pthread_mutex_t schemas_lock = PTHREAD_MUTEX_INITIALIZER;

static void
free_schemas(void)
{
	for (size_t i = 0; i < sizeof schemas / sizeof schemas[0]; i++)
		schema_free(schemas[i].s);
}

/* Whether the schema text of f refers to the built-in schema named name ("plan.schema.yaml#..."). */
static bool
refers_to(const struct casus_file *f, const char *name)
{
	char *uri = xasprintf("\"%s.schema.yaml#", name);
	bool r = strstr(f->data, uri) != NULL;      /* the embedded text ends in a NUL */

	free(uri);
	return r;
}

/*
 * Puts every other built-in schema that root refers to ("plan.schema.yaml#..."), or that one
 * it takes refers to in turn, under its $defs, where its own $id makes it a resource of the
 * compound document (JSON Schema 2020-12, 9.3): one schema can build on another without the
 * validator fetching anything.
 */
static void
bundle(struct doc *root, const struct casus_file *self)
{
	struct doc *defs = doc_get(root, "$defs");
	const struct casus_file *taken[16] = {self};
	size_t ntaken = 1;
	bool more = true;

	while (more) {
		more = false;
		for (const struct casus_file *f = casus_schema_files; f->name; f++) {
			struct problems ps = {0};
			bool seen = false, wanted = false;
			struct doc *d;
			char *key;

			for (size_t i = 0; i < ntaken; i++) {
				seen = seen || taken[i] == f;
				wanted = wanted || refers_to(taken[i], f->name);
			}
			if (seen || !wanted)
				continue;
			if (ntaken == sizeof taken / sizeof taken[0])
				die("cannot load schema '%s': it refers to too many schemas", self->name);
			if (doc_parse(f->data, f->len, f->name, &doc_limits_casus, &d, &ps) < 0)
				die("cannot load schema '%s': %s", f->name, ps.n ? ps.v[0].msg : "parse error");
			if (defs == NULL) {
				defs = doc_new(DOC_MAP);
				doc_set(root, "$defs", defs);
			}
			key = xasprintf("bundled-%s", f->name);
			doc_set(defs, key, d);
			free(key);
			taken[ntaken++] = f;
			more = true;
		}
	}
}

static const struct schema *
schema_load(const char *name)
{
	static const struct schema_opts opts = {.assert_format = true};
	const struct casus_file *f;
	struct problems ps = {0};
	struct doc *d = NULL;
	size_t i;

	for (i = 0; i < sizeof schemas / sizeof schemas[0] && schemas[i].name; i++)
		if (strcmp(schemas[i].name, name) == 0)
			return schemas[i].s;
	if (i == sizeof schemas / sizeof schemas[0])
		die("cannot load schema '%s': too many schemas", name);
	for (f = casus_schema_files; f->name; f++)
		if (strcmp(f->name, name) == 0)
			break;
	if (f->name == NULL)
		die("cannot load schema '%s': not built in", name);
	if (doc_parse(f->data, f->len, f->name, &doc_limits_casus, &d, &ps) < 0)
		die("cannot load schema '%s': %s", name, ps.n ? ps.v[0].msg : "parse error");
	bundle(d, f);
	schemas[i].s = schema_compile(d, f->name, &opts);
	doc_free(d);
	if (schemas[i].s == NULL)
		die("cannot load schema '%s': %s", name, err_last());
	schemas[i].name = f->name;
	if (i == 0)
		atexit(free_schemas);
	return schemas[i].s;
}

const struct schema *
casus_schema(const char *name)
{
	const struct schema *s;

	pthread_mutex_lock(&schemas_lock);
	s = schema_load(name);
	pthread_mutex_unlock(&schemas_lock);
	return s;
}

struct doc *
casus_parse(const char *buf, size_t len, const char *file, const char *schema,
    struct problems *ps)
{
	struct doc *d;

	if (doc_parse(buf, len, file, &doc_limits_casus, &d, ps) < 0)
		return NULL;
	return casus_validate(d, file, schema, ps);
}

struct doc *
casus_validate(struct doc *d, const char *file, const char *schema, struct problems *ps)
{
	if (!schema_validate(casus_schema(schema), d, file, ps)) {
		doc_free(d);
		return NULL;
	}
	return d;
}

int
casus_dump(struct doc *d, const char *schema, char **out, size_t *len)
{
	schema_canonicalize(casus_schema(schema), d);
	if (doc_emit_yaml(d, out, len) < 0)
		return -1;
	/*
	 * What casus writes it must be able to read. Block style can be far larger than the flow
	 * style it was given (16 KiB of nested flow sequences emit as 1 MiB; a 966,022-byte plan
	 * of multi-line texts was stored as 3,847,142 bytes), and a stored file over the reader's
	 * limit made the case unreadable to every program.
	 */
	if (*len > doc_limits_casus.max_bytes) {
		err_set("cannot write the %s document: %zu bytes as casus writes it, more than the "
		    "%zu a file may have", schema, *len, doc_limits_casus.max_bytes);
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}


int
problems_to_error(const struct problems *ps, const char *verb, const char *file)
{
	const struct problem *p = ps->n ? &ps->v[0] : NULL;

	if (p == NULL)
		err_set("cannot %s '%s': it is not valid", verb, file);
	else
		err_set("cannot %s '%s': line %d: %s%s%s", verb, file, p->line, p->path ? p->path : "",
		    p->path && p->path[0] ? ": " : "", p->msg);
	return -1;
}

struct doc *
casus_load(const char *buf, size_t len, const char *file, const char *schema)
{
	struct problems ps = {0};
	struct doc *d = casus_parse(buf, len, file, schema, &ps);

	if (d == NULL)
		problems_to_error(&ps, "read", file);
	problems_free(&ps);
	return d;
}

