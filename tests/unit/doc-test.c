/*
 * doc-test: unit tests of the YAML document module and of printing its problems, one
 * "ok N - ..." line per check.
 */
#include <float.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "doc.h"
#include "mem.h"
#include "msg.h"
#include "problem.h"
#include "utf8.h"

static int npass, nfail;

/* Limits of the conformance loader: generous, and control characters allowed. */
static const struct doc_limits loose = { 64 * 1024 * 1024, 10000, false };

static void
check(bool ok, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
check(bool ok, const char *fmt, ...)
{
	va_list ap;

	if (ok)
		npass++;
	else
		nfail++;
	printf("%s %d - ", ok ? "ok" : "not ok", npass + nfail);
	va_start(ap, fmt);
	vprintf(fmt, ap);
	va_end(ap);
	putchar('\n');
}

static struct doc *
parse_with(const char *y, size_t len, const struct doc_limits *lim)
{
	struct problems errs = {0};
	struct doc *d;

	if (doc_parse(y, len, "t.yaml", lim, &d, &errs) < 0) {
		printf("# unexpected problem: ");
		problems_print(&errs, stdout, NULL);
		problems_free(&errs);
		return NULL;
	}
	return d;
}

static struct doc *
parse(const char *y)
{
	return parse_with(y, strlen(y), &doc_limits_casus);
}

/* Parses the one value of "v: <text>" with the casus limits. */
static struct doc *
parse_value(const char *text)
{
	char *y = xasprintf("v: %s\n", text);
	struct doc *d = parse(y);
	struct doc *v = NULL;

	free(y);
	if (d != NULL) {
		v = doc_clone(doc_get(d, "v"));
		doc_free(d);
	}
	return v;
}

/*
 * True when parsing fails with exactly one problem saying msg, at line (unless line < 0) and
 * path (unless NULL), and leaves no tree behind.
 */
static bool
fails_with(const char *y, size_t len, const struct doc_limits *lim, const char *msg, int line,
    const char *path)
{
	struct problems errs = {0};
	struct doc *d = (struct doc *)&errs;
	bool ok;

	if (doc_parse(y, len, "t.yaml", lim, &d, &errs) == 0) {
		printf("# parsed, but should have failed with '%s'\n", msg);
		doc_free(d);
		return false;
	}
	ok = d == NULL && errs.n == 1 && strcmp(errs.v[0].msg, msg) == 0 &&
	    (line < 0 || errs.v[0].line == line) && (path == NULL || strcmp(errs.v[0].path, path) == 0) &&
	    errs.v[0].file != NULL && strcmp(errs.v[0].file, "t.yaml") == 0;
	if (!ok) {
		printf("# want line %d path '%s' msg '%s'; got %zu problem(s): ", line,
		    path ? path : "*", msg, errs.n);
		problems_print(&errs, stdout, NULL);
		if (errs.n > 0)
			printf("# (path '%s')\n", errs.v[0].path);
	}
	problems_free(&errs);
	return ok;
}

static bool
fails(const char *y, const char *msg, int line, const char *path)
{
	return fails_with(y, strlen(y), &doc_limits_casus, msg, line, path);
}

static void
test_typing(void)
{
	static const struct {
		const char *text;
		enum doc_type type;
		long long i;
		double f;
	} cases[] = {
		{ "~", DOC_NULL, 0, 0 }, { "null", DOC_NULL, 0, 0 }, { "Null", DOC_NULL, 0, 0 },
		{ "NULL", DOC_NULL, 0, 0 }, { "", DOC_NULL, 0, 0 },
		{ "true", DOC_BOOL, 1, 0 }, { "True", DOC_BOOL, 1, 0 }, { "TRUE", DOC_BOOL, 1, 0 },
		{ "false", DOC_BOOL, 0, 0 }, { "False", DOC_BOOL, 0, 0 }, { "FALSE", DOC_BOOL, 0, 0 },
		{ "0", DOC_INT, 0, 0 }, { "-12", DOC_INT, -12, 0 }, { "+12", DOC_INT, 12, 0 },
		{ "007", DOC_INT, 7, 0 }, { "0o17", DOC_INT, 15, 0 }, { "0x1F", DOC_INT, 31, 0 },
		{ "0xff", DOC_INT, 255, 0 },
		{ "9223372036854775807", DOC_INT, LLONG_MAX, 0 },
		{ "-9223372036854775808", DOC_INT, LLONG_MIN, 0 },
		{ "9223372036854775808", DOC_FLOAT, 0, 9223372036854775808.0 },
		{ "0x10000000000000000", DOC_FLOAT, 0, 18446744073709551616.0 },
		{ "1.5", DOC_FLOAT, 0, 1.5 }, { ".5", DOC_FLOAT, 0, 0.5 }, { "5.", DOC_FLOAT, 0, 5 },
		{ "-1.25e2", DOC_FLOAT, 0, -125 }, { "1e3", DOC_FLOAT, 0, 1000 },
		{ "1E-3", DOC_FLOAT, 0, 0.001 }, { "+2.5", DOC_FLOAT, 0, 2.5 },
		{ ".inf", DOC_FLOAT, 0, INFINITY }, { "-.Inf", DOC_FLOAT, 0, -INFINITY },
		{ "+.INF", DOC_FLOAT, 0, INFINITY },
		{ "yes", DOC_STR, 0, 0 }, { "no", DOC_STR, 0, 0 }, { "on", DOC_STR, 0, 0 },
		{ "off", DOC_STR, 0, 0 }, { "y", DOC_STR, 0, 0 }, { "tRUE", DOC_STR, 0, 0 },
		{ "nULL", DOC_STR, 0, 0 }, { "2026-01-01", DOC_STR, 0, 0 }, { "1_000", DOC_STR, 0, 0 },
		{ "0x", DOC_STR, 0, 0 }, { "0o8", DOC_STR, 0, 0 }, { "+0x1F", DOC_STR, 0, 0 },
		{ "0X1F", DOC_STR, 0, 0 }, { "1e", DOC_STR, 0, 0 }, { ".", DOC_STR, 0, 0 },
		{ "1.2.3", DOC_STR, 0, 0 }, { "0b101", DOC_STR, 0, 0 }, { "12:30", DOC_STR, 0, 0 },
	};

	for (size_t k = 0; k < sizeof cases / sizeof cases[0]; k++) {
		struct doc *v = parse_value(cases[k].text);
		bool ok = v != NULL && v->type == cases[k].type;

		if (ok && v->type == DOC_INT)
			ok = v->i == cases[k].i;
		if (ok && v->type == DOC_BOOL)
			ok = v->b == (cases[k].i != 0);
		if (ok && v->type == DOC_FLOAT)
			ok = v->f == cases[k].f;
		if (ok && v->type == DOC_STR)
			ok = v->len == strlen(cases[k].text) && strcmp(v->s, cases[k].text) == 0;
		check(ok, "plain '%s' reads as %s", cases[k].text, doc_type_name(cases[k].type));
		doc_free(v);
	}
	{
		struct doc *v = parse_value(".NaN");

		check(v != NULL && v->type == DOC_FLOAT && isnan(v->f), "plain '.NaN' reads as a NaN");
		doc_free(v);
	}
}

static void
test_quoted(void)
{
	static const char *const texts[] = { "\"true\"", "'1'", "\"null\"", "''", "'0x1F'", "\"~\"" };
	struct doc *d;

	for (size_t k = 0; k < sizeof texts / sizeof texts[0]; k++) {
		struct doc *v = parse_value(texts[k]);

		check(v != NULL && v->type == DOC_STR && v->len == strlen(texts[k]) - 2,
		    "quoted %s is a string", texts[k]);
		doc_free(v);
	}
	d = parse("a: |\n  1\nb: >-\n  true\n");
	check(d != NULL && doc_get_str(d, "a") && strcmp(doc_get_str(d, "a"), "1\n") == 0 &&
	    doc_get_str(d, "b") && strcmp(doc_get_str(d, "b"), "true") == 0,
	    "block scalars are strings");
	doc_free(d);
	d = parse("1: a\ntrue: b\n~: c\n");
	check(d != NULL && doc_get_str(d, "1") && doc_get_str(d, "true") && doc_get_str(d, "~"),
	    "map keys are kept as their scalar text");
	doc_free(d);
}

static void
test_nul(void)
{
	const char *y = "a: \"x\\0y\"\n\"k\\0\": 1\n";
	struct doc *d = parse_with(y, strlen(y), &loose);
	struct doc *a = d ? doc_get(d, "a") : NULL;

	check(a != NULL && a->type == DOC_STR && a->len == 3 && memcmp(a->s, "x\0y", 4) == 0,
	    "a \\0 escape keeps its NUL and the length");
	check(d != NULL && d->n == 2 && d->pairs[1].keylen == 2 &&
	    memcmp(d->pairs[1].key, "k\0", 3) == 0, "a key keeps its NUL and the length");
	doc_free(d);
	y = "\"a\\0b\": 1\n\"a\\0c\": 2\n";
	d = parse_with(y, strlen(y), &loose);
	check(d != NULL && d->n == 2, "keys that differ only after a NUL are not duplicates");
	doc_free(d);
}

static void
test_duplicates(void)
{
	struct buf b = {0};

	check(fails("a: 1\nb: 2\na: 3\n", "duplicate key 'a'", 3, ""),
	    "a duplicate key is refused with the line of the second");
	check(fails("x:\n  y:\n    status: 1\n    status: 2\n", "duplicate key 'status'", 4, "x.y"),
	    "a nested duplicate key names the map's path");
	check(fails("{a: 1, a: 2}", "duplicate key 'a'", 1, ""), "a duplicate key in a flow map is refused");
	check(fails("a: 1\n\"a\": 2\n", "duplicate key 'a'", 2, ""),
	    "a plain and a quoted key of the same text are duplicates");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "k%d: %d\n", i, i);
	buf_adds(&b, "k500: again\n");
	check(fails_with(b.data, b.len, &loose, "duplicate key 'k500'", 1001, ""),
	    "a duplicate key after 1000 others is found");
	buf_free(&b);
}

static void
test_refusals(void)
{
	check(fails("a: &x 1\nb: *x\n", "anchors are not allowed", 1, "a"), "an anchor is refused");
	check(fails("a: 1\nb: *x\n", "aliases are not allowed", 2, "b"), "an alias is refused");
	check(fails("list:\n  - 1\n  - &m {a: 1}\n", "anchors are not allowed", 3, "list[1]"),
	    "an anchor on a map is refused, with the index in the path");
	check(fails("team:\n  dg-epi:\n    - *x\n", "aliases are not allowed", 3, "team.dg-epi[0]"),
	    "the path of an alias in a sequence");
	check(fails("a: !!str 1\n", "tags are not allowed", 1, "a"), "a !! tag is refused");
	check(fails("a: ! 1\n", "tags are not allowed", 1, "a"), "the non-specific ! tag is refused");
	check(fails("a: !local [1]\n", "tags are not allowed", 1, "a"), "a local tag on a sequence is refused");
	check(fails("? [a]\n: b\n", "keys must be scalars, not a sequence", 1, ""),
	    "a sequence as a key is refused");
	check(fails("x: {{a: 1}: b}\n", "keys must be scalars, not a map", 1, "x"),
	    "a map as a key is refused");
	check(fails("\"key with space\":\n  c: *x\n", "aliases are not allowed", 2, "[\"key with space\"].c"),
	    "a key that is not an identifier is quoted in the path");
}

static char *
nested(int depth, size_t *len)
{
	struct buf b = {0};

	for (int i = 0; i < depth; i++)
		buf_addc(&b, '[');
	for (int i = 0; i < depth; i++)
		buf_addc(&b, ']');
	*len = b.len;
	return buf_detach(&b);
}

static void
test_limits(void)
{
	struct doc *d;
	char *y;
	size_t len;
	clock_t t0;
	const char *sample = "a: 1\n";

	y = nested(64, &len);
	d = parse_with(y, len, &doc_limits_casus);
	check(d != NULL, "64 levels of nesting are allowed");
	doc_free(d);
	free(y);
	y = nested(65, &len);
	check(fails_with(y, len, &doc_limits_casus, "nesting deeper than 64 levels", 1, NULL),
	    "65 levels of nesting are refused");
	free(y);
	y = nested(10000, &len);
	check(fails_with(y, len, &doc_limits_casus, "nesting deeper than 64 levels", 1, NULL),
	    "10,000 levels of nesting are refused without a crash");
	d = parse_with(y, len, &loose);
	check(d != NULL, "10,000 levels load under a limit of 10,000 (and free without recursion)");
	if (d != NULL) {
		char *out;
		size_t outlen;

		check(doc_emit_json(d, false, &out, &outlen) == 0 && outlen == len &&
		    memcmp(out, y, len) == 0, "10,000 levels emit as JSON");
		free(out);
	}
	doc_free(d);
	free(y);
	{
		struct buf b = {0};

		for (int i = 0; i < 100; i++)
			buf_printf(&b, "%*s- \n", i * 2, "");
		check(fails_with(b.data, b.len, &doc_limits_casus, "nesting deeper than 64 levels", 65,
		    NULL), "deep block sequences are refused at the line of the 65th level");
		buf_free(&b);
	}

	len = 50 * 1024 * 1024;
	y = xmalloc(len);
	for (size_t i = 0; i < len; i++)
		y[i] = sample[i % 5];
	t0 = clock();
	check(fails_with(y, len, &doc_limits_casus, "file larger than 1048576 bytes", 0, ""),
	    "a 50 MB buffer is refused");
	check((double)(clock() - t0) / CLOCKS_PER_SEC < 0.5, "a 50 MB buffer is refused quickly");
	free(y);

	{
		struct buf b = {0};

		for (int i = 0; i < 200000; i++)
			buf_printf(&b, "key%d: %d\n", i, i);
		t0 = clock();
		d = parse_with(b.data, b.len, &loose);
		check(d != NULL && d->n == 200000 && (double)(clock() - t0) / CLOCKS_PER_SEC < 5,
		    "a map of 200,000 keys loads in reasonable time");
		if (d != NULL) {
			struct doc *c = doc_clone(d);

			t0 = clock();
			check(doc_equal(d, c) && (double)(clock() - t0) / CLOCKS_PER_SEC < 5,
			    "comparing maps of 200,000 keys is fast");
			doc_free(c);
		}
		doc_free(d);
		buf_free(&b);
	}
}

static void
test_text(void)
{
	const char *y;

	y = "a: 1\nb: caf\xff\n";
	check(fails_with(y, strlen(y), &doc_limits_casus, "invalid UTF-8", 2, NULL),
	    "invalid UTF-8 is refused, on its line");
	y = "a: \xc3\x28\n";
	check(fails_with(y, strlen(y), &loose, "invalid UTF-8", 1, NULL),
	    "a broken UTF-8 sequence is refused");
	y = "a: \xed\xa0\x80\n";
	check(fails_with(y, strlen(y), &loose, "invalid UTF-8", 1, NULL), "an encoded surrogate is refused");
	y = "a: b\x07\n";
	check(fails_with(y, strlen(y), &loose, "control character U+0007 is not allowed", 1, NULL),
	    "a raw control character is refused by libyaml");
	check(fails("a: \"x\\0\"\n", "control character U+0000 is not allowed in a string", 1, "a"),
	    "text only: a NUL escape is refused");
	check(fails("a: \"x\\ry\"\n", "control character U+000D is not allowed in a string", 1, "a"),
	    "text only: a CR escape is refused");
	check(fails("a: \"\\x7f\"\n", "control character U+007F is not allowed in a string", 1, "a"),
	    "text only: DEL is refused");
	check(fails("- ok\n- \"\\x85\"\n", "control character U+0085 is not allowed in a string", 2, "[1]"),
	    "text only: a C1 control is refused");
	check(fails("- \"\\u009f\"\n", "control character U+009F is not allowed in a string", 1, "[0]"),
	    "text only: U+009F is refused");
	check(fails("\"k\\x1b\": 1\n", "control character U+001B is not allowed in a key", 1, ""),
	    "text only: a control character in a key is refused");
	/* UTF-8 only, without a byte-order mark, with the lenient limits too. */
	check(fails_with("\xef\xbb\xbf" "a: 1\n", 8, &loose, "a byte-order mark (U+FEFF) is not accepted", 1, NULL),
	    "a UTF-8 byte-order mark is refused on line 1");
	check(fails_with("a: 1\n\xef\xbb\xbf" "b: 2\n", 13, &loose, "a byte-order mark (U+FEFF) is not accepted", 2, NULL),
	    "a byte-order mark at the start of a later line, which libyaml skips, is refused");
	check(fails_with("\xff\xfe" "a\0:\0 \0" "1\0\n\0", 12, &loose, "UTF-16 text is not accepted, only UTF-8", 1, NULL),
	    "UTF-16LE with a byte-order mark is refused");
	check(fails_with("\xfe\xff\0" "a\0:\0 \0" "1\0\n", 12, &loose, "UTF-16 text is not accepted, only UTF-8", 1, NULL),
	    "UTF-16BE with a byte-order mark is refused");
	check(fails_with("a\0:\0 \0" "1\0\n\0", 10, &loose, "UTF-16 text is not accepted, only UTF-8", 1, NULL),
	    "UTF-16LE without a byte-order mark is refused");
	check(fails_with("\0" "a\0:\0 \0" "1\0\n", 10, &loose, "UTF-16 text is not accepted, only UTF-8", 1, NULL),
	    "UTF-16BE without a byte-order mark is refused");
	check(fails_with("\xff\xfe\0\0" "a\0\0\0", 8, &loose, "UTF-32 text is not accepted, only UTF-8", 1, NULL),
	    "UTF-32LE with a byte-order mark is refused");
	check(fails_with("\0\0\xfe\xff\0\0\0" "a", 8, &loose, "UTF-32 text is not accepted, only UTF-8", 1, NULL),
	    "UTF-32BE with a byte-order mark is refused");
	check(fails_with("\0\0\0" "a\0\0\0:", 8, &loose, "UTF-32 text is not accepted, only UTF-8", 1, NULL),
	    "UTF-32BE without a byte-order mark is refused");
	{
		struct doc *d = parse("a: \"tab\\there\\nnewline\"\nb: \"\\u00a0\\u00e9\"\n");

		check(d != NULL, "text only: TAB, LF and U+00A0 are allowed");
		doc_free(d);
	}
}

static void
test_documents(void)
{
	struct problems errs = {0};
	struct doc **docs;
	struct doc *d;
	size_t n;
	const char *y = "a: 1\n---\nb: 2\n";

	check(fails(y, "more than one document", 2, ""), "doc_parse refuses a second document");
	check(doc_parse_stream(y, strlen(y), "t", &doc_limits_casus, &docs, &n, &errs) == 0 && n == 2 &&
	    doc_get(docs[1], "b") != NULL, "doc_parse_stream reads both documents");
	for (size_t i = 0; i < n; i++)
		doc_free(docs[i]);
	free(docs);
	check(doc_parse_stream("", 0, "t", &doc_limits_casus, &docs, &n, &errs) == 0 && n == 0,
	    "an empty stream has no documents");
	free(docs);
	d = parse("");
	check(d != NULL && d->type == DOC_NULL, "an empty file is a null document");
	doc_free(d);
	d = parse("# only a comment\n");
	check(d != NULL && d->type == DOC_NULL, "a file of comments is a null document");
	doc_free(d);
	d = parse("---\n...\n");
	check(d != NULL && d->type == DOC_NULL, "an explicit empty document is null");
	doc_free(d);
	check(errs.n == 0, "no problem is left by successful parses");
	problems_free(&errs);
}

static void
test_lines(void)
{
	struct doc *d = parse("a: 1\nb:\n  - x\n  - {c: 2}\n");
	struct doc *b = d ? doc_get(d, "b") : NULL;

	check(d != NULL && d->line == 1 && d->col == 1, "the root map is at line 1, column 1");
	check(b != NULL && b->line == 3 && d->pairs[1].line == 2, "a value and its key keep their lines");
	check(b != NULL && b->n == 2 && b->items[1]->line == 4 && b->items[1]->col == 5 &&
	    b->items[1]->pairs[0].val->line == 4 && b->items[1]->pairs[0].val->col == 9,
	    "flow nodes keep line and column");
	doc_free(d);
	check(fails("a: 1\nb: [1, 2\nc: 3\n", "did not find expected ',' or ']'", 3, "b[2]"),
	    "a syntax error gives libyaml's problem, its line and the path");
	check(fails("a: 1\n b: 2\n", "mapping values are not allowed in this context", 2, NULL),
	    "a bad indentation gives its line");
	check(fails("a:\n  b: 1\n  c: 2\n - d\n", "did not find expected key", 4, NULL),
	    "a broken block mapping gives 'did not find expected key'");
}

/* The emitted YAML of a one-string map holds want exactly (e.g. "v: 'yes'\n"). */
static bool
emits_as(const char *s, size_t len, const char *want)
{
	struct doc *m = doc_new(DOC_MAP);
	char *out = NULL;
	size_t outlen;
	bool ok;

	doc_set(m, "v", doc_new_strn(s, len));
	ok = doc_emit_yaml(m, &out, &outlen) == 0 && strlen(want) == outlen &&
	    memcmp(out, want, outlen) == 0;
	if (!ok)
		printf("# want [%s] got [%s]\n", want, out ? out : "(error)");
	free(out);
	doc_free(m);
	return ok;
}

static void
test_quoting(void)
{
	static const char *const quoted[] = {
		"yes", "no", "on", "off", "y", "n", "Y", "NO", "~", "null", "Null", "true", "False",
		"1.0", "0x1F", "0o17", "12", "-3", "+3", ".5", ".inf", "-.inf", ".NaN", "2026-01-01",
		"1_000", "12:30", "<<", "=", ".",
	};
	static const char *const plain[] = {
		"hello", "in-progress", "mental_health", "yesterday", "nothing", "-x", "a.b", "Jan Jansen",
	};

	for (size_t k = 0; k < sizeof quoted / sizeof quoted[0]; k++) {
		char *want = xasprintf("v: '%s'\n", quoted[k]);

		check(emits_as(quoted[k], strlen(quoted[k]), want), "the string '%s' is emitted quoted",
		    quoted[k]);
		free(want);
	}
	for (size_t k = 0; k < sizeof plain / sizeof plain[0]; k++) {
		char *want = xasprintf("v: %s\n", plain[k]);

		check(emits_as(plain[k], strlen(plain[k]), want), "the string '%s' is emitted plain",
		    plain[k]);
		free(want);
	}
	check(emits_as("", 0, "v: ''\n"), "the empty string is emitted quoted");
	check(emits_as("a\0b", 3, "v: \"a\\0b\"\n"), "a NUL is emitted as \\0");
	check(emits_as("line one\nline two\n", 18, "v: |\n  line one\n  line two\n"),
	    "a multi-line string is a literal block");
	check(emits_as("caf\xc3\xa9", 5, "v: caf\xc3\xa9\n"), "unicode is emitted as is");
}

static struct doc *
sample_tree(void)
{
	static const char *const strs[] = {
		"yes", "no", "on", "off", "y", "n", "~", "null", "true", "1.0", "0x1F", "2026-01-01", "",
		" lead", "trail ", "a: b", "- x", "#c", "x #y", "multi\nline", "x\n\n", "\n", "\ttab",
		"caf\xc3\xa9 \xe2\x82\xac", "'quote", "\"dq", ".inf", "-", "?", "? x", "<<", "=", "!tag",
		"&anchor", "*alias", "%percent", "@at", "`tick", "{", "[", "]", ",", "a,b", "  ", "\\",
		"---", "...", "--- x", "\xc2\xa0nbsp", "x\xc2\x85y", "\r", "\x01", "\x7f",
		"trailing spaces   \nnext", "  indented\nfirst", "last\n  ", "a\n\n\nb",
	};
	static const double floats[] = {
		0.1, 1.0, -2.5, 1e300, 5e-324, 1e21, 123456789012345678.0, -0.0, DBL_MAX, 1.0 / 3,
	};
	struct doc *root = doc_new(DOC_MAP);
	struct doc *s = doc_new(DOC_SEQ);
	struct doc *keys = doc_new(DOC_MAP);
	struct doc *nums = doc_new(DOC_SEQ);
	struct doc *f;
	char longkey[300];

	for (size_t k = 0; k < sizeof strs / sizeof strs[0]; k++) {
		doc_push(s, doc_new_str(strs[k]));
		doc_set(keys, strs[k], doc_new_int((long long)k));
	}
	doc_push(s, doc_new_strn("a\0b", 3));
	memset(longkey, 'k', sizeof longkey - 1);
	longkey[sizeof longkey - 1] = '\0';
	doc_set(keys, longkey, doc_new_str("a key longer than libyaml's simple keys"));
	for (size_t k = 0; k < sizeof floats / sizeof floats[0]; k++) {
		f = doc_new(DOC_FLOAT);
		f->f = floats[k];
		doc_push(nums, f);
	}
	f = doc_new(DOC_FLOAT);
	f->f = INFINITY;
	doc_push(nums, f);
	f = doc_new(DOC_FLOAT);
	f->f = -INFINITY;
	doc_push(nums, f);
	f = doc_new(DOC_FLOAT);
	f->f = NAN;
	doc_push(nums, f);
	doc_push(nums, doc_new_int(LLONG_MAX));
	doc_push(nums, doc_new_int(LLONG_MIN));
	doc_push(nums, doc_new_int(0));
	doc_push(nums, doc_new_bool(true));
	doc_push(nums, doc_new_bool(false));
	doc_push(nums, doc_new(DOC_NULL));
	doc_set(root, "strings", s);
	doc_set(root, "keys", keys);
	doc_set(root, "numbers", nums);
	doc_set(root, "empty map", doc_new(DOC_MAP));
	doc_set(root, "empty seq", doc_new(DOC_SEQ));
	s = doc_new(DOC_SEQ);
	doc_push(s, doc_new(DOC_SEQ));
	doc_push(s, doc_new(DOC_MAP));
	doc_set(root, "nested", s);
	return root;
}

static void
test_roundtrip(void)
{
	struct doc *t = sample_tree();
	struct doc *back = NULL, *again = NULL;
	char *y1 = NULL, *y2 = NULL, *y3 = NULL;
	size_t l1 = 0, l2 = 0, l3 = 0;

	check(doc_emit_yaml(t, &y1, &l1) == 0, "a tree of awkward values emits as YAML");
	check(doc_emit_yaml(t, &y2, &l2) == 0 && l1 == l2 && memcmp(y1, y2, l1) == 0,
	    "emitting the same tree twice gives the same bytes");
	back = parse_with(y1, l1, &loose);
	check(back != NULL && doc_equal(t, back), "the emitted YAML reads back as the same data");
	if (back == NULL || !doc_equal(t, back))
		printf("# emitted:\n%s", y1);
	check(back != NULL && doc_emit_yaml(back, &y3, &l3) == 0 && l1 == l3 &&
	    memcmp(y1, y3, l1) == 0, "the read-back tree emits the same bytes");
	check(l1 > 4 && memcmp(y1, "---", 3) != 0 && strstr(y1, "\n...") == NULL,
	    "no document markers are written");
	check(strstr(y1, "numbers:\n") != NULL && strstr(y1, "\n- .inf\n") != NULL &&
	    strstr(y1, "\n- -.inf\n") != NULL && strstr(y1, "\n- .nan\n") != NULL &&
	    strstr(y1, "\n- 1.0e+300\n") != NULL && strstr(y1, "\n- 1.0\n") != NULL &&
	    strstr(y1, "\n- 0.1\n") != NULL && strstr(y1, "\n- -9223372036854775808\n") != NULL,
	    "numbers are written so they read back as the same type and value");
	check(strstr(y1, "empty map: {}\n") != NULL && strstr(y1, "empty seq: []\n") != NULL,
	    "empty collections are written {} and []");
	free(y1);
	free(y2);
	free(y3);
	{
		struct doc *m = doc_new(DOC_MAP);

		doc_set(m, "z", doc_new_int(1));
		doc_set(m, "a", doc_new_int(2));
		doc_set(m, "m", doc_new(DOC_NULL));
		check(doc_emit_yaml(m, &y1, &l1) == 0 && strcmp(y1, "z: 1\na: 2\nm: null\n") == 0,
		    "keys are written in the map's order, null as null");
		free(y1);
		doc_set(m, "bad", doc_new_strn("\xff", 1));
		err_clear();
		check(doc_emit_yaml(m, &y1, &l1) == -1 && y1 == NULL && err_last()[0] != '\0',
		    "invalid UTF-8 cannot be emitted as YAML, with err_set()");
		doc_free(m);
	}
	{
		struct doc *s = doc_new_str("plain scalar");

		y1 = NULL;
		l1 = 0;
		if (doc_emit_yaml(s, &y1, &l1) == 0)
			again = parse_with(y1, l1, &loose);
		check(again != NULL && doc_equal(s, again), "a root scalar round-trips");
		free(y1);
		doc_free(s);
		doc_free(again);
	}
	doc_free(back);
	doc_free(t);
}

static bool
json_is(const struct doc *d, bool pretty, const char *want)
{
	char *out = NULL;
	size_t len;
	bool ok = doc_emit_json(d, pretty, &out, &len) == 0 && len == strlen(want) &&
	    memcmp(out, want, len) == 0;

	if (!ok)
		printf("# want [%s] got [%s]\n", want, out ? out : "(error)");
	free(out);
	return ok;
}

static void
test_json(void)
{
	struct doc *s = doc_new_strn("\"\\\n\t\r\b\f\x01\0\x7f" "caf\xc3\xa9\xc2\x85", 17);
	struct doc *m = doc_new(DOC_MAP);
	struct doc *seq = doc_new(DOC_SEQ);
	struct doc *f;
	char *out;
	size_t len;

	check(json_is(s, false, "\"\\\"\\\\\\n\\t\\r\\b\\f\\u0001\\u0000\\u007fcaf\xc3\xa9\\u0085\""),
	    "JSON strings escape quotes, backslashes and every control character");
	doc_free(s);
	doc_push(seq, doc_new_int(-7));
	f = doc_new(DOC_FLOAT);
	f->f = 0.1;
	doc_push(seq, f);
	f = doc_new(DOC_FLOAT);
	f->f = 2;
	doc_push(seq, f);
	f = doc_new(DOC_FLOAT);
	f->f = INFINITY;
	doc_push(seq, f);
	f = doc_new(DOC_FLOAT);
	f->f = NAN;
	doc_push(seq, f);
	doc_push(seq, doc_new_bool(true));
	doc_push(seq, doc_new(DOC_NULL));
	doc_set(m, "list", seq);
	doc_set(m, "empty", doc_new(DOC_MAP));
	doc_set(m, "k\"ey", doc_new_str("v"));
	check(json_is(m, false, "{\"list\":[-7,0.1,2.0,null,null,true,null],\"empty\":{},\"k\\\"ey\":\"v\"}"),
	    "compact JSON");
	check(json_is(m, true, "{\n  \"list\": [\n    -7,\n    0.1,\n    2.0,\n    null,\n    null,\n"
	    "    true,\n    null\n  ],\n  \"empty\": {},\n  \"k\\\"ey\": \"v\"\n}\n"),
	    "pretty JSON: two-space indent, one value per line, a final newline");
	doc_set(m, "bad", doc_new_strn("a\xc0\x80", 3));
	check(doc_emit_json(m, false, &out, &len) == -1 && out == NULL,
	    "an overlong UTF-8 form cannot be emitted as JSON");
	doc_free(m);
	s = doc_new_str("\xf0\x9f\x98\x80");
	check(json_is(s, false, "\"\xf0\x9f\x98\x80\""), "valid 4-byte UTF-8 passes through JSON");
	doc_free(s);
}

static void
test_equal(void)
{
	struct doc *a = parse("{x: 1, y: [1, 2.0, {p: q}], z: \"s\"}");
	struct doc *b = parse("{z: s, y: [1.0, 2, {p: q}], x: 1.0}");
	struct doc *c = parse("{z: s, y: [2, 1, {p: q}], x: 1}");
	struct doc *n1 = doc_new_strn("a\0b", 3), *n2 = doc_new_strn("a\0c", 3);
	struct doc *i = doc_new_int(9007199254740993LL), *f = doc_new(DOC_FLOAT);
	struct doc *big1 = doc_new(DOC_MAP), *big2 = doc_new(DOC_MAP);

	check(a && b && doc_equal(a, b), "doc_equal: 1 equals 1.0 and key order does not matter");
	check(a && c && !doc_equal(a, c), "doc_equal: sequence order matters");
	check(!doc_equal(n1, n2), "doc_equal: strings compare with their length, past a NUL");
	f->f = 9007199254740992.0;
	check(!doc_equal(i, f), "doc_equal: 2^53 + 1 is not the float 2^53");
	i->i = 9007199254740992LL;
	check(doc_equal(i, f) && doc_equal(f, i), "doc_equal: 2^53 is the float 2^53");
	f->f = 1.5;
	i->i = 1;
	check(!doc_equal(i, f), "doc_equal: 1 is not 1.5");
	check(!doc_equal(doc_lookup(a, "z"), NULL), "doc_equal: a node is not NULL");
	for (int k = 0; k < 40; k++) {
		char key[16];

		snprintf(key, sizeof key, "k%d", k);
		doc_set(big1, key, doc_new_int(k));
		snprintf(key, sizeof key, "k%d", 39 - k);
		doc_set(big2, key, doc_new_int(39 - k));
	}
	check(doc_equal(big1, big2), "doc_equal: large maps in another order are equal");
	doc_set(big2, "k7", doc_new_int(8));
	check(!doc_equal(big1, big2), "doc_equal: large maps with one other value differ");
	{
		struct doc *x = doc_new(DOC_NULL), *y = doc_new_bool(false);

		check(!doc_equal(x, y), "doc_equal: null is not false");
		doc_free(x);
		doc_free(y);
	}
	doc_free(a);
	doc_free(b);
	doc_free(c);
	doc_free(n1);
	doc_free(n2);
	doc_free(i);
	doc_free(f);
	doc_free(big1);
	doc_free(big2);
}

static void
test_api(void)
{
	struct doc *d = parse("partners:\n  welzijn:\n    name: Welzijn\n  list: [a]\n");
	struct doc *c;

	check(d && doc_lookup(d, "partners.welzijn.name") &&
	    strcmp(doc_str(doc_lookup(d, "partners.welzijn.name")), "Welzijn") == 0,
	    "doc_lookup follows a dotted path");
	check(d && doc_lookup(d, "partners.nobody.name") == NULL && doc_lookup(d, "partners.list.x") == NULL,
	    "doc_lookup gives NULL for a missing step or a non-map");
	c = doc_clone(d);
	check(c && doc_equal(c, d), "doc_clone copies deeply");
	doc_set(doc_lookup(c, "partners.welzijn"), "name", doc_new_str("Other"));
	check(strcmp(doc_get_str(doc_lookup(d, "partners.welzijn"), "name"), "Welzijn") == 0 &&
	    strcmp(doc_get_str(doc_lookup(c, "partners.welzijn"), "name"), "Other") == 0 &&
	    doc_lookup(c, "partners.welzijn")->n == 1, "doc_set replaces in place, in the copy only");
	doc_set(c, "new", doc_new_int(5));
	check(c->n == 2 && strcmp(c->pairs[1].key, "new") == 0, "doc_set appends a new key");
	check(doc_del(c, "partners") && !doc_del(c, "partners") && c->n == 1 &&
	    doc_get(c, "new")->i == 5, "doc_del removes a key once");
	check(doc_get_str(c, "new") == NULL && doc_str(NULL) == NULL && doc_get(NULL, "x") == NULL,
	    "doc_get_str and doc_str give NULL for non-strings");
	check(strcmp(doc_type_name(DOC_MAP), "object") == 0 && strcmp(doc_type_name(DOC_SEQ), "array") == 0 &&
	    strcmp(doc_type_name(DOC_FLOAT), "number") == 0 && strcmp(doc_type_name(DOC_INT), "integer") == 0 &&
	    strcmp(doc_type_name(DOC_BOOL), "boolean") == 0 && strcmp(doc_type_name(DOC_NULL), "null") == 0 &&
	    strcmp(doc_type_name(DOC_STR), "string") == 0, "doc_type_name gives JSON Schema's names");
	check(doc_limits_casus.max_bytes == 1048576 && doc_limits_casus.max_depth == 64 &&
	    doc_limits_casus.text_only, "casus files are read with 1 MiB, depth 64, text only");
	doc_free(c);
	doc_free(d);
}

/* What problems_print() writes for ps, as a malloc'd string. */
static char *
printed(const struct problems *ps, const char *prefix)
{
	char *s = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&s, &len);

	problems_print(ps, f, prefix);
	fclose(f);
	return s;
}

static size_t
count_lines(const char *s)
{
	size_t n = 0;

	for (; *s; s++)
		n += *s == '\n';
	return n;
}

static void
test_problems(void)
{
	struct problems ps = {0};
	char *out;

	for (int i = 1; i <= PROBLEMS_SHOWN; i++)
		problems_add(&ps, "a.yaml", i, "k", "bad %d", i);
	out = printed(&ps, NULL);
	check(count_lines(out) == PROBLEMS_SHOWN && strstr(out, "more") == NULL,
	    "problems_print: exactly the cap prints every problem and no count");
	free(out);
	problems_add(&ps, "a.yaml", 101, "k", "bad 101");
	out = printed(&ps, "prog");
	check(count_lines(out) == PROBLEMS_SHOWN + 1 && strstr(out, "prog: a.yaml:100: k: bad 100\n") &&
	    strstr(out, "bad 101") == NULL && strstr(out, "\nprog: a.yaml: ... and 1 more problem\n"),
	    "problems_print: one past the cap gives \"... and 1 more problem\"");
	free(out);
	for (int i = 0; i < 3; i++)
		problems_add(&ps, "b.yaml", 1, "", "other file");
	for (int i = 0; i < 102; i++)
		problems_add(&ps, NULL, 0, NULL, "no file");
	out = printed(&ps, NULL);
	check(count_lines(out) == PROBLEMS_SHOWN + 1 + 3 + PROBLEMS_SHOWN + 1 &&
	    strstr(out, "a.yaml: ... and 1 more problem\nb.yaml:1: other file\n") &&
	    strstr(out, "\n... and 2 more problems\n"), "problems_print: the cap is per file");
	free(out);
	problems_free(&ps);
	problems_add(&ps, "x\xe2\x80\xae.yaml", 1, "a[\"\xe2\x80\xa8\"]", "\"\xe2\x80\xae\x1b\xc2\x85\xd8\x9c\" \xc3\xa9");
	out = printed(&ps, NULL);
	check(strcmp(out, "x\\u202e.yaml:1: a[\"\\u2028\"]: \"\\u202e\\x1b\\u0085\\u061c\" \xc3\xa9\n") == 0,
	    "problems_print escapes the file, path and message as out_text does, and keeps other UTF-8");
	free(out);
	problems_free(&ps);
	check(utf8_unsafe(0x202a) && utf8_unsafe(0x202e) && utf8_unsafe(0x2066) && utf8_unsafe(0x2069) &&
	    utf8_unsafe(0x200e) && utf8_unsafe(0x200f) && utf8_unsafe(0x061c) && utf8_unsafe(0x2028) &&
	    utf8_unsafe(0x2029) && utf8_unsafe(0x9f) && utf8_unsafe(0x7f) && utf8_unsafe(0),
	    "utf8_unsafe: bidirectional controls, separators and controls");
	check(!utf8_unsafe(0xa0) && !utf8_unsafe(0xe9) && !utf8_unsafe(0x202f) && !utf8_unsafe(0x2065) &&
	    !utf8_unsafe(0x206a) && !utf8_unsafe(0x200d) && !utf8_unsafe(' '),
	    "utf8_unsafe: their neighbours are text");
	{
		struct problems errs = {0};
		struct doc *d = NULL;

		const char *y = "\"k\xe2\x80\xae\": !!str x\n\"\xe2\x81\xa6\": 1\n\"\xe2\x81\xa6\": 2\n";

		doc_parse(y, strlen(y), "t.yaml", &doc_limits_casus, &d, &errs);
		check(errs.n == 1 && strcmp(errs.v[0].path, "[\"k\\u202e\"]") == 0,
		    "a path through a key with U+202E holds it escaped");
		problems_free(&errs);
		y = strchr(y, '\n') + 1;
		doc_parse(y, strlen(y), "t.yaml", &doc_limits_casus, &d, &errs);
		check(errs.n == 1 && strcmp(errs.v[0].msg, "duplicate key '\\u2066'") == 0,
		    "a message quoting a key with U+2066 holds it escaped");
		problems_free(&errs);
	}
}

int
main(void)
{
	progname = "doc-test";
	test_typing();
	test_quoted();
	test_nul();
	test_duplicates();
	test_refusals();
	test_limits();
	test_text();
	test_documents();
	test_lines();
	test_quoting();
	test_roundtrip();
	test_json();
	test_equal();
	test_api();
	test_problems();
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail > 0;
}
