/*
 * change.c: writing as a team member. casus_change() refuses a key that is not an active
 * member's current key before anything is staged, and signs every commit with it.
 */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "authority.h"
#include "change.h"
#include "key.h"
#include "cli.h"
#include "mem.h"
#include "msg.h"

struct member_check {
	casus_fn fn;
	void *arg;
	const unsigned char *pk;
	bool settings_changed;          /* the last call of fn staged casus.yaml */
	bool unauthorised;              /* authority_txn() refused the last attempt */
};

/*
 * The program's key: one person runs one program, so it is read once, for signing and for
 * opening sealed parts alike. key_missing: no file at key_path(); key_error: why it did not
 * load (kept to say again).
 */
static struct key *the_key, *old_key;
static bool key_tried, key_missing;
static char *key_error;

/* Wipes the secret half at exit (key_free() does), so no copy outlives its use in memory. */
static void
forget_key(void)
{
	key_free(the_key);
	key_free(old_key);
	the_key = old_key = NULL;
	free(key_error);
	key_error = NULL;
}

static int
sign(void *arg, const char *content, size_t len, char **armored)
{
	return sshsig_sign(arg, "git", content, len, armored);
}

static void
load_key(void)
{
	struct stat st;
	char *path, *before;

	if (key_tried)
		return;
	key_tried = true;
	atexit(forget_key);
	path = key_path();
	if (path == NULL) {
		key_error = xstrdup(err_last());
		return;
	}
	key_missing = lstat(path, &st) < 0 && errno == ENOENT;
	before = xstrdup(err_last());
	if (key_load(&the_key, path) < 0)
		key_error = xstrdup(err_last());
	/* No key is no error to a reader: what was the last error stays so. */
	if (key_missing && before[0] != '\0')
		err_set("%s", before);
	else if (key_missing)
		err_clear();
	free(before);
	free(path);
}

const struct key *
casus_key(void)
{
	load_key();
	if (the_key == NULL && !key_missing)
		err_set("%s", key_error);
	return the_key;
}

int
casus_use_old_key(const char *path)
{
	load_key();             /* registers forget_key(), which wipes this one too */
	key_free(old_key);
	old_key = NULL;
	return key_load(&old_key, path);
}

const struct key *
casus_old_key(void)
{
	return old_key;
}

const unsigned char *
casus_use_key(struct store *s)
{
	load_key();
	if (the_key == NULL) {
		err_set("%s", key_error);
		return NULL;
	}
	store_set_signer(s, sign, the_key);
	return key_public(the_key);
}

static int
as_member(struct txn *t, void *arg)
{
	struct member_check *mc = arg;
	struct casus_tx c = {.t = t};
	const struct member *m;
	int r;

	mc->settings_changed = false;
	c.v = txn_view(t);
	c.cfg = settings_read(c.v, NULL);
	if (c.cfg == NULL)
		return -1;
	if (member_may_write(c.cfg, mc->pk, &m) < 0) {
		settings_free(c.cfg);
		return -1;
	}
	txn_author(t, m->name, m->email);
	r = mc->fn(&c, mc->arg);
	/* Judged once staged and before the commit: what is judged is what would be stored. */
	mc->unauthorised = false;
	if (r == 0) {
		r = authority_txn(t, c.cfg);
		mc->unauthorised = r == STORE_REFUSED;
	}
	mc->settings_changed = txn_touches(t, CASUS_CONFIG);
	settings_free(c.cfg);
	return r;
}

int
casus_may_write(struct store *s, const struct settings *cfg)
{
	struct settings *read = NULL;
	const unsigned char *pk = casus_use_key(s);
	const struct member *m;
	int r = -1;

	if (pk == NULL)
		return -1;
	if (cfg == NULL) {
		struct view *v;

		if (store_view(s, &v) == 0) {
			cfg = read = settings_read(v, NULL);
			view_close(v);
		}
	}
	if (cfg != NULL)
		r = member_may_write(cfg, pk, &m);
	settings_free(read);
	return r;
}

int
casus_signers_update(struct store *s)
{
	struct settings *cfg = NULL;
	struct view *v;
	char *text;
	int r;

	if (store_view(s, &v) == 0) {
		cfg = settings_read(v, NULL);
		view_close(v);
	}
	if (cfg == NULL)
		return -1;
	text = settings_allowed_signers(cfg);
	r = store_put_allowed_signers(s, text);
	free(text);
	settings_free(cfg);
	return r;
}

/*
 * Writes the allowed-signers file after a commit, and never fails the change: the commit has
 * landed, and a program that said it failed would be run again and commit twice. What went
 * wrong is said as a warning; the next change finds the file due and writes it again.
 */
static int
signers_refresh(struct store *s, void *arg)
{
	(void)arg;
	if (casus_signers_update(s) < 0)
		warnmsg("warning: %s; the change itself was committed, and the next change writes "
		    "the file again", err_last());
	err_clear();
	return 0;
}

/*
 * After a commit, under the store's lock, so that two writers that changed the settings one
 * after the other cannot leave the file of the first. The commit has landed whatever happens
 * here; a file that could not be written is written by the next change, which finds it due.
 */
static int
signers_after(struct store *s, void *arg)
{
	struct member_check *mc = arg;

	if (!mc->settings_changed && !store_allowed_signers_due(s))
		return 0;
	return signers_refresh(s, NULL);
}

int
casus_change(struct store *s, casus_fn fn, void *arg)
{
	struct member_check mc = {.fn = fn, .arg = arg};
	int r;

	mc.pk = casus_use_key(s);
	if (mc.pk == NULL)
		return -1;
	r = store_change_then(s, as_member, &mc, signers_after);
	return r == STORE_REFUSED && mc.unauthorised ? CASUS_UNAUTHORISED : r;
}

int
casus_exit(int r)
{
	switch (r) {
	case STORE_COMMITTED:
	case STORE_UNCHANGED:
		return EXIT_YES;
	case STORE_REFUSED:
		return EXIT_NO;
	case CASUS_UNAUTHORISED:
		err_print();
		return EXIT_NO;
	default:
		err_print();
		return EXIT_ERROR;
	}
}

void
casus_message(struct txn *t, const char *what, const char *case_id, const char *reason)
{
	char *subject = case_id ? xasprintf("%s: %s %s", progname, what, case_id)
	    : xasprintf("%s: %s", progname, what);

	txn_message(t, subject, reason);
	if (case_id)
		txn_trailer(t, "Case-Id", case_id);
	free(subject);
}

int
casus_reason_check(const char *reason)
{
	/* git's cut line; a scissors line is the reader's core.commentChar, a space and this. */
	static const char cut[] = "------------------------ >8 ------------------------";

	if (reason == NULL)
		return 0;
	if (reason[0] == '\0' || !text_ok(reason, strlen(reason), true)) {
		err_set("cannot use the reason: it must be non-empty UTF-8 text without control characters");
		return -1;
	}
	/*
	 * The reason is the body and casus's trailers follow it as the last paragraph, so a reason
	 * that ends in "Key: value" lines, or has "# " lines, is just text to git 2.39. What is
	 * not text is a line that ends the message early and makes the paragraph above it the
	 * trailers: `git interpret-trailers --parse` stops at a line of "---" (the patch divider,
	 * where git am stops too), and it and `git log --format=%(trailers)` ignore everything
	 * below a scissors line, whatever the comment character. "x\n\nCase-Id: B-1\n---" made
	 * interpret-trailers report Case-Id B-1 and nothing of casus's; a scissors line did the
	 * same to both.
	 */
	for (const char *line = reason, *nl; line != NULL; line = nl ? nl + 1 : NULL) {
		nl = strchr(line, '\n');
		if (strncmp(line, "---", 3) == 0) {
			err_set("cannot use the reason: a line starting with '---' ends a commit message for git");
			return -1;
		}
	}
	if (strstr(reason, cut) != NULL) {
		err_set("cannot use the reason: git ignores a commit message below a scissors line");
		return -1;
	}
	return 0;
}

/*
 * The migration of a store made before keys existed (casus(7), Keys). Nobody there can prove
 * who they are, so the rule that held before keys holds once more, for one commit only: an
 * active member registers their own key, the one the program holds, and the commit is theirs,
 * signed with it. From then on the key decides, and that member registers the others' keys.
 * Once, for the whole store, and not partner by partner: a partner left without keys would
 * stay open to whoever claims it first, and a commit signed by a key its parent does not know
 * is what case-validate --history and the guard refuse; the store's first key has no parent
 * key to be judged by.
 */
struct first_key {
	casus_fn fn;
	void *arg;
	const char *email;
	const unsigned char *pk, *own;
	bool unauthorised;
};

static int
as_first_key(struct txn *t, void *arg)
{
	struct first_key *fk = arg;
	struct casus_tx c = {.t = t};
	const struct member *m;
	int r = -1;

	c.v = txn_view(t);
	if ((c.cfg = settings_read(c.v, NULL)) == NULL)
		return -1;
	m = settings_member(c.cfg, fk->email);
	if (m == NULL || !m->active)
		err_set("cannot register key for '%s': %s", fk->email, m == NULL
		    ? "not a registered team member" : "no longer an active team member");
	else if (settings_has_keys(c.cfg))
		err_set("cannot register key for '%s': a key was registered meanwhile (run it again)",
		    m->email);
	else if (memcmp(fk->pk, fk->own, KEY_PUBLIC_SIZE) != 0)
		err_set("cannot register key for '%s': no member of this store has a key yet, and "
		    "the first must be your own (CASUS_KEY), registered to you", m->email);
	else
		r = 0;
	if (r == 0) {
		txn_author(t, m->name, m->email);
		r = fk->fn(&c, fk->arg);
	}
	/* Judged as every change is, though the only member it may touch is the writer. */
	if (r == 0) {
		r = authority_txn(t, c.cfg);
		fk->unauthorised = r == STORE_REFUSED;
	}
	settings_free(c.cfg);
	return r;
}

int
casus_register_key(struct store *s, const char *email, const unsigned char pk[KEY_PUBLIC_SIZE],
    casus_fn fn, void *arg)
{
	struct first_key fk = {.fn = fn, .arg = arg, .email = email, .pk = pk};
	struct settings *cfg = NULL;
	const struct member *m;
	struct view *v;
	bool first;
	int r;

	if ((fk.own = casus_use_key(s)) == NULL)
		return -1;
	if (store_view(s, &v) == 0) {
		cfg = settings_read(v, NULL);
		view_close(v);
	}
	if (cfg == NULL)
		return -1;
	/* A migration checks its conditions again inside the change, on the tip it starts from. */
	m = settings_member(cfg, email);
	first = m != NULL && !settings_has_keys(cfg);
	settings_free(cfg);
	if (!first)
		return casus_change(s, fn, arg);
	r = store_change_then(s, as_first_key, &fk, signers_refresh);
	return r == STORE_REFUSED && fk.unauthorised ? CASUS_UNAUTHORISED : r;
}
