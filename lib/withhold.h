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
 * The functions below edit a tree (as plan-show prints it) so that every item that partner may
 * not see on day on becomes a visible marker: its text becomes "[withheld: REASON]" and the
 * item gets "withheld: REASON", REASON being share_decide()'s (or "no partner is recorded as
 * holding it", or "no information category is set for it in casus.yaml"). Only the display is
 * the tree's: decode a document again after this if its struct is wanted. Each returns the
 * number of items withheld; a NULL or malformed part withholds nothing.
 */

/*
 * In a plan's tree: the note of a life domain, a goal's text, an action's text, held by their
 * owner, of the category cfg gives for the life domain; and each role agreement's text, held
 * by its partner, of category "detention". All for the case consultation.
 */
size_t plan_withhold(struct doc *plan, const struct settings *cfg, const struct records *r,
    const char *partner, struct date on);

/*
 * In a reintegration plan's tree: the note of each area, held by the area's owner, of category
 * "reintegration", for the purpose it serves: reintegration, or aftercare too when partner is
 * the justice houses.
 */
size_t reintegration_withhold(struct doc *reint, const struct settings *cfg,
    const struct records *r, const char *partner, struct date on);

/*
 * In list, a sequence of a consultation's agreements (as stored, or as plan-show lists the open
 * ones): each text, held by its owner, of category "detention", for the case consultation.
 */
size_t agreements_withhold(struct doc *list, const struct settings *cfg, const struct records *r,
    const char *partner, struct date on);

/*
 * In a consultation's tree: its agreements as agreements_withhold(), each dissent point, held
 * by its partner, and the decision's note, held jointly by the partners present: shown to one
 * of them, else only if each of them may pass it on. Category "detention", for the case
 * consultation.
 */
size_t overleg_withhold(struct doc *overleg, const struct settings *cfg, const struct records *r,
    const char *partner, struct date on);

#endif
