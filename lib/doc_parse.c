/* doc_parse.c: YAML text to document trees by libyaml's event API, refusing what casus never writes. */
#include <errno.h>
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <yaml.h>

#include "doc.h"
#include "mem.h"
#include "utf8.h"

/*
 * The tree is built without recursion: a stack of open collections grows with the nesting
 * and is cut off at lim->max_depth before libyaml reports the next level, so hostile input
 * costs neither C stack nor unbounded memory beyond the input's own size.
 */

/* Maps with more keys than this get a hash table for the duplicate check. */
#define SCAN_KEYS 16
/* Keys quoted in messages are cut to about this many bytes. */
#define MSG_KEY_MAX 80

struct frame {
	struct doc *node;       /* DOC_SEQ or DOC_MAP, not yet attached to its parent */
	char *key;              /* DOC_MAP: the key whose value is being read */
	size_t keylen;
	int keyline;
	bool haskey;
	size_t *slots;          /* DOC_MAP: open-addressing table of pair index + 1, or NULL */
	size_t nslots;          /* a power of two */
};

struct parser {
	const char *name;
	const char *buf;
	size_t len;
	const struct doc_limits *lim;
	struct problems *errs;
	bool one;               /* doc_parse(): a second document is an error */
	struct frame *st;
	size_t depth, stcap;
	struct doc *root;       /* the current document's root, once complete */
	struct doc **docs;
	size_t ndocs, dcap;
	bool failed;
};

/*
 * Paths: map keys made only of [A-Za-z0-9_-] are joined with dots ("domains.mental_health"),
 * sequence indexes are written [N] ("team.dg-epi[0]"), and any other key is written as
 * ["key"] with quotes, backslashes and what utf8_unsafe() names escaped, so a path is
 * readable, unambiguous and never carries a control character to a terminal.
 */
static void
put_escaped(struct buf *b, const char *s, size_t len, size_t max)
{
	unsigned long cp;
	size_t i, n;

	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (max > 0 && i >= max && (c & 0xc0) != 0x80) {
			buf_adds(b, "...");
			return;
		}
		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(b, "\\x%02x", c);
		} else if (c >= 0x80 && (n = utf8_seq((const unsigned char *)s + i, len - i, &cp)) > 0 &&
		    utf8_unsafe(cp)) {
			buf_printf(b, "\\u%04lx", cp);
			i += n - 1;
		} else {
			buf_addc(b, (char)c);
		}
	}
}

static bool
is_ident(const char *s, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		char c = s[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		    c == '_' || c == '-'))
			return false;
	}
	return true;
}

static void
path_key(struct buf *b, const char *key, size_t len)
{
	if (is_ident(key, len)) {
		if (b->len > 0)
			buf_addc(b, '.');
		buf_add(b, key, len);
	} else {
		buf_adds(b, "[\"");
		put_escaped(b, key, len, 0);
		buf_adds(b, "\"]");
	}
}

/* The path to the node being read: each open collection, then the slot being filled. */
static char *
current_path(const struct parser *p)
{
	struct buf b = {0};

	for (size_t i = 0; i < p->depth; i++) {
		const struct frame *f = &p->st[i];

		if (f->node->type == DOC_SEQ)
			buf_printf(&b, "[%zu]", f->node->n);
		else if (f->haskey)
			path_key(&b, f->key, f->keylen);
	}
	return buf_detach(&b);
}

static void
fail(struct parser *p, int line, const char *fmt, ...) __attribute__((format(printf, 3, 4)));

static void
fail(struct parser *p, int line, const char *fmt, ...)
{
	char *msg, *path;
	va_list ap;

	if (p->failed)
		return;
	p->failed = true;
	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	path = current_path(p);
	problems_add(p->errs, p->name, line, path, "%s", msg);
	free(path);
	free(msg);
}

/* The code point of the first control character other than TAB and LF, or -1. */
static long
bad_control(const char *str, size_t len)
{
	const unsigned char *s = (const unsigned char *)str;

	for (size_t i = 0; i < len; i++) {
		if ((s[i] < 0x20 && s[i] != '\t' && s[i] != '\n') || s[i] == 0x7f)
			return s[i];
		if (s[i] == 0xc2 && i + 1 < len && s[i + 1] >= 0x80 && s[i + 1] <= 0x9f)
			return s[i + 1];
	}
	return -1;
}

static bool
all_of(const char *s, size_t len, const char *set)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == '\0' || strchr(set, s[i]) == NULL)
			return false;
	return true;
}

static bool
is_one_of(const char *s, size_t len, const char *const *words)
{
	for (; *words != NULL; words++)
		if (strlen(*words) == len && memcmp(*words, s, len) == 0)
			return true;
	return false;
}

/* [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)? */
static bool
is_core_float(const char *s, size_t len)
{
	size_t i = 0, digits = 0;

	if (i < len && (s[i] == '-' || s[i] == '+'))
		i++;
	while (i < len && s[i] >= '0' && s[i] <= '9') {
		i++;
		digits++;
	}
	if (i < len && s[i] == '.') {
		size_t frac = 0;

		i++;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			i++;
			frac++;
		}
		if (digits == 0 && frac == 0)
			return false;
	} else if (digits == 0) {
		return false;
	}
	if (i < len && (s[i] == 'e' || s[i] == 'E')) {
		size_t exp = 0;

		i++;
		if (i < len && (s[i] == '-' || s[i] == '+'))
			i++;
		while (i < len && s[i] >= '0' && s[i] <= '9') {
			i++;
			exp++;
		}
		if (exp == 0)
			return false;
	}
	return i == len;
}

/* 0x and 0o integers past LLONG_MAX become floats, as decimal ones do. */
static struct doc *
radix_int(const char *s, size_t len, unsigned base)
{
	unsigned long long v = 0;
	double f = 0;
	bool big = false;

	for (size_t i = 0; i < len; i++) {
		unsigned d = s[i] <= '9' ? (unsigned)(s[i] - '0') :
		    (unsigned)((s[i] | 0x20) - 'a' + 10);

		f = f * base + d;
		if (v > ((unsigned long long)LLONG_MAX - d) / base)
			big = true;
		else
			v = v * base + d;
	}
	if (big) {
		struct doc *d = doc_new(DOC_FLOAT);

		d->f = f;
		return d;
	}
	return doc_new_int((long long)v);
}

/* Types a plain scalar by the YAML 1.2 core schema. */
static struct doc *
plain_scalar(const char *s, size_t len)
{
	static const char *const nulls[] = { "", "~", "null", "Null", "NULL", NULL };
	static const char *const trues[] = { "true", "True", "TRUE", NULL };
	static const char *const falses[] = { "false", "False", "FALSE", NULL };
	static const char *const infs[] = { ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", NULL };
	static const char *const ninfs[] = { "-.inf", "-.Inf", "-.INF", NULL };
	static const char *const nans[] = { ".nan", ".NaN", ".NAN", NULL };
	struct doc *d;
	char *tmp, *end;

	if (is_one_of(s, len, nulls))
		return doc_new(DOC_NULL);
	if (is_one_of(s, len, trues))
		return doc_new_bool(true);
	if (is_one_of(s, len, falses))
		return doc_new_bool(false);
	if (len > 2 && s[0] == '0' && s[1] == 'o' && all_of(s + 2, len - 2, "01234567"))
		return radix_int(s + 2, len - 2, 8);
	if (len > 2 && s[0] == '0' && s[1] == 'x' &&
	    all_of(s + 2, len - 2, "0123456789abcdefABCDEF"))
		return radix_int(s + 2, len - 2, 16);
	if (is_one_of(s, len, infs) || is_one_of(s, len, ninfs) || is_one_of(s, len, nans)) {
		d = doc_new(DOC_FLOAT);
		d->f = is_one_of(s, len, nans) ? NAN : is_one_of(s, len, ninfs) ? -INFINITY : INFINITY;
		return d;
	}
	if (!is_core_float(s, len))
		return doc_new_strn(s, len);
	/* The scalar is not NUL-terminated in libyaml's buffer; strto* need a copy. */
	tmp = xstrndup(s, len);
	if (all_of(s + (s[0] == '-' || s[0] == '+'), len - (s[0] == '-' || s[0] == '+'),
	    "0123456789")) {
		long long i;

		errno = 0;
		i = strtoll(tmp, &end, 10);
		if (errno == 0 && *end == '\0') {
			free(tmp);
			return doc_new_int(i);
		}
	}
	d = doc_new(DOC_FLOAT);
	d->f = strtod(tmp, &end);
	free(tmp);
	return d;
}

static uint64_t
hash_key(const char *s, size_t len)
{
	uint64_t h = 14695981039346656037ULL;

	for (size_t i = 0; i < len; i++) {
		h ^= (unsigned char)s[i];
		h *= 1099511628211ULL;
	}
	return h;
}

static void
slot_insert(struct frame *f, size_t idx)
{
	const struct doc_pair *pr = &f->node->pairs[idx];
	size_t mask = f->nslots - 1;
	size_t h = (size_t)hash_key(pr->key, pr->keylen) & mask;

	while (f->slots[h] != 0)
		h = (h + 1) & mask;
	f->slots[h] = idx + 1;
}

/* Keeps the table at most half full, rebuilding it from the pairs when it grows. */
static void
slots_reserve(struct frame *f, size_t n)
{
	size_t want = 64;

	if (f->slots != NULL && n * 2 <= f->nslots)
		return;
	while (want < n * 2)
		want *= 2;
	free(f->slots);
	f->slots = xcalloc(want, sizeof *f->slots);
	f->nslots = want;
	for (size_t i = 0; i + 1 < n; i++)
		slot_insert(f, i);
}

static bool
has_key(const struct frame *f, const char *key, size_t len)
{
	const struct doc *m = f->node;

	if (f->slots == NULL) {
		for (size_t i = 0; i < m->n; i++)
			if (m->pairs[i].keylen == len && memcmp(m->pairs[i].key, key, len) == 0)
				return true;
		return false;
	}
	for (size_t h = (size_t)hash_key(key, len) & (f->nslots - 1); f->slots[h] != 0;
	    h = (h + 1) & (f->nslots - 1)) {
		const struct doc_pair *pr = &m->pairs[f->slots[h] - 1];

		if (pr->keylen == len && memcmp(pr->key, key, len) == 0)
			return true;
	}
	return false;
}

/* Puts a finished node where it belongs: the document root, a sequence item or a map value. */
static void
attach(struct parser *p, struct doc *node)
{
	struct frame *f;
	struct doc_pair *pr;

	if (p->depth == 0) {
		p->root = node;
		return;
	}
	f = &p->st[p->depth - 1];
	if (f->node->type == DOC_SEQ) {
		doc_push(f->node, node);
		return;
	}
	xgrow((void **)&f->node->pairs, &f->node->cap, f->node->n + 1, sizeof *f->node->pairs);
	pr = &f->node->pairs[f->node->n++];
	pr->key = f->key;
	pr->keylen = f->keylen;
	pr->line = f->keyline;
	pr->val = node;
	f->key = NULL;
	f->haskey = false;
	if (f->node->n > SCAN_KEYS) {
		slots_reserve(f, f->node->n);
		slot_insert(f, f->node->n - 1);
	}
}

/* True when the event is a node that would be read as a map key. */
static bool
at_key(const struct parser *p)
{
	const struct frame *f;

	if (p->depth == 0)
		return false;
	f = &p->st[p->depth - 1];
	return f->node->type == DOC_MAP && !f->haskey;
}

static void
describe_key(struct buf *b, const char *key, size_t len)
{
	buf_addc(b, '\'');
	put_escaped(b, key, len, MSG_KEY_MAX);
	buf_addc(b, '\'');
}

static void
on_key(struct parser *p, const yaml_event_t *ev, int line)
{
	struct frame *f = &p->st[p->depth - 1];
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	long bad;

	bad = p->lim->text_only ? bad_control(s, len) : -1;
	if (bad >= 0) {
		fail(p, line, "control character U+%04lX is not allowed in a key", bad);
		return;
	}
	if (has_key(f, s, len)) {
		struct buf b = {0};

		describe_key(&b, s, len);
		fail(p, line, "duplicate key %s", b.data);
		buf_free(&b);
		return;
	}
	f->key = xstrndup(s, len);
	f->keylen = len;
	f->keyline = line;
	f->haskey = true;
}

static void
on_scalar(struct parser *p, const yaml_event_t *ev)
{
	const char *s = (const char *)ev->data.scalar.value;
	size_t len = ev->data.scalar.length;
	int line = (int)ev->start_mark.line + 1;
	struct doc *d;
	long bad;

	if (ev->data.scalar.anchor != NULL) {
		fail(p, line, "anchors are not allowed");
		return;
	}
	if (ev->data.scalar.tag != NULL) {
		fail(p, line, "tags are not allowed");
		return;
	}
	if (at_key(p)) {
		on_key(p, ev, line);
		return;
	}
	if (ev->data.scalar.style == YAML_PLAIN_SCALAR_STYLE)
		d = plain_scalar(s, len);
	else
		d = doc_new_strn(s, len);
	bad = d->type == DOC_STR && p->lim->text_only ? bad_control(s, len) : -1;
	if (bad >= 0) {
		doc_free(d);
		fail(p, line, "control character U+%04lX is not allowed in a string", bad);
		return;
	}
	d->line = line;
	d->col = (int)ev->start_mark.column + 1;
	attach(p, d);
}

static void
on_start(struct parser *p, const yaml_event_t *ev, enum doc_type t)
{
	int line = (int)ev->start_mark.line + 1;
	const yaml_char_t *anchor, *tag;
	struct frame *f;

	if (t == DOC_SEQ) {
		anchor = ev->data.sequence_start.anchor;
		tag = ev->data.sequence_start.tag;
	} else {
		anchor = ev->data.mapping_start.anchor;
		tag = ev->data.mapping_start.tag;
	}
	if (anchor != NULL) {
		fail(p, line, "anchors are not allowed");
		return;
	}
	if (tag != NULL) {
		fail(p, line, "tags are not allowed");
		return;
	}
	if (at_key(p)) {
		fail(p, line, "keys must be scalars, not a %s", t == DOC_SEQ ? "sequence" : "map");
		return;
	}
	if (p->lim->max_depth > 0 && p->depth >= (size_t)p->lim->max_depth) {
		fail(p, line, "nesting deeper than %d levels", p->lim->max_depth);
		return;
	}
	xgrow((void **)&p->st, &p->stcap, p->depth + 1, sizeof *p->st);
	f = &p->st[p->depth++];
	memset(f, 0, sizeof *f);
	f->node = doc_new(t);
	f->node->line = line;
	f->node->col = (int)ev->start_mark.column + 1;
}

static void
on_end(struct parser *p)
{
	struct frame *f = &p->st[--p->depth];
	struct doc *node = f->node;

	free(f->slots);
	free(f->key);
	attach(p, node);
}

static void
on_document_start(struct parser *p, const yaml_event_t *ev)
{
	if (p->one && p->ndocs > 0)
		fail(p, (int)ev->start_mark.line + 1, "more than one document");
}

static void
on_document_end(struct parser *p)
{
	struct doc *d = p->root ? p->root : doc_new(DOC_NULL);

	p->root = NULL;
	xgrow((void **)&p->docs, &p->dcap, p->ndocs + 1, sizeof *p->docs);
	p->docs[p->ndocs++] = d;
}

/* The line of a byte offset: reader errors carry an offset, not a mark. */
static int
line_at(const struct parser *p, size_t off)
{
	int line = 1;

	if (off > p->len)
		off = p->len;
	for (size_t i = 0; i < off; i++)
		if (p->buf[i] == '\n')
			line++;
	return line;
}

static void
libyaml_fail(struct parser *p, const yaml_parser_t *yp)
{
	const char *what = yp->problem ? yp->problem : "cannot parse";

	switch (yp->error) {
	case YAML_MEMORY_ERROR:
		fail(p, 0, "out of memory");
		break;
	case YAML_READER_ERROR:
		if (strstr(what, "UTF-8") != NULL || strstr(what, "Unicode") != NULL)
			fail(p, line_at(p, yp->problem_offset), "invalid UTF-8");
		else if (strcmp(what, "control characters are not allowed") == 0)
			fail(p, line_at(p, yp->problem_offset),
			    "control character U+%04X is not allowed", (unsigned)yp->problem_value);
		else
			fail(p, line_at(p, yp->problem_offset), "%s", what);
		break;
	default:
		fail(p, (int)yp->problem_mark.line + 1, "%s", what);
		break;
	}
}

/*
 * casus reads UTF-8 without a byte-order mark, and nothing else. Left to itself libyaml
 * decodes UTF-16 from a mark at the start, and skips a UTF-8 mark at the start of any line,
 * so two files a person sees as the same would be different bytes to git. The encodings are
 * told apart as YAML 1.2 (section 5.2) does: by a mark, or by the NUL bytes an ASCII first
 * character has in UTF-16 and UTF-32. Returns false after fail() on anything else.
 */
static bool
utf8_only(struct parser *p)
{
	const unsigned char *b = (const unsigned char *)p->buf;
	size_t n = p->len;
	const char *enc = NULL;

	if (n >= 4 && (memcmp(b, "\0\0\xfe\xff", 4) == 0 || memcmp(b, "\xff\xfe\0\0", 4) == 0 ||
	    (b[0] == 0 && b[1] == 0 && b[2] == 0) || (b[1] == 0 && b[2] == 0 && b[3] == 0)))
		enc = "UTF-32";
	else if (n >= 2 && (memcmp(b, "\xfe\xff", 2) == 0 || memcmp(b, "\xff\xfe", 2) == 0 ||
	    b[0] == 0 || b[1] == 0))
		enc = "UTF-16";
	if (enc != NULL) {
		fail(p, 1, "%s text is not accepted, only UTF-8", enc);
		return false;
	}
	for (size_t i = 0; i + 2 < n; i++) {
		if (b[i] == 0xef && b[i + 1] == 0xbb && b[i + 2] == 0xbf) {
			fail(p, line_at(p, i), "a byte-order mark (U+FEFF) is not accepted");
			return false;
		}
	}
	return true;
}

static void
parser_free(struct parser *p)
{
	for (size_t i = 0; i < p->depth; i++) {
		doc_free(p->st[i].node);
		free(p->st[i].key);
		free(p->st[i].slots);
	}
	free(p->st);
	doc_free(p->root);
	for (size_t i = 0; i < p->ndocs; i++)
		doc_free(p->docs[i]);
	free(p->docs);
}

static int
parse(struct parser *p)
{
	yaml_parser_t yp;
	yaml_event_t ev;
	bool done = false;

	if (p->len > p->lim->max_bytes) {
		fail(p, 0, "file larger than %zu bytes", p->lim->max_bytes);
		return -1;
	}
	if (!utf8_only(p))
		return -1;
	if (!yaml_parser_initialize(&yp)) {
		fail(p, 0, "out of memory");
		return -1;
	}
	yaml_parser_set_input_string(&yp, (const unsigned char *)p->buf, p->len);
	/* No guessing from a byte-order mark: utf8_only() has refused one already. */
	yaml_parser_set_encoding(&yp, YAML_UTF8_ENCODING);
	while (!done && !p->failed) {
		if (!yaml_parser_parse(&yp, &ev)) {
			libyaml_fail(p, &yp);
			break;
		}
		switch (ev.type) {
		case YAML_STREAM_END_EVENT:
			done = true;
			break;
		case YAML_DOCUMENT_START_EVENT:
			on_document_start(p, &ev);
			break;
		case YAML_DOCUMENT_END_EVENT:
			on_document_end(p);
			break;
		case YAML_ALIAS_EVENT:
			fail(p, (int)ev.start_mark.line + 1, "aliases are not allowed");
			break;
		case YAML_SCALAR_EVENT:
			on_scalar(p, &ev);
			break;
		case YAML_SEQUENCE_START_EVENT:
			on_start(p, &ev, DOC_SEQ);
			break;
		case YAML_MAPPING_START_EVENT:
			on_start(p, &ev, DOC_MAP);
			break;
		case YAML_SEQUENCE_END_EVENT:
		case YAML_MAPPING_END_EVENT:
			on_end(p);
			break;
		default:
			break;
		}
		yaml_event_delete(&ev);
	}
	yaml_parser_delete(&yp);
	return p->failed ? -1 : 0;
}

int
doc_parse(const char *buf, size_t len, const char *name, const struct doc_limits *lim,
    struct doc **out, struct problems *errs)
{
	struct parser p = {0};

	*out = NULL;
	p.name = name;
	p.buf = buf;
	p.len = len;
	p.lim = lim ? lim : &doc_limits_casus;
	p.errs = errs;
	p.one = true;
	if (parse(&p) < 0) {
		parser_free(&p);
		return -1;
	}
	if (p.ndocs == 0) {
		*out = doc_new(DOC_NULL);
	} else {
		*out = p.docs[0];
		p.ndocs = 0;
	}
	parser_free(&p);
	return 0;
}

int
doc_parse_stream(const char *buf, size_t len, const char *name,
    const struct doc_limits *lim, struct doc ***docs, size_t *ndocs, struct problems *errs)
{
	struct parser p = {0};

	*docs = NULL;
	*ndocs = 0;
	p.name = name;
	p.buf = buf;
	p.len = len;
	p.lim = lim ? lim : &doc_limits_casus;
	p.errs = errs;
	if (parse(&p) < 0) {
		parser_free(&p);
		return -1;
	}
	*docs = p.docs ? p.docs : xcalloc(1, sizeof **docs);
	*ndocs = p.ndocs;
	p.docs = NULL;
	p.ndocs = 0;
	parser_free(&p);
	return 0;
}
