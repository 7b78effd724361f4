/* schema.c: compiles JSON Schema 2020-12 documents into a tree of checks, and validates documents with it. */
#include <limits.h>
#include <math.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "doc.h"
#include "mem.h"
#include "msg.h"
#include "problem.h"
#include "schema.h"
#include "schema_int.h"
#include "utf8.h"

/*
 * How deep validation may nest (schema applicators and instance levels together). It stops
 * $ref loops that some instance keeps feeding, where the loop check below cannot see them.
 */
#define MAX_DEPTH 1000

const char *const schema_keywords[] = {
	/* assertions */
	"type", "enum", "const",
	"minLength", "maxLength", "pattern", "format",
	"minimum", "maximum", "exclusiveMinimum", "exclusiveMaximum", "multipleOf",
	"minItems", "maxItems", "uniqueItems", "minContains", "maxContains",
	"required", "minProperties", "maxProperties", "dependentRequired",
	/* applicators */
	"properties", "patternProperties", "additionalProperties", "propertyNames",
	"dependentSchemas", "prefixItems", "items", "contains",
	"unevaluatedProperties", "unevaluatedItems",
	"allOf", "anyOf", "oneOf", "not", "if", "then", "else",
	/* identifiers and references */
	"$ref", "$defs", "$id", "$anchor",
	/* annotations, accepted and ignored */
	"$schema", "$comment", "title", "description", "default", "examples",
	"deprecated", "readOnly", "writeOnly",
	"contentEncoding", "contentMediaType", "contentSchema",
	NULL
};

struct snode;

struct sprop {
	const char *key;
	size_t keylen;
	struct snode *s;
};

struct spat {
	pcre2_code *re;
	const char *src;
	struct snode *s;
};

/* One schema position, its keywords read once at compile time. */
struct snode {
	const struct doc *src;
	int boolean;                    /* -1 for an object schema, else the boolean schema's value */
	char *base;                     /* base URI in effect here */
	unsigned types;                 /* bit per enum doc_type-like kind, see type_bit(); 0 = any */
	struct sprop *props, *depschemas;
	size_t nprops, ndepschemas;
	struct spat *pats;
	size_t npats;
	struct snode *addl, *propnames, *items, *contains, *not, *if_, *then_, *else_, *ref;
	struct snode *uprops, *uitems;  /* unevaluatedProperties, unevaluatedItems */
	struct snode **prefix, **allof, **anyof, **oneof;
	size_t nprefix, nallof, nanyof, noneof;
	const struct doc *enumv, *constv, *required, *depreq;
	const struct doc *minimum, *maximum, *xminimum, *xmaximum, *multipleof;
	const char *pattern_src;
	pcre2_code *pattern;
	const char *title;      /* what a value of this schema is, for messages: "a duration like 6w" */
	const char *format;
	const char *refstr;
	long long minlen, maxlen, minitems, maxitems, minprops, maxprops, mincontains, maxcontains;
	bool unique, has_contains_limits;
};

struct resource {
	char *uri;                      /* without fragment */
	char *anchor;                   /* NULL for a resource root */
	const struct doc *doc;
	const char *base;
};

struct schema {
	struct doc *root;
	char *name;
	struct schema_opts opts;
	struct snode **nodes;           /* every node, for freeing */
	size_t nnodes, capnodes;
	struct snode **map;             /* open-addressing table from src doc to node */
	size_t mapcap, mapn;
	struct resource *res;
	size_t nres, capres;
	struct snode **pending;         /* nodes whose $ref is not resolved yet */
	size_t npending, cappending;
};

enum {
	T_NULL = 1, T_BOOL = 2, T_INT = 4, T_NUM = 8, T_STR = 16, T_ARR = 32, T_OBJ = 64
};

static const struct {
	const char *name;
	unsigned bit;
} type_names[] = {
	/* In the order messages list them: "expected string or null". */
	{ "string", T_STR }, { "integer", T_INT }, { "number", T_NUM }, { "boolean", T_BOOL },
	{ "array", T_ARR }, { "object", T_OBJ }, { "null", T_NULL },
};

/* --- compiling ------------------------------------------------------------------------------ */

static size_t
ptr_hash(const void *p, size_t cap)
{
	uintptr_t h = (uintptr_t)p;

	h ^= h >> 17;
	h *= (uintptr_t)0x9E3779B97F4A7C15ULL;
	return (size_t)(h >> 7) & (cap - 1);
}

static void
map_put(struct schema *s, struct snode *n)
{
	if (2 * (s->mapn + 1) > s->mapcap) {
		size_t oldcap = s->mapcap;
		struct snode **old = s->map;

		s->mapcap = oldcap ? oldcap * 2 : 64;
		s->map = xcalloc(s->mapcap, sizeof *s->map);
		for (size_t i = 0; i < oldcap; i++) {
			if (old[i]) {
				size_t h = ptr_hash(old[i]->src, s->mapcap);

				while (s->map[h])
					h = (h + 1) & (s->mapcap - 1);
				s->map[h] = old[i];
			}
		}
		free(old);
	}
	size_t h = ptr_hash(n->src, s->mapcap);

	while (s->map[h])
		h = (h + 1) & (s->mapcap - 1);
	s->map[h] = n;
	s->mapn++;
}

static struct snode *
map_get(const struct schema *s, const struct doc *d)
{
	if (s->mapcap == 0)
		return NULL;
	for (size_t h = ptr_hash(d, s->mapcap); s->map[h]; h = (h + 1) & (s->mapcap - 1))
		if (s->map[h]->src == d)
			return s->map[h];
	return NULL;
}

static void
add_resource(struct schema *s, const char *uri, const char *anchor, const struct doc *d, const char *base)
{
	for (size_t i = 0; i < s->nres; i++) {
		bool same_anchor = (anchor == NULL && s->res[i].anchor == NULL) ||
		    (anchor && s->res[i].anchor && strcmp(anchor, s->res[i].anchor) == 0);

		if (same_anchor && strcmp(s->res[i].uri, uri) == 0)
			return;         /* the first definition wins */
	}
	xgrow((void **)&s->res, &s->capres, s->nres + 1, sizeof *s->res);
	s->res[s->nres].uri = xstrdup(uri);
	s->res[s->nres].anchor = anchor ? xstrdup(anchor) : NULL;
	s->res[s->nres].doc = d;
	s->res[s->nres].base = base;
	s->nres++;
}

static const struct resource *
find_resource(const struct schema *s, const char *uri, const char *anchor)
{
	for (size_t i = 0; i < s->nres; i++) {
		const struct resource *r = &s->res[i];

		if (strcmp(r->uri, uri) != 0)
			continue;
		if ((anchor == NULL && r->anchor == NULL) || (anchor && r->anchor && strcmp(anchor, r->anchor) == 0))
			return r;
	}
	return NULL;
}

/* Sets the last error for a malformed schema; always returns NULL for the caller to pass on. */
static void *
bad(const struct schema *s, const struct doc *at, const char *fmt, ...)
{
	char *msg;
	va_list ap;

	va_start(ap, fmt);
	msg = xvasprintf(fmt, ap);
	va_end(ap);
	if (at && at->line > 0)
		err_set("cannot compile schema '%s': line %d: %s", s->name, at->line, msg);
	else
		err_set("cannot compile schema '%s': %s", s->name, msg);
	free(msg);
	return NULL;
}

/* Reads a non-negative integer keyword value (2.0 counts as 2). Returns -1 if it is not one. */
static long long
read_count(const struct doc *v)
{
	if (v->type == DOC_INT)
		return v->i >= 0 ? v->i : -1;
	if (v->type == DOC_FLOAT && isfinite(v->f) && v->f >= 0 && v->f == floor(v->f))
		return v->f >= 9.2e18 ? LLONG_MAX : (long long)v->f;
	return -1;
}

static bool
is_number(const struct doc *v)
{
	return v->type == DOC_INT || v->type == DOC_FLOAT;
}

static pcre2_code *
compile_regex(const struct schema *s, const struct doc *at, const char *pat, size_t len)
{
	struct buf b = {0};
	pcre2_compile_context *cc;
	pcre2_code *re;
	int errcode;
	PCRE2_SIZE erroff;

	if (!utf8_valid(pat, len))
		return bad(s, at, "pattern is not valid UTF-8");
	schema_regex_translate(pat, len, &b);
	cc = pcre2_compile_context_create(NULL);
	if (cc == NULL)
		die("cannot allocate memory: out of memory");
	/* ECMA-262 reads \uXXXX and \u{X...}, and its $ does not match before a final newline. */
	pcre2_set_compile_extra_options(cc, PCRE2_EXTRA_ALT_BSUX);
	re = pcre2_compile((PCRE2_SPTR)(b.data ? b.data : ""), b.len,
	    PCRE2_UTF | PCRE2_ALT_BSUX | PCRE2_DOLLAR_ENDONLY, &errcode, &erroff, cc);
	pcre2_compile_context_free(cc);
	buf_free(&b);
	if (re == NULL) {
		PCRE2_UCHAR msg[256];

		pcre2_get_error_message(errcode, msg, sizeof msg);
		return bad(s, at, "pattern '%.*s' does not compile: %s", (int)(len > 200 ? 200 : len), pat, (char *)msg);
	}
	return re;
}

static struct snode *compile_node(struct schema *s, const struct doc *d, const char *base);

/* Compiles each element of a non-empty array of schemas. Returns false after bad(). */
static bool
compile_list(struct schema *s, const struct doc *v, const char *kw, const char *base, struct snode ***out, size_t *n)
{
	if (v->type != DOC_SEQ || (v->n == 0 && strcmp(kw, "prefixItems") != 0)) {
		bad(s, v, "'%s' must be a non-empty array of schemas", kw);
		return false;
	}
	*out = xcalloc(v->n, sizeof **out);
	*n = v->n;
	for (size_t i = 0; i < v->n; i++) {
		(*out)[i] = compile_node(s, v->items[i], base);
		if ((*out)[i] == NULL)
			return false;
	}
	return true;
}

/* Compiles an object whose values are schemas into props. */
static bool
compile_props(struct schema *s, const struct doc *v, const char *kw, const char *base, struct sprop **out, size_t *n)
{
	if (v->type != DOC_MAP) {
		bad(s, v, "'%s' must be an object of schemas", kw);
		return false;
	}
	*out = xcalloc(v->n, sizeof **out);
	*n = v->n;
	for (size_t i = 0; i < v->n; i++) {
		(*out)[i].key = v->pairs[i].key;
		(*out)[i].keylen = v->pairs[i].keylen;
		(*out)[i].s = compile_node(s, v->pairs[i].val, base);
		if ((*out)[i].s == NULL)
			return false;
	}
	return true;
}

static bool
compile_types(struct schema *s, struct snode *n, const struct doc *v)
{
	const struct doc *one = v;
	size_t count = v->type == DOC_SEQ ? v->n : 1;

	for (size_t i = 0; i < count; i++) {
		size_t k;

		if (v->type == DOC_SEQ)
			one = v->items[i];
		if (one->type != DOC_STR) {
			bad(s, one, "'type' must be a type name or an array of them");
			return false;
		}
		for (k = 0; k < sizeof type_names / sizeof type_names[0]; k++)
			if (strcmp(one->s, type_names[k].name) == 0 && strlen(one->s) == one->len)
				break;
		if (k == sizeof type_names / sizeof type_names[0]) {
			bad(s, one, "unknown type '%s'", one->s);
			return false;
		}
		n->types |= type_names[k].bit;
	}
	return true;
}

static bool
all_strings(const struct doc *v)
{
	if (v->type != DOC_SEQ)
		return false;
	for (size_t i = 0; i < v->n; i++)
		if (v->items[i]->type != DOC_STR)
			return false;
	return true;
}

/* Reads one keyword of an object schema into n. Unknown keywords are ignored, as the spec says. */
static bool
compile_keyword(struct schema *s, struct snode *n, const char *kw, const struct doc *v)
{
	const char *base = n->base;
	long long *count = NULL;
	const struct doc **number = NULL;

	if (strcmp(kw, "type") == 0) {
		if (v->type == DOC_SEQ && v->n == 0) {
			bad(s, v, "'type' must not be an empty array");
			return false;
		}
		return compile_types(s, n, v);
	} else if (strcmp(kw, "enum") == 0) {
		if (v->type != DOC_SEQ) {
			bad(s, v, "'enum' must be an array");
			return false;
		}
		n->enumv = v;
	} else if (strcmp(kw, "const") == 0) {
		n->constv = v;
	} else if (strcmp(kw, "pattern") == 0) {
		if (v->type != DOC_STR) {
			bad(s, v, "'pattern' must be a string");
			return false;
		}
		n->pattern_src = v->s;
		n->pattern = compile_regex(s, v, v->s, v->len);
		return n->pattern != NULL;
	} else if (strcmp(kw, "format") == 0) {
		if (v->type != DOC_STR) {
			bad(s, v, "'format' must be a string");
			return false;
		}
		n->format = v->s;
	} else if (strcmp(kw, "minLength") == 0) {
		count = &n->minlen;
	} else if (strcmp(kw, "maxLength") == 0) {
		count = &n->maxlen;
	} else if (strcmp(kw, "minItems") == 0) {
		count = &n->minitems;
	} else if (strcmp(kw, "maxItems") == 0) {
		count = &n->maxitems;
	} else if (strcmp(kw, "minProperties") == 0) {
		count = &n->minprops;
	} else if (strcmp(kw, "maxProperties") == 0) {
		count = &n->maxprops;
	} else if (strcmp(kw, "minContains") == 0) {
		count = &n->mincontains;
	} else if (strcmp(kw, "maxContains") == 0) {
		count = &n->maxcontains;
	} else if (strcmp(kw, "minimum") == 0) {
		number = &n->minimum;
	} else if (strcmp(kw, "maximum") == 0) {
		number = &n->maximum;
	} else if (strcmp(kw, "exclusiveMinimum") == 0) {
		number = &n->xminimum;
	} else if (strcmp(kw, "exclusiveMaximum") == 0) {
		number = &n->xmaximum;
	} else if (strcmp(kw, "multipleOf") == 0) {
		if (!is_number(v) || (v->type == DOC_INT ? v->i <= 0 : !(v->f > 0) || !isfinite(v->f))) {
			bad(s, v, "'multipleOf' must be a number greater than 0");
			return false;
		}
		n->multipleof = v;
	} else if (strcmp(kw, "uniqueItems") == 0) {
		if (v->type != DOC_BOOL) {
			bad(s, v, "'uniqueItems' must be true or false");
			return false;
		}
		n->unique = v->b;
	} else if (strcmp(kw, "required") == 0) {
		if (!all_strings(v)) {
			bad(s, v, "'required' must be an array of strings");
			return false;
		}
		n->required = v;
	} else if (strcmp(kw, "dependentRequired") == 0) {
		if (v->type != DOC_MAP) {
			bad(s, v, "'dependentRequired' must be an object of string arrays");
			return false;
		}
		for (size_t i = 0; i < v->n; i++) {
			if (!all_strings(v->pairs[i].val)) {
				bad(s, v->pairs[i].val, "'dependentRequired' must be an object of string arrays");
				return false;
			}
		}
		n->depreq = v;
	} else if (strcmp(kw, "properties") == 0) {
		return compile_props(s, v, kw, base, &n->props, &n->nprops);
	} else if (strcmp(kw, "dependentSchemas") == 0) {
		return compile_props(s, v, kw, base, &n->depschemas, &n->ndepschemas);
	} else if (strcmp(kw, "$defs") == 0) {
		struct sprop *defs = NULL;
		size_t ndefs = 0;
		bool ok = compile_props(s, v, kw, base, &defs, &ndefs);

		/* Definitions are only reached through $ref; compiling them checks them and registers their $ids. */
		free(defs);
		return ok;
	} else if (strcmp(kw, "patternProperties") == 0) {
		if (v->type != DOC_MAP) {
			bad(s, v, "'patternProperties' must be an object of schemas");
			return false;
		}
		n->pats = xcalloc(v->n, sizeof *n->pats);
		n->npats = v->n;
		for (size_t i = 0; i < v->n; i++) {
			n->pats[i].src = v->pairs[i].key;
			n->pats[i].re = compile_regex(s, v->pairs[i].val, v->pairs[i].key, v->pairs[i].keylen);
			if (n->pats[i].re == NULL)
				return false;
			n->pats[i].s = compile_node(s, v->pairs[i].val, base);
			if (n->pats[i].s == NULL)
				return false;
		}
	} else if (strcmp(kw, "prefixItems") == 0) {
		return compile_list(s, v, kw, base, &n->prefix, &n->nprefix);
	} else if (strcmp(kw, "allOf") == 0) {
		return compile_list(s, v, kw, base, &n->allof, &n->nallof);
	} else if (strcmp(kw, "anyOf") == 0) {
		return compile_list(s, v, kw, base, &n->anyof, &n->nanyof);
	} else if (strcmp(kw, "oneOf") == 0) {
		return compile_list(s, v, kw, base, &n->oneof, &n->noneof);
	} else if (strcmp(kw, "$ref") == 0) {
		if (v->type != DOC_STR) {
			bad(s, v, "'$ref' must be a string");
			return false;
		}
		n->refstr = v->s;
		xgrow((void **)&s->pending, &s->cappending, s->npending + 1, sizeof *s->pending);
		s->pending[s->npending++] = n;
	} else {
		static const char *const single[] = {
			"additionalProperties", "propertyNames", "items", "contains", "not", "if", "then", "else",
			"unevaluatedProperties", "unevaluatedItems",
		};
		struct snode **slot[] = {
			&n->addl, &n->propnames, &n->items, &n->contains, &n->not, &n->if_, &n->then_, &n->else_,
			&n->uprops, &n->uitems,
		};

		for (size_t i = 0; i < sizeof single / sizeof single[0]; i++) {
			if (strcmp(kw, single[i]) == 0) {
				*slot[i] = compile_node(s, v, base);
				return *slot[i] != NULL;
			}
		}
		return true;
	}
	if (count) {
		*count = read_count(v);
		if (*count < 0) {
			bad(s, v, "'%s' must be a non-negative integer", kw);
			return false;
		}
	}
	if (number) {
		if (!is_number(v)) {
			bad(s, v, "'%s' must be a number", kw);
			return false;
		}
		*number = v;
	}
	return true;
}

static struct snode *
compile_node(struct schema *s, const struct doc *d, const char *base)
{
	struct snode *n = map_get(s, d);
	const struct doc *id;

	if (n)
		return n;
	if (d->type != DOC_BOOL && d->type != DOC_MAP)
		return bad(s, d, "a schema must be an object or a boolean, not %s", doc_type_name(d->type));
	n = xcalloc(1, sizeof *n);
	n->src = d;
	n->boolean = d->type == DOC_BOOL ? d->b : -1;
	n->minlen = n->maxlen = n->minitems = n->maxitems = -1;
	n->minprops = n->maxprops = n->mincontains = n->maxcontains = -1;
	xgrow((void **)&s->nodes, &s->capnodes, s->nnodes + 1, sizeof *s->nodes);
	s->nodes[s->nnodes++] = n;
	map_put(s, n);

	id = doc_get(d, "$id");
	if (id && id->type == DOC_STR) {
		char *abs = schema_uri_resolve(base, id->s), *frag;
		const char *f;

		/* An $id names a resource; a fragment on it is meaningless and dropped. */
		frag = schema_uri_split(abs, &f);
		free(abs);
		n->base = frag;
		add_resource(s, n->base, NULL, d, n->base);
	} else {
		n->base = xstrdup(base);
	}
	if (d->type != DOC_MAP)
		return n;
	id = doc_get(d, "$anchor");
	if (id && id->type == DOC_STR)
		add_resource(s, n->base, id->s, d, n->base);
	id = doc_get(d, "title");
	if (id && id->type == DOC_STR)
		n->title = id->s;
	for (size_t i = 0; i < d->n; i++) {
		if (d->pairs[i].keylen != strlen(d->pairs[i].key))
			continue;       /* a key holding a NUL is no keyword */
		if (!compile_keyword(s, n, d->pairs[i].key, d->pairs[i].val))
			return NULL;
	}
	if (n->contains && (n->mincontains >= 0 || n->maxcontains >= 0))
		n->has_contains_limits = true;
	return n;
}

/* Follows a JSON pointer (already percent-decoded, len bytes) from d. Returns NULL if it leads nowhere. */
static const struct doc *
follow_pointer(const struct doc *d, const char *p, size_t len)
{
	size_t i = 0;

	if (len == 0)
		return d;
	if (p[0] != '/')
		return NULL;
	while (i < len && d) {
		struct buf tok = {0};
		const struct doc *next = NULL;

		for (i++; i < len && p[i] != '/'; i++) {
			if (p[i] == '~' && i + 1 < len && (p[i + 1] == '0' || p[i + 1] == '1')) {
				buf_addc(&tok, p[i + 1] == '0' ? '~' : '/');
				i++;
			} else {
				buf_addc(&tok, p[i]);
			}
		}
		if (d->type == DOC_MAP) {
			for (size_t k = 0; k < d->n; k++) {
				if (d->pairs[k].keylen == tok.len && memcmp(d->pairs[k].key, tok.data ? tok.data : "", tok.len) == 0) {
					next = d->pairs[k].val;
					break;
				}
			}
		} else if (d->type == DOC_SEQ && tok.len > 0 && tok.len < 19 &&
		    strspn(tok.data, "0123456789") == tok.len && (tok.data[0] != '0' || tok.len == 1)) {
			unsigned long long k = strtoull(tok.data, NULL, 10);

			if (k < d->n)
				next = d->items[k];
		}
		buf_free(&tok);
		d = next;
	}
	return d;
}

static bool
resolve_ref(struct schema *s, struct snode *n)
{
	char *abs = schema_uri_resolve(n->base, n->refstr), *docuri, *ptr;
	const char *frag;
	const struct resource *r;
	const struct doc *target = NULL;
	size_t plen;
	bool ok = false;

	docuri = schema_uri_split(abs, &frag);
	if (frag == NULL || frag[0] == '\0' || frag[0] == '/') {
		r = find_resource(s, docuri, NULL);
		if (r == NULL) {
			bad(s, n->src, "cannot resolve $ref '%s': no schema has the URI '%s'", n->refstr, docuri);
			goto out;
		}
		ptr = schema_pct_decode(frag ? frag : "", &plen);
		if (ptr)
			target = follow_pointer(r->doc, ptr, plen);
		free(ptr);
	} else {
		r = find_resource(s, docuri, frag);
		if (r == NULL && find_resource(s, docuri, NULL) == NULL) {
			bad(s, n->src, "cannot resolve $ref '%s': no schema has the URI '%s'", n->refstr, docuri);
			goto out;
		}
		if (r)
			target = r->doc;
	}
	if (target == NULL) {
		bad(s, n->src, "cannot resolve $ref '%s': nothing is at '%s'", n->refstr, abs);
		goto out;
	}
	n->ref = compile_node(s, target, r->base);
	ok = n->ref != NULL;
out:
	free(docuri);
	free(abs);
	return ok;
}

static void
node_free(struct snode *n)
{
	if (n->pattern)
		pcre2_code_free(n->pattern);
	for (size_t i = 0; i < n->npats; i++)
		if (n->pats[i].re)
			pcre2_code_free(n->pats[i].re);
	free(n->pats);
	free(n->props);
	free(n->depschemas);
	free(n->prefix);
	free(n->allof);
	free(n->anyof);
	free(n->oneof);
	free(n->base);
	free(n);
}

void
schema_free(struct schema *s)
{
	if (s == NULL)
		return;
	for (size_t i = 0; i < s->nnodes; i++)
		node_free(s->nodes[i]);
	for (size_t i = 0; i < s->nres; i++) {
		free(s->res[i].uri);
		free(s->res[i].anchor);
	}
	free(s->res);
	free(s->nodes);
	free(s->map);
	free(s->pending);
	doc_free(s->root);
	free(s->name);
	free(s);
}

struct schema *
schema_compile(const struct doc *root, const char *name, const struct schema_opts *opts)
{
	struct schema *s = xcalloc(1, sizeof *s);
	struct snode *top;

	s->root = doc_clone(root);
	s->name = xstrdup(name ? name : "schema");
	if (opts)
		s->opts = *opts;
	/* Refs without any $id resolve against the empty base, the document itself. */
	add_resource(s, "", NULL, s->root, "");
	top = compile_node(s, s->root, "");
	/* Resolving may compile more nodes (targets outside schema positions), which may add refs. */
	for (size_t i = 0; top && i < s->npending; i++)
		if (!resolve_ref(s, s->pending[i]))
			top = NULL;
	if (top == NULL) {
		schema_free(s);
		return NULL;
	}
	free(s->pending);
	s->pending = NULL;
	s->npending = s->cappending = 0;
	return s;
}

/* --- messages ------------------------------------------------------------------------------- */

/* Appends s (len bytes) with quotes, malformed UTF-8 and what utf8_unsafe() names escaped, cut at max code points. */
static void
add_escaped(struct buf *b, const char *s, size_t len, size_t max)
{
	size_t i = 0, cps = 0;

	while (i < len) {
		unsigned char c = (unsigned char)s[i];

		if (cps++ == max) {
			buf_adds(b, "...");
			return;
		}
		if (c == '"' || c == '\\') {
			buf_addc(b, '\\');
			buf_addc(b, (char)c);
			i++;
		} else if (c == '\n') {
			buf_adds(b, "\\n");
			i++;
		} else if (c == '\t') {
			buf_adds(b, "\\t");
			i++;
		} else if (c < 0x20 || c == 0x7f) {
			buf_printf(b, "\\x%02x", c);
			i++;
		} else if (c < 0x80) {
			buf_addc(b, (char)c);
			i++;
		} else {
			size_t k = 1;
			unsigned long cp;

			while (i + k < len && k < 4 && ((unsigned char)s[i + k] & 0xc0) == 0x80)
				k++;
			if (utf8_seq((const unsigned char *)s + i, k, &cp) != k) {
				buf_printf(b, "\\x%02x", c);
				i++;
			} else {
				/* The C1 controls, bidirectional controls and line separators. */
				if (utf8_unsafe(cp))
					buf_printf(b, "\\u%04lx", cp);
				else
					buf_add(b, s + i, k);
				i += k;
			}
		}
	}
}

static void
add_number(struct buf *b, double f)
{
	char tmp[40];

	snprintf(tmp, sizeof tmp, "%.15g", f);
	if (strtod(tmp, NULL) != f)
		snprintf(tmp, sizeof tmp, "%.17g", f);
	buf_adds(b, tmp);
}

/* Appends a short rendering of a value: strings quoted, collections by kind. */
static void
add_value(struct buf *b, const struct doc *d)
{
	switch (d->type) {
	case DOC_NULL:
		buf_adds(b, "null");
		break;
	case DOC_BOOL:
		buf_adds(b, d->b ? "true" : "false");
		break;
	case DOC_INT:
		buf_printf(b, "%lld", d->i);
		break;
	case DOC_FLOAT:
		add_number(b, d->f);
		break;
	case DOC_STR:
		buf_addc(b, '"');
		add_escaped(b, d->s, d->len, 60);
		buf_addc(b, '"');
		break;
	case DOC_SEQ:
		buf_adds(b, d->n ? "the array" : "[]");
		break;
	case DOC_MAP:
		buf_adds(b, d->n ? "the object" : "{}");
		break;
	}
}

/* As add_value, but a plain string is written bare, as enum lists read best. */
static void
add_choice(struct buf *b, const struct doc *d)
{
	if (d->type == DOC_STR && d->len > 0 && d->len <= 60 && d->s[0] != ' ' && d->s[d->len - 1] != ' ') {
		bool plain = true;

		for (size_t i = 0; i < d->len && plain; i++) {
			unsigned char c = (unsigned char)d->s[i];

			plain = c >= 0x20 && c != 0x7f && c != ',' && c != '"' && c != '\\';
		}
		if (plain && utf8_valid(d->s, d->len)) {
			buf_add(b, d->s, d->len);
			return;
		}
	}
	add_value(b, d);
}

static void
add_key(struct buf *b, const char *key, size_t len)
{
	buf_addc(b, '\'');
	add_escaped(b, key, len, 60);
	buf_addc(b, '\'');
}

static const char *
kind_of(const struct doc *d)
{
	switch (d->type) {
	case DOC_INT:
		return "integer";
	case DOC_FLOAT:
		return "number";
	default:
		return doc_type_name(d->type);
	}
}

static void
add_types(struct buf *b, unsigned types)
{
	size_t n = 0, total = 0;

	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++)
		total += (types & type_names[i].bit) != 0;
	for (size_t i = 0; i < sizeof type_names / sizeof type_names[0]; i++) {
		if (!(types & type_names[i].bit))
			continue;
		if (n > 0)
			buf_adds(b, n + 1 == total ? " or " : ", ");
		buf_adds(b, type_names[i].name);
		n++;
	}
}

/* --- validating ----------------------------------------------------------------------------- */

struct frame {
	const struct snode *n;
	const struct doc *d;
};

struct vctx {
	const struct schema *s;
	const char *file;
	struct problems *errs;          /* NULL while only the verdict matters */
	struct buf path;
	pcre2_match_data *md;           /* regex_matches()'s, NULL until the first match */
	struct frame *stack;            /* MAX_DEPTH of them, set as they are pushed */
	int depth;
	bool too_deep;
};

/*
 * A validation of a document of file against s. The stack of MAX_DEPTH frames (16 KB) is not
 * cleared: only the frames pushed are read. Cleared (calloc()), it was 1 GB of memset() in a
 * full build of the index at 10,000 cases, a validation a file.
 */
static void
vctx_init(struct vctx *c, const struct schema *s, const char *file)
{
	*c = (struct vctx){.s = s, .file = file, .stack = xmalloc(MAX_DEPTH * sizeof *c->stack)};
}

static void
vctx_free(struct vctx *c)
{
	buf_free(&c->path);
	pcre2_match_data_free(c->md);
	free(c->stack);
}

static void
report(struct vctx *c, const struct doc *at, int line, const char *msg)
{
	if (c->errs)
		problems_add(c->errs, c->file, line ? line : at->line, c->path.data ? c->path.data : "", "%s", msg);
}

static bool
simple_key(const char *key, size_t len)
{
	if (len == 0)
		return false;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)key[i];

		if (c < 0x20 || c == 0x7f || c == '.' || c == '[' || c == ']' || c == '"' || c == ' ')
			return false;
	}
	return utf8_valid(key, len);
}

/*
 * The path of a value below, pushed on c->path for the messages of report(): only when they
 * are collected (c->errs). The verdict run, which collects none, made the path of every
 * value of every file read (3% of a full build's instructions, in snprintf() the most).
 */
static size_t
path_key(struct vctx *c, const char *key, size_t len)
{
	size_t old = c->path.len;

	if (c->errs == NULL)
		return old;
	if (simple_key(key, len)) {
		if (c->path.len)
			buf_addc(&c->path, '.');
		buf_add(&c->path, key, len);
	} else {
		buf_adds(&c->path, "[\"");
		add_escaped(&c->path, key, len, 60);
		buf_adds(&c->path, "\"]");
	}
	return old;
}

static size_t
path_index(struct vctx *c, size_t i)
{
	size_t old = c->path.len;

	if (c->errs)
		buf_printf(&c->path, "[%zu]", i);
	return old;
}

static void
path_pop(struct vctx *c, size_t old)
{
	c->path.len = old;
	if (c->path.data)
		c->path.data[old] = '\0';
}

static bool
type_matches(unsigned types, const struct doc *d)
{
	switch (d->type) {
	case DOC_NULL:
		return types & T_NULL;
	case DOC_BOOL:
		return types & T_BOOL;
	case DOC_INT:
		return types & (T_INT | T_NUM);
	case DOC_FLOAT:
		if (types & T_NUM)
			return true;
		return (types & T_INT) && isfinite(d->f) && d->f == floor(d->f);
	case DOC_STR:
		return types & T_STR;
	case DOC_SEQ:
		return types & T_ARR;
	case DOC_MAP:
		return types & T_OBJ;
	}
	return false;
}

/* Compares two numbers exactly, even a long long against a double. Returns -1, 0, 1, or 2 if either is NaN. */
static int
num_cmp(const struct doc *a, const struct doc *b)
{
	if (a->type == DOC_INT && b->type == DOC_INT)
		return (a->i > b->i) - (a->i < b->i);
	if (a->type == DOC_FLOAT && b->type == DOC_FLOAT) {
		if (isnan(a->f) || isnan(b->f))
			return 2;
		return (a->f > b->f) - (a->f < b->f);
	}
	if (a->type == DOC_FLOAT)
		return num_cmp(b, a) == 2 ? 2 : -num_cmp(b, a);
	/* a is an integer, b a double. */
	double f = b->f, fl;
	long long li;

	if (isnan(f))
		return 2;
	if (f >= 9223372036854775808.0)
		return -1;
	if (f < -9223372036854775808.0)
		return 1;
	fl = floor(f);
	li = (long long)fl;
	if (a->i != li)
		return a->i < li ? -1 : 1;
	return fl == f ? 0 : -1;
}

static bool
multiple_of(const struct doc *d, const struct doc *m)
{
	double x, y, q;

	if (d->type == DOC_INT && m->type == DOC_INT)
		return d->i % m->i == 0;
	x = d->type == DOC_INT ? (double)d->i : d->f;
	y = m->type == DOC_INT ? (double)m->i : m->f;
	if (!isfinite(x))
		return false;
	q = x / y;
	/* Past 2^53 every double is whole; an overflowing quotient is settled by the exact remainder. */
	if (!isfinite(q))
		return fmod(x, y) == 0;
	if (fabs(q) >= 9007199254740992.0)
		return true;
	return fabs(q - nearbyint(q)) < 1e-9;
}

static bool validate(struct vctx *c, const struct snode *n, const struct doc *d);

/* Runs n on d for the verdict only. */
static bool
check(struct vctx *c, const struct snode *n, const struct doc *d)
{
	struct problems *saved = c->errs;
	bool ok;

	c->errs = NULL;
	ok = validate(c, n, d);
	c->errs = saved;
	return ok;
}

/*
 * Whether d is of the form branch n describes, judged by what a reader sees first: its type,
 * and for objects any property whose value the branch fixes with const. Used to pick the branch
 * of an anyOf/oneOf whose errors are worth showing.
 */
static bool
same_form(const struct snode *n, const struct doc *d, int depth)
{
	if (depth > 16)
		return true;
	if (n->boolean == 0)
		return false;
	if (n->boolean == 1)
		return true;
	if (n->types && !type_matches(n->types, d))
		return false;
	if (n->constv && d->type != DOC_MAP && d->type != DOC_SEQ && !doc_equal(n->constv, d))
		return false;
	if (n->ref && !same_form(n->ref, d, depth + 1))
		return false;
	for (size_t i = 0; i < n->nallof; i++)
		if (!same_form(n->allof[i], d, depth + 1))
			return false;
	if (d->type == DOC_MAP) {
		for (size_t i = 0; i < n->nprops; i++) {
			const struct snode *p = n->props[i].s;

			if (p->constv == NULL)
				continue;
			for (size_t k = 0; k < d->n; k++)
				if (d->pairs[k].keylen == n->props[i].keylen &&
				    memcmp(d->pairs[k].key, n->props[i].key, d->pairs[k].keylen) == 0 &&
				    !doc_equal(p->constv, d->pairs[k].val))
					return false;
		}
	}
	return true;
}

/* Reports why none of the branches of an anyOf/oneOf matched, in the most useful form available. */
static void
report_no_branch(struct vctx *c, struct snode **branches, size_t n, const struct doc *d)
{
	size_t candidates = 0, pick = 0;
	unsigned types = 0;
	bool all_typed = true;

	for (size_t i = 0; i < n; i++) {
		if (same_form(branches[i], d, 0)) {
			candidates++;
			pick = i;
		}
		if (branches[i]->types)
			types |= branches[i]->types;
		else
			all_typed = false;
	}
	if (candidates == 1) {
		validate(c, branches[pick], d);
	} else if (candidates == 0 && all_typed && !type_matches(types, d)) {
		struct buf b = {0};

		buf_adds(&b, "expected ");
		add_types(&b, types);
		buf_printf(&b, ", got %s", kind_of(d));
		report(c, d, 0, b.data);
		buf_free(&b);
	} else {
		struct buf b = {0};

		add_value(&b, d);
		buf_adds(&b, " does not match any of the allowed forms");
		report(c, d, 0, b.data);
		buf_free(&b);
	}
}

static bool
has_key(const struct doc *d, const char *key, size_t len)
{
	for (size_t i = 0; i < d->n; i++)
		if (d->pairs[i].keylen == len && memcmp(d->pairs[i].key, key, len) == 0)
			return true;
	return false;
}

/*
 * Whether re matches s. *md is the match data, made at the first match and kept for the next
 * (a validation's, c->md, which vctx_free() frees). PCRE2 10.42 keeps in the match data the
 * frames a match works in, so match data made for each match, 56 a case, were allocated and
 * set up each time: 4% of the instructions of a full build of the index (callgrind, 2,000
 * cases). With one offset pair, a pattern with groups that matches returns 0 ("too small for
 * the groups"), still a match.
 */
static bool
regex_matches(const pcre2_code *re, const char *s, size_t len, pcre2_match_data **md)
{
	if (*md == NULL && (*md = pcre2_match_data_create(1, NULL)) == NULL)
		die("cannot allocate memory: out of memory");
	return pcre2_match(re, (PCRE2_SPTR)s, len, 0, PCRE2_NO_UTF_CHECK, *md, NULL) >= 0;
}

/*
 * Marks in seen[] the properties (for an object d) or items (for an array d) that n evaluates:
 * its own keywords', and those of its in-place subschemas that d passes. This is what
 * unevaluatedProperties and unevaluatedItems look past.
 */
static void
evaluated(struct vctx *c, const struct snode *n, const struct doc *d, bool *seen, int depth)
{
	bool obj = d->type == DOC_MAP;

	if (n->boolean >= 0 || depth > 64)
		return;
	if ((obj && (n->addl || n->uprops)) || (!obj && (n->items || n->uitems))) {
		for (size_t i = 0; i < d->n; i++)
			seen[i] = true;
		return;
	}
	for (size_t i = 0; i < d->n; i++) {
		if (obj) {
			const struct doc_pair *p = &d->pairs[i];

			for (size_t k = 0; k < n->nprops && !seen[i]; k++)
				seen[i] = n->props[k].keylen == p->keylen && memcmp(n->props[k].key, p->key, p->keylen) == 0;
			for (size_t k = 0; k < n->npats && !seen[i]; k++)
				seen[i] = utf8_valid(p->key, p->keylen) && regex_matches(n->pats[k].re, p->key, p->keylen, &c->md);
		} else {
			if (i < n->nprefix || (n->contains && !seen[i] && check(c, n->contains, d->items[i])))
				seen[i] = true;
		}
	}
	if (n->ref && check(c, n->ref, d))
		evaluated(c, n->ref, d, seen, depth + 1);
	for (size_t i = 0; i < n->nallof; i++)
		if (check(c, n->allof[i], d))
			evaluated(c, n->allof[i], d, seen, depth + 1);
	for (size_t i = 0; i < n->nanyof; i++)
		if (check(c, n->anyof[i], d))
			evaluated(c, n->anyof[i], d, seen, depth + 1);
	for (size_t i = 0; i < n->noneof; i++)
		if (check(c, n->oneof[i], d))
			evaluated(c, n->oneof[i], d, seen, depth + 1);
	if (n->if_) {
		if (check(c, n->if_, d)) {
			evaluated(c, n->if_, d, seen, depth + 1);
			if (n->then_ && check(c, n->then_, d))
				evaluated(c, n->then_, d, seen, depth + 1);
		} else if (n->else_ && check(c, n->else_, d)) {
			evaluated(c, n->else_, d, seen, depth + 1);
		}
	}
	for (size_t k = 0; obj && k < n->ndepschemas; k++)
		if (has_key(d, n->depschemas[k].key, n->depschemas[k].keylen) && check(c, n->depschemas[k].s, d))
			evaluated(c, n->depschemas[k].s, d, seen, depth + 1);
}

/* Applies unevaluatedProperties or unevaluatedItems (u) to what the rest of n left unevaluated in d. */
static bool
validate_unevaluated(struct vctx *c, const struct snode *n, const struct snode *u, const struct doc *d)
{
	bool *seen = xcalloc(d->n, sizeof *seen), ok = true;
	struct snode rest = *n;

	/* The keyword itself must not count as having evaluated everything. */
	rest.uprops = rest.uitems = NULL;
	evaluated(c, &rest, d, seen, 0);
	for (size_t i = 0; i < d->n && (ok || c->errs); i++) {
		size_t old;

		if (seen[i])
			continue;
		if (d->type == DOC_MAP) {
			const struct doc_pair *p = &d->pairs[i];

			if (u->boolean == 0) {
				struct buf b = {0};

				buf_adds(&b, "unexpected property ");
				add_key(&b, p->key, p->keylen);
				report(c, d, p->line ? p->line : p->val->line, b.data);
				buf_free(&b);
				ok = false;
				continue;
			}
			old = path_key(c, p->key, p->keylen);
			ok &= validate(c, u, p->val);
		} else {
			old = path_index(c, i);
			if (u->boolean == 0) {
				report(c, d->items[i], 0, "unexpected item");
				ok = false;
			} else {
				ok &= validate(c, u, d->items[i]);
			}
		}
		path_pop(c, old);
	}
	free(seen);
	return ok;
}

static bool
validate_string(struct vctx *c, const struct snode *n, const struct doc *d)
{
	bool ok = true;
	struct buf b = {0};

	if (n->minlen >= 0 || n->maxlen >= 0) {
		size_t len = utf8_count(d->s, d->len);

		if (n->minlen >= 0 && len < (unsigned long long)n->minlen) {
			buf_printf(&b, "must be at least %lld character%s", n->minlen, n->minlen == 1 ? "" : "s");
			report(c, d, 0, b.data);
			ok = false;
		}
		if (n->maxlen >= 0 && len > (unsigned long long)n->maxlen) {
			b.len = 0;
			buf_printf(&b, "must be at most %lld character%s", n->maxlen, n->maxlen == 1 ? "" : "s");
			report(c, d, 0, b.data);
			ok = false;
		}
	}
	if (n->pattern || (n->format && c->s->opts.assert_format)) {
		bool utf8 = utf8_valid(d->s, d->len);

		/* The value is quoted in the message only when there is one to say. */
		if (n->pattern && !(utf8 && regex_matches(n->pattern, d->s, d->len, &c->md))) {
			b.len = 0;
			add_value(&b, d);
			/* A schema's title says in words what the pattern says in symbols. */
			if (utf8 && n->title)
				buf_printf(&b, " is not %s", n->title);
			else
				buf_adds(&b, utf8 ? " does not match the pattern " : " is not valid UTF-8 text");
			if (utf8 && n->title == NULL)
				add_key(&b, n->pattern_src, strlen(n->pattern_src));
			report(c, d, 0, b.data);
			ok = false;
		} else if (n->format && c->s->opts.assert_format && schema_format_check(n->format, d->s, d->len, c->s->opts.rfc3339_dates) == 0) {
			b.len = 0;
			add_value(&b, d);
			if (strcmp(n->format, "email") == 0)
				buf_adds(&b, " is not a valid email address");
			else if (strcmp(n->format, "ipv4") == 0 || strcmp(n->format, "ipv6") == 0)
				buf_printf(&b, " is not a valid %s address", n->format);
			else
				buf_printf(&b, " is not a valid %s", n->format);
			report(c, d, 0, b.data);
			ok = false;
		}
	}
	buf_free(&b);
	return ok;
}

static bool
validate_number(struct vctx *c, const struct snode *n, const struct doc *d)
{
	static const char *const what[] = { "at least", "at most", "greater than", "less than" };
	const struct doc *bounds[] = { n->minimum, n->maximum, n->xminimum, n->xmaximum };
	bool ok = true;

	for (int k = 0; k < 4; k++) {
		int r;
		bool good;

		if (bounds[k] == NULL)
			continue;
		r = num_cmp(d, bounds[k]);
		good = r != 2 && (k == 0 ? r >= 0 : k == 1 ? r <= 0 : k == 2 ? r > 0 : r < 0);
		if (!good) {
			struct buf b = {0};

			buf_printf(&b, "must be %s ", what[k]);
			add_value(&b, bounds[k]);
			buf_adds(&b, ", got ");
			add_value(&b, d);
			report(c, d, 0, b.data);
			buf_free(&b);
			ok = false;
		}
	}
	if (n->multipleof && !multiple_of(d, n->multipleof)) {
		struct buf b = {0};

		add_value(&b, d);
		buf_adds(&b, " is not a multiple of ");
		add_value(&b, n->multipleof);
		report(c, d, 0, b.data);
		buf_free(&b);
		ok = false;
	}
	return ok;
}

static bool
validate_array(struct vctx *c, const struct snode *n, const struct doc *d)
{
	bool ok = true;
	struct buf b = {0};
	size_t upto = n->nprefix < d->n ? n->nprefix : d->n;

	if (n->minitems >= 0 && d->n < (unsigned long long)n->minitems) {
		buf_printf(&b, "must have at least %lld item%s, has %zu", n->minitems, n->minitems == 1 ? "" : "s", d->n);
		report(c, d, 0, b.data);
		ok = false;
	}
	if (n->maxitems >= 0 && d->n > (unsigned long long)n->maxitems) {
		b.len = 0;
		buf_printf(&b, "must have at most %lld item%s, has %zu", n->maxitems, n->maxitems == 1 ? "" : "s", d->n);
		report(c, d, 0, b.data);
		ok = false;
	}
	if (!ok && !c->errs)
		goto out;
	for (size_t i = 0; i < upto; i++) {
		size_t old = path_index(c, i);

		ok &= validate(c, n->prefix[i], d->items[i]);
		path_pop(c, old);
		if (!ok && !c->errs)
			goto out;
	}
	if (n->items && n->items->boolean == 0 && d->n > upto) {
		/* One message for the array rather than one per extra item. */
		b.len = 0;
		buf_printf(&b, "must have at most %zu item%s, has %zu", n->nprefix, n->nprefix == 1 ? "" : "s", d->n);
		report(c, d, 0, b.data);
		ok = false;
	} else if (n->items) {
		for (size_t i = upto; i < d->n; i++) {
			size_t old = path_index(c, i);

			ok &= validate(c, n->items, d->items[i]);
			path_pop(c, old);
			if (!ok && !c->errs)
				goto out;
		}
	}
	if (n->contains) {
		size_t matches = 0;
		long long min = n->mincontains >= 0 ? n->mincontains : 1;

		for (size_t i = 0; i < d->n; i++)
			matches += check(c, n->contains, d->items[i]);
		b.len = 0;
		if (matches < (unsigned long long)min) {
			if (matches == 0 && min == 1)
				buf_adds(&b, "must contain at least one matching item");
			else
				buf_printf(&b, "must contain at least %lld matching item%s, has %zu", min, min == 1 ? "" : "s", matches);
			report(c, d, 0, b.data);
			ok = false;
		}
		if (n->maxcontains >= 0 && matches > (unsigned long long)n->maxcontains) {
			b.len = 0;
			buf_printf(&b, "must contain at most %lld matching item%s, has %zu", n->maxcontains, n->maxcontains == 1 ? "" : "s", matches);
			report(c, d, 0, b.data);
			ok = false;
		}
	}
	if (n->unique) {
		for (size_t i = 0; i < d->n && (ok || c->errs); i++) {
			for (size_t j = i + 1; j < d->n; j++) {
				if (doc_equal(d->items[i], d->items[j])) {
					b.len = 0;
					size_t old = path_index(c, j);

					buf_printf(&b, "items [%zu] and [%zu] are the same; items must be unique", i, j);
					report(c, d->items[j], 0, b.data);
					path_pop(c, old);
					ok = false;
					break;
				}
			}
		}
	}
out:
	buf_free(&b);
	return ok;
}

static bool
validate_object(struct vctx *c, const struct snode *n, const struct doc *d)
{
	bool ok = true;
	struct buf b = {0};

	for (size_t i = 0; n->required && i < n->required->n; i++) {
		const struct doc *r = n->required->items[i];

		if (!has_key(d, r->s, r->len)) {
			b.len = 0;
			buf_adds(&b, "missing required property ");
			add_key(&b, r->s, r->len);
			report(c, d, 0, b.data);
			ok = false;
		}
	}
	for (size_t i = 0; n->depreq && i < n->depreq->n; i++) {
		const struct doc_pair *p = &n->depreq->pairs[i];

		if (!has_key(d, p->key, p->keylen))
			continue;
		for (size_t k = 0; k < p->val->n; k++) {
			const struct doc *r = p->val->items[k];

			if (!has_key(d, r->s, r->len)) {
				b.len = 0;
				buf_adds(&b, "missing property ");
				add_key(&b, r->s, r->len);
				buf_adds(&b, ", required when ");
				add_key(&b, p->key, p->keylen);
				buf_adds(&b, " is present");
				report(c, d, 0, b.data);
				ok = false;
			}
		}
	}
	if (n->minprops >= 0 && d->n < (unsigned long long)n->minprops) {
		b.len = 0;
		buf_printf(&b, "must have at least %lld propert%s, has %zu", n->minprops, n->minprops == 1 ? "y" : "ies", d->n);
		report(c, d, 0, b.data);
		ok = false;
	}
	if (n->maxprops >= 0 && d->n > (unsigned long long)n->maxprops) {
		b.len = 0;
		buf_printf(&b, "must have at most %lld propert%s, has %zu", n->maxprops, n->maxprops == 1 ? "y" : "ies", d->n);
		report(c, d, 0, b.data);
		ok = false;
	}
	for (size_t k = 0; k < n->ndepschemas && (ok || c->errs); k++)
		if (has_key(d, n->depschemas[k].key, n->depschemas[k].keylen))
			ok &= validate(c, n->depschemas[k].s, d);
	for (size_t i = 0; i < d->n && (ok || c->errs); i++) {
		const struct doc_pair *p = &d->pairs[i];
		bool matched = false;
		size_t old;

		if (n->propnames) {
			struct doc *name = doc_new_strn(p->key, p->keylen);
			struct problems *saved = c->errs, tmp = {0};

			name->line = p->line;
			c->errs = saved ? &tmp : NULL;
			if (!validate(c, n->propnames, name)) {
				ok = false;
				for (size_t k = 0; k < tmp.n; k++) {
					b.len = 0;
					buf_adds(&b, "property name ");
					add_key(&b, p->key, p->keylen);
					buf_printf(&b, ": %s", tmp.v[k].msg);
					c->errs = saved;
					report(c, d, p->line, b.data);
				}
			}
			c->errs = saved;
			problems_free(&tmp);
			doc_free(name);
		}
		old = path_key(c, p->key, p->keylen);
		for (size_t k = 0; k < n->nprops; k++) {
			if (n->props[k].keylen == p->keylen && memcmp(n->props[k].key, p->key, p->keylen) == 0) {
				matched = true;
				ok &= validate(c, n->props[k].s, p->val);
				break;
			}
		}
		for (size_t k = 0; k < n->npats; k++) {
			if (utf8_valid(p->key, p->keylen) && regex_matches(n->pats[k].re, p->key, p->keylen, &c->md)) {
				matched = true;
				ok &= validate(c, n->pats[k].s, p->val);
			}
		}
		if (!matched && n->addl) {
			if (n->addl->boolean == 0) {
				path_pop(c, old);
				b.len = 0;
				buf_adds(&b, "unexpected property ");
				add_key(&b, p->key, p->keylen);
				report(c, d, p->line ? p->line : p->val->line, b.data);
				ok = false;
				old = c->path.len;
			} else {
				ok &= validate(c, n->addl, p->val);
			}
		}
		path_pop(c, old);
	}
	buf_free(&b);
	return ok;
}

static bool
on_stack(const struct vctx *c, const struct snode *n, const struct doc *d)
{
	for (int i = c->depth - 1; i >= 0; i--)
		if (c->stack[i].n == n && c->stack[i].d == d)
			return true;
	return false;
}

static bool
validate_in(struct vctx *c, const struct snode *n, const struct doc *d)
{
	bool ok = true;
	struct buf b = {0};

	if (n->boolean >= 0) {
		if (n->boolean == 0)
			report(c, d, 0, "no value is allowed here");
		return n->boolean == 1;
	}
	if (n->types && !type_matches(n->types, d)) {
		/* Whatever else is wrong follows from the wrong type; one message says it. */
		buf_adds(&b, "expected ");
		add_types(&b, n->types);
		buf_printf(&b, ", got %s", kind_of(d));
		report(c, d, 0, b.data);
		buf_free(&b);
		return false;
	}
	if (n->enumv) {
		size_t i;

		for (i = 0; i < n->enumv->n; i++)
			if (doc_equal(n->enumv->items[i], d))
				break;
		if (i == n->enumv->n) {
			add_value(&b, d);
			buf_adds(&b, n->enumv->n ? " is not one of " : " is not allowed: the list of allowed values is empty");
			for (i = 0; i < n->enumv->n && i < 12; i++) {
				if (i > 0)
					buf_adds(&b, ", ");
				add_choice(&b, n->enumv->items[i]);
			}
			if (i < n->enumv->n)
				buf_adds(&b, ", ...");
			report(c, d, 0, b.data);
			ok = false;
		}
	}
	if (n->constv && !doc_equal(n->constv, d)) {
		b.len = 0;
		buf_adds(&b, "must be ");
		add_value(&b, n->constv);
		buf_adds(&b, ", got ");
		add_value(&b, d);
		report(c, d, 0, b.data);
		ok = false;
	}
	if (!ok && !c->errs)
		goto out;
	if (n->ref) {
		if (on_stack(c, n->ref, d)) {
			b.len = 0;
			buf_adds(&b, "schema loop: $ref ");
			add_key(&b, n->refstr, strlen(n->refstr));
			buf_adds(&b, " leads back to itself");
			report(c, d, 0, b.data);
			ok = false;
		} else {
			ok &= validate(c, n->ref, d);
		}
	}
	for (size_t i = 0; i < n->nallof && (ok || c->errs); i++)
		ok &= validate(c, n->allof[i], d);
	if (n->nanyof) {
		size_t i;

		for (i = 0; i < n->nanyof; i++)
			if (check(c, n->anyof[i], d))
				break;
		if (i == n->nanyof) {
			report_no_branch(c, n->anyof, n->nanyof, d);
			ok = false;
		}
	}
	if (n->noneof) {
		size_t matches = 0;

		for (size_t i = 0; i < n->noneof && matches < 2; i++)
			matches += check(c, n->oneof[i], d);
		if (matches == 0) {
			report_no_branch(c, n->oneof, n->noneof, d);
			ok = false;
		} else if (matches > 1) {
			b.len = 0;
			add_value(&b, d);
			buf_adds(&b, " matches more than one of the allowed forms");
			report(c, d, 0, b.data);
			ok = false;
		}
	}
	if (n->not && check(c, n->not, d)) {
		b.len = 0;
		add_value(&b, d);
		buf_adds(&b, " matches a form that is not allowed here");
		report(c, d, 0, b.data);
		ok = false;
	}
	if (n->if_) {
		if (check(c, n->if_, d)) {
			if (n->then_)
				ok &= validate(c, n->then_, d);
		} else if (n->else_) {
			ok &= validate(c, n->else_, d);
		}
	}
	if (!ok && !c->errs)
		goto out;
	switch (d->type) {
	case DOC_STR:
		ok &= validate_string(c, n, d);
		break;
	case DOC_INT:
	case DOC_FLOAT:
		ok &= validate_number(c, n, d);
		break;
	case DOC_SEQ:
		ok &= validate_array(c, n, d);
		if (n->uitems && (ok || c->errs))
			ok &= validate_unevaluated(c, n, n->uitems, d);
		break;
	case DOC_MAP:
		ok &= validate_object(c, n, d);
		if (n->uprops && (ok || c->errs))
			ok &= validate_unevaluated(c, n, n->uprops, d);
		break;
	default:
		break;
	}
out:
	buf_free(&b);
	return ok;
}

static bool
validate(struct vctx *c, const struct snode *n, const struct doc *d)
{
	bool ok;

	if (c->depth >= MAX_DEPTH) {
		/* Said once: every frame below would say it again. */
		if (!c->too_deep)
			report(c, d, 0, "schema nesting too deep (a $ref loop?)");
		c->too_deep = true;
		return false;
	}
	c->stack[c->depth].n = n;
	c->stack[c->depth].d = d;
	c->depth++;
	ok = validate_in(c, n, d);
	c->depth--;
	return ok;
}

bool
schema_validate(const struct schema *s, const struct doc *d, const char *file, struct problems *errs)
{
	struct vctx c;
	bool ok;

	vctx_init(&c, s, file);
	ok = validate(&c, s->nodes[0], d);
	if (!ok && errs) {
		/* The verdict run is fast; the second run, only on failure, collects the messages. */
		c.errs = errs;
		c.too_deep = false;
		validate(&c, s->nodes[0], d);
	}
	vctx_free(&c);
	return ok;
}

/* --- canonical key order -------------------------------------------------------------------- */

struct nodelist {
	const struct snode **v;
	size_t n, cap;
};

static void
list_add(struct nodelist *l, const struct snode *n)
{
	for (size_t i = 0; i < l->n; i++)
		if (l->v[i] == n)
			return;
	xgrow((void **)&l->v, &l->cap, l->n + 1, sizeof *l->v);
	l->v[l->n++] = n;
}

/* Adds n and the schemas that apply to d alongside it: its $ref, allOf, the branch that matches. */
static void
expand(struct vctx *c, struct nodelist *l, const struct snode *n, const struct doc *d, int depth)
{
	size_t before = l->n;

	if (depth > 32 || n->boolean >= 0)
		return;
	list_add(l, n);
	if (l->n == before)
		return;         /* seen already: a $ref loop */
	if (n->ref)
		expand(c, l, n->ref, d, depth + 1);
	for (size_t i = 0; i < n->nallof; i++)
		expand(c, l, n->allof[i], d, depth + 1);
	for (size_t i = 0; i < n->nanyof; i++) {
		if (check(c, n->anyof[i], d)) {
			expand(c, l, n->anyof[i], d, depth + 1);
			break;
		}
	}
	for (size_t i = 0; i < n->noneof; i++) {
		if (check(c, n->oneof[i], d)) {
			expand(c, l, n->oneof[i], d, depth + 1);
			break;
		}
	}
	if (n->if_) {
		if (check(c, n->if_, d)) {
			if (n->then_)
				expand(c, l, n->then_, d, depth + 1);
		} else if (n->else_) {
			expand(c, l, n->else_, d, depth + 1);
		}
	}
}

static int
pair_cmp(const void *a, const void *b)
{
	const struct doc_pair *x = a, *y = b;
	size_t n = x->keylen < y->keylen ? x->keylen : y->keylen;
	int r = memcmp(x->key, y->key, n);

	if (r != 0)
		return r;
	return (x->keylen > y->keylen) - (x->keylen < y->keylen);
}

static void canon(struct vctx *c, const struct nodelist *in, struct doc *d, int depth);

/* The schemas that apply to the value of key in an object that the schemas in l apply to. */
static void
value_schemas(struct vctx *c, const struct nodelist *l, const struct doc_pair *p,
    struct nodelist *out)
{
	for (size_t i = 0; i < l->n; i++) {
		const struct snode *n = l->v[i];
		bool matched = false;

		for (size_t k = 0; k < n->nprops; k++) {
			if (n->props[k].keylen == p->keylen && memcmp(n->props[k].key, p->key, p->keylen) == 0) {
				list_add(out, n->props[k].s);
				matched = true;
			}
		}
		for (size_t k = 0; k < n->npats; k++) {
			if (utf8_valid(p->key, p->keylen) && regex_matches(n->pats[k].re, p->key, p->keylen, &c->md)) {
				list_add(out, n->pats[k].s);
				matched = true;
			}
		}
		if (!matched && n->addl)
			list_add(out, n->addl);
	}
}

static void
canon_map(struct vctx *c, const struct nodelist *l, struct doc *d, int depth)
{
	struct doc_pair *sorted;
	bool *placed;
	size_t out = 0;

	/* An empty map has no pairs array to sort or copy into. */
	if (d->n == 0)
		return;
	sorted = xcalloc(d->n, sizeof *sorted);
	placed = xcalloc(d->n, sizeof *placed);

	/* First the keys the schemas list, in their order, then the rest bytewise. */
	for (size_t i = 0; i < l->n; i++) {
		for (size_t k = 0; k < l->v[i]->nprops; k++) {
			const struct sprop *sp = &l->v[i]->props[k];

			for (size_t j = 0; j < d->n; j++) {
				if (!placed[j] && d->pairs[j].keylen == sp->keylen && memcmp(d->pairs[j].key, sp->key, sp->keylen) == 0) {
					sorted[out++] = d->pairs[j];
					placed[j] = true;
				}
			}
		}
	}
	size_t listed = out;

	for (size_t j = 0; j < d->n; j++)
		if (!placed[j])
			sorted[out++] = d->pairs[j];
	qsort(sorted + listed, out - listed, sizeof *sorted, pair_cmp);
	memcpy(d->pairs, sorted, d->n * sizeof *sorted);
	free(sorted);
	free(placed);
	for (size_t j = 0; j < d->n; j++) {
		struct nodelist sub = {0};

		value_schemas(c, l, &d->pairs[j], &sub);
		canon(c, &sub, d->pairs[j].val, depth + 1);
		free(sub.v);
	}
}

static void
canon(struct vctx *c, const struct nodelist *in, struct doc *d, int depth)
{
	struct nodelist l = {0};

	if (depth > MAX_DEPTH || (d->type != DOC_MAP && d->type != DOC_SEQ))
		return;
	for (size_t i = 0; i < in->n; i++)
		expand(c, &l, in->v[i], d, 0);
	if (d->type == DOC_MAP) {
		canon_map(c, &l, d, depth);
	} else {
		for (size_t j = 0; j < d->n; j++) {
			struct nodelist sub = {0};

			for (size_t i = 0; i < l.n; i++) {
				if (j < l.v[i]->nprefix)
					list_add(&sub, l.v[i]->prefix[j]);
				else if (l.v[i]->items)
					list_add(&sub, l.v[i]->items);
			}
			canon(c, &sub, d->items[j], depth + 1);
			free(sub.v);
		}
	}
	free(l.v);
}

void
schema_canonicalize(const struct schema *s, struct doc *d)
{
	struct vctx c;
	struct nodelist top = {0};

	vctx_init(&c, s, NULL);
	list_add(&top, s->nodes[0]);
	canon(&c, &top, d, 0);
	free(top.v);
	vctx_free(&c);
}
