/*
 * rows.h: what the table-driven unit tests share to turn a row's short YAML into the document
 * a store would hold: a base with the row's patch merged over it (RFC 7396), written out and
 * read back with casus_parse() and the built-in schema. Functions are static inline so each
 * test program takes what it uses.
 */
#ifndef CASUS_TESTS_ROWS_H
#define CASUS_TESTS_ROWS_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "msg.h"
#include "problem.h"
#include "schemas.h"

/* RFC 7396: the patch's values replace the target's, maps merge, and null removes a key. */
static inline void
merge(struct doc *target, const struct doc *patch)
{
	for (size_t i = 0; i < patch->n; i++) {
		const struct doc_pair *p = &patch->pairs[i];
		struct doc *t = doc_get(target, p->key);

		if (p->val->type == DOC_NULL)
			doc_del(target, p->key);
		else if (p->val->type == DOC_MAP && t != NULL && t->type == DOC_MAP)
			merge(t, p->val);
		else
			doc_set(target, p->key, doc_clone(p->val));
	}
}

static inline struct doc *
parse_map(const char *row, const char *text)
{
	struct problems ps = {0};
	struct doc *d;

	if (doc_parse(text, strlen(text), "row", &doc_limits_casus, &d, &ps) < 0) {
		printf("# %s: cannot parse '%s'\n", row, text);
		problems_print(&ps, stdout, "#");
		problems_free(&ps);
		return NULL;
	}
	if (d->type != DOC_MAP) {
		printf("# %s: '%s' is not a map\n", row, text);
		doc_free(d);
		return NULL;
	}
	return d;
}

/*
 * base with patch (may be NULL) merged over it, written out and read back with casus_parse()
 * and the built-in schema, as a stored file is read. NULL, with a line naming the row, if
 * either does not parse or the result is not valid.
 */
static inline struct doc *
load(const char *row, const char *base, const char *patch, const char *schema)
{
	struct problems ps = {0};
	struct doc *d = parse_map(row, base), *p = NULL;
	char *text;
	size_t len;

	if (d == NULL || (patch != NULL && (p = parse_map(row, patch)) == NULL)) {
		doc_free(d);
		return NULL;
	}
	if (p != NULL)
		merge(d, p);
	doc_free(p);
	if (doc_emit_yaml(d, &text, &len) < 0) {
		printf("# %s: %s\n", row, err_last());
		doc_free(d);
		return NULL;
	}
	doc_free(d);
	d = casus_parse(text, len, schema, schema, &ps);
	if (d == NULL) {
		printf("# %s: not a valid %s document:\n", row, schema);
		problems_print(&ps, stdout, "#");
		for (const char *l = text; *l != '\0'; l += strcspn(l, "\n") + (l[strcspn(l, "\n")] != '\0'))
			printf("#   %.*s\n", (int)strcspn(l, "\n"), l);
	}
	problems_free(&ps);
	free(text);
	return d;
}

static inline bool
same(const char *got, const char *want)
{
	return got == want || (got != NULL && want != NULL && strcmp(got, want) == 0);
}

#endif
