/*
 * casus.h: the domain of casus: where things live in a store, the store's settings
 * (casus.yaml), team members, case IDs, and the one way every program writes: as a
 * registered, active team member, in one commit with a message free of case content.
 */
#ifndef CASUS_CASUS_H
#define CASUS_CASUS_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "doc.h"
#include "problem.h"
#include "schema.h"
#include "store.h"

#define CASUS_CONFIG "casus.yaml"

/* A file built into the programs (the schemas). */
struct casus_file {
	const char *name;
	const char *data;
	size_t len;
};
extern const struct casus_file casus_schema_files[];   /* NULL-terminated; generated */

/* The minimum life domains of R3, and the core partners, NULL-terminated. */
extern const char *const casus_domains[];
extern const char *const casus_partners[];

/* The compiled built-in schema "casus" or "plan" (cached for the process). Dies if it is broken. */
const struct schema *casus_schema(const char *name);

/*
 * Checks a case ID: 1 to 64 letters, digits, '-', '_' or '.', not starting with '.' or '-', no
 * "..". Returns 0, or -1 with err_set("cannot use case ID '...': ...") (the ID shown escaped).
 */
int case_id_check(const char *id);
/* "cases/<fan-out>/<id>": the fan-out is two hex digits of a hash of the ID, stable forever. */
char *case_dir(const char *id);
/* "cases/<fan-out>/<id>/<name>". */
char *case_path(const char *id, const char *name);

/*
 * The IDs of every case in the store, as of the tip (s) or of a change (t), sorted; folders
 * that are not valid case IDs in their right fan-out folder are left out (case-validate reports
 * them). *ids is a malloc'd array of *n malloc'd strings (store_list_free). 0 or -1.
 */
int case_ids(struct store *s, struct txn *t, char ***ids, size_t *n);
/*
 * Reads the event files of a case's folder ("consent", "overleg") as of the tip (s) or of a
 * change (t): each validated with schema, named "<key>.yaml" after its field key, and of this
 * case. *docs is a malloc'd array of *n trees, in name order. 0, or -1 with err_set().
 */
int case_events_read(struct store *s, struct txn *t, const char *case_id, const char *folder,
    const char *schema, const char *key, struct doc ***docs, size_t *n);

/* Reads a case's plan as of the tip (s) or of a change (t). NULL with err_set(). */
struct doc *plan_read(struct store *s, struct txn *t, const char *id);

/*
 * Parses buf as one casus document and validates it with the named built-in schema. Returns
 * the tree, or NULL with the problems appended to ps (file names them).
 */
struct doc *casus_parse(const char *buf, size_t len, const char *file, const char *schema,
    struct problems *ps);
/*
 * The canonical bytes of d: keys in the schema's order, then emitted. Refuses (-1, err_set) a
 * result larger than doc_limits_casus allows a file to be read, so what casus stores it can
 * read back. Returns 0 with *out malloc'd, or -1.
 */
int casus_dump(struct doc *d, const char *schema, char **out, size_t *len);

/* Settings (a validated casus.yaml tree). */
const struct doc *config_member(const struct doc *cfg, const char *email);      /* NULL if none */
bool config_member_active(const struct doc *cfg, const char *email);
bool config_partner(const struct doc *cfg, const char *partner);
bool config_category(const struct doc *cfg, const char *category);
/* "dg-epi, welzijn, justitiehuizen": the known partners (or categories), malloc'd. */
char *config_list(const struct doc *cfg, const char *key);

/*
 * 0 if git can write commits with the member's registered name and address (the store's own
 * store_ident_check()), else -1 with err_set("cannot write as '<address>': <why>"): the one
 * rule for whether a registered member can write at all.
 */
int member_ident_check(const struct doc *member);
/* The number of active members who pass member_ident_check(): those who can write. */
size_t config_writers(const struct doc *cfg);

/*
 * Checks what the schema cannot in casus.yaml: every member's partner is known, every address
 * is one git can write with, no e-mail is registered twice, and at least one active member can
 * write (else nobody could ever write again).
 */
void config_check(const struct doc *cfg, const char *file, struct problems *ps);

/*
 * The one way new settings are written. Checks cfg with the schema and config_check(); then,
 * with old the settings it replaces (NULL for a new store), checks every case staged in t that
 * passes the cross-checks that read the settings (plan_check(), reintegration_check(),
 * event_check()) with old, and refuses cfg if any such case fails them with cfg. Then stages
 * the canonical bytes of cfg at casus.yaml.
 * Returns 0; STORE_REFUSED with err_set("cannot <what>: ...") and the problems appended to ps
 * (for broken cases: those of the first few, then a count of the rest); or -1 with err_set().
 */
int casus_put_config(struct txn *t, const struct doc *old, struct doc *cfg, const char *what,
    struct problems *ps);

/*
 * Checks what a schema cannot: that a plan's team and owners name known partners and registered
 * members of the right partner, that its dates are in order, and that its case ID is id.
 */
void plan_check(const struct doc *cfg, const struct doc *plan, const char *id,
    const char *file, struct problems *ps);

/*
 * Checks what the schema cannot in a reintegration plan: its case ID, owners and the partners
 * it names are known, the follow-up member is registered for justitiehuizen, and the
 * categories it needs exist.
 */
void reintegration_check(const struct doc *cfg, const struct doc *r, const char *id,
    const char *file, struct problems *ps);

/*
 * Checks what the schema cannot in a consent or consultation record: the partners it names
 * ("to", "participants") and its categories are known in cfg.
 */
void event_check(const struct doc *cfg, const struct doc *d, const char *file, struct problems *ps);

/* Reads and validates casus.yaml as of the store's tip or a txn. */
struct doc *config_read(struct store *s, struct problems *ps);
struct doc *txn_config(struct txn *t);              /* NULL with err_set() */
/*
 * Validates a case's document of a kind ("plan" or "reintegration": schema and cross-checks)
 * and stages its canonical bytes at the case's "<kind>.yaml". 0 or -1 (err_set).
 */
int txn_put_case_doc(struct txn *t, const struct doc *cfg, struct doc *d, const char *id,
    const char *kind);

/*
 * A change made as a team member: loads the settings at the tip, refuses (-1, err_set) an
 * author who is not an active registered member, then calls fn with them. Returns what
 * store_change() returns.
 */
struct casus_tx {
	struct txn *t;
	struct doc *cfg;
};
typedef int (*casus_fn)(struct casus_tx *c, void *arg);
int casus_change(struct store *s, casus_fn fn, void *arg);
/* 0 if email may write (an active member of cfg), else -1 with err_set("cannot write as ..."). */
int member_may_write(const struct doc *cfg, const char *email);
/*
 * As member_may_write() for the person running the program, with the settings cfg the program
 * has read, or those at the tip when cfg is NULL: for programs that ask for work (an editor)
 * before the change, so nobody works in vain.
 */
int casus_may_write(struct store *s, const struct doc *cfg);
/* The exit status for a store_change() result: 0 committed or unchanged, 1 refused, 2 error. */
int casus_exit(int change_result);

/* Sets the message "<progname>: <what>[ <case-id>]", the reason as body, and a Case-Id trailer. */
void casus_message(struct txn *t, const char *what, const char *case_id, const char *reason);
/*
 * Checks a -m reason: valid UTF-8 text without control characters but LF and TAB, and no line
 * that git reads as the end of a commit message (one starting with "---", a scissors line), so
 * the trailers git parses are casus's own. 0 or -1 with err_set().
 */
int casus_reason_check(const char *reason);

/* Whether s is one of the strings of the NULL-terminated list. */
bool str_in_list(const char *const *list, const char *s);

/* Opens the store for cli's -C (or $CASUS_REPO, or .); dies with the message on failure. */
struct store *casus_open(const char *dir);

#endif
