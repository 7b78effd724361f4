/*
 * changes.c: what changed in a case file, in words (see changes.h). Both versions are read
 * as a program reads them (schema, then the record's or consultation's decoder), and their
 * trees compared by path. Which values are substantive text is seal.c's to say
 * (seal_fields()): those are named, never shown, whether sealed or in clear.
 */
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "changes.h"
#include "consent.h"
#include "doc.h"
#include "mem.h"
#include "msg.h"
#include "overleg.h"
#include "problem.h"
#include "schemas.h"
#include "seal.h"
#include "vocab.h"

enum kind { K_PLAN, K_REINTEGRATION, K_OVERLEG, K_CONSENT, K_OTHER };

/* Per kind of file: its schema, what a valid one is called, and the sealable parts it has. */
static const struct {
	const char *schema;
	const char *what;
	enum seal_kind seal;
	bool sealed;
} kinds[] = {
	[K_PLAN] = {"plan", "plan", SEAL_PLAN, true},
	[K_REINTEGRATION] = {"reintegration", "reintegration plan", SEAL_REINTEGRATION, true},
	[K_OVERLEG] = {"overleg", "consultation", SEAL_OVERLEG, true},
	[K_CONSENT] = {"consent", "record", SEAL_PLAN, false},
	[K_OTHER] = {NULL, NULL, SEAL_PLAN, false},
};

/* One version of the file, read. doc points into rec or ov when they are set. */
struct side {
	struct doc *doc;
	struct consent_record *rec;
	struct overleg *ov;
};

/* A sealable part or field of one version (side 0: old, 1: new), by path. */
struct entry {
	char *path;
	char *part;                     /* the part a field is of; NULL for a part */
	const struct doc *map;          /* a part's map */
	int side;
	int rekeyed;                    /* a part: -1 not judged yet, else whether it has a new content key */
};

struct table {
	struct entry *v;
	size_t n, cap;
};

struct cmp {
	enum kind kind;
	const char *subject;            /* "plan", "consultation 2027-03-01", "record c-..." */
	const char *prefix;             /* "" for the plan, else the subject and ": " */
	struct table fields, parts;
	change_words_fn fn;
	void *arg;
	size_t said;
	int failed;
};

/* --- saying it ------------------------------------------------------------------------------ */

static void __attribute__((format(printf, 3, 4)))
tell(struct cmp *c, bool prefixed, const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;
	char *s;

	if (c->failed)
		return;
	va_start(ap, fmt);
	s = xvasprintf(fmt, ap);
	va_end(ap);
	if (prefixed)
		buf_adds(&b, c->prefix);
	buf_adds(&b, s);
	free(s);
	c->said++;
	if (c->fn(c->arg, b.data) != 0)
		c->failed = 1;
	buf_free(&b);
}

#define say(c, ...) tell(c, true, __VA_ARGS__)

/*
 * A value that may be shown as it is: one word of printable ASCII (a status, a date, an ID, an
 * address), a number or a boolean; NULL for anything else. tmp holds a number's digits.
 */
static const char *
word(const struct doc *d, char tmp[32])
{
	if (d == NULL)
		return NULL;
	switch (d->type) {
	case DOC_STR:
		if (d->len == 0 || d->len > CHANGES_WORD_MAX)
			return NULL;
		for (size_t i = 0; i < d->len; i++)
			if ((unsigned char)d->s[i] < 0x21 || (unsigned char)d->s[i] > 0x7e)
				return NULL;
		return d->s;
	case DOC_INT:
		snprintf(tmp, 32, "%lld", d->i);
		return tmp;
	case DOC_FLOAT:
		snprintf(tmp, 32, "%g", d->f);
		return tmp;
	case DOC_BOOL:
		return d->b ? "true" : "false";
	case DOC_NULL:
		return "null";
	default:
		return NULL;
	}
}

/* How a path is named: "team of welzijn" for a partner's team, else the path itself. */
static char *
label(const char *path)
{
	if (strncmp(path, "team.", 5) == 0 && strpbrk(path + 5, ".[") == NULL)
		return xasprintf("team of %s", path + 5);
	return xstrdup(path);
}

/* A part's name: a life domain's ("psychosocial"), an area's ("housing"), else its path. */
static const char *
part_name(const char *part)
{
	const char *name = strncmp(part, "domains.", 8) == 0 ? part + 8 : part;

	return strpbrk(name, ".[") ? part : name;
}

/* A field's name: "note of psychosocial" for a field of a named part, else its path. */
static char *
field_label(const char *path, const char *part)
{
	const char *name = part_name(part);
	size_t n = strlen(part);

	if (name != part || strpbrk(part, ".[") == NULL)
		if (strncmp(path, part, n) == 0 && path[n] == '.' && strpbrk(path + n + 1, ".[") == NULL)
			return xasprintf("%s of %s", path + n + 1, name);
	return xstrdup(path);
}

/* --- the sealable paths of both versions -------------------------------------------------- */

struct collect {
	struct cmp *c;
	int side;
};

static void
collect(void *arg, const char *part, const struct doc *map, const char *field)
{
	struct collect *k = arg;
	struct table *t = field ? &k->c->fields : &k->c->parts;

	xgrow((void **)&t->v, &t->cap, t->n + 1, sizeof *t->v);
	t->v[t->n++] = (struct entry){xstrdup(field ? field : part), field ? xstrdup(part) : NULL,
	    map, k->side, -1};
}

static int
entry_cmp(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;
	int r = strcmp(x->path, y->path);

	return r ? r : x->side - y->side;
}

/* The entry of t at path for side (-1: either), or NULL. t is sorted. */
static struct entry *
find(const struct table *t, const char *path, int side)
{
	size_t lo = 0, hi = t->n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;

		if (strcmp(t->v[mid].path, path) < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	for (; lo < t->n && strcmp(t->v[lo].path, path) == 0; lo++)
		if (side < 0 || t->v[lo].side == side)
			return &t->v[lo];
	return NULL;
}

static void
table_free(struct table *t)
{
	for (size_t i = 0; i < t->n; i++) {
		free(t->v[i].path);
		free(t->v[i].part);
	}
	free(t->v);
}

/* --- comparing trees ------------------------------------------------------------------------ */

static void diff(struct cmp *c, const char *path, const struct doc *a, const struct doc *b);

static char *
child_path(const char *path, const char *key)
{
	return *path ? xasprintf("%s.%s", path, key) : xstrdup(key);
}

static bool all_scalars(const struct doc *l);

/* A value added or removed (how). A list of words is a set: each is named. */
static void
added(struct cmp *c, const char *path, const struct doc *d, const char *how)
{
	char tmp[32], *l = label(path);
	const char *w = word(d, tmp);
	bool words = d->type == DOC_SEQ && d->n > 0 && all_scalars(d);

	for (size_t i = 0; words && i < d->n; i++)
		words = word(d->items[i], tmp) != NULL;
	if (words)
		for (size_t i = 0; i < d->n; i++)
			say(c, "%s: %s %s", l, word(d->items[i], tmp), how);
	else if (seal_is_value(d))
		say(c, "%s %s (sealed)", l, how);
	else if (w != NULL)
		say(c, "%s: %s %s", l, w, how);
	else
		say(c, "%s %s", l, how);
	free(l);
}

/* Whether the recipient r of a seal list is member m (with key k, unless k is NULL). */
static bool
recipient_is(const struct doc *r, const char *m, const char *k)
{
	const char *rm = doc_get_str(r, "member"), *rk = doc_get_str(r, "key");

	return rm && m && strcmp(rm, m) == 0 && (k == NULL || (rk && strcmp(rk, k) == 0));
}

static const struct doc *
seal_list(const struct doc *part)
{
	const struct doc *s = doc_get(part, "seal");

	return s && s->type == DOC_SEQ ? s : NULL;
}

/*
 * Whether part has a new content key: seal_put() keeps the key, and each recipient's wrap,
 * while no recipient goes, so a recipient of the old version that is gone or whose wrap
 * differs means every sealed value was sealed again.
 */
static bool
rekeyed(struct cmp *c, const char *part)
{
	struct entry *o = find(&c->parts, part, 0), *n = find(&c->parts, part, 1);
	const struct doc *so, *sn;

	if (o == NULL || n == NULL)
		return false;
	if (n->rekeyed >= 0)
		return n->rekeyed;
	n->rekeyed = 0;
	so = seal_list(o->map);
	sn = seal_list(n->map);
	for (size_t i = 0; so && i < so->n && !n->rekeyed; i++) {
		bool kept = false;

		for (size_t j = 0; sn && j < sn->n && !kept; j++)
			kept = doc_equal(so->items[i], sn->items[j]);
		n->rekeyed = !kept;
	}
	return n->rekeyed;
}

/* A sealable field: named, never shown. */
static void
text_changes(struct cmp *c, const char *path, const char *part, const struct doc *a,
    const struct doc *b)
{
	char *l;

	if ((a && b && doc_equal(a, b)) || (a == NULL && b == NULL))
		return;
	l = field_label(path, part);
	if (a == NULL)
		say(c, "%s added%s", l, seal_is_value(b) ? " (sealed)" : "");
	else if (b == NULL)
		say(c, "%s removed", l);
	else if (seal_is_value(a) && seal_is_value(b))
		say(c, "%s %s", l, rekeyed(c, part) ? "re-sealed" : "changed (sealed)");
	else if (seal_is_value(b))
		say(c, "%s sealed", l);
	else if (seal_is_value(a))
		say(c, "%s changed (no longer sealed)", l);
	else
		say(c, "%s changed", l);
	free(l);
}

/* The recipients of a part, by member: who was added, who went, whose key changed. */
static void
seal_changes(struct cmp *c, const char *part, const struct doc *a, const struct doc *b)
{
	const char *name = part_name(part);
	struct buf gained = {0}, lost = {0};
	char tmp[32];

	/* Pass 0 looks for the new recipients among the old, pass 1 the old among the new. */
	for (int pass = 0; pass < 2; pass++) {
		const struct doc *from = pass ? a : b, *to = pass ? b : a;

		for (size_t i = 0; from && i < from->n; i++) {
			const struct doc *m = doc_get(from->items[i], "member");
			const char *ms = doc_str(m), *ks = doc_get_str(from->items[i], "key"), *w;
			bool member = false, key = false;

			for (size_t j = 0; to && j < to->n && !key; j++) {
				member = member || recipient_is(to->items[j], ms, NULL);
				key = ks && recipient_is(to->items[j], ms, ks);
			}
			if (key || (member && pass == 1))
				continue;
			w = word(m, tmp);
			if (member)
				say(c, "%s sealed for a new key of %s", name, w ? w : "a member");
			else {
				struct buf *out = pass ? &lost : &gained;

				buf_adds(out, out->len ? ", " : "");
				buf_adds(out, w ? w : "a member");
			}
		}
	}
	if (gained.len)
		say(c, "%s sealed for %s", name, gained.data);
	if (lost.len)
		say(c, "%s no longer sealed for %s", name, lost.data);
	buf_free(&gained);
	buf_free(&lost);
}

/*
 * The keys of b in its order, then those only a has; keep (NULL: all) limits them, skip
 * passes some over. A part's seal list is compared as recipients.
 */
static void
map_changes(struct cmp *c, const char *path, const struct doc *a, const struct doc *b,
    const char *const *keep, const char *skip)
{
	for (int pass = 0; pass < 2 && !c->failed; pass++) {
		const struct doc *m = pass ? a : b;

		for (size_t i = 0; i < m->n && !c->failed; i++) {
			const char *key = m->pairs[i].key;
			const struct doc *av = doc_get(a, key), *bv = doc_get(b, key);
			char *p;

			if ((pass && bv) || (keep && !str_in_list(keep, key)) || (skip && strcmp(key, skip) == 0))
				continue;
			p = child_path(path, key);
			if (strcmp(key, "seal") == 0 && find(&c->parts, path, -1))
				seal_changes(c, path, seal_list(av ? a : NULL), seal_list(bv ? b : NULL));
			else
				diff(c, p, av, bv);
			free(p);
		}
	}
}

/* The key items of a list are matched by: the value of a scalar, or a map's field. */
struct item {
	const struct doc *key;
	size_t at;
};

static int
scalar_cmp(const struct doc *x, const struct doc *y)
{
	if (x->type != y->type)
		return (int)x->type - (int)y->type;
	switch (x->type) {
	case DOC_STR: {
		int r = memcmp(x->s, y->s, x->len < y->len ? x->len : y->len);

		return r ? r : (x->len > y->len) - (x->len < y->len);
	}
	case DOC_INT:
		return (x->i > y->i) - (x->i < y->i);
	case DOC_FLOAT:
		return (x->f > y->f) - (x->f < y->f);
	case DOC_BOOL:
		return (int)x->b - (int)y->b;
	default:
		return 0;
	}
}

static int
item_cmp(const void *p, const void *q)
{
	const struct item *x = p, *y = q;
	int r = scalar_cmp(x->key, y->key);

	return r ? r : (x->at > y->at) - (x->at < y->at);
}

/*
 * The key of each item of l (keyfield NULL: the item itself), or false when one has none or
 * it is not a scalar. Sorted by key, then position. Caller frees *out.
 */
static bool
keys_of(const struct doc *l, const char *keyfield, struct item **out)
{
	*out = xcalloc(l->n + 1, sizeof **out);
	for (size_t i = 0; i < l->n; i++) {
		const struct doc *k = keyfield ? doc_get(l->items[i], keyfield) : l->items[i];

		if (k == NULL || k->type == DOC_MAP || k->type == DOC_SEQ || seal_is_value(k)) {
			free(*out);
			*out = NULL;
			return false;
		}
		(*out)[i] = (struct item){k, i};
	}
	qsort(*out, l->n, sizeof **out, item_cmp);
	return true;
}

/*
 * Lists whose items have a key: matched by it (the k-th of equal keys with the k-th), in
 * O(n log n) so that a long list costs no more than reading it. The items of b in its order,
 * compared with their match or added, then those of a without one, removed.
 */
static bool
keyed_changes(struct cmp *c, const char *path, const struct doc *a, const struct doc *b,
    const char *keyfield)
{
	struct item *ka, *kb;
	size_t *ma, *mb, i = 0, j = 0;
	char *l, tmp[32];

	if (!keys_of(a, keyfield, &ka))
		return false;
	if (!keys_of(b, keyfield, &kb)) {
		free(ka);
		return false;
	}
	ma = xmalloc((a->n + 1) * sizeof *ma);
	mb = xmalloc((b->n + 1) * sizeof *mb);
	for (size_t k = 0; k < a->n; k++)
		ma[k] = SIZE_MAX;
	for (size_t k = 0; k < b->n; k++)
		mb[k] = SIZE_MAX;
	while (i < a->n && j < b->n) {
		int r = scalar_cmp(ka[i].key, kb[j].key);

		if (r < 0)
			i++;
		else if (r > 0)
			j++;
		else {
			ma[ka[i].at] = kb[j].at;
			mb[kb[j].at] = ka[i].at;
			i++;
			j++;
		}
	}
	l = label(path);
	for (size_t k = 0; k < b->n && !c->failed; k++) {
		const struct doc *key = keyfield ? doc_get(b->items[k], keyfield) : b->items[k];
		const char *w = word(key, tmp);
		char *p = xasprintf("%s[%zu]", path, k);

		if (mb[k] != SIZE_MAX)
			diff(c, p, a->items[mb[k]], b->items[k]);
		else if (w != NULL)
			say(c, "%s: %s added", l, w);
		else
			say(c, "%s added", p);
		free(p);
	}
	for (size_t k = 0; k < a->n && !c->failed; k++) {
		const struct doc *key = keyfield ? doc_get(a->items[k], keyfield) : a->items[k];
		const char *w = word(key, tmp);

		if (ma[k] != SIZE_MAX)
			continue;
		if (w != NULL)
			say(c, "%s: %s removed", l, w);
		else
			say(c, "%s[%zu] removed", path, k);
	}
	free(l);
	free(ka);
	free(kb);
	free(ma);
	free(mb);
	return true;
}

static bool
all_scalars(const struct doc *l)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->items[i]->type == DOC_MAP || l->items[i]->type == DOC_SEQ)
			return false;
	return true;
}

/* The field that identifies an item of the list at path, if its items have one. */
static const char *
list_key(const struct cmp *c, const char *path)
{
	if (c->kind == K_OVERLEG && strcmp(path, "present") == 0)
		return "member";
	if (c->kind == K_OVERLEG && strcmp(path, "closes") == 0)
		return "agreement";
	return NULL;
}

static void
seq_changes(struct cmp *c, const char *path, const struct doc *a, const struct doc *b)
{
	const char *key = list_key(c, path);

	/* Lists of words (team members, aims, partners) are sets: compared by value. */
	if (all_scalars(a) && all_scalars(b) && keyed_changes(c, path, a, b, NULL))
		return;
	if (key && keyed_changes(c, path, a, b, key))
		return;
	for (size_t i = 0; (i < a->n || i < b->n) && !c->failed; i++) {
		char *p = xasprintf("%s[%zu]", path, i);

		diff(c, p, i < a->n ? a->items[i] : NULL, i < b->n ? b->items[i] : NULL);
		free(p);
	}
}

/*
 * The detainee's refusals of the plan (plan-edit --refused, --refusal-revoked), by position:
 * oldest first, a revocation dated on its refusal. The old form "refusal" is one of them.
 */
static void
refusal_changes(struct cmp *c, const char *path, const struct doc *a, const struct doc *b)
{
	const struct doc *one[2] = {a, b};
	size_t n[2] = {1, 1};
	const struct doc *const *items[2] = {&one[0], &one[1]};

	for (int s = 0; s < 2; s++)
		if (one[s] == NULL)
			n[s] = 0;
		else if (one[s]->type == DOC_SEQ) {
			items[s] = (const struct doc *const *)one[s]->items;
			n[s] = one[s]->n;
		}
	for (size_t i = 0; (i < n[0] || i < n[1]) && !c->failed; i++) {
		const struct doc *x = i < n[0] ? items[0][i] : NULL, *y = i < n[1] ? items[1][i] : NULL;
		const struct doc *since = doc_get(y ? y : x, "since");
		const struct doc *rx = doc_get(x, "revoked"), *ry = doc_get(y, "revoked");
		char tmp[32], tmp2[32], *p;
		const char *w = word(since, tmp), *wr = word(ry, tmp2);

		if (w == NULL || (x && !doc_equal(since, doc_get(x, "since")))) {
			p = xasprintf("%s[%zu]", path, i);
			diff(c, p, x, y);
			free(p);
			continue;
		}
		if (x == NULL)
			say(c, "plan refused on %s", w);
		if (y == NULL)
			say(c, "refusal of %s removed", w);
		else if (ry && wr && !doc_equal(rx, ry))
			say(c, "refusal of %s revoked on %s", w, wr);
		else if (rx && !ry)
			say(c, "revocation of the refusal of %s removed", w);
	}
}

static void
diff(struct cmp *c, const char *path, const struct doc *a, const struct doc *b)
{
	const struct entry *f;
	char tmp[32], tmp2[32], *l;
	const char *wa, *wb;

	if (c->failed || (a == NULL && b == NULL))
		return;
	f = find(&c->fields, path, -1);
	if (f != NULL) {
		text_changes(c, path, f->part, a, b);
		return;
	}
	if (a && b && doc_equal(a, b))
		return;
	if (c->kind == K_PLAN && (strcmp(path, "refusals") == 0 || strcmp(path, "refusal") == 0)) {
		refusal_changes(c, path, a, b);
		return;
	}
	if (a == NULL) {
		added(c, path, b, "added");
		return;
	}
	if (b == NULL) {
		added(c, path, a, "removed");
		return;
	}
	if (a->type == DOC_MAP && b->type == DOC_MAP && !seal_is_value(a) && !seal_is_value(b)) {
		map_changes(c, path, a, b, NULL, NULL);
		return;
	}
	if (a->type == DOC_SEQ && b->type == DOC_SEQ) {
		seq_changes(c, path, a, b);
		return;
	}
	l = label(path);
	wa = word(a, tmp);
	wb = word(b, tmp2);
	if (seal_is_value(a) || seal_is_value(b))
		say(c, "%s changed (sealed)", l);
	else if (wa && wb)
		say(c, "%s: %s → %s", l, wa, wb);
	else
		say(c, "%s changed", l);
	free(l);
}

/* --- the files ---------------------------------------------------------------------------- */

static enum kind
kind_of(const char *file, char **name)
{
	static const char *const folders[] = {"overleg/", "consent/"};
	size_t n = strlen(file);

	*name = NULL;
	if (strcmp(file, "plan.yaml") == 0)
		return K_PLAN;
	if (strcmp(file, "reintegration.yaml") == 0)
		return K_REINTEGRATION;
	for (int i = 0; i < 2; i++) {
		size_t fl = strlen(folders[i]);

		if (n > fl + 5 && strncmp(file, folders[i], fl) == 0 && strchr(file + fl, '/') == NULL &&
		    strcmp(file + n - 5, ".yaml") == 0) {
			*name = xstrndup(file + fl, n - fl - 5);
			return i == 0 ? K_OVERLEG : K_CONSENT;
		}
	}
	return K_OTHER;
}

/* Reads one version; false when it is not a valid file of its kind. */
static bool
side_read(struct side *s, enum kind k, const char *file, const char *buf, size_t len)
{
	struct problems ps = {0};
	struct doc *d = casus_parse(buf, len, file, kinds[k].schema, &ps);

	problems_free(&ps);
	memset(s, 0, sizeof *s);
	if (d != NULL && k == K_CONSENT) {
		s->rec = consent_decode(d);
		d = s->rec ? s->rec->doc : NULL;
	} else if (d != NULL && k == K_OVERLEG) {
		s->ov = overleg_decode(d);
		d = s->ov ? s->ov->doc : NULL;
	}
	err_clear();
	s->doc = d;
	return d != NULL;
}

static void
side_free(struct side *s)
{
	if (s->rec)
		consent_free(s->rec);
	else if (s->ov)
		overleg_free(s->ov);
	else
		doc_free(s->doc);
}

/* What a file new in the case folder is. */
static void
created(struct cmp *c, const struct side *s, const char *name)
{
	const struct consent_record *r = s->rec;

	switch (c->kind) {
	case K_PLAN:
	case K_REINTEGRATION:
		tell(c, false, "%s created", c->subject);
		break;
	case K_OVERLEG:
		tell(c, false, "consultation %s %s", name, vocab_word(vocab_overleg_status, s->ov->status));
		break;
	case K_CONSENT:
		if (r->kind == RK_WITHDRAWAL)
			tell(c, false, consent_id_kind(r->withdraws) == RK_BASIS ? "basis %s ended" :
			    "consent %s withdrawn", r->withdraws);
		else
			tell(c, false, "%s %s %s", vocab_word(vocab_record_kinds, r->kind), r->id,
			    r->kind == RK_CONSENT ? "given" : "recorded");
		break;
	default:
		break;
	}
}

/* A consultation's status says what happened to it; minutes new with "held" are not listed. */
static void
overleg_changes(struct cmp *c, const struct side *a, const struct side *b, const char *name)
{
	static const char *const fixed[] = {"case_id", "date", "kind", NULL};

	if (a->ov->status == b->ov->status) {
		map_changes(c, "", a->doc, b->doc, NULL, NULL);
		return;
	}
	tell(c, false, "consultation %s %s", name, vocab_word(vocab_overleg_status, b->ov->status));
	if (b->ov->status == OS_HELD)
		map_changes(c, "", a->doc, b->doc, fixed, NULL);
	else
		map_changes(c, "", a->doc, b->doc, NULL, "status");
}

int
case_file_changes(const char *file, const char *old, size_t oldlen, const char *new,
    size_t newlen, change_words_fn fn, void *arg)
{
	struct cmp c = {.fn = fn, .arg = arg};
	struct side a = {0}, b = {0};
	bool aok, bok;
	char *name, *subject, *prefix;

	if ((old == NULL && new == NULL) ||
	    (old && new && oldlen == newlen && memcmp(old, new, oldlen) == 0))
		return 0;
	c.kind = kind_of(file, &name);
	if (c.kind == K_OVERLEG)
		subject = xasprintf("consultation %s", name);
	else if (c.kind == K_CONSENT)
		subject = xasprintf("record %s", name);
	else
		subject = xstrdup(c.kind == K_OTHER ? file : kinds[c.kind].what);
	prefix = c.kind == K_PLAN ? xstrdup("") : xasprintf("%s: ", subject);
	c.subject = subject;
	c.prefix = prefix;

	if (new == NULL) {
		tell(&c, false, "%s removed", subject);
	} else if (c.kind == K_OTHER) {
		tell(&c, false, "%s %s", file, old ? "changed" : "added");
	} else {
		aok = old ? side_read(&a, c.kind, file, old, oldlen) : true;
		bok = side_read(&b, c.kind, file, new, newlen);
		if (!bok)
			tell(&c, false, "%s %s (not a valid %s)", file, old ? "changed" : "added",
			    kinds[c.kind].what);
		else if (!aok)
			tell(&c, false, "%s changed (the version before was not a valid %s)", file,
			    kinds[c.kind].what);
		else if (old == NULL)
			created(&c, &b, name);
		else {
			if (kinds[c.kind].sealed) {
				struct collect ka = {&c, 0}, kb = {&c, 1};

				seal_fields(a.doc, kinds[c.kind].seal, collect, &ka);
				seal_fields(b.doc, kinds[c.kind].seal, collect, &kb);
				if (c.fields.n > 0)
					qsort(c.fields.v, c.fields.n, sizeof *c.fields.v, entry_cmp);
				if (c.parts.n > 0)
					qsort(c.parts.v, c.parts.n, sizeof *c.parts.v, entry_cmp);
			}
			if (c.kind == K_OVERLEG)
				overleg_changes(&c, &a, &b, name);
			else
				diff(&c, "", a.doc, b.doc);
			if (c.said == 0)
				tell(&c, false, "%s rewritten, same content", subject);
		}
		side_free(&a);
		side_free(&b);
	}
	table_free(&c.fields);
	table_free(&c.parts);
	free(name);
	free(subject);
	free(prefix);
	return c.failed ? -1 : 0;
}
