/*
 * store.h: the case store, a bare git repository. Programs read files from the tip of
 * refs/heads/main and write exactly one commit per change, as a compare-and-swap on the branch.
 * Writers are serialised with flock(2) on a file of casus's own inside the git directory, and
 * a change that loses a race is re-applied to the new tip. There is no index and no work tree.
 */
#ifndef CASUS_STORE_H
#define CASUS_STORE_H

#include <stdbool.h>
#include <stddef.h>

struct store;           /* an open store */
struct txn;             /* one attempt at a change: the snapshot of a tip plus staged writes */
struct view;            /* a read-only view of the store at one commit */

enum {
	STORE_COMMITTED = 0,    /* store_change(): one commit was made */
	STORE_UNCHANGED = 1,    /* store_change(): the change left the tree as it was; no commit */
	STORE_REFUSED = 2,      /* store_change(): the change function refused (a clean "no") */
	STORE_NOTFOUND = 1,     /* store_read(), txn_read(): no such file */
};

/*
 * Creates a new bare store at dir with a first empty branch, mode 2770 for directories and 0660
 * for files (nothing world-readable), core.sharedRepository = 0660 for the git command. Refuses
 * a dir that exists and is not empty. Returns 0, or -1 with err_set().
 */
int store_create(const char *dir);

/*
 * Opens the store at dir; dir NULL means $CASUS_REPO, else the current directory. Sets the
 * process umask so that nothing created is world-readable. Explains GIT_EOWNER (safe.directory).
 * Returns 0 and *out (free with store_close), or -1 with err_set().
 */
int store_open(struct store **out, const char *dir);
/*
 * As store_open(), for a program that only reads (plan-show, consent-show, share-check,
 * release-check, overleg-schedule without --commit): turns off libgit2's hashing of every
 * object it reads (strict hash verification) for the process. A program that writes, or
 * checks the store (case-validate), opens with store_open().
 */
int store_open_reader(struct store **out, const char *dir);
void store_close(struct store *s);
const char *store_path(const struct store *s);         /* the git directory */
/*
 * The libgit2 repository of s, owned by s, for the modules that walk commits and compare trees
 * (index.c): what the store's interface, built around the tip, does not give. Never write
 * through it: every write is store_change()'s.
 */
struct git_repository *store_git(struct store *s);

/* Whether the branch has a commit yet. */
bool store_has_tip(struct store *s);

/*
 * Reads path from the tip. Returns 0 with a malloc'd, NUL-terminated *buf of *len bytes,
 * STORE_NOTFOUND, or -1 with err_set().
 */
int store_read(struct store *s, const char *path, char **buf, size_t *len);

/*
 * After store_read() or txn_read() returned -1: whether it refused what the store holds at the
 * path (a symbolic link, a folder or submodule, a file larger than a document may be), which
 * case-validate reports as a problem of the store's content, rather than failed to read the
 * store at all.
 */
bool store_read_refused(void);

/*
 * Lists the names in the tree at dir ("" for the root) at the tip, sorted. *names is a
 * malloc'd array of *n malloc'd strings. A missing dir is an empty list. Returns 0 or -1.
 */
int store_list(struct store *s, const char *dir, char ***names, size_t *n);
void store_list_free(char **names, size_t n);

/*
 * Installs script as the git hook name ("pre-receive") of s: hooks/<name>, mode 0750, since the
 * group that shares the store runs it when one of them pushes, and nobody else may read the
 * store. A hook that is there already is replaced only when it holds the line marker (it is
 * casus's own, say with the program at another path); any other is the administrator's and
 * stays: -1 with err_set("cannot install hook '<path>': it exists and casus did not write it").
 * The file appears whole or not at all. Returns 0 and *path (malloc'd: the hook's file), or -1
 * with err_set().
 */
int store_hook_install(struct store *s, const char *name, const char *script, const char *marker,
    char **path);

/*
 * Sets the last error from libgit2's last one: "cannot <verb> '<object>': <libgit2's reason>",
 * or, object NULL, "cannot <verb>: <libgit2's reason>", for modules that call libgit2
 * themselves (history.c). Returns -1.
 */
int store_git_fail(const char *verb, const char *object);

/*
 * The git identity of the person running the program: GIT_AUTHOR_NAME/GIT_AUTHOR_EMAIL, else
 * user.name/user.email from git config. It decides no commit's author (the key does, see
 * change.h); case-init takes the first member's name and address from it. Refuses, with err_set(), an identity that store_ident_check() refuses. Returns 0
 * with *name and *email malloc'd (the caller frees them), or -1 with both NULL.
 */
int store_identity(struct store *s, char **name, char **email);

/*
 * Whether git can write name and email into a commit as they are: both well-formed UTF-8,
 * not empty or only spaces, without '<' or '>' (libgit2 refuses them) and without control
 * characters (C0, DEL, C1), line or paragraph separators or bidirectional formatting
 * characters (U+202A-U+202E, U+2066-U+2069), which git would write raw into the author line.
 * Returns NULL if they can be written, else a static reason such as "the name has a control
 * character" (it names the name or the address, never quotes them).
 */
const char *store_ident_check(const char *name, const char *email);

/*
 * The signer of every commit: fn is given the commit object's content (len bytes, what git
 * verifies a "gpgsig" header against) and returns 0 with *armored, a malloc'd SSH signature
 * block without a final newline, or -1 with err_set(). arg is passed through. A store without
 * a signer writes no commit: store_change() fails with "no key to sign the commit with".
 */
typedef int (*store_sign_fn)(void *arg, const char *content, size_t len, char **armored);
void store_set_signer(struct store *s, store_sign_fn fn, void *arg);

/*
 * A change. fn is called with a txn on the current tip; it reads with txn_read()/txn_list()
 * and stages writes with txn_write(), sets the message with txn_message()/txn_trailer(), and
 * returns 0 to commit, STORE_REFUSED to stop cleanly, or -1 (err_set) for an error. If the
 * branch moved before the commit lands, everything staged is dropped and fn is called again on
 * the new tip, so fn must compute its change from what it reads through txn. fn must not keep
 * anything from a previous call.
 *
 * Returns STORE_COMMITTED, STORE_UNCHANGED (the staged tree equals the tip's: no commit),
 * STORE_REFUSED, or -1. Nothing is written to the branch unless STORE_COMMITTED.
 */
typedef int (*store_fn)(struct txn *t, void *arg);
int store_change(struct store *s, store_fn fn, void *arg);
/*
 * As store_change(), and after a commit, still holding the store's lock, calls after(s, arg)
 * (0, or -1 with err_set()), so that what is kept beside the branch (the allowed-signers file)
 * is made from the tip no other writer can have moved. The commit stands whatever after
 * returns; -1 from it makes the result -1.
 */
int store_change_then(struct store *s, store_fn fn, void *arg, int (*after)(struct store *s,
    void *arg));

/*
 * The allowed-signers file git verifies the store's commits with: writes text to
 * <gitdir>/casus-allowed-signers (whole or not at all, mode 0660) and points the store's
 * gpg.ssh.allowedSignersFile at it. Returns 0 or -1 with err_set(); when the file could not
 * be written the old one is removed, so that store_allowed_signers_due() says so.
 */
int store_put_allowed_signers(struct store *s, const char *text);
/*
 * Whether the allowed-signers file is missing, or gpg.ssh.allowedSignersFile does not point
 * at it (a store moved or cloned): then store_put_allowed_signers() is due.
 */
bool store_allowed_signers_due(struct store *s);

/* The id of the commit store_change() made last, as 40 hex digits, or "" if none. */
const char *store_last_commit(const struct store *s);

/* Reads path as staged in t (staged writes win over the tip). Same returns as store_read(). */
int txn_read(struct txn *t, const char *path, char **buf, size_t *len);
int txn_list(struct txn *t, const char *dir, char ***names, size_t *n);
/* Stages path with data (len bytes, copied), replacing what is there. path: no "..", no leading "/". */
int txn_write(struct txn *t, const char *path, const char *data, size_t len);
/* Stages the removal of the file at path. Returns 0, STORE_NOTFOUND, or -1. */
int txn_remove(struct txn *t, const char *path);
/*
 * The commit message: subject line and optional body (the user's reason), copied and quoted
 * for git by quote_line() and quote_body().
 */
void txn_message(struct txn *t, const char *subject, const char *body);
/*
 * Adds a trailer "Key: value" to the message (e.g. Case-Id), each made one line by
 * quote_line(), so a value can never start a trailer of its own. "Program: progname" is
 * added always.
 */
void txn_trailer(struct txn *t, const char *key, const char *value);
/*
 * Sets the author (and committer) of this change, copied. The change function must set one:
 * txn_commit() refuses a commit without an author, or with one that store_ident_check()
 * refuses. The key decides who writes (change.c); the store only writes what it is told.
 */
void txn_author(struct txn *t, const char *name, const char *email);
/* The author email and name of this change, as txn_author() set them; NULL before. */
const char *txn_author_email(const struct txn *t);
const char *txn_author_name(const struct txn *t);
/* Whether t has staged a write or removal of path (whatever its content). */
bool txn_touches(const struct txn *t, const char *path);
struct store *txn_store(struct txn *t);

/*
 * Views. Every reader of documents reads through a view, so that all it reads comes from one
 * commit: store_read() resolves the branch on each call, and a reader that read a plan and
 * then the consent records could see two commits when another writer landed in between. The
 * view of a change is the tip it started from with what it has staged on top, so the rules a
 * writer checks read exactly what the commit will hold.
 *
 * A view resolves the branch once, when it is made, and keeps the trees of the folders it has
 * looked up (cases/, every cases/xx, the last few case folders) until view_close(), so a file
 * is found from its folder, not from the root each time; a change's two views share theirs.
 * Nothing is kept beyond the view: a program that wants a newer tip makes a new view.
 */
/*
 * A view of the tip as it is now. Returns 0 with *out (free with view_close()), or -1 with
 * err_set(). A store whose branch is unborn gives an empty view.
 */
int store_view(struct store *s, struct view **out);
/*
 * A view of the store at commit, any commit of its object database whether on the branch or
 * not (the guard of a central store reads each pushed commit before the branch moves): commit
 * is its ID, 40 hex digits. Returns 0 with *out (free with view_close()), STORE_NOTFOUND when
 * commit is not an ID or no such commit is in the store, or -1 with err_set().
 */
int store_view_at(struct store *s, const char *commit, struct view **out);
/*
 * As store_view_at(), for a commit that must be there (one the index reflects, a tip just
 * read): 0 with *out, or -1 with err_set(), "cannot read commit ... of the store: not found"
 * when it is not.
 */
int store_view_commit(struct store *s, const char *commit, struct view **out);
/*
 * A view of the commit v is of (or an empty one, as v), through a new handle on v's store
 * (store_open(): a libgit2 repository is for one thread at a time), for another thread to read
 * beside v. v must be a plain view, not a change's. Returns 0 with *out and *sout (close the
 * view, then the store), or -1 with err_set().
 */
int view_twin(const struct view *v, struct store **sout, struct view **out);
/*
 * Makes the objects of the object directory objdir readable through s, after those of the
 * store: what a git pre-receive hook needs, since git keeps a push's objects apart (in
 * $GIT_QUARANTINE_PATH) until the hook accepts it, and libgit2 reads no environment unless
 * asked. Returns 0, or -1 with err_set().
 */
int store_add_objects(struct store *s, const char *objdir);
/* Frees a view from store_view(); NULL is allowed. Never pass txn_view()'s. */
void view_close(struct view *v);
/* The view of change t: its tip plus its staged writes. Owned by t, valid while fn runs. */
const struct view *txn_view(struct txn *t);
/*
 * The view of t's tip as it was before anything was staged: what a change is judged against
 * (authority.h). Owned by t, valid while fn runs; never pass it to view_close().
 */
const struct view *txn_base_view(struct txn *t);
/*
 * The paths t has staged so far, written or removed, sorted, for the judge of who may change
 * what. A path staged with the bytes the tip already holds is listed too: compare the two
 * views to know whether it differs. *paths is a malloc'd array of *n malloc'd strings
 * (store_list_free). Returns 0.
 */
int txn_staged_paths(struct txn *t, char ***paths, size_t *n);
/* As store_read() and store_list(), through the view. */
int view_read(const struct view *v, const char *path, char **buf, size_t *len);
int view_list(const struct view *v, const char *dir, char ***names, size_t *n);
/*
 * view_list() for a folder that may be missing or be something else: 0 with the names (none
 * when nothing is there); 1 with nothing listed when something other than a folder is there,
 * and then store_read_refused() tells a file (false) from a link, a submodule or a file larger
 * than casus reads (true, and err_last() says which), as case-validate reports them; -1 with
 * err_set() on a failure to read the store (a damaged tree among them).
 */
int view_list_folder(const struct view *v, const char *dir, char ***names, size_t *n);
/*
 * Reads the file whose blob ID is hex (40 hex digits) through v's repository, wherever it
 * stands: an earlier version of the file at path, whose ID the caller kept (path is for
 * messages: "cannot read an earlier version of 'PATH': ..."). As view_read(): 0 with *buf
 * malloc'd and NUL-ended, or -1 with err_set(), and store_read_refused() when the file is
 * larger than casus reads.
 */
int view_read_blob(const struct view *v, const char *hex, const char *path, char **buf,
    size_t *len);
/*
 * A scan of a two-level folder (dir "cases": its fan-out folders and the cases in them):
 * calls fn(arg, sub, name) for every entry name in every folder sub right below dir, in no
 * set order, read from the trees themselves rather than listed and sorted folder by folder.
 * What is not a folder, right below dir or at dir itself, is passed over (case-validate
 * reports it); a missing dir calls fn never. Through a change's view its staged writes
 * count. fn returns 0 to go on or -1 (err_set) to stop. Returns 0, or -1 with err_set().
 */
typedef int (*view_scan_fn)(void *arg, const char *sub, const char *name);
int view_scan(const struct view *v, const char *dir, view_scan_fn fn, void *arg);


#endif
