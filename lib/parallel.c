/*
 * parallel.c: view_each(). Reading a case from git is inflating objects, parsing YAML and
 * validating it against its schema, every case on its own: release-check --all spent 80% of
 * its time in case_data_read() for the 565 cases in its window at 10,000 cases (perf, dwarf
 * call graphs), work that two cores share without a lock of ours between them but the
 * schemas' (once, when first compiled) and a counter. (A full build of the index reads its
 * cases in two threads of its own: struct scan in index.c.) libgit2 shares each pack between
 * the repositories of a process (its delta-base cache and mapped windows, under its own locks
 * and reference counts): ThreadSanitizer reports a race there in a full build, on memory
 * whose life those reference counts govern; they are atomics inlined in libgit2, which was
 * not built for ThreadSanitizer and so cannot show them to it. Of ours it reports nothing.
 */
#include <git2.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdbool.h>
#include <unistd.h>

#include "msg.h"
#include "parallel.h"

struct each {
	const struct view *v;
	size_t n;
	int (*fn)(void *arg, const struct view *w, size_t i);
	void *arg;
	atomic_size_t next;             /* the next i to begin */
	atomic_size_t stop;             /* no i past this is begun: the first that failed */
};

struct worker {
	struct each *e;
	pthread_t thread;
	struct store *s;
	struct view *w;
	bool started;
};

static void
work(struct each *e, const struct view *w)
{
	size_t i;

	while ((i = atomic_fetch_add(&e->next, 1)) < e->n && i <= atomic_load(&e->stop)) {
		if (e->fn(e->arg, w, i) < 0) {
			size_t s = atomic_load(&e->stop);

			while (i < s && !atomic_compare_exchange_weak(&e->stop, &s, i))
				;
		}
	}
}

static void *
worker_run(void *arg)
{
	struct worker *k = arg;

	work(k->e, k->w);
	/* The thread's last error is its own (msg.c): fn kept what it needed of it. */
	err_clear();
	return NULL;
}

void
view_each(const struct view *v, size_t n, int (*fn)(void *arg, const struct view *w, size_t i),
    void *arg)
{
	struct each e = {.v = v, .n = n, .fn = fn, .arg = arg};
	struct worker k[VIEW_THREADS - 1] = {{0}};
	long cores = sysconf(_SC_NPROCESSORS_ONLN);
	/* A thread costs a handle on the store, a few ms: worth it from some dozen cases on. */
	size_t threads = n / 16 + 1;

	atomic_init(&e.next, 0);
	atomic_init(&e.stop, (size_t)-1);
	/* A libgit2 built without threads shares its caches unguarded: one thread then. */
	if (cores < 1 || !(git_libgit2_features() & GIT_FEATURE_THREADS))
		cores = 1;
	if (threads > (size_t)cores)
		threads = (size_t)cores;
	if (threads > VIEW_THREADS)
		threads = VIEW_THREADS;
	for (size_t t = 0; t + 1 < threads; t++) {
		k[t].e = &e;
		if (view_twin(v, &k[t].s, &k[t].w) < 0) {
			err_clear();
			break;
		}
		k[t].started = pthread_create(&k[t].thread, NULL, worker_run, &k[t]) == 0;
		if (!k[t].started) {
			view_close(k[t].w);
			store_close(k[t].s);
			break;
		}
	}
	work(&e, v);
	for (size_t t = 0; t + 1 < threads; t++) {
		if (!k[t].started)
			continue;
		pthread_join(k[t].thread, NULL);
		view_close(k[t].w);
		store_close(k[t].s);
	}
}
