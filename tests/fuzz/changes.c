/*
 * changes: what case-log says changed in a file of a case folder (case_file_changes(),
 * changes.h), between two versions given by the input. Its first byte picks the file (the
 * plan, the reintegration plan, a consent record, a consultation, a file casus does not
 * read), its second whether a version is absent (bit 0 the old, bit 1 the new), and the rest
 * is the two versions, split at the first NUL (none: the same bytes twice).
 *
 * Properties: every line of words is one line, not empty; asked again, the words are the
 * same; equal versions give none. And the substantive text of a case is never shown: with
 * every text of a sealable field (seal_fields()) changed in both versions alike, by swapping
 * the case of its letters, the words stay the same, line for line. Both sides are compared
 * written out as casus writes them (doc_emit_yaml()), so that only those texts differ.
 */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "doc.h"
#include "fuzz.h"
#include "mem.h"
#include "seal.h"

static const struct {
	const char *file;
	bool sealable;
	enum seal_kind kind;
} files[] = {
	{"plan.yaml", true, SEAL_PLAN},
	{"reintegration.yaml", true, SEAL_REINTEGRATION},
	{"consent/c-20261101-ab12cd.yaml", false, SEAL_PLAN},
	{"overleg/2027-03-01.yaml", true, SEAL_OVERLEG},
	{"notes.txt", false, SEAL_PLAN},
};

/* The lines of words, each ended by a newline. */
struct words {
	char *buf;
	size_t len, cap;
};

static int
keep(void *arg, const char *words)
{
	struct words *w = arg;
	size_t n;

	FUZZ_ASSERT(words != NULL, NULL, 0);
	n = strlen(words);
	FUZZ_ASSERT(n > 0, NULL, 0);
	FUZZ_ASSERT(strchr(words, '\n') == NULL, words, n);
	xgrow((void **)&w->buf, &w->cap, w->len + n + 2, 1);
	memcpy(w->buf + w->len, words, n);
	w->len += n;
	w->buf[w->len++] = '\n';
	w->buf[w->len] = '\0';
	return 0;
}

static void
words_of(const char *file, const char *old, size_t oldlen, const char *new, size_t newlen,
    struct words *w)
{
	*w = (struct words){0};
	FUZZ_ASSERT(case_file_changes(file, old, oldlen, new, newlen, keep, w) == 0, NULL, 0);
}

/* Whether a key of d holds '.', '[' or ']', which would make seal_fields()'s paths ambiguous. */
static bool
odd_keys(const struct doc *d)
{
	if (d == NULL)
		return false;
	if (d->type == DOC_MAP) {
		for (size_t i = 0; i < d->n; i++)
			if (strpbrk(d->pairs[i].key, ".[]") != NULL ||
			    strlen(d->pairs[i].key) != d->pairs[i].keylen || odd_keys(d->pairs[i].val))
				return true;
	} else if (d->type == DOC_SEQ) {
		for (size_t i = 0; i < d->n; i++)
			if (odd_keys(d->items[i]))
				return true;
	}
	return false;
}

/* The node at path ("domains.psychosocial.goals[0].text") of d, or NULL. */
static struct doc *
node_at(struct doc *d, const char *path)
{
	const char *p = path;

	while (d != NULL && *p != '\0') {
		size_t n = strcspn(p, ".[");
		struct doc *next = NULL;

		if (n > 0) {
			for (size_t i = 0; d->type == DOC_MAP && i < d->n; i++)
				if (d->pairs[i].keylen == n && memcmp(d->pairs[i].key, p, n) == 0)
					next = d->pairs[i].val;
			d = next;
			p += n;
		}
		while (d != NULL && *p == '[') {
			char *end;
			unsigned long k = strtoul(p + 1, &end, 10);

			if (*end != ']' || d->type != DOC_SEQ || k >= d->n)
				return NULL;
			d = d->items[k];
			p = end + 1;
		}
		if (*p == '.')
			p++;
	}
	return d;
}

/* Swaps the case of the letters of each text in clear of a sealable field. */
static void
swap_text(void *arg, const char *part, const struct doc *map, const char *field)
{
	struct doc *t;

	(void)part;
	(void)map;
	if (field == NULL || (t = node_at(arg, field)) == NULL || t->type != DOC_STR)
		return;
	for (size_t i = 0; i < t->len; i++)
		if ((t->s[i] >= 'a' && t->s[i] <= 'z') || (t->s[i] >= 'A' && t->s[i] <= 'Z'))
			t->s[i] ^= 0x20;
}

/*
 * One version parsed and written out as casus writes it, into *out (malloc'd); swapped, with
 * the texts of its sealable fields swapped first. false when it does not parse, or has keys
 * that make the paths ambiguous.
 */
static bool
written(const char *buf, size_t len, enum seal_kind kind, bool swapped, char **out,
    size_t *outlen)
{
	struct problems ps = {0};
	struct doc *d = NULL;
	bool ok = false;

	*out = NULL;
	if (doc_parse(buf, len, "fuzz", &doc_limits_casus, &d, &ps) == 0 && !odd_keys(d)) {
		if (swapped)
			seal_fields(d, kind, swap_text, d);
		ok = doc_emit_yaml(d, out, outlen) == 0;
	}
	doc_free(d);
	problems_free(&ps);
	return ok;
}

/*
 * The words of old and new written out, with the sealable texts swapped or not: false if
 * either does not parse.
 */
static bool
words_written(int f, const char *old, size_t oldlen, const char *new, size_t newlen, bool swapped,
    struct words *w)
{
	char *a = NULL, *b = NULL;
	size_t alen = 0, blen = 0;
	bool ok = (old == NULL || written(old, oldlen, files[f].kind, swapped, &a, &alen)) &&
	    (new == NULL || written(new, newlen, files[f].kind, swapped, &b, &blen));

	if (ok)
		words_of(files[f].file, a, alen, b, blen, w);
	free(a);
	free(b);
	return ok;
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *in = (const char *)data + 2, *old, *new, *nul;
	size_t len, oldlen, newlen;
	struct words w1, w2;
	int f;

	if (size < 2)
		return 0;
	f = data[0] % (sizeof files / sizeof *files);
	len = size - 2;
	nul = memchr(in, '\0', len);
	old = in;
	oldlen = nul ? (size_t)(nul - in) : len;
	new = nul ? nul + 1 : in;
	newlen = nul ? len - oldlen - 1 : len;
	if (data[1] & 1)
		old = NULL, oldlen = 0;
	if (data[1] & 2)
		new = NULL, newlen = 0;

	words_of(files[f].file, old, oldlen, new, newlen, &w1);
	words_of(files[f].file, old, oldlen, new, newlen, &w2);
	FUZZ_ASSERT(w1.len == w2.len && (w1.len == 0 || memcmp(w1.buf, w2.buf, w1.len) == 0),
	    w1.buf, w1.len);
	if ((old == NULL && new == NULL) ||
	    (old && new && oldlen == newlen && memcmp(old, new, oldlen) == 0))
		FUZZ_ASSERT(w1.len == 0, w1.buf, w1.len);
	free(w1.buf);
	free(w2.buf);

	if (files[f].sealable && words_written(f, old, oldlen, new, newlen, false, &w1)) {
		FUZZ_ASSERT(words_written(f, old, oldlen, new, newlen, true, &w2), NULL, 0);
		FUZZ_ASSERT(w1.len == w2.len && (w1.len == 0 || memcmp(w1.buf, w2.buf, w1.len) == 0),
		    w2.buf, w2.len);
		free(w1.buf);
		free(w2.buf);
	}
	return 0;
}
