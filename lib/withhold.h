/*
 * withhold.h: a case's documents as one partner may see them (plan-show --for): each item
 * that share_decide() does not let its holder pass to the partner is replaced by a marker.
 */
#ifndef CASUS_WITHHOLD_H
#define CASUS_WITHHOLD_H

#include <stddef.h>

#include "consent.h"
#include "date.h"
#include "doc.h"
#include "settings.h"

/*
 * Replaces, in plan (a plan's tree, as plan-show prints it), every item that partner may not
 * see on day on with a visible marker: the note of a life domain, a goal's text, an action's
 * text become "[withheld: REASON]" and the item gets "withheld: REASON". An item belongs to
 * its owner, and its category is the one cfg gives for its life domain. The decision is
 * share_decide()'s; only the display is the tree's, so decode the plan again after this if its
 * struct is wanted. Returns the number of items withheld.
 */
size_t plan_withhold(struct doc *plan, const struct settings *cfg, const struct records *r,
    const char *partner, struct date on);

/*
 * The same for a reintegration plan's tree: the note of each area is information of category
 * "reintegration" held by the area's owner.
 */
size_t reintegration_withhold(struct doc *reint, const struct settings *cfg,
    const struct records *r, const char *partner, struct date on);

#endif
