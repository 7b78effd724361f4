/*
 * settings.h: a store's settings (casus.yaml), decoded once after schema validation: the
 * partners, the information categories, the consultation cadence and the team members. Every
 * rule that reads the settings reads this struct; doc_get() on casus.yaml stays in here.
 */
#ifndef CASUS_SETTINGS_H
#define CASUS_SETTINGS_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "doc.h"
#include "key.h"
#include "problem.h"
#include "store.h"

#define CASUS_CONFIG "casus.yaml"

/*
 * A period in which a partner shared under art. 458ter (R11): from since, the day it was
 * switched on, up to but not including until, the day it was switched off. since {0}: from the
 * store's beginning (the old form "shares_under_458ter: true" reads as one such open period);
 * until {0}: still on.
 */
struct period_458ter {
	struct date since, until;
	int line;
};

struct partner_cfg {
	const char *id;                 /* "dg-epi" */
	const char *name;
	struct period_458ter *shares;   /* shares_under_458ter, in file order; none: never */
	size_t nshares;
	int line, shares_line;          /* shares_line: the key's line, else the partner's */
};

struct category_cfg {
	const char *id;                 /* "psychosocial" */
	const char *description;
	int domain;                     /* the life domain it is the information of (enum domain), or -1 */
	int line;
};

/*
 * A public key registered to a member, valid from since up to and including until ({0}: still
 * current). A member's current key is the one without until.
 */
struct member_key {
	const char *text;               /* the public-key line as stored */
	unsigned char pk[KEY_PUBLIC_SIZE];
	bool ok;                        /* text parsed; settings_check() reports it if not */
	struct date since, until;
	int line;
};

struct member {
	const char *email, *name, *partner;
	const char *role;               /* NULL if none */
	bool active;
	bool admin;                     /* admin: true, an administrator of the store-wide settings */
	struct date since, until;       /* {0} when absent */
	int line, partner_line;
	struct member_key *keys;        /* in file order; none: registered before keys */
	size_t nkeys;
};

/*
 * The decoded settings. Every string points into doc, which the struct owns: writers that
 * change the settings edit doc and put it with casus_put_config().
 */
struct settings {
	struct doc *doc;
	const char *institution;
	struct partner_cfg *partners;   /* in file order */
	size_t npartners;
	struct category_cfg *categories;
	size_t ncategories;
	struct duration cadence, pre_leave_lead;
	struct member *members;
	size_t nmembers;
	int members_line;
};

/*
 * Decodes d, a tree that passed the "casus" schema, taking ownership of it (freed with the
 * result even on failure). Returns the settings, or NULL with err_set("cannot read
 * 'casus.yaml': ...") if d does not have the schema's shape.
 */
struct settings *settings_decode(struct doc *d);
void settings_free(struct settings *cfg);                 /* NULL is allowed */

/*
 * Reads, validates and decodes casus.yaml through v. With ps NULL, the first problem becomes
 * the error; else every problem is appended to ps. NULL with err_set() on failure, naming
 * case-init when the store has no settings.
 */
struct settings *settings_read(const struct view *v, struct problems *ps);

/* The member with this address (compared without regard to case, as mail does), or NULL. */
const struct member *settings_member(const struct settings *cfg, const char *email);
/*
 * The member whose current key (the one without until) is pk, active or not, or NULL. A key
 * is one person: settings_check() refuses a key registered to two members.
 */
const struct member *settings_member_by_key(const struct settings *cfg,
    const unsigned char pk[KEY_PUBLIC_SIZE]);
/* The member's current key, or NULL if it has none. */
const struct member_key *member_current_key(const struct member *m);
/*
 * A new member item for casus.yaml, as member-add and case-init register one: email, name,
 * partner, role (NULL: none), active since since, with the public-key line key as their one
 * key since the same day. The strings are copied. The caller owns the tree.
 */
struct doc *settings_member_item(const char *email, const char *name, const char *partner,
    const char *role, const char *key, const char *since);
/* A new item of a member's keys: the public-key line key, registered since since. Copied. */
struct doc *settings_key_item(const char *key, const char *since);
/* Whether any member has a key registered: a store made before keys existed has none. */
bool settings_has_keys(const struct settings *cfg);
/*
 * The allowed-signers text git verifies the store's commits with (see casus(7), KEYS): one
 * line per registered key that parses, "<address> namespaces="git",valid-after="YYYYMMDD"
 * [,valid-before="YYYYMMDD"] ssh-ed25519 AAAA...". malloc'd; "" when no key is registered.
 */
char *settings_allowed_signers(const struct settings *cfg);
const struct partner_cfg *settings_partner(const struct settings *cfg, const char *id);
const struct category_cfg *settings_category(const struct settings *cfg, const char *id);
/*
 * The category that holds the information of life domain d (enum domain): the one named like
 * the domain, else the first that names it as its domain; NULL if none.
 */
const struct category_cfg *settings_domain_category(const struct settings *cfg, int d);
/*
 * Whether partner shared under art. 458ter on day on: whether a period of its setting holds
 * that day. false for an unknown partner.
 */
bool settings_shares_458ter(const struct settings *cfg, const char *partner, struct date on);
/* "since 2026-01-01 until 2026-03-01", "since the store's beginning": for messages, in buf. */
const char *period_458ter_text(const struct period_458ter *p, char buf[64]);
/*
 * Switches partner's art. 458ter setting on (a new period since today, unless one is open) or
 * off (the open period ends: until today), in d, the settings' tree that cfg was decoded from
 * or a copy of it; the earlier periods stay. Writes the list form only when something changes.
 * Returns 1 if d changed, 0 if the setting already was so, -1 with err_set() for an unknown
 * partner.
 */
int settings_switch_458ter(struct doc *d, const struct settings *cfg, const char *partner, bool on,
    struct date today);

/* "dg-epi, welzijn, justitiehuizen": the partners, or the categories, for messages; malloc'd. */
char *settings_partner_list(const struct settings *cfg);
char *settings_category_list(const struct settings *cfg);

/*
 * The checks that take the settings, shared by every kind's check function: each appends
 * "unknown partner 'x' (known: ...)" (or category, or "'a@b' is not a registered team
 * member", or "'a@b' is a member for P, not Q") to ps at file:line under path when it fails.
 * partner may be NULL (no check). Returns whether it passed.
 */
bool settings_check_partner(const struct settings *cfg, const char *partner, const char *file,
    int line, const char *path, struct problems *ps);
bool settings_check_category(const struct settings *cfg, const char *category, const char *file,
    int line, const char *path, struct problems *ps);
/* for_partner NULL: any partner. */
bool settings_check_member(const struct settings *cfg, const char *email, const char *for_partner,
    const char *file, int line, const char *path, struct problems *ps);

/*
 * R9, the one rule of who can be named on a case (in a plan's team or role agreements, as the
 * reintegration plan's follow-up, as present at a consultation): whether the member with this
 * address was an active team member on day. A member who left is one no longer active; with
 * an "until" date they were still a member up to and including that day (member-remove sets
 * it to the day of removal), without one they count as gone on every day. day {0} asks about
 * now: the active flag alone. An address not registered passes here: settings_check_member()
 * reports it.
 */
bool settings_member_active(const struct settings *cfg, const char *email, struct date day);
/*
 * settings_member_active() as a check: when it fails, appends "'a@b' left the team on DATE"
 * (or "'a@b' is no longer an active team member", without an until date) to ps at file:line
 * under path. email NULL passes. Returns whether it passed.
 */
bool settings_check_active(const struct settings *cfg, const char *email, struct date day,
    const char *file, int line, const char *path, struct problems *ps);

/*
 * 0 if git can write commits with the member's registered name and address (the store's own
 * store_ident_check()), else -1 with err_set("cannot write as '<address>': <why>"): the one
 * rule for whether a registered member can write at all.
 */
int member_ident_check(const struct member *m);
/*
 * Whether m can write: active, passing member_ident_check(), and with a current key, unless
 * the store has no keys at all (made before keys: nobody can write there until one is
 * registered, and member-key --register must still find who may).
 */
bool member_can_write(const struct settings *cfg, const struct member *m);
/* The number of members who can write (member_can_write()). */
size_t settings_writers(const struct settings *cfg);
/*
 * The one rule for who writes, used by every writer: the holder of the key pk may write when
 * it is the current key of an active member of cfg. Returns 0 with *m that member, else -1
 * with err_set(): "cannot write as 'SHA256:...': the key is not registered to a member of this
 * store", "cannot write as '<email>': no longer an active team member of this store", or, in a
 * store where no member has a key yet, "cannot write as 'SHA256:...': no member of this store
 * has a key registered yet (register yours with member-key --register)".
 */
int member_may_write(const struct settings *cfg, const unsigned char pk[KEY_PUBLIC_SIZE],
    const struct member **m);

/*
 * The check of the settings for what the schema cannot say: every member's partner is known,
 * every address is one git can write with, no e-mail is registered twice, and at least one
 * active member can write (else nobody could ever write again); every key is an ssh-ed25519
 * public-key line, no key ends before it begins, a member has at most one current key (no
 * until), no key is registered to two members, and once keys exist an active member has one; each partner's art. 458ter
 * periods are in order, none ends before it begins, none overlaps the one before it, and only
 * the last is open. file names casus.yaml.
 */
void settings_check(const struct settings *cfg, const char *file, struct problems *ps);
/*
 * The check of a change of settings from old to cfg on day today, for what must not be
 * rewritten (R11): each partner's art. 458ter periods of old are still there, in place; a
 * closed one unchanged, an open one with the same since and, if closed now, not before today;
 * a new period begins today or later. The same for each member's keys (R2): each key of old
 * still the same member's, in place, with its since; a closed one with its until; an open one
 * closed today or later; a new key registered today or later. Appends each problem to ps
 * (file names casus.yaml).
 */
void settings_history_check(const struct settings *old, const struct settings *cfg,
    struct date today, const char *file, struct problems *ps);
/*
 * The whole check of settings given as a tree, as a writer of settings makes it: the schema,
 * then settings_check(). Returns the decoded settings (of a copy of d; d stays the caller's),
 * or NULL with the problems appended to ps (or err_set() if it could not be decoded).
 */
struct settings *settings_validate(const struct doc *d, const char *file, struct problems *ps);

#endif
