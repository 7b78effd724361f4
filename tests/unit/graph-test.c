/*
 * graph-test.c: graph_history(), the history listed from git's commit-graph, held against git:
 * histories with merges and octopus merges, a graph whole and split in layers, commits made
 * after it was written, a reset that leaves commits in it that are no longer reachable. Each
 * listing must hold exactly the commits `git rev-list` gives, each after its parents. And
 * graphs that cannot be used (none, damaged, a cycle, a chain that does not match, replace
 * refs, a shallow history, too many commits outside it) must give 0, never a crash or a read
 * outside the files (run under make check's sanitizers too).
 */
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <git2.h>

#include "graph.h"
#include "mem.h"
#include "msg.h"
#include "tap.h"
#include "scratch.h"

/*
 * Appends to the fast-import stream at path n commits on main, marks from mark on, main going
 * on from where it is unless it is new: every 7th a merge of a commit of a side branch, every
 * 23rd an octopus merge of three (the side branches' first commits are roots of their own).
 */
static void
history(const char *path, int mark, int n, bool new)
{
	FILE *f = fopen(path, "a");
	int t = 1700000000 + mark * 10;

	for (int i = 0; i < n; i++) {
		int sides = i % 23 == 22 ? 3 : i % 7 == 6 ? 1 : 0, side[3];

		for (int k = 0; k < sides; k++) {
			side[k] = mark;
			fprintf(f, "commit refs/heads/side%d\nmark :%d\ncommitter T <t@example.org> %d +0000\n"
			    "data 5\nside\nM 644 inline side%d\ndata 3\n%02d\n\n", k, mark, t++, k, mark % 100);
			mark++;
		}
		fprintf(f, "commit refs/heads/main\nmark :%d\ncommitter T <t@example.org> %d +0000\n"
		    "data 5\nmain\n", mark++, t++);
		if (i == 0 && !new)
			fprintf(f, "from refs/heads/main^0\n");
		for (int k = 0; k < sides; k++)
			fprintf(f, "merge :%d\n", side[k]);
		fprintf(f, "M 644 inline f%d\ndata 4\n%03d\n\n", i % 5, i % 1000);
	}
	fclose(f);
}

/* Runs the stream at path into dir (a bare repository, made the first time). */
static void
import(const char *dir, const char *stream)
{
	sh("test -d '%s' || git init -q --bare '%s'", dir, dir);
	if (sh("git --git-dir='%s' fast-import --quiet --force <'%s'", dir, stream) != 0)
		printf("# fast-import into %s failed\n", dir);
}

static int
oid_cmp(const void *a, const void *b)
{
	return git_oid_cmp(a, b);
}

/*
 * Whether ids (n) are exactly the commits reachable from main in repo, each after its parents:
 * main among them, none twice, every parent of each earlier in the list, and as many as
 * `git rev-list` counts (a set closed under parents that holds main has at least those).
 */
static bool
same_as_git(git_repository *repo, const char *dir, const git_oid *ids, size_t n)
{
	char *count = sh_out("git --git-dir='%s' rev-list --count main", dir);
	struct pos {
		git_oid id;
		size_t at;
	} *sorted = xcalloc(n ? n : 1, sizeof *sorted);
	git_oid tip;
	bool ok = (size_t)atol(count) == n && git_reference_name_to_id(&tip, repo, "refs/heads/main") == 0;

	free(count);
	for (size_t i = 0; i < n; i++)
		sorted[i] = (struct pos){ids[i], i};
	qsort(sorted, n, sizeof *sorted, oid_cmp);
	for (size_t i = 1; ok && i < n; i++)
		ok = !git_oid_equal(&sorted[i - 1].id, &sorted[i].id);
	ok = ok && bsearch(&tip, sorted, n, sizeof *sorted, oid_cmp) != NULL;
	for (size_t i = 0; ok && i < n; i++) {
		git_commit *c = NULL;

		ok = git_commit_lookup(&c, repo, &ids[i]) == 0;
		for (unsigned p = 0; ok && p < git_commit_parentcount(c); p++) {
			struct pos *at = bsearch(git_commit_parent_id(c, p), sorted, n, sizeof *sorted, oid_cmp);

			ok = at != NULL && at->at < i;
		}
		git_commit_free(c);
	}
	free(sorted);
	return ok;
}

/* graph_history() of main in dir: its return, and the listing checked against git in *same. */
static int
listed(const char *dir, bool *same)
{
	git_repository *repo = NULL;
	git_oid tip, *ids = NULL;
	size_t n = 0;
	int r = -2;

	*same = false;
	if (git_repository_open(&repo, dir) == 0 &&
	    git_reference_name_to_id(&tip, repo, "refs/heads/main") == 0) {
		r = graph_history(repo, &tip, &ids, &n);
		*same = r == 1 && same_as_git(repo, dir, ids, n);
		if (r != 1 && (ids != NULL || n != 0))
			r = -3;         /* nothing may be left listed */
	}
	free(ids);
	git_repository_free(repo);
	return r;
}

static void
expect(const char *dir, int want, const char *what)
{
	bool same;
	int r = listed(dir, &same);

	if (want == 1)
		check(r == 1 && same, "%s: listed, as git lists it (got %d)", what, r);
	else
		check(r == want, "%s: %d, listed another way (got %d)", what, want, r);
	err_clear();
	git_error_clear();
}

/* The offset in file of the chunk named id, or -1. */
static long
chunk_at(const char *file, const char *id)
{
	unsigned char h[8], c[12];
	FILE *f = fopen(file, "rb");
	long at = -1;

	if (f && fread(h, 1, 8, f) == 8)
		for (int i = 0; i < h[6] && fread(c, 1, 12, f) == 12; i++)
			if (memcmp(c, id, 4) == 0)
				at = (long)((uint64_t)c[8] << 24 | c[9] << 16 | c[10] << 8 | c[11]);
	if (f)
		fclose(f);
	return at;
}

/* Writes len bytes at off of file (negative: from its end). */
static void
poke(const char *file, long off, const void *bytes, size_t len)
{
	int fd = open(file, O_WRONLY);
	off_t at = off >= 0 ? off : lseek(fd, 0, SEEK_END) + off;

	if (fd < 0 || pwrite(fd, bytes, len, at) != (ssize_t)len)
		printf("# cannot write %s: %s\n", file, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* A copy of the repository src at dir, its graph files writable. */
static void
copy(const char *src, const char *dir)
{
	sh("rm -rf '%s' && cp -r '%s' '%s' && chmod -R u+w '%s'", dir, src, dir, dir);
}

/* Writes the single graph file of dir anew, in place of any chain. */
static void
single(const char *dir)
{
	sh("rm -rf '%s/objects/info/commit-graphs' && git --git-dir='%s' commit-graph write --reachable",
	    dir, dir);
}

static void
test_damage(const char *good)
{
	char *dir = sub("damaged.git"), *file;
	long cdat, oidf;
	unsigned char b[8];
	unsigned seed = 11;
	int ones = 0;
	struct stat st;

	file = xasprintf("%s/objects/info/commit-graph", dir);
	copy(good, dir);
	single(dir);
	expect(dir, 1, "the single file");

	poke(file, 0, "CGPX", 4);
	expect(dir, 0, "a graph with another signature");

	copy(good, dir);
	single(dir);
	poke(file, 5, "\2", 1);
	expect(dir, 0, "a graph of SHA-256");

	copy(good, dir);
	single(dir);
	sh("truncate -s 300 '%s'", file);
	expect(dir, 0, "a graph cut short");

	copy(good, dir);
	single(dir);
	sh("truncate -s 10 '%s'", file);
	expect(dir, 0, "a graph cut inside its header");

	copy(good, dir);
	single(dir);
	poke(file, 8 + 4, "\xff\xff\xff\xff\xff\xff\xff\xff", 8);
	expect(dir, 0, "a chunk beyond the file");

	copy(good, dir);
	single(dir);
	oidf = chunk_at(file, "OIDF");
	poke(file, oidf + 4 * 10, "\xff\xff\xff\xff", 4);
	expect(dir, 0, "a fan-out that is not in order");

	/* Every commit's first parent made the commit after the last. */
	copy(good, dir);
	single(dir);
	cdat = chunk_at(file, "CDAT");
	for (int i = 0; i < 40; i++)
		poke(file, cdat + i * 36 + 20, "\x0f\xff\xff\xff", 4);
	expect(dir, 0, "parents outside the graph");

	/* Every commit its own first parent: a cycle wherever the walk begins. */
	copy(good, dir);
	single(dir);
	{
		long n = (cdat - chunk_at(file, "OIDL")) / 20;

		for (long i = 0; i < n; i++) {
			b[0] = (unsigned char)(i >> 24);
			b[1] = (unsigned char)(i >> 16);
			b[2] = (unsigned char)(i >> 8);
			b[3] = (unsigned char)i;
			poke(file, cdat + i * 36 + 20, b, 4);
		}
		check(n > 400, "the graph's commits counted (%ld)", n);
	}
	expect(dir, 0, "a cycle");

	/*
	 * Random bytes, the first 20 in the header and its table of chunks (their offsets): any
	 * answer but a crash, and nothing listed unless 1.
	 */
	for (int i = 0; i < 60; i++) {
		bool same;
		int r;

		copy(good, dir);
		single(dir);
		stat(file, &st);
		b[0] = (unsigned char)(rand_r(&seed) & 0xff);
		poke(file, (long)(rand_r(&seed) % (i < 20 ? 8 + 12 * 9 : (unsigned)(st.st_size - 20))), b, 1);
		r = listed(dir, &same);
		if (r < -1 || r > 1)
			ones = -1000;
		ones += r == 1;
		git_error_clear();
		err_clear();
	}
	check(ones >= 0, "60 graphs each with a random byte changed: each 1, 0 or -1");
	free(file);
	free(dir);
}

static void
test_chain(const char *good)
{
	char *dir = sub("chain.git"), *chain, *stream = sub("chain.fi");
	char *first;

	chain = xasprintf("%s/objects/info/commit-graphs/commit-graph-chain", dir);
	copy(good, dir);
	sh("git --git-dir='%s' commit-graph write --reachable --split=no-merge", dir);
	unlink(stream);
	history(stream, 100000, 150, false);
	import(dir, stream);
	sh("git --git-dir='%s' commit-graph write --reachable --split=no-merge", dir);
	unlink(stream);
	history(stream, 200000, 120, false);
	import(dir, stream);
	sh("git --git-dir='%s' commit-graph write --reachable --split=no-merge", dir);
	first = sh_out("wc -l <'%s'", chain);
	check(atoi(first) == 3, "a chain of three layers (%s)", first);
	free(first);
	expect(dir, 1, "a chain of three layers");

	unlink(stream);
	history(stream, 300000, 90, false);
	import(dir, stream);
	expect(dir, 1, "a chain, and 90 commits (and their side branches) made after it");

	/* Back to a commit of the first layer, and on from there: the later layers' are gone. */
	first = sh_out("git --git-dir='%s' rev-list --first-parent main | sed -n 400p", dir);
	sh("git --git-dir='%s' update-ref refs/heads/main %s", dir, first);
	expect(dir, 1, "reset to an older commit");
	unlink(stream);
	history(stream, 400000, 30, false);
	import(dir, stream);
	expect(dir, 1, "reset, and 30 commits on from it");
	free(first);

	sh("cp -r '%s' '%s.keep'", dir, dir);
	sh("sed -i '1d' '%s'", chain);
	expect(dir, 0, "a chain without its base layer");
	sh("rm -rf '%s' && mv '%s.keep' '%s'", dir, dir, dir);
	sh("cp -r '%s' '%s.keep'", dir, dir);
	sh("(sed -n 2p '%s'; sed -n 1p '%s'; sed -n '3,$p' '%s') >'%s.new' && mv '%s.new' '%s'",
	    chain, chain, chain, chain, chain, chain);
	expect(dir, 0, "a chain out of order");
	sh("rm -rf '%s' && mv '%s.keep' '%s'", dir, dir, dir);
	sh("cp -r '%s' '%s.keep'", dir, dir);
	sh("echo 'not a hash' >>'%s'", chain);
	expect(dir, 0, "a chain with a line that is no ID");
	sh("rm -rf '%s' && mv '%s.keep' '%s'", dir, dir, dir);
	sh("cp -r '%s' '%s.keep'", dir, dir);
	sh("rm -f '%s'/objects/info/commit-graphs/graph-$(sed -n 2p '%s').graph", dir, chain);
	expect(dir, 0, "a chain whose second layer is gone");
	sh("rm -rf '%s' && mv '%s.keep' '%s'", dir, dir, dir);
	expect(dir, 1, "the chain as it was");

	free(chain);
	free(stream);
	free(dir);
}

static void
test_unusable(const char *good)
{
	char *dir = sub("unusable.git"), *stream = sub("many.fi"), *tip;

	copy(good, dir);
	sh("rm -rf '%s/objects/info/commit-graph' '%s/objects/info/commit-graphs'", dir, dir);
	expect(dir, 0, "no commit-graph");

	/* FIFOs in place of its files: no graph, and not waited on (the alarm). */
	copy(good, dir);
	sh("rm -rf '%s/objects/info/commit-graphs' && rm -f '%s/objects/info/commit-graph' && "
	    "mkfifo '%s/objects/info/commit-graph'", dir, dir, dir);
	alarm(20);
	expect(dir, 0, "a FIFO in place of the commit-graph");
	sh("rm '%s/objects/info/commit-graph' && git --git-dir='%s' commit-graph write --reachable "
	    "--split && mv '%s/objects/info/commit-graphs/commit-graph-chain' '%s/chain' && "
	    "mkfifo '%s/objects/info/commit-graphs/commit-graph-chain'", dir, dir, dir, dir, dir);
	expect(dir, 0, "a FIFO in place of the chain of layers");
	sh("f='%s/objects/info/commit-graphs/graph-'$(cat '%s/chain')'.graph' && rm \"$f\" && "
	    "mkfifo \"$f\" && mv -f '%s/chain' '%s/objects/info/commit-graphs/commit-graph-chain'",
	    dir, dir, dir, dir);
	expect(dir, 0, "a FIFO in place of a layer of the chain");
	alarm(0);

	copy(good, dir);
	single(dir);
	tip = sh_out("git --git-dir='%s' rev-parse main", dir);
	sh("git --git-dir='%s' update-ref refs/replace/%s %s~1", dir, tip, tip);
	expect(dir, 0, "a replace ref");
	sh("git --git-dir='%s' update-ref -d refs/replace/%s", dir, tip);
	expect(dir, 1, "the replace ref gone");
	sh("git --git-dir='%s' rev-parse main~5 >'%s/shallow'", dir, dir);
	expect(dir, 0, "a shallow history");
	free(tip);

	/* More commits outside the graph than are read one by one. */
	copy(good, dir);
	single(dir);
	history(stream, 500000, 4200, false);
	import(dir, stream);
	expect(dir, 0, "4,200 commits made after the graph");
	free(stream);
	free(dir);
}

int
main(void)
{
	char *good, *stream;

	if (!scratch_open("graph-test"))
		return 1;
	git_libgit2_init();

	good = sub("good.git");
	stream = sub("good.fi");
	history(stream, 1, 400, true);
	import(good, stream);
	test_damage(good);
	test_chain(good);
	test_unusable(good);

	free(stream);
	free(good);
	git_libgit2_shutdown();
	return scratch_close();
}
