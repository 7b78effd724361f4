/*
 * history.c: the history check of consent records and held consultations. It opens its own handle on the store's git
 * directory: it only reads, and a walk of every commit needs commits and trees that the
 * store's interface, built around the tip, does not give.
 */
#include <git2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "history.h"
#include "mem.h"
#include "msg.h"
#include "overleg.h"
#include "pack.h"
#include "plan.h"
#include "schemas.h"
#include "settings.h"
#include "store.h"
#include "verify.h"
#include "vocab.h"

/* The levels of the tree below the root that lead to a record, and the names that matter. */
enum { ROOT, CASES, BUCKET, CASE, EVENTS };

struct walk {
	git_repository *repo;
	char commit[GIT_OID_HEXSZ + 1];
	const char *author;             /* the commit's author address */
	git_tree *parent;               /* the tree of the parent being compared with */
	history_fn fn;
	void *arg;
	long found;
	/* The settings of the last version of casus.yaml read for a signature, by its blob ID. */
	git_oid cfg_id;
	bool cfg_read;
	struct settings *cfg;
};

static bool
is_record(const git_tree_entry *e)
{
	const char *name = git_tree_entry_name(e);
	size_t n = strlen(name);

	return git_tree_entry_type(e) == GIT_OBJECT_BLOB && n > 5 && strcmp(name + n - 5, ".yaml") == 0;
}

static void
report(struct walk *w, const char *case_id, const char *file, bool consent, bool removed)
{
	char *finding = xasprintf("%s %.*s was %s", consent ? "record" : "consultation",
	    (int)(strlen(file) - 5), file, removed ? "removed" : "changed");

	w->fn(w->commit, case_id, finding, w->arg);
	free(finding);
	w->found++;
}

/* The blob of e, parsed and decoded with parse, or NULL (a file casus could not have written). */
static void *
blob_doc(struct walk *w, const git_tree_entry *e, const char *file,
    void *(*parse)(const char *, size_t, const char *))
{
	git_blob *b = NULL;
	void *d = NULL;

	if (e != NULL && git_tree_entry_type(e) == GIT_OBJECT_BLOB &&
	    git_blob_lookup(&b, w->repo, git_tree_entry_id(e)) == 0 &&
	    git_blob_rawsize(b) <= doc_limits_casus.max_bytes)
		d = parse(git_blob_rawcontent(b), (size_t)git_blob_rawsize(b), file);
	git_blob_free(b);
	err_clear();
	return d;
}

static void *
parse_plan(const char *buf, size_t len, const char *file)
{
	struct problems ignore = {0};
	struct plan *p = plan_parse(buf, len, file, &ignore);

	problems_free(&ignore);
	return p;
}

static void *
parse_settings(const char *buf, size_t len, const char *file)
{
	struct problems ignore = {0};
	struct doc *d = casus_parse(buf, len, file, "casus", &ignore);

	problems_free(&ignore);
	return d ? settings_decode(d) : NULL;
}

static void *
parse_overleg(const char *buf, size_t len, const char *file)
{
	struct problems ignore = {0};
	struct doc *d = casus_parse(buf, len, file, "overleg", &ignore);

	problems_free(&ignore);
	return d ? overleg_decode(d) : NULL;
}

/*
 * Whether the blob of e, in a consultation folder, was a held consultation: a planned one
 * becomes held in place, and only what was held is fixed. A file that does not read as a
 * consultation was never one casus wrote, and case-validate reports it at the tip.
 */
static bool
was_held(struct walk *w, const git_tree_entry *e)
{
	struct overleg *o = blob_doc(w, e, "overleg", parse_overleg);
	bool held = o && o->status == OS_HELD;

	overleg_free(o);
	return held;
}

/*
 * Whether the change of held consultation e into ne is a correction by whoever recorded it:
 * both held, with the same recorded_by, and that the commit's author (casus(7), AUTHORITY).
 */
static bool
corrected(struct walk *w, const git_tree_entry *e, const git_tree_entry *ne)
{
	struct overleg *o = blob_doc(w, e, "overleg", parse_overleg);
	struct overleg *n = ne ? blob_doc(w, ne, "overleg", parse_overleg) : NULL;
	const char *by = o ? doc_get_str(o->doc, "recorded_by") : NULL;
	const char *now = n ? doc_get_str(n->doc, "recorded_by") : NULL;
	bool r = by && now && n->status == OS_HELD && strcasecmp(by, now) == 0 && w->author &&
	    strcasecmp(by, w->author) == 0;

	overleg_free(o);
	overleg_free(n);
	return r;
}

/*
 * A plan a commit wrote (old: the parent's entry, NULL for a new case): a member who had left
 * by the parent's settings cannot have been put on its team (plan_team_inactive(), the rule
 * plan-new and plan-edit refuse by).
 */
static void
team_check(struct walk *w, const git_tree_entry *old, const git_tree_entry *new,
    const char *case_id)
{
	struct settings *cfg = blob_doc(w, git_tree_entry_byname(w->parent, CASUS_CONFIG),
	    CASUS_CONFIG, parse_settings);
	struct plan *was = blob_doc(w, old, "plan.yaml", parse_plan);
	struct plan *now = blob_doc(w, new, "plan.yaml", parse_plan);
	const char *gone = cfg && now && (old == NULL || was) ? plan_team_inactive(cfg, was, now) : NULL;

	if (gone != NULL) {
		char *finding = xasprintf("team member '%s' is no longer active", gone);

		w->fn(w->commit, case_id, finding, w->arg);
		free(finding);
		w->found++;
	}
	plan_free(now);
	plan_free(was);
	settings_free(cfg);
}

/*
 * Compares the tree old of a parent with the tree new of the commit (NULL: not there, or not a
 * folder) at one level, and goes down only where they differ. Equal subtrees are skipped by
 * their IDs: a commit touches one case, so each commit costs a few tree reads, not the store.
 */
static int
compare(struct walk *w, const git_tree *old, const git_tree *new, int level, const char *case_id,
    bool consent)
{
	/* A case, or a plan, that the commit adds: only its team can break a rule. */
	for (size_t i = 0; new && level <= CASE && i < git_tree_entrycount(new); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(new, i);
		const char *name = git_tree_entry_name(e);
		git_tree *ns = NULL;
		int r;

		if ((old && git_tree_entry_byname(old, name)) ||
		    (level == ROOT && strcmp(name, "cases") != 0))
			continue;
		if (level == CASE) {
			if (strcmp(name, "plan.yaml") == 0)
				team_check(w, NULL, e, case_id);
			continue;
		}
		if (git_tree_entry_type(e) != GIT_OBJECT_TREE)
			continue;
		if (git_tree_lookup(&ns, w->repo, git_tree_entry_id(e)) < 0)
			return store_git_fail("read tree of commit", w->commit);
		r = compare(w, NULL, ns, level + 1, level == BUCKET ? name : case_id, false);
		git_tree_free(ns);
		if (r < 0)
			return -1;
	}
	for (size_t i = 0; old && i < git_tree_entrycount(old); i++) {
		const git_tree_entry *e = git_tree_entry_byindex(old, i), *ne;
		const char *name = git_tree_entry_name(e);
		git_tree *os = NULL, *ns = NULL;
		int r;

		if (level == CASE && strcmp(name, "plan.yaml") == 0) {
			ne = new ? git_tree_entry_byname(new, name) : NULL;
			if (ne && !git_oid_equal(git_tree_entry_id(e), git_tree_entry_id(ne)))
				team_check(w, e, ne, case_id);
			continue;
		}
		if ((level == ROOT && strcmp(name, "cases") != 0) ||
		    (level == CASE && strcmp(name, "consent") != 0 && strcmp(name, "overleg") != 0))
			continue;
		if (level == EVENTS ? !is_record(e) : git_tree_entry_type(e) != GIT_OBJECT_TREE)
			continue;
		ne = new ? git_tree_entry_byname(new, name) : NULL;
		if (ne && git_oid_equal(git_tree_entry_id(e), git_tree_entry_id(ne)) &&
		    git_tree_entry_filemode(e) == git_tree_entry_filemode(ne))
			continue;
		if (level == EVENTS) {
			if (consent || (was_held(w, e) && !corrected(w, e, ne)))
				report(w, case_id, name, consent, ne == NULL || !is_record(ne));
			continue;
		}
		if (git_tree_lookup(&os, w->repo, git_tree_entry_id(e)) < 0)
			return store_git_fail("read tree of commit", w->commit);
		if (ne && git_tree_entry_type(ne) == GIT_OBJECT_TREE &&
		    git_tree_lookup(&ns, w->repo, git_tree_entry_id(ne)) < 0) {
			git_tree_free(os);
			return store_git_fail("read tree of commit", w->commit);
		}
		r = compare(w, os, ns, level + 1, level == BUCKET ? name : case_id,
		    level == CASE ? strcmp(name, "consent") == 0 : consent);
		git_tree_free(os);
		git_tree_free(ns);
		if (r < 0)
			return -1;
	}
	return 0;
}

/*
 * The settings of tree (NULL when they cannot be read), owned by w: a store's settings change
 * seldom, so each version is parsed once however many commits it judges.
 */
static const struct settings *
settings_at(struct walk *w, const git_tree *tree)
{
	const git_tree_entry *e = git_tree_entry_byname(tree, CASUS_CONFIG);

	if (w->cfg_read && e != NULL && git_oid_equal(&w->cfg_id, git_tree_entry_id(e)))
		return w->cfg;
	settings_free(w->cfg);
	w->cfg = blob_doc(w, e, CASUS_CONFIG, parse_settings);
	w->cfg_read = e != NULL;
	if (e != NULL)
		git_oid_cpy(&w->cfg_id, git_tree_entry_id(e));
	return w->cfg;
}

/*
 * The signature of commit c judged by commit_verify() with the settings of tree, its first
 * parent's (or its own, for the store's first commit), when they register any key; as
 * history_commit_signature() returns. partner may be NULL.
 */
static int
signature_of(struct walk *w, const git_commit *c, const git_tree *tree, char **partner, char **why)
{
	const struct settings *cfg = settings_at(w, tree);
	const struct member *author = NULL;
	int r = HISTORY_BEFORE_KEYS;

	if (cfg != NULL && settings_has_keys(cfg))
		r = commit_verify(w->repo, git_commit_id(c), cfg, &author, why);
	if (r == VERIFY_GOOD && partner != NULL)
		*partner = xstrdup(author->partner);
	return r;
}

/* Reports commit c when its signature does not verify (signature_of()). */
static int
signature_check(struct walk *w, const git_commit *c, const git_tree *tree)
{
	char *why = NULL;
	int r = signature_of(w, c, tree, NULL, &why);

	if (r == VERIFY_BAD) {
		w->fn(w->commit, NULL, why, w->arg);
		w->found++;
	}
	free(why);
	return r < 0 ? -1 : 0;
}

/* Compares one commit with each of its parents, and judges its signature. */
static int
check_commit(struct walk *w, const git_oid *id)
{
	git_commit *c = NULL, *p = NULL;
	git_tree *tree = NULL, *ptree = NULL;
	int r = 0;

	git_oid_tostr(w->commit, sizeof w->commit, id);
	if (git_commit_lookup(&c, w->repo, id) < 0 || git_commit_tree(&tree, c) < 0) {
		git_commit_free(c);
		return store_git_fail("read commit", w->commit);
	}
	w->author = git_commit_author(c) ? git_commit_author(c)->email : NULL;
	if (git_commit_parentcount(c) == 0)
		r = signature_check(w, c, tree);
	for (unsigned i = 0; r == 0 && i < git_commit_parentcount(c); i++) {
		if (git_commit_parent(&p, c, i) < 0 || git_commit_tree(&ptree, p) < 0)
			r = store_git_fail("read the parent of commit", w->commit);
		else if (!git_oid_equal(git_tree_id(ptree), git_tree_id(tree))) {
			w->parent = ptree;
			r = compare(w, ptree, tree, ROOT, NULL, false);
		}
		if (r == 0 && i == 0)
			r = signature_check(w, c, ptree);
		git_tree_free(ptree);
		git_commit_free(p);
		ptree = NULL;
		p = NULL;
	}
	git_tree_free(tree);
	git_commit_free(c);
	return r;
}

long
history_records_check(const char *gitdir, history_fn fn, void *arg)
{
	struct walk w = {.fn = fn, .arg = arg};
	git_revwalk *walk = NULL;
	git_oid id;
	int r;

	git_libgit2_init();
	if (pack_repo_open(&w.repo, gitdir) < 0) {
		git_libgit2_shutdown();
		return -1;
	}
	/* Oldest first, so the report reads as the story of the store. */
	if (git_revwalk_new(&walk, w.repo) < 0 ||
	    git_revwalk_sorting(walk, GIT_SORT_TOPOLOGICAL | GIT_SORT_REVERSE) < 0 ||
	    git_revwalk_push_ref(walk, "refs/heads/main") < 0) {
		r = store_git_fail("walk the history of", gitdir);
	} else {
		while ((r = git_revwalk_next(&id, walk)) == 0)
			if (check_commit(&w, &id) < 0)
				break;
		if (r == GIT_ITEROVER)
			r = 0;
		else if (r < 0)
			r = store_git_fail("walk the history of", gitdir);
		else
			r = -1;         /* check_commit() failed and said why */
	}
	git_revwalk_free(walk);
	settings_free(w.cfg);
	git_repository_free(w.repo);
	git_libgit2_shutdown();
	return r < 0 ? -1 : w.found;
}

struct history {
	struct walk w;
};

int
history_open(const char *gitdir, struct history **out)
{
	struct history *h = xcalloc(1, sizeof *h);

	git_libgit2_init();
	if (pack_repo_open(&h->w.repo, gitdir) < 0) {
		git_libgit2_shutdown();
		free(h);
		*out = NULL;
		return -1;
	}
	*out = h;
	return 0;
}

void
history_close(struct history *h)
{
	if (h == NULL)
		return;
	settings_free(h->w.cfg);
	git_repository_free(h->w.repo);
	git_libgit2_shutdown();
	free(h);
}

int
history_commit_signature(struct history *h, const char *commit, char **partner, char **why)
{
	git_commit *c = NULL, *p = NULL;
	git_tree *tree = NULL;
	git_oid id;
	int r;

	*partner = *why = NULL;
	if (git_oid_fromstr(&id, commit) < 0 || git_commit_lookup(&c, h->w.repo, &id) < 0 ||
	    (git_commit_parentcount(c) > 0 && git_commit_parent(&p, c, 0) < 0) ||
	    git_commit_tree(&tree, p ? p : c) < 0)
		r = store_git_fail("read commit", commit);
	else
		r = signature_of(&h->w, c, tree, partner, why);
	git_tree_free(tree);
	git_commit_free(p);
	git_commit_free(c);
	return r;
}
