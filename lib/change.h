/*
 * change.h: the one way every program writes: as a registered, active team member, proven by
 * the member's key, in one signed commit whose message holds no case content beyond the case
 * ID.
 */
#ifndef CASUS_CHANGE_H
#define CASUS_CHANGE_H

#include "key.h"
#include "settings.h"
#include "store.h"

/*
 * A change made as a team member: the change, its view (the tip it started from plus what it
 * has staged) and the settings as of that tip.
 */
struct casus_tx {
	struct txn *t;
	const struct view *v;
	struct settings *cfg;
};
typedef int (*casus_fn)(struct casus_tx *c, void *arg);
/*
 * The program's key, to open sealed parts with (seal.h): loaded from key_path() once per
 * process, shared with casus_use_key(); valid until exit. Returns NULL without an error (and
 * err_last() untouched) when no file is at key_path(): a member without a key still reads,
 * and sees every sealed part as a marker. Returns NULL with err_set() from key_load() ("cannot
 * read key '<path>': permissions 0644 are too open") when a file is there but is not a key
 * casus can use, or when key_path() has no home to look in.
 */
const struct key *casus_key(void);
/*
 * Loads the program's key (casus_key()), and makes s sign every commit with it. Returns the
 * public key (valid until exit), or NULL with err_set() from key_load(), "cannot read key
 * '<path>': it does not exist (...)" too: whoever writes proves who they are.
 */
const unsigned char *casus_use_key(struct store *s);
/*
 * Loads the key at path as an old key of the person running the program: one they replaced
 * (case-reseal --old-key), which case_seal() and the views also open sealed parts with, and
 * which never signs. Whose key it was is the caller's to check. 0, or -1 with err_set() from
 * key_load(). casus_old_key() returns it, or NULL when none was loaded.
 */
int casus_use_old_key(const char *path);
const struct key *casus_old_key(void);
/*
 * Loads the program's key (casus_use_key()), then, in the change, the settings at its tip;
 * refuses (-1, err_set, see member_may_write()) a key that is not the current key of an
 * active member, else sets the change's author to that member's registered name and address
 * and calls fn; once fn has staged its change (returned 0), judges it by authority_txn()
 * (authority.h, the table of casus(7) AUTHORITY) before it is committed. After a commit that
 * changed the settings, or when the allowed-signers file is due, rewrites it
 * (casus_signers_update()). Returns what store_change() returns, or CASUS_UNAUTHORISED, with
 * err_set() naming the rule and who may make the change, when the change is outside its
 * author's authority: nothing is stored.
 */
enum { CASUS_UNAUTHORISED = 3 };
int casus_change(struct store *s, casus_fn fn, void *arg);
/*
 * As member_may_write() for the key of the person running the program, with the settings cfg
 * the program has read, or those at the tip when cfg is NULL: for programs that ask for work
 * (an editor) before the change, so nobody works in vain. 0 or -1 with err_set().
 */
int casus_may_write(struct store *s, const struct settings *cfg);
/*
 * Writes the allowed-signers file from the registered keys of the settings at the tip, and
 * points the store's gpg.ssh.allowedSignersFile at it (store_put_allowed_signers()). 0 or -1
 * with err_set().
 */
int casus_signers_update(struct store *s);
/*
 * A change that registers email's key pk (member-key --register): casus_change(), but in a
 * store where no member has a key yet (made before keys), its migration: then only the
 * program's own key may be registered, to email, an active member, who writes the commit,
 * signed with it; else -1 with err_set("cannot register key for '<email>': ..."). fn stages
 * the key. Returns what store_change() returns.
 */
int casus_register_key(struct store *s, const char *email, const unsigned char pk[KEY_PUBLIC_SIZE],
    casus_fn fn, void *arg);
/*
 * The exit status for a casus_change() result: 0 committed or unchanged, 1 refused (printing
 * the reason for CASUS_UNAUTHORISED), 2 error.
 */
int casus_exit(int change_result);

/* Sets the message "<progname>: <what>[ <case-id>]", the reason as body, and a Case-Id trailer. */
void casus_message(struct txn *t, const char *what, const char *case_id, const char *reason);
/*
 * Checks a -m reason: valid UTF-8 text without control characters but LF and TAB, and no line
 * that git reads as the end of a commit message (one starting with "---", a scissors line), so
 * the trailers git parses are casus's own. 0 or -1 with err_set().
 */
int casus_reason_check(const char *reason);

/* Opens the store for cli's -C (or $CASUS_REPO, or .); on failure prints why and exits 2. */
struct store *casus_open(const char *dir);
/* As casus_open(), with store_open_reader(): for a program that never writes. */
struct store *casus_open_reader(const char *dir);
/* Reads the settings at the tip; on failure prints why and exits 2. Free with settings_free(). */
struct settings *casus_settings(struct store *s);

#endif
