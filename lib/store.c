/*
 * store.c: the case store, a bare git repository written only by compare-and-swap commits on
 * refs/heads/main. A change either lands as exactly one commit or leaves the branch as it was.
 */
/* nftw() is X/Open. */
#define _XOPEN_SOURCE 700

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "date.h"
#include "doc.h"
#include "mem.h"
#include "msg.h"
#include "pack.h"
#include "store.h"
#include "quote.h"
#include "utf8.h"

#define BRANCH "refs/heads/main"
#define LOCKFILE "casus.lock"
/* The settings file every casus store has at its tip (CASUS_CONFIG in casus.h). */
#define SETTINGS "casus.yaml"

/*
 * How long a writer waits, in all, for casus.lock and for the branch to stop moving. A commit
 * takes a few milliseconds, so ten seconds means something is wrong, not that it is busy.
 */
#define WAIT_NS (10LL * 1000000000LL)
/* A refs/heads/main.lock older than this, while we hold casus.lock, is a dead writer's. */
#define STALE_LOCK_S 2
/* The most a file's time lags the clock it is compared with (see ref_lock_clear_stale()). */
#define CLOCK_TICK_NS 10000000LL

/*
 * Durability. GIT_OPT_ENABLE_FSYNC_GITDIR makes libgit2 fsync every object, the ref and their
 * directories before the ref is renamed into place, and txn_commit() adds objects/ when a
 * new objects/xx folder appeared in it, so a commit that was reported is still there after a
 * power cut. A first plan in a new store makes 15 fsync calls, one of them for objects/
 * (strace -f -e trace=fsync); a commit that makes no new objects/xx folder makes none more. It is on unless CASUS_FSYNC=0. Measured on this machine (Debian 12,
 * ext4 on a virtio disk, 2 CPUs shared with other work): a change of two small files in a
 * store of ~250 commits took 2.9-4.3 ms per commit without fsync and 7.8-10.4 ms with it
 * (median of 5 runs of 100 commits each: 3.3 ms against 9.8 ms; one outlier run at 34 ms
 * when the disk was busy). Command: STORE_TEST_FSYNC_N=100 build/tests/store-test, line
 * "# fsync cost". Against the 112 ms of `git add` + `git commit` that is cheap for data
 * people rely on; only tests that make hundreds of commits turn it off.
 */

struct store {
	git_repository *repo;
	char *path;                     /* the git directory, as given */
	bool fsync;                     /* GIT_OPT_ENABLE_FSYNC_GITDIR is on */
	char last[GIT_OID_HEXSZ + 1];   /* the commit store_change() made last */
	store_sign_fn sign;             /* signs every commit; NULL: no commit can be made */
	void *sign_arg;
};

struct staged {
	char *path;
	char *data;             /* NULL: the file is removed */
	size_t len;
};

struct trailer {
	char *key;
	char *value;
};

/*
 * The trees a view has looked up, so that a file is found from its folder rather than from
 * the root each time: libgit2 caches only trees up to 4 KiB, and the cases/ tree (7 KB at
 * 10,000 cases) and, past about 22,000 cases, every cases/xx tree were inflated and hashed
 * again for every file read. Folders at most two deep (cases, cases/xx: 257 of them in a
 * store casus wrote) are kept until the view is closed, up to TOP of them; deeper ones (a
 * case's folder and its event folders), and any beyond TOP, in a ring of DEEP, which is all
 * one case being read needs. So a view holds at most TOP + DEEP trees whatever the store
 * holds: one written behind casus's back with 100,000 folders in cases/ is read more slowly,
 * not with more memory.
 */
#define DEEP 8
#define TOP 512

struct tslot {
	char *dir;                      /* the folder, "cases/3f" */
	size_t len;                     /* strlen(dir) */
	unsigned hash;                  /* dir_hash() of dir, compared first */
	git_tree *tree;
};

struct tcache {
	struct tslot *top;              /* folders at most two deep */
	size_t ntop, topcap;
	struct tslot deep[DEEP];        /* deeper folders, replaced in turn */
	size_t next;                    /* the slot of deep the next one takes */
};

struct view {
	struct store *s;
	git_commit *tip;                /* NULL while the branch is unborn */
	git_tree *tree;
	struct txn *t;                  /* the change this is the view of, or NULL */
	struct tcache *c;               /* the trees looked up in tree; shared by a txn's views */
};

struct txn {
	struct view v;                  /* borrows tip and tree below */
	struct view base;               /* the same tip without the staged writes; borrows too */
	struct store *s;
	git_commit *tip;                /* NULL while the branch is unborn */
	git_tree *tree;                 /* the tip's tree, NULL while unborn */
	struct staged *w;
	size_t nw, wcap;
	char *subject, *body;
	struct trailer *tr;
	size_t ntr, trcap;
	char *name, *email;             /* txn_author()'s; NULL until the change sets them */
};

int
store_git_fail(const char *verb, const char *object)
{
	const git_error *e = git_error_last();
	const char *why = e != NULL && e->message != NULL ? e->message : "unknown libgit2 error";

	if (object)
		err_set("cannot %s '%s': %s", verb, object, why);
	else
		err_set("cannot %s: %s", verb, why);
	return -1;
}

/*
 * Memory. A scan reads every case, and libgit2 kept every case folder it read: overleg-schedule
 * took 85 MB at 50,000 cases (peak RSS, /usr/bin/time -f %M; 25 MB at 10,000). Its object
 * cache keeps every tree up to 4 KiB, and counts an object's raw size (37 bytes for a folder
 * holding plan.yaml) against a limit of 256 MB, while such a tree costs ~700 bytes held: 37 MB
 * of the 85 (valgrind --tool=massif). CACHE_MAX bounds it to 256 KiB of raw objects, a few MB
 * held; the trees a read needs again, the view keeps itself (tcache). Measured on bench/gen
 * stores, median of 3, CPU time user+sys: at 50,000 cases overleg-schedule 84 -> 53 MB and
 * release-check --all 79 -> 48 MB, as fast (2.3 and 1.9 s); at 10,000 cases the two of them
 * and case-validate 23-25 -> 18-20 MB. On packed stores of six commits a case what is left
 * is mostly the pack and its index mapped: 72 -> 67 MB at 10,000 cases, 273 -> 238 MB at
 * 50,000 (195 MB of it file pages: a 200 MB pack, a 53 MB .idx).
 *
 * The packs themselves are no longer mapped: pack.c reads them (store_open()). Before it, left
 * as they were after measuring (a store of 10,000 cases with six commits each, packed:
 * 44 MiB): the mapped windows of packs (GIT_OPT_SET_MWINDOW_MAPPED_LIMIT and _SIZE, 1 GiB
 * windows up to 8 GiB by default). Keeping 8, 16 or 32 MiB of 1-4 MiB windows took
 * case-validate from 74 to 54-69 MB but from 3.1 to 5.1-7.1 s of CPU, remapping windows as it
 * reads objects from all over the pack. Nor is the cache of delta bases of each pack settable
 * (16 MiB a pack in libgit2 1.5.1): letting go of it and the windows every 10,000 objects read
 * (git_repository__cleanup()) took case-validate at 50,000 cases from 49 to 39 MB but from
 * 2.7 to 3.8 s, rebuilding delta chains.
 */
#define CACHE_MAX ((ssize_t)256 * 1024)

/*
 * Start-up. Debian's libgit2 1.5.1 is built with mbedTLS, and its git_libgit2_init() parses
 * the system's CA bundle (/etc/ssl/certs/ca-certificates.crt, ~140 certificates) for the HTTPS
 * transport: 5 ms of every program's start (perf stat -r 100 on a program that only inits and
 * shuts down: 14.3 ms, 9.2 ms with the two functions below). casus opens local repositories
 * only, never a remote through libgit2 (pushes and clones are git's own), so these definitions
 * take the place of mbedTLS's for libgit2: the linker exports a symbol of the program that a
 * shared library in the link uses, and the dynamic loader finds the program's first. They load
 * no certificate, so were a remote ever opened, its certificate could not be verified and the
 * connection would fail: closed, not open. The types are mbedTLS's (a certificate chain, a
 * path); its header is not needed for a pointer. In the same way libssh2_init(), which
 * libgit2 calls for its SSH transport, no longer starts OpenSSL (reading its configuration
 * file): another 0.6 ms (perf, 30 runs of case-index). libssh2_exit() does nothing for a
 * libssh2 that was never started.
 */
int mbedtls_x509_crt_parse_file(void *chain, const char *path);
int mbedtls_x509_crt_parse_path(void *chain, const char *path);
int libssh2_init(int flags);

int
libssh2_init(int flags)
{
	(void)flags;
	return 0;
}

int
mbedtls_x509_crt_parse_file(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

int
mbedtls_x509_crt_parse_path(void *chain, const char *path)
{
	(void)chain;
	(void)path;
	return 0;
}

static void
lib_init(void)
{
	static bool done;

	if (!done) {
		git_libgit2_init();
		git_libgit2_opts(GIT_OPT_SET_CACHE_MAX_SIZE, CACHE_MAX);
		done = true;
	}
}

static void
sleep_ns(long long ns)
{
	struct timespec ts = { ns / 1000000000LL, ns % 1000000000LL };

	while (nanosleep(&ts, &ts) == -1 && errno == EINTR)
		;
}

/*
 * Checks a path inside the store: relative, components separated by single slashes, none
 * empty, ".", ".." or ".git" (any case, as git itself refuses it on checkout), and no control
 * characters, so a path can never escape the tree or smuggle anything into a terminal.
 * root allows "" for the top of the tree.
 */
static int
path_check(const char *verb, const char *path, bool root)
{
	const char *why = NULL;
	const char *c = path;

	if (*path == '\0') {
		if (root)
			return 0;
		why = "empty path";
	} else if (strlen(path) > 4096) {
		why = "path too long";
	}
	while (why == NULL && *c != '\0') {
		size_t n = strcspn(c, "/");

		if (n == 0)
			why = *path == '/' && c == path ? "absolute path" : "empty path component";
		else if ((n == 1 && c[0] == '.') || (n == 2 && c[0] == '.' && c[1] == '.'))
			why = "'.' or '..' in path";
		else if (n == 4 && strncasecmp(c, ".git", 4) == 0)
			why = "'.git' in path";
		for (size_t i = 0; why == NULL && i < n; i++)
			if ((unsigned char)c[i] < 0x20 || c[i] == 0x7f)
				why = "control character in path";
		c += n;
		if (why == NULL && *c == '/') {
			c++;
			if (*c == '\0')
				why = "trailing slash";
		}
	}
	if (why != NULL) {
		char *p = quote_text_str(path);

		err_set("cannot %s '%s': %s", verb, p, why);
		free(p);
		return -1;
	}
	return 0;
}

/* Resolves the branch. *commit and *tree are NULL when the branch is unborn. */
static int
tip_read(struct store *s, git_commit **commit, git_tree **tree)
{
	git_oid oid;
	int rc;

	*commit = NULL;
	*tree = NULL;
	rc = git_reference_name_to_id(&oid, s->repo, BRANCH);
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0)
		return store_git_fail("read", BRANCH);
	if (git_commit_lookup(commit, s->repo, &oid) < 0)
		return store_git_fail("read", BRANCH);
	if (git_commit_tree(tree, *commit) < 0) {
		git_commit_free(*commit);
		*commit = NULL;
		return store_git_fail("read", BRANCH);
	}
	return 0;
}

/*
 * Whether the last tree_read() refused what the store holds at a path (a link, a folder, a
 * submodule, a file over the size limit) rather than failed to read the store: for
 * store_read_refused(). Each thread's own, as each reads through views of its own.
 */
static _Thread_local bool refused;

/* view_tree()'s answer when something other than a folder stands at dir. */
enum { NOTDIR = 2 };

/* tree_list() failed because something other than a folder stands at dir: view_list_folder(). */
static _Thread_local bool not_folder;

static struct tcache *
tcache_new(void)
{
	return xcalloc(1, sizeof(struct tcache));
}

static void
tcache_free(struct tcache *c)
{
	if (c == NULL)
		return;
	for (size_t i = 0; i < c->ntop; i++) {
		free(c->top[i].dir);
		git_tree_free(c->top[i].tree);
	}
	free(c->top);
	for (size_t i = 0; i < DEEP; i++) {
		free(c->deep[i].dir);
		git_tree_free(c->deep[i].tree);
	}
	free(c);
}

/* FNV-1a of the first dlen bytes of dir. */
static unsigned
dir_hash(const char *dir, size_t dlen)
{
	unsigned h = 2166136261u;

	for (size_t i = 0; i < dlen; i++)
		h = (h ^ (unsigned char)dir[i]) * 16777619u;
	return h;
}

static git_tree *
slots_find(const struct tslot *sl, size_t n, const char *dir, size_t dlen, unsigned h)
{
	for (size_t i = 0; i < n; i++)
		if (sl[i].dir != NULL && sl[i].hash == h && sl[i].len == dlen &&
		    memcmp(sl[i].dir, dir, dlen) == 0)
			return sl[i].tree;
	return NULL;
}

/* The tree kept for the folder dir (its first dlen bytes, hashed h), or NULL. */
static git_tree *
tcache_find(const struct tcache *c, const char *dir, size_t dlen, unsigned h, bool top)
{
	git_tree *t = top ? slots_find(c->top, c->ntop, dir, dlen, h) : NULL;

	/* A folder two deep or less is in the ring when the TOP slots were all taken. */
	if (t == NULL && (!top || c->ntop == TOP))
		t = slots_find(c->deep, DEEP, dir, dlen, h);
	return t;
}

/* Keeps tree (the cache owns it) as the folder dir. */
static void
tcache_add(struct tcache *c, const char *dir, size_t dlen, unsigned h, bool top,
    git_tree *tree)
{
	struct tslot *sl;

	if (top && c->ntop < TOP) {
		xgrow((void **)&c->top, &c->topcap, c->ntop + 1, sizeof *c->top);
		sl = &c->top[c->ntop++];
	} else {
		sl = &c->deep[c->next];
		c->next = (c->next + 1) % DEEP;
		free(sl->dir);
		git_tree_free(sl->tree);
	}
	sl->dir = xstrndup(dir, dlen);
	sl->len = dlen;
	sl->hash = h;
	sl->tree = tree;
}

/*
 * The tree of the folder at the first dlen bytes of dir in v's tree, found from its parent
 * and kept in v's cache: 0 with *out (borrowed from the view: valid until the next call),
 * STORE_NOTFOUND when nothing stands there or a part of the path above it is not a folder
 * (as git_tree_entry_bypath() says), NOTDIR when something other than a folder stands
 * there, or -1 with libgit2's error set (the caller says what it was doing).
 */
static int
view_tree(const struct view *v, const char *dir, size_t dlen, git_tree **out)
{
	const char *slash = NULL, *name;
	const git_tree_entry *e;
	git_tree *parent, *tree;
	char *base;
	size_t depth = 0;
	unsigned h;
	bool top;
	int rc;

	*out = NULL;
	if (v->tree == NULL)
		return STORE_NOTFOUND;
	if (dlen == 0) {
		*out = v->tree;
		return 0;
	}
	for (size_t i = 0; i < dlen; i++) {
		if (dir[i] == '/') {
			slash = dir + i;
			depth++;
		}
	}
	top = depth < 2;
	h = dir_hash(dir, dlen);
	*out = tcache_find(v->c, dir, dlen, h, top);
	if (*out != NULL)
		return 0;
	rc = view_tree(v, dir, slash != NULL ? (size_t)(slash - dir) : 0, &parent);
	if (rc == NOTDIR)
		return STORE_NOTFOUND;
	if (rc != 0)
		return rc;
	name = slash != NULL ? slash + 1 : dir;
	base = xstrndup(name, dlen - (size_t)(name - dir));
	e = git_tree_entry_byname(parent, base);
	free(base);
	if (e == NULL)
		return STORE_NOTFOUND;
	if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
		return NOTDIR;
	if (git_tree_lookup(&tree, v->s->repo, git_tree_entry_id(e)) < 0)
		return -1;
	tcache_add(v->c, dir, dlen, h, top, tree);
	*out = tree;
	return 0;
}

/*
 * Finds the file at path in v's tree, from its folder: 0 with *e (borrowed from the view's
 * cache: use it before the next lookup), STORE_NOTFOUND, or -1.
 */
static int
tree_file(const struct view *v, const char *path, const git_tree_entry **e)
{
	const char *slash = strrchr(path, '/');
	git_tree *dir;
	int rc;

	*e = NULL;
	rc = view_tree(v, path, slash != NULL ? (size_t)(slash - path) : 0, &dir);
	if (rc == STORE_NOTFOUND || rc == NOTDIR)
		return STORE_NOTFOUND;
	if (rc < 0)
		return store_git_fail("read", path);
	*e = git_tree_entry_byname(dir, slash != NULL ? slash + 1 : path);
	if (*e == NULL)
		return STORE_NOTFOUND;
	if (git_tree_entry_type(*e) != GIT_OBJECT_BLOB) {
		*e = NULL;
		refused = true;
		err_set("cannot read '%s': not a file", path);
		return -1;
	}
	/*
	 * A symbolic link is a blob too, holding the target's name: read as the file, a link put
	 * in with plain git had its target text parsed as the document, passed case-validate when
	 * that text was a valid plan, and was silently replaced by the next plan-edit.
	 */
	if (git_tree_entry_filemode(*e) == GIT_FILEMODE_LINK) {
		*e = NULL;
		refused = true;
		err_set("cannot read '%s': a symbolic link, not a file", path);
		return -1;
	}
	return 0;
}

/*
 * Blob id, which stands at path (for messages), into *buf. The size first, from the object's
 * header: git_blob_lookup() inflates the whole object into memory, and a 40 MiB file put in
 * with plain git took 90 MB before the parser refused it for its size. Nothing casus reads
 * may be larger than the parser takes.
 */
static int
blob_read(git_repository *repo, const git_oid *id, const char *verb, const char *path, char **buf,
    size_t *len)
{
	git_blob *blob = NULL;
	git_odb *odb = NULL;
	git_object_t type;
	size_t size;

	if (git_repository_odb(&odb, repo) < 0 ||
	    git_odb_read_header(&size, &type, odb, id) < 0) {
		git_odb_free(odb);
		return store_git_fail(verb, path);
	}
	git_odb_free(odb);
	if (size > doc_limits_casus.max_bytes) {
		refused = true;
		err_set("cannot %s '%s': file of %zu bytes, larger than the limit of %zu bytes",
		    verb, path, size, doc_limits_casus.max_bytes);
		return -1;
	}
	if (git_blob_lookup(&blob, repo, id) < 0)
		return store_git_fail(verb, path);
	*len = (size_t)git_blob_rawsize(blob);
	*buf = xstrndup(git_blob_rawcontent(blob), *len);
	git_blob_free(blob);
	return 0;
}

static int
tree_read(const struct view *v, const char *path, char **buf, size_t *len)
{
	const git_tree_entry *e;
	int rc;

	refused = false;
	rc = tree_file(v, path, &e);
	if (rc != 0)
		return rc;
	return blob_read(v->s->repo, git_tree_entry_id(e), "read", path, buf, len);
}

int
view_read_blob(const struct view *v, const char *hex, const char *path, char **buf, size_t *len)
{
	git_oid id;

	*buf = NULL;
	*len = 0;
	refused = false;
	if (strlen(hex) != GIT_OID_HEXSZ || git_oid_fromstr(&id, hex) < 0) {
		err_set("cannot read an earlier version of '%s': '%s' is no object ID", path, hex);
		return -1;
	}
	return blob_read(v->s->repo, &id, "read an earlier version of", path, buf, len);
}

static int
name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Appends the names in v's tree at dir to *names; a missing dir adds nothing. */
static int
tree_list(const struct view *v, const char *dir, char ***names, size_t *n, size_t *cap)
{
	git_tree *t;
	int rc;

	rc = view_tree(v, dir, strlen(dir), &t);
	if (rc == STORE_NOTFOUND)
		return 0;
	if (rc == NOTDIR) {
		not_folder = true;
		err_set("cannot list '%s': not a directory", dir);
		return -1;
	}
	if (rc < 0)
		return store_git_fail("list", dir);
	for (size_t i = 0; i < git_tree_entrycount(t); i++) {
		xgrow((void **)names, cap, *n + 1, sizeof **names);
		(*names)[(*n)++] = xstrdup(git_tree_entry_name(git_tree_entry_byindex(t, i)));
	}
	return 0;
}

/* Sorts by bytes (git's own order puts "a/" after "a.b") and drops duplicates. */
static void
names_sort(char **names, size_t *n)
{
	size_t j = 0;

	if (*n == 0)
		return;
	qsort(names, *n, sizeof *names, name_cmp);
	for (size_t i = 1; i < *n; i++) {
		if (strcmp(names[i], names[j]) == 0)
			free(names[i]);
		else
			names[++j] = names[i];
	}
	*n = j + 1;
}

/* Clears permission bits that would let anyone outside the group in: nftw() callback. */
static int
unshare_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	mode_t want;

	(void)ftw;
	if (type == FTW_SL)
		return 0;
	if (type == FTW_D || type == FTW_DP)
		want = 02770;
	else
		want = st->st_mode & 0770;
	if ((st->st_mode & 07777) != want && chmod(path, want) == -1)
		return -1;
	return 0;
}


/*
 * The umask every store user runs with: nothing for others, everything the creation mode
 * gives for the group. The group bits are cleared on purpose: caseworkers share the store
 * through its group, and libgit2 creates object directories from the umask alone, so a
 * member with umask 022 would otherwise leave directories the rest of the group cannot add
 * objects to. Returns the umask that was in force.
 */
static mode_t
share_umask(void)
{
	mode_t old = umask(0);

	umask((old | 007) & ~(mode_t)070);
	return old;
}

/* 1 if dir has no entries but "." and "..", 0 if it has some, -1 (errno) if unreadable. */
static int
dir_empty(const char *dir)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int empty = 1;

	if (d == NULL)
		return -1;
	while (empty && (e = readdir(d)) != NULL)
		if (strcmp(e->d_name, ".") != 0 && strcmp(e->d_name, "..") != 0)
			empty = 0;
	closedir(d);
	return empty;
}

int
store_create(const char *dir)
{
	git_repository_init_options o;
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	struct stat st;
	char *lock = NULL;
	mode_t old;
	int fd, rc = -1;

	lib_init();
	if (stat(dir, &st) == 0) {
		int empty;

		if (!S_ISDIR(st.st_mode)) {
			err_set("cannot create store '%s': exists and is not a directory", dir);
			return -1;
		}
		empty = dir_empty(dir);
		if (empty == -1) {
			err_set("cannot create store '%s': %s", dir, strerror(errno));
			return -1;
		}
		if (!empty) {
			err_set("cannot create store '%s': directory exists and is not empty", dir);
			return -1;
		}
	}
	git_repository_init_options_init(&o, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
	old = share_umask();
	/* A custom mode: libgit2 makes the directories 2770 (and writes no sharedRepository). */
	o.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH |
	    GIT_REPOSITORY_INIT_NO_REINIT;
	o.mode = 02770;
	o.initial_head = "main";
	if (git_repository_init_ext(&repo, dir, &o) < 0) {
		store_git_fail("create store", dir);
		goto out;
	}
	/* For the git command (git push into the store): files 0660, directories 2770. */
	if (git_repository_config(&cfg, repo) < 0 ||
	    git_config_set_string(cfg, "core.sharedRepository", "0660") < 0) {
		store_git_fail("create store", dir);
		goto out;
	}
	/* The lock every writer takes; its being there marks a store that has no settings yet. */
	lock = xasprintf("%s%s", git_repository_path(repo), LOCKFILE);
	fd = open(lock, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0660);
	if (fd == -1 || close(fd) == -1) {
		err_set("cannot create store '%s': cannot create '%s': %s", dir, lock,
		    strerror(errno));
		goto out;
	}
	/* The template files are written from the umask; make sure, whatever it was. */
	if (nftw(dir, unshare_entry, 16, FTW_PHYS) != 0) {
		err_set("cannot create store '%s': cannot set permissions: %s", dir, strerror(errno));
		goto out;
	}
	rc = 0;
out:
	free(lock);
	git_config_free(cfg);
	git_repository_free(repo);
	umask(old);
	return rc;
}

/* path, quoted for a POSIX shell if it needs it, for a command line in a message. */
static char *
shell_quote(const char *path)
{
	struct buf b = {0};

	if (path[strspn(path, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
	    "0123456789/._-+,:@")] == '\0')
		return xstrdup(path);
	buf_addc(&b, '\'');
	for (const char *c = path; *c != '\0'; c++) {
		if (*c == '\'')
			buf_adds(&b, "'\\''");
		else
			buf_addc(&b, *c);
	}
	buf_addc(&b, '\'');
	return buf_detach(&b);
}

/* Whether libgit2's last error is its ownership check failing (see store_open()). */
static bool
owner_refused(void)
{
	const git_error *e = git_error_last();

	return e != NULL && e->message != NULL && strstr(e->message, "safe.directory") != NULL;
}

/*
 * libgit2 1.5.1 says "not found" for a repository it may not look into, and a store that only
 * its group may enter was reported as no repository at all. Sets the real reason and returns
 * true when dir, or one of the parts by which libgit2 knows a repository, exists but cannot
 * be reached (permission denied, say); false when it is simply not there.
 */
static bool
open_denied(const char *dir)
{
	static const char *const parts[] = { "HEAD", "objects", "refs" };
	struct stat st;
	int e = 0;

	/* Entering it is what the group's permission is usually missing for. */
	if (stat(dir, &st) == -1 || (S_ISDIR(st.st_mode) && access(dir, X_OK) == -1))
		e = errno;
	if (e != 0 && e != ENOENT && e != ENOTDIR) {
		err_set("cannot open store '%s': %s", dir, strerror(e));
		return true;
	}
	for (size_t i = 0; e == 0 && i < sizeof parts / sizeof *parts; i++) {
		char *p = xasprintf("%s/%s", dir, parts[i]);

		e = stat(p, &st) == -1 ? errno : 0;
		if (e != 0 && e != ENOENT && e != ENOTDIR) {
			err_set("cannot open store '%s': cannot read '%s': %s", dir, p, strerror(e));
			free(p);
			return true;
		}
		free(p);
	}
	return false;
}

int
store_open(struct store **out, const char *dir)
{
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	struct store *s;
	const char *fs;
	bool fsync_on;
	int rc, bare = 0;

	*out = NULL;
	lib_init();
	if (dir == NULL)
		dir = getenv("CASUS_REPO");
	if (dir == NULL || *dir == '\0')
		dir = ".";
	share_umask();
	fs = getenv("CASUS_FSYNC");
	fsync_on = fs == NULL || strcmp(fs, "0") != 0;
	git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, (int)fsync_on);

	/* Exactly dir, never a parent or dir/.git: a store is a bare repository of its own. */
	rc = git_repository_open_ext(&repo, dir, GIT_REPOSITORY_OPEN_NO_SEARCH |
	    GIT_REPOSITORY_OPEN_NO_DOTGIT | GIT_REPOSITORY_OPEN_BARE, NULL);
	/*
	 * libgit2 1.5.1 reports a repository owned by someone else as GIT_ENOTFOUND ("config
	 * value 'safe.directory' was not found") when no safe.directory is configured at all,
	 * and as GIT_EOWNER only when some other directory is: both mean the same to the user.
	 */
	if (rc == GIT_ENOTFOUND && !owner_refused()) {
		if (!open_denied(dir))
			err_set("cannot open store '%s': not a casus store (no git repository)", dir);
		return -1;
	}
	if (rc == GIT_EOWNER || rc == GIT_ENOTFOUND) {
		char *abs = realpath(dir, NULL);
		char *q = shell_quote(abs != NULL ? abs : dir);

		err_set("cannot open store '%s': owned by another user; add it to safe.directory "
		    "with: git config --system --add safe.directory %s (or --global for yourself)", dir, q);
		free(q);
		free(abs);
		return -1;
	}
	if (rc < 0)
		return store_git_fail("open store", dir);
	/* OPEN_BARE would also open a work tree's .git as if it were bare; refuse that. */
	if (git_repository_config_snapshot(&cfg, repo) < 0) {
		git_repository_free(repo);
		return store_git_fail("open store", dir);
	}
	rc = git_config_get_bool(&bare, cfg, "core.bare");
	git_config_free(cfg);
	if (rc < 0 || !bare) {
		git_repository_free(repo);
		err_set("cannot open store '%s': not a casus store (not a bare repository)", dir);
		return -1;
	}
	/* Packs read with pread(), not mapped: pack.c. */
	if (pack_odb(repo, fsync_on) < 0) {
		git_repository_free(repo);
		return -1;
	}
	s = xcalloc(1, sizeof *s);
	s->repo = repo;
	s->path = xstrdup(dir);
	s->fsync = fsync_on;
	*out = s;
	return 0;
}

int
store_open_reader(struct store **out, const char *dir)
{
	if (store_open(out, dir) < 0)
		return -1;
	/*
	 * libgit2 hashes every object it inflates again and compares it with the id it was
	 * asked for: 6% of overleg-schedule at 10,000 cases (perf), for no answer a reader
	 * gives. A damaged object still fails to read, as zlib checks a checksum of its own
	 * (tests/hostile: hand-corrupt-blob), and checking every hash is what `git fsck` is for.
	 * Writers keep the check (a commit is built on what they read), and so does
	 * case-validate, whose work is to check what the store holds (and, with --pre-receive,
	 * the objects a push brought).
	 * The option is the process's: only a program that never writes opens this way.
	 */
	git_libgit2_opts(GIT_OPT_ENABLE_STRICT_HASH_VERIFICATION, 0);
	return 0;
}

void
store_close(struct store *s)
{
	if (s == NULL)
		return;
	git_repository_free(s->repo);
	free(s->path);
	free(s);
}

struct git_repository *
store_git(struct store *s)
{
	return s->repo;
}

const char *
store_path(const struct store *s)
{
	return s->path;
}

bool
store_has_tip(struct store *s)
{
	git_oid oid;

	return git_reference_name_to_id(&oid, s->repo, BRANCH) == 0;
}

bool
store_read_refused(void)
{
	return refused;
}

int
store_read(struct store *s, const char *path, char **buf, size_t *len)
{
	struct view *v;
	int rc;

	*buf = NULL;
	*len = 0;
	refused = false;
	if (path_check("read", path, false) < 0 || store_view(s, &v) < 0)
		return -1;
	rc = tree_read(v, path, buf, len);
	view_close(v);
	return rc;
}

int
store_list(struct store *s, const char *dir, char ***names, size_t *n)
{
	struct view *v;
	size_t cap = 0;
	int rc;

	*names = NULL;
	*n = 0;
	if (path_check("list", dir, true) < 0 || store_view(s, &v) < 0)
		return -1;
	rc = tree_list(v, dir, names, n, &cap);
	view_close(v);
	if (rc < 0) {
		store_list_free(*names, *n);
		*names = NULL;
		*n = 0;
		return -1;
	}
	names_sort(*names, n);
	return 0;
}

void
store_list_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

/*
 * Whether code point c may not appear in a name or address: C0 controls, DEL and C1
 * controls (a newline or CR would end the author header and let the rest of the value be
 * read as a header of its own; ESC and the C1 CSI drive the terminal of whoever runs git
 * log), the line and paragraph separators, and the bidirectional embeddings, overrides and
 * isolates, which make a name read as another one.
 */
static bool
ident_char_bad(unsigned long c)
{
	return c < 0x20 || (c >= 0x7f && c <= 0x9f) || c == 0x2028 || c == 0x2029 ||
	    (c >= 0x202a && c <= 0x202e) || (c >= 0x2066 && c <= 0x2069);
}

/* store_ident_check() for one part; what is "the name" or "the address". */
static const char *
ident_part_check(const char *s, bool address)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = strlen(s), i = 0, n;
	bool blank = true;
	unsigned long c;

	for (; i < len; i += n) {
		n = utf8_seq(p + i, len - i, &c);
		if (n == 0)
			return address ? "the address is not UTF-8" : "the name is not UTF-8";
		if (ident_char_bad(c))
			return address ? "the address has a control character"
			    : "the name has a control character";
		if (c == '<' || c == '>')
			return address ? "the address has '<' or '>'" : "the name has '<' or '>'";
		if (c != ' ')
			blank = false;
	}
	/* libgit2 trims spaces and refuses what is left empty. */
	if (blank)
		return address ? "the address is empty" : "the name is empty";
	return NULL;
}

const char *
store_ident_check(const char *name, const char *email)
{
	const char *why = ident_part_check(name, false);

	return why != NULL ? why : ident_part_check(email, true);
}

/*
 * value from the environment if set and not empty, else key from cfg, else NULL. *from is
 * where it came from, for messages.
 */
static char *
identity_part(const char *env, git_config *cfg, const char *key, const char **from)
{
	const char *v = getenv(env);

	*from = env;
	if (v != NULL && *v != '\0')
		return xstrdup(v);
	*from = key;
	if (cfg != NULL && git_config_get_string(&v, cfg, key) == 0 && *v != '\0')
		return xstrdup(v);
	return NULL;
}

int
store_identity(struct store *s, char **name, char **email)
{
	git_config *cfg = NULL;
	const char *name_from, *email_from, *why;

	/* The snapshot holds the repository's, the global and the system config. */
	if (git_repository_config_snapshot(&cfg, s->repo) < 0)
		return store_git_fail("read config of", s->path);
	*name = identity_part("GIT_AUTHOR_NAME", cfg, "user.name", &name_from);
	*email = identity_part("GIT_AUTHOR_EMAIL", cfg, "user.email", &email_from);
	git_config_free(cfg);
	if (*name == NULL || *email == NULL) {
		err_set("cannot find who you are: set GIT_AUTHOR_NAME and GIT_AUTHOR_EMAIL, "
		    "or user.name and user.email in git config");
		goto fail;
	}
	/*
	 * Checked here, before anything is written: libgit2 1.5.1 writes a newline in the
	 * name into the commit as it is, which makes a commit with an injected header.
	 */
	why = store_ident_check(*name, *email);
	if (why != NULL) {
		err_set("cannot use the identity from %s and %s: %s", name_from, email_from, why);
		goto fail;
	}
	return 0;
fail:
	free(*name);
	free(*email);
	*name = *email = NULL;
	return -1;
}

/* The allowed-signers file, inside the git directory: git never reads or removes it there. */
#define SIGNERS "casus-allowed-signers"
#define SIGNERS_KEY "gpg.ssh.allowedSignersFile"

bool
store_allowed_signers_due(struct store *s)
{
	char *path = xasprintf("%s%s", git_repository_path(s->repo), SIGNERS);
	git_config *cfg = NULL;
	const char *v;
	bool due = access(path, F_OK) != 0;

	/* A store moved or copied keeps the old absolute path in its config. */
	if (!due && (git_repository_config_snapshot(&cfg, s->repo) < 0 ||
	    git_config_get_string(&v, cfg, SIGNERS_KEY) < 0 || strcmp(v, path) != 0))
		due = true;
	git_error_clear();
	git_config_free(cfg);
	free(path);
	return due;
}

int
store_put_allowed_signers(struct store *s, const char *text)
{
	char *path = xasprintf("%s%s", git_repository_path(s->repo), SIGNERS);
	char *tmp = xasprintf("%s.XXXXXX", path);
	size_t len = strlen(text), off = 0;
	git_config *cfg = NULL;
	int fd, rc = -1;

	/*
	 * Whole or not at all, so that git never reads half a list and calls a good signature
	 * bad: a temporary file renamed over the old one. 0660 as every file of the store.
	 */
	fd = mkstemp(tmp);
	if (fd == -1)
		goto fail;
	while (off < len) {
		ssize_t n = write(fd, text + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0)
			goto fail;
		off += (size_t)n;
	}
	if (fchmod(fd, 0660) == -1 || (s->fsync && fsync(fd) == -1))
		goto fail;
	if (close(fd) == -1) {
		fd = -1;
		goto fail;
	}
	fd = -1;
	if (rename(tmp, path) == -1)
		goto fail;
	/* git takes a relative path from where it runs, so the config holds the whole path. */
	if (git_repository_config(&cfg, s->repo) < 0 ||
	    git_config_set_string(cfg, SIGNERS_KEY, path) < 0) {
		store_git_fail("set " SIGNERS_KEY " in", s->path);
		goto out;
	}
	git_error_clear();
	rc = 0;
	goto out;
fail:
	err_set("cannot write '%s': %s", path, strerror(errno));
	if (fd != -1)
		close(fd);
	unlink(tmp);
	/* An old list would answer for keys that changed; none makes the next change write it. */
	unlink(path);
out:
	git_config_free(cfg);
	free(tmp);
	free(path);
	return rc;
}

const char *
store_last_commit(const struct store *s)
{
	return s->last;
}

static struct txn *
txn_new(struct store *s)
{
	struct txn *t = xcalloc(1, sizeof *t);

	t->s = s;
	if (tip_read(s, &t->tip, &t->tree) < 0) {
		free(t);
		return NULL;
	}
	t->base = (struct view){.s = s, .tip = t->tip, .tree = t->tree, .t = NULL,
	    .c = tcache_new()};
	/* The same tip: both look up the tip's trees through one cache. */
	t->v = (struct view){.s = s, .tip = t->tip, .tree = t->tree, .t = t, .c = t->base.c};
	return t;
}

static void
txn_free(struct txn *t)
{
	if (t == NULL)
		return;
	for (size_t i = 0; i < t->nw; i++) {
		free(t->w[i].path);
		free(t->w[i].data);
	}
	free(t->w);
	for (size_t i = 0; i < t->ntr; i++) {
		free(t->tr[i].key);
		free(t->tr[i].value);
	}
	free(t->tr);
	free(t->subject);
	free(t->body);
	free(t->name);
	free(t->email);
	tcache_free(t->base.c);
	git_tree_free(t->tree);
	git_commit_free(t->tip);
	free(t);
}

static struct staged *
txn_staged(struct txn *t, const char *path)
{
	for (size_t i = 0; i < t->nw; i++)
		if (strcmp(t->w[i].path, path) == 0)
			return &t->w[i];
	return NULL;
}

int
txn_read(struct txn *t, const char *path, char **buf, size_t *len)
{
	struct staged *w;

	*buf = NULL;
	*len = 0;
	refused = false;
	if (path_check("read", path, false) < 0)
		return -1;
	w = txn_staged(t, path);
	if (w != NULL && w->data == NULL)
		return STORE_NOTFOUND;
	if (w != NULL) {
		*buf = xstrndup(w->data, w->len);
		*len = w->len;
		return 0;
	}
	return tree_read(&t->base, path, buf, len);
}

int
txn_list(struct txn *t, const char *dir, char ***names, size_t *n)
{
	size_t cap = 0, dlen = strlen(dir);

	*names = NULL;
	*n = 0;
	if (path_check("list", dir, true) < 0)
		return -1;
	if (tree_list(&t->base, dir, names, n, &cap) < 0) {
		store_list_free(*names, *n);
		*names = NULL;
		*n = 0;
		return -1;
	}
	/* A staged file adds the first component of its path below dir. */
	for (size_t i = 0; i < t->nw; i++) {
		const char *p = t->w[i].path;

		if (dlen > 0) {
			if (strncmp(p, dir, dlen) != 0 || p[dlen] != '/')
				continue;
			p += dlen + 1;
		}
		if (t->w[i].data == NULL)
			continue;
		xgrow((void **)names, &cap, *n + 1, sizeof **names);
		(*names)[(*n)++] = xstrndup(p, strcspn(p, "/"));
	}
	names_sort(*names, n);
	/* A file removed right below dir is gone from the list. */
	for (size_t i = 0; i < t->nw; i++) {
		const char *p = t->w[i].path + (dlen > 0 ? dlen + 1 : 0);
		size_t j;

		if (t->w[i].data != NULL || (dlen > 0 && (strncmp(t->w[i].path, dir, dlen) != 0 ||
		    t->w[i].path[dlen] != '/')) || strchr(p, '/') != NULL)
			continue;
		for (j = 0; j < *n && strcmp((*names)[j], p) != 0; j++)
			continue;
		if (j < *n) {
			free((*names)[j]);
			memmove(&(*names)[j], &(*names)[j + 1], (*n - j - 1) * sizeof **names);
			(*n)--;
		}
	}
	return 0;
}

int
store_view(struct store *s, struct view **out)
{
	struct view *v = xcalloc(1, sizeof *v);

	*out = NULL;
	v->s = s;
	if (tip_read(s, &v->tip, &v->tree) < 0) {
		free(v);
		return -1;
	}
	v->c = tcache_new();
	*out = v;
	return 0;
}

/* Whether the file at path has a line that is marker, read up to 64 KiB. */
static bool
file_has_line(const char *path, const char *marker)
{
	char buf[65536];
	size_t n = strlen(marker), len;
	FILE *f = fopen(path, "r");
	bool found = false;

	if (f == NULL)
		return false;
	len = fread(buf, 1, sizeof buf - 1, f);
	fclose(f);
	buf[len] = '\0';
	for (char *l = buf; !found && l != NULL; l = strchr(l, '\n') ? strchr(l, '\n') + 1 : NULL)
		found = strncmp(l, marker, n) == 0 && (l[n] == '\n' || l[n] == '\0');
	return found;
}

int
store_hook_install(struct store *s, const char *name, const char *script, const char *marker,
    char **path)
{
	const char *gitdir = git_repository_path(s->repo);
	char *dir = xasprintf("%shooks", gitdir), *file = xasprintf("%s/%s", dir, name);
	char *tmp = xasprintf("%s/.%s.XXXXXX", dir, name);
	size_t len = strlen(script);
	bool ok;
	int fd, e, rc = -1;

	*path = NULL;
	if (mkdir(dir, 02770) == -1 && errno != EEXIST) {
		err_set("cannot install hook '%s': %s", file, strerror(errno));
		goto out;
	}
	if (access(file, F_OK) == 0 && !file_has_line(file, marker)) {
		err_set("cannot install hook '%s': it exists and casus did not write it", file);
		goto out;
	}
	/* Written beside it and renamed, so git never runs half a hook. */
	fd = mkstemp(tmp);
	if (fd == -1) {
		err_set("cannot install hook '%s': %s", file, strerror(errno));
		goto out;
	}
	ok = fchmod(fd, 0750) == 0 && write(fd, script, len) == (ssize_t)len && fsync(fd) == 0;
	e = errno;
	if (close(fd) == -1 && ok) {
		ok = false;
		e = errno;
	}
	if (!ok) {
		err_set("cannot install hook '%s': %s", file, e ? strerror(e) : "short write");
		unlink(tmp);
		goto out;
	}
	if (rename(tmp, file) == -1) {
		err_set("cannot install hook '%s': %s", file, strerror(errno));
		unlink(tmp);
		goto out;
	}
	*path = file;
	file = NULL;
	rc = 0;
out:
	free(tmp);
	free(file);
	free(dir);
	return rc;
}

int
store_view_at(struct store *s, const char *commit, struct view **out)
{
	struct view *v;
	git_oid oid;
	int rc;

	*out = NULL;
	if (strlen(commit) != GIT_OID_HEXSZ || git_oid_fromstr(&oid, commit) < 0)
		return STORE_NOTFOUND;
	v = xcalloc(1, sizeof *v);
	v->s = s;
	rc = git_commit_lookup(&v->tip, s->repo, &oid);
	if (rc == GIT_ENOTFOUND) {
		free(v);
		return STORE_NOTFOUND;
	}
	if (rc < 0 || git_commit_tree(&v->tree, v->tip) < 0) {
		git_commit_free(v->tip);
		free(v);
		return store_git_fail("read commit", commit);
	}
	v->c = tcache_new();
	*out = v;
	return 0;
}

int
store_view_commit(struct store *s, const char *commit, struct view **out)
{
	int rc = store_view_at(s, commit, out);

	/* STORE_NOTFOUND says nothing itself; an older error of this thread is no answer. */
	if (rc == STORE_NOTFOUND)
		err_set("cannot read commit %s of the store: not found", commit);
	return rc == 0 ? 0 : -1;
}

int
view_twin(const struct view *v, struct store **sout, struct view **out)
{
	char hex[GIT_OID_HEXSZ + 1];
	struct view *w;

	*sout = NULL;
	*out = NULL;
	if (v->t != NULL)
		return err_set("cannot read a change's view from another thread"), -1;
	if (store_open(sout, v->s->path) < 0)
		return -1;
	if (v->tip) {
		git_oid_tostr(hex, sizeof hex, git_commit_id(v->tip));
		if (store_view_commit(*sout, hex, out) == 0)
			return 0;
		store_close(*sout);
		*sout = NULL;
		return -1;
	}
	w = xcalloc(1, sizeof *w);
	w->s = *sout;
	w->c = tcache_new();
	*out = w;
	return 0;
}

int
store_add_objects(struct store *s, const char *objdir)
{
	/*
	 * As an alternate, after the store's own objects: the quarantine holds only what the
	 * push brought, and everything it builds on is in the store. Loose objects and packs
	 * (git keeps a push of more than receive.unpackLimit objects as a pack) are both read,
	 * as the store's own are (pack_odb()).
	 */
	return pack_odb_alternate(s->repo, objdir) < 0 ? store_git_fail("read objects in", objdir) : 0;
}

void
view_close(struct view *v)
{
	if (v == NULL)
		return;
	tcache_free(v->c);
	git_tree_free(v->tree);
	git_commit_free(v->tip);
	free(v);
}

const struct view *
txn_view(struct txn *t)
{
	return &t->v;
}

const struct view *
txn_base_view(struct txn *t)
{
	return &t->base;
}

int
txn_staged_paths(struct txn *t, char ***paths, size_t *n)
{
	*paths = xcalloc(t->nw ? t->nw : 1, sizeof **paths);
	for (size_t i = 0; i < t->nw; i++)
		(*paths)[i] = xstrdup(t->w[i].path);
	*n = t->nw;
	names_sort(*paths, n);
	return 0;
}

int
view_read(const struct view *v, const char *path, char **buf, size_t *len)
{
	if (v->t != NULL)
		return txn_read(v->t, path, buf, len);
	*buf = NULL;
	*len = 0;
	refused = false;
	if (path_check("read", path, false) < 0)
		return -1;
	return tree_read(v, path, buf, len);
}

int
view_list(const struct view *v, const char *dir, char ***names, size_t *n)
{
	size_t cap = 0;

	not_folder = false;
	if (v->t != NULL)
		return txn_list(v->t, dir, names, n);
	*names = NULL;
	*n = 0;
	if (path_check("list", dir, true) < 0)
		return -1;
	if (tree_list(v, dir, names, n, &cap) < 0) {
		store_list_free(*names, *n);
		*names = NULL;
		*n = 0;
		return -1;
	}
	names_sort(*names, n);
	return 0;
}

int
view_list_folder(const struct view *v, const char *dir, char ***names, size_t *n)
{
	char *buf;
	size_t len;
	int r;

	*names = NULL;
	*n = 0;
	if (view_list(v, dir, names, n) == 0)
		return 0;
	/* A folder that cannot be read (a damaged tree) fails with its own error. */
	if (!not_folder)
		return -1;
	r = view_read(v, dir, &buf, &len);
	if (r == 0)
		free(buf);
	if (r == 0 || r == STORE_NOTFOUND) {
		err_clear();
		return 1;
	}
	/* A link, a submodule, a file too large: refused, and err_last() says which. */
	return store_read_refused() ? 1 : -1;
}

/* view_scan() of a change's view, through view_list(), so that its staged writes count. */
static int
scan_listed(const struct view *v, const char *dir, view_scan_fn fn, void *arg)
{
	char **subs, **names;
	size_t ns, nn;
	int r = view_list_folder(v, dir, &subs, &ns);

	if (r < 0)
		return -1;
	for (size_t i = 0; i < ns && r >= 0; i++) {
		char *full = xasprintf("%s/%s", dir, subs[i]);

		r = view_list_folder(v, full, &names, &nn);
		free(full);
		for (size_t j = 0; j < nn && r >= 0; j++)
			if (fn(arg, subs[i], names[j]) < 0)
				r = -1;
		store_list_free(names, nn);
	}
	store_list_free(subs, ns);
	return r < 0 ? -1 : 0;
}

int
view_scan(const struct view *v, const char *dir, view_scan_fn fn, void *arg)
{
	git_tree *t, *sub;
	int rc;

	if (v->t != NULL)
		return scan_listed(v, dir, fn, arg);
	rc = view_tree(v, dir, strlen(dir), &t);
	if (rc == STORE_NOTFOUND || rc == NOTDIR)
		return 0;
	if (rc < 0 || git_tree_dup(&t, t) < 0)
		return store_git_fail("read", dir);
	/* Held by us: looking up the folders below may push it out of the cache. */
	rc = 0;
	for (size_t i = 0; rc == 0 && i < git_tree_entrycount(t); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(t, i);
		const char *name = git_tree_entry_name(e);
		char *full;

		full = xasprintf("%s/%s", dir, name);
		/*
		 * A name git takes and casus never writes (".git", a control character) fails the
		 * scan whatever stands there, as listing and then reading it did before.
		 */
		if (path_check("read", full, false) < 0) {
			free(full);
			rc = -1;
			break;
		}
		if (git_tree_entry_type(e) != GIT_OBJECT_TREE) {
			free(full);
			continue;
		}
		rc = view_tree(v, full, strlen(full), &sub);
		if (rc != 0) {
			if (rc < 0)
				store_git_fail("read", full);
			else
				err_set("cannot read '%s': not a directory", full);
			free(full);
			rc = -1;
			break;
		}
		free(full);
		for (size_t j = 0; rc == 0 && j < git_tree_entrycount(sub); j++)
			rc = fn(arg, name, git_tree_entry_name(git_tree_entry_byindex(sub, j)));
	}
	git_tree_free(t);
	return rc < 0 ? -1 : 0;
}

/* Whether a is b or a directory above it. */
static bool
path_covers(const char *a, const char *b)
{
	size_t n = strlen(a);

	return strncmp(a, b, n) == 0 && (b[n] == '\0' || b[n] == '/');
}

static int stage(struct txn *t, const char *path, const char *data, size_t len);

int
txn_write(struct txn *t, const char *path, const char *data, size_t len)
{
	struct staged *w;

	if (path_check("write", path, false) < 0)
		return -1;
	w = txn_staged(t, path);
	if (w != NULL) {
		free(w->data);
		w->data = xstrndup(len > 0 ? data : "", len);
		w->len = len;
		return 0;
	}
	return stage(t, path, data, len);
}

int
txn_remove(struct txn *t, const char *path)
{
	struct staged *w;
	const git_tree_entry *e;
	int r;

	if (path_check("remove", path, false) < 0)
		return -1;
	w = txn_staged(t, path);
	if (w != NULL && w->data == NULL)
		return STORE_NOTFOUND;
	/* Whether it is in the tip, without reading it (it may be too large to read). */
	r = tree_file(&t->base, path, &e);
	if (r < 0)
		return r;
	if (w != NULL) {
		free(w->data);
		w->data = NULL;
		w->len = 0;
		if (r == STORE_NOTFOUND) {
			/* Written in this change only: forget it, as if it had never been staged. */
			free(w->path);
			*w = t->w[--t->nw];
		}
		return 0;
	}
	if (r == STORE_NOTFOUND)
		return r;
	xgrow((void **)&t->w, &t->wcap, t->nw + 1, sizeof *t->w);
	t->w[t->nw].path = xstrdup(path);
	t->w[t->nw].data = NULL;
	t->w[t->nw].len = 0;
	t->nw++;
	return 0;
}

/* Stages a new path, after checking it fits the tree and the other staged paths. */
static int
stage(struct txn *t, const char *path, const char *data, size_t len)
{
	git_tree_entry *e = NULL;

	/*
	 * An upsert of a blob over a directory would silently drop the whole directory, and a
	 * file where a directory is needed makes the tree build fail late: refuse both now.
	 */
	for (size_t i = 0; i < t->nw; i++) {
		if (path_covers(t->w[i].path, path) || path_covers(path, t->w[i].path)) {
			err_set("cannot write '%s': conflicts with '%s' in the same change",
			    path, t->w[i].path);
			return -1;
		}
	}
	if (t->tree != NULL) {
		char *p = xstrdup(path);

		for (char *slash = p; slash != NULL; slash = strchr(slash + 1, '/')) {
			bool last = *slash != '/';
			git_object_t type;

			if (!last)
				*slash = '\0';
			if (git_tree_entry_bypath(&e, t->tree, p) < 0) {
				if (!last)
					*slash = '/';
				break;          /* from here on the path is new */
			}
			type = git_tree_entry_type(e);
			git_tree_entry_free(e);
			if ((last && type != GIT_OBJECT_BLOB) || (!last && type != GIT_OBJECT_TREE)) {
				err_set("cannot write '%s': '%s' is %s", path, p,
				    last ? "a directory" : "a file");
				free(p);
				return -1;
			}
			if (last)
				break;
			*slash = '/';
		}
		free(p);
	}
	xgrow((void **)&t->w, &t->wcap, t->nw + 1, sizeof *t->w);
	t->w[t->nw].path = xstrdup(path);
	t->w[t->nw].data = xstrndup(len > 0 ? data : "", len);
	t->w[t->nw].len = len;
	t->nw++;
	return 0;
}

void
txn_message(struct txn *t, const char *subject, const char *body)
{
	free(t->subject);
	free(t->body);
	t->subject = quote_line(subject != NULL ? subject : "");
	t->body = quote_body(body);
}

void
txn_trailer(struct txn *t, const char *key, const char *value)
{
	xgrow((void **)&t->tr, &t->trcap, t->ntr + 1, sizeof *t->tr);
	t->tr[t->ntr].key = quote_line(key);
	t->tr[t->ntr].value = quote_line(value);
	t->ntr++;
}

void
txn_author(struct txn *t, const char *name, const char *email)
{
	free(t->name);
	free(t->email);
	t->name = name ? xstrdup(name) : NULL;
	t->email = email ? xstrdup(email) : NULL;
}

bool
txn_touches(const struct txn *t, const char *path)
{
	for (size_t i = 0; i < t->nw; i++)
		if (strcmp(t->w[i].path, path) == 0)
			return true;
	return false;
}

void
store_set_signer(struct store *s, store_sign_fn fn, void *arg)
{
	s->sign = fn;
	s->sign_arg = arg;
}

const char *
txn_author_email(const struct txn *t)
{
	return t->email;
}

const char *
txn_author_name(const struct txn *t)
{
	return t->name;
}

struct store *
txn_store(struct txn *t)
{
	return t->s;
}

static char *
txn_message_text(const struct txn *t)
{
	struct buf b = {0};
	bool program = false;

	buf_printf(&b, "%s\n\n", t->subject);
	if (t->body != NULL)
		buf_printf(&b, "%s\n\n", t->body);
	for (size_t i = 0; i < t->ntr; i++) {
		buf_printf(&b, "%s: %s\n", t->tr[i].key, t->tr[i].value);
		if (strcmp(t->tr[i].key, "Program") == 0)
			program = true;
	}
	if (!program)
		buf_printf(&b, "Program: %s\n", progname);
	return buf_detach(&b);
}

/* txn_commit()'s answer when the branch moved or its lock was held: try again. */
enum { RETRY = -2 };

/*
 * Whether the object id is in the object database, checked after writing it: libgit2 1.5.1's
 * git_commit_create() returns 0 when writing the commit object fails (in
 * git_commit__create_internal, `if (git_odb_write(...) < 0) goto cleanup;` with error still
 * 0), and on a full disk casus then reported a commit that was never stored. The blobs and
 * trees are checked the same way, so that no later version of that mistake goes unnoticed.
 * A loose object appears only by a rename once it is completely written, so its presence
 * means it is whole. what names the object for the message.
 */
static int
object_stored(struct txn *t, git_odb *odb, const git_oid *id, const char *verb,
    const char *what)
{
	const git_error *e = git_error_last();
	/* The reason the write failed; git_odb_exists() sets an error of its own. */
	char *why = xstrdup(e != NULL && e->message != NULL ? e->message
	    : "libgit2 gave no reason");

	if (git_odb_exists(odb, id)) {
		free(why);
		return 0;
	}
	err_set("cannot %s '%s': %s was not stored: %s", verb, t->s->path, what, why);
	free(why);
	return -1;
}

/*
 * Whether a folder was added to the directory that had *a before and has *b now: each
 * subfolder's ".." links to it, so its link count grows. Its times tell nothing here: libgit2
 * writes each object as a temporary file in objects/ before renaming it into objects/xx/.
 * Where directories keep a link count of 1 (btrfs), nothing tells, so the answer is yes.
 */
static bool
dir_grew(const struct stat *a, const struct stat *b)
{
	return a->st_nlink < 2 || a->st_nlink != b->st_nlink;
}

/* fsync(2) of a directory, so that the entries made in it survive a power cut. */
static int
dir_fsync(const char *dir)
{
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	if (fd == -1 || fsync(fd) == -1) {
		err_set("cannot flush '%s' to disk: %s", dir, strerror(errno));
		if (fd != -1)
			close(fd);
		return -1;
	}
	close(fd);
	return 0;
}

/*
 * Turns the staged writes into one commit on the branch, as a compare-and-swap on the tip
 * the txn was read from. Returns STORE_COMMITTED (*out is the commit), STORE_UNCHANGED,
 * RETRY with *why GIT_EMODIFIED or GIT_ELOCKED, or -1.
 *
 * The commit is written first and the branch moved to it after, by ourselves rather than by
 * git_commit_create(), so that between the two we can check that every object is stored and
 * make the objects folder durable; the branch never points at anything that may be lost.
 */
static int
txn_commit(struct txn *t, git_oid *out, int *why)
{
	git_repository *repo = t->s->repo;
	char *objects = NULL;
	git_tree_update *u;
	git_oid tree_oid, now;
	git_tree *tree = NULL;
	git_signature *sig = NULL;
	git_reference *ref = NULL;
	git_odb *odb = NULL;
	const git_commit *parents[1] = { t->tip };
	struct stat before, after;
	bool have_before;
	char *msg = NULL, *log = NULL, *armored = NULL;
	git_buf content = GIT_BUF_INIT;
	const char *whyident;
	int rc, ret = -1;

	if (t->nw == 0)
		return STORE_UNCHANGED;
	/*
	 * The author is the change's to set (the key decides who writes, change.c), checked
	 * before any object is written: libgit2 1.5.1 writes a newline in a name into the commit
	 * as it is, which makes a commit with an injected header.
	 */
	if (t->name == NULL || t->email == NULL) {
		err_set("cannot commit to '%s': the change has no author", t->s->path);
		return -1;
	}
	if ((whyident = store_ident_check(t->name, t->email)) != NULL) {
		err_set("cannot commit to '%s': %s", t->s->path, whyident);
		return -1;
	}
	if (t->s->sign == NULL) {
		err_set("cannot commit to '%s': no key to sign the commit with", t->s->path);
		return -1;
	}
	u = xcalloc(t->nw, sizeof *u);
	if (git_repository_odb(&odb, repo) < 0) {
		store_git_fail("write to", t->s->path);
		goto out;
	}
	objects = xasprintf("%sobjects", git_repository_path(repo));
	have_before = stat(objects, &before) == 0;
	git_error_clear();
	/* Blobs are written only now, so a refused change leaves nothing behind. */
	for (size_t i = 0; i < t->nw; i++) {
		u[i].path = t->w[i].path;
		if (t->w[i].data == NULL) {
			u[i].action = GIT_TREE_UPDATE_REMOVE;
			continue;
		}
		if (git_blob_create_from_buffer(&u[i].id, repo, t->w[i].data, t->w[i].len) < 0) {
			store_git_fail("write", t->w[i].path);
			goto out;
		}
		if (object_stored(t, odb, &u[i].id, "write to", t->w[i].path) < 0)
			goto out;
		u[i].action = GIT_TREE_UPDATE_UPSERT;
		u[i].filemode = GIT_FILEMODE_BLOB;
		u[i].path = t->w[i].path;
	}
	if (git_tree_create_updated(&tree_oid, repo, t->tree, t->nw, u) < 0) {
		store_git_fail("write tree in", t->s->path);
		goto out;
	}
	if (t->tree != NULL && git_oid_equal(&tree_oid, git_tree_id(t->tree))) {
		ret = STORE_UNCHANGED;
		goto out;
	}
	if (object_stored(t, odb, &tree_oid, "write tree in", "the tree") < 0)
		goto out;
	if (t->subject == NULL || *t->subject == '\0') {
		err_set("cannot commit to '%s': the change has no message", t->s->path);
		goto out;
	}
	if (git_tree_lookup(&tree, repo, &tree_oid) < 0) {
		store_git_fail("write tree in", t->s->path);
		goto out;
	}
	if (git_signature_now(&sig, t->name, t->email) < 0) {
		store_git_fail("use identity", t->email);
		goto out;
	}
	msg = txn_message_text(t);
	/*
	 * Every commit is signed (R2: whoever wrote it can be shown, by plain git, not just
	 * claimed in an author line). The commit is built as a buffer, signed over exactly those
	 * bytes, which is what git verifies a gpgsig header against, and written with the
	 * signature; libgit2 1.5.1 adds the header's final newline itself. A signature (SHA-512
	 * of the content, then Ed25519) took 0.03-0.04 ms for 400 bytes against 2.2-5.3 ms for a
	 * whole commit without fsync, 3 runs of build/tests/store-test, lines "# signing cost"
	 * and "# fsync cost": about 1%, not worth a way to turn it off.
	 */
	git_error_clear();
	rc = git_commit_create_buffer(&content, repo, sig, sig, NULL, msg, tree,
	    t->tip != NULL ? 1 : 0, parents);
	if (rc < 0) {
		store_git_fail("commit to", t->s->path);
		goto out;
	}
	if (t->s->sign(t->s->sign_arg, content.ptr, content.size, &armored) < 0)
		goto out;
	git_error_clear();
	rc = git_commit_create_with_signature(out, repo, content.ptr, armored, "gpgsig");
	if (rc < 0) {
		store_git_fail("commit to", t->s->path);
		goto out;
	}
	if (object_stored(t, odb, out, "commit to", "the commit") < 0)
		goto out;
	/*
	 * libgit2 fsyncs each new object and the objects/xx folder it lands in, but not objects/
	 * when that folder is new: after a power cut objects/xx could be gone with the objects in
	 * it while the branch points at them. So objects/ is flushed when a fan-out folder was
	 * added to it, before the branch moves; once a store has a few thousand objects all 256
	 * exist and that is rare.
	 */
	if (t->s->fsync && (!have_before || stat(objects, &after) == -1 ||
	    dir_grew(&before, &after)) && dir_fsync(objects) < 0)
		goto out;
	/* As git does, though a bare store keeps no reflog unless core.logAllRefUpdates says so. */
	log = xasprintf("commit%s: %s", t->tip != NULL ? "" : " (initial)", t->subject);
	if (t->tip != NULL) {
		/* A compare-and-swap under the ref lock, as git_commit_create() would have done. */
		rc = git_reference_create_matching(&ref, repo, BRANCH, out, 1,
		    git_commit_id(t->tip), log);
	} else {
		/* Not forced: a branch someone else created meanwhile is not overwritten. */
		rc = git_reference_create(&ref, repo, BRANCH, out, 0, log);
		if (rc == GIT_EEXISTS)
			rc = GIT_EMODIFIED;
	}
	if (rc == GIT_EMODIFIED || rc == GIT_ELOCKED) {
		*why = rc;
		ret = RETRY;
		goto out;
	}
	if (rc < 0) {
		store_git_fail("commit to", t->s->path);
		goto out;
	}
	/*
	 * Read the branch back from the disk. It is our commit, or one that a git push made on
	 * top of it in the meantime; anything else means ours is not on the branch.
	 */
	if (git_reference_name_to_id(&now, repo, BRANCH) < 0) {
		store_git_fail("commit to", t->s->path);
		goto out;
	}
	if (!git_oid_equal(&now, out) && git_graph_descendant_of(repo, &now, out) != 1) {
		err_set("cannot commit to '%s': %s does not hold the new commit after writing it",
		    t->s->path, BRANCH);
		goto out;
	}
	ret = STORE_COMMITTED;
out:
	free(log);
	free(msg);
	free(armored);
	git_buf_dispose(&content);
	free(objects);
	git_odb_free(odb);
	git_reference_free(ref);
	git_signature_free(sig);
	git_tree_free(tree);
	free(u);
	return ret;
}

/* A pause before the next try: grows from 1 ms to 64 ms, with jitter so writers spread. */
static void
backoff(unsigned attempt)
{
	static unsigned seed;
	long long ns = 1000000LL << (attempt < 6 ? attempt : 6);

	if (seed == 0)
		seed = (unsigned)getpid() ^ (unsigned)clock_ns();
	seed = seed * 1103515245u + 12345u;
	sleep_ns(ns / 2 + (long long)(seed >> 8) % (ns / 2 + 1));
}

/*
 * Whether the store's tip holds the settings, as every casus store's does: true, or false
 * with err_set() (the message a change gets that finds no settings).
 */
static bool
store_is_casus(struct store *s)
{
	const git_tree_entry *e;
	struct view *v;
	int r;

	if (store_view(s, &v) < 0)
		return false;
	r = tree_file(v, SETTINGS, &e);
	view_close(v);
	if (r == STORE_NOTFOUND)
		err_set("cannot read '%s': the store has no settings (was it made with case-init?)",
		    SETTINGS);
	return r == 0;
}

/*
 * Takes casus.lock, which every casus writer holds for the whole of a change. Waits (polling,
 * so that a hung writer turns into an error rather than a hang) up to 3 × WAIT_NS.
 * Returns the descriptor (closing it releases the lock) or -1.
 */
static int
lock_take(struct store *s)
{
	char *path = xasprintf("%s%s", git_repository_path(s->repo), LOCKFILE);
	long long deadline = clock_ns() + 3 * WAIT_NS;
	unsigned attempt = 0;
	int fd;

	fd = open(path, O_RDWR | O_CLOEXEC);
	if (fd == -1 && errno == ENOENT) {
		/*
		 * store_create() makes the lock, so only a store cloned with plain git lacks one.
		 * A repository that is not a casus store at all is not written to, not even the
		 * lock file: the change would be refused, and nothing may be left behind.
		 */
		if (!store_is_casus(s)) {
			free(path);
			return -1;
		}
		fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0660);
	}
	if (fd == -1) {
		err_set("cannot open '%s': %s", path, strerror(errno));
		free(path);
		return -1;
	}
	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			break;
		if (errno == EINTR)
			continue;
		if (errno != EWOULDBLOCK) {
			err_set("cannot lock '%s': %s", path, strerror(errno));
		} else if (clock_ns() > deadline) {
			err_set("cannot lock '%s': another casus program has been writing for %lld s",
			    path, 3 * WAIT_NS / 1000000000LL);
		} else {
			backoff(attempt < 4 ? attempt++ : attempt);
			continue;
		}
		close(fd);
		fd = -1;
		break;
	}
	free(path);
	return fd;
}

/*
 * Removes refs/heads/main.lock if it is stale. libgit2 takes that lock with O_EXCL for the
 * few milliseconds of a ref update and never removes one left by a writer that was killed,
 * after which every commit fails. We are called only while holding casus.lock, so no casus
 * writer can be holding the ref lock; one that has not changed for STALE_LOCK_S seconds
 * belongs to a dead process, and one younger is never removed.
 *
 * What it costs: a non-casus writer (git push or git update-ref into the store) does not
 * take casus.lock. If one of them held the ref lock for longer than STALE_LOCK_S, which git
 * never does in normal operation (it holds it for one write and rename, and waits for a
 * held lock at most core.filesRefLockTimeout, 100 ms by default), removing it could let both
 * updates through and one of the two commits would drop off the branch (its objects stay in
 * the repository). Between the stat() and the unlink() the same can happen if that writer
 * replaces the lock in that instant. Against a writer that died, the only other way out is a
 * person deleting the file by hand.
 */
static void
ref_lock_clear_stale(struct store *s)
{
	char *path = xasprintf("%s%s.lock", git_repository_path(s->repo), BRANCH);
	struct timespec now;
	struct stat st;
	long long age;

	/*
	 * In nanoseconds: whole seconds made a lock 1.01 s old look 2 s old. The kernel stamps
	 * a file from a clock that lags CLOCK_REALTIME by up to one tick (10 ms at HZ=100), so
	 * a lock looks up to that much older than it is: the margin keeps the rule exact. A
	 * lock dated in the future (the clock was set back) is not stale.
	 */
	if (stat(path, &st) == 0 && clock_gettime(CLOCK_REALTIME, &now) == 0) {
		age = ((long long)now.tv_sec - st.st_mtim.tv_sec) * 1000000000LL +
		    (now.tv_nsec - st.st_mtim.tv_nsec);
		if (age >= STALE_LOCK_S * 1000000000LL + CLOCK_TICK_NS)
			unlink(path);
	}
	free(path);
}

int
store_change(struct store *s, store_fn fn, void *arg)
{
	return store_change_then(s, fn, arg, NULL);
}

int
store_change_then(struct store *s, store_fn fn, void *arg, int (*after)(struct store *s,
    void *arg))
{
	long long deadline;
	unsigned attempt = 0;
	git_oid oid;
	int fd, rc, why = 0;

	fd = lock_take(s);
	if (fd == -1)
		return -1;
	deadline = clock_ns() + WAIT_NS;
	for (;;) {
		struct txn *t = txn_new(s);

		if (t == NULL) {
			rc = -1;
			break;
		}
		rc = fn(t, arg);
		if (rc == 0) {
			rc = txn_commit(t, &oid, &why);
		} else if (rc != STORE_REFUSED && rc != -1) {
			err_set("cannot change '%s': the change returned %d", s->path, rc);
			rc = -1;
		}
		txn_free(t);
		if (rc != RETRY)
			break;
		if (why == GIT_ELOCKED)
			ref_lock_clear_stale(s);
		if (clock_ns() > deadline) {
			if (why == GIT_ELOCKED)
				err_set("cannot commit to '%s': %s is locked by another program "
				    "(%s.lock)", s->path, BRANCH, BRANCH);
			else
				err_set("cannot commit to '%s': %s kept moving under us for %lld s",
				    s->path, BRANCH, WAIT_NS / 1000000000LL);
			rc = -1;
			break;
		}
		backoff(attempt++);
	}
	if (rc == STORE_COMMITTED)
		git_oid_tostr(s->last, sizeof s->last, &oid);
	if (rc == STORE_COMMITTED && after != NULL && after(s, arg) < 0)
		rc = -1;
	close(fd);
	return rc;
}
