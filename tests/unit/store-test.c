/*
 * store-test.c: the store's contract, checked against a scratch repository and the git
 * command: permissions, one commit per change, refusals that leave the branch alone, the
 * compare-and-swap under 8 concurrent writers, and recovery from a dead writer's ref lock.
 */
#define _XOPEN_SOURCE 700

#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <limits.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <git2.h>

#include "key.h"
#include "mem.h"
#include "msg.h"
#include "store.h"
#include "tap.h"
#include "scratch.h"

/* Who the changes below write as, and the key every commit is signed with. */
static const char *author_name = "Test Writer", *author_email = "tw@example.org";
static struct key *test_key;

static void
as_author(struct txn *t)
{
	txn_author(t, author_name, author_email);
}

static int
sign_fn(void *arg, const char *content, size_t len, char **armored)
{
	return sshsig_sign(arg, "git", content, len, armored);
}

static void
skip(const char *why)
{
	printf("ok %d - # SKIP %s\n", npass + nfail + 1, why);
	npass++;
}

static long
commit_count(const char *dir)
{
	char *s = sh_out("git --git-dir='%s' rev-list --count refs/heads/main 2>/dev/null", dir);
	long n = *s != '\0' ? strtol(s, NULL, 10) : 0;

	free(s);
	return n;
}

static char *
tip_of(const char *dir)
{
	return sh_out("git --git-dir='%s' rev-parse --verify -q refs/heads/main", dir);
}

static double
now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* nftw() has no user data: the permission walk counts into these. */
static int world_bits, group_dirs_ok, walked;

static int
perm_entry(const char *path, const struct stat *st, int type, struct FTW *ftw)
{
	(void)path;
	(void)ftw;
	walked++;
	if (st->st_mode & 007)
		world_bits++;
	if (type == FTW_D && (st->st_mode & 02770) != 02770)
		group_dirs_ok = 0;
	return 0;
}

static bool
nothing_world_readable(const char *dir)
{
	world_bits = walked = 0;
	group_dirs_ok = 1;
	return nftw(dir, perm_entry, 16, FTW_PHYS) == 0 && walked > 0 && world_bits == 0 &&
	    group_dirs_ok;
}

/* A change that writes one file; arg is a struct put. */
struct put {
	const char *path, *data;
	int ret;                /* what fn returns after staging */
	int calls;
};

static int
put_fn(struct txn *t, void *arg)
{
	struct put *p = arg;

	p->calls++;
	as_author(t);
	txn_message(t, "store-test: put", NULL);
	if (txn_write(t, p->path, p->data, strlen(p->data)) < 0)
		return -1;
	if (p->ret == -1)
		err_set("cannot put '%s': told to fail", p->path);
	return p->ret;
}

static int
put(struct store *s, const char *path, const char *data, int ret)
{
	struct put p = { path, data, ret, 0 };

	return store_change(s, put_fn, &p);
}

/* Adds one to the counter file and writes a file of its own: the concurrent writers' change. */
struct bump {
	int proc, n;
	int calls;
};

static int
bump_fn(struct txn *t, void *arg)
{
	struct bump *b = arg;
	char *buf = NULL, num[32], *own;
	size_t len;
	long v = 0;
	int rc;

	b->calls++;
	as_author(t);
	rc = txn_read(t, "shared/counter", &buf, &len);
	if (rc < 0)
		return -1;
	if (rc == 0)
		v = strtol(buf, NULL, 10);
	free(buf);
	snprintf(num, sizeof num, "%ld\n", v + 1);
	txn_message(t, "store-test: bump", NULL);
	if (txn_write(t, "shared/counter", num, strlen(num)) < 0)
		return -1;
	own = xasprintf("workers/w%d/c%02d", b->proc, b->n);
	rc = txn_write(t, own, "x\n", 2);
	free(own);
	return rc;
}

/*
 * A writer that is not casus (think git push) moves the branch on fn's first call, between
 * casus reading the tip and committing: the commit must fail the compare-and-swap and fn run
 * again on the new tip.
 */
struct race {
	const char *dir;
	int calls;
};

static void
outside_commit(const char *dir)
{
	git_repository *repo = NULL;
	git_reference *ref = NULL;
	git_commit *tip = NULL;
	git_tree *base = NULL, *tree = NULL;
	git_signature *sig = NULL;
	git_tree_update u = { GIT_TREE_UPDATE_UPSERT, {{0}}, GIT_FILEMODE_BLOB, "outside.txt" };
	git_oid oid;
	const git_commit *parents[1];

	if (git_repository_open_bare(&repo, dir) < 0 ||
	    git_reference_lookup(&ref, repo, "refs/heads/main") < 0 ||
	    git_commit_lookup(&tip, repo, git_reference_target(ref)) < 0 ||
	    git_commit_tree(&base, tip) < 0 ||
	    git_blob_create_from_buffer(&u.id, repo, "outside\n", 8) < 0 ||
	    git_tree_create_updated(&oid, repo, base, 1, &u) < 0 ||
	    git_tree_lookup(&tree, repo, &oid) < 0 ||
	    git_signature_now(&sig, "Outside", "outside@example.org") < 0)
		fprintf(stderr, "outside_commit: %s\n", git_error_last()->message);
	else {
		parents[0] = tip;
		if (git_commit_create(&oid, repo, "refs/heads/main", sig, sig, NULL, "outside\n",
		    tree, 1, parents) < 0)
			fprintf(stderr, "outside_commit: %s\n", git_error_last()->message);
	}
	git_signature_free(sig);
	git_tree_free(tree);
	git_tree_free(base);
	git_commit_free(tip);
	git_reference_free(ref);
	git_repository_free(repo);
}

static int
race_fn(struct txn *t, void *arg)
{
	struct race *r = arg;
	struct bump b = { 99, r->calls, 0 };

	r->calls++;
	if (r->calls == 1)
		outside_commit(r->dir);
	return bump_fn(t, &b);
}

static long
counter(struct store *s)
{
	char *buf = NULL;
	size_t len;
	long v = -1;

	if (store_read(s, "shared/counter", &buf, &len) == 0)
		v = strtol(buf, NULL, 10);
	free(buf);
	return v;
}

static struct store *
open_or_die(const char *dir)
{
	struct store *s = NULL;

	if (store_open(&s, dir) < 0) {
		err_print();
		exit(1);
	}
	store_set_signer(s, sign_fn, test_key);
	return s;
}

static void
test_create(void)
{
	char *full = sub("full"), *file = sub("full/x"), *st = sub("perm/a/store");
	char *v;
	mode_t old;
	struct store *s;
	FILE *f;

	sh("mkdir -p '%s'", full);
	f = fopen(file, "w");
	if (f != NULL)
		fclose(f);
	err_clear();
	check(store_create(full) == -1 && strstr(err_last(),
	    "directory exists and is not empty") != NULL, "create refuses a non-empty dir");

	old = umask(0);
	check(store_create(st) == 0, "create a store with umask 0");
	check(nothing_world_readable(st), "nothing in a new store is world-readable, dirs 2770");
	v = sh_out("git --git-dir='%s' config core.sharedRepository", st);
	check(strcmp(v, "0660") == 0, "core.sharedRepository is 0660 (got '%s')", v);
	free(v);
	v = sh_out("git --git-dir='%s' symbolic-ref HEAD", st);
	check(strcmp(v, "refs/heads/main") == 0, "HEAD names refs/heads/main (got '%s')", v);
	free(v);

	s = open_or_die(st);
	check(!store_has_tip(s), "a new store has an unborn branch");
	check(put(s, "cases/3f/B-2026-017/plan.yaml", "id: B-2026-017\n", 0) == STORE_COMMITTED,
	    "commit into a store opened with umask 0");
	check(nothing_world_readable(st), "objects and refs written later are not world-readable");
	store_close(s);
	umask(old);
	free(full);
	free(file);
	free(st);
}

static void
test_open(void)
{
	char *none = sub("none"), *plain = sub("plain"), *work = sub("work");
	struct store *s = NULL;
	int rc;

	sh("mkdir -p '%s'", plain);
	err_clear();
	/*
	 * Each call comes before the check that quotes err_last(): an argument beside the call
	 * could read the error it frees (C leaves the order of evaluation of arguments open).
	 */
	rc = store_open(&s, plain);
	check(rc == -1 && strstr(err_last(), "not a casus store (no git repository)") != NULL,
	    "open refuses a plain dir: %s", err_last());
	check(store_open(&s, none) == -1 && strstr(err_last(), "not a casus store") != NULL,
	    "open refuses a missing dir");
	sh("git init -q '%s'", work);
	rc = store_open(&s, work);
	check(rc == -1, "open refuses a work tree: %s", err_last());
	free(work);
	work = sub("work/.git");
	rc = store_open(&s, work);
	check(rc == -1 && strstr(err_last(), "not a bare repository") != NULL,
	    "open refuses a work tree's .git: %s", err_last());
	check(s == NULL, "a failed open gives no store");
	free(work);
	/* A bare repository made with git, not by store_create(): no settings, no lock. */
	work = sub("bare.git");
	sh("git init -q --bare '%s'", work);
	s = open_or_die(work);
	err_clear();
	rc = put(s, "x", "x\n", 0);
	check(rc == -1 && strstr(err_last(), "has no settings") != NULL,
	    "a write into a bare repository with no casus.yaml is refused: %s", err_last());
	free(none);
	none = xasprintf("%s/casus.lock", work);
	check(access(none, F_OK) == -1, "and leaves no casus.lock there");
	store_close(s);
	free(none);
	free(plain);
	free(work);
}

static int
view_fn(struct txn *t, void *arg)
{
	bool *good = arg;
	char **names = NULL, *buf = NULL;
	size_t n = 0, len = 0;

	as_author(t);
	txn_message(t, "store-test: view", NULL);
	*good = txn_write(t, "cases/3f/B-2026-018/plan.yaml", "id: B-2026-018\n", 15) == 0 &&
	    txn_write(t, "cases/3f/B-2026-018/plan.yaml", "id: B-2026-018\nv: 2\n", 20) == 0 &&
	    txn_read(t, "cases/3f/B-2026-018/plan.yaml", &buf, &len) == 0 && len == 20 &&
	    memcmp(buf, "id: B-2026-018\nv: 2\n", 20) == 0 &&
	    txn_list(t, "cases/3f", &names, &n) == 0 && n == 2 &&
	    strcmp(names[0], "B-2026-017") == 0 && strcmp(names[1], "B-2026-018") == 0 &&
	    strcmp(txn_author_name(t), "Test Writer") == 0 &&
	    strcmp(txn_author_email(t), "tw@example.org") == 0;
	free(buf);
	store_list_free(names, n);
	return 0;
}

static int
message_fn(struct txn *t, void *arg)
{
	(void)arg;
	as_author(t);
	txn_message(t, "plan-new: create B-2026-019", "The reason\nover two\033 lines.\n\n");
	txn_trailer(t, "Case-Id", "B-2026-019");
	txn_trailer(t, "Prison", "North\nGate");
	return txn_write(t, "cases/3f/B-2026-019/plan.yaml", "id: B-2026-019\n", 15);
}

/* Removes one file of two in a folder, after checking the txn's view of it. */
static int
remove_fn(struct txn *t, void *arg)
{
	bool *good = arg;
	char **names = NULL, *buf = NULL;
	size_t n = 0, len = 0;

	as_author(t);
	txn_message(t, "store-test: remove", NULL);
	*good = txn_write(t, "rm/a", "a\n", 2) == 0 && txn_write(t, "rm/b", "b\n", 2) == 0 &&
	    txn_remove(t, "rm/a") == 0 && txn_read(t, "rm/a", &buf, &len) == STORE_NOTFOUND &&
	    txn_list(t, "rm", &names, &n) == 0 && n == 1 && strcmp(names[0], "b") == 0 &&
	    txn_remove(t, "rm/nothing") == STORE_NOTFOUND && txn_remove(t, "../x") == -1;
	free(buf);
	store_list_free(names, n);
	return 0;
}

static int
remove_b_fn(struct txn *t, void *arg)
{
	(void)arg;
	as_author(t);
	txn_message(t, "store-test: remove b", NULL);
	return txn_remove(t, "rm/b");
}

static void
test_remove(const char *dir)
{
	struct store *s = open_or_die(dir);
	char *buf = NULL, **names = NULL;
	size_t len, n = 0;
	bool good = false;

	check(store_change(s, remove_fn, &good) == STORE_COMMITTED && good,
	    "txn_remove hides a staged file from txn_read and txn_list");
	check(store_read(s, "rm/a", &buf, &len) == STORE_NOTFOUND && store_read(s, "rm/b", &buf, &len) == 0,
	    "a file written and removed in one change is not committed");
	free(buf);
	check(store_change(s, remove_b_fn, NULL) == STORE_COMMITTED &&
	    store_list(s, "rm", &names, &n) == 0 && n == 0, "removing a committed file commits its removal");
	store_list_free(names, n);
	store_close(s);
}

static void
test_commits(const char *dir)
{
	struct store *s = open_or_die(dir);
	char *buf = NULL, **names = NULL, *tip, *tip2, *v, *last;
	size_t len = 0, n = 0;
	bool good = false;
	int rc;

	check(store_has_tip(s), "the branch has a tip after the first commit");
	check(commit_count(dir) == 1, "exactly one commit");
	check(store_read(s, "cases/3f/B-2026-017/plan.yaml", &buf, &len) == 0 && len == 15 &&
	    strcmp(buf, "id: B-2026-017\n") == 0, "read back what was written");
	free(buf);
	check(store_read(s, "cases/3f/B-2026-099/plan.yaml", &buf, &len) == STORE_NOTFOUND,
	    "a missing file is STORE_NOTFOUND");
	check(store_read(s, "cases/3f", &buf, &len) == -1, "reading a directory is an error");
	check(store_list(s, "", &names, &n) == 0 && n == 1 && strcmp(names[0], "cases") == 0,
	    "list the root");
	store_list_free(names, n);
	check(store_list(s, "cases/zz", &names, &n) == 0 && n == 0, "a missing dir lists empty");
	store_list_free(names, n);

	tip = tip_of(dir);
	check(strcmp(store_last_commit(s), "") == 0, "store_last_commit starts empty");
	rc = put(s, "cases/3f/B-2026-017/plan.yaml", "id: B-2026-017\n", 0);
	tip2 = tip_of(dir);
	check(rc == STORE_UNCHANGED && strcmp(tip, tip2) == 0 && commit_count(dir) == 1,
	    "an unchanged tree is STORE_UNCHANGED and makes no commit");
	check(strcmp(store_last_commit(s), "") == 0, "store_last_commit stays empty");
	free(tip2);

	err_clear();
	rc = put(s, "cases/3f/B-2026-017/plan.yaml", "changed\n", STORE_REFUSED);
	tip2 = tip_of(dir);
	check(rc == STORE_REFUSED && strcmp(tip, tip2) == 0, "STORE_REFUSED leaves the branch");
	free(tip2);
	rc = put(s, "cases/3f/B-2026-017/plan.yaml", "changed\n", -1);
	tip2 = tip_of(dir);
	check(rc == -1 && strcmp(tip, tip2) == 0 && strstr(err_last(), "told to fail") != NULL,
	    "-1 leaves the branch and keeps fn's error");
	free(tip2);
	check(sh("test -z \"$(git --git-dir='%s' fsck --unreachable --no-progress 2>&1)\"",
	    dir) == 0, "a refused change writes no objects");

	check(store_change(s, view_fn, &good) == STORE_COMMITTED && good,
	    "txn_read and txn_list see staged writes over the tip");
	v = sh_out("git --git-dir='%s' show main:cases/3f/B-2026-018/plan.yaml | tail -1", dir);
	check(strcmp(v, "v: 2") == 0, "a second txn_write of a path replaces the first");
	free(v);
	last = tip_of(dir);
	check(strcmp(store_last_commit(s), last) == 0, "store_last_commit is the new tip");
	free(last);

	check(store_change(s, message_fn, NULL) == STORE_COMMITTED, "commit with a message");
	buf = sh_out("git --git-dir='%s' log -1 --format=%%B | od -An -c | tr -s ' \\n' ' '", dir);
	v = sh_out("printf 'plan-new: create B-2026-019\\n\\nThe reason\\nover two lines.\\n\\n"
	    "Case-Id: B-2026-019\\nPrison: North Gate\\nProgram: store-test\\n\\n' | "
	    "od -An -c | tr -s ' \\n' ' '");
	check(strcmp(buf, v) == 0, "message: subject, body, trailers, Program");
	if (strcmp(buf, v) != 0)
		printf("#   got  %s\n#   want %s\n", buf, v);
	free(buf);
	free(v);
	v = sh_out("git --git-dir='%s' log -1 --format='%%(trailers:key=Case-Id,valueonly)"
	    "|%%(trailers:key=Program,valueonly)' | tr -d '\\n'", dir);
	check(strcmp(v, "B-2026-019|store-test") == 0, "git reads the trailers (%s)", v);
	free(v);
	v = sh_out("git --git-dir='%s' log -1 --format='%%an <%%ae>|%%cn <%%ce>'", dir);
	check(strcmp(v, "Test Writer <tw@example.org>|Test Writer <tw@example.org>") == 0,
	    "author and committer from txn_author() (%s)", v);
	free(v);
	v = sh_out("git --git-dir='%s' rev-list --parents -1 main | wc -w", dir);
	check(strcmp(v, "2") == 0, "a commit has the old tip as its one parent");
	free(v);
	free(tip);
	store_close(s);
}

static void
test_paths(const char *dir)
{
	static const char *bad[] = {
		"", "/abs", "a//b", "a/./b", "a/../b", "..", ".", "a/", ".git/config",
		"cases/.GIT/x", "a\nb", "a\tb", "a\x7f", "cases/3f",
		"cases/3f/B-2026-017/plan.yaml/x",
	};
	struct store *s = open_or_die(dir);
	char *tip = tip_of(dir), *tip2;
	size_t refused = 0;
	char *buf;
	size_t len;

	for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
		if (put(s, bad[i], "x", 0) == -1)
			refused++;
		else
			printf("#   accepted '%s'\n", bad[i]);
	}
	tip2 = tip_of(dir);
	check(refused == sizeof bad / sizeof *bad && strcmp(tip, tip2) == 0,
	    "bad paths are refused (%zu of %zu) and nothing is committed", refused,
	    sizeof bad / sizeof *bad);
	check(store_read(s, "../etc/passwd", &buf, &len) == -1, "store_read refuses '..'");
	free(tip);
	free(tip2);
	store_close(s);
}

static void
test_identity(const char *dir)
{
	struct store *s = open_or_die(dir);
	char *name = NULL, *email = NULL, *tip = tip_of(dir), *tip2, *objs, *objs2;
	int rc;

	unsetenv("GIT_AUTHOR_NAME");
	unsetenv("GIT_AUTHOR_EMAIL");
	err_clear();
	check(store_identity(s, &name, &email) == -1 && strstr(err_last(),
	    "cannot find who you are") != NULL, "no identity is an error");
	check(put(s, "cases/3f/B-2026-020/plan.yaml", "x\n", 0) == STORE_COMMITTED,
	    "but the store writes as txn_author() says, whatever GIT_AUTHOR_* say");
	free(tip);
	tip = tip_of(dir);
	author_name = NULL;
	err_clear();
	rc = put(s, "cases/3f/B-2026-021/plan.yaml", "x\n", 0);
	check(rc == -1 && strstr(err_last(), "the change has no author") != NULL,
	    "a change that sets no author is not committed: %s", err_last());
	author_name = "Test Writer";
	tip2 = tip_of(dir);
	check(strcmp(tip, tip2) == 0, "the branch did not move");
	sh("git config --global user.name 'Global Name' && "
	    "git --git-dir='%s' config user.email repo@example.org", dir);
	check(store_identity(s, &name, &email) == 0 && strcmp(name, "Global Name") == 0 &&
	    strcmp(email, "repo@example.org") == 0, "identity from global and repository config");
	free(name);
	free(email);
	setenv("GIT_AUTHOR_NAME", "Test Writer", 1);
	check(store_identity(s, &name, &email) == 0 && strcmp(name, "Test Writer") == 0,
	    "GIT_AUTHOR_NAME wins over user.name");
	free(name);
	free(email);
	setenv("GIT_AUTHOR_EMAIL", "tw@example.org", 1);
	sh("git --git-dir='%s' config --unset user.email; git config --global --unset user.name",
	    dir);

	check(store_ident_check("Ann Peeters", "ann@brugge.example") == NULL &&
	    store_ident_check("Zo\xc3\xab Ta\xc5\x9f", "zoe@x.example") == NULL,
	    "store_ident_check takes a plain and an accented name");
	check(store_ident_check("Ann\ncommitter M", "a@x.example") != NULL &&
	    store_ident_check("Ann\r", "a@x.example") != NULL &&
	    store_ident_check("Ann\x1b[2J", "a@x.example") != NULL &&
	    store_ident_check("Ann\xc2\x85", "a@x.example") != NULL &&
	    store_ident_check("Ann\x7f", "a@x.example") != NULL &&
	    store_ident_check("Ann\xe2\x80\xae", "a@x.example") != NULL &&
	    store_ident_check("Ann\xe2\x80\xa8", "a@x.example") != NULL &&
	    store_ident_check("Ann", "a@x.example\t") != NULL,
	    "store_ident_check refuses C0, C1, DEL, bidi overrides and separators");
	check(strcmp(store_ident_check("Ann", "a<b@x.example") == NULL ? "" :
	    store_ident_check("Ann", "a<b@x.example"), "the address has '<' or '>'") == 0 &&
	    store_ident_check("A>nn", "a@x.example") != NULL &&
	    store_ident_check("  ", "a@x.example") != NULL &&
	    store_ident_check("Ann", "") != NULL &&
	    store_ident_check("Ann\xc0\xae", "a@x.example") != NULL,
	    "store_ident_check refuses '<', '>', empty parts and malformed UTF-8");
	author_name = "Ann\ncommitter Mallory";
	objs = sh_out("find '%s/objects' -type f | wc -l", dir);
	err_clear();
	rc = put(s, "ident/x", "x\n", 0);
	check(rc == -1 && strstr(err_last(), ": the name has a control character") != NULL,
	    "a newline in the author's name is refused: %s", err_last());
	author_name = "Test Writer";
	free(tip2);
	tip2 = tip_of(dir);
	objs2 = sh_out("find '%s/objects' -type f | wc -l", dir);
	check(strcmp(tip, tip2) == 0 && strcmp(objs, objs2) == 0,
	    "and nothing was written (%s objects)", objs2);
	free(objs);
	free(objs2);
	setenv("GIT_AUTHOR_NAME", "Test Writer", 1);
	free(tip);
	free(tip2);
	store_close(s);
}

/*
 * Every commit is signed so that plain git verifies it: git verify-commit with the store's
 * allowed-signers file, a commit without a signer refused, and what a signature costs.
 */
static void
test_signed(const char *dir)
{
	struct store *s = open_or_die(dir);
	char *line = key_public_line(key_public(test_key), NULL), *text, *v, *tip;
	char *content = NULL, *sig = NULL;
	struct stat st;
	enum { N = 200 };
	double t0;
	int rc;

	text = xasprintf("tw@example.org namespaces=\"git\" %s\n", line);
	check(store_allowed_signers_due(s), "a store without the allowed-signers file has it due");
	check(store_put_allowed_signers(s, text) == 0, "write the allowed-signers file");
	check(!store_allowed_signers_due(s), "and then it is not due");
	v = xasprintf("%s/casus-allowed-signers", dir);
	check(stat(v, &st) == 0 && (st.st_mode & 07777) == 0660, "it is mode 0660 (%o)",
	    (unsigned)(st.st_mode & 07777));
	free(v);
	check(put(s, "signed/x", "x\n", 0) == STORE_COMMITTED, "a signed commit");
	check(sh("git --git-dir='%s' verify-commit main 2>/dev/null", dir) == 0,
	    "git verify-commit accepts it with the allowed-signers file the store points at");
	v = sh_out("git --git-dir='%s' log -1 --format=%%G?%%GS main", dir);
	check(strcmp(v, "Gtw@example.org") == 0, "git log shows a good signature by tw (%s)", v);
	free(v);
	/* Altered after signing: the author line changed, the signature kept. */
	tip = sh_out("git --git-dir='%s' cat-file commit main | sed 's/^author Test Writer/author Mallory/' | "
	    "git --git-dir='%s' hash-object -t commit -w --stdin", dir, dir);
	check(sh("git --git-dir='%s' verify-commit %s 2>/dev/null", dir, tip) != 0,
	    "git refuses a commit altered after signing");
	free(tip);

	store_set_signer(s, NULL, NULL);
	tip = tip_of(dir);
	err_clear();
	rc = put(s, "signed/y", "y\n", 0);
	check(rc == -1 && strstr(err_last(), "no key to sign the commit with") != NULL,
	    "a store without a signer makes no commit: %s", err_last());
	v = tip_of(dir);
	check(strcmp(v, tip) == 0, "and the branch did not move");
	free(v);
	free(tip);

	/* The cost of signing, apart from the commit: 400 bytes, a commit of casus's size. */
	content = xcalloc(1, 401);
	memset(content, 'x', 400);
	t0 = now_ms();
	for (int i = 0; i < N; i++) {
		free(sig);
		sig = NULL;
		if (sshsig_sign(test_key, "git", content, strlen(content), &sig) < 0)
			break;
	}
	printf("# signing cost: %.3f ms per signature (%d signatures of a %zu-byte commit)\n",
	    (now_ms() - t0) / N, N, strlen(content));
	free(sig);
	free(content);
	free(text);
	free(line);
	store_close(s);
}

static void
test_concurrent(const char *dir)
{
	enum { PROCS = 8, EACH = 25 };
	struct store *s = open_or_die(dir);
	long before = commit_count(dir), start = counter(s);
	pid_t pids[PROCS];
	int failed = 0, retried = 0, rc;
	double t0 = now_ms();
	struct race r = { dir, 0 };
	char **names = NULL;
	size_t n = 0;

	if (start < 0)
		start = 0;
	for (int i = 0; i < PROCS; i++) {
		pids[i] = fork();
		if (pids[i] == 0) {
			struct store *cs = open_or_die(dir);
			int bad = 0;

			for (int j = 0; j < EACH; j++) {
				struct bump b = { i, j, 0 };

				if (store_change(cs, bump_fn, &b) != STORE_COMMITTED) {
					fprintf(stderr, "worker %d: %s\n", i, err_last());
					bad = 1;
				}
			}
			store_close(cs);
			_exit(bad);
		}
	}
	for (int i = 0; i < PROCS; i++) {
		int st;

		if (waitpid(pids[i], &st, 0) == -1 || !WIFEXITED(st) || WEXITSTATUS(st) != 0)
			failed++;
	}
	printf("# %d processes x %d changes: %.0f ms\n", PROCS, EACH, now_ms() - t0);
	check(failed == 0, "every concurrent writer succeeded");
	check(commit_count(dir) == before + PROCS * EACH, "all %d commits are on the branch",
	    PROCS * EACH);
	check(counter(s) == start + PROCS * EACH, "the shared counter went up by %d (%ld)",
	    PROCS * EACH, counter(s) - start);
	for (int i = 0; i < PROCS; i++) {
		char *d = xasprintf("workers/w%d", i);

		if (store_list(s, d, &names, &n) < 0 || n != EACH)
			retried++;
		store_list_free(names, n);
		free(d);
	}
	check(retried == 0, "every writer's own files are there");
	check(sh("git --git-dir='%s' fsck --strict --no-progress >/dev/null 2>&1", dir) == 0,
	    "git fsck --strict is clean");

	start = counter(s);
	rc = store_change(s, race_fn, &r);
	check(rc == STORE_COMMITTED && r.calls == 2,
	    "a branch moved by another writer makes fn run again (%d calls)", r.calls);
	check(counter(s) == start + 1, "the change was re-applied to the new tip");
	check(sh("git --git-dir='%s' cat-file -e main:outside.txt", dir) == 0,
	    "the other writer's commit is kept");
	store_close(s);
}

/* Makes the lock file at path with an mtime ms milliseconds ago. Returns 0 or -1. */
static int
lock_aged(const char *path, long ms)
{
	struct timespec t[2];
	FILE *f = fopen(path, "w");

	if (f == NULL)
		return -1;
	fclose(f);
	clock_gettime(CLOCK_REALTIME, &t[0]);
	t[0].tv_sec -= ms / 1000;
	t[0].tv_nsec -= (ms % 1000) * 1000000L;
	if (t[0].tv_nsec < 0) {
		t[0].tv_sec--;
		t[0].tv_nsec += 1000000000L;
	}
	t[1] = t[0];
	return utimensat(AT_FDCWD, path, t, 0);
}

static void
test_stale_lock(const char *dir)
{
	struct store *s = open_or_die(dir);
	char *lock = xasprintf("%s/refs/heads/main.lock", dir);
	struct timeval old[2] = { { time(NULL) - 60, 0 }, { time(NULL) - 60, 0 } };
	long before = commit_count(dir);
	double t0;
	FILE *f;
	pid_t pid;
	int st, rc;

	f = fopen(lock, "w");
	if (f != NULL)
		fclose(f);
	utimes(lock, old);
	check(put(s, "locks/stale", "1\n", 0) == STORE_COMMITTED && access(lock, F_OK) == -1 &&
	    commit_count(dir) == before + 1, "a stale refs/heads/main.lock is removed");

	/*
	 * A lock 1.5 s old is younger than the 2 s rule: it is waited for until it is 2 s old,
	 * not removed at once. Started early in a second (and the lock's time late in one), so
	 * that whole seconds would call it 2 s old: that was the bug.
	 */
	for (;;) {
		struct timespec ts;

		clock_gettime(CLOCK_REALTIME, &ts);
		if (ts.tv_nsec >= 50000000 && ts.tv_nsec < 350000000)
			break;
		usleep(20000);
	}
	rc = lock_aged(lock, 1500);
	t0 = now_ms();
	rc = rc == 0 ? put(s, "locks/young", "1\n", 0) : -1;
	t0 = now_ms() - t0;
	check(rc == STORE_COMMITTED && t0 >= 450,
	    "a ref lock 1.5 s old is not removed before it is 2 s old (%.0f ms)", t0);
	rc = lock_aged(lock, 3000);
	t0 = now_ms();
	rc = rc == 0 ? put(s, "locks/old", "1\n", 0) : -1;
	t0 = now_ms() - t0;
	check(rc == STORE_COMMITTED && access(lock, F_OK) == -1 && t0 < 1000,
	    "a ref lock 3 s old is removed (%.0f ms)", t0);

	/* A fresh lock held by a live writer is waited for, not removed. */
	f = fopen(lock, "w");
	if (f != NULL)
		fclose(f);
	pid = fork();
	if (pid == 0) {
		usleep(400000);
		unlink(lock);
		_exit(0);
	}
	t0 = now_ms();
	rc = put(s, "locks/live", "1\n", 0);
	t0 = now_ms() - t0;
	check(rc == STORE_COMMITTED && t0 >= 350, "a live ref lock is waited for (%.0f ms)", t0);
	waitpid(pid, &st, 0);
	free(lock);
	store_close(s);
}

static void
test_fsync(const char *dir)
{
	const char *e = getenv("STORE_TEST_FSYNC_N");
	int n = e != NULL ? atoi(e) : 20;
	double ms[2];
	bool good = true;

	for (int on = 0; on < 2; on++) {
		struct store *s;
		double t0;

		setenv("CASUS_FSYNC", on ? "1" : "0", 1);
		s = open_or_die(dir);
		t0 = now_ms();
		for (int i = 0; i < n; i++) {
			struct bump b = { 50 + on, i, 0 };

			if (store_change(s, bump_fn, &b) != STORE_COMMITTED)
				good = false;
		}
		ms[on] = (now_ms() - t0) / n;
		store_close(s);
	}
	setenv("CASUS_FSYNC", "0", 1);
	printf("# fsync cost: %.2f ms per commit with CASUS_FSYNC=0, %.2f ms with fsync "
	    "(%d commits each)\n", ms[0], ms[1], n);
	check(good, "commits with fsync on");
}

static void
test_owner(const char *dir)
{
	struct store *s = NULL;
	char *abs, *want;
	int rc;

	if (geteuid() != 0) {
		skip("GIT_EOWNER: needs root to give the store to another user");
		return;
	}
	sh("chown -R 65534 '%s'", dir);
	abs = realpath(dir, NULL);
	want = xasprintf("owned by another user; add it to safe.directory with: "
	    "git config --system --add safe.directory %s (or --global for yourself)", abs);
	err_clear();
	rc = store_open(&s, dir);
	check(rc == -1 && strstr(err_last(), want) != NULL,
	    "another owner is explained with no safe.directory set: %s", err_last());
	/* libgit2 1.5.1 says GIT_EOWNER only once some safe.directory is configured. */
	sh("git config --global --add safe.directory /elsewhere");
	err_clear();
	rc = store_open(&s, dir);
	check(rc == -1 && strstr(err_last(), want) != NULL,
	    "GIT_EOWNER is explained: %s", err_last());
	/* The --global form the message offers; --system would need a writable /etc. */
	sh("git config --global --add safe.directory '%s'", abs);
	check(store_open(&s, dir) == 0, "the suggested safe.directory lets it open");
	store_close(s);
	sh("chown -R 0 '%s'", dir);
	free(abs);
	free(want);
}

/* store_view_at(): a view of any commit, the branch's or not, by its ID. */
static void
test_view_at(const char *dir)
{
	struct store *s = open_or_die(dir);
	struct view *v = NULL;
	char first[GIT_OID_HEXSZ + 1], *buf = NULL;
	size_t len;

	check(put(s, "at/x", "one\n", 0) == STORE_COMMITTED, "commit x = one");
	snprintf(first, sizeof first, "%s", store_last_commit(s));
	check(put(s, "at/x", "two\n", 0) == STORE_COMMITTED, "commit x = two");
	check(store_view_at(s, first, &v) == 0 && view_read(v, "at/x", &buf, &len) == 0 &&
	    strcmp(buf, "one\n") == 0, "a view at the earlier commit reads what it held");
	free(buf);
	buf = NULL;
	view_close(v);
	check(store_view_at(s, store_last_commit(s), &v) == 0 && view_read(v, "at/x", &buf, &len) == 0 &&
	    strcmp(buf, "two\n") == 0, "a view at the tip reads the tip");
	free(buf);
	view_close(v);
	check(store_view_at(s, "0123456789abcdef0123456789abcdef01234567", &v) == STORE_NOTFOUND &&
	    v == NULL, "a commit the store does not hold is STORE_NOTFOUND");
	check(store_view_at(s, "main", &v) == STORE_NOTFOUND && v == NULL,
	    "a name that is not a commit's ID is STORE_NOTFOUND");
	store_close(s);
}

/* Writes NMANY files, "m/<i>/x" holding "<i>\n", in one change. */
enum { NMANY = 1300 };

static int
many_fn(struct txn *t, void *arg)
{
	(void)arg;
	as_author(t);
	txn_message(t, "store-test: many folders", NULL);
	for (int i = 0; i < NMANY; i++) {
		char path[32], num[16];

		snprintf(path, sizeof path, "m/%04d/x", i);
		snprintf(num, sizeof num, "%d\n", i);
		if (txn_write(t, path, num, strlen(num)) < 0)
			return -1;
	}
	return 0;
}

/* Reads "m/<i>/x" through v for i from first to last and says whether each held i. */
static bool
many_read(const struct view *v, int first, int last)
{
	bool good = true;

	for (int i = first; good && i <= last; i++) {
		char path[32], *buf = NULL;
		size_t len;

		snprintf(path, sizeof path, "m/%04d/x", i);
		good = view_read(v, path, &buf, &len) == 0 && strtol(buf, NULL, 10) == i;
		free(buf);
	}
	return good;
}

/*
 * A view that reads more objects than libgit2 keeps in its cache (store.c bounds it), of more
 * folders than the view's tree cache holds (512 one or two deep), from a commit whose objects,
 * packed, are only in a directory store_add_objects() added (the pre-receive guard's
 * quarantine): every file is read right, and the first again after the last.
 */
static void
test_many(const char *dir)
{
	char *other = sub("many"), *objects = sub("many/objects"), tip[GIT_OID_HEXSZ + 1];
	struct store *s, *o;
	struct view *v = NULL;

	check(store_create(other) == 0, "create a second store");
	o = open_or_die(other);
	check(store_change(o, many_fn, NULL) == STORE_COMMITTED, "commit %d files in %d folders",
	    NMANY, NMANY);
	snprintf(tip, sizeof tip, "%s", store_last_commit(o));
	store_close(o);
	check(sh("git --git-dir='%s' repack -adq", other) == 0, "pack its objects");
	s = open_or_die(dir);
	check(store_view_at(s, tip, &v) == STORE_NOTFOUND, "the store has not got the commit");
	check(store_add_objects(s, objects) == 0 && store_view_at(s, tip, &v) == 0,
	    "with the second store's objects added it has");
	check(v != NULL && many_read(v, 0, NMANY - 1), "every file of %d folders is read right",
	    NMANY);
	check(v != NULL && many_read(v, 0, 9) && many_read(v, NMANY - 10, NMANY - 1),
	    "and read again, the first ten and the last ten");
	view_close(v);
	store_close(s);
	free(other);
	free(objects);
}

int
main(void)
{
	char *dir;

	if (!scratch_open("store-test"))
		return 1;
	unsetenv("CASUS_REPO");
	setenv("GIT_AUTHOR_NAME", "Test Writer", 1);
	setenv("GIT_AUTHOR_EMAIL", "tw@example.org", 1);
	setenv("GIT_COMMITTER_NAME", "Test Writer", 1);
	setenv("GIT_COMMITTER_EMAIL", "tw@example.org", 1);
	setenv("CASUS_FSYNC", "0", 1);
	if (key_generate(&test_key) < 0) {
		err_print();
		return 1;
	}

	dir = sub("perm/a/store");
	test_create();
	test_open();
	test_commits(dir);
	test_remove(dir);
	test_view_at(dir);
	test_many(dir);
	test_paths(dir);
	test_identity(dir);
	test_signed(dir);
	test_concurrent(dir);
	test_stale_lock(dir);
	test_fsync(dir);
	check(sh("git --git-dir='%s' fsck --strict --no-progress >/dev/null 2>&1", dir) == 0,
	    "git fsck --strict is clean at the end");
	test_owner(dir);

	free(dir);
	key_free(test_key);
	git_libgit2_shutdown();
	return scratch_close();
}
