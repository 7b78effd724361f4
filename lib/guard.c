/*
 * guard.c: the guard of a central store (see guard.h). It reads history through a libgit2
 * handle of its own, as history.c does, and files through the store's views, so that each
 * commit's files are judged by the very functions case-validate and the writers use.
 */
#include <git2.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "authority.h"
#include "guard.h"
#include "mem.h"
#include "pack.h"
#include "msg.h"
#include "settings.h"
#include "validate.h"
#include "verify.h"

#define BRANCH "refs/heads/main"
/* The length of a commit's ID in a message, as git abbreviates it by default. */
#define SHORT 7
/* The line that marks a hook as casus's own (store_hook_install()). */
#define HOOK_MARKER "# casus: the guard of this store, installed by case-init --hook"

struct guard {
	struct store *s;
	git_repository *repo;
};

int
guard_open(struct guard **out, struct store *s, const char *gitdir, const char *quarantine)
{
	struct guard *g = xcalloc(1, sizeof *g);

	*out = NULL;
	git_libgit2_init();
	g->s = s;
	/* Read as every store is (pack_odb()): a loose object cut short fails, never hangs. */
	if (pack_repo_open(&g->repo, gitdir) < 0) {
		guard_close(g);
		return -1;
	}
	/*
	 * git passes the quarantine in GIT_QUARANTINE_PATH, GIT_OBJECT_DIRECTORY and
	 * GIT_ALTERNATE_OBJECT_DIRECTORIES, which libgit2 1.5 reads only when a repository is
	 * opened with GIT_REPOSITORY_OPEN_FROM_ENV; that flag also takes GIT_DIR, GIT_CEILING_* and
	 * more from the environment, so the one directory is added by hand, to both handles.
	 */
	if (quarantine != NULL) {
		if (pack_odb_alternate(g->repo, quarantine) < 0) {
			store_git_fail("read objects in", quarantine);
			guard_close(g);
			return -1;
		}
		if (store_add_objects(s, quarantine) < 0) {
			guard_close(g);
			return -1;
		}
	}
	*out = g;
	return 0;
}

void
guard_close(struct guard *g)
{
	if (g == NULL)
		return;
	git_repository_free(g->repo);
	git_libgit2_shutdown();
	free(g);
}

static int
path_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Adds path to the sorted list unless it is there. */
static void
path_add(char ***paths, size_t *n, size_t *cap, const char *path)
{
	if (path == NULL || (*n > 0 && bsearch(&path, *paths, *n, sizeof **paths, path_cmp) != NULL))
		return;
	xgrow((void **)paths, cap, *n + 1, sizeof **paths);
	(*paths)[(*n)++] = xstrdup(path);
	qsort(*paths, *n, sizeof **paths, path_cmp);
}

/*
 * The files that differ between the trees of parent (NULL: none, the store's first commit)
 * and c: added, changed and removed, sorted. 0 with *paths (store_list_free()), or -1.
 */
static int
changed_paths(struct guard *g, const git_commit *parent, const git_commit *c, const char *hex,
    char ***paths, size_t *n)
{
	git_tree *old = NULL, *new = NULL;
	git_diff *diff = NULL;
	size_t cap = 0;
	int r = -1;

	*paths = NULL;
	*n = 0;
	if ((parent != NULL && git_commit_tree(&old, parent) < 0) || git_commit_tree(&new, c) < 0 ||
	    git_diff_tree_to_tree(&diff, g->repo, old, new, NULL) < 0) {
		store_git_fail("compare commit", hex);
		goto out;
	}
	for (size_t i = 0; i < git_diff_num_deltas(diff); i++) {
		const git_diff_delta *d = git_diff_get_delta(diff, i);

		path_add(paths, n, &cap, d->old_file.path);
		path_add(paths, n, &cap, d->new_file.path);
	}
	r = 0;
out:
	git_diff_free(diff);
	git_tree_free(new);
	git_tree_free(old);
	return r;
}

/*
 * The day c was made on, which the settings' history is judged by (a key or an art. 458ter
 * period begins on or after it): the day of its committer time, in the time zone it was made
 * in. Under CASUS_TODAY, the day every program replays, that day instead: the writers dated
 * the change by it, and a commit's clock time says nothing of it (the tests' fixed day lies
 * days before the clock, and every key they register would read as backdated).
 */
static struct date
commit_day(const git_commit *c)
{
	const git_signature *s = git_commit_committer(c);
	const char *replay = getenv("CASUS_TODAY");
	struct date d;

	if (replay != NULL && *replay != '\0' && date_today(&d) == 0)
		return d;
	err_clear();
	return date_of_time(s->when.time, s->when.offset);
}

/* One commit's settings and views, freed by judged(). */
struct judged {
	struct view *before, *after;
	struct settings *cfg_before, *cfg_after;
	char **paths;
	size_t npaths;
	struct problems sp;     /* the settings' own, told after the signature's */
};

static void
judged_free(struct judged *j)
{
	if (j->cfg_after != j->cfg_before)
		settings_free(j->cfg_after);
	settings_free(j->cfg_before);
	view_close(j->after);
	view_close(j->before);
	store_list_free(j->paths, j->npaths);
	problems_free(&j->sp);
}

/* Whether casus.yaml is among the changed paths. */
static bool
settings_changed(const struct judged *j)
{
	const char *key = CASUS_CONFIG;

	return j->npaths > 0 &&
	    bsearch(&key, j->paths, j->npaths, sizeof *j->paths, path_cmp) != NULL;
}

/* store_view_at() of a commit the walk found, which must be there: 0, or -1 with err_set(). */
static int
view_at(struct guard *g, const char *hex, struct view **v)
{
	int r = store_view_at(g->s, hex, v);

	if (r == STORE_NOTFOUND)
		err_set("cannot read commit '%s': it is not in the store", hex);
	return r == 0 ? 0 : -1;
}

/*
 * Judges commit c, one of a push: appends its refusals to cps (files as in the store). 0, or
 * -1 with err_set().
 */
static int
judge(struct guard *g, const git_commit *c, const char *hex, struct problems *cps)
{
	struct judged j = {0};
	git_commit *parent = NULL;
	const struct member *author = NULL;
	const struct settings *cfg_sig;
	char phex[GIT_OID_HEXSZ + 1], *why = NULL;
	int r = -1, v;

	if (git_commit_parentcount(c) > 1) {
		problems_add(cps, NULL, 0, NULL, "a merge commit: the history of a store is linear "
		    "(rebase the change onto main)");
		return 0;
	}
	if (view_at(g, hex, &j.after) < 0)
		goto out;
	if (git_commit_parentcount(c) == 1) {
		if (git_commit_parent(&parent, c, 0) < 0) {
			store_git_fail("read the parent of commit", hex);
			goto out;
		}
		git_oid_tostr(phex, sizeof phex, git_commit_id(parent));
		if (view_at(g, phex, &j.before) < 0)
			goto out;
		/* The parent is main's tip or a commit judged before this one: its settings read. */
		j.cfg_before = settings_read(j.before, NULL);
		if (j.cfg_before == NULL) {
			problems_add(cps, NULL, 0, NULL, "the settings at its parent cannot be read: %s",
			    err_last());
			r = 0;
			goto out;
		}
	}
	if (changed_paths(g, parent, c, hex, &j.paths, &j.npaths) < 0)
		goto out;

	/* Who made it: a good signature by a key registered at the parent, of an active member. */
	if (j.cfg_before == NULL || settings_changed(&j)) {
		j.cfg_after = settings_read(j.after, &j.sp);
		/* Settings removed, or unreadable for another reason than their content. */
		if (j.cfg_after == NULL && j.sp.n == 0)
			problems_add(&j.sp, CASUS_CONFIG, 0, NULL, "%s", err_last());
	} else {
		j.cfg_after = j.cfg_before;
	}
	cfg_sig = j.cfg_before != NULL ? j.cfg_before : j.cfg_after;
	if (cfg_sig == NULL) {
		problems_add(cps, NULL, 0, NULL, "its settings cannot be read: nothing can verify it");
		for (size_t i = 0; i < j.sp.n; i++)
			problems_add(cps, j.sp.v[i].file, j.sp.v[i].line, j.sp.v[i].path, "%s",
			    j.sp.v[i].msg);
		r = 0;
		goto out;
	}
	v = commit_verify(g->repo, git_commit_id(c), cfg_sig, &author, &why);
	if (v < 0)
		goto out;
	if (v == VERIFY_BAD) {
		problems_add(cps, NULL, 0, NULL, "%s", why);
		free(why);
	} else if (member_may_write(cfg_sig, member_current_key(author)->pk, &author) < 0) {
		/* The one rule for who writes: the key's member was active at the parent. */
		problems_add(cps, NULL, 0, NULL, "%s", err_last());
		author = NULL;
	}

	/*
	 * Within its author's authority (casus(7), the table), judged by the settings at the
	 * parent, as every writer is judged: the store's first commit is whoever made the store's.
	 */
	if (author != NULL && j.before != NULL &&
	    authority_check(j.before, j.cfg_before, j.after, (const char *const *)j.paths, j.npaths,
	    author, cps) < 0)
		goto out;

	/* What it changed must pass the checks case-validate makes. */
	for (size_t i = 0; i < j.sp.n; i++)
		problems_add(cps, j.sp.v[i].file, j.sp.v[i].line, j.sp.v[i].path, "%s", j.sp.v[i].msg);
	if (j.cfg_after != NULL && j.cfg_after != j.cfg_before) {
		settings_check(j.cfg_after, CASUS_CONFIG, cps);
		if (j.cfg_before != NULL)
			settings_history_check(j.cfg_before, j.cfg_after, commit_day(c), CASUS_CONFIG,
			    cps);
	}
	if (change_validate(j.after, j.cfg_after, (const char *const *)j.paths, j.npaths, cps) < 0)
		goto out;
	r = 0;
out:
	git_commit_free(parent);
	judged_free(&j);
	return r;
}

/* Appends the problems of commit hex to ps, each under "commit <short id>". */
static void
report(const char *hex, struct problems *cps, struct problems *ps)
{
	for (size_t i = 0; i < cps->n; i++) {
		const struct problem *p = &cps->v[i];
		char *file = p->file != NULL ? xasprintf("commit %.*s: %s", SHORT, hex, p->file)
		    : xasprintf("commit %.*s", SHORT, hex);

		problems_add(ps, file, p->line, p->path, "%s", p->msg);
		free(file);
	}
}

/* Judges each commit that old..new brings, oldest first. */
static int
judge_range(struct guard *g, const git_oid *old, const git_oid *new, struct problems *ps)
{
	git_revwalk *walk = NULL;
	git_oid id;
	int r;

	if (git_revwalk_new(&walk, g->repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push(walk, new) < 0 || (old != NULL && git_revwalk_hide(walk, old) < 0)) {
		git_revwalk_free(walk);
		return store_git_fail("walk the history of", BRANCH);
	}
	while ((r = git_revwalk_next(&id, walk)) == 0) {
		struct problems cps = {0};
		char hex[GIT_OID_HEXSZ + 1];
		git_commit *c = NULL;

		git_oid_tostr(hex, sizeof hex, &id);
		if (git_commit_lookup(&c, g->repo, &id) < 0) {
			r = store_git_fail("read commit", hex);
			break;
		}
		r = judge(g, c, hex, &cps);
		git_commit_free(c);
		report(hex, &cps, ps);
		problems_free(&cps);
		if (r < 0)
			break;
	}
	git_revwalk_free(walk);
	if (r == GIT_ITEROVER)
		return 0;
	return r < -1 ? store_git_fail("walk the history of", BRANCH) : -1;
}

int
guard_update(struct guard *g, const char *old, const char *new, const char *ref,
    struct problems *ps)
{
	git_oid o, n;
	char ohex[GIT_OID_HEXSZ + 1];
	int r;

	if (strlen(old) != GIT_OID_HEXSZ || strlen(new) != GIT_OID_HEXSZ ||
	    git_oid_fromstr(&o, old) < 0 || git_oid_fromstr(&n, new) < 0) {
		err_set("cannot read the update of '%s': not two object IDs", ref);
		return -1;
	}
	if (strcmp(ref, BRANCH) != 0) {
		problems_add(ps, ref, 0, NULL, "a casus store has one branch, %s: nothing else "
		    "may be pushed", BRANCH);
		return 0;
	}
	if (git_oid_is_zero(&n)) {
		problems_add(ps, ref, 0, NULL, "the branch of a store cannot be deleted");
		return 0;
	}
	/*
	 * The pushed commit must be there to be judged. Checked first: libgit2 1.5.1's
	 * git_graph_descendant_of() leaks 64 bytes when one of its commits is missing (LeakSanitizer,
	 * hostile case guard-unknown-commit).
	 */
	{
		git_commit *c;

		if (git_commit_lookup(&c, g->repo, &n) < 0)
			return store_git_fail("read commit", new);
		git_commit_free(c);
	}
	if (git_oid_is_zero(&o))
		return judge_range(g, NULL, &n, ps);
	if (git_oid_equal(&o, &n))
		return 0;
	r = git_graph_descendant_of(g->repo, &n, &o);
	if (r < 0)
		return store_git_fail("walk the history of", BRANCH);
	if (r == 0) {
		git_oid_tostr(ohex, sizeof ohex, &o);
		problems_add(ps, ref, 0, NULL, "not a fast-forward of %.*s: the history of a store "
		    "is never rewritten", SHORT, ohex);
		return 0;
	}
	return judge_range(g, &o, &n, ps);
}

/* The case-validate beside the running program, or NULL: malloc'd. */
static char *
validate_beside(void)
{
	char *self = realpath("/proc/self/exe", NULL), *slash, *p = NULL;

	if (self != NULL && (slash = strrchr(self, '/')) != NULL) {
		*slash = '\0';
		p = xasprintf("%s/case-validate", self);
		if (access(p, X_OK) != 0) {
			free(p);
			p = NULL;
		}
	}
	free(self);
	return p;
}

/* path in single quotes for sh: a ' becomes '\''. */
static void
sh_quote(struct buf *b, const char *path)
{
	buf_addc(b, '\'');
	for (const char *c = path; *c != '\0'; c++)
		if (*c == '\'')
			buf_adds(b, "'\\''");
		else
			buf_addc(b, *c);
	buf_addc(b, '\'');
}

int
guard_install(struct store *s, char **path)
{
	char *prog = validate_beside(), *script;
	struct buf b = {0};
	int r;

	buf_printf(&b, "#!/bin/sh\n%s\n# It refuses a push that case-validate(1) --pre-receive "
	    "refuses; see casus(7), Guard.\nexec ", HOOK_MARKER);
	if (prog != NULL)
		sh_quote(&b, prog);
	else
		buf_adds(&b, "case-validate");
	buf_adds(&b, " --pre-receive\n");
	script = buf_detach(&b);
	r = store_hook_install(s, "pre-receive", script, HOOK_MARKER, path);
	free(script);
	free(prog);
	return r;
}
