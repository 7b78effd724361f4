/*
 * reintegration.h: a case's reintegration plan (reintegration.yaml, R4, R8), decoded once
 * after schema validation: the four areas, the local partners, the follow-up by the justice
 * houses and what they need to receive for it. reintegration_check() is the one check of what
 * the schema cannot say, for plan-edit and case-validate alike.
 */
#ifndef CASUS_REINTEGRATION_H
#define CASUS_REINTEGRATION_H

#include <stdbool.h>
#include <stddef.h>

#include "date.h"
#include "doc.h"
#include "problem.h"
#include "settings.h"
#include "store.h"
#include "vocab.h"

#define REINTEGRATION_FILE "reintegration.yaml"

/* Strings point into the tree (NULL when absent); dates are {0} when absent. */
struct reint_area {
	enum area_status status;
	const char *owner;              /* the partner that holds its information, or NULL */
	const char *note;
	int line, owner_line;
};

struct reint_partner {
	const char *organisation, *role;
	int line;
};

/* What the justice houses need to receive, and from whom (R10). */
struct reint_need {
	const char *category, *from;
	enum purpose purpose;           /* PURPOSE_REINTEGRATION when absent */
	int line, category_line, from_line;
};

struct reintegration {
	struct doc *doc;                /* the tree, owned */
	const char *case_id;
	int case_id_line;
	struct reint_area areas[AREA_N];        /* indexed by enum area */
	struct reint_partner *local_partners;
	size_t nlocal_partners;
	/* The follow-up after release (R8); has_follow_up false when the plan has none yet. */
	bool has_follow_up;
	struct {
		const char *justice_house, *member;
		struct date from;
		int line, member_line;
	} follow_up;
	struct reint_need *needs;
	size_t nneeds;
};

/*
 * Decodes d, a tree that passed the "reintegration" schema, taking ownership of it (freed even
 * on failure). Unknown keys are ignored, so a view (seal_view()) decodes too. NULL with
 * err_set("cannot read the reintegration plan of '<id>': <field> is not as the schema says")
 * if d lacks the schema's shape.
 */
struct reintegration *reintegration_decode(struct doc *d);
void reintegration_free(struct reintegration *r);       /* NULL is allowed */

/* As plan_parse(), with the "reintegration" schema. */
struct reintegration *reintegration_parse(const char *buf, size_t len, const char *file,
    struct problems *ps);

/*
 * Reads the reintegration plan of case id through v. A case need not have one yet, so absence
 * is not an error: returns 0 with *out NULL. Returns 0 with *out set (free with
 * reintegration_free()), or -1 with err_set() ("cannot read '<path>': line N: ..." with the
 * first problem when the file is not valid, or a store error) and *out NULL. The case itself
 * is not looked for: read its plan for that.
 */
int reintegration_read(const struct view *v, const char *id, struct reintegration **out);

/*
 * Appends to ps (at file:line) what the schema cannot say of r: its case_id is id (no check
 * when id is NULL), the owner of each area is a known partner, the follow-up member is a
 * registered member for justitiehuizen, and what the justice houses need names known
 * categories and partners.
 */
void reintegration_check(const struct settings *cfg, const struct reintegration *r,
    const char *id, const char *file, struct problems *ps);

/*
 * R9, as plan_team_inactive(): the follow-up member of r when it is named anew (old NULL, old
 * without a follow-up, or another member there) and settings_member_active() says they are no
 * longer active; else NULL. A follow-up member who left later may stay, as history.
 */
const char *reintegration_follow_up_inactive(const struct settings *cfg,
    const struct reintegration *old, const struct reintegration *r);

/*
 * The one way a reintegration plan is written: as plan_put(), with the "reintegration" schema
 * and reintegration_check(), sealed by case_seal(), at the case's reintegration.yaml. Does
 * not look for the case's plan: the caller does. 0, or -1 with err_set("cannot store the
 * reintegration plan of '<id>': <path>: <first problem>", or seal_put()'s "<path>: <reason>").
 */
int reintegration_put(struct txn *t, const struct settings *cfg, struct doc *d, const char *id);

/* The template a new reintegration plan starts from: every area still to arrange. Caller frees. */
struct doc *reintegration_template(const char *id);

#endif
