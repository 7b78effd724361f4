/*
 * withhold.c: plan-show --for's view of a case: what a partner has no basis for is replaced
 * by a marker saying so and why, wherever it appears (R10). The decision is share_decide()'s
 * alone; this file only says, for each kind of item, who holds it, what category it is and
 * what purpose it serves, and edits the tree so that every format carries the marker.
 */
#include <stdlib.h>
#include <string.h>

#include "consent.h"
#include "mem.h"
#include "withhold.h"

/*
 * Role agreements and what a consultation agreed, noted or dissented belong to no life domain:
 * they are the course of the detention, which case-init's settings call "detention".
 */
#define CONTEXT_CATEGORY "detention"

/* What an item is judged as: its category (NULL if the settings have none) and purposes. */
struct judged {
	const char *category;
	enum purpose purposes[2];       /* any one allows; the first gives the reason */
	size_t npurposes;
};

static struct judged
for_consultation(const char *category)
{
	struct judged j = {category, {PURPOSE_CASUSOVERLEG}, 1};

	return j;
}

static struct judged
context(const struct settings *cfg)
{
	return for_consultation(settings_category(cfg, CONTEXT_CATEGORY) ? CONTEXT_CATEGORY : NULL);
}

/*
 * Why partner may not see an item holder holds, judged as j on day on; NULL when it may.
 * malloc'd.
 */
static char *
refusal(const struct settings *cfg, const struct records *r, const char *holder,
    const struct judged *j, const char *partner, struct date on)
{
	char *why = NULL;

	if (holder == NULL)
		return xstrdup("no partner is recorded as holding it");
	if (j->category == NULL)
		return xstrdup("no information category is set for it in casus.yaml");
	for (size_t i = 0; i < j->npurposes; i++) {
		struct share_query q = {
			.from = holder, .to = partner, .category = j->category,
			.purpose = j->purposes[i], .date = on,
		};
		struct share_answer a;

		share_decide(cfg, r, &q, &a);
		if (a.allowed) {
			share_answer_free(&a);
			free(why);
			return NULL;
		}
		if (why == NULL)
			why = a.reason;
		else
			free(a.reason);
	}
	return why;
}

/* Replaces field of node with the marker and marks node; takes why. Returns 1. */
static size_t
mark(struct doc *node, const char *field, char *why)
{
	char *marker = xasprintf("[withheld: %s]", why);

	doc_set(node, field, doc_new_str(marker));
	doc_set(node, "withheld", doc_new_str(why));
	free(marker);
	free(why);
	return 1;
}

/*
 * Withholds field of node, an item held by the partner named in its field holder_key, unless
 * partner may see it. Returns 1 if withheld, 0 if shown or absent.
 */
static size_t
withhold(struct doc *node, const char *field, const char *holder_key, const struct judged *j,
    const struct settings *cfg, const struct records *r, const char *partner, struct date on)
{
	char *why;

	if (node == NULL || node->type != DOC_MAP || doc_get(node, field) == NULL)
		return 0;
	why = refusal(cfg, r, doc_get_str(node, holder_key), j, partner, on);
	return why ? mark(node, field, why) : 0;
}

/* The same for each item of list, a sequence. */
static size_t
withhold_each(struct doc *list, const char *field, const char *holder_key, const struct judged *j,
    const struct settings *cfg, const struct records *r, const char *partner, struct date on)
{
	size_t n = 0;

	for (size_t i = 0; list && list->type == DOC_SEQ && i < list->n; i++)
		n += withhold(list->items[i], field, holder_key, j, cfg, r, partner, on);
	return n;
}

size_t
plan_withhold(struct doc *plan, const struct settings *cfg, const struct records *r,
    const char *partner, struct date on)
{
	struct doc *domains = doc_get(plan, "domains");
	struct judged ctx = context(cfg);
	size_t n = 0;

	for (int d = 0; d < DOMAIN_N; d++) {
		struct doc *dom = doc_get(domains, vocab_word(vocab_domains, d));
		struct doc *goals = doc_get(dom, "goals");
		const struct category_cfg *c = settings_domain_category(cfg, d);
		struct judged j = for_consultation(c ? c->id : NULL);

		n += withhold(dom, "note", "owner", &j, cfg, r, partner, on);
		for (size_t g = 0; goals && goals->type == DOC_SEQ && g < goals->n; g++) {
			n += withhold(goals->items[g], "text", "owner", &j, cfg, r, partner, on);
			n += withhold_each(doc_get(goals->items[g], "actions"), "text", "owner", &j, cfg, r,
			    partner, on);
		}
	}
	n += withhold_each(doc_get(plan, "roles"), "agreement", "partner", &ctx, cfg, r, partner, on);
	return n;
}

/*
 * An area serves the life after release: the justice houses receive it for their
 * reintegration work or their aftercare, every other partner for reintegration. Never for the
 * case consultation alone.
 */
size_t
reintegration_withhold(struct doc *reint, const struct settings *cfg, const struct records *r,
    const char *partner, struct date on)
{
	struct judged j = {
		settings_category(cfg, "reintegration") ? "reintegration" : NULL,
		{PURPOSE_REINTEGRATION, PURPOSE_AFTERCARE}, 1,
	};
	size_t n = 0;

	if (strcmp(partner, vocab_word(vocab_partners, PARTNER_JUSTITIEHUIZEN)) == 0)
		j.npurposes = 2;
	for (int i = 0; i < AREA_N; i++)
		n += withhold(doc_get(reint, vocab_word(vocab_areas, i)), "note", "owner", &j, cfg, r,
		    partner, on);
	return n;
}

size_t
agreements_withhold(struct doc *list, const struct settings *cfg, const struct records *r,
    const char *partner, struct date on)
{
	struct judged ctx = context(cfg);

	return withhold_each(list, "text", "owner", &ctx, cfg, r, partner, on);
}

/*
 * What a consultation decided: each dissent point is its partner's; the note is the decision of
 * everyone present, so a partner that was there holds it, and any other needs a basis from each
 * of them. key names the text: "text" in each of the decisions, "note" in the old form of one
 * decision for the meeting.
 */
static size_t
decision_withhold(struct doc *decision, const char *key, const struct doc *present,
    const struct settings *cfg, const struct records *r, const char *partner, struct date on)
{
	struct judged ctx = context(cfg);
	size_t n = withhold_each(doc_get(decision, "dissent"), "point", "partner", &ctx, cfg, r,
	    partner, on);
	char *why = NULL;
	bool there = false;

	if (decision == NULL || decision->type != DOC_MAP || doc_get(decision, key) == NULL)
		return n;
	for (size_t i = 0; present && present->type == DOC_SEQ && i < present->n; i++) {
		const char *p = doc_get_str(present->items[i], "partner");

		there = there || (p && strcmp(p, partner) == 0);
	}
	for (size_t i = 0; !there && why == NULL && present && present->type == DOC_SEQ &&
	    i < present->n; i++)
		why = refusal(cfg, r, doc_get_str(present->items[i], "partner"), &ctx, partner, on);
	if (!there && (present == NULL || present->type != DOC_SEQ || present->n == 0))
		why = refusal(cfg, r, NULL, &ctx, partner, on);
	return why ? n + mark(decision, key, why) : n;
}

size_t
overleg_withhold(struct doc *overleg, const struct settings *cfg, const struct records *r,
    const char *partner, struct date on)
{
	const struct doc *present = doc_get(overleg, "present");
	struct doc *list = doc_get(overleg, "decisions");
	size_t n = agreements_withhold(doc_get(overleg, "agreements"), cfg, r, partner, on) +
	    decision_withhold(doc_get(overleg, "decision"), "note", present, cfg, r, partner, on);

	for (size_t i = 0; list && list->type == DOC_SEQ && i < list->n; i++)
		n += decision_withhold(list->items[i], "text", present, cfg, r, partner, on);
	return n;
}
