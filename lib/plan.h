/*
 * plan.h: a case's detention plan (plan.yaml, R1, R2, R3, R9), decoded once after schema
 * validation. Programs and the rule modules read this struct; doc_get() on a plan stays in
 * plan.c. plan_check() is the one check of what the schema cannot say, for the writers and
 * for case-validate alike.
 */
#ifndef CASUS_PLAN_H
#define CASUS_PLAN_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "doc.h"
#include "problem.h"
#include "seal.h"
#include "settings.h"
#include "store.h"
#include "vocab.h"

#define PLAN_FILE "plan.yaml"

/*
 * Every string points into the plan's tree (NULL when absent); a date is {0} when absent
 * (date_valid() says whether it is there). Each item a check reports on keeps the lines it
 * reports at (0 when absent).
 */
struct plan_action {
	const char *text, *owner;
	struct date due;
	enum action_status status;      /* ACTION_PLANNED when absent */
	int line, owner_line;
};

struct plan_goal {
	const char *text, *owner;
	enum goal_status status;        /* GOAL_OPEN when absent */
	struct plan_action *actions;
	size_t nactions;
	int line, owner_line;
};

struct plan_domain {
	enum domain_status status;
	const char *owner;              /* the partner that holds its information, or NULL */
	const char *note;
	struct plan_goal *goals;
	size_t ngoals;
	int line, owner_line;
};

struct plan_email {
	const char *email;
	int line;
};

/* The fixed team of one partner (R9). */
struct plan_team {
	const char *partner;            /* as the file names it: not necessarily a known partner */
	struct plan_email *members;
	size_t nmembers;
	int line;
};

/* A role agreement (R9). */
struct plan_role {
	const char *partner, *member, *agreement;       /* member NULL when absent */
	int line, partner_line, member_line;
};

/*
 * A refusal of the detention plan by the detainee (R1; the Basic Law lets them refuse), and
 * its revocation ({0} while it holds).
 */
struct plan_refusal {
	struct date since, revoked;
	int line, revoked_line;
};

struct plan {
	struct doc *doc;                /* the tree, owned: display and edit code may emit it */
	const char *case_id, *institution;
	enum plan_status status;
	struct plan_refusal *refusals;  /* oldest first: "refusals", or the old "refusal" */
	size_t nrefusals;
	bool old_refusal;               /* read from the old form, "refusal" */
	int old_refusal_line;           /* its line, when "refusals" is there too (0: it is not) */
	struct date dates[PD_N];        /* indexed by enum plan_date */
	int date_lines[PD_N];
	enum aim *aims;
	size_t naims;
	struct plan_team *team;         /* in file order */
	size_t nteam;
	struct plan_role *roles;
	size_t nroles;
	struct plan_domain domains[DOMAIN_N];   /* indexed by enum domain */
	int case_id_line;
};

/*
 * Decodes d, a tree that passed the "plan" schema, taking ownership of it (freed even on
 * failure). Keys the schema does not know are ignored, so a view (see seal_view()) decodes
 * too. Returns the plan, or NULL with err_set("cannot read the plan
 * of '<id>': <field> is not as the schema says") if d lacks the schema's shape.
 */
struct plan *plan_decode(struct doc *d);
void plan_free(struct plan *p);                         /* NULL is allowed */

/*
 * Parses buf (len bytes, named file in problems), validates it with the "plan" schema and
 * decodes it. NULL with the problems appended to ps when it is not valid, or with err_set()
 * alone (ps untouched) if it does not decode.
 */
struct plan *plan_parse(const char *buf, size_t len, const char *file, struct problems *ps);

/*
 * As plan_parse() for a plan a user hands in for case id, which may be what `plan-show
 * --format json` printed or what plan-edit put in the editor: the keys they add beside the
 * stored plan, and those a view adds to its parts (seal_unmark()), are taken out before the
 * schema sees the tree. "overleg" is derived from the consultations and never stored: it is
 * dropped. "reintegration" is another file, changed with plan-edit --reintegration: it is
 * dropped when it equals the case's reintegration plan stored in v as plan-show shows it
 * (opened with the program's key, casus_key(); null when it has none), and is a problem when
 * it does not, or when that plan cannot be read, so that a change to it is never lost
 * without a word.
 */
struct plan *plan_parse_shown(const char *buf, size_t len, const char *file,
    const struct view *v, const char *id, struct problems *ps);

/*
 * Reads the plan of case id through v. NULL with err_set(): "cannot find case '<id>': no
 * such case in this store" when the case has no plan, "cannot read '<path>': line N: ..." with
 * the first problem when it is not valid, or a store error.
 */
struct plan *plan_read(const struct view *v, const char *id);

/*
 * R3: whether life domain i of p is assessed (its status is no longer to-assess), and whether
 * every one is: a complete plan, as release-check's plan-complete and case-stats count it.
 */
bool plan_domain_assessed(const struct plan *p, int i);
bool plan_assessed(const struct plan *p);

/* The refusal in force on day on (made on or before it, not revoked by then), or NULL. */
const struct plan_refusal *plan_refused(const struct plan *p, struct date on);

/*
 * Records in d, a plan's tree that passed the schema, that the detainee refused the plan on
 * since (plan_refuse()) or revoked the refusal in force on revoked (plan_refusal_revoke()),
 * as "refusals"; an old "refusal" becomes its first item. Whether the dates hold is
 * plan_check()'s to say when the plan is stored. plan_refusal_revoke() returns -1 with
 * err_set("cannot revoke the refusal of '<id>': no refusal is in force") when the last
 * refusal is revoked already, or there is none; both return 0 otherwise.
 */
int plan_refuse(struct doc *d, struct date since);
int plan_refusal_revoke(struct doc *d, struct date revoked);

/* The team of partner in p, or NULL. */
const struct plan_team *plan_team(const struct plan *p, const char *partner);

/*
 * The key dates fall in the order of enum plan_date, a date left out being left out of the
 * order. For key i of d (indexed by enum plan_date, {0} when absent): the index of the key
 * before it whose date is later, or -1 when i is absent or in order. plan_check() and
 * plan-new, which names the options instead, both ask here.
 */
int plan_date_out_of_order(const struct date d[PD_N], int i);

/*
 * A member who left cannot be named anew (R9): not put on a case's team, not given a role
 * agreement; one who was there may stay, as history. Returns the first address on p's team
 * that is not on the same partner's team in old (old NULL: a new plan), or in p's role
 * agreements and in none of old's, that settings_member_active() says is no longer active;
 * or NULL. An address not registered at all is plan_check()'s to report.
 */
const char *plan_team_inactive(const struct settings *cfg, const struct plan *old,
    const struct plan *p);

/*
 * Appends to ps (at file:line) what the schema cannot say of p: its case_id is id (no check
 * when id is NULL), its dates fall in the order of enum plan_date, its team names known
 * partners and, for each, registered members of that partner, its role agreements name known
 * partners and registered members, and every owner of a domain, goal or action is a known
 * partner. Of the refusals (R1): each revocation is on or after its refusal, each refusal on
 * or after the revocation before it (so none is made while another holds), and the old form
 * "refusal" is not kept beside "refusals".
 */
void plan_check(const struct settings *cfg, const struct plan *p, const char *id,
    const char *file, struct problems *ps);

/*
 * The one way a plan is written: validates d with the "plan" schema, decodes it and runs
 * plan_check() with cfg, then seals a copy (case_seal()) and stages its canonical bytes at the
 * case's plan.yaml in t. d may be a view (seal_view()): its markers keep what the writer
 * cannot open as stored. d is not changed but for its key order. Returns 0, or -1 with
 * err_set("cannot store the plan of '<id>': <path>: <first problem>", or "...: <path>:
 * <reason>" from seal_put()) and nothing staged.
 */
int plan_put(struct txn *t, const struct settings *cfg, struct doc *d, const char *id);

/*
 * The one way a case document with sealed parts (seal.h) is made ready to store, shared by
 * plan_put(), reintegration_put() and overleg-record: seal_put() on d, of kind, at file in the
 * case's folder (PLAN_FILE, REINTEGRATION_FILE, "overleg/<DATE>.yaml"), with what v holds
 * there now as the stored tree (none when it is not there or not valid), the case's records,
 * today and the program's key (casus_key()), and its old key if one was loaded
 * (casus_old_key()). Returns 0, or -1 with err_set(): seal_put()'s
 * "<path>: <reason>", for the caller to say what it could not store, or an error reading the
 * records or the key (whole messages).
 */
int case_seal(const struct view *v, const struct settings *cfg, struct doc *d,
    enum seal_kind kind, const char *id, const char *file);

/*
 * The context in which the person running the program opens or seals the documents of case id
 * (seal.h): cfg, the case's records read into *rs (free with records_free(), also on failure),
 * today, the program's key (casus_key(); NULL when they have none: nothing opens) and old key
 * (casus_old_key()). kind, file and viewer are the caller's to set. 0, or -1 with err_set()
 * when the records or today cannot be read, or a key file is there but cannot be used.
 */
int case_seal_ctx(const struct view *v, const struct settings *cfg, const char *id,
    struct seal_ctx *c, struct records *rs);

/*
 * Calls fn for each document of case id in v that may hold sealed parts, with its name in the
 * case folder, its kind and the name of its schema: PLAN_FILE, REINTEGRATION_FILE (whether or
 * not they are there: fn finds out), then each "overleg/<DATE>.yaml" the folder lists (another
 * name, or an overleg that is not a folder, is case-validate's to report). Stops at the first
 * fn that does not return 0 and returns that; else 0, or -1 with err_set() when the store
 * cannot be read.
 */
typedef int (*case_file_fn)(const char *file, enum seal_kind kind, const char *schema, void *arg);
int case_sealed_files(const struct view *v, const char *id, case_file_fn fn, void *arg);

/*
 * As casus_parse() for a case document a user hands back after seeing a view of it (plan-show,
 * the editor of plan-edit or overleg-record): the keys a view adds to a part (seal_unmark())
 * are taken out of every map before the schema sees the tree, as seal_put() takes them out. NULL with the problems appended to ps.
 */
struct doc *casus_parse_shown(const char *buf, size_t len, const char *file, const char *schema,
    struct problems *ps);
/*
 * Sets the error of a writer refusing a case document from the first problem of ps (which
 * must have one): "cannot store the <what> of '<id>': <path>: <message>". Shared with
 * reintegration_put(). ps is not changed.
 */
void plan_put_error(const struct problems *ps, const char *what, const char *id);

#endif
