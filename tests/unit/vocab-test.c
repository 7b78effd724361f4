/*
 * vocab-test: each vocabulary of vocab.h is the list its schema states, word for word and in
 * the same order. The schemas validate files; the tables give the programs the same words as
 * enums with labels. This is what keeps the two from drifting: a word added to one and not the
 * other fails here, naming both.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "schemas.h"
#include "vocab.h"

static int npass, nfail;

/* The built-in schema name, parsed (no validation: the schema is the subject here). */
static struct doc *
schema_doc(const char *name)
{
	struct problems ps = {0};
	struct doc *d = NULL;

	for (const struct casus_file *f = casus_schema_files; f->name; f++)
		if (strcmp(f->name, name) == 0 && doc_parse(f->data, f->len, f->name, &doc_limits_casus, &d, &ps) < 0)
			d = NULL;
	problems_free(&ps);
	return d;
}

/*
 * Follows path through d: a dotted list of map keys, where "[N]" steps into item N of a
 * sequence. Returns the node or NULL.
 */
static const struct doc *
at(const struct doc *d, const char *path)
{
	char *copy = strdup(path), *save = NULL;

	for (char *k = strtok_r(copy, ".", &save); d && k; k = strtok_r(NULL, ".", &save)) {
		if (k[0] == '[') {
			size_t i = strtoul(k + 1, NULL, 10);

			d = d->type == DOC_SEQ && i < d->n ? d->items[i] : NULL;
		} else {
			d = doc_get(d, k);
		}
	}
	free(copy);
	return d;
}

/* The words of a sequence (or, with keys, the keys of a map), skip of them left out first. */
static char *
words(const struct doc *d, size_t skip, int keys)
{
	struct buf { char *s; size_t len; } b = {calloc(1, 1), 0};

	for (size_t i = skip; d && i < d->n; i++) {
		const char *w = keys ? d->pairs[i].key : doc_str(d->items[i]);
		size_t n = strlen(w ? w : "?");

		b.s = realloc(b.s, b.len + n + 3);
		sprintf(b.s + b.len, "%s%s", b.len ? ", " : "", w ? w : "?");
		b.len = strlen(b.s);
	}
	return b.s;
}

static void
same(const char *what, const struct vocab *t, const char *schema, const char *path, size_t skip,
    int keys)
{
	struct doc *d = schema_doc(schema);
	char *want = vocab_list(t), *got = words(at(d, path), skip, keys);
	int ok = at(d, path) != NULL && strcmp(want, got) == 0;

	if (ok)
		npass++;
	else
		nfail++;
	printf("%s %d - %s: vocab.h and %s.schema.yaml %s\n", ok ? "ok" : "not ok", npass + nfail,
	    what, schema, path);
	if (!ok)
		printf("#   vocab.h: %s\n#   schema:  %s\n", want, got);
	free(want);
	free(got);
	doc_free(d);
}

int
main(void)
{
	same("partners", vocab_partners, "casus", "properties.partners.required", 0, 0);
	same("life domains", vocab_domains, "casus", "$defs.domain.enum", 0, 0);
	same("life domains", vocab_domains, "plan", "properties.domains.required", 0, 0);
	same("life domains", vocab_domains, "plan", "properties.domains.properties", 0, 1);
	same("domain status", vocab_domain_status, "plan", "$defs.domain.properties.status.enum", 0, 0);
	same("goal status", vocab_goal_status, "plan", "$defs.goal.properties.status.enum", 0, 0);
	same("action status", vocab_action_status, "plan", "$defs.action.properties.status.enum", 0, 0);
	same("aims", vocab_aims, "plan", "properties.aims.items.enum", 0, 0);
	same("plan status", vocab_plan_status, "plan", "properties.status.enum", 0, 0);
	same("plan dates", vocab_plan_dates, "plan", "properties.dates.properties", 0, 1);
	same("areas", vocab_areas, "reintegration", "required", 1, 0);
	same("area status", vocab_area_status, "reintegration", "$defs.area.properties.status.enum", 0, 0);
	same("purposes", vocab_purposes, "reintegration",
	    "properties.needs.items.properties.purpose.enum", 0, 0);
	same("record kinds", vocab_record_kinds, "consent", "properties.kind.enum", 0, 0);
	same("purposes", vocab_purposes, "consent", "allOf.[1].then.properties.purpose.enum", 0, 0);
	same("basis purposes", vocab_basis_purposes, "consent",
	    "allOf.[3].then.properties.purpose.enum", 0, 0);
	same("basis kinds", vocab_basis_kinds, "consent", "properties.basis.enum", 0, 0);
	same("how consent was given", vocab_how, "consent", "properties.how.enum", 0, 0);
	same("consultation kinds", vocab_overleg_kinds, "overleg", "properties.kind.enum", 0, 0);
	same("consultation status", vocab_overleg_status, "overleg", "properties.status.enum", 0, 0);
	same("closings", vocab_closings, "minutes", "properties.closes.items.properties.status.enum", 0, 0);
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
