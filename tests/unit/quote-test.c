/*
 * quote-test: each way text leaves casus, as a table of input bytes and the bytes that must
 * come out: for a terminal, a TSV field, a message, a commit line and a commit body. Then the
 * last error: whole however long, and safe to quote in the next one.
 */
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "msg.h"
#include "quote.h"

static int npass, nfail;

static void
ok(bool cond, const char *what, const char *got)
{
	if (cond)
		npass++;
	else
		nfail++;
	printf("%s %d - %s\n", cond ? "ok" : "not ok", npass + nfail, what);
	if (!cond && got != NULL)
		printf("#   got '%s'\n", got);
}

enum how { TEXT, TEXT_LF, TSV, IN_MSG, LINE, BODY };

struct row {
	enum how how;
	const char *in;         /* NUL-terminated unless len is given */
	size_t len;             /* 0: strlen(in) */
	const char *want;       /* NULL: no result (quote_body() of nothing) */
	const char *what;
};

static const struct row rows[] = {
	/* For a terminal: out_text(), TAB kept, LF kept only when asked. */
	{ TEXT, "plain text", 0, "plain text", "text: plain ASCII passes" },
	{ TEXT, "caf\xc3\xa9 \xe2\x82\xac", 0, "caf\xc3\xa9 \xe2\x82\xac", "text: UTF-8 passes" },
	{ TEXT, "a\tb", 0, "a\tb", "text: TAB passes" },
	{ TEXT, "a\nb", 0, "a\\x0ab", "text: LF escaped unless kept" },
	{ TEXT_LF, "a\nb", 0, "a\nb", "text: LF kept when asked" },
	{ TEXT, "a\rb", 0, "a\\x0db", "text: CR escaped" },
	{ TEXT, "\x1b[2J", 0, "\\x1b[2J", "text: ESC escaped" },
	{ TEXT, "a\x7f", 0, "a\\x7f", "text: DEL escaped" },
	{ TEXT, "a\0b", 3, "a\\x00b", "text: NUL escaped" },
	{ TEXT, "a\\tb", 0, "a\\tb", "text: a backslash passes for a person" },
	{ TEXT, "\xc2\x85x\xc2\x9b", 0, "\\u0085x\\u009b", "text: C1 controls (NEL, CSI) escaped" },
	{ TEXT, "pay \xe2\x80\xae" "1000", 0, "pay \\u202e1000", "text: U+202E escaped" },
	{ TEXT, "\xe2\x81\xa6x\xe2\x81\xa9", 0, "\\u2066x\\u2069", "text: bidi isolates escaped" },
	{ TEXT, "\xd8\x9c\xe2\x80\x8e\xe2\x80\x8f", 0, "\\u061c\\u200e\\u200f", "text: bidi marks escaped" },
	{ TEXT, "a\xe2\x80\xa8" "b\xe2\x80\xa9", 0, "a\\u2028b\\u2029", "text: line separators escaped" },
	{ TEXT, "\xff\xfe", 0, "\\xff\\xfe", "text: bytes that are not UTF-8 escaped" },
	{ TEXT, "\xc0\xae", 0, "\\xc0\\xae", "text: an overlong form escaped byte by byte" },
	{ TEXT, "\xed\xa0\x80", 0, "\\xed\\xa0\\x80", "text: a UTF-16 surrogate escaped" },
	{ TEXT, "\xe2\x82", 0, "\\xe2\\x82", "text: a cut sequence escaped" },
	{ TEXT, "\xf4\x90\x80\x80", 0, "\\xf4\\x90\\x80\\x80", "text: past U+10FFFF escaped" },
	{ TEXT, "", 0, "", "text: empty" },

	/* For a script: out_tsv(). */
	{ TSV, "a\tb", 0, "a\\x09b", "tsv: TAB escaped" },
	{ TSV, "a\\tb", 0, "a\\\\tb", "tsv: a typed \\t is not a TAB" },
	{ TSV, "a\\x09b", 0, "a\\\\x09b", "tsv: a typed \\x09 is not a TAB" },
	{ TSV, "a\nb\r", 0, "a\\x0ab\\x0d", "tsv: LF and CR escaped" },
	{ TSV, "\\", 0, "\\\\", "tsv: a lone backslash doubled" },
	{ TSV, "C:\\dir\\", 0, "C:\\\\dir\\\\", "tsv: every backslash doubled" },
	{ TSV, "\xe2\x80\xae\\", 0, "\\u202e\\\\", "tsv: U+202E escaped, backslash after it doubled" },
	{ TSV, "\xc2\x9b" "1m", 0, "\\u009b1m", "tsv: C1 escaped" },
	{ TSV, "caf\xc3\xa9\xff", 0, "caf\xc3\xa9\\xff", "tsv: UTF-8 passes, a stray byte escaped" },
	{ TSV, "", 0, "", "tsv: empty" },

	/* Inside a message: quote_text_str(), nothing kept, never cut. */
	{ IN_MSG, "B-2026-017", 0, "B-2026-017", "message: a plain ID as it is" },
	{ IN_MSG, "B\t1\n", 0, "B\\x091\\x0a", "message: TAB and LF escaped, one line" },
	{ IN_MSG, "A\x1b[31m", 0, "A\\x1b[31m", "message: ESC escaped" },
	{ IN_MSG, "x\xe2\x80\xaey", 0, "x\\u202ey", "message: U+202E escaped" },

	/* For git: quote_line() for the subject and trailers, quote_body() for the reason. */
	{ LINE, "B-2026-017", 0, "B-2026-017", "line: a plain value as it is" },
	{ LINE, "x\nCase-Id: B-1", 0, "x Case-Id: B-1", "line: LF cannot start a trailer of its own" },
	{ LINE, "x\r\nSigned-off-by: m", 0, "x  Signed-off-by: m", "line: CR LF too" },
	{ LINE, "a\tb\x1b\x7f", 0, "a b  ", "line: TAB, ESC and DEL become spaces" },
	{ LINE, "caf\xc3\xa9", 0, "caf\xc3\xa9", "line: UTF-8 passes" },
	{ BODY, "why\n\nbecause\tso\n\n \n", 0, "why\n\nbecause\tso", "body: lines kept, trailing blank lines dropped" },
	{ BODY, "a\x1b[2Jb\rc", 0, "a [2Jb c", "body: ESC and CR become spaces" },
	{ BODY, " \n\t\n", 0, NULL, "body: only blanks is no body" },
	{ BODY, NULL, 0, NULL, "body: none is none" },
};

/* What the row's quoting makes of its input, malloc'd, or NULL. */
static char *
quoted(const struct row *r)
{
	size_t len = r->in != NULL && r->len == 0 ? strlen(r->in) : r->len;
	struct buf b = {0};
	char *s = NULL, *t;
	size_t n = 0;
	FILE *f;

	switch (r->how) {
	case TEXT:
	case TEXT_LF:
	case TSV:
		/* Through the FILE functions the programs call, so they are the ones tested. */
		if ((f = open_memstream(&s, &n)) == NULL)
			return NULL;
		if (r->how == TSV)
			out_tsv(f, r->in, len);
		else
			out_text(f, r->in, len, r->how == TEXT_LF);
		fclose(f);
		/* And the buffer functions must agree with them. */
		if (r->how == TSV)
			quote_tsv(&b, r->in, len);
		else
			quote_text(&b, r->in, len, r->how == TEXT_LF ? "\t\n" : "\t");
		t = buf_detach(&b);
		if (strcmp(t, s) != 0) {
			free(s);
			s = xstrdup("(quote_text/quote_tsv and out_text/out_tsv disagree)");
		}
		free(t);
		return s;
	case IN_MSG:
		return quote_text_str(r->in);
	case LINE:
		return quote_line(r->in);
	case BODY:
		return quote_body(r->in);
	}
	return NULL;
}

static void
test_rows(void)
{
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		char *got = quoted(&rows[i]);

		ok(rows[i].want == NULL ? got == NULL : got != NULL && strcmp(got, rows[i].want) == 0,
		    rows[i].what, got);
		free(got);
	}
}

static void
test_text_ok(void)
{
	ok(text_ok("caf\xc3\xa9\tx", 6, false), "text_ok: UTF-8 and TAB", NULL);
	ok(!text_ok("a\nb", 3, false) && text_ok("a\nb", 3, true), "text_ok: LF only when allowed", NULL);
	ok(!text_ok("\xc2\x85", 2, true), "text_ok: C1 refused", NULL);
	ok(!text_ok("\xff", 1, true) && !text_ok("a\x7f", 2, true), "text_ok: bad UTF-8 and DEL refused", NULL);
}

static void
test_last_error(void)
{
	char *big = xmalloc(3001), *want;

	memset(big, 'x', 3000);
	big[3000] = '\0';
	err_set("cannot read '%s': too long", big);
	want = xasprintf("cannot read '%s': too long", big);
	ok(strcmp(err_last(), want) == 0 && strstr(err_last(), "...") == NULL,
	    "a 3000-byte error is kept whole", NULL);
	free(want);
	/* The new message is made before the old one is freed. */
	err_set("cannot open store: %s", err_last());
	want = xasprintf("cannot open store: cannot read '%s': too long", big);
	ok(strcmp(err_last(), want) == 0, "err_set() may quote err_last()", NULL);
	free(want);
	err_clear();
	ok(strcmp(err_last(), "") == 0, "err_clear() leaves \"\"", NULL);
	free(big);
}

int
main(void)
{
	test_rows();
	test_text_ok();
	test_last_error();
	printf("%d passed, %d failed\n", npass, nfail);
	return nfail ? 1 : 0;
}
