/* utf8.h: the one UTF-8 decoder every module uses. */
#ifndef CASUS_UTF8_H
#define CASUS_UTF8_H

#include <stdbool.h>
#include <stddef.h>

/*
 * The length of the well-formed UTF-8 sequence at s (at most n bytes, n > 0), or 0 if it is
 * malformed: overlong forms, UTF-16 surrogates and values past U+10FFFF are not UTF-8. The
 * code point goes to *cp when cp is not NULL.
 */
size_t utf8_seq(const unsigned char *s, size_t n, unsigned long *cp);
/* Whether the len bytes at s are all well-formed UTF-8. */
bool utf8_valid(const char *s, size_t len);
/* The number of code points in s, a malformed byte counting as one. */
size_t utf8_count(const char *s, size_t len);

#endif
