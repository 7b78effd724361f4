/* mem.h: allocation that never returns NULL, and a growable byte buffer. */
#ifndef CASUS_MEM_H
#define CASUS_MEM_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

/* Each allocates or dies with "progname: out of memory" and exit 2; never returns NULL. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
/* Grows *p (an array of *cap elements of size) to hold at least need elements. */
void xgrow(void **p, size_t *cap, size_t need, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);        /* copies n bytes and adds a NUL */
char *xasprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
char *xvasprintf(const char *fmt, va_list ap) __attribute__((format(printf, 1, 0)));

/* A growable byte buffer; data is always NUL-terminated (len excludes the NUL). */
struct buf {
	char *data;
	size_t len, cap;
};
void buf_add(struct buf *b, const void *p, size_t n);
void buf_adds(struct buf *b, const char *s);
void buf_addc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
char *buf_detach(struct buf *b);                /* caller frees; b is empty again */
void buf_free(struct buf *b);

/* Whether s is one of the strings of the NULL-terminated list. */
bool str_in_list(const char *const *list, const char *s);

#endif
