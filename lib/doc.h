/*
 * doc.h: YAML documents in memory. A document is a tree of nodes typed by the YAML 1.2 core
 * schema. Parsing uses libyaml's event API with anchors, aliases and tags refused, depth and
 * size capped and duplicate keys refused; emitting writes one canonical form.
 */
#ifndef CASUS_DOC_H
#define CASUS_DOC_H

#include <stdbool.h>
#include <stddef.h>

#include "problem.h"

enum doc_type { DOC_NULL, DOC_BOOL, DOC_INT, DOC_FLOAT, DOC_STR, DOC_SEQ, DOC_MAP };

struct doc;

struct doc_pair {
	char *key;              /* NUL-terminated; keylen bytes, may hold a NUL */
	size_t keylen;
	struct doc *val;
	int line;               /* line of the key */
};

struct doc {
	enum doc_type type;
	int line;               /* 1-based line in the source; 0 when built in memory */
	int col;
	bool b;                 /* DOC_BOOL */
	long long i;            /* DOC_INT */
	double f;               /* DOC_FLOAT */
	char *s;                /* DOC_STR: NUL-terminated for convenience, but len is the truth */
	size_t len;
	struct doc **items;     /* DOC_SEQ: n items */
	struct doc_pair *pairs; /* DOC_MAP: n pairs, in source order */
	size_t n, cap;
};

/* Limits applied by the parser. */
struct doc_limits {
	size_t max_bytes;       /* input larger than this is refused */
	int max_depth;          /* collections nested deeper than this are refused */
	bool text_only;         /* refuse strings and keys with control characters other than TAB and LF */
};
/* The limits every casus file is read with: 1 MiB, depth 64, text only. */
extern const struct doc_limits doc_limits_casus;

/*
 * Parses exactly one document from buf (len bytes) into *out. name is the file name used in
 * problems. Plain scalars are typed by the YAML 1.2 core schema; quoted ones are strings; an
 * empty stream is a DOC_NULL document. Returns 0, or -1 with one problem appended to errs
 * (never a partial tree). The caller frees *out with doc_free().
 */
int doc_parse(const char *buf, size_t len, const char *name, const struct doc_limits *lim,
    struct doc **out, struct problems *errs);

/* As doc_parse() for a stream of zero or more documents; *docs is an array of *ndocs trees. */
int doc_parse_stream(const char *buf, size_t len, const char *name,
    const struct doc_limits *lim, struct doc ***docs, size_t *ndocs, struct problems *errs);

/*
 * Emits doc as YAML in the canonical form: block style, map keys in the order they are in,
 * strings quoted where a plain scalar would read as another type, unicode, no line width.
 * The same tree always gives the same bytes. Returns 0 and a malloc'd buffer, or -1 (err_set).
 */
int doc_emit_yaml(const struct doc *d, char **out, size_t *outlen);
/* Emits doc as JSON (UTF-8, one line per value when pretty, compact otherwise). */
int doc_emit_json(const struct doc *d, bool pretty, char **out, size_t *outlen);

/* Constructors: each returns a new node (line 0) that the caller owns. */
struct doc *doc_new(enum doc_type t);
struct doc *doc_new_str(const char *s);
struct doc *doc_new_strn(const char *s, size_t len);
struct doc *doc_new_int(long long i);
struct doc *doc_new_bool(bool b);
struct doc *doc_clone(const struct doc *d);
void doc_free(struct doc *d);

/* Maps. Keys are compared bytewise with their lengths. */
struct doc *doc_get(const struct doc *map, const char *key);        /* NULL if absent or not a map */
/* Sets key to val (taking ownership), replacing and freeing an old value in place, else appending. */
void doc_set(struct doc *map, const char *key, struct doc *val);
bool doc_del(struct doc *map, const char *key);                     /* true if it was there */
/* Follows a dotted path ("partners.welzijn.name") through maps; NULL if any step is missing. */
struct doc *doc_lookup(const struct doc *d, const char *dotted);

/* Sequences. */
void doc_push(struct doc *seq, struct doc *item);                   /* takes ownership */

/* Scalars: the string of a DOC_STR or NULL. */
const char *doc_str(const struct doc *d);
/* The string at key of map, or NULL if absent or not a string. */
const char *doc_get_str(const struct doc *map, const char *key);

/* Deep equality as JSON sees it: 1 equals 1.0, map key order does not matter. */
bool doc_equal(const struct doc *a, const struct doc *b);
const char *doc_type_name(enum doc_type t);   /* "null", "boolean", "integer", "number", "string", "array", "object" */

#endif
