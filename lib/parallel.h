/*
 * parallel.h: reading many cases of one commit at once, a thread each on a core.
 */
#ifndef CASUS_PARALLEL_H
#define CASUS_PARALLEL_H

#include <stddef.h>

#include "store.h"

/* At most this many threads read at once, the caller's included. */
#define VIEW_THREADS 4

/*
 * Calls fn(arg, w, i) for every i from 0 to n - 1, spread over the online cores (up to
 * VIEW_THREADS): the calling thread with v itself, each other thread with its own view_twin()
 * of v. Which thread gets which i is not fixed, so fn keeps what it finds by i, its error
 * included (err_last() is each thread's own). When fn(…, i) returns -1, no i past it is begun,
 * so that a caller going through the results in order stops where a run in one thread would.
 * fn must touch nothing shared but what is its i's. Where a thread or a twin cannot be had,
 * or libgit2 was built without threads, fewer threads do the work: it is always done, in one
 * thread at worst.
 */
void view_each(const struct view *v, size_t n, int (*fn)(void *arg, const struct view *w, size_t i),
    void *arg);

#endif
