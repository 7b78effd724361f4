/* schema_int.h: helpers shared by the schema validator's files; not for use outside lib/schema*.c. */
#ifndef CASUS_SCHEMA_INT_H
#define CASUS_SCHEMA_INT_H

#include <stdbool.h>
#include <stddef.h>

#include "mem.h"


/*
 * Checks s (len bytes) against the format named fmt. "date" is casus's date (date_parse), or
 * any RFC 3339 full-date when rfc3339_dates is set. Returns 1 if it conforms, 0 if not, and
 * -1 if the format is not one the validator knows (it is then an annotation only).
 */
int schema_format_check(const char *fmt, const char *s, size_t len, bool rfc3339_dates);

/*
 * Rewrites an ECMA-262 pattern into one PCRE2 reads the same way: \s and \S name ECMA's
 * Unicode white space rather than PCRE's ASCII set. Appends the result to out.
 */
void schema_regex_translate(const char *pat, size_t len, struct buf *out);

/*
 * Resolves the URI reference ref against base (RFC 3986 section 5.2). Returns a malloc'd
 * absolute URI, fragment included if ref has one.
 */
char *schema_uri_resolve(const char *base, const char *ref);
/* Splits uri at '#': returns a malloc'd copy of the part before it; *frag points into uri after it, or NULL. */
char *schema_uri_split(const char *uri, const char **frag);
/* Percent-decodes s into a malloc'd buffer of *len bytes (NUL-terminated). Returns NULL on a bad escape. */
char *schema_pct_decode(const char *s, size_t *len);

#endif
