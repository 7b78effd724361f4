/*
 * withhold.c: plan-show --for's view of a case: what a partner has no basis for is replaced
 * by a marker saying so and why. The decision is share_decide()'s alone.
 */
#include <stdlib.h>
#include <string.h>

#include "consent.h"
#include "mem.h"
#include "withhold.h"

/*
 * Withholding, for plan-show --for: the decision is made on the structs; the tree is edited so
 * that what is shown, in every format, carries the marker.
 */

/*
 * Decides whether partner may see an item owned by owner of category; if not, replaces field
 * of node (the item's tree) with the marker and marks the item. Returns 1 if withheld.
 */
static size_t
withhold(struct doc *node, const char *field, const char *category, const struct settings *cfg,
    const struct records *r, const char *partner, struct date on)
{
	const char *owner = doc_get_str(node, "owner");
	struct share_query q = {.from = owner, .to = partner, .category = category, .date = on};
	struct share_answer a = {0};
	char *marker;

	if (node == NULL || doc_get(node, field) == NULL)
		return 0;
	if (owner == NULL)
		a.reason = xstrdup("no partner is recorded as holding it");
	else if (category == NULL)
		a.reason = xstrdup("no information category is set for it in casus.yaml");
	else {
		share_decide(cfg, r, &q, &a);
		if (a.allowed) {
			share_answer_free(&a);
			return 0;
		}
	}
	marker = xasprintf("[withheld: %s]", a.reason);
	doc_set(node, field, doc_new_str(marker));
	doc_set(node, "withheld", doc_new_str(a.reason));
	free(marker);
	share_answer_free(&a);
	return 1;
}

size_t
plan_withhold(struct doc *plan, const struct settings *cfg, const struct records *r,
    const char *partner, struct date on)
{
	struct doc *domains = doc_get(plan, "domains");
	size_t n = 0;

	for (int d = 0; d < DOMAIN_N; d++) {
		struct doc *dom = doc_get(domains, vocab_word(vocab_domains, d));
		struct doc *goals = doc_get(dom, "goals");
		const struct category_cfg *c = settings_domain_category(cfg, d);
		const char *cat = c ? c->id : NULL;

		n += withhold(dom, "note", cat, cfg, r, partner, on);
		for (size_t g = 0; goals && goals->type == DOC_SEQ && g < goals->n; g++) {
			struct doc *actions = doc_get(goals->items[g], "actions");

			n += withhold(goals->items[g], "text", cat, cfg, r, partner, on);
			for (size_t k = 0; actions && actions->type == DOC_SEQ && k < actions->n; k++)
				n += withhold(actions->items[k], "text", cat, cfg, r, partner, on);
		}
	}
	return n;
}

size_t
reintegration_withhold(struct doc *reint, const struct settings *cfg, const struct records *r,
    const char *partner, struct date on)
{
	const char *cat = settings_category(cfg, "reintegration") ? "reintegration" : NULL;
	size_t n = 0;

	for (int i = 0; i < AREA_N; i++)
		n += withhold(doc_get(reint, vocab_word(vocab_areas, i)), "note", cat, cfg, r, partner, on);
	return n;
}
