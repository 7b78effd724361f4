/* doc.c: building, copying, freeing, querying and comparing document trees in memory. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "doc.h"
#include "mem.h"

const struct doc_limits doc_limits_casus = { 1024 * 1024, 64, true };

struct doc *
doc_new(enum doc_type t)
{
	struct doc *d = xcalloc(1, sizeof *d);

	d->type = t;
	if (t == DOC_STR)
		d->s = xstrdup("");
	return d;
}

struct doc *
doc_new_str(const char *s)
{
	return doc_new_strn(s, strlen(s));
}

struct doc *
doc_new_strn(const char *s, size_t len)
{
	struct doc *d = xcalloc(1, sizeof *d);

	d->type = DOC_STR;
	d->s = xstrndup(s, len);
	d->len = len;
	return d;
}

struct doc *
doc_new_int(long long i)
{
	struct doc *d = doc_new(DOC_INT);

	d->i = i;
	return d;
}

struct doc *
doc_new_bool(bool b)
{
	struct doc *d = doc_new(DOC_BOOL);

	d->b = b;
	return d;
}

/*
 * Frees without recursion: a tree read with a generous depth limit (the conformance loader
 * allows 10,000 levels) must not cost its depth in C stack frames to throw away.
 */
void
doc_free(struct doc *d)
{
	struct doc **stack = NULL;
	size_t n = 0, cap = 0;

	if (d == NULL)
		return;
	xgrow((void **)&stack, &cap, 1, sizeof *stack);
	stack[n++] = d;
	while (n > 0) {
		struct doc *x = stack[--n];

		if (x->type == DOC_SEQ) {
			xgrow((void **)&stack, &cap, n + x->n, sizeof *stack);
			for (size_t i = 0; i < x->n; i++)
				if (x->items[i] != NULL)
					stack[n++] = x->items[i];
		} else if (x->type == DOC_MAP) {
			xgrow((void **)&stack, &cap, n + x->n, sizeof *stack);
			for (size_t i = 0; i < x->n; i++) {
				free(x->pairs[i].key);
				if (x->pairs[i].val != NULL)
					stack[n++] = x->pairs[i].val;
			}
		}
		free(x->s);
		free(x->items);
		free(x->pairs);
		free(x);
	}
	free(stack);
}

/* Recursive: trees come from the parser, whose depth limit bounds the recursion. */
struct doc *
doc_clone(const struct doc *d)
{
	struct doc *c;

	if (d == NULL)
		return NULL;
	c = xcalloc(1, sizeof *c);
	*c = *d;
	c->s = NULL;
	c->items = NULL;
	c->pairs = NULL;
	c->cap = 0;
	switch (d->type) {
	case DOC_STR:
		c->s = xstrndup(d->s ? d->s : "", d->len);
		break;
	case DOC_SEQ:
		c->cap = d->n;
		c->items = xcalloc(d->n, sizeof *c->items);
		for (size_t i = 0; i < d->n; i++)
			c->items[i] = doc_clone(d->items[i]);
		break;
	case DOC_MAP:
		c->cap = d->n;
		c->pairs = xcalloc(d->n, sizeof *c->pairs);
		for (size_t i = 0; i < d->n; i++) {
			c->pairs[i] = d->pairs[i];
			c->pairs[i].key = xstrndup(d->pairs[i].key, d->pairs[i].keylen);
			c->pairs[i].val = doc_clone(d->pairs[i].val);
		}
		break;
	default:
		break;
	}
	return c;
}

static struct doc_pair *
find_pair(const struct doc *map, const char *key, size_t keylen)
{
	if (map == NULL || map->type != DOC_MAP)
		return NULL;
	for (size_t i = 0; i < map->n; i++) {
		struct doc_pair *p = &map->pairs[i];

		if (p->keylen == keylen && memcmp(p->key, key, keylen) == 0)
			return p;
	}
	return NULL;
}

struct doc *
doc_get(const struct doc *map, const char *key)
{
	struct doc_pair *p = find_pair(map, key, strlen(key));

	return p ? p->val : NULL;
}

/* A map that is not a map is a caller's bug; val is still freed, as ownership was promised. */
void
doc_set(struct doc *map, const char *key, struct doc *val)
{
	size_t keylen = strlen(key);
	struct doc_pair *p;

	if (val == NULL)
		val = doc_new(DOC_NULL);
	if (map == NULL || map->type != DOC_MAP) {
		doc_free(val);
		return;
	}
	p = find_pair(map, key, keylen);
	if (p != NULL) {
		doc_free(p->val);
		p->val = val;
		return;
	}
	xgrow((void **)&map->pairs, &map->cap, map->n + 1, sizeof *map->pairs);
	p = &map->pairs[map->n++];
	p->key = xstrndup(key, keylen);
	p->keylen = keylen;
	p->val = val;
	p->line = 0;
}

bool
doc_del(struct doc *map, const char *key)
{
	struct doc_pair *p = find_pair(map, key, strlen(key));
	size_t i;

	if (p == NULL)
		return false;
	i = (size_t)(p - map->pairs);
	free(p->key);
	doc_free(p->val);
	memmove(&map->pairs[i], &map->pairs[i + 1], (map->n - i - 1) * sizeof *map->pairs);
	map->n--;
	return true;
}

struct doc *
doc_lookup(const struct doc *d, const char *dotted)
{
	const char *p = dotted;

	while (d != NULL) {
		const char *dot = strchr(p, '.');
		size_t n = dot ? (size_t)(dot - p) : strlen(p);
		struct doc_pair *pair = find_pair(d, p, n);

		d = pair ? pair->val : NULL;
		if (dot == NULL)
			break;
		p = dot + 1;
	}
	return (struct doc *)d;
}

void
doc_push(struct doc *seq, struct doc *item)
{
	if (item == NULL)
		item = doc_new(DOC_NULL);
	if (seq == NULL || seq->type != DOC_SEQ) {
		doc_free(item);
		return;
	}
	xgrow((void **)&seq->items, &seq->cap, seq->n + 1, sizeof *seq->items);
	seq->items[seq->n++] = item;
}

const char *
doc_str(const struct doc *d)
{
	return d != NULL && d->type == DOC_STR ? d->s : NULL;
}

const char *
doc_get_str(const struct doc *map, const char *key)
{
	return doc_str(doc_get(map, key));
}

/*
 * An integer equals a float only when the float is integral and converts to exactly that
 * integer; comparing through double would call 2^53 + 1 equal to 2^53.
 */
static bool
int_equals_float(long long i, double f)
{
	if (!(f >= -9223372036854775808.0 && f < 9223372036854775808.0))
		return false;
	return (double)(long long)f == f && (long long)f == i;
}

static int
cmp_pair(const void *a, const void *b)
{
	const struct doc_pair *x = *(const struct doc_pair *const *)a;
	const struct doc_pair *y = *(const struct doc_pair *const *)b;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
	int c = memcmp(x->key, y->key, n);

	if (c != 0)
		return c;
	return (x->keylen > y->keylen) - (x->keylen < y->keylen);
}

static const struct doc_pair **
sorted_pairs(const struct doc *m)
{
	const struct doc_pair **v = xcalloc(m->n, sizeof *v);

	for (size_t i = 0; i < m->n; i++)
		v[i] = &m->pairs[i];
	qsort(v, m->n, sizeof *v, cmp_pair);
	return v;
}

/* Small maps by scan; large ones sorted so a hostile 100,000-key map stays O(n log n). */
static bool
map_equal(const struct doc *a, const struct doc *b)
{
	const struct doc_pair **x, **y;
	bool eq = true;

	if (a->n != b->n)
		return false;
	if (a->n <= 16) {
		for (size_t i = 0; i < a->n; i++) {
			const struct doc_pair *p = &a->pairs[i];
			const struct doc_pair *q = find_pair(b, p->key, p->keylen);

			if (q == NULL || !doc_equal(p->val, q->val))
				return false;
		}
		return true;
	}
	x = sorted_pairs(a);
	y = sorted_pairs(b);
	for (size_t i = 0; eq && i < a->n; i++)
		eq = cmp_pair(&x[i], &y[i]) == 0 && doc_equal(x[i]->val, y[i]->val);
	free(x);
	free(y);
	return eq;
}

/* NaN equals NaN here: the question is "same data", and a .nan must survive a round trip. */
bool
doc_equal(const struct doc *a, const struct doc *b)
{
	if (a == NULL || b == NULL)
		return a == b;
	if (a->type == DOC_INT && b->type == DOC_FLOAT)
		return int_equals_float(a->i, b->f);
	if (a->type == DOC_FLOAT && b->type == DOC_INT)
		return int_equals_float(b->i, a->f);
	if (a->type != b->type)
		return false;
	switch (a->type) {
	case DOC_NULL:
		return true;
	case DOC_BOOL:
		return a->b == b->b;
	case DOC_INT:
		return a->i == b->i;
	case DOC_FLOAT:
		if (isnan(a->f) || isnan(b->f))
			return isnan(a->f) && isnan(b->f);
		return a->f == b->f;
	case DOC_STR:
		return a->len == b->len && (a->len == 0 || memcmp(a->s, b->s, a->len) == 0);
	case DOC_SEQ:
		if (a->n != b->n)
			return false;
		for (size_t i = 0; i < a->n; i++)
			if (!doc_equal(a->items[i], b->items[i]))
				return false;
		return true;
	case DOC_MAP:
		return map_equal(a, b);
	}
	return false;
}

const char *
doc_type_name(enum doc_type t)
{
	switch (t) {
	case DOC_NULL:
		return "null";
	case DOC_BOOL:
		return "boolean";
	case DOC_INT:
		return "integer";
	case DOC_FLOAT:
		return "number";
	case DOC_STR:
		return "string";
	case DOC_SEQ:
		return "array";
	case DOC_MAP:
		return "object";
	}
	return "unknown";
}
