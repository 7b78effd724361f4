/*
 * readiness.c: the checks release-check runs, each naming the rule it comes from and, when it
 * fails, what is missing and what to do. The official dates are the prison administration's:
 * a missing date is a failed check, never a date casus makes up.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "mem.h"
#include "msg.h"
#include "plan.h"
#include "readiness.h"
#include "reintegration.h"
#include "vocab.h"

bool
milestone_date(const struct plan *plan, enum milestone m, struct date *out)
{
	*out = plan->dates[m == FOR_LEAVE ? PD_LEAVE_ELIGIBLE : PD_RELEASE_ELIGIBLE];
	return date_valid(*out);
}

/* Appends ", item" to a list, or "item" to an empty one. */
static void
append(struct buf *list, const char *item)
{
	buf_printf(list, "%s%s", list->len ? ", " : "", item);
}

static struct check *
start(struct check *c, const char *name, const char *rule)
{
	memset(c, 0, sizeof *c);
	c->name = name;
	c->rule = rule;
	c->passed = true;
	return c;
}

/* Sets what holds or what is missing, whole: release-check's JSON carries it as it is. */
static void say(struct check *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
say(struct check *c, const char *fmt, ...)
{
	va_list ap;

	free(c->reason);
	va_start(ap, fmt);
	c->reason = xvasprintf(fmt, ap);
	va_end(ap);
}

static void
fail(struct check *c, const char *todo)
{
	c->passed = false;
	free(c->todo);
	c->todo = xstrdup(todo);
}

void
checks_free(struct check *c, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(c[i].reason);
		free(c[i].todo);
		c[i].reason = c[i].todo = NULL;
	}
}

static void
plan_complete(const struct case_data *cd, struct check *c)
{
	struct buf open = {0};

	start(c, "plan-complete", "R3");
	for (int i = 0; i < DOMAIN_N; i++)
		if (!plan_domain_assessed(cd->plan, i))
			append(&open, vocab_word(vocab_domains, i));
	if (open.len) {
		say(c, "life domains still to assess: %s", open.data);
		fail(c, "assess each of them with the detainee and set its status with plan-edit");
	} else {
		say(c, "every life domain is assessed");
	}
	buf_free(&open);
}

/*
 * R1: a plan the detainee refused is no plan worked out with them, whatever else is ready.
 * The Basic Law lets them refuse it, and the refusal holds until they revoke it.
 */
static void
plan_not_refused(const struct case_data *cd, struct date on, struct check *c)
{
	const struct plan_refusal *f = plan_refused(cd->plan, on);
	const struct plan_refusal *last = cd->plan->nrefusals ?
	    &cd->plan->refusals[cd->plan->nrefusals - 1] : NULL;
	char d1[11], d2[11];

	start(c, "plan-not-refused", "R1");
	if (f) {
		say(c, "the detainee refused the detention plan on %s", date_format(f->since, d1));
		fail(c, "talk it over with the detainee; if they revoke the refusal, record it with plan-edit --refusal-revoked");
	} else if (last && date_valid(last->revoked) && date_cmp(last->revoked, on) <= 0) {
		say(c, "the refusal of %s was revoked on %s", date_format(last->since, d1),
		    date_format(last->revoked, d2));
	} else {
		say(c, "the detainee has not refused the detention plan");
	}
}

static void
team_complete(const struct settings *cfg, const struct case_data *cd, struct check *c)
{
	struct buf missing = {0};

	start(c, "team-complete", "R9");
	for (int i = 0; i < PARTNER_N; i++) {
		const struct plan_team *t = plan_team(cd->plan, vocab_word(vocab_partners, i));
		bool ok = false;

		for (size_t k = 0; t && k < t->nmembers && !ok; k++) {
			const struct member *m = settings_member(cfg, t->members[k].email);

			ok = m && m->active;
		}
		if (!ok)
			append(&missing, vocab_word(vocab_partners, i));
	}
	if (missing.len) {
		say(c, "no active team member for %s", missing.data);
		fail(c, "name a registered, active member of each core partner in the plan's team with plan-edit");
	} else {
		say(c, "an active member for each core partner");
	}
	buf_free(&missing);
}

/*
 * R6: a consultation held in the pre-leave window; R8: with the justice houses there, who
 * take over the follow-up after detention. One held without them was the pre-leave
 * consultation (overleg_kind_on()), but does not count here; one held again in the window
 * with them does.
 */
static void
pre_leave(const struct settings *cfg, const struct case_data *cd, struct check *c)
{
	const char *jh = vocab_word(vocab_partners, PARTNER_JUSTITIEHUIZEN);
	struct date first, last;
	const struct overleg *held, *with;
	char d1[11], d2[11], d3[11];

	start(c, "pre-leave-overleg", "R6, R8");
	if (!overleg_pre_leave_window(cfg, cd->plan, &first, &last)) {
		say(c, "no leave eligibility date, so no pre-leave consultation");
		fail(c, "record the leave eligibility date the prison administration gave with plan-edit");
		return;
	}
	held = overleg_pre_leave_held(cfg, cd->plan, &cd->o);
	with = overleg_pre_leave_attended(cfg, cd->plan, &cd->o, jh);
	if (with) {
		say(c, "held on %s with the justice houses, in the pre-leave window %s to %s",
		    date_format(with->date, d1), date_format(first, d2), date_format(last, d3));
	} else if (held) {
		say(c, "held on %s without the justice houses (%s), so it does not count",
		    date_format(held->date, d1), jh);
		fail(c, "hold it again by the window's end with a member of the justice houses present, "
		    "and record it with overleg-record");
	} else {
		say(c, "no consultation held in the pre-leave window %s to %s",
		    date_format(first, d1), date_format(last, d2));
		fail(c, "hold the pre-leave consultation with the justice houses and record it with overleg-record");
	}
}

static void
reintegration(const struct settings *cfg, const struct case_data *cd, struct check *c)
{
	const char *member = cd->reint && cd->reint->has_follow_up ? cd->reint->follow_up.member : NULL;
	const struct member *m = member ? settings_member(cfg, member) : NULL;
	const char *jh = vocab_word(vocab_partners, PARTNER_JUSTITIEHUIZEN);

	start(c, "reintegration-plan", "R8");
	if (cd->reint == NULL) {
		say(c, "the case has no reintegration plan");
		fail(c, "write it with plan-edit --reintegration");
	} else if (member == NULL) {
		say(c, "the reintegration plan names no justice assistant for the follow-up");
		fail(c, "set follow_up.justice_house and follow_up.member with plan-edit --reintegration");
	} else if (m == NULL || strcmp(m->partner, jh) != 0 || !m->active) {
		say(c, "the follow-up member %s is not an active member for %s", member, jh);
		fail(c, "name an active justice house member in follow_up.member with plan-edit --reintegration");
	} else {
		say(c, "present, with follow-up by %s", member);
	}
}

/*
 * Release needs every area settled: one still to arrange or in progress is a life after
 * release that is not yet there. Its own check, so that a plan that also lacks its follow-up
 * shows both at once.
 */
static void
reintegration_areas(const struct case_data *cd, struct check *c)
{
	struct buf todo = {0}, busy = {0};

	start(c, "reintegration-areas", "R8");
	if (cd->reint == NULL) {
		say(c, "no reintegration plan, so no area is arranged");
		fail(c, "write it with plan-edit --reintegration");
		return;
	}
	for (int i = 0; i < AREA_N; i++) {
		if (cd->reint->areas[i].status == AS_TO_ARRANGE)
			append(&todo, vocab_word(vocab_areas, i));
		else if (cd->reint->areas[i].status == AS_IN_PROGRESS)
			append(&busy, vocab_word(vocab_areas, i));
	}
	if (todo.len && busy.len)
		say(c, "still to arrange: %s; still in progress: %s", todo.data, busy.data);
	else if (todo.len)
		say(c, "still to arrange: %s", todo.data);
	else if (busy.len)
		say(c, "still in progress: %s", busy.data);
	else
		say(c, "every area is arranged or not needed");
	if (todo.len || busy.len)
		fail(c, "arrange them, or mark them not-needed, with plan-edit --reintegration");
	buf_free(&todo);
	buf_free(&busy);
}

/*
 * The follow-up by the justice houses takes over at release (R8, and R4's continuity): one
 * that starts later leaves the person without it. A missing start date is a failure, as a
 * missing official date is: casus does not assume it.
 */
static void
follow_up_start(const struct case_data *cd, struct check *c)
{
	struct date release = cd->plan->dates[PD_RELEASE_ELIGIBLE];
	char d1[11], d2[11];

	start(c, "follow-up-start", "R8");
	if (cd->reint == NULL || !cd->reint->has_follow_up) {
		say(c, "no follow-up by the justice houses, so no start date");
		fail(c, "arrange the follow-up, with follow_up.from, with plan-edit --reintegration");
	} else if (!date_valid(cd->reint->follow_up.from)) {
		say(c, "the follow-up has no start date");
		fail(c, "set follow_up.from, on or before the release eligibility date, with plan-edit --reintegration");
	} else if (!date_valid(release)) {
		say(c, "the follow-up starts on %s, but the plan has no release_eligible date",
		    date_format(cd->reint->follow_up.from, d1));
		fail(c, "record the date the prison administration gave with plan-edit");
	} else if (date_cmp(cd->reint->follow_up.from, release) > 0) {
		say(c, "the follow-up starts on %s, after release eligibility on %s",
		    date_format(cd->reint->follow_up.from, d1), date_format(release, d2));
		fail(c, "agree an earlier follow_up.from with the justice house and set it with plan-edit --reintegration");
	} else {
		say(c, "the follow-up starts on %s, not after release eligibility on %s",
		    date_format(cd->reint->follow_up.from, d1), date_format(release, d2));
	}
}

/*
 * A periodic consultation overdue on the day (R5), counted as overleg-schedule counts: release
 * must not come while the team has stopped meeting. The pre-leave one has its own check.
 */
static void
overleg_overdue(const struct settings *cfg, const struct case_data *cd, struct date on,
    struct check *c)
{
	struct due *due;
	size_t n = overleg_due(cfg, cd->plan, &cd->o, on, on, on, &due);
	struct buf late = {0};
	char d[11];

	start(c, "overleg-overdue", "R5");
	for (size_t i = 0; i < n; i++)
		if (due[i].kind == OK_PERIODIC && due[i].status == DUE_OVERDUE)
			append(&late, date_format(due[i].date, d));
	free(due);
	if (late.len) {
		say(c, "a periodic consultation is overdue since %s", late.data);
		fail(c, "hold it and record it with overleg-record");
	} else {
		say(c, "no periodic consultation is overdue");
	}
	buf_free(&late);
}

static void
sharing(const struct settings *cfg, const struct case_data *cd, enum milestone m, struct date on,
    struct check *c)
{
	struct buf bad = {0};
	size_t ok = 0;

	start(c, "sharing-basis", "R10, R11");
	if (cd->reint == NULL && m == FOR_RELEASE) {
		say(c, "no reintegration plan says what the justice houses need");
		fail(c, "write the reintegration plan, with what the justice houses need under 'needs'");
		return;
	}
	if (cd->reint == NULL) {
		say(c, "nothing to share yet: the case has no reintegration plan");
		return;
	}
	for (size_t i = 0; i < cd->reint->nneeds; i++) {
		const struct reint_need *n = &cd->reint->needs[i];
		struct share_query q = {
			.from = n->from,
			.to = vocab_word(vocab_partners, PARTNER_JUSTITIEHUIZEN),
			.category = n->category,
			.purpose = n->purpose,
			.date = on,
		};
		struct share_answer a;
		char *item;

		share_decide(cfg, &cd->rs, &q, &a);
		if (a.allowed) {
			ok++;
			share_answer_free(&a);
			continue;
		}
		item = xasprintf("%s from %s (%s)", q.category, q.from, a.reason);
		append(&bad, item);
		free(item);
		share_answer_free(&a);
	}
	if (bad.len) {
		say(c, "the justice houses may not receive %s", bad.data);
		fail(c, "record the detainee's consent with consent-record, or a legal basis");
	} else if (ok == 0) {
		say(c, "the reintegration plan lists nothing the justice houses need");
	} else {
		say(c, "consent or a legal basis covers all %zu item%s the justice houses need",
		    ok, ok == 1 ? "" : "s");
	}
	buf_free(&bad);
}

/*
 * Every agreement still open past its due date, whichever consultation made it: those of the
 * last one can only be closed by the next, and older ones must not drop out of sight.
 */
static void
agreements(const struct case_data *cd, struct date on, struct check *c)
{
	const struct overleg *last = overlegs_last_held(&cd->o);
	struct agreement *ag;
	size_t n = overleg_agreements(&cd->o, NULL, &ag), open = 0;
	struct buf late = {0};

	start(c, "agreements", "R5");
	for (size_t i = 0; i < n; i++) {
		char *id, *item, due[11];

		if (ag[i].closed >= 0)
			continue;
		open++;
		if (!date_valid(ag[i].a->due) || date_cmp(ag[i].a->due, on) >= 0)
			continue;
		id = agreement_id(&ag[i]);
		item = xasprintf("%s (%s, due %s)", id, ag[i].a->owner, date_format(ag[i].a->due, due));
		append(&late, item);
		free(item);
		free(id);
	}
	free(ag);
	if (last == NULL) {
		say(c, "no consultation held yet, so no agreements");
	} else if (late.len) {
		say(c, "agreements past their due date and still open: %s", late.data);
		fail(c, "carry them out, and close them in the next consultation's minutes (closes) with overleg-record");
	} else {
		say(c, "no open agreement is past its due date (%zu open)", open);
	}
	buf_free(&late);
}

static void
dates(const struct case_data *cd, enum milestone m, struct check *c)
{
	const struct date *d = cd->plan->dates;
	int need = m == FOR_LEAVE ? PD_LEAVE_ELIGIBLE : PD_RELEASE_ELIGIBLE;

	start(c, "dates", "R6, R8");
	if (!date_valid(d[need])) {
		say(c, "no %s date", vocab_word(vocab_plan_dates, need));
		fail(c, "record the date the prison administration gave with plan-edit");
		return;
	}
	/* The order plan_check() holds a plan to: a plan stored by hand may still break it. */
	for (int i = 0; i < PD_N; i++) {
		int prev = plan_date_out_of_order(d, i);
		char buf[11];

		if (prev >= 0) {
			say(c, "%s %s is before %s", vocab_word(vocab_plan_dates, i), date_format(d[i], buf),
			    vocab_word(vocab_plan_dates, prev));
			fail(c, "correct the dates with plan-edit, as the prison administration gave them");
			return;
		}
	}
	say(c, "present and in order");
}

size_t
readiness(const struct settings *cfg, const struct case_data *cd, enum milestone m, struct date on,
    struct check out[READINESS_MAX])
{
	size_t n = 0;

	plan_complete(cd, &out[n++]);
	plan_not_refused(cd, on, &out[n++]);
	team_complete(cfg, cd, &out[n++]);
	if (m == FOR_LEAVE)
		pre_leave(cfg, cd, &out[n++]);
	else {
		reintegration(cfg, cd, &out[n++]);
		reintegration_areas(cd, &out[n++]);
		follow_up_start(cd, &out[n++]);
		overleg_overdue(cfg, cd, on, &out[n++]);
	}
	sharing(cfg, cd, m, on, &out[n++]);
	agreements(cd, on, &out[n++]);
	dates(cd, m, &out[n++]);
	return n;
}
