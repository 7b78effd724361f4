/* quote.c: how text is quoted on each way out of the program: terminal, TSV, commit message. */
#include <stdio.h>
#include <string.h>

#include "mem.h"
#include "quote.h"
#include "utf8.h"

/*
 * Where quoted text goes: a buffer, or straight to a file. out_text() allocates nothing, as
 * it prints the message that says memory ran out.
 */
struct sink {
	struct buf *b;
	FILE *f;
};

static void
sink_add(const struct sink *k, const void *p, size_t n)
{
	if (n == 0)
		return;
	if (k->b != NULL)
		buf_add(k->b, p, n);
	else
		fwrite(p, 1, n, k->f);
}

/* "\xNN" for a byte below U+0080 or not UTF-8, "\uNNNN" for a code point above. */
static void
sink_escape(const struct sink *k, const char *form, unsigned long v)
{
	char e[16];
	int n = snprintf(e, sizeof e, form, v);

	sink_add(k, e, (size_t)n);
}

/*
 * The bytes that pass as they are go out a run at a time, not a character at a time: a
 * fwrite() a character was 10% of overleg-schedule's listing of 16,000 rows (perf).
 */
static void
text(const struct sink *k, const char *s, size_t len, const char *keep)
{
	const unsigned char *p = (const unsigned char *)s;
	unsigned long cp;
	size_t i = 0, run = 0, n;       /* run: where the bytes that pass as they are begin */

	while (i < len) {
		n = utf8_seq(p + i, len - i, &cp);
		if (n == 0 || (n == 1 && utf8_unsafe(cp) && (cp == 0 || strchr(keep, (int)cp) == NULL))) {
			sink_add(k, p + run, i - run);
			sink_escape(k, "\\x%02lx", p[i++]);
			run = i;
			continue;
		}
		if (n > 1 && utf8_unsafe(cp)) {
			sink_add(k, p + run, i - run);
			sink_escape(k, "\\u%04lx", cp);
			run = i + n;
		}
		i += n;
	}
	sink_add(k, p + run, len - run);
}

void
quote_text(struct buf *b, const char *s, size_t len, const char *keep)
{
	struct sink k = { b, NULL };

	text(&k, s, len, keep);
}

char *
quote_text_str(const char *s)
{
	struct buf b = {0};

	quote_text(&b, s, strlen(s), "");
	return buf_detach(&b);
}

void
out_text(FILE *f, const char *s, size_t len, bool keep_lf)
{
	struct sink k = { NULL, f };

	text(&k, s, len, keep_lf ? "\t\n" : "\t");
}

/* The length of the UTF-8 sequence at s to pass to a terminal, or 0: C1 controls act on it too. */
static size_t
utf8_len(const unsigned char *s, size_t n)
{
	unsigned long cp;
	size_t len = utf8_seq(s, n, &cp);

	return len == 2 && cp < 0xa0 ? 0 : len;
}

bool
text_ok(const char *s, size_t len, bool allow_lf)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, n;

	while (i < len) {
		n = p[i] >= 0x80 ? utf8_len(p + i, len - i) : 0;
		if ((p[i] >= 0x20 && p[i] < 0x7f) || p[i] == '\t' || (p[i] == '\n' && allow_lf))
			i++;
		else if (n > 0)
			i += n;
		else
			return false;
	}
	return true;
}

static void
tsv(const struct sink *k, const char *s, size_t len)
{
	const char *bs;

	/*
	 * A backslash is doubled, so text that looks like an escape ("\x09", typed by someone)
	 * is never read back as the TAB that was escaped to it. '\\' is ASCII, so cutting at it
	 * never splits a UTF-8 sequence.
	 */
	while ((bs = memchr(s, '\\', len)) != NULL) {
		text(k, s, (size_t)(bs - s), "");
		sink_add(k, "\\\\", 2);
		len -= (size_t)(bs - s) + 1;
		s = bs + 1;
	}
	text(k, s, len, "");
}

void
quote_tsv(struct buf *b, const char *s, size_t len)
{
	struct sink k = { b, NULL };

	tsv(&k, s, len);
}

void
out_tsv(FILE *f, const char *s, size_t len)
{
	struct sink k = { NULL, f };

	tsv(&k, s, len);
}

/* A copy of the len bytes at s with every C0 control but those in keep, and DEL, made a space. */
static char *
spaced(const char *s, size_t len, const char *keep)
{
	char *p = xstrndup(s, len);

	for (char *q = p; *q != '\0'; q++)
		if (((unsigned char)*q < 0x20 && strchr(keep, *q) == NULL) || *q == 0x7f)
			*q = ' ';
	return p;
}

char *
quote_line(const char *s)
{
	return spaced(s, strlen(s), "");
}

char *
quote_body(const char *s)
{
	size_t n;

	if (s == NULL)
		return NULL;
	n = strlen(s);
	while (n > 0 && (s[n - 1] == '\n' || s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	/* git log shows the body on a terminal: keep its lines, drop other control bytes. */
	return n > 0 ? spaced(s, n, "\t\n") : NULL;
}
