/*
 * pack.c: reading the objects of a store's packs with pread(2); or, for a full build of the
 * index, through mappings of them (pack_map(), below).
 *
 * Why. libgit2 1.5.1 maps each pack's .idx whole, and the pack in windows of up to 1 GiB; a
 * page read through a mapping stays in the resident set until the mapping goes, and the
 * kernel maps 16 neighbouring pages with each one touched. An object is found by a binary
 * search of the .idx, so a program that reads a few thousand objects has touched nearly all of
 * it: at 10,000 cases (478,244 objects, a 13 MB .idx, a 54 MB pack) release-check --all held
 * 11 MB of the .idx and 10 MB of the pack, 21 of its 37 MB; case-validate 41 MB; at 50,000
 * cases 144 and 134 MB. Bounding libgit2's windows (GIT_OPT_SET_MWINDOW_MAPPED_LIMIT) cannot
 * bound the .idx, and the remapping took release-check from 0.13 to 0.48-0.68 s (store.c).
 *
 * How. An object is found in three steps, none of them mapped (but by pack_map()):
 * - the fan-out table of the .idx (read when the pack is opened) gives the range of IDs with
 *   the object's first byte;
 * - of each such range, every SAMPLE_EVERY-th ID is kept in memory (read the first time the
 *   range is searched: the whole .idx's IDs once over a scan of the store, 1/32 of them kept,
 *   300 KB at 10,000 cases), which narrows the search to SAMPLE_EVERY IDs, one pread();
 * - one more pread() gives its offset in the pack, and one (or a few) its compressed data.
 * Deltas are resolved here too (git's pack format, Documentation/gitformat-pack.txt): an
 * object stored as the difference from another is rebuilt from that one, chain after chain.
 *
 * What is kept, bounded whatever the size of the store, and shared by every thread and
 * repository of the process that reads the same folder (struct packs):
 * - the samples: 1/32 of the IDs, 300 KB at 10,000 cases, 1.5 MB at 50,000;
 * - where the last WHERE_SLOTS objects read by ID were found (160 KB): a program reads an
 *   object again by its ID (case-validate reads each file of a case up to four times), and
 *   without it each such read searched the .idx again;
 * - CACHE_BYTES of objects read lately, the bases of deltas among them: most objects of a
 *   tip are deltas on deltas (chains up to 19 long at 10,000 cases: git stores one case's
 *   consent file as the difference from another's), and libgit2 keeps no blob;
 * - BLOCKS blocks of BLOCK bytes of the packs (4 MB): the objects of a tip lie near one
 *   another in a pack git wrote.
 *
 * Measured at 10,000 cases and 73,629 commits (/usr/bin/time, quiet machine, the same output
 * either way; libgit2's reading, then this one):
 * - release-check --all 37 -> 20 MB, as fast (0.13-0.15 s);
 * - case-validate 41 -> 17 MB, and 1.6-1.8 -> 2.2-2.3 s. It reads 78,000 objects, each a
 *   pread() or two where libgit2 had them mapped (syscalls cost on this paravirtualised
 *   kernel: a third of its profile). Without the cache of objects it took 6 s; without the
 *   blocks 3.0 s.
 * A full build of the index reads every object of the history, 400,000 of them, and there
 * mapping is the faster: pack_map() has the packs mapped whole, read through the same code with
 * no pread() and no copy. With one zlib inflater a thread, reset for each object, and no
 * window made for an object inflated in one go (Z_FINISH), it is faster than libgit2's own
 * mapped reading: at 10,000 cases and 73,629 commits, a full build in 3.43-3.62 s against
 * 3.59-3.83 s, 6.0-6.3 s of CPU against 6.4-6.7 (five runs each, interleaved), the tables the
 * same.
 *
 * Checked on the way: every length and offset against the files' sizes, every inflated size
 * against the size its header gave, every copy of a delta against its base. A damaged pack is
 * an error naming the pack, never a read outside a buffer. The hash of what was read is
 * libgit2's to check (strict hash verification), as it is for its own backend.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#define ZLIB_CONST                      /* zlib reads from a mapping it may not change */
#include <zlib.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <git2/sys/repository.h>

#include "mem.h"
#include "msg.h"
#include "loose.h"
#include "pack.h"

#define SAMPLE_EVERY 32                 /* IDs of the .idx a sample stands for */
#define CHUNK 16384                     /* bytes of a pack read at once */
#define CHAIN_MAX 4096                  /* deltas on deltas: git's own default depth is 50 */
#define ID 20                           /* GIT_OID_RAWSZ */

/* The .idx, version 2: header, fan-out, IDs, CRCs, 4-byte offsets, 8-byte offsets, 2 hashes. */
#define IDX_FANOUT 8
#define IDX_IDS (IDX_FANOUT + 256 * 4)

struct pack {
	char *name;                     /* pack-<hex>.pack, for messages */
	int idx, fd;                    /* the .idx and the .pack */
	uint32_t fanout[256];
	uint32_t n;                     /* objects */
	uint64_t nbig;                  /* entries of the 8-byte offset table */
	uint64_t size;                  /* of the .pack */
	uint64_t isize;                 /* of the .idx */
	/* Both files mapped whole, or NULL (pack_map()). */
	const unsigned char *map, *imap;
	unsigned char *sample[256];     /* IDs lo, lo + SAMPLE_EVERY, ... of each first byte */
};

/*
 * Objects read lately, by where they are (the comment at the top says why). One slot a place,
 * by its hash; a new object takes the slot from the old; one of more than CACHE_OBJECT_MAX
 * bytes is not kept, nor any once CACHE_BYTES are.
 */
#define CACHE_SLOTS 4096
#define CACHE_BYTES ((size_t)4 << 20)
#define CACHE_OBJECT_MAX ((size_t)64 << 10)
struct cached {
	const struct pack *p;           /* NULL: free */
	uint64_t off;
	git_object_t type;
	size_t len;
	unsigned char *data;
};

/* Where objects were found lately, by ID, one slot an ID by its hash. */
#define WHERE_SLOTS 4096
struct where {
	unsigned char id[20];
	const struct pack *p;           /* NULL: free */
	uint64_t off;
};

/*
 * Blocks of the packs read lately, BLOCK bytes each, one slot a block by its hash: the objects
 * of a tip lie near one another in a pack git wrote, and a delta's base near the delta.
 */
#define BLOCK 32768
#define BLOCKS 128
struct block {
	const struct pack *p;           /* NULL: free */
	uint64_t no;                    /* its offset / BLOCK */
	size_t len;
	unsigned char *data;            /* BLOCK bytes, allocated on first use */
};

/*
 * What is known of the packs of one objects folder, shared by every database of the process
 * that reads them: view_each() gives each thread a repository of its own (parallel.c), and
 * each kept its own samples and caches, release-check --all 17 -> 26 MB with two threads.
 */
struct packs {
	struct packs *next;             /* in the process's list (shared) */
	unsigned refs;                  /* the backends that use it */
	char *dir;                      /* objects/pack */
	pthread_mutex_t lock;           /* everything below */
	bool mapped;                    /* the packs are read through mappings (pack_map()) */
	struct pack **p;
	size_t n, cap;
	size_t last;                    /* the pack the last object was found in */
	struct cached *cache;           /* CACHE_SLOTS, allocated on first use */
	size_t cache_bytes;
	struct where *where;            /* WHERE_SLOTS, allocated on first use */
	struct block *blocks;           /* BLOCKS, allocated on first use */
};

/* A backend as libgit2 holds it, one per database (libgit2 gives a backend one owner). */
struct front {
	git_odb_backend b;              /* first: libgit2 hands this back */
	struct packs *bk;
};

static pthread_mutex_t shared_lock = PTHREAD_MUTEX_INITIALIZER;
static struct packs *shared;

/* A damaged or unreadable pack: libgit2's error, which store_git_fail() quotes. */
static int
bad(const struct pack *p, const char *what)
{
	git_error_set(GIT_ERROR_ODB, "pack %s is damaged (%s); git fsck tells more", p->name, what);
	return -1;
}

static int
io_fail(const struct pack *p)
{
	git_error_set(GIT_ERROR_OS, "cannot read pack %s: %s", p->name, strerror(errno));
	return -1;
}

/* A read of the .idx that failed: cut short (read_at()'s EIO), or the system's error. */
static int
idx_fail(const struct pack *p)
{
	return errno == EIO ? bad(p, "its .idx ends early") : io_fail(p);
}

/* Reads exactly len bytes at off: 0, or -1 with errno (EIO for a file that ends before). */
static int
read_at(int fd, void *buf, size_t len, uint64_t off)
{
	unsigned char *b = buf;

	while (len > 0) {
		ssize_t k = pread(fd, b, len, (off_t)off);

		if (k < 0 && errno == EINTR)
			continue;
		if (k <= 0) {
			if (k == 0)
				errno = EIO;
			return -1;
		}
		b += k;
		len -= (size_t)k;
		off += (uint64_t)k;
	}
	return 0;
}

/* Reads exactly len bytes at off of p's .idx, from its mapping if it has one: as read_at(). */
static int
idx_read(const struct pack *p, void *buf, size_t len, uint64_t off)
{
	if (p->imap == NULL)
		return read_at(p->idx, buf, len, off);
	if (off > p->isize || len > p->isize - off) {
		errno = EIO;
		return -1;
	}
	memcpy(buf, p->imap + off, len);
	return 0;
}

static uint32_t
be32(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

int
pack_file_open(const char *path, struct stat *st)
{
	/* O_NONBLOCK: open() of a FIFO would wait for a writer; it changes nothing for a file. */
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK);

	if (fd < 0)
		return -1;
	if (fstat(fd, st) < 0) {
		int e = errno;

		close(fd);
		errno = e;
		return -1;
	}
	if (!S_ISREG(st->st_mode)) {
		close(fd);
		return -2;
	}
	return fd;
}

static void
pack_free(struct pack *p)
{
	if (p == NULL)
		return;
	for (int i = 0; i < 256; i++)
		free(p->sample[i]);
	if (p->imap)
		munmap((void *)p->imap, (size_t)p->isize);
	if (p->map)
		munmap((void *)p->map, (size_t)p->size);
	if (p->idx >= 0)
		close(p->idx);
	if (p->fd >= 0)
		close(p->fd);
	free(p->name);
	free(p);
}

/*
 * Opens the pack whose .idx is dir/idxname: 0 and *out (NULL when either file is gone, as
 * libgit2 and git pass over such a pack), or -1 (git error set).
 */
static int
pack_open(const char *dir, const char *idxname, bool mapped, struct pack **out)
{
	struct pack *p = xcalloc(1, sizeof *p);
	size_t stem = strlen(idxname) - 4;
	unsigned char head[IDX_IDS], ph[12];
	char *path;
	struct stat st, pst;
	uint64_t rest;

	*out = NULL;
	p->idx = p->fd = -1;
	p->name = xasprintf("%.*s.pack", (int)stem, idxname);
	path = xasprintf("%s/%s", dir, idxname);
	p->idx = pack_file_open(path, &st);
	free(path);
	path = xasprintf("%s/%s", dir, p->name);
	p->fd = pack_file_open(path, &pst);
	free(path);
	if (p->idx == -2 || p->fd == -2) {
		bad(p, p->idx == -2 ? "its .idx is not a file" : "it is not a file");
		pack_free(p);
		return -1;
	}
	if (p->idx < 0 || p->fd < 0) {
		/* Gone since the folder was listed (git gc unlinks the .pack before its .idx). */
		int r = errno == ENOENT ? 0 : io_fail(p);

		pack_free(p);
		return r;
	}
	if (read_at(p->idx, head, sizeof head, 0) < 0) {
		if (errno == EIO) {
			bad(p, "its .idx is too short");
		} else {
			io_fail(p);
		}
		pack_free(p);
		return -1;
	}
	if (memcmp(head, "\377tOc", 4) != 0 || be32(head + 4) != 2) {
		bad(p, "its .idx is not of version 2");
		pack_free(p);
		return -1;
	}
	for (int i = 0; i < 256; i++) {
		p->fanout[i] = be32(head + IDX_FANOUT + 4 * i);
		if (i > 0 && p->fanout[i] < p->fanout[i - 1]) {
			bad(p, "its .idx's fan-out table is out of order");
			pack_free(p);
			return -1;
		}
	}
	p->n = p->fanout[255];
	p->isize = (uint64_t)st.st_size;
	/* IDs, CRCs and offsets, 28 bytes an object; then 8 bytes a big offset, and two hashes. */
	rest = (uint64_t)st.st_size - IDX_IDS;
	if ((uint64_t)st.st_size < IDX_IDS + 2 * ID || rest - 2 * ID < (uint64_t)p->n * 28 ||
	    (rest - 2 * ID - (uint64_t)p->n * 28) % 8 != 0) {
		bad(p, "its .idx is not as long as its objects need");
		pack_free(p);
		return -1;
	}
	p->nbig = (rest - 2 * ID - (uint64_t)p->n * 28) / 8;
	p->size = (uint64_t)pst.st_size;
	if (p->size < sizeof ph + ID || read_at(p->fd, ph, sizeof ph, 0) < 0 ||
	    memcmp(ph, "PACK", 4) != 0 || (be32(ph + 4) != 2 && be32(ph + 4) != 3) ||
	    be32(ph + 8) != p->n) {
		bad(p, "its header does not match its .idx");
		pack_free(p);
		return -1;
	}
	/* Where a mapping cannot be had, the pack is read as any other: only slower. */
	if (mapped) {
		void *a = mmap(NULL, (size_t)p->isize, PROT_READ, MAP_PRIVATE, p->idx, 0);
		void *b = a == MAP_FAILED ? MAP_FAILED :
		    mmap(NULL, (size_t)p->size, PROT_READ, MAP_PRIVATE, p->fd, 0);

		if (b != MAP_FAILED) {
			p->imap = a;
			p->map = b;
		} else if (a != MAP_FAILED) {
			munmap(a, (size_t)p->isize);
		}
	}
	*out = p;
	return 0;
}

/* Adds the packs of bk->dir not open yet. 0, or -1 (git error set). Called with the lock. */
static int
packs_scan(struct packs *bk)
{
	DIR *d = opendir(bk->dir);
	struct dirent *e;
	int r = 0;

	if (d == NULL)
		return errno == ENOENT ? 0 : (git_error_set(GIT_ERROR_OS, "cannot read %s: %s",
		    bk->dir, strerror(errno)), -1);
	while (r == 0 && (e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		struct pack *p;
		bool known = false;

		if (len < 10 || strncmp(e->d_name, "pack-", 5) != 0 || strcmp(e->d_name + len - 4, ".idx") != 0)
			continue;
		for (size_t i = 0; i < bk->n && !known; i++)
			known = strncmp(bk->p[i]->name, e->d_name, len - 4) == 0 &&
			    strcmp(bk->p[i]->name + len - 4, ".pack") == 0;
		if (known)
			continue;
		if ((r = pack_open(bk->dir, e->d_name, bk->mapped, &p)) < 0 || p == NULL)
			continue;
		xgrow((void **)&bk->p, &bk->cap, bk->n + 1, sizeof *bk->p);
		bk->p[bk->n++] = p;
	}
	closedir(d);
	return r;
}

/* The range [*lo, *hi) of the IDs that begin with byte b. */
static void
range(const struct pack *p, unsigned b, uint32_t *lo, uint32_t *hi)
{
	*lo = b ? p->fanout[b - 1] : 0;
	*hi = p->fanout[b];
}

/* The sample of first byte b, read now if it was not: NULL with a git error. Called with the lock. */
static const unsigned char *
sample(struct pack *p, unsigned b)
{
	enum { STEP = SAMPLE_EVERY * 100 };     /* IDs read at once: 64,000 bytes */
	unsigned char *buf, *s;
	uint32_t lo, hi;

	if (p->sample[b])
		return p->sample[b];
	range(p, b, &lo, &hi);
	s = xmalloc(((hi - lo + SAMPLE_EVERY - 1) / SAMPLE_EVERY) * (size_t)ID);
	buf = xmalloc((size_t)STEP * ID);
	for (uint32_t at = lo; at < hi; at += STEP) {
		uint32_t k = hi - at < STEP ? hi - at : STEP;

		if (idx_read(p, buf, (size_t)k * ID, IDX_IDS + (uint64_t)at * ID) < 0) {
			idx_fail(p);
			free(buf);
			free(s);
			return NULL;
		}
		for (uint32_t i = 0; i < k; i += SAMPLE_EVERY)
			memcpy(s + (size_t)((at - lo + i) / SAMPLE_EVERY) * ID, buf + (size_t)i * ID, ID);
	}
	free(buf);
	return p->sample[b] = s;
}

/*
 * The first position of p whose ID is not below key (the end of key's first byte's range when
 * none is), and that ID into at (when there is one): 0, or -1 with a git error.
 */
static int
lower_bound(struct packs *bk, struct pack *p, const unsigned char *key, uint32_t *pos,
    unsigned char *at, bool *have)
{
	unsigned char buf[SAMPLE_EVERY * ID];
	const unsigned char *s, *win;
	uint32_t lo, hi, ns, a, z, start, end;

	*have = false;
	range(p, key[0], &lo, &hi);
	*pos = hi;
	if (lo == hi)
		return 0;
	pthread_mutex_lock(&bk->lock);
	s = sample(p, key[0]);
	pthread_mutex_unlock(&bk->lock);
	if (s == NULL)
		return -1;
	ns = (hi - lo + SAMPLE_EVERY - 1) / SAMPLE_EVERY;
	/* The first sample not below key. */
	for (a = 0, z = ns; a < z;) {
		uint32_t mid = a + (z - a) / 2;

		if (memcmp(s + (size_t)mid * ID, key, ID) < 0)
			a = mid + 1;
		else
			z = mid;
	}
	if (a == 0) {
		*pos = lo;
		memcpy(at, s, ID);
		*have = true;
		return 0;
	}
	/* It is in the window after the sample before, or it is that first sample. */
	start = lo + (a - 1) * SAMPLE_EVERY;
	end = hi - start < SAMPLE_EVERY ? hi : start + SAMPLE_EVERY;
	/*
	 * Mapped (pack_map()), the window is read where it lies. Copied out of the mapping, the
	 * windows were 3.7% of a full build's CPU at 10,000 cases (perf), its largest memmove():
	 * a rebuild at 2,000 cases now takes 1.02 s of CPU against 1.06 (12 runs each,
	 * interleaved, medians). A binary search of the mapped IDs without the samples was no
	 * faster than the copies (1.075 s): it touches a page of the .idx at each step.
	 */
	if (p->imap) {
		win = p->imap + IDX_IDS + (uint64_t)start * ID;
	} else if (idx_read(p, buf, (size_t)(end - start) * ID, IDX_IDS + (uint64_t)start * ID) < 0) {
		return idx_fail(p);
	} else {
		win = buf;
	}
	for (uint32_t i = 1; i < end - start; i++)
		if (memcmp(win + (size_t)i * ID, key, ID) >= 0) {
			*pos = start + i;
			memcpy(at, win + (size_t)i * ID, ID);
			*have = true;
			return 0;
		}
	*pos = end;
	if (a < ns) {
		memcpy(at, s + (size_t)a * ID, ID);
		*have = true;
	}
	return 0;
}

/* Where the object at position i of p's .idx is in the pack: 0, or -1 with a git error. */
static int
offset_of(struct pack *p, uint32_t i, uint64_t *off)
{
	unsigned char b[8];
	uint32_t v;

	if (idx_read(p, b, 4, IDX_IDS + (uint64_t)p->n * 24 + (uint64_t)i * 4) < 0)
		return idx_fail(p);
	v = be32(b);
	if (v & 0x80000000u) {
		if ((v & 0x7fffffffu) >= p->nbig)
			return bad(p, "an offset of its .idx points past its table");
		if (idx_read(p, b, 8, IDX_IDS + (uint64_t)p->n * 28 + (uint64_t)(v & 0x7fffffffu) * 8) < 0)
			return idx_fail(p);
		*off = (uint64_t)be32(b) << 32 | be32(b + 4);
	} else {
		*off = v;
	}
	/* After the 12-byte header, and before the closing hash. */
	if (*off < 12 || *off >= p->size - ID)
		return bad(p, "an offset of its .idx is outside the pack");
	return 0;
}

static struct where *
where_slot(struct packs *bk, const unsigned char *id)
{
	if (bk->where == NULL)
		bk->where = xcalloc(WHERE_SLOTS, sizeof *bk->where);
	return &bk->where[(((unsigned)id[1] << 8 | id[2]) ^ (unsigned)id[3] << 5) % WHERE_SLOTS];
}

/* Finds id: 1 with *pp and *off, 0 when no pack has it, -1 with a git error. */
static int
locate(struct packs *bk, const unsigned char *id, struct pack **pp, uint64_t *off)
{
	struct where *w;
	size_t n, first;

	pthread_mutex_lock(&bk->lock);
	w = where_slot(bk, id);
	if (w->p && memcmp(w->id, id, ID) == 0) {
		*pp = (struct pack *)w->p;
		*off = w->off;
		pthread_mutex_unlock(&bk->lock);
		return 1;
	}
	n = bk->n;
	first = bk->last < n ? bk->last : 0;
	pthread_mutex_unlock(&bk->lock);
	for (size_t k = 0; k < n; k++) {
		size_t i = (first + k) % n;
		struct pack *p;
		unsigned char at[ID];
		uint32_t pos;
		bool have;

		pthread_mutex_lock(&bk->lock);
		p = bk->p[i];
		pthread_mutex_unlock(&bk->lock);
		if (lower_bound(bk, p, id, &pos, at, &have) < 0)
			return -1;
		if (have && memcmp(at, id, ID) == 0) {
			if (offset_of(p, pos, off) < 0)
				return -1;
			*pp = p;
			pthread_mutex_lock(&bk->lock);
			bk->last = i;
			*w = (struct where){.p = p, .off = *off};
			memcpy(w->id, id, ID);
			pthread_mutex_unlock(&bk->lock);
			return 1;
		}
	}
	return 0;
}

/* A buffer for an object: libgit2's (git_odb_backend_data_alloc()) when alloc is not NULL. */
static void *
obtain(git_odb_backend *alloc, size_t len)
{
	return alloc ? git_odb_backend_data_alloc(alloc, len) : malloc(len);
}

static void
release(git_odb_backend *alloc, void *buf)
{
	if (alloc)
		git_odb_backend_data_free(alloc, buf);
	else
		free(buf);
}

static struct cached *
cache_slot(struct packs *bk, const struct pack *p, uint64_t off)
{
	uint64_t h = (off ^ (uint64_t)(uintptr_t)p) * UINT64_C(0x9E3779B97F4A7C15);

	if (bk->cache == NULL)
		bk->cache = xcalloc(CACHE_SLOTS, sizeof *bk->cache);
	return &bk->cache[(h >> 40) % CACHE_SLOTS];
}

/*
 * The object at off of p if it is in the cache: true, with its type, length and a copy of its
 * data (NUL-ended), of git_odb_backend_data_alloc() when alloc is not NULL, else malloc().
 */
static bool
cache_get(struct packs *bk, const struct pack *p, uint64_t off, git_object_t *type, size_t *len,
    unsigned char **out, git_odb_backend *alloc)
{
	struct cached *c;
	bool hit;

	pthread_mutex_lock(&bk->lock);
	c = cache_slot(bk, p, off);
	hit = c->p == p && c->off == off;
	if (hit) {
		*out = obtain(alloc, c->len + 1);
		if (*out == NULL) {
			hit = false;
		} else {
			memcpy(*out, c->data, c->len + 1);
			*type = c->type;
			*len = c->len;
		}
	}
	pthread_mutex_unlock(&bk->lock);
	return hit;
}

/* Keeps a copy of the object at off of p, unless it is too big or the cache full. */
static void
cache_put(struct packs *bk, const struct pack *p, uint64_t off, git_object_t type,
    const unsigned char *data, size_t len)
{
	struct cached *c;
	unsigned char *copy;

	if (len > CACHE_OBJECT_MAX || (copy = malloc(len + 1)) == NULL)
		return;
	memcpy(copy, data, len + 1);
	pthread_mutex_lock(&bk->lock);
	c = cache_slot(bk, p, off);
	if (c->p) {
		bk->cache_bytes -= c->len;
		free(c->data);
		/* All of it: a slot left with its data freed would be freed again (packs_free()). */
		*c = (struct cached){0};
	}
	if (bk->cache_bytes + len > CACHE_BYTES) {
		free(copy);
	} else {
		*c = (struct cached){p, off, type, len, copy};
		bk->cache_bytes += len;
	}
	pthread_mutex_unlock(&bk->lock);
}

/*
 * Bytes of a pack as they are read: buf holds len bytes from the pack's offset at, read into
 * space, or where the pack is mapped, the mapping itself. An object is read with one pread()
 * where it fits in FIRST bytes, header and data.
 */
#define FIRST 2048
#define MAPPED_MAX ((size_t)1 << 30)    /* of a mapping at once: zlib counts in 32 bits */
struct src {
	struct packs *bk;
	struct pack *p;
	uint64_t at;
	size_t len;
	const unsigned char *buf;
	unsigned char space[CHUNK];
};

/* Reads up to want bytes of s->p from off (fewer at the pack's end): 0, or -1. */
static int
src_read(struct src *s, uint64_t off, size_t want)
{
	uint64_t end = s->p->size - ID;         /* the closing hash is no object's */

	if (off >= end)
		return bad(s->p, "an object runs past the end of the pack");
	s->at = off;
	if (s->p->map) {
		/* All there is, up to the end: no object is read in more than one go. */
		s->buf = s->p->map + off;
		s->len = end - off < MAPPED_MAX ? (size_t)(end - off) : MAPPED_MAX;
		return 0;
	}
	s->buf = s->space;
	if (want > sizeof s->space)
		want = sizeof s->space;
	if (want > end - off)
		want = (size_t)(end - off);
	/* From a block when it holds the whole range, which is nearly always (FIRST < BLOCK). */
	if ((off + want - 1) / BLOCK == off / BLOCK) {
		struct packs *bk = s->bk;
		uint64_t no = off / BLOCK;
		struct block *b;

		pthread_mutex_lock(&bk->lock);
		if (bk->blocks == NULL)
			bk->blocks = xcalloc(BLOCKS, sizeof *bk->blocks);
		b = &bk->blocks[(no * 2654435761u ^ (uintptr_t)s->p) % BLOCKS];
		if (b->p != s->p || b->no != no) {
			if (b->data == NULL)
				b->data = xmalloc(BLOCK);
			b->p = NULL;
			b->len = end - no * BLOCK < BLOCK ? (size_t)(end - no * BLOCK) : BLOCK;
			if (read_at(s->p->fd, b->data, b->len, no * BLOCK) < 0) {
				pthread_mutex_unlock(&bk->lock);
				return io_fail(s->p);
			}
			b->p = s->p;
			b->no = no;
		}
		memcpy(s->space, b->data + (off - no * BLOCK), want);
		pthread_mutex_unlock(&bk->lock);
	} else if (read_at(s->p->fd, s->space, want, off) < 0) {
		return io_fail(s->p);
	}
	s->len = want;
	return 0;
}

/* An object's entry in a pack: its type and size, and where its data (or its base) is. */
struct entry {
	int type;                       /* 1-4 commit, tree, blob, tag; 6 offset delta; 7 ID delta */
	size_t size;                    /* inflated */
	uint64_t data;                  /* where the compressed data begins */
	uint64_t base;                  /* type 6: the base's offset */
	unsigned char base_id[ID];      /* type 7: the base's ID */
};

/* Reads the entry at off of s->p into e, and the bytes after it into s. 0, or -1. */
static int
entry_read(struct src *s, uint64_t off, struct entry *e)
{
	const unsigned char *b;
	size_t i = 0, len;
	uint64_t size;
	unsigned shift = 4;

	if (src_read(s, off, FIRST) < 0)
		return -1;
	b = s->buf;
	len = s->len;
	e->type = (b[0] >> 4) & 7;
	size = b[0] & 15;
	while (b[i] & 0x80) {
		if (++i >= len || shift > 60)
			return bad(s->p, "an object's header is cut off");
		size |= (uint64_t)(b[i] & 0x7f) << shift;
		shift += 7;
	}
	i++;
	if (size > OBJECT_MAX)
		return bad(s->p, "an object is larger than any casus writes");
	e->size = (size_t)size;
	if (e->type == 6) {
		uint64_t rel;

		if (i >= len)
			return bad(s->p, "an object's header is cut off");
		rel = b[i] & 0x7f;
		while (b[i++] & 0x80) {
			if (i >= len || rel >= (UINT64_C(1) << 56))
				return bad(s->p, "a delta's base offset is cut off");
			rel = ((rel + 1) << 7) | (b[i] & 0x7f);
		}
		if (rel == 0 || rel > off - 12)
			return bad(s->p, "a delta's base is outside the pack");
		e->base = off - rel;
	} else if (e->type == 7) {
		if (len - i < ID)
			return bad(s->p, "an object's header is cut off");
		memcpy(e->base_id, b + i, ID);
		i += ID;
	} else if (e->type < 1 || e->type > 4) {
		return bad(s->p, "an object is of no type git knows");
	}
	e->data = off + i;
	return 0;
}

/*
 * Each thread's inflater, made once and reset for each object: inflateInit() allocates 7 KB of
 * state, which glibc's malloc() sorted into and out of its bins object after object (3% of a
 * full build of the index, perf).
 */
static pthread_key_t inflater_key;
static pthread_once_t inflater_once = PTHREAD_ONCE_INIT;
static bool inflater_keyed;

static void
inflater_drop(void *arg)
{
	inflateEnd(arg);
	free(arg);
}

static void
inflater_key_make(void)
{
	inflater_keyed = pthread_key_create(&inflater_key, inflater_drop) == 0;
}

/*
 * This thread's inflater, ready for a new stream; or, where the system has no key left to keep
 * one by, own, made for this stream alone, which the caller ends (inflateEnd()). NULL with a
 * git error.
 */
static z_stream *
inflater(z_stream *own)
{
	z_stream *z;

	pthread_once(&inflater_once, inflater_key_make);
	if (inflater_keyed && (z = pthread_getspecific(inflater_key)) != NULL) {
		if (inflateReset(z) == Z_OK)
			return z;
		pthread_setspecific(inflater_key, NULL);
		inflater_drop(z);
	}
	if (inflater_keyed && (z = calloc(1, sizeof *z)) != NULL) {
		if (inflateInit(z) == Z_OK && pthread_setspecific(inflater_key, z) == 0)
			return z;
		inflater_drop(z);
	}
	*own = (z_stream){0};
	if (inflateInit(own) == Z_OK)
		return own;
	git_error_set_oom();
	return NULL;
}

/*
 * Inflates e's data, whose first bytes s holds, into out, which has room for cap bytes: *got
 * of them. whole: to the end of the stream, which must come within cap bytes; else until out
 * is full. 0, or -1 with a git error.
 */
static int
inflate_to(struct src *s, const struct entry *e, unsigned char *out, size_t cap, bool whole,
    size_t *got)
{
	uint64_t next = s->at + s->len;
	z_stream own, *z = inflater(&own);
	int zr = Z_OK;
	bool unread = false;            /* src_read() failed, and said why */

	*got = 0;
	if (z == NULL)
		return -1;
	z->next_in = s->buf + (e->data - s->at);
	z->avail_in = (uInt)(s->len - (e->data - s->at));
	z->next_out = out;
	z->avail_out = (uInt)cap;
	while (z->avail_out > 0) {
		if (z->avail_in == 0) {
			if (src_read(s, next, CHUNK) < 0) {
				unread = true;
				break;
			}
			next += s->len;
			z->next_in = s->buf;
			z->avail_in = (uInt)s->len;
		}
		/*
		 * Z_FINISH where the whole is wanted: zlib then keeps no window of 32 KiB for a
		 * stream that ends in the call, which it otherwise allocates and copies the output
		 * into, object after object.
		 */
		zr = inflate(z, whole ? Z_FINISH : Z_NO_FLUSH);
		/* Z_BUF_ERROR with input left: no progress possible, as with a damaged stream. */
		if (zr == Z_STREAM_END || (zr != Z_OK && zr != Z_BUF_ERROR) ||
		    (zr == Z_BUF_ERROR && z->avail_in > 0))
			break;
	}
	*got = cap - z->avail_out;
	if (z == &own)
		inflateEnd(&own);
	if (unread)
		return -1;
	if (whole ? zr != Z_STREAM_END : zr != Z_OK && zr != Z_STREAM_END && zr != Z_BUF_ERROR)
		return bad(s->p, "an object's data does not inflate");
	return 0;
}

/*
 * e's data, inflated into a new buffer of e->size + 1 bytes (NUL-ended): of
 * git_odb_backend_data_alloc() when alloc is not NULL, else malloc(). 0, or -1. The buffer's
 * last byte catches a stream longer than its header said.
 */
static int
inflate_entry(struct src *s, const struct entry *e, git_odb_backend *alloc, unsigned char **out)
{
	unsigned char *buf = obtain(alloc, e->size + 1);
	size_t got;

	*out = NULL;
	if (buf == NULL) {
		git_error_set_oom();
		return -1;
	}
	if (inflate_to(s, e, buf, e->size + 1, true, &got) < 0) {
		release(alloc, buf);
		return -1;
	}
	if (got != e->size) {
		release(alloc, buf);
		return bad(s->p, "an object's data does not inflate to its size");
	}
	buf[e->size] = '\0';
	*out = buf;
	return 0;
}

/* The size at *i of a delta's header, moving *i on: false when it is cut off or too big. */
static bool
delta_size(const unsigned char *d, size_t len, size_t *i, size_t *out)
{
	uint64_t v = 0;
	unsigned shift = 0;

	do {
		if (*i >= len || shift > 60)
			return false;
		v |= (uint64_t)(d[*i] & 0x7f) << shift;
		shift += 7;
	} while (d[(*i)++] & 0x80);
	if (v > OBJECT_MAX)
		return false;
	*out = (size_t)v;
	return true;
}

/* Builds from base and delta d the object of size len into out: 0, or -1 (damaged). */
static int
delta_apply(struct pack *p, const unsigned char *base, size_t blen, const unsigned char *d,
    size_t dlen, size_t i, unsigned char *out, size_t len)
{
	size_t o = 0;

	while (i < dlen) {
		unsigned char op = d[i++];

		if (op & 0x80) {
			size_t from = 0, n = 0;

			for (int k = 0; k < 4; k++)
				if (op & (1u << k)) {
					if (i >= dlen)
						return bad(p, "a delta is cut off");
					from |= (size_t)d[i++] << (8 * k);
				}
			for (int k = 0; k < 3; k++)
				if (op & (0x10u << k)) {
					if (i >= dlen)
						return bad(p, "a delta is cut off");
					n |= (size_t)d[i++] << (8 * k);
				}
			if (n == 0)
				n = 0x10000;
			if (from > blen || n > blen - from || n > len - o)
				return bad(p, "a delta copies from outside its base");
			memcpy(out + o, base + from, n);
			o += n;
		} else if (op != 0) {
			if (op > dlen - i || op > len - o)
				return bad(p, "a delta's data is cut off");
			memcpy(out + o, d + i, op);
			i += op;
			o += op;
		} else {
			return bad(p, "a delta holds an instruction git does not write");
		}
	}
	if (o != len)
		return bad(p, "a delta does not build an object of its size");
	return 0;
}

/*
 * From the delta e, found at *p, on to its base: *p and *off become the base's. CHAIN_MAX
 * steps at most (n: those taken), since deltas by ID can loop. 0, or -1 with a git error.
 */
static int
base_of(struct packs *bk, const struct entry *e, size_t n, struct pack **p, uint64_t *off)
{
	int found;

	if (n >= CHAIN_MAX)
		return bad(*p, "a chain of deltas is longer than git makes one");
	if (e->type == 6) {
		*off = e->base;
		return 0;
	}
	if ((found = locate(bk, e->base_id, p, off)) == 0)
		return bad(*p, "a delta's base is in no pack");
	return found < 0 ? -1 : 0;
}

/*
 * A step of a chain of deltas: the delta's pack, offset and entry, and the delta inflated
 * (malloc()'d), read with its entry while the chain is followed to its base.
 */
struct link {
	struct pack *p;
	uint64_t off;
	struct entry e;
	unsigned char *delta;
};

/*
 * The object at off of p, resolving deltas: its type, and its data into a buffer of
 * git_odb_backend_data_alloc() (alloc not NULL) or malloc(), NUL-ended. 0, or -1. Each object
 * built on the way is kept in the cache.
 */
static int
unpack(struct packs *bk, struct pack *p, uint64_t off, git_object_t *type, unsigned char **out,
    size_t *len, git_odb_backend *alloc)
{
	struct src src, *s = &src;      /* on the stack: 16 KiB malloc()'d a read made glibc sort its bins */

	src.bk = bk;
	struct link *chain = NULL;
	size_t n = 0, links = 0, cap = 0;     /* n: the steps still to apply, of links */
	struct entry e;
	unsigned char *data = NULL;
	int r = -1;

	*out = NULL;
	for (;;) {
		if (cache_get(bk, p, off, type, len, &data, n == 0 ? alloc : NULL))
			break;
		s->p = p;
		if (entry_read(s, off, &e) < 0)
			goto done;
		if (e.type < 6) {
			if (inflate_entry(s, &e, n == 0 ? alloc : NULL, &data) < 0)
				goto done;
			*type = (git_object_t)e.type;
			*len = e.size;
			cache_put(bk, p, off, *type, data, *len);
			break;
		}
		xgrow((void **)&chain, &cap, n + 1, sizeof *chain);
		chain[n] = (struct link){p, off, e, NULL};
		links = ++n;
		if (inflate_entry(s, &e, NULL, &chain[n - 1].delta) < 0 || base_of(bk, &e, n, &p, &off) < 0)
			goto done;
	}
	while (n > 0) {
		struct link *l = &chain[--n];
		git_odb_backend *a = n == 0 ? alloc : NULL;
		const unsigned char *d = l->delta;
		unsigned char *next;
		size_t i = 0, blen, tlen;
		int k;

		if (!delta_size(d, l->e.size, &i, &blen) || !delta_size(d, l->e.size, &i, &tlen) ||
		    blen != *len) {
			bad(l->p, "a delta does not fit its base");
			goto done;
		}
		if ((next = obtain(a, tlen + 1)) == NULL) {
			git_error_set_oom();
			goto done;
		}
		k = delta_apply(l->p, data, *len, d, l->e.size, i, next, tlen);
		free(data);
		data = NULL;
		if (k < 0) {
			release(a, next);
			goto done;
		}
		next[tlen] = '\0';
		data = next;
		*len = tlen;
		cache_put(bk, l->p, l->off, *type, data, tlen);
	}
	*out = data;
	data = NULL;
	r = 0;
done:
	/* data is left only when the chain failed before its end: a malloc()'d base or step. */
	free(data);
	for (size_t i = 0; i < links; i++)
		free(chain[i].delta);
	free(chain);
	return r;
}

/* The backend's functions (git2/sys/odb_backend.h). */

/* Where object id is in b's packs: 0 with *bk, *p and *off; GIT_ENOTFOUND, or -1. */
static int
b_find(git_odb_backend *b, const git_oid *id, struct packs **bk, struct pack **p, uint64_t *off)
{
	int r;

	*bk = ((struct front *)b)->bk;
	r = locate(*bk, id->id, p, off);
	return r > 0 ? 0 : r == 0 ? GIT_ENOTFOUND : -1;
}

static int
b_read(void **data, size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *id)
{
	struct packs *bk;
	struct pack *p;
	uint64_t off;
	int r = b_find(b, id, &bk, &p, &off);

	return r != 0 ? r : unpack(bk, p, off, type, (unsigned char **)data, len, b);
}

/*
 * The type and size of the object at off of p, without reading more of it than its header
 * (a delta's first bytes give the size it builds, its base's header the type): a program
 * that refuses a file by its size (store.c) must not have read it whole first.
 */
static int
header_of(struct packs *bk, struct pack *p, uint64_t off, size_t *len, git_object_t *type)
{
	struct src src;
	struct entry e;

	src.bk = bk;
	for (size_t n = 0;; n++) {
		src.p = p;
		if (entry_read(&src, off, &e) < 0)
			return -1;
		if (e.type < 6) {
			*type = (git_object_t)e.type;
			if (n == 0)
				*len = e.size;
			return 0;
		}
		if (n == 0) {
			unsigned char head[2 * 10];
			size_t got, i = 0, blen;

			if (inflate_to(&src, &e, head, e.size < sizeof head ? e.size : sizeof head, false,
			    &got) < 0)
				return -1;
			if (!delta_size(head, got, &i, &blen) || !delta_size(head, got, &i, len))
				return bad(p, "a delta's header is cut off");
		}
		if (base_of(bk, &e, n + 1, &p, &off) < 0)
			return -1;
	}
}

static int
b_read_header(size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *id)
{
	struct packs *bk;
	struct pack *p;
	uint64_t off;
	int r = b_find(b, id, &bk, &p, &off);

	return r != 0 ? r : header_of(bk, p, off, len, type);
}

static int
b_exists(git_odb_backend *b, const git_oid *id)
{
	struct pack *p;
	uint64_t off;

	return locate(((struct front *)b)->bk, id->id, &p, &off) > 0;
}

/*
 * The one object whose ID begins with the len hex digits of short_id (the rest of it zero):
 * 0 with *out, GIT_ENOTFOUND, GIT_EAMBIGUOUS, or -1.
 */
static int
prefix_find(struct packs *bk, const git_oid *short_id, size_t len, git_oid *out, struct pack **pp,
    uint64_t *off)
{
	size_t n, whole = len / 2;
	bool found = false;

	pthread_mutex_lock(&bk->lock);
	n = bk->n;
	pthread_mutex_unlock(&bk->lock);
	for (size_t k = 0; k < n; k++) {
		struct pack *p;
		unsigned char at[2][ID];
		uint32_t pos, lo, hi;
		bool have;

		pthread_mutex_lock(&bk->lock);
		p = bk->p[k];
		pthread_mutex_unlock(&bk->lock);
		if (lower_bound(bk, p, short_id->id, &pos, at[0], &have) < 0)
			return -1;
		range(p, short_id->id[0], &lo, &hi);
		/* That one, and the one after it, which would make the prefix ambiguous. */
		for (int j = 0; j < 2 && have && pos + (uint32_t)j < hi; j++) {
			if (j == 1 && idx_read(p, at[1], ID, IDX_IDS + (uint64_t)(pos + 1) * ID) < 0)
				return idx_fail(p);
			if (memcmp(at[j], short_id->id, whole) != 0 ||
			    (len % 2 && (at[j][whole] & 0xf0) != (short_id->id[whole] & 0xf0)))
				break;
			if (found && memcmp(out->id, at[j], ID) != 0) {
				git_error_set(GIT_ERROR_ODB, "ambiguous object ID prefix");
				return GIT_EAMBIGUOUS;
			}
			if (!found && offset_of(p, pos + (uint32_t)j, off) < 0)
				return -1;
			memcpy(out->id, at[j], ID);
			*pp = p;
			found = true;
		}
	}
	return found ? 0 : GIT_ENOTFOUND;
}

static int
b_read_prefix(git_oid *out, void **data, size_t *len, git_object_t *type, git_odb_backend *b,
    const git_oid *short_id, size_t hexlen)
{
	struct packs *bk = ((struct front *)b)->bk;
	struct pack *p;
	uint64_t off;
	int r;

	if (hexlen >= GIT_OID_HEXSZ) {
		git_oid_cpy(out, short_id);
		return b_read(data, len, type, b, short_id);
	}
	if ((r = prefix_find(bk, short_id, hexlen, out, &p, &off)) != 0)
		return r;
	return unpack(bk, p, off, type, (unsigned char **)data, len, b);
}

static int
b_exists_prefix(git_oid *out, git_odb_backend *b, const git_oid *short_id, size_t hexlen)
{
	struct pack *p;
	uint64_t off;

	if (hexlen >= GIT_OID_HEXSZ) {
		git_oid_cpy(out, short_id);
		return b_exists(b, short_id) ? 0 : GIT_ENOTFOUND;
	}
	return prefix_find(((struct front *)b)->bk, short_id, hexlen, out, &p, &off);
}

static int
b_refresh(git_odb_backend *b)
{
	struct packs *bk = ((struct front *)b)->bk;
	int r;

	pthread_mutex_lock(&bk->lock);
	r = packs_scan(bk);
	pthread_mutex_unlock(&bk->lock);
	return r;
}

static int
b_foreach(git_odb_backend *b, git_odb_foreach_cb cb, void *payload)
{
	struct packs *bk = ((struct front *)b)->bk;
	unsigned char buf[ID * 256];
	size_t n;

	pthread_mutex_lock(&bk->lock);
	n = bk->n;
	pthread_mutex_unlock(&bk->lock);
	for (size_t k = 0; k < n; k++) {
		struct pack *p;

		pthread_mutex_lock(&bk->lock);
		p = bk->p[k];
		pthread_mutex_unlock(&bk->lock);
		for (uint32_t at = 0; at < p->n; at += 256) {
			uint32_t m = p->n - at < 256 ? p->n - at : 256;

			if (idx_read(p, buf, (size_t)m * ID, IDX_IDS + (uint64_t)at * ID) < 0)
				return idx_fail(p);
			for (uint32_t i = 0; i < m; i++) {
				git_oid id;
				int r;

				memcpy(id.id, buf + (size_t)i * ID, ID);
				if ((r = cb(&id, payload)) != 0)
					return r;
			}
		}
	}
	return 0;
}

static void
packs_free(struct packs *bk)
{
	for (size_t i = 0; i < bk->n; i++)
		pack_free(bk->p[i]);
	for (size_t i = 0; bk->cache && i < CACHE_SLOTS; i++)
		free(bk->cache[i].data);
	for (size_t i = 0; bk->blocks && i < BLOCKS; i++)
		free(bk->blocks[i].data);
	free(bk->blocks);
	free(bk->cache);
	free(bk->where);
	free(bk->p);
	free(bk->dir);
	pthread_mutex_destroy(&bk->lock);
	free(bk);
}

/*
 * The packs of dir (objects/pack), read through mappings or not, as the process knows them
 * already or opened now: a reference, for packs_put(). NULL with a git error.
 */
static struct packs *
packs_get(const char *dir, bool mapped)
{
	struct packs *bk;

	pthread_mutex_lock(&shared_lock);
	for (bk = shared; bk && (strcmp(bk->dir, dir) != 0 || bk->mapped != mapped); bk = bk->next)
		;
	if (bk == NULL) {
		bk = xcalloc(1, sizeof *bk);
		bk->dir = xstrdup(dir);
		bk->mapped = mapped;
		pthread_mutex_init(&bk->lock, NULL);
		if (packs_scan(bk) < 0) {
			packs_free(bk);
			bk = NULL;
		} else {
			bk->next = shared;
			shared = bk;
		}
	}
	if (bk)
		bk->refs++;
	pthread_mutex_unlock(&shared_lock);
	return bk;
}

static void
packs_put(struct packs *bk)
{
	struct packs **at;

	pthread_mutex_lock(&shared_lock);
	if (--bk->refs == 0) {
		for (at = &shared; *at != bk; at = &(*at)->next)
			;
		*at = bk->next;
		packs_free(bk);
	}
	pthread_mutex_unlock(&shared_lock);
}

static void
b_free(git_odb_backend *b)
{
	packs_put(((struct front *)b)->bk);
	free(b);
}

/* libgit2's error as casus's (err_set()), for the functions of pack.h. */
static int
git_fail(const char *what)
{
	const git_error *e = git_error_last();

	err_set("cannot %s: %s", what, e && e->message ? e->message : "unknown libgit2 error");
	return -1;
}

int
pack_backend(git_odb_backend **out, const char *objects_dir)
{
	char *dir = xasprintf("%s/pack", objects_dir);
	struct front *f = xcalloc(1, sizeof *f);

	*out = NULL;
	git_odb_init_backend(&f->b, GIT_ODB_BACKEND_VERSION);
	f->b.read = b_read;
	f->b.read_header = b_read_header;
	f->b.read_prefix = b_read_prefix;
	f->b.exists = b_exists;
	f->b.exists_prefix = b_exists_prefix;
	f->b.refresh = b_refresh;
	f->b.foreach = b_foreach;
	f->b.free = b_free;
	f->bk = packs_get(dir, false);
	free(dir);
	if (f->bk == NULL) {
		free(f);
		return git_fail("read the store's packs");
	}
	*out = &f->b;
	return 0;
}

/* The repository's objects folder, malloc'd. */
static char *
objects_of(git_repository *repo)
{
	const char *path = git_repository_path(repo);       /* ends with '/' */
	size_t len = strlen(path);

	return xasprintf("%.*s/objects", (int)(len && path[len - 1] == '/' ? len - 1 : len), path);
}

/*
 * Alternates (objects/info/alternates): folders of objects that a store reads as its own, as
 * `git clone --shared` or `--reference` leave it. They are followed as git 2.39 follows them
 * (libgit2 1.5 differs: it takes a relative path only from the store's own list, and only one
 * that begins with '.'): a line each, an empty one or one that begins with '#' passed over; a
 * relative path taken from the objects folder whose list names it; lists read at most
 * ALTERNATES_DEPTH below the store's own (git's limit too); a folder met twice (a cycle, or the store's own
 * named again) read once; a folder that is not there passed over (its objects are then not
 * found, and a program that needs one says so). A path in C quotes, which git also takes, is
 * not unquoted, as libgit2 does not.
 */
#define ALTERNATES_DEPTH 5
#define ALTERNATES_MAX 65536            /* bytes of an alternates file: a line per folder */

/* The folders added so far, by their real paths. */
struct folders {
	char **v;
	size_t n, cap;
};

static void
folders_free(struct folders *f)
{
	for (size_t i = 0; i < f->n; i++)
		free(f->v[i]);
	free(f->v);
}

/*
 * The lines of dir's info/alternates in *buf (malloc'd, NUL-ended; NULL when there is no such
 * file): 0, or -1 with a git error.
 */
static int
alternates_read(const char *dir, char **buf)
{
	char *path = xasprintf("%s/info/alternates", dir);
	struct stat st;
	int fd = pack_file_open(path, &st), r = 0;

	*buf = NULL;
	if (fd == -1) {
		if (errno != ENOENT && errno != ENOTDIR) {
			git_error_set(GIT_ERROR_OS, "cannot read '%s': %s", path, strerror(errno));
			r = -1;
		}
	} else if (fd == -2 || st.st_size > ALTERNATES_MAX) {
		git_error_set(GIT_ERROR_ODB, "cannot read '%s': %s", path,
		    fd == -2 ? "not a file" : "larger than any list of folders");
		r = -1;
	} else {
		*buf = xmalloc((size_t)st.st_size + 1);
		if (read_at(fd, *buf, (size_t)st.st_size, 0) < 0) {
			git_error_set(GIT_ERROR_OS, "cannot read '%s': %s", path,
			    errno == EIO ? "it changed while read" : strerror(errno));
			free(*buf);
			*buf = NULL;
			r = -1;
		} else {
			(*buf)[st.st_size] = '\0';
		}
	}
	if (fd >= 0)
		close(fd);
	free(path);
	return r;
}

/*
 * Whether dir is a folder not in seen, added to it by its real path if so (a folder named twice
 * is read once, however it is named).
 */
static bool
folder_new(struct folders *seen, const char *dir)
{
	char *real = realpath(dir, NULL);
	struct stat st;

	if (real == NULL || stat(real, &st) < 0 || !S_ISDIR(st.st_mode)) {
		free(real);
		return false;
	}
	for (size_t i = 0; i < seen->n; i++)
		if (strcmp(seen->v[i], real) == 0) {
			free(real);
			return false;
		}
	xgrow((void **)&seen->v, &seen->cap, seen->n + 1, sizeof *seen->v);
	seen->v[seen->n++] = real;
	return true;
}

/*
 * Adds the objects of dir to odb, read through loose.c and this module: the store's own, which
 * take every write (do_fsync as libgit2's own does), or an alternate's, never written to.
 * 0, or -1 with a git error.
 */
static int
backends_add(git_odb *odb, const char *dir, bool alternate, int do_fsync)
{
	git_odb_backend *loose = NULL, *packed = NULL;
	int r;

	if (git_odb_backend_loose(&loose, dir, -1, alternate ? 0 : do_fsync, 0, 0) < 0)
		return -1;
	/* Its objects read by loose.c, which ends on one cut short (libgit2 spins). */
	loose_guard(loose, dir);
	r = alternate ? git_odb_add_alternate(odb, loose, 1) : git_odb_add_backend(odb, loose, 1);
	if (r < 0) {
		loose->free(loose);
		return -1;
	}
	if (pack_backend(&packed, dir) < 0)
		return -1;
	r = alternate ? git_odb_add_alternate(odb, packed, 2) : git_odb_add_backend(odb, packed, 2);
	if (r < 0) {
		packed->free(packed);
		return -1;
	}
	return 0;
}

/*
 * Adds to odb, as alternates, the folders that dir's info/alternates names, each then followed
 * in turn; dir's list is depth lists below the store's own. A store without a list costs one
 * open() here, at every program's start: dir's own real path is only taken, into an empty
 * seen, when it has one. 0, or -1 with a git error.
 */
static int
alternates_add(git_odb *odb, const char *dir, int depth, struct folders *seen)
{
	char *list, *line, *next;
	int r = 0;

	if (depth > ALTERNATES_DEPTH)
		return 0;
	if (alternates_read(dir, &list) < 0)
		return -1;
	if (list != NULL && seen->n == 0)
		folder_new(seen, dir);
	for (line = list; r == 0 && line && *line; line = next) {
		char *path;

		next = line + strcspn(line, "\r\n");
		if (*next)
			*next++ = '\0';
		if (line[0] == '\0' || line[0] == '#')
			continue;
		path = line[0] == '/' ? xstrdup(line) : xasprintf("%s/%s", dir, line);
		if (folder_new(seen, path) && (r = backends_add(odb, path, true, 0)) == 0)
			r = alternates_add(odb, path, depth + 1, seen);
		free(path);
	}
	free(list);
	return r;
}

int
pack_odb(git_repository *repo, int do_fsync)
{
	char *objects = objects_of(repo);
	struct folders seen = {0};
	git_odb *odb = NULL;
	int r = 0;

	if (git_odb_new(&odb) < 0 || backends_add(odb, objects, false, do_fsync) < 0 ||
	    alternates_add(odb, objects, 0, &seen) < 0)
		r = git_fail("open the store's objects");
	/*
	 * No commit-graph is given to this database: libgit2's own opens one only when asked, and
	 * reads a single file, where case-index writes a chain (--split); parsing one here would
	 * be work at every program's start for nothing.
	 */
	else if (git_repository_set_odb(repo, odb) < 0)
		r = git_fail("open the store's objects");
	git_odb_free(odb);
	folders_free(&seen);
	free(objects);
	return r;
}

int
pack_odb_alternate(git_repository *repo, const char *objects_dir)
{
	struct folders seen = {0};
	git_odb *odb = NULL;
	int r = -1;

	if (!folder_new(&seen, objects_dir))
		git_error_set(GIT_ERROR_OS, "cannot read '%s': not a folder", objects_dir);
	/* One list below the store's own, as an alternate of the store's own list would be. */
	else if (git_repository_odb(&odb, repo) == 0 && backends_add(odb, objects_dir, true, 0) == 0)
		r = alternates_add(odb, objects_dir, 1, &seen);
	git_odb_free(odb);
	folders_free(&seen);
	return r;
}

int
pack_repo_open(git_repository **out, const char *gitdir)
{
	*out = NULL;
	if (git_repository_open_ext(out, gitdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0) {
		char *what = xasprintf("open store '%s'", gitdir);

		git_fail(what);
		free(what);
		return -1;
	}
	if (pack_odb(*out, 0) < 0) {
		git_repository_free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

int
pack_map(git_repository *repo)
{
	git_odb *odb = NULL;
	git_odb_backend *b;
	int r = 0;

	if (git_repository_odb(&odb, repo) < 0)
		return git_fail("open the store's objects");
	for (size_t i = 0; r == 0 && i < git_odb_num_backends(odb); i++) {
		struct front *f;
		struct packs *bk;

		if (git_odb_get_backend(&b, odb, i) < 0 || b->read != b_read)
			continue;
		f = (struct front *)b;
		if (f->bk->mapped)
			continue;
		if ((bk = packs_get(f->bk->dir, true)) == NULL) {
			r = git_fail("read the store's packs");
			continue;
		}
		packs_put(f->bk);
		f->bk = bk;
	}
	git_odb_free(odb);
	return r;
}
