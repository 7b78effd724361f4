/*
 * consent.h: a case's consent, refusal, withdrawal and legal-basis records (R10, R11), and the
 * one answer to "may partner TO receive information of CATEGORY held by FROM, on DATE, for
 * PURPOSE?" that share-check, plan-show --for and the consultation minutes all use.
 */
#ifndef CASUS_CONSENT_H
#define CASUS_CONSENT_H

#include <stdbool.h>

#include "date.h"
#include "doc.h"
#include "settings.h"
#include "store.h"

/* The records of one case, sorted by date, then by ID. */
struct records {
	struct doc **v;
	size_t n;
};

/* Reads and validates every record of the case through v. 0 or -1. */
int records_read(const struct view *v, const char *case_id, struct records *out);
void records_free(struct records *r);
/* The record with this ID, or NULL. */
const struct doc *records_find(const struct records *r, const char *id);
/* The withdrawal of consent id dated on or before date (any date if date is NULL), or NULL. */
const struct doc *records_withdrawal(const struct records *r, const char *id, const struct date *date);

/* The purposes a consent may name, and those of an art. 458ter basis. NULL-terminated. */
extern const char *const consent_purposes[];
extern const char *const basis_purposes[];

struct share_query {
	const char *from, *to, *category;
	const char *purpose;    /* NULL: the case consultation (consents for casusoverleg, or any basis) */
	struct date date;
};

struct share_answer {
	bool allowed;
	const struct doc *by;   /* the record that decides, if any */
	char reason[512];       /* "consent c-... given 2026-12-01 ..." or why not */
};

/* Decides q with the settings cfg (partners' shares_under_458ter) and the case's records. */
void share_decide(const struct settings *cfg, const struct records *r, const struct share_query *q,
    struct share_answer *a);

/*
 * Replaces, in plan, every item that partner may not see on date with a visible marker: the
 * note of a life domain, a goal's text, an action's text become "[withheld: REASON]" and the
 * item gets "withheld: REASON". An item belongs to its owner, and its category is the one
 * casus.yaml gives for its life domain. Returns the number of items withheld.
 */
size_t plan_withhold(struct doc *plan, const struct settings *cfg, const struct records *r,
    const char *partner, struct date on);

/*
 * The same for a reintegration plan: the note of each area (housing, work, network, care) is
 * information of category "reintegration" held by the area's owner.
 */
size_t reintegration_withhold(struct doc *r, const struct settings *cfg, const struct records *rs,
    const char *partner, struct date on);

/*
 * Checks what the schema cannot in a consent or legal-basis record: the partners it names
 * ("to", "participants") and its categories are known in cfg.
 */
void consent_check(const struct settings *cfg, const struct doc *d, const char *file,
    struct problems *ps);

#endif
