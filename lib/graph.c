/*
 * graph.c: listing a store's history from git's commit-graph.
 *
 * Why. A full build of the index reads every commit of the history, and first lists them,
 * each after its parents, in the one thread there is then: libgit2's revwalk inflated and
 * parsed each of the 73,629 commits of a store of 10,000 cases for their parents, 0.45-0.66 s
 * of a 4-5 s build while the other core had little to do, and the build read each commit a
 * second time for what it changed. git's commit-graph, which case-index keeps current for
 * `git log` (index.c, graph_write()), holds each commit's ID and its parents' positions in
 * fixed-size records: the listing is then a walk of arrays.
 *
 * What is read (gitformat-commit-graph(5)): objects/info/commit-graph, or else the layers that
 * objects/info/commit-graphs/commit-graph-chain names, base first, as git reads them; of each,
 * the fan-out (OIDF), the IDs (OIDL), the commit data (CDAT: a commit's first two parents as
 * positions, counted over the layers below it and its own) and the extra edges of octopus
 * merges (EDGE). Nothing else: the generation numbers and dates are not needed, since the order
 * is worked out from the parents, and the Bloom filters are git log's.
 *
 * Trusted as git trusts it: every offset, length, count and position is checked against the
 * file, a cycle is refused, and a graph that fails any check is not used (0: the caller lists
 * with libgit2's revwalk). The checksum at each file's end is not computed, as git computes it
 * only in `git commit-graph verify`. The graph may hold commits no longer reachable (after a
 * reset): only those reachable from the tip are listed. Commits made since the graph was last
 * written, up to OUTSIDE_MAX, are read one by one from the tip down to the graph.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "graph.h"
#include "mem.h"
#include "pack.h"
#include "store.h"

#define ID 20                           /* SHA-1; a graph of another hash is not read */
#define NO_PARENT 0x70000000u
#define EDGE_LIST 0x80000000u           /* in the second parent: the rest are in EDGE */
#define LAYERS_MAX 64                   /* git merges layers long before */
#define PARENTS_MAX 64                  /* of one octopus, as read here */

/* Commits outside the graph read one by one, at most: more, and the revwalk lists them all. */
#define OUTSIDE_MAX 4096

struct layer {
	unsigned char *map;
	size_t size;
	uint32_t n, base;               /* its commits; those of the layers below it */
	const unsigned char *fanout, *oids, *cdat, *edge;
	size_t nedge;                   /* 4-byte entries of EDGE */
};

struct graph {
	struct layer l[LAYERS_MAX];
	size_t nl;
	uint32_t total;
};

static uint32_t
be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

static uint64_t
be64(const unsigned char *p)
{
	return (uint64_t)be32(p) << 32 | be32(p + 4);
}

/* The file at path mapped whole into l: true, or false (none, or not readable). */
static bool
layer_map(struct layer *l, const char *path)
{
	struct stat st;
	int fd = pack_file_open(path, &st);
	void *m;

	if (fd < 0)
		return false;
	if (st.st_size < 8 + 12 || (uint64_t)st.st_size > SIZE_MAX / 2) {
		close(fd);
		return false;
	}
	m = mmap(NULL, (size_t)st.st_size, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (m == MAP_FAILED)
		return false;
	l->map = m;
	l->size = (size_t)st.st_size;
	return true;
}

/*
 * Checks the layer mapped in l, which has nbase layers below it (their IDs in bases, each ID
 * bytes, or NULL for a file alone), and finds its chunks: true, or false when it is not a graph
 * read here.
 */
static bool
layer_read(struct layer *l, unsigned nbase, const unsigned char *bases)
{
	const unsigned char *m = l->map;
	const unsigned char *base = NULL;
	size_t nchunks, lookup_end, blen = 0;
	uint64_t cdat_len = 0, oidl_len = 0;

	if (memcmp(m, "CGPH", 4) != 0 || m[4] != 1 || m[5] != 1 || m[7] != nbase)
		return false;
	nchunks = m[6];
	lookup_end = 8 + (nchunks + 1) * 12;
	if (lookup_end > l->size - ID)
		return false;
	for (size_t i = 0; i < nchunks; i++) {
		const unsigned char *c = m + 8 + i * 12;
		uint64_t at = be64(c + 4), end = be64(c + 16);
		const unsigned char *p;

		if (at < lookup_end || end < at || end > l->size - ID)
			return false;
		p = m + at;
		if (memcmp(c, "OIDF", 4) == 0 && end - at == 256 * 4) {
			l->fanout = p;
		} else if (memcmp(c, "OIDL", 4) == 0) {
			l->oids = p;
			oidl_len = end - at;
		} else if (memcmp(c, "CDAT", 4) == 0) {
			l->cdat = p;
			cdat_len = end - at;
		} else if (memcmp(c, "EDGE", 4) == 0 && (end - at) % 4 == 0) {
			l->edge = p;
			l->nedge = (size_t)(end - at) / 4;
		} else if (memcmp(c, "BASE", 4) == 0) {
			base = p;
			blen = (size_t)(end - at);
		}
	}
	if (l->fanout == NULL || l->oids == NULL || l->cdat == NULL)
		return false;
	l->n = be32(l->fanout + 255 * 4);
	for (int b = 1; b < 256; b++)
		if (be32(l->fanout + (b - 1) * 4) > be32(l->fanout + b * 4))
			return false;
	if (oidl_len != (uint64_t)l->n * ID || cdat_len != (uint64_t)l->n * (ID + 16))
		return false;
	/* The layers below, as this one names them: those of the chain, in its order. */
	if (nbase > 0 && (base == NULL || blen != (size_t)nbase * ID ||
	    memcmp(base, bases, (size_t)nbase * ID) != 0))
		return false;
	return nbase > 0 || base == NULL;
}

static void
graph_free(struct graph *g)
{
	for (size_t i = 0; i < g->nl; i++)
		munmap(g->l[i].map, g->l[i].size);
	free(g);
}

/* Adds the layer at path, with the IDs of the layers below it: true, or false. */
static bool
graph_add(struct graph *g, const char *path, const unsigned char *bases)
{
	struct layer *l = &g->l[g->nl];

	if (g->nl == LAYERS_MAX || !layer_map(l, path))
		return false;
	g->nl++;
	if (!layer_read(l, (unsigned)g->nl - 1, bases) || l->n > UINT32_MAX / 2 - g->total)
		return false;
	l->base = g->total;
	g->total += l->n;
	return true;
}

/* The commit-graph of the store at gitdir, or NULL when there is none read here. */
static struct graph *
graph_open(const char *gitdir)
{
	struct graph *g = xcalloc(1, sizeof *g);
	char *path = xasprintf("%s/objects/info/commit-graph", gitdir);
	unsigned char bases[LAYERS_MAX * ID];
	char line[128];
	struct stat st;
	FILE *f = NULL;
	int fd;
	bool ok;

	if (access(path, F_OK) == 0) {
		ok = graph_add(g, path, NULL);
		free(path);
		if (ok)
			return g;
		graph_free(g);
		return NULL;
	}
	free(path);
	path = xasprintf("%s/objects/info/commit-graphs/commit-graph-chain", gitdir);
	fd = pack_file_open(path, &st);
	free(path);
	if (fd >= 0 && (f = fdopen(fd, "r")) == NULL)
		close(fd);
	ok = f != NULL;
	while (ok && fgets(line, sizeof line, f)) {
		git_oid id;
		char *file;

		line[strcspn(line, "\n")] = '\0';
		if (strlen(line) != GIT_OID_HEXSZ || git_oid_fromstr(&id, line) < 0 ||
		    g->nl == LAYERS_MAX) {
			ok = false;
			break;
		}
		file = xasprintf("%s/objects/info/commit-graphs/graph-%s.graph", gitdir, line);
		ok = graph_add(g, file, bases);
		free(file);
		if (ok)
			memcpy(bases + (g->nl - 1) * ID, id.id, ID);
	}
	if (f && ferror(f))
		ok = false;
	if (f)
		fclose(f);
	if (ok && g->nl > 0)
		return g;
	git_error_clear();
	graph_free(g);
	return NULL;
}

/* Whether id is in g: with its position, counted over all layers, in *pos. */
static bool
graph_find(const struct graph *g, const unsigned char *id, uint32_t *pos)
{
	for (size_t i = 0; i < g->nl; i++) {
		const struct layer *l = &g->l[i];
		uint32_t lo = id[0] ? be32(l->fanout + (id[0] - 1) * 4) : 0;
		uint32_t hi = be32(l->fanout + id[0] * 4);

		while (lo < hi) {
			uint32_t mid = lo + (hi - lo) / 2;
			int c = memcmp(l->oids + (size_t)mid * ID, id, ID);

			if (c == 0) {
				*pos = l->base + mid;
				return true;
			}
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	return false;
}

static const struct layer *
layer_of(const struct graph *g, uint32_t pos)
{
	size_t i = g->nl;

	while (i > 1 && g->l[i - 1].base > pos)
		i--;
	return &g->l[i - 1];
}

/*
 * The parents of the commit at pos into out (at most PARENTS_MAX): how many, or -1 when the
 * graph says something impossible (a parent outside the layers the commit's may refer to).
 */
static int
graph_parents(const struct graph *g, uint32_t pos, uint32_t *out)
{
	const struct layer *l = layer_of(g, pos);
	const unsigned char *c = l->cdat + (size_t)(pos - l->base) * (ID + 16) + ID;
	uint32_t limit = l->base + l->n, p1 = be32(c), p2 = be32(c + 4);
	int n = 0;

	if (p1 == NO_PARENT)
		return p2 == NO_PARENT ? 0 : -1;
	if (p1 >= limit)
		return -1;
	out[n++] = p1;
	if (p2 == NO_PARENT)
		return n;
	if (!(p2 & EDGE_LIST)) {
		if (p2 >= limit)
			return -1;
		out[n++] = p2;
		return n;
	}
	for (size_t e = p2 & ~EDGE_LIST;; e++) {
		uint32_t v;

		if (e >= l->nedge || n == PARENTS_MAX)
			return -1;
		v = be32(l->edge + e * 4);
		if ((v & ~EDGE_LIST) >= limit)
			return -1;
		out[n++] = v & ~EDGE_LIST;
		if (v & EDGE_LIST)
			return n;
	}
}

static void
oid_at(const struct graph *g, uint32_t pos, git_oid *out)
{
	const struct layer *l = layer_of(g, pos);

	memcpy(out->id, l->oids + (size_t)(pos - l->base) * ID, ID);
}

/* Appends id to *ids. */
static void
put(git_oid **ids, size_t *n, size_t *cap, const git_oid *id)
{
	xgrow((void **)ids, cap, *n + 1, sizeof **ids);
	git_oid_cpy(&(*ids)[(*n)++], id);
}

/*
 * Appends the commits of g reachable from the nfrom positions from, each after its parents
 * (a depth-first walk, each commit put once all its parents are): true, or false when the
 * graph is impossible (a cycle, or a parent it cannot have).
 */
static bool
graph_walk(const struct graph *g, const uint32_t *from, size_t nfrom, git_oid **ids, size_t *n,
    size_t *cap)
{
	enum { UNSEEN, OPEN, DONE };
	unsigned char *state = xcalloc(g->total ? g->total : 1, 1);
	struct frame {
		uint32_t pos;
		int next;               /* the parent to go to next */
	} *stack = xmalloc((g->total ? g->total : 1) * sizeof *stack);
	uint32_t par[PARENTS_MAX];
	size_t top = 0;
	bool ok = true;
	git_oid id;

	for (size_t i = 0; ok && i < nfrom; i++) {
		if (state[from[i]] != UNSEEN)
			continue;
		state[from[i]] = OPEN;
		stack[top++] = (struct frame){from[i], 0};
		while (ok && top > 0) {
			struct frame *f = &stack[top - 1];
			int np = graph_parents(g, f->pos, par);

			if (np < 0) {
				ok = false;
			} else if (f->next < np) {
				uint32_t p = par[f->next++];

				if (state[p] == OPEN)
					ok = false;     /* a cycle */
				else if (state[p] == UNSEEN) {
					state[p] = OPEN;
					stack[top++] = (struct frame){p, 0};
				}
			} else {
				state[f->pos] = DONE;
				oid_at(g, f->pos, &id);
				put(ids, n, cap, &id);
				top--;
			}
		}
	}
	free(stack);
	free(state);
	return ok;
}

/*
 * The commits outside the graph: a set of IDs by open addressing (OUTSIDE_MAX at most, the
 * table at most half full), each with its state in the walk.
 */
#define OUTSIDE_SLOTS (2 * OUTSIDE_MAX)
struct outside {
	git_oid id;
	bool used, done;
};

static struct outside *
outside_slot(struct outside *set, const git_oid *id)
{
	size_t i = ((size_t)id->id[0] << 8 | id->id[1]) % OUTSIDE_SLOTS;

	while (set[i].used && !git_oid_equal(&set[i].id, id))
		i = (i + 1) % OUTSIDE_SLOTS;
	return &set[i];
}

/* Whether the store has replace refs, which the graph does not reflect. */
static int
replaced(const char *name, void *payload)
{
	(void)name;
	*(bool *)payload = true;
	return 1;
}

int
graph_history(git_repository *repo, const git_oid *tip, git_oid **ids, size_t *n)
{
	struct graph *g = NULL;
	struct outside *set = NULL;
	struct frame {
		git_commit *c;
		unsigned next;
	} *stack = NULL;
	git_oid *late = NULL;           /* the commits outside the graph, each after its parents */
	size_t top = 0, scap = 0, nlate = 0, lcap = 0, nfrom = 0, fcap = 0, cap = 0;
	uint32_t *from = NULL, pos;
	bool repl = false;
	int r = 1;

	*ids = NULL;
	*n = 0;
	if (git_repository_is_shallow(repo) != 0 ||
	    git_reference_foreach_glob(repo, "refs/replace/*", replaced, &repl) < 0 || repl) {
		git_error_clear();
		return 0;
	}
	if ((g = graph_open(git_repository_path(repo))) == NULL)
		return 0;
	/* From the tip down to the graph, depth first, each commit put once its parents are. */
	set = xcalloc(OUTSIDE_SLOTS, sizeof *set);
	if (graph_find(g, tip->id, &pos)) {
		from = xmalloc(sizeof *from);
		from[nfrom++] = pos;
	} else {
		struct outside *s = outside_slot(set, tip);

		s->used = true;
		s->id = *tip;
		xgrow((void **)&stack, &scap, 1, sizeof *stack);
		stack[top] = (struct frame){NULL, 0};
		if (git_commit_lookup(&stack[top].c, repo, tip) < 0) {
			r = store_git_fail("read commit", git_oid_tostr_s(tip));
			goto done;
		}
		top++;
	}
	while (top > 0) {
		struct frame *f = &stack[top - 1];
		const git_oid *p;
		struct outside *s;

		if (f->next == git_commit_parentcount(f->c)) {
			s = outside_slot(set, git_commit_id(f->c));
			s->done = true;
			put(&late, &nlate, &lcap, git_commit_id(f->c));
			git_commit_free(f->c);
			top--;
			continue;
		}
		p = git_commit_parent_id(f->c, f->next++);
		if (graph_find(g, p->id, &pos)) {
			xgrow((void **)&from, &fcap, nfrom + 1, sizeof *from);
			from[nfrom++] = pos;
			continue;
		}
		s = outside_slot(set, p);
		if (s->used && !s->done) {
			r = 0;                  /* a cycle: no history git made */
			goto done;
		}
		if (s->used)
			continue;
		if (nlate + top >= OUTSIDE_MAX) {
			r = 0;
			goto done;
		}
		s->used = true;
		s->id = *p;
		xgrow((void **)&stack, &scap, top + 1, sizeof *stack);
		stack[top] = (struct frame){NULL, 0};
		if (git_commit_lookup(&stack[top].c, repo, p) < 0) {
			r = store_git_fail("read commit", git_oid_tostr_s(p));
			goto done;
		}
		top++;
	}
	if (!graph_walk(g, from, nfrom, ids, n, &cap)) {
		r = 0;
		goto done;
	}
	for (size_t i = 0; i < nlate; i++)
		put(ids, n, &cap, &late[i]);
done:
	while (top > 0)
		git_commit_free(stack[--top].c);
	if (r != 1) {
		free(*ids);
		*ids = NULL;
		*n = 0;
	}
	free(stack);
	free(late);
	free(from);
	free(set);
	graph_free(g);
	return r;
}
