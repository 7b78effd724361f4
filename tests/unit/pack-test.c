/*
 * pack-test.c: pack.c's reading of packs, held against libgit2's own: every object of packs
 * that git wrote (deltas on deltas, by offset and by ID), read both ways and compared byte for
 * byte; prefixes, a pack added while open, the store's choice of database; and damaged packs,
 * which must fail with an error naming the pack, never crash or read outside a buffer (run
 * under make check's sanitizers too); offsets past 2 and 4 GiB, in a sparse pack. The same
 * again with the packs mapped (pack_map()).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <git2.h>
#include <git2/sys/odb_backend.h>
#include <zlib.h>

#include "mem.h"
#include "msg.h"
#include "loose.h"
#include "pack.h"
#include "store.h"
#include "tap.h"
#include "scratch.h"

/*
 * A fast-import stream of n commits, each writing one of the case files below, whose texts
 * differ in a line or two: git stores most of them as deltas on one another.
 */
static void
write_stream(const char *path, int n, int from)
{
	FILE *f = fopen(path, "w");

	for (int i = from; i < from + n; i++) {
		char body[2048];
		int len = snprintf(body, sizeof body,
		    "case_id: CASE-%06d\ninstitution: Prison %c\nstatus: open\n"
		    "domains:\n  mental_health:\n    status: %s\n    partner: %s\n"
		    "  education_employment:\n    status: active\n    partner: welfare\n"
		    "dates:\n  detention_start: 20%02d-%02d-%02d\n  leave_eligible: 2027-%02d-01\n%s",
		    i % 97, 'A' + i % 6, i % 3 ? "active" : "to-assess", i % 2 ? "prison" : "justice",
		    10 + i % 15, 1 + i % 12, 1 + i % 28, 1 + i % 12,
		    i % 5 ? "notes: none\n" : "");

		fprintf(f, "commit refs/heads/main\ncommitter T <t@example.org> %d +0000\n"
		    "data 4\nedit\n", 1700000000 + i);
		if (i == from && from > 0)
			fprintf(f, "from refs/heads/main^0\n");
		fprintf(f, "M 100644 inline cases/%02x/CASE-%06d/plan.yaml\ndata %d\n%s\n",
		    (i % 97) & 0xff, i % 97, len, body);
	}
	fclose(f);
}

/* A bare repository at dir of n commits, packed by git with options opts. */
static void
make_repo(const char *dir, int n, const char *opts)
{
	char *stream = sub("stream");

	write_stream(stream, n, 0);
	sh("git init -q --bare '%s' && git --git-dir='%s' fast-import --quiet <'%s' && "
	    "git --git-dir='%s' %s repack -a -d -f -q --depth=50 --window=50", dir, dir, stream, dir, opts);
	free(stream);
}

/* Whether ours() reads the packs through mappings (pack_map()). */
static bool mapped;

/* A database of pack.c's backend alone, over dir/objects/pack. */
static git_odb *
ours(const char *dir)
{
	char *objects = xasprintf("%s/objects", dir);
	git_odb_backend *b;
	git_odb *odb = NULL;

	if (pack_backend(&b, objects) == 0) {
		git_odb_new(&odb);
		git_odb_add_backend(odb, b, 2);
	}
	if (odb && mapped) {
		git_repository *repo = NULL;

		if (git_repository_wrap_odb(&repo, odb) < 0 || pack_map(repo) < 0) {
			git_odb_free(odb);
			odb = NULL;
		}
		git_repository_free(repo);
	}
	free(objects);
	return odb;
}

struct ids {
	git_oid *v;
	size_t n, cap;
};

static int
id_add(const git_oid *id, void *arg)
{
	struct ids *ids = arg;

	xgrow((void **)&ids->v, &ids->cap, ids->n + 1, sizeof *ids->v);
	ids->v[ids->n++] = *id;
	return 0;
}

/* Every object of dir, by libgit2's own database. */
static void
all_ids(const char *dir, struct ids *ids)
{
	char *objects = xasprintf("%s/objects", dir);
	git_odb *odb;

	*ids = (struct ids){0};
	if (git_odb_open(&odb, objects) == 0) {
		git_odb_foreach(odb, id_add, ids);
		git_odb_free(odb);
	}
	free(objects);
}

/* Objects of dir's packs stored as deltas, and the longest chain, from git verify-pack. */
static void
deltas(const char *dir, long *n, long *longest)
{
	char *s = sh_out("git verify-pack -v '%s'/objects/pack/*.idx | "
	    "awk 'NF == 7 { n++; if ($6 > m) m = $6 } END { print n + 0, m + 0 }'", dir);

	*n = *longest = 0;
	sscanf(s, "%ld %ld", n, longest);
	free(s);
}

/* Every object of dir read through both databases: how many differ, or fail. */
static size_t
compare_all(const char *dir, git_odb *odb, const struct ids *ids)
{
	char *objects = xasprintf("%s/objects", dir);
	git_odb *native;
	size_t bad = 0;

	git_odb_open(&native, objects);
	for (size_t i = 0; i < ids->n; i++) {
		git_odb_object *a = NULL, *b = NULL;
		size_t len;
		git_object_t type;

		if (git_odb_read(&a, native, &ids->v[i]) < 0 || git_odb_read(&b, odb, &ids->v[i]) < 0 ||
		    git_odb_object_type(a) != git_odb_object_type(b) ||
		    git_odb_object_size(a) != git_odb_object_size(b) ||
		    memcmp(git_odb_object_data(a), git_odb_object_data(b), git_odb_object_size(a)) != 0 ||
		    git_odb_read_header(&len, &type, odb, &ids->v[i]) < 0 || len != git_odb_object_size(a) ||
		    type != git_odb_object_type(a) || !git_odb_exists(odb, &ids->v[i]))
			bad++;
		git_odb_object_free(a);
		git_odb_object_free(b);
	}
	git_odb_free(native);
	free(objects);
	return bad;
}

/* Whether this process has a pack of dir mapped, as /proc/self/maps lists it. */
static bool
pack_mapped(const char *dir)
{
	char *s = sh_out("grep -c '%s/objects/pack/pack-.*\\.pack$' /proc/%ld/maps || true", dir,
	    (long)getpid());
	bool yes = atoi(s) > 0;

	free(s);
	return yes;
}

/* pack_map(): the same database reads the pack through a mapping, and reads the same. */
static void
test_mapped(const char *dir)
{
	struct ids ids;
	git_odb *odb;
	bool before, after;

	all_ids(dir, &ids);
	mapped = false;
	odb = ours(dir);
	before = odb && pack_mapped(dir);
	git_odb_free(odb);
	mapped = true;
	odb = ours(dir);
	after = odb && pack_mapped(dir);
	check(!before && after, "pack_map() has the pack read through a mapping (before: %s)",
	    before ? "mapped already" : "read with pread()");
	check(odb != NULL && compare_all(dir, odb, &ids) == 0,
	    "mapped: every object reads the same through pack.c as through libgit2");
	git_odb_free(odb);
	check(!pack_mapped(dir), "the mapping goes with the last database that reads through it");
	free(ids.v);
}

static void
test_same(const char *name, const char *dir)
{
	struct ids ids;
	git_odb *odb = ours(dir);
	long nd, longest;
	git_oid none;

	all_ids(dir, &ids);
	deltas(dir, &nd, &longest);
	check(ids.n > 600 && nd > 300 && longest >= 10,
	    "%s: git packed %zu objects, %ld as deltas, chains up to %ld long", name, ids.n, nd, longest);
	check(odb != NULL && compare_all(dir, odb, &ids) == 0,
	    "%s: every object reads the same through pack.c as through libgit2", name);
	/* Read again: now from pack.c's cache and its memory of where each object is. */
	check(odb != NULL && compare_all(dir, odb, &ids) == 0, "%s: and again, the same", name);
	git_oid_fromstr(&none, "0123456789abcdef0123456789abcdef01234567");
	check(odb != NULL && !git_odb_exists(odb, &none), "%s: an object no pack has does not exist", name);
	git_odb_free(odb);
	free(ids.v);
}

/*
 * More objects than pack.c's cache holds (4 MB): 160 files of 40,000 bytes, as unlike one
 * another as rand_r() makes them. Every one reads the same, and the cache, full, evicting and
 * turning objects away, is freed with its database: under make check's sanitizers a slot left
 * pointing at memory already freed is a double free (cache_put() left one so, until this
 * check was written).
 */
static void
test_cache_full(void)
{
	char *dir = sub("big.git"), *stream = sub("big-stream");
	FILE *f = fopen(stream, "w");
	unsigned seed = 11;
	struct ids ids;
	git_odb *odb;

	fprintf(f, "commit refs/heads/main\ncommitter T <t@example.org> 1700000000 +0000\n"
	    "data 4\nbig\n");
	for (int i = 0; i < 160; i++) {
		fprintf(f, "M 100644 inline cases/%02x/CASE-%06d/notes.txt\ndata 40000\n", i, i);
		for (int k = 0; k < 40000; k++)
			putc('a' + rand_r(&seed) % 26, f);
		putc('\n', f);
	}
	fclose(f);
	sh("git init -q --bare '%s' && git --git-dir='%s' fast-import --quiet <'%s' && "
	    "git --git-dir='%s' repack -a -d -q", dir, dir, stream, dir);
	all_ids(dir, &ids);
	odb = ours(dir);
	check(ids.n > 160 && odb != NULL && compare_all(dir, odb, &ids) == 0 &&
	    compare_all(dir, odb, &ids) == 0,
	    "more objects than the cache holds read the same, twice (its freeing: make check)");
	git_odb_free(odb);
	free(ids.v);
	free(stream);
	free(dir);
}

/*
 * Where the process has no thread key left for pack.c to keep an inflater by, each object is
 * inflated by one of its own: in a child that takes every key first, before pack.c's first read.
 */
static void
test_keyless(const char *dir)
{
	pid_t pid = fork();
	int status = -1;

	if (pid == 0) {
		pthread_key_t k;
		struct ids ids;
		git_odb *odb;
		int n = 0;

		while (pthread_key_create(&k, NULL) == 0)
			n++;
		all_ids(dir, &ids);
		odb = ours(dir);
		_exit(n > 0 && ids.n > 0 && odb && compare_all(dir, odb, &ids) == 0 ? 0 : 1);
	}
	if (pid > 0)
		waitpid(pid, &status, 0);
	check(pid > 0 && WIFEXITED(status) && WEXITSTATUS(status) == 0,
	    "with no thread key left, every object still reads the same");
}

/* Prefixes: unique ones read their object, shared ones are ambiguous, others not found. */
static void
test_prefix(const char *dir)
{
	struct ids ids;
	git_odb *odb = ours(dir);
	size_t unique_ok = 0, tried = 0;
	int amb = -1, missing;
	git_oid out, key;

	all_ids(dir, &ids);
	for (size_t i = 0; odb && i < ids.n; i += 7) {
		git_odb_object *o = NULL;

		tried++;
		if (git_odb_read_prefix(&o, odb, &ids.v[i], 12) == 0 &&
		    git_oid_equal(git_odb_object_id(o), &ids.v[i]) &&
		    git_odb_exists_prefix(&out, odb, &ids.v[i], 11) == 0 && git_oid_equal(&out, &ids.v[i]))
			unique_ok++;
		git_odb_object_free(o);
	}
	check(tried > 0 && unique_ok == tried, "prefixes of 11 and 12 digits find their objects (%zu of %zu)",
	    unique_ok, tried);
	/* Two objects whose IDs begin with the same 4 digits: the prefix is ambiguous. */
	for (size_t i = 0; odb && i < ids.n && amb < 0; i++)
		for (size_t j = i + 1; j < ids.n && amb < 0; j++)
			if (git_oid_ncmp(&ids.v[i], &ids.v[j], 4) == 0) {
				memset(&key, 0, sizeof key);
				memcpy(key.id, ids.v[i].id, 2);
				amb = git_odb_exists_prefix(&out, odb, &key, 4);
			}
	check(amb == GIT_EAMBIGUOUS, "a prefix two objects share is ambiguous");
	/* A prefix that no object has: its last ID + 1 at the 11th digit is none. */
	memset(&key, 0xff, sizeof key);
	memset(key.id + 5, 0, sizeof key.id - 5);
	missing = odb ? git_odb_exists_prefix(&out, odb, &key, 10) : 0;
	for (size_t i = 0; i < ids.n; i++)
		if (git_oid_ncmp(&ids.v[i], &key, 10) == 0)
			missing = 0;     /* a store that does have it: nothing to say */
	check(missing == GIT_ENOTFOUND || missing == 0, "a prefix no object has is not found");
	git_odb_free(odb);
	free(ids.v);
}

/* A pack written while the database is open is found: libgit2 asks pack.c to look again. */
static void
test_refresh(const char *dir)
{
	char *stream = sub("stream2");
	git_odb *odb = ours(dir);
	struct ids before, after;
	size_t found = 0, fresh = 0;

	all_ids(dir, &before);
	write_stream(stream, 40, 1000);
	/* fast-import writes a pack of its own beside the one that is there. */
	sh("git --git-dir='%s' fast-import --quiet <'%s'", dir, stream);
	all_ids(dir, &after);
	for (size_t i = 0; odb && i < after.n; i++) {
		bool old = false;
		git_odb_object *o = NULL;

		for (size_t j = 0; j < before.n && !old; j++)
			old = git_oid_equal(&before.v[j], &after.v[i]);
		if (old)
			continue;
		fresh++;
		if (git_odb_read(&o, odb, &after.v[i]) == 0)
			found++;
		git_odb_object_free(o);
	}
	check(fresh > 40 && found == fresh, "objects of a pack added while open are read (%zu of %zu)",
	    found, fresh);
	git_odb_free(odb);
	free(before.v);
	free(after.v);
	free(stream);
}

/* store_open() reads packs through pack.c, and libgit2's loose objects and writes still work. */
static void
test_store(const char *dir)
{
	struct store *s = NULL;
	git_odb *odb = NULL;
	git_oid id;
	git_odb_object *o = NULL;
	struct ids ids;

	all_ids(dir, &ids);
	check(store_open(&s, dir) == 0 && git_repository_odb(&odb, store_git(s)) == 0 &&
	    git_odb_num_backends(odb) == 2, "a store's database is libgit2's loose objects and pack.c");
	check(odb && git_odb_write(&id, odb, "loose\n", 6, GIT_OBJECT_BLOB) == 0 &&
	    git_odb_read(&o, odb, &id) == 0 && git_odb_object_size(o) == 6,
	    "an object written is loose, and read back");
	git_odb_object_free(o);
	o = NULL;
	check(odb && ids.n > 0 && git_odb_read(&o, odb, &ids.v[ids.n / 2]) == 0,
	    "a packed object of the store is read");
	git_odb_object_free(o);
	git_odb_free(odb);
	store_close(s);
	free(ids.v);
}

/* The pack's files, copied to a fresh folder dmg/objects/pack, as pack and idx. */
static void
copy_pack(const char *dir, char **pack, char **idx)
{
	char *d = sub("dmg");

	sh("rm -rf '%s' && mkdir -p '%s/objects/pack' && cp '%s'/objects/pack/*.pack '%s'/objects/pack/*.idx "
	    "'%s/objects/pack/' && chmod u+w '%s'/objects/pack/*", d, d, dir, dir, d, d);
	*pack = sh_out("ls '%s'/objects/pack/*.pack", d);
	*idx = sh_out("ls '%s'/objects/pack/*.idx", d);
	free(d);
}

/* Overwrites len bytes of file at off (negative: from its end) with byte b. */
static void
smash(const char *file, long off, size_t len, int b)
{
	int fd = open(file, O_WRONLY);
	unsigned char buf[8192];
	off_t at = off >= 0 ? off : lseek(fd, 0, SEEK_END) + off;

	memset(buf, b, sizeof buf);
	if (fd >= 0 && pwrite(fd, buf, len < sizeof buf ? len : sizeof buf, at) < 0)
		perror(file);
	if (fd >= 0)
		close(fd);
}

/* Reads every object of ids through pack.c's database of dmg: how many failed, with an error. */
static size_t
read_all(const struct ids *ids, bool *said)
{
	char *d = sub("dmg");
	git_odb *odb = ours(d);
	size_t failed = 0;

	*said = true;
	for (size_t i = 0; odb && i < ids->n; i++) {
		git_odb_object *o = NULL;
		int r = git_odb_read(&o, odb, &ids->v[i]);

		if (r < 0) {
			const git_error *e = git_error_last();

			failed++;
			if (r != GIT_ENOTFOUND && (e == NULL || e->message == NULL ||
			    (strstr(e->message, "damaged") == NULL && strstr(e->message, "inflate") == NULL)))
				*said = false;
		}
		git_odb_object_free(o);
	}
	git_odb_free(odb);
	free(d);
	return failed;
}

static void
test_damage(const char *dir)
{
	struct ids ids;
	char *pack, *idx, *d = sub("dmg");
	git_odb_backend *b = NULL;
	bool said;
	size_t failed;
	unsigned seed = 7;
	int crashed = 0, r;
	char *objects = xasprintf("%s/objects", d);

	all_ids(dir, &ids);

	copy_pack(dir, &pack, &idx);
	if (truncate(idx, 600) < 0)
		perror(idx);
	check(pack_backend(&b, objects) < 0 && strstr(err_last(), "damaged") != NULL,
	    "a cut-off .idx is a damaged pack");
	free(pack);
	free(idx);

	copy_pack(dir, &pack, &idx);
	unlink(pack);
	failed = read_all(&ids, &said);
	check(failed == ids.n && said, "an .idx whose pack is gone (git gc unlinks the pack first) is "
	    "passed over: no object found, no error");
	free(pack);
	free(idx);

	/* FIFOs in place of either file: opened without waiting for a writer (the alarm). */
	for (int which = 0; which < 2; which++) {
		copy_pack(dir, &pack, &idx);
		sh("rm '%s' && mkfifo '%s'", which ? pack : idx, which ? pack : idx);
		alarm(20);
		r = pack_backend(&b, objects);
		alarm(0);
		check(r < 0 && strstr(err_last(), "not a file") != NULL, "a FIFO in place of a pack's "
		    "%s is an error, at once (%s)", which ? "data" : ".idx", err_last());
		sh("rm -f '%s' '%s'", pack, idx);
		free(pack);
		free(idx);
	}

	copy_pack(dir, &pack, &idx);
	smash(idx, 8 + 4 * 10, 4, 0xff);       /* fan-out entry 10 above all after it */
	check(pack_backend(&b, objects) < 0 && strstr(err_last(), "fan-out") != NULL,
	    "an .idx whose fan-out goes down is a damaged pack");
	free(pack);
	free(idx);

	copy_pack(dir, &pack, &idx);
	smash(pack, 8, 4, 0);                   /* the pack says it has no object */
	check(pack_backend(&b, objects) < 0 && strstr(err_last(), "header") != NULL,
	    "a pack whose header does not match its .idx is damaged");
	free(pack);
	free(idx);

	copy_pack(dir, &pack, &idx);
	/* Offsets of the .idx: after IDs (20 bytes) and CRCs (4) of each object. */
	smash(idx, 8 + 1024 + (long)ids.n * 24 + 4 * 3, 4, 0x7f);
	failed = read_all(&ids, &said);
	check(failed >= 1 && said, "an offset outside the pack fails its object with an error (%zu)", failed);
	free(pack);
	free(idx);

	copy_pack(dir, &pack, &idx);
	{
		struct stat st;

		stat(pack, &st);
		smash(pack, st.st_size / 2, 4096, 0xa5);
	}
	failed = read_all(&ids, &said);
	check(failed >= 1 && said, "a pack overwritten in its middle fails the objects there with an "
	    "error (%zu), and no crash", failed);
	free(pack);
	free(idx);

	/* Single bytes changed at random, 60 times: every read ends, with its object or an error. */
	for (int round = 0; round < 60; round++) {
		struct stat st;
		bool ok;

		copy_pack(dir, &pack, &idx);
		stat(pack, &st);
		for (int k = 0; k < 8; k++)
			smash(pack, 12 + (long)(rand_r(&seed) % (unsigned)(st.st_size - 32)), 1, rand_r(&seed) & 0xff);
		read_all(&ids, &ok);
		if (!ok)
			crashed++;
		free(pack);
		free(idx);
	}
	check(crashed == 0, "60 packs with bytes changed at random: every failed read said why");
	free(objects);
	free(d);
	free(ids.v);
}

/*
 * Offsets past 2 and 4 GiB. An .idx keeps an offset of 2 GiB or more in a table of 8-byte
 * offsets, which a store meets once its pack has grown that big. This pack is written here,
 * sparse, so that its objects lie far apart while the file takes a few KB of disk: A at the
 * start; B just past 2 GiB; past 4 GiB, C a delta of A by offset (4 GiB back), D a delta of B
 * by ID, and E a delta of B by offset. Its closing hash is not the hash of its bytes, which
 * would mean reading 4 GiB of zeros: nothing that reads a pack by its .idx checks it.
 */
#define FAR_N 5

struct far {
	git_oid id;
	uint64_t off;
	unsigned char *text;            /* the blob */
	size_t len;
	unsigned char *entry;           /* as stored: header, base, deflated data */
	size_t elen;
	uint32_t crc;
};

/* A pack entry's header, of type and inflated size: its length. */
static size_t
far_head(unsigned char *out, int type, size_t size)
{
	size_t n = 0;

	out[0] = (unsigned char)(type << 4 | (size & 15));
	for (size >>= 4; size; size >>= 7) {
		out[n++] |= 0x80;
		out[n] = size & 0x7f;
	}
	return n + 1;
}

/* A size as a delta's header has it, 7 bits a byte from the lowest: its length. */
static size_t
far_varint(unsigned char *out, size_t v)
{
	size_t n = 0;

	for (; v >= 0x80; v >>= 7)
		out[n++] = (unsigned char)(0x80 | (v & 0x7f));
	out[n++] = (unsigned char)v;
	return n;
}

/* How far back an offset delta's base lies, as git writes it: its length. */
static size_t
far_back(unsigned char *out, uint64_t dist)
{
	unsigned char t[16];
	size_t at = sizeof t - 1;

	t[at] = dist & 0x7f;
	while (dist >>= 7)
		t[--at] = (unsigned char)(0x80 | (--dist & 0x7f));
	memcpy(out, t + at, sizeof t - at);
	return sizeof t - at;
}

/* Object i: its text, and its entry, whole (base NULL) or a delta on base (by ID or offset). */
static void
far_make(struct far *o, const struct far *base, bool by_id, const char *tail)
{
	unsigned char raw[4096], head[64];
	size_t copy = base ? base->len - 7 : 0, rlen = 0, hlen;
	uLongf zlen;
	unsigned char *z;

	if (base) {
		o->len = copy + strlen(tail);
		o->text = xmalloc(o->len);
		memcpy(o->text, base->text, copy);
		memcpy(o->text + copy, tail, strlen(tail));
		rlen = far_varint(raw, base->len);
		rlen += far_varint(raw + rlen, o->len);
		raw[rlen++] = 0x80 | 0x10 | 0x20;       /* copy, from offset 0, two bytes of size */
		raw[rlen++] = copy & 0xff;
		raw[rlen++] = (unsigned char)(copy >> 8);
		raw[rlen++] = (unsigned char)strlen(tail);  /* insert */
		memcpy(raw + rlen, tail, strlen(tail));
		rlen += strlen(tail);
	} else {
		o->text = (unsigned char *)xstrdup(tail);
		o->len = strlen(tail);
		memcpy(raw, o->text, o->len);
		rlen = o->len;
	}
	git_odb_hash(&o->id, o->text, o->len, GIT_OBJECT_BLOB);
	hlen = far_head(head, base == NULL ? 3 : by_id ? 7 : 6, rlen);
	if (base && by_id) {
		memcpy(head + hlen, base->id.id, 20);
		hlen += 20;
	} else if (base) {
		hlen += far_back(head + hlen, o->off - base->off);
	}
	zlen = compressBound(rlen);
	z = xmalloc(zlen);
	compress2(z, &zlen, raw, rlen, Z_BEST_COMPRESSION);
	o->elen = hlen + zlen;
	o->entry = xmalloc(o->elen);
	memcpy(o->entry, head, hlen);
	memcpy(o->entry + hlen, z, zlen);
	o->crc = (uint32_t)crc32(0, o->entry, (uInt)o->elen);
	free(z);
}

static void
put32(unsigned char *b, uint32_t v)
{
	b[0] = (unsigned char)(v >> 24);
	b[1] = (unsigned char)(v >> 16);
	b[2] = (unsigned char)(v >> 8);
	b[3] = (unsigned char)v;
}

static int
far_cmp(const void *a, const void *b)
{
	return git_oid_cmp(&((const struct far *)a)->id, &((const struct far *)b)->id);
}

/* Writes the pack and .idx of o into dir/objects/pack: the pack's size on disk in bytes, or -1. */
static long long
far_write(const char *dir, struct far *o)
{
	static const char trailer[] = "far pack, not hashed";  /* 20 bytes */
	unsigned char ph[12] = "PACK", *idx, *at;
	uint64_t end = 0;
	size_t isize, nbig = 0;
	char *pack, *idxname, hex[41];
	struct stat st = {0};
	bool ok;
	int fd;

	for (size_t i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", (unsigned char)trailer[i]);
	pack = xasprintf("%s/objects/pack/pack-%s.pack", dir, hex);
	idxname = xasprintf("%s/objects/pack/pack-%s.idx", dir, hex);
	fd = open(pack, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	put32(ph + 4, 2);
	put32(ph + 8, FAR_N);
	ok = fd >= 0 && pwrite(fd, ph, sizeof ph, 0) == sizeof ph;
	for (int i = 0; i < FAR_N; i++) {
		ok = ok && pwrite(fd, o[i].entry, o[i].elen, (off_t)o[i].off) == (ssize_t)o[i].elen;
		if (o[i].off + o[i].elen > end)
			end = o[i].off + o[i].elen;
		nbig += o[i].off >= 0x80000000u;
	}
	ok = ok && pwrite(fd, trailer, 20, (off_t)end) == 20 && fstat(fd, &st) == 0;
	if (fd >= 0)
		close(fd);

	/* Version 2: fan-out, IDs, CRCs, offsets, big offsets, the pack's hash, its own. */
	qsort(o, FAR_N, sizeof *o, far_cmp);
	isize = 8 + 1024 + FAR_N * 28 + nbig * 8 + 40;
	at = idx = xcalloc(1, isize);
	memcpy(at, "\377tOc", 4);
	put32(at + 4, 2);
	for (int b = 0; b < 256; b++) {
		uint32_t n = 0;

		for (int i = 0; i < FAR_N; i++)
			n += o[i].id.id[0] <= b;
		put32(at + 8 + 4 * b, n);
	}
	at += 8 + 1024;
	for (int i = 0; i < FAR_N; i++, at += 20)
		memcpy(at, o[i].id.id, 20);
	for (int i = 0; i < FAR_N; i++, at += 4)
		put32(at, o[i].crc);
	nbig = 0;
	for (int i = 0; i < FAR_N; i++, at += 4)
		put32(at, o[i].off < 0x80000000u ? (uint32_t)o[i].off : 0x80000000u | (uint32_t)nbig++);
	for (int i = 0; i < FAR_N; i++)
		if (o[i].off >= 0x80000000u) {
			put32(at, (uint32_t)(o[i].off >> 32));
			put32(at + 4, (uint32_t)o[i].off);
			at += 8;
		}
	memcpy(at, trailer, 20);
	fd = open(idxname, O_WRONLY | O_CREAT | O_TRUNC, 0644);
	ok = ok && fd >= 0 && write(fd, idx, isize - 20) == (ssize_t)(isize - 20);
	if (ok) {
		/* The .idx's own hash, of all before it, as git writes it. */
		char *sum = sh_out("sha1sum '%s'", idxname);
		unsigned char h[20];

		for (int i = 0; i < 20; i++)
			ok = ok && sscanf(sum + 2 * i, "%2hhx", &h[i]) == 1;
		ok = ok && write(fd, h, 20) == 20;
		free(sum);
	}
	if (fd >= 0)
		close(fd);
	free(idx);
	free(pack);
	free(idxname);
	return ok ? (long long)st.st_blocks * 512 : -1;
}

/* Every object of o, read through odb: how many read other than they are, or fail. */
static int
far_read(git_odb *odb, const struct far *o)
{
	int bad = 0;

	for (int i = 0; i < FAR_N; i++) {
		git_odb_object *obj = NULL;
		size_t len;
		git_object_t type;

		if (odb == NULL || git_odb_read(&obj, odb, &o[i].id) < 0 ||
		    git_odb_object_type(obj) != GIT_OBJECT_BLOB || git_odb_object_size(obj) != o[i].len ||
		    memcmp(git_odb_object_data(obj), o[i].text, o[i].len) != 0 ||
		    git_odb_read_header(&len, &type, odb, &o[i].id) < 0 || len != o[i].len ||
		    type != GIT_OBJECT_BLOB)
			bad++;
		git_odb_object_free(obj);
	}
	return bad;
}

static void
test_far(void)
{
	struct far o[FAR_N] = {
		{.off = 12},
		{.off = 0x80000000u + 100},
		{.off = 0x100000000u + 300},
		{.off = 0x100000000u + 5000},
		{.off = 0x100000000u + 9000},
	};
	char *dir = sub("far.git"), *objects = xasprintf("%s/objects", dir), line[64];
	char base[2048] = "";
	git_odb *odb;
	long long disk;
	int bad = 0;

	for (int i = 0; i < 40; i++) {
		snprintf(line, sizeof line, "line %d of a plan far from the start\n", i);
		strcat(base, line);
	}
	far_make(&o[0], NULL, false, base);
	strcat(base, "and one more line, of B's own\n");
	far_make(&o[1], NULL, false, base);
	far_make(&o[2], &o[0], false, "C ends here\n");
	far_make(&o[3], &o[1], true, "D ends here\n");
	far_make(&o[4], &o[1], false, "E ends here\n");
	err_clear();
	if (sh("git init -q --bare '%s'", dir) != 0 || (disk = far_write(dir, o)) < 0) {
		check(false, "the pack of 4 GiB, sparse, is written");
		goto done;
	}
	if (disk > 1 << 20) {
		/* A file system without holes: 4 GiB of disk is too much to ask of a test. */
		check(true, "# SKIP offsets past 2 and 4 GiB: this file system writes holes out");
		goto done;
	}
	for (int i = 0; i < FAR_N; i++) {
		char *want = sub("far-want");
		FILE *f = fopen(want, "w");

		fwrite(o[i].text, 1, o[i].len, f);
		fclose(f);
		bad += sh("git --git-dir='%s' cat-file blob %s | cmp -s - '%s'", dir,
		    git_oid_tostr_s(&o[i].id), want) != 0;
		free(want);
	}
	check(bad == 0, "git reads the five objects of a pack of 4 GiB, sparse (%lld bytes on disk)", disk);
	git_odb_open(&odb, objects);
	check(far_read(odb, o) == 0, "and libgit2 does");
	git_odb_free(odb);
	mapped = false;
	odb = ours(dir);
	check(far_read(odb, o) == 0, "pack.c reads them, at offsets past 2 and 4 GiB, deltas on "
	    "bases 4 GiB back, by offset and by ID");
	git_odb_free(odb);
	mapped = true;
	odb = ours(dir);
	check(far_read(odb, o) == 0, "and through mappings (pack_map())");
	git_odb_free(odb);
	mapped = false;
done:
	for (int i = 0; i < FAR_N; i++) {
		free(o[i].text);
		free(o[i].entry);
	}
	free(objects);
	free(dir);
}

/*
 * Loose objects, read through loose.c (loose_guard()) as every store reads them: each object
 * of a repository of loose objects the same as libgit2 reads it; and each one cut short or
 * damaged an error that names it, never a hang (libgit2 1.5.1 spins on an object cut short:
 * the alarm turns a hang here into a failure of the test). Prefixes: unique, ambiguous, none.
 */
static git_odb *
loose_odb(const char *dir)
{
	char *objects = xasprintf("%s/objects", dir);
	git_odb_backend *b = NULL;
	git_odb *odb = NULL;

	if (git_odb_new(&odb) == 0 && git_odb_backend_loose(&b, objects, -1, 0, 0, 0) == 0) {
		loose_guard(b, objects);
		git_odb_add_backend(odb, b, 1);
	}
	free(objects);
	return odb;
}

/*
 * Reads id through a new database of dir's loose objects, whole, then its header alone: what
 * the whole read returned, and whether each that failed said "damaged" and named id.
 */
static int
loose_read(const char *dir, const git_oid *id, bool *said)
{
	git_odb *odb = loose_odb(dir);
	git_odb_object *o = NULL;
	size_t len;
	git_object_t type;
	int r;

	*said = true;
	for (int whole = 1; whole >= 0; whole--) {
		int rr = whole ? git_odb_read(&o, odb, id) : git_odb_read_header(&len, &type, odb, id);
		const git_error *e = git_error_last();

		if (whole)
			r = rr;
		if (rr < 0 && !(e && e->message && strstr(e->message, "damaged") &&
		    strstr(e->message, git_oid_tostr_s(id))))
			*said = false;
	}
	git_odb_object_free(o);
	git_odb_free(odb);
	return r;
}

/* Reads that must each fail with an error naming the object: how many were, and whether all said so. */
struct tally {
	int tried, failed;
	bool unsaid;
};

static void
must_fail(struct tally *t, const char *dir, const git_oid *id)
{
	bool said;

	t->tried++;
	t->failed += loose_read(dir, id, &said) < 0;
	t->unsaid = t->unsaid || !said;
}

static bool
all_failed(const struct tally *t)
{
	return t->tried > 0 && t->failed == t->tried && !t->unsaid;
}

static void
test_loose(void)
{
	char *dir = sub("loose.git"), *stream = sub("loose-stream"), *file;
	struct ids ids;
	git_odb *odb;
	git_odb_object *o = NULL;
	git_oid found, a = {{0}}, b = {{0}};
	struct tally cut_short = {0}, garbled = {0}, crafted = {0};
	struct stat st;

	write_stream(stream, 60, 0);
	sh("git init -q --bare '%s' && git --git-dir='%s' -c fastimport.unpackLimit=100000 "
	    "fast-import --quiet <'%s'", dir, dir, stream);
	all_ids(dir, &ids);
	odb = loose_odb(dir);
	check(ids.n > 100 && sh("ls '%s'/objects/pack/*.pack >/dev/null 2>&1", dir) != 0 &&
	    compare_all(dir, odb, &ids) == 0,
	    "every loose object (%zu) reads the same through loose.c as through libgit2", ids.n);
	git_odb_free(odb);

	/* Each length an object may be cut to, and bytes overwritten at its start and middle. */
	alarm(20);
	file = xasprintf("%s/objects/%.2s/%s", dir, git_oid_tostr_s(&ids.v[3]),
	    git_oid_tostr_s(&ids.v[3]) + 2);
	sh("cp '%s' '%s.orig' && chmod u+w '%s'", file, file, file);
	stat(file, &st);
	for (off_t cut = 0; cut < st.st_size; cut += cut < 24 ? 1 : 7) {
		sh("cp '%s.orig' '%s' && truncate -s %ld '%s'", file, file, (long)cut, file);
		must_fail(&cut_short, dir, &ids.v[3]);
	}
	check(all_failed(&cut_short), "an object cut short, at each of %d lengths, fails with an "
	    "error that names it, and never hangs", cut_short.tried);
	sh("cp '%s.orig' '%s'", file, file);
	smash(file, 2, 2, 0xff);
	must_fail(&garbled, dir, &ids.v[3]);
	sh("cp '%s.orig' '%s'", file, file);
	smash(file, st.st_size / 2, 1, 0x5a);
	must_fail(&garbled, dir, &ids.v[3]);
	check(all_failed(&garbled), "an object whose data does not inflate fails, changed at its start "
	    "or in its middle");
	sh("cp '%s.orig' '%s'", file, file);
	/* Streams that inflate whole, of what git never writes, at the path of a real object. */
	{
		static const struct {
			const char *raw;
			size_t len;
		} bad[] = {
			{"blob 10\0hello", 13},                 /* shorter than its header says */
			{"blob 3\0hello", 12},                  /* longer */
			{"blub 5\0hello", 12},                  /* no type */
			{"blob 05\0hello", 13},                 /* a size git does not write */
			{"blob \0", 6},                         /* none */
			{"blob 5hello", 11},                    /* no end to its header */
			{"blob 99999999999999999999\0x", 28},   /* too large */
		};
		for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
			unsigned char z[128];
			uLongf zlen = sizeof z;
			FILE *f;

			compress2(z, &zlen, (const unsigned char *)bad[i].raw, bad[i].len, 6);
			if ((f = fopen(file, "wb")) != NULL) {
				fwrite(z, 1, zlen, f);
				fclose(f);
			}
			must_fail(&crafted, dir, &ids.v[3]);
		}
		sh("printf 'not zlib' >'%s'", file);
		must_fail(&crafted, dir, &ids.v[3]);
		check(all_failed(&crafted), "%d objects that inflate but are not as git writes them "
		    "(sizes that do not match, no type, no header's end, no zlib) fail", crafted.tried);
	}
	/* A FIFO at the object's path: no file, and not waited on. */
	{
		struct tally fifo = {0};

		sh("rm '%s' && mkfifo '%s'", file, file);
		must_fail(&fifo, dir, &ids.v[3]);
		check(all_failed(&fifo), "a FIFO in place of a loose object fails with an error that "
		    "names it, at once");
		sh("rm '%s'", file);
	}
	sh("cp '%s.orig' '%s'", file, file);
	alarm(0);

	/*
	 * Prefixes: one alone, and two objects whose IDs begin with the same 4 digits, written
	 * until two do (a few hundred blobs; the same ones every run).
	 */
	odb = loose_odb(dir);
	{
		static int seen[1 << 16];

		for (int i = 1; i < 20000 && git_oid_iszero(&b); i++) {
			char text[32];
			int len = snprintf(text, sizeof text, "prefix %d\n", i), k;

			if (git_odb_write(&b, odb, text, (size_t)len, GIT_OBJECT_BLOB) < 0)
				break;
			k = b.id[0] << 8 | b.id[1];
			if (seen[k] == 0) {
				seen[k] = i;
				memset(&b, 0, sizeof b);
			} else {
				len = snprintf(text, sizeof text, "prefix %d\n", seen[k]);
				git_odb_hash(&a, text, (size_t)len, GIT_OBJECT_BLOB);
			}
		}
	}
	check(git_odb_read_prefix(&o, odb, &ids.v[5], 12) == 0 &&
	    git_oid_equal(git_odb_object_id(o), &ids.v[5]), "a unique prefix reads its object");
	git_odb_object_free(o);
	o = NULL;
	{
		size_t k = 4;           /* digits a and b begin with alike */

		while (k < GIT_OID_HEXSZ && git_oid_ncmp(&a, &b, k + 1) == 0)
			k++;
		check(!git_oid_iszero(&b) && git_odb_read_prefix(&o, odb, &a, 4) == GIT_EAMBIGUOUS &&
		    git_odb_read_prefix(&o, odb, &b, k + 1) == 0 &&
		    git_oid_equal(git_odb_object_id(o), &b), "a prefix that two objects begin with "
		    "is ambiguous (%.4s), and one digit more finds the one", git_oid_tostr_s(&a));
	}
	git_odb_object_free(o);
	o = NULL;
	git_oid_fromstr(&found, "0000000000000000000000000000000000000001");
	check(git_odb_read_prefix(&o, odb, &found, 39) == GIT_ENOTFOUND && !git_odb_exists(odb, &found),
	    "a prefix of no object finds none");
	git_odb_free(odb);
	free(file);
	free(stream);
	free(dir);
	free(ids.v);
}

/* Whether a read of id through store s fails with an error that says "damaged" and names it. */
static bool
store_read_fails(const char *dir, const git_oid *id)
{
	struct store *s = NULL;
	git_odb *odb = NULL;
	git_odb_object *o = NULL;
	const git_error *e;
	bool yes;

	if (store_open(&s, dir) < 0 || git_repository_odb(&odb, store_git(s)) < 0) {
		store_close(s);
		return false;
	}
	yes = git_odb_read(&o, odb, id) < 0 && (e = git_error_last()) != NULL && e->message &&
	    strstr(e->message, "damaged") && strstr(e->message, git_oid_tostr_s(id));

	git_odb_object_free(o);
	git_odb_free(odb);
	store_close(s);
	return yes;
}

/*
 * Opening the store at dir fails at once (the alarm turns a wait into a failure), with an error
 * that names its alternates list and says want.
 */
static void
unopened(const char *dir, const char *want, const char *what)
{
	struct store *s = NULL;
	char *err;
	int r;

	alarm(20);
	r = store_open(&s, dir);
	alarm(0);
	err = xstrdup(err_last());
	check(r < 0 && strstr(err, "info/alternates") && strstr(err, want), "%s: the store is not "
	    "opened, at once (%s)", what, err);
	store_close(s);
	free(err);
}

/*
 * A store whose objects live elsewhere too (objects/info/alternates), followed as git follows
 * them, and read as the store's own: packs by pack.c, loose objects by loose.c. Held against
 * git itself: what git finds through them, casus finds, and what git does not, casus does not.
 * own names far (an absolute path, loose objects) and near (a relative one, packed), a comment,
 * an empty line, a folder that is not there and itself; far names own again (a cycle) and
 * farther by a path relative to far's objects.
 */
static void
test_alternates(void)
{
	char *own = sub("alt-own.git"), *far = sub("alt-far.git"), *near = sub("alt-near.git");
	char *farther = sub("alt-farther.git"), *stream = sub("alt-stream"), *file, *objects;
	struct ids far_ids, near_ids, farther_ids;
	struct store *s = NULL;
	git_odb *odb = NULL;
	git_oid id;
	bool git_has;
	int r;

	/* Three histories that share no object: the same texts, a word changed (its length kept). */
	write_stream(stream, 20, 0);
	sh("git init -q --bare '%s' && sed 's/Prison/Kerker/' '%s' | "
	    "git --git-dir='%s' -c fastimport.unpackLimit=100000 fast-import --quiet", far, stream, far);
	make_repo(near, 30, "");
	sh("git init -q --bare '%s' && sed 's/Prison/Celles/' '%s' | "
	    "git --git-dir='%s' fast-import --quiet && git --git-dir='%s' repack -a -d -q",
	    farther, stream, farther, farther);
	all_ids(far, &far_ids);
	all_ids(near, &near_ids);
	all_ids(farther, &farther_ids);
	sh("git init -q --bare '%s' && printf '%%s\\n' '%s/objects' '# a comment' '' "
	    "'../../alt-near.git/objects' '/nonexistent/casus/objects' '%s/objects' "
	    ">'%s/objects/info/alternates'", own, far, own, own);
	sh("mkdir -p '%s/objects/info' && printf '%%s\\n' '%s/objects' "
	    "'../../alt-farther.git/objects' >'%s/objects/info/alternates'", far, own, far);

	r = store_open(&s, own);
	if (r == 0)
		git_repository_odb(&odb, store_git(s));
	check(odb && git_odb_num_backends(odb) == 8, "a store with alternates reads its own objects "
	    "and three folders more, each once, with loose.c and pack.c (%zu backends)",
	    odb ? git_odb_num_backends(odb) : 0);
	check(odb && far_ids.n > 40 && compare_all(far, odb, &far_ids) == 0,
	    "every object of an alternate named by its absolute path reads the same (%zu, loose)",
	    far_ids.n);
	check(odb && near_ids.n > 60 && compare_all(near, odb, &near_ids) == 0,
	    "every object of an alternate named by a relative path reads the same (%zu, packed)",
	    near_ids.n);
	git_has = sh("git --git-dir='%s' cat-file -e %s 2>/dev/null", own,
	    git_oid_tostr_s(&farther_ids.v[0])) == 0;
	check(odb && farther_ids.n > 20 && git_has && compare_all(farther, odb, &farther_ids) == 0,
	    "an alternate's own alternate, by a path relative to it, is read too, as git reads it");
	check(odb && !git_odb_exists(odb, &(git_oid){{1, 2, 3}}), "an object none of them has "
	    "does not exist");
	check(odb && git_odb_write(&id, odb, "mine\n", 5, GIT_OBJECT_BLOB) == 0 &&
	    sh("test -f '%s/objects/%.2s/%s' && ! test -e '%s/objects/%.2s/%s'", own,
	    git_oid_tostr_s(&id), git_oid_tostr_s(&id) + 2, far, git_oid_tostr_s(&id),
	    git_oid_tostr_s(&id) + 2) == 0, "an object written goes to the store's own folder");
	git_odb_free(odb);
	odb = NULL;
	store_close(s);
	s = NULL;

	/* A loose object of an alternate cut short: an error that names it, never a hang. */
	file = xasprintf("%s/objects/%.2s/%s", far, git_oid_tostr_s(&far_ids.v[1]),
	    git_oid_tostr_s(&far_ids.v[1]) + 2);
	sh("chmod u+w '%s' && truncate -s 20 '%s'", file, file);
	alarm(20);
	check(store_read_fails(own, &far_ids.v[1]), "a loose object of an alternate cut short "
	    "fails with an error that names it, and never hangs");
	alarm(0);

	/* Lists casus cannot read: the store is not opened, and says why. */
	sh("mv '%s/objects/info/alternates' '%s/alternates.kept' && "
	    "mkdir '%s/objects/info/alternates'", own, own, own);
	unopened(own, "not a file", "an alternates list that is a folder");
	/* A FIFO: opened without waiting for a writer (the alarm turns a wait into a failure). */
	sh("rmdir '%s/objects/info/alternates' && mkfifo '%s/objects/info/alternates'", own, own);
	unopened(own, "not a file", "an alternates list that is a FIFO");
	sh("rm '%s/objects/info/alternates' && head -c 70000 /dev/zero | tr '\\0' '#' "
	    ">'%s/objects/info/alternates'", own, own);
	unopened(own, "larger than", "an alternates list of 70,000 bytes");
	sh("mv '%s/alternates.kept' '%s/objects/info/alternates'", own, own);

	/* A push's quarantine, added by hand (guard.c): a folder, or an error. */
	objects = xasprintf("%s/objects", far);
	check(store_open(&s, own) == 0 && pack_odb_alternate(store_git(s), "/nonexistent/casus") < 0 &&
	    pack_odb_alternate(store_git(s), objects) == 0,
	    "pack_odb_alternate() adds a folder of objects, and fails on one that is not there");
	store_close(s);
	free(objects);

	free(far_ids.v);
	free(near_ids.v);
	free(farther_ids.v);
	free(file);
	free(stream);
	free(farther);
	free(near);
	free(far);
	free(own);
}

int
main(void)
{
	char *a, *b;

	if (!scratch_open("pack-test"))
		return 1;
	setenv("CASUS_FSYNC", "0", 1);
	git_libgit2_init();

	a = sub("offsets.git");
	b = sub("ids.git");
	make_repo(a, 400, "");
	/* Deltas whose base is named by its ID, as git writes without delta-base-offset. */
	make_repo(b, 400, "-c pack.useDeltaBaseOffset=false");
	test_keyless(a);
	test_same("bases by offset", a);
	test_same("bases by ID", b);
	test_cache_full();
	test_prefix(a);
	test_damage(a);
	test_refresh(b);
	test_store(a);
	test_far();
	test_loose();
	test_alternates();
	free(a);
	free(b);

	/* The same again, mapped, on repositories of their own. */
	a = sub("offsets-mapped.git");
	b = sub("ids-mapped.git");
	make_repo(a, 400, "");
	make_repo(b, 400, "-c pack.useDeltaBaseOffset=false");
	test_mapped(a);
	mapped = true;
	test_same("mapped, bases by offset", a);
	test_same("mapped, bases by ID", b);
	test_prefix(a);
	test_damage(a);
	test_refresh(b);

	free(a);
	free(b);
	git_libgit2_shutdown();
	return scratch_close();
}
