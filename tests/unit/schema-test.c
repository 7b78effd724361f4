/* schema-test.c: unit tests of lib/schema: verdicts, the messages, lines and paths of problems, canonical order. */
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "mem.h"
#include "msg.h"
#include "problem.h"
#include "schema.h"
#include "tap.h"

static struct doc *
yaml(const char *text)
{
	static const struct doc_limits lim = { 1 << 20, 10000, false };
	struct problems errs = {0};
	struct doc *d = NULL;

	if (doc_parse(text, strlen(text), "test.yaml", &lim, &d, &errs) != 0) {
		problems_print(&errs, stdout, "# cannot parse");
		problems_free(&errs);
		return NULL;
	}
	return d;
}

static struct schema *
compile(const char *text, bool assert_format)
{
	struct schema_opts opts = { .assert_format = assert_format };
	struct doc *d = yaml(text);
	struct schema *s;

	if (d == NULL)
		return NULL;
	s = schema_compile(d, "test-schema", &opts);
	doc_free(d);
	if (s == NULL)
		printf("# %s\n", err_last());
	return s;
}

/*
 * Validates the YAML text against schema text and checks that exactly the problems given
 * (as "line|path|message" strings, NULL-terminated) come out, in order.
 */
static void
expect(const char *name, const char *schema, bool assert_format, const char *text, ...)
{
	struct schema *s = compile(schema, assert_format);
	struct doc *d = yaml(text);
	struct problems errs = {0};
	bool verdict, quiet, same = true;
	size_t n = 0;
	va_list ap;
	const char *want;

	if (s == NULL || d == NULL) {
		check(false, "%s: setup", name);
		goto out;
	}
	verdict = schema_validate(s, d, "plan.yaml", &errs);
	quiet = schema_validate(s, d, "plan.yaml", NULL);
	va_start(ap, text);
	while ((want = va_arg(ap, const char *)) != NULL) {
		char got[1024];

		if (n < errs.n) {
			snprintf(got, sizeof got, "%d|%s|%s", errs.v[n].line, errs.v[n].path, errs.v[n].msg);
			if (strcmp(got, want) != 0 || strcmp(errs.v[n].file, "plan.yaml") != 0) {
				printf("# want: %s\n#  got: %s\n", want, got);
				same = false;
			}
		} else {
			printf("# want: %s\n#  got: nothing\n", want);
			same = false;
		}
		n++;
	}
	va_end(ap);
	for (size_t i = n; i < errs.n; i++) {
		printf("# extra: %d|%s|%s\n", errs.v[i].line, errs.v[i].path, errs.v[i].msg);
		same = false;
	}
	check(same && verdict == (n == 0) && quiet == verdict, "%s", name);
out:
	problems_free(&errs);
	doc_free(d);
	schema_free(s);
}

static const char plan_schema[] =
	"type: object\n"
	"required: [case_id, domains]\n"
	"additionalProperties: false\n"
	"properties:\n"
	"  case_id: {type: string, minLength: 1, pattern: '^[A-Z]-[0-9]+$'}\n"
	"  opened: {type: string, format: date}\n"
	"  team:\n"
	"    type: object\n"
	"    additionalProperties: {type: array, items: {type: string, minLength: 1}}\n"
	"  domains:\n"
	"    type: object\n"
	"    additionalProperties: {$ref: '#/$defs/domain'}\n"
	"$defs:\n"
	"  domain:\n"
	"    type: object\n"
	"    required: [status]\n"
	"    properties:\n"
	"      status: {enum: [to-assess, in-progress, done-x]}\n"
	"      review: {oneOf: [{type: string, format: date}, {type: 'null'}]}\n";

static void
test_messages(void)
{
	expect("a valid plan has no problems", plan_schema, true,
	    "case_id: B-1\nopened: 2026-02-28\ndomains:\n  housing:\n    status: done-x\n", NULL);
	expect("enum names the value and the choices, at the value's line and dotted path", plan_schema, true,
	    "case_id: B-1\n"
	    "domains:\n"
	    "  mental_health:\n"
	    "    status: done\n",
	    "4|domains.mental_health.status|\"done\" is not one of to-assess, in-progress, done-x", NULL);
	expect("a missing required property is reported at the object", plan_schema, true,
	    "domains:\n"
	    "  housing:\n"
	    "    review: null\n",
	    "1||missing required property 'case_id'",
	    "3|domains.housing|missing required property 'status'", NULL);
	expect("an unexpected property is named, at its line", plan_schema, true,
	    "case_id: B-1\ndomains: {}\nfoo: 1\n",
	    "3||unexpected property 'foo'", NULL);
	expect("a wrong type says what was expected and what came", plan_schema, true,
	    "case_id: 12\ndomains: {}\n",
	    "1|case_id|expected string, got integer", NULL);
	expect("format date refuses 2026-02-30", plan_schema, true,
	    "case_id: B-1\nopened: '2026-02-30'\ndomains: {}\n",
	    "2|opened|\"2026-02-30\" is not a valid date", NULL);
	expect("format is an annotation without assert_format", plan_schema, false,
	    "case_id: B-1\nopened: '2026-02-30'\ndomains: {}\n", NULL);
	expect("minLength counts characters and says how many", plan_schema, true,
	    "case_id: B-1\ndomains: {}\nteam:\n  dg-epi:\n    - ''\n",
	    "5|team.dg-epi[0]|must be at least 1 character", NULL);
	expect("pattern failures quote the value and the pattern", plan_schema, true,
	    "case_id: b1\ndomains: {}\n",
	    "1|case_id|\"b1\" does not match the pattern '^[A-Z]-[0-9]+$'", NULL);
	expect("oneOf reports the errors of the branch of the right type", plan_schema, true,
	    "case_id: B-1\ndomains:\n  work:\n    status: to-assess\n    review: '2026-13-01'\n",
	    "5|domains.work.review|\"2026-13-01\" is not a valid date", NULL);
	expect("oneOf with no branch of the right type lists the types", plan_schema, true,
	    "case_id: B-1\ndomains:\n  work:\n    status: to-assess\n    review: 5\n",
	    "5|domains.work.review|expected string or null, got integer", NULL);
	expect("minLength counts code points, not bytes", "{maxLength: 2}", true, "\"\xc3\xa9\xc3\xa9\"\n", NULL);
	expect("maxLength message", "{maxLength: 1}", true, "ab\n",
	    "1||must be at most 1 character", NULL);
	expect("number keywords ignore other types", "{minimum: 1, exclusiveMaximum: 10, multipleOf: 0.5}", true,
	    "[0.25]\n", NULL);
	expect("number bounds name the bound and the value",
	    "{type: array, items: {minimum: 1, exclusiveMaximum: 10, multipleOf: 0.5}}", true,
	    "- 0.5\n- 10\n- 1.25\n- 2.0\n",
	    "1|[0]|must be at least 1, got 0.5",
	    "2|[1]|must be less than 10, got 10",
	    "3|[2]|1.25 is not a multiple of 0.5", NULL);
	expect("1.0 is an integer and equals 1", "{type: integer, const: 1}", true, "1.0\n", NULL);
	expect("const names both values", "{const: yes}", true, "no\n", "1||must be \"yes\", got \"no\"", NULL);
	expect("uniqueItems points at the repeat", "{uniqueItems: true}", true, "[1, 2, 1.0]\n",
	    "1|[2]|items [0] and [2] are the same; items must be unique", NULL);
	expect("items false after prefixItems says how many are allowed",
	    "{prefixItems: [{type: string}], items: false}", true, "[a, b]\n",
	    "1||must have at most 1 item, has 2", NULL);
	expect("contains and minItems", "{minItems: 2, contains: {const: 3}}", true, "[1]\n",
	    "1||must have at least 2 items, has 1",
	    "1||must contain at least one matching item", NULL);
	expect("propertyNames names the key", "{propertyNames: {maxLength: 3}}", true, "abcd: 1\n",
	    "1||property name 'abcd': must be at most 3 characters", NULL);
	expect("dependentRequired names both properties", "{dependentRequired: {end: [start]}}", true, "end: 1\n",
	    "1||missing property 'start', required when 'end' is present", NULL);
	expect("keys with dots are quoted in paths", "{additionalProperties: {type: string}}", true, "a.b: 1\n",
	    "1|[\"a.b\"]|expected string, got integer", NULL);
	expect("anyOf without a clear branch says so", "{anyOf: [{minimum: 5}, {maximum: 1}]}", true, "3\n",
	    "1||3 does not match any of the allowed forms", NULL);
	expect("unevaluatedProperties sees through allOf", "{allOf: [{properties: {a: {}}}], unevaluatedProperties: false}",
	    true, "a: 1\nb: 2\n", "2||unexpected property 'b'", NULL);
	expect("unevaluatedItems sees prefixItems", "{prefixItems: [{}], unevaluatedItems: {type: string}}",
	    true, "[1, 2]\n", "1|[1]|expected string, got integer", NULL);
	expect("not", "{not: {type: string}}", true, "x\n", "1||\"x\" matches a form that is not allowed here", NULL);
	expect("false schema", "{properties: {x: false}}", true, "x: 1\n", "1|x|no value is allowed here", NULL);
	expect("date-time and email formats", "{properties: {t: {format: date-time}, m: {format: email}}}", true,
	    "t: 2026-02-28T25:00:00Z\nm: a@@b\n",
	    "1|t|\"2026-02-28T25:00:00Z\" is not a valid date-time",
	    "2|m|\"a@@b\" is not a valid email address", NULL);
}

static void
test_utf8(void)
{
	struct schema *s = compile("{pattern: '^.*$', minLength: 1}", true);
	struct doc *bad = doc_new_strn("a\xff", 2), *nul = doc_new_strn("a\0b", 3);
	struct problems errs = {0};

	check(s && !schema_validate(s, bad, NULL, &errs) && errs.n == 1 &&
	    strstr(errs.v[0].msg, "is not valid UTF-8") != NULL, "a string of malformed UTF-8 fails a pattern");
	check(s && schema_validate(s, nul, NULL, NULL), "a string holding a NUL is matched in full");
	problems_free(&errs);
	doc_free(bad);
	doc_free(nul);
	schema_free(s);
}

static void
test_refs(void)
{
	struct schema *s;
	struct doc *d, *inner;
	struct problems errs = {0};

	s = compile("{$defs: {a: {$ref: '#/$defs/b'}, b: {$ref: '#/$defs/a'}}, $ref: '#/$defs/a'}", true);
	d = yaml("1\n");
	check(s && d && !schema_validate(s, d, NULL, &errs) && errs.n == 1 &&
	    strstr(errs.v[0].msg, "schema loop") != NULL, "a $ref loop that makes no progress fails with a message");
	problems_free(&errs);
	doc_free(d);
	schema_free(s);

	s = compile("{allOf: [{$ref: '#'}]}", true);
	d = yaml("x: 1\n");
	check(s && d && !schema_validate(s, d, NULL, NULL), "a schema that refers to itself in allOf fails");
	doc_free(d);
	schema_free(s);

	/* A recursive schema fed an instance nested deeper than validation may go. */
	s = compile("{type: array, items: {$ref: '#'}}", true);
	d = doc_new(DOC_SEQ);
	inner = d;
	for (int i = 0; i < 5000; i++) {
		struct doc *next = doc_new(DOC_SEQ);

		doc_push(inner, next);
		inner = next;
	}
	check(s && !schema_validate(s, d, NULL, &errs) && errs.n == 1 &&
	    strstr(errs.v[0].msg, "too deep") != NULL, "validation stops at a depth cap with one message");
	problems_free(&errs);
	schema_free(s);
	s = compile("{type: array, items: {$ref: '#'}}", true);
	/* Free iteratively is not needed: doc_free recursion on 5000 levels is fine for the stack. */
	doc_free(d);
	d = yaml("[[[], [[]]], []]\n");
	check(s && d && schema_validate(s, d, NULL, NULL), "a recursive schema accepts a nested instance");
	doc_free(d);
	schema_free(s);

	s = compile("{$defs: {'a/b~c%': {type: string}}, $ref: '#/$defs/a~1b~0c%25'}", true);
	d = yaml("x\n");
	check(s && d && schema_validate(s, d, NULL, NULL), "JSON pointers unescape ~1, ~0 and %%25");
	doc_free(d);
	schema_free(s);

	s = compile("{$id: 'http://example.com/root.json', $defs: {x: {$id: 'item.json', $anchor: top, type: integer}},"
	    " properties: {a: {$ref: 'item.json'}, b: {$ref: 'item.json#top'}}}", true);
	d = yaml("a: 1\nb: x\n");
	check(s && d && !schema_validate(s, d, NULL, &errs) && errs.n == 1 && strcmp(errs.v[0].path, "b") == 0,
	    "$ref finds schemas by $id and $anchor");
	problems_free(&errs);
	doc_free(d);
	schema_free(s);

	err_clear();
	s = compile("{$ref: '#/$defs/missing'}", true);
	check(s == NULL && strstr(err_last(), "cannot resolve $ref") != NULL, "an unresolvable $ref fails to compile");
	err_clear();
	s = compile("{pattern: '('}", true);
	check(s == NULL && strstr(err_last(), "does not compile") != NULL, "a bad pattern fails to compile");
	s = compile("{minLength: -1}", true);
	check(s == NULL && strstr(err_last(), "non-negative integer") != NULL, "a negative minLength fails to compile");
	s = compile("{type: text}", true);
	check(s == NULL && strstr(err_last(), "unknown type") != NULL, "an unknown type fails to compile");
}

/* The keys of map m, joined by spaces. */
static char *
keys(const struct doc *m)
{
	struct buf b = {0};

	for (size_t i = 0; m && m->type == DOC_MAP && i < m->n; i++) {
		if (i)
			buf_addc(&b, ' ');
		buf_adds(&b, m->pairs[i].key);
	}
	return buf_detach(&b);
}

static void
test_canonicalize(void)
{
	struct schema *s = compile(
	    "type: object\n"
	    "properties:\n"
	    "  case_id: {type: string}\n"
	    "  status: {type: string}\n"
	    "  domains: {type: object, additionalProperties: {$ref: '#/$defs/domain'}}\n"
	    "  notes: {type: array, items: {properties: {date: {}, text: {}}}}\n"
	    "$defs:\n"
	    "  domain:\n"
	    "    allOf: [{properties: {status: {}, owner: {}}}]\n", true);
	struct doc *d = yaml(
	    "zeta: 1\n"
	    "domains:\n"
	    "  work: {owner: x, b: 1, a: 2, status: y}\n"
	    "status: open\n"
	    "alpha: {z: 1, y: 2}\n"
	    "notes:\n"
	    "  - {text: t, date: d, extra: e}\n"
	    "case_id: B-1\n");
	char *k[5];

	if (s == NULL || d == NULL) {
		check(false, "canonicalize: setup");
		doc_free(d);
		schema_free(s);
		return;
	}
	schema_canonicalize(s, d);
	k[0] = keys(d);
	k[1] = keys(doc_lookup(d, "domains.work"));
	k[2] = keys(doc_get(d, "alpha"));
	k[3] = keys(doc_get(d, "notes") ? doc_get(d, "notes")->items[0] : NULL);
	check(strcmp(k[0], "case_id status domains notes alpha zeta") == 0,
	    "canonicalize: listed properties first, in schema order, then the rest sorted (%s)", k[0]);
	check(strcmp(k[1], "status owner a b") == 0, "canonicalize follows additionalProperties, $ref and allOf (%s)", k[1]);
	check(strcmp(k[2], "y z") == 0, "canonicalize sorts maps the schema says nothing of (%s)", k[2]);
	check(strcmp(k[3], "date text extra") == 0, "canonicalize follows items (%s)", k[3]);
	for (int i = 0; i < 4; i++)
		free(k[i]);
	doc_free(d);
	schema_free(s);
}

static void
test_keywords(void)
{
	bool type = false, ref = false, dynamic = false;

	for (size_t i = 0; schema_keywords[i]; i++) {
		type |= strcmp(schema_keywords[i], "type") == 0;
		ref |= strcmp(schema_keywords[i], "$ref") == 0;
		dynamic |= strcmp(schema_keywords[i], "$dynamicRef") == 0;
	}
	check(type && ref && !dynamic, "schema_keywords lists what is implemented and nothing else");
}

int
main(void)
{
	test_messages();
	test_utf8();
	test_refs();
	test_canonicalize();
	test_keywords();
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
