/* utf8.h: the one UTF-8 decoder every module uses, and the one rule for what a terminal is not shown. */
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

/*
 * Whether code point cp must not reach a terminal as it is: the C0 and C1 controls and DEL
 * act on the terminal; the bidirectional controls (U+061C, U+200E, U+200F, U+202A..U+202E,
 * U+2066..U+2069) reorder the text around them, so a line shows other than what it holds;
 * U+2028 and U+2029 break a line where there is none. Whatever quotes text for a person
 * escapes these: see quote.h.
 */
bool utf8_unsafe(unsigned long cp);

#endif
