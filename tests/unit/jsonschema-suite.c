/*
 * jsonschema-suite.c: runs the official JSON-Schema-Test-Suite (draft 2020-12) against lib/schema.
 * A file runs when every keyword its schemas use is one schema_keywords[] lists; every test of
 * such a file must pass. Usage: jsonschema-suite DIR (the suite's tests/draft2020-12 folder).
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "mem.h"
#include "msg.h"
#include "problem.h"
#include "schema.h"

/* Keywords whose value is one schema, an array of schemas, or an object of schemas. */
static const char *const one_schema[] = {
	"additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
	"unevaluatedItems", "unevaluatedProperties", NULL
};
static const char *const schema_array[] = { "prefixItems", "allOf", "anyOf", "oneOf", NULL };
static const char *const schema_object[] = {
	"properties", "patternProperties", "$defs", "dependentSchemas", NULL
};

static int passed, failed, tests_passed, files_run, files_skipped, groups_skipped;

static bool
listed(const char *const *list, const char *s)
{
	for (size_t i = 0; list[i]; i++)
		if (strcmp(list[i], s) == 0)
			return true;
	return false;
}

/* Appends to out (space-separated, once each) the keywords at schema positions of d that are not supported. */
static void
unsupported(const struct doc *d, struct buf *out)
{
	if (d->type != DOC_MAP)
		return;
	for (size_t i = 0; i < d->n; i++) {
		const char *kw = d->pairs[i].key;
		const struct doc *v = d->pairs[i].val;

		if (!listed(schema_keywords, kw)) {
			struct buf word = {0};

			buf_printf(&word, "'%s'", kw);
			if (out->data == NULL || strstr(out->data, word.data) == NULL) {
				if (out->len)
					buf_adds(out, ", ");
				buf_adds(out, word.data);
			}
			buf_free(&word);
			continue;
		}
		if (listed(one_schema, kw)) {
			unsupported(v, out);
		} else if (listed(schema_array, kw) && v->type == DOC_SEQ) {
			for (size_t k = 0; k < v->n; k++)
				unsupported(v->items[k], out);
		} else if (listed(schema_object, kw) && v->type == DOC_MAP) {
			for (size_t k = 0; k < v->n; k++)
				unsupported(v->pairs[k].val, out);
		}
	}
}

static char *
slurp(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	struct buf b = {0};
	char tmp[65536];
	size_t n;

	if (f == NULL)
		return NULL;
	while ((n = fread(tmp, 1, sizeof tmp, f)) > 0)
		buf_add(&b, tmp, n);
	fclose(f);
	*len = b.len;
	return buf_detach(&b);
}

/* A $ref into upstream's remotes/ or to the meta-schema: documents this copy of the suite does not hold. */
static bool
needs_remote(const char *err)
{
	return strstr(err, "no schema has the URI 'http://localhost:1234") != NULL ||
	    strstr(err, "no schema has the URI 'https://json-schema.org/") != NULL;
}

/* The first $schema in d naming a meta-schema other than 2020-12's own, or NULL. */
static const char *
custom_metaschema(const struct doc *d)
{
	const char *m = NULL;

	if (d->type == DOC_MAP) {
		m = doc_get_str(d, "$schema");
		if (m && strcmp(m, "https://json-schema.org/draft/2020-12/schema") == 0)
			m = NULL;
		for (size_t i = 0; i < d->n && m == NULL; i++)
			m = custom_metaschema(d->pairs[i].val);
	} else if (d->type == DOC_SEQ) {
		for (size_t i = 0; i < d->n && m == NULL; i++)
			m = custom_metaschema(d->items[i]);
	}
	return m;
}

/* Runs one group; returns false if it was skipped. */
static bool
run_group(const char *file, const struct doc *g, bool assert_format)
{
	const struct doc *schema = doc_get(g, "schema"), *tests = doc_get(g, "tests");
	const char *gdesc = doc_get_str(g, "description");
	struct schema_opts opts = { .assert_format = assert_format, .rfc3339_dates = true };
	struct schema *s;

	if (schema == NULL || tests == NULL || tests->type != DOC_SEQ) {
		printf("not ok %d - %s: malformed test group\n", passed + failed + 1, file);
		failed++;
		return true;
	}
	if (custom_metaschema(schema)) {
		printf("# skip %s: \"%s\": needs the meta-schema '%s' from upstream's remotes\n", file, gdesc,
		    custom_metaschema(schema));
		groups_skipped++;
		return false;
	}
	s = schema_compile(schema, gdesc, &opts);
	if (s == NULL && needs_remote(err_last())) {
		printf("# skip %s: \"%s\": %s\n", file, gdesc, err_last());
		groups_skipped++;
		return false;
	}
	for (size_t i = 0; i < tests->n; i++) {
		const struct doc *t = tests->items[i];
		const struct doc *data = doc_get(t, "data"), *valid = doc_get(t, "valid");
		const char *tdesc = doc_get_str(t, "description");
		struct problems errs = {0};
		bool verdict, quiet;

		if (s == NULL || data == NULL || valid == NULL) {
			printf("not ok %d - %s: %s: %s: %s\n", passed + failed + 1, file, gdesc, tdesc,
			    s == NULL ? err_last() : "malformed test");
			failed++;
			continue;
		}
		quiet = schema_validate(s, data, "data", NULL);
		verdict = schema_validate(s, data, "data", &errs);
		/* The verdict must not depend on whether messages are wanted, and a "no" must say why. */
		if (verdict == valid->b && quiet == verdict && (errs.n == 0) == verdict) {
			passed++;
			tests_passed++;
		} else {
			printf("not ok %d - %s: %s: %s: expected %s, got %s%s (%zu problems)\n", passed + failed + 1,
			    file, gdesc, tdesc, valid->b ? "valid" : "invalid", verdict ? "valid" : "invalid",
			    quiet == verdict ? "" : " (differs without messages)", errs.n);
			problems_print(&errs, stdout, "#");
			failed++;
		}
		problems_free(&errs);
	}
	schema_free(s);
	return true;
}

static bool
format_supported(const char *base)
{
	char name[256];
	size_t n = strlen(base);

	if (n < 5 || n - 5 >= sizeof name)
		return false;
	memcpy(name, base, n - 5);
	name[n - 5] = '\0';
	/* Unknown formats must be ignored, which is what the validator does with them. */
	return strcmp(name, "unknown") == 0 || listed(schema_formats, name);
}

static int
hex4(const char *s)
{
	int v = 0;

	for (int i = 0; i < 4; i++) {
		char c = s[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= c - '0';
		else if (c >= 'a' && c <= 'f')
			v |= c - 'a' + 10;
		else if (c >= 'A' && c <= 'F')
			v |= c - 'A' + 10;
		else
			return -1;
	}
	return v;
}

/*
 * JSON writes a character past U+FFFF as a pair of \u surrogate escapes; YAML, which reads
 * JSON otherwise, wants one \U escape. Rewrites the pairs in place (the text only shrinks).
 */
static size_t
join_surrogates(char *t, size_t len)
{
	size_t o = 0;

	for (size_t i = 0; i < len; i++) {
		if (t[i] == '\\' && i + 11 < len && t[i + 1] == 'u' && t[i + 6] == '\\' && t[i + 7] == 'u') {
			int hi = hex4(t + i + 2), lo = hex4(t + i + 8);

			if (hi >= 0xd800 && hi <= 0xdbff && lo >= 0xdc00 && lo <= 0xdfff) {
				long cp = 0x10000 + ((long)(hi - 0xd800) << 10) + (lo - 0xdc00);

				o += (size_t)sprintf(t + o, "\\U%08lX", cp);
				i += 11;
				continue;
			}
		}
		t[o++] = t[i];
		if (t[i] == '\\' && i + 1 < len)
			t[o++] = t[++i];        /* an escaped backslash starts no escape */
	}
	t[o] = '\0';
	return o;
}

static void
run_file(const char *dir, const char *rel)
{
	static const struct doc_limits lim = { 64 << 20, 10000, false };
	char path[4096];
	char *text;
	size_t len;
	struct doc *d = NULL;
	struct problems perrs = {0};
	struct buf why = {0};
	const char *base = strrchr(rel, '/') ? strrchr(rel, '/') + 1 : rel;
	bool in_format = strncmp(rel, "optional/format/", 16) == 0;
	size_t ran = 0;

	snprintf(path, sizeof path, "%s/%s", dir, rel);
	if (strcmp(base, "refRemote.json") == 0) {
		printf("# skip %s: needs upstream's remotes (http://localhost:1234)\n", rel);
		files_skipped++;
		return;
	}
	if (in_format && !format_supported(base)) {
		printf("# skip %s: format not asserted\n", rel);
		files_skipped++;
		return;
	}
	text = slurp(path, &len);
	if (text)
		len = join_surrogates(text, len);
	if (text == NULL || doc_parse(text, len, rel, &lim, &d, &perrs) != 0 || d->type != DOC_SEQ) {
		printf("not ok %d - %s: cannot load\n", passed + failed + 1, rel);
		problems_print(&perrs, stdout, "#");
		failed++;
		goto out;
	}
	for (size_t i = 0; i < d->n; i++) {
		const struct doc *schema = doc_get(d->items[i], "schema");

		if (schema)
			unsupported(schema, &why);
	}
	if (why.len) {
		printf("# skip %s: unsupported %s\n", rel, why.data);
		files_skipped++;
		goto out;
	}
	for (size_t i = 0; i < d->n; i++)
		ran += run_group(rel, d->items[i], in_format);
	/* A file whose every group needs a remote document ran nothing. */
	if (ran)
		files_run++;
	else
		files_skipped++;
out:
	buf_free(&why);
	problems_free(&perrs);
	doc_free(d);
	free(text);
}

static int
cmpstr(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Runs every *.json file of dir/sub in name order. */
static void
run_dir(const char *dir, const char *sub)
{
	char path[4096];
	DIR *dp;
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;

	snprintf(path, sizeof path, "%s/%s", dir, sub);
	dp = opendir(path);
	if (dp == NULL) {
		printf("not ok %d - cannot open '%s'\n", passed + failed + 1, path);
		failed++;
		return;
	}
	while ((e = readdir(dp)) != NULL) {
		size_t l = strlen(e->d_name);

		if (l > 5 && strcmp(e->d_name + l - 5, ".json") == 0) {
			xgrow((void **)&names, &cap, n + 1, sizeof *names);
			names[n++] = xasprintf("%s%s", sub, e->d_name);
		}
	}
	closedir(dp);
	qsort(names, n, sizeof *names, cmpstr);
	for (size_t i = 0; i < n; i++) {
		run_file(dir, names[i]);
		free(names[i]);
	}
	free(names);
}

int
main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: jsonschema-suite DIR\n");
		return 2;
	}
	run_dir(argv[1], "");
	run_dir(argv[1], "optional/");
	run_dir(argv[1], "optional/format/");
	printf("json-schema-test-suite: %d files supported, %d skipped; %d test groups skipped for remotes; %d tests passed\n",
	    files_run, files_skipped, groups_skipped, tests_passed);
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
