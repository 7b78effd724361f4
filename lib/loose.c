/*
 * loose.c: reading a store's loose objects with an inflate that always ends (loose.h).
 *
 * Why. A loose object is one zlib stream of "<type> <size>\0<content>". libgit2 1.5.1 inflates
 * it in a loop that goes round again as long as zlib returns Z_BUF_ERROR, which is also what
 * zlib returns when the input has run out: a file cut short (a disk that filled up, a copy
 * broken off) makes every program that reads that object spin at full CPU for ever. The
 * hostile corpus found it (hand-truncated-tree: overleg-schedule on a truncated tree).
 *
 * How. libgit2's backend for loose objects stays: it writes them (with its modes and fsync),
 * says whether one exists, and lists them. Only its three ways of reading one are replaced by
 * the functions below, which read the file whole and inflate it once: every call to inflate()
 * either makes progress or ends the loop, and the object must end exactly where its header
 * says. A file that is not one zlib stream is damaged: git writes every loose object as one.
 *
 * Those functions are given the backend alone, and libgit2 keeps the objects' folder in its
 * own private structure: each guarded backend is listed here with its folder and its own
 * free(), until it is freed.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#define ZLIB_CONST
#include <zlib.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>

#include "loose.h"
#include "mem.h"
#include "pack.h"

#define HEADER_MAX 32                   /* "commit 1073741824" and its NUL, with room */
#define HEADER_IN 4096                  /* bytes of the file read for its header alone */

struct guarded {
	git_odb_backend *b;
	char *dir;                      /* objects/ */
	void (*free)(git_odb_backend *);
	struct guarded *next;
};

static struct guarded *guarded;
static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;

/* What b is listed with; it stays until b's free(), which no read runs with. */
static struct guarded *
guard_of(const git_odb_backend *b)
{
	struct guarded *g;

	pthread_mutex_lock(&lock);
	for (g = guarded; g && g->b != b; g = g->next)
		;
	pthread_mutex_unlock(&lock);
	return g;
}

static int
damaged(const char *hex, const char *why)
{
	git_error_set(GIT_ERROR_ODB, "object %s is damaged (%s); git fsck tells more", hex, why);
	return -1;
}

/*
 * The file of object hex (40 hex digits) in dir, read into *buf (malloc'd): *len bytes, all of
 * it or its first max. 0; GIT_ENOTFOUND when there is none; or -1 with a git error.
 */
static int
slurp(const char *dir, const char *hex, size_t max, unsigned char **buf, size_t *len)
{
	char *path = xasprintf("%s/%.2s/%s", dir, hex, hex + 2);
	struct stat st;
	int fd = pack_file_open(path, &st);
	size_t got = 0;

	free(path);
	*buf = NULL;
	*len = 0;
	if (fd == -2)
		return damaged(hex, "not a file");
	if (fd < 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return GIT_ENOTFOUND;
		git_error_set(GIT_ERROR_OS, "cannot read object %s: %s", hex, strerror(errno));
		return -1;
	}
	if ((uint64_t)st.st_size > OBJECT_MAX) {
		close(fd);
		return damaged(hex, "larger than any casus writes");
	}
	if ((size_t)st.st_size < max)
		max = (size_t)st.st_size;
	*buf = xmalloc(max > 0 ? max : 1);
	while (got < max) {
		ssize_t n = read(fd, *buf + got, max - got);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			git_error_set(GIT_ERROR_OS, "cannot read object %s: %s", hex,
			    n < 0 ? strerror(errno) : "the file got shorter");
			close(fd);
			free(*buf);
			*buf = NULL;
			return -1;
		}
		got += (size_t)n;
	}
	close(fd);
	*len = got;
	return 0;
}

/* Whether buf begins as a zlib stream does (RFC 1950: deflate, and a header check). */
static bool
is_zlib(const unsigned char *buf, size_t len)
{
	return len >= 2 && (buf[0] & 0x0f) == 8 && ((unsigned)buf[0] << 8 | buf[1]) % 31 == 0;
}

/*
 * One step of inflate() that either moves or fails: 1 when the stream ended, 0 when it moved
 * (input read or output written), -1 when it cannot go on, with why (cut short, damaged, or
 * more output than there is room for).
 */
static int
step(z_stream *z, const char **why)
{
	uLong in = z->total_in, out = z->total_out;
	int r = inflate(z, Z_NO_FLUSH);

	if (r == Z_STREAM_END)
		return 1;
	if (r == Z_OK && (z->total_in != in || z->total_out != out))
		return 0;
	if (r == Z_MEM_ERROR)
		*why = "out of memory";
	else if (r == Z_DATA_ERROR || r == Z_NEED_DICT || r == Z_STREAM_ERROR)
		*why = "its data does not inflate";
	else if (z->avail_in == 0)
		*why = "it is cut short";
	else
		*why = "it is longer than its header says";
	return -1;
}

/*
 * Inflates the loose object hex from in: its type and size from its header, and with data not
 * NULL its content, into a buffer of alloc's (size + 1 bytes, NUL-ended). 0, or -1.
 */
static int
inflate_object(git_odb_backend *alloc, const char *hex, const unsigned char *in, size_t inlen,
    git_object_t *type, size_t *size, void **data)
{
	unsigned char head[HEADER_MAX], *out = NULL;
	const unsigned char *nul = NULL, *sp;
	const char *why = NULL;
	size_t got = 0, first, n = 0;
	z_stream z = {0};
	int r = 0;

	if (inflateInit(&z) != Z_OK) {
		git_error_set_oom();
		return -1;
	}
	z.next_in = in;
	z.avail_in = (uInt)inlen;
	z.next_out = head;
	z.avail_out = sizeof head;
	/* The header: up to its NUL, which comes within HEADER_MAX bytes of any object git writes. */
	while (nul == NULL && r == 0 && z.avail_out > 0) {
		r = step(&z, &why);
		got = sizeof head - z.avail_out;
		nul = memchr(head, '\0', got);
	}
	if (nul == NULL) {
		inflateEnd(&z);
		return damaged(hex, r < 0 ? why : "its header is not as git writes one");
	}
	sp = memchr(head, ' ', (size_t)(nul - head));
	*type = GIT_OBJECT_INVALID;
	if (sp) {
		char word[HEADER_MAX];

		memcpy(word, head, (size_t)(sp - head));
		word[sp - head] = '\0';
		*type = git_object_string2type(word);
	}
	for (const unsigned char *d = sp ? sp + 1 : nul; d < nul && n <= OBJECT_MAX; d++)
		n = *d >= '0' && *d <= '9' ? n * 10 + (size_t)(*d - '0') : OBJECT_MAX + 1;
	if (*type != GIT_OBJECT_COMMIT && *type != GIT_OBJECT_TREE && *type != GIT_OBJECT_BLOB &&
	    *type != GIT_OBJECT_TAG) {
		inflateEnd(&z);
		return damaged(hex, "its header names no type of object");
	}
	if (sp == NULL || sp + 1 == nul || n > OBJECT_MAX || (nul - sp > 2 && sp[1] == '0')) {
		inflateEnd(&z);
		return damaged(hex, "its header gives no size git writes");
	}
	*size = n;
	if (data == NULL) {
		inflateEnd(&z);
		return 0;
	}
	/* The content: what came with the header, then the rest, to exactly its end. */
	first = got - (size_t)(nul + 1 - head);
	if (first > n) {
		inflateEnd(&z);
		return damaged(hex, "it is longer than its header says");
	}
	out = git_odb_backend_data_alloc(alloc, n + 1);
	if (out == NULL) {
		inflateEnd(&z);
		git_error_set_oom();
		return -1;
	}
	memcpy(out, nul + 1, first);
	z.next_out = out + first;
	z.avail_out = (uInt)(n - first);
	while (r == 0)
		r = step(&z, &why);
	if (r == 1 && z.avail_out > 0) {
		r = -1;
		why = "it is shorter than its header says";
	}
	inflateEnd(&z);
	if (r < 0) {
		git_odb_backend_data_free(alloc, out);
		return damaged(hex, why);
	}
	out[n] = '\0';
	*data = out;
	return 0;
}

/* Reads object hex of g whole (data not NULL) or its header alone: 0, GIT_ENOTFOUND, or -1. */
static int
read_object(struct guarded *g, const git_oid *id, void **data, size_t *len, git_object_t *type)
{
	char hex[GIT_OID_HEXSZ + 1];
	unsigned char *buf;
	size_t n;
	int r;

	git_oid_tostr(hex, sizeof hex, id);
	/* For the header alone, its first bytes: a file of 40 MB is not read to learn its size. */
	if ((r = slurp(g->dir, hex, data ? SIZE_MAX : HEADER_IN, &buf, &n)) != 0)
		return r;
	r = is_zlib(buf, n) ? inflate_object(g->b, hex, buf, n, type, len, data) :
	    damaged(hex, n < 2 ? "it is cut short" : "it is no zlib stream");
	free(buf);
	return r;
}

static int
l_read(void **data, size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *id)
{
	return read_object(guard_of(b), id, data, len, type);
}

static int
l_read_header(size_t *len, git_object_t *type, git_odb_backend *b, const git_oid *id)
{
	return read_object(guard_of(b), id, NULL, len, type);
}

/* The one object whose ID begins with the hexlen digits of short_id, read. */
static int
l_read_prefix(git_oid *out, void **data, size_t *len, git_object_t *type, git_odb_backend *b,
    const git_oid *short_id, size_t hexlen)
{
	struct guarded *g = guard_of(b);
	char hex[GIT_OID_HEXSZ + 1], found[GIT_OID_HEXSZ + 1] = {0}, *path;
	struct dirent *e;
	size_t n = 0;
	DIR *d;

	if (hexlen >= GIT_OID_HEXSZ) {
		git_oid_cpy(out, short_id);
		return read_object(g, short_id, data, len, type);
	}
	git_oid_fmt(hex, short_id);
	hex[GIT_OID_HEXSZ] = '\0';
	if (hexlen < 2)
		return GIT_ENOTFOUND;   /* libgit2 asks for 4 digits at least */
	path = xasprintf("%s/%.2s", g->dir, hex);
	d = opendir(path);
	free(path);
	if (d == NULL)
		return GIT_ENOTFOUND;
	while ((e = readdir(d)) != NULL)
		if (strlen(e->d_name) == GIT_OID_HEXSZ - 2 && strspn(e->d_name, "0123456789abcdef") ==
		    GIT_OID_HEXSZ - 2 && strncmp(e->d_name, hex + 2, hexlen - 2) == 0 && n++ == 0) {
			memcpy(found, hex, 2);
			memcpy(found + 2, e->d_name, GIT_OID_HEXSZ - 2);
		}
	closedir(d);
	if (n == 0)
		return GIT_ENOTFOUND;
	if (n > 1) {
		git_error_set(GIT_ERROR_ODB, "ambiguous short ID %.*s: %zu loose objects begin with it",
		    (int)hexlen, hex, n);
		return GIT_EAMBIGUOUS;
	}
	if (git_oid_fromstr(out, found) < 0)
		return -1;
	return read_object(g, out, data, len, type);
}

static void
l_free(git_odb_backend *b)
{
	struct guarded **p, *g = NULL;

	pthread_mutex_lock(&lock);
	for (p = &guarded; *p; p = &(*p)->next)
		if ((*p)->b == b) {
			g = *p;
			*p = g->next;
			break;
		}
	pthread_mutex_unlock(&lock);
	if (g == NULL)
		return;
	g->free(b);
	free(g->dir);
	free(g);
}

void
loose_guard(git_odb_backend *b, const char *objects_dir)
{
	struct guarded *g = xcalloc(1, sizeof *g);

	g->b = b;
	g->dir = xstrdup(objects_dir);
	g->free = b->free;
	pthread_mutex_lock(&lock);
	g->next = guarded;
	guarded = g;
	pthread_mutex_unlock(&lock);
	b->read = l_read;
	b->read_header = l_read_header;
	b->read_prefix = l_read_prefix;
	b->free = l_free;
}
