/* schema_uri.c: the URI work $id and $ref need: RFC 3986 reference resolution and percent-decoding. */
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "schema_int.h"

struct uri {
	const char *scheme, *auth, *path, *query, *frag;
	size_t schemelen, authlen, pathlen, querylen, fraglen;
	bool has_scheme, has_auth, has_query, has_frag;
};

static void
uri_parse(const char *s, struct uri *u)
{
	size_t n = strcspn(s, ":/?#");

	memset(u, 0, sizeof *u);
	if (n > 0 && s[n] == ':') {
		u->has_scheme = true;
		u->scheme = s;
		u->schemelen = n;
		s += n + 1;
	}
	if (s[0] == '/' && s[1] == '/') {
		s += 2;
		u->has_auth = true;
		u->auth = s;
		u->authlen = strcspn(s, "/?#");
		s += u->authlen;
	}
	u->path = s;
	u->pathlen = strcspn(s, "?#");
	s += u->pathlen;
	if (*s == '?') {
		u->has_query = true;
		u->query = ++s;
		u->querylen = strcspn(s, "#");
		s += u->querylen;
	}
	if (*s == '#') {
		u->has_frag = true;
		u->frag = s + 1;
		u->fraglen = strlen(s + 1);
	}
}

/* RFC 3986 section 5.2.4: removes "." and ".." segments from path, appending the result to out. */
static void
remove_dots(const char *path, size_t len, struct buf *out)
{
	size_t base = out->len, i = 0;

	while (i < len) {
		const char *p = path + i;
		size_t rest = len - i;

		if (rest >= 3 && memcmp(p, "../", 3) == 0) {
			i += 3;
		} else if (rest >= 2 && memcmp(p, "./", 2) == 0) {
			i += 2;
		} else if ((rest >= 3 && memcmp(p, "/./", 3) == 0) || (rest == 2 && memcmp(p, "/.", 2) == 0)) {
			i += 2;
			if (rest == 2) {
				buf_addc(out, '/');
				i = len;
			}
		} else if ((rest >= 4 && memcmp(p, "/../", 4) == 0) || (rest == 3 && memcmp(p, "/..", 3) == 0)) {
			/* Drops the last segment written so far. */
			while (out->len > base && out->data[out->len - 1] != '/')
				out->len--;
			if (out->len > base)
				out->len--;
			/* Nothing may have been written yet ("/../" first): no buffer to end. */
			if (out->data != NULL)
				out->data[out->len] = '\0';
			i += 3;
			if (rest == 3) {
				buf_addc(out, '/');
				i = len;
			}
		} else if ((rest == 1 && p[0] == '.') || (rest == 2 && memcmp(p, "..", 2) == 0)) {
			i = len;
		} else {
			size_t seg = 1;

			while (seg < rest && p[seg] != '/')
				seg++;
			buf_add(out, p, seg);
			i += seg;
		}
	}
}

char *
schema_uri_resolve(const char *base, const char *ref)
{
	struct uri b, r;
	struct buf out = {0};
	const struct uri *auth, *query;

	uri_parse(base, &b);
	uri_parse(ref, &r);
	if (r.has_scheme) {
		buf_add(&out, r.scheme, r.schemelen);
		buf_addc(&out, ':');
		auth = &r;
	} else {
		if (b.has_scheme) {
			buf_add(&out, b.scheme, b.schemelen);
			buf_addc(&out, ':');
		}
		auth = r.has_auth ? &r : &b;
	}
	if (auth->has_auth) {
		buf_adds(&out, "//");
		buf_add(&out, auth->auth, auth->authlen);
	}
	query = &r;
	if (r.has_scheme || r.has_auth || (r.pathlen > 0 && r.path[0] == '/')) {
		remove_dots(r.path, r.pathlen, &out);
	} else if (r.pathlen == 0) {
		buf_add(&out, b.path, b.pathlen);
		if (!r.has_query)
			query = &b;
	} else {
		struct buf merged = {0};

		if (b.has_auth && b.pathlen == 0) {
			buf_addc(&merged, '/');
		} else {
			size_t keep = b.pathlen;

			while (keep > 0 && b.path[keep - 1] != '/')
				keep--;
			buf_add(&merged, b.path, keep);
		}
		buf_add(&merged, r.path, r.pathlen);
		remove_dots(merged.data, merged.len, &out);
		buf_free(&merged);
	}
	if (query->has_query) {
		buf_addc(&out, '?');
		buf_add(&out, query->query, query->querylen);
	}
	if (r.has_frag) {
		buf_addc(&out, '#');
		buf_add(&out, r.frag, r.fraglen);
	}
	return buf_detach(&out);
}

char *
schema_uri_split(const char *uri, const char **frag)
{
	const char *h = strchr(uri, '#');

	*frag = h ? h + 1 : NULL;
	return xstrndup(uri, h ? (size_t)(h - uri) : strlen(uri));
}

static int
hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *
schema_pct_decode(const char *s, size_t *len)
{
	struct buf out = {0};

	for (size_t i = 0; s[i]; i++) {
		if (s[i] == '%') {
			int hi = hexval(s[i + 1]), lo = hi < 0 ? -1 : hexval(s[i + 2]);

			if (lo < 0) {
				buf_free(&out);
				return NULL;
			}
			buf_addc(&out, (char)(hi << 4 | lo));
			i += 2;
		} else {
			buf_addc(&out, s[i]);
		}
	}
	*len = out.len;
	return buf_detach(&out);
}
